//! One limiter: the SDK's model of an app's budget for one origin and credential, fed by the
//! app's headers (or the connector's declaration), and the pacing that follows from it.
//!
//! The model is a bucket of `tokens` (requests that may go now; negative when requests are
//! queued for later slots). It refills continuously at `rate` when the app runs a token bucket
//! (a declared fixed rate, or a policy with a `burst`), or all at once at `reset_at` when the
//! app counts per window. The app's `remaining` replaces the model's count whenever an answer
//! carries it, minus what the app cannot have seen yet (requests in flight or queued).
//!
//! All arithmetic on app-supplied numbers saturates; every duration is capped at
//! [`MAX_RESET`](super::headers::MAX_RESET).

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use super::headers::{MAX_RESET, RateLimitHeaders, capped_seconds};
use crate::wire::{RateLimitStateSnapshot, RateLimitStateSource};

/// `seconds` as a duration, capped.
fn secs(seconds: f64) -> Duration {
    capped_seconds(seconds.max(0.0)).unwrap_or(MAX_RESET)
}

/// `at + by`, saturating at a far instant instead of panicking.
fn later(at: Instant, by: Duration) -> Instant {
    at.checked_add(by.min(MAX_RESET))
        .unwrap_or(at + Duration::from_secs(1))
}

/// A whole number of seconds for the wire, rounded up, saturating.
fn wire_seconds(duration: Duration) -> i64 {
    i64::try_from(
        duration
            .as_secs()
            .saturating_add(u64::from(duration.subsec_nanos() > 0)),
    )
    .unwrap_or(i64::MAX)
}

/// A limiter's model.
#[derive(Debug)]
struct Model {
    /// Refill rate in requests per second, when known.
    rate: Option<f64>,
    /// Whether requests come back one by one at `rate` (a token bucket) rather than all at
    /// `reset_at` (a window).
    refills: bool,
    /// The most requests that can be available at once.
    capacity: f64,
    /// Requests that may go at `at` (negative: that many are queued for later slots).
    tokens: f64,
    at: Instant,
    /// The app's quota per window, as it said it (or as declared).
    limit: Option<u64>,
    window: Option<Duration>,
    /// When a window-counted budget is back to `capacity`.
    reset_at: Option<Instant>,
    /// Nothing goes before this (a throttled answer's wait, a seeded empty budget).
    not_before: Option<Instant>,
    /// The back-off the app imposed last.
    delay: Duration,
    source: Option<RateLimitStateSource>,
    /// Whether anything is known (declared, seeded or seen).
    known: bool,
    /// Whether neither a seed nor an answer has set the model yet.
    fresh: bool,
    /// Requests reserved but not sent yet, and sent but not answered.
    queued: u32,
    in_flight: u32,
    /// The order of reservations, and the newest one whose answer set the count.
    next_seq: u64,
    observed_seq: u64,
    /// How long the last exchange took (the margin a wait must leave before a deadline).
    last_exchange: Duration,
    /// Whether any request of the limiter has been answered (or failed).
    answered: bool,
    /// How many requests have completed.
    completed: u64,
}

/// Why a request waits, for the logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WaitReason {
    /// Pacing to the budget.
    Pacing,
    /// The app throttled an earlier request (or the platform's last known state said the
    /// budget was spent).
    Throttled,
}

impl WaitReason {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Pacing => "pacing to the app's rate limit",
            Self::Throttled => "the app throttled this credential",
        }
    }
}

