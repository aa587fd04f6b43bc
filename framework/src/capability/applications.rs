//! Capabilities of protocol 4 about applications: the apps an identity provider knows, who is assigned to them, what they hold inside.

use std::future::Future;

use super::Connector;
use super::Listing;
use crate::wire;
use crate::{ConnectorError, Context};

/// List applications, one page at a time (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_applications`](crate::IntegrationBuilder::list_applications).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_applications` capability",
    label = "`list_applications` is registered here",
    note = "implement `connector_sdk::capability::ListApplications` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListApplications: Connector {
    /// What this connector's `list_applications` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_applications` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_applications`.
    fn list_applications(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListApplications,
    ) -> impl Future<Output = Result<Listing<wire::Application>, ConnectorError>> + Send;
}

/// Read one application (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::get_application`](crate::IntegrationBuilder::get_application).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `get_application` capability",
    label = "`get_application` is registered here",
    note = "implement `connector_sdk::capability::GetApplication` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait GetApplication: Connector {
    /// What this connector's `get_application` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `get_application` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `get_application`.
    fn get_application(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::GetApplication,
    ) -> impl Future<Output = Result<wire::Application, ConnectorError>> + Send;
}

/// List who is assigned to which application (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_applications_accounts`](crate::IntegrationBuilder::list_applications_accounts).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_applications_accounts` capability",
    label = "`list_applications_accounts` is registered here",
    note = "implement `connector_sdk::capability::ListApplicationsAccounts` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListApplicationsAccounts: Connector {
    /// What this connector's `list_applications_accounts` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_applications_accounts` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_applications_accounts`.
    fn list_applications_accounts(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListApplicationsAccounts,
    ) -> impl Future<Output = Result<Listing<wire::ApplicationAccount>, ConnectorError>> + Send;
}

/// Read one account's assignment to an application (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::get_application_account`](crate::IntegrationBuilder::get_application_account).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `get_application_account` capability",
    label = "`get_application_account` is registered here",
    note = "implement `connector_sdk::capability::GetApplicationAccount` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait GetApplicationAccount: Connector {
    /// What this connector's `get_application_account` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `get_application_account` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `get_application_account`.
    fn get_application_account(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::GetApplicationAccount,
    ) -> impl Future<Output = Result<wire::ApplicationAccount, ConnectorError>> + Send;
}

/// Assign an application to an account (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::assign_application`](crate::IntegrationBuilder::assign_application).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `assign_application` capability",
    label = "`assign_application` is registered here",
    note = "implement `connector_sdk::capability::AssignApplication` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait AssignApplication: Connector {
    /// What this connector's `assign_application` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `assign_application` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `assign_application`.
    fn assign_application(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::AssignApplication,
    ) -> impl Future<Output = Result<wire::AssignedApplication, ConnectorError>> + Send;
}

/// Remove an account from an application (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::unassign_application`](crate::IntegrationBuilder::unassign_application).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `unassign_application` capability",
    label = "`unassign_application` is registered here",
    note = "implement `connector_sdk::capability::UnassignApplication` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait UnassignApplication: Connector {
    /// What this connector's `unassign_application` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `unassign_application` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `unassign_application`.
    fn unassign_application(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::UnassignApplication,
    ) -> impl Future<Output = Result<wire::UnassignedApplication, ConnectorError>> + Send;
}

/// List resources inside applications (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_applications_resources`](crate::IntegrationBuilder::list_applications_resources).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_applications_resources` capability",
    label = "`list_applications_resources` is registered here",
    note = "implement `connector_sdk::capability::ListApplicationsResources` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListApplicationsResources: Connector {
    /// What this connector's `list_applications_resources` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_applications_resources` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_applications_resources`.
    fn list_applications_resources(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListApplicationsResources,
    ) -> impl Future<Output = Result<Listing<wire::ApplicationResourceData>, ConnectorError>> + Send;
}

/// List entitlements inside applications (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_applications_entitlements`](crate::IntegrationBuilder::list_applications_entitlements).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_applications_entitlements` capability",
    label = "`list_applications_entitlements` is registered here",
    note = "implement `connector_sdk::capability::ListApplicationsEntitlements` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListApplicationsEntitlements: Connector {
    /// What this connector's `list_applications_entitlements` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_applications_entitlements` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_applications_entitlements`.
    fn list_applications_entitlements(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListApplicationsEntitlements,
    ) -> impl Future<Output = Result<Listing<wire::ApplicationEntitlementData>, ConnectorError>> + Send;
}

/// List who holds which entitlement inside applications (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_applications_entitlement_associations`](crate::IntegrationBuilder::list_applications_entitlement_associations).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_applications_entitlement_associations` capability",
    label = "`list_applications_entitlement_associations` is registered here",
    note = "implement `connector_sdk::capability::ListApplicationsEntitlementAssociations` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListApplicationsEntitlementAssociations: Connector {
    /// What this connector's `list_applications_entitlement_associations` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_applications_entitlement_associations` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_applications_entitlement_associations`.
    fn list_applications_entitlement_associations(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListApplicationsEntitlementAssociations,
    ) -> impl Future<
        Output = Result<Listing<wire::ApplicationEntitlementAssociation>, ConnectorError>,
    > + Send;
}

/// List activity records of applications (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_applications_activity_records`](crate::IntegrationBuilder::list_applications_activity_records).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_applications_activity_records` capability",
    label = "`list_applications_activity_records` is registered here",
    note = "implement `connector_sdk::capability::ListApplicationsActivityRecords` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListApplicationsActivityRecords: Connector {
    /// What this connector's `list_applications_activity_records` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_applications_activity_records` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_applications_activity_records`.
    fn list_applications_activity_records(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListApplicationsActivityRecords,
    ) -> impl Future<Output = Result<Listing<wire::ApplicationActivityRecord>, ConnectorError>> + Send;
}

/// Grant an entitlement inside an application (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::assign_application_entitlement`](crate::IntegrationBuilder::assign_application_entitlement).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `assign_application_entitlement` capability",
    label = "`assign_application_entitlement` is registered here",
    note = "implement `connector_sdk::capability::AssignApplicationEntitlement` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait AssignApplicationEntitlement: Connector {
    /// What this connector's `assign_application_entitlement` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `assign_application_entitlement` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `assign_application_entitlement`.
    fn assign_application_entitlement(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::AssignApplicationEntitlement,
    ) -> impl Future<Output = Result<wire::AssignedApplicationEntitlement, ConnectorError>> + Send;
}

/// Revoke an entitlement inside an application (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::unassign_application_entitlement`](crate::IntegrationBuilder::unassign_application_entitlement).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `unassign_application_entitlement` capability",
    label = "`unassign_application_entitlement` is registered here",
    note = "implement `connector_sdk::capability::UnassignApplicationEntitlement` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait UnassignApplicationEntitlement: Connector {
    /// What this connector's `unassign_application_entitlement` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `unassign_application_entitlement` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `unassign_application_entitlement`.
    fn unassign_application_entitlement(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::UnassignApplicationEntitlement,
    ) -> impl Future<Output = Result<wire::UnassignedApplicationEntitlement, ConnectorError>> + Send;
}
