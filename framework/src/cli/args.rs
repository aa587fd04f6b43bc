//! The connector's arguments, built with clap from the registered capabilities and the protocol
//! the run speaks.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};

use super::RunOutput;
use super::{example, protocol, proxy};
use crate::Integration;
use crate::capability::Connector;
use crate::wire::CapabilityName;
use crate::wire::Protocol;

/// A parsed command line.
#[derive(Debug)]
pub(super) struct Invocation {
    pub(super) command: Request,
    pub(super) result_file: Option<PathBuf>,
    /// The protocol the run speaks (`--protocol`, `CONNECTOR_PROTOCOL`, the integration's).
    pub(super) protocol: Protocol,
    /// Notes for stderr before anything else (`--use-proxy` without a proxy).
    pub(super) notes: String,
}

/// What to run.
#[derive(Debug)]
pub(super) enum Request {
    Info,
    Spec,
    /// Protocol 4's `app_info`, with its request.
    AppInfo {
        json: Vec<u8>,
    },
    /// The request as bytes: checking that they are UTF-8 is dispatch's job, so bad bytes
    /// become a `bad_request` envelope like any other malformed JSON.
    Capability {
        name: CapabilityName,
        json: Vec<u8>,
        /// Where to record the call (`--record`, or the environment's `CONNECTOR_RECORD`).
        record: Option<PathBuf>,
    },
    /// A custom capability (protocol 4), by name.
    Custom {
        name: String,
        json: Vec<u8>,
    },
    /// `serve` (or `dev http-server`, alias `hacking http-server`).
    Serve {
        options: Box<crate::server::ServeOptions>,
        /// `--reload`: restart when the executable changes.
        reload: bool,
    },
    /// `console`: the developer console on a loopback port.
    Console(crate::server::console::ConsoleOptions),
}

/// Strips one layer of surrounding `"` or `'` quotes, as the reference does.
fn strip_quotes(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

fn result_file_arg() -> Arg {
    Arg::new("result-file-path")
        .long("result-file-path")
        .value_name("FILE.gz")
        .help("Write the JSON result gzip-compressed to this file instead of stdout")
}

/// `--use-proxy`, alias `--sip` (see [`proxy`]). 4.x shows it; 3.7.8 had no such flag, so its
/// help keeps it hidden (it is accepted all the same).
fn proxy_flag(protocol: Protocol) -> Arg {
    Arg::new("use-proxy")
        .long("use-proxy")
        .visible_alias("sip")
        .action(ArgAction::SetTrue)
        .help(
            "Call the app through the proxy the environment sets (HTTPS_PROXY, HTTP_PROXY, \
             ALL_PROXY); warn when none is set",
        )
        .hide(protocol == Protocol::V3_7_8)
}

/// The global `--log-format`. Its value is read before the command is parsed
/// ([`log_format`]), so logging is set up before anything runs.
fn log_format_flag() -> Arg {
    Arg::new("log-format")
        .long("log-format")
        .value_name("FORMAT")
        .value_parser(["text", "json"])
        .global(true)
        .help(format!(
            "Logs on stderr as text or as one JSON object per line, with the request and trace \
             ids in `serve` (or set {}=json)",
            crate::observability::LOG_FORMAT_ENV
        ))
}

/// The value of `--log-format FORMAT` or `--log-format=FORMAT` on the command line, if any.
pub(super) fn log_format(args: impl IntoIterator<Item = OsString>) -> Option<String> {
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy();
        if arg == "--" {
            break;
        }
        if arg == "--log-format" {
            return args.next().map(|v| v.to_string_lossy().into_owned());
        }
        if let Some(value) = arg.strip_prefix("--log-format=") {
            return Some(value.to_owned());
        }
    }
    None
}

/// The global `--protocol`. Its value was read before the command was built
/// ([`protocol::choose`]); clap only shows it and accepts it anywhere on the line.
fn protocol_flag(default: Protocol) -> Arg {
    Arg::new(protocol::FLAG)
        .long(protocol::FLAG)
        .value_name("VERSION")
        .env(Protocol::ENV)
        .global(true)
        .help(format!(
            "The protocol version to speak: 3.7.8 or 4 (this connector's default: {default})"
        ))
}

