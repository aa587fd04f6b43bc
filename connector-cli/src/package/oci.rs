//! `connector package --oci`: an OCI image archive of the connector, built without a container
//! daemon, from scratch, and the Kubernetes manifest that runs it.
//!
//! The image has one layer:
//!
//! | Path | What |
//! |---|---|
//! | `/connector/main` | the static binary (the bundle's `main`) |
//! | `/connector/metadata.toml`, `THIRD_PARTY_LICENSES.txt`, `sbom.cdx.json` | as in the bundle |
//! | `/etc/passwd`, `/etc/group` | root and the non-root user `connector` (65532:65532) |
//! | `/etc/ssl/certs/ca-certificates.crt` | the build machine's CA certificates, for `https` apps |
//!
//! and runs `/connector/main serve --host 0.0.0.0 --port 8000` as `65532:65532`; the token
//! comes from `CONNECTOR_SERVE_TOKEN` or from the file `CONNECTOR_SERVE_TOKEN_FILE` names.
//! Labels follow `org.opencontainers.image.*`. Every JSON document is written with sorted
//! keys, every tar entry with a fixed owner, mode and the source's date, so two builds of one
//! commit give the same bytes and the same image digest.
//!
//! The archive is an OCI image layout in a tar (`oci-archive`), which `podman load` and
//! `docker load` (Docker 25+) read; its `index.json` names the image
//! `localhost/<app_id>:<version>`.

use std::collections::BTreeMap;

use anyhow::{Context as _, anyhow};
use flate2::Compression;
use flate2::write::GzEncoder;
use oci_spec::image::{
    Arch, ConfigBuilder, Descriptor, DescriptorBuilder, HistoryBuilder, ImageConfigurationBuilder,
    ImageIndexBuilder, ImageManifestBuilder, MediaType, OciLayoutBuilder, Os, RootFsBuilder,
};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

/// The non-root user and group the image runs as.
pub(super) const UID: u32 = 65532;
/// The port `serve` listens on in the image.
pub(super) const PORT: u16 = 8000;
/// Where the CA certificates are read from on the build machine and written in the image.
const CA_CERTIFICATES: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The files of the image besides the system ones.
#[derive(Debug)]
pub(super) struct ImageFiles<'a> {
    pub(super) app_id: &'a str,
    pub(super) version: &'a str,
    pub(super) main: &'a [u8],
    pub(super) metadata: &'a str,
    pub(super) notices: &'a str,
    pub(super) sbom: &'a str,
    /// The date of every entry and of the image (seconds since the epoch).
    pub(super) mtime: u64,
    /// The commit, when built from a git checkout.
    pub(super) revision: Option<String>,
    /// The connector's licence (SPDX).
    pub(super) license: Option<String>,
    /// Where its source lives (a URL without credentials).
    pub(super) source: Option<String>,
    /// The target triple `main` was built for.
    pub(super) triple: &'a str,
}

/// A written image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Image {
    /// The archive's bytes.
    pub(super) archive: Vec<u8>,
    /// `sha256:<hex>` of the manifest: the image digest.
    pub(super) digest: String,
    /// `localhost/<app_id>:<version>`.
    pub(super) reference: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `value` with every object's keys sorted (the OCI types hold `HashMap`s, whose order would
/// change between runs), as compact JSON.
fn canonical_json(value: &impl Serialize) -> anyhow::Result<Vec<u8>> {
    fn sorted(value: Value) -> Value {
        match value {
            Value::Object(map) => {
                let sorted_map: BTreeMap<String, Value> =
                    map.into_iter().map(|(k, v)| (k, sorted(v))).collect();
                Value::Object(sorted_map.into_iter().collect())
            }
            Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
            other => other,
        }
    }
    let value = serde_json::to_value(value).context("serializing an OCI document")?;
    serde_json::to_vec(&sorted(value)).context("serializing an OCI document")
}

/// An entry of a reproducible tar: fixed owner, the given mode, the source's date.
fn append(
    tar: &mut tar::Builder<impl std::io::Write>,
    path: &str,
    bytes: Option<&[u8]>,
    mode: u32,
    mtime: u64,
) -> anyhow::Result<()> {
    let mut header = tar::Header::new_ustar();
    header.set_entry_type(if bytes.is_some() {
        tar::EntryType::Regular
    } else {
        tar::EntryType::Directory
    });
    let data = bytes.unwrap_or_default();
    header.set_size(data.len() as u64);
    header.set_mode(mode);
    header.set_mtime(mtime);
    header.set_uid(0);
    header.set_gid(0);
    tar.append_data(&mut header, path, data)
        .with_context(|| format!("adding {path} to the image"))
}

