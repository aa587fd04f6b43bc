//! The framework's one integration-test binary.

mod dispatch;
mod http;
mod pagination;
mod support;
mod wire;
