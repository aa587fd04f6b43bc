//! The mock app's HTTP API, as the connector sees it.

use connector_sdk::http::{ApiPath, Header, HttpClient, RateLimit, RetryPolicy};
use connector_sdk::{ConnectorError, Context};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::MockSettings;

/// A user as the mock app returns it.
#[derive(Debug, Deserialize)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) email: Option<String>,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) status: Option<String>,
    #[serde(default)]
    pub(crate) department: Option<String>,
    #[serde(default)]
    pub(crate) manager: Option<String>,
}

/// `{"user": …, "changed": …}`: the answer of `PATCH /api/users/{id}` (`changed` names the
/// attributes that changed) and of the offboarding actions (`changed` says whether anything did).
#[derive(Debug, Deserialize)]
pub(crate) struct UserChange<C> {
    pub(crate) user: User,
    pub(crate) changed: C,
}

/// One page of a protocol 4 listing of the app: `{"<items>": [...], "next": cursor|null}`.
#[derive(Debug, Deserialize)]
pub(crate) struct Paged<T> {
    #[serde(
        alias = "users",
        alias = "memberships",
        alias = "records",
        alias = "apps",
        alias = "assignments",
        alias = "resources",
        alias = "entitlements",
        alias = "grants",
        alias = "service_accounts",
        alias = "credentials",
        alias = "expenses",
        alias = "groups"
    )]
    pub(crate) items: Vec<T>,
    pub(crate) next: Option<String>,
}

/// `GET /api/me`.
#[derive(Debug, Deserialize)]
pub(crate) struct Me {
    pub(crate) tenant_id: String,
}

/// One page of `GET /api/users`.
#[derive(Debug, Deserialize)]
pub(crate) struct UsersPage {
    pub(crate) users: Vec<User>,
    pub(crate) next: Option<String>,
}

/// A group or a role: something with members.
#[derive(Debug, Deserialize)]
pub(crate) struct Container {
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) description: Option<String>,
}

/// One page of `GET /api/groups` (`groups`) or `GET /api/roles` (`roles`).
#[derive(Debug, Deserialize)]
pub(crate) struct ContainersPage {
    #[serde(alias = "groups", alias = "roles")]
    pub(crate) items: Vec<Container>,
    pub(crate) next: Option<String>,
}

/// One page of `GET /api/{groups,roles}/{id}/members`.
#[derive(Debug, Deserialize)]
pub(crate) struct MembersPage {
    pub(crate) members: Vec<String>,
    pub(crate) next: Option<String>,
}

/// `GET /api/last-activity`.
#[derive(Debug, Deserialize)]
pub(crate) struct Activity {
    pub(crate) activity: Vec<UserActivity>,
}

/// One user's last activity.
#[derive(Debug, Deserialize)]
pub(crate) struct UserActivity {
    pub(crate) user_id: String,
    pub(crate) last_activity: Option<String>,
}

/// `GET /api/custom-attributes`.
#[derive(Debug, Deserialize)]
pub(crate) struct Attributes {
    pub(crate) attributes: Vec<Attribute>,
}

/// One custom attribute the app declares.
#[derive(Debug, Deserialize)]
pub(crate) struct Attribute {
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
}

/// The body of `POST /api/users`.
#[derive(Debug, Serialize)]
pub(crate) struct NewUser {
    pub(crate) email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) last_name: Option<String>,
    pub(crate) status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) manager: Option<String>,
}

/// The answer of `PUT`/`DELETE` on a membership.
#[derive(Debug, Deserialize)]
pub(crate) struct MemberChange {
    pub(crate) member: bool,
}

/// The mock app at `settings.host`, called with the request's credential (and the settings'
/// API key, if any, as a secret header).
#[derive(Debug)]
pub(crate) struct Api {
    client: HttpClient,
}

/// The header the mock app reads its API key from.
const API_KEY: Header = Header::from_static("x-api-key");

impl Api {
    /// The app with the integration's retry policy.
    pub(crate) fn new(ctx: &Context<MockSettings>) -> Result<Self, ConnectorError> {
        Self::with_retry(ctx, ctx.retry_policy().clone())
    }

    /// The app with another retry policy (e.g. retrying a POST the app makes idempotent).
    pub(crate) fn with_retry(
        ctx: &Context<MockSettings>,
        retry: RetryPolicy,
    ) -> Result<Self, ConnectorError> {
        let mut builder = HttpClient::for_request(ctx, ctx.settings().base_url()).retry(retry);
        // Paced by the app's rate-limit headers; by the declared limit when it sends none.
        let declared = ctx.settings().declared_rate_limit().map_err(|problem| {
            ConnectorError::invalid_value(format!("Invalid settings - {problem}"))
        })?;
        if let Some((rate, burst)) = declared {
            let limit = RateLimit::fixed(rate, std::time::Duration::from_secs(1)).id("mock-app");
            builder = builder.rate_limit(match burst {
                Some(burst) => limit.burst(burst),
                None => limit,
            });
        } else {
            builder = builder.rate_limit(RateLimit::adaptive().id("mock-app"));
        }
        if let Some(key) = &ctx.settings().api_key {
            builder = builder.secret_header(API_KEY, key.clone());
        }
        Ok(Self {
            client: builder.build()?,
        })
    }

    /// `GET path?query`, read as JSON.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: impl Into<ApiPath>,
        query: &[(&str, &str)],
    ) -> Result<T, ConnectorError> {
        self.client.get(path).query(query).json().await
    }

    /// `POST path` with a JSON body (or none), read as JSON.
    pub(crate) async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: impl Into<ApiPath>,
        body: Option<&B>,
    ) -> Result<T, ConnectorError> {
        let mut request = self.client.post(path);
        if let Some(body) = body {
            request = request.json_body(body);
        }
        request.json().await
    }

    /// `PATCH path` with a JSON body, read as JSON.
    pub(crate) async fn patch<B: Serialize, T: DeserializeOwned>(
        &self,
        path: impl Into<ApiPath>,
        body: &B,
    ) -> Result<T, ConnectorError> {
        self.client.patch(path).json_body(body).json().await
    }

    /// `PUT path`, read as JSON.
    pub(crate) async fn put<T: DeserializeOwned>(
        &self,
        path: impl Into<ApiPath>,
    ) -> Result<T, ConnectorError> {
        self.client.put(path).json().await
    }

    /// `DELETE path`, read as JSON.
    pub(crate) async fn delete_json<T: DeserializeOwned>(
        &self,
        path: impl Into<ApiPath>,
    ) -> Result<T, ConnectorError> {
        self.client.delete(path).json().await
    }

    /// `DELETE path`, ignoring the body.
    pub(crate) async fn delete(&self, path: impl Into<ApiPath>) -> Result<(), ConnectorError> {
        self.client.delete(path).send().await?;
        Ok(())
    }
}
