//! A throwaway SCIM 2.0 server for the tests: `scim2-server` (PyPI) from the virtualenv that
//! `connectors/scim/scripts/ensure-scim2-server.sh` makes, on a free loopback port, with a
//! random bearer token, seeded through its own `/Bulk` endpoint, and a watchdog (testkit's
//! `ChildServer`) that stops it
//! when the test process exits (however it exits).
//!
//! The server keeps everything in memory and serves the SCIM root at `/v2`. The seed:
//! [`USER_COUNT`] users and [`GROUP_COUNT`] groups, described by [`user_name`],
//! [`is_active`], [`department`], [`group_name`] and [`groups_of`]; the server-assigned ids
//! are in [`ScimServer::user_ids`] and [`ScimServer::group_ids`], in seed order. Tests that
//! change things create their own resources: the seed is shared by every test of the binary.

// Helpers for the tests to come; not every one is used yet.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use connector_testkit::{ChildError, ChildServer, free_port, random_token, scratch_dir};
use serde_json::{Value, json};

/// Seeded users: `user00001` … `user10000`.
pub(crate) const USER_COUNT: usize = 10_000;
/// Seeded groups: `group01` … `group50`.
pub(crate) const GROUP_COUNT: usize = 50;

/// The core User schema.
pub(crate) const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The core Group schema.
pub(crate) const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The enterprise User extension.
pub(crate) const ENTERPRISE_SCHEMA: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const ENSURE_SCRIPT: &str = "connectors/scim/scripts/ensure-scim2-server.sh";

/// The userName of seeded user `i` (from 0): `user00001` for 0.
pub(crate) fn user_name(i: usize) -> String {
    format!("user{:05}", i + 1)
}

/// The given name of seeded user `i`.
pub(crate) fn given_name(i: usize) -> String {
    format!("Given{:05}", i + 1)
}

/// The family name of seeded user `i`.
pub(crate) fn family_name(i: usize) -> String {
    format!("Family{:05}", i + 1)
}

/// The primary work email of seeded user `i`.
pub(crate) fn email(i: usize) -> String {
    format!("{}@example.com", user_name(i))
}

/// Whether seeded user `i` is active: every 10th user (`user00010`, `user00020`, …) is not.
pub(crate) fn is_active(i: usize) -> bool {
    !(i + 1).is_multiple_of(10)
}

/// The enterprise extension's `department` of seeded user `i`: `Engineering` or `Sales` for two
/// users in three, none for every 3rd user (`user00003`, `user00006`, …).
pub(crate) fn department(i: usize) -> Option<&'static str> {
    match (i + 1) % 3 {
        1 => Some("Engineering"),
        2 => Some("Sales"),
        _ => None,
    }
}

/// The displayName of seeded group `g` (from 0): `group01` for 0.
pub(crate) fn group_name(g: usize) -> String {
    format!("group{:02}", g + 1)
}

/// The groups (indexes from 0) seeded user `i` belongs to: group `i % 50`, and for every 100th
/// user (`user00100`, `user00200`, …) also `group01`. So `group01` has 300 members, `group50`
/// 200 (100 of them also in `group01`), every other group 200.
pub(crate) fn groups_of(i: usize) -> Vec<usize> {
    let mut groups = vec![i % GROUP_COUNT];
    if (i + 1).is_multiple_of(100) && !i.is_multiple_of(GROUP_COUNT) {
        groups.push(0);
    }
    groups
}

/// The SCIM resource of seeded user `i`, as POSTed.
pub(crate) fn user_resource(i: usize) -> Value {
    let mut user = json!({
        "schemas": [USER_SCHEMA],
        "userName": user_name(i),
        "name": {"givenName": given_name(i), "familyName": family_name(i)},
        "displayName": format!("{} {}", given_name(i), family_name(i)),
        "emails": [{"value": email(i), "type": "work", "primary": true}],
        "active": is_active(i),
    });
    if let Some(department) = department(i) {
        user["schemas"] = json!([USER_SCHEMA, ENTERPRISE_SCHEMA]);
        user[ENTERPRISE_SCHEMA] = json!({"department": department});
    }
    user
}

/// A running, seeded scim2-server.
#[derive(Debug)]
pub(crate) struct ScimServer {
    /// The SCIM root to give the connector as `base_url`: `http://127.0.0.1:<port>/v2`
    /// (no trailing slash).
    pub(crate) base_url: String,
    /// The bearer token the server accepts (random per test process).
    pub(crate) token: String,
    /// The ids of the seeded users, in seed order (`user_ids[i]` is [`user_name`]`(i)`).
    pub(crate) user_ids: Vec<String>,
    /// The ids of the seeded groups, in seed order (`group_ids[g]` is [`group_name`]`(g)`).
    pub(crate) group_ids: Vec<String>,
    /// The server's `/ServiceProviderConfig`.
    pub(crate) service_provider_config: Value,
    /// How long starting the server took (until it answered).
    pub(crate) startup: Duration,
    /// How long seeding took (all the `/Bulk` requests).
    pub(crate) seeding: Duration,
    child: ChildServer,
}

