//! The developer console: a connector's connection form, capability runner and info view in the
//! browser, served at `/` by `<exe> serve` and opened by `<exe> console`.
//!
//! Everything the page needs is embedded in the binary (HTML, CSS, JS through `include_str!`)
//! and served from this origin under a strict Content-Security-Policy ([`CSP`]): no inline
//! script or style, no request to any other origin, not framed. The page reads `/info`, renders
//! the form the platform would render from it, and calls the capabilities through the server's
//! own `POST /<capability>` routes; nothing is stored server-side.
//!
//! The page and its assets carry no data, so they are served without the bearer token; every
//! call the page makes goes through the guarded routes. The page keeps the token in memory
//! only: `<exe> console` starts a loopback server with a fresh random token and hands it over
//! in the URL's fragment (`/#token=…`), which browsers never send to a server (so it never
//! reaches an access log) and which the page removes from the address bar at once; with
//! `<exe> serve --token-file …` the page asks for the token.
//!
//! The OAuth consent runs in a popup: `get_authorization_url` with the redirect URI
//! `<origin>/console/oauth/callback`, the provider, then the callback page (static, unguarded,
//! never cached) hands the redirect URL back to the console page (`postMessage` to its opener,
//! same origin only, and a same-origin `BroadcastChannel`) and closes; the console page checks
//! the `state` it generated and calls `handle_authorization_callback`. The tokens stay in the
//! page.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;

use super::{ServeOptions, Server, eprintln_safe, server_runtime, shutdown_signal};
use crate::Integration;
use crate::capability::Connector;
use crate::wire::Secret;

/// The Content-Security-Policy of every console page and asset.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The path of the OAuth callback page, the redirect URI the console asks the provider for.
pub const OAUTH_CALLBACK_PATH: &str = "/console/oauth/callback";

/// One embedded file of the console.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static str,
}

/// Every file the console serves, by path.
const ASSETS: &[Asset] = &[
    Asset {
        path: "/",
        content_type: "text/html; charset=utf-8",
        body: include_str!("assets/index.html"),
    },
    Asset {
        path: "/console/console.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("assets/console.css"),
    },
    Asset {
        path: "/console/console.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/console.js"),
    },
    Asset {
        path: "/console/favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("assets/favicon.svg"),
    },
    Asset {
        path: OAUTH_CALLBACK_PATH,
        content_type: "text/html; charset=utf-8",
        body: include_str!("assets/callback.html"),
    },
    Asset {
        path: "/console/callback.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/callback.js"),
    },
];

/// The path of the protocol's facts about each capability, generated from the SDK's capability
/// table: `{"<capability>": {"group": "read"|"write"|"oauth", "listing": bool, "summary": …}}`.
pub const CAPABILITIES_PATH: &str = "/console/capabilities.json";

/// The path of the redaction layer's rule for which keys name secrets, which the page masks
/// by: `{"exact": [names], "parts": [parts of names], "identifiers": [names that are not]}`
/// (lower-cased, `-` and `.` read as `_`).
pub const SECRET_KEYS_PATH: &str = "/console/secret-keys.json";

/// The paths the console serves (`GET` only).
pub(super) fn paths() -> impl Iterator<Item = &'static str> {
    ASSETS
        .iter()
        .map(|asset| asset.path)
        .chain([CAPABILITIES_PATH, SECRET_KEYS_PATH])
}

/// The redaction layer's secret key words, for the page (one rule, not a copy).
fn secret_keys_json() -> String {
    serde_json::json!({
        "exact": crate::redact::SECRET_EXACT,
        "parts": crate::redact::SECRET_PARTS,
        "identifiers": crate::redact::NOT_SECRET_EXACT,
    })
    .to_string()
}

/// The console's routes: static, unguarded, `GET` only; none carries any connector's data.
pub(super) fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let capabilities = capabilities_json();
    ASSETS
        .iter()
        .fold(Router::new(), |router, asset| {
            router.route(
                asset.path,
                get(move || async move { respond(asset.content_type, Body::from(asset.body)) }),
            )
        })
        .route(
            CAPABILITIES_PATH,
            get(move || async move { respond("application/json", Body::from(capabilities)) }),
        )
        .route(
            SECRET_KEYS_PATH,
            get(move || async move { respond("application/json", Body::from(secret_keys_json())) }),
        )
}

/// What the page needs to know about every capability of the protocol, from the one table of
/// capability facts: its group (write capabilities need a confirmation, OAuth ones carry no
/// `auth`), whether it lists (a page size, a table, next page) and its summary.
fn capabilities_json() -> String {
    let facts: serde_json::Map<String, serde_json::Value> = crate::wire::CapabilityName::ALL
        .iter()
        .map(|name| {
            let facts = serde_json::json!({
                "group": name.group().as_str(),
                "listing": name.is_listing(),
                "summary": name.summary(),
                "since": name.since().as_str(),
            });
            (name.as_str().to_owned(), facts)
        })
        .collect();
    serde_json::Value::Object(facts).to_string()
}

fn respond(content_type: &'static str, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// How `<exe> console` runs.
#[derive(Debug, Clone)]
pub(crate) struct ConsoleOptions {
    /// The loopback port (0 picks a free one).
    pub(crate) port: u16,
    /// Whether to try opening a browser.
    pub(crate) open: bool,
    /// The protocol version the console's server speaks.
    pub(crate) protocol: crate::wire::Protocol,
}

/// A fresh random token: 32 bytes, hex.
fn random_token() -> std::io::Result<Secret> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| std::io::Error::other(format!("no randomness: {e}")))?;
    Ok(Secret::from(
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>(),
    ))
}

