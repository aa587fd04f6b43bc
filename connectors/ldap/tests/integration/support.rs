//! The shared server, and running the compiled `ldap-connector` against it.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::{Value, json};

use crate::slapd::{ADMIN_DN, ADMIN_PASSWORD, BASE_DN, Slapd, password};

/// Bulk users in the shared directory.
pub(crate) const PEOPLE_COUNT: usize = 10_000;

/// The server every test of this binary talks to: started by the first test that needs it,
/// stopped (by its watchdog) when the test process exits. If slapd cannot start, every test
/// fails with the reason.
pub(crate) fn server() -> &'static Slapd {
    static SERVER: OnceLock<Slapd> = OnceLock::new();
    SERVER.get_or_init(|| match Slapd::start(PEOPLE_COUNT) {
        Ok(server) => {
            eprintln!(
                "slapd with {PEOPLE_COUNT} people at {} (seeded and started in {:?})",
                server.url, server.startup
            );
            server
        }
        Err(reason) => panic!("cannot start the test LDAP server: {reason}"),
    })
}

/// Settings for the shared server; `overrides` replace or add fields.
pub(crate) fn settings(overrides: Value) -> Value {
    let mut settings = json!({"server_url": server().url, "base_dn": BASE_DN});
    if let (Some(base), Some(extra)) = (settings.as_object_mut(), overrides.as_object()) {
        for (key, value) in extra {
            base.insert(key.clone(), value.clone());
        }
    }
    settings
}

/// The administrator's credential.
pub(crate) fn admin() -> Value {
    basic(ADMIN_DN, ADMIN_PASSWORD)
}

/// The credential of a generated user (`uid`'s password is `<uid>-pw`).
pub(crate) fn user(dn: &str) -> Value {
    let uid = dn
        .split(',')
        .next()
        .and_then(|rdn| rdn.strip_prefix("uid="))
        .expect("a uid=… DN");
    basic(dn, &password(uid))
}

/// A basic credential.
pub(crate) fn basic(dn: &str, password: &str) -> Value {
    json!({"basic": {"username": dn, "password": password}})
}

/// The compiled connector.
pub(crate) fn connector() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("ldap-connector"))
}

/// One call of the connector: a capability, a credential, settings, a request payload and a
/// page. `run` prints nothing else than one JSON document.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) capability: &'static str,
    pub(crate) auth: Value,
    pub(crate) settings: Value,
    pub(crate) request: Value,
    pub(crate) page: Value,
    /// `--protocol 4` (its envelopes then checked against the 4.x wire schema), or the default.
    pub(crate) protocol4: bool,
}

impl Call {
    /// A call as the administrator, with default settings and an empty request.
    pub(crate) fn new(capability: &'static str) -> Self {
        Self {
            capability,
            auth: admin(),
            settings: settings(json!({})),
            request: json!({}),
            page: Value::Null,
            protocol4: false,
        }
    }

    /// A call with exactly these credentials and settings (no default server: for tests of
    /// other servers than the shared slapd).
    pub(crate) fn against(capability: &'static str, auth: Value, settings: Value) -> Self {
        Self {
            capability,
            auth,
            settings,
            request: json!({}),
            page: Value::Null,
            protocol4: false,
        }
    }

    /// The call in protocol 4.
    pub(crate) fn protocol4(mut self) -> Self {
        self.protocol4 = true;
        self
    }

    pub(crate) fn auth(mut self, auth: Value) -> Self {
        self.auth = auth;
        self
    }

    pub(crate) fn settings(mut self, overrides: Value) -> Self {
        self.settings = settings(overrides);
        self
    }

    pub(crate) fn request(mut self, request: Value) -> Self {
        self.request = request;
        self
    }

    pub(crate) fn page(mut self, page: Value) -> Self {
        self.page = page;
        self
    }

    fn json(&self) -> String {
        json!({
            "auth": self.auth,
            "settings": self.settings,
            "request": self.request,
            "page": self.page,
        })
        .to_string()
    }

    /// Runs the connector once; returns the document and how long the process took.
    pub(crate) fn timed(&self) -> (Value, Duration) {
        let started = Instant::now();
        let mut command = connector();
        if self.protocol4 {
            command.args(["--protocol", "4"]);
        }
        let output = command
            .args([self.capability, "--json", &self.json()])
            .output()
            .expect("the connector runs");
        let elapsed = started.elapsed();
        assert_eq!(
            output.status.code(),
            Some(0),
            "exit code; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
        let body = stdout
            .strip_suffix('\n')
            .unwrap_or_else(|| panic!("stdout must end with a newline: {stdout:?}"));
        assert!(!body.contains('\n'), "stdout must hold one line: {stdout}");
        let document = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {body}"));
        if self.protocol4 {
            let name: connector_sdk::wire::CapabilityName =
                serde_json::from_value(json!(self.capability)).expect("a capability name");
            let problems = connector_testkit::protocol4::problems(name, &document);
            assert!(
                problems.is_empty(),
                "{}: {problems:?} in {document}",
                self.capability
            );
        }
        (document, elapsed)
    }

    /// Runs the connector once and returns its document.
    pub(crate) fn run(&self) -> Value {
        self.timed().0
    }

    /// Runs the connector, asserts success, returns the response.
    pub(crate) fn ok(&self) -> Value {
        let document = self.run();
        assert_eq!(
            document.get("is_error"),
            None,
            "{} failed: {document}",
            self.capability
        );
        document["response"].clone()
    }

    /// Runs the connector, asserts an error envelope with `code`, returns the error object.
    pub(crate) fn error(&self, code: &str) -> Value {
        let document = self.run();
        assert_eq!(document["is_error"], true, "{document}");
        assert_eq!(document["error"]["error_code"], code, "{document}");
        assert_eq!(document["error"]["app_id"], "ldap");
        document["error"].clone()
    }

    /// Runs the connector, asserts success or an error with `expected` (`None`: success).
    pub(crate) fn outcome(&self, expected: Option<&str>) -> Value {
        match expected {
            None => self.ok(),
            Some(code) => self.error(code),
        }
    }

    /// Every page of a listing, `size` items per page, each page a new process. Returns the
    /// pages' items. Fails on a repeated page token.
    pub(crate) fn pages(&self, size: u32) -> Vec<Vec<Value>> {
        let mut pages = Vec::new();
        let mut page = json!({"size": size});
        let mut tokens = BTreeSet::new();
        loop {
            let document = self.clone().page(page.clone()).run();
            assert_eq!(document.get("is_error"), None, "{document}");
            pages.push(document["response"].as_array().expect("a list").clone());
            match document["page"]["token"].as_str() {
                Some(token) => {
                    assert!(tokens.insert(token.to_owned()), "token repeated: {token}");
                    page = json!({"size": size, "token": token});
                }
                None => return pages,
            }
            assert!(pages.len() < 10_000, "no end in sight");
        }
    }
}

/// The values of `field` of every item of every page, in order.
pub(crate) fn field(pages: &[Vec<Value>], field: &str) -> Vec<String> {
    pages
        .iter()
        .flatten()
        .map(|item| item[field].as_str().expect("a string field").to_owned())
        .collect()
}

/// Asserts every value arrives exactly once, and returns them as a set.
pub(crate) fn exactly_once(values: Vec<String>) -> BTreeSet<String> {
    let count = values.len();
    let set: BTreeSet<String> = values.into_iter().collect();
    assert_eq!(set.len(), count, "some values arrived more than once");
    set
}

/// The lowercase forms of DNs (servers may change the case they were written in).
pub(crate) fn lower(values: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    values.into_iter().map(|v| v.to_lowercase()).collect()
}
