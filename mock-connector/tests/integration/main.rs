//! The mock connector's one integration-test binary: the compiled CLI, end to end.

mod cli;
mod info;
mod list_accounts;
mod oauth;
mod support;
