//! `GET /docs`: an API reference of the server's OpenAPI document, rendered as HTML on the
//! server.
//!
//! The page is self-contained: one inline style sheet (allowed by its hash in [`csp`]), no
//! script at all, nothing loaded from anywhere. It lists every path with its method, summary,
//! description, request and response schemas, then every component schema; `$ref`s are links
//! within the page. Every text of the document is HTML-escaped. The page holds what
//! `/openapi.json` holds and nothing else, behind the same guard.

use std::fmt::Write as _;
use std::sync::LazyLock;

use base64::Engine as _;
use serde_json::Value;
use sha2::Digest as _;

const STYLE: &str = "\
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#fafbfc}\
header,main,nav{max-width:960px;margin:0 auto;padding:0 1.5rem}\
header{padding-top:1.5rem}h1 small{font-weight:normal;color:#5b6472;font-size:60%}\
nav ul{list-style:none;padding:0;columns:2}nav a{text-decoration:none}\
section.op{background:#fff;border:1px solid #d9dde3;border-radius:6px;margin:1rem 0;padding:0 1rem 1rem}\
.method{display:inline-block;background:#2d6cdf;color:#fff;border-radius:4px;padding:0 .5em;\
font-size:80%;margin-right:.5em;text-transform:uppercase}\
pre{background:#f3f5f8;padding:.75rem;border-radius:4px;overflow-x:auto;font-size:13px}\
details{margin:.5rem 0}summary{cursor:pointer;font-family:monospace}\
";

/// The Content-Security-Policy of `/docs`: nothing but its own inline style sheet.
pub(super) fn csp() -> &'static str {
    static CSP: LazyLock<String> = LazyLock::new(|| {
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE));
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; \
             form-action 'none'; frame-ancestors 'none'"
        )
    });
    &CSP
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The anchor of a component schema.
fn schema_anchor(name: &str) -> String {
    format!("schema-{}", escape(name))
}

/// The page of `document`, titled after `app_id`.
pub(super) fn page(app_id: &str, document: &Value) -> String {
    let info = &document["info"];
    let title = info["title"].as_str().unwrap_or(app_id);
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} - API reference</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n\
         <h1>{}",
        escape(app_id),
        escape(title),
    );
    if let Some(version) = info["version"].as_str() {
        let _ = write!(html, " <small>{}</small>", escape(version));
    }
    html.push_str("</h1>\n");
    if let Some(description) = info["description"].as_str() {
        let _ = writeln!(html, "<p>{}</p>", escape(description));
    }
    let _ = writeln!(
        html,
        "<p>App id <code>{}</code>. The OpenAPI document: <a href=\"openapi.json\">\
         <code>/openapi.json</code></a>.</p>\n</header>",
        escape(app_id)
    );

    let operations = operations(document);
    html.push_str("<nav>\n<h2>Operations</h2>\n<ul>\n");
    for (path, method, operation) in &operations {
        let _ = writeln!(
            html,
            "<li><a href=\"#{}\"><span class=\"method\">{}</span><code>{}</code></a> {}</li>",
            operation_anchor(path, method),
            escape(method),
            escape(path),
            escape(operation["summary"].as_str().unwrap_or_default()),
        );
    }
    html.push_str("</ul>\n</nav>\n<main>\n");
    for (path, method, operation) in &operations {
        render_operation(&mut html, path, method, operation);
    }
    if let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        html.push_str("<section id=\"schemas\">\n<h2>Schemas</h2>\n");
        for (name, schema) in schemas {
            let _ = write!(
                html,
                "<details id=\"{}\"><summary>{}</summary><pre>",
                schema_anchor(name),
                escape(name)
            );
            render_json(&mut html, schema, 0);
            html.push_str("</pre></details>\n");
        }
        html.push_str("</section>\n");
    }
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

/// Every `(path, method, operation)` of the document, in its order.
fn operations(document: &Value) -> Vec<(&str, &str, &Value)> {
    let Some(paths) = document["paths"].as_object() else {
        return Vec::new();
    };
    paths
        .iter()
        .filter_map(|(path, item)| Some((path.as_str(), item.as_object()?)))
        .flat_map(|(path, item)| {
            item.iter()
                .filter(|(method, _)| {
                    ["get", "put", "post", "delete", "patch", "head", "options"]
                        .contains(&method.as_str())
                })
                .map(move |(method, operation)| (path, method.as_str(), operation))
        })
        .collect()
}

