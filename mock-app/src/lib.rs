//! A mock SaaS app that behaves like a real one: a generated directory of users and groups
//! with real, mutable state, served over a paginated, authenticated HTTP API, with optional
//! injected faults: latency, 429s, 5xx, and [`Fault`]s in the data it serves (ids repeated
//! across pages, a member who is not a user, a cursor loop, an answer longer than asked).
//!
//! API (JSON; errors are `{"error": {"message": …}}` with 400 for bad input, 401 for a bad
//! credential, 404 for an unknown user, group, role or route, 409 for a duplicate):
//! - `GET /api/me` → `{"tenant_id": …}` (checks the credential);
//! - `GET /api/users?limit=N&after=ID` → `{"users": [...], "next": ID|null}`, ordered by id.
//!   Paging by "after this id" makes page k cost the same as page 1. Users carry the custom
//!   attributes `department` and `manager`;
//! - `POST /api/users` (`{"email", "username"?, "first_name"?, "last_name"?, "status"?,
//!   "department"?, "manager"?}`) → `201` and the user; `GET` / `DELETE /api/users/{id}`;
//! - `POST /api/users/{id}/activate` and `/deactivate` → the user (`active` / `suspended`);
//! - `GET /api/users/{id}/last-activity` → `{"user_id", "last_activity": ISO 8601|null}`, and
//!   the batch form `GET /api/last-activity?ids=ID,ID` → `{"activity": [...]}` (at most
//!   [`MAX_ACTIVITY_BATCH`] ids; an unknown id is a 404);
//! - `GET /api/groups?limit&after` → `{"groups": [{"id", "name", "description"}], "next"}`;
//!   `GET /api/groups/{gid}/members?limit&after` → `{"members": [user ids], "next"}`;
//! - `GET /api/memberships?limit&after` → `{"memberships": [{"group_id", "user_id"}], "next"}`,
//!   by group then user; the cursor is the last membership (`g-001:u-0000042`), so it works
//!   across processes;
//! - `PUT` / `DELETE /api/groups/{gid}/members/{uid}` → `{"group_id", "user_id", "member",
//!   "changed"}`, idempotent;
//! - `GET /api/roles?limit&after` (the one role, `admin`), `GET /api/roles/admin/members?limit&after`,
//!   `PUT` / `DELETE /api/roles/admin/members/{uid}` (idempotent);
//! - `GET /api/custom-attributes` → `{"attributes": [{"name", "type", "description"}]}`;
//! - protocol 4's extras: `PATCH /api/users/{id}`, `GET /api/users?updated_since=`,
//!   `GET /api/users/{id}/memberships`, `POST /api/users/{id}/{transfer,release,downgrade}`,
//!   `GET /api/data-recency`, `/api/activity`, `/api/app-activity`, applications
//!   (`/api/apps`, `/api/app-assignments`, `/api/app-resources`, `/api/app-entitlements`,
//!   `/api/app-grants`, `PUT`/`DELETE /api/apps/{app}/users/{user}` and
//!   `…/resources/{resource}/entitlements/{entitlement}/users/{user}`), `/api/service-accounts`,
//!   `/api/credentials`, `/api/expenses?from&to`, `/api/group-tree`, `/api/role-implications`
//!   (see each module's docs);
//! - `GET /oauth/authorize?client_id&redirect_uri&state&scope&response_type=code` → a `302`
//!   back to `redirect_uri` with `code` and `state` (consent is automatic);
//! - `POST /oauth/token` (form; client secret in the body or HTTP Basic) for the
//!   `authorization_code`, `refresh_token` and `client_credentials` grants.
//!
//! Credentials: HTTP Basic with the configured username and password, or `Bearer <token>` with
//! a configured token or one the OAuth endpoints issued.
//!
//! The generated data set is a pure function of the configuration: see [`user_id`],
//! [`groups_of`], [`is_admin`], [`last_activity`], [`department`], [`manager`], [`license`],
//! [`assigned_apps`], [`service_account_owner`], [`submits_expense`] and [`parent_group`].
//!
//! ```no_run
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let config = mock_app::Config::with_users(1_000).groups(20);
//! let app = mock_app::MockApp::start(config).await.unwrap();
//! println!("listening on {}", app.url());
//! # });
//! ```

mod activity;
mod api;
mod apps;
mod data;
mod fault;
mod graph;
mod nhi;
mod oauth;
mod offboarding;
mod ratelimit;
mod routes4;
mod spend;
mod time;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router, middleware};
use serde_json::json;

pub use activity::LOGINS_PER_USER;
pub use api::MAX_ACTIVITY_BATCH;
pub use apps::{
    APP_ENTITLEMENTS, APP_NAMES, WORKSPACE, app_admin, app_id, assigned_apps, workspace_id,
};
pub use data::{
    ADMIN_ROLE, DEPARTMENTS, Group, LICENSES, Membership, Role, User, department, group_id,
    group_name, groups_of, is_admin, last_activity, license, manager, modified_at, user_id,
};
pub use fault::{Fault, PHANTOM_MEMBER, UnknownFault};
pub use graph::{parent_group, workspace_group};
pub use nhi::{has_personal_key, service_account_count, service_account_id, service_account_owner};
pub use ratelimit::{HeaderStyle, RateLimitPolicy, RateLimitStats};
pub use spend::{expense_id, submits_expense};