/// The image's one layer, uncompressed.
fn layer(files: &ImageFiles<'_>, ca_certificates: &[u8]) -> anyhow::Result<Vec<u8>> {
    let passwd = format!(
        "root:x:0:0:root:/:/sbin/nologin\nconnector:x:{UID}:{UID}:connector:/nonexistent:/sbin/nologin\n"
    );
    let group = format!("root:x:0:\nconnector:x:{UID}:\n");
    let mtime = files.mtime;
    let mut tar = tar::Builder::new(Vec::new());
    // In byte order of the paths, directories before their contents.
    let entries: [(&str, Option<&[u8]>, u32); 11] = [
        ("connector/", None, 0o755),
        (
            "connector/THIRD_PARTY_LICENSES.txt",
            Some(files.notices.as_bytes()),
            0o444,
        ),
        ("connector/main", Some(files.main), 0o555),
        (
            "connector/metadata.toml",
            Some(files.metadata.as_bytes()),
            0o444,
        ),
        (
            "connector/sbom.cdx.json",
            Some(files.sbom.as_bytes()),
            0o444,
        ),
        ("etc/", None, 0o755),
        ("etc/group", Some(group.as_bytes()), 0o444),
        ("etc/passwd", Some(passwd.as_bytes()), 0o444),
        ("etc/ssl/", None, 0o755),
        ("etc/ssl/certs/", None, 0o755),
        (
            "etc/ssl/certs/ca-certificates.crt",
            Some(ca_certificates),
            0o444,
        ),
    ];
    for (path, bytes, mode) in entries {
        append(&mut tar, path, bytes, mode, mtime)?;
    }
    tar.into_inner().context("finishing the image layer")
}

/// The OCI architecture of a target triple.
fn arch(triple: &str) -> anyhow::Result<Arch> {
    match triple.split('-').next().unwrap_or_default() {
        "x86_64" => Ok(Arch::Amd64),
        "aarch64" => Ok(Arch::ARM64),
        other => Err(anyhow!(
            "no OCI architecture for the target `{triple}` ({other}); --oci supports x86_64 \
             and aarch64 Linux"
        )),
    }
}

/// RFC 3339 of `seconds` since the epoch.
fn rfc3339(seconds: u64) -> anyhow::Result<String> {
    let seconds = i64::try_from(seconds).context("the source date")?;
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .context("the source date")?
        .format(&time::format_description::well_known::Rfc3339)
        .context("formatting the source date")
}

fn descriptor(media_type: MediaType, bytes: &[u8]) -> anyhow::Result<Descriptor> {
    let digest: oci_spec::image::Digest = format!("sha256:{}", sha256_hex(bytes))
        .parse()
        .context("a sha256 digest")?;
    Ok(DescriptorBuilder::default()
        .media_type(media_type)
        .digest(digest)
        .size(bytes.len() as u64)
        .build()?)
}

/// The image archive of `files`, with the CA certificates of the build machine.
pub(super) fn image(files: &ImageFiles<'_>) -> anyhow::Result<Image> {
    let ca_certificates = std::fs::read(CA_CERTIFICATES).with_context(|| {
        format!("reading {CA_CERTIFICATES} for the image (install the `ca-certificates` package)")
    })?;
    image_with(files, &ca_certificates)
}

