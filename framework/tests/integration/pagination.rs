//! Page tokens through dispatch: loops are caught, listings drain.

use connector_sdk::prelude::*;
use connector_sdk::{AuthKind, ConnectorError, Context, EmptySettings, Integration, Listing, wire};
use futures::StreamExt;
use serde_json::json;

struct Looping;

impl Connector for Looping {
    type Settings = EmptySettings;
}

impl ListResources for Looping {
    async fn list_resources(
        &self,
        ctx: &Context<EmptySettings>,
        _request: wire::ListResources,
    ) -> Result<Listing<wire::FoundResourceData>, ConnectorError> {
        // A buggy connector: after the first page it always returns the token it got.
        let next = ctx.page_token().unwrap_or("again").to_owned();
        Ok(Listing::new(vec![], Some(next)))
    }
}

#[test]
fn a_listing_that_returns_its_own_token_fails_instead_of_looping() {
    let integration = Integration::builder(Looping, "loop", "1")
        .auth(AuthKind::Token)
        .list_resources()
        .build();
    let request = json!({"auth": {"token": {"token": "t"}}, "request": {}});
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let pages: Vec<_> = runtime.block_on(
        integration
            .pages(wire::CapabilityName::ListResources, request)
            .take(10)
            .collect(),
    );
    assert_eq!(pages.len(), 2, "one page, then the loop is caught");
    let error = pages[1].as_ref().unwrap_err();
    assert_eq!(error.error.error_code, wire::ErrorCode::InternalError);
    assert!(
        error.error.message.contains("paging forever"),
        "{}",
        error.error.message
    );
}
