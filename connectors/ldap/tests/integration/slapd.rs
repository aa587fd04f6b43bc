//! A throwaway OpenLDAP server for the tests and the demo: `slapd` from the system's
//! packages, a generated `slapd.conf` and a generated directory in a temporary directory, a
//! free loopback port, and a watchdog (testkit's `ChildServer`) that stops the server and removes the directory when
//! its owner goes away (dropped, or the test process exited, however it exited).
//!
//! The server has what the connector uses on a production OpenLDAP: the `mdb` backend, the
//! `ppolicy` overlay with a default policy that honours `pwdAccountLockedTime`, `sssvlv`
//! (server-side sorting), `lastbind` (records `authTimestamp`), ACLs that let users read but
//! not write, a bind DN with a size limit of 3, and TLS (`ldaps://` and StartTLS) with a
//! generated CA. The `retcode` overlay answers searches under `ou=retcodes` with chosen
//! result codes (busy, unavailable, timeLimitExceeded, a slow answer, a dropped connection).

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use connector_testkit::{ChildServer, free_port, scratch_dir};

/// The directory's suffix.
pub(crate) const BASE_DN: &str = "dc=example,dc=com";
/// The administrator (the database's rootdn: no ACL, no limit applies to it).
pub(crate) const ADMIN_DN: &str = "cn=admin,dc=example,dc=com";
/// The administrator's password.
pub(crate) const ADMIN_PASSWORD: &str = "admin-secret";
/// The bulk users' container.
pub(crate) const PEOPLE: &str = "ou=people,dc=example,dc=com";
/// The hand-made users' container.
pub(crate) const STAFF: &str = "ou=staff,dc=example,dc=com";
/// The groups that tests read and never change.
pub(crate) const GROUPS: &str = "ou=groups,dc=example,dc=com";
/// Users and groups that tests create, change and delete.
pub(crate) const SCRATCH: &str = "ou=scratch,dc=example,dc=com";
/// The parent of the `retcode` overlay's error-answering entries.
pub(crate) const RETCODES: &str = "ou=retcodes,dc=example,dc=com";

/// The DN of a staff user.
pub(crate) fn staff(uid: &str) -> String {
    format!("uid={uid},{STAFF}")
}

/// The DN of a bulk user (`n` from 0).
pub(crate) fn person(n: usize) -> String {
    format!("uid=user{n:05},{PEOPLE}")
}

/// The DN of a scratch entry.
pub(crate) fn scratch(rdn: &str) -> String {
    format!("{rdn},{SCRATCH}")
}

/// The DN of a read-only group.
pub(crate) fn group(cn: &str) -> String {
    format!("cn={cn},{GROUPS}")
}

/// The password of a generated user.
pub(crate) fn password(uid: &str) -> String {
    format!("{uid}-pw")
}

/// The staff users: uid, given name, surname, title, locked.
pub(crate) const STAFF_USERS: [(&str, &str, &str, &str, bool); 6] = [
    ("alice", "Alice", "Archer", "Engineer", false),
    ("bob", "Bob", "Baker", "Engineer", false),
    ("carol", "Carol", "Cole", "Engineering Manager", false),
    ("dave", "Dave", "Dunn", "Contractor", true),
    ("erin", "Erin", "Early", "Designer", false),
    ("limited", "Lim", "Ited", "Size-limited reader", false),
];

/// The read-only groups and their members (staff uids, `@n` for bulk user n, `#cn` for a group).
pub(crate) const GROUP_MEMBERS: [(&str, &[&str]); 5] = [
    ("admins", &["carol"]),
    ("engineers", &["alice", "bob", "carol"]),
    ("everyone", &["alice", "bob", "carol", "dave", "erin"]),
    ("nested", &["alice", "#engineers"]),
    (
        "bulk",
        &[
            "@0", "@1", "@2", "@3", "@4", "@5", "@6", "@7", "@8", "@9", "@10", "@11", "@12",
        ],
    ),
];

/// The organizational units (besides `ou=retcodes`, which is virtual).
pub(crate) const UNITS: [&str; 6] = ["groups", "people", "policies", "scratch", "staff", "teams"];

