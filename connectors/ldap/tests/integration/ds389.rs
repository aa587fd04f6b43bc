//! A throwaway 389 Directory Server instance for the 389-ds tests: created by the first test
//! that needs it, removed when the test process exits. It needs root (an instance's files live
//! under `/etc/dirsrv`, `/var/lib/dirsrv`, `/var/log/dirsrv` and `/run`) and the Debian
//! `389-ds-base` package (`connectors/ldap/scripts/ensure-389ds.sh`); without them every
//! 389-ds test fails and says so.
//!
//! What works without systemd (389-ds-base 2.3 on Debian 12), with `NAME` unique per run
//! (`ldapconn_<pid>_<random>`) and `PORT` free:
//!
//! 1. `dscreate from-file NAME.inf`, the file holding `[general] start = False`,
//!    `systemd = False`, `selinux = False`, `full_machine_name = localhost` and `[slapd]
//!    instance_name = NAME`, `port = PORT`, `self_sign_cert = False`. dscreate writes the
//!    instance (`/etc/dirsrv/slapd-NAME/dse.ldif`, …), then starts it with `systemctl`
//!    whatever the file says, which fails (exit 1, "System has not been booted with systemd")
//!    before it sets the Directory Manager's password or creates a backend. That exit is
//!    tolerated when `dse.ldif` exists. Then `dsctl NAME tls import-ca ca.pem test-ca` and
//!    `dsctl NAME tls import-server-key-cert server.pem server.key` put a certificate for
//!    127.0.0.1 (of a CA `openssl` makes for the run, as for slapd) into the instance's NSS
//!    database (the server need not run).
//! 2. `ns-slapd -D /etc/dirsrv/slapd-NAME -i /run/dirsrv/slapd-NAME.pid -d 0`: `-d 0`
//!    keeps it in the foreground (under the testkit's `ChildServer` watchdog); ready when
//!    PORT answers.
//! 3. As root, over LDAPI with SASL EXTERNAL (root is mapped to `cn=Directory Manager`):
//!    `dsconf ldapi://%2frun%2fslapd-NAME.socket backend create --suffix dc=example,dc=com
//!    --be-name userRoot --create-suffix`, and `ldapmodify -Y EXTERNAL` of `cn=config`
//!    replacing `nsslapd-rootpw` (stored hashed), `nsslapd-security: on` and
//!    `nsslapd-secureport` (a second free port; the template's `cn=RSA,cn=encryption` entry
//!    already names `Server-Cert`).
//! 4. A restart (the watchdog stops and starts `ns-slapd` again): the first start adds the
//!    `entryuuid` plugin to `cn=config`, and only a restart makes it stamp `entryUUID` on new
//!    entries (the key the connector's listings are ordered and resumed by), and TLS (LDAPS
//!    on its port, StartTLS on PORT) takes effect.
//! 5. The seed, one `ldapadd` as `cn=Directory Manager` over `ldap://127.0.0.1:PORT`.
//! 6. At the end the watchdog stops `ns-slapd`, runs `dsctl NAME remove --do-it` (it also
//!    tries `systemctl`, complains and succeeds) and removes whatever is left of the instance's
//!    directories, the socket and the pid file.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use connector_testkit::{ChildServer, free_port, random_token, scratch_dir};

use crate::slapd::{make_certificates, write};

/// The suffix.
pub(crate) const BASE_DN: &str = "dc=example,dc=com";
/// The server's root DN (no ACL applies to it).
pub(crate) const MANAGER_DN: &str = "cn=Directory Manager";
pub(crate) const MANAGER_PASSWORD: &str = "Manager-Secret-26";
/// Where the seeded users live.
pub(crate) const PEOPLE: &str = "ou=People,dc=example,dc=com";
/// Where the seeded groups live.
pub(crate) const GROUPS: &str = "ou=Groups,dc=example,dc=com";
const ENSURE_SCRIPT: &str = "connectors/ldap/scripts/ensure-389ds.sh";

/// Seeded users: uid, given name, surname, their `nsAccountLock` (`true` locks; `false` is an
/// explicit "not locked").
pub(crate) const USERS: [(&str, &str, &str, Option<&str>); 6] = [
    ("ann", "Ann", "Abbot", None),
    ("ben", "Ben", "Brook", None),
    ("cat", "Cat", "Crane", None),
    ("dan", "Dan", "Drake", Some("true")),
    ("eve", "Eve", "Evans", Some("false")),
    ("flip", "Flip", "Flop", None),
];

