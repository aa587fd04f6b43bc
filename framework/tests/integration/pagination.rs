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

/// A connector whose listings never end: `list_accounts` cycles through three tokens,
/// `list_entitlements` sends empty pages with a new token every time.
struct Endless;

impl Connector for Endless {
    type Settings = EmptySettings;
}

impl ListAccounts for Endless {
    async fn list_accounts(
        &self,
        ctx: &Context<EmptySettings>,
        _request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        let n: u32 = ctx.page_token().map_or(Ok(0), str::parse)?;
        let item = wire::FoundAccountData::new(format!("u{n}"));
        Ok(Listing::new(vec![item], Some(((n + 1) % 3).to_string())))
    }
}

impl ListEntitlements for Endless {
    async fn list_entitlements(
        &self,
        ctx: &Context<EmptySettings>,
        _request: wire::ListEntitlements,
    ) -> Result<Listing<wire::FoundEntitlementData>, ConnectorError> {
        let n: u64 = ctx.page_token().map_or(Ok(0), str::parse)?;
        Ok(Listing::new(vec![], Some((n + 1).to_string())))
    }
}

#[test]
fn the_page_stream_stops_listings_that_cycle_or_stay_empty_forever() {
    let integration = Integration::builder(Endless, "endless", "1")
        .auth(AuthKind::Token)
        .list_accounts()
        .list_entitlements()
        .build();
    let request = json!({"auth": {"token": {"token": "t"}}, "request": {}});
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for (capability, expected_pages, why) in [
        (wire::CapabilityName::ListAccounts, 4, "handed out before"),
        (
            wire::CapabilityName::ListEntitlements,
            connector_sdk::pagination::MAX_EMPTY_PAGES as usize + 1,
            "empty pages",
        ),
    ] {
        let pages: Vec<_> = runtime.block_on(
            integration
                .pages(capability, request.clone())
                .take(100)
                .collect(),
        );
        assert_eq!(pages.len(), expected_pages + 1, "{capability}");
        assert!(pages[..expected_pages].iter().all(Result::is_ok));
        let error = pages[expected_pages].as_ref().unwrap_err();
        assert_eq!(error.error.error_code, wire::ErrorCode::InternalError);
        assert!(error.error.message.contains(why), "{}", error.error.message);
    }
}

/// Pages through 0..7 with a typed cursor (the next offset).
struct Cursored;

impl Connector for Cursored {
    type Settings = EmptySettings;
}

impl ListAccounts for Cursored {
    async fn list_accounts(
        &self,
        ctx: &Context<EmptySettings>,
        _request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct After {
            offset: u32,
        }
        let start = ctx.cursor::<After>()?.map_or(0, |after| after.offset);
        let end = (start + 3).min(7);
        let items = (start..end)
            .map(|i| wire::FoundAccountData::new(format!("u{i}")))
            .collect();
        Ok(Listing::with_cursor(
            items,
            (end < 7).then_some(After { offset: end }),
        ))
    }
}

impl ListResources for Cursored {
    async fn list_resources(
        &self,
        ctx: &Context<EmptySettings>,
        _request: wire::ListResources,
    ) -> Result<Listing<wire::FoundResourceData>, ConnectorError> {
        let _: Option<u32> = ctx.cursor()?;
        Ok(Listing::last(vec![]))
    }
}

#[test]
fn typed_cursors_page_through_and_stay_bound_to_their_capability() {
    let integration = Integration::builder(Cursored, "cursored", "1")
        .auth(AuthKind::Token)
        .list_accounts()
        .list_resources()
        .build();
    let request = json!({"auth": {"token": {"token": "t"}}, "request": {}});
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let pages: Vec<_> = runtime.block_on(
        integration
            .pages(wire::CapabilityName::ListAccounts, request.clone())
            .collect(),
    );
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.unwrap())
        .map(|item| item["integration_specific_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["u0", "u1", "u2", "u3", "u4", "u5", "u6"]);
    // The token of list_accounts given to list_resources is refused.
    let first = runtime.block_on(integration.dispatch("list_accounts", &request.to_string()));
    let token = first.to_value()["page"]["token"].clone();
    let mut foreign = request;
    foreign["page"] = json!({"token": token});
    let envelope = runtime
        .block_on(integration.dispatch("list_resources", &foreign.to_string()))
        .to_value();
    assert_eq!(
        envelope["error"]["error_code"], "invalid_page_token",
        "{envelope}"
    );
}
