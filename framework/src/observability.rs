//! Logging: `tracing` to stderr (never stdout), optionally JSON, optionally to a log file.
//!
//! The agent sets the environment:
//!
//! | Variable | Effect |
//! |---|---|
//! | `LUMOS_LOG_LEVEL` | `TRACE`, `DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL` (default `WARNING`), for the SDK and the connector; dependencies log warnings and errors only |
//! | `LUMOS_LOG_DIRECTORY` | also append to `<dir>/<app_id>_<YYYY-MM-DD>.log` |
//! | `LUMOS_LOG_FORMAT` | `json` for one JSON object per line (the `--log-format` option wins) |
//! | `RUST_LOG` | a full `tracing` filter, overriding `LUMOS_LOG_LEVEL` |
//!
//! Nothing logged carries a secret: request documents are logged through
//! [`crate::redact::json`], URLs through [`crate::redact::url`], and `Secret`s print
//! `[REDACTED]`.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// The level variable.
pub(crate) const LOG_LEVEL_ENV: &str = "LUMOS_LOG_LEVEL";
/// The log directory variable.
pub(crate) const LOG_DIRECTORY_ENV: &str = "LUMOS_LOG_DIRECTORY";
/// The log format variable.
pub(crate) const LOG_FORMAT_ENV: &str = "LUMOS_LOG_FORMAT";

/// Maps a Lumos level name to a `tracing` level name.
fn level_name(value: &str) -> Option<&'static str> {
    match value.trim().to_ascii_uppercase().as_str() {
        "TRACE" => Some("trace"),
        "DEBUG" => Some("debug"),
        "INFO" => Some("info"),
        "WARNING" | "WARN" => Some("warn"),
        "ERROR" | "CRITICAL" => Some("error"),
        _ => None,
    }
}

/// Writes every line to stderr and, when configured, to the log file.
#[derive(Clone)]
struct Tee {
    file: Option<Arc<Mutex<File>>>,
}

struct TeeWriter {
    file: Option<Arc<Mutex<File>>>,
}

impl io::Write for TeeWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _ = io::stderr().write_all(buf);
        if let Some(file) = &self.file {
            let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
            let _ = file.write_all(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

impl<'a> MakeWriter<'a> for Tee {
    type Writer = TeeWriter;

    fn make_writer(&'a self) -> Self::Writer {
        TeeWriter {
            file: self.file.clone(),
        }
    }
}

/// `YYYY-MM-DD` of a Unix time (UTC).
fn utc_date(seconds: u64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let days = (seconds / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Installs the logger for a connector run. `crate_target` is the connector's crate (its
/// events follow `LUMOS_LOG_LEVEL` like the SDK's). Problems (a bad level, an unwritable
/// directory) are reported on stderr and never stop the run.
pub(crate) fn init(app_id: &str, crate_target: &str, format: Option<&str>) {
    let mut notes = Vec::new();
    let level = match std::env::var(LOG_LEVEL_ENV) {
        Ok(value) => level_name(&value).unwrap_or_else(|| {
            notes.push(format!(
                "{LOG_LEVEL_ENV}={value:?} is not a level; using WARNING"
            ));
            "warn"
        }),
        Err(_) => "warn",
    };
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|spec| EnvFilter::try_new(spec).ok())
        .unwrap_or_else(|| {
            EnvFilter::new(format!("warn,connector_sdk={level},{crate_target}={level}"))
        });
    let file = std::env::var_os(LOG_DIRECTORY_ENV).and_then(|dir| {
        let dir = PathBuf::from(dir);
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let path = dir.join(format!("{app_id}_{}.log", utc_date(seconds)));
        let opened = std::fs::create_dir_all(&dir)
            .and_then(|()| OpenOptions::new().create(true).append(true).open(&path));
        match opened {
            Ok(file) => Some(Arc::new(Mutex::new(file))),
            Err(error) => {
                notes.push(format!(
                    "cannot open the log file {}: {error}",
                    path.display()
                ));
                None
            }
        }
    });
    // `--log-format` over the environment.
    let json = match format {
        Some(format) => format.eq_ignore_ascii_case("json"),
        None => std::env::var(LOG_FORMAT_ENV).is_ok_and(|f| f.eq_ignore_ascii_case("json")),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Tee { file })
        .with_ansi(false)
        .with_target(true);
    let installed = if json {
        builder.json().try_init().is_ok()
    } else {
        builder.try_init().is_ok()
    };
    if installed {
        for note in notes {
            tracing::warn!("{note}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_795_824_000), "2026-11-28");
        assert_eq!(utc_date(1_795_910_399), "2026-11-28");
    }

    #[test]
    fn levels() {
        assert_eq!(level_name("WARNING"), Some("warn"));
        assert_eq!(level_name("critical"), Some("error"));
        assert_eq!(level_name("loud"), None);
    }
}
