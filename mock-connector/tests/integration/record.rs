//! Record and replay against the real mock app: calls recorded with `--record DIR` (and
//! `CONNECTOR_RECORD`) replay as passing cases, hold no credential and no real person, map
//! every real value to one fake across the directory, and change nothing the call prints.

use std::path::{Path, PathBuf};

use connector_sdk::record::Recording;
use connector_testkit::{Case, Through};
use serde_json::{Value, json};

use crate::cases::harness;
use crate::support::{base64_forms, connector, secret_forms};

/// The app's password in these tests: long and full of characters that encode differently.
const PASSWORD: &str = "s3cr3t-Pa55/w0rd+x?&=y";
/// A wrong password, for the `unauthorized` recording.
const WRONG: &str = "Wr0ng-pa55/w0rd+z?q";

/// The request of `assign_entitlement` that puts `account` into group g-003.
fn assignment(account: &str) -> Value {
    json!({"account_integration_specific_id": account,
           "resource_integration_specific_id": "g-003", "resource_type": "group",
           "entitlement_type": "member", "entitlement_integration_specific_id": "member"})
}

fn start_app(runtime: &tokio::runtime::Runtime) -> mock_app::MockApp {
    let config = mock_app::Config {
        password: PASSWORD.to_owned(),
        ..mock_app::Config::with_users(6).groups(3)
    };
    runtime.block_on(mock_app::MockApp::start(config)).unwrap()
}

fn request(host: &str, password: &str, payload: Value, page: Value) -> String {
    json!({
        "auth": {"basic": {"username": "foo", "password": password}},
        "request": payload,
        "settings": {"host": host},
        "page": page,
    })
    .to_string()
}

/// Runs the connector's command line in process, recording into `dir` when given.
fn run(
    runtime: &tokio::runtime::Runtime,
    capability: &str,
    request: &str,
    dir: Option<&Path>,
) -> connector_sdk::cli::RunOutput {
    run_with(
        mock_connector::integration(),
        runtime,
        capability,
        request,
        dir,
    )
}

fn run_with(
    integration: connector_sdk::Integration<mock_connector::MockConnector>,
    runtime: &tokio::runtime::Runtime,
    capability: &str,
    request: &str,
    dir: Option<&Path>,
) -> connector_sdk::cli::RunOutput {
    let mut args = vec![
        "mock-connector".to_owned(),
        capability.to_owned(),
        "--json".to_owned(),
        request.to_owned(),
    ];
    if let Some(dir) = dir {
        args.extend(["--record".to_owned(), dir.display().to_string()]);
    }
    runtime.block_on(connector_sdk::cli::execute(&integration, args))
}

fn envelope(outcome: &connector_sdk::cli::RunOutput) -> Value {
    serde_json::from_str(outcome.stdout.trim_end()).unwrap()
}

/// What one recording session left: the directory and the recordings, by file name.
struct Recorded {
    _dir: tempfile::TempDir,
    path: PathBuf,
    /// The real users of the app.
    users: Vec<Value>,
}

