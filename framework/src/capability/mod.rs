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

mod account_change;
mod accounts;
mod activity;
mod applications;
mod graphs;
mod meta;
mod non_human;
mod oauth;
mod offboarding;
mod output;
mod read;
mod write;

use std::future::Future;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use crate::wire::{self, CapabilityName, Payload};
use crate::{ConnectorError, Context};

pub use account_change::AccountChange;
pub use accounts::{
    GetAccount, GetAccountEntitlementAssociations, ListUpdatedAccounts, UpdateAccount,
};
pub use activity::{GetDataRecency, ListActivityRecords, ListExpenses};
pub use applications::{
    AssignApplication, AssignApplicationEntitlement, GetApplication, GetApplicationAccount,
    ListApplications, ListApplicationsAccounts, ListApplicationsActivityRecords,
    ListApplicationsEntitlementAssociations, ListApplicationsEntitlements,
    ListApplicationsResources, UnassignApplication, UnassignApplicationEntitlement,
};
pub use graphs::{FindEntitlementAssignments, FindEntitlementGraph, FindResourceGraph};
pub use meta::{
    ConnectedInfo, FulfillArbitraryEndpoint, ProbeIntegration, ValidateCredentialConfig,
};
pub use non_human::{
    GetCredentialLastActivity, GetNonHumanAccountLastActivity, ListCredentials,
    ListNonHumanAccounts,
};
pub use oauth::{
    GetAuthorizationUrl, HandleAuthorizationCallback, HandleClientCredentialsRequest,
    RefreshAccessToken,
};
pub use offboarding::{DowngradeLicense, ReleaseResources, TransferData};
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

/// The facts of one capability, on its marker type ([`marker::ListAccounts`], …): the public
/// descriptor every part of the SDK derives its knowledge of the capability from, generated
/// from the one capability table.
///
/// ```
/// use connector_sdk::Protocol;
/// use connector_sdk::capability::{Capability, marker};
/// use connector_sdk::wire::{CapabilityGroup, CapabilityName};
///
/// assert_eq!(marker::ListAccounts::NAME, CapabilityName::ListAccounts);
/// assert_eq!(marker::ListAccounts::GROUP, CapabilityGroup::Read);
/// assert!(marker::ListAccounts::IS_LISTING);
/// assert_eq!(marker::ListAccounts::SINCE, Protocol::V3_7_8);
/// assert_eq!(marker::CreateAccount::SUMMARY, "Create an account");
///
/// // The payload types, by type: a listing answers a page of items.
/// fn first_page<M: Capability<Response = Vec<connector_sdk::wire::FoundAccountData>>>() {}
/// first_page::<marker::ListAccounts>();
/// ```
pub trait Capability: sealed::Sealed + Send + Sync + 'static {
    /// The capability's wire name.
    const NAME: CapabilityName;
    /// Whether it reads, writes, or belongs to the OAuth flows.
    const GROUP: wire::CapabilityGroup;
    /// Whether it lists page by page.
    const IS_LISTING: bool;
    /// The protocol version that introduced it.
    const SINCE: crate::wire::Protocol;
    /// What it does, in one line.
    const SUMMARY: &'static str;
    /// Its `request` payload.
    type Request: Payload;
    /// What its envelope's `response` holds: the items of one page for a listing.
    type Response: serde::Serialize + DeserializeOwned + JsonSchema + Send;
}

mod sealed {
    /// Only the SDK's markers are capabilities.
    pub trait Sealed {}
}

/// What dispatch needs beyond the public facts: the handler's output and how it becomes the
/// envelope's parts.
pub(crate) trait CapabilitySpec: Capability {
    /// What its handler returns.
    type Output: Send;

    /// The envelope's `response` and `page`; a typed cursor is bound to the listing.
    fn into_parts(
        output: Self::Output,
        page_size: Option<u32>,
    ) -> Result<(wire::Json, Option<wire::Page>), ConnectorError>;

