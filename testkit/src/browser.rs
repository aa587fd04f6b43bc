//! Browser tests of a connector's developer console: a headless Chromium driven through its
//! WebDriver, `chromedriver`, and the connector's `console` subcommand as a child process.
//!
//! [`Browser::start`] starts chromedriver on a free loopback port (in its own process group,
//! killed with everything it started when the [`Browser`] is dropped), opens a headless
//! Chromium session (`--no-sandbox`, since tests run as root) with its network log on, and
//! fails with a clear message when Chromium or chromedriver is missing
//! (`mock-connector/scripts/ensure-chromium.sh` installs both). [`Browser::urls`] lists what the
//! current pages asked for, and [`Browser::close`] every request of the session in any window
//! (Chromium's own network log, with the origin of the page behind each), so a test can prove
//! that no page sent anything to another machine.
//! [`Console::start`] runs `<connector> console --no-open` and reads the URL it prints.
//!
//! ```no_run
//! # async fn demo() -> Result<(), String> {
//! use connector_testkit::browser::{Browser, Console};
//!
//! let console = Console::start(std::path::Path::new("target/debug/mock-connector"))?;
//! let browser = Browser::start("target/console-screenshots").await?;
//! browser.client().goto(console.url()).await.map_err(|e| e.to_string())?;
//! browser.screenshot("form").await?;
//! let requests = browser.close().await?;
//! let urls = requests.into_iter().filter(|r| r.initiator.is_some()).map(|r| r.url).collect();
//! assert!(connector_testkit::browser::hosts(&urls).iter().all(|host| host == "127.0.0.1"));
//! # Ok(()) }
//! ```

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use fantoccini;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// The file, in the profile directory, where Chromium records every network request.
const NET_LOG: &str = "netlog.json";

/// How long page conditions are waited for.
pub const WAIT: Duration = Duration::from_secs(15);

