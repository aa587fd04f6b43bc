//! Running the compiled `mock-connector` and reading its single JSON document.

use assert_cmd::Command;
use serde_json::Value;

/// The valid request of the seed example.
pub(crate) const VALID: &str = r#"{"auth":{"basic":{"username":"foo","password":"bar"}},"request":{},"settings":{"host":"google.com"}}"#;

/// The compiled connector.
pub(crate) fn connector() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("mock-connector"))
}

/// What one run printed.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn run(args: &[&str]) -> Run {
    let output = connector().args(args).output().expect("the connector runs");
    Run {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

impl Run {
    /// The one JSON document on stdout: a single line ending in a newline, nothing else.
    pub(crate) fn document(&self) -> Value {
        assert!(
            self.stdout.ends_with('\n'),
            "stdout must end with a newline: {:?}",
            self.stdout
        );
        let body = &self.stdout[..self.stdout.len() - 1];
        assert!(
            !body.contains('\n'),
            "stdout must hold one line: {:?}",
            self.stdout
        );
        serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {body}"))
    }

    /// Asserts exit 0 and an error envelope with `code`; returns the error object.
    pub(crate) fn expect_error(&self, code: &str) -> Value {
        assert_eq!(self.code, 0, "exit code; stderr: {}", self.stderr);
        let doc = self.document();
        assert_eq!(doc["is_error"], true, "{doc}");
        assert_eq!(doc["error"]["error_code"], code, "{doc}");
        assert_eq!(doc["raw_data"], Value::Null);
        assert_eq!(doc["page"], Value::Null);
        assert_eq!(doc["error"]["app_id"], "mock-connector");
        doc["error"].clone()
    }

    /// Asserts a usage error: exit 2, nothing on stdout, a message on stderr.
    pub(crate) fn expect_usage_error(&self) {
        assert_eq!(
            self.code, 2,
            "exit code; stdout: {} stderr: {}",
            self.stdout, self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "stdout must be empty: {}",
            self.stdout
        );
        assert!(
            !self.stderr.is_empty(),
            "stderr must explain the usage error"
        );
    }
}

/// A reqwest client builder for the tests' own calls to test servers. The workspace's reqwest
/// has no default TLS crypto provider (the SDK installs rustls' `ring` one when it builds its
/// client), so this installs it first.
pub(crate) fn http() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// Base64 of `text` in the four alphabets a secret could be sent in: standard and URL-safe,
/// each without and with padding.
pub(crate) fn base64_forms(text: &str) -> Vec<String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD_NO_PAD, URL_SAFE_NO_PAD, STANDARD, URL_SAFE]
        .iter()
        .map(|engine| engine.encode(text))
        .collect()
}

/// Every form in which `secret` could be written by an app, a library or a log: raw,
/// JSON-escaped, base64 (four alphabets), percent-encoded form style (`+` or `%20` for a space)
/// and byte by byte, with upper- or lower-case escapes, and wholly lower-cased.
pub(crate) fn secret_forms(secret: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let every: String = secret.bytes().map(|b| format!("%{b:02X}")).collect();
    let json = serde_json::to_string(secret).expect("a string serializes");
    let mut forms = vec![
        secret.to_owned(),
        json.trim_matches('"').to_owned(),
        form.replace('+', "%20"),
        lower_hex(&form),
        form.to_lowercase(),
        form,
        every.to_lowercase(),
        every,
    ];
    forms.extend(base64_forms(secret));
    forms
}

/// `%XX` escapes in lower case, the rest untouched.
fn lower_hex(text: &str) -> String {
    let mut out = String::new();
    let mut hex_left = 0;
    for c in text.chars() {
        if hex_left > 0 {
            out.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            hex_left = if c == '%' { 2 } else { 0 };
            out.push(c);
        }
    }
    out
}

/// A multi-thread tokio runtime of `workers` threads, for tests that block on async code.
pub(crate) fn runtime(workers: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A single-thread tokio runtime, for tests that block on async code.
pub(crate) fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// The compiled connector as a server: `args` (`["serve", "--port", "0"]`, say), without a
/// bearer token from the test's own environment.
pub(crate) fn server_command(args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin!("mock-connector"));
    command.args(args).env_remove("CONNECTOR_SERVE_TOKEN");
    command
}

/// A server a test started: the process, the URL it said it listens on, and its stderr lines
/// as they come (a thread reads them, so a chatty server never blocks on a full pipe).
/// Dropping it kills the process.
pub(crate) struct ServerProcess {
    pub(crate) child: std::process::Child,
    pub(crate) url: String,
    /// The stderr lines before `listening on`.
    pub(crate) before: Vec<String>,
    /// The stderr lines after it.
    pub(crate) lines: std::sync::mpsc::Receiver<String>,
}

impl ServerProcess {
    /// Spawns `command` with stderr piped and waits (a minute at most) for its
    /// `listening on <url>` line.
    pub(crate) fn start(command: &mut std::process::Command) -> Self {
        let mut child = command
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the server starts");
        let lines = stderr_lines(&mut child);
        let mut before = Vec::new();
        let url = wait_for_in(&lines, "listening on ", &mut before);
        Self {
            child,
            url,
            before,
            lines,
        }
    }

    /// Sends SIGTERM: the graceful stop.
    pub(crate) fn terminate(&self) {
        sigterm(self.child.id());
    }

    /// Waits for the process to end; whether it exited with success.
    pub(crate) fn exited_cleanly(&mut self) -> bool {
        self.child.wait().expect("the server ends").success()
    }

    /// Kills the process and returns the stderr lines it wrote after `listening on`.
    pub(crate) fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.lines.iter().collect()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends SIGTERM to process `pid`.
pub(crate) fn sigterm(pid: u32) {
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success(), "kill -TERM {pid} failed");
}

/// The lines a child writes on stderr, as they come.
pub(crate) fn stderr_lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let stderr = child.stderr.take().expect("stderr is piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Waits (at most a minute) for the line starting with `prefix`; the rest of it.
pub(crate) fn wait_for(lines: &std::sync::mpsc::Receiver<String>, prefix: &str) -> String {
    wait_for_in(lines, prefix, &mut Vec::new())
}

/// [`wait_for`], keeping the lines before the one awaited in `seen`.
fn wait_for_in(
    lines: &std::sync::mpsc::Receiver<String>,
    prefix: &str,
    seen: &mut Vec<String>,
) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => match line.strip_prefix(prefix) {
                Some(rest) => return rest.to_owned(),
                None => seen.push(line),
            },
            Err(error) => panic!("no line starting {prefix:?} ({error}); saw {seen:#?}"),
        }
    }
}
