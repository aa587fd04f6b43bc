//! `list_accounts` implemented with the request type of another capability.

use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, EmptySettings, Integration, Listing, wire};

struct Demo;

impl Connector for Demo {
    type Settings = EmptySettings;
}

impl ListAccounts for Demo {
    async fn list_accounts(
        &self,
        _ctx: &Context<EmptySettings>,
        _request: wire::ListResources,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        Ok(Listing::last(vec![]))
    }
}

fn main() {
    let _integration = Integration::builder(Demo, "demo", "1.0.0")
        .list_accounts()
        .build();
}