/// The server every test of this binary talks to: started and seeded by the first test that
/// needs it, stopped by its watchdog when the test process exits. If it cannot start, every
/// test that needs it fails with the reason.
pub(crate) fn server() -> &'static ScimServer {
    static SERVER: OnceLock<ScimServer> = OnceLock::new();
    SERVER.get_or_init(|| match ScimServer::start() {
        Ok(server) => {
            eprintln!(
                "scim2-server at {} with {USER_COUNT} users and {GROUP_COUNT} groups (started in \
                 {:?}, seeded in {:?})",
                server.base_url, server.startup, server.seeding
            );
            server
        }
        Err(reason) => panic!("cannot start the test SCIM server: {reason}"),
    })
}

/// An HTTP answer from the server.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: u16,
    /// Header names in lower case.
    pub(crate) headers: Vec<(String, String)>,
    /// The body as JSON; `Null` when empty, a string when not JSON.
    pub(crate) body: Value,
}

impl Response {
    /// The first value of header `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl ScimServer {
    /// Starts a server and seeds it.
    pub(crate) fn start() -> Result<Self, String> {
        let started = Instant::now();
        let program = locate()?;
        let dir =
            scratch_dir("scim-connector-scim2-server").map_err(|e| format!("a directory: {e}"))?;
        let mut server = Self::spawn(&program, &dir, started, &[])?;
        server.service_provider_config = server.get("/ServiceProviderConfig")?.body;
        let seeding = Instant::now();
        server.seed()?;
        server.seeding = seeding.elapsed();
        Ok(server)
    }

