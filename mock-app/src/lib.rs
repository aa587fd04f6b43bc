//! A mock SaaS app that behaves like a real one: a generated directory of users served over a
//! paginated, authenticated HTTP API, with optional injected faults (latency, 429s, 5xx).
//!
//! API:
//! - `GET /api/me` → `{"tenant_id": …}` (checks the credential);
//! - `GET /api/users?limit=N&after=ID` → `{"users": [...], "next": ID|null}`, ordered by id.
//!   Paging by "after this id" makes page k cost the same as page 1.
//!
//! - `GET /oauth/authorize?client_id&redirect_uri&state&scope&response_type=code` → a `302`
//!   back to `redirect_uri` with `code` and `state` (consent is automatic);
//! - `POST /oauth/token` (form; client secret in the body or HTTP Basic) for the
//!   `authorization_code`, `refresh_token` and `client_credentials` grants.
//!
//! Credentials: HTTP Basic with the configured username and password, or `Bearer <token>` with
//! a configured token or one the OAuth endpoints issued.
//!
//! ```no_run
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let app = mock_app::MockApp::start(mock_app::Config::with_users(1_000)).await.unwrap();
//! println!("listening on {}", app.url());
//! # });
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// How the app is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Number of generated users.
    pub users: usize,
    /// The Basic credential it accepts.
    pub username: String,
    /// The Basic credential's password.
    pub password: String,
    /// Bearer tokens it accepts.
    pub tokens: Vec<String>,
    /// Delay added to every answer.
    pub latency: Duration,
    /// Answer every n-th request with 429 (and `Retry-After: 1`); 0 for never.
    pub rate_limit_every: u64,
    /// Answer every n-th request with 503; 0 for never.
    pub error_every: u64,
    /// The largest page it serves.
    pub max_page_size: usize,
    /// The OAuth client it knows.
    pub client_id: String,
    /// That client's secret.
    pub client_secret: String,
}

impl Config {
    /// `users` users, credential `foo`/`bar`, token `mock-token`, no faults.
    pub fn with_users(users: usize) -> Self {
        Self {
            users,
            username: "foo".to_owned(),
            password: "bar".to_owned(),
            tokens: vec!["mock-token".to_owned()],
            latency: Duration::ZERO,
            rate_limit_every: 0,
            error_every: 0,
            max_page_size: 1_000,
            client_id: "mock-client".to_owned(),
            client_secret: "mock-client-secret".to_owned(),
        }
    }
}

/// A user of the app.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct User {
    /// Stable id, ordered: `u-0000001`.
    pub id: String,
    /// Email address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Login.
    pub username: String,
    /// `active` or `suspended`.
    pub status: String,
}

/// The id of the n-th generated user.
pub fn user_id(n: usize) -> String {
    format!("u-{n:07}")
}

fn generate(n: usize) -> BTreeMap<String, User> {
    const FIRST: &[&str] = &["Ann", "Bob", "Cleo", "Dev", "Eve", "Finn", "Gus", "Hana"];
    const LAST: &[&str] = &["Lee", "Ng", "Okafor", "Patel", "Quinn", "Rossi", "Silva"];
    (1..=n)
        .map(|i| {
            let first = FIRST[i % FIRST.len()];
            let last = LAST[i % LAST.len()];
            let username = format!("{}.{}{i}", first.to_lowercase(), last.to_lowercase());
            let user = User {
                id: user_id(i),
                email: format!("{username}@example.com"),
                first_name: first.to_owned(),
                last_name: last.to_owned(),
                username,
                status: if i % 10 == 0 { "suspended" } else { "active" }.to_owned(),
            };
            (user.id.clone(), user)
        })
        .collect()
}

#[derive(Default)]
struct OAuthState {
    /// Issued authorization codes → the redirect URI they were issued for.
    codes: HashMap<String, String>,
    access_tokens: HashSet<String>,
    refresh_tokens: HashSet<String>,
}

struct AppState {
    config: Config,
    users: BTreeMap<String, User>,
    requests: AtomicU64,
    issued: AtomicU64,
    oauth: Mutex<OAuthState>,
}

