//! `Case::from_recording`: the demo connector recorded against a wiremock app (a 429 retried,
//! then a page), replayed without the app; the recording holds no token; a changed answer
//! fails the replay.

use connector_sdk::record::Recording;
use connector_testkit::Case;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::harness;

const TOKEN: &str = "t0k-Very-Secret/42";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// Records one `list_accounts` call of the demo connector into `dir`; returns the file.
fn record(runtime: &tokio::runtime::Runtime, dir: &std::path::Path) -> std::path::PathBuf {
    runtime.block_on(async {
        let app = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/users"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&app)
            .await;
        let next_link = format!("<{}/users?after=u2>; rel=\"next\"", app.uri());
        Mock::given(method("GET"))
            .and(path("/users"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"users": ["u1", "u2"], "next": "u2"}))
                    .insert_header("link", next_link.as_str())
                    .insert_header("set-cookie", "session=abc"),
            )
            .with_priority(2)
            .mount(&app)
            .await;
        let request = json!({"auth": {"token": {"token": TOKEN}}, "request": {},
                             "settings": {"host": app.uri()}});
        let outcome = connector_sdk::cli::execute(
            harness().integration(),
            [
                "demo",
                "list_accounts",
                "--json",
                &request.to_string(),
                "--record",
                dir.to_str().unwrap(),
            ],
        )
        .await;
        assert_eq!(outcome.exit_code, 0, "{}", outcome.stderr);
        assert!(outcome.stdout.contains("\"u2\""), "{}", outcome.stdout);
    });
    dir.join("list_accounts-1.json")
}

#[test]
fn a_recording_replays_with_its_retries_and_without_its_token() {
    let runtime = runtime();
    let dir = tempfile::tempdir().unwrap();
    let file = record(&runtime, dir.path());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains("t0k-Very") && !text.contains("session=abc"),
        "{text}"
    );
    let recording = Recording::load(&file).unwrap();
    assert_eq!(recording.auth_kind.as_deref(), Some("token"));
    assert_eq!(recording.exchanges.len(), 2, "the 429 and the retry");
    assert_eq!(recording.exchanges[0].status, 429);
    assert_eq!(
        recording.exchanges[1].response_headers["link"],
        "<{{base_url}}/users?after=u2>; rel=\"next\""
    );
    assert_eq!(recording.request["settings"]["host"], "{{base_url}}");
    let problems = runtime.block_on(harness().problems(Case::from_recording(&file)));
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_replay_fails_when_the_recorded_answer_no_longer_gives_the_envelope() {
    let runtime = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut recording = Recording::load(record(&runtime, dir.path())).unwrap();
    recording.exchanges[1].response_json = Some(json!({"users": ["u1", "u9"], "next": "u9"}));
    let problems = runtime.block_on(harness().problems(Case::replay(&recording)));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("-      \"integration_specific_id\": \"u2\","),
        "{}",
        problems[0]
    );
    assert!(
        problems[0].contains("+      \"integration_specific_id\": \"u9\","),
        "{}",
        problems[0]
    );

    // A recording of one call more than the connector makes: the route reports it.
    let mut recording = Recording::load(dir.path().join("list_accounts-1.json")).unwrap();
    recording.exchanges.push(recording.exchanges[1].clone());
    let problems = runtime.block_on(harness().problems(Case::replay(&recording)));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("GET /users?limit=2: expected 3 call(s), got 2")),
        "{problems:#?}"
    );
}
