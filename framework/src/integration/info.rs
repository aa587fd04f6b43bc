//! `info`: what the connector says about itself, printed the way the reference prints it.

use std::collections::BTreeMap;
use std::io;

use schemars::{JsonSchema, Schema};
use serde_json::ser::Formatter;
use serde_json::{Map, Value};

use super::{AuthKind, Envelope, Integration};
use crate::capability::Connector;
use crate::settings::field_type;
use crate::wire::{
    BasicCredential, CapabilitySchema, ErrorResponse, Info, InfoResponse, OAuthClientCredential,
    OAuthCredential, TokenCredential,
};

/// Whether a property schema describes a secret (a [`crate::wire::Secret`] field, or one
/// marked `x-field_type: SECRET`).
pub(crate) fn is_secret_property(property: &Value) -> bool {
    property.get("writeOnly") == Some(&Value::Bool(true))
        || property.get("x-field_type").and_then(Value::as_str) == Some(field_type::SECRET)
}

/// A schema as a JSON object, without `$schema`, with form hints the reference writes:
/// a title per property, `x-field_type: SECRET` for secrets.
fn form_schema(schema: Schema) -> Map<String, Value> {
    let mut value = schema.to_value();
    tidy_descriptions(&mut value);
    if let Some(object) = value.as_object_mut() {
        object.remove("$schema");
        decorate(object);
        if let Some(Value::Object(defs)) = object.get_mut("$defs") {
            for def in defs.values_mut() {
                if let Some(def) = def.as_object_mut() {
                    decorate(def);
                }
            }
        }
    }
    match value {
        Value::Object(object) => object,
        _ => Map::new(),
    }
}

/// Keeps the prose of doc-comment descriptions and drops their code examples.
fn tidy_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match item {
                    Value::String(text) if key == "description" => {
                        if let Some(at) = text.find("\n\n```") {
                            text.truncate(at);
                        }
                    }
                    other => tidy_descriptions(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy_descriptions),
        _ => {}
    }
}

fn decorate(object: &mut Map<String, Value>) {
    if object.get("type").and_then(Value::as_str) == Some("object")
        && !object.contains_key("properties")
        && !object.contains_key("additionalProperties")
    {
        object.insert("properties".into(), Value::Object(Map::new()));
    }
    let Some(Value::Object(properties)) = object.get_mut("properties") else {
        return;
    };
    for (name, property) in properties.iter_mut() {
        let Some(property) = property.as_object_mut() else {
            continue;
        };
        if property.remove("writeOnly") == Some(Value::Bool(true)) {
            property.insert("x-field_type".into(), field_type::SECRET.into());
        }
        property
            .entry("title")
            .or_insert_with(|| Value::String(title_case(name)));
    }
}