fn operation_anchor(path: &str, method: &str) -> String {
    let slug: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("op-{method}{slug}")
}

fn render_operation(html: &mut String, path: &str, method: &str, operation: &Value) {
    let _ = write!(
        html,
        "<section class=\"op\" id=\"{}\">\n<h2><span class=\"method\">{}</span><code>{}</code></h2>\n",
        operation_anchor(path, method),
        escape(method),
        escape(path),
    );
    for field in ["summary", "description"] {
        if let Some(text) = operation[field].as_str() {
            let _ = writeln!(html, "<p>{}</p>", escape(text));
        }
    }
    if let Some(schema) = operation.pointer("/requestBody/content/application~1json/schema") {
        html.push_str("<h3>Request body</h3>\n<pre>");
        render_json(html, schema, 0);
        html.push_str("</pre>\n");
    }
    if let Some(responses) = operation["responses"].as_object() {
        for (status, response) in responses {
            let _ = writeln!(html, "<h3>Response {}</h3>", escape(status));
            if let Some(text) = response["description"].as_str() {
                let _ = writeln!(html, "<p>{}</p>", escape(text));
            }
            if let Some(schema) = response.pointer("/content/application~1json/schema") {
                html.push_str("<pre>");
                render_json(html, schema, 0);
                html.push_str("</pre>\n");
            }
        }
    }
    html.push_str("</section>\n");
}

/// Pretty-prints `value` as escaped JSON; a `$ref` to a component schema becomes a link.
fn render_json(html: &mut String, value: &Value, depth: usize) {
    let indent = |html: &mut String, depth: usize| {
        for _ in 0..depth {
            html.push_str("  ");
        }
    };
    match value {
        Value::Object(map) if map.is_empty() => html.push_str("{}"),
        Value::Array(items) if items.is_empty() => html.push_str("[]"),
        Value::Object(map) => {
            html.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                indent(html, depth + 1);
                html.push_str(&escape(&Value::String(key.clone()).to_string()));
                html.push_str(": ");
                match item.as_str().and_then(|r| r.strip_prefix(SCHEMA_PREFIX)) {
                    Some(name) if key == "$ref" => {
                        let _ = write!(
                            html,
                            "<a href=\"#{}\">{}</a>",
                            schema_anchor(name),
                            escape(&item.to_string())
                        );
                    }
                    _ => render_json(html, item, depth + 1),
                }
                html.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            indent(html, depth);
            html.push('}');
        }
        Value::Array(items) => {
            html.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(html, depth + 1);
                render_json(html, item, depth + 1);
                html.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(html, depth);
            html.push(']');
        }
        scalar => html.push_str(&escape(&scalar.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_is_escaped_and_refs_are_links() {
        let document = json!({
            "info": {"title": "<b>T</b>", "version": "1"},
            "paths": {"/x": {"post": {
                "summary": "a & b",
                "requestBody": {"content": {"application/json": {"schema":
                    {"$ref": "#/components/schemas/X"}}}},
            }}},
            "components": {"schemas": {"X": {"description": "<script>alert(1)</script>"}}},
        });
        let page = page("app\"id", &document);
        assert!(page.contains("<title>app&quot;id - API reference</title>"));
        assert!(page.contains("&lt;b&gt;T&lt;/b&gt;"));
        assert!(page.contains("a &amp; b"));
        assert!(page.contains("<a href=\"#schema-X\">&quot;#/components/schemas/X&quot;</a>"));
        assert!(page.contains("<details id=\"schema-X\">"));
        assert!(!page.contains("<script"));
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_style() {
        assert!(csp().starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(!csp().contains("unsafe"));
        // The hash is of the style element's text as the page carries it.
        let page = page("a", &json!({}));
        let style = page
            .split_once("<style>")
            .and_then(|(_, rest)| rest.split_once("</style>"))
            .unwrap()
            .0;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(style));
        assert!(csp().contains(&format!("'sha256-{hash}'")), "{}", csp());
        assert_eq!(page.matches("<style>").count(), 1);
    }
}
