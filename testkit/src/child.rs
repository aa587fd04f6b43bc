//! Real servers as child processes of a test: OpenLDAP's `slapd`, Samba, 389-ds' `ns-slapd`,
//! `scim2-server`, or anything else that listens on a port or prints a line when it is ready.
//!
//! [`ChildServer::builder`] names the program and its arguments; [`ChildServerBuilder::start`]
//! starts it and waits until every [`port`](ChildServerBuilder::ready_port) answers and the
//! [ready line](ChildServerBuilder::ready_line) is in its output. The program's standard output
//! and error go to a log file, which every error quotes.
//!
//! A watchdog owns the server: a small `sh` process between the test and the server, reading
//! its standard input from the test. When the [`ChildServer`] drops, or when the test process
//! ends however it ends (a panic, `exit`, SIGKILL), that input closes, and the watchdog stops
//! the server's whole process group (SIGTERM, then SIGKILL after ten seconds), runs the
//! [cleanup commands](ChildServerBuilder::cleanup) and removes the
//! [directories](ChildServerBuilder::remove_on_exit) it was given. A server kept in a `static`
//! is so stopped when the test binary exits.
//!
//! Needs a Unix `sh`, `setsid` (util-linux) and `/proc`.
//!
//! ```
//! use connector_testkit::ChildServer;
//!
//! let server = ChildServer::builder("sh")
//!     .args(["-c", "echo listening; exec sleep 60"])
//!     .ready_line("listening")
//!     .start()
//!     .unwrap();
//! assert!(server.is_running());
//! assert!(server.log().contains("listening"));
//! let pid = server.pid();
//! drop(server); // stops it
//! assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists());
//! ```
//!
//! A server on a free port, ready when the port answers:
//!
//! ```no_run
//! use connector_testkit::{ChildServer, free_port, scratch_dir};
//!
//! let dir = scratch_dir("my-slapd").unwrap();
//! let port = free_port().unwrap();
//! let slapd = ChildServer::builder("/usr/sbin/slapd")
//!     .args(["-d", "0", "-f"])
//!     .arg(dir.join("slapd.conf"))
//!     .arg("-h")
//!     .arg(format!("ldap://127.0.0.1:{port}/"))
//!     .log(dir.join("slapd.log"))
//!     .ready_port(port)
//!     .remove_on_exit(&dir)
//!     .start()
//!     .unwrap_or_else(|e| panic!("{e}"));
//! ```

use std::ffi::{OsStr, OsString};
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// How much of the log an error quotes (its end).
const LOG_TAIL: usize = 16 * 1024;

/// A free TCP port on 127.0.0.1 (the system's choice; free when asked, so start the server
/// soon after).
///
/// # Errors
///
/// When no loopback socket can be bound.
pub fn free_port() -> std::io::Result<u16> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
}

/// 128 random bits as 32 hex digits, from the standard library's randomly keyed hasher: for
/// bearer tokens and unique names of throwaway servers.
pub fn random_token() -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    let half = || {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        hasher.write_u128(now.map_or(0, |d| d.as_nanos()));
        hasher.write_u32(std::process::id());
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(), half())
}

/// A new, empty directory `<temp dir>/<prefix>-<pid>-<random>`, for a server's files. Give it
/// to [`ChildServerBuilder::remove_on_exit`] so it goes away with the server.
///
/// # Errors
///
/// When the directory cannot be created.
pub fn scratch_dir(prefix: &str) -> std::io::Result<PathBuf> {
    let token = random_token();
    let dir =
        std::env::temp_dir().join(format!("{prefix}-{}-{}", std::process::id(), &token[..12]));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Why a child server did not start (or restart, or get ready): what was awaited, whether the
/// server exited, and the end of its log.
#[derive(Debug, Clone)]
pub struct ChildError {
    message: String,
    exited: bool,
    log: String,
}

impl ChildError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            exited: false,
            log: String::new(),
        }
    }

    /// Whether the server had exited (rather than not being ready in time).
    pub fn exited(&self) -> bool {
        self.exited
    }

    /// The end of the server's output when it failed.
    pub fn log(&self) -> &str {
        &self.log
    }
}