/// A running slapd.
#[derive(Debug)]
pub(crate) struct Slapd {
    /// `ldap://127.0.0.1:<port>`
    pub(crate) url: String,
    /// `ldaps://127.0.0.1:<port>`
    pub(crate) ldaps_url: String,
    /// The PEM of the CA that signed the server's certificate.
    pub(crate) ca_pem: String,
    /// How long seeding and starting took.
    pub(crate) startup: Duration,
    dir: PathBuf,
    server: ChildServer,
}

impl Slapd {
    /// Starts a server holding [`directory_ldif`] with `people` bulk users.
    pub(crate) fn start(people: usize) -> Result<Self, String> {
        let started = Instant::now();
        let slapd = locate("slapd")?;
        let slapadd = locate("slapadd")?;
        let openssl = locate("openssl")?;
        let dir = scratch_dir("ldap-connector-slapd").map_err(|e| format!("a directory: {e}"))?;
        std::fs::create_dir_all(dir.join("data")).map_err(|e| format!("{}: {e}", dir.display()))?;
        let result = Self::start_in(&dir, people, &slapd, &slapadd, &openssl, started);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        result
    }

    fn start_in(
        dir: &Path,
        people: usize,
        slapd: &Path,
        slapadd: &Path,
        openssl: &Path,
        started: Instant,
    ) -> Result<Self, String> {
        let ca_pem = make_certificates(openssl, dir)?;
        let config = dir.join("slapd.conf");
        write(&config, &slapd_conf(dir)?)?;
        let seed = dir.join("seed.ldif");
        write(&seed, &directory_ldif(people))?;
        let output = Command::new(slapadd)
            .arg("-q")
            .arg("-f")
            .arg(&config)
            .arg("-l")
            .arg(&seed)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", slapadd.display()))?;
        if !output.status.success() {
            return Err(format!(
                "slapadd failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }

        let port = free_port().map_err(|e| format!("no free loopback port: {e}"))?;
        let tls_port = free_port().map_err(|e| format!("no free loopback port: {e}"))?;
        let url = format!("ldap://127.0.0.1:{port}");
        let ldaps_url = format!("ldaps://127.0.0.1:{tls_port}");
        // The watchdog stops slapd and removes `dir` when this struct drops or when the process
        // holding it exits.
        let server = ChildServer::builder(slapd)
            .args(["-d", "0", "-f"])
            .arg(&config)
            .arg("-h")
            .arg(format!("{url}/ {ldaps_url}/"))
            .log(dir.join("slapd.log"))
            .ready_port(port)
            .ready_port(tls_port)
            .ready_timeout(Duration::from_secs(20))
            .remove_on_exit(dir)
            .start()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            url,
            ldaps_url,
            ca_pem,
            startup: started.elapsed(),
            dir: dir.to_owned(),
            server,
        })
    }

    /// Where the server's files live (removed when it stops).
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stops the server and removes its files.
    pub(crate) fn stop(self) {
        self.server.stop();
    }
}

pub(crate) fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Finds a program in `PATH` or the usual `sbin` directories, or explains how to install it.
pub(crate) fn locate(program: &str) -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut candidates: Vec<PathBuf> = std::env::split_paths(&path).collect();
    candidates.extend(["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/libexec"].map(PathBuf::from));
    candidates
        .into_iter()
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| {
            format!(
                "`{program}` is not installed, so the LDAP connector's tests cannot start their \
                 OpenLDAP server. Install it with connectors/ldap/scripts/ensure-slapd.sh (on \
                 Debian/Ubuntu: apt-get install slapd ldap-utils openssl)."
            )
        })
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The first of `candidates` that holds `file`.
fn find_dir(candidates: &[&str], file: &str) -> Option<PathBuf> {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|dir| dir.join(file).exists())
}