/// One limiter, shared by every client of one app origin, credential and limiter id in the
/// process.
#[derive(Debug)]
pub(crate) struct Limiter {
    pub(crate) id: String,
    model: Mutex<Model>,
    pub(crate) concurrency: Option<std::sync::Arc<tokio::sync::Semaphore>>,
    /// Held by the first request until the app has answered once.
    pub(crate) probe: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl Limiter {
    /// A limiter that knows nothing yet, or paces at `fixed` = (requests per second, burst).
    pub(crate) fn new(
        id: String,
        fixed: Option<(f64, f64, u64, Duration)>,
        concurrency: Option<usize>,
    ) -> Self {
        let now = Instant::now();
        let mut model = Model {
            rate: None,
            refills: false,
            capacity: 0.0,
            tokens: 0.0,
            at: now,
            limit: None,
            window: None,
            reset_at: None,
            not_before: None,
            delay: Duration::ZERO,
            source: None,
            known: false,
            fresh: true,
            queued: 0,
            in_flight: 0,
            next_seq: 1,
            observed_seq: 0,
            last_exchange: Duration::ZERO,
            answered: false,
            completed: 0,
        };
        if let Some((rate, burst, requests, per)) = fixed {
            model.rate = Some(rate);
            model.refills = true;
            model.capacity = burst;
            model.tokens = (burst - 1.0).max(1.0);
            model.limit = Some(requests);
            model.window = Some(per);
            model.source = Some(RateLimitStateSource::SdkCounter);
            model.known = true;
        }
        Self {
            id,
            model: Mutex::new(model),
            concurrency: concurrency
                .map(|n| std::sync::Arc::new(tokio::sync::Semaphore::new(n.max(1)))),
            probe: std::sync::Arc::default(),
        }
    }

    fn model(&self) -> std::sync::MutexGuard<'_, Model> {
        self.model.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes a slot if the request may go now; otherwise says how long to wait before
    /// asking again (the budget may change meanwhile: the app's answers correct the model).
    /// Without `pace`, only a throttled answer's back-off holds the request.
    pub(crate) fn try_take(&self, pace: bool) -> Result<u64, (Duration, WaitReason)> {
        let now = Instant::now();
        let mut m = self.model();
        m.refresh(now);
        if let Some(not_before) = m.not_before
            && not_before > now
        {
            return Err((not_before - now, WaitReason::Throttled));
        }
        if pace && m.known && m.tokens < 1.0 {
            let deficit = 1.0 - m.tokens;
            let ready = match (m.rate, m.reset_at) {
                (Some(rate), _) if m.refills && rate > 0.0 => later(now, secs(deficit / rate)),
                (_, Some(reset)) => reset,
                (Some(rate), None) if rate > 0.0 => later(now, secs(deficit / rate)),
                _ => now,
            };
            if ready > now {
                return Err((ready - now, WaitReason::Pacing));
            }
        }
        let seq = m.next_seq;
        m.next_seq = m.next_seq.saturating_add(1);
        m.tokens -= 1.0;
        m.queued = m.queued.saturating_add(1);
        Ok(seq)
    }

    /// The reserved request is on its way; returns how many requests had completed then.
    pub(crate) fn sent(&self) -> u64 {
        let mut m = self.model();
        m.queued = m.queued.saturating_sub(1);
        m.in_flight = m.in_flight.saturating_add(1);
        m.completed
    }

    /// The request `seq`, sent when `completed_before` requests had completed, is over
    /// (answered or failed); `seen` is what its answer said.
    pub(crate) fn answered(
        &self,
        seq: u64,
        completed_before: u64,
        seen: Option<&RateLimitHeaders>,
        took: Duration,
    ) {
        let now = Instant::now();
        let mut m = self.model();
        m.in_flight = m.in_flight.saturating_sub(1);
        m.last_exchange = took.min(MAX_RESET);
        m.answered = true;
        // Live answers from now on: the platform's last known state is older than this.
        m.fresh = false;
        // Others completed while this one was out: they may have reached the app after it, and
        // be neither in its count nor in flight any more, so its count may only lower ours.
        let overlapped = m.completed != completed_before;
        m.completed = m.completed.saturating_add(1);
        if let Some(seen) = seen {
            m.observe(seen, seq, overlapped, now);
        }
    }

    /// The app throttled a request (429, 503) and wants `wait` before the next one.
    pub(crate) fn throttled(&self, wait: Duration) {
        let now = Instant::now();
        let mut m = self.model();
        m.refresh(now);
        let until = later(now, wait);
        m.not_before = Some(m.not_before.map_or(until, |nb| nb.max(until)));
        m.tokens = m.tokens.min(0.0);
        // What comes back after the wait: one request, then what the answers say.
        if !m.refills || m.rate.is_none() {
            m.reset_at = Some(until);
            if m.capacity < 1.0 {
                m.capacity = 1.0;
            }
        }
        m.delay = wait.min(MAX_RESET);
        m.known = true;
        m.fresh = false;
        if m.source.is_none() {
            m.source = Some(RateLimitStateSource::SdkCounter);
        }
    }

    /// Whether any request has been answered (or failed) yet.
    pub(crate) fn has_answered(&self) -> bool {
        self.model().answered
    }

    /// How long the last exchange took.
    pub(crate) fn last_exchange(&self) -> Duration {
        self.model().last_exchange
    }

    /// Seeds a limiter no answer has set yet with the platform's last known state, which
    /// is at least as old as the call that carries it (`received`): the budget has refilled
    /// since then at least.
    pub(crate) fn seed(&self, snapshot: &RateLimitStateSnapshot, received: Instant) {
        let now = Instant::now();
        let taken = received.min(now);
        let unix_now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        let mut m = self.model();
        if !m.fresh {
            return;
        }
        m.fresh = false;
        let positive = |v: Option<i64>| v.filter(|v| *v > 0).map(|v| v as u64);
        let limit = positive(snapshot.limit);
        let window = positive(snapshot.window_seconds).map(|w| secs(w as f64));
        if m.seed_schedule(snapshot, now, unix_now) {
            return;
        }
        if limit.is_some() {
            m.limit = limit;
        }
        if window.is_some() {
            m.window = window;
        }
        if m.capacity < 1.0
            && let Some(limit) = limit
        {
            m.capacity = limit as f64;
        }
        if m.rate.is_none()
            && let (Some(limit), Some(window)) = (limit, window)
        {
            m.rate = Some(limit as f64 / window.as_secs_f64().max(0.001));
        }
        // An absolute time: counted from the wall clock now.
        let reset_at = snapshot
            .reset
            .map(|reset| later(now, secs(reset as f64 - unix_now)));
        if let Some(remaining) = snapshot.remaining {
            let remaining = remaining.max(0) as f64;
            if m.capacity < 1.0 {
                m.capacity = remaining.max(1.0);
            }
            // The count as of when the call arrived; `refresh` adds what refilled since.
            m.tokens = remaining.min(m.capacity);
            m.at = taken;
            m.known = true;
            if remaining < 1.0 {
                // Spent: the next request goes at the reset, or one refill interval after
                // the call arrived, whichever is sooner. One request then; the answers say
                // the rest.
                let interval = match (limit, window) {
                    (Some(limit), Some(window)) => Some(secs(window.as_secs_f64() / limit as f64)),
                    _ => m.rate.map(|rate| secs(1.0 / rate.max(0.001))),
                };
                let ready = match (reset_at, interval.map(|i| later(taken, i))) {
                    (Some(reset), Some(refill)) => reset.min(refill),
                    (Some(at), None) | (None, Some(at)) => at,
                    (None, None) => taken,
                };
                m.not_before = Some(ready);
                let wait = ready.saturating_duration_since(taken);
                if m.refills {
                    m.tokens = wait.as_secs_f64().mul_add(-m.rate.unwrap_or(0.0), 1.0);
                } else {
                    m.tokens = 1.0 - m.capacity;
                    m.reset_at = Some(ready);
                }
            } else if !m.refills
                && let Some(reset) = reset_at
            {
                m.reset_at = Some(reset);
            }
        }
        if let Some(delay) = snapshot.current_delay {
            m.delay = secs(delay as f64);
        }
        if let Some(source) = snapshot.source {
            m.source = Some(source);
        }
        m.refresh(now);
    }

    /// The state to hand back to the platform, when anything is known.
    pub(crate) fn snapshot(&self) -> Option<RateLimitStateSnapshot> {
        let now = Instant::now();
        let unix_now = SystemTime::now();
        let mut m = self.model();
        if !m.known {
            return None;
        }
        m.refresh(now);
        let unix = |at: Instant| {
            let ahead = at.saturating_duration_since(now);
            let at = unix_now.checked_add(ahead).unwrap_or(unix_now);
            wire_seconds(
                at.duration_since(SystemTime::UNIX_EPOCH)
                    .unwrap_or_default(),
            )
        };
        let scheduled = m.schedule(
            now,
            unix_now
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs_f64(),
        );
        let (remaining, reset) = match scheduled {
            Some((remaining, reset)) => (remaining, Some(reset)),
            None => (
                m.tokens.max(0.0).floor().min(i64::MAX as f64) as i64,
                match (m.refills, m.rate) {
                    (true, Some(rate)) if rate > 0.0 && m.tokens < m.capacity => {
                        Some(unix(later(now, secs((m.capacity - m.tokens) / rate))))
                    }
                    (true, Some(_)) => None,
                    _ => m.reset_at.map(unix),
                },
            ),
        };
        Some(RateLimitStateSnapshot {
            remaining: Some(remaining),
            limit: m
                .limit
                .or(Some(m.capacity as u64))
                .map(|l| i64::try_from(l).unwrap_or(i64::MAX)),
            reset,
            window_seconds: m.window.map(wire_seconds),
            current_delay: Some(
                i64::try_from(m.delay.as_secs_f64().round() as u64).unwrap_or(i64::MAX),
            ),
            source: m.source,
        })
    }
}

/// The most slots (of a declared rate's grid) a schedule is counted in: beyond 2^53 an `f64`
/// no longer holds every whole number, and the old, coarser state is written instead.
const MAX_SLOT: f64 = 9_007_199_254_740_992.0;

impl Model {
    /// A declared rate's state as the wire can hold it exactly, in whole numbers: the instant
    /// the budget is whole again (its burst refilled), rounded up to the grid of
    /// `window / limit` slots counted from the Unix epoch, written as `reset` (the end of the
    /// window, aligned to the epoch, that slot falls in) and `remaining` (the slots from it to
    /// `reset`: at least that many requests may still go before `reset`). The next process
    /// reads the instant back to the slot, so the time between two processes (its start-up,
    /// the platform's own) refills the budget instead of being lost to a rounded count; a
    /// count of whole requests loses up to one slot per process.
    ///
    /// `None` unless the model is a declared rate (the SDK's own counter, refilling), with a
    /// whole number of seconds per window.
    fn schedule(&self, now: Instant, unix_now: f64) -> Option<(i64, i64)> {
        if !self.refills || self.source != Some(RateLimitStateSource::SdkCounter) {
            return None;
        }
        let (limit, window) = (self.limit?, self.window?);
        if limit == 0 || window.is_zero() || window.subsec_nanos() != 0 {
            return None;
        }
        let (limit, window) = (limit as f64, window.as_secs() as f64);
        let rate = limit / window;
        let cap = self.whole();
        // When the budget is whole again; a throttled answer's wait holds the next request
        // back too, which a whole budget reached `cap - 1` slots after it says.
        let held = self.not_before.map_or(0.0, |at| {
            at.saturating_duration_since(now).as_secs_f64() + (cap - 1.0) / rate
        });
        let ahead = ((cap - self.tokens.min(cap)) / rate)
            .max(held)
            .min(MAX_RESET.as_secs_f64());
        // A thousandth of a slot of slack for the float arithmetic: an instant read back from
        // a state is on the grid, and stays on its slot.
        let slot = (unix_now + ahead).mul_add(rate, -1e-3).ceil();
        if !(0.0..MAX_SLOT).contains(&slot) {
            return None;
        }
        let windows = (slot / limit).floor() + 1.0;
        let reset = windows * window;
        let remaining = windows * limit - slot;
        Some((remaining as i64, reset as i64))
    }

