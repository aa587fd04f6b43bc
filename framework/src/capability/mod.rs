//! One trait per capability of the protocol, and the [`Connector`] trait they build on.
//!
//! A connector is a type that implements [`Connector`] (which names its settings type) and the
//! capability traits it supports, with plain `async fn`s:
//!
//! ```
//! use connector_sdk::prelude::*;
//! use connector_sdk::{ConnectorError, Context, EmptySettings, Listing};
//! use connector_sdk::wire;
//!
//! struct Demo;
//!
//! impl Connector for Demo {
//!     type Settings = EmptySettings;
//! }
//!
//! impl ListAccounts for Demo {
//!     async fn list_accounts(
//!         &self,
//!         _ctx: &Context<EmptySettings>,
//!         _request: wire::ListAccounts,
//!     ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
//!         Ok(Listing::last(vec![wire::FoundAccountData::new("u-1")]))
//!     }
//! }
//! ```
//!
//! Registering a capability the type does not implement is a compile error; see
//! [`crate::integration::IntegrationBuilder`].
#![doc = include_str!("../docs/capability_errors.md")]

mod oauth;
mod output;
mod read;
mod write;

use std::future::Future;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use crate::wire::{self, CapabilityName, Payload};
use crate::{ConnectorError, Context};

pub use oauth::{
    GetAuthorizationUrl, HandleAuthorizationCallback, HandleClientCredentialsRequest,
    RefreshAccessToken,
};
pub use output::Listing;
pub use read::{
    FindEntitlementAssociations, GetLastActivity, ListAccounts, ListCustomAttributesSchema,
    ListEntitlements, ListResources, ValidateCredentials,
};
pub use write::{
    ActivateAccount, AssignEntitlement, CreateAccount, DeactivateAccount, DeleteAccount,
    UnassignEntitlement,
};

/// The type every capability trait builds on: a connector and its settings type.
///
/// ```
/// use connector_sdk::capability::Connector;
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Settings {
///     host: String,
/// }
///
/// struct MyConnector;
///
/// impl Connector for MyConnector {
///     type Settings = Settings;
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a connector",
    note = "implement `connector_sdk::capability::Connector` for `{Self}` and name its settings type: `impl Connector for {Self} {{ type Settings = EmptySettings; }}`"
)]
pub trait Connector: Send + Sync + 'static {
    /// The connector's settings: validated from the request's `settings` before a handler runs.
    /// Use [`EmptySettings`](crate::EmptySettings) when there are none.
    type Settings: DeserializeOwned + JsonSchema + Send + Sync + 'static;
}

/// The facts of one capability, on its marker type (see [`marker`]).
pub(crate) trait CapabilitySpec: Send + Sync + 'static {
    /// The capability.
    const NAME: CapabilityName;
    /// Its `request` payload.
    type Args: Payload;
    /// What its handler returns.
    type Output: Send;
    /// What appears in the envelope's `response` (the items, for a listing).
    type Payload: serde::Serialize + JsonSchema;
    /// Whether it is a listing (its output schema is then the empty object, as in 3.7.8).
    const IS_LIST: bool;

    /// The envelope's `response` and `page`; `scope` binds a typed cursor to the capability.
    fn into_parts(
        output: Self::Output,
        page_size: Option<u32>,
    ) -> Result<(serde_json::Value, Option<wire::Page>), ConnectorError>;
}

/// Something that runs capability `Spec` for connector `C`: the connector's own trait
/// ([`ByTrait`]), or a module of the SDK (the OAuth module). Both are registered and dispatched
/// the same way.
pub(crate) trait Handler<C: Connector>: Send + Sync + 'static {
    /// The capability it runs.
    type Spec: CapabilitySpec;

    /// The description shown in `info` and `--help`.
    fn description(&self) -> Option<&'static str> {
        None
    }

    /// Runs the capability.
    fn run<'a>(
        &'a self,
        connector: &'a C,
        ctx: &'a Context<C::Settings>,
        request: <Self::Spec as CapabilitySpec>::Args,
    ) -> impl Future<Output = Result<<Self::Spec as CapabilitySpec>::Output, ConnectorError>> + Send + 'a;
}

/// Runs a capability through the connector's implementation of its trait.
pub(crate) struct ByTrait<M>(PhantomData<fn() -> M>);

impl<M> ByTrait<M> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

/// One marker type per capability, named like it.
pub(crate) mod marker {
    macro_rules! markers {
        ($($Name:ident = $wire:literal { $($rest:tt)* })+) => {
            $(
                #[doc = concat!("`", $wire, "`.")]
                #[derive(Debug)]
                pub(crate) struct $Name;
            )+
        };
    }
    crate::table::for_each_capability!(markers);
}

/// The result type of a row of the capability table.
macro_rules! output_of {
    (list $Out:ident) => { Listing<wire::$Out> };
    (one $Out:ident) => { wire::$Out };
}

/// How a row's result becomes the envelope's parts.
macro_rules! parts_of {
    (list $Out:ident) => {
        type Payload = Vec<wire::$Out>;
        const IS_LIST: bool = true;

        fn into_parts(
            output: Listing<wire::$Out>,
            page_size: Option<u32>,
        ) -> Result<(serde_json::Value, Option<wire::Page>), ConnectorError> {
            output.into_parts(page_size, Self::NAME.as_str())
        }
    };
    (one $Out:ident) => {
        type Payload = wire::$Out;
        const IS_LIST: bool = false;

        fn into_parts(
            output: wire::$Out,
            _page_size: Option<u32>,
        ) -> Result<(serde_json::Value, Option<wire::Page>), ConnectorError> {
            Ok((output::serialized(&output)?, None))
        }
    };
}

/// The spec of each marker, and the connector-trait handler of each capability.
macro_rules! marker_impls {
    ($(
        $Name:ident = $wire:literal {
            fn $method:ident($Args:ident) -> $kind:ident $Out:ident;
            envelopes $Req:ident, $Resp:ident;
            group $group:ident; summary $summary:literal;
        }
    )+) => {
        $(
            impl CapabilitySpec for marker::$Name {
                const NAME: CapabilityName = CapabilityName::$Name;
                type Args = wire::$Args;
                type Output = output_of!($kind $Out);
                parts_of!($kind $Out);
            }

            impl<C: $Name> Handler<C> for ByTrait<marker::$Name> {
                type Spec = marker::$Name;

                fn description(&self) -> Option<&'static str> {
                    <C as $Name>::DESCRIPTION
                }

                fn run<'a>(
                    &'a self,
                    connector: &'a C,
                    ctx: &'a Context<C::Settings>,
                    request: wire::$Args,
                ) -> impl Future<Output = Result<output_of!($kind $Out), ConnectorError>> + Send + 'a
                {
                    connector.$method(ctx, request)
                }
            }
        )+
    };
}

crate::table::for_each_capability!(marker_impls);