/// The image archive of `files` with `ca_certificates`.
pub(super) fn image_with(files: &ImageFiles<'_>, ca_certificates: &[u8]) -> anyhow::Result<Image> {
    let layer = layer(files, ca_certificates)?;
    let diff_id = format!("sha256:{}", sha256_hex(&layer));
    // gzip without a name or time in its header (flate2's default): reproducible.
    let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
    std::io::Write::write_all(&mut gzip, &layer).context("compressing the layer")?;
    let layer_gz = gzip.finish().context("compressing the layer")?;
    drop(layer);

    let created = rfc3339(files.mtime)?;
    let reference = format!("localhost/{}:{}", files.app_id, files.version);
    let mut labels = BTreeMap::from([
        ("org.opencontainers.image.title", files.app_id.to_owned()),
        ("org.opencontainers.image.version", files.version.to_owned()),
        ("org.opencontainers.image.created", created.clone()),
        (
            "org.opencontainers.image.description",
            format!(
                "{} connector: `serve` on port {PORT} (token from CONNECTOR_SERVE_TOKEN or \
                 CONNECTOR_SERVE_TOKEN_FILE)",
                files.app_id
            ),
        ),
    ]);
    if let Some(revision) = &files.revision {
        labels.insert("org.opencontainers.image.revision", revision.clone());
    }
    if let Some(license) = &files.license {
        labels.insert("org.opencontainers.image.licenses", license.clone());
    }
    if let Some(source) = &files.source {
        labels.insert("org.opencontainers.image.source", source.clone());
    }
    let labels: std::collections::HashMap<String, String> =
        labels.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();

    let config = ConfigBuilder::default()
        .user(format!("{UID}:{UID}"))
        .exposed_ports(vec![format!("{PORT}/tcp")])
        .env(vec![
            "PATH=/connector".to_owned(),
            format!("SSL_CERT_FILE={CA_CERTIFICATES}"),
        ])
        .entrypoint(vec!["/connector/main".to_owned(), "serve".to_owned()])
        .cmd(vec![
            "--host".to_owned(),
            "0.0.0.0".to_owned(),
            "--port".to_owned(),
            PORT.to_string(),
        ])
        .working_dir("/")
        .labels(labels.clone())
        .stop_signal("SIGTERM")
        .build()?;
    let configuration = ImageConfigurationBuilder::default()
        .created(created.clone())
        .architecture(arch(files.triple)?)
        .os(Os::Linux)
        .config(config)
        .rootfs(
            RootFsBuilder::default()
                .typ("layers")
                .diff_ids(vec![diff_id])
                .build()?,
        )
        .history(vec![
            HistoryBuilder::default()
                .created(created)
                .created_by("connector package --oci")
                .build()?,
        ])
        .build()?;
    let config_json = canonical_json(&configuration)?;
    let manifest = ImageManifestBuilder::default()
        .schema_version(2u32)
        .media_type(MediaType::ImageManifest)
        .config(descriptor(MediaType::ImageConfig, &config_json)?)
        .layers(vec![descriptor(MediaType::ImageLayerGzip, &layer_gz)?])
        .annotations(labels)
        .build()?;
    let manifest_json = canonical_json(&manifest)?;
    let mut manifest_descriptor = descriptor(MediaType::ImageManifest, &manifest_json)?;
    manifest_descriptor.set_annotations(Some(std::collections::HashMap::from([(
        "org.opencontainers.image.ref.name".to_owned(),
        reference.clone(),
    )])));
    let digest = manifest_descriptor.digest().to_string();
    let index = ImageIndexBuilder::default()
        .schema_version(2u32)
        .media_type(MediaType::ImageIndex)
        .manifests(vec![manifest_descriptor])
        .build()?;
    let index_json = canonical_json(&index)?;
    let layout = canonical_json(
        &OciLayoutBuilder::default()
            .image_layout_version("1.0.0")
            .build()?,
    )?;

    let mut blobs: Vec<(String, &[u8])> = vec![
        (sha256_hex(&config_json), &config_json),
        (sha256_hex(&layer_gz), &layer_gz),
        (sha256_hex(&manifest_json), &manifest_json),
    ];
    blobs.sort();
    let mut tar = tar::Builder::new(Vec::new());
    append(&mut tar, "blobs/", None, 0o755, files.mtime)?;
    append(&mut tar, "blobs/sha256/", None, 0o755, files.mtime)?;
    for (hex, bytes) in blobs {
        append(
            &mut tar,
            &format!("blobs/sha256/{hex}"),
            Some(bytes),
            0o444,
            files.mtime,
        )?;
    }
    append(
        &mut tar,
        "index.json",
        Some(&index_json),
        0o444,
        files.mtime,
    )?;
    append(&mut tar, "oci-layout", Some(&layout), 0o444, files.mtime)?;
    let archive = tar.into_inner().context("finishing the image archive")?;
    Ok(Image {
        archive,
        digest,
        reference,
    })
}

/// The origin remote's URL without any credential, or `None`.
pub(super) fn source_url(remote: &str) -> Option<String> {
    let remote = remote.trim();
    if remote.is_empty() {
        return None;
    }
    match url::Url::parse(remote) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.set_fragment(None);
            Some(url.to_string())
        }
        // scp-like `git@host:path`: the user names no secret, but keep only host and path.
        Err(_) => remote
            .split_once('@')
            .map_or(Some(remote), |(_, rest)| Some(rest))
            .map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(main: &[u8]) -> ImageFiles<'_> {
        ImageFiles {
            app_id: "demo",
            version: "1.2.3",
            main,
            metadata: "[connector]\n",
            notices: "notices",
            sbom: "{}",
            mtime: 1_700_000_000,
            revision: Some("abc".to_owned()),
            license: Some("Apache-2.0".to_owned()),
            source: None,
            triple: "x86_64-unknown-linux-gnu",
        }
    }

    #[test]
    fn the_same_inputs_give_the_same_archive_and_digest() {
        let a = image_with(&files(b"binary"), b"certs").unwrap();
        let b = image_with(&files(b"binary"), b"certs").unwrap();
        assert_eq!(a, b);
        let c = image_with(&files(b"other binary"), b"certs").unwrap();
        assert_ne!(a.digest, c.digest);
        assert_eq!(a.reference, "localhost/demo:1.2.3");
    }

    #[test]
    fn source_urls_lose_their_credentials() {
        assert_eq!(
            source_url("https://user:tok3n@github.com/acme/c.git").as_deref(),
            Some("https://github.com/acme/c.git")
        );
        assert_eq!(
            source_url("git@github.com:acme/c.git").as_deref(),
            Some("github.com:acme/c.git")
        );
        assert_eq!(source_url(""), None);
    }
}
