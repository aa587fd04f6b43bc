//! `list_expenses` (protocol 4): expenses whose transaction falls in the asked-for range; `GET /api/expenses?limit&after`, the app's cursor in a page token.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, case4, check4, page_token, uid};

const SCOPE: CapabilityName = CapabilityName::ListExpenses;

/// App expense `n` as the protocol writes it: the first is a paid card transaction.
fn expense(n: usize) -> Value {
    let total = json!({"amount": format!("{}.{:02}", 123 * n + (45 * n) / 100, (45 * n) % 100), "currency": "USD"});
    json!({"id": format!("exp-{:07}", 3 * n - 2), "report_id": "rep-00001",
           "transaction_date": format!("2024-11-0{n}T00:00:00Z"),
           "payment_date": (n == 1).then_some("2024-11-08T00:00:00Z"),
           "total_amount": total, "paid_amount": (n == 1).then(|| total.clone()),
           "seller": {"id": null, "name": "Cafe 42", "description": null},
           "description": format!("Expense {n}"),
           "submitter": {"id": uid(3 * n - 2), "email": format!("user{n}@example.com"),
                         "full_name": "Ann Lee", "given_name": "Ann", "family_name": "Lee"},
           "type": if n == 1 { "card_transaction" } else { "reimbursement" },
           "approval_status": {"id": null, "display_value": null,
                               "value": if n == 1 { "approved" } else { "submitted" },
                               "normalized_value": if n == 1 { "approved" } else { "pending" }},
           "payment_status": {"id": null, "display_value": null,
                              "value": if n == 1 { "paid" } else { "unpaid" },
                              "normalized_value": if n == 1 { "paid" } else { "unpaid" }},
           "url": null, "attributes": null, "custom_attributes": null})
}

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("exp-{:07}", 3 * n - 2), "report_id": "rep-00001", "user_id": uid(3 * n - 2), "amount_cents": 12_345 * n, "currency": "USD", "vendor": "Cafe 42", "description": format!("Expense {n}"), "kind": if n == 1 { "card" } else { "reimbursement" }, "approval": if n == 1 { "approved" } else { "submitted" }, "paid": n == 1, "transaction_date": format!("2024-11-0{n}T00:00:00Z"), "payment_date": (n == 1).then_some("2024-11-08T00:00:00Z"), "submitter": {"id": uid(3 * n - 2), "email": format!("user{n}@example.com"), "first_name": "Ann", "last_name": "Lee"}})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> Value {
    expense(n)
}

/// The case with its payload.
fn base() -> Case {
    case4(SCOPE).payload(json!({"filters": {"transaction_date": {"start_date": "2024-01-01T00:00:00Z", "end_date": "2025-01-01T00:00:00Z"}}}))
}

#[rstest]
#[case::first_page(
    base()
        .page(None, Some(2))
        .mock(HttpMock::get("/api/expenses?limit=2&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z").respond_json(
            200,
            app_page("expenses", vec![app_item(1), app_item(2)], Some("exp-0000004")),
        ))
        .expect_items_and_next_page(json!(vec![item(1), item(2)]), Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    base()
        .page(Some(&page_token(SCOPE, &["exp-0000004"])), Some(2))
        .mock(
            HttpMock::get("/api/expenses?limit=2&after=exp-0000004&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z")
                .respond_json(200, app_page("expenses", vec![app_item(3)], None)),
        )
        .expect_items(json!([item(3)]))
)]
#[case::wrong_password_is_unauthorized(
    base()
        .mock(
            HttpMock::get("/api/expenses?limit=100&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::token_of_another_listing_is_refused(
    base()
        .page(Some(&page_token(CapabilityName::ListAccounts, &["u-0000001"])), Some(2))
        .expect_error(ErrorCode::InvalidPageToken)
        .message("belongs to another listing")
)]
#[case::server_error(
    base()
        .mock(HttpMock::get("/api/expenses?limit=100&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_expenses(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
