//! The mock connector's capabilities.

use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, wire};

use crate::MockSettings;

/// The mock connector.
#[derive(Debug, Clone, Copy, Default)]
pub struct MockConnector;

impl Connector for MockConnector {
    type Settings = MockSettings;
}

impl ValidateCredentials for MockConnector {
    async fn validate_credentials(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ValidateCredentials,
    ) -> Result<wire::ValidatedCredentials, ConnectorError> {
        let basic = ctx.basic()?;
        if basic.username.is_empty() || basic.password.is_empty() {
            return Err(ConnectorError::unauthorized(
                "Invalid credentials: the username and the password must not be empty",
            ));
        }
        Ok(wire::ValidatedCredentials {
            valid: true,
            unique_tenant_id: "mock-connector-tenant-id".to_owned(),
        })
    }
}
