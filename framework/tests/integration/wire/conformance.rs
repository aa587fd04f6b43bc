//! Our schemas and deserializers against the reference, verdict by verdict.
//!
//! For every definition, valid generated samples, their mutations (see [`super::mutate`]) and
//! the hand-written documents of `tests/data/wire-samples.json` are judged three ways: by the
//! published reference, by the schemars schema of our type, and by our deserializer. The
//! schema verdicts must agree everywhere; the deserializer must agree too, except where
//! [`lenient_by_design`] documents why it may accept more.

use std::collections::BTreeSet;

use jsonschema::Validator;
use serde::Deserialize;
use serde_json::Value;

use super::expect;
use super::generate;
use super::mutate::{Change, Mutation, mutations};
use super::reference::{REFERENCE, validator_for, violations};
use super::registry::{WIRE_ENUMS, WireType, for_each_wire_type, wire_type};

/// Valid samples generated per definition (each also yields its mutations).
const SAMPLES: usize = 8;

/// The three judges of a definition.
struct Judges {
    wire_type: &'static WireType,
    published: Validator,
    ours: Validator,
}

impl Judges {
    fn of(name: &str) -> Self {
        let wire_type = wire_type(name);
        Self {
            wire_type,
            published: REFERENCE.published_validator(name),
            ours: validator_for(&(wire_type.schema)(), name),
        }
    }

    /// Why the judges disagree on `document`, if they do.
    fn disagreement(&self, document: &Value, mutation: Option<&Mutation>) -> Option<String> {
        let reference = self.published.is_valid(document);
        let ours = self.ours.is_valid(document);
        if reference != ours {
            let why = violations(if ours { &self.published } else { &self.ours }, document);
            return Some(format!(
                "the reference {} it but our schemars schema {} it\n      because: {}",
                verdict(reference),
                verdict(ours),
                why.unwrap_or_default()
            ));
        }
        let deserialized = (self.wire_type.roundtrip)(document.clone());
        if deserialized.is_ok() != reference {
            if !reference
                && mutation.is_some_and(|mutation| lenient_by_design(self.wire_type, mutation))
            {
                return None;
            }
            return Some(match deserialized {
                Ok(_) => format!(
                    "the reference rejects it but our deserializer accepts it\n      because: {}",
                    violations(&self.published, document).unwrap_or_default()
                ),
                Err(error) => {
                    format!("the reference accepts it but our deserializer rejects it: {error}")
                }
            });
        }
        None
    }
}

fn verdict(valid: bool) -> &'static str {
    if valid { "accepts" } else { "rejects" }
}

/// Whether our deserializer may accept this mutation though the reference rejects it. Each
/// case is a known difference, deliberate or accepted; anything else is a bug.
fn lenient_by_design(wire_type: &WireType, mutation: &Mutation) -> bool {
    let auth_of_a_request = wire_type.name.ends_with("Request") && mutation.pointer == "/auth";
    match &mutation.change {
        // `Request::auth` is an `Option` for every capability: dispatch answers a missing
        // credential with a `bad_request` error envelope ("Missing auth in request") rather than
        // a parse error.
        Change::DropRequired | Change::WrongType(Value::Null) => auth_of_a_request,
        // serde_json reads a struct from a JSON array of its fields in declaration order, so `[]`
        // is a struct whose fields are all optional (`Page`, `AuthCredential`, the empty request
        // payloads…). Nothing is lost or coerced, but the reference rejects it.
        Change::WrongType(Value::Array(items)) => {
            items.is_empty() && (mutation.was.is_object() || mutation.was.is_null())
        }
        _ => false,
    }
}

fn check(name: &str) {
    let judges = Judges::of(name);
    let mut found = Vec::new();
    let mut judged = 0_usize;
    for sample in generate::samples(&REFERENCE.effective, name, SAMPLES) {
        judged += 1;
        if let Some(why) = judges.disagreement(&sample, None) {
            found.push(format!("  valid sample {sample}\n      {why}"));
        }
        for mutation in mutations(&REFERENCE.published, name, &sample) {
            judged += 1;
            if let Some(why) = judges.disagreement(&mutation.document, Some(&mutation)) {
                found.push(format!("  {mutation}: {}\n      {why}", mutation.document));
            }
        }
    }
    let shown = 6;
    let more = found.len().saturating_sub(shown);
    assert!(
        found.is_empty(),
        "`{name}`: {} of {judged} documents judged differently:\n{}{}",
        found.len(),
        found[..found.len().min(shown)].join("\n"),
        if more > 0 {
            format!("\n  … and {more} more")
        } else {
            String::new()
        }
    );
}

