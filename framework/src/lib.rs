#![doc = include_str!("../../README.md")]
#![cfg_attr(
    not(test),
    warn(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)
)]
#![warn(missing_docs)]

pub mod arbitrary;
pub mod blocking;
pub mod capability;
pub mod cli;
mod context;
pub mod credential;
mod error;
pub mod http;
pub mod integration;
pub mod net;
pub mod oauth;
mod observability;
mod otlp;
pub mod pagination;
pub mod prelude;
pub mod record;
mod redact;
pub mod server;
pub mod settings;
pub mod spec;
mod table;
mod trace;
pub mod wire;

#[doc(inline)]
pub use capability::Listing;
#[doc(inline)]
pub use context::Context;
#[doc(inline)]
pub use error::{ConnectorError, Result};
#[doc(inline)]
pub use integration::{
    AuthKind, Credential, CustomCapability, Envelope, Integration, IntegrationBuilder,
};
#[doc(inline)]
pub use settings::EmptySettings;
#[doc(inline)]
pub use wire::Protocol;
