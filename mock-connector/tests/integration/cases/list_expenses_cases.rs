//! `list_expenses` (protocol 4): expenses whose transaction falls in the asked-for range; `GET /api/expenses?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, of4, page_token, uid};

type Listing = marker::ListExpenses;
const SCOPE: CapabilityName = CapabilityName::ListExpenses;

/// App expense `n` as the protocol writes it: the first is a paid card transaction.
fn expense(n: usize) -> wire::Expense {
    let cents = 12_345 * n;
    let total = wire::Amount {
        amount: format!("{}.{:02}", cents / 100, cents % 100),
        currency: "USD".to_owned(),
    };
    let paid = n == 1;
    wire::Expense {
        id: format!("exp-{:07}", 3 * n - 2),
        report_id: Some("rep-00001".to_owned()),
        transaction_date: format!("2024-11-0{n}T00:00:00Z"),
        payment_date: paid.then(|| "2024-11-08T00:00:00Z".to_owned()),
        paid_amount: paid.then(|| total.clone()),
        total_amount: total,
        seller: wire::Vendor {
            id: None,
            name: Some("Cafe 42".to_owned()),
            description: None,
        },
        description: format!("Expense {n}"),
        submitter: wire::SpendUser {
            id: Some(uid(3 * n - 2)),
            email: Some(format!("user{n}@example.com")),
            full_name: Some("Ann Lee".to_owned()),
            given_name: Some("Ann".to_owned()),
            family_name: Some("Lee".to_owned()),
        },
        r#type: if paid {
            wire::ExpenseType::CardTransaction
        } else {
            wire::ExpenseType::Reimbursement
        },
        approval_status: wire::ExpenseApprovalStatus {
            id: None,
            display_value: None,
            value: Some(if paid { "approved" } else { "submitted" }.to_owned()),
            normalized_value: if paid {
                wire::NormalizedExpenseApprovalStatus::Approved
            } else {
                wire::NormalizedExpenseApprovalStatus::Pending
            },
        },
        payment_status: wire::ExpensePaymentStatus {
            id: None,
            display_value: None,
            value: Some(if paid { "paid" } else { "unpaid" }.to_owned()),
            normalized_value: if paid {
                wire::NormalizedExpensePaymentStatus::Paid
            } else {
                wire::NormalizedExpensePaymentStatus::Unpaid
            },
        },
        url: None,
        attributes: None,
        custom_attributes: None,
    }
}

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("exp-{:07}", 3 * n - 2), "report_id": "rep-00001", "user_id": uid(3 * n - 2), "amount_cents": 12_345 * n, "currency": "USD", "vendor": "Cafe 42", "description": format!("Expense {n}"), "kind": if n == 1 { "card" } else { "reimbursement" }, "approval": if n == 1 { "approved" } else { "submitted" }, "paid": n == 1, "transaction_date": format!("2024-11-0{n}T00:00:00Z"), "payment_date": (n == 1).then_some("2024-11-08T00:00:00Z"), "submitter": {"id": uid(3 * n - 2), "email": format!("user{n}@example.com"), "first_name": "Ann", "last_name": "Lee"}})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::Expense {
    expense(n)
}

fn request() -> wire::ListExpenses {
    wire::ListExpenses {
        filters: wire::ExpenseFilters {
            transaction_date: Some(wire::TimeRange {
                start_date: Some("2024-01-01T00:00:00Z".to_owned()),
                end_date: Some("2025-01-01T00:00:00Z".to_owned()),
            }),
        },
    }
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/expenses?limit=2&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z").respond_json(
            200,
            app_page("expenses", vec![app_item(1), app_item(2)], Some("exp-0000004")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"exp-0000004")), Some(2))
        .mock(
            HttpMock::get("/api/expenses?limit=2&after=exp-0000004&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z")
                .respond_json(200, app_page("expenses", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/expenses?limit=100&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::token_of_another_listing_is_refused(
    of4::<Listing>(request())
        .page(Some(&page_token(CapabilityName::ListAccounts, &"u-0000001")), Some(2))
        .expect_error(ErrorCode::InvalidPageToken)
        .message("belongs to another listing")
)]
#[case::server_error(
    of4::<Listing>(request())
        .mock(HttpMock::get("/api/expenses?limit=100&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_expenses(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
