//! The HTTP client against wiremock: retries, Retry-After, deadlines, transport failures.

use std::time::{Duration, Instant};

use connector_sdk::http::{Header, HttpClient, RetryPolicy};
use connector_sdk::wire::{ErrorCode, Secret};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(50))
}

#[test]
fn a_429_with_retry_after_is_retried_after_the_wait_then_succeeds() {
    crate::support::runtime(2).block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/users"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "2"))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/users"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
            .expect(1)
            .mount(&server)
            .await;
        let client = HttpClient::builder(server.uri())
            .retry(fast_retries())
            .build()
            .unwrap();
        let started = Instant::now();
        let body: Value = client.get_json("/users", &[]).await.unwrap();
        let waited = started.elapsed();
        assert_eq!(body, json!({"ok": true}));
        assert!(waited >= Duration::from_secs(2), "retried after {waited:?}");
        assert!(waited < Duration::from_secs(5), "took {waited:?}");
    });
}

#[test]
fn a_retry_after_beyond_the_deadline_fails_fast_with_the_wait_needed() {
    crate::support::runtime(2).block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
            .expect(1)
            .mount(&server)
            .await;
        let client = HttpClient::builder(server.uri())
            .retry(fast_retries())
            .deadline(Duration::from_secs(10))
            .build()
            .unwrap();
        let started = Instant::now();
        let error = client.get_json::<Value>("/users", &[]).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(error.code(), ErrorCode::RateLimit);
        assert_eq!(error.status_code(), Some(429));
        assert!(
            error.message().contains("asked to wait 120 s"),
            "{}",
            error.message()
        );
    });
}

#[test]
fn a_run_of_503s_exhausts_the_retries_within_the_deadline() {
    crate::support::runtime(2).block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(503)
                    .set_body_json(json!({"error": {"message": "maintenance"}})),
            )
            .expect(4)
            .mount(&server)
            .await;
        let client = HttpClient::builder(server.uri())
            .retry(fast_retries().max_retries(3))
            .deadline(Duration::from_secs(5))
            .build()
            .unwrap();
        let started = Instant::now();
        let error = client.get_json::<Value>("/users", &[]).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(error.code(), ErrorCode::ApiError);
        assert_eq!(error.status_code(), Some(503));
        let message = error.message();
        assert!(message.contains("maintenance"), "{message}");
        assert!(message.contains("after 3 retries"), "{message}");
    });
}

#[test]
fn terminal_statuses_are_not_retried() {
    crate::support::runtime(2).block_on(async {
        for (status, code) in [
            (401, ErrorCode::Unauthorized),
            (400, ErrorCode::BadRequest),
            (403, ErrorCode::PermissionDenied),
            (404, ErrorCode::NotFound),
            (409, ErrorCode::ApiError),
            (422, ErrorCode::ApiError),
        ] {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(status))
                .expect(1)
                .mount(&server)
                .await;
            let client = HttpClient::builder(server.uri())
                .retry(fast_retries())
                .build()
                .unwrap();
            let error = client.get_json::<Value>("/x", &[]).await.unwrap_err();
            assert_eq!(error.code(), code, "{status}");
        }
    });
}

#[test]
fn writes_are_retried_only_when_opted_in() {
    crate::support::runtime(2).block_on(async {
        for (opt_in, calls) in [(false, 1), (true, 2)] {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(503))
                .up_to_n_times(1)
                .mount(&server)
                .await;
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
                .mount(&server)
                .await;
            let client = HttpClient::builder(server.uri())
                .retry(fast_retries().retry_writes(opt_in))
                .build()
                .unwrap();
            let result = client.post("/users").json::<Value>().await;
            assert_eq!(result.is_ok(), opt_in);
            assert_eq!(server.received_requests().await.unwrap().len(), calls);
        }
    });
}

#[test]
fn a_refused_connection_is_connection_rejected() {
    crate::support::runtime(2).block_on(async {
        // Bind then drop a listener: nothing listens on the port.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let client = HttpClient::builder(format!("http://127.0.0.1:{port}"))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let error = client.get_json::<Value>("/users", &[]).await.unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::ConnectionRejected,
            "{}",
            error.message()
        );
    });
}

#[test]
fn a_server_that_never_answers_is_a_request_timeout() {
    crate::support::runtime(2).block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
            .mount(&server)
            .await;
        let client = HttpClient::builder(server.uri())
            .timeout(Duration::from_millis(300))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let started = Instant::now();
        let error = client.get_json::<Value>("/users", &[]).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(
            error.code(),
            ErrorCode::RequestTimeout,
            "{}",
            error.message()
        );
    });
}

