//! The reference schema of protocol 3.7.8, the three views the tests take of it, and the few
//! schema helpers the generator, the expectation and the mutations share.
//!
//! - **published**: `$defs` exactly as in `tests/data/wire-format-3.7.8.schema.json`;
//! - **effective**: published plus our documented deviations ([`DEVIATIONS`]); documents are
//!   generated from it and outputs are predicted from it;
//! - **strict**: effective with `additionalProperties: false` on every object that lists its
//!   `properties`, so a misnamed or invented field in our output fails validation.

use std::sync::LazyLock;

use jsonschema::Validator;
use serde_json::{Map, Value, json};

const SCHEMA_TEXT: &str = include_str!("../../data/wire-format-3.7.8.schema.json");

/// Intentional differences between our wire model and the published schema: the reference
/// Python SDK emits `description` on `Info` and `CapabilitySchema` though the schema omits it.
/// Each is an optional, nullable string property added to the named definition.
pub(crate) const DEVIATIONS: &[(&str, &str)] =
    &[("Info", "description"), ("CapabilitySchema", "description")];

/// The reference schema, loaded once.
pub(crate) static REFERENCE: LazyLock<Reference> = LazyLock::new(Reference::load);

/// The three views of the reference `$defs` (see the module docs).
#[derive(Debug)]
pub(crate) struct Reference {
    pub(crate) published: Map<String, Value>,
    pub(crate) effective: Map<String, Value>,
    pub(crate) strict: Map<String, Value>,
}

impl Reference {
    fn load() -> Self {
        let mut document: Value =
            serde_json::from_str(SCHEMA_TEXT).expect("the reference schema is JSON");
        let Some(Value::Object(published)) = document.get_mut("$defs").map(Value::take) else {
            panic!("the reference schema has no `$defs` object");
        };

        let mut effective = published.clone();
        for (def, property) in DEVIATIONS {
            let properties = effective
                .get_mut(*def)
                .and_then(|schema| schema.get_mut("properties"))
                .and_then(Value::as_object_mut)
                .unwrap_or_else(|| panic!("deviation on `{def}`, which has no properties"));
            properties.insert(
                (*property).to_owned(),
                json!({ "anyOf": [{ "type": "string" }, { "type": "null" }], "default": null }),
            );
        }

        let mut strict = Value::Object(effective.clone());
        forbid_unknown_properties(&mut strict);
        let Value::Object(strict) = strict else {
            unreachable!("the strict view is built from an object")
        };

        Self {
            published,
            effective,
            strict,
        }
    }

    /// The names of the published definitions, sorted.
    pub(crate) fn def_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.published.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// A validator of the published definition `name`.
    pub(crate) fn published_validator(&self, name: &str) -> Validator {
        validator_of(&self.published, name)
    }

    /// A validator of the strict view of definition `name`.
    pub(crate) fn strict_validator(&self, name: &str) -> Validator {
        validator_of(&self.strict, name)
    }
}

/// Adds `additionalProperties: false` to every object schema that has `properties` and does not
/// already say what other properties may be.
fn forbid_unknown_properties(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            map.values_mut().for_each(forbid_unknown_properties);
        }
        Value::Array(items) => items.iter_mut().for_each(forbid_unknown_properties),
        _ => {}
    }
}

fn validator_of(defs: &Map<String, Value>, name: &str) -> Validator {
    assert!(
        defs.contains_key(name),
        "the reference has no definition `{name}`"
    );
    // Only the definitions `name` reaches: compiling all 89 for each test is slow in debug.
    let mut reachable = Map::new();
    collect_reachable(defs, &reference_to(name), &mut reachable);
    let schema = json!({ "$defs": reachable, "$ref": format!("#/$defs/{name}") });
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|error| panic!("the schema of `{name}` does not compile: {error}"))
}

fn collect_reachable(defs: &Map<String, Value>, schema: &Value, into: &mut Map<String, Value>) {
    match schema {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                let name = target.trim_start_matches("#/$defs/");
                if !into.contains_key(name) {
                    let def = defs
                        .get(name)
                        .unwrap_or_else(|| panic!("dangling $ref `{target}`"));
                    into.insert(name.to_owned(), def.clone());
                    collect_reachable(defs, def, into);
                }
            }
            for value in map.values() {
                collect_reachable(defs, value, into);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_reachable(defs, item, into);
            }
        }
        _ => {}
    }
}

/// Compiles a schema we generated (schemars output).
pub(crate) fn validator_for(schema: &Value, name: &str) -> Validator {
    jsonschema::draft202012::new(schema)
        .unwrap_or_else(|error| panic!("our schema of `{name}` does not compile: {error}"))
}

/// Every reason `document` is invalid, one per line, or `None` when it is valid.
pub(crate) fn violations(validator: &Validator, document: &Value) -> Option<String> {
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|error| {
            let at = error.instance_path.to_string();
            let at = if at.is_empty() { "/".to_owned() } else { at };
            format!("at {at}: {error}")
        })
        .collect();
    (!errors.is_empty()).then(|| errors.join("\n    "))
}

/// A schema that is a reference to definition `name`.
pub(crate) fn reference_to(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

/// Follows `$ref`s (only `#/$defs/<name>` ones occur) to the schema they point at.
pub(crate) fn resolve<'a>(defs: &'a Map<String, Value>, mut schema: &'a Value) -> &'a Value {
    while let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = target
            .strip_prefix("#/$defs/")
            .unwrap_or_else(|| panic!("unsupported $ref `{target}`"));
        schema = defs
            .get(name)
            .unwrap_or_else(|| panic!("dangling $ref `{target}`"));
    }
    schema
}

/// The JSON types a schema admits, or `None` when it admits any value (`{}`).
pub(crate) fn admitted_types(
    defs: &Map<String, Value>,
    schema: &Value,
) -> Option<Vec<&'static str>> {
    let schema = resolve(defs, schema);
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        let mut types = Vec::new();
        for branch in branches {
            types.extend(admitted_types(defs, branch)?);
        }
        return Some(types);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some(kind) => Some(vec![json_type_name(kind)]),
        None => None,
    }
}

/// Whether `null` is a valid value of the schema.
pub(crate) fn admits_null(defs: &Map<String, Value>, schema: &Value) -> bool {
    admitted_types(defs, schema).is_none_or(|types| types.contains(&"null"))
}

/// The name of a value's JSON type, as in `"type"` (numbers are all `integer` here, the only
/// numeric type the protocol uses).
pub(crate) fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The branch of an `anyOf` (or the schema itself) that describes a non-null `value`.
pub(crate) fn branch_for<'a>(
    defs: &'a Map<String, Value>,
    schema: &'a Value,
    value: &Value,
) -> Option<&'a Value> {
    let schema = resolve(defs, schema);
    let Some(branches) = schema.get("anyOf").and_then(Value::as_array) else {
        return Some(schema);
    };
    branches.iter().find_map(|branch| {
        let fits = admitted_types(defs, branch).is_none_or(|types| types.contains(&type_of(value)));
        fits.then(|| resolve(defs, branch))
    })
}

fn json_type_name(kind: &str) -> &'static str {
    match kind {
        "null" => "null",
        "boolean" => "boolean",
        "integer" => "integer",
        "string" => "string",
        "array" => "array",
        "object" => "object",
        other => panic!("the reference uses the type `{other}`, which these tests do not model"),
    }
}

/// Escapes a key for use in a JSON pointer (RFC 6901).
pub(crate) fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
