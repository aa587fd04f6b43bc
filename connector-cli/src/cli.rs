//! The command line: `connector scaffold | spec | package | check`, parsed with clap.
//!
//! Exit codes: 0 on success, 2 for usage errors (clap's, and a bad connector name), 1 when the
//! command failed (a non-empty directory, a failed build). Results go to stdout (the spec, the
//! archive paths, the written files); progress and errors go to stderr.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use connector_sdk::Protocol;

use crate::check;
use crate::package::{self, PackageOptions, Selection};
use crate::record_case;
use crate::scaffold::{self, AuthChoice, ConnectorName, ScaffoldOptions};
use crate::spec::{self, Format};

/// The `connector` command of the Rust connector SDK.
#[derive(Debug, Parser)]
#[command(
    name = "connector",
    version,
    disable_version_flag = true,
    about = "The Rust connector SDK's command: scaffold a connector, print the protocol's \
             OpenAPI spec, package on-prem bundles",
    after_help = "Start with `connector scaffold demo-connector connectors/demo-connector`, \
                  then `cargo test -p demo-connector`."
)]
pub struct Cli {
    /// Print the version.
    #[arg(short = 'v', long = "version", action = ArgAction::Version)]
    version: Option<bool>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a connector crate: integration, settings, HTTP client, capabilities, tests
    Scaffold(ScaffoldArgs),
    /// Print the OpenAPI 3.0 document of the connector protocol
    Spec(SpecArgs),
    /// Build a connector's release binary and bundle it for the on-prem agent
    Package(PackageArgs),
    /// Bundle a connector as `package` does, with the Python SDK's arguments
    ///
    /// connector-py 3.7.8's `MODULE PACKAGE_DIR`, or 4.x's `--app-id ID
    /// --connector-root-module-dir DIR`; both write the bundle `connector package` writes.
    CompileOnPrem(CompileOnPremArgs),
    /// Sync a live tenant the way the platform does and check every envelope and listing
    Check(CheckArgs),
    /// Print a recording (`<connector> <capability> --record DIR`) as a row of the capability's
    /// case table
    RecordCase(RecordCaseArgs),
}

/// `connector record-case`.
#[derive(Debug, Args)]
struct RecordCaseArgs {
    /// The recording, e.g. `tests/recordings/list_accounts-1.json`
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The case's name [default: `recorded_` and the file's name, e.g. `recorded_list_accounts_1`]
    #[arg(long, value_name = "NAME")]
    name: Option<String>,

    /// Write the whole case out (request, routes, envelope) instead of
    /// `Case::from_recording("…")`, so the row no longer needs the file
    #[arg(long)]
    inline: bool,
}

/// `connector check`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("connector").required(true).args(["exe", "package"]))]
struct CheckArgs {
    /// The connector executable to run
    #[arg(long, value_name = "PATH")]
    exe: Option<PathBuf>,

    /// Build this workspace package (release) and run its binary
    #[arg(short = 'p', long = "package", value_name = "PACKAGE")]
    package: Option<String>,

    /// The request's settings: inline JSON, @FILE, or env:VARIABLE
    #[arg(long, value_name = "JSON")]
    settings: String,

    /// The request's auth: inline JSON, @FILE, or env:VARIABLE (never echoed)
    #[arg(long, value_name = "JSON")]
    auth: String,

    /// The page size asked for
    #[arg(long, value_name = "N", default_value_t = 500)]
    page_size: u32,

    /// The most pages drained per listing
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    max_pages: u32,

    /// Write every check and every page's timing and size as JSON
    #[arg(long, value_name = "FILE.json")]
    report: Option<PathBuf>,

    /// Write one self-contained HTML page of the checks and page times
    #[arg(long, value_name = "FILE.html")]
    html: Option<PathBuf>,

    /// No progress line on stderr
    #[arg(long)]
    quiet: bool,

    /// Also run a write round trip on a throwaway account (create … delete); changes the tenant
    #[arg(long)]
    writes: bool,

    /// Confirm --writes when stdin is a terminal
    #[arg(long)]
    yes: bool,

