//! The connector's command line in process (`cli::execute`): the run-time protocol switch,
//! protocol 4's `app_info`, `dev`/`hacking`, `--use-proxy` and `--reload`.

use connector_sdk::cli::RunOutput;
use connector_sdk::{Integration, Protocol};
use serde_json::json;

use crate::support::{self, TestConnector};

fn run(integration: &Integration<TestConnector>, args: &[&str]) -> RunOutput {
    let line = std::iter::once("test-app").chain(args.iter().copied());
    crate::support::current_thread_runtime()
        .block_on(connector_sdk::cli::execute(integration, line))
}

/// The protocol a run without `--protocol` speaks: the environment's, else the integration's.
fn unflagged(integration: &Integration<TestConnector>) -> Protocol {
    std::env::var(Protocol::ENV)
        .ok()
        .filter(|value| !value.is_empty())
        .map_or_else(|| integration.protocol(), |value| value.parse().unwrap())
}

fn request() -> String {
    // No auth: a `bad_request` envelope, whose shape differs between the versions.
    json!({"request": {"account_id": "u1"}, "settings": {"base_url": "http://127.0.0.1:9"}})
        .to_string()
}

#[test]
fn the_protocol_flag_chooses_the_envelope_anywhere_on_the_line() {
    let integration = support::integration(false);
    let request = request();
    let expected = |protocol| {
        crate::support::current_thread_runtime()
            .block_on(integration.dispatch_as(protocol, "delete_account", &request))
            .to_json()
            + "\n"
    };
    let v3 = expected(Protocol::V3_7_8);
    let v4 = expected(Protocol::V4);
    assert_ne!(
        v3, v4,
        "the two versions must differ for this test to mean anything"
    );
    let cases = [
        (vec!["--protocol", "4", "delete_account"], &v4),
        (vec!["delete_account", "--protocol=4"], &v4),
        (vec!["--protocol=3.7.8", "delete_account"], &v3),
        (vec!["delete_account", "--protocol", "3.7.8"], &v3),
    ];
    for (mut args, expected) in cases {
        args.extend(["--json", &request]);
        let outcome = run(&integration, &args);
        assert_eq!(outcome.exit_code, 0, "{args:?}: {outcome:?}");
        assert_eq!(&outcome.stdout, expected, "{args:?}");
        assert_eq!(outcome.stderr, "", "{args:?}");
    }
    let outcome = run(&integration, &["delete_account", "--json", &request]);
    assert_eq!(outcome.stdout, expected(unflagged(&integration)));
}

#[test]
fn the_flag_overrides_the_integrations_declared_protocol() {
    let integration = support::integration_builder(false)
        .protocol(Protocol::V4)
        .build();
    let outcome = run(&integration, &["--protocol", "3.7.8", "info"]);
    assert_eq!(outcome.exit_code, 0, "{outcome:?}");
    assert_eq!(
        outcome.stdout,
        integration.info_json_as(Protocol::V3_7_8) + "\n"
    );
    let outcome = run(&integration, &["--protocol", "4", "info"]);
    assert_eq!(
        outcome.stdout,
        integration.info_json_as(Protocol::V4) + "\n"
    );
    // `app_info` follows the chosen protocol, not the declared one.
    let outcome = run(
        &integration,
        &["--protocol", "3.7.8", "app_info", "--json", "{}"],
    );
    assert_eq!(outcome.exit_code, 2, "{outcome:?}");
}

#[test]
fn an_unknown_protocol_is_a_usage_error_naming_the_accepted_versions() {
    let integration = support::integration(false);
    for args in [
        &["--protocol", "5", "info"][..],
        &["info", "--protocol=3"],
        &["--protocol", "", "info"],
        &["--protocol", "4.1", "delete_account", "--json", "{}"],
    ] {
        let outcome = run(&integration, args);
        assert_eq!(outcome.exit_code, 2, "{args:?}: {outcome:?}");
        assert_eq!(outcome.stdout, "", "{args:?}");
        assert!(
            outcome
                .stderr
                .starts_with("error: --protocol: unknown protocol version")
                && outcome.stderr.contains("expected 3.7.8 or 4"),
            "{args:?}: {}",
            outcome.stderr
        );
    }
    // A flag without a value is clap's usage error.
    let outcome = run(&integration, &["info", "--protocol"]);
    assert_eq!(outcome.exit_code, 2, "{outcome:?}");
}

