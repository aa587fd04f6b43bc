//! Hosted mode in process: routes, limits, the token guard, the same envelopes as dispatch.

use connector_sdk::server::{HttpCall, ServeOptions, Server};
use serde_json::{Value, json};

use crate::support;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn json_of(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}

#[test]
fn capabilities_answer_200_with_the_dispatch_envelope_byte_for_byte() {
    let integration = support::integration(true);
    let request = support::request("http://127.0.0.1:9", json!({"account_id": "coded"}));
    let runtime = runtime();
    let expected = runtime
        .block_on(integration.dispatch("delete_account", &request.to_string()))
        .to_json();
    let server = Server::new(support::integration(true), ServeOptions::default());
    for path in [
        "/delete_account",
        "/delete-account",
        "/test-app/delete_account",
    ] {
        let answer = runtime.block_on(server.handle(HttpCall::post(path, request.to_string())));
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(String::from_utf8(answer.body).unwrap(), expected, "{path}");
    }
    // Not JSON, and not UTF-8: the envelopes the command line gives.
    for body in [b"not json".to_vec(), vec![0xff, 0xfe, b'{']] {
        let answer = runtime.block_on(server.handle(HttpCall::post("/delete_account", body)));
        assert_eq!(answer.status, 200);
        assert_eq!(json_of(&answer.body)["error"]["error_code"], "bad_request");
    }
}

#[test]
fn unknown_paths_wrong_methods_and_large_bodies_are_json_errors() {
    let runtime = runtime();
    let options = ServeOptions {
        max_body_bytes: 1024,
        ..ServeOptions::default()
    };
    let server = Server::new(support::integration(true), options);
    let cases = [
        (HttpCall::get("/nope"), 404),
        (HttpCall::post("/nope", "{}"), 404),
        (HttpCall::post("/validate_credentials", "{}"), 404), // not registered
        (HttpCall::post("/other-app/delete_account", "{}"), 404),
        (HttpCall::post("/a/b/c", "{}"), 404),
        (HttpCall::get("/delete_account"), 405),
        (HttpCall::post("/info", "{}"), 405),
        (HttpCall::post("/delete_account", vec![b' '; 4096]), 413),
    ];
    for (call, status) in cases {
        let what = format!("{} {}", call.method, call.path);
        let answer = runtime.block_on(server.handle(call));
        assert_eq!(answer.status, status, "{what}");
        let body = json_of(&answer.body);
        assert_eq!(body["status"], status, "{what}: {body}");
    }
}

#[test]
fn info_openapi_health_and_readiness() {
    let runtime = runtime();
    let integration = support::integration(true);
    let info = integration.info_json();
    let openapi = connector_sdk::spec::connector(&integration);
    let server = Server::new(integration, ServeOptions::default());
    let answer = runtime.block_on(server.handle(HttpCall::get("/info")));
    assert_eq!(
        (answer.status, String::from_utf8(answer.body).unwrap()),
        (200, info)
    );
    let answer = runtime.block_on(server.handle(HttpCall::get("/openapi.json")));
    assert_eq!(json_of(&answer.body), openapi);
    for path in ["/healthz", "/readyz"] {
        assert_eq!(
            runtime.block_on(server.handle(HttpCall::get(path))).status,
            200
        );
    }
}

#[test]
fn with_a_token_every_route_but_healthz_needs_it() {
    let runtime = runtime();
    let options = ServeOptions {
        token: Some("s3rve-T0KEN".into()),
        ..ServeOptions::default()
    };
    let server = Server::new(support::integration(true), options);
    let request = support::request("http://127.0.0.1:9", json!({"account_id": "ok"})).to_string();
    for header in [
        None,
        Some("Bearer wrong"),
        Some("Basic s3rve-T0KEN"),
        Some("Bearer s3rve-T0KE"),
    ] {
        for call in [
            HttpCall::get("/info"),
            HttpCall::post("/delete_account", request.clone()),
        ] {
            let call = match header {
                Some(value) => call.header("authorization", value),
                None => call,
            };
            let answer = runtime.block_on(server.handle(call));
            assert_eq!(answer.status, 401, "{header:?}");
            assert!(!String::from_utf8_lossy(&answer.body).contains("s3rve-T0KEN"));
        }
    }
    assert_eq!(
        runtime
            .block_on(server.handle(HttpCall::get("/healthz")))
            .status,
        200
    );
    let answer = runtime.block_on(server.handle(
        HttpCall::post("/delete_account", request).header("authorization", "Bearer s3rve-T0KEN"),
    ));
    assert_eq!(answer.status, 200);
    assert_eq!(json_of(&answer.body)["response"]["deleted"], true);
}

#[test]
fn a_non_loopback_address_needs_a_token_or_insecure() {
    let open = ServeOptions {
        host: "0.0.0.0".parse().unwrap(),
        ..ServeOptions::default()
    };
    let refusal = open.check().unwrap_err();
    assert!(refusal.contains("CONNECTOR_SERVE_TOKEN"), "{refusal}");
    assert!(
        ServeOptions {
            insecure: true,
            ..open.clone()
        }
        .check()
        .is_ok()
    );
    assert!(
        ServeOptions {
            token: Some("t0k".into()),
            ..open
        }
        .check()
        .is_ok()
    );
    assert!(ServeOptions::default().check().is_ok());
}
