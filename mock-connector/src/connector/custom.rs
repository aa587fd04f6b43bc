//! The mock connector's custom capability (protocol 4): `get_tenant`, the tenant the
//! credential belongs to, as the app tells it (`GET /api/me`).

use connector_sdk::capability::Connector;
use connector_sdk::integration::CustomCapability;
use connector_sdk::{ConnectorError, Context};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::MockConnector;
use crate::client::Api;

/// `get_tenant`'s request: no fields.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetTenant {}

/// `get_tenant`'s answer.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Tenant {
    /// The app's id of the tenant the credential belongs to.
    pub tenant_id: String,
}

/// The handler of `get_tenant`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TenantOfCredential;

impl CustomCapability<MockConnector> for TenantOfCredential {
    type Request = GetTenant;
    type Response = Tenant;
    const DESCRIPTION: Option<&'static str> = Some("The tenant the credential belongs to");

    async fn run(
        &self,
        _connector: &MockConnector,
        ctx: &Context<<MockConnector as Connector>::Settings>,
        _request: GetTenant,
    ) -> Result<Tenant, ConnectorError> {
        Api::new(ctx)?.get("/api/me", &[]).await
    }
}
