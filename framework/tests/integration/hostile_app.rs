//! Hostile apps against the SDK's HTTP client: redirects to other origins, ids that try to
//! leave their path segment, absurd rate-limit headers, tarpits, floods, echoed credentials.

use std::time::{Duration, Instant};

use base64::Engine;
use connector_sdk::http::{ApiPath, Header, HttpClient, RetryPolicy};
use connector_sdk::wire::{ErrorCode, Secret};
use serde_json::{Value, json};
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;

const API_KEY: Header = Header::from_static("x-api-key");
const PASSWORD: &str = "pw-Hunter2-secret";
const KEY: &str = "key-Sesame-9f8e7d";

/// A client with basic auth and a secret API key header.
fn client(base: &str) -> connector_sdk::http::HttpClientBuilder {
    HttpClient::builder(base)
        .basic("ann", Secret::from(PASSWORD))
        .secret_header(API_KEY, Secret::from(KEY))
        .retry(RetryPolicy::none())
}

/// Every form in which the credentials could leak.
fn secret_forms() -> Vec<String> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("ann:{PASSWORD}"));
    vec![PASSWORD.to_owned(), KEY.to_owned(), basic]
}

fn assert_clean(text: &str) {
    for secret in secret_forms() {
        assert!(!text.contains(&secret), "{secret} leaked in: {text}");
    }
}

#[test]
fn a_redirect_to_another_origin_is_refused_and_the_key_never_reaches_it() {
    crate::support::runtime(2).block_on(async {
        let app = MockServer::start().await;
        let thief = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"stolen": true})))
            .expect(0)
            .mount(&thief)
            .await;
        for status in [301, 302, 303, 307, 308] {
            Mock::given(path(format!("/r{status}")))
                .respond_with(
                    ResponseTemplate::new(status)
                        .insert_header("Location", format!("{}/steal", thief.uri())),
                )
                .mount(&app)
                .await;
        }
        let client = client(&app.uri()).build().unwrap();
        for status in [301, 302, 303, 307, 308] {
            for request in [
                client.get(format!("/r{status}").as_str()),
                client
                    .post(format!("/r{status}").as_str())
                    .json_body(&json!({})),
            ] {
                let error = request.send().await.unwrap_err();
                assert_eq!(error.code(), ErrorCode::ApiError, "{status}");
                assert_eq!(error.status_code(), Some(status));
                let message = error.message();
                assert!(message.contains(&app.uri()), "{message}");
                assert!(message.contains(&thief.uri()), "{message}");
                assert_clean(message);
            }
        }
        assert!(thief.received_requests().await.unwrap().is_empty());
    });
}

#[test]
fn opted_in_cross_origin_redirects_arrive_without_any_credential() {
    crate::support::runtime(2).block_on(async {
        let app = MockServer::start().await;
        let cdn = MockServer::start().await;
        Mock::given(path("/export"))
            .respond_with(
                ResponseTemplate::new(307).insert_header("Location", format!("{}/blob", cdn.uri())),
            )
            .mount(&app)
            .await;
        Mock::given(path("/blob"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"rows": 3})))
            .expect(2)
            .mount(&cdn)
            .await;
        let token_header = Header::from_static("x-token");
        let clients = [
            client(&app.uri())
                .follow_cross_origin_redirects()
                .build()
                .unwrap(),
            HttpClient::builder(app.uri())
                .token_header(token_header.clone(), "Token")
                .bearer(Secret::from(KEY))
                .follow_cross_origin_redirects()
                .build()
                .unwrap(),
        ];
        for client in clients {
            let body: Value = client
                .get("/export")
                .header_secret(
                    &Header::from_static("x-session"),
                    &Secret::from("sess-1234"),
                )
                .json()
                .await
                .unwrap();
            assert_eq!(body, json!({"rows": 3}));
        }
        for request in cdn.received_requests().await.unwrap() {
            for name in [
                "authorization",
                "x-api-key",
                "x-token",
                "x-session",
                "cookie",
            ] {
                assert!(
                    !request.headers.contains_key(name),
                    "{name} reached the CDN"
                );
            }
        }
    });
}

