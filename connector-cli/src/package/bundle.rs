//! The bundle: `main`, `metadata.toml`, the licences and the SBOM in a reproducible
//! `.tar.gz`, and its `.sha256`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context as _;
use connector_sdk::Protocol;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::build::{Linkage, Target};
use super::licenses::{self, Inventory};
use super::sbom;
use super::{Bundle, OciImage, kube, oci};

/// The `metadata.toml` the agent reads.
#[derive(Debug, Serialize)]
struct BundleMetadata<'a> {
    connector: ConnectorMetadata<'a>,
}

#[derive(Debug, Serialize)]
struct ConnectorMetadata<'a> {
    app_id: String,
    version: &'a str,
    protocol: &'static str,
}

/// The `metadata.toml` of a connector: `app_id` is suffixed `_on_prem`, as the agent expects;
/// `protocol` is the one `main` speaks by default (`3.7.8` or `4`).
///
/// ```
/// use connector_sdk::Protocol;
///
/// let text = connector_cli::package::metadata_toml("acme", "1.2.0", Protocol::V4).unwrap();
/// assert_eq!(
///     text,
///     "[connector]\napp_id = \"acme_on_prem\"\nversion = \"1.2.0\"\nprotocol = \"4\"\n"
/// );
/// ```
///
/// # Errors
///
/// Never in practice: three strings always serialize.
pub fn metadata_toml(app_id: &str, version: &str, protocol: Protocol) -> anyhow::Result<String> {
    let metadata = BundleMetadata {
        connector: ConnectorMetadata {
            app_id: format!("{app_id}_on_prem"),
            version,
            protocol: protocol.as_str(),
        },
    };
    toml::to_string(&metadata).context("writing metadata.toml")
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
fn build_toml(root: &Path, target: &Target, main_sha256: &str) -> anyhow::Result<String> {
    #[derive(Serialize)]
    struct Build<'a> {
        build: BuildMetadata<'a>,
    }
    #[derive(Serialize)]
    struct BuildMetadata<'a> {
        commit: String,
        toolchain: String,
        target: &'a str,
        linkage: &'a str,
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
            target: &target.triple,
            linkage: match target.linkage {
                Linkage::Static => "static",
                Linkage::Dynamic => "dynamic",
            },
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

/// What goes into one bundle.
#[derive(Debug)]
pub(super) struct Contents<'a> {
    /// The workspace's folder: its commit dates the entries, wherever the target folder is.
    pub(super) root: &'a Path,
    pub(super) package: &'a str,
    pub(super) executable: &'a Path,
    /// The connector's app id and version, from its `info`.
    pub(super) app_id: &'a str,
    pub(super) version: &'a str,
    /// The protocol `main` speaks by default.
    pub(super) protocol: Protocol,
    pub(super) target: &'a Target,
    pub(super) inventory: &'a Inventory,
    /// Also write the OCI image and its Kubernetes manifest.
    pub(super) oci: bool,
}

/// Writes `<app_id>-<version>.tar.gz` and its `.sha256` into `output_dir`. Files are written
/// under temporary names and renamed, so a failure leaves no partial bundle.
pub(super) fn write_bundle(contents: &Contents<'_>, output_dir: &Path) -> anyhow::Result<Bundle> {
    let Contents {
        root,
        package,
        executable,
        app_id,
        version,
        protocol,
        target,
        inventory,
        oci,
    } = *contents;
    let file_name = format!("{app_id}-{version}.tar.gz");
    let archive = output_dir.join(&file_name);
    let checksum = output_dir.join(format!("{file_name}.sha256"));
    let binary =
        std::fs::read(executable).with_context(|| format!("reading {}", executable.display()))?;
    // Reproducible: every entry is dated by the source, not by the build.
    let mtime = source_date(root);
    let digest_of_main: String = Sha256::digest(&binary)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut metadata = metadata_toml(app_id, version, protocol)?;
    metadata.push_str(&build_toml(root, target, &digest_of_main)?);

    let notices = licenses::third_party_licenses(inventory);
    let sbom = sbom::cyclonedx_json(inventory, &digest_of_main, mtime)?;

    // Entries in byte order of their names, each with a fixed mode, owner and date; the gzip
    // header carries no name and no time (flate2's default).
    let entries: [(&str, &[u8], u32); 4] = [
        ("THIRD_PARTY_LICENSES.txt", notices.as_bytes(), 0o660),
        ("main", &binary, 0o770),
        ("metadata.toml", metadata.as_bytes(), 0o660),
        ("sbom.cdx.json", sbom.as_bytes(), 0o660),
    ];
    let encoder = GzEncoder::new(Vec::new(), Compression::default());
    let mut tar = tar::Builder::new(encoder);
    for (name, bytes, mode) in entries {
        let mut entry = header(bytes.len() as u64, mode, mtime);
        tar.append_data(&mut entry, name, bytes)
            .with_context(|| format!("adding {name} to the archive"))?;
    }
    let bytes = tar
        .into_inner()
        .and_then(GzEncoder::finish)
        .context("compressing the archive")?;

    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    write_atomically(&archive, &bytes)?;
    write_atomically(&checksum, format!("{hex}  {file_name}\n").as_bytes())?;
    let image = if oci {
        let files = oci::ImageFiles {
            app_id,
            version,
            main: &binary,
            metadata: &metadata,
            notices: &notices,
            sbom: &sbom,
            mtime,
            revision: git(root, &["rev-parse", "HEAD"]),
            license: inventory.root.license.clone(),
            source: git(root, &["remote", "get-url", "origin"])
                .and_then(|remote| oci::source_url(&remote)),
            triple: &target.triple,
        };
        let image = oci::image(&files)?;
        let archive = output_dir.join(format!("{app_id}-{version}.oci.tar"));
        let manifest = output_dir.join(format!("{app_id}-{version}.k8s.yaml"));
        write_atomically(&archive, &image.archive)?;
        write_atomically(
            &manifest,
            kube::manifest(app_id, version, &image.reference)?.as_bytes(),
        )?;
        Some(OciImage {
            archive,
            manifest,
            digest: image.digest,
            reference: image.reference,
        })
    } else {
        None
    };
    Ok(Bundle {
        package: package.to_owned(),
        app_id: app_id.to_owned(),
        version: version.to_owned(),
        protocol,
        archive,
        checksum,
        image,
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
