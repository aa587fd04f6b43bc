//! [`ServeOptions`]: where `serve` listens, how it guards and limits requests.

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use crate::wire::Protocol;
use crate::wire::Secret;

/// The environment variable holding the bearer token `serve` requires (instead of
/// `--token-file`).
pub const TOKEN_ENV: &str = "CONNECTOR_SERVE_TOKEN";

/// The environment variable naming a file that holds the bearer token (what `--token-file`
/// says; a mounted Kubernetes Secret, for example).
pub const TOKEN_FILE_ENV: &str = "CONNECTOR_SERVE_TOKEN_FILE";

/// The environment variable holding `serve`'s grace period in seconds (what `--grace` says).
pub const GRACE_ENV: &str = "CONNECTOR_SERVE_GRACE";

/// `serve`'s default grace period: Kubernetes' default `terminationGracePeriodSeconds`.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(30);

/// How `<exe> serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to bind (default `127.0.0.1`).
    pub host: IpAddr,
    /// The port (default 8000; 0 picks a free one).
    pub port: u16,
    /// The bearer token every route but `/healthz` requires, if any.
    pub token: Option<Secret>,
    /// Allows a non-loopback address without a token.
    pub insecure: bool,
    /// The largest request body (default 10 MiB).
    pub max_body_bytes: usize,
    /// Requests served at once (default 64); more wait their turn.
    pub concurrency: usize,
    /// The longest a request may take (default 330 s: the call deadline plus a margin).
    pub request_timeout: Duration,
    /// How long shutdown waits for requests in flight before it stops anyway (default
    /// [`DEFAULT_GRACE`], 30 s: Kubernetes' default `terminationGracePeriodSeconds`; a pod's
    /// period should exceed it).
    pub grace: Duration,
    /// The protocol version the routes speak (default `None`: the integration's,
    /// [`crate::Integration::protocol`]).
    pub protocol: Option<Protocol>,
    /// Serves `GET /metrics` without the bearer token (for a scraper inside the cluster that
    /// cannot hold it); by default `/metrics` needs the token like every other route.
    pub metrics_public: bool,
    /// Counts requests and serves `GET /metrics` (default `true`; `--no-metrics` turns both
    /// off).
    pub metrics: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 8000,
            token: None,
            insecure: false,
            max_body_bytes: 10 * 1024 * 1024,
            concurrency: 64,
            request_timeout: crate::http::DEFAULT_DEADLINE + Duration::from_secs(30),
            grace: DEFAULT_GRACE,
            protocol: None,
            metrics_public: false,
            metrics: true,
        }
    }
}

impl ServeOptions {
    /// Reads the token from a file (trimmed), refusing an empty one.
    pub fn token_from_file(mut self, path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the token file {}: {e}", path.display()))?;
        let token = text.trim();
        if token.is_empty() {
            return Err(format!("the token file {} is empty", path.display()));
        }
        self.token = Some(Secret::from(token));
        Ok(self)
    }

    /// The token from [`TOKEN_ENV`], when set and no token was given.
    #[must_use]
    pub fn token_from_env(mut self) -> Self {
        if self.token.is_none()
            && let Ok(token) = std::env::var(TOKEN_ENV)
            && !token.trim().is_empty()
        {
            self.token = Some(Secret::from(token.trim()));
        }
        self
    }

    /// Refuses to expose the connector beyond this machine without a token.
    pub fn check(&self) -> Result<(), String> {
        if !self.host.is_loopback() && self.token.is_none() && !self.insecure {
            return Err(format!(
                "refusing to listen on {} without a bearer token: pass --token-file PATH or set \
                 {TOKEN_ENV} (or --insecure to serve without one)",
                self.host
            ));
        }
        Ok(())
    }
}