    /// Starts an empty server that announces ETags but no PATCH (its own process; stopped when
    /// the value drops).
    pub(crate) fn start_without_patch() -> Result<Self, String> {
        let started = Instant::now();
        let program = locate()?;
        let dir = scratch_dir("scim-connector-scim2-server-nopatch")
            .map_err(|e| format!("a directory: {e}"))?;
        let config = dir.join("service-provider-config.json");
        let document = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": false},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": 1000},
            "changePassword": {"supported": false},
            "sort": {"supported": true},
            "etag": {"supported": true},
            "authenticationSchemes": [],
        });
        std::fs::write(&config, document.to_string()).map_err(|e| e.to_string())?;
        let extra = [OsStr::new("--service-provider-config"), config.as_os_str()];
        let mut server = Self::spawn(&program, &dir, started, &extra)?;
        server.service_provider_config = server.get("/ServiceProviderConfig")?.body;
        Ok(server)
    }

    fn spawn(
        program: &Path,
        dir: &Path,
        started: Instant,
        extra: &[&OsStr],
    ) -> Result<Self, String> {
        let port = free_port().map_err(|e| format!("no free loopback port: {e}"))?;
        let token = random_token();
        // The watchdog stops the server and removes `dir` when this struct drops or when the
        // process holding it exits.
        let child = ChildServer::builder(program)
            .args(["--hostname", "127.0.0.1", "--port", &port.to_string()])
            .args(["--bearer-token", &token])
            .args(extra)
            .log(dir.join("server.log"))
            .ready_port(port)
            .remove_on_exit(dir)
            .start()
            .map_err(|e| broken(program, &e))?;
        let mut server = Self {
            base_url: format!("http://127.0.0.1:{port}/v2"),
            token,
            user_ids: Vec::new(),
            group_ids: Vec::new(),
            service_provider_config: Value::Null,
            startup: Duration::ZERO,
            seeding: Duration::ZERO,
            child,
        };
        let what = format!("answer GET {}/ServiceProviderConfig", server.base_url);
        server
            .child
            .wait_until(&what, Duration::from_secs(30), || {
                match server.get("/ServiceProviderConfig") {
                    Ok(response) if response.status == 200 => Ok(()),
                    Ok(response) => Err(format!(
                        "it answered {}: {}",
                        response.status, response.body
                    )),
                    Err(error) => Err(error),
                }
            })
            .map_err(|e| broken(program, &e))?;
        server.startup = started.elapsed();
        Ok(server)
    }

    /// The server's Bulk limits: (maxOperations, maxPayloadSize).
    fn bulk_limits(&self) -> (usize, usize) {
        let bulk = &self.service_provider_config["bulk"];
        let limit = |key: &str, default: usize| {
            bulk[key]
                .as_u64()
                .filter(|&n| n > 0)
                .map_or(default, |n| usize::try_from(n).unwrap_or(default))
        };
        (limit("maxOperations", 1), limit("maxPayloadSize", 1 << 20))
    }

    /// POSTs `USER_COUNT` users, then `GROUP_COUNT` groups with their members, through `/Bulk`.
    fn seed(&mut self) -> Result<(), String> {
        if self.service_provider_config["bulk"]["supported"] != json!(true) {
            return Err(format!(
                "the server does not support Bulk: {}",
                self.service_provider_config
            ));
        }
        let users = (0..USER_COUNT).map(|i| ("/Users", user_resource(i)));
        self.user_ids = self.bulk_create(users)?;
        let mut members: Vec<Vec<Value>> = vec![Vec::new(); GROUP_COUNT];
        for (i, id) in self.user_ids.iter().enumerate() {
            for g in groups_of(i) {
                members[g].push(json!({"value": id, "type": "User"}));
            }
        }
        let groups = members.into_iter().enumerate().map(|(g, members)| {
            let group = json!({
                "schemas": [GROUP_SCHEMA],
                "displayName": group_name(g),
                "members": members,
            });
            ("/Groups", group)
        });
        self.group_ids = self.bulk_create(groups)?;
        Ok(())
    }

    /// Creates resources with as few `/Bulk` requests as the server's limits allow; returns
    /// their ids in order.
    fn bulk_create(
        &self,
        resources: impl Iterator<Item = (&'static str, Value)>,
    ) -> Result<Vec<String>, String> {
        let (max_operations, max_payload) = self.bulk_limits();
        // Room for the envelope: {"schemas":[...],"Operations":[...]}.
        let budget = max_payload.saturating_sub(BULK_REQUEST.len() + 64);
        let mut ids = Vec::new();
        let mut batch: Vec<Value> = Vec::new();
        let mut size = 0;
        for (n, (path, data)) in resources.enumerate() {
            let operation =
                json!({"method": "POST", "path": path, "bulkId": format!("b{n}"), "data": data});
            let length = operation.to_string().len() + 1;
            if !batch.is_empty() && (batch.len() == max_operations || size + length > budget) {
                ids.extend(self.bulk(std::mem::take(&mut batch))?);
                size = 0;
            }
            batch.push(operation);
            size += length;
        }
        if !batch.is_empty() {
            ids.extend(self.bulk(batch)?);
        }
        Ok(ids)
    }

    /// One `/Bulk` request of POSTs; returns the created ids in the operations' order.
    fn bulk(&self, operations: Vec<Value>) -> Result<Vec<String>, String> {
        let bulk_ids: Vec<Value> = operations.iter().map(|o| o["bulkId"].clone()).collect();
        let count = operations.len();
        let request = json!({"schemas": [BULK_REQUEST], "Operations": operations});
        let response = self.request("POST", "/Bulk", Some(&request))?;
        if response.status != 200 {
            return Err(format!(
                "POST /Bulk ({count} operations) answered {}: {}",
                response.status, response.body
            ));
        }
        let results = response.body["Operations"]
            .as_array()
            .ok_or_else(|| format!("POST /Bulk answered no Operations: {}", response.body))?;
        bulk_ids
            .iter()
            .map(|bulk_id| {
                let result = results
                    .iter()
                    .find(|r| r["bulkId"] == *bulk_id)
                    .ok_or_else(|| format!("POST /Bulk answered nothing for bulkId {bulk_id}"))?;
                let location = result["location"]
                    .as_str()
                    .filter(|_| result["status"] == json!("201") || result["status"] == json!(201));
                location
                    .and_then(|l| l.rsplit('/').next())
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| format!("POST /Bulk failed for bulkId {bulk_id}: {result}"))
            })
            .collect()
    }

    /// `GET <base_url><path>` with the token.
    pub(crate) fn get(&self, path: &str) -> Result<Response, String> {
        self.request("GET", path, None)
    }

    /// A request to `<base_url><path>` (path with its query, e.g. `/Users?count=1`) with the
    /// bearer token and, when given, a JSON body; for tests that check what the connector did.
    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Response, String> {
        self.request_with(method, path, body, &[])
    }

    /// [`Self::request`] with extra headers (e.g. `If-Match`).
    pub(crate) fn request_with(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Result<Response, String> {
        let url = format!("{}{path}", self.base_url);
        http(method, &url, &self.token, body, headers).map_err(|e| format!("{method} {url}: {e}"))
    }

    /// Stops the server and removes its files.
    pub(crate) fn stop(self) {
        self.child.stop();
    }
}

