//! `GET /metrics`: the server's counters in the Prometheus text format (or OpenMetrics, when
//! the scraper asks for it), with the `prometheus-client` crate.
//!
//! | Metric | Labels |
//! |---|---|
//! | `connector_requests_total` (counter) | `capability`, `outcome`, `error_code` |
//! | `connector_request_duration_seconds` (histogram) | `capability` |
//! | `connector_requests_in_flight` (gauge) | — |
//! | `connector_upstream_requests_total` (counter) | `origin`, `status` |
//! | `connector_upstream_retries_total` (counter) | `origin` |
//! | `process_resident_memory_bytes` (gauge) | — |
//! | `process_open_fds` (gauge) | — |
//! | `process_max_fds` (gauge) | — |
//!
//! The `process_*` gauges are the standard names every Prometheus client exports; they are read
//! from `/proc/self` at scrape time (Linux; elsewhere they are left out).
//!
//! Cardinality is bounded by construction: `capability` is a registered capability's name (or
//! `unknown`), `outcome` one of four words, `error_code` a wire [`ErrorCode`] (or empty),
//! `origin` the scheme, host and port of an app (never a path, query or credential; after
//! [`MAX_ORIGINS`] distinct origins the rest count as `other`), `status` an HTTP status code or
//! `failed` when no answer came.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use crate::wire::ErrorCode;

/// The most distinct app origins labelled; more are counted as `other`.
pub(crate) const MAX_ORIGINS: usize = 64;

/// The capability label of a path that names no registered capability.
pub(crate) const UNKNOWN_CAPABILITY: &str = "unknown";

/// Latency buckets, in seconds: a 5 ms page from a fast app up to the call deadline.
const BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
];

/// How a capability request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A success envelope.
    Success,
    /// An error envelope (its code is the `error_code` label).
    Error(ErrorCode),
    /// The server's request timeout ended it (504).
    Timeout,
    /// Refused before dispatch (unknown capability, body too large or unreadable).
    Rejected,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    capability: &'static str,
    outcome: &'static str,
    error_code: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CapabilityLabels {
    capability: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpstreamLabels {
    origin: String,
    status: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OriginLabels {
    origin: String,
}

type HistogramFamily = Family<CapabilityLabels, Histogram, fn() -> Histogram>;

/// The server's metrics and their registry.
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    duration: HistogramFamily,
    in_flight: Gauge,
    upstream: Family<UpstreamLabels, Counter>,
    retries: Family<OriginLabels, Counter>,
    origins: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

fn histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

impl Metrics {
    pub(crate) fn new() -> Self {
        let mut root = Registry::default();
        root.register_collector(Box::new(Process));
        let registry = root.sub_registry_with_prefix("connector");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "requests",
            "Capability requests, by capability, outcome and error code",
            requests.clone(),
        );
        let duration: HistogramFamily = Family::new_with_constructor(histogram);
        registry.register_with_unit(
            "request_duration",
            "How long capability requests took, by capability",
            Unit::Seconds,
            duration.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "requests_in_flight",
            "Capability requests being answered",
            in_flight.clone(),
        );
        let upstream = Family::<UpstreamLabels, Counter>::default();
        registry.register(
            "upstream_requests",
            "Requests to the app (each attempt), by app origin and HTTP status",
            upstream.clone(),
        );
        let retries = Family::<OriginLabels, Counter>::default();
        registry.register(
            "upstream_retries",
            "Requests to the app retried (after a transient failure or a Retry-After), by origin",
            retries.clone(),
        );
        Self {
            registry: root,
            requests,
            duration,
            in_flight,
            upstream,
            retries,
            origins: Mutex::new(HashSet::new()),
        }
    }

    /// Counts a request as in flight until the guard is dropped.
    pub(crate) fn in_flight(&self) -> InFlight<'_> {
        self.in_flight.inc();
        InFlight(&self.in_flight)
    }

    /// Counts one finished capability request.
    pub(crate) fn request(&self, capability: &'static str, outcome: Outcome, took: Duration) {
        let (outcome, error_code) = match outcome {
            Outcome::Success => ("success", ""),
            Outcome::Error(code) => ("error", code.as_str()),
            Outcome::Timeout => ("timeout", ""),
            Outcome::Rejected => ("rejected", ""),
        };
        self.requests
            .get_or_create(&RequestLabels {
                capability,
                outcome,
                error_code,
            })
            .inc();
        if outcome != "rejected" {
            self.duration
                .get_or_create(&CapabilityLabels { capability })
                .observe(took.as_secs_f64());
        }
    }

    /// The origin label of `url`: its scheme, host and port, or `other` past [`MAX_ORIGINS`].
    fn origin(&self, url: &url::Url) -> String {
        let origin = url.origin().ascii_serialization();
        let Ok(mut seen) = self.origins.lock() else {
            return "other".to_owned();
        };
        if seen.contains(&origin) {
            origin
        } else if seen.len() < MAX_ORIGINS {
            seen.insert(origin.clone());
            origin
        } else {
            "other".to_owned()
        }
    }

    /// Counts one attempt of a request to the app: its status, or `None` when no answer came.
    pub(crate) fn upstream_request(&self, url: &url::Url, status: Option<u16>) {
        let status = status.map_or_else(|| "failed".to_owned(), |status| status.to_string());
        let origin = self.origin(url);
        self.upstream
            .get_or_create(&UpstreamLabels { origin, status })
            .inc();
    }

    /// Counts one retry of a request to the app.
    pub(crate) fn upstream_retry(&self, url: &url::Url) {
        let origin = self.origin(url);
        self.retries.get_or_create(&OriginLabels { origin }).inc();
    }

    /// The metrics as text: OpenMetrics when `openmetrics`, else the Prometheus text format
    /// (0.0.4). Returns the content type and the body.
    pub(crate) fn encode(&self, openmetrics: bool) -> (&'static str, String) {
        let mut body = String::new();
        if openmetrics {
            // Writing to a String cannot fail.
            let _ = prometheus_client::encoding::text::encode(&mut body, &self.registry);
            (
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
                body,
            )
        } else {
            let _ = prometheus_client::encoding::prometheus_text::encode(&mut body, &self.registry);
            (
                prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
                body,
            )
        }
    }
}

