//! The client's rate limiter: one per app origin, credential and limiter id in the process,
//! fed by the app's rate-limit headers (or the connector's declared rate when the app sends
//! none), seeded by the platform's `last_known_state` and reported back as `current_state`
//! (protocol 4).
//!
//! See the README's "Rate limits" section for the modes, the headers understood and budgets.

mod headers;
mod state;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use http::{HeaderMap, HeaderName, HeaderValue};
use sha2::Digest;

pub(crate) use headers::MAX_RESET;
pub use headers::RateLimitHeaders;
use state::Limiter;

use crate::ConnectorError;
use crate::wire::{
    CapabilityGroup, CapabilityName, RateLimitMode, RateLimitRequestInfo, RateLimitResponseInfo,
    RateLimitStateSnapshot,
};

/// The headers of an app's answer, for a connector's own [`RateLimit::extractor`].
#[derive(Debug, Clone, Copy)]
pub struct AppHeaders<'a>(&'a HeaderMap);

impl AppHeaders<'_> {
    /// A header's value, when present and text (names are case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.to_str().ok())
    }
}

type Extractor = Arc<dyn Fn(&AppHeaders<'_>) -> Option<RateLimitHeaders> + Send + Sync>;

/// How a client paces itself against the app's rate limit.
///
/// Every client has one: by default [`RateLimit::adaptive`], which paces by the app's
/// rate-limit headers as soon as it sees them (and does nothing while it has seen none). A
/// connector whose app sends no headers declares the app's documented limit with
/// [`RateLimit::fixed`]; the headers still take over if the app sends them.
///
/// The mode of a call (see [`RateLimitMode`]) is the caller's `caller_override_mode` when it
/// gives one, else the capability's ([`RateLimit::capability_mode`]), else the limiter's
/// ([`RateLimit::mode`]), else `enforce` for reads and `retry_only` for writes.
///
/// ```
/// use std::time::Duration;
/// use connector_sdk::http::{HttpClient, RateLimit};
/// use connector_sdk::wire::{CapabilityName, RateLimitMode};
///
/// // The app allows 20 requests a second, 10 at once, 4 in parallel.
/// let limit = RateLimit::fixed(20, Duration::from_secs(1))
///     .burst(10)
///     .max_concurrency(4)
///     .id("example-api")
///     .capability_mode(CapabilityName::ListAccounts, RateLimitMode::Enforce);
/// let client = HttpClient::builder("https://api.example.com")
///     .rate_limit(limit)
///     .build()
///     .unwrap();
/// # let _ = client;
/// ```
#[derive(Clone, Default)]
pub struct RateLimit {
    id: Option<String>,
    fixed: Option<(u64, Duration, Option<u64>)>,
    concurrency: Option<usize>,
    mode: Option<RateLimitMode>,
    modes: Vec<(CapabilityName, RateLimitMode)>,
    extractor: Option<Extractor>,
}

impl fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimit")
            .field("id", &self.id)
            .field("fixed", &self.fixed)
            .field("concurrency", &self.concurrency)
            .field("mode", &self.mode)
            .field("modes", &self.modes)
            .field("extractor", &self.extractor.is_some())
            .finish()
    }
}

impl RateLimit {
    /// Paces by the app's rate-limit headers (the default).
    pub fn adaptive() -> Self {
        Self::default()
    }

    /// Paces at `requests` per `per` (the app's documented limit) until the app's headers say
    /// otherwise; `requests` may go at once unless [`RateLimit::burst`] says fewer.
    pub fn fixed(requests: u32, per: Duration) -> Self {
        Self {
            fixed: Some((
                u64::from(requests.max(1)),
                per.max(Duration::from_millis(1)),
                None,
            )),
            ..Self::default()
        }
    }

    /// How many requests of a [`RateLimit::fixed`] rate may go at once.
    #[must_use]
    pub fn burst(mut self, burst: u32) -> Self {
        if let Some((_, _, b)) = &mut self.fixed {
            *b = Some(u64::from(burst.max(1)));
        }
        self
    }

    /// At most `n` requests of this limiter in flight at once.
    #[must_use]
    pub fn max_concurrency(mut self, n: usize) -> Self {
        self.concurrency = Some(n.max(1));
        self
    }

