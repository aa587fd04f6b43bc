//! `connector package` (alias `compile-on-prem`): the on-prem bundle of a connector.
//!
//! It builds the connector's binary (statically linked on Linux, see [`Linkage`]), asks it for its app id and version (`<bin> info`), and writes
//! `<app_id>-<version>.tar.gz` holding the binary as `main` and a `metadata.toml`:
//!
//! ```toml
//! [connector]
//! app_id = "<app_id>_on_prem"
//! version = "<version>"
//! ```
//!
//! next to a `<archive>.sha256` file in `sha256sum` format. That is the layout the on-prem agent
//! reads (the reference bundles a PyInstaller folder the same way).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, anyhow, bail};

use crate::workspace::{self, Metadata, Package};

mod build;
mod bundle;
mod licenses;
mod sbom;

pub use build::Linkage;
pub use bundle::metadata_toml;

/// Which packages to bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The package whose folder holds the current directory.
    Current,
    /// These packages of the workspace.
    Packages(Vec<String>),
    /// Every connector of the workspace: members with a binary that depend on the SDK.
    All,
}

/// What `connector package` was asked to do.
#[derive(Debug, Clone)]
pub struct PackageOptions {
    /// The packages.
    pub selection: Selection,
    /// The manifest of the package or its workspace (default: found from the current directory).
    pub manifest_path: Option<PathBuf>,
    /// Where bundles go (default: `dist/` at the workspace root).
    pub output_dir: Option<PathBuf>,
    /// The cargo profile (default: `dist` when the workspace defines it, else `release`).
    pub profile: Option<String>,
    /// The target triple (default: the host).
    pub target: Option<String>,
    /// How `main` is linked (default: statically).
    pub linkage: Linkage,
}

/// A written bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// The package it was built from.
    pub package: String,
    /// The connector's app id, from its `info`.
    pub app_id: String,
    /// The connector's version, from its `info`.
    pub version: String,
    /// `<output_dir>/<app_id>-<version>.tar.gz`.
    pub archive: PathBuf,
    /// The archive's `.sha256` file.
    pub checksum: PathBuf,
}