macro_rules! verdict_tests {
    (enums: [$($enum:ident),+ $(,)?], types: [$($type:ident),+ $(,)?] $(,)?) => {
        $(#[test] fn $enum() { super::check(stringify!($enum)); })+
        $(#[test] fn $type() { super::check(stringify!($type)); })+
    };
}

/// One test per definition, named after it.
#[allow(non_snake_case)]
mod each_definition {
    super::for_each_wire_type!(verdict_tests);
}

#[test]
fn enum_values_are_the_reference_values() {
    for wire_enum in WIRE_ENUMS {
        let name = wire_enum.name;
        let reference: Vec<&str> = REFERENCE.published[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("`{name}` is not an enum in the reference"))
            .iter()
            .map(|value| value.as_str().expect("enum values are strings"))
            .collect();
        // `ErrorCode` also holds the three codes protocol 4 added, `CapabilityName` the
        // capabilities it added; 3.7.8 knows neither.
        let ours: Vec<&str> = (wire_enum.all)()
            .into_iter()
            .filter(|value| match name {
                "ErrorCode" => value
                    .parse::<connector_sdk::wire::ErrorCode>()
                    .is_ok_and(|code| code.exists_in(connector_sdk::Protocol::V3_7_8)),
                "CapabilityName" => value
                    .parse::<connector_sdk::wire::CapabilityName>()
                    .is_ok_and(|name| name.exists_in(connector_sdk::Protocol::V3_7_8)),
                _ => true,
            })
            .collect();

        let (reference_set, our_set): (BTreeSet<_>, BTreeSet<_>) = (
            reference.iter().copied().collect(),
            ours.iter().copied().collect(),
        );
        let missing: Vec<_> = reference_set.difference(&our_set).collect();
        let unknown: Vec<_> = our_set.difference(&reference_set).collect();
        assert!(
            missing.is_empty() && unknown.is_empty() && ours.len() == our_set.len(),
            "`{name}::ALL` is not the reference enum\n  missing: {missing:?}\n  not in the \
             reference: {unknown:?}\n  ALL: {ours:?}"
        );
        assert_eq!(
            ours, reference,
            "`{name}::ALL` is not in the reference's order"
        );

        let serialized: Vec<Value> = (wire_enum.serialized)()
            .into_iter()
            .filter(|value| value.as_str().is_some_and(|text| ours.contains(&text)))
            .collect();
        let as_str: Vec<Value> = ours.iter().map(|text| Value::from(*text)).collect();
        assert_eq!(serialized, as_str, "`{name}`: serde and `as_str` disagree");
    }
}

/// A hand-written document of `tests/data/wire-samples.json`.
#[derive(Debug, Deserialize)]
struct HandWritten {
    about: String,
    def: String,
    valid: bool,
    document: Value,
}

#[test]
fn hand_written_documents() {
    let samples: Vec<HandWritten> =
        serde_json::from_str(include_str!("../../data/wire-samples.json"))
            .expect("wire-samples.json is a list of samples");
    let mut found = Vec::new();
    for sample in &samples {
        let HandWritten {
            about,
            def,
            valid,
            document,
        } = sample;
        let judges = Judges::of(def);
        if judges.published.is_valid(document) != *valid {
            found.push(format!(
                "{about} ({def}): the sample says valid = {valid}, the reference disagrees: {}",
                violations(&judges.published, document).unwrap_or_default()
            ));
            continue;
        }
        if let Some(why) = judges.disagreement(document, None) {
            found.push(format!("{about} ({def}): {why}"));
            continue;
        }
        if *valid {
            let output = (judges.wire_type.roundtrip)(document.clone()).expect("judged valid");
            let strict = REFERENCE.strict_validator(def);
            if let Some(errors) = violations(&strict, &output) {
                found.push(format!(
                    "{about} ({def}): output breaks the strict reference: {errors}"
                ));
            }
            let expected = expect::output(&REFERENCE.effective, def, document);
            for difference in expect::differences(&expected, &output) {
                found.push(format!("{about} ({def}): {difference}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "hand-written documents:\n  {}",
        found.join("\n  ")
    );
}

/// Protocol 4 knows every standard capability of 4.x: its `StandardCapabilityName` less `info`
/// (a command) and `app_info` (answered by the SDK itself).
#[test]
fn every_standard_capability_of_protocol_4_is_known() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../data/wire-format-4.x.schema.json")).unwrap();
    let reference: BTreeSet<&str> = schema["$defs"]["StandardCapabilityName"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(serde_json::Value::as_str)
        .filter(|name| !["info", "app_info"].contains(name))
        .collect();
    let ours: BTreeSet<&str> = connector_sdk::wire::CapabilityName::ALL
        .iter()
        .map(|name| name.as_str())
        .collect();
    assert_eq!(ours, reference);
    assert_eq!(ours.len(), 50);
}
