//! Capabilities of protocol 4 that read the access graph.

use std::future::Future;

use super::Connector;
use super::Listing;
use crate::wire;
use crate::{ConnectorError, Context};

/// Read the resource graph: which resource contains which (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::find_resource_graph`](crate::IntegrationBuilder::find_resource_graph).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `find_resource_graph` capability",
    label = "`find_resource_graph` is registered here",
    note = "implement `connector_sdk::capability::FindResourceGraph` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait FindResourceGraph: Connector {
    /// What this connector's `find_resource_graph` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `find_resource_graph` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `find_resource_graph`.
    fn find_resource_graph(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::FindResourceGraph,
    ) -> impl Future<Output = Result<wire::ResourceGraph, ConnectorError>> + Send;
}

/// Read the entitlement graph: which entitlement implies which (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::find_entitlement_graph`](crate::IntegrationBuilder::find_entitlement_graph).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `find_entitlement_graph` capability",
    label = "`find_entitlement_graph` is registered here",
    note = "implement `connector_sdk::capability::FindEntitlementGraph` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait FindEntitlementGraph: Connector {
    /// What this connector's `find_entitlement_graph` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `find_entitlement_graph` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `find_entitlement_graph`.
    fn find_entitlement_graph(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::FindEntitlementGraph,
    ) -> impl Future<Output = Result<wire::EntitlementGraph, ConnectorError>> + Send;
}

/// List which resource holds which entitlement in the access graph (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::find_entitlement_assignments`](crate::IntegrationBuilder::find_entitlement_assignments).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `find_entitlement_assignments` capability",
    label = "`find_entitlement_assignments` is registered here",
    note = "implement `connector_sdk::capability::FindEntitlementAssignments` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait FindEntitlementAssignments: Connector {
    /// What this connector's `find_entitlement_assignments` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `find_entitlement_assignments` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `find_entitlement_assignments`.
    fn find_entitlement_assignments(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::FindEntitlementAssignments,
    ) -> impl Future<
        Output = Result<Listing<wire::AccessGraphEntitlementAssignment>, ConnectorError>,
    > + Send;
}