impl crate::trace::Upstream for Metrics {
    fn upstream(&self, url: &url::Url, status: Option<u16>) {
        self.upstream_request(url, status);
    }

    fn retry(&self, url: &url::Url) {
        self.upstream_retry(url);
    }
}

/// The process's own gauges, read from `/proc/self` at each scrape.
#[derive(Debug)]
struct Process;

impl Process {
    /// Resident memory in bytes (`VmRSS` of `/proc/self/status`, which is in KiB).
    fn resident_bytes() -> Option<i64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let kib: i64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        kib.checked_mul(1024)
    }

    /// Open file descriptors: the entries of `/proc/self/fd` (the one listing it included).
    fn open_fds() -> Option<i64> {
        let entries = std::fs::read_dir("/proc/self/fd").ok()?;
        i64::try_from(entries.count()).ok()
    }

    /// The soft limit on open files (`Max open files` of `/proc/self/limits`); `None` when
    /// unlimited.
    fn max_fds() -> Option<i64> {
        let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
        limits
            .lines()
            .find_map(|line| line.strip_prefix("Max open files"))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    }
}

fn gauge(
    encoder: &mut DescriptorEncoder<'_>,
    name: &str,
    help: &str,
    unit: Option<&Unit>,
    value: Option<i64>,
) -> Result<(), std::fmt::Error> {
    let Some(value) = value else {
        return Ok(());
    };
    let gauge = ConstGauge::new(value);
    let metric = encoder.encode_descriptor(name, help, unit, gauge.metric_type())?;
    gauge.encode(metric)
}

impl Collector for Process {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        gauge(
            &mut encoder,
            "process_resident_memory",
            "Resident memory size in bytes",
            Some(&Unit::Bytes),
            Self::resident_bytes(),
        )?;
        gauge(
            &mut encoder,
            "process_open_fds",
            "Number of open file descriptors",
            None,
            Self::open_fds(),
        )?;
        gauge(
            &mut encoder,
            "process_max_fds",
            "Maximum number of open file descriptors",
            None,
            Self::max_fds(),
        )
    }
}

/// A request in flight; dropping it ends it (also when the request is cancelled).
pub(crate) struct InFlight<'a>(&'a Gauge);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_bounded_and_never_carry_a_path_or_credential() {
        let metrics = Metrics::new();
        let url =
            url::Url::parse("https://user:pw@app.example.com/v1/users/u-777?token=x").unwrap();
        metrics.upstream_request(&url, Some(200));
        for n in 0..MAX_ORIGINS + 10 {
            let url = url::Url::parse(&format!("https://t{n}.example.com/")).unwrap();
            metrics.upstream_request(&url, None);
        }
        let (_, text) = metrics.encode(false);
        assert!(text.contains(r#"origin="https://app.example.com",status="200""#));
        assert!(
            text.contains(r#"origin="other",status="failed"} 11"#),
            "{text}"
        );
        for leak in ["user", "pw", "/v1", "u-777", "token"] {
            assert!(!text.contains(leak), "{leak} leaked into {text}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn process_gauges_are_plausible_in_both_formats() {
        let metrics = Metrics::new();
        let value = |text: &str, name: &str| -> i64 {
            text.lines()
                .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
                .unwrap_or_else(|| panic!("no {name} in {text}"))
                .trim()
                .parse()
                .unwrap()
        };
        let (_, before) = metrics.encode(false);
        let fds = value(&before, "process_open_fds");
        assert!(
            value(&before, "process_resident_memory_bytes") > 1024 * 1024,
            "{before}"
        );
        assert!(
            fds > 0 && fds <= value(&before, "process_max_fds"),
            "{before}"
        );
        assert!(
            before.contains("# TYPE process_resident_memory_bytes gauge"),
            "{before}"
        );
        let (_, open) = metrics.encode(true);
        assert!(
            open.contains("# UNIT process_resident_memory_bytes bytes"),
            "{open}"
        );
    }
}
