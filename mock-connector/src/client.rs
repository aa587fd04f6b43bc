//! The mock app's HTTP API, as the connector sees it.

use connector_sdk::http::HttpClient;
use connector_sdk::{ConnectorError, Context};
use serde::Deserialize;

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

/// A client for the app at `settings.host`, with the request's credential.
pub(crate) fn client(ctx: &Context<MockSettings>) -> Result<HttpClient, ConnectorError> {
    HttpClient::for_request(ctx, ctx.settings().base_url()).build()
}

/// `GET path` with the settings' API key, read as JSON.
pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(
    ctx: &Context<MockSettings>,
    path: &str,
    query: &[(&str, &str)],
) -> Result<T, ConnectorError> {
    let client = client(ctx)?;
    let mut request = client.get(path).query(query);
    if let Some(key) = &ctx.settings().api_key {
        let mut value = http::HeaderValue::from_str(key.expose()).map_err(|_| {
            ConnectorError::invalid_value("settings.api_key is not a valid header value")
        })?;
        value.set_sensitive(true);
        request = request.header("x-api-key", value);
    }
    client.send_json(request).await
}
