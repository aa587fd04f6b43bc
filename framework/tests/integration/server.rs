//! Hosted mode in process: routes, limits, the token guard, the same envelopes as dispatch.

use connector_sdk::Protocol;
use connector_sdk::server::{HttpCall, ServeOptions, Server};
use serde_json::{Value, json};

use crate::support;

fn json_of(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}

#[test]
fn capabilities_answer_200_with_the_dispatch_envelope_byte_for_byte() {
    let integration = support::integration(true);
    let request = support::request("http://127.0.0.1:9", json!({"account_id": "coded"}));
    let runtime = crate::support::runtime(2);
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
    let runtime = crate::support::runtime(2);
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
        assert_eq!(
            answer.header("content-type"),
            Some("application/json"),
            "{what}"
        );
        let body = json_of(&answer.body);
        match status {
            404 => assert_eq!(body, json!({"detail": "Not Found"}), "{what}"),
            405 => assert_eq!(body, json!({"detail": "Method Not Allowed"}), "{what}"),
            _ => assert_eq!(body["status"], status, "{what}: {body}"),
        }
    }
}

#[test]
fn not_found_and_method_not_allowed_are_written_as_each_protocol_did() {
    let runtime = crate::support::runtime(2);
    // 3.7.8's FastAPI wrote them compact, 4.x's server with `json.dumps`'s spaces.
    let cases = [
        (
            Protocol::V3_7_8,
            r#"{"detail":"Not Found"}"#,
            r#"{"detail":"Method Not Allowed"}"#,
        ),
        (
            Protocol::V4,
            r#"{"detail": "Not Found"}"#,
            r#"{"detail": "Method Not Allowed"}"#,
        ),
    ];
    for (protocol, not_found, not_allowed) in cases {
        let options = ServeOptions {
            protocol: Some(protocol),
            ..ServeOptions::default()
        };
        let server = Server::new(support::integration(true), options);
        for call in [
            HttpCall::get("/nope"),
            HttpCall::post("/list_resources", "{}"),
            HttpCall::post("/list_accounts/", "{}"),
            HttpCall::post("/test-app/nope", "{}"),
        ] {
            let what = format!("{protocol} {} {}", call.method, call.path);
            let answer = runtime.block_on(server.handle(call));
            let body = String::from_utf8(answer.body).unwrap();
            assert_eq!((answer.status, body.as_str()), (404, not_found), "{what}");
        }
        for call in [
            HttpCall::get("/list_accounts"),
            HttpCall {
                method: "PUT".into(),
                ..HttpCall::get("/test-app/list-accounts")
            },
            HttpCall::post("/openapi.json", "{}"),
            HttpCall::post("/docs", "{}"),
        ] {
            let what = format!("{protocol} {} {}", call.method, call.path);
            let answer = runtime.block_on(server.handle(call));
            let body = String::from_utf8(answer.body).unwrap();
            assert_eq!((answer.status, body.as_str()), (405, not_allowed), "{what}");
        }
    }
}