/// `--json JSON` | `--json-file PATH`, exactly one.
fn request_args(cmd: Command) -> Command {
    cmd.arg(
        Arg::new("json")
            .long("json")
            .value_name("JSON")
            .value_parser(clap::value_parser!(OsString))
            .help("The request envelope as a JSON string"),
    )
    .arg(
        Arg::new("json-file")
            .long("json-file")
            .value_name("PATH")
            .value_parser(clap::value_parser!(OsString))
            .help("Read the request envelope from this file"),
    )
    .group(
        ArgGroup::new("input")
            .args(["json", "json-file"])
            .required(true)
            .multiple(false),
    )
}

fn command<C: Connector>(integration: &Integration<C>, bin: &str, protocol: Protocol) -> Command {
    let about = match integration.info_name() {
        Some(name) => format!(
            "{name} (app id `{}`): a connector of the Lumos connector protocol",
            integration.app_id()
        ),
        None => format!(
            "`{}`: a connector of the Lumos connector protocol",
            integration.app_id()
        ),
    };
    let mut cmd = Command::new(bin.to_owned())
        .version(integration.version().to_owned())
        .about(about)
        .subcommand_required(true)
        .subcommand_value_name("CAPABILITY")
        .subcommand_help_heading("Capabilities")
        .arg(protocol_flag(integration.protocol()))
        .arg(log_format_flag())
        .after_help(format!(
            "Each capability reads one JSON request and prints one JSON envelope on stdout.\n\
             Run `{bin} <CAPABILITY> --help` for an example request."
        ))
        .subcommand(
            Command::new("info")
                .about("Describe the connector: capabilities, schemas, settings, auth")
                .arg(result_file_arg())
                .arg(proxy_flag(protocol)),
        );
    if protocol == Protocol::V4 {
        cmd = cmd.subcommand(
            request_args(Command::new("app_info"))
                .about("Describe the app: its id and the OpenAPI document of its capabilities")
                .arg(result_file_arg())
                .arg(proxy_flag(protocol))
                .after_help(format!(
                    "Example:\n  {bin} --protocol 4 app_info --json '{{\"request\":{{}}}}'"
                )),
        );
    }
    cmd = cmd.subcommand(
        Command::new("spec")
            .about("Print an OpenAPI 3.0 document of this connector's capabilities and settings")
            .arg(result_file_arg()),
    );
    cmd = cmd
        .subcommand(serve_command("serve", protocol).about(
            "Serve the capabilities over HTTP: POST /<capability> with the request envelope",
        ))
        .subcommand(
            Command::new("console")
                .about(
                    "Open the developer console in a browser: the connection form, a capability \
                     runner and the connector's info, on a loopback port",
                )
                .arg(
                    Arg::new("port")
                        .long("port")
                        .value_name("PORT")
                        .value_parser(clap::value_parser!(u16))
                        .help("The loopback port (default 0: a free one)"),
                )
                .arg(
                    Arg::new("no-open")
                        .long("no-open")
                        .action(ArgAction::SetTrue)
                        .help("Only print the URL; do not try to open a browser"),
                ),
        )
        .subcommand(
            Command::new("dev")
                .visible_alias("hacking")
                .about("Development tools (connector-py compatible)")
                .subcommand_required(true)
                .subcommand(serve_command("http-server", protocol).about("The same as `serve`")),
        );
    for name in integration.capabilities_in(protocol) {
        let description = integration
            .capability_description(name)
            .map_or_else(|| name.summary().to_owned(), str::to_owned);
        let request = example::request(integration, name);
        cmd = cmd.subcommand(
            request_args(Command::new(name.as_str()))
                .about(description)
                .arg(result_file_arg())
                .arg(
                    Arg::new("record")
                        .long("record")
                        .value_name("DIR")
                        .value_parser(clap::value_parser!(PathBuf))
                        .help(format!(
                            "Record the call's HTTP exchanges, scrubbed of credentials and \
                             personal data, as a test fixture in DIR (or set {})",
                            crate::record::RECORD_ENV
                        )),
                )
                .arg(proxy_flag(protocol))
                .after_help(format!("Example:\n  {bin} {name} --json '{request}'")),
        );
    }
    if protocol == Protocol::V4 {
        for name in integration.custom_capabilities() {
            let about = integration
                .custom_description(name)
                .unwrap_or("A custom capability of this connector")
                .to_owned();
            cmd = cmd.subcommand(
                request_args(Command::new(name.to_owned()))
                    .about(about)
                    .arg(result_file_arg())
                    .arg(proxy_flag(protocol)),
            );
        }
    }
    cmd
}

