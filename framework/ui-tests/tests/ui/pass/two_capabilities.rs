//! A minimal connector registering two capabilities compiles.

use connector_sdk::prelude::*;
use connector_sdk::{AuthKind, ConnectorError, Context, EmptySettings, Integration, Listing, wire};

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

impl ListAccounts for Demo {
    async fn list_accounts(
        &self,
        _ctx: &Context<EmptySettings>,
        _request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        Ok(Listing::last(vec![wire::FoundAccountData::new("u-1")]))
    }
}

fn main() {
    let integration = Integration::builder(Demo, "demo", "1.0.0")
        .auth(AuthKind::Token)
        .validate_credentials()
        .list_accounts()
        .build();
    assert_eq!(
        integration.capabilities(),
        vec![
            wire::CapabilityName::ListAccounts,
            wire::CapabilityName::ValidateCredentials,
        ]
    );
}