    /// The limiter's id in `last_known_state` / `current_state` (default: the app's host and
    /// port).
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The mode of every capability, unless the caller overrides it.
    #[must_use]
    pub fn mode(mut self, mode: RateLimitMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// The mode of one capability, unless the caller overrides it.
    #[must_use]
    pub fn capability_mode(mut self, capability: CapabilityName, mode: RateLimitMode) -> Self {
        self.modes.push((capability, mode));
        self
    }

    /// Reads the app's rate-limit state the connector's way, for apps whose headers none of
    /// the known styles match. When it returns `None`, the known styles are tried.
    ///
    /// ```
    /// use connector_sdk::http::{RateLimit, RateLimitHeaders};
    ///
    /// // Shopify: `X-Shopify-Shop-Api-Call-Limit: 32/40` (used/limit).
    /// let limit = RateLimit::adaptive().extractor(|headers| {
    ///     let (used, limit) = headers.get("x-shopify-shop-api-call-limit")?.split_once('/')?;
    ///     let (used, limit): (u64, u64) = (used.trim().parse().ok()?, limit.trim().parse().ok()?);
    ///     Some(RateLimitHeaders {
    ///         limit: Some(limit),
    ///         remaining: Some(limit.saturating_sub(used)),
    ///         ..Default::default()
    ///     })
    /// });
    /// # let _ = limit;
    /// ```
    #[must_use]
    pub fn extractor(
        mut self,
        extract: impl Fn(&AppHeaders<'_>) -> Option<RateLimitHeaders> + Send + Sync + 'static,
    ) -> Self {
        self.extractor = Some(Arc::new(extract));
        self
    }

    /// The mode for a call, by precedence.
    fn mode_for(&self, call: Option<&CallLimits>) -> RateLimitMode {
        if let Some(mode) = call.and_then(|c| c.caller_mode) {
            return mode;
        }
        let capability = call.and_then(|c| c.capability);
        if let Some((_, mode)) = self
            .modes
            .iter()
            .rev()
            .find(|(name, _)| Some(*name) == capability)
        {
            return *mode;
        }
        if let Some(mode) = self.mode {
            return mode;
        }
        match capability.map(CapabilityName::group) {
            None | Some(CapabilityGroup::Read) => RateLimitMode::Enforce,
            Some(_) => RateLimitMode::RetryOnly,
        }
    }
}

/// What one capability call knows about rate limits: the caller's `rate_limit`, and the
/// limiters its clients used (reported back as `current_state`).
#[derive(Debug, Default)]
pub(crate) struct CallLimits {
    caller_mode: Option<RateLimitMode>,
    capability: Option<CapabilityName>,
    seeds: BTreeMap<String, RateLimitStateSnapshot>,
    /// When the call arrived: the platform's last known state is at least this old, so the
    /// budget has refilled since at least then.
    received: Option<Instant>,
    /// Whether the caller gave `max_execution_time` (waits past it are `budget_exhausted`).
    budget_given: bool,
    used: Mutex<BTreeMap<String, Arc<Limiter>>>,
}

impl CallLimits {
    pub(crate) fn new(
        capability: Option<CapabilityName>,
        request: Option<&RateLimitRequestInfo>,
        received: Instant,
    ) -> Self {
        Self {
            caller_mode: request.and_then(|r| r.caller_override_mode),
            capability,
            seeds: request
                .and_then(|r| r.last_known_state.clone())
                .unwrap_or_default(),
            received: Some(received),
            budget_given: request.is_some_and(|r| r.max_execution_time.is_some()),
            used: Mutex::new(BTreeMap::new()),
        }
    }

    /// The call's `rate_limit.current_state`, when a limiter it used knows anything.
    pub(crate) fn response_info(&self) -> Option<RateLimitResponseInfo> {
        let used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        let state: BTreeMap<String, RateLimitStateSnapshot> = used
            .iter()
            .filter_map(|(id, limiter)| Some((id.clone(), limiter.snapshot()?)))
            .collect();
        (!state.is_empty()).then_some(RateLimitResponseInfo {
            current_state: Some(state),
        })
    }
}

tokio::task_local! {
    /// When the call being run arrived: the start of the CLI process's `run`, or the moment
    /// `serve` accepted the request.
    static RECEIVED: Instant;
}

/// Runs `call`, which arrived at `at` (whatever its request says is at least that old).
pub(crate) async fn received_at<F: std::future::Future>(at: Instant, call: F) -> F::Output {
    RECEIVED.scope(at, call).await
}

/// When the call being run arrived, as its runner said (else now).
pub(crate) fn call_received() -> Instant {
    RECEIVED
        .try_with(|at| *at)
        .unwrap_or_else(|_| Instant::now())
}

/// The time budget a caller's `max_execution_time` leaves, as connector-py 4.x counts it:
/// the value minus 10 s.
pub(crate) fn execution_budget(max_execution_time: i64) -> Duration {
    Duration::from_secs(u64::try_from(max_execution_time.saturating_sub(10)).unwrap_or(0))
}

/// Limiters by app origin, credential fingerprint and id: one per process.
type Key = (String, String, String);
static LIMITERS: OnceLock<Mutex<HashMap<Key, Arc<Limiter>>>> = OnceLock::new();
/// Beyond this many limiters, unused ones are dropped (a server sees many credentials).
const MAX_LIMITERS: usize = 10_000;

fn limiter(key: Key, config: &RateLimit) -> Arc<Limiter> {
    let map = LIMITERS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(limiter) = map.get(&key) {
        return Arc::clone(limiter);
    }
    if map.len() >= MAX_LIMITERS {
        map.retain(|_, limiter| Arc::strong_count(limiter) > 1);
    }
    let fixed = config.fixed.map(|(requests, per, burst)| {
        let rate = requests as f64 / per.as_secs_f64();
        (rate, burst.unwrap_or(requests) as f64, requests, per)
    });
    let limiter = Arc::new(Limiter::new(key.2.clone(), fixed, config.concurrency));
    map.insert(key, Arc::clone(&limiter));
    limiter
}

/// A client's limiter and the mode of its call.
pub(crate) struct Gate {
    limiter: Arc<Limiter>,
    mode: RateLimitMode,
    budget_given: bool,
    extractor: Option<Extractor>,
}

impl fmt::Debug for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gate")
            .field("limiter", &self.limiter.id)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

/// The gate of a client being built: `None` in `bypass` mode.
pub(crate) fn gate(
    config: &RateLimit,
    call: Option<&Arc<CallLimits>>,
    base: &url::Url,
    credentials: &[(HeaderName, HeaderValue)],
) -> Option<Gate> {
    let mode = config.mode_for(call.map(Arc::as_ref));
    if mode == RateLimitMode::Bypass {
        return None;
    }
    let id = config.id.clone().unwrap_or_else(|| {
        let host = base.host_str().unwrap_or("app");
        base.port()
            .map_or_else(|| host.to_owned(), |port| format!("{host}:{port}"))
    });
    let mut hash = sha2::Sha256::new();
    for (name, value) in credentials {
        hash.update(name.as_str().as_bytes());
        hash.update([0]);
        hash.update(value.as_bytes());
        hash.update([0]);
    }
    let fingerprint: String = hash.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let key = (base.origin().ascii_serialization(), fingerprint, id.clone());
    let limiter = limiter(key, config);
    if let Some(call) = call {
        if let Some(seed) = call.seeds.get(&id) {
            limiter.seed(seed, call.received.unwrap_or_else(Instant::now));
        }
        call.used
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, Arc::clone(&limiter));
    }
    Some(Gate {
        limiter,
        mode,
        budget_given: call.is_some_and(|c| c.budget_given),
        extractor: config.extractor.clone(),
    })
}

/// A request's place with the limiter, from before it is sent until it is answered.
#[derive(Debug)]
pub(crate) struct Ticket {
    limiter: Arc<Limiter>,
    seq: u64,
    completed_before: u64,
    started: Instant,
    open: bool,
    _permit: Option<tokio::sync::OwnedSemaphorePermit>,
    _probe: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if self.open {
            self.limiter.answered(
                self.seq,
                self.completed_before,
                None,
                self.started.elapsed(),
            );
        }
    }
}

