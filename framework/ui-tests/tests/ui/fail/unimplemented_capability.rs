//! Registering `list_accounts` on a connector that only implements `ValidateCredentials`.

use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, EmptySettings, Integration, wire};

struct Demo;

impl Connector for Demo {
    type Settings = EmptySettings;
}

impl ValidateCredentials for Demo {
    async fn validate_credentials(
        &self,
        _ctx: &Context<EmptySettings>,
        _request: wire::ValidateCredentials,
    ) -> Result<wire::ValidatedCredentials, ConnectorError> {
        Ok(wire::ValidatedCredentials {
            valid: true,
            unique_tenant_id: "t".into(),
        })
    }
}

fn main() {
    let _integration = Integration::builder(Demo, "demo", "1.0.0")
        .validate_credentials()
        .list_accounts()
        .build();
}
