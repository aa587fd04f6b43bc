//! What cargo knows about a workspace (`cargo metadata`), and the workspace's root manifest.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};
use serde::Deserialize;

/// The cargo to run: the one that runs us (`cargo run`, tests), else `cargo` on the PATH.
pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")))
}

/// The part of `cargo metadata --no-deps` we read.
#[derive(Debug, Deserialize)]
pub(crate) struct Metadata {
    /// The workspace's members (and only them, with `--no-deps`).
    pub(crate) packages: Vec<Package>,
    /// The folder of the root manifest.
    pub(crate) workspace_root: PathBuf,
}

/// A package of the workspace.
#[derive(Debug, Deserialize)]
pub(crate) struct Package {
    pub(crate) name: String,
    pub(crate) manifest_path: PathBuf,
    pub(crate) targets: Vec<Target>,
    pub(crate) dependencies: Vec<Dependency>,
}

/// A build target of a package.
#[derive(Debug, Deserialize)]
pub(crate) struct Target {
    pub(crate) name: String,
    pub(crate) kind: Vec<String>,
}

/// A dependency of a package.
#[derive(Debug, Deserialize)]
pub(crate) struct Dependency {
    pub(crate) name: String,
    /// `None` for a normal dependency, `dev` or `build` otherwise.
    pub(crate) kind: Option<String>,
}

impl Package {
    /// The package's binaries.
    pub(crate) fn binaries(&self) -> Vec<&str> {
        self.targets
            .iter()
            .filter(|t| t.kind.iter().any(|k| k == "bin"))
            .map(|t| t.name.as_str())
            .collect()
    }

    /// Whether the package is a connector: a binary that depends on the SDK (and is not this
    /// command).
    pub(crate) fn is_connector(&self) -> bool {
        self.name != env!("CARGO_PKG_NAME")
            && !self.binaries().is_empty()
            && self
                .dependencies
                .iter()
                .any(|d| d.name == "connector-sdk" && d.kind.is_none())
    }

    /// The folder of the package.
    pub(crate) fn dir(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

/// Runs `cargo metadata --no-deps` for the manifest (or the current directory).
pub(crate) fn metadata(manifest_path: Option<&Path>) -> anyhow::Result<Metadata> {
    let mut command = cargo();
    command.args(["metadata", "--format-version", "1", "--no-deps"]);
    if let Some(path) = manifest_path {
        command.arg("--manifest-path").arg(path);
    }
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .context("running `cargo metadata`")?;
    if !output.status.success() {
        bail!("`cargo metadata` failed ({})", output.status);
    }
    serde_json::from_slice(&output.stdout).context("reading the output of `cargo metadata`")
}

/// Reads a `Cargo.toml` as a TOML table.
pub(crate) fn read_manifest(path: &Path) -> anyhow::Result<toml::Table> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.parse::<toml::Table>()
        .with_context(|| format!("parsing {}", path.display()))
}

/// The `[workspace] members` patterns of a root manifest.
pub(crate) fn member_patterns(manifest: &toml::Table) -> Vec<String> {
    manifest
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(toml::Value::as_array)
        .map(|members| {
            members
                .iter()
                .filter_map(toml::Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the relative path `member` (with `/` separators) matches a `members` pattern
/// (`connectors/*` style: `*` stands for one path segment).
pub(crate) fn matches_member(pattern: &str, member: &str) -> bool {
    let pattern: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let member: Vec<&str> = member.trim_end_matches('/').split('/').collect();
    pattern.len() == member.len()
        && pattern
            .iter()
            .zip(&member)
            .all(|(p, m)| segment_matches(p, m))
}

/// `*` in a segment matches any run of characters.
fn segment_matches(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((prefix, rest)) => {
            let Some(text) = text.strip_prefix(prefix) else {
                return false;
            };
            (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .any(|i| segment_matches(rest, &text[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::matches_member;

    #[test]
    fn member_globs() {
        assert!(matches_member("connectors/*", "connectors/acme"));
        assert!(!matches_member("connectors/*", "connectors/acme/x"));
        assert!(!matches_member("connectors/*", "acme"));
        assert!(matches_member("mock-connector", "mock-connector"));
        assert!(matches_member("crates/conn-*", "crates/conn-acme"));
        assert!(!matches_member("crates/conn-*", "crates/acme"));
    }
}