/// How the app is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Number of generated users.
    pub users: usize,
    /// Number of generated groups.
    pub groups: usize,
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
    /// Faults in the data it serves (none by default): see [`Fault`].
    pub faults: BTreeSet<Fault>,
    /// A real rate limit on `/api/*`: a token bucket per credential (none by default).
    pub rate_limit: Option<RateLimitPolicy>,
    /// How the rate limit is announced (IETF headers by default).
    pub rate_limit_headers: HeaderStyle,
}

impl Config {
    /// The number of groups [`Config::with_users`] generates.
    pub const DEFAULT_GROUPS: usize = 10;

    /// `users` users in [`Config::DEFAULT_GROUPS`] groups, credential `foo`/`bar`, token
    /// `mock-token`, no faults.
    pub fn with_users(users: usize) -> Self {
        Self {
            users,
            groups: Self::DEFAULT_GROUPS,
            username: "foo".to_owned(),
            password: "bar".to_owned(),
            tokens: vec!["mock-token".to_owned()],
            latency: Duration::ZERO,
            rate_limit_every: 0,
            error_every: 0,
            max_page_size: 1_000,
            client_id: "mock-client".to_owned(),
            client_secret: "mock-client-secret".to_owned(),
            faults: BTreeSet::new(),
            rate_limit: None,
            rate_limit_headers: HeaderStyle::default(),
        }
    }

    /// The same, with `groups` groups.
    #[must_use]
    pub fn groups(mut self, groups: usize) -> Self {
        self.groups = groups;
        self
    }

    /// The same, with `fault` switched on (in addition to any others).
    #[must_use]
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.insert(fault);
        self
    }

    /// Whether `fault` is switched on.
    pub fn has_fault(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }
}

struct AppState {
    config: Config,
    data: Mutex<data::Data>,
    requests: AtomicU64,
    issued: AtomicU64,
    oauth: Mutex<oauth::OAuthState>,
}

impl AppState {
    fn next_request(&self) -> u64 {
        self.requests.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn token(&self, kind: &str) -> String {
        format!("{kind}-{}", self.issued.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn oauth(&self) -> MutexGuard<'_, oauth::OAuthState> {
        self.oauth.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn data(&self) -> MutexGuard<'_, data::Data> {
        self.data.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running app.
#[derive(Debug)]
pub struct MockApp {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
    rate_limit: Option<Arc<RateLimitStats>>,
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
        let (app, rate_limit) = router_with_stats(config);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            addr,
            task,
            rate_limit,
        })
    }

    /// What the rate-limit policy did, when the app has one.
    pub fn rate_limit_stats(&self) -> Option<&RateLimitStats> {
        self.rate_limit.as_deref()
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
    router_with_stats(config).0
}

/// The routes, and the rate-limit policy's counters when there is one.
fn router_with_stats(config: Config) -> (Router, Option<Arc<RateLimitStats>>) {
    let limits = config
        .rate_limit
        .map(|policy| Arc::new(ratelimit::Limits::new(policy, config.rate_limit_headers)));
    let state = Arc::new(AppState {
        data: Mutex::new(data::Data::generate(config.users, config.groups)),
        config,
        requests: AtomicU64::new(0),
        issued: AtomicU64::new(0),
        oauth: Mutex::new(oauth::OAuthState::default()),
    });
    let api = Router::new()
        .route("/api/me", get(api::me))
        .route("/api/users", get(api::list_users).post(api::create_user))
        .route(
            "/api/users/{id}",
            get(api::get_user)
                .delete(api::delete_user)
                .patch(api::patch_user),
        )
        .route("/api/users/{id}/activate", post(api::activate))
        .route("/api/users/{id}/deactivate", post(api::deactivate))
        .route(
            "/api/users/{id}/last-activity",
            get(api::user_last_activity),
        )
        .route("/api/last-activity", get(api::last_activity))
        .route("/api/groups", get(api::list_groups))
        .route("/api/groups/{id}/members", get(api::group_members))
        .route(
            "/api/groups/{id}/members/{user}",
            put(api::add_group_member).delete(api::remove_group_member),
        )
        .route("/api/memberships", get(api::memberships))
        .route("/api/roles", get(api::list_roles))
        .route("/api/roles/{id}/members", get(api::role_members))
        .route(
            "/api/roles/{id}/members/{user}",
            put(api::add_role_member).delete(api::remove_role_member),
        )
        .route("/api/custom-attributes", get(api::custom_attributes))
        .merge(routes4::routes())
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            api::gate,
        ));
    let stats = limits.as_ref().map(|limits| Arc::clone(&limits.stats));
    let api = match limits {
        Some(limits) => api.route_layer(middleware::from_fn_with_state(limits, ratelimit::enforce)),
        None => api,
    };
    let router = Router::new()
        .merge(api)
        .route("/oauth/authorize", get(oauth::authorize))
        .route("/oauth/token", post(oauth::token))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such endpoint") })
        .method_not_allowed_fallback(|| async {
            error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed here")
        })
        .with_state(state);
    (router, stats)
}

/// `{"error": {"message": …}}` with a status.
fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": {"message": message}}))).into_response()
}