    /// The protocol the connector is run in (`CONNECTOR_PROTOCOL`) and whose schema every
    /// envelope must validate against
    #[arg(long, value_enum, value_name = "VERSION", default_value = "3.7.8")]
    protocol: ProtocolArg,
}

/// `connector scaffold`.
#[derive(Debug, Args)]
struct ScaffoldArgs {
    /// The connector's name: its package, binary and app id (lowercase, digits, hyphens)
    #[arg(value_name = "NAME", value_parser = parse_name)]
    name: ConnectorName,

    /// Where to create the crate (`connectors/<NAME>` joins this workspace)
    #[arg(value_name = "DIR")]
    dir: PathBuf,

    /// Write into DIR even if it is not empty, overwriting files of the same names
    #[arg(short = 'f', long, visible_alias = "force-overwrite")]
    force: bool,

    /// Write only the `tests/` tree (for an existing connector crate)
    #[arg(short = 't', long)]
    tests_only: bool,

    /// The author's name for Cargo.toml [default: `git config user.name`, else none]
    #[arg(long, value_name = "NAME")]
    author_name: Option<String>,

    /// The author's email for Cargo.toml [default: `git config user.email`, else none]
    #[arg(long, value_name = "EMAIL")]
    author_email: Option<String>,

    /// The credential the connector accepts
    #[arg(long, value_enum, default_value_t = AuthArg::Token)]
    auth: AuthArg,

    /// One credential, the one of `--auth` (4.x's flag). A scaffold accepts the credentials
    /// `--auth` names (several with `--auth multi`), so this changes nothing
    #[arg(long)]
    single_auth: bool,

    /// The SDK checkout, the folder holding `framework/` and `testkit/` [default: the one DIR is
    /// in, else the one this binary was built from]. A DIR inside it joins its workspace; any
    /// other DIR gets a standalone crate with path dependencies on it
    #[arg(long, value_name = "PATH")]
    sdk_path: Option<PathBuf>,
}

/// The credential kinds of `--auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuthArg {
    /// Username and password (`auth.basic`)
    Basic,
    /// A static API token (`auth.token`)
    Token,
    /// OAuth authorization code flow (`auth.oauth`), with the OAuth capabilities
    Oauth,
    /// OAuth client credentials (`auth.oauth_client_credentials`), with the OAuth capabilities
    OauthClientCredentials,
    /// Several credentials by id (protocol 4): an API token `api_token` and a username and
    /// password `legacy`, with the SDK's `validate_credential_config`
    Multi,
}

impl From<AuthArg> for AuthChoice {
    fn from(arg: AuthArg) -> Self {
        match arg {
            AuthArg::Basic => Self::Basic,
            AuthArg::Token => Self::Token,
            AuthArg::Oauth => Self::OAuth,
            AuthArg::OauthClientCredentials => Self::OAuthClientCredentials,
            AuthArg::Multi => Self::Multi,
        }
    }
}

fn parse_name(text: &str) -> Result<ConnectorName, String> {
    ConnectorName::parse(text).map_err(|e| e.to_string())
}

/// `connector spec`.
#[derive(Debug, Args)]
struct SpecArgs {
    /// The output format
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    format: FormatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// JSON, indented
    Json,
    /// YAML
    Yaml,
}

/// `connector package`.
#[derive(Debug, Args)]
struct PackageArgs {
    /// The connector package to bundle [default: the package in the current directory]
    #[arg(
        short = 'p',
        long = "package",
        value_name = "NAME",
        conflicts_with = "all"
    )]
    packages: Vec<String>,

    /// Bundle every connector of the workspace (members with a binary that depend on the SDK)
    #[arg(long)]
    all: bool,

    /// The Cargo.toml of the connector or of its workspace
    #[arg(long, value_name = "PATH")]
    manifest_path: Option<PathBuf>,

    /// Where to write the bundles [default: `dist/` at the workspace root]
    #[arg(
        short = 'o',
        long,
        value_name = "DIR",
        visible_alias = "output-directory"
    )]
    output_dir: Option<PathBuf>,

    /// Also write an OCI image archive (`<app_id>-<version>.oci.tar`, for `podman load` /
    /// `docker load`, built without a daemon) and a Kubernetes manifest
    /// (`<app_id>-<version>.k8s.yaml`) beside the bundle
    #[arg(long)]
    oci: bool,

    #[command(flatten)]
    build: BuildArgs,
}