    /// Reads a state [`Self::schedule`] wrote (a declared rate's, with `reset` and
    /// `remaining`) into a model of a declared rate; false when it is not one.
    fn seed_schedule(
        &mut self,
        snapshot: &RateLimitStateSnapshot,
        now: Instant,
        unix_now: f64,
    ) -> bool {
        if !self.refills
            || self.source != Some(RateLimitStateSource::SdkCounter)
            || snapshot.source != Some(RateLimitStateSource::SdkCounter)
        {
            return false;
        }
        let (Some(remaining), Some(reset), Some(rate)) =
            (snapshot.remaining, snapshot.reset, self.rate)
        else {
            return false;
        };
        // The grid the state was written on: its own limit and window, else the declared ones.
        let limit = snapshot
            .limit
            .filter(|l| *l > 0)
            .map(|l| l as f64)
            .or(self.limit.map(|l| l as f64));
        let window = snapshot
            .window_seconds
            .filter(|w| *w > 0)
            .map(|w| w as f64)
            .or(self.window.map(|w| w.as_secs_f64()));
        let (Some(limit), Some(window)) = (limit, window) else {
            return false;
        };
        if rate <= 0.0 || limit <= 0.0 || window <= 0.0 {
            return false;
        }
        let bound = MAX_RESET.as_secs_f64();
        let next = reset as f64 - remaining.max(0) as f64 * window / limit;
        let ahead = (next - unix_now).clamp(-bound, bound);
        let cap = self.whole();
        self.tokens = ahead.mul_add(-rate, cap).min(cap);
        self.at = now;
        self.known = true;
        true
    }