#[test]
fn app_info_is_a_command_of_protocol_4_only() {
    let integration = support::integration(false);
    let request = r#"{"request":{}}"#;
    let outcome = run(
        &integration,
        &["--protocol", "4", "app_info", "--json", request],
    );
    assert_eq!(outcome.exit_code, 0, "{outcome:?}");
    let expected = crate::support::current_thread_runtime()
        .block_on(integration.dispatch_as(Protocol::V4, "app_info", request))
        .to_json();
    assert_eq!(outcome.stdout, expected + "\n");
    // Like every capability: exactly one of --json and --json-file.
    let outcome = run(&integration, &["--protocol", "4", "app_info"]);
    assert_eq!(outcome.exit_code, 2, "{outcome:?}");

    let outcome = run(
        &integration,
        &["--protocol", "3.7.8", "app_info", "--json", request],
    );
    assert_eq!(outcome.exit_code, 2, "{outcome:?}");
    assert!(
        outcome
            .stderr
            .contains("unrecognized subcommand 'app_info'"),
        "{}",
        outcome.stderr
    );

    let help = |protocol: &str| run(&integration, &["--protocol", protocol, "--help"]).stdout;
    let (v3, v4) = (help("3.7.8"), help("4"));
    assert!(v4.contains("app_info"), "{v4}");
    assert!(!v3.contains("app_info"), "{v3}");
    for text in [&v3, &v4] {
        assert!(text.contains("--protocol <VERSION>"), "{text}");
        assert!(text.contains("CONNECTOR_PROTOCOL"), "{text}");
    }
}

#[test]
fn dev_and_its_alias_hacking_name_the_http_server() {
    let integration = support::integration(false);
    // `execute` parses them and leaves serving to `cli::run`: a parsed line gets that refusal,
    // a bad one clap's usage error.
    let served = "error: `serve` and `console` run from the process's command line (`cli::run`)\n";
    for args in [
        &["dev", "http-server"][..],
        &["dev", "http-server", "-p", "0", "--reload"],
        &["hacking", "http-server", "--port", "0", "--use-proxy"],
        &[
            "--protocol",
            "4",
            "dev",
            "http-server",
            "-p",
            "8001",
            "--sip",
        ],
        &["serve", "-p", "0", "--reload"],
    ] {
        let outcome = run(&integration, args);
        assert_eq!(
            (outcome.exit_code, outcome.stderr.as_str()),
            (2, served),
            "{args:?}"
        );
    }
    for args in [
        &["dev"][..],
        &["hacking"],
        &["dev", "http-server", "-p", "no-port"],
        &["dev", "build-executable", "x"],
    ] {
        let outcome = run(&integration, args);
        assert_eq!(outcome.exit_code, 2, "{args:?}: {outcome:?}");
        assert_ne!(outcome.stderr, served, "{args:?}");
        assert!(
            outcome.stderr.starts_with("error:"),
            "{args:?}: {}",
            outcome.stderr
        );
    }
    let help = run(&integration, &["--help"]).stdout;
    assert!(
        help.contains("dev") && help.contains("[alias: hacking]"),
        "{help}"
    );
    let help = run(&integration, &["dev", "http-server", "--help"]).stdout;
    for flag in ["-p, --port <PORT>", "--reload", "executable changes"] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}

#[test]
fn use_proxy_keeps_the_envelope_and_warns_without_a_proxy() {
    let integration = support::integration(false);
    let request = request();
    let plain = run(&integration, &["delete_account", "--json", &request]);
    let configured = [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ]
    .iter()
    .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()));
    for flag in ["--use-proxy", "--sip"] {
        let outcome = run(&integration, &["delete_account", flag, "--json", &request]);
        assert_eq!(
            (outcome.exit_code, &outcome.stdout),
            (0, &plain.stdout),
            "{flag}"
        );
        if configured {
            assert_eq!(outcome.stderr, "", "{flag}");
        } else {
            assert_eq!(
                outcome.stderr,
                "warning: --use-proxy: no proxy is configured (set HTTPS_PROXY, HTTP_PROXY or \
                 ALL_PROXY); the app is called directly\n",
                "{flag}"
            );
        }
    }
    // `info` calls no app: accepted, nothing to say.
    let outcome = run(&integration, &["info", "--use-proxy"]);
    assert_eq!((outcome.exit_code, outcome.stderr.as_str()), (0, ""));
    // 4.x shows the flag; 3.7.8 had none, so its help hides it.
    let help = |protocol: &str| {
        run(
            &integration,
            &["--protocol", protocol, "delete_account", "--help"],
        )
        .stdout
    };
    assert!(help("4").contains("--use-proxy"), "{}", help("4"));
    assert!(!help("3.7.8").contains("--use-proxy"), "{}", help("3.7.8"));
}