/// A start failure, with what to do when the installed server is broken.
fn broken(program: &Path, error: &ChildError) -> String {
    format!(
        "{error}\n(if {} is broken, remove its virtualenv and run {ENSURE_SCRIPT} again)",
        program.display()
    )
}

/// `<venv>/bin/scim2-server`, or how to install it.
pub(crate) fn locate() -> Result<PathBuf, String> {
    let venv = std::env::var_os("SCIM2_SERVER_VENV")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| PathBuf::from(home).join(".cache/connector-sdk/scim2-server-venv"))
        })
        .ok_or("neither SCIM2_SERVER_VENV nor HOME is set")?;
    let program = venv.join("bin").join("scim2-server");
    if program.is_file() {
        Ok(program)
    } else {
        Err(format!(
            "{} is not installed, so the SCIM connector's tests cannot start their SCIM server. \
             Install it with {ENSURE_SCRIPT} (it makes a Python virtualenv at \
             ${{SCIM2_SERVER_VENV:-$HOME/.cache/connector-sdk/scim2-server-venv}} and pip \
             installs scim2-server there).",
            program.display()
        ))
    }
}

/// One HTTP/1.1 request on its own connection (scim2-server answers HTTP/1.0 and closes).
fn http(
    method: &str,
    url: &str,
    token: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Result<Response, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// URLs are supported")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let address = authority
        .parse()
        .map_err(|e| format!("bad address {authority}: {e}"))?;
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))
        .map_err(|e| format!("cannot connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| e.to_string())?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Bearer {token}\r\n\
         Accept: application/scim+json\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        head.push_str("Content-Type: application/scim+json\r\n");
    }
    for (name, value) in headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()))
        .map_err(|e| format!("cannot send: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Result<Response, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no HTTP header in {:?}", String::from_utf8_lossy(raw)))?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no HTTP status line in {head:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        return Err("chunked answers are not supported".to_owned());
    }
    let mut payload = &raw[split + 4..];
    if let Some(length) = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        payload = &payload[..length.min(payload.len())];
    }
    let text = String::from_utf8_lossy(payload);
    let body = if text.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.into_owned()))
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// The seed is there: 10,000 users and 50 groups, ids in seed order, one sample of each kind.
#[test]
fn scim_server_is_seeded() {
    let server = server();
    assert_eq!(server.user_ids.len(), USER_COUNT);
    assert_eq!(server.group_ids.len(), GROUP_COUNT);

    let users = server.get("/Users?count=1").expect("GET /Users");
    assert_eq!(users.status, 200, "{}", users.body);
    // Other tests create users of their own while this one runs.
    let total = users.body["totalResults"].as_u64().unwrap_or(0);
    assert!(total >= USER_COUNT as u64, "{}", users.body);
    let groups = server.get("/Groups?count=1").expect("GET /Groups");
    assert_eq!(groups.status, 200, "{}", groups.body);
    assert_eq!(
        groups.body["totalResults"],
        json!(GROUP_COUNT),
        "{}",
        groups.body
    );

    let i = 299; // user00300: inactive, no department, in group50 and group01
    let user = server
        .get(&format!("/Users/{}", server.user_ids[i]))
        .expect("GET a user");
    assert_eq!(user.status, 200, "{}", user.body);
    assert_eq!(user.body["userName"], json!(user_name(i)));
    assert_eq!(user.body["active"], json!(false));
    assert_eq!(user.body["emails"][0]["value"], json!(email(i)));
    assert!(user.body.get(ENTERPRISE_SCHEMA).is_none(), "{}", user.body);
    let engineer = server
        .get(&format!("/Users/{}", server.user_ids[0]))
        .expect("GET a user");
    assert_eq!(
        engineer.body[ENTERPRISE_SCHEMA]["department"],
        json!("Engineering")
    );
    let group = server
        .get(&format!("/Groups/{}", server.group_ids[0]))
        .expect("GET a group");
    assert_eq!(group.body["displayName"], json!("group01"));
    let members = group.body["members"].as_array().expect("members");
    assert_eq!(members.len(), 300);
    assert!(
        members
            .iter()
            .any(|m| m["value"] == json!(server.user_ids[i]))
    );

    let config = &server.service_provider_config;
    eprintln!(
        "scim2-server ServiceProviderConfig: patch {}, bulk {}, filter {}, sort {}, etag {}, \
         changePassword {}; seeded in {:?}",
        config["patch"],
        config["bulk"],
        config["filter"],
        config["sort"],
        config["etag"],
        config["changePassword"],
        server.seeding
    );
}
