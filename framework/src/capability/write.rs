//! Capabilities that change the app.

use std::future::Future;

use super::Connector;
use crate::wire;
use crate::{ConnectorError, Context};

/// Creates an account, with its first entitlements.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::create_account`](crate::IntegrationBuilder::create_account).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `create_account` capability",
    label = "`create_account` is registered here",
    note = "implement `connector_sdk::capability::CreateAccount` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait CreateAccount: Connector {
    /// What this connector's `create_account` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `create_account` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `create_account`.
    fn create_account(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::CreateAccount,
    ) -> impl Future<Output = Result<wire::CreatedAccount, ConnectorError>> + Send;
}

/// Deletes an account.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::delete_account`](crate::IntegrationBuilder::delete_account).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `delete_account` capability",
    label = "`delete_account` is registered here",
    note = "implement `connector_sdk::capability::DeleteAccount` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait DeleteAccount: Connector {
    /// What this connector's `delete_account` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `delete_account` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `delete_account`.
    fn delete_account(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::DeleteAccount,
    ) -> impl Future<Output = Result<wire::DeletedAccount, ConnectorError>> + Send;
}

/// Re-enables a disabled account.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::activate_account`](crate::IntegrationBuilder::activate_account).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `activate_account` capability",
    label = "`activate_account` is registered here",
    note = "implement `connector_sdk::capability::ActivateAccount` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ActivateAccount: Connector {
    /// What this connector's `activate_account` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `activate_account` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `activate_account`.
    fn activate_account(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ActivateAccount,
    ) -> impl Future<Output = Result<wire::ActivatedAccount, ConnectorError>> + Send;
}

/// Disables an account without deleting it.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::deactivate_account`](crate::IntegrationBuilder::deactivate_account).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `deactivate_account` capability",
    label = "`deactivate_account` is registered here",
    note = "implement `connector_sdk::capability::DeactivateAccount` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait DeactivateAccount: Connector {
    /// What this connector's `deactivate_account` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `deactivate_account` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `deactivate_account`.
    fn deactivate_account(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::DeactivateAccount,
    ) -> impl Future<Output = Result<wire::DeactivatedAccount, ConnectorError>> + Send;
}

/// Grants an entitlement to an account.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::assign_entitlement`](crate::IntegrationBuilder::assign_entitlement).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `assign_entitlement` capability",
    label = "`assign_entitlement` is registered here",
    note = "implement `connector_sdk::capability::AssignEntitlement` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait AssignEntitlement: Connector {
    /// What this connector's `assign_entitlement` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `assign_entitlement` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `assign_entitlement`.
    fn assign_entitlement(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::AssignEntitlement,
    ) -> impl Future<Output = Result<wire::AssignedEntitlement, ConnectorError>> + Send;
}

/// Revokes an entitlement from an account.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::unassign_entitlement`](crate::IntegrationBuilder::unassign_entitlement).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `unassign_entitlement` capability",
    label = "`unassign_entitlement` is registered here",
    note = "implement `connector_sdk::capability::UnassignEntitlement` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait UnassignEntitlement: Connector {
    /// What this connector's `unassign_entitlement` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `unassign_entitlement` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `unassign_entitlement`.
    fn unassign_entitlement(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::UnassignEntitlement,
    ) -> impl Future<Output = Result<wire::UnassignedEntitlement, ConnectorError>> + Send;
}
