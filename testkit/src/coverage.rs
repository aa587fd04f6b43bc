//! The coverage check: every registered capability has a case table.

use std::path::Path;

use connector_sdk::Integration;
use connector_sdk::capability::Connector;

fn files(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.push(entry.file_name().to_string_lossy().into_owned() + "/");
            files(&path, out);
        } else {
            out.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
}

/// Fails if a registered capability has no case table under `tests_dir`: a
/// `<capability>_cases.rs` module or a `fixtures/<capability>/` folder, as the scaffold lays
/// them out.
///
/// # Panics
///
/// Listing every capability without cases.
pub fn assert_cases_cover<C: Connector>(integration: &Integration<C>, tests_dir: impl AsRef<Path>) {
    let mut found = Vec::new();
    files(tests_dir.as_ref(), &mut found);
    let missing: Vec<String> = integration
        .capabilities()
        .into_iter()
        .map(|c| c.to_string())
        .filter(|name| {
            !found.contains(&format!("{name}_cases.rs")) && !found.contains(&format!("{name}/"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{} does not have full coverage. Missing case tables (`<capability>_cases.rs`) for: {}",
        integration.app_id(),
        missing.join(", ")
    );
}
