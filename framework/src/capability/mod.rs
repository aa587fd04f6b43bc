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

use schemars::JsonSchema;
use serde::de::DeserializeOwned;

pub use oauth::{
    GetAuthorizationUrl, HandleAuthorizationCallback, HandleClientCredentialsRequest,
    RefreshAccessToken,
};
pub(crate) use output::IntoResponseParts;
pub use output::Listing;

/// The capability markers the registry is keyed by.
pub(crate) mod markers {
    pub(crate) use super::oauth::{
        GetAuthorizationUrlMarker, HandleAuthorizationCallbackMarker,
        HandleClientCredentialsRequestMarker, RefreshAccessTokenMarker,
    };
    pub(crate) use super::read::{
        FindEntitlementAssociationsMarker, GetLastActivityMarker, ListAccountsMarker,
        ListCustomAttributesSchemaMarker, ListEntitlementsMarker, ListResourcesMarker,
        ValidateCredentialsMarker,
    };
    pub(crate) use super::write::{
        ActivateAccountMarker, AssignEntitlementMarker, CreateAccountMarker,
        DeactivateAccountMarker, DeleteAccountMarker, UnassignEntitlementMarker,
    };
}
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

/// Declares a capability trait and its marker, which adapts it to the integration's
/// type-erased handler.
macro_rules! capability {
    (
        $(#[$doc:meta])*
        on_unimplemented($($diag:tt)*);
        pub trait $Trait:ident {
            fn $method:ident(request: $Args:ty) -> $Out:ty;
        }
        name = $Name:ident, marker = $Marker:ident;
    ) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented($($diag)*)]
        pub trait $Trait: $crate::capability::Connector {
            #[doc = concat!("Runs `", stringify!($method), "`.")]
            fn $method(
                &self,
                ctx: &$crate::Context<Self::Settings>,
                request: $Args,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<$Out, $crate::ConnectorError>>
                   + Send;
        }

        /// Selects the capability when registering it.
        #[derive(Debug)]
        pub(crate) struct $Marker;

        impl<C: $Trait> $crate::integration::handler::Capability<C> for $Marker {
            type Args = $Args;
            type Output = $Out;
            const NAME: $crate::wire::CapabilityName = $crate::wire::CapabilityName::$Name;

            fn run<'a>(
                connector: &'a C,
                ctx: &'a $crate::Context<C::Settings>,
                request: $Args,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<$Out, $crate::ConnectorError>>
                   + Send
                   + 'a {
                connector.$method(ctx, request)
            }
        }
    };
}

pub(crate) use capability;
