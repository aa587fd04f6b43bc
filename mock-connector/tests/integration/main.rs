//! The mock connector's one integration-test binary: case tables per capability (in process,
//! against a wiremock app per case), the compiled CLI end to end, and the real mock app.

mod cases;
mod cli;
mod console;
mod coverage;
mod hosted;
mod hostile_app;
mod hostile_output;
mod info;
mod lifecycle;
mod list_accounts;
mod oauth;
mod observability;
mod otlp;
mod protocol4;
mod protocol4_state;
mod ratelimit;
mod record;
mod support;