/// A loopback listener whose accept queue is full, so new connections are never completed.
fn saturated_listener() -> (socket2::Socket, Vec<std::net::TcpStream>, u16) {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket
        .bind(
            &"127.0.0.1:0"
                .parse::<std::net::SocketAddr>()
                .unwrap()
                .into(),
        )
        .unwrap();
    socket.listen(0).unwrap();
    let port = socket.local_addr().unwrap().as_socket().unwrap().port();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
            Ok(stream) => fillers.push(stream),
            Err(_) => break,
        }
    }
    (socket, fillers, port)
}

#[test]
fn a_connect_that_hangs_is_a_connection_timeout() {
    crate::support::runtime(2).block_on(async {
        let (_listener, _fillers, port) = saturated_listener();
        let client = HttpClient::builder(format!("http://127.0.0.1:{port}"))
            .connect_timeout(Duration::from_millis(300))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let started = Instant::now();
        let error = client.get_json::<Value>("/users", &[]).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(
            error.code(),
            ErrorCode::ConnectionTimeout,
            "{}",
            error.message()
        );
    });
}

#[test]
fn a_body_that_is_not_json_is_an_invalid_response_with_its_first_bytes() {
    crate::support::runtime(2).block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
            .mount(&server)
            .await;
        let client = HttpClient::builder(server.uri()).build().unwrap();
        let error = client.get_json::<Value>("/users", &[]).await.unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidResponse);
        assert!(
            error.message().contains("<html>maintenance"),
            "{}",
            error.message()
        );
    });
}

#[test]
fn credentials_and_user_agent_are_sent() {
    crate::support::runtime(2).block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer s3cr3t"))
            .and(header("user-agent", "demo/1.2.3"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(header("x-api-key", "s3cr3t"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .expect(1)
            .mount(&server)
            .await;
        let bearer = HttpClient::builder(server.uri())
            .user_agent("demo", "1.2.3")
            .bearer(Secret::from("s3cr3t"))
            .build()
            .unwrap();
        bearer.get_json::<Value>("/a", &[]).await.unwrap();
        let header_token = HttpClient::builder(server.uri())
            // Either order: the token header is resolved when the client is built.
            .bearer(Secret::from("s3cr3t"))
            .token_header(Header::from_static("x-api-key"), "")
            .build()
            .unwrap();
        header_token.get_json::<Value>("/b", &[]).await.unwrap();
    });
}

#[test]
fn a_missing_ca_bundle_is_an_invalid_value() {
    let error = HttpClient::builder("https://example.com")
        .ca_bundle("/nonexistent/ca.pem")
        .build()
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidValue);
}

#[test]
fn a_connection_closed_mid_response_is_connection_closed() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buffer = [0u8; 1024];
        let _ = stream.read(&mut buffer);
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"users\":[",
        );
        // Dropping the stream closes the connection 90 bytes early.
    });
    crate::support::runtime(2).block_on(async {
        let client = HttpClient::builder(format!("http://127.0.0.1:{port}"))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let error = client.get_json::<Value>("/users", &[]).await.unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::ConnectionClosed,
            "{}",
            error.message()
        );
    });
    server.join().unwrap();
}

/// Each `#[tokio::test]` (and each call of a test that builds its own runtime) runs on a
/// runtime of its own, often beside others: a connection pooled by one runtime is driven by
/// that runtime, so a request another runtime sent on it would fail with "dispatch task is
/// gone" the moment the first runtime ends. Pools are per runtime.
#[test]
fn a_runtime_that_ends_never_takes_another_runtimes_request_with_it() {
    let app_runtime = crate::support::runtime(2);
    let server = app_runtime.block_on(MockServer::start());
    app_runtime.block_on(async {
        Mock::given(method("GET"))
            .and(path("/quick"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/slow"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"ok": true}))
                    .set_delay(Duration::from_millis(300)),
            )
            .mount(&server)
            .await;
    });
    let uri = server.uri();
    let one_worker = || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap()
    };
    // The first runtime leaves an idle connection to the app behind, and stays up.
    let first = one_worker();
    first
        .block_on(
            HttpClient::builder(&uri)
                .build()
                .unwrap()
                .get_json::<Value>("/quick", &[]),
        )
        .unwrap();
    let second = std::thread::spawn({
        let uri = uri.clone();
        move || {
            one_worker().block_on(async {
                HttpClient::builder(&uri)
                    .build()
                    .unwrap()
                    .get_json::<Value>("/slow", &[])
                    .await
                    .map_err(|e| e.to_string())
            })
        }
    });
    // The first runtime ends while the second one's request is out.
    std::thread::sleep(Duration::from_millis(100));
    drop(first);
    assert_eq!(second.join().unwrap(), Ok(json!({"ok": true})));
}
