//! The `connector` command's one integration-test binary.

mod check;
mod cmd;
mod package;
mod scaffold;
mod spec;
mod support;
