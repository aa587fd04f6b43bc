//! What a bundle's `main` is made of: the crates linked into it (from `cargo metadata`),
//! their licences checked against the workspace's allow-list (`deny.toml`, the file
//! cargo-deny reads), and `THIRD_PARTY_LICENSES.txt`.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context as _, anyhow, bail};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::build::{self, Target};
use crate::workspace;

/// A crate linked into `main`.
#[derive(Debug, Clone)]
pub(super) struct Component {
    pub(super) name: String,
    pub(super) version: String,
    /// The SPDX expression of the manifest's `license` (or of a `deny.toml` clarification).
    pub(super) license: Option<String>,
    /// The sha256 of the published `.crate` (Cargo.lock's checksum), for registry crates.
    pub(super) checksum: Option<String>,
    /// The names of the components it depends on (`name@version`).
    pub(super) depends_on: Vec<String>,
    /// Whether it is one of the author's own crates rather than a third party's: a member of
    /// the connector's workspace (the packaged crate among them; cargo makes every path
    /// dependency inside the workspace's folder a member). Own crates are listed like the
    /// others, but their licence is the author's choice, so the allow-list does not judge them.
    pub(super) own: bool,
    /// The package's folder (its licence files are there).
    dir: PathBuf,
    /// The manifest's `license-file`.
    license_file: Option<PathBuf>,
}

impl Component {
    /// `name@version`, unique in a build graph.
    pub(super) fn key(&self) -> String {
        format!("{}@{}", self.name, self.version)
    }
}

/// The connector and the crates linked into it.
#[derive(Debug)]
pub(super) struct Inventory {
    pub(super) root: Component,
    /// Sorted by name and version.
    pub(super) components: Vec<Component>,
}

#[derive(Debug, Deserialize)]
struct FullMetadata {
    packages: Vec<MetaPackage>,
    resolve: Option<Resolve>,
    workspace_members: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct MetaPackage {
    id: String,
    name: String,
    version: String,
    license: Option<String>,
    license_file: Option<PathBuf>,
    manifest_path: PathBuf,
    targets: Vec<workspace::Target>,
}

#[derive(Debug, Deserialize)]
struct Resolve {
    nodes: Vec<Node>,
}

#[derive(Debug, Deserialize)]
struct Node {
    id: String,
    deps: Vec<NodeDep>,
}

#[derive(Debug, Deserialize)]
struct NodeDep {
    pkg: String,
    dep_kinds: Vec<DepKind>,
}

#[derive(Debug, Deserialize)]
struct DepKind {
    /// `None` for a normal dependency.
    kind: Option<String>,
}

/// The workspace's resolved dependency graph for one target, read once for every package of
/// a `package` run.
#[derive(Debug)]
pub(super) struct Graph {
    metadata: FullMetadata,
    /// `(name, version) → checksum` from Cargo.lock.
    checksums: HashMap<(String, String), String>,
}

impl Graph {
    /// `cargo metadata --filter-platform <target>` of the workspace at `root`, run with the
    /// build's rustflags (its `cfg(target_feature)` dependencies depend on them).
    pub(super) fn load(root: &Path, target: &Target) -> anyhow::Result<Self> {
        let mut command = workspace::cargo();
        build::rustflags(&mut command, target);
        let output = command
            .args(["metadata", "--format-version", "1", "--filter-platform"])
            .arg(&target.triple)
            .arg("--manifest-path")
            .arg(root.join("Cargo.toml"))
            .stderr(Stdio::inherit())
            .output()
            .context("running `cargo metadata`")?;
        if !output.status.success() {
            bail!("`cargo metadata` failed ({})", output.status);
        }
        let metadata: FullMetadata = serde_json::from_slice(&output.stdout)
            .context("reading the output of `cargo metadata`")?;
        Ok(Self {
            metadata,
            checksums: lock_checksums(root),
        })
    }

    /// The crates linked into the binary of the package at `package_manifest`: its normal
    /// dependencies, transitively, without proc macros (they run in the compiler and are not
    /// linked) and without build and dev dependencies.
    pub(super) fn inventory(
        &self,
        package_manifest: &Path,
        policy: &Policy,
    ) -> anyhow::Result<Inventory> {
        let Self {
            metadata,
            checksums,
        } = self;
        let packages: HashMap<&str, &MetaPackage> = metadata
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p))
            .collect();
        let nodes: HashMap<&str, &Node> = metadata
            .resolve
            .as_ref()
            .ok_or_else(|| anyhow!("`cargo metadata` resolved no dependency graph"))?
            .nodes
            .iter()
            .map(|n| (n.id.as_str(), n))
            .collect();
        let start = metadata
            .packages
            .iter()
            .find(|p| p.manifest_path == package_manifest)
            .ok_or_else(|| anyhow!("`cargo metadata` lists no {}", package_manifest.display()))?;

