//! The OAuth capabilities as registered handlers.

use std::any::Any;
use std::sync::Arc;

use async_trait::async_trait;
use schemars::Schema;
use serde_json::Value;

use super::OAuthSettings;
use super::flow;
use crate::capability::Connector;
use crate::integration::handler::{ErasedHandler, PayloadError, Produced, from_value_with_path};
use crate::wire::{
    AuthorizationUrl, CapabilityName, GetAuthorizationUrl, HandleAuthorizationCallback,
    HandleClientCredentials, OauthCredentials, RefreshAccessToken,
};
use crate::{ConnectorError, Context, IntegrationBuilder};

/// One OAuth capability backed by the integration's settings.
struct OAuthHandler<S> {
    settings: Arc<OAuthSettings<S>>,
    capability: CapabilityName,
}

fn to_produced<T: serde::Serialize>(value: &T) -> Result<Produced, ConnectorError> {
    let response = serde_json::to_value(value)
        .map_err(|e| ConnectorError::internal_error(format!("Cannot serialize the answer: {e}")))?;
    Ok(Produced {
        response,
        page: None,
    })
}

#[async_trait]
impl<C> ErasedHandler<C> for OAuthHandler<C::Settings>
where
    C: Connector,
{
    fn authenticated(&self) -> bool {
        false
    }

    fn argument_schema(&self) -> Schema {
        match self.capability {
            CapabilityName::GetAuthorizationUrl => schemars::schema_for!(GetAuthorizationUrl),
            CapabilityName::HandleAuthorizationCallback => {
                schemars::schema_for!(HandleAuthorizationCallback)
            }
            CapabilityName::HandleClientCredentialsRequest => {
                schemars::schema_for!(HandleClientCredentials)
            }
            _ => schemars::schema_for!(RefreshAccessToken),
        }
    }

    fn output_schema(&self) -> Schema {
        match self.capability {
            CapabilityName::GetAuthorizationUrl => schemars::schema_for!(AuthorizationUrl),
            _ => schemars::schema_for!(OauthCredentials),
        }
    }

    fn parse(&self, payload: &Value) -> Result<Box<dyn Any + Send>, PayloadError> {
        Ok(match self.capability {
            CapabilityName::GetAuthorizationUrl => {
                Box::new(from_value_with_path::<GetAuthorizationUrl>(payload)?)
            }
            CapabilityName::HandleAuthorizationCallback => Box::new(from_value_with_path::<
                HandleAuthorizationCallback,
            >(payload)?),
            CapabilityName::HandleClientCredentialsRequest => {
                Box::new(from_value_with_path::<HandleClientCredentials>(payload)?)
            }
            _ => Box::new(from_value_with_path::<RefreshAccessToken>(payload)?),
        })
    }

    async fn call(
        &self,
        _connector: &C,
        ctx: &Context<C::Settings>,
        payload: Box<dyn Any + Send>,
    ) -> Result<Produced, ConnectorError> {
        let settings = &*self.settings;
        let mismatch =
            || ConnectorError::internal_error("the payload was parsed for another capability");
        let (credentials, raw) = match self.capability {
            CapabilityName::GetAuthorizationUrl => {
                let request = payload
                    .downcast::<GetAuthorizationUrl>()
                    .map_err(|_| mismatch())?;
                let url = flow::authorization_url(settings, ctx.settings(), &request)?;
                return to_produced(&url);
            }
            CapabilityName::HandleAuthorizationCallback => {
                let request = payload
                    .downcast::<HandleAuthorizationCallback>()
                    .map_err(|_| mismatch())?;
                let callback = flow::parse_callback(&request.redirect_uri_with_code)?;
                if let (Some(expected), Some(got)) = (&request.state, &callback.state)
                    && expected != got
                {
                    return Err(ConnectorError::bad_request(
                        "The state of the callback does not match the state the flow started with",
                    ));
                }
                let mut fields = vec![
                    ("grant_type", "authorization_code".to_owned()),
                    ("code", callback.code),
                    ("redirect_uri", callback.redirect_uri),
                ];
                if let Some(verifier) = &request.code_verifier {
                    fields.push(("code_verifier", verifier.expose().to_owned()));
                }
                flow::token_request(
                    settings,
                    ctx,
                    fields,
                    &request.client_id,
                    &request.client_secret,
                )
                .await?
            }
            CapabilityName::HandleClientCredentialsRequest => {
                let request = payload
                    .downcast::<HandleClientCredentials>()
                    .map_err(|_| mismatch())?;
                let mut fields = vec![("grant_type", "client_credentials".to_owned())];
                let scope = flow::scope_for(settings, &request.scopes);
                if !scope.is_empty() {
                    fields.push(("scope", scope));
                }
                flow::token_request(
                    settings,
                    ctx,
                    fields,
                    &request.client_id,
                    &request.client_secret,
                )
                .await?
            }
            _ => {
                let request = payload
                    .downcast::<RefreshAccessToken>()
                    .map_err(|_| mismatch())?;
                let fields = vec![
                    ("grant_type", "refresh_token".to_owned()),
                    ("refresh_token", request.refresh_token.expose().to_owned()),
                ];
                flow::token_request(
                    settings,
                    ctx,
                    fields,
                    &request.client_id,
                    &request.client_secret,
                )
                .await?
            }
        };
        ctx.set_raw_data(raw);
        to_produced(&credentials)
    }
}

/// Registers the module's capabilities, except those the builder already has.
pub(crate) fn register<C: Connector>(
    mut builder: IntegrationBuilder<C>,
    settings: OAuthSettings<C::Settings>,
) -> IntegrationBuilder<C> {
    let scopes = settings
        .scopes
        .iter()
        .map(|(capability, scope)| (capability.to_string(), scope.clone()))
        .collect();
    builder = builder.oauth_scopes(scopes);
    let settings = Arc::new(settings);
    for capability in settings.capabilities() {
        if builder.has(capability) {
            continue;
        }
        let handler = OAuthHandler {
            settings: Arc::clone(&settings),
            capability,
        };
        builder = builder.register_erased(
            capability,
            Box::new(handler),
            "connector_sdk.oauth".to_owned(),
        );
    }
    builder
}
