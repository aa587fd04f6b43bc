//! The framework's one integration-test binary.

mod cli;
mod console;
mod credential;
mod dispatch;
mod hostile_app;
mod hostile_input;
mod http;
mod layers;
mod multi_credential;
mod oauth;
mod oidc;
mod pagination;
mod server;
mod support;
mod wire;
