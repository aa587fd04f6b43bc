//! Exit codes, stdout discipline and every dispatch failure, through the compiled binary.

use std::io::Read;

use serde_json::json;

use crate::support::{VALID, connector, run};

#[test]
fn the_seed_example_is_byte_exact() {
    let out = run(&["validate_credentials", "--json", VALID]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        "{\"response\":{\"valid\":true,\"unique_tenant_id\":\"mock-connector-tenant-id\"},\"raw_data\":null,\"page\":null}\n"
    );
    assert!(out.stderr.is_empty(), "stderr: {}", out.stderr);
}

#[test]
fn json_file_is_read_and_quotes_are_stripped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("request.json");
    std::fs::write(&path, VALID).unwrap();
    for arg in [path.display().to_string(), format!("'{}'", path.display())] {
        let out = run(&["validate_credentials", "--json-file", &arg]);
        assert_eq!(out.document()["response"]["valid"], true);
    }
}

#[test]
fn result_file_gets_the_gzipped_document_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.json.gz");
    let out = run(&[
        "validate_credentials",
        "--json",
        VALID,
        "--result-file-path",
        &format!("\"{}\"", path.display()),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(
        text,
        r#"{"response":{"valid":true,"unique_tenant_id":"mock-connector-tenant-id"},"raw_data":null,"page":null}"#
    );
}

#[test]
fn a_result_path_without_gz_is_a_usage_error() {
    let out = run(&[
        "validate_credentials",
        "--json",
        VALID,
        "--result-file-path",
        "out.json",
    ]);
    out.expect_usage_error();
    assert!(out.stderr.contains(".gz"), "{}", out.stderr);
}

#[test]
fn unknown_capabilities_are_usage_errors() {
    // Every capability of the protocol is registered, so only a made-up name is unknown.
    for capability in ["no_such_capability", "info_"] {
        run(&[capability, "--json", VALID]).expect_usage_error();
    }
}

#[test]
fn missing_json_is_a_usage_error() {
    let out = run(&["validate_credentials"]);
    out.expect_usage_error();
    assert!(out.stderr.contains("--json"), "{}", out.stderr);
}

#[test]
fn json_and_json_file_together_are_a_usage_error() {
    run(&[
        "validate_credentials",
        "--json",
        VALID,
        "--json-file",
        "x.json",
    ])
    .expect_usage_error();
}

#[test]
fn an_unreadable_json_file_is_a_usage_error() {
    let out = run(&[
        "validate_credentials",
        "--json-file",
        "/nonexistent/request.json",
    ]);
    out.expect_usage_error();
    assert!(
        out.stderr.contains("/nonexistent/request.json"),
        "{}",
        out.stderr
    );
}

#[test]
fn no_subcommand_is_a_usage_error() {
    run(&[]).expect_usage_error();
}

#[test]
fn info_takes_no_json() {
    run(&["info", "--json", VALID]).expect_usage_error();
}

#[test]
fn help_lists_registered_capabilities_with_an_example() {
    let out = run(&["--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("validate_credentials"));
    assert!(out.stdout.contains("info"));
    // The connector speaks 3.7.8 by default: protocol 4's capabilities are not commands there.
    for capability in connector_sdk::wire::CapabilityName::ALL
        .iter()
        .filter(|name| name.exists_in(connector_sdk::Protocol::V3_7_8))
    {
        assert!(
            out.stdout.contains(capability.as_str()),
            "{capability}: {}",
            out.stdout
        );
    }
    let sub = run(&["validate_credentials", "--help"]);
    assert!(
        sub.stdout.contains("--json '{\"auth\":{\"basic\""),
        "{}",
        sub.stdout
    );
}

#[test]
fn malformed_and_non_object_json_are_bad_requests() {
    for text in ["{not json", "", "5", "[]", "null", "\"str\"", "true"] {
        let error = run(&["validate_credentials", "--json", text]).expect_error("bad_request");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .starts_with("Invalid request - "),
            "{text}: {error}"
        );
    }
}

#[test]
fn missing_auth_is_a_bad_request() {
    for text in [
        "{}",
        r#"{"request":{},"settings":{"host":"h"}}"#,
        r#"{"auth":null,"request":{}}"#,
    ] {
        let error = run(&["validate_credentials", "--json", text]).expect_error("bad_request");
        assert_eq!(error["message"], "Missing auth in request", "{text}");
    }
}

#[test]
fn a_credential_of_another_kind_is_a_bad_request() {
    let request = json!({"auth": {"token": {"token": "t0ken-value"}}, "request": {}, "settings": {"host": "h"}});
    let error =
        run(&["validate_credentials", "--json", &request.to_string()]).expect_error("bad_request");
    assert_eq!(
        error["message"],
        "Missing auth in request: expected one of 'basic', 'oauth'"
    );
}

#[test]
fn a_malformed_credential_names_the_field() {
    let request =
        json!({"auth": {"basic": {"username": "u"}}, "request": {}, "settings": {"host": "h"}});
    let error =
        run(&["validate_credentials", "--json", &request.to_string()]).expect_error("bad_request");
    assert_eq!(
        error["message"],
        "Malformed auth in request - auth.basic: missing field `password`"
    );
}

#[test]
fn an_invalid_payload_names_the_field() {
    let request = json!({"auth": {"basic": {"username": "u", "password": "p4ss"}}, "request": 5, "settings": {"host": "h"}});
    let error =
        run(&["validate_credentials", "--json", &request.to_string()]).expect_error("bad_request");
    assert_eq!(
        error["message"],
        "Invalid request - request: invalid type: integer, expected struct ValidateCredentials"
    );
    let missing = json!({"auth": {"basic": {"username": "u", "password": "p4ss"}}, "settings": {"host": "h"}});
    let error =
        run(&["validate_credentials", "--json", &missing.to_string()]).expect_error("bad_request");
    assert_eq!(
        error["message"],
        "Invalid request - missing field `request`"
    );
}

#[test]
fn scalars_are_strict() {
    for (field, value, path) in [
        ("page", json!({"size": "5"}), "page.size"),
        ("page", json!({"token": 5}), "page.token"),
        ("include_raw_data", json!("true"), "include_raw_data"),
    ] {
        let mut request = serde_json::from_str::<serde_json::Value>(VALID).unwrap();
        request[field] = value;
        let error = run(&["validate_credentials", "--json", &request.to_string()])
            .expect_error("bad_request");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("Invalid request - {path}: invalid type")),
            "{message}"
        );
    }
}