    /// The most a refilling model lets accumulate: one less than the app's bucket. The app
    /// counts a request when it arrives, the model when it is reserved; while the app's bucket
    /// is full it wastes the refill the model credits in between, and the one token of
    /// headroom covers that (up to one refill interval of latency).
    ///
    /// Requests in flight may not have reached the app yet: a full app bucket cannot hold
    /// the refill the model would credit for them, so they count against the cap too.
    fn bucket_cap(&self) -> f64 {
        self.whole() - f64::from(self.in_flight)
    }

    /// What the model counts as a whole budget: the app's bucket less the one token of
    /// headroom [`Self::bucket_cap`] keeps.
    fn whole(&self) -> f64 {
        (self.capacity - 1.0).max(1.0)
    }

    /// Brings the model to `now`: continuous refill, or a window's reset.
    fn refresh(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        if self.refills
            && let Some(rate) = self.rate
        {
            let cap = self.bucket_cap();
            if self.tokens < cap {
                self.tokens = rate.mul_add(elapsed, self.tokens).min(cap);
            }
        }
        if let Some(reset) = self.reset_at
            && now >= reset
        {
            if !self.refills || self.rate.is_none() {
                // Requests in flight may land in the new window.
                self.tokens = self.capacity - f64::from(self.in_flight) + self.tokens.min(0.0);
            }
            // The next reset is a window later, or unknown until an answer says it.
            self.reset_at = self.window.map(|w| later(now, w));
        }
        self.at = now;
    }

