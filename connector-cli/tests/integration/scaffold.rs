//! `connector scaffold`: what it writes in each mode, what it refuses, and (ignored, run by CI
//! explicitly) every `--auth` variant's own `cargo test`, `info` and bundle.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use connector_sdk::Protocol;
use serde_json::Value;

use crate::support::{connector, protocol_validator_of, run_ok, sdk_root, target_dir};

fn listing(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("inside");
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A folder that looks like an SDK checkout to `connector scaffold`.
fn fake_sdk(root: &Path) -> PathBuf {
    for dir in ["framework", "testkit"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
        std::fs::write(root.join(dir).join("Cargo.toml"), "").unwrap();
    }
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"connectors/*\"]\n\n[workspace.dependencies]\n\
         connector-sdk = { path = \"framework\" }\nconnector-testkit = { path = \"testkit\" }\n\
         serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n\
         schemars = \"1\"\nrstest = \"0.29\"\n",
    )
    .unwrap();
    root.canonicalize().unwrap()
}

fn scaffold(args: &[&str], dir: &Path) -> std::process::Output {
    connector()
        .arg("scaffold")
        .args(args)
        .arg(dir)
        .args(["--author-name", "Ada", "--author-email", "ada@example.com"])
        .output()
        .expect("connector runs")
}

#[test]
fn inside_a_workspace_it_joins_it() {
    let temp = tempfile::tempdir().unwrap();
    let sdk = fake_sdk(temp.path());
    let output = scaffold(&["acme"], &sdk.join("connectors/acme"));
    assert!(output.status.success(), "{output:?}");
    let manifest = std::fs::read_to_string(sdk.join("connectors/acme/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("connector-sdk.workspace = true"),
        "{manifest}"
    );
    assert!(manifest.contains("[lints]\nworkspace = true"), "{manifest}");
    assert!(!manifest.contains("[workspace]"), "{manifest}");
    let files = listing(&sdk.join("connectors/acme"));
    assert!(!files.contains(&"Cargo.lock".to_owned()), "{files:?}");
    let lib = std::fs::read_to_string(sdk.join("connectors/acme/src/lib.rs")).unwrap();
    assert!(lib.contains("pub struct AcmeConnector;"), "{lib}");
    assert!(lib.contains("pub const APP_ID: &str = \"acme\";"), "{lib}");

    // Inside the checkout but not a member: written, with the fix on stderr.
    let output = scaffold(&["acme"], &sdk.join("elsewhere/acme"));
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: `elsewhere/acme` is not a member of the workspace"),
        "{stderr}"
    );
}

#[test]
fn elsewhere_it_is_a_crate_of_its_own_on_the_sdk_path() {
    let sdk_dir = tempfile::tempdir().unwrap();
    let sdk = fake_sdk(sdk_dir.path());
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("acme");
    let output = connector()
        .args(["scaffold", "acme"])
        .arg(&dir)
        .arg("--sdk-path")
        .arg(&sdk)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let sdk = sdk.to_string_lossy().replace('\\', "/");
    assert!(
        manifest.contains(&format!("connector-sdk = {{ path = \"{sdk}/framework\" }}")),
        "{manifest}"
    );
    assert!(manifest.contains("serde = { version = \"1\", features = [\"derive\"] }"));
    assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
}

#[test]
fn each_auth_kind_has_its_case_tables() {
    let temp = tempfile::tempdir().unwrap();
    let oauth_tables = |auth: &str| -> Vec<String> {
        let dir = temp.path().join(auth);
        let output = scaffold(&["acme", "--auth", auth], &dir);
        assert!(output.status.success(), "{output:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            stdout.lines().collect::<Vec<_>>(),
            listing(&dir),
            "stdout lists the files"
        );
        let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
        if auth == "multi" {
            assert!(
                lib.contains(".credential(") && !lib.contains(".auth("),
                "{lib}"
            );
        } else {
            assert!(lib.contains(".auth(AuthKind::"), "{lib}");
        }
        stdout
            .lines()
            .filter(|f| {
                [
                    "authorization",
                    "refresh",
                    "client_credentials",
                    "credential_config",
                ]
                .iter()
                .any(|k| f.contains(k))
            })
            .map(str::to_owned)
            .collect()
    };
    assert!(oauth_tables("basic").is_empty());
    assert!(oauth_tables("token").is_empty());
    assert_eq!(
        oauth_tables("oauth"),
        [
            "tests/integration/get_authorization_url_cases.rs",
            "tests/integration/handle_authorization_callback_cases.rs",
            "tests/integration/refresh_access_token_cases.rs"
        ]
    );
    assert_eq!(
        oauth_tables("oauth-client-credentials"),
        [
            "tests/integration/handle_client_credentials_request_cases.rs",
            "tests/integration/refresh_access_token_cases.rs"
        ]
    );
    // Several credentials: the SDK's validate_credential_config, no OAuth.
    assert_eq!(
        oauth_tables("multi"),
        ["tests/integration/validate_credential_config_cases.rs"]
    );
}