/// Seeded groups (`groupOfNames`) and their members' uids.
pub(crate) const GROUP_MEMBERS: [(&str, &[&str]); 3] = [
    ("staff", &["ann", "ben", "cat", "dan"]),
    ("admins", &["cat"]),
    ("devs", &["ann", "ben", "flip"]),
];

/// The DN of a seeded user.
pub(crate) fn person(uid: &str) -> String {
    format!("uid={uid},{PEOPLE}")
}

/// The DN of a seeded group.
pub(crate) fn group(cn: &str) -> String {
    format!("cn={cn},{GROUPS}")
}

/// The password of a seeded user.
pub(crate) fn password(uid: &str) -> String {
    format!("{uid}-Pw-389")
}

/// The shared instance: created, seeded and started by the first test that needs it, removed
/// (by its watchdog) when the test process exits. If it cannot start, every 389-ds test fails
/// with the reason.
pub(crate) fn ds() -> &'static Ds389 {
    static DS: OnceLock<Ds389> = OnceLock::new();
    DS.get_or_init(|| match Ds389::start() {
        Ok(ds) => {
            eprintln!(
                "389-ds instance {} at {} (created in {:?}, configured in {:?}, seeded in {:?})",
                ds.name, ds.url, ds.creating, ds.configuring, ds.seeding
            );
            ds
        }
        Err(reason) => panic!("cannot start the test 389 Directory Server: {reason}"),
    })
}

/// A running 389-ds instance.
#[derive(Debug)]
pub(crate) struct Ds389 {
    /// `ldap://127.0.0.1:<port>` (StartTLS too)
    pub(crate) url: String,
    /// `ldaps://127.0.0.1:<port>`
    pub(crate) ldaps_url: String,
    /// The PEM of the CA that signed the server's certificate.
    pub(crate) ca_pem: String,
    /// The instance's name (`slapd-<name>` in dsctl's and the file system's terms).
    pub(crate) name: String,
    pub(crate) creating: Duration,
    pub(crate) configuring: Duration,
    pub(crate) seeding: Duration,
    ldapsearch: PathBuf,
    _server: ChildServer,
}

/// Finds a program, or explains how to install it.
fn locate(program: &str) -> Result<PathBuf, String> {
    crate::slapd::locate(program).map_err(|_| {
        format!(
            "`{program}` is not installed, so the LDAP connector's 389-ds tests cannot create \
             their 389 Directory Server instance. Install it with {ENSURE_SCRIPT} (as root; on \
             Debian/Ubuntu: apt-get install 389-ds-base ldap-utils)."
        )
    })
}

/// Whether this process runs as root (from `/proc/self/status`'s effective uid).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|e| e == "0"))
        })
        .unwrap_or(false)
}

/// The files and directories of instance `name` outside the test's own directory.
fn instance_paths(name: &str) -> Vec<String> {
    vec![
        format!("/etc/dirsrv/slapd-{name}"),
        format!("/var/lib/dirsrv/slapd-{name}"),
        format!("/var/log/dirsrv/slapd-{name}"),
        format!("/run/lock/dirsrv/slapd-{name}"),
        format!("/dev/shm/slapd-{name}"),
        format!("/run/slapd-{name}.socket"),
        format!("/run/dirsrv/slapd-{name}.pid"),
    ]
}

/// Runs a setup command; its output on failure.
fn run(command: &mut Command, what: &str) -> Result<String, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(text)
    } else {
        Err(format!("{what} failed ({}): {text}", output.status))
    }
}

