//! The type-erased capability handler: deserialize the payload, call the typed handler,
//! serialize the answer. The one place `async-trait` is used: the registry needs `dyn`.

use async_trait::async_trait;
use schemars::Schema;
use serde_json::Value;

use crate::capability::{Capability, Connector, Handler};
use crate::wire::{ExecutionSummary, Page, Payload, Protocol};
use crate::{ConnectorError, Context};

/// What a successful handler produced, ready for the envelope.
#[derive(Debug)]
pub(crate) struct Produced {
    pub(crate) response: crate::wire::Json,
    pub(crate) page: Option<Page>,
    /// Protocol 4, writes: what the write did.
    pub(crate) execution_summary: Option<ExecutionSummary>,
}

/// The object-safe face of a registered capability.
pub(crate) trait ErasedHandler<C: Connector>: Send + Sync {
    /// Whether the request envelope must carry `auth`.
    fn authenticated(&self) -> bool;

    /// The description shown in `info` and `--help`.
    fn description(&self) -> Option<&'static str>;

    /// The display name protocol 4 shows, when the connector gives one.
    fn display_name(&self) -> Option<&'static str>;

    /// The JSON schema of the request payload.
    fn argument_schema(&self) -> Schema;

    /// The JSON schema of the response payload (the empty object for listings, as in 3.7.8).
    fn output_schema(&self) -> Schema;

    /// Deserializes the `request` payload, reporting the failing field path; the result runs
    /// the capability with the typed arguments it holds.
    fn parse<'h>(&'h self, payload: &Value) -> Result<Box<dyn ParsedCall<C> + 'h>, PayloadError>;
}

/// A capability with its typed arguments, ready to run.
#[async_trait]
pub(crate) trait ParsedCall<C: Connector>: Send {
    /// Runs it.
    async fn call(
        self: Box<Self>,
        connector: &C,
        ctx: &Context<C::Settings>,
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
        message: crate::redact::serde_message(&err.inner().to_string()),
    })
}

/// The adapter from a typed [`Handler`] to [`ErasedHandler`].
pub(crate) struct Typed<H>(pub(crate) H);

type Args<H, C> = <<H as Handler<C>>::Spec as Capability>::Request;

impl<C, H> ErasedHandler<C> for Typed<H>
where
    C: Connector,
    H: Handler<C>,
{
    fn authenticated(&self) -> bool {
        <Args<H, C> as Payload>::AUTHENTICATED
    }

    fn description(&self) -> Option<&'static str> {
        self.0.description()
    }

    fn display_name(&self) -> Option<&'static str> {
        self.0.display_name()
    }

    fn argument_schema(&self) -> Schema {
        schemars::schema_for!(Args<H, C>)
    }

    fn output_schema(&self) -> Schema {
        if <H::Spec as Capability>::IS_LISTING {
            schemars::json_schema!({"properties": {}, "title": "Empty", "type": "object"})
        } else {
            schemars::schema_for!(<H::Spec as Capability>::Response)
        }
    }

    fn parse<'h>(&'h self, payload: &Value) -> Result<Box<dyn ParsedCall<C> + 'h>, PayloadError> {
        let args: Args<H, C> = from_value_with_path(payload)?;
        Ok(Box::new(Parsed {
            handler: &self.0,
            args,
        }))
    }
}

/// A handler and its parsed arguments.
struct Parsed<'h, H, A> {
    handler: &'h H,
    args: A,
}

#[async_trait]
impl<'h, C, H> ParsedCall<C> for Parsed<'h, H, Args<H, C>>
where
    C: Connector,
    H: Handler<C>,
{
    async fn call(
        self: Box<Self>,
        connector: &C,
        ctx: &Context<C::Settings>,
    ) -> Result<Produced, ConnectorError> {
        let Parsed { handler, args } = *self;
        let writes = <H::Spec as Capability>::GROUP == crate::wire::CapabilityGroup::Write;
        let fingerprint = (writes && ctx.protocol() == Protocol::V4)
            .then(|| serde_json::to_value(&args).map(|v| crate::wire::request_fingerprint(&v)))
            .transpose()
            .map_err(|e| {
                ConnectorError::internal_error(format!("The request does not serialize: {e}"))
            })?;
        let output = handler.run(connector, ctx, args).await?;
        let execution_summary = fingerprint.and_then(|request_fingerprint| {
            let (effect, is_idempotent) =
                <H::Spec as crate::capability::CapabilitySpec>::effect(&output)?;
            Some(ExecutionSummary {
                effect,
                request_fingerprint,
                is_idempotent,
                description: None,
                caught_errors: None,
            })
        });
        let (response, page) = crate::wire::protocol::writing(ctx.protocol(), || {
            <H::Spec as crate::capability::CapabilitySpec>::into_parts(output, ctx.page_size())
        })?;
        let next = page.as_ref().and_then(|p| p.token.as_deref());
        if let (Some(next), Some(given)) = (next, ctx.page_token())
            && next == given
        {
            return Err(ConnectorError::internal_error(format!(
                "The listing returned the page token it was given ({given:?}): stopping instead of \
                 paging forever"
            )));
        }
        Ok(Produced {
            response,
            page,
            execution_summary,
        })
    }
}
