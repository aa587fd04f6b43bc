//! The framework's one integration-test binary.

mod dispatch;
mod http;
mod oauth;
mod pagination;
mod support;
mod wire;