#[test]
fn unknown_keys_are_ignored_everywhere() {
    let request = json!({
        "auth": {"basic": {"username": "foo", "password": "bar", "x": 1}, "y": 2},
        "request": {"z": 3},
        "settings": {"host": "h", "extra": true},
        "page": {"size": 5, "w": 0},
        "future": {}
    });
    let out = run(&["validate_credentials", "--json", &request.to_string()]);
    assert_eq!(out.document()["response"]["valid"], true);
}

#[test]
fn missing_settings_are_a_bad_request() {
    let request = json!({"auth": {"basic": {"username": "u", "password": "p4ss"}}, "request": {}});
    let error =
        run(&["validate_credentials", "--json", &request.to_string()]).expect_error("bad_request");
    assert_eq!(
        error["message"],
        "No settings passed on request: mock-connector requires MockSettings"
    );
}

#[test]
fn invalid_settings_name_the_field() {
    for (settings, message) in [
        (
            json!({"host": 5}),
            "Invalid settings passed on request - settings.host: invalid type: integer, expected a string",
        ),
        (
            json!({}),
            "Invalid settings passed on request - settings: missing field `host`",
        ),
        (
            json!([1]),
            "Invalid settings passed on request - settings: expected an object, not an array",
        ),
    ] {
        let request = json!({"auth": {"basic": {"username": "u", "password": "p4ss"}}, "request": {}, "settings": settings});
        let error = run(&["validate_credentials", "--json", &request.to_string()])
            .expect_error("bad_request");
        assert_eq!(error["message"], message);
    }
}