    /// What a write did, from its answer (see [`wire::WriteOutcome`]), and whether it is
    /// idempotent; `None` for capabilities that do not write.
    fn effect(_output: &Self::Output) -> Option<(wire::Effect, bool)> {
        None
    }
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

    /// The display name protocol 4 shows, when the connector gives one.
    fn display_name(&self) -> Option<&'static str> {
        None
    }

    /// Runs the capability.
    fn run<'a>(
        &'a self,
        connector: &'a C,
        ctx: &'a Context<C::Settings>,
        request: <Self::Spec as Capability>::Request,
    ) -> impl Future<Output = Result<<Self::Spec as CapabilitySpec>::Output, ConnectorError>> + Send + 'a;
}

/// Runs a capability through the connector's implementation of its trait.
pub(crate) struct ByTrait<M>(PhantomData<fn() -> M>);

impl<M> ByTrait<M> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

/// One marker type per capability, named like it: the [`Capability`] descriptors.
pub mod marker {
    macro_rules! markers {
        ($($Name:ident = $wire:literal { $($rest:tt)* })+) => {
            $(
                #[doc = concat!("The capability `", $wire, "` (see [`Capability`](super::Capability)).")]
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
                pub struct $Name;

                impl super::sealed::Sealed for $Name {}
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

/// What a row's envelope holds in `response`.
macro_rules! response_of {
    (list $Out:ident) => { Vec<wire::$Out> };
    (one $Out:ident) => { wire::$Out };
}

/// How a row's result becomes the envelope's parts.
macro_rules! parts_of {
    (list $Out:ident) => {
        fn into_parts(
            output: Listing<wire::$Out>,
            page_size: Option<u32>,
        ) -> Result<(wire::Json, Option<wire::Page>), ConnectorError> {
            output.into_parts(page_size, Self::NAME.as_str())
        }
    };
    (one $Out:ident) => {
        fn into_parts(
            output: wire::$Out,
            _page_size: Option<u32>,
        ) -> Result<(wire::Json, Option<wire::Page>), ConnectorError> {
            Ok((output::serialized(&output)?, None))
        }
    };
}

/// How a row's write result says what it did (writes only).
macro_rules! effect_of {
    (Write) => {
        fn effect(output: &Self::Output) -> Option<(wire::Effect, bool)> {
            Some((
                wire::WriteOutcome::effect(output),
                <Self::Output as wire::WriteOutcome>::IS_IDEMPOTENT,
            ))
        }
    };
    ($other:ident) => {};
}

/// The spec of each marker, and the connector-trait handler of each capability.
macro_rules! marker_impls {
    ($(
        $Name:ident = $wire:literal {
            fn $method:ident($Args:ident) -> $kind:ident $Out:ident;
            envelopes $Req:ident, $Resp:ident;
            group $group:ident; since $since:ident; summary $summary:literal;
        }
    )+) => {
        $(
            impl Capability for marker::$Name {
                const NAME: CapabilityName = CapabilityName::$Name;
                const GROUP: wire::CapabilityGroup = wire::CapabilityGroup::$group;
                const IS_LISTING: bool = CapabilityName::$Name.is_listing();
                const SINCE: crate::wire::Protocol = crate::wire::Protocol::$since;
                const SUMMARY: &'static str = $summary;
                type Request = wire::$Args;
                type Response = response_of!($kind $Out);
            }

            impl CapabilitySpec for marker::$Name {
                type Output = output_of!($kind $Out);
                parts_of!($kind $Out);
                effect_of!($group);
            }

            impl<C: $Name> Handler<C> for ByTrait<marker::$Name> {
                type Spec = marker::$Name;

                fn description(&self) -> Option<&'static str> {
                    <C as $Name>::DESCRIPTION
                }

                fn display_name(&self) -> Option<&'static str> {
                    <C as $Name>::DISPLAY_NAME
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