/// Records, against a fresh app: two pages of `list_accounts`, an `assign_entitlement`, a
/// `list_accounts` with a wrong password, and a larger first page of `list_accounts`.
fn record_session(runtime: &tokio::runtime::Runtime) -> Recorded {
    let app = start_app(runtime);
    let host = app.url();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recordings");

    let first = run(
        runtime,
        "list_accounts",
        &request(&host, PASSWORD, json!({}), json!({"size": 2})),
        Some(&path),
    );
    assert_eq!(first.exit_code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("recorded list_accounts into"),
        "{}",
        first.stderr
    );
    let token = envelope(&first)["page"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = run(
        runtime,
        "list_accounts",
        &request(
            &host,
            PASSWORD,
            json!({}),
            json!({"size": 2, "token": token}),
        ),
        Some(&path),
    );
    assert_eq!(envelope(&second)["response"].as_array().unwrap().len(), 2);
    let assigned = run(
        runtime,
        "assign_entitlement",
        &request(
            &host,
            PASSWORD,
            assignment(&mock_app::user_id(2)),
            Value::Null,
        ),
        Some(&path),
    );
    assert_eq!(envelope(&assigned)["response"], json!({"assigned": true}));
    let unauthorized = run(
        runtime,
        "list_accounts",
        &request(&host, WRONG, json!({}), json!({"size": 2})),
        Some(&path),
    );
    assert_eq!(
        envelope(&unauthorized)["error"]["error_code"],
        "unauthorized"
    );
    let larger = run(
        runtime,
        "list_accounts",
        &request(&host, PASSWORD, json!({}), json!({"size": 3})),
        Some(&path),
    );
    assert_eq!(larger.exit_code, 0);

    let users = runtime.block_on(async {
        let answer: Value = crate::support::http()
            .build()
            .unwrap()
            .get(format!("{host}/api/users?limit=100"))
            .basic_auth("foo", Some(PASSWORD))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        answer["users"].as_array().unwrap().clone()
    });
    assert_eq!(users.len(), 6);
    Recorded {
        _dir: dir,
        path,
        users,
    }
}

impl Recorded {
    fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    fn recording(&self, name: &str) -> Recording {
        Recording::load(self.file(name)).unwrap()
    }

    /// Every file of the directory with its text.
    fn files(&self) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = std::fs::read_dir(&self.path)
            .unwrap()
            .map(|entry| {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&path).unwrap())
            })
            .collect();
        files.sort();
        files
    }
}

/// Whether `word` stands in `text` as a whole word (not inside a longer one, an id or a
/// page token: letters, digits, `-` and `_` continue a word).
fn has_word(text: &str, word: &str) -> bool {
    let continues = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(continues) && !after.is_some_and(continues)
    })
}

#[test]
fn recorded_calls_replay_as_passing_cases() {
    let runtime = crate::support::runtime(2);
    let recorded = record_session(&runtime);
    let names: Vec<String> = recorded.files().into_iter().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        [
            "assign_entitlement-1.json",
            "list_accounts-1.json",
            "list_accounts-2.json",
            "list_accounts-3.json",
            "list_accounts-4.json",
            "personal-data-map.json",
        ]
    );
    let second = recorded.recording("list_accounts-2.json");
    assert!(
        second.exchanges[0].path.contains("after=u-0000002"),
        "{second:?}"
    );
    let assign = recorded.recording("assign_entitlement-1.json");
    assert_eq!(assign.exchanges[0].method, "PUT");
    assert_eq!(
        assign.exchanges[0].path,
        "/api/groups/g-003/members/u-0000002"
    );
    let unauthorized = recorded.recording("list_accounts-3.json");
    assert_eq!(unauthorized.exchanges[0].status, 401);
    assert_eq!(unauthorized.envelope["error"]["error_code"], "unauthorized");
    assert_eq!(
        unauthorized.exchanges[0].request_headers["authorization"],
        "[REDACTED]"
    );
    for name in &names[..5] {
        for through in [Through::Dispatch, Through::Server] {
            let problems = runtime.block_on(
                harness()
                    .through(through)
                    .problems(Case::from_recording(recorded.file(name))),
            );
            assert!(problems.is_empty(), "{name} ({through:?}): {problems:#?}");
        }
    }
}

#[test]
fn a_changed_recorded_answer_fails_the_replay_with_a_diff() {
    let runtime = crate::support::runtime(2);
    let recorded = record_session(&runtime);
    let path = recorded.file("list_accounts-1.json");
    let mut recording: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let user = &mut recording["exchanges"][0]["response_json"]["users"][0];
    assert_eq!(user["status"], "active");
    user["status"] = json!("suspended");
    std::fs::write(&path, serde_json::to_string_pretty(&recording).unwrap()).unwrap();

    let problems = runtime.block_on(harness().problems(Case::from_recording(&path)));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let diff = &problems[0];
    assert!(diff.starts_with("the envelope differs:"), "{diff}");
    assert!(
        diff.contains("-      \"user_status\": \"ACTIVE\""),
        "{diff}"
    );
    assert!(
        diff.contains("+      \"user_status\": \"SUSPENDED\""),
        "{diff}"
    );
}

