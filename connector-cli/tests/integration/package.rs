//! `connector package`: the on-prem bundle of mock-connector, unpacked and run.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{connector, run_ok, sdk_root, target_dir};

/// Unpacks a `.tar.gz` into `dir` and returns the names of its entries.
fn unpack(archive: &Path, dir: &Path) -> Vec<String> {
    let file = std::fs::File::open(archive).expect("the archive exists");
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let names = tar
        .entries()
        .expect("a tar archive")
        .map(|entry| {
            let entry = entry.expect("an entry");
            entry.path().expect("a path").to_string_lossy().into_owned()
        })
        .collect();
    let file = std::fs::File::open(archive).expect("the archive exists");
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(dir)
        .expect("the archive unpacks");
    names
}

fn sha256_hex(path: &Path) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(std::fs::read(path).expect("readable"));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Builds mock-connector with the `dev` profile (the artifacts the test build already has), so
/// the test costs a link, not a release build; `just package` builds the `dist` profile.
#[test]
fn the_bundle_runs_and_matches_its_metadata() {
    let out = tempfile::tempdir().expect("a temp dir");
    let output = run_ok(
        connector()
            .args(["package", "-p", "mock-connector", "--profile", "dev", "-o"])
            .arg(out.path())
            .arg("--manifest-path")
            .arg(sdk_root().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target_dir()),
    );
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let archive = Path::new(stdout.trim_end());
    assert_eq!(stdout.lines().count(), 1, "one archive path: {stdout}");
    let name = archive.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        name,
        format!("mock-connector-{}.tar.gz", env!("CARGO_PKG_VERSION"))
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Building mock-connector"), "{stderr}");

    let checksum = std::fs::read_to_string(archive.with_file_name(format!("{name}.sha256")))
        .expect("the .sha256 file");
    assert_eq!(checksum, format!("{}  {name}\n", sha256_hex(archive)));

    let unpacked = tempfile::tempdir().expect("a temp dir");
    let entries = unpack(archive, unpacked.path());
    assert_eq!(entries, ["main", "metadata.toml"]);

    let metadata: toml::Table = std::fs::read_to_string(unpacked.path().join("metadata.toml"))
        .expect("metadata.toml")
        .parse()
        .expect("TOML");
    let app_id = metadata["connector"]["app_id"].as_str().expect("app_id");
    let version = metadata["connector"]["version"].as_str().expect("version");

    let info = run_ok(
        Command::new("./main")
            .arg("info")
            .current_dir(unpacked.path()),
    );
    let info: Value = serde_json::from_slice(&info.stdout).expect("info is JSON");
    assert_eq!(
        format!("{}_on_prem", info["response"]["app_id"].as_str().unwrap()),
        app_id
    );
    assert_eq!(info["response"]["version"], version);
    assert_eq!(app_id, "mock-connector_on_prem");
    let build = &metadata["build"];
    assert_eq!(
        build["main_sha256"].as_str(),
        Some(sha256_hex(&unpacked.path().join("main")).as_str())
    );
    assert!(
        build["toolchain"].as_str().unwrap().starts_with("rustc 1."),
        "{build}"
    );
    assert!(build["commit"].is_str());

    // Reproducible: a second package run of the same commit gives the same bytes, even when
    // the binary on disk is newer (a rebuild, a fresh checkout).
    let built = target_dir().join("debug").join("mock-connector");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&built)
        .and_then(|file| file.set_modified(later))
        .expect("the built binary");
    let again = tempfile::tempdir().expect("a temp dir");
    run_ok(
        connector()
            .args(["package", "-p", "mock-connector", "--profile", "dev", "-o"])
            .arg(again.path())
            .arg("--manifest-path")
            .arg(sdk_root().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target_dir()),
    );
    let first = std::fs::read(archive).unwrap();
    let second = std::fs::read(again.path().join(&name)).unwrap();
    assert!(first == second, "two package runs gave different archives");
}

#[test]
fn packaging_outside_a_package_explains_itself() {
    let output = connector()
        .args(["package", "--manifest-path"])
        .arg(sdk_root().join("Cargo.toml"))
        .current_dir(std::env::temp_dir())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("pass `-p <package>` or `--all`"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}