/// `slapd.conf` for a server whose files live in `dir`.
fn slapd_conf(dir: &Path) -> Result<String, String> {
    let schema = find_dir(
        &[
            "/etc/ldap/schema",
            "/etc/openldap/schema",
            "/usr/local/etc/openldap/schema",
        ],
        "core.schema",
    )
    .ok_or("OpenLDAP's schema files (core.schema) are not installed")?;
    let modules = find_dir(
        &[
            "/usr/lib/ldap",
            "/usr/lib64/openldap",
            "/usr/lib/openldap",
            "/usr/libexec/openldap",
        ],
        "back_mdb.la",
    );
    let d = dir.display();
    let s = schema.display();
    let mut conf = String::new();
    for file in ["core", "cosine", "inetorgperson", "nis"] {
        let _ = writeln!(conf, "include {s}/{file}.schema");
    }
    if let Some(modules) = modules {
        let _ = writeln!(conf, "modulepath {}", modules.display());
        for module in ["back_mdb", "ppolicy", "sssvlv", "lastbind", "retcode"] {
            let _ = writeln!(conf, "moduleload {module}");
        }
    }
    let _ = write!(
        conf,
        r#"pidfile {d}/slapd.pid
argsfile {d}/slapd.args
TLSCACertificateFile {d}/ca.pem
TLSCertificateFile {d}/server.pem
TLSCertificateKeyFile {d}/server.key

database mdb
suffix "{BASE_DN}"
rootdn "{ADMIN_DN}"
rootpw {ADMIN_PASSWORD}
directory {d}/data
maxsize 1073741824
index objectClass eq
index uid eq
index member eq
index entryUUID eq
limits dn.exact="uid=limited,{STAFF}" size=3
access to attrs=userPassword
    by self write
    by anonymous auth
    by * none
access to *
    by users read
    by * none

overlay sssvlv
sssvlv-max 64
overlay ppolicy
ppolicy_default "cn=default,ou=policies,{BASE_DN}"
overlay lastbind
overlay retcode
retcode-parent "{RETCODES}"
retcode-item "cn=busy" 0x33
retcode-item "cn=unavailable" 0x34
retcode-item "cn=timelimit" 0x03
retcode-item "cn=slow" 0x00 sleeptime=4
retcode-item "cn=disconnect" 0x00 flags=disconnect
"#
    );
    Ok(conf)
}

/// The directory: the suffix, a default password policy, `people` bulk users, the staff, the
/// read-only groups, and scratch entries for tests that change things.
pub(crate) fn directory_ldif(people: usize) -> String {
    let mut ldif = String::with_capacity(people * 260 + 8_192);
    let mut entry = |lines: &[String]| {
        for line in lines {
            ldif.push_str(line);
            ldif.push('\n');
        }
        ldif.push('\n');
    };
    entry(&[
        format!("dn: {BASE_DN}"),
        "objectClass: dcObject".into(),
        "objectClass: organization".into(),
        "dc: example".into(),
        "o: Example Corp".into(),
    ]);
    for unit in UNITS {
        entry(&[
            format!("dn: ou={unit},{BASE_DN}"),
            "objectClass: organizationalUnit".into(),
            format!("ou: {unit}"),
            format!("description: The {unit} unit"),
        ]);
    }
    entry(&[
        format!("dn: cn=default,ou=policies,{BASE_DN}"),
        "objectClass: organizationalRole".into(),
        "objectClass: pwdPolicy".into(),
        "cn: default".into(),
        "pwdAttribute: userPassword".into(),
        "pwdLockout: TRUE".into(),
        "pwdMaxFailure: 0".into(),
    ]);
    for n in 0..people {
        let uid = format!("user{n:05}");
        entry(&user_lines(
            &person(n),
            &uid,
            "User",
            &format!("Number{n:05}"),
            None,
            false,
        ));
    }
    for (uid, given, family, title, locked) in STAFF_USERS {
        let mut lines = user_lines(&staff(uid), uid, given, family, Some(title), locked);
        if uid != "carol" {
            lines.push(format!("manager: {}", staff("carol")));
        }
        entry(&lines);
    }
    for (cn, members) in GROUP_MEMBERS {
        let mut lines = vec![
            format!("dn: {}", group(cn)),
            "objectClass: groupOfNames".into(),
            format!("cn: {cn}"),
            format!("description: The {cn} group"),
        ];
        for member in members {
            let dn = if let Some(n) = member.strip_prefix('@') {
                person(n.parse().expect("a bulk user number"))
            } else if let Some(cn) = member.strip_prefix('#') {
                group(cn)
            } else {
                staff(member)
            };
            lines.push(format!("member: {dn}"));
        }
        entry(&lines);
    }
    // Scratch users: one or more per test that changes an account.
    for uid in SCRATCH_USERS {
        let locked = LOCKED_SCRATCH_USERS.contains(&uid);
        entry(&user_lines(
            &scratch(&format!("uid={uid}")),
            uid,
            "Scratch",
            uid,
            None,
            locked,
        ));
    }
    for (cn, members) in TEAM_MEMBERS {
        let mut lines = vec![
            format!("dn: {}", team(cn)),
            "objectClass: groupOfNames".into(),
            format!("cn: {cn}"),
            // groupOfNames needs a member; the placeholder is not a user.
            "member: cn=nobody".into(),
        ];
        lines.extend(
            members
                .iter()
                .map(|uid| format!("member: {}", scratch(&format!("uid={uid}")))),
        );
        entry(&lines);
    }
    ldif
}