/// The server of `<exe> console`: the connector's [`Server`] on a loopback port, guarded by a
/// fresh random token that only its [`ConsoleServer::url`] carries (in the fragment).
///
/// ```
/// use connector_sdk::server::console::ConsoleServer;
/// # use connector_sdk::{EmptySettings, Integration, capability::Connector};
/// # struct Demo;
/// # impl Connector for Demo { type Settings = EmptySettings; }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let console = ConsoleServer::bind(Integration::builder(Demo, "demo", "1.0.0").build(), 0)
///     .await
///     .unwrap();
/// assert!(console.url().starts_with("http://127.0.0.1:"));
/// assert!(console.url().contains("/#token="));
/// // console.serve(shutdown).await serves it until `shutdown` resolves.
/// # });
/// ```
pub struct ConsoleServer<C: Connector> {
    server: Server<C>,
    listener: tokio::net::TcpListener,
    port: u16,
    token: Secret,
}

impl<C: Connector> std::fmt::Debug for ConsoleServer<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleServer")
            .field("origin", &self.origin())
            .finish_non_exhaustive()
    }
}

impl<C: Connector> ConsoleServer<C> {
    /// Binds `127.0.0.1:<port>` (0 picks a free port) with a fresh token.
    pub async fn bind(integration: Integration<C>, port: u16) -> std::io::Result<Self> {
        Self::bind_as(integration, port, None).await
    }

    /// [`ConsoleServer::bind`], the server speaking `protocol` (`None`: the integration's).
    pub(crate) async fn bind_as(
        integration: Integration<C>,
        port: u16,
        protocol: Option<crate::wire::Protocol>,
    ) -> std::io::Result<Self> {
        let token = random_token()?;
        let options = ServeOptions {
            port,
            token: Some(token.clone()),
            protocol,
            ..ServeOptions::default()
        };
        let listener = tokio::net::TcpListener::bind((options.host, options.port)).await?;
        let port = listener.local_addr()?.port();
        Ok(Self {
            server: Server::new(integration, options),
            listener,
            port,
            token,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The console's address with its token in the fragment:
    /// `http://127.0.0.1:<port>/#token=<token>`. Browsers never send a fragment to the server.
    pub fn url(&self) -> String {
        format!("{}/#token={}", self.origin(), self.token.expose())
    }

    /// Serves until `shutdown` resolves.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        self.server
            .serve(self.listener, shutdown, Duration::from_secs(2))
            .await
    }
}

/// Runs `<exe> console`: a loopback server with a fresh token, its URL on stderr, a browser
/// when one can be opened; until SIGTERM or SIGINT.
pub(crate) fn run<C: Connector>(integration: Integration<C>, console: &ConsoleOptions) -> u8 {
    let Some(runtime) = server_runtime() else {
        return 1;
    };
    runtime.block_on(async move {
        let server =
            match ConsoleServer::bind_as(integration, console.port, Some(console.protocol)).await {
                Ok(server) => server,
                Err(error) => {
                    eprintln_safe(&format!(
                        "error: cannot listen on 127.0.0.1:{}: {error}",
                        console.port
                    ));
                    return 1;
                }
            };
        let url = server.url();
        eprintln_safe(&format!(
            "console: {url}\n(open it in a browser; the token in the link is valid until this \
             process stops; Ctrl-C to stop)"
        ));
        if console.open {
            open_browser(&url);
        }
        match server.serve(shutdown_signal()).await {
            Ok(()) => 0,
            Err(error) => {
                eprintln_safe(&format!("error: the server failed: {error}"));
                1
            }
        }
    })
}

/// Opens `url` in the desktop's browser when there is a desktop (`open` on macOS, `xdg-open`
/// with `DISPLAY` or `WAYLAND_DISPLAY` elsewhere); failures are ignored: the URL is printed.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        Some("open")
    } else {
        let desktop = ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
        desktop.then_some("xdg-open")
    };
    let Some(opener) = opener else { return };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = spawned {
        std::thread::spawn(move || child.wait());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_and_long() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.expose().len(), 64);
        assert!(a.expose().chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a.expose(), b.expose());
    }

    #[test]
    fn the_capability_facts_come_from_the_table() {
        let facts: serde_json::Value = serde_json::from_str(&capabilities_json()).unwrap();
        let facts = facts.as_object().unwrap();
        assert_eq!(facts.len(), crate::wire::CapabilityName::ALL.len());
        for name in crate::wire::CapabilityName::ALL {
            let fact = &facts[name.as_str()];
            assert_eq!(fact["group"], name.group().as_str(), "{name}");
            assert_eq!(fact["summary"], name.summary(), "{name}");
        }
        for (name, listing) in [
            ("list_accounts", true),
            ("list_applications", true),
            ("create_account", false),
            ("get_account", false),
        ] {
            assert_eq!(facts[name]["listing"], listing, "{name}");
        }
        assert_eq!(facts["get_account"]["since"], "4");
        assert_eq!(facts["list_accounts"]["since"], "3.7.8");
    }

    #[test]
    fn every_asset_has_a_distinct_path() {
        let mut paths: Vec<_> = paths().collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), ASSETS.len() + 2);
    }

    #[test]
    fn the_secret_key_rule_is_the_redaction_layers() {
        let rule: serde_json::Value = serde_json::from_str(&secret_keys_json()).unwrap();
        assert_eq!(
            rule["exact"],
            serde_json::json!(crate::redact::SECRET_EXACT)
        );
        assert_eq!(
            rule["parts"],
            serde_json::json!(crate::redact::SECRET_PARTS)
        );
        assert!(
            rule["parts"]
                .as_array()
                .unwrap()
                .contains(&"password".into())
        );
        assert_eq!(rule["identifiers"][0], "credential_id");
    }
}
