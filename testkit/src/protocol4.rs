//! Protocol 4's envelopes checked against the 4.x wire schema (connector-py 4.280's types),
//! committed in the SDK as `framework/tests/data/wire-format-4.x.schema.json`.
//!
//! The check is strict where the schema is loose: an object with listed properties accepts no
//! other key (a misnamed field fails; `UpdateableAccount`, whose other keys are the attributes,
//! excepted), an error's code is one of 4.x's 22 (`ConnectorErrorCode`;
//! the schema also admits the legacy codes 4.x never writes) and its `error_metadata` is
//! required, and envelope keys come in 4.x's order.
//!
//! ```
//! use connector_sdk::wire::CapabilityName;
//! use serde_json::json;
//!
//! let ok = json!({"response": {"valid": true, "unique_tenant_id": "t"}, "raw_data": null,
//!     "page": null, "rate_limit": null, "execution_summary": null});
//! assert!(connector_testkit::protocol4::problems(CapabilityName::ValidateCredentials, &ok).is_empty());
//!
//! let old = json!({"response": {"valid": true, "unique_tenant_id": "t"}, "raw_data": null, "page": null});
//! assert!(!connector_testkit::protocol4::problems(CapabilityName::ValidateCredentials, &old).is_empty());
//! ```

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use connector_sdk::wire::CapabilityName;
use jsonschema::Validator;
use serde_json::{Map, Value, json};

const SCHEMA_TEXT: &str = include_str!("../../framework/tests/data/wire-format-4.x.schema.json");

/// The keys of a success envelope, in 4.x's order.
pub const SUCCESS_KEYS: [&str; 5] = [
    "response",
    "raw_data",
    "page",
    "rate_limit",
    "execution_summary",
];

/// The keys of an error envelope, in 4.x's order.
pub const ERROR_KEYS: [&str; 4] = ["is_error", "error", "raw_data", "page"];

/// The keys of an error, in 4.x's order.
pub const ERROR_FIELDS: [&str; 8] = [
    "message",
    "status_code",
    "app_error_code",
    "error_code",
    "app_id",
    "raised_by",
    "raised_in",
    "error_metadata",
];

/// The strict view of the 4.x `$defs` (see the module docs).
static DEFS: LazyLock<Map<String, Value>> = LazyLock::new(|| {
    let mut document: Value = serde_json::from_str(SCHEMA_TEXT).expect("the 4.x schema is JSON");
    let Some(Value::Object(mut defs)) = document.get_mut("$defs").map(Value::take) else {
        panic!("the 4.x schema has no `$defs`");
    };
    if let Some(error) = defs.get_mut("Error") {
        error["properties"]["error_code"] = json!({"$ref": "#/$defs/ConnectorErrorCode"});
        error["properties"]["error_metadata"] = json!({"$ref": "#/$defs/ConnectorErrorMetadata"});
        error["required"] = json!(["message", "error_code", "app_id", "error_metadata"]);
    }
    for def in defs.values_mut() {
        if let Some(alternatives) = union_alternatives(def) {
            *def = json!({"anyOf": alternatives});
        }
    }
    let mut strict = Value::Object(defs);
    forbid_unknown_properties(&mut strict);
    // The one open model: `update_account`'s payload carries the attributes to change beside
    // the account's id (4.x's connectors extend it with their own fields).
    if let Some(updateable) = strict.get_mut("UpdateableAccount") {
        updateable["additionalProperties"] = Value::Bool(true);
    }
    match strict {
        Value::Object(defs) => defs,
        _ => unreachable!("built from an object"),
    }
});

/// The alternatives of one of the schema's generated union wrappers (`Effect`, `ProbeSample`,
/// `ActivityRecordActivityType`, …): the schema describes the Python class that holds the
/// value (`actual_instance`, `any_of_schemas`), while the wire carries one of the listed types
/// itself; `str` is a string.
fn union_alternatives(def: &Value) -> Option<Vec<Value>> {
    let names = def
        .pointer("/properties/any_of_schemas/default")?
        .as_array()?;
    names
        .iter()
        .map(|name| match name.as_str()? {
            "str" => Some(json!({"type": "string"})),
            other => Some(json!({"$ref": format!("#/$defs/{other}")})),
        })
        .collect()
}