#[test]
fn a_redirect_within_the_origin_keeps_the_credentials() {
    crate::support::runtime(2).block_on(async {
        let app = MockServer::start().await;
        Mock::given(path("/v1/users"))
            .respond_with(ResponseTemplate::new(301).insert_header("Location", "/v2/users"))
            .mount(&app)
            .await;
        Mock::given(method("GET"))
            .and(path("/v2/users"))
            .and(header_exists("authorization"))
            .and(header("x-api-key", KEY))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"users": []})))
            .expect(1)
            .mount(&app)
            .await;
        let body: Value = client(&app.uri())
            .build()
            .unwrap()
            .get_json("/v1/users", &[])
            .await
            .unwrap();
        assert_eq!(body, json!({"users": []}));
    });
}

#[test]
fn a_redirect_loop_ends_with_invalid_response() {
    crate::support::runtime(2).block_on(async {
        let app = MockServer::start().await;
        Mock::given(path("/a"))
            .respond_with(ResponseTemplate::new(302).insert_header("Location", "/a"))
            .mount(&app)
            .await;
        let error = client(&app.uri())
            .build()
            .unwrap()
            .get("/a")
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidResponse);
        assert!(error.message().contains("redirected more than"), "{error}");
        assert_eq!(app.received_requests().await.unwrap().len(), 11);
    });
}

#[test]
fn ids_that_would_leave_their_segment_are_refused_before_any_request() {
    crate::support::runtime(2).block_on(async {
        let app = MockServer::start().await;
        let client = client(&app.uri()).build().unwrap();
        let long = "x".repeat(connector_sdk::http::MAX_SEGMENT_BYTES + 1);
        for id in ["..", ".", "", long.as_str()] {
            let error = client
                .delete(ApiPath::new("/api/users").id("request.account_id", id))
                .send()
                .await
                .unwrap_err();
            assert_eq!(error.code(), ErrorCode::BadRequest, "{id:?}");
            assert!(error.message().contains("request.account_id"), "{error}");
            assert!(error.message().len() < 300);
        }
        assert!(app.received_requests().await.unwrap().is_empty());
    });
}

#[test]
fn ids_with_slashes_and_encoded_slashes_stay_one_segment() {
    crate::support::runtime(2).block_on(async {
        let app = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(204))
            .mount(&app)
            .await;
        let client = client(&app.uri()).build().unwrap();
        let cases = [
            ("a%2Fb", "/api/users/a%252Fb"),
            ("../admin", "/api/users/..%2Fadmin"),
            ("x?y=1#z", "/api/users/x%3Fy%3D1%23z"),
            ("%2e%2e", "/api/users/%252e%252e"),
        ];
        for (id, _) in cases {
            client
                .delete(ApiPath::new("/api/users").id("request.account_id", id))
                .send()
                .await
                .unwrap();
        }
        let seen: Vec<String> = app
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| r.url.path().to_owned())
            .collect();
        let expected: Vec<&str> = cases.iter().map(|(_, p)| *p).collect();
        assert_eq!(seen, expected);
    });
}

#[test]
fn absurd_rate_limit_headers_fail_fast_as_rate_limit_without_panicking() {
    crate::support::runtime(2).block_on(async {
        for (name, value) in [
            ("Retry-After", "1e300"),
            ("Retry-After", "1e19"),
            ("X-RateLimit-Reset", "1e300"),
            ("X-RateLimit-Reset", "1e19"),
            ("RateLimit-Reset", "1e300"),
            ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ] {
            let app = MockServer::start().await;
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(429).insert_header(name, value))
                .expect(1)
                .mount(&app)
                .await;
            let client = HttpClient::builder(app.uri())
                .retry(RetryPolicy::default())
                .deadline(Duration::from_secs(30))
                .build()
                .unwrap();
            let started = Instant::now();
            let error = client.get_json::<Value>("/users", &[]).await.unwrap_err();
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{name}: {value}"
            );
            assert_eq!(error.code(), ErrorCode::RateLimit, "{name}: {value}");
            assert!(
                error.message().contains("asked to wait more than a day"),
                "{}",
                error.message()
            );
        }
    });
}

