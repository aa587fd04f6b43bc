//! The mock connector's capabilities: accounts (read and lifecycle), groups and the admin role
//! (resources, entitlements, who holds what, assignment), and protocol 4's: applications,
//! non-human identities, the access graph, activity, expenses, offboarding and the tenant's
//! types.
//!
//! The OAuth capabilities come from the SDK's OAuth module (see
//! [`oauth_settings`](crate::oauth_settings)).

mod accounts;
mod activity;
mod applications;
mod connected;
mod custom;
mod entitlements;
mod expenses;
mod graphs;
mod non_human;
mod offboarding;

pub use custom::{GetTenant, Tenant, TenantOfCredential};

use connector_sdk::http::ApiPath;
use connector_sdk::pagination::PageWalk;
use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context};
use serde::de::DeserializeOwned;

use crate::MockSettings;
use crate::client::{Api, Paged};

/// Page size when the request gives none.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The largest page the mock app serves.
pub const MAX_PAGE_SIZE: u32 = 1_000;
/// The most account ids the app reports activity for in one call (and so the largest page
/// of `get_last_activity`).
pub const MAX_ACTIVITY_BATCH: u32 = 100;

/// The resource type of the app's groups.
pub const GROUP: &str = "group";
/// The entitlement type "member of a group" (on a group resource).
pub const GROUP_MEMBER: &str = "member";
/// The entitlement type "holds a role on the app" (on the app itself: no resource).
pub const APP_ROLE: &str = "role";
/// The resource type of an application's workspace (protocol 4).
pub const WORKSPACE: &str = "workspace";
/// The entitlement type "member of an application's workspace" (protocol 4).
pub const WORKSPACE_MEMBER: &str = "workspace_member";
/// The entitlement type "admin of an application's workspace" (protocol 4).
pub const WORKSPACE_ADMIN: &str = "workspace_admin";

/// The mock connector.
#[derive(Debug, Clone, Copy, Default)]
pub struct MockConnector;

impl Connector for MockConnector {
    type Settings = MockSettings;
}

/// The page size of a listing: the request's, within `1..=max`.
fn limit(requested: Option<u32>, max: u32) -> u32 {
    connector_sdk::pagination::page_size(requested, DEFAULT_PAGE_SIZE.min(max), max)
}

/// A `bad_request` for an empty or blank id in the request.
fn require(field: &str, value: &str) -> Result<(), ConnectorError> {
    if value.trim().is_empty() {
        return Err(ConnectorError::bad_request(format!(
            "Invalid request - request.{field} must not be empty"
        )));
    }
    Ok(())
}

/// The page of the app's listing at `path` that the request's page token points at (the first
/// without one), `extra` added to `?limit&after`; the app's cursor of the next page is checked
/// (never one handed out before, never more items than asked for).
async fn page_of<T: DeserializeOwned>(
    ctx: &Context<MockSettings>,
    path: impl Into<ApiPath>,
    extra: &[(&str, &str)],
) -> Result<Paged<T>, ConnectorError> {
    let path = path.into();
    let after = ctx.cursor::<String>()?;
    page_after(
        &Api::new(ctx)?,
        path,
        extra,
        ctx.page_size(),
        after.as_deref(),
    )
    .await
}

/// The page of the app's listing at `path` after the app's cursor `after`.
async fn page_after<T: DeserializeOwned>(
    api: &Api,
    path: ApiPath,
    extra: &[(&str, &str)],
    page_size: Option<u32>,
    after: Option<&str>,
) -> Result<Paged<T>, ConnectorError> {
    let size = limit(page_size, MAX_PAGE_SIZE);
    let size_text = size.to_string();
    let mut query = vec![("limit", size_text.as_str())];
    query.extend_from_slice(extra);
    if let Some(after) = after {
        query.push(("after", after));
    }
    let mut walk = PageWalk::new(format!("GET {}", path.as_str()));
    let page: Paged<T> = api.get(path, &query).await?;
    walk.cursor(after)?;
    walk.step(size as usize, page.items.len(), page.next.as_deref())?;
    Ok(page)
}

/// Every item of the app's listing at `path`, page after page.
async fn all_of<T: DeserializeOwned>(api: &Api, path: &str) -> Result<Vec<T>, ConnectorError> {
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    let mut walk = PageWalk::new(format!("GET {path}"));
    loop {
        let page: Paged<T> = page_after(
            api,
            ApiPath::new(path),
            &[],
            Some(MAX_PAGE_SIZE),
            after.as_deref(),
        )
        .await?;
        walk.cursor(page.next.as_deref())?;
        items.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(items),
        }
    }
}
