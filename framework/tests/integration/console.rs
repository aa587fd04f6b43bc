//! The developer console without a browser: `/` and its assets over a real socket, with the
//! Content-Security-Policy and their content types; no external URL in any embedded asset; the
//! page served without the bearer token while every call it makes needs it; the console
//! server's loopback URL with its token in the fragment.

use std::path::PathBuf;

use connector_sdk::server::console::{
    CAPABILITIES_PATH, CSP, ConsoleServer, OAUTH_CALLBACK_PATH, SECRET_KEYS_PATH,
};
use connector_sdk::server::{ServeOptions, Server};
use connector_sdk::wire::Secret;

use crate::support;

/// The console's files on disk, and the path each is served at.
fn assets() -> Vec<(String, PathBuf)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/server/console/assets");
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let route = match name.as_str() {
                "index.html" => "/".to_owned(),
                "callback.html" => OAUTH_CALLBACK_PATH.to_owned(),
                other => format!("/console/{other}"),
            };
            (route, path)
        })
        .collect();
    found.sort();
    assert!(found.len() >= 5, "{found:?}");
    found
}

/// A served server with `token` on a free loopback port; its base URL.
async fn serve(token: Option<&str>) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let options = ServeOptions {
        token: token.map(Secret::from),
        ..ServeOptions::default()
    };
    let server = Server::new(support::integration(true), options);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.serve(
        listener,
        async move {
            let _ = stopped.await;
        },
        std::time::Duration::from_secs(1),
    ));
    (base, stop)
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn the_page_and_its_assets_are_served_with_a_strict_csp_and_their_content_types() {
    let runtime = crate::support::runtime(2);
    runtime.block_on(async {
        let (base, _stop) = serve(None).await;
        let client = crate::support::http().build().unwrap();
        for (route, path) in assets() {
            let response = client.get(format!("{base}{route}")).send().await.unwrap();
            assert_eq!(response.status(), 200, "{route}");
            let expected_type = match path.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("svg") => "image/svg+xml",
                other => panic!("an asset of an unexpected kind: {other:?}"),
            };
            assert_eq!(header(&response, "content-type"), expected_type, "{route}");
            assert_eq!(header(&response, "content-security-policy"), CSP, "{route}");
            assert_eq!(header(&response, "x-content-type-options"), "nosniff");
            assert_eq!(header(&response, "referrer-policy"), "no-referrer");
            let body = response.text().await.unwrap();
            let on_disk = std::fs::read_to_string(&path).unwrap();
            assert_eq!(body, on_disk, "{route} serves {}", path.display());
        }
        // The capability facts, generated from the SDK's table.
        let response = client
            .get(format!("{base}{CAPABILITIES_PATH}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "content-type"), "application/json");
        assert_eq!(header(&response, "content-security-policy"), CSP);
        let facts: serde_json::Value = response.json().await.unwrap();
        assert_eq!(facts["delete_account"]["group"], "write");
        assert_eq!(facts["list_accounts"]["listing"], true);
        assert_eq!(facts["get_authorization_url"]["group"], "oauth");
        // The redaction layer's secret key words: the page masks by them, not by a copy.
        let response = client
            .get(format!("{base}{SECRET_KEYS_PATH}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "content-security-policy"), CSP);
        let rule: serde_json::Value = response.json().await.unwrap();
        let parts = rule["parts"].as_array().unwrap();
        for part in ["password", "secret", "token", "private_key", "credential"] {
            assert!(parts.contains(&part.into()), "{part} in {rule}");
        }
        assert!(
            rule["exact"]
                .as_array()
                .unwrap()
                .contains(&"authorization".into())
        );
        assert!(
            rule["identifiers"]
                .as_array()
                .unwrap()
                .contains(&"credential_id".into())
        );
    });
    let script = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/server/console/assets/console.js"),
    )
    .unwrap();
    assert!(script.contains(SECRET_KEYS_PATH), "the page reads the rule");
    assert!(!script.contains("SECRET_KEYS"), "no copy of the key words");
    // The policy itself: this origin only, no inline script or style, never framed.
    let directives: Vec<&str> = CSP.split(';').map(str::trim).collect();
    for required in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(directives.contains(&required), "{required} in {CSP}");
    }
    assert!(!CSP.contains("unsafe"), "{CSP}");
}

#[test]
fn the_html_has_no_inline_script_or_style() {
    for (route, path) in assets() {
        if path.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let html = std::fs::read_to_string(&path).unwrap();
        let lower = html.to_ascii_lowercase();
        for (at, _) in lower.match_indices("<script") {
            let tag_end = at + lower[at..].find('>').unwrap();
            let tag = &lower[at..=tag_end];
            assert!(
                tag.contains(" src=\"/console/"),
                "{route}: inline script {tag}"
            );
            assert!(
                lower[tag_end + 1..].starts_with("</script>"),
                "{route}: a script with a body"
            );
        }
        assert!(!lower.contains("<style"), "{route}: inline <style>");
        assert!(!lower.contains(" style="), "{route}: a style attribute");
        let handlers: Vec<&str> = lower
            .match_indices(" on")
            .map(|(at, _)| &lower[at + 1..])
            .filter(|rest| {
                let name = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                name.len() + 2 < rest.len() && name.starts_with('=')
            })
            .map(|rest| rest.split('=').next().unwrap_or_default())
            .collect();
        assert!(
            handlers.is_empty(),
            "{route}: inline event handlers {handlers:?}"
        );
    }
}

/// `http://`/`https://` URLs in `text` that are neither loopback, nor `example.com`/`.org`
/// documentation, nor an XML namespace name (which is never fetched).
fn external_urls(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for scheme in ["http://", "https://"] {
        for (at, _) in text.match_indices(scheme) {
            let rest = &text[at + scheme.len()..];
            let host: String = rest
                .chars()
                .take_while(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':')
                })
                .collect();
            let host = host.split(':').next().unwrap_or_default().to_owned();
            let namespace = text[..at].ends_with("xmlns=\"") && host == "www.w3.org";
            let allowed = ["127.0.0.1", "localhost", "example.com", "example.org"]
                .contains(&host.as_str())
                || host.ends_with(".example.com")
                || namespace;
            if !allowed {
                found.push(format!("{scheme}{host}"));
            }
        }
    }
    // Protocol-relative references (`//host/…`) in attributes or CSS.
    for pattern in ["src=\"//", "href=\"//", "url(//", "url(\"//", "url('//"] {
        if text.contains(pattern) {
            found.push(pattern.to_owned());
        }
    }
    found
}