fn serve_command(name: &'static str, protocol: Protocol) -> Command {
    Command::new(name)
        .arg(
            Arg::new("host")
                .long("host")
                .value_name("ADDRESS")
                .value_parser(clap::value_parser!(std::net::IpAddr))
                .help("The address to listen on (default 127.0.0.1)"),
        )
        .arg(
            Arg::new("port")
                .long("port")
                .short('p')
                .value_name("PORT")
                .value_parser(clap::value_parser!(u16))
                .help("The port (default 8000; 0 picks a free one)"),
        )
        .arg(
            Arg::new("token-file")
                .long("token-file")
                .value_name("PATH")
                .value_parser(clap::value_parser!(PathBuf))
                .env(crate::server::TOKEN_FILE_ENV)
                .help(format!(
                    "A file holding the bearer token every route but /healthz and /readyz \
                     requires (or set {})",
                    crate::server::TOKEN_ENV
                )),
        )
        .arg(
            Arg::new("insecure")
                .long("insecure")
                .action(ArgAction::SetTrue)
                .help("Allow a non-loopback address without a token"),
        )
        .arg(
            Arg::new("max-body-bytes")
                .long("max-body-bytes")
                .value_name("BYTES")
                .value_parser(clap::value_parser!(usize))
                .help("The largest request body (default 10 MiB)"),
        )
        .arg(
            Arg::new("concurrency")
                .long("concurrency")
                .value_name("N")
                .value_parser(clap::value_parser!(usize))
                .help("Requests served at once (default 64)"),
        )
        .arg(
            Arg::new("grace")
                .long("grace")
                .value_name("SECONDS")
                .value_parser(clap::value_parser!(u64))
                .env(crate::server::GRACE_ENV)
                .help(
                    "How long SIGTERM waits for requests in flight before the server stops \
                     anyway (default 30, Kubernetes' default terminationGracePeriodSeconds)",
                ),
        )
        .arg(
            Arg::new("no-metrics")
                .long("no-metrics")
                .action(ArgAction::SetTrue)
                .conflicts_with("metrics-public")
                .help("Count nothing and serve no GET /metrics"),
        )
        .arg(
            Arg::new("metrics-public")
                .long("metrics-public")
                .action(ArgAction::SetTrue)
                .help("Serve GET /metrics without the bearer token (for an in-cluster scraper)"),
        )
        .arg(
            Arg::new("reload")
                .long("reload")
                .action(ArgAction::SetTrue)
                .help(
                    "Restart the server when the connector's executable changes (a new build); \
                     Unix only",
                ),
        )
        .arg(proxy_flag(protocol))
}

/// What `--use-proxy` says on stderr, when given (commands that call the app).
fn proxy_note(matches: &ArgMatches) -> String {
    if matches.get_flag("use-proxy") {
        proxy::note(|name| std::env::var_os(name))
    } else {
        String::new()
    }
}

fn serve_options(
    matches: &ArgMatches,
    protocol: Protocol,
) -> Result<crate::server::ServeOptions, RunOutput> {
    let mut options = crate::server::ServeOptions {
        protocol: Some(protocol),
        ..crate::server::ServeOptions::default()
    };
    if let Some(host) = matches.get_one::<std::net::IpAddr>("host") {
        options.host = *host;
    }
    if let Some(port) = matches.get_one::<u16>("port") {
        options.port = *port;
    }
    if let Some(limit) = matches.get_one::<usize>("max-body-bytes") {
        options.max_body_bytes = *limit;
    }
    if let Some(limit) = matches.get_one::<usize>("concurrency") {
        options.concurrency = *limit;
    }
    options.insecure = matches.get_flag("insecure");
    if let Some(seconds) = matches.get_one::<u64>("grace") {
        options.grace = std::time::Duration::from_secs(*seconds);
    }
    options.metrics_public = matches.get_flag("metrics-public");
    options.metrics = !matches.get_flag("no-metrics");
    if let Some(path) = matches.get_one::<PathBuf>("token-file") {
        options = options.token_from_file(path).map_err(usage_error)?;
    }
    Ok(options.token_from_env())
}

fn usage_error(message: impl std::fmt::Display) -> RunOutput {
    RunOutput::failure(2, format!("error: {message}\n"))
}

