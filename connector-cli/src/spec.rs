//! `connector spec`: the protocol's OpenAPI 3.0 document, generated from the SDK's wire types
//! ([`connector_sdk::spec::protocol`]).

use anyhow::Context as _;

/// How to print the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Indented JSON.
    Json,
    /// YAML.
    Yaml,
}

/// The protocol's OpenAPI document in `format`, ending with a newline.
///
/// ```
/// let json = connector_cli::spec::render(connector_cli::spec::Format::Json).unwrap();
/// assert!(json.starts_with("{\n  \"openapi\": \"3.0.3\""));
/// ```
///
/// # Errors
///
/// If the document cannot be serialized (it always can: it is plain JSON).
pub fn render(format: Format) -> anyhow::Result<String> {
    let document = connector_sdk::spec::protocol();
    let mut text = match format {
        Format::Json => serde_json::to_string_pretty(&document).context("writing JSON")?,
        Format::Yaml => yaml_serde::to_string(&document).context("writing YAML")?,
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}
