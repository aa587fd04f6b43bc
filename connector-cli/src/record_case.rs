//! `connector record-case`: a recording (`<connector> <capability> --record DIR …`) as a row of
//! the capability's rstest case table (`tests/integration/cases/<capability>_cases.rs`).
//!
//! By default the row replays the file (`Case::from_recording("tests/…")`, the path relative
//! to the connector's package, which is where `cargo test` runs); `--inline` writes the whole
//! case out in the table's own builder style instead, so the file is no longer needed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use connector_sdk::record::{Exchange, Recording};
use serde_json::Value;

/// What to print.
#[derive(Debug, Clone)]
pub struct RecordCaseOptions {
    /// The recording.
    pub file: PathBuf,
    /// The case's name (`#[case::<name>(…)]`) [default: `recorded_` + the file's stem].
    pub name: Option<String>,
    /// The whole case written out instead of `Case::from_recording`.
    pub inline: bool,
}

/// The row, ending in a newline.
///
/// # Errors
///
/// When the file is not a recording, or a given name is not a Rust identifier.
pub fn render(options: &RecordCaseOptions) -> anyhow::Result<String> {
    let recording = Recording::load(&options.file)
        .with_context(|| format!("{} is not a recording", options.file.display()))?;
    let name = match &options.name {
        Some(name) => {
            anyhow::ensure!(
                is_identifier(name),
                "the case name `{name}` is not a Rust identifier"
            );
            name.clone()
        }
        None => default_name(&options.file),
    };
    let body = if options.inline {
        inline(&recording)
    } else {
        let path = package_relative(&options.file);
        format!(
            "    Case::from_recording({})\n",
            rust_string(&path.to_string_lossy())
        )
    };
    Ok(format!("#[case::{name}(\n{body})]\n"))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `recorded_list_accounts_1` for `…/list_accounts-1.json`.
fn default_name(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("recorded_{cleaned}")
}

/// The file's path below the package that holds it (the nearest folder up with a
/// `Cargo.toml`), which is `cargo test`'s working directory; the path as given without one.
fn package_relative(file: &Path) -> PathBuf {
    let Ok(absolute) = std::path::absolute(file) else {
        return file.to_path_buf();
    };
    let mut dir = absolute.parent();
    while let Some(candidate) = dir {
        if candidate.join("Cargo.toml").is_file()
            && let Ok(relative) = absolute.strip_prefix(candidate)
        {
            return relative.to_path_buf();
        }
        dir = candidate.parent();
    }
    file.to_path_buf()
}

/// A Rust string literal.
fn rust_string(text: &str) -> String {
    format!("{text:?}")
}

/// `json!(…)` of a value, indented to sit at `indent` spaces. JSON's `\u00XX` escapes are
/// written the Rust way.
fn json_macro(value: &Value, indent: usize) -> String {
    let mut bytes = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
    let pretty = serde::Serialize::serialize(value, &mut serializer)
        .ok()
        .and_then(|()| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| "null".to_owned());
    let pretty = rust_escapes(&pretty);
    let pad = " ".repeat(indent);
    let lines: Vec<String> = pretty
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                line.to_owned()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect();
    format!("json!({})", lines.join("\n"))
}

/// `\u001f` → `\u{001f}`: the only JSON escape Rust spells otherwise.
fn rust_escapes(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(at) = rest.find("\\u") {
        // An escaped backslash before it (`\\u`) is not an escape.
        let backslashes = rest[..at].chars().rev().take_while(|&c| c == '\\').count();
        out.push_str(&rest[..at]);
        let hex = rest.get(at + 2..at + 6).unwrap_or_default();
        if backslashes % 2 == 0 && hex.len() == 4 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let _ = write!(out, "\\u{{{hex}}}");
            rest = &rest[at + 6..];
        } else {
            out.push_str("\\u");
            rest = &rest[at + 2..];
        }
    }
    out.push_str(rest);
    out
}

