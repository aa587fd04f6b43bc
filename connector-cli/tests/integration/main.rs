//! The `connector` command's one integration-test binary.

mod check;
mod cmd;
mod package;
mod record_case;
mod scaffold;
mod spec;
mod support;
