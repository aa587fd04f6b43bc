//! `connector package` (and `connector compile-on-prem`, the Python SDK's spelling): the
//! on-prem bundle of a connector.
//!
//! It builds the connector's binary (statically linked on Linux, see [`Linkage`]; with
//! `CONNECTOR_BUNDLE_PROTOCOL` set when a protocol is asked for, so `main` speaks it by
//! default), asks it for its app id and version (`<bin> info`) and for the protocol it speaks,
//! and writes `<app_id>-<version>.tar.gz` holding the binary as `main` and a `metadata.toml`:
//!
//! ```toml
//! [connector]
//! app_id = "<app_id>_on_prem"
//! version = "<version>"
//! protocol = "3.7.8" # or "4"
//! ```
//!
//! next to a `<archive>.sha256` file in `sha256sum` format. That is the layout the on-prem agent
//! reads (the reference bundles a PyInstaller folder the same way).
//!
//! With `--oci` ([`PackageOptions::oci`]) it also writes the hosted-mode image
//! `<app_id>-<version>.oci.tar` and its Kubernetes manifest `<app_id>-<version>.k8s.yaml`
//! (see `oci.rs` and `kube.rs`).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, anyhow, bail};
use connector_sdk::Protocol;

use crate::workspace::{self, Metadata, Package};

mod build;
mod bundle;
mod kube;
mod licenses;
mod oci;
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
    /// The package whose folder holds `dir` (`compile-on-prem`'s connector folder); with a
    /// `module`, the package must be named so (`_` standing for `-`, as a Python module name).
    Dir {
        /// A folder inside the package.
        dir: PathBuf,
        /// The name the package must have.
        module: Option<String>,
    },
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
    /// The protocol the bundled `main` speaks by default: built with
    /// `CONNECTOR_BUNDLE_PROTOCOL=<it>`, over the integration's declared one. `None`: the
    /// integration's own (the variable is removed from the build's environment).
    pub protocol: Option<Protocol>,
    /// The app id the bundled connector must report (`compile-on-prem --app-id`).
    pub expect_app_id: Option<String>,
    /// Also write the OCI image archive and the Kubernetes manifest.
    pub oci: bool,
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
    /// The protocol `main` speaks by default (recorded in `metadata.toml`).
    pub protocol: Protocol,
    /// `<output_dir>/<app_id>-<version>.tar.gz`.
    pub archive: PathBuf,
    /// The archive's `.sha256` file.
    pub checksum: PathBuf,
    /// The OCI image and its manifest, with `--oci`.
    pub image: Option<OciImage>,
}