#[test]
fn single_auth_and_multi_contradict() {
    let temp = tempfile::tempdir().unwrap();
    let output = scaffold(
        &["acme", "--auth", "multi", "--single-auth"],
        &temp.path().join("acme"),
    );
    assert!(!output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("--single-auth asks for one credential, --auth multi for several"),
        "{stderr}"
    );
}

#[test]
fn tests_only_writes_the_tests_of_an_existing_crate() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("acme");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"acme\"\n").unwrap();
    std::fs::write(dir.join("src/lib.rs"), "// mine\n").unwrap();
    let output = scaffold(&["acme", "--tests-only"], &dir);
    assert!(output.status.success(), "{output:?}");
    let files = listing(&dir);
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("tests/") || f == "Cargo.toml" || f == "src/lib.rs")
    );
    assert!(files.contains(&"tests/integration/list_accounts_cases.rs".to_owned()));
    assert_eq!(
        std::fs::read_to_string(dir.join("src/lib.rs")).unwrap(),
        "// mine\n"
    );

    // Again: tests/ is not empty now.
    let again = scaffold(&["acme", "--tests-only"], &dir);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn a_failed_write_leaves_the_folder_as_it_was() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("acme");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("README.md"), "mine\n").unwrap();
    // A file where the scaffold needs a folder: writing `tests/…` fails after `src/…`.
    std::fs::write(dir.join("tests"), "not a folder\n").unwrap();
    let output = scaffold(&["acme", "--force"], &dir);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: writing "), "{stderr}");
    assert_eq!(listing(&dir), ["README.md", "tests"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("README.md")).unwrap(),
        "mine\n"
    );
    assert!(output.stdout.is_empty());
}

/// Runs `command`, failing with its output if it fails; prints how long it took.
fn timed(what: &str, command: &mut Command) -> std::process::Output {
    let started = Instant::now();
    let output = command.output().expect("the command runs");
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("  {what}: {:.1} s", started.elapsed().as_secs_f64());
    output
}

/// Whether the SDK writes a 4.x `info` document of its own (until it does, protocol 4's
/// `info` is 3.7.8's and is validated as such).
/// Fails unless `document` is a valid `info` of `protocol`.
fn assert_info(document: &Value, protocol: Protocol, what: &str) {
    let errors: Vec<String> = protocol_validator_of(protocol, "InfoResponse")
        .iter_errors(document)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// The protocol a connector binary speaks by default: protocol 4's error envelopes carry
/// `error_metadata`, 3.7.8's never do.
fn speaks(main: &Path) -> Protocol {
    let output = Command::new(main)
        .args(["list_accounts", "--json", "{}"])
        .env_remove(Protocol::ENV)
        .output()
        .expect("main runs");
    let envelope: Value = serde_json::from_slice(&output.stdout).expect("an envelope");
    assert_eq!(envelope["is_error"], true, "{envelope}");
    if envelope["error"].get("error_metadata").is_some() {
        Protocol::V4
    } else {
        Protocol::V3_7_8
    }
}

/// `connector package` in a scaffold's folder (as its README says), with the `dev` profile and
/// linked dynamically, so the build is the one `cargo test` just made (the bundle is otherwise
/// as `connector package` makes it; mock-connector's bundle tests cover the static `dist`
/// path); the unpacked bundle.
fn package_scaffold(dir: &Path, target: &Path, extra: &[&str]) -> tempfile::TempDir {
    let dist = dir.join("dist");
    let output = timed(
        &format!("connector package {}", extra.join(" ")),
        connector()
            .args(["package", "--profile", "dev", "--dynamic", "-o"])
            .arg(&dist)
            .args(extra)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target),
    );
    let archive = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim_end());
    let unpacked = tempfile::tempdir().expect("a temp dir");
    let file = std::fs::File::open(&archive).expect("the archive");
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(unpacked.path())
        .expect("the archive unpacks");
    unpacked
}

