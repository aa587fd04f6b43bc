//! A capability whose future holds an `Rc` across an `.await`: the future is not `Send`.

use std::rc::Rc;

use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, EmptySettings, Integration, Listing, wire};

struct Demo;

impl Connector for Demo {
    type Settings = EmptySettings;
}

async fn fetch_page() {}

impl ListAccounts for Demo {
    async fn list_accounts(
        &self,
        _ctx: &Context<EmptySettings>,
        _request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        let id = Rc::new(String::from("u-1"));
        fetch_page().await;
        Ok(Listing::last(vec![wire::FoundAccountData::new(
            id.as_str(),
        )]))
    }
}

fn main() {
    let _integration = Integration::builder(Demo, "demo", "1.0.0")
        .list_accounts()
        .build();
}