#[test]
fn no_credential_and_no_real_person_in_any_recorded_file() {
    let runtime = crate::support::runtime(2);
    let recorded = record_session(&runtime);
    let files = recorded.files();
    let mut leaks = Vec::new();
    for (name, text) in &files {
        for secret in [PASSWORD, WRONG] {
            // The secret, and the `Basic foo:secret` credential.
            let basic = base64_forms(&format!("foo:{secret}"));
            for form in secret_forms(secret).into_iter().chain(basic) {
                if text.contains(&form) {
                    leaks.push(format!("{name}: the secret in the form {form}"));
                }
            }
        }
        let lower = text.to_lowercase();
        for user in &recorded.users {
            for field in ["email", "username"] {
                let real = user[field].as_str().unwrap();
                if lower.contains(&real.to_lowercase()) {
                    leaks.push(format!("{name}: {field} {real}"));
                }
            }
            for field in ["first_name", "last_name"] {
                let real = user[field].as_str().unwrap();
                if has_word(text, real) {
                    leaks.push(format!("{name}: {field} {real}"));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
    // The scrubbing happened (not an empty recording), and is reported.
    let first = recorded.recording("list_accounts-1.json");
    assert_eq!(
        first.envelope["response"][0]["email"],
        "user-0001@example.com"
    );
    assert_eq!(first.scrubbed.personal["email"].values, 2);
    assert_eq!(first.scrubbed.personal["first_name"].kind, "name");
    assert_eq!(
        first.scrubbed.credentials, 1,
        "the Authorization header: {:?}",
        first.scrubbed
    );
}

#[test]
fn the_same_real_value_has_the_same_fake_in_every_file() {
    let runtime = crate::support::runtime(2);
    let recorded = record_session(&runtime);
    // Account id → the fakes of its email, given and family name, username, wherever seen.
    let mut seen: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for name in [
        "list_accounts-1.json",
        "list_accounts-2.json",
        "list_accounts-4.json",
    ] {
        let recording = recorded.recording(name);
        for account in recording.envelope["response"].as_array().unwrap() {
            let id = account["integration_specific_id"]
                .as_str()
                .unwrap()
                .to_owned();
            seen.entry(id).or_default().insert(
                json!([
                    account["email"],
                    account["given_name"],
                    account["family_name"],
                    account["username"]
                ])
                .to_string(),
            );
        }
        for user in recording.exchanges[0].response_json.as_ref().unwrap()["users"]
            .as_array()
            .unwrap()
        {
            let id = user["id"].as_str().unwrap().to_owned();
            seen.entry(id).or_default().insert(
                json!([
                    user["email"],
                    user["first_name"],
                    user["last_name"],
                    user["username"]
                ])
                .to_string(),
            );
        }
    }
    assert_eq!(seen.len(), 4, "{seen:#?}");
    for (id, fakes) in &seen {
        assert_eq!(fakes.len(), 1, "{id} has several fakes: {fakes:#?}");
    }
    // Users 1 and 3 are in list_accounts-1 and -4; distinct people have distinct emails.
    let emails: std::collections::BTreeSet<String> = seen
        .values()
        .map(|fakes| serde_json::from_str::<Value>(fakes.first().unwrap()).unwrap()[0].to_string())
        .collect();
    assert_eq!(emails.len(), 4);
    // The directory's mapping handed out one fake email per real one.
    let map = std::fs::read_to_string(recorded.file("personal-data-map.json")).unwrap();
    assert!(map.contains("user-0004@example.com"), "{map}");
}

#[test]
fn recording_changes_neither_the_output_nor_the_exit_code() {
    let runtime = crate::support::runtime(2);
    let app = start_app(&runtime);
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "list_accounts",
            request(&app.url(), PASSWORD, json!({}), json!({"size": 2})),
        ),
        (
            "list_accounts",
            request(&app.url(), WRONG, json!({}), json!({"size": 2})),
        ),
        (
            "validate_credentials",
            request(&app.url(), PASSWORD, json!({}), Value::Null),
        ),
        ("list_accounts", "{not json".to_owned()),
    ];
    for (capability, request) in &cases {
        let plain = connector()
            .args([capability, "--json", request])
            .output()
            .unwrap();
        let recorded = connector()
            .args([capability, "--json", request])
            .env(connector_sdk::record::RECORD_ENV, dir.path())
            .output()
            .unwrap();
        assert_eq!(plain.stdout, recorded.stdout, "{capability} {request}");
        assert_eq!(plain.status.code(), recorded.status.code());
        // A directory that cannot be written: a warning, the same envelope.
        let blocked = connector()
            .args([
                capability,
                "--json",
                request,
                "--record",
                "/dev/null/recordings",
            ])
            .output()
            .unwrap();
        assert_eq!(plain.stdout, blocked.stdout, "{capability} {request}");
        assert_eq!(plain.status.code(), blocked.status.code());
        let stderr = String::from_utf8_lossy(&blocked.stderr);
        assert!(stderr.contains("warning: "), "{stderr}");
    }
    let written = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(written, 4, "three recordings and the mapping");
}

#[test]
fn mapped_ids_replay_page_after_page() {
    let runtime = crate::support::runtime(2);
    let app = start_app(&runtime);
    let host = app.url();
    let dir = tempfile::tempdir().unwrap();
    let mapped = || {
        mock_connector::builder()
            .record_options(connector_sdk::record::RecordOptions::default().map_ids(true))
            .build()
    };
    let first = run_with(
        mapped(),
        &runtime,
        "list_accounts",
        &request(&host, PASSWORD, json!({}), json!({"size": 2})),
        Some(dir.path()),
    );
    let token = envelope(&first)["page"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    run_with(
        mapped(),
        &runtime,
        "list_accounts",
        &request(
            &host,
            PASSWORD,
            json!({}),
            json!({"size": 2, "token": token}),
        ),
        Some(dir.path()),
    );
    run_with(
        mapped(),
        &runtime,
        "assign_entitlement",
        &request(
            &host,
            PASSWORD,
            assignment(&mock_app::user_id(2)),
            Value::Null,
        ),
        Some(dir.path()),
    );
    for name in [
        "list_accounts-1.json",
        "list_accounts-2.json",
        "assign_entitlement-1.json",
    ] {
        let file = dir.path().join(name);
        let text = std::fs::read_to_string(&file).unwrap();
        for n in 1..=6 {
            assert!(
                !text.contains(&mock_app::user_id(n)),
                "{name} holds a real id:\n{text}"
            );
        }
        let problems = runtime.block_on(harness().problems(Case::from_recording(&file)));
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }
    // The second page asks after the first page's last account, under its fake id, and the
    // assignment names the same account as the listing did.
    let second = Recording::load(dir.path().join("list_accounts-2.json")).unwrap();
    let first = Recording::load(dir.path().join("list_accounts-1.json")).unwrap();
    let last_of_first = first.envelope["response"][1]["integration_specific_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(last_of_first.starts_with("id-"), "{last_of_first}");
    assert_eq!(
        second.exchanges[0].path,
        format!("/api/users?limit=2&after={last_of_first}")
    );
    let assign = Recording::load(dir.path().join("assign_entitlement-1.json")).unwrap();
    assert!(
        assign.exchanges[0]
            .path
            .ends_with(&format!("/members/{last_of_first}")),
        "{}",
        assign.exchanges[0].path
    );
}