#[test]
fn dispatch_order_auth_before_request_before_settings() {
    // Everything is wrong: the auth error wins.
    let all_wrong = json!({"request": 5, "settings": 5});
    let error = run(&["validate_credentials", "--json", &all_wrong.to_string()])
        .expect_error("bad_request");
    assert_eq!(error["message"], "Missing auth in request");
    // Auth right: the request error wins over settings.
    let request_wrong = json!({"auth": {"basic": {"username": "u", "password": "p4ss"}}, "request": 5, "settings": 5});
    let error = run(&["validate_credentials", "--json", &request_wrong.to_string()])
        .expect_error("bad_request");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("Invalid request - request")
    );
}

#[test]
fn an_empty_password_is_unauthorized() {
    let request = json!({"auth": {"basic": {"username": "foo", "password": ""}}, "request": {}, "settings": {"host": "h"}});
    let error =
        run(&["validate_credentials", "--json", &request.to_string()]).expect_error("unauthorized");
    assert_eq!(error["raised_by"], "ConnectorError");
    assert_eq!(
        error["raised_in"],
        "mock_connector.connector:validate_credentials"
    );
}

#[test]
fn stdout_holds_only_the_document_even_on_errors() {
    let output = connector()
        .args(["validate_credentials", "--json", "{not json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.matches('\n').count(), 1);
}

/// Runs the binary with `CONNECTOR_PROTOCOL` set to `env` (or removed).
fn run_with_protocol_env(env: Option<&str>, args: &[&str]) -> crate::support::Run {
    let mut command = connector();
    command.args(args);
    match env {
        Some(value) => command.env("CONNECTOR_PROTOCOL", value),
        None => command.env_remove("CONNECTOR_PROTOCOL"),
    };
    let output = command.output().expect("the connector runs");
    crate::support::Run {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn the_protocol_flag_beats_connector_protocol_which_beats_the_default() {
    // No auth: a bad_request envelope, which protocol 4 writes with its error metadata.
    let request = ["validate_credentials", "--json", "{}"];
    let seed = run_with_protocol_env(None, &request);
    assert_eq!(seed.code, 0, "{seed:?}");
    assert!(!seed.stdout.contains("error_metadata"), "{}", seed.stdout);

    let from_env = run_with_protocol_env(Some("4"), &request);
    assert_eq!(from_env.code, 0, "{from_env:?}");
    assert!(
        from_env.stdout.contains("\"error_metadata\":{"),
        "{}",
        from_env.stdout
    );

    let flag = |version: &'static str| {
        let mut args = vec!["--protocol", version];
        args.extend(request);
        args
    };
    // The flag wins, and 3.7.8 stays byte-identical to a run without any choice.
    let flagged = run_with_protocol_env(Some("4"), &flag("3.7.8"));
    assert_eq!((flagged.code, &flagged.stdout), (0, &seed.stdout));
    let flagged = run_with_protocol_env(Some("3.7.8"), &flag("4"));
    assert_eq!((flagged.code, &flagged.stdout), (0, &from_env.stdout));
    // Even over a variable that names no version.
    let flagged = run_with_protocol_env(Some("nine"), &flag("4"));
    assert_eq!((flagged.code, &flagged.stdout), (0, &from_env.stdout));

    let broken = run_with_protocol_env(Some("nine"), &request);
    assert_eq!((broken.code, broken.stdout.as_str()), (2, ""));
    assert!(
        broken.stderr.contains(
            r#"CONNECTOR_PROTOCOL: unknown protocol version "nine": expected 3.7.8 or 4"#
        ),
        "{}",
        broken.stderr
    );

    // `app_info` exists when the environment chooses 4.
    let app_info = ["app_info", "--json", r#"{"request":{}}"#];
    let v4 = run_with_protocol_env(Some("4"), &app_info);
    assert_eq!(v4.code, 0, "{v4:?}");
    assert_eq!(v4.stdout.lines().count(), 1, "{}", v4.stdout);
    let v3 = run_with_protocol_env(None, &app_info);
    assert_eq!((v3.code, v3.stdout.as_str()), (2, ""), "{v3:?}");
}