impl Ds389 {
    fn start() -> Result<Self, String> {
        if !is_root() {
            return Err(format!(
                "the 389-ds tests must run as root: a 389-ds instance's files live under \
                 /etc/dirsrv, /var/lib/dirsrv and /run (install the server with {ENSURE_SCRIPT})"
            ));
        }
        let programs = Programs {
            dscreate: locate("dscreate")?,
            dsconf: locate("dsconf")?,
            dsctl: locate("dsctl")?,
            ns_slapd: locate("ns-slapd")?,
            ldapadd: locate("ldapadd")?,
            ldapmodify: locate("ldapmodify")?,
            ldapsearch: locate("ldapsearch")?,
            openssl: locate("openssl")?,
        };
        let dir = scratch_dir("ldap-connector-389ds").map_err(|e| format!("a directory: {e}"))?;
        let name = format!("ldapconn_{}_{}", std::process::id(), &random_token()[..8]);
        let result = Self::start_in(&dir, &name, &programs);
        if result.is_err() {
            // The watchdog cleans up once it runs; before that, this does.
            let _ = Command::new(&programs.dsctl)
                .args([name.as_str(), "remove", "--do-it"])
                .stdin(Stdio::null())
                .output();
            for path in instance_paths(&name).iter().map(Path::new) {
                let _ = std::fs::remove_dir_all(path).or_else(|_| std::fs::remove_file(path));
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
        result
    }

    fn start_in(dir: &Path, name: &str, programs: &Programs) -> Result<Self, String> {
        let started = Instant::now();
        let port = free_port().map_err(|e| format!("no free loopback port: {e}"))?;
        let inf = dir.join("instance.inf");
        write(
            &inf,
            &format!(
                "[general]\nstart = False\nsystemd = False\nselinux = False\n\
                 full_machine_name = localhost\nstrict_host_checking = False\n\n[slapd]\n\
                 instance_name = {name}\nport = {port}\nself_sign_cert = False\n"
            ),
        )?;
        let config_dir = PathBuf::from(format!("/etc/dirsrv/slapd-{name}"));
        let created = run(
            Command::new(&programs.dscreate).arg("from-file").arg(&inf),
            "dscreate from-file",
        );
        match created {
            Ok(_) => {}
            // It always tries `systemctl start` at the end; the instance is written by then.
            Err(_) if config_dir.join("dse.ldif").is_file() => {}
            Err(reason) => return Err(reason),
        }
        // The server's certificate, of a CA made for the run, into the instance's NSS database.
        let tls = dir.join("tls");
        std::fs::create_dir_all(&tls).map_err(|e| format!("{}: {e}", tls.display()))?;
        let ca_pem = make_certificates(&programs.openssl, &tls)?;
        run(
            Command::new(&programs.dsctl)
                .args([name, "tls", "import-ca"])
                .arg(tls.join("ca.pem"))
                .arg("test-ca"),
            "dsctl tls import-ca",
        )?;
        run(
            Command::new(&programs.dsctl)
                .args([name, "tls", "import-server-key-cert"])
                .arg(tls.join("server.pem"))
                .arg(tls.join("server.key")),
            "dsctl tls import-server-key-cert",
        )?;
        let creating = started.elapsed();

        let configuring = Instant::now();
        let mut server = ChildServer::builder(&programs.ns_slapd)
            .arg("-D")
            .arg(&config_dir)
            .arg("-i")
            .arg(format!("/run/dirsrv/slapd-{name}.pid"))
            .args(["-d", "0"])
            .log(dir.join("ns-slapd.log"))
            .ready_port(port)
            .ready_timeout(Duration::from_secs(60))
            .cleanup([
                programs.dsctl.as_os_str(),
                OsStr::new(name),
                OsStr::new("remove"),
                OsStr::new("--do-it"),
            ])
            .cleanup(
                ["rm", "-rf"]
                    .into_iter()
                    .map(str::to_owned)
                    .chain(instance_paths(name)),
            )
            .remove_on_exit(dir)
            .start()
            .map_err(|e| e.to_string())?;
        let ldapi = format!("ldapi://%2frun%2fslapd-{name}.socket");
        run(
            Command::new(&programs.dsconf).args([
                ldapi.as_str(),
                "backend",
                "create",
                "--suffix",
                BASE_DN,
                "--be-name",
                "userRoot",
                "--create-suffix",
            ]),
            "dsconf backend create",
        )?;
        let tls_port = free_port().map_err(|e| format!("no free loopback port: {e}"))?;
        let config = dir.join("config.ldif");
        write(
            &config,
            &format!(
                "dn: cn=config\nchangetype: modify\nreplace: nsslapd-rootpw\n\
                 nsslapd-rootpw: {MANAGER_PASSWORD}\n-\nreplace: nsslapd-security\n\
                 nsslapd-security: on\n-\nreplace: nsslapd-secureport\n\
                 nsslapd-secureport: {tls_port}\n-\n"
            ),
        )?;
        run(
            Command::new(&programs.ldapmodify)
                .args(["-Q", "-Y", "EXTERNAL", "-H", &ldapi, "-f"])
                .arg(&config),
            "ldapmodify of cn=config over LDAPI",
        )?;
        server.restart().map_err(|e| e.to_string())?;
        server
            .wait_until(
                &format!("listen on 127.0.0.1:{tls_port} (LDAPS)"),
                Duration::from_secs(30),
                || {
                    std::net::TcpStream::connect(("127.0.0.1", tls_port))
                        .map(drop)
                        .map_err(|e| e.to_string())
                },
            )
            .map_err(|e| e.to_string())?;
        let configuring = configuring.elapsed();

        let seeding = Instant::now();
        let url = format!("ldap://127.0.0.1:{port}");
        let seed = dir.join("seed.ldif");
        write(&seed, &seed_ldif())?;
        run(
            Command::new(&programs.ldapadd)
                .args([
                    "-x",
                    "-H",
                    &url,
                    "-D",
                    MANAGER_DN,
                    "-w",
                    MANAGER_PASSWORD,
                    "-f",
                ])
                .arg(&seed),
            "ldapadd of the seed",
        )?;
        Ok(Self {
            url,
            ldaps_url: format!("ldaps://127.0.0.1:{tls_port}"),
            ca_pem,
            name: name.to_owned(),
            creating,
            configuring,
            seeding: seeding.elapsed(),
            ldapsearch: programs.ldapsearch.clone(),
            _server: server,
        })
    }

    /// A simple bind, then a read of the root DSE; the server's message on failure.
    pub(crate) fn bind(&self, dn: &str, password: &str) -> Result<(), String> {
        run(
            Command::new(&self.ldapsearch)
                .args(["-H", &self.url, "-x", "-D", dn, "-w", password])
                .args(["-s", "base", "-b", "", "1.1"]),
            &format!("a bind as {dn}"),
        )
        .map(drop)
    }

    /// Reads `attributes` of `dn` as the Directory Manager: the LDIF `ldapsearch` prints.
    pub(crate) fn read(&self, dn: &str, attributes: &[&str]) -> Result<String, String> {
        run(
            Command::new(&self.ldapsearch)
                .args(["-LLL", "-o", "ldif-wrap=no", "-H", &self.url, "-x"])
                .args(["-D", MANAGER_DN, "-w", MANAGER_PASSWORD])
                .args(["-s", "base", "-b", dn])
                .args(attributes),
            &format!("a read of {dn}"),
        )
    }
}

/// The tools that set an instance up.
struct Programs {
    dscreate: PathBuf,
    dsconf: PathBuf,
    dsctl: PathBuf,
    ns_slapd: PathBuf,
    ldapadd: PathBuf,
    ldapmodify: PathBuf,
    ldapsearch: PathBuf,
    openssl: PathBuf,
}

/// The seed: two organizational units, [`USERS`] and [`GROUP_MEMBERS`].
fn seed_ldif() -> String {
    let mut ldif = String::new();
    for ou in ["People", "Groups"] {
        ldif.push_str(&format!(
            "dn: ou={ou},{BASE_DN}\nobjectClass: top\nobjectClass: organizationalUnit\n\
             ou: {ou}\n\n"
        ));
    }
    for (uid, given, family, lock) in USERS {
        ldif.push_str(&format!(
            "dn: {}\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n\
             objectClass: inetOrgPerson\nuid: {uid}\ncn: {given} {family}\nsn: {family}\n\
             givenName: {given}\nmail: {uid}@example.com\nuserPassword: {}\n",
            person(uid),
            password(uid)
        ));
        if let Some(lock) = lock {
            ldif.push_str(&format!("nsAccountLock: {lock}\n"));
        }
        ldif.push('\n');
    }
    for (cn, members) in GROUP_MEMBERS {
        ldif.push_str(&format!(
            "dn: {}\nobjectClass: top\nobjectClass: groupOfNames\ncn: {cn}\n\
             description: The {cn} group\n",
            group(cn)
        ));
        for uid in members {
            ldif.push_str(&format!("member: {}\n", person(uid)));
        }
        ldif.push('\n');
    }
    ldif
}
