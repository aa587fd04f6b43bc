//! The mock app's HTTP API, as the connector sees it.

use connector_sdk::http::{HttpClient, RetryPolicy};
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
/// API key, if any).
#[derive(Debug)]
pub(crate) struct Api {
    client: HttpClient,
    api_key: Option<http::HeaderValue>,
}

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
        let client = HttpClient::for_request(ctx, ctx.settings().base_url())
            .retry(retry)
            .build()?;
        let api_key = match &ctx.settings().api_key {
            Some(key) => {
                let mut value = http::HeaderValue::from_str(key.expose()).map_err(|_| {
                    ConnectorError::invalid_value("settings.api_key is not a valid header value")
                })?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        Ok(Self { client, api_key })
    }

    fn request(&self, method: http::Method, path: &str) -> reqwest_middleware::RequestBuilder {
        let request = self.client.request(method, path);
        match &self.api_key {
            Some(key) => request.header("x-api-key", key.clone()),
            None => request,
        }
    }

    /// `GET path?query`, read as JSON.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ConnectorError> {
        let request = self.request(http::Method::GET, path).query(query);
        self.client.send_json(request).await
    }

    /// `POST path` with a JSON body (or none), read as JSON.
    pub(crate) async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ConnectorError> {
        let mut request = self.request(http::Method::POST, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.client.send_json(request).await
    }

    /// `PUT path`, read as JSON.
    pub(crate) async fn put<T: DeserializeOwned>(&self, path: &str) -> Result<T, ConnectorError> {
        self.client
            .send_json(self.request(http::Method::PUT, path))
            .await
    }

    /// `DELETE path`, read as JSON.
    pub(crate) async fn delete_json<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<T, ConnectorError> {
        self.client
            .send_json(self.request(http::Method::DELETE, path))
            .await
    }

    /// `DELETE path`, ignoring the body.
    pub(crate) async fn delete(&self, path: &str) -> Result<(), ConnectorError> {
        self.client
            .send(self.request(http::Method::DELETE, path))
            .await?;
        Ok(())
    }
}

/// `id` as one path segment: everything but unreserved characters percent-encoded, so an id
/// can never step into another route.
pub(crate) fn segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte));
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(segment("u-0000001"), "u-0000001");
        assert_eq!(segment("../admin"), "..%2Fadmin");
        assert_eq!(segment("a b?c"), "a%20b%3Fc");
    }
}
