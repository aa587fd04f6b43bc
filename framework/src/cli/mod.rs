//! The command line of a connector: `<exe> info`, `<exe> spec`, `<exe> <capability> --json …`,
//! `<exe> serve` (hosted mode, [`crate::server`]; also `dev http-server`, alias `hacking
//! http-server`, as connector-py spells it) and `<exe> console` (the developer console on a
//! loopback port, [`crate::server::console`]).
//!
//! Every command speaks one protocol version: the global `--protocol 3.7.8|4`, else the
//! `CONNECTOR_PROTOCOL` environment variable, else the integration's default
//! ([`crate::Integration::protocol`]); an unknown version is a usage error. Protocol 4 adds the
//! `app_info` command. `--use-proxy` (`--sip`) warns on stderr when the environment sets no
//! proxy (the SDK's HTTP client uses the standard proxy variables either way); `--reload` on
//! `dev http-server` restarts the server when the executable changes (a new build).
//!
//! A connector's `main.rs` is three lines:
//!
//! ```no_run
//! # use connector_sdk::{EmptySettings, Integration, capability::Connector};
//! # struct Demo;
//! # impl Connector for Demo { type Settings = EmptySettings; }
//! # fn integration() -> Integration<Demo> { Integration::builder(Demo, "demo", "1.0.0").build() }
//! fn main() -> std::process::ExitCode {
//!     connector_sdk::cli::run(integration())
//! }
//! ```
//!
//! Exit codes: 0 whenever a JSON document was produced (error envelopes included), 2 for usage
//! errors (unknown or unregistered capability, an unknown protocol version, missing or
//! conflicting `--json`, unreadable `--json-file`, a result path not ending in `.gz`, a bare
//! `dev`), 1 when the output could not be written.
//! A request that is not valid JSON, invalid UTF-8 included, is a `bad_request` envelope (exit
//! 0). Error messages are cut to 1 KiB and never carry a secret of the request, in any encoding.
//! stdout carries the one JSON document and nothing else.

mod args;
mod example;
mod output;
mod protocol;
mod proxy;

use std::ffi::OsString;
use std::process::ExitCode;

use crate::Integration;
use crate::capability::Connector;

pub use output::RunOutput;

/// Runs the connector's command line on the process arguments and prints the result.
pub fn run<C: Connector>(integration: Integration<C>) -> ExitCode {
    // The call arrived no later than this: the platform's rate-limit state it carries is at
    // least as old.
    let received = std::time::Instant::now();
    let log_format = args::log_format(std::env::args_os());
    crate::observability::init(
        integration.app_id(),
        &Integration::<C>::crate_name(),
        log_format.as_deref(),
    );
    crate::otlp::init(integration.app_id(), integration.version());
    match args::parse(&integration, std::env::args_os()) {
        Ok(args::Invocation {
            command: args::Request::Serve { options, reload },
            notes,
            ..
        }) => {
            output::note(&notes);
            let code = crate::server::run(integration, *options, reload);
            // After the requests in flight: their spans are queued.
            crate::otlp::shutdown();
            return ExitCode::from(code);
        }
        Ok(args::Invocation {
            command: args::Request::Console(options),
            ..
        }) => {
            let code = crate::server::console::run(integration, &options);
            crate::otlp::shutdown();
            return ExitCode::from(code);
        }
        _ => {}
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let outcome =
                RunOutput::failure(1, format!("error: cannot start the runtime: {error}\n"));
            return output::emit(&outcome);
        }
    };
    let outcome = runtime.block_on(crate::http::received_at(
        received,
        execute(&integration, std::env::args_os()),
    ));
    let code = output::emit(&outcome);
    // The answer is out; the call's spans get at most `otlp::FLUSH_TIMEOUT` more.
    crate::otlp::shutdown();
    code
}

/// Dispatches one capability call, inside an OTLP span when an exporter is configured.
async fn dispatch<C: Connector>(
    integration: &Integration<C>,
    protocol: crate::wire::Protocol,
    name: &str,
    json: &[u8],
) -> crate::Envelope {
    let Some(otlp) = crate::otlp::global() else {
        return integration.dispatch_bytes_as(protocol, name, json).await;
    };
    let span = otlp.capability(name, crate::otlp::parent_from_env().as_ref(), false);
    let scope = std::sync::Arc::new(crate::trace::Scope {
        trace: span.trace(),
        spans: Some(span.spans()),
        ..crate::trace::Scope::default()
    });
    let dispatched = integration.dispatch_bytes_as(protocol, name, json);
    let envelope = crate::trace::scope(scope, dispatched).await;
    span.end(match &envelope {
        crate::Envelope::Error(error) => {
            crate::otlp::Outcome::Error(error.error.error_code.as_str())
        }
        _ => crate::otlp::Outcome::Success,
    });
    envelope
}

/// Runs the command line on `args` (the first is the program name) without touching the
/// process's stdout or stderr: what `run` would print, and its exit code. Result files are
/// written.
///
/// It needs a Tokio runtime with timers (`enable_all()`): every call ends by its deadline.
///
/// ```
/// # use connector_sdk::{EmptySettings, Integration, capability::Connector};
/// # struct Demo;
/// # impl Connector for Demo { type Settings = EmptySettings; }
/// let integration = Integration::builder(Demo, "demo", "1.0.0").build();
/// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// let outcome = runtime.block_on(connector_sdk::cli::execute(&integration, ["demo", "info"]));
/// assert_eq!(outcome.exit_code, 0);
/// assert!(outcome.stdout.starts_with(r#"{"page": null, "raw_data": null, "response": {"app_id": "demo""#));
/// ```
pub async fn execute<C, I, T>(integration: &Integration<C>, args: I) -> RunOutput
where
    C: Connector,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let invocation = match args::parse(integration, args) {
        Ok(invocation) => invocation,
        Err(outcome) => return outcome,
    };
    let protocol = invocation.protocol;
    let document = match invocation.command {
        args::Request::Info => integration.info_json_as(protocol),
        args::Request::Spec => format!("{:#}", crate::spec::connector(integration)),
        args::Request::AppInfo { json } => integration
            .dispatch_bytes_as(protocol, "app_info", &json)
            .await
            .to_json(),
        args::Request::Serve { .. } | args::Request::Console(_) => {
            return RunOutput::failure(
                2,
                "error: `serve` and `console` run from the process's command line (`cli::run`)\n"
                    .to_owned(),
            );
        }
        args::Request::Capability {
            name,
            json,
            record: Some(dir),
        } => {
            // The recording never changes the envelope or the exit code: only stderr says
            // what it did.
            let (envelope, note) = integration
                .dispatch_recorded(protocol, name, &json, &dir)
                .await;
            let mut outcome =
                output::deliver(envelope.to_json(), invocation.result_file.as_deref());
            outcome.stderr.insert_str(0, &invocation.notes);
            outcome.stderr.push_str(&note);
            outcome.stderr.push('\n');
            return outcome;
        }
        args::Request::Custom { name, json } => dispatch(integration, protocol, &name, &json)
            .await
            .to_json(),
        args::Request::Capability {
            name,
            json,
            record: None,
        } => dispatch(integration, protocol, name.as_str(), &json)
            .await
            .to_json(),
    };
    let mut outcome = output::deliver(document, invocation.result_file.as_deref());
    outcome.stderr.insert_str(0, &invocation.notes);
    outcome
}