impl std::fmt::Display for ChildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if !self.log.is_empty() {
            write!(f, "; its output:\n{}", self.log)?;
        }
        Ok(())
    }
}

impl std::error::Error for ChildError {}

/// What to start and when it is ready; made by [`ChildServer::builder`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `start`"]
pub struct ChildServerBuilder {
    name: String,
    program: OsString,
    args: Vec<OsString>,
    envs: Vec<(OsString, OsString)>,
    current_dir: Option<PathBuf>,
    log: Option<PathBuf>,
    ports: Vec<u16>,
    ready_line: Option<String>,
    timeout: Duration,
    cleanup: Vec<Vec<OsString>>,
    remove: Vec<PathBuf>,
}

impl ChildServerBuilder {
    /// The name errors use (the program's file name unless set).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Adds an argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Sets an environment variable of the server (and of the cleanup commands).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.envs
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// The server's working directory.
    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.current_dir = Some(dir.into());
        self
    }

    /// Where the server's standard output and error go (appended). Without it they go to a
    /// temporary file that the watchdog removes when the server stops.
    pub fn log(mut self, path: impl Into<PathBuf>) -> Self {
        self.log = Some(path.into());
        self
    }

    /// Ready only once a TCP connection to 127.0.0.1:`port` succeeds (repeatable: every port).
    pub fn ready_port(mut self, port: u16) -> Self {
        self.ports.push(port);
        self
    }

    /// Ready only once the server's output contains `line`.
    pub fn ready_line(mut self, line: impl Into<String>) -> Self {
        self.ready_line = Some(line.into());
        self
    }

    /// How long starting may take until ready (30 s unless set).
    pub fn ready_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// A command the watchdog runs after the server stopped (repeatable, in order); its
    /// output goes to the log. For servers that keep state outside their directory.
    pub fn cleanup<I, S>(mut self, command: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let command: Vec<OsString> = command.into_iter().map(|a| a.as_ref().to_owned()).collect();
        if !command.is_empty() {
            self.cleanup.push(command);
        }
        self
    }

    /// A directory the watchdog removes (recursively) after the server stopped and the
    /// cleanup commands ran.
    pub fn remove_on_exit(mut self, dir: impl Into<PathBuf>) -> Self {
        self.remove.push(dir.into());
        self
    }

    /// Starts the server under its watchdog and waits until it is ready.
    ///
    /// # Errors
    ///
    /// When `sh` cannot start, or the server exits or is not ready within the timeout (the
    /// error quotes its log). The server is stopped and cleaned up then.
    pub fn start(mut self) -> Result<ChildServer, ChildError> {
        let log = match self.log.clone() {
            Some(log) => log,
            None => {
                let file = std::env::temp_dir().join(format!(
                    "child-server-{}-{}.log",
                    std::process::id(),
                    &random_token()[..12]
                ));
                self.remove.push(file.clone());
                file
            }
        };
        let script = self.script(&log);
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(OsString::from_vec(script))
            .arg(format!("{}-watchdog", self.name))
            .envs(self.envs.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(dir) = &self.current_dir {
            command.current_dir(dir);
        }
        let mut watchdog = command.spawn().map_err(|e| {
            ChildError::new(format!("cannot start the {} watchdog (sh): {e}", self.name))
        })?;
        let stdin = watchdog.stdin.take();
        let stdout = watchdog.stdout.take().map(BufReader::new);
        let mut server = ChildServer {
            name: self.name,
            pid: 0,
            log,
            ports: self.ports,
            ready_line: self.ready_line,
            log_start: 0,
            timeout: self.timeout,
            stdin,
            stdout,
            watchdog,
        };
        server.pid = server.read_pid()?;
        server.wait_until_ready()?;
        Ok(server)
    }

    /// The watchdog: starts the server in its own session (so in its own process group),
    /// prints its pid, restarts it on each line of input, and at the end of input stops it,
    /// runs the cleanup commands and removes the directories.
    fn script(&self, log: &Path) -> Vec<u8> {
        let mut server = quote(self.program.as_bytes());
        for arg in &self.args {
            server.push(b' ');
            server.extend(quote(arg.as_bytes()));
        }
        let log = quote(log.as_os_str().as_bytes());
        let mut script = Vec::new();
        script.extend_from_slice(b"start() {\n  setsid ");
        script.extend(&server);
        script.extend_from_slice(b" </dev/null >>");
        script.extend(&log);
        script.extend_from_slice(b" 2>&1 &\n  pid=$!\n  echo \"$pid\"\n}\n");
        script.extend_from_slice(
            br#"stop() {
  kill -TERM -"$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  i=0
  while kill -0 -"$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null; do
    if [ "$i" -ge 100 ]; then
      kill -KILL -"$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    fi
    # A shell that never reaps would see a zombie forever: give up after 15 s.
    if [ "$i" -ge 150 ]; then
      break
    fi
    sleep 0.1
    i=$((i + 1))
  done
  wait "$pid" 2>/dev/null
}
start
while read -r _line; do
  stop
  start
done
stop
"#,
        );
        for command in &self.cleanup {
            let words: Vec<Vec<u8>> = command.iter().map(|w| quote(w.as_bytes())).collect();
            script.extend(words.join(&b' '));
            script.extend_from_slice(b" </dev/null >>");
            script.extend(&log);
            script.extend_from_slice(b" 2>&1\n");
        }
        for dir in &self.remove {
            script.extend_from_slice(b"rm -rf ");
            script.extend(quote(dir.as_os_str().as_bytes()));
            script.push(b'\n');
        }
        script
    }
}