fn bundled_protocol(unpacked: &Path) -> String {
    let metadata: toml::Table = std::fs::read_to_string(unpacked.join("metadata.toml"))
        .expect("metadata.toml")
        .parse()
        .expect("TOML");
    metadata["connector"]["protocol"]
        .as_str()
        .expect("[connector] protocol")
        .to_owned()
}

/// The scaffold-to-green check, for every `--auth` value: a scaffold outside the workspace (on
/// `--sdk-path`), its `cargo test` (all case tables pass, none skipped), its `info`,
/// `connector package`, and the bundle's `main info`. One target folder (this build's) serves
/// every scaffold, so the dependencies compile once. Then one bundle with `--protocol 3.7.8`
/// over the scaffold's declared 4.
///
/// Ignored by default (it builds four crates); CI runs it with
/// `cargo test -p connector-cli --test integration -- --ignored`.
#[test]
#[ignore = "builds, tests and packages a scaffold of every --auth; run with --ignored"]
fn every_scaffold_variant_tests_green_describes_itself_and_bundles() {
    let temp = tempfile::tempdir().unwrap();
    let target = target_dir();
    let started = Instant::now();
    let mut last = None;
    // The registered capabilities, plus `app_info` and the SDK's `probe_integration`, which
    // protocol 4 adds to every connector.
    for (auth, capabilities) in [
        ("basic", 14),
        ("token", 14),
        ("oauth", 17),
        ("oauth-client-credentials", 16),
        // The SDK's validate_credential_config beside basic's.
        ("multi", 15),
    ] {
        eprintln!("scaffold --auth {auth}:");
        let name = format!("demo-{auth}");
        let dir = temp.path().join(&name);
        run_ok(
            connector()
                .args(["scaffold", &name])
                .arg(&dir)
                .args(["--auth", auth])
                .args((auth != "multi").then_some("--single-auth"))
                .arg("--sdk-path")
                .arg(sdk_root()),
        );
        let test = timed(
            "cargo test",
            Command::new(env!("CARGO"))
                .args(["test", "--quiet"])
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", &target),
        );
        let stdout = String::from_utf8_lossy(&test.stdout);
        assert!(
            stdout
                .lines()
                .filter(|l| l.starts_with("test result:"))
                .all(|l| l.contains(" 0 ignored;")),
            "{auth}: no case is skipped: {stdout}"
        );
        let passed: usize = stdout
            .lines()
            .filter_map(|l| l.strip_prefix("test result: ok. "))
            .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
            .sum();
        assert!(passed >= 20, "{auth}: the case tables ran: {stdout}");

        let binary = target
            .join("debug")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        assert_eq!(speaks(&binary), Protocol::V4, "{auth}: scaffolds declare 4");
        let info = run_ok(Command::new(&binary).arg("info").env_remove(Protocol::ENV));
        let document: Value = serde_json::from_slice(&info.stdout).expect("info is JSON");
        assert_info(&document, Protocol::V4, &format!("{name} info"));
        assert_eq!(document["response"]["app_id"], name.as_str());
        assert_eq!(
            document["response"]["capabilities"]
                .as_array()
                .unwrap()
                .len(),
            capabilities,
            "{auth}"
        );

        let unpacked = package_scaffold(&dir, &target, &[]);
        assert_eq!(bundled_protocol(unpacked.path()), "4", "{auth}");
        let main = unpacked.path().join("main");
        let bundled = run_ok(Command::new(&main).arg("info").env_remove(Protocol::ENV));
        assert_eq!(
            bundled.stdout, info.stdout,
            "{auth}: the bundle is the connector"
        );
        assert_eq!(speaks(&main), Protocol::V4);
        last = Some(dir);
    }
    eprintln!(
        "every scaffold to green, info and bundle: {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // `--protocol` beats the declaration: the bundled main speaks 3.7.8 by default.
    let dir = last.expect("a scaffold");
    let unpacked = package_scaffold(&dir, &target, &["--protocol", "3.7.8"]);
    assert_eq!(bundled_protocol(unpacked.path()), "3.7.8");
    let main = unpacked.path().join("main");
    assert_eq!(speaks(&main), Protocol::V3_7_8);
    let info = run_ok(Command::new(&main).arg("info").env_remove(Protocol::ENV));
    let document: Value = serde_json::from_slice(&info.stdout).expect("info is JSON");
    assert_info(&document, Protocol::V3_7_8, "main info of the 3.7.8 bundle");
    eprintln!(
        "with the 3.7.8 bundle: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