static VALIDATORS: LazyLock<Mutex<HashMap<String, Arc<Validator>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

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

fn collect_reachable(schema: &Value, into: &mut Map<String, Value>) {
    match schema {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                let name = target.trim_start_matches("#/$defs/");
                if !into.contains_key(name)
                    && let Some(def) = DEFS.get(name)
                {
                    into.insert(name.to_owned(), def.clone());
                    collect_reachable(def, into);
                }
            }
            map.values().for_each(|v| collect_reachable(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_reachable(v, into)),
        _ => {}
    }
}

/// A validator of the strict view of the 4.x definition `name` (`ListAccountsResponse`,
/// `ErrorResponse`, `InfoResponse`, `AppInfoResponse`, …), compiled once.
///
/// # Panics
///
/// If the 4.x schema has no such definition.
pub fn validator(name: &str) -> Arc<Validator> {
    let mut cache = VALIDATORS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = cache.get(name) {
        return Arc::clone(found);
    }
    assert!(
        DEFS.contains_key(name),
        "the 4.x schema has no definition `{name}`"
    );
    let root = json!({"$ref": format!("#/$defs/{name}")});
    let mut reachable = Map::new();
    collect_reachable(&root, &mut reachable);
    let schema = json!({"$defs": reachable, "$ref": format!("#/$defs/{name}")});
    let compiled = Arc::new(
        jsonschema::draft202012::new(&schema)
            .unwrap_or_else(|error| panic!("the 4.x schema of `{name}` does not compile: {error}")),
    );
    cache.insert(name.to_owned(), Arc::clone(&compiled));
    compiled
}

/// Every way `value` is not a valid instance of the 4.x definition `name` (empty when it is).
pub fn violations(name: &str, value: &Value) -> Vec<String> {
    validator(name)
        .iter_errors(value)
        .map(|error| format!("{name} at `{}`: {error}", error.instance_path))
        .collect()
}

fn keys_of(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .map(|map| map.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The 4.x definition of a capability's success envelope: `ListAccountsResponse`, ….
pub fn response_definition(capability: CapabilityName) -> String {
    // The capabilities whose envelopes are not named after them.
    match capability {
        CapabilityName::HandleClientCredentialsRequest => {
            return "HandleClientCredentialsResponse".to_owned();
        }
        CapabilityName::ConnectedInfo => return "GetConnectedInfoResponse".to_owned(),
        _ => {}
    }
    let pascal: String = capability
        .as_str()
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect();
    format!("{pascal}Response")
}

/// Every way `envelope` (what a connector printed for `capability` in protocol 4) falls short of
/// a 4.x envelope: the schema of its success or error model, and the key order.
pub fn problems(capability: CapabilityName, envelope: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if envelope.get("is_error") == Some(&Value::Bool(true)) {
        problems.extend(violations("ErrorResponse", envelope));
        if keys_of(envelope) != ERROR_KEYS {
            problems.push(format!(
                "error envelope keys {:?}, not {ERROR_KEYS:?}",
                keys_of(envelope)
            ));
        }
        let error = &envelope["error"];
        if keys_of(error) != ERROR_FIELDS {
            problems.push(format!(
                "error keys {:?}, not {ERROR_FIELDS:?}",
                keys_of(error)
            ));
        }
    } else {
        problems.extend(violations(&response_definition(capability), envelope));
        if keys_of(envelope) != SUCCESS_KEYS {
            problems.push(format!(
                "success envelope keys {:?}, not {SUCCESS_KEYS:?}",
                keys_of(envelope)
            ));
        }
    }
    problems
}