/// `word` in single quotes for `sh`.
fn quote(word: &[u8]) -> Vec<u8> {
    let mut quoted = vec![b'\''];
    for &byte in word {
        if byte == b'\'' {
            quoted.extend_from_slice(b"'\\''");
        } else {
            quoted.push(byte);
        }
    }
    quoted.push(b'\'');
    quoted
}

/// A running server under its watchdog; stopped (with its process group) and cleaned up when
/// dropped or when the test process ends. See the [module documentation](self).
#[derive(Debug)]
pub struct ChildServer {
    name: String,
    pid: u32,
    log: PathBuf,
    ports: Vec<u16>,
    ready_line: Option<String>,
    /// Where the current run's output starts in the log (a restart appends).
    log_start: usize,
    timeout: Duration,
    stdin: Option<ChildStdin>,
    stdout: Option<BufReader<ChildStdout>>,
    watchdog: Child,
}

impl ChildServer {
    /// A server running `program` (a path, or a name looked up in `PATH`).
    pub fn builder(program: impl AsRef<OsStr>) -> ChildServerBuilder {
        let program = program.as_ref().to_owned();
        let name = Path::new(&program)
            .file_name()
            .map_or_else(|| "server".to_owned(), |n| n.to_string_lossy().into_owned());
        ChildServerBuilder {
            name,
            program,
            args: Vec::new(),
            envs: Vec::new(),
            current_dir: None,
            log: None,
            ports: Vec::new(),
            ready_line: None,
            timeout: Duration::from_secs(30),
            cleanup: Vec::new(),
            remove: Vec::new(),
        }
    }

    /// The server's process id (also its process group's).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Where its output goes.
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// Its output so far.
    pub fn log(&self) -> String {
        std::fs::read(&self.log)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    }

    /// Whether the server process is alive (not exited, not a zombie).
    pub fn is_running(&self) -> bool {
        process_alive(self.pid)
    }

