//! Expenses (protocol 4): what users spent, filtered by transaction date.

use connector_sdk::capability::ListExpenses;
use connector_sdk::{ConnectorError, Context, Listing, wire};
use serde::Deserialize;

use super::{MockConnector, page_of};
use crate::MockSettings;

/// An expense as the app returns it.
#[derive(Debug, Deserialize)]
struct AppExpense {
    id: String,
    report_id: Option<String>,
    amount_cents: u64,
    currency: String,
    vendor: Option<String>,
    description: String,
    kind: String,
    approval: String,
    paid: bool,
    transaction_date: String,
    payment_date: Option<String>,
    submitter: Submitter,
}

/// The user who submitted an expense.
#[derive(Debug, Deserialize)]
struct Submitter {
    id: String,
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
}

/// Cents as a decimal amount: `12345` → `"123.45"`.
fn amount(cents: u64, currency: &str) -> wire::Amount {
    wire::Amount {
        amount: format!("{}.{:02}", cents / 100, cents % 100),
        currency: currency.to_owned(),
    }
}

fn expense(item: AppExpense) -> wire::Expense {
    let total = amount(item.amount_cents, &item.currency);
    let full_name = [&item.submitter.first_name, &item.submitter.last_name]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    wire::Expense {
        id: item.id,
        report_id: item.report_id,
        transaction_date: item.transaction_date,
        payment_date: item.payment_date,
        paid_amount: item.paid.then(|| total.clone()),
        total_amount: total,
        seller: wire::Vendor {
            id: None,
            name: item.vendor,
            description: None,
        },
        description: item.description,
        submitter: wire::SpendUser {
            id: Some(item.submitter.id),
            email: item.submitter.email,
            full_name: (!full_name.is_empty()).then_some(full_name),
            given_name: item.submitter.first_name,
            family_name: item.submitter.last_name,
        },
        r#type: if item.kind == "card" {
            wire::ExpenseType::CardTransaction
        } else {
            wire::ExpenseType::Reimbursement
        },
        approval_status: wire::ExpenseApprovalStatus {
            id: None,
            display_value: None,
            normalized_value: match item.approval.as_str() {
                "submitted" => wire::NormalizedExpenseApprovalStatus::Pending,
                "approved" => wire::NormalizedExpenseApprovalStatus::Approved,
                "rejected" => wire::NormalizedExpenseApprovalStatus::Rejected,
                _ => wire::NormalizedExpenseApprovalStatus::Unknown,
            },
            value: Some(item.approval),
        },
        payment_status: wire::ExpensePaymentStatus {
            id: None,
            display_value: None,
            value: Some(if item.paid { "paid" } else { "unpaid" }.to_owned()),
            normalized_value: if item.paid {
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

impl ListExpenses for MockConnector {
    /// `GET /api/expenses?from&to`: transactions from `start_date` (included) to `end_date`
    /// (excluded).
    async fn list_expenses(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::ListExpenses,
    ) -> Result<Listing<wire::Expense>, ConnectorError> {
        let range = request.filters.transaction_date.unwrap_or_default();
        let mut query = Vec::new();
        if let Some(start) = range.start_date.as_deref() {
            query.push(("from", start));
        }
        if let Some(end) = range.end_date.as_deref() {
            query.push(("to", end));
        }
        let page = page_of::<AppExpense>(ctx, "/api/expenses", &query).await?;
        let items = page.items.into_iter().map(expense).collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}
