//! The embedded templates and their rendering with minijinja.
//!
//! Templates live in `templates/connector/`. A file ending in `.j2` is rendered (and loses the
//! suffix), any other file is copied. A template that renders to nothing but whitespace is not
//! written: that is how a file exists only for some `--auth` kinds or modes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context as _, anyhow};
use include_dir::{Dir, File, include_dir};
use minijinja::value::Kwargs;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};
use serde::Serialize;

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates/connector");

/// Whether the templates hold a case table for `capability`.
pub(crate) fn has_case_template(capability: &str) -> bool {
    TEMPLATES
        .get_file(format!("tests/integration/{capability}_cases.rs.j2"))
        .is_some()
}

/// How the generated crate gets its dependencies.
#[derive(Debug, Clone)]
pub(crate) enum Dependencies {
    /// A member of the SDK's workspace: `serde.workspace = true`.
    Workspace,
    /// A crate of its own: the SDK's `[workspace.dependencies]` entries, with path entries made
    /// absolute under the SDK checkout.
    Standalone(BTreeMap<String, toml::Value>),
}

/// Everything the templates can use.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TemplateContext {
    /// `demo-connector`: package, binary, app id.
    pub(crate) name: String,
    /// `demo_connector`: the library crate.
    pub(crate) crate_name: String,
    /// `DemoConnector`.
    pub(crate) type_name: String,
    /// `DemoConnectorSettings`.
    pub(crate) settings_type: String,
    /// `Demo Connector`.
    pub(crate) title: String,
    /// The `authors` entry of Cargo.toml (`Name <email>`), if any.
    pub(crate) author: Option<String>,
    /// `basic`, `token`, `oauth` or `oauth_client_credentials`: the key inside `auth`.
    pub(crate) auth: &'static str,
    /// The `AuthKind` variant.
    pub(crate) auth_kind: &'static str,
    /// The capabilities the crate registers, each with a case table, sorted.
    pub(crate) capabilities: Vec<&'static str>,
    /// Whether the crate joins the SDK's workspace.
    pub(crate) workspace: bool,
    /// The SDK checkout (standalone crates), with `/` separators.
    pub(crate) sdk_path: String,
    /// The `[lints]` and `[profile.*]` tables of a standalone crate, copied from the SDK's
    /// workspace.
    pub(crate) standalone_tables: String,
    /// How to run the `connector` command from the crate's folder.
    pub(crate) connector_command: String,
}

/// One dependency line of Cargo.toml: `{{ dep("tokio", features=["rt-multi-thread"]) }}`.
fn dependency_line(
    dependencies: &Dependencies,
    name: &str,
    kwargs: &Kwargs,
) -> Result<String, Error> {
    let features: Option<Vec<String>> = kwargs.get("features")?;
    kwargs.assert_all_used()?;
    let features = features.unwrap_or_default();
    match dependencies {
        Dependencies::Workspace if features.is_empty() => Ok(format!("{name}.workspace = true")),
        Dependencies::Workspace => {
            let list: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
            Ok(format!(
                "{name} = {{ workspace = true, features = [{}] }}",
                list.join(", ")
            ))
        }
        Dependencies::Standalone(table) => {
            let entry = table.get(name).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("the SDK's workspace has no dependency `{name}`"),
                )
            })?;
            let mut entry = match entry {
                toml::Value::String(version) => {
                    let mut inline = toml::Table::new();
                    inline.insert("version".into(), toml::Value::String(version.clone()));
                    inline
                }
                toml::Value::Table(inline) => inline.clone(),
                other => {
                    return Err(Error::new(
                        ErrorKind::InvalidOperation,
                        format!("unexpected dependency entry for `{name}`: {other}"),
                    ));
                }
            };
            if !features.is_empty() {
                let mut all: Vec<toml::Value> = entry
                    .get("features")
                    .and_then(toml::Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for feature in features {
                    let feature = toml::Value::String(feature);
                    if !all.contains(&feature) {
                        all.push(feature);
                    }
                }
                entry.insert("features".into(), toml::Value::Array(all));
            }
            match entry.get("version") {
                Some(version) if entry.len() == 1 => Ok(format!("{name} = {version}")),
                _ => Ok(format!("{name} = {}", inline_table(&entry))),
            }
        }
    }
}

/// `{ version = "1", features = ["derive"] }`, keys in a stable order.
fn inline_table(table: &toml::Table) -> String {
    let order = ["path", "version", "default-features", "features"];
    let mut keys: Vec<&String> = table.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(order.len()));
    let items: Vec<String> = keys
        .into_iter()
        .map(|key| format!("{key} = {}", table[key]))
        .collect();
    format!("{{ {} }}", items.join(", "))
}

fn environment(dependencies: Dependencies) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build();
    if let Ok(syntax) = syntax {
        env.set_syntax(syntax);
    }
    env.add_function("dep", move |name: String, kwargs: Kwargs| {
        dependency_line(&dependencies, &name, &kwargs)
    });
    env
}

/// Formats Rust source with `rustfmt` (edition 2024), so that the generated crate is
/// `cargo fmt` clean whatever the names' lengths. `None` when rustfmt cannot be run or fails;
/// the source is then written as rendered.
fn rustfmt(source: &str) -> Option<String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};

    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let source = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(source.as_bytes()));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()
}

fn all_files<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a File<'a>>) {
    out.extend(dir.files());
    for sub in dir.dirs() {
        all_files(sub, out);
    }
}

/// The rendered tree.
#[derive(Debug)]
pub(crate) struct Rendered {
    /// The files to write, sorted by path.
    pub(crate) files: Vec<(PathBuf, Vec<u8>)>,
    /// Rust files rustfmt could not format (it is not installed, say).
    pub(crate) unformatted: Vec<String>,
}

/// Renders every template; `keep` chooses which output paths to keep. Rust files go through
/// rustfmt when it can be run.
pub(crate) fn render(
    context: &TemplateContext,
    dependencies: Dependencies,
    keep: impl Fn(&str) -> bool,
) -> anyhow::Result<Rendered> {
    let env = environment(dependencies);
    let context = minijinja::Value::from(minijinja::value::Serde(context));
    let mut files = Vec::new();
    all_files(&TEMPLATES, &mut files);
    let mut rendered = Vec::new();
    let mut unformatted = Vec::new();
    for file in files {
        let source_path = file
            .path()
            .to_str()
            .ok_or_else(|| anyhow!("template path {} is not UTF-8", file.path().display()))?
            .replace('\\', "/");
        let path = env
            .render_str(&source_path, &context)
            .with_context(|| format!("rendering the path {source_path}"))?;
        let (path, bytes) = match path.strip_suffix(".j2") {
            Some(path) => {
                let source = file
                    .contents_utf8()
                    .ok_or_else(|| anyhow!("template {source_path} is not UTF-8"))?;
                let text = env
                    .render_named_str(&source_path, source, &context)
                    .with_context(|| format!("rendering the template {source_path}"))?;
                if text.trim().is_empty() {
                    continue;
                }
                let text = if path.ends_with(".rs") {
                    rustfmt(&text).unwrap_or_else(|| {
                        unformatted.push(path.to_owned());
                        text
                    })
                } else {
                    text
                };
                (path.to_owned(), text.into_bytes())
            }
            None => (path, file.contents().to_vec()),
        };
        if keep(&path) {
            rendered.push((PathBuf::from(path), bytes));
        }
    }
    rendered.sort();
    Ok(Rendered {
        files: rendered,
        unformatted,
    })
}