/// `connector compile-on-prem`: the Python SDK's two spellings of `package`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("form").required(true).args(["module", "app_id"]))]
struct CompileOnPremArgs {
    /// 3.7.8's form: the connector's package name, `_` standing for `-` (`demo_connector`)
    #[arg(value_name = "MODULE", requires = "package_dir")]
    module: Option<String>,

    /// 3.7.8's form: the connector's folder (its crate, or a folder holding MODULE/ with it)
    #[arg(value_name = "PACKAGE_DIR", requires = "module")]
    package_dir: Option<PathBuf>,

    /// 4.x's form: the connector's app id (the build fails if its `info` reports another)
    #[arg(
        long,
        value_name = "ID",
        requires = "connector_root_module_dir",
        conflicts_with = "module"
    )]
    app_id: Option<String>,

    /// 4.x's form: the connector's folder
    #[arg(long, value_name = "DIR", requires = "app_id")]
    connector_root_module_dir: Option<PathBuf>,

    /// Where to write the bundle [default: `dist/` at the workspace root]
    #[arg(short = 'o', long, value_name = "D", visible_alias = "output-dir")]
    output_directory: Option<PathBuf>,

    #[command(flatten)]
    build: BuildArgs,
}

/// How `package` and `compile-on-prem` build `main`.
#[derive(Debug, Args)]
struct BuildArgs {
    /// The protocol the bundled `main` speaks unless the platform asks for another (recorded
    /// in metadata.toml) [default: the one the connector declares]
    #[arg(long, value_enum, value_name = "VERSION")]
    protocol: Option<ProtocolArg>,

    /// The cargo profile [default: `dist` when the workspace defines it, else `release`]
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,

    /// The target triple [default: the host]. Linux targets are linked statically: glibc's
    /// static runtime for `*-linux-gnu`, musl for `*-linux-musl`
    #[arg(long, value_name = "TRIPLE")]
    target: Option<String>,

    /// Link `main` against the build machine's C library instead (it then needs the same or a
    /// newer glibc where it runs)
    #[arg(long)]
    dynamic: bool,
}

/// The protocol versions of `--protocol`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProtocolArg {
    /// connector-py 3.7.8
    #[value(name = "3.7.8")]
    V3_7_8,
    /// connector-py 4.x
    #[value(name = "4")]
    V4,
}

impl From<ProtocolArg> for Protocol {
    fn from(arg: ProtocolArg) -> Self {
        match arg {
            ProtocolArg::V3_7_8 => Self::V3_7_8,
            ProtocolArg::V4 => Self::V4,
        }
    }
}

impl BuildArgs {
    /// `PackageOptions` for `selection` with these build settings.
    fn options(
        self,
        selection: Selection,
        manifest_path: Option<PathBuf>,
        output_dir: Option<PathBuf>,
    ) -> PackageOptions {
        PackageOptions {
            selection,
            manifest_path,
            output_dir,
            profile: self.profile,
            target: self.target,
            linkage: if self.dynamic {
                package::Linkage::Dynamic
            } else {
                package::Linkage::Static
            },
            protocol: self.protocol.map(Protocol::from),
            expect_app_id: None,
            oci: false,
        }
    }
}

/// `compile-on-prem`'s arguments as `package`'s options.
fn compile_on_prem_options(args: CompileOnPremArgs) -> anyhow::Result<PackageOptions> {
    let (dir, module) = match (args.module, args.package_dir, &args.app_id) {
        (Some(module), Some(package_dir), _) => {
            // The Python layout: PACKAGE_DIR/MODULE/ holds the connector.
            let nested = package_dir.join(&module);
            let dir = if nested.join("Cargo.toml").is_file() {
                nested
            } else {
                package_dir
            };
            (dir, Some(module))
        }
        _ => (
            args.connector_root_module_dir
                .context("--connector-root-module-dir is required with --app-id")?,
            None,
        ),
    };
    let absolute = std::path::absolute(&dir).with_context(|| dir.display().to_string())?;
    let manifest = absolute
        .ancestors()
        .map(|a| a.join("Cargo.toml"))
        .find(|m| m.is_file())
        .with_context(|| format!("no Cargo.toml in {} or above it", dir.display()))?;
    let mut options = args.build.options(
        Selection::Dir { dir, module },
        Some(manifest),
        args.output_directory,
    );
    options.expect_app_id = args.app_id;
    Ok(options)
}