    /// Waits until `probe` succeeds (polled every 20 ms), failing early when the server exits.
    /// For readiness beyond an open port: an answer to a real request.
    ///
    /// # Errors
    ///
    /// When the server exits or `probe` still fails after `timeout`: the error names `what`,
    /// quotes the probe's last answer and the log.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        mut probe: impl FnMut() -> Result<(), String>,
    ) -> Result<(), ChildError> {
        let deadline = Instant::now() + timeout;
        loop {
            let last = match probe() {
                Ok(()) => return Ok(()),
                Err(last) => last,
            };
            let exited = !self.is_running();
            if exited || Instant::now() > deadline {
                let mut message = format!("{} did not {what}", self.name);
                if exited {
                    message.push_str(" (it exited)");
                } else {
                    message.push_str(&format!(" within {} s", timeout.as_secs()));
                }
                if !last.is_empty() {
                    message.push_str(&format!(" (last: {last})"));
                }
                return Err(ChildError {
                    message,
                    exited,
                    log: tail(&self.log()),
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server's process group and starts it again with the same command, then waits
    /// until it is ready as [`ChildServerBuilder::start`] did. Nothing is cleaned up between.
    ///
    /// # Errors
    ///
    /// When the watchdog is gone, or the restarted server is not ready.
    pub fn restart(&mut self) -> Result<(), ChildError> {
        let gone = || ChildError::new(format!("the {} watchdog is gone", self.name));
        self.log_start = self.log().len();
        let stdin = self.stdin.as_mut().ok_or_else(gone)?;
        stdin
            .write_all(b"restart\n")
            .and_then(|()| stdin.flush())
            .map_err(|e| ChildError::new(format!("cannot restart {}: {e}", self.name)))?;
        self.pid = self.read_pid()?;
        self.wait_until_ready()
    }

    /// Stops the server and cleans up (what dropping it does).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn read_pid(&mut self) -> Result<u32, ChildError> {
        let mut line = String::new();
        if let Some(stdout) = self.stdout.as_mut() {
            let _ = stdout.read_line(&mut line);
        }
        line.trim().parse().map_err(|_| {
            ChildError::new(format!(
                "the {} watchdog did not start it (is `setsid` installed?)",
                self.name
            ))
        })
    }

    fn wait_until_ready(&self) -> Result<(), ChildError> {
        let what = match (&self.ports[..], &self.ready_line) {
            ([], None) => "start".to_owned(),
            (ports, line) => {
                let mut parts = Vec::new();
                if !ports.is_empty() {
                    let list: Vec<String> = ports.iter().map(u16::to_string).collect();
                    parts.push(format!("listen on 127.0.0.1:{}", list.join(" and :")));
                }
                if let Some(line) = line {
                    parts.push(format!("print {line:?}"));
                }
                parts.join(" and ")
            }
        };
        self.wait_until(&what, self.timeout, || {
            for &port in &self.ports {
                let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
                TcpStream::connect_timeout(&address, Duration::from_millis(200))
                    .map_err(|e| format!("127.0.0.1:{port}: {e}"))?;
            }
            if let Some(line) = &self.ready_line
                && !self
                    .log()
                    .get(self.log_start..)
                    .is_some_and(|run| run.contains(line.as_str()))
            {
                return Err(String::new());
            }
            if self.ports.is_empty() && self.ready_line.is_none() && !self.is_running() {
                return Err(String::new());
            }
            Ok(())
        })
    }

    fn shutdown(&mut self) {
        drop(self.stdin.take());
        drop(self.stdout.take());
        let _ = self.watchdog.wait();
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Whether `pid` is a live process: present in `/proc` and not a zombie.
fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesized command name, which may itself hold ')'.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_some_and(|state| !matches!(state, 'Z' | 'X')),
        Err(_) => false,
    }
}

/// The last [`LOG_TAIL`] bytes of `log`, from a line start.
fn tail(log: &str) -> String {
    if log.len() <= LOG_TAIL {
        return log.to_owned();
    }
    let mut start = log.len() - LOG_TAIL;
    while !log.is_char_boundary(start) {
        start += 1;
    }
    let cut = &log[start..];
    let cut = cut.split_once('\n').map_or(cut, |(_, rest)| rest);
    format!("…\n{cut}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait_gone(pid: u32) -> bool {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if !process_alive(pid) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    #[test]
    fn a_server_that_exits_fails_with_its_output() {
        let error = ChildServer::builder("sh")
            .args(["-c", "echo 'cannot bind: address in use' >&2; exit 3"])
            .ready_line("ready")
            .ready_timeout(Duration::from_secs(10))
            .start()
            .expect_err("the server exits");
        assert!(error.exited(), "{error}");
        assert!(error.log().contains("cannot bind"), "{error}");
        let text = error.to_string();
        assert!(
            text.starts_with("sh did not print \"ready\" (it exited)"),
            "{text}"
        );
    }

    #[test]
    fn a_port_that_never_answers_times_out() {
        let port = free_port().expect("a port");
        let error = ChildServer::builder("sleep")
            .arg("30")
            .name("sleeper")
            .ready_port(port)
            .ready_timeout(Duration::from_millis(300))
            .start()
            .expect_err("nothing listens");
        assert!(!error.exited(), "{error}");
        let text = error.to_string();
        assert!(
            text.starts_with(&format!(
                "sleeper did not listen on 127.0.0.1:{port} within 0 s"
            )),
            "{text}"
        );
    }

    #[test]
    fn drop_stops_the_process_group_and_cleans_up() {
        let dir = scratch_dir("child-test").expect("a directory");
        let elsewhere = scratch_dir("child-test-marker").expect("a directory");
        let marker = elsewhere.join("cleaned");
        // The server has a child of its own, which a SIGTERM to the server alone would leave.
        let server = ChildServer::builder("sh")
            .args([
                "-c",
                "sh -c 'echo \"$$\" >grandchild; exec sleep 60' & echo up; wait",
            ])
            .current_dir(&dir)
            .log(dir.join("server.log"))
            .ready_line("up")
            .cleanup(["touch", marker.to_str().expect("UTF-8")])
            .cleanup(["cp", marker.to_str().expect("UTF-8"), "/dev/null"])
            .remove_on_exit(&dir)
            .start()
            .expect("starts");
        let pid = server.pid();
        server
            .wait_until("write its child's pid", Duration::from_secs(10), || {
                std::fs::read_to_string(dir.join("grandchild"))
                    .ok()
                    .filter(|pid| pid.ends_with('\n'))
                    .map(drop)
                    .ok_or_else(String::new)
            })
            .expect("a grandchild");
        let grandchild: u32 = std::fs::read_to_string(dir.join("grandchild"))
            .expect("its pid")
            .trim()
            .parse()
            .expect("a pid");
        assert!(process_alive(grandchild));
        server.stop();
        assert!(!process_alive(pid));
        assert!(wait_gone(grandchild), "the grandchild survived");
        // The watchdog ran the cleanup commands (in order: `cp` needs the marker) and removed
        // the directory.
        assert!(!dir.exists(), "{} is left", dir.display());
        assert!(marker.exists(), "the cleanup did not run");
        let _ = std::fs::remove_dir_all(&elsewhere);
    }

    #[test]
    fn restart_starts_a_new_process_with_the_same_command() {
        let mut server = ChildServer::builder("sh")
            .args(["-c", "echo \"started $$\"; exec sleep 60"])
            .ready_line("started")
            .start()
            .expect("starts");
        let first = server.pid();
        let log = server.log_path().to_owned();
        server.restart().expect("restarts");
        assert_ne!(server.pid(), first);
        assert!(!process_alive(first));
        assert!(server.is_running());
        assert_eq!(
            server.log().matches("started").count(),
            2,
            "{}",
            server.log()
        );
        drop(server);
        assert!(!log.exists(), "the temporary log is removed");
    }

    #[test]
    fn quoting_keeps_every_byte() {
        let dir = scratch_dir("child-quote").expect("a directory");
        let odd = "it's a \"test\" $HOME `x` \\ ;";
        let server = ChildServer::builder("sh")
            .args(["-c", "printf '%s\\n' \"$1\"; exec sleep 60", "sh", odd])
            .log(dir.join("odd log's.txt"))
            .ready_line(odd)
            .remove_on_exit(&dir)
            .start()
            .expect("starts");
        assert_eq!(server.log(), format!("{odd}\n"));
        server.stop();
        assert!(!dir.exists());
    }

    #[test]
    fn free_ports_and_tokens_differ() {
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 32);
        assert_ne!(free_port().expect("a port"), 0);
    }

    #[test]
    fn the_log_tail_starts_at_a_line() {
        let log: String = (0..5_000).map(|n| format!("line {n}\n")).collect();
        let cut = tail(&log);
        assert!(cut.starts_with("…\nline "), "{}", &cut[..20]);
        assert!(cut.ends_with("line 4999\n"));
        assert!(cut.len() <= LOG_TAIL + 4);
    }
}
