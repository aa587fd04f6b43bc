//! Capabilities of protocol 4 about the connection itself: its tenant-specific info, a probe of what it can read, one allow-listed request to the app, one credential's check.

use std::future::Future;

use super::Connector;
use crate::wire;
use crate::{ConnectorError, Context};

/// Describe the connector as connected to this tenant (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::connected_info`](crate::IntegrationBuilder::connected_info).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `connected_info` capability",
    label = "`connected_info` is registered here",
    note = "implement `connector_sdk::capability::ConnectedInfo` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ConnectedInfo: Connector {
    /// What this connector's `connected_info` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `connected_info` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `connected_info`.
    fn connected_info(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::GetConnectedInfo,
    ) -> impl Future<Output = Result<wire::ConnectedTypes, ConnectorError>> + Send;
}

/// Check what the connector can read, with samples (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::probe_integration`](crate::IntegrationBuilder::probe_integration).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `probe_integration` capability",
    label = "`probe_integration` is registered here",
    note = "implement `connector_sdk::capability::ProbeIntegration` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ProbeIntegration: Connector {
    /// What this connector's `probe_integration` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `probe_integration` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `probe_integration`.
    fn probe_integration(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ProbeIntegration,
    ) -> impl Future<Output = Result<wire::ProbeResults, ConnectorError>> + Send;
}

/// Make one allow-listed HTTP request to the app (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::fulfill_arbitrary_endpoint`](crate::IntegrationBuilder::fulfill_arbitrary_endpoint).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `fulfill_arbitrary_endpoint` capability",
    label = "`fulfill_arbitrary_endpoint` is registered here",
    note = "implement `connector_sdk::capability::FulfillArbitraryEndpoint` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait FulfillArbitraryEndpoint: Connector {
    /// What this connector's `fulfill_arbitrary_endpoint` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `fulfill_arbitrary_endpoint` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `fulfill_arbitrary_endpoint`.
    fn fulfill_arbitrary_endpoint(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::FulfillArbitraryEndpoint,
    ) -> impl Future<Output = Result<wire::ArbitraryResponse, ConnectorError>> + Send;
}

/// Check one credential of the connection (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::validate_credential_config`](crate::IntegrationBuilder::validate_credential_config).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `validate_credential_config` capability",
    label = "`validate_credential_config` is registered here",
    note = "implement `connector_sdk::capability::ValidateCredentialConfig` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ValidateCredentialConfig: Connector {
    /// What this connector's `validate_credential_config` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `validate_credential_config` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `validate_credential_config`.
    fn validate_credential_config(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ValidateCredentialConfig,
    ) -> impl Future<Output = Result<wire::ValidatedCredentialConfig, ConnectorError>> + Send;
}
