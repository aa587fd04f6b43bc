//! Spending: expenses submitted by users, filtered by transaction date.
//!
//! Generated state is a pure function of numbers: every third user (1, 4, 7, …) submitted one
//! expense ([`submits_expense`], [`expense_id`]). Rule: every expense's submitter is a user that
//! exists (deleting a user drops their expenses).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::AppState;
use crate::api::{Reply, page_json};
use crate::data::{ACTIVITY_EPOCH, ACTIVITY_SPAN, ApiError, keyed_page, user_id};
use crate::time::{iso8601, parse_rfc3339};

const VENDORS: &[&str] = &[
    "Acme Travel",
    "Cloud Hosting Inc",
    "Office Supplies Co",
    "Cafe 42",
];
const APPROVALS: &[&str] = &["submitted", "approved", "rejected", "approved"];

/// Whether generated user `n` submitted an expense.
pub fn submits_expense(n: usize) -> bool {
    n % 3 == 1
}

/// The id of generated user `n`'s expense: `exp-0000001`.
pub fn expense_id(n: usize) -> String {
    format!("exp-{n:07}")
}

/// An expense as the app stores it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Expense {
    id: String,
    report_id: String,
    user_id: String,
    /// In cents.
    amount_cents: u64,
    currency: &'static str,
    vendor: &'static str,
    description: String,
    /// `reimbursement` or `card`.
    kind: &'static str,
    /// `submitted`, `approved` or `rejected`.
    approval: &'static str,
    paid: bool,
    transaction_date: String,
    payment_date: Option<String>,
    /// `transaction_date` in seconds since the epoch, for the filter.
    #[serde(skip)]
    at: u64,
}

/// The app's expenses.
#[derive(Debug)]
pub(crate) struct Spend {
    expenses: BTreeMap<String, Expense>,
}

impl Spend {
    /// The expenses of `users` generated users.
    pub(crate) fn generate(users: usize) -> Self {
        let expenses = (1..=users)
            .filter(|&n| submits_expense(n))
            .map(|n| {
                let at = ACTIVITY_EPOCH - (n as u64 * 86_413) % ACTIVITY_SPAN;
                let approval = APPROVALS[n % APPROVALS.len()];
                let paid = approval == "approved" && n % 2 == 0;
                let expense = Expense {
                    id: expense_id(n),
                    report_id: format!("rep-{:05}", n / 10 + 1),
                    user_id: user_id(n),
                    amount_cents: 1_000 + (n as u64 * 3_719) % 90_000,
                    currency: "USD",
                    vendor: VENDORS[n % VENDORS.len()],
                    description: format!("Expense {n}"),
                    kind: if n % 2 == 0 { "card" } else { "reimbursement" },
                    approval,
                    paid,
                    transaction_date: iso8601(at),
                    payment_date: paid.then(|| iso8601(at + 7 * 86_400)),
                    at,
                };
                (expense.id.clone(), expense)
            })
            .collect();
        Self { expenses }
    }

    /// Drops a deleted user's expenses.
    pub(crate) fn forget(&mut self, user: &str) {
        self.expenses.retain(|_, e| e.user_id != user);
    }

    /// The submitters of every expense.
    #[cfg(test)]
    pub(crate) fn submitters(&self) -> impl Iterator<Item = &str> {
        self.expenses.values().map(|e| e.user_id.as_str())
    }
}

/// `?from&to&limit&after` of `GET /api/expenses`.
#[derive(Debug, Deserialize)]
pub(crate) struct ExpenseQuery {
    from: Option<String>,
    to: Option<String>,
    limit: Option<usize>,
    after: Option<String>,
}

fn instant(name: &str, value: Option<&str>) -> Result<Option<u64>, ApiError> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| {
            parse_rfc3339(v).ok_or_else(|| {
                ApiError::bad_request(format!("{name}: {v:?} is not an RFC 3339 timestamp"))
            })
        })
        .transpose()
}

/// `GET /api/expenses?from&to&limit&after` → `{"expenses": [{…, "submitter": {"id", "email",
/// "first_name", "last_name"}}], "next"}`: transactions at or after `from` and before `to`.
pub(crate) async fn list_expenses(
    State(state): State<Arc<AppState>>,
    query: Result<Query<ExpenseQuery>, QueryRejection>,
) -> Reply {
    let Query(query) =
        query.map_err(|e| ApiError::bad_request(format!("invalid query: {}", e.body_text())))?;
    let from = instant("from", query.from.as_deref())?;
    let to = instant("to", query.to.as_deref())?;
    let limit = query
        .limit
        .unwrap_or(100)
        .clamp(1, state.config.max_page_size);
    let data = state.data();
    let items = data
        .spend
        .expenses
        .values()
        .filter(|e| from.is_none_or(|from| e.at >= from) && to.is_none_or(|to| e.at < to))
        .filter_map(|e| {
            let user = data.user(&e.user_id).ok()?;
            let mut item = serde_json::to_value(e).ok()?;
            item["submitter"] = json!({"id": user.id, "email": user.email,
                "first_name": user.first_name, "last_name": user.last_name});
            Some((e.id.clone(), item))
        });
    let page = keyed_page(
        items,
        query.after.as_deref().filter(|a| !a.is_empty()),
        limit,
    );
    drop(data);
    Ok(page_json("expenses", page))
}
