//! The type-erased capability handler: deserialize the payload, call the typed trait,
//! serialize the answer. The one place `async-trait` is used: the registry needs `dyn`.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;

use async_trait::async_trait;
use schemars::Schema;
use serde_json::Value;

use crate::capability::{Connector, IntoResponseParts};
use crate::wire::{CapabilityName, Page, Payload};
use crate::{ConnectorError, Context};

/// A capability as the registry sees it: its payload types and how to run it on `C`.
pub(crate) trait Capability<C: Connector>: 'static {
    type Args: Payload;
    type Output: IntoResponseParts;
    const NAME: CapabilityName;

    fn run<'a>(
        connector: &'a C,
        ctx: &'a Context<C::Settings>,
        request: Self::Args,
    ) -> impl Future<Output = Result<Self::Output, ConnectorError>> + Send + 'a;
}

/// What a successful handler produced, ready for the envelope.
#[derive(Debug)]
pub(crate) struct Produced {
    pub(crate) response: Value,
    pub(crate) page: Option<Page>,
}

/// The object-safe face of a registered capability.
#[async_trait]
pub(crate) trait ErasedHandler<C: Connector>: Send + Sync {
    /// Whether the request envelope must carry `auth`.
    fn authenticated(&self) -> bool;

    /// The JSON schema of the request payload.
    fn argument_schema(&self) -> Schema;

    /// The JSON schema of the response payload (the empty object for listings, as in 3.7.8).
    fn output_schema(&self) -> Schema;

    /// Deserializes the `request` payload, reporting the failing field path.
    fn parse(&self, payload: &Value) -> Result<Box<dyn Any + Send>, PayloadError>;

    /// Runs the capability on a parsed payload.
    async fn call(
        &self,
        connector: &C,
        ctx: &Context<C::Settings>,
        payload: Box<dyn Any + Send>,
    ) -> Result<Produced, ConnectorError>;
}

/// A payload that did not deserialize: where, and why.
#[derive(Debug)]
pub(crate) struct PayloadError {
    pub(crate) path: String,
    pub(crate) message: String,
}

/// Deserializes `value` into `T` strictly (objects for structs, no coercion), keeping the path
/// of the first failing field.
pub(crate) fn from_value_with_path<T: serde::de::DeserializeOwned>(
    value: &Value,
) -> Result<T, PayloadError> {
    serde_path_to_error::deserialize(super::strict::Strict(value)).map_err(|err| PayloadError {
        path: err.path().to_string(),
        message: crate::integration::redact::serde_message(&err.inner().to_string()),
    })
}

/// The adapter from a typed capability `M` to [`ErasedHandler`].
pub(crate) struct Typed<M>(PhantomData<fn() -> M>);

impl<M> Typed<M> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

#[async_trait]
impl<C, M> ErasedHandler<C> for Typed<M>
where
    C: Connector,
    M: Capability<C>,
{
    fn authenticated(&self) -> bool {
        M::Args::AUTHENTICATED
    }

    fn argument_schema(&self) -> Schema {
        schemars::schema_for!(M::Args)
    }

    fn output_schema(&self) -> Schema {
        if <M::Output as IntoResponseParts>::IS_LIST {
            schemars::json_schema!({"properties": {}, "title": "Empty", "type": "object"})
        } else {
            schemars::schema_for!(<M::Output as IntoResponseParts>::Payload)
        }
    }

    fn parse(&self, payload: &Value) -> Result<Box<dyn Any + Send>, PayloadError> {
        let args: M::Args = from_value_with_path(payload)?;
        Ok(Box::new(args))
    }

    async fn call(
        &self,
        connector: &C,
        ctx: &Context<C::Settings>,
        payload: Box<dyn Any + Send>,
    ) -> Result<Produced, ConnectorError> {
        let args = *payload.downcast::<M::Args>().map_err(|_| {
            ConnectorError::internal_error("the payload was parsed for another capability")
        })?;
        let output = M::run(connector, ctx, args).await?;
        let (response, page) = output.into_parts(ctx.page_size(), M::NAME.as_str())?;
        let next = page.as_ref().and_then(|p| p.token.as_deref());
        if let (Some(next), Some(given)) = (next, ctx.page_token())
            && next == given
        {
            return Err(ConnectorError::internal_error(format!(
                "The listing returned the page token it was given ({given:?}): stopping instead of \
                 paging forever"
            )));
        }
        Ok(Produced { response, page })
    }
}
