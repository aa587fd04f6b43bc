//! What serializing a deserialized document must give, and a readable diff when it does not.
//!
//! The expectation is the input itself, made canonical along the schema: keys a definition does
//! not declare are dropped (they are ignored on input), and absent optional properties appear
//! with their default (`null`). Free-form values (`{}`, `additionalProperties: true`) are kept
//! as they are. Nothing else may change: no value lost, renamed or coerced.

use serde_json::{Map, Value};

use super::reference::{branch_for, pointer_token, reference_to, resolve};

/// The canonical form of `document`, valid against definition `name` of `defs`.
pub(crate) fn output(defs: &Map<String, Value>, name: &str, document: &Value) -> Value {
    canonical(defs, &reference_to(name), document)
}

fn canonical(defs: &Map<String, Value>, schema: &Value, value: &Value) -> Value {
    if value.is_null() {
        return Value::Null;
    }
    let Some(schema) = branch_for(defs, schema, value) else {
        return value.clone();
    };
    match value {
        Value::Object(map) => {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                let mut out = Map::new();
                for (key, item) in map {
                    if let Some(property) = properties.get(key) {
                        out.insert(key.clone(), canonical(defs, property, item));
                    }
                }
                for (key, property) in properties {
                    let property = resolve(defs, property);
                    if let (false, Some(default)) = (out.contains_key(key), property.get("default"))
                    {
                        out.insert(key.clone(), default.clone());
                    }
                }
                Value::Object(out)
            } else if let Some(values @ Value::Object(_)) = schema.get("additionalProperties") {
                let entries = map
                    .iter()
                    .map(|(key, item)| (key.clone(), canonical(defs, values, item)));
                Value::Object(entries.collect())
            } else {
                value.clone()
            }
        }
        Value::Array(items) => match schema.get("items") {
            Some(item_schema) => Value::Array(
                items
                    .iter()
                    .map(|item| canonical(defs, item_schema, item))
                    .collect(),
            ),
            None => value.clone(),
        },
        _ => value.clone(),
    }
}

/// Definitions whose field order never reaches the wire, so is not checked: `info` is printed
/// with every object's keys sorted, as the reference prints it (`integration/info.rs`).
const UNORDERED: &[&str] = &["Info"];

/// Where the output breaks the reference's field order. The reference lists `properties`
/// alphabetically but `required` in declaration order, so the required keys of every object
/// must come out in that order.
pub(crate) fn order_violations(
    defs: &Map<String, Value>,
    name: &str,
    output: &Value,
) -> Vec<String> {
    let mut found = Vec::new();
    check_order(defs, &reference_to(name), output, "", &mut found);
    found
}

fn check_order(
    defs: &Map<String, Value>,
    schema: &Value,
    value: &Value,
    at: &str,
    found: &mut Vec<String>,
) {
    if value.is_null() {
        return;
    }
    let Some(schema) = branch_for(defs, schema, value) else {
        return;
    };
    match value {
        Value::Object(map) => {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                let required: Vec<&str> = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|names| names.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let written: Vec<&str> = map
                    .keys()
                    .map(String::as_str)
                    .filter(|key| required.contains(key))
                    .collect();
                let unordered = UNORDERED
                    .iter()
                    .any(|name| std::ptr::eq(schema, &defs[*name]));
                if written != required && !unordered {
                    let at = if at.is_empty() { "/" } else { at };
                    found.push(format!(
                        "{at}: required keys written as {written:?}, the reference declares {required:?}"
                    ));
                }
                for (key, item) in map {
                    if let Some(property) = properties.get(key) {
                        check_order(
                            defs,
                            property,
                            item,
                            &format!("{at}/{}", pointer_token(key)),
                            found,
                        );
                    }
                }
            } else if let Some(values @ Value::Object(_)) = schema.get("additionalProperties") {
                for (key, item) in map {
                    check_order(
                        defs,
                        values,
                        item,
                        &format!("{at}/{}", pointer_token(key)),
                        found,
                    );
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    check_order(defs, item_schema, item, &format!("{at}/{index}"), found);
                }
            }
        }
        _ => {}
    }
}

/// Where `actual` differs from `expected`, one line per difference, with JSON pointers.
/// Object key order is not compared.
pub(crate) fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut found = Vec::new();
    diff(expected, actual, "", &mut found);
    found
}

fn diff(expected: &Value, actual: &Value, at: &str, found: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, value) in expected {
                let path = format!("{at}/{}", pointer_token(key));
                match actual.get(key) {
                    Some(other) => diff(value, other, &path, found),
                    None => found.push(format!("{path}: missing from the output (input: {value})")),
                }
            }
            for (key, value) in actual {
                if !expected.contains_key(key) {
                    let path = format!("{at}/{}", pointer_token(key));
                    found.push(format!(
                        "{path}: in the output but not in the input ({value})"
                    ));
                }
            }
        }
        (Value::Array(expected), Value::Array(actual)) if expected.len() == actual.len() => {
            for (index, (value, other)) in expected.iter().zip(actual).enumerate() {
                diff(value, other, &format!("{at}/{index}"), found);
            }
        }
        _ if expected == actual => {}
        _ => {
            let at = if at.is_empty() { "/" } else { at };
            found.push(format!("{at}: expected {expected}, got {actual}"));
        }
    }
}
