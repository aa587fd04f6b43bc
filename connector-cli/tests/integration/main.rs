//! The `connector` command's one integration-test binary.

mod cmd;
mod package;
mod scaffold;
mod spec;
mod support;
