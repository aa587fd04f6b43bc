//! Property tests, one per definition: every document valid against the reference
//! deserializes into our type, and serializing it gives
//! (a) a document valid against the *strict* reference (no invented or misnamed field),
//! (b) the input, canonical (unknown keys dropped, absent optionals `null`): nothing lost,
//! renamed or coerced, and
//! (c) the same text again after one more deserialize/serialize;
//! and its required keys come out in the reference's declaration order.

use jsonschema::Validator;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::Value;

use super::expect;
use super::generate;
use super::reference::{REFERENCE, violations};
use super::registry::{WireType, for_each_wire_type, wire_type};

/// Cases per definition unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 64;

fn check(name: &str) {
    let wire_type = wire_type(name);
    let published = REFERENCE.published_validator(name);
    let strict = REFERENCE.strict_validator(name);
    let strategy = generate::document(&REFERENCE.effective, name);

    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(CASES);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let result = TestRunner::new(config).run(&strategy, |document| {
        check_document(wire_type, &published, &strict, &document).map_err(TestCaseError::fail)
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, document)) => panic!(
            "`{name}` does not round-trip: {reason}\n  minimal failing input: {}",
            serde_json::to_string(&document).expect("JSON")
        ),
        Err(TestError::Abort(reason)) => panic!("`{name}`: proptest aborted: {reason}"),
    }
}

fn check_document(
    wire_type: &WireType,
    published: &Validator,
    strict: &Validator,
    document: &Value,
) -> Result<(), String> {
    let name = wire_type.name;
    if let Some(errors) = violations(published, document) {
        return Err(format!(
            "generator bug, the input is not valid against the reference:\n    {errors}"
        ));
    }
    let output = (wire_type.roundtrip)(document.clone()).map_err(|error| {
        format!("the reference accepts the input but deserializing a `{name}` fails: {error}")
    })?;
    if let Some(errors) = violations(strict, &output) {
        return Err(format!(
            "the serialized `{name}` is not valid against the strict reference:\n    {errors}\n  \
             output: {output}"
        ));
    }
    let expected = expect::output(&REFERENCE.effective, name, document);
    let differences = expect::differences(&expected, &output);
    if !differences.is_empty() {
        return Err(format!(
            "the serialized `{name}` is not the input (with unknown keys dropped and absent \
             optionals null):\n    {}\n  output: {output}",
            differences.join("\n    ")
        ));
    }
    let misordered = expect::order_violations(&REFERENCE.effective, name, &output);
    if !misordered.is_empty() {
        return Err(format!(
            "the serialized `{name}` is not in the reference's field order:\n    {}\n  output: \
             {output}",
            misordered.join("\n    ")
        ));
    }
    let again = (wire_type.roundtrip)(output.clone()).map_err(|error| {
        format!("our own output does not deserialize: {error}\n  output: {output}")
    })?;
    let (first, second) = (output.to_string(), again.to_string());
    if first != second {
        return Err(format!(
            "serializing is not stable:\n  first:  {first}\n  second: {second}"
        ));
    }
    Ok(())
}

macro_rules! roundtrip_tests {
    (enums: [$($enum:ident),+ $(,)?], types: [$($type:ident),+ $(,)?] $(,)?) => {
        $(#[test] fn $enum() { super::check(stringify!($enum)); })+
        $(#[test] fn $type() { super::check(stringify!($type)); })+
    };
}

/// One test per definition, named after it.
#[allow(non_snake_case)]
mod each_definition {
    super::for_each_wire_type!(roundtrip_tests);
}
