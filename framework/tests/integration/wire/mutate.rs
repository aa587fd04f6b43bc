//! Near-misses of a valid document, for comparing verdicts: a required property dropped, a
//! value of the wrong JSON type, an enum string almost right, an integer written as a string.
//!
//! Mutations follow the *published* schema, so only properties the reference declares are
//! touched; lists and maps are mutated through their first element only.

use std::fmt;

use serde_json::{Map, Value, json};

use super::reference::{admitted_types, branch_for, pointer_token, reference_to, type_of};

/// One change to a document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Change {
    /// The required property at the pointer was removed.
    DropRequired,
    /// The value at the pointer was replaced with one of a type the schema does not admit.
    WrongType(Value),
    /// The enum string at the pointer was replaced with a near-miss.
    EnumNearMiss(String),
    /// The integer at the pointer was replaced with its decimal string.
    NumberAsString(String),
}

/// A mutated document.
#[derive(Debug, Clone)]
pub(crate) struct Mutation {
    /// JSON pointer of the changed (or removed) value.
    pub(crate) pointer: String,
    pub(crate) change: Change,
    /// The value at the pointer before the change.
    pub(crate) was: Value,
    pub(crate) document: Value,
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = &self.pointer;
        match &self.change {
            Change::DropRequired => write!(f, "required {at} dropped"),
            Change::WrongType(value) => write!(f, "{at} set to {value} (wrong type)"),
            Change::EnumNearMiss(value) => write!(f, "{at} set to {value:?} (near-miss)"),
            Change::NumberAsString(value) => write!(f, "{at} set to {value:?} (number as string)"),
        }
    }
}

/// The mutations of `document`, a valid document of definition `name`.
pub(crate) fn mutations(defs: &Map<String, Value>, name: &str, document: &Value) -> Vec<Mutation> {
    let mut edits = Vec::new();
    walk(defs, &reference_to(name), document, "", &mut edits);
    edits
        .into_iter()
        .map(|(pointer, change)| {
            let was = document
                .pointer(&pointer)
                .cloned()
                .expect("the pointer exists");
            let mut mutated = document.clone();
            apply(&mut mutated, &pointer, &change);
            Mutation {
                pointer,
                change,
                was,
                document: mutated,
            }
        })
        .collect()
}

fn walk(
    defs: &Map<String, Value>,
    schema: &Value,
    value: &Value,
    at: &str,
    edits: &mut Vec<(String, Change)>,
) {
    if let Some(admitted) = admitted_types(defs, schema) {
        for wrong in wrong_types(&admitted) {
            edits.push((at.to_owned(), Change::WrongType(wrong)));
        }
    }
    if value.is_null() {
        return;
    }
    let Some(schema) = branch_for(defs, schema, value) else {
        return;
    };

    if let (Some(Value::Array(allowed)), Value::String(text)) = (schema.get("enum"), value) {
        for near in near_misses(text, allowed) {
            edits.push((at.to_owned(), Change::EnumNearMiss(near)));
        }
    }
    match value {
        Value::Number(number) if schema.get("type") == Some(&json!("integer")) => {
            edits.push((at.to_owned(), Change::NumberAsString(number.to_string())));
        }
        Value::Object(map) => {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                let required = schema.get("required").and_then(Value::as_array);
                for name in required.into_iter().flatten().filter_map(Value::as_str) {
                    if map.contains_key(name) {
                        let pointer = format!("{at}/{}", pointer_token(name));
                        edits.push((pointer, Change::DropRequired));
                    }
                }
                for (key, item) in map {
                    if let Some(property) = properties.get(key) {
                        walk(
                            defs,
                            property,
                            item,
                            &format!("{at}/{}", pointer_token(key)),
                            edits,
                        );
                    }
                }
            } else if let (Some(values @ Value::Object(_)), Some((key, item))) =
                (schema.get("additionalProperties"), map.iter().next())
            {
                walk(
                    defs,
                    values,
                    item,
                    &format!("{at}/{}", pointer_token(key)),
                    edits,
                );
            }
        }
        Value::Array(items) => {
            if let (Some(item_schema), Some(item)) = (schema.get("items"), items.first()) {
                walk(defs, item_schema, item, &format!("{at}/0"), edits);
            }
        }
        _ => {}
    }
}

/// A wrong scalar and a wrong container for a place admitting `admitted` types.
fn wrong_types(admitted: &[&str]) -> Vec<Value> {
    let scalars = [json!(5), json!("5"), json!(true), Value::Null];
    let containers = [json!([]), json!({})];
    let wrong = |value: &&Value| !admitted.contains(&type_of(value));
    let mut picked = Vec::new();
    picked.extend(scalars.iter().find(wrong).cloned());
    picked.extend(containers.iter().find(wrong).cloned());
    picked
}

/// Strings close to an enum value that are not enum values: other cases, a missing last
/// letter, a misspelling, surrounding space.
fn near_misses(text: &str, allowed: &[Value]) -> Vec<String> {
    let mut capitalized: Vec<char> = text.to_lowercase().chars().collect();
    if let Some(first) = capitalized.first_mut() {
        *first = first.to_ascii_uppercase();
    }
    let candidates = [
        text.to_uppercase(),
        text.to_lowercase(),
        capitalized.into_iter().collect(),
        text.chars()
            .take(text.chars().count().saturating_sub(1))
            .collect(),
        text.replacen('I', "l", 1).replacen('i', "l", 1),
        format!(" {text}"),
    ];
    let mut picked: Vec<String> = Vec::new();
    for candidate in candidates {
        let taken = allowed
            .iter()
            .any(|value| value.as_str() == Some(candidate.as_str()));
        if !taken && !picked.contains(&candidate) {
            picked.push(candidate);
        }
    }
    picked
}

fn apply(document: &mut Value, pointer: &str, change: &Change) {
    let replacement = match change {
        Change::DropRequired => {
            let (parent, key) = pointer.rsplit_once('/').expect("a property pointer");
            let key = key.replace("~1", "/").replace("~0", "~");
            let parent = document.pointer_mut(parent).and_then(Value::as_object_mut);
            parent.expect("the parent is an object").shift_remove(&key);
            return;
        }
        Change::WrongType(value) => value.clone(),
        Change::EnumNearMiss(text) | Change::NumberAsString(text) => Value::String(text.clone()),
    };
    *document.pointer_mut(pointer).expect("the pointer exists") = replacement;
}
