//! `connector package` (alias `compile-on-prem`): the on-prem bundle of a connector.
//!
//! It builds the connector's binary (a static musl binary when that target is installed, else
//! for the host), asks it for its app id and version (`<bin> info`), and writes
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

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, anyhow, bail};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::workspace::{self, Metadata, Package};

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
    /// The target triple (default: static musl when installed, else the host).
    pub target: Option<String>,
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

/// The `metadata.toml` the agent reads.
#[derive(Debug, Serialize)]
struct BundleMetadata<'a> {
    connector: ConnectorMetadata<'a>,
}

#[derive(Debug, Serialize)]
struct ConnectorMetadata<'a> {
    app_id: String,
    version: &'a str,
}

/// The `metadata.toml` of a connector: `app_id` is suffixed `_on_prem`, as the agent expects.
///
/// ```
/// let text = connector_cli::package::metadata_toml("acme", "1.2.0").unwrap();
/// assert_eq!(text, "[connector]\napp_id = \"acme_on_prem\"\nversion = \"1.2.0\"\n");
/// ```
///
/// # Errors
///
/// Never in practice: two strings always serialize.
pub fn metadata_toml(app_id: &str, version: &str) -> anyhow::Result<String> {
    let metadata = BundleMetadata {
        connector: ConnectorMetadata {
            app_id: format!("{app_id}_on_prem"),
            version,
        },
    };
    toml::to_string(&metadata).context("writing metadata.toml")
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
    let target = match &options.target {
        Some(target) => Target {
            triple: target.clone(),
            explicit: true,
            note: "as asked".to_owned(),
        },
        None => default_target(root)?,
    };
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
    let executables = build(root, &packages, &profile, &target)?;

    std::fs::create_dir_all(&output_dir)
        .with_context(|| format!("creating {}", output_dir.display()))?;
    let mut bundles = Vec::new();
    for ((package, _), executable) in packages.iter().zip(executables) {
        let (app_id, version) = identity(&executable)?;
        let bundle = write_bundle(&package.name, &executable, &app_id, &version, &output_dir)?;
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

/// A target triple and why it was chosen.
#[derive(Debug)]
struct Target {
    triple: String,
    /// Whether `--target` is passed (not for the host: its artifacts are shared with plain
    /// `cargo build` and `cargo test`).
    explicit: bool,
    note: String,
}

fn rustc_output(root: &Path, args: &[&str]) -> anyhow::Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args(args)
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running `rustc {}`", args.join(" ")))?;
    if !output.status.success() {
        bail!("`rustc {}` failed ({})", args.join(" "), output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// The static musl target of the host's architecture when it is installed (with `musl-gcc`
/// for the C parts of the TLS stack), else the host target.
fn default_target(root: &Path) -> anyhow::Result<Target> {
    let version = rustc_output(root, &["-vV"])?;
    let host = version
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .ok_or_else(|| anyhow!("`rustc -vV` names no host"))?
        .trim()
        .to_owned();
    let arch = host.split('-').next().unwrap_or_default();
    let musl = format!("{arch}-unknown-linux-musl");
    if !host.contains("-linux-") {
        return Ok(Target {
            triple: host,
            explicit: false,
            note: "the host target; static musl binaries are built on Linux hosts only".into(),
        });
    }
    let sysroot = rustc_output(root, &["--print", "sysroot"])?;
    let installed = Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(&musl)
        .is_dir();
    Ok(match (installed, on_path("musl-gcc")) {
        (true, true) => Target {
            triple: musl,
            explicit: true,
            note: "a static musl binary".into(),
        },
        (false, _) => Target {
            note: format!(
                "the host target, dynamically linked; {musl} is not installed \
                 (`rustup target add {musl}` and `apt-get install musl-tools` give static binaries)"
            ),
            triple: host,
            explicit: false,
        },
        (true, false) => Target {
            note: format!(
                "the host target, dynamically linked; {musl} is installed but `musl-gcc` is not \
                 (`apt-get install musl-tools` gives static binaries)"
            ),
            triple: host,
            explicit: false,
        },
    })
}

/// Builds the packages' binaries and returns their paths, in order.
fn build(
    root: &Path,
    packages: &[(&Package, String)],
    profile: &str,
    target: &Target,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut command = workspace::cargo();
    command
        .current_dir(root)
        .args(["build", "--profile", profile]);
    if target.explicit {
        command.args(["--target", &target.triple]);
    }
    command
        .args(["--message-format", "json-render-diagnostics"])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"));
    for (package, binary) in packages {
        command.args(["-p", &package.name, "--bin", binary]);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("running `cargo build`")?;
    let mut executables: Vec<Option<PathBuf>> = vec![None; packages.len()];
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.context("reading cargo's output")?;
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if message["reason"] != "compiler-artifact" {
                continue;
            }
            let Some(executable) = message["executable"].as_str() else {
                continue;
            };
            let name = message["target"]["name"].as_str().unwrap_or_default();
            let manifest = message["manifest_path"].as_str().unwrap_or_default();
            for (slot, (package, binary)) in executables.iter_mut().zip(packages) {
                if binary == name && Path::new(manifest) == package.manifest_path {
                    *slot = Some(PathBuf::from(executable));
                }
            }
        }
    }
    let status = child.wait().context("waiting for `cargo build`")?;
    if !status.success() {
        bail!("`cargo build` failed ({status})");
    }
    executables
        .into_iter()
        .zip(packages)
        .map(|(path, (package, binary))| {
            path.ok_or_else(|| {
                anyhow!(
                    "cargo built no binary `{binary}` for package `{}`",
                    package.name
                )
            })
        })
        .collect()
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

/// The date of every entry: `SOURCE_DATE_EPOCH` when set (the reproducible-builds
/// convention), else the time of the checkout's last commit, else the epoch.
fn source_date(root: &Path) -> u64 {
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return epoch;
    }
    git(root, &["log", "-1", "--format=%ct"])
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(0)
}

/// A git query in `root`, when git and a checkout are there.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The `[build]` table of `metadata.toml`: the commit, the toolchain, the sha256 of `main`.
fn build_toml(root: &Path, main_sha256: &str) -> anyhow::Result<String> {
    #[derive(Serialize)]
    struct Build<'a> {
        build: BuildMetadata<'a>,
    }
    #[derive(Serialize)]
    struct BuildMetadata<'a> {
        commit: String,
        toolchain: String,
        main_sha256: &'a str,
    }
    let toolchain = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let build = Build {
        build: BuildMetadata {
            commit: git(root, &["rev-parse", "HEAD"]).unwrap_or_default(),
            toolchain,
            main_sha256,
        },
    };
    Ok(format!(
        "\n{}",
        toml::to_string(&build).context("writing metadata.toml")?
    ))
}

/// A tar entry's header: a regular file with `mode`, owned by root, dated `mtime`.
fn header(size: u64, mode: u32, mtime: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_size(size);
    header.set_mode(mode);
    header.set_mtime(mtime);
    header.set_uid(0);
    header.set_gid(0);
    header
}

/// Writes `<app_id>-<version>.tar.gz` and its `.sha256` into `output_dir`. Files are written
/// under temporary names and renamed, so a failure leaves no partial bundle.
fn write_bundle(
    package: &str,
    executable: &Path,
    app_id: &str,
    version: &str,
    output_dir: &Path,
) -> anyhow::Result<Bundle> {
    let file_name = format!("{app_id}-{version}.tar.gz");
    let archive = output_dir.join(&file_name);
    let checksum = output_dir.join(format!("{file_name}.sha256"));
    let binary =
        std::fs::read(executable).with_context(|| format!("reading {}", executable.display()))?;
    // Reproducible: every entry is dated by the source, not by the build.
    let root = executable
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").exists())
        .unwrap_or(output_dir);
    let mtime = source_date(root);
    let digest_of_main: String = Sha256::digest(&binary)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut metadata = metadata_toml(app_id, version)?;
    metadata.push_str(&build_toml(root, &digest_of_main)?);

    let encoder = GzEncoder::new(Vec::new(), Compression::default());
    let mut tar = tar::Builder::new(encoder);
    let mut main = header(binary.len() as u64, 0o770, mtime);
    tar.append_data(&mut main, "main", binary.as_slice())
        .context("adding main to the archive")?;
    let mut meta = header(metadata.len() as u64, 0o660, mtime);
    tar.append_data(&mut meta, "metadata.toml", metadata.as_bytes())
        .context("adding metadata.toml to the archive")?;
    let bytes = tar
        .into_inner()
        .and_then(GzEncoder::finish)
        .context("compressing the archive")?;

    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    write_atomically(&archive, &bytes)?;
    write_atomically(&checksum, format!("{hex}  {file_name}\n").as_bytes())?;
    Ok(Bundle {
        package: package.to_owned(),
        app_id: app_id.to_owned(),
        version: version.to_owned(),
        archive,
        checksum,
    })
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, bytes)
        .and_then(|()| std::fs::rename(&temporary, path))
        .with_context(|| format!("writing {}", path.display()))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
}

/// Builds one workspace package's binary with the release profile, for the host (for
/// `connector check`); its path.
pub fn build_release(package: &str) -> anyhow::Result<PathBuf> {
    let metadata = workspace::metadata(None)?;
    let packages = select(&metadata, &Selection::Packages(vec![package.to_owned()]))?;
    let host = Target {
        triple: String::new(),
        explicit: false,
        note: "the host".to_owned(),
    };
    build(&metadata.workspace_root, &packages, "release", &host)?
        .pop()
        .ok_or_else(|| anyhow!("cargo built no binary for package `{package}`"))
}