#[test]
fn the_routes_speak_the_servers_protocol() {
    let runtime = crate::support::runtime(2);
    let integration = support::integration(true);
    let request = json!({"request": {"account_id": "u1"}}).to_string();
    for protocol in [Protocol::V3_7_8, Protocol::V4] {
        let expected = runtime
            .block_on(integration.dispatch_as(protocol, "delete_account", &request))
            .to_json();
        let options = ServeOptions {
            protocol: Some(protocol),
            ..ServeOptions::default()
        };
        let server = Server::new(support::integration(true), options);
        let answer =
            runtime.block_on(server.handle(HttpCall::post("/delete_account", request.clone())));
        assert_eq!(
            String::from_utf8(answer.body).unwrap(),
            expected,
            "{protocol}"
        );
        let answer = runtime.block_on(server.handle(HttpCall::get("/info")));
        assert_eq!(
            String::from_utf8(answer.body).unwrap(),
            integration.info_json_as(protocol),
            "{protocol}"
        );
        let answer = runtime.block_on(server.handle(HttpCall::get("/openapi.json")));
        let openapi = match protocol {
            Protocol::V4 => integration.app_schema(),
            _ => connector_sdk::spec::connector(&integration),
        };
        assert_eq!(json_of(&answer.body), openapi, "{protocol}");
        // /docs renders that document: every path of it.
        let answer = runtime.block_on(server.handle(HttpCall::get("/docs")));
        let page = String::from_utf8(answer.body).unwrap();
        for path in openapi["paths"].as_object().unwrap().keys() {
            assert!(
                page.contains(&format!("<code>{path}</code>")),
                "{protocol} {path}"
            );
        }
        // `app_info` is a route of protocol 4 only.
        let app_info = r#"{"request":{}}"#;
        let answer = runtime.block_on(server.handle(HttpCall::post("/app_info", app_info)));
        if protocol == Protocol::V4 {
            let expected = runtime
                .block_on(integration.dispatch_as(protocol, "app_info", app_info))
                .to_json();
            assert_eq!(
                (answer.status, String::from_utf8(answer.body).unwrap()),
                (200, expected)
            );
        } else {
            assert_eq!(answer.status, 404);
        }
    }
    // Without a choice, the integration's own.
    let declared = support::integration_builder(true)
        .protocol(Protocol::V4)
        .build();
    let expected = runtime
        .block_on(declared.dispatch_as(Protocol::V4, "delete_account", &request))
        .to_json();
    let server = Server::new(declared, ServeOptions::default());
    let answer = runtime.block_on(server.handle(HttpCall::post("/delete_account", request)));
    assert_eq!(String::from_utf8(answer.body).unwrap(), expected);
}

#[test]
fn docs_is_a_self_contained_reference_of_every_capability() {
    let runtime = crate::support::runtime(2);
    let integration = support::integration_builder(true)
        .description("<script>alert('x')</script> & co")
        .build();
    let openapi = connector_sdk::spec::connector(&integration);
    let server = Server::new(integration, ServeOptions::default());
    let answer = runtime.block_on(server.handle(HttpCall::get("/docs")));
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = answer.header("content-security-policy").unwrap();
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    assert!(!csp.contains("script-src"), "{csp}");
    let page = String::from_utf8(answer.body).unwrap();
    assert!(page.starts_with("<!doctype html>"), "{page}");
    assert!(
        page.contains("<title>test-app - API reference</title>"),
        "{page}"
    );
    let paths = openapi["paths"].as_object().unwrap();
    assert!(paths.len() >= 2);
    for path in paths.keys() {
        assert!(page.contains(&format!("<code>{path}</code>")), "{path}");
    }
    for name in ["/list_accounts", "/delete_account"] {
        assert!(paths.contains_key(name), "{name}");
    }
    for schema in openapi["components"]["schemas"].as_object().unwrap().keys() {
        assert!(
            page.contains(&format!("id=\"schema-{schema}\"")),
            "{schema}"
        );
    }
    // Nothing to run and nothing from elsewhere; the app's own text is escaped.
    let lower = page.to_ascii_lowercase();
    for forbidden in ["<script", "src=", "<link", "<iframe", "@import", "url("] {
        assert!(!lower.contains(forbidden), "{forbidden}");
    }
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
}

#[test]
fn docs_is_behind_the_token_like_openapi() {
    let runtime = crate::support::runtime(2);
    let options = ServeOptions {
        token: Some("d0cs-T0KEN".into()),
        ..ServeOptions::default()
    };
    let server = Server::new(support::integration(true), options);
    let answer = runtime.block_on(server.handle(HttpCall::get("/docs")));
    assert_eq!(answer.status, 401);
    assert!(!String::from_utf8_lossy(&answer.body).contains("<html"));
    let answer = runtime.block_on(
        server.handle(HttpCall::get("/docs").header("Authorization", "Bearer d0cs-T0KEN")),
    );
    assert_eq!(answer.status, 200);
    assert!(
        !String::from_utf8(answer.body)
            .unwrap()
            .contains("d0cs-T0KEN")
    );
}

#[test]
fn info_openapi_health_and_readiness() {
    let runtime = crate::support::runtime(2);
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
    let runtime = crate::support::runtime(2);
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