/// A child process (and its process group) that dies with this guard.
#[derive(Debug)]
struct ProcessGroup {
    child: Child,
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium processes it started.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_in_group(command: &mut Command) -> std::io::Result<Child> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    command.spawn()
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .chain(["/usr/bin", "/usr/lib/chromium", "/usr/local/bin"].map(PathBuf::from))
        .collect();
    names.iter().find_map(|name| {
        dirs.iter()
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

/// A headless Chromium session through a chromedriver this guard owns.
#[derive(Debug)]
pub struct Browser {
    client: Client,
    screenshots: PathBuf,
    seen: Mutex<BTreeSet<String>>,
    _profile: tempfile::TempDir,
    _driver: ProcessGroup,
}

/// chromedriver's log endpoint (not in the W3C protocol, so not in fantoccini's API).
#[derive(Debug)]
struct PerformanceLog;

impl WebDriverCompatibleCommand for PerformanceLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "performance"}).to_string()),
        )
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session; screenshots go to `screenshots`.
    ///
    /// Fails with a clear message when Chromium or chromedriver is not installed or does not
    /// start.
    pub async fn start(screenshots: impl Into<PathBuf>) -> Result<Self, String> {
        const INSTALL: &str = "install them with `bash mock-connector/scripts/ensure-chromium.sh` \
                               (Debian packages chromium and chromium-driver)";
        let driver = find_program(&["chromedriver"])
            .ok_or_else(|| format!("chromedriver is not installed: {INSTALL}"))?;
        let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"])
            .ok_or_else(|| format!("Chromium is not installed: {INSTALL}"))?;
        let profile = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
        let port = free_port()?;
        let child = spawn_in_group(
            Command::new(&driver)
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )
        .map_err(|e| format!("cannot start {}: {e}", driver.display()))?;
        let driver_guard = ProcessGroup { child };
        let capabilities = json!({
            "browserName": "chrome",
            "goog:loggingPrefs": {"performance": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,1000", "--no-first-run", "--no-default-browser-check",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-extensions", "--disable-default-apps",
                    "--disable-features=Translate,OptimizationHints,MediaRouter,\
                     AutofillServerCommunication,PasswordLeakDetection",
                    "--disable-client-side-phishing-detection", "--no-pings",
                    "--disable-popup-blocking", "--lang=en-US",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--log-net-log={}", profile.path().join(NET_LOG).display()),
                ],
            },
        });
        let Value::Object(capabilities) = capabilities else {
            return Err("the capabilities are not an object".to_owned());
        };
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            let attempt = ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await;
            match attempt {
                Ok(client) => break client,
                Err(error) if started.elapsed() > Duration::from_secs(20) => {
                    return Err(format!(
                        "cannot open a Chromium session through {} ({}) on port {port}: {error}",
                        driver.display(),
                        chromium.display()
                    ));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        let screenshots = screenshots.into();
        std::fs::create_dir_all(&screenshots)
            .map_err(|e| format!("cannot create {}: {e}", screenshots.display()))?;
        Ok(Self {
            client,
            screenshots,
            seen: Mutex::new(BTreeSet::new()),
            _profile: profile,
            _driver: driver_guard,
        })
    }

    /// The WebDriver client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Writes a screenshot of the current window as `<screenshots>/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf, String> {
        let png = self
            .client
            .screenshot()
            .await
            .map_err(|e| format!("screenshot {name}: {e}"))?;
        let path = self.screenshots.join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(path)
    }

    /// Every URL any page of the session requested so far (from Chromium's network log, and
    /// the current page's resource timing).
    pub async fn urls(&self) -> Result<BTreeSet<String>, String> {
        let log = self
            .client
            .issue_cmd(PerformanceLog)
            .await
            .map_err(|e| format!("cannot read the performance log: {e}"))?;
        let entries = self
            .client
            .execute(
                "return performance.getEntries().map(e => e.name).concat([location.href]);",
                vec![],
            )
            .await
            .map_err(|e| format!("cannot read the resource timing: {e}"))?;
        let mut seen = self.seen.lock().map_err(|_| "poisoned".to_owned())?;
        for entry in log.as_array().into_iter().flatten() {
            let Some(message) = entry.get("message").and_then(Value::as_str) else {
                continue;
            };
            let Ok(message) = serde_json::from_str::<Value>(message) else {
                continue;
            };
            let message = &message["message"];
            if let Some(url) = message
                .pointer("/params/request/url")
                .or_else(|| message.pointer("/params/response/url"))
                .or_else(|| message.pointer("/params/documentURL"))
                .and_then(Value::as_str)
            {
                seen.insert(url.to_owned());
            }
        }
        for name in entries.as_array().into_iter().flatten() {
            if let Some(name) = name.as_str() {
                seen.insert(name.to_owned());
            }
        }
        Ok(seen.clone())
    }

    /// Waits for an element matching `css` and returns it.
    pub async fn find(&self, css: &str) -> Result<fantoccini::elements::Element, String> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("no element `{css}` within {WAIT:?}: {e}"))
    }

    /// Types `text` into the input `css` after clearing it, then fires an `input` event so the
    /// page's listeners see the final value.
    pub async fn fill(&self, css: &str, text: &str) -> Result<(), String> {
        let input = self.find(css).await?;
        input
            .clear()
            .await
            .map_err(|e| format!("clear {css}: {e}"))?;
        if !text.is_empty() {
            input
                .send_keys(text)
                .await
                .map_err(|e| format!("type into {css}: {e}"))?;
        }
        self.eval(
            "document.querySelector(arguments[0]).dispatchEvent(new Event('input', {bubbles: true})); return true;",
            vec![Value::String(css.to_owned())],
        )
        .await?;
        Ok(())
    }

    /// Evaluates `script` (a function body that `return`s) in the page.
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.client
            .execute(script, args)
            .await
            .map_err(|e| format!("script failed: {e}\n{script}"))
    }

    /// Waits until `script` returns something truthy (not `null`, `false`, `""` or `0`) and
    /// returns it; fails with `what` and the last value after [`WAIT`].
    pub async fn wait_for(&self, what: &str, script: &str) -> Result<Value, String> {
        let started = Instant::now();
        loop {
            let value = self.eval(script, vec![]).await?;
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return Ok(value);
            }
            if started.elapsed() > WAIT {
                return Err(format!(
                    "timed out after {WAIT:?} waiting for {what} (last value: {value})"
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Ends the session and returns every request the browser made, in any window or popup,
    /// from Chromium's own network log (`--log-net-log`, completed as Chromium exits).
    /// chromedriver and Chromium are killed when the guard drops.
    pub async fn close(self) -> Result<Vec<LoggedRequest>, String> {
        let _ = self.client.clone().close().await;
        let path = self._profile.path().join(NET_LOG);
        let started = Instant::now();
        loop {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if let Ok(log) = serde_json::from_str::<Value>(&text) {
                return Ok(logged_requests(&log));
            }
            if started.elapsed() > Duration::from_secs(5) {
                return Err(format!(
                    "Chromium left no complete network log at {} ({} bytes)",
                    path.display(),
                    text.len()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// One request from Chromium's network log.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LoggedRequest {
    /// The URL requested.
    pub url: String,
    /// The origin of the page that caused it (a fetch, a subresource, a navigation a page
    /// started); `None` for Chromium's own requests (updates, sign-in, autofill, safe browsing)
    /// and for navigations the WebDriver client started.
    pub initiator: Option<String>,
}

/// The `URL_REQUEST_START_JOB` events of a net log.
fn logged_requests(log: &Value) -> Vec<LoggedRequest> {
    let Some(start_job) = log
        .pointer("/constants/logEventTypes/URL_REQUEST_START_JOB")
        .and_then(Value::as_u64)
    else {
        return Vec::new();
    };
    log["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|event| event["type"].as_u64() == Some(start_job))
        .filter_map(|event| {
            let url = event.pointer("/params/url")?.as_str()?.to_owned();
            let initiator = event
                .pointer("/params/initiator")
                .and_then(Value::as_str)
                .filter(|origin| origin.contains("://"))
                .map(str::to_owned);
            Some(LoggedRequest { url, initiator })
        })
        .collect()
}

/// The hosts of the network URLs among `urls` (`data:`, `about:`, `chrome:` and the like have
/// none).
pub fn hosts(urls: &BTreeSet<String>) -> BTreeSet<String> {
    urls.iter()
        .filter_map(|url| url::Url::parse(url).ok())
        .filter(|url| matches!(url.scheme(), "http" | "https" | "ws" | "wss" | "ftp"))
        .filter_map(|url| url.host_str().map(str::to_owned))
        .collect()
}

/// `<connector> console --no-open` (or `serve`) as a child process, killed on drop.
#[derive(Debug)]
pub struct Console {
    url: String,
    _process: ProcessGroup,
}

impl Console {
    /// Starts the console of the connector executable `exe` and waits (10 s at most) for the
    /// URL it prints on stderr.
    pub fn start(exe: &Path) -> Result<Self, String> {
        Self::spawn(exe, &["console", "--no-open"], None, "console: ")
    }

    /// Starts the console of `exe` speaking `protocol` (`--protocol <version> console`).
    pub fn start_in(exe: &Path, protocol: connector_sdk::Protocol) -> Result<Self, String> {
        let args = ["--protocol", protocol.as_str(), "console", "--no-open"];
        Self::spawn(exe, &args, None, "console: ")
    }

    /// Starts `<exe> serve --port 0` with `token` as its bearer token (through
    /// `CONNECTOR_SERVE_TOKEN`); the URL is the server's `/`, without the token.
    pub fn serve(exe: &Path, token: &str) -> Result<Self, String> {
        let console = Self::spawn(exe, &["serve", "--port", "0"], Some(token), "listening on ")?;
        Ok(Self {
            url: format!("{}/", console.url),
            ..console
        })
    }

    fn spawn(
        exe: &Path,
        args: &[&str],
        token: Option<&str>,
        prefix: &'static str,
    ) -> Result<Self, String> {
        let mut command = Command::new(exe);
        command
            .args(args)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("CONNECTOR_SERVE_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(token) = token {
            command.env("CONNECTOR_SERVE_TOKEN", token);
        }
        let child = spawn_in_group(&mut command)
            .map_err(|e| format!("cannot start {} {}: {e}", exe.display(), args.join(" ")))?;
        let mut process = ProcessGroup { child };
        let stderr = process
            .child
            .stderr
            .take()
            .ok_or_else(|| "no stderr".to_owned())?;
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix(prefix) {
                    let _ = sender.send(url.trim().to_owned());
                }
            }
        });
        let url = receiver
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| {
                format!(
                    "{} {} printed no `{prefix}URL` line within 10 s",
                    exe.display(),
                    args.join(" ")
                )
            })?;
        Ok(Self {
            url,
            _process: process,
        })
    }

    /// The URL it printed: `http://127.0.0.1:<port>/#token=<token>` for `console`,
    /// `http://127.0.0.1:<port>/` for `serve`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The origin, `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> &str {
        let base = self.url.split("/#").next().unwrap_or(&self.url);
        base.trim_end_matches('/')
    }
}
