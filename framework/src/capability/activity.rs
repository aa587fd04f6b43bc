//! Capabilities of protocol 4 about activity and spend: how fresh the data is, activity records, expenses.

use std::future::Future;

use super::Connector;
use super::Listing;
use crate::wire;
use crate::{ConnectorError, Context};

/// Report how fresh the app's data is (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::get_data_recency`](crate::IntegrationBuilder::get_data_recency).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `get_data_recency` capability",
    label = "`get_data_recency` is registered here",
    note = "implement `connector_sdk::capability::GetDataRecency` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait GetDataRecency: Connector {
    /// What this connector's `get_data_recency` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `get_data_recency` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `get_data_recency`.
    fn get_data_recency(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::GetDataRecency,
    ) -> impl Future<Output = Result<wire::DataRecency, ConnectorError>> + Send;
}

/// List activity records, one page at a time (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_activity_records`](crate::IntegrationBuilder::list_activity_records).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_activity_records` capability",
    label = "`list_activity_records` is registered here",
    note = "implement `connector_sdk::capability::ListActivityRecords` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListActivityRecords: Connector {
    /// What this connector's `list_activity_records` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_activity_records` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_activity_records`.
    fn list_activity_records(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListActivityRecords,
    ) -> impl Future<Output = Result<Listing<wire::ActivityRecord>, ConnectorError>> + Send;
}

/// List expenses, one page at a time (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_expenses`](crate::IntegrationBuilder::list_expenses).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_expenses` capability",
    label = "`list_expenses` is registered here",
    note = "implement `connector_sdk::capability::ListExpenses` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListExpenses: Connector {
    /// What this connector's `list_expenses` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_expenses` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_expenses`.
    fn list_expenses(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListExpenses,
    ) -> impl Future<Output = Result<Listing<wire::Expense>, ConnectorError>> + Send;
}