/// The capability's `CapabilityName` variant: `list_accounts` → `ListAccounts`.
fn variant(capability: &str) -> String {
    capability
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The case in the builder style of the case tables.
fn inline(recording: &Recording) -> String {
    const AT: usize = 8;
    let mut out = format!(
        "    Case::new(CapabilityName::{})\n",
        variant(recording.capability.as_str())
    );
    let mut request = recording.request.clone();
    match &mut request {
        Value::Object(map) => {
            if let Some(kind) = &recording.auth_kind {
                let _ = writeln!(
                    out,
                    "        // The recording keeps no credential; its routes check none.\n        .auth({})",
                    json_macro(&placeholder_auth(kind), AT)
                );
            }
            if let Some(payload) = map.remove("request") {
                let _ = writeln!(out, "        .payload({})", json_macro(&payload, AT));
            }
            if let Some(settings) = map.remove("settings") {
                let _ = writeln!(out, "        .settings({})", json_macro(&settings, AT));
            }
            if let Some(page) = map.remove("page").filter(|p| !p.is_null()) {
                let token = page.get("token").and_then(Value::as_str);
                let size = page.get("size").and_then(Value::as_u64);
                let token = token.map_or_else(
                    || "None".to_owned(),
                    |t| format!("Some({})", rust_string(t)),
                );
                let size = size.map_or_else(|| "None".to_owned(), |s| format!("Some({s})"));
                let _ = writeln!(out, "        .page({token}, {size})");
            }
            if map.remove("include_raw_data") == Some(Value::Bool(true)) {
                out.push_str("        .include_raw_data()\n");
            }
            for (key, value) in map.iter().filter(|(_, v)| !v.is_null()) {
                let _ = writeln!(
                    out,
                    "        // not replayed: the request's `{key}`: {value}"
                );
            }
        }
        other => {
            let _ = writeln!(out, "        .raw_request({})", json_macro(other, AT));
        }
    }
    for route in routes(&recording.exchanges) {
        out.push_str(&mock(&route));
    }
    let _ = writeln!(
        out,
        "        .expect_envelope({})",
        json_macro(&recording.envelope, AT)
    );
    out
}

fn placeholder_auth(kind: &str) -> Value {
    match kind {
        "basic" => {
            serde_json::json!({"basic": {"username": "recorded-user", "password": "[REDACTED]"}})
        }
        "token" => serde_json::json!({"token": {"token": "[REDACTED]"}}),
        "oauth" => serde_json::json!({"oauth": {"access_token": "[REDACTED]"}}),
        other => serde_json::json!({other: {"access_token": "[REDACTED]",
            "client_id": "recorded-client", "client_secret": "[REDACTED]"}}),
    }
}

/// Exchanges grouped by what they sent (one route answers a repeated call in order).
fn routes(exchanges: &[Exchange]) -> Vec<Vec<&Exchange>> {
    let mut routes: Vec<Vec<&Exchange>> = Vec::new();
    for exchange in exchanges {
        let same = |other: &&Exchange| {
            other.method == exchange.method
                && other.path == exchange.path
                && other.request_json == exchange.request_json
                && other.request_text == exchange.request_text
        };
        match routes
            .iter_mut()
            .find(|route| route.first().is_some_and(same))
        {
            Some(route) => route.push(exchange),
            None => routes.push(vec![exchange]),
        }
    }
    routes
}

fn is_form(exchange: &Exchange) -> bool {
    exchange
        .request_headers
        .get("content-type")
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
}

/// `.mock(HttpMock::new(…)…)` for one route.
fn mock(route: &[&Exchange]) -> String {
    const AT: usize = 16;
    let Some(first) = route.first() else {
        return String::new();
    };
    let mut out = format!(
        "        .mock(\n            HttpMock::new({}, {})\n",
        rust_string(&first.method),
        rust_string(&first.path)
    );
    if let Some(body) = &first.request_json {
        let _ = writeln!(
            out,
            "                .expect_body({})",
            json_macro(body, AT)
        );
    } else if let Some(text) = first.request_text.as_ref().filter(|_| is_form(first)) {
        let fields: Vec<String> = url::form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| format!("({}, {})", rust_string(&k), rust_string(&v)))
            .collect();
        let _ = writeln!(
            out,
            "                .expect_form(&[{}])",
            fields.join(", ")
        );
    }
    for (i, exchange) in route.iter().enumerate() {
        let (respond, body) = match (&exchange.response_json, &exchange.response_text) {
            (Some(json), _) => ("json", json_macro(json, AT)),
            (None, Some(text)) => ("text", rust_string(text)),
            (None, None) => ("text", rust_string("")),
        };
        let verb = if i == 0 { "respond" } else { "then" };
        let _ = writeln!(
            out,
            "                .{verb}_{respond}({}, {body})",
            exchange.status
        );
        for (name, value) in &exchange.response_headers {
            let _ = writeln!(
                out,
                "                .with_header({}, {})",
                rust_string(name),
                rust_string(value)
            );
        }
    }
    out.push_str("        )\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_variants_and_escapes() {
        assert_eq!(
            default_name(Path::new("x/list_accounts-1.json")),
            "recorded_list_accounts_1"
        );
        assert_eq!(
            variant("find_entitlement_associations"),
            "FindEntitlementAssociations"
        );
        assert!(is_identifier("first_page") && !is_identifier("1st") && !is_identifier("a-b"));
        assert_eq!(
            rust_escapes(r#""a\u001fb\\u0041""#),
            r#""a\u{001f}b\\u0041""#
        );
    }

    #[test]
    fn repeated_calls_share_a_route() {
        let exchange = |path: &str, status: u16| -> Exchange {
            serde_json::from_value(serde_json::json!({
                "method": "GET", "path": path, "status": status, "response_text": "x"
            }))
            .unwrap()
        };
        let exchanges = [
            exchange("/a", 429),
            exchange("/b", 200),
            exchange("/a", 200),
        ];
        let routes = routes(&exchanges);
        assert_eq!(routes.len(), 2);
        let text = mock(&routes[0]);
        assert!(text.contains(".respond_text(429, \"x\")"), "{text}");
        assert!(text.contains(".then_text(200, \"x\")"), "{text}");
    }
}