/// Runs the command line on `args` (the first is the program name) and returns the exit
/// code, printing results on stdout and everything else on stderr.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    match execute(cli) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Check(args) => return check_command(args, &mut stdout),
        Command::RecordCase(args) => {
            let options = record_case::RecordCaseOptions {
                file: args.file,
                name: args.name,
                inline: args.inline,
            };
            write_ignoring_broken_pipe(&mut stdout, &record_case::render(&options)?)?;
        }
        Command::Scaffold(args) => {
            // `--auth` decides single or multi (`--auth multi`): the flag is accepted as 4.x
            // spells it and changes nothing.
            if args.single_auth && args.auth == AuthArg::Multi {
                anyhow::bail!("--single-auth asks for one credential, --auth multi for several");
            }
            let options = ScaffoldOptions {
                name: args.name,
                dir: args.dir,
                force: args.force,
                tests_only: args.tests_only,
                author_name: args.author_name,
                author_email: args.author_email,
                auth: args.auth.into(),
                sdk_path: args.sdk_path,
            };
            let report = scaffold::scaffold(&options)?;
            for file in &report.files {
                writeln!(stdout, "{}", file.display())?;
            }
            let _ = write!(std::io::stderr(), "{}", report.next_steps);
        }
        Command::Spec(args) => {
            let format = match args.format {
                FormatArg::Json => Format::Json,
                FormatArg::Yaml => Format::Yaml,
            };
            write_ignoring_broken_pipe(&mut stdout, &spec::render(format)?)?;
        }
        Command::Package(args) => {
            let selection = if args.all {
                Selection::All
            } else if args.packages.is_empty() {
                Selection::Current
            } else {
                Selection::Packages(args.packages)
            };
            let mut options = args
                .build
                .options(selection, args.manifest_path, args.output_dir);
            options.oci = args.oci;
            for bundle in package::package(&options)? {
                writeln!(stdout, "{}", bundle.archive.display())?;
                if let Some(image) = &bundle.image {
                    writeln!(stdout, "{}", image.archive.display())?;
                    writeln!(stdout, "{}", image.manifest.display())?;
                }
            }
        }
        Command::CompileOnPrem(args) => {
            for bundle in package::package(&compile_on_prem_options(args)?)? {
                writeln!(stdout, "{}", bundle.archive.display())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check_command(args: CheckArgs, stdout: &mut impl std::io::Write) -> anyhow::Result<ExitCode> {
    let arguments = check::read_json_argument("--settings", &args.settings)
        .and_then(|settings| Ok((settings, check::read_json_argument("--auth", &args.auth)?)));
    let (settings, auth) = match arguments {
        Ok(pair) => pair,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error:#}");
            return Ok(ExitCode::from(2));
        }
    };
    if args.writes && !args.yes && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let _ = writeln!(
            std::io::stderr(),
            "error: --writes creates and deletes an account in the tenant; add --yes to confirm"
        );
        return Ok(ExitCode::from(2));
    }
    let exe = match (args.exe, args.package) {
        (Some(exe), _) => exe,
        (None, Some(package)) => package::build_release(&package)?,
        (None, None) => unreachable!("clap requires --exe or --package"),
    };
    let options = check::CheckOptions {
        exe,
        settings,
        auth,
        page_size: args.page_size.max(1),
        max_pages: args.max_pages.max(1),
        report: args.report,
        html: args.html,
        progress: !args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        writes: args.writes,
        protocol: args.protocol.into(),
    };
    let outcome = check::check(&options)?;
    write_ignoring_broken_pipe(stdout, &outcome.summary())?;
    Ok(if outcome.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Writes `text`; a reader that went away (`connector spec | head`) is not an error.
fn write_ignoring_broken_pipe(out: &mut impl std::io::Write, text: &str) -> std::io::Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