/// `budget_exhausted`, with when to come back (raised by and hinted as connector-py 4.x does).
pub(crate) fn exhausted(message: String, retry_after: Duration) -> ConnectorError {
    ConnectorError::budget_exhausted(message)
        .with_retry_after_seconds(whole_seconds(retry_after))
        .with_hint("Please retry the request.")
        .with_raised_by("BudgetExhaustedError".to_owned())
}

/// Seconds for `retry_after_seconds`: rounded up, capped at a day.
pub(crate) fn whole_seconds(wait: Duration) -> u64 {
    let wait = wait.min(MAX_RESET);
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// Logs a wait: pacing at info, a throttled credential's hold at warning.
fn log_wait(limiter: &str, wait: Duration, reason: state::WaitReason) {
    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
    if wait_ms == 0 {
        return;
    }
    // Inside `serve`: the request's access-log record says it too.
    if let Some(scope) = crate::trace::current() {
        scope.waited.add(wait_ms, reason.as_str());
    }
    match reason {
        state::WaitReason::Pacing => {
            tracing::info!(%limiter, wait_ms, reason = reason.as_str(), "rate limit wait");
        }
        state::WaitReason::Throttled => {
            tracing::warn!(%limiter, wait_ms, reason = reason.as_str(), "rate limit wait");
        }
    }
}

impl Gate {
    /// Whether throttled requests are retried at all (`enforce_no_retry` never does).
    pub(crate) fn retries(&self) -> bool {
        self.mode != RateLimitMode::EnforceNoRetry
    }

    /// Whether the caller bounded the call with `max_execution_time`.
    pub(crate) fn budget_given(&self) -> bool {
        self.budget_given
    }

    /// Waits for the request's slot, or fails with `budget_exhausted` at once when the slot
    /// comes later than `left` allows.
    pub(crate) async fn admit(&self, left: Duration) -> Result<Ticket, ConnectorError> {
        if self.budget_given && left.is_zero() {
            return Err(exhausted(
                "Execution deadline exceeded".to_owned(),
                Duration::ZERO,
            ));
        }
        let permit = match &self.limiter.concurrency {
            None => None,
            Some(semaphore) => {
                let acquire = Arc::clone(semaphore).acquire_owned();
                match tokio::time::timeout(left, acquire).await {
                    Ok(Ok(permit)) => Some(permit),
                    _ => {
                        return Err(exhausted(
                            format!(
                                "Rate limit: no free slot among the limiter's concurrent \
                                 requests within the call's {} left",
                                super::error::seconds_text(left)
                            ),
                            Duration::from_secs(1),
                        ));
                    }
                }
            }
        };
        // A limiter that has never heard from the app sends one request first: its answer
        // says what the budget is, before a crowd of requests finds out with 429s.
        let end = Instant::now() + left;
        let probe = if self.limiter.has_answered() {
            None
        } else {
            let lock = Arc::clone(&self.limiter.probe).lock_owned();
            match tokio::time::timeout(left, lock).await {
                Ok(guard) if !self.limiter.has_answered() => Some(guard),
                Ok(_) => None,
                Err(_) => {
                    return Err(exhausted(
                        "Rate limit: the first request to the app did not answer within the \
                         call's deadline"
                            .to_owned(),
                        Duration::from_secs(1),
                    ));
                }
            }
        };
        let paces = matches!(
            self.mode,
            RateLimitMode::Enforce | RateLimitMode::EnforceNoRetry
        );
        let mut waited = Duration::ZERO;
        let mut why = state::WaitReason::Pacing;
        let seq = loop {
            match self.limiter.try_take(paces) {
                Ok(seq) => break seq,
                Err((wait, reason)) => {
                    let left = end.saturating_duration_since(Instant::now());
                    // The wait must leave time for the request itself.
                    let margin = (self.limiter.last_exchange() * 2)
                        .clamp(Duration::from_millis(10), Duration::from_secs(2));
                    if wait.saturating_add(margin) > left {
                        return Err(exhausted(
                            format!(
                                "Rate limit sleep of {} would exceed caller deadline ({} left)",
                                super::error::seconds_text(wait),
                                super::error::seconds_text(left)
                            ),
                            wait,
                        ));
                    }
                    why = reason;
                    // Asked again after the wait: answers meanwhile may have moved the slot.
                    let nap = wait.max(Duration::from_millis(1));
                    waited = waited.saturating_add(nap);
                    tokio::time::sleep(nap).await;
                }
            }
        };
        if !waited.is_zero() {
            log_wait(&self.limiter.id, waited, why);
        }
        let completed_before = self.limiter.sent();
        Ok(Ticket {
            limiter: Arc::clone(&self.limiter),
            seq,
            completed_before,
            started: Instant::now(),
            open: true,
            _permit: permit,
            _probe: probe,
        })
    }

    /// The request's answer: what its headers say about the budget.
    pub(crate) fn answered(&self, mut ticket: Ticket, headers: &HeaderMap) {
        ticket.open = false;
        let view = AppHeaders(headers);
        let seen = self
            .extractor
            .as_ref()
            .and_then(|extract| extract(&view))
            .or_else(|| headers::parse(headers, SystemTime::now()));
        self.limiter.answered(
            ticket.seq,
            ticket.completed_before,
            seen.as_ref(),
            ticket.started.elapsed(),
        );
    }

    /// The app throttled a request and wants `wait` before the next one; every request of
    /// the limiter holds back.
    pub(crate) fn throttled(&self, wait: Duration) {
        tracing::warn!(
            limiter = %self.limiter.id,
            wait_ms = u64::try_from(wait.min(MAX_RESET).as_millis()).unwrap_or(u64::MAX),
            reason = "the app answered 429 or 503",
            "rate limit back-off"
        );
        self.limiter.throttled(wait);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_knows_when_it_arrived_only_inside_its_scope() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let arrived = Instant::now() - Duration::from_millis(30);
        let inside = runtime.block_on(received_at(arrived, async { call_received() }));
        assert_eq!(inside, arrived);
        let before = Instant::now();
        let outside = runtime.block_on(async { call_received() });
        assert!(outside >= before);
    }

    #[test]
    fn the_callers_mode_wins_then_the_capabilitys_then_the_default() {
        let config = RateLimit::adaptive()
            .mode(RateLimitMode::RetryOnly)
            .capability_mode(CapabilityName::ListAccounts, RateLimitMode::EnforceNoRetry);
        let call = |capability, caller| {
            CallLimits::new(
                Some(capability),
                Some(&RateLimitRequestInfo {
                    caller_override_mode: caller,
                    ..Default::default()
                }),
                Instant::now(),
            )
        };
        assert_eq!(
            config.mode_for(Some(&call(CapabilityName::ListAccounts, None))),
            RateLimitMode::EnforceNoRetry
        );
        assert_eq!(
            config.mode_for(Some(&call(
                CapabilityName::ListAccounts,
                Some(RateLimitMode::Bypass)
            ))),
            RateLimitMode::Bypass
        );
        assert_eq!(
            config.mode_for(Some(&call(CapabilityName::ListResources, None))),
            RateLimitMode::RetryOnly
        );
        let plain = RateLimit::adaptive();
        assert_eq!(
            plain.mode_for(Some(&call(CapabilityName::ListResources, None))),
            RateLimitMode::Enforce
        );
        assert_eq!(
            plain.mode_for(Some(&call(CapabilityName::CreateAccount, None))),
            RateLimitMode::RetryOnly
        );
        assert_eq!(plain.mode_for(None), RateLimitMode::Enforce);
    }

    #[test]
    fn a_concurrency_limit_holds_the_next_request_until_a_slot_frees() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let base = url::Url::parse("http://127.0.0.1:9/").unwrap();
            let config = RateLimit::adaptive()
                .max_concurrency(1)
                .id("concurrency-test");
            let gate = gate(&config, None, &base, &[]).unwrap();
            let first = gate.admit(Duration::from_secs(5)).await.unwrap();
            // The one slot is taken: no slot comes within 50 ms.
            let error = gate.admit(Duration::from_millis(50)).await.unwrap_err();
            assert_eq!(error.code(), crate::wire::ErrorCode::BudgetExhausted);
            gate.answered(first, &HeaderMap::new());
            let second = gate.admit(Duration::from_millis(50)).await;
            assert!(second.is_ok(), "the slot is free again");
        });
    }

    #[test]
    fn budgets_count_as_connector_py_does() {
        assert_eq!(execution_budget(5), Duration::ZERO);
        assert_eq!(execution_budget(10), Duration::ZERO);
        assert_eq!(execution_budget(11), Duration::from_secs(1));
        assert_eq!(execution_budget(i64::MIN), Duration::ZERO);
        assert!(execution_budget(i64::MAX) > Duration::from_secs(1 << 40));
        assert_eq!(whole_seconds(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds(Duration::MAX), MAX_RESET.as_secs());
    }
}