#[test]
fn no_embedded_asset_names_an_external_url() {
    for (route, path) in assets() {
        let text = std::fs::read_to_string(&path).unwrap();
        let external = external_urls(&text);
        assert!(external.is_empty(), "{route} refers to {external:?}");
    }
    // The scan finds what it must.
    assert_eq!(
        external_urls("<img src=\"https://cdn.example.net/x.png\">"),
        ["https://cdn.example.net"]
    );
    assert_eq!(external_urls("@import url(//fonts.host/f.css)"), ["url(//"]);
    assert!(external_urls("fetch('http://127.0.0.1:8000/info')").is_empty());
}

#[test]
fn with_a_token_the_page_is_served_but_every_call_needs_the_token() {
    let runtime = crate::support::runtime(2);
    runtime.block_on(async {
        let (base, _stop) = serve(Some("s3cr3t-token")).await;
        let client = crate::support::http().build().unwrap();
        for route in ["/", "/console/console.js", OAUTH_CALLBACK_PATH] {
            let response = client.get(format!("{base}{route}")).send().await.unwrap();
            assert_eq!(response.status(), 200, "{route}");
            let body = response.text().await.unwrap();
            assert!(!body.contains("s3cr3t-token"), "{route} leaks the token");
        }
        let info = client.get(format!("{base}/info")).send().await.unwrap();
        assert_eq!(info.status(), 401);
        let info = client
            .get(format!("{base}/info"))
            .bearer_auth("s3cr3t-token")
            .send()
            .await
            .unwrap();
        assert_eq!(info.status(), 200);
        let call = client
            .post(format!("{base}/list_accounts"))
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(call.status(), 401);
        // The console's routes are GET only.
        let post = client.post(format!("{base}/")).send().await.unwrap();
        assert_eq!(post.status(), 405);
    });
}

#[test]
fn the_console_server_listens_on_loopback_with_a_token_only_its_url_carries() {
    let runtime = crate::support::runtime(2);
    runtime.block_on(async {
        let console = ConsoleServer::bind(support::integration(true), 0)
            .await
            .unwrap();
        let url = console.url();
        let origin = console.origin();
        let (scheme_host, token) = url.split_once("/#token=").expect("a token in the fragment");
        assert_eq!(scheme_host, origin);
        let port: u16 = origin
            .strip_prefix("http://127.0.0.1:")
            .expect("a loopback URL")
            .parse()
            .expect("a port");
        assert_ne!(port, 0);
        assert_eq!(token.len(), 64);
        assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(
            !format!("{console:?}").contains(token),
            "Debug shows the token"
        );
        let other = ConsoleServer::bind(support::integration(true), 0)
            .await
            .unwrap();
        assert!(
            !other.url().ends_with(token),
            "every console has its own token"
        );

        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = tokio::spawn(console.serve(async move {
            let _ = stopped.await;
        }));
        let client = crate::support::http().build().unwrap();
        let page = client.get(format!("{origin}/")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert_eq!(header(&page, "content-security-policy"), CSP);
        let refused = client.get(format!("{origin}/info")).send().await.unwrap();
        assert_eq!(refused.status(), 401);
        let info = client
            .get(format!("{origin}/info"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(info.status(), 200);
        let _ = stop.send(());
        served.await.unwrap().unwrap();
    });
}