        let is_proc_macro = |p: &MetaPackage| {
            p.targets
                .iter()
                .any(|t| t.kind.iter().any(|k| k == "proc-macro"))
        };
        let members: BTreeSet<&str> = metadata
            .workspace_members
            .iter()
            .map(String::as_str)
            .collect();
        let mut linked: BTreeMap<(String, String), Component> = BTreeMap::new();
        let mut seen = BTreeSet::from([start.id.as_str()]);
        let mut queue = VecDeque::from([start.id.as_str()]);
        let mut root_component = None;
        while let Some(id) = queue.pop_front() {
            let package = packages[id];
            let mut depends_on = Vec::new();
            for dep in nodes.get(id).map(|n| n.deps.as_slice()).unwrap_or_default() {
                let Some(target) = packages.get(dep.pkg.as_str()) else {
                    continue;
                };
                let normal = dep.dep_kinds.iter().any(|k| k.kind.is_none());
                if !normal || is_proc_macro(target) {
                    continue;
                }
                depends_on.push(format!("{}@{}", target.name, target.version));
                if seen.insert(dep.pkg.as_str()) {
                    queue.push_back(dep.pkg.as_str());
                }
            }
            depends_on.sort();
            let component = Component {
                name: package.name.clone(),
                version: package.version.clone(),
                license: policy
                    .clarified(&package.name)
                    .map(str::to_owned)
                    .or_else(|| package.license.clone())
                    .map(|license| normalized(&license)),
                checksum: checksums
                    .get(&(package.name.clone(), package.version.clone()))
                    .cloned(),
                depends_on,
                own: members.contains(id),
                dir: package
                    .manifest_path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
                license_file: package.license_file.clone(),
            };
            if id == start.id {
                root_component = Some(component);
            } else {
                linked.insert(
                    (component.name.clone(), component.version.clone()),
                    component,
                );
            }
        }
        Ok(Inventory {
            root: root_component.ok_or_else(|| anyhow!("the package left the graph"))?,
            components: linked.into_values().collect(),
        })
    }
}

/// The expression in SPDX syntax: old manifests' `MIT/Apache-2.0` becomes
/// `MIT OR Apache-2.0`. Anything else is kept as written (and refused by the policy if it is
/// not SPDX).
fn normalized(license: &str) -> String {
    if spdx::Expression::parse(license).is_ok() {
        return license.to_owned();
    }
    let rewritten = license
        .split('/')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" OR ");
    if spdx::Expression::parse(&rewritten).is_ok() {
        rewritten
    } else {
        license.to_owned()
    }
}

/// `(name, version) → checksum` from the workspace's Cargo.lock.
fn lock_checksums(root: &Path) -> HashMap<(String, String), String> {
    let Ok(text) = std::fs::read_to_string(root.join("Cargo.lock")) else {
        return HashMap::new();
    };
    let Ok(lock) = text.parse::<toml::Table>() else {
        return HashMap::new();
    };
    lock.get("package")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let field = |name: &str| entry.get(name)?.as_str().map(str::to_owned);
            Some(((field("name")?, field("version")?), field("checksum")?))
        })
        .collect()
}

/// The allow-list when a workspace has no `deny.toml`: the SDK's own `deny.toml` list (a
/// test keeps them equal), permissive licences only.
const DEFAULT_ALLOW: &[&str] = &[
    "0BSD",
    "Apache-2.0",
    "Apache-2.0 WITH LLVM-exception",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSL-1.0",
    "CC0-1.0",
    "ISC",
    "MIT",
    "MIT-0",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "Zlib",
];

