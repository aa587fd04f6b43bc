//! Payloads about spending: `list_expenses` and what an expense holds (protocol 4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::macros::wire_enum;

/// The request of `list_expenses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListExpenses {
    /// Which expenses to list.
    pub filters: ExpenseFilters,
}

/// One expense recorded in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Expense {
    /// The app's own id.
    pub id: String,
    /// The expense report it belongs to.
    #[serde(default)]
    pub report_id: Option<String>,
    /// When the transaction happened.
    pub transaction_date: String,
    /// When it was paid.
    #[serde(default)]
    pub payment_date: Option<String>,
    /// The whole amount.
    pub total_amount: Amount,
    /// How much was paid.
    #[serde(default)]
    pub paid_amount: Option<Amount>,
    /// Who sold it.
    pub seller: Vendor,
    /// Free-text description.
    pub description: String,
    /// Who submitted it.
    pub submitter: SpendUser,
    /// Kind, in the app's words.
    #[serde(rename = "type")]
    pub r#type: ExpenseType,
    /// Where its approval stands.
    pub approval_status: ExpenseApprovalStatus,
    /// Where its payment stands.
    pub payment_status: ExpensePaymentStatus,
    /// Address.
    #[serde(default)]
    pub url: Option<String>,
    /// Other attributes of the expense.
    #[serde(default)]
    pub attributes: Option<Map<String, Value>>,
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Map<String, Value>>,
}

/// Which expenses to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExpenseFilters {
    /// When the transaction happened.
    #[serde(default)]
    pub transaction_date: Option<TimeRange>,
}

/// A sum of money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Amount {
    /// The amount.
    pub amount: String,
    /// Currency code.
    pub currency: String,
}

/// Where an expense's approval stands, in the app's and the protocol's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExpenseApprovalStatus {
    /// The app's own id.
    #[serde(default)]
    pub id: Option<String>,
    /// The value as the app shows it.
    #[serde(default)]
    pub display_value: Option<String>,
    /// The value.
    #[serde(default)]
    pub value: Option<String>,
    /// The value in the protocol's terms.
    pub normalized_value: NormalizedExpenseApprovalStatus,
}

/// Where an expense's payment stands, in the app's and the protocol's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExpensePaymentStatus {
    /// The app's own id.
    #[serde(default)]
    pub id: Option<String>,
    /// The value as the app shows it.
    #[serde(default)]
    pub display_value: Option<String>,
    /// The value.
    #[serde(default)]
    pub value: Option<String>,
    /// The value in the protocol's terms.
    pub normalized_value: NormalizedExpensePaymentStatus,
}

wire_enum! {
    /// The kind of an expense.
    pub enum ExpenseType {
        #[doc = "`reimbursement`"]
        Reimbursement = "reimbursement",
        #[doc = "`card_transaction`"]
        CardTransaction = "card_transaction",
    }
}

/// A person who spends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SpendUser {
    /// The app's own id.
    #[serde(default)]
    pub id: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Full name.
    #[serde(default)]
    pub full_name: Option<String>,
    /// First name.
    #[serde(default)]
    pub given_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub family_name: Option<String>,
}

/// Who sold something.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Vendor {
    /// The app's own id.
    #[serde(default)]
    pub id: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A span of time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TimeRange {
    /// Start (RFC 3339).
    #[serde(default)]
    pub start_date: Option<String>,
    /// End (RFC 3339).
    #[serde(default)]
    pub end_date: Option<String>,
}

wire_enum! {
    /// An approval state in the protocol's words.
    pub enum NormalizedExpenseApprovalStatus {
        #[doc = "`pending`"]
        Pending = "pending",
        #[doc = "`approved`"]
        Approved = "approved",
        #[doc = "`rejected`"]
        Rejected = "rejected",
        #[doc = "`canceled`"]
        Canceled = "canceled",
        #[doc = "`unknown`"]
        Unknown = "unknown",
    }
}

wire_enum! {
    /// A payment state in the protocol's words.
    pub enum NormalizedExpensePaymentStatus {
        #[doc = "`paid`"]
        Paid = "paid",
        #[doc = "`unpaid`"]
        Unpaid = "unpaid",
    }
}
