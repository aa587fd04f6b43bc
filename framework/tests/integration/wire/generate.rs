//! Proptest strategies for JSON documents valid against a reference definition.
//!
//! Covers the subset of JSON Schema the reference uses: `$ref` into `$defs`, `anyOf`, `enum`,
//! `object` (`properties`/`required`, or a map through `additionalProperties`), `array`,
//! `string`, `integer`, `boolean`, `null` and the any-value schema `{}`.
//!
//! Objects with declared properties get each optional property at random (absent, an explicit
//! `null` when the schema allows it, or a value), keys in random order, and now and then one
//! of the [`UNKNOWN_KEYS`], which the wire model must ignore.

use proptest::collection::{btree_map, vec};
use proptest::prelude::{Just, Rng, Strategy, any, prop_oneof};
use proptest::strategy::{BoxedStrategy, Union, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::{Map, Value};

use super::reference::{admits_null, reference_to, resolve};

/// Keys of the unknown property added to some generated objects: a made-up one, and names
/// that mean something elsewhere in the protocol (used only where the object does not declare
/// them).
pub(crate) const UNKNOWN_KEYS: &[&str] = &["zz_unknown", "auth", "description", "type"];

/// Integers stay in `0..=1000`: our integer fields are `u16`/`u32`.
const INTEGERS: std::ops::RangeInclusive<u32> = 0..=1000;

/// Documents valid against definition `name` of `defs`.
pub(crate) fn document(defs: &Map<String, Value>, name: &str) -> BoxedStrategy<Value> {
    value(defs, &reference_to(name))
}

/// `count` documents of definition `name`, the same ones on every run.
pub(crate) fn samples(defs: &Map<String, Value>, name: &str, count: usize) -> Vec<Value> {
    let strategy = document(defs, name);
    let mut runner = TestRunner::deterministic();
    (0..count)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .unwrap_or_else(|reason| panic!("cannot generate a `{name}`: {reason}"))
                .current()
        })
        .collect()
}

fn value(defs: &Map<String, Value>, schema: &Value) -> BoxedStrategy<Value> {
    let schema = resolve(defs, schema);
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        // Values three times as often as `null`.
        let weighted = branches.iter().map(|branch| {
            let weight = if resolve(defs, branch).get("type") == Some(&Value::from("null")) {
                1
            } else {
                3
            };
            (weight, value(defs, branch))
        });
        return Union::new_weighted(weighted.collect()).boxed();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return proptest::sample::select(values.clone()).boxed();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => object(defs, schema),
        Some("array") => {
            let items = schema
                .get("items")
                .map_or_else(any_json, |items| value(defs, items));
            vec(items, 0..3).prop_map(Value::Array).boxed()
        }
        Some("string") => text().prop_map(Value::String).boxed(),
        Some("integer") => INTEGERS.prop_map(Value::from).boxed(),
        Some("boolean") => any::<bool>().prop_map(Value::Bool).boxed(),
        Some("null") => Just(Value::Null).boxed(),
        None if is_any_value(schema) => any_json(),
        _ => panic!("the generator does not model the schema {schema}"),
    }
}

fn object(defs: &Map<String, Value>, schema: &Value) -> BoxedStrategy<Value> {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        let values = match schema.get("additionalProperties") {
            Some(values @ Value::Object(_)) => value(defs, values),
            _ => any_json(),
        };
        return btree_map(key(), values, 0..3)
            .prop_map(|map| Value::Object(map.into_iter().collect()))
            .boxed();
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();

    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
        .iter()
        .map(|(name, property)| {
            let present = {
                let name = name.clone();
                value(defs, property).prop_map(move |value| Some((name.clone(), value)))
            };
            if required.contains(&name.as_str()) {
                present.boxed()
            } else if admits_null(defs, property) {
                let null = Some((name.clone(), Value::Null));
                prop_oneof![1 => Just(None), 1 => Just(null), 3 => present].boxed()
            } else {
                prop_oneof![1 => Just(None), 3 => present].boxed()
            }
        })
        .collect();
    // An unknown key one time in five, unless the schema forbids it.
    let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
    let unknown_keys: Vec<&'static str> = UNKNOWN_KEYS
        .iter()
        .copied()
        .filter(|key| !properties.contains_key(*key))
        .collect();
    let unknown = if closed || unknown_keys.is_empty() {
        Just(None).boxed()
    } else {
        let entry = (proptest::sample::select(unknown_keys), any_json());
        prop_oneof![4 => Just(None), 1 => entry.prop_map(Some)].boxed()
    };

    (fields, unknown)
        .prop_perturb(|(fields, unknown), mut rng| {
            let mut entries: Vec<(String, Value)> = fields.into_iter().flatten().collect();
            entries.extend(unknown.map(|(key, value)| (key.to_owned(), value)));
            // Keys in any order (a Fisher-Yates shuffle; cheaper than `prop_shuffle`).
            for last in (1..entries.len()).rev() {
                let pick = rng.next_u32() as usize % (last + 1);
                entries.swap(last, pick);
            }
            Value::Object(entries.into_iter().collect())
        })
        .boxed()
}

/// The schema `{}` (possibly with annotations only): any value.
fn is_any_value(schema: &Value) -> bool {
    schema.as_object().is_some_and(|map| {
        map.keys()
            .all(|key| matches!(key.as_str(), "default" | "title" | "description"))
    })
}

/// Strings: mostly picked from a list of plain and tricky ones (strings that look like other
/// JSON types, escapes, non-ASCII), sometimes a few random characters. Picking is ten times
/// faster than regex or character-list strategies in debug builds.
fn text() -> BoxedStrategy<String> {
    const STRINGS: &[&str] = &[
        "",
        "a",
        "u-1001",
        "ada@acme.example",
        "Ada Lovelace",
        "https://acme.example/api/v2?x=1&y=2",
        "5",
        "-1",
        "true",
        "null",
        "{}",
        "[]",
        "ACTIVE",
        "bearer",
        "quote \" and backslash \\",
        "line\nbreak\ttab",
        "\u{0}",
        "Zoë Ångström",
        "名前",
        "🦀",
    ];
    prop_oneof![
        3 => proptest::sample::select(STRINGS).prop_map(str::to_owned),
        1 => vec(proptest::char::any(), 0..6).prop_map(String::from_iter),
    ]
    .boxed()
}

/// Keys of free-form maps.
fn key() -> BoxedStrategy<String> {
    const LETTERS: &[char] = &['a', 'b', 'c', 'k', 'x', 'y', 'z', '_'];
    vec(proptest::sample::select(LETTERS), 1..6)
        .prop_map(String::from_iter)
        .boxed()
}

/// Any JSON value, small: nested two levels at most (no floats: the protocol has none).
fn any_json() -> BoxedStrategy<Value> {
    nested_json(2)
}

/// Built level by level rather than with `prop_recursive`, which rebuilds its strategy for
/// every value it generates (slow in debug builds).
fn nested_json(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000_i64..=1000).prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    let inner = nested_json(depth - 1);
    prop_oneof![
        4 => leaf,
        1 => vec(inner.clone(), 0..3).prop_map(Value::Array),
        1 => btree_map(key(), inner, 0..3).prop_map(|map| Value::Object(map.into_iter().collect())),
    ]
    .boxed()
}
