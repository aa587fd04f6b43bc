//! The framework's one integration-test binary.

mod dispatch;
mod support;
mod wire;
