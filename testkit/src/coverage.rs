//! The coverage check: every registered capability has a case table.

use std::path::{Path, PathBuf};

use connector_sdk::Integration;
use connector_sdk::capability::Connector;

fn files(dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read the tests folder {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            out.push((name + "/", path.clone()));
            files(&path, out);
        } else {
            out.push((name, path));
        }
    }
}

/// Whether `path` is a case table with at least one row.
fn has_rows(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains("#[case"))
}

/// Fails if a registered capability has no case table under `tests_dir`: a
/// `<capability>_cases.rs` module with at least one `#[case…]` row, or a
/// `fixtures/<capability>/` folder, as the scaffold lays them out.
///
/// # Panics
///
/// Listing every capability without cases; or if `tests_dir` (or a folder in it) cannot be
/// read.
pub fn assert_cases_cover<C: Connector>(integration: &Integration<C>, tests_dir: impl AsRef<Path>) {
    let mut found = Vec::new();
    files(tests_dir.as_ref(), &mut found);
    // Everything the connector answers in either protocol: its registered capabilities, the
    // SDK's (probe_integration, validate_credential_config) and its custom ones.
    let missing: Vec<String> = integration
        .capabilities_in(connector_sdk::Protocol::V4)
        .into_iter()
        .map(|c| c.to_string())
        .chain(
            integration
                .custom_capabilities()
                .into_iter()
                .map(str::to_owned),
        )
        .filter(|name| {
            let table = format!("{name}_cases.rs");
            let fixtures = format!("{name}/");
            !found.iter().any(|(file, path)| {
                (*file == table && has_rows(path)) || (*file == fixtures && path.is_dir())
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{} does not have full coverage. Missing case tables (`<capability>_cases.rs`) for: {}",
        integration.app_id(),
        missing.join(", ")
    );
}