/// Builds and bundles the selected connectors; progress goes to stderr.
///
/// # Errors
///
/// When no package matches, the build fails, the binary's `info` cannot be read, or a file
/// cannot be written.
pub fn package(options: &PackageOptions) -> anyhow::Result<Vec<Bundle>> {
    let metadata = workspace::metadata(options.manifest_path.as_deref())?;
    let packages = select(&metadata, &options.selection)?;
    let root = &metadata.workspace_root;
    let profile = match &options.profile {
        Some(profile) => profile.clone(),
        None => default_profile(root),
    };
    let target = build::target(root, options.target.as_deref(), options.linkage)?;
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| root.join("dist"));

    let names: Vec<&str> = packages.iter().map(|(p, _)| p.name.as_str()).collect();
    progress(&format!(
        "Building {} with profile `{profile}` for {}: {}",
        names.join(", "),
        target.triple,
        target.note
    ));
    // The licences first: a refused one fails the run before the long build.
    let policy = licenses::Policy::load(root)?;
    let graph = licenses::Graph::load(root, &target)?;
    let inventories = packages
        .iter()
        .map(|(package, _)| {
            let inventory = graph.inventory(&package.manifest_path, &policy)?;
            policy.check(&inventory)?;
            Ok(inventory)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    progress(&format!(
        "Licences of {} crates allowed by {}",
        inventories
            .iter()
            .map(|i| i.components.len())
            .sum::<usize>(),
        policy.describe()
    ));
    let executables = build::build(root, &packages, &profile, &target)?;

    std::fs::create_dir_all(&output_dir)
        .with_context(|| format!("creating {}", output_dir.display()))?;
    let mut bundles = Vec::new();
    for (((package, _), executable), inventory) in
        packages.iter().zip(executables).zip(&inventories)
    {
        build::check_linkage(&executable, &target)?;
        let (app_id, version) = identity(&executable)?;
        let contents = bundle::Contents {
            root,
            package: &package.name,
            executable: &executable,
            app_id: &app_id,
            version: &version,
            target: &target,
            inventory,
        };
        let bundle = bundle::write_bundle(&contents, &output_dir)?;
        let size = std::fs::metadata(&bundle.archive).map_or(0, |m| m.len());
        progress(&format!(
            "Bundled {} {} as {} ({:.1} MiB)",
            bundle.app_id,
            bundle.version,
            bundle.archive.display(),
            size as f64 / (1024.0 * 1024.0)
        ));
        bundles.push(bundle);
    }
    Ok(bundles)
}

fn progress(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The packages to build, each with the binary to bundle.
fn select<'a>(
    metadata: &'a Metadata,
    selection: &Selection,
) -> anyhow::Result<Vec<(&'a Package, String)>> {
    let chosen: Vec<&Package> = match selection {
        Selection::All => {
            let all: Vec<&Package> = metadata
                .packages
                .iter()
                .filter(|p| p.is_connector())
                .collect();
            if all.is_empty() {
                bail!(
                    "the workspace at {} has no connector (a member with a binary that depends on connector-sdk)",
                    metadata.workspace_root.display()
                );
            }
            all
        }
        Selection::Packages(names) => names
            .iter()
            .map(|name| {
                metadata
                    .packages
                    .iter()
                    .find(|p| &p.name == name)
                    .ok_or_else(|| anyhow!("no package `{name}` in the workspace"))
            })
            .collect::<anyhow::Result<_>>()?,
        Selection::Current => {
            let cwd = std::env::current_dir().context("reading the current directory")?;
            let cwd = cwd.canonicalize().unwrap_or(cwd);
            let current = metadata
                .packages
                .iter()
                .filter(|p| {
                    let dir = p
                        .dir()
                        .canonicalize()
                        .unwrap_or_else(|_| p.dir().to_owned());
                    cwd.starts_with(dir)
                })
                .max_by_key(|p| p.dir().components().count())
                .ok_or_else(|| {
                    anyhow!(
                        "the current directory is not inside a package: run this in a \
                         connector's folder, or pass `-p <package>` or `--all`"
                    )
                })?;
            vec![current]
        }
    };
    chosen
        .into_iter()
        .map(|package| {
            let binaries = package.binaries();
            let binary = match binaries.as_slice() {
                [] => bail!("package `{}` has no binary to bundle", package.name),
                [only] => (*only).to_owned(),
                many => many
                    .iter()
                    .find(|b| **b == package.name)
                    .map(|b| (*b).to_owned())
                    .ok_or_else(|| {
                        anyhow!(
                            "package `{}` has several binaries ({}) and none is named after it",
                            package.name,
                            many.join(", ")
                        )
                    })?,
            };
            Ok((package, binary))
        })
        .collect()
}

/// `dist` when the root manifest defines that profile (a fat-LTO release), else `release`.
fn default_profile(root: &Path) -> String {
    let defines_dist = workspace::read_manifest(&root.join("Cargo.toml"))
        .ok()
        .and_then(|m| m.get("profile")?.get("dist").cloned())
        .is_some();
    if defines_dist { "dist" } else { "release" }.to_owned()
}

/// The app id and version the binary reports in `info`.
fn identity(executable: &Path) -> anyhow::Result<(String, String)> {
    let output = Command::new(executable)
        .arg("info")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running `{} info`", executable.display()))?;
    if !output.status.success() {
        bail!("`{} info` failed ({})", executable.display(), output.status);
    }
    let info: serde_json::Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("reading the JSON of `{} info`", executable.display()))?;
    let field = |name: &str| {
        info["response"][name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow!("`{} info` has no response.{name}", executable.display()))
    };
    let app_id = field("app_id")?;
    let version = field("version")?;
    if app_id.is_empty()
        || app_id.contains(['/', '\\'])
        || app_id.starts_with('.')
        || version.contains(['/', '\\'])
    {
        bail!("the app id `{app_id}` and version `{version}` cannot name a bundle file");
    }
    Ok((app_id, version))
}

/// Builds one workspace package's binary with the release profile, for the host (for
/// `connector check`); its path.
pub fn build_release(package: &str) -> anyhow::Result<PathBuf> {
    let metadata = workspace::metadata(None)?;
    let packages = select(&metadata, &Selection::Packages(vec![package.to_owned()]))?;
    let root = &metadata.workspace_root;
    let host = build::target(root, None, Linkage::Dynamic)?;
    build::build(root, &packages, "release", &host)?
        .pop()
        .ok_or_else(|| anyhow!("cargo built no binary for package `{package}`"))
}