/// Accepts connections and never answers.
fn tarpit() -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        listener.set_nonblocking(true).unwrap();
        let until = Instant::now() + Duration::from_secs(20);
        while Instant::now() < until {
            if let Ok((stream, _)) = listener.accept() {
                held.push(stream);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    (url, handle)
}

#[test]
fn a_tarpit_app_ends_at_the_deadline_with_a_message_naming_it() {
    let (url, _tarpit) = tarpit();
    crate::support::runtime(2).block_on(async {
        let client = HttpClient::builder(&url)
            .retry(RetryPolicy::default())
            .deadline(Duration::from_millis(800))
            .build()
            .unwrap();
        let started = Instant::now();
        let error = client.get_json::<Value>("/users", &[]).await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(700), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
        assert_eq!(error.code(), ErrorCode::RequestTimeout);
        assert!(error.message().contains("deadline of 0.8 s"), "{error}");
        assert!(
            error.message().contains("CONNECTOR_DEADLINE_SECS"),
            "{error}"
        );
    });
}

#[test]
fn a_capability_call_ends_at_the_integration_deadline() {
    let (url, _tarpit) = tarpit();
    let integration = support::integration_builder(false)
        .deadline(Duration::from_millis(600))
        .build();
    for account in ["client", "sleep"] {
        let started = Instant::now();
        let envelope = support::dispatch(
            &integration,
            "delete_account",
            &support::request(&url, json!({"account_id": account})),
        );
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(3), "{account}: {elapsed:?}");
        assert_eq!(
            envelope["error"]["error_code"], "request_timeout",
            "{envelope}"
        );
        let message = envelope["error"]["message"].as_str().unwrap();
        assert!(message.contains("deadline of 0.6 s"), "{message}");
    }
}

#[test]
fn an_endless_answer_is_cut_at_the_body_limit() {
    crate::support::runtime(2).block_on(async {
        let app = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'['; 2 * 1024 * 1024]))
            .mount(&app)
            .await;
        let error = client(&app.uri())
            .max_body_bytes(1024 * 1024)
            .build()
            .unwrap()
            .get_json::<Value>("/users", &[])
            .await
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidResponse);
        assert!(
            error.message().contains("larger than 1048576 bytes"),
            "{error}"
        );
    });
}

#[test]
fn an_app_echoing_the_credentials_does_not_put_them_in_the_error() {
    crate::support::runtime(2).block_on(async {
        let app = MockServer::start().await;
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("ann:{PASSWORD}"));
        for (status, body) in [
            (
                401,
                json!({"message": format!("bad credentials: Authorization: Basic {basic}, key {KEY}")}),
            ),
            (400, json!({"error": format!("password {PASSWORD} rejected")})),
            (500, json!({"headers": {"x-api-key": KEY, "authorization": format!("Basic {basic}")}})),
        ] {
            let route = format!("/s{status}");
            Mock::given(path(route.as_str()))
                .respond_with(ResponseTemplate::new(status).set_body_json(body))
                .mount(&app)
                .await;
            let error = client(&app.uri())
                .build()
                .unwrap()
                .get(route.as_str())
                .send()
                .await
                .unwrap_err();
            assert_eq!(error.status_code(), Some(status));
            assert_clean(error.message());
        }
        // Text bodies too.
        Mock::given(path("/text"))
            .respond_with(ResponseTemplate::new(403).set_body_string(format!("no: Basic {basic}")))
            .mount(&app)
            .await;
        let error = client(&app.uri()).build().unwrap().get("/text").send().await.unwrap_err();
        assert_eq!(error.code(), ErrorCode::PermissionDenied);
        assert_clean(error.message());
    });
}

#[test]
fn a_base_url_with_userinfo_is_refused_without_echoing_it() {
    for base in [
        "http://ann:pw-Hunter2-secret@127.0.0.1:9/api",
        "https://ann:pw-Hunter2-secret@app.example.com",
        "ann:pw-Hunter2-secret@app.example.com",
        "http://ann:pw-Hunter2-secret@[::1",
    ] {
        let error = HttpClient::builder(base).build().unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidValue, "{base}");
        assert_clean(error.message());
    }
}

#[test]
fn links_to_another_origin_are_not_followed() {
    crate::support::runtime(2).block_on(async {
        let app = MockServer::start().await;
        let client = client(&app.uri()).build().unwrap();
        let error = client
            .link(
                connector_sdk::http::Method::Get,
                "http://evil.example/users?page=2",
            )
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidResponse);
        assert!(error.message().contains("http://evil.example"), "{error}");
        Mock::given(path("/users"))
            .and(header("x-api-key", KEY))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .expect(1)
            .mount(&app)
            .await;
        let same: Value = client
            .link(
                connector_sdk::http::Method::Get,
                &format!("{}/users?page=2", app.uri()),
            )
            .json()
            .await
            .unwrap();
        assert_eq!(same, json!([]));
    });
}
