//! `connector scaffold NAME DIR`: a new connector crate that builds, tests green and runs
//! `info` the first time.
//!
//! The crate has the integration declaration (`src/lib.rs`), a settings type, an HTTP client
//! module and read and write capability modules implemented against a placeholder REST API
//! (every part to replace is marked `PLACEHOLDER`), a `tests/` tree in the testkit layout (one
//! `<capability>_cases.rs` case table per capability, all passing against wiremock), a README
//! and a justfile.
//!
//! - A DIR inside the SDK's workspace (`connectors/<name>`) joins the workspace: its
//!   dependencies are `serde.workspace = true` and its lints are the workspace's.
//! - Any other DIR gets a standalone crate (`[workspace]` of its own) with path dependencies on
//!   the SDK checkout (`--sdk-path`), the SDK's versions, lints, profiles and `Cargo.lock`.
//!
//! Nothing is asked interactively. A non-empty DIR is refused without `--force`, and a failed
//! write removes what was written.

mod name;
mod render;
mod write;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, anyhow, bail};

use connector_sdk::wire::{CapabilityGroup, CapabilityName};
pub use name::{ConnectorName, NameError};
use render::{Dependencies, TemplateContext};

use crate::workspace;

/// The credential a scaffolded connector accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthChoice {
    /// `auth.basic`.
    Basic,
    /// `auth.token`.
    Token,
    /// `auth.oauth`, with the OAuth module (authorization code flow).
    OAuth,
    /// `auth.oauth_client_credentials`, with the OAuth module (client credentials flow).
    OAuthClientCredentials,
    /// Several credentials declared by id (protocol 4's multi-credential mode): an API token
    /// `api_token` and a username and password `legacy`, either one enough; the SDK's
    /// `validate_credential_config` comes with them.
    Multi,
}

impl AuthChoice {
    /// The key of the credential inside `auth` (`multi` for several credentials).
    pub const fn field(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Token => "token",
            Self::OAuth => "oauth",
            Self::OAuthClientCredentials => "oauth_client_credentials",
            Self::Multi => "multi",
        }
    }

    const fn auth_kind(self) -> &'static str {
        match self {
            Self::Basic => "Basic",
            Self::Token => "Token",
            Self::OAuth => "OAuth",
            Self::OAuthClientCredentials => "OAuthClientCredentials",
            // The first of its credentials.
            Self::Multi => "Token",
        }
    }

    /// The capabilities the SDK registers itself for this choice: the OAuth module's for an
    /// OAuth flow, `validate_credential_config` for several credentials. Asked of the SDK
    /// itself, so the scaffold follows it.
    fn sdk_capabilities(self) -> Vec<CapabilityName> {
        use connector_sdk::oauth::OAuthSettings;
        use connector_sdk::{Credential, EmptySettings, Integration};

        struct Probe;
        impl connector_sdk::capability::Connector for Probe {
            type Settings = EmptySettings;
        }
        const AUTHORIZE: &str = "https://app.invalid/authorize";
        const TOKEN: &str = "https://app.invalid/token";
        let builder = Integration::builder(Probe, "probe", "0");
        let integration = match self {
            Self::Basic | Self::Token => builder.build(),
            Self::OAuth => builder
                .oauth(OAuthSettings::code_flow(AUTHORIZE, TOKEN))
                .build(),
            Self::OAuthClientCredentials => builder
                .oauth(OAuthSettings::client_credentials(TOKEN))
                .build(),
            Self::Multi => builder
                .credential(Credential::token("api_token").optional())
                .credential(Credential::basic("legacy").optional())
                .build(),
        };
        integration.capabilities_in(connector_sdk::Protocol::V4)
    }
}

/// The capabilities a scaffold registers and tests: every capability of the SDK's table that
/// the templates have a case table for (`tests/integration/<capability>_cases.rs.j2`); the
/// OAuth ones and `validate_credential_config` only as the SDK registers them for the choice.
fn scaffold_capabilities(auth: AuthChoice) -> Vec<&'static str> {
    let by_sdk = auth.sdk_capabilities();
    let sdk_run = |name: &CapabilityName| {
        name.group() == CapabilityGroup::OAuth
            || *name == CapabilityName::ValidateCredentialConfig
            || *name == CapabilityName::ProbeIntegration
    };
    CapabilityName::ALL
        .iter()
        .filter(|name| render::has_case_template(name.as_str()))
        .filter(|name| !sdk_run(name) || by_sdk.contains(name))
        .map(|name| name.as_str())
        .collect()
}

