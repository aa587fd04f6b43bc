//! Capabilities that read from the app.

use std::future::Future;

use super::Connector;
use super::Listing;
use crate::wire;
use crate::{ConnectorError, Context};

/// Checks that the request's credential works against the app, and names the tenant it belongs to.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::validate_credentials`](crate::IntegrationBuilder::validate_credentials).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `validate_credentials` capability",
    label = "`validate_credentials` is registered here",
    note = "implement `connector_sdk::capability::ValidateCredentials` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ValidateCredentials: Connector {
    /// What this connector's `validate_credentials` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `validate_credentials` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `validate_credentials`.
    fn validate_credentials(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ValidateCredentials,
    ) -> impl Future<Output = Result<wire::ValidatedCredentials, ConnectorError>> + Send;
}

/// Lists the app's accounts, one page at a time.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_accounts`](crate::IntegrationBuilder::list_accounts).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_accounts` capability",
    label = "`list_accounts` is registered here",
    note = "implement `connector_sdk::capability::ListAccounts` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListAccounts: Connector {
    /// What this connector's `list_accounts` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `list_accounts` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_accounts`.
    fn list_accounts(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListAccounts,
    ) -> impl Future<Output = Result<Listing<wire::FoundAccountData>, ConnectorError>> + Send;
}

/// Lists the app's resources (workspaces, repositories, groups…), one page at a time.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_resources`](crate::IntegrationBuilder::list_resources).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_resources` capability",
    label = "`list_resources` is registered here",
    note = "implement `connector_sdk::capability::ListResources` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListResources: Connector {
    /// What this connector's `list_resources` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `list_resources` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_resources`.
    fn list_resources(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListResources,
    ) -> impl Future<Output = Result<Listing<wire::FoundResourceData>, ConnectorError>> + Send;
}

/// Lists the entitlements (roles, memberships, licences) accounts can hold, one page at a time.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_entitlements`](crate::IntegrationBuilder::list_entitlements).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_entitlements` capability",
    label = "`list_entitlements` is registered here",
    note = "implement `connector_sdk::capability::ListEntitlements` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListEntitlements: Connector {
    /// What this connector's `list_entitlements` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `list_entitlements` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_entitlements`.
    fn list_entitlements(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListEntitlements,
    ) -> impl Future<Output = Result<Listing<wire::FoundEntitlementData>, ConnectorError>> + Send;
}

/// Lists which account holds which entitlement, one page at a time.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::find_entitlement_associations`](crate::IntegrationBuilder::find_entitlement_associations).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `find_entitlement_associations` capability",
    label = "`find_entitlement_associations` is registered here",
    note = "implement `connector_sdk::capability::FindEntitlementAssociations` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait FindEntitlementAssociations: Connector {
    /// What this connector's `find_entitlement_associations` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `find_entitlement_associations` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `find_entitlement_associations`.
    fn find_entitlement_associations(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::FindEntitlementAssociations,
    ) -> impl Future<Output = Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError>> + Send;
}

/// Reports when the given accounts were last active.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::get_last_activity`](crate::IntegrationBuilder::get_last_activity).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `get_last_activity` capability",
    label = "`get_last_activity` is registered here",
    note = "implement `connector_sdk::capability::GetLastActivity` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait GetLastActivity: Connector {
    /// What this connector's `get_last_activity` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `get_last_activity` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `get_last_activity`.
    fn get_last_activity(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::GetLastActivity,
    ) -> impl Future<Output = Result<Listing<wire::LastActivityData>, ConnectorError>> + Send;
}

/// Declares the custom attributes the app's accounts carry.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_custom_attributes_schema`](crate::IntegrationBuilder::list_custom_attributes_schema).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_custom_attributes_schema` capability",
    label = "`list_custom_attributes_schema` is registered here",
    note = "implement `connector_sdk::capability::ListCustomAttributesSchema` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListCustomAttributesSchema: Connector {
    /// What this connector's `list_custom_attributes_schema` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `list_custom_attributes_schema` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_custom_attributes_schema`.
    fn list_custom_attributes_schema(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListCustomAttributesSchema,
    ) -> impl Future<Output = Result<Listing<wire::CustomAttributeSchema>, ConnectorError>> + Send;
}
