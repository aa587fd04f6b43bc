//! `handle_client_credentials_request`, by hand.
//!
//! The SDK's OAuth module provides the capabilities of one flow type per integration; this
//! connector uses the authorization-code flow from the module and adds the app's
//! client-credentials grant here, against the same token endpoint.

use connector_sdk::http::{Header, HttpClient};
use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, wire};
use serde::Deserialize;
use serde_json::Value;

use super::MockConnector;
use crate::{MockSettings, default_scope};

/// The token endpoint's answer.
#[derive(Debug, Deserialize)]
struct Tokens {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
}

impl HandleClientCredentialsRequest for MockConnector {
    async fn handle_client_credentials_request(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::HandleClientCredentials,
    ) -> Result<wire::OauthCredentials, ConnectorError> {
        if request.client_id.trim().is_empty() {
            return Err(ConnectorError::bad_request(
                "Invalid request - request.client_id must not be empty",
            ));
        }
        // No credential of the request's: the client authenticates in the form.
        let client = HttpClient::for_request(ctx, ctx.settings().base_url())
            .credential(None)
            .no_redirects()
            .build()?;
        let scope = if request.scopes.is_empty() {
            default_scope()
        } else {
            request.scopes.join(" ")
        };
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", request.client_id.as_str()),
            ("client_secret", request.client_secret.expose()),
        ];
        if !scope.is_empty() {
            form.push(("scope", scope.as_str()));
        }
        let mut raw: Value = client
            .post("/oauth/token")
            .header(&Header::ACCEPT, "application/json")
            .form(&form)
            .json()
            .await?;
        let tokens: Tokens = serde_json::from_value(raw.clone()).map_err(|_| {
            ConnectorError::invalid_response("The token endpoint's answer has no access_token")
        })?;
        if let Some(kind) = tokens
            .token_type
            .as_deref()
            .filter(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            return Err(ConnectorError::invalid_response(format!(
                "The token endpoint issued a `{kind}` token; only bearer tokens are supported"
            )));
        }
        if let Some(object) = raw.as_object_mut() {
            // As the SDK's OAuth module reports it.
            object.insert("token_type".to_owned(), Value::from("bearer"));
        }
        ctx.set_raw_data(raw);
        Ok(wire::OauthCredentials {
            access_token: tokens.access_token.into(),
            refresh_token: tokens.refresh_token.map(Into::into),
            token_type: wire::TokenType::Bearer,
            state: None,
        })
    }
}
