//! Capabilities of protocol 4 for offboarding: move an account's data, free what it holds, downgrade its license.

use std::future::Future;

use super::Connector;
use crate::wire;
use crate::{ConnectorError, Context};

/// Move an account's data to another account (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::transfer_data`](crate::IntegrationBuilder::transfer_data).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `transfer_data` capability",
    label = "`transfer_data` is registered here",
    note = "implement `connector_sdk::capability::TransferData` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait TransferData: Connector {
    /// What this connector's `transfer_data` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `transfer_data` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `transfer_data`.
    fn transfer_data(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::TransferData,
    ) -> impl Future<Output = Result<wire::TransferDataStatus, ConnectorError>> + Send;
}

/// Free what an account holds (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::release_resources`](crate::IntegrationBuilder::release_resources).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `release_resources` capability",
    label = "`release_resources` is registered here",
    note = "implement `connector_sdk::capability::ReleaseResources` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ReleaseResources: Connector {
    /// What this connector's `release_resources` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `release_resources` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `release_resources`.
    fn release_resources(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ReleaseResources,
    ) -> impl Future<Output = Result<wire::ReleaseResourcesStatus, ConnectorError>> + Send;
}

/// Move an account to a cheaper license (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::downgrade_license`](crate::IntegrationBuilder::downgrade_license).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `downgrade_license` capability",
    label = "`downgrade_license` is registered here",
    note = "implement `connector_sdk::capability::DowngradeLicense` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait DowngradeLicense: Connector {
    /// What this connector's `downgrade_license` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `downgrade_license` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `downgrade_license`.
    fn downgrade_license(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::DowngradeLicense,
    ) -> impl Future<Output = Result<wire::DowngradedLicense, ConnectorError>> + Send;
}
