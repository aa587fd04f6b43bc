//! The app's HTTP API, as the connector sees it.
//!
//! PLACEHOLDER: this file describes an imaginary REST API so that the connector works, and its
//! tests pass, from the first `cargo test`:
//!
//! | Call | Answer |
//! |---|---|
//! | `GET /me` | `{"tenant_id": "…"}` |
//! | `GET /users?limit=&cursor=` | `{"items": [User], "next_cursor": "…" or null}` |
//! | `GET /groups?limit=&cursor=` | `{"items": [Group], "next_cursor": …}` |
//! | `GET /memberships?limit=&cursor=` | `{"items": [Membership], "next_cursor": …}` |
//! | `GET /users/{id}/last-activity` | `{"last_login_at": "2024-05-01T10:00:00Z" or null}` |
//! | `POST /users` `{NewUser}` | `User` |
//! | `DELETE /users/{id}` | any 2xx |
//! | `POST /users/{id}/activate`, `/deactivate` | `User` |
//! | `POST /groups/{id}/members` `{"user_id": …}` | any 2xx |
//! | `DELETE /groups/{id}/members/{user_id}` | any 2xx |
//!
//! Replace the paths and JSON shapes with the real app's, then the case tables in
//! `tests/integration/` that describe them.

use connector_sdk::http::{ApiPath, HttpClient};
use connector_sdk::pagination::PageWalk;
use connector_sdk::{ConnectorError, Context};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::DemoConnectorSettings;

/// The credential's owner (`GET /me`).
#[derive(Debug, Deserialize)]
pub(crate) struct Me {
    /// An id shared by every credential of the same tenant (organization, workspace…).
    pub(crate) tenant_id: String,
}

/// A user of the app.
#[derive(Debug, Deserialize)]
pub(crate) struct User {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) email: Option<String>,
    #[serde(default)]
    pub(crate) first_name: Option<String>,
    #[serde(default)]
    pub(crate) last_name: Option<String>,
    #[serde(default)]
    pub(crate) username: Option<String>,
    /// `active`, `suspended`, `deactivated`, `invited`…
    #[serde(default)]
    pub(crate) status: Option<String>,
}

/// A group of users: a resource, whose membership is an entitlement.
#[derive(Debug, Deserialize)]
pub(crate) struct Group {
    pub(crate) id: String,
    pub(crate) name: String,
}

/// A user's membership of a group.
#[derive(Debug, Deserialize)]
pub(crate) struct Membership {
    pub(crate) user_id: String,
    pub(crate) group_id: String,
}

/// When a user was last seen.
#[derive(Debug, Deserialize)]
pub(crate) struct LastActivity {
    #[serde(default)]
    pub(crate) last_login_at: Option<String>,
}

/// One page of a listing, and the cursor of the next one.
#[derive(Debug, Deserialize)]
pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    #[serde(default)]
    pub(crate) next_cursor: Option<String>,
}

/// The fields of a new user (`POST /users`).
#[derive(Debug, Serialize)]
pub(crate) struct NewUser<'a> {
    pub(crate) email: Option<&'a str>,
    pub(crate) username: Option<&'a str>,
    pub(crate) first_name: Option<&'a str>,
    pub(crate) last_name: Option<&'a str>,
}

/// A client of the app for one request: its base URL and credential.
#[derive(Debug)]
pub(crate) struct Client {
    http: HttpClient,
}

impl Client {
    /// A client for the app at `settings.base_url`, sending the request's credential
    /// (`Authorization: Bearer <token>`).
    pub(crate) fn new(ctx: &Context<DemoConnectorSettings>) -> Result<Self, ConnectorError> {
        // PLACEHOLDER: if the app wants its token elsewhere, say so (in any order), e.g.
        // `.token_header(Header::from_static("x-api-key"), "")`.
        let http = HttpClient::for_request(ctx, ctx.settings().base_url()).build()?;
        Ok(Self { http })
    }

    /// `GET /me`.
    pub(crate) async fn me(&self) -> Result<Me, ConnectorError> {
        self.http.get_json("/me", &[]).await
    }

    /// One page of `GET /users`.
    pub(crate) async fn users(
        &self,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<User>, ConnectorError> {
        self.page("/users", limit, cursor).await
    }

    /// One page of `GET /groups`.
    pub(crate) async fn groups(
        &self,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<Group>, ConnectorError> {
        self.page("/groups", limit, cursor).await
    }

    /// One page of `GET /memberships`.
    pub(crate) async fn memberships(
        &self,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<Membership>, ConnectorError> {
        self.page("/memberships", limit, cursor).await
    }

    /// One page of a listing. The app must make progress: a page with more items than asked
    /// for, or the cursor it was given handed back, is an `invalid_response` error.
    async fn page<T: DeserializeOwned>(
        &self,
        route: &str,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<T>, ConnectorError> {
        let limit_text = limit.to_string();
        let mut query = vec![("limit", limit_text.as_str())];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        let page: Page<T> = self.http.get_json(route, &query).await?;
        let mut walk = PageWalk::new(format!("GET {route}"));
        walk.cursor(cursor)?;
        walk.step(
            limit as usize,
            page.items.len(),
            page.next_cursor.as_deref(),
        )?;
        Ok(page)
    }

    /// `GET /users/{id}/last-activity`.
    pub(crate) async fn last_activity(
        &self,
        user_id: &str,
    ) -> Result<LastActivity, ConnectorError> {
        let path = ApiPath::new("/users")
            .id("account id", user_id)
            .segment("last-activity");
        self.http.get_json(path, &[]).await
    }

    /// `POST /users`.
    pub(crate) async fn create_user(&self, user: &NewUser<'_>) -> Result<User, ConnectorError> {
        self.http.post("/users").json_body(user).json().await
    }

    /// `DELETE /users/{id}`.
    pub(crate) async fn delete_user(&self, user_id: &str) -> Result<(), ConnectorError> {
        let path = ApiPath::new("/users").id("request.account_id", user_id);
        self.http.delete(path).send().await?;
        Ok(())
    }

    /// `POST /users/{id}/activate` or `/deactivate`.
    pub(crate) async fn set_active(
        &self,
        user_id: &str,
        active: bool,
    ) -> Result<User, ConnectorError> {
        let action = if active { "activate" } else { "deactivate" };
        let path = ApiPath::new("/users")
            .id("request.account_id", user_id)
            .segment(action);
        self.http.post(path).json().await
    }

    /// `POST /groups/{id}/members`.
    pub(crate) async fn add_member(
        &self,
        group_id: &str,
        user_id: &str,
    ) -> Result<(), ConnectorError> {
        let path = ApiPath::new("/groups")
            .id("request.resource_integration_specific_id", group_id)
            .segment("members");
        let body = serde_json::json!({ "user_id": user_id });
        self.http.post(path).json_body(&body).send().await?;
        Ok(())
    }

    /// `DELETE /groups/{id}/members/{user_id}`.
    pub(crate) async fn remove_member(
        &self,
        group_id: &str,
        user_id: &str,
    ) -> Result<(), ConnectorError> {
        let path = ApiPath::new("/groups")
            .id("request.resource_integration_specific_id", group_id)
            .segment("members")
            .id("request.account_integration_specific_id", user_id);
        self.http.delete(path).send().await?;
        Ok(())
    }
}
