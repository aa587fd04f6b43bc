//! Capabilities of protocol 4 about single accounts: read one, change one, list what changed, list one account's entitlements.

use std::future::Future;

use super::Connector;
use super::Listing;
use crate::wire;
use crate::{ConnectorError, Context};

/// Read one account (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::get_account`](crate::IntegrationBuilder::get_account).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `get_account` capability",
    label = "`get_account` is registered here",
    note = "implement `connector_sdk::capability::GetAccount` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait GetAccount: Connector {
    /// What this connector's `get_account` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `get_account` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `get_account`.
    fn get_account(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::GetAccount,
    ) -> impl Future<Output = Result<wire::FoundAccountData, ConnectorError>> + Send;
}

/// Change an account's attributes (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::update_account`](crate::IntegrationBuilder::update_account).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `update_account` capability",
    label = "`update_account` is registered here",
    note = "implement `connector_sdk::capability::UpdateAccount` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait UpdateAccount: Connector {
    /// What this connector's `update_account` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `update_account` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `update_account`.
    fn update_account(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::UpdateableAccount,
    ) -> impl Future<Output = Result<wire::UpdateableAccount, ConnectorError>> + Send;
}

/// List the accounts changed since a moment (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_updated_accounts`](crate::IntegrationBuilder::list_updated_accounts).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_updated_accounts` capability",
    label = "`list_updated_accounts` is registered here",
    note = "implement `connector_sdk::capability::ListUpdatedAccounts` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListUpdatedAccounts: Connector {
    /// What this connector's `list_updated_accounts` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_updated_accounts` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_updated_accounts`.
    fn list_updated_accounts(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListUpdatedAccounts,
    ) -> impl Future<Output = Result<wire::UpdatedAccounts, ConnectorError>> + Send;
}

/// List one account's entitlements (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::get_account_entitlement_associations`](crate::IntegrationBuilder::get_account_entitlement_associations).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `get_account_entitlement_associations` capability",
    label = "`get_account_entitlement_associations` is registered here",
    note = "implement `connector_sdk::capability::GetAccountEntitlementAssociations` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait GetAccountEntitlementAssociations: Connector {
    /// What this connector's `get_account_entitlement_associations` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `get_account_entitlement_associations` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `get_account_entitlement_associations`.
    fn get_account_entitlement_associations(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::GetAccountEntitlementAssociations,
    ) -> impl Future<Output = Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError>> + Send;
}
