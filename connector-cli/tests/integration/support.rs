//! Paths and helpers shared by the tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The SDK checkout (the workspace root).
pub(crate) fn sdk_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("connector-cli is in the workspace");
    root.canonicalize().expect("the workspace root exists")
}

/// The target folder this test binary was built in (`<target>/debug/deps/integration-…`), so
/// nested builds share its artifacts.
pub(crate) fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.ancestors()
        .nth(3)
        .expect("<target>/<profile>/deps/<exe>")
        .to_owned()
}

/// The `connector` binary under test.
pub(crate) fn connector() -> Command {
    Command::new(env!("CARGO_BIN_EXE_connector"))
}

/// Runs a command and returns its output, failing with its stderr if it failed.
pub(crate) fn run_ok(command: &mut Command) -> Output {
    let output = command.output().expect("the command runs");
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A validator of the schema definition `definition` of `protocol`.
pub(crate) fn protocol_validator_of(
    protocol: connector_sdk::Protocol,
    definition: &str,
) -> jsonschema::Validator {
    let text = match protocol {
        connector_sdk::Protocol::V4 => {
            include_str!("../../../framework/tests/data/wire-format-4.x.schema.json")
        }
        _ => include_str!("../../../framework/tests/data/wire-format-3.7.8.schema.json"),
    };
    let mut schema: Value = serde_json::from_str(text).expect("the protocol schema is JSON");
    schema["$ref"] = Value::String(format!("#/$defs/{definition}"));
    jsonschema::validator_for(&schema).expect("the protocol schema compiles")
}

/// The names of the protocol schema's definitions.
pub(crate) fn protocol_definitions() -> Vec<String> {
    let text = include_str!("../../../framework/tests/data/wire-format-3.7.8.schema.json");
    let schema: Value = serde_json::from_str(text).expect("the protocol schema is JSON");
    schema["$defs"]
        .as_object()
        .expect("$defs")
        .keys()
        .cloned()
        .collect()
}