    /// An answer's headers: the app's own count replaces the model's.
    fn observe(&mut self, seen: &RateLimitHeaders, seq: u64, overlapped: bool, now: Instant) {
        self.refresh(now);
        // A reset alone says nothing to pace by.
        if seen.remaining.is_none() && seen.limit.is_none() {
            return;
        }
        self.known = true;
        self.fresh = false;
        self.source = Some(RateLimitStateSource::ApiHeaders);
        if let Some(limit) = seen.limit {
            self.limit = Some(limit);
        }
        if let Some(window) = seen.window {
            self.window = Some(window);
        }
        if let Some(burst) = seen.burst {
            // A token bucket: `limit` per `window`, `burst` at once.
            self.refills = true;
            self.capacity = burst as f64;
            if let (Some(limit), Some(window)) = (self.limit, self.window) {
                self.rate = Some(limit as f64 / window.as_secs_f64().max(0.001));
            }
        } else if let Some(limit) = seen.limit {
            // A window: the count comes back at the reset.
            self.refills = false;
            self.capacity = limit as f64;
            if let Some(window) = self.window {
                self.rate = Some(limit as f64 / window.as_secs_f64().max(0.001));
            }
        }
        if let Some(reset) = seen.reset_after {
            self.reset_at = Some(later(now, reset));
        }
        if let Some(remaining) = seen.remaining {
            // What the app cannot have counted yet: the other requests in flight, and the
            // ones queued behind them.
            let unseen = f64::from(self.in_flight) + f64::from(self.queued);
            let truth = (remaining as f64).min(1e12) - unseen;
            if seq >= self.observed_seq && !overlapped {
                self.observed_seq = seq;
                let cap = if self.refills {
                    self.bucket_cap()
                } else {
                    truth.max(self.capacity)
                };
                self.tokens = truth.min(cap);
            } else {
                // An older answer than one already seen: it may only lower the count.
                self.tokens = self.tokens.min(truth);
            }
            if self.capacity < 1.0 {
                self.capacity = (remaining as f64).min(1e12);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(limit: u64, remaining: u64, reset_ms: u64) -> RateLimitHeaders {
        RateLimitHeaders {
            limit: Some(limit),
            remaining: Some(remaining),
            reset_after: Some(Duration::from_millis(reset_ms)),
            ..Default::default()
        }
    }

    /// A limiter of a declared rate: `rate` a second, `burst` at once.
    fn declared(rate: u64, burst: f64) -> Limiter {
        Limiter::new(
            "a".into(),
            Some((rate as f64, burst, rate, Duration::from_secs(1))),
            None,
        )
    }

    /// The wait before the next request may go (taking its slot when it is zero).
    fn wait(limiter: &Limiter) -> Duration {
        match limiter.try_take(true) {
            Ok(_) => {
                limiter.sent();
                Duration::ZERO
            }
            Err((wait, _)) => wait,
        }
    }

    #[test]
    fn an_unknown_app_is_not_paced() {
        let limiter = Limiter::new("a".into(), None, None);
        for _ in 0..100 {
            assert_eq!(wait(&limiter), Duration::ZERO);
        }
        assert_eq!(limiter.snapshot(), None);
    }

    #[test]
    fn a_fixed_rate_paces_after_the_burst() {
        // 10 a second, 3 at once (the model keeps one in hand: 2).
        let limiter = declared(10, 3.0);
        assert_eq!(wait(&limiter), Duration::ZERO);
        assert_eq!(wait(&limiter), Duration::ZERO);
        let third = wait(&limiter);
        assert!(
            third > Duration::from_millis(80) && third <= Duration::from_millis(100),
            "{third:?}"
        );
        // Asking again does not take a slot.
        assert!(wait(&limiter) > Duration::from_millis(80));
        let state = limiter.snapshot().unwrap();
        assert_eq!(state.limit, Some(10));
        assert_eq!(state.window_seconds, Some(1));
        assert_eq!(state.source, Some(RateLimitStateSource::SdkCounter));
    }

    #[test]
    fn a_window_waits_for_its_reset_once_spent() {
        let limiter = Limiter::new("a".into(), None, None);
        let first = limiter.try_take(true).unwrap();
        let mark = limiter.sent();
        limiter.answered(
            first,
            mark,
            Some(&seen(5, 1, 3_000)),
            Duration::from_millis(5),
        );
        assert_eq!(wait(&limiter), Duration::ZERO);
        let blocked = wait(&limiter);
        assert!(blocked > Duration::from_millis(2_900), "{blocked:?}");
        let state = limiter.snapshot().unwrap();
        assert_eq!(state.source, Some(RateLimitStateSource::ApiHeaders));
        assert_eq!(state.limit, Some(5));
    }

    #[test]
    fn the_apps_count_corrects_the_model() {
        // Declared 10 a second, but the app says only 1 is left.
        let limiter = declared(10, 10.0);
        let first = limiter.try_take(true).unwrap();
        let mark = limiter.sent();
        limiter.answered(
            first,
            mark,
            Some(&seen(10, 1, 1_000)),
            Duration::from_millis(5),
        );
        assert_eq!(wait(&limiter), Duration::ZERO);
        assert!(wait(&limiter) > Duration::from_millis(900));
    }

    #[test]
    fn a_seeded_spent_budget_waits_for_the_reset() {
        let limiter = Limiter::new("a".into(), None, None);
        let reset = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + 12;
        limiter.seed(
            &RateLimitStateSnapshot {
                remaining: Some(0),
                limit: Some(1),
                reset: Some(reset),
                window_seconds: Some(30),
                ..Default::default()
            },
            Instant::now(),
        );
        let first = wait(&limiter);
        assert!(
            first > Duration::from_secs(10) && first <= Duration::from_secs(12),
            "{first:?}"
        );
        // A second seed (another request of a server) changes nothing.
        limiter.seed(
            &RateLimitStateSnapshot {
                remaining: Some(100),
                ..Default::default()
            },
            Instant::now(),
        );
        assert!(wait(&limiter) > Duration::from_secs(10));
    }

    #[test]
    fn a_seed_is_as_old_as_the_call_that_carried_it() {
        // 20 a second, spent: the next request may go one refill interval (50 ms) after the
        // state was taken, and the state is at least as old as the call.
        let spent = RateLimitStateSnapshot {
            remaining: Some(0),
            limit: Some(20),
            window_seconds: Some(1),
            source: Some(RateLimitStateSource::SdkCounter),
            ..Default::default()
        };
        let just_now = declared(20, 10.0);
        just_now.seed(&spent, Instant::now());
        let full = wait(&just_now);
        assert!(full > Duration::from_millis(45), "{full:?}");
        let earlier = declared(20, 10.0);
        earlier.seed(&spent, Instant::now() - Duration::from_millis(40));
        let rest = wait(&earlier);
        assert!(
            rest > Duration::ZERO && rest <= Duration::from_millis(10),
            "{rest:?}"
        );
        // A call that arrived a whole interval ago finds a refilled slot; the one after it
        // waits a full interval again.
        let long_ago = declared(20, 10.0);
        long_ago.seed(&spent, Instant::now() - Duration::from_millis(60));
        assert_eq!(wait(&long_ago), Duration::ZERO);
        assert!(wait(&long_ago) > Duration::from_millis(35));
        // With some left, the refill since the call arrived is credited, up to the cap.
        let some = declared(20, 10.0);
        some.seed(
            &RateLimitStateSnapshot {
                remaining: Some(2),
                ..spent
            },
            Instant::now() - Duration::from_millis(100),
        );
        for n in 0..4 {
            assert_eq!(wait(&some), Duration::ZERO, "request {n}");
        }
        assert!(wait(&some) > Duration::from_millis(35));
    }

    /// Unix time now, in seconds.
    fn unix_now() -> f64 {
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    }

    #[test]
    fn a_declared_rate_crosses_processes_to_the_slot() {
        // 10 a second, 3 at once: after the burst the next request waits ~100 ms.
        let first = declared(10, 3.0);
        assert_eq!(wait(&first), Duration::ZERO);
        assert_eq!(wait(&first), Duration::ZERO);
        let waits_first = wait(&first);
        let state = first.snapshot().unwrap();
        assert_eq!(state.source, Some(RateLimitStateSource::SdkCounter));
        // Whole numbers on the wire: the window's end, aligned to the epoch, in the future,
        // and the slots left before it.
        let reset = state.reset.unwrap();
        assert!(
            reset as f64 > unix_now() && reset as f64 <= unix_now() + 2.0,
            "{state:?}"
        );
        assert!((1..=10).contains(&state.remaining.unwrap()), "{state:?}");
        // A process seeded with it waits as long, up to the one slot its instant was rounded
        // up to (the first limiter's instant was not on the grid).
        let second = declared(10, 3.0);
        second.seed(&state, Instant::now());
        let waits_second = wait(&second);
        assert!(
            waits_second + Duration::from_millis(2) >= waits_first
                && waits_second <= waits_first + Duration::from_millis(102),
            "{waits_first:?} then {waits_second:?}"
        );
        // Once on the grid, the state crosses exactly: no slot is lost per process.
        let third = declared(10, 3.0);
        third.seed(&second.snapshot().unwrap(), Instant::now());
        let waits_third = wait(&third);
        assert!(
            waits_third.abs_diff(waits_second) <= Duration::from_millis(2),
            "{waits_second:?} then {waits_third:?}"
        );
        // Time spent between processes refills the budget: a state 60 ms old waits 60 ms less.
        let fourth = declared(10, 3.0);
        let aged = RateLimitStateSnapshot {
            reset: state.reset,
            remaining: state.remaining,
            ..state
        };
        std::thread::sleep(Duration::from_millis(60));
        fourth.seed(&aged, Instant::now());
        let waits_fourth = wait(&fourth);
        assert!(
            waits_fourth + Duration::from_millis(55) <= waits_second.max(Duration::from_millis(55)),
            "{waits_second:?}, then {waits_fourth:?} after 60 ms"
        );
    }

    #[test]
    fn a_throttled_wait_crosses_processes_with_a_declared_rate() {
        let first = declared(20, 10.0);
        assert_eq!(wait(&first), Duration::ZERO);
        first.throttled(Duration::from_secs(2));
        let state = first.snapshot().unwrap();
        assert_eq!(state.current_delay, Some(2));
        let next = declared(20, 10.0);
        next.seed(&state, Instant::now());
        let held = wait(&next);
        assert!(
            held > Duration::from_millis(1_900) && held <= Duration::from_millis(2_100),
            "{held:?} after a 2 s Retry-After"
        );
    }

    #[test]
    fn a_limiter_that_has_answered_ignores_older_seeds() {
        // In `serve`, each request brings the state of its own previous call: once the shared
        // limiter has live answers, none of those may reset its count.
        let limiter = declared(10, 3.0);
        let seq = limiter.try_take(true).unwrap();
        let mark = limiter.sent();
        limiter.answered(seq, mark, None, Duration::from_millis(1));
        let _ = limiter.try_take(true).unwrap();
        limiter.sent();
        limiter.seed(
            &RateLimitStateSnapshot {
                remaining: Some(10),
                limit: Some(10),
                window_seconds: Some(1),
                ..Default::default()
            },
            Instant::now(),
        );
        assert!(wait(&limiter) > Duration::from_millis(50));
    }

    #[test]
    fn a_throttled_answer_holds_every_request_back() {
        let limiter = Limiter::new("a".into(), None, None);
        limiter.throttled(Duration::from_secs(2));
        let (wait, reason) = limiter.try_take(false).unwrap_err();
        assert!(wait > Duration::from_millis(1_900));
        assert_eq!(reason, WaitReason::Throttled);
        assert_eq!(limiter.snapshot().unwrap().current_delay, Some(2));
    }

    #[test]
    fn absurd_seeds_saturate() {
        let fixed_rate = Some((20.0, 10.0, 20, Duration::from_secs(1)));
        for fixed in [None, fixed_rate] {
            for source in [None, Some(RateLimitStateSource::SdkCounter)] {
                for value in [i64::MAX, i64::MIN, 0, -1, 1] {
                    let limiter = Limiter::new("a".into(), fixed, None);
                    limiter.seed(
                        &RateLimitStateSnapshot {
                            remaining: Some(value),
                            limit: Some(value),
                            reset: Some(value),
                            window_seconds: Some(value),
                            current_delay: Some(value),
                            source,
                        },
                        Instant::now(),
                    );
                    let wait = wait(&limiter);
                    assert!(wait <= MAX_RESET, "{value}: {wait:?}");
                    if let Some(state) = limiter.snapshot() {
                        assert!(state.remaining.unwrap_or(0) >= 0, "{state:?}");
                    }
                }
            }
        }
    }
}
