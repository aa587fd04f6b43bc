//! `sbom.cdx.json`: the bundle's CycloneDX 1.5 software bill of materials, written with the
//! CycloneDX project's own Rust model (`cyclonedx-bom`) and validated before it is bundled.

use anyhow::{Context as _, anyhow, bail};
use cyclonedx_bom::models::component::Classification;
use cyclonedx_bom::models::dependency::{Dependencies, Dependency};
use cyclonedx_bom::models::hash::{Hash, HashAlgorithm, HashValue, Hashes};
use cyclonedx_bom::models::license::{LicenseChoice, Licenses};
use cyclonedx_bom::models::tool::{Tool, Tools};
use cyclonedx_bom::prelude::*;
use sha2::{Digest, Sha256};

use super::licenses::{Component as Crate, Inventory};

/// The bom-ref and purl of a crate: `pkg:cargo/<name>@<version>`.
fn purl(krate: &Crate) -> anyhow::Result<Purl> {
    Purl::new("cargo", &krate.name, &krate.version)
        .map_err(|e| anyhow!("no package URL for {}: {e}", krate.key()))
}

fn component(krate: &Crate, kind: Classification) -> anyhow::Result<Component> {
    let purl = purl(krate)?;
    let mut component = Component::new(kind, &krate.name, &krate.version, Some(purl.to_string()));
    component.purl = Some(purl);
    if let Some(license) = &krate.license {
        component.licenses = Some(Licenses(vec![LicenseChoice::expression(license)]));
    }
    if let Some(checksum) = &krate.checksum {
        component.hashes = Some(Hashes(vec![sha256(checksum)]));
    }
    Ok(component)
}

fn sha256(hex: &str) -> Hash {
    Hash {
        alg: HashAlgorithm::SHA_256,
        content: HashValue(hex.to_owned()),
    }
}

/// A serial number derived from what the bill describes, so two packages of one commit give
/// the same bytes.
fn serial_number(inventory: &Inventory, main_sha256: &str) -> anyhow::Result<UrnUuid> {
    let mut hasher = Sha256::new();
    hasher.update(inventory.root.key().as_bytes());
    hasher.update(main_sha256.as_bytes());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    // An RFC 9562 version 8 (custom) UUID.
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    UrnUuid::new(format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
    .map_err(|e| anyhow!("serial number: {e:?}"))
}

/// The CycloneDX JSON of a bundle: the connector (with the sha256 of `main`) as the bill's
/// subject, every linked crate as a library with its licence, package URL and checksum, and
/// the dependency graph. `date` is the bundle's date (seconds since the epoch).
pub(super) fn cyclonedx_json(
    inventory: &Inventory,
    main_sha256: &str,
    date: u64,
) -> anyhow::Result<String> {
    let mut subject = component(&inventory.root, Classification::Application)?;
    subject.hashes = Some(Hashes(vec![sha256(main_sha256)]));
    let timestamp = i64::try_from(date)
        .ok()
        .and_then(|date| time::OffsetDateTime::from_unix_timestamp(date).ok())
        .ok_or_else(|| anyhow!("the date {date} is out of range"))?
        .format(&time::format_description::well_known::Rfc3339)
        .context("formatting the date")?;
    let metadata = Metadata {
        timestamp: Some(DateTime::try_from(timestamp).map_err(|e| anyhow!("{e}"))?),
        tools: Some(Tools::List(vec![Tool::new(
            "connector-sdk",
            "connector package",
            env!("CARGO_PKG_VERSION"),
        )])),
        component: Some(subject),
        ..Metadata::default()
    };
    let components = inventory
        .components
        .iter()
        .map(|c| component(c, Classification::Library))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let reference = |key: &str| -> anyhow::Result<String> {
        let krate = std::iter::once(&inventory.root)
            .chain(&inventory.components)
            .find(|c| c.key() == key)
            .ok_or_else(|| anyhow!("{key} is not in the graph"))?;
        Ok(purl(krate)?.to_string())
    };
    let dependencies = std::iter::once(&inventory.root)
        .chain(&inventory.components)
        .map(|krate| {
            Ok(Dependency {
                dependency_ref: purl(krate)?.to_string(),
                dependencies: krate
                    .depends_on
                    .iter()
                    .map(|key| reference(key))
                    .collect::<anyhow::Result<_>>()?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let bom = Bom {
        serial_number: Some(serial_number(inventory, main_sha256)?),
        metadata: Some(metadata),
        components: Some(Components(components)),
        dependencies: Some(Dependencies(dependencies)),
        spec_version: SpecVersion::V1_5,
        ..Bom::default()
    };
    let validation = bom.validate_version(SpecVersion::V1_5);
    if !validation.passed() {
        bail!("the SBOM does not validate: {validation:?}");
    }
    let mut out = Vec::new();
    bom.output_as_json_v1_5(&mut out)
        .map_err(|e| anyhow!("writing the SBOM: {e}"))?;
    out.push(b'\n');
    String::from_utf8(out).context("the SBOM is UTF-8")
}