/// Users tests may change or delete (one test each).
pub(crate) const SCRATCH_USERS: [&str; 18] = [
    "member-of-all",
    "conform-lock",
    "conform-delete",
    "lock-1",
    "lock-2",
    "lock-3",
    "unlock-1",
    "unlock-2",
    "delete-1",
    "delete-2",
    "assign-1",
    "assign-2",
    "assign-3",
    "unassign-1",
    "activity-1",
    "activity-2",
    "denied-1",
    "spare-1",
];

/// Scratch users that start locked.
pub(crate) const LOCKED_SCRATCH_USERS: [&str; 1] = ["unlock-1"];

/// Groups (under `ou=teams`) tests may change, with their scratch members.
pub(crate) const TEAM_MEMBERS: [(&str, &[&str]); 4] = [
    ("team-a", &["member-of-all"]),
    ("team-b", &["member-of-all"]),
    ("team-c", &["member-of-all", "unassign-1"]),
    ("team-d", &["member-of-all", "delete-1"]),
];

/// The DN of a scratch group.
pub(crate) fn team(cn: &str) -> String {
    format!("cn={cn},ou=teams,{BASE_DN}")
}

fn user_lines(
    dn: &str,
    uid: &str,
    given: &str,
    family: &str,
    title: Option<&str>,
    locked: bool,
) -> Vec<String> {
    let mut lines = vec![
        format!("dn: {dn}"),
        "objectClass: inetOrgPerson".into(),
        format!("uid: {uid}"),
        format!("cn: {given} {family}"),
        format!("sn: {family}"),
        format!("givenName: {given}"),
        format!("mail: {uid}@example.com"),
        format!("userPassword: {}", password(uid)),
    ];
    if let Some(title) = title {
        lines.push(format!("title: {title}"));
    }
    if locked {
        lines.push("pwdAccountLockedTime: 000001010000Z".into());
    }
    lines
}

/// A CA and a server certificate for 127.0.0.1 and localhost, made with `openssl`; returns
/// the CA's PEM.
pub(crate) fn make_certificates(openssl: &Path, dir: &Path) -> Result<String, String> {
    let run = |args: &[&str]| -> Result<(), String> {
        let mut child = Command::new(openssl)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run openssl: {e}"))?;
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        let status = child.wait().map_err(|e| format!("openssl: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("openssl {} failed: {stderr}", args.join(" ")))
        }
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec![
        "req",
        "-x509",
        "-days",
        "2",
        "-subj",
        "/CN=ldap-connector test CA",
    ];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run(&ca)?;
    let mut csr = vec!["req", "-subj", "/CN=127.0.0.1"];
    csr.extend(ec);
    csr.extend(["-keyout", "server.key", "-out", "server.csr"]);
    run(&csr)?;
    write(
        &dir.join("server.ext"),
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n\
         extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
    )?;
    run(&[
        "x509",
        "-req",
        "-days",
        "2",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-extfile",
        "server.ext",
        "-out",
        "server.pem",
    ])?;
    std::fs::read_to_string(dir.join("ca.pem")).map_err(|e| format!("ca.pem: {e}"))
}