impl AppState {
    fn token(&self, kind: &str) -> String {
        format!("{kind}-{}", self.issued.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn oauth(&self) -> std::sync::MutexGuard<'_, OAuthState> {
        self.oauth.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running app.
#[derive(Debug)]
pub struct MockApp {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl MockApp {
    /// Starts the app on a free loopback port.
    pub async fn start(config: Config) -> std::io::Result<Self> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts the app on `addr`.
    pub async fn start_on(config: Config, addr: SocketAddr) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let app = router(config);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { addr, task })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits until the server stops (never, unless it fails).
    pub async fn wait(mut self) {
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        let _ = task.await;
    }
}

impl Drop for MockApp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The app's routes over a freshly generated data set.
pub fn router(config: Config) -> Router {
    let state = Arc::new(AppState {
        users: generate(config.users),
        config,
        requests: AtomicU64::new(0),
        issued: AtomicU64::new(0),
        oauth: Mutex::new(OAuthState::default()),
    });
    Router::new()
        .route("/api/me", get(me))
        .route("/api/users", get(users))
        .route("/oauth/authorize", get(authorize))
        .route("/oauth/token", axum::routing::post(token))
        .with_state(state)
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": {"message": message}}))).into_response()
}

/// Checks the credential and applies the configured faults.
async fn gate(state: &AppState, headers: &HeaderMap) -> Result<(), Response> {
    let n = state.requests.fetch_add(1, Ordering::Relaxed) + 1;
    if !state.config.latency.is_zero() {
        tokio::time::sleep(state.config.latency).await;
    }
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let authorized = if let Some(basic) = auth.strip_prefix("Basic ") {
        let expected = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            state.config.username, state.config.password
        ));
        basic == expected
    } else if let Some(token) = auth.strip_prefix("Bearer ") {
        state.config.tokens.iter().any(|t| t == token)
            || state.oauth().access_tokens.contains(token)
    } else {
        false
    };
    if !authorized {
        return Err(error(StatusCode::UNAUTHORIZED, "invalid credentials"));
    }
    if state.config.rate_limit_every > 0 && n.is_multiple_of(state.config.rate_limit_every) {
        let mut response = error(StatusCode::TOO_MANY_REQUESTS, "slow down");
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        return Err(response);
    }
    if state.config.error_every > 0 && n.is_multiple_of(state.config.error_every) {
        return Err(error(StatusCode::SERVICE_UNAVAILABLE, "try again later"));
    }
    Ok(())
}

async fn me(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Err(response) = gate(&state, &headers).await {
        return response;
    }
    Json(json!({"tenant_id": "mock-app-tenant"})).into_response()
}

#[derive(Deserialize)]
struct UsersQuery {
    limit: Option<usize>,
    after: Option<String>,
}

async fn users(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<UsersQuery>,
) -> Response {
    if let Err(response) = gate(&state, &headers).await {
        return response;
    }
    let limit = query
        .limit
        .unwrap_or(100)
        .clamp(1, state.config.max_page_size);
    let range = match &query.after {
        Some(after) => state
            .users
            .range::<String, _>((std::ops::Bound::Excluded(after), std::ops::Bound::Unbounded)),
        None => state.users.range::<String, _>(..),
    };
    let page: Vec<&User> = range.take(limit + 1).map(|(_, u)| u).collect();
    let more = page.len() > limit;
    let page = &page[..page.len().min(limit)];
    let next = if more {
        page.last().map(|u| u.id.clone())
    } else {
        None
    };
    Json(json!({"users": page, "next": next})).into_response()
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    client_id: String,
    redirect_uri: String,
    #[serde(default)]
    state: Option<String>,
    response_type: String,
}

async fn authorize(
    State(state): State<Arc<AppState>>,
    Query(query): Query<AuthorizeQuery>,
) -> Response {
    if query.client_id != state.config.client_id || query.response_type != "code" {
        return error(StatusCode::BAD_REQUEST, "unknown client or response type");
    }
    let code = state.token("code");
    state
        .oauth()
        .codes
        .insert(code.clone(), query.redirect_uri.clone());
    let mut location = match url_with(&query.redirect_uri, &[("code", &code)]) {
        Some(location) => location,
        None => return error(StatusCode::BAD_REQUEST, "redirect_uri is not a URL"),
    };
    if let Some(st) = &query.state {
        location = url_with(&location, &[("state", st)]).unwrap_or(location);
    }
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

/// `url` with query parameters appended.
fn url_with(url: &str, pairs: &[(&str, &str)]) -> Option<String> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    if !base.contains("://") {
        return None;
    }
    let mut parts: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    for (key, value) in pairs {
        parts.push(format!("{key}={}", encode(value)));
    }
    Some(format!("{base}?{}", parts.join("&")))
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn oauth_error(status: StatusCode, code: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": code, "error_description": description})),
    )
        .into_response()
}

async fn token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let (client_id, client_secret) =
        match (&basic, form.get("client_id"), form.get("client_secret")) {
            (Some(pair), _, _) => match pair.split_once(':') {
                Some((id, secret)) => (id.to_owned(), secret.to_owned()),
                None => (String::new(), String::new()),
            },
            (None, Some(id), Some(secret)) => (id.clone(), secret.clone()),
            _ => (String::new(), String::new()),
        };
    if client_id != state.config.client_id || client_secret != state.config.client_secret {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client or wrong secret",
        );
    }
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let with_refresh = match field("grant_type").as_str() {
        "authorization_code" => {
            let issued_for = state.oauth().codes.remove(&field("code"));
            match issued_for {
                Some(redirect)
                    if redirect.split('?').next() == Some(field("redirect_uri").as_str()) =>
                {
                    true
                }
                Some(_) => {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "redirect_uri mismatch",
                    );
                }
                None => {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "unknown or used code",
                    );
                }
            }
        }
        "refresh_token" => {
            if !state
                .oauth()
                .refresh_tokens
                .contains(&field("refresh_token"))
            {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown refresh token",
                );
            }
            false
        }
        "client_credentials" => false,
        other => return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", other),
    };
    let access = state.token("at");
    let mut body = json!({"access_token": access, "token_type": "Bearer", "expires_in": 3600});
    let mut oauth = state.oauth();
    oauth.access_tokens.insert(access);
    if with_refresh {
        let refresh = state.token("rt");
        oauth.refresh_tokens.insert(refresh.clone());
        body["refresh_token"] = json!(refresh);
    }
    Json(body).into_response()
}
