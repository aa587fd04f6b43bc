//! Runs the connector executable the way the on-prem agent does: one process per call, the
//! request in a private file (never on the command line), one envelope read from stdout.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::Value;

/// One call of the executable.
#[derive(Debug)]
pub(crate) struct Call {
    /// The parsed envelope, when stdout held one JSON document.
    pub(crate) envelope: Option<Value>,
    /// Everything the process printed (stdout then stderr), for the secret scan.
    pub(crate) output: String,
    /// Why the output is not an envelope, if it is not.
    pub(crate) problem: Option<String>,
    pub(crate) elapsed: Duration,
}

/// The connector executable and the request's fixed parts.
pub(crate) struct Runner {
    exe: PathBuf,
    dir: tempfile::TempDir,
    settings: Value,
    auth: Value,
    /// Set as `CONNECTOR_PROTOCOL` for every run.
    protocol: connector_sdk::Protocol,
    calls: usize,
}

impl Runner {
    pub(crate) fn new(
        exe: &Path,
        settings: Value,
        auth: Value,
        protocol: connector_sdk::Protocol,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            exe: exe.to_owned(),
            dir: tempfile::tempdir().context("creating a private folder for the requests")?,
            settings,
            auth,
            protocol,
            calls: 0,
        })
    }

    /// `<exe> info`.
    pub(crate) fn info(&mut self) -> anyhow::Result<Call> {
        self.spawn(&["info"], None)
    }

    /// `<exe> <capability> --json-file <request>`.
    pub(crate) fn call(
        &mut self,
        capability: &str,
        request: Value,
        page: Option<Value>,
    ) -> anyhow::Result<Call> {
        let mut envelope = serde_json::json!({
            "auth": self.auth,
            "settings": self.settings,
            "request": request,
        });
        if let Some(page) = page {
            envelope["page"] = page;
        }
        self.calls += 1;
        let file = self.dir.path().join(format!("request-{}.json", self.calls));
        write_private(&file, envelope.to_string().as_bytes())?;
        let arguments = [capability, "--json-file", &file.to_string_lossy()].map(str::to_owned);
        let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
        let call = self.spawn(&arguments, Some(&file));
        let _ = std::fs::remove_file(&file);
        call
    }

    fn spawn(&self, arguments: &[&str], _request: Option<&Path>) -> anyhow::Result<Call> {
        let started = Instant::now();
        let output = Command::new(&self.exe)
            .args(arguments)
            .env(connector_sdk::Protocol::ENV, self.protocol.as_str())
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running {}", self.exe.display()))?;
        let elapsed = started.elapsed();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let (envelope, problem) = match serde_json::from_str::<Value>(stdout.trim_end()) {
            Ok(value) if output.status.success() => (Some(value), None),
            Ok(_) => (None, Some(format!("exit status {}", output.status))),
            Err(error) => (
                None,
                Some(format!(
                    "stdout is not one JSON document ({error}), {}",
                    output.status
                )),
            ),
        };
        Ok(Call {
            envelope,
            output: format!("{stdout}{stderr}"),
            problem,
            elapsed,
        })
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    std::io::Write::write_all(&mut file, bytes)
        .with_context(|| format!("writing {}", path.display()))
}
