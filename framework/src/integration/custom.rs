//! Custom capabilities (protocol 4): a connector's own operations beside the standard ones,
//! with typed requests and responses, dispatched, validated and reported like the standard
//! ones (their schemas in `info` and `app_info`, their names in `capabilities`).

use std::future::Future;
use std::marker::PhantomData;

use async_trait::async_trait;
use schemars::{JsonSchema, Schema};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::handler::{ErasedHandler, ParsedCall, PayloadError, Produced, from_value_with_path};
use super::{IntegrationBuilder, Registered};
use crate::capability::Connector;
use crate::wire::CapabilityName;
use crate::{ConnectorError, Context};

/// A custom capability of connector `C`: its request and response types and the `async fn`
/// that runs it. Register it with [`IntegrationBuilder::custom`].
///
/// ```
/// use connector_sdk::integration::CustomCapability;
/// use connector_sdk::{AuthKind, ConnectorError, Context, EmptySettings, Integration, Protocol};
/// use connector_sdk::capability::Connector;
///
/// struct Demo;
/// impl Connector for Demo {
///     type Settings = EmptySettings;
/// }
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct EchoIn {
///     text: String,
/// }
///
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct EchoOut {
///     echoed: Vec<String>,
/// }
///
/// struct Echo;
///
/// impl CustomCapability<Demo> for Echo {
///     type Request = EchoIn;
///     type Response = EchoOut;
///     const DESCRIPTION: Option<&'static str> = Some("Echoes text twice");
///
///     async fn run(
///         &self,
///         _connector: &Demo,
///         _ctx: &Context<EmptySettings>,
///         request: EchoIn,
///     ) -> Result<EchoOut, ConnectorError> {
///         Ok(EchoOut { echoed: vec![request.text.clone(), request.text] })
///     }
/// }
///
/// let integration = Integration::builder(Demo, "demo", "1.0.0")
///     .auth(AuthKind::Token)
///     .custom("echo_text", Echo)
///     .build();
/// assert_eq!(integration.custom_capabilities(), vec!["echo_text"]);
/// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// let answer = runtime.block_on(integration.dispatch_as(
///     Protocol::V4,
///     "echo_text",
///     r#"{"auth": {"token": {"token": "t"}}, "request": {"text": "hi"}}"#,
/// ));
/// assert!(answer.to_json().contains(r#""response":{"echoed":["hi","hi"]}"#), "{}", answer.to_json());
/// ```
pub trait CustomCapability<C: Connector>: Send + Sync + 'static {
    /// The `request` payload.
    type Request: DeserializeOwned + JsonSchema + Send + 'static;
    /// The `response` it answers.
    type Response: Serialize + JsonSchema + Send + 'static;
    /// What it does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;
    /// The name `info` shows (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs it.
    fn run(
        &self,
        connector: &C,
        ctx: &Context<C::Settings>,
        request: Self::Request,
    ) -> impl Future<Output = Result<Self::Response, ConnectorError>> + Send;
}

/// Why a custom capability's name is refused, if it is.
fn refusal(name: &str) -> Option<String> {
    let snake = name.split('_').all(|word| {
        !word.is_empty()
            && word
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    }) && name.starts_with(|c: char| c.is_ascii_lowercase());
    if !snake {
        return Some(format!(
            "the custom capability name `{name}` is not snake_case (lowercase words of letters \
             and digits joined by `_`, starting with a letter)"
        ));
    }
    if name.parse::<CapabilityName>().is_ok() || ["info", "app_info"].contains(&name) {
        return Some(format!(
            "the custom capability name `{name}` is a standard capability's: implement \
             `connector_sdk::capability` for it instead"
        ));
    }
    None
}

struct Custom<C, H> {
    handler: H,
    connector: PhantomData<fn() -> C>,
}

impl<C: Connector, H: CustomCapability<C>> ErasedHandler<C> for Custom<C, H> {
    fn authenticated(&self) -> bool {
        true
    }

    fn description(&self) -> Option<&'static str> {
        H::DESCRIPTION
    }

    fn display_name(&self) -> Option<&'static str> {
        H::DISPLAY_NAME
    }

    fn argument_schema(&self) -> Schema {
        schemars::schema_for!(H::Request)
    }

    fn output_schema(&self) -> Schema {
        schemars::schema_for!(H::Response)
    }

    fn parse<'h>(&'h self, payload: &Value) -> Result<Box<dyn ParsedCall<C> + 'h>, PayloadError> {
        let request: H::Request = from_value_with_path(payload)?;
        Ok(Box::new(CustomCall {
            handler: &self.handler,
            request,
        }))
    }
}

struct CustomCall<'h, H, R> {
    handler: &'h H,
    request: R,
}

#[async_trait]
impl<'h, C, H> ParsedCall<C> for CustomCall<'h, H, H::Request>
where
    C: Connector,
    H: CustomCapability<C>,
{
    async fn call(
        self: Box<Self>,
        connector: &C,
        ctx: &Context<C::Settings>,
    ) -> Result<Produced, ConnectorError> {
        let CustomCall { handler, request } = *self;
        let response = handler.run(connector, ctx, request).await?;
        let response = crate::wire::Json::write(&response).map_err(|e| {
            ConnectorError::invalid_response(format!("The answer does not serialize: {e}"))
        })?;
        Ok(Produced {
            response,
            page: None,
            execution_summary: None,
        })
    }
}

impl<C: Connector> IntegrationBuilder<C> {
    /// Registers a custom capability (protocol 4) under `name`: typed request and response,
    /// the same dispatch, validation and error rules as the standard capabilities.
    ///
    /// # Panics
    ///
    /// If `name` is not snake_case, is a standard capability's name, or is registered twice:
    /// a connector bug, caught by its first test.
    #[must_use]
    #[track_caller]
    pub fn custom<H: CustomCapability<C>>(mut self, name: &str, handler: H) -> Self {
        if let Some(refusal) = refusal(name) {
            panic!("{refusal}");
        }
        assert!(
            !self.integration.custom.contains_key(name),
            "the custom capability `{name}` is registered twice"
        );
        let module = super::errors::module_of::<C>();
        // Named for the life of the process, as the standard capabilities are (metrics label
        // requests by it): one small string per custom capability, once.
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        self.integration.custom.insert(
            name,
            Registered {
                handler: Box::new(Custom {
                    handler,
                    connector: PhantomData,
                }),
                module,
            },
        );
        self
    }
}

#[cfg(test)]
mod tests {
    use super::refusal;

    #[test]
    fn names_must_be_snake_case_and_not_standard() {
        assert!(refusal("echo_text").is_none());
        assert!(refusal("sync2_now").is_none());
        for bad in [
            "EchoText",
            "echo-text",
            "_echo",
            "echo__text",
            "echo_",
            "2echo",
            "",
            "échange",
        ] {
            assert!(refusal(bad).is_some(), "{bad}");
        }
        for standard in ["list_accounts", "get_account", "info", "app_info"] {
            assert!(
                refusal(standard).unwrap().contains("standard"),
                "{standard}"
            );
        }
    }
}