/// `api_secret` → `Api Secret`, as pydantic titles fields.
pub(super) fn title_case(name: &str) -> String {
    name.split('_')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The form schema of one kind of credential.
pub(super) fn credential_schema(kind: AuthKind) -> Map<String, Value> {
    match kind {
        AuthKind::Basic => schema_of::<BasicCredential>(),
        AuthKind::Token => schema_of::<TokenCredential>(),
        AuthKind::OAuth => schema_of::<OAuthCredential>(),
        AuthKind::OAuthClientCredentials => schema_of::<OAuthClientCredential>(),
        AuthKind::Jwt => schema_of::<crate::wire::JwtCredential>(),
        AuthKind::KeyPair => schema_of::<crate::wire::KeyPairCredential>(),
        AuthKind::ServiceAccount => schema_of::<crate::wire::ServiceAccountCredential>(),
        AuthKind::OAuth1 => schema_of::<crate::wire::OAuth1Credential>(),
        AuthKind::Empty => schema_of::<crate::wire::EmptyCredential>(),
    }
}

pub(super) fn schema_of<T: JsonSchema>() -> Map<String, Value> {
    form_schema(schemars::schema_for!(T))
}

impl<C: Connector> Integration<C> {
    /// The connector's self-description (the `response` of `info`), as 3.7.8 gives it: the
    /// capabilities protocol 4 added are not in it.
    pub fn info(&self) -> Info {
        self.info_in(crate::wire::Protocol::V3_7_8)
    }

    /// The self-description with the capabilities that exist in `protocol`.
    pub(crate) fn info_in(&self, protocol: crate::wire::Protocol) -> Info {
        let capability_schema = self
            .capabilities
            .iter()
            .filter(|(name, _)| name.exists_in(protocol))
            .map(|(name, registered)| {
                let schema = CapabilitySchema {
                    argument: form_schema(registered.handler.argument_schema()),
                    output: form_schema(registered.handler.output_schema()),
                    description: registered.handler.description().map(str::to_owned),
                };
                (name.to_string(), schema)
            })
            .collect::<BTreeMap<_, _>>();
        let mut capability_schema = capability_schema;
        if protocol == crate::wire::Protocol::V4 {
            for (name, registered) in &self.custom {
                let schema = CapabilitySchema {
                    argument: form_schema(registered.handler.argument_schema()),
                    output: form_schema(registered.handler.output_schema()),
                    description: registered.handler.description().map(str::to_owned),
                };
                capability_schema.insert((*name).to_owned(), schema);
            }
        }
        if protocol == crate::wire::Protocol::V4 {
            capability_schema.extend(self.probe_schema());
        }
        Info {
            app_id: self.app_id.clone(),
            version: self.version.clone(),
            capabilities: self.capabilities_in(protocol),
            authentication_schema: self.authentication_schema(),
            capability_schema,
            oauth_scopes: self.oauth_scopes.as_ref().map(|scopes| {
                scopes
                    .iter()
                    .map(|(name, scope)| (name.to_string(), scope.clone()))
                    .collect()
            }),
            logo_url: self.logo_url.clone(),
            user_friendly_name: self.user_friendly_name.clone(),
            description: self.description.clone(),
            categories: self.categories.clone(),
            resource_types: self.resource_types.clone(),
            entitlement_types: self.entitlement_types.clone(),
            request_settings_schema: schema_of::<C::Settings>(),
        }
    }

    /// The JSON schema of the accepted credential: the credential model itself when one kind is
    /// accepted (as 3.7.8 reports it), else an object with one optional property per kind.
    fn authentication_schema(&self) -> Map<String, Value> {
        let kind_schema = credential_schema;
        match self.auth_kinds.as_slice() {
            [kind] => kind_schema(*kind),
            kinds => {
                let properties: Map<String, Value> = kinds
                    .iter()
                    .map(|kind| (kind.field().to_owned(), Value::Object(kind_schema(*kind))))
                    .collect();
                let mut schema = Map::new();
                schema.insert(
                    "description".into(),
                    "Exactly one of the accepted credential kinds.".into(),
                );
                schema.insert("properties".into(), Value::Object(properties));
                schema.insert("title".into(), "AuthCredential".into());
                schema.insert("type".into(), "object".into());
                schema
            }
        }
    }

    /// The `info` document of the given protocol version, as that version of the reference
    /// prints it (see [`Integration::info_json`]).
    pub fn info_json_as(&self, protocol: crate::wire::Protocol) -> String {
        match protocol {
            crate::wire::Protocol::V3_7_8 => self.info_json(),
            crate::wire::Protocol::V4 => python_json(&sorted(serde_json::json!({
                "execution_summary": null,
                "page": null,
                "rate_limit": null,
                "raw_data": null,
                "response": self.info_v4(),
            }))),
        }
    }

    /// The `info` document exactly as the reference prints it: the envelope with every key
    /// sorted, `", "` and `": "` separators, non-ASCII escaped as `\uXXXX`.
    pub fn info_json(&self) -> String {
        let envelope = InfoResponse::new(self.info());
        let value = match serde_json::to_value(envelope) {
            Ok(value) => sorted(value),
            Err(e) => Envelope::Error(ErrorResponse::new(self.request_error(
                crate::wire::Protocol::V3_7_8,
                crate::wire::ErrorCode::UnexpectedError,
                format!("The info document could not be serialized: {e}"),
            )))
            .to_value(),
        };
        python_json(&value)
    }
}

/// A copy of `value` with the keys of every object sorted.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Writes JSON as Python's `json.dumps` does by default.
fn python_json(value: &Value) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    // Writing a `Value` into a `Vec` cannot fail.
    let _ = serde::Serialize::serialize(value, &mut serializer);
    // serde_json writes UTF-8 (and this formatter ASCII only): nothing is ever replaced.
    String::from_utf8_lossy(&out).into_owned()
}

/// `", "` and `": "` separators and ASCII-only strings.
struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        for ch in fragment.chars() {
            if ch.is_ascii() {
                w.write_all(&[ch as u8])?;
            } else {
                let mut units = [0u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_style_output() {
        let value = serde_json::json!({"b": [1, 2], "a": "é😀"});
        assert_eq!(
            python_json(&sorted(value)),
            r#"{"a": "\u00e9\ud83d\ude00", "b": [1, 2]}"#
        );
    }

    #[test]
    fn titles_like_pydantic() {
        assert_eq!(title_case("api_secret"), "Api Secret");
        assert_eq!(title_case("host"), "Host");
    }
}