/// A written OCI image (`connector package --oci`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciImage {
    /// `<output_dir>/<app_id>-<version>.oci.tar`.
    pub archive: PathBuf,
    /// `<output_dir>/<app_id>-<version>.k8s.yaml`.
    pub manifest: PathBuf,
    /// The image digest (`sha256:` of its manifest), the same for every build of one commit.
    pub digest: String,
    /// The name `podman load` gives it: `localhost/<app_id>:<version>`.
    pub reference: String,
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
    let executables = build::build(root, &packages, &profile, &target, options.protocol)?;

    let mut bundles = Vec::new();
    for (((package, _), executable), inventory) in
        packages.iter().zip(executables).zip(&inventories)
    {
        build::check_linkage(&executable, &target)?;
        let (app_id, version, capabilities) = identity(&executable)?;
        if let Some(expected) = &options.expect_app_id
            && *expected != app_id
        {
            bail!(
                "--app-id {expected}: the connector built from package `{}` reports the app id \
                 `{app_id}`",
                package.name
            );
        }
        let protocol = spoken_protocol(&executable, &capabilities)?;
        if let Some(asked) = options.protocol
            && asked != protocol
        {
            bail!(
                "{} was built for protocol {asked} (CONNECTOR_BUNDLE_PROTOCOL) but speaks \
                 {protocol}: its connector-sdk does not read the variable",
                executable.display()
            );
        }
        let contents = bundle::Contents {
            root,
            package: &package.name,
            executable: &executable,
            app_id: &app_id,
            version: &version,
            protocol,
            target: &target,
            inventory,
            oci: options.oci,
        };
        std::fs::create_dir_all(&output_dir)
            .with_context(|| format!("creating {}", output_dir.display()))?;
        let bundle = bundle::write_bundle(&contents, &output_dir)?;
        let size = std::fs::metadata(&bundle.archive).map_or(0, |m| m.len());
        progress(&format!(
            "Bundled {} {} (protocol {}) as {} ({:.1} MiB)",
            bundle.app_id,
            bundle.version,
            bundle.protocol,
            bundle.archive.display(),
            size as f64 / (1024.0 * 1024.0)
        ));
        if let Some(image) = &bundle.image {
            let size = std::fs::metadata(&image.archive).map_or(0, |m| m.len());
            progress(&format!(
                "Image {} ({}, {:.1} MiB) as {}, its Kubernetes manifest as {}",
                image.reference,
                image.digest,
                size as f64 / (1024.0 * 1024.0),
                image.archive.display(),
                image.manifest.display()
            ));
        }
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
        Selection::Current | Selection::Dir { .. } => {
            let cwd = match selection {
                Selection::Dir { dir, .. } => std::path::absolute(dir)
                    .with_context(|| format!("reading {}", dir.display()))?,
                _ => std::env::current_dir().context("reading the current directory")?,
            };
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
                .ok_or_else(|| match selection {
                    Selection::Dir { dir, .. } => anyhow!(
                        "{} is not inside a package of the workspace at {}",
                        dir.display(),
                        metadata.workspace_root.display()
                    ),
                    _ => anyhow!(
                        "the current directory is not inside a package: run this in a \
                         connector's folder, or pass `-p <package>` or `--all`"
                    ),
                })?;
            if let Selection::Dir {
                dir,
                module: Some(module),
            } = selection
                && current.name.replace('-', "_") != module.replace('-', "_")
            {
                bail!(
                    "{} holds the package `{}`, not `{module}`",
                    dir.display(),
                    current.name
                );
            }
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

/// The app id, version and capabilities the binary reports in `info` (run with
/// `CONNECTOR_PROTOCOL` unset, so it speaks its own default).
fn identity(executable: &Path) -> anyhow::Result<(String, String, Vec<String>)> {
    let output = Command::new(executable)
        .arg("info")
        .env_remove(Protocol::ENV)
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
    // 3.7.8 lists names; a capability may also be an object naming itself.
    let capabilities = info["response"]["capabilities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| {
            c.as_str()
                .or_else(|| c["capability"].as_str())
                .or_else(|| c["name"].as_str())
                .map(str::to_owned)
        })
        .collect();
    Ok((app_id, version, capabilities))
}

/// The protocol the binary speaks by default (`CONNECTOR_PROTOCOL` unset): it is asked to run
/// its first capability on an empty request, which every protocol refuses with an error
/// envelope, and protocol 4 gives every error envelope `error_metadata` while 3.7.8 never does.
fn spoken_protocol(executable: &Path, capabilities: &[String]) -> anyhow::Result<Protocol> {
    let capability = capabilities.first().ok_or_else(|| {
        anyhow!(
            "`{} info` lists no capability, so the protocol it speaks cannot be asked",
            executable.display()
        )
    })?;
    let output = Command::new(executable)
        .args([capability, "--json", "{}"])
        .env_remove(Protocol::ENV)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .with_context(|| format!("running `{} {capability}`", executable.display()))?;
    let envelope: serde_json::Value = serde_json::from_slice(&output.stdout).with_context(|| {
        format!(
            "reading the JSON of `{} {capability} --json {{}}` (asking which protocol it speaks)",
            executable.display()
        )
    })?;
    if envelope["is_error"] != true {
        bail!(
            "`{} {capability} --json {{}}` did not refuse the empty request, so the protocol \
             it speaks cannot be told",
            executable.display()
        );
    }
    Ok(if envelope["error"].get("error_metadata").is_some() {
        Protocol::V4
    } else {
        Protocol::V3_7_8
    })
}

/// Builds one workspace package's binary with the release profile, for the host (for
/// `connector check`); its path.
pub fn build_release(package: &str) -> anyhow::Result<PathBuf> {
    let metadata = workspace::metadata(None)?;
    let packages = select(&metadata, &Selection::Packages(vec![package.to_owned()]))?;
    let root = &metadata.workspace_root;
    let host = build::target(root, None, Linkage::Dynamic)?;
    build::build(root, &packages, "release", &host, None)?
        .pop()
        .ok_or_else(|| anyhow!("cargo built no binary for package `{package}`"))
}
