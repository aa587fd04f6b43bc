//! The framework's one integration-test binary.

mod wire;
mod compile_fail;
mod dispatch;
mod support;