/// What `connector scaffold` was asked to do.
#[derive(Debug, Clone)]
pub struct ScaffoldOptions {
    /// The connector's name.
    pub name: ConnectorName,
    /// Where to write the crate.
    pub dir: PathBuf,
    /// Write into a non-empty DIR.
    pub force: bool,
    /// Write only `tests/`.
    pub tests_only: bool,
    /// Author name; `None` reads `git config user.name`.
    pub author_name: Option<String>,
    /// Author email; `None` reads `git config user.email`.
    pub author_email: Option<String>,
    /// The accepted credential.
    pub auth: AuthChoice,
    /// The SDK checkout; `None` is the one DIR is in, else the one this binary was built from.
    pub sdk_path: Option<PathBuf>,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct ScaffoldReport {
    /// The crate's folder.
    pub dir: PathBuf,
    /// The files written, relative to `dir`, sorted.
    pub files: Vec<PathBuf>,
    /// Whether the crate joined the SDK's workspace.
    pub workspace_member: bool,
    /// What to do next, for a person.
    pub next_steps: String,
}

/// Whether `dir` is an SDK checkout: a workspace with `framework/` and `testkit/`.
fn is_sdk(dir: &Path) -> bool {
    dir.join("Cargo.toml").is_file()
        && dir.join("framework/Cargo.toml").is_file()
        && dir.join("testkit/Cargo.toml").is_file()
}

/// The SDK checkout to use: `--sdk-path`; else the checkout DIR is in (so `connector scaffold x
/// connectors/x` joins the workspace it is run in); else the one this binary was built from.
fn sdk_root(given: Option<&Path>, dir: &Path) -> anyhow::Result<PathBuf> {
    if let Some(given) = given {
        let root = given
            .canonicalize()
            .with_context(|| format!("--sdk-path {}", given.display()))?;
        if !is_sdk(&root) {
            bail!(
                "--sdk-path {} is not the SDK checkout: it has no framework/Cargo.toml and \
                 testkit/Cargo.toml",
                given.display()
            );
        }
        return Ok(root);
    }
    if let Some(root) = dir.ancestors().skip(1).find(|a| is_sdk(a)) {
        return Ok(root.to_owned());
    }
    let built_in = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .filter(|root| is_sdk(root))
        .ok_or_else(|| {
            anyhow!(
                "cannot find the SDK: pass --sdk-path <the SDK checkout, the folder with \
                 framework/ and testkit/>"
            )
        })?;
    Ok(built_in
        .canonicalize()
        .unwrap_or_else(|_| built_in.to_owned()))
}

/// `path` made absolute, with its existing part canonicalized (symlinks, `..`).
fn resolve(path: &Path) -> anyhow::Result<PathBuf> {
    let absolute = std::path::absolute(path).with_context(|| path.display().to_string())?;
    let components: Vec<Component<'_>> = absolute.components().collect();
    // The longest prefix that exists is canonicalized; the rest is applied lexically.
    let mut split = components.len();
    while split > 1 && !components[..split].iter().collect::<PathBuf>().exists() {
        split -= 1;
    }
    let existing: PathBuf = components[..split].iter().collect();
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for component in &components[split..] {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    Ok(resolved)
}

fn git_config(key: &str) -> Option<String> {
    let output = Command::new("git")
        .args(["config", "--get", key])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let value = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !value.is_empty()).then_some(value)
}

/// `Name <email>`, `Name`, `<email>`, or nothing.
fn author(name: Option<String>, email: Option<String>) -> Option<String> {
    let name = name.or_else(|| git_config("user.name")).unwrap_or_default();
    let email = email
        .or_else(|| git_config("user.email"))
        .unwrap_or_default();
    match (name.trim(), email.trim()) {
        ("", "") => None,
        (name, "") => Some(name.to_owned()),
        ("", email) => Some(format!("<{email}>")),
        (name, email) => Some(format!("{name} <{email}>")),
    }
}

/// Whether `dir` is missing or holds nothing but a `.git` (a fresh `git init`).
fn is_empty_dir(dir: &Path) -> anyhow::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            for entry in entries {
                let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
                if entry.file_name() != ".git" {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(error) => Err(error).with_context(|| format!("reading {}", dir.display())),
    }
}

/// `path` relative to `base` with `/` separators, if it is inside it.
fn relative_slash(path: &Path, base: &Path) -> Option<String> {
    let relative = path.strip_prefix(base).ok()?;
    Some(
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The SDK workspace's tables a standalone crate copies: dependencies (path entries made
/// absolute), and `[lints]` and `[profile.*]` as TOML text.
fn standalone_tables(sdk: &Path) -> anyhow::Result<(BTreeMap<String, toml::Value>, String)> {
    let manifest = workspace::read_manifest(&sdk.join("Cargo.toml"))?;
    let workspace_table = manifest
        .get("workspace")
        .and_then(toml::Value::as_table)
        .ok_or_else(|| anyhow!("{}/Cargo.toml has no [workspace]", sdk.display()))?;
    let mut dependencies = BTreeMap::new();
    if let Some(table) = workspace_table
        .get("dependencies")
        .and_then(toml::Value::as_table)
    {
        for (name, entry) in table {
            let mut entry = entry.clone();
            if let Some(path) = entry.get("path").and_then(toml::Value::as_str) {
                let absolute = sdk.join(path);
                let absolute = absolute.to_string_lossy().replace('\\', "/");
                if let Some(table) = entry.as_table_mut() {
                    table.insert("path".into(), toml::Value::String(absolute));
                }
            }
            dependencies.insert(name.clone(), entry);
        }
    }
    let mut extra = toml::Table::new();
    if let Some(lints) = workspace_table.get("lints") {
        extra.insert("lints".into(), lints.clone());
    }
    if let Some(profile) = manifest.get("profile") {
        extra.insert("profile".into(), profile.clone());
    }
    let text = if extra.is_empty() {
        String::new()
    } else {
        toml::to_string(&extra).context("writing the [lints] and [profile] tables")?
    };
    Ok((dependencies, text))
}

/// Scaffolds a connector crate as `options` say.
///
/// # Errors
///
/// When DIR (or DIR/tests with `--tests-only`) is not empty and `--force` was not given, the
/// SDK cannot be found, or a file cannot be written (then nothing is left behind).
pub fn scaffold(options: &ScaffoldOptions) -> anyhow::Result<ScaffoldReport> {
    let dir = resolve(&options.dir)?;
    if dir.is_file() {
        bail!("{} is a file, not a folder", options.dir.display());
    }
    if options.tests_only {
        if !dir.join("Cargo.toml").is_file() {
            bail!(
                "--tests-only writes the tests of an existing connector crate, and {} has no \
                 Cargo.toml",
                options.dir.display()
            );
        }
        if !options.force && !is_empty_dir(&dir.join("tests"))? {
            bail!(
                "{} is not empty: pass --force to write into it (files of the same names are \
                 overwritten)",
                options.dir.join("tests").display()
            );
        }
    } else if !options.force && !is_empty_dir(&dir)? {
        bail!(
            "{} is not empty: pass --force to write into it (files of the same names are \
             overwritten)",
            options.dir.display()
        );
    }

    let sdk = sdk_root(options.sdk_path.as_deref(), &dir)?;
    let member = relative_slash(&dir, &sdk);
    let mut warnings = String::new();
    let (dependencies, tables) = match &member {
        Some(member) => {
            let manifest = workspace::read_manifest(&sdk.join("Cargo.toml"))?;
            let patterns = workspace::member_patterns(&manifest);
            if !patterns
                .iter()
                .any(|p| workspace::matches_member(p, member))
            {
                let _ = writeln!(
                    warnings,
                    "warning: `{member}` is not a member of the workspace at {}: add \"{member}\" \
                     to `members` in its Cargo.toml (or scaffold into connectors/{})",
                    sdk.display(),
                    options.name
                );
            }
            (Dependencies::Workspace, String::new())
        }
        None => {
            let (table, text) = standalone_tables(&sdk)?;
            (Dependencies::Standalone(table), text)
        }
    };
    let workspace_member = member.is_some();
    let sdk_path = sdk.to_string_lossy().replace('\\', "/");
    let context = TemplateContext {
        name: options.name.as_str().to_owned(),
        crate_name: options.name.crate_name(),
        type_name: options.name.type_name(),
        settings_type: options.name.settings_type(),
        title: options.name.title(),
        author: author(options.author_name.clone(), options.author_email.clone()),
        auth: options.auth.field(),
        auth_kind: options.auth.auth_kind(),
        capabilities: scaffold_capabilities(options.auth),
        workspace: workspace_member,
        connector_command: if workspace_member {
            "cargo run -q -p connector-cli --".to_owned()
        } else {
            "connector".to_owned()
        },
        sdk_path,
        standalone_tables: tables,
    };
    let tests_only = options.tests_only;
    let rendered = render::render(&context, dependencies, |path| {
        !tests_only || path.starts_with("tests/")
    })?;
    if !rendered.unformatted.is_empty() {
        let _ = writeln!(
            warnings,
            "warning: rustfmt could not be run, so the Rust files are as the templates wrote \
             them: run `cargo fmt` in {}",
            options.dir.display()
        );
    }
    let mut files = rendered.files;
    if !workspace_member && !tests_only {
        // The SDK's tested versions of every dependency, and its toolchain.
        for extra in ["Cargo.lock", "rust-toolchain.toml"] {
            if let Ok(bytes) = std::fs::read(sdk.join(extra)) {
                files.push((PathBuf::from(extra), bytes));
            }
        }
        files.sort();
    }
    write::write_all(&dir, &files)?;

    let shown = options.dir.display();
    let name = options.name.as_str();
    let mut next_steps = warnings;
    let _ = writeln!(
        next_steps,
        "Created {} `{name}` in {shown} ({} files, auth `{}`{}).",
        if tests_only {
            "the tests of"
        } else {
            "connector"
        },
        files.len(),
        options.auth.field(),
        if workspace_member {
            ", a member of the SDK's workspace"
        } else {
            ", a standalone crate"
        }
    );
    let _ = writeln!(next_steps, "\nNext steps:");
    if workspace_member {
        let _ = writeln!(next_steps, "  cargo test -p {name}");
        let _ = writeln!(next_steps, "  cargo run -q -p {name} -- info");
    } else {
        let _ = writeln!(next_steps, "  cd {shown}");
        let _ = writeln!(next_steps, "  cargo test");
        let _ = writeln!(next_steps, "  cargo run -q -- info");
    }
    let _ = writeln!(
        next_steps,
        "Then replace what is marked PLACEHOLDER with the real app's API (see README.md)."
    );
    Ok(ScaffoldReport {
        dir,
        files: files.into_iter().map(|(path, _)| path).collect(),
        workspace_member,
        next_steps,
    })
}

#[cfg(test)]
mod tests {
    use super::{author, is_empty_dir, relative_slash, resolve};
    use std::path::Path;

    #[test]
    fn a_fresh_git_repository_counts_as_empty() {
        let temp = tempfile::tempdir().unwrap();
        assert!(is_empty_dir(&temp.path().join("missing")).unwrap());
        std::fs::create_dir(temp.path().join(".git")).unwrap();
        assert!(is_empty_dir(temp.path()).unwrap());
        std::fs::write(temp.path().join("README.md"), "").unwrap();
        assert!(!is_empty_dir(temp.path()).unwrap());
    }

    #[test]
    fn authors() {
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            author(some("Ada"), some("ada@example.com")).as_deref(),
            Some("Ada <ada@example.com>")
        );
        assert_eq!(author(some("Ada"), some("")).as_deref(), Some("Ada"));
        assert_eq!(author(some(""), some("")), None);
    }

    #[test]
    fn paths_resolve_through_missing_parts() {
        let temp = tempfile::tempdir().unwrap();
        let base = temp.path().canonicalize().unwrap();
        let path = resolve(&temp.path().join("a/../b/c")).unwrap();
        assert_eq!(path, base.join("b/c"));
        assert_eq!(
            relative_slash(&base.join("connectors/x"), &base).as_deref(),
            Some("connectors/x")
        );
        assert_eq!(relative_slash(Path::new("/elsewhere"), &base), None);
    }
}