/// The licence policy: `[licenses]` of the workspace's `deny.toml`.
#[derive(Debug)]
pub(super) struct Policy {
    /// Where it was read from (`None`: the SDK's default list).
    pub(super) source: Option<PathBuf>,
    allow: BTreeSet<String>,
    /// Crate name → licences allowed for that crate only.
    exceptions: BTreeMap<String, BTreeSet<String>>,
    /// Crate name → the SPDX expression that replaces its manifest's.
    clarify: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
struct DenyToml {
    #[serde(default)]
    licenses: DenyLicenses,
}

#[derive(Debug, Default, Deserialize)]
struct DenyLicenses {
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    exceptions: Vec<DenyException>,
    #[serde(default)]
    clarify: Vec<DenyClarify>,
}

#[derive(Debug, Deserialize)]
struct DenyException {
    #[serde(alias = "name")]
    #[serde(rename = "crate")]
    krate: String,
    allow: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct DenyClarify {
    #[serde(alias = "name")]
    #[serde(rename = "crate")]
    krate: String,
    expression: String,
}

impl Policy {
    /// The policy of the workspace at `root`: its `deny.toml`, else the SDK's default list.
    pub(super) fn load(root: &Path) -> anyhow::Result<Self> {
        let path = root.join("deny.toml");
        let (source, deny) = match std::fs::read_to_string(&path) {
            Ok(text) => {
                let deny: DenyToml =
                    toml::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
                (Some(path), deny)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let deny = DenyToml {
                    licenses: DenyLicenses {
                        allow: DEFAULT_ALLOW.iter().map(|s| (*s).to_owned()).collect(),
                        ..DenyLicenses::default()
                    },
                };
                (None, deny)
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let licenses = deny.licenses;
        Ok(Self {
            source,
            allow: licenses.allow.into_iter().collect(),
            exceptions: licenses
                .exceptions
                .into_iter()
                .map(|e| (e.krate, e.allow.into_iter().collect()))
                .collect(),
            clarify: licenses
                .clarify
                .into_iter()
                .map(|c| (c.krate, c.expression))
                .collect(),
        })
    }

    fn clarified(&self, name: &str) -> Option<&str> {
        self.clarify.get(name).map(String::as_str)
    }

    /// Where the allow-list comes from, for messages.
    pub(super) fn describe(&self) -> String {
        match &self.source {
            Some(path) => path.display().to_string(),
            None => "the SDK's default list (no deny.toml at the workspace root)".to_owned(),
        }
    }

    /// Why `component`'s licence is not allowed, or `None` when it is.
    fn refusal(&self, component: &Component) -> Option<String> {
        let Some(text) = &component.license else {
            return Some(
                "no SPDX `license` in its manifest (clarify it in deny.toml's [licenses])"
                    .to_owned(),
            );
        };
        let expression = match spdx::Expression::parse_mode(text, spdx::ParseMode::LAX) {
            Ok(expression) => expression,
            Err(e) => return Some(format!("`{text}` is not an SPDX expression ({e})")),
        };
        let extra = self.exceptions.get(&component.name);
        let allowed = |req: &spdx::LicenseReq| {
            let whole = req.to_string();
            let base = match &req.license {
                spdx::LicenseItem::Spdx { id, .. } => id.name.to_owned(),
                spdx::LicenseItem::Other(other) => other.to_string(),
            };
            let listed = |name: &String| {
                self.allow.contains(name) || extra.is_some_and(|set| set.contains(name))
            };
            listed(&whole) || (req.addition.is_none() && listed(&base))
        };
        (!expression.evaluate(allowed)).then(|| format!("`{text}`"))
    }

    /// Fails, naming every third-party crate whose licence the policy does not allow (the
    /// author's own crates are not judged).
    pub(super) fn check(&self, inventory: &Inventory) -> anyhow::Result<()> {
        let refused: Vec<String> = std::iter::once(&inventory.root)
            .chain(&inventory.components)
            .filter(|c| !c.own)
            .filter_map(|c| {
                self.refusal(c)
                    .map(|why| format!("  {} {}: {why}", c.name, c.version))
            })
            .collect();
        if refused.is_empty() {
            return Ok(());
        }
        bail!(
            "{} of {} crates in `{}` have a licence outside the allow-list of {}:\n{}\n\
             Add the licence to `[licenses] allow`, or an exception for the crate \
             (`[[licenses.exceptions]] crate = \"…\" allow = [\"…\"]`), once your review accepts it.",
            refused.len(),
            inventory.components.len() + 1,
            inventory.root.name,
            self.describe(),
            refused.join("\n")
        )
    }
}

/// The most bytes read of one licence file.
const MAX_LICENSE_FILE: u64 = 1024 * 1024;

/// Whether a file name is a licence or notice file.
fn is_license_file(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "LICENSE",
        "LICENCE",
        "COPYING",
        "NOTICE",
        "UNLICENSE",
        "COPYRIGHT",
    ]
    .iter()
    .any(|prefix| upper.starts_with(prefix))
}

/// The licence texts of a crate: its licence and notice files, else the SPDX list's text of
/// each licence its expression names.
fn texts(component: &Component) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(&component.dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter(|e| is_license_file(&e.file_name().to_string_lossy()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    if let Some(file) = &component.license_file {
        files.push(component.dir.join(file));
    }
    files.sort();
    files.dedup();
    let mut texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|path| {
            use std::io::Read as _;
            let mut text = String::new();
            std::fs::File::open(path)
                .ok()?
                .take(MAX_LICENSE_FILE)
                .read_to_string(&mut text)
                .ok()?;
            let name = path.file_name()?.to_string_lossy().into_owned();
            Some((name, text))
        })
        .collect();
    if texts.is_empty()
        && let Some(expression) = component
            .license
            .as_deref()
            .and_then(|l| spdx::Expression::parse_mode(l, spdx::ParseMode::LAX).ok())
    {
        for req in expression.requirements() {
            if let spdx::LicenseItem::Spdx { id, .. } = &req.req.license {
                texts.push((
                    format!(
                        "{} (the SPDX list's text; the crate ships no licence file)",
                        id.name
                    ),
                    id.text().to_owned(),
                ));
            }
        }
    }
    texts
}

/// `THIRD_PARTY_LICENSES.txt`: every linked crate with its licence, then each distinct
/// licence text once, with the crates it covers.
pub(super) fn third_party_licenses(inventory: &Inventory) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Third-party software in {} {}\n\n\
         `main` links the following {} crates. Each licence text follows once, with the crates\n\
         it covers.\n",
        inventory.root.name,
        inventory.root.version,
        inventory.components.len()
    );
    // Distinct texts, in first-seen order, keyed by their digest.
    let mut order: Vec<[u8; 32]> = Vec::new();
    let mut by_text: HashMap<[u8; 32], (String, String, Vec<String>)> = HashMap::new();
    for component in &inventory.components {
        let license = component
            .license
            .as_deref()
            .unwrap_or("(no SPDX expression)");
        let _ = writeln!(out, "{} {}: {license}", component.name, component.version);
        let texts = texts(component);
        if texts.is_empty() {
            let _ = writeln!(out, "    (no licence file found in the crate)");
        }
        for (file, text) in texts {
            let digest: [u8; 32] = Sha256::digest(text.trim().as_bytes()).into();
            let entry = by_text.entry(digest).or_insert_with(|| {
                order.push(digest);
                (file, text, Vec::new())
            });
            entry.2.push(component.key());
        }
    }
    for digest in order {
        let (file, text, crates) = &by_text[&digest];
        let _ = writeln!(
            out,
            "\n{}\n{file}, used by: {}\n{}\n\n{}",
            "=".repeat(78),
            crates.join(", "),
            "-".repeat(78),
            text.trim_end()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(name: &str, license: Option<&str>) -> Component {
        Component {
            name: name.to_owned(),
            version: "1.0.0".to_owned(),
            license: license.map(str::to_owned),
            checksum: None,
            depends_on: Vec::new(),
            own: false,
            dir: PathBuf::new(),
            license_file: None,
        }
    }

    fn policy(allow: &[&str]) -> Policy {
        Policy {
            source: None,
            allow: allow.iter().map(|s| (*s).to_owned()).collect(),
            exceptions: BTreeMap::from([(
                "ring".to_owned(),
                BTreeSet::from(["OpenSSL".to_owned()]),
            )]),
            clarify: BTreeMap::new(),
        }
    }

    #[test]
    fn expressions_are_evaluated_against_the_allow_list() {
        let policy = policy(&["MIT", "Apache-2.0", "Apache-2.0 WITH LLVM-exception"]);
        for allowed in [
            "MIT",
            "MIT OR Apache-2.0",
            "MIT/Apache-2.0",
            "Apache-2.0 WITH LLVM-exception OR MIT",
            "(MIT OR GPL-3.0-only) AND Apache-2.0",
        ] {
            assert_eq!(
                policy.refusal(&component("x", Some(allowed))),
                None,
                "{allowed}"
            );
        }
        for refused in ["GPL-3.0-only", "MIT AND GPL-2.0-or-later", "not a licence"] {
            assert!(
                policy.refusal(&component("x", Some(refused))).is_some(),
                "{refused}"
            );
        }
        assert!(policy.refusal(&component("x", None)).is_some());
        assert_eq!(
            policy.refusal(&component("ring", Some("MIT AND OpenSSL"))),
            None
        );
        assert!(
            policy
                .refusal(&component("other", Some("MIT AND OpenSSL")))
                .is_some()
        );
    }

    #[test]
    fn the_default_list_is_the_sdk_deny_toml() {
        let deny: DenyToml = toml::from_str(include_str!("../../../deny.toml")).unwrap();
        assert_eq!(deny.licenses.allow, DEFAULT_ALLOW);
    }

    #[test]
    fn slashes_become_or() {
        assert_eq!(normalized("MIT/Apache-2.0"), "MIT OR Apache-2.0");
        assert_eq!(normalized("Apache-2.0 / MIT"), "Apache-2.0 OR MIT");
        assert_eq!(normalized("MIT OR Apache-2.0"), "MIT OR Apache-2.0");
        assert_eq!(normalized("not a licence"), "not a licence");
    }

    #[test]
    fn licence_files_are_recognised() {
        for name in [
            "LICENSE",
            "LICENSE-MIT",
            "license-apache.txt",
            "COPYING",
            "NOTICE",
        ] {
            assert!(is_license_file(name), "{name}");
        }
        for name in ["README.md", "Cargo.toml", "src"] {
            assert!(!is_license_file(name), "{name}");
        }
    }
}