/// Parses the arguments; `Err` is an outcome to print as is (help, version, usage errors).
pub(super) fn parse<C, I, T>(integration: &Integration<C>, args: I) -> Result<Invocation, RunOutput>
where
    C: Connector,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let bin = args
        .first()
        .map(PathBuf::from)
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| integration.app_id().to_owned());
    let env = std::env::var_os(Protocol::ENV);
    let protocol =
        protocol::choose(&args, env.as_deref(), integration.protocol()).map_err(usage_error)?;
    let matches = command(integration, &bin, protocol)
        .try_get_matches_from(args)
        .map_err(|error| {
            let text = error.render().to_string();
            let code = u8::try_from(error.exit_code()).unwrap_or(2);
            if code == 0 {
                RunOutput::document(text)
            } else {
                RunOutput::failure(code, text)
            }
        })?;
    let (sub, sub_matches) = matches
        .subcommand()
        .ok_or_else(|| usage_error("no capability given"))?;
    let invocation = |command| Invocation {
        command,
        result_file: None,
        protocol,
        notes: String::new(),
    };
    let serve = |matches: &ArgMatches| {
        Ok(Invocation {
            notes: proxy_note(matches),
            ..invocation(Request::Serve {
                options: Box::new(serve_options(matches, protocol)?),
                reload: matches.get_flag("reload"),
            })
        })
    };
    match sub {
        "serve" => return serve(sub_matches),
        "dev" => {
            let Some(("http-server", server)) = sub_matches.subcommand() else {
                return Err(usage_error("`dev` needs a tool: http-server"));
            };
            return serve(server);
        }
        "console" => {
            return Ok(invocation(Request::Console(
                crate::server::console::ConsoleOptions {
                    port: sub_matches.get_one::<u16>("port").copied().unwrap_or(0),
                    open: !sub_matches.get_flag("no-open"),
                    protocol,
                },
            )));
        }
        _ => {}
    }
    let result_file = result_file(sub_matches)?;
    let command = match sub {
        "info" => Request::Info,
        "spec" => Request::Spec,
        "app_info" => Request::AppInfo {
            json: request_text(sub_matches)?,
        },
        custom
            if protocol == Protocol::V4 && integration.custom_capabilities().contains(&custom) =>
        {
            Request::Custom {
                name: custom.to_owned(),
                json: request_text(sub_matches)?,
            }
        }
        _ => {
            let name = sub
                .parse::<CapabilityName>()
                .map_err(|_| usage_error(format!("unknown capability `{sub}`")))?;
            let record = sub_matches
                .get_one::<PathBuf>("record")
                .cloned()
                .or_else(|| {
                    std::env::var_os(crate::record::RECORD_ENV)
                        .filter(|dir| !dir.is_empty())
                        .map(PathBuf::from)
                });
            Request::Capability {
                name,
                json: request_text(sub_matches)?,
                record,
            }
        }
    };
    // `info`, `spec` and `app_info` call no app: `--use-proxy` has nothing to say there.
    let notes = match command {
        Request::Capability { .. } | Request::Custom { .. } => proxy_note(sub_matches),
        _ => String::new(),
    };
    Ok(Invocation {
        result_file,
        notes,
        ..invocation(command)
    })
}

fn result_file(matches: &ArgMatches) -> Result<Option<PathBuf>, RunOutput> {
    let Some(raw) = matches.get_one::<String>("result-file-path") else {
        return Ok(None);
    };
    let path = strip_quotes(raw);
    if !path.ends_with(".gz") {
        return Err(usage_error(format!(
            "the result file name must end with .gz, got `{path}`"
        )));
    }
    Ok(Some(PathBuf::from(path)))
}

fn request_text(matches: &ArgMatches) -> Result<Vec<u8>, RunOutput> {
    if let Some(json) = matches.get_one::<OsString>("json") {
        // Unix arguments are bytes; elsewhere this is WTF-8, invalid UTF-8 where it is not text.
        return Ok(json.as_encoded_bytes().to_vec());
    }
    let raw = matches
        .get_one::<OsString>("json-file")
        .ok_or_else(|| usage_error("one of --json or --json-file is required"))?;
    let path = PathBuf::from(
        raw.to_str()
            .map_or_else(|| raw.clone(), |text| strip_quotes(text).into()),
    );
    std::fs::read(&path).map_err(|error| {
        usage_error(format!(
            "cannot read --json-file `{}`: {error}",
            path.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::strip_quotes;

    #[test]
    fn strips_one_layer_of_quotes() {
        assert_eq!(strip_quotes("\"a.gz\""), "a.gz");
        assert_eq!(strip_quotes("'a.gz'"), "a.gz");
        assert_eq!(strip_quotes("\"'a.gz'\""), "'a.gz'");
        assert_eq!(strip_quotes("a.gz"), "a.gz");
        assert_eq!(strip_quotes("\"a.gz"), "\"a.gz");
    }
}
