//! A throwaway Samba Active Directory domain controller for the AD tests: `samba-tool domain
//! provision --targetdir` into a temporary directory (no DNS backend, only the LDAP service,
//! loopback only, no system-wide file touched), a CA and a server certificate with a
//! subjectAltName made by `openssl`, `samba -i` in the foreground under a watchdog (testkit's `ChildServer`) that stops
//! it and removes the directory when its owner goes away, and the test data added in bulk with
//! one `ldapmodify` over LDAPS.
//!
//! Samba's LDAP ports are not configurable: the DC listens on 127.0.0.1:389 and :636 (and the
//! global catalog's 3268/3269). If another server holds them, starting fails and says so.

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::Engine as _;
use connector_testkit::{ChildServer, scratch_dir};

use crate::slapd::{make_certificates, next_id, write};

/// The domain's DNS name and base DN.
pub(crate) const REALM: &str = "ad.test";
pub(crate) const BASE_DN: &str = "DC=ad,DC=test";
/// The domain administrator.
pub(crate) const ADMIN_DN: &str = "CN=Administrator,CN=Users,DC=ad,DC=test";
pub(crate) const ADMIN_PASSWORD: &str = "Admin-Secret-26";
/// The password of every seeded user (complex, and containing no account name).
pub(crate) const USER_PASSWORD: &str = "Seed-Pw-2026!x";
/// Where the seeded users live.
pub(crate) const SEED_OU: &str = "OU=Seed,DC=ad,DC=test";
/// Where the bulk members of the big group live.
pub(crate) const BULK_OU: &str = "OU=Bulk,DC=ad,DC=test";
/// Where the seeded groups live.
pub(crate) const GROUPS_OU: &str = "OU=Groups,DC=ad,DC=test";
/// Members of the big group (more than Samba's and AD's MaxValRange of 1,500).
pub(crate) const BIG_GROUP_MEMBERS: usize = 3_000;
/// Bulk users: the big group's members, and as many more as `SAMBA_BULK_USERS` asks (the
/// issue's 5,000-user `connector check` is `SAMBA_BULK_USERS=5000`).
pub(crate) fn bulk_users() -> usize {
    std::env::var("SAMBA_BULK_USERS")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
        .max(BIG_GROUP_MEMBERS)
}
/// Groups nested in a chain (`chain01` in `chain02` in …), so the domain holds 50 groups with
/// the built-in ones.
pub(crate) const CHAINED_GROUPS: usize = 12;
/// Failed binds that lock an account (the seeded domain policy).
const LOCKOUT_THRESHOLD: usize = 3;
/// LDAPS and plain LDAP ports of a DC (not configurable in Samba).
const LDAPS_PORT: u16 = 636;
const LDAP_PORT: u16 = 389;

/// Seeded users: sAMAccountName and their state.
pub(crate) const SEED_USERS: [(&str, Seeded); 7] = [
    ("alice", Seeded::Enabled),
    ("bob", Seeded::Enabled),
    ("disabled1", Seeded::Disabled),
    ("locked1", Seeded::Locked),
    ("expired1", Seeded::Expired),
    ("rename1", Seeded::Enabled),
    ("flip1", Seeded::Enabled),
];

/// The state a seeded user starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seeded {
    Enabled,
    Disabled,
    Locked,
    Expired,
}

/// The DN of a seeded user.
pub(crate) fn seed_user(name: &str) -> String {
    format!("CN={name},{SEED_OU}")
}

/// The DN of a seeded group.
pub(crate) fn seed_group(name: &str) -> String {
    format!("CN={name},{GROUPS_OU}")
}

/// The shared DC: provisioned, seeded and started by the first test that needs it, stopped
/// (by its watchdog) when the test process exits. If it cannot start, every AD test fails
/// with the reason.
pub(crate) fn dc() -> &'static Samba {
    static DC: OnceLock<Samba> = OnceLock::new();
    DC.get_or_init(|| match Samba::start() {
        Ok(dc) => {
            eprintln!(
                "Samba AD DC at {} (provisioned in {:?}, started in {:?}, seeded in {:?})",
                dc.ldaps_url, dc.provisioning, dc.starting, dc.seeding
            );
            dc
        }
        Err(reason) => panic!("cannot start the test Samba AD domain controller: {reason}"),
    })
}

/// A running Samba AD DC.
#[derive(Debug)]
pub(crate) struct Samba {
    /// `ldaps://127.0.0.1:636`
    pub(crate) ldaps_url: String,
    /// The PEM of the CA that signed the DC's certificate.
    pub(crate) ca_pem: String,
    pub(crate) provisioning: Duration,
    pub(crate) starting: Duration,
    pub(crate) seeding: Duration,
    dir: PathBuf,
    ldapmodify: PathBuf,
    ldapsearch: PathBuf,
    server: ChildServer,
}

/// Finds a program, or explains how to install it.
fn locate(program: &str) -> Result<PathBuf, String> {
    crate::slapd::locate(program).map_err(|_| {
        format!(
            "`{program}` is not installed, so the LDAP connector's AD tests cannot start their \
             Samba domain controller. Install it with connectors/ldap/scripts/ensure-samba-ad.sh \
             (on Debian/Ubuntu: apt-get install samba samba-ad-dc samba-ad-provision ldap-utils \
             openssl)."
        )
    })
}

impl Samba {
    fn start() -> Result<Self, String> {
        let samba = locate("samba")?;
        let samba_tool = locate("samba-tool")?;
        let openssl = locate("openssl")?;
        let ldapmodify = locate("ldapmodify")?;
        let ldapsearch = locate("ldapsearch")?;
        for port in [LDAP_PORT, LDAPS_PORT] {
            TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
                format!(
                    "127.0.0.1:{port} is not free ({e}): Samba's LDAP ports cannot be moved; \
                     stop the server holding it (another Samba test run?)"
                )
            })?;
        }
        let dir = scratch_dir("ldap-connector-samba").map_err(|e| format!("a directory: {e}"))?;
        std::fs::create_dir_all(dir.join("tls")).map_err(|e| format!("{}: {e}", dir.display()))?;
        let result = Self::start_in(&dir, &samba, &samba_tool, &openssl, ldapmodify, ldapsearch);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        result
    }

    fn start_in(
        dir: &Path,
        samba: &Path,
        samba_tool: &Path,
        openssl: &Path,
        ldapmodify: PathBuf,
        ldapsearch: PathBuf,
    ) -> Result<Self, String> {
        let started = Instant::now();
        let tls = dir.join("tls");
        let ca_pem = make_certificates(openssl, &tls)?;
        let d = dir.display();
        let t = tls.display();
        let options = [
            "interfaces=127.0.0.1".to_owned(),
            "bind interfaces only=yes".to_owned(),
            "server services=ldap".to_owned(),
            // No fsync per change (as Samba's own selftest runs): a throwaway domain.
            "ldb:nosync=true".to_owned(),
            format!("pid directory={d}/run"),
            format!("log file={d}/log.%m"),
            "tls enabled=yes".to_owned(),
            format!("tls keyfile={t}/server.key"),
            format!("tls certfile={t}/server.pem"),
            format!("tls cafile={t}/ca.pem"),
        ];
        let mut provision = Command::new(samba_tool);
        provision.args([
            "domain",
            "provision",
            "--realm=AD.TEST",
            "--domain=ADTEST",
            "--server-role=dc",
            "--dns-backend=NONE",
            "--use-rfc2307",
            "--host-name=dc1",
        ]);
        provision
            .arg(format!("--targetdir={d}"))
            .arg(format!("--adminpass={ADMIN_PASSWORD}"));
        for option in &options {
            provision.arg(format!("--option={option}"));
        }
        let output = provision
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run samba-tool: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "samba-tool domain provision failed ({}): {}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let provisioning = started.elapsed();

        // The watchdog stops samba and removes `dir` when this struct drops or when the
        // process holding it exits.
        let server = ChildServer::builder(samba)
            .args(["-i", "-M", "single", "-s"])
            .arg(dir.join("etc/smb.conf"))
            .log(dir.join("samba.log"))
            .ready_port(LDAP_PORT)
            .ready_port(LDAPS_PORT)
            .ready_timeout(Duration::from_secs(60))
            .remove_on_exit(dir)
            .start()
            .map_err(|e| e.to_string())?;
        let mut dc = Self {
            ldaps_url: format!("ldaps://127.0.0.1:{LDAPS_PORT}"),
            ca_pem,
            provisioning,
            starting: Duration::ZERO,
            seeding: Duration::ZERO,
            dir: dir.to_owned(),
            ldapmodify,
            ldapsearch,
            server,
        };
        let starting = Instant::now();
        // The ports open before the database is ready: a bind and a root DSE read prove it is.
        dc.server
            .wait_until(
                "answer the administrator's bind",
                Duration::from_secs(60),
                || dc.bind(ADMIN_DN, ADMIN_PASSWORD),
            )
            .map_err(|e| e.to_string())?;
        dc.starting = starting.elapsed();
        let seeding = Instant::now();
        dc.modify(&seed_ldif())?;
        for _ in 0..LOCKOUT_THRESHOLD {
            // Each failed bind counts; the last one locks the account out.
            let _ = dc.bind(&seed_user("locked1"), "wrong-password");
        }
        dc.seeding = seeding.elapsed();
        Ok(dc)
    }

    /// Applies LDIF change records as the administrator, over LDAPS.
    pub(crate) fn modify(&self, ldif: &str) -> Result<(), String> {
        let file = self.dir.join(format!("change-{}.ldif", next_id()));
        write(&file, ldif)?;
        let output = Command::new(&self.ldapmodify)
            .env("LDAPTLS_CACERT", self.dir.join("tls/ca.pem"))
            .args([
                "-H",
                &self.ldaps_url,
                "-x",
                "-D",
                ADMIN_DN,
                "-w",
                ADMIN_PASSWORD,
                "-f",
            ])
            .arg(&file)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run ldapmodify: {e}"))?;
        let _ = std::fs::remove_file(&file);
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "ldapmodify failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    /// A simple bind over LDAPS, then a read of the root DSE (Samba has no "Who am I?"
    /// operation); the server's message on failure.
    pub(crate) fn bind(&self, dn: &str, password: &str) -> Result<(), String> {
        let output = Command::new(&self.ldapsearch)
            .env("LDAPTLS_CACERT", self.dir.join("tls/ca.pem"))
            .args(["-H", &self.ldaps_url, "-x", "-D", dn, "-w", password])
            .args(["-s", "base", "-b", "", "1.1"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run ldapsearch: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

/// `unicodePwd`'s value: the quoted password in UTF-16LE, base64 for LDIF.
pub(crate) fn unicode_pwd(password: &str) -> String {
    let bytes: Vec<u8> = format!("\"{password}\"")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The LDIF of a password reset that needs no change at the next logon.
pub(crate) fn set_password_ldif(dn: &str, password: &str) -> String {
    format!(
        "dn: {dn}\nchangetype: modify\nreplace: unicodePwd\nunicodePwd:: {}\n-\nreplace: \
         pwdLastSet\npwdLastSet: -1\n-\n\n",
        unicode_pwd(password)
    )
}

/// A bulk user's sAMAccountName.
pub(crate) fn bulk_name(n: usize) -> String {
    format!("bulk{n:04}")
}

/// The test data: a lockout policy, the organizational units, the seeded users, the bulk
/// users, and groups (one nested in another, one with [`BIG_GROUP_MEMBERS`] members).
fn seed_ldif() -> String {
    let mut ldif = String::with_capacity(bulk_users() * 300 + 8_192);
    let _ = write!(
        ldif,
        "dn: {BASE_DN}\nchangetype: modify\nreplace: lockoutThreshold\nlockoutThreshold: \
         {LOCKOUT_THRESHOLD}\n-\n\n"
    );
    for ou in [SEED_OU, BULK_OU, GROUPS_OU] {
        let _ = write!(
            ldif,
            "dn: {ou}\nchangetype: add\nobjectClass: organizationalUnit\n\n"
        );
    }
    let password = unicode_pwd(USER_PASSWORD);
    for (name, state) in SEED_USERS {
        let uac = if state == Seeded::Disabled { 514 } else { 512 };
        let _ = write!(
            ldif,
            "dn: {}\nchangetype: add\nobjectClass: user\nsAMAccountName: {name}\n\
             userPrincipalName: {name}@{REALM}\ngivenName: Seed\nsn: {name}\n\
             mail: {name}@{REALM}\nunicodePwd:: {password}\nuserAccountControl: {uac}\n",
            seed_user(name)
        );
        if state == Seeded::Expired {
            // 2009-10-13: long past.
            ldif.push_str("accountExpires: 129000000000000000\n");
        }
        ldif.push('\n');
    }
    for n in 0..bulk_users() {
        let name = bulk_name(n);
        let _ = write!(
            ldif,
            "dn: CN={name},{BULK_OU}\nchangetype: add\nobjectClass: user\n\
             sAMAccountName: {name}\n\n"
        );
    }
    let _ = write!(
        ldif,
        "dn: {}\nchangetype: add\nobjectClass: group\nsAMAccountName: inner\n\
         member: {}\n\n",
        seed_group("inner"),
        seed_user("bob")
    );
    let _ = write!(
        ldif,
        "dn: {}\nchangetype: add\nobjectClass: group\nsAMAccountName: outer\n\
         member: {}\nmember: {}\n\n",
        seed_group("outer"),
        seed_user("alice"),
        seed_group("inner")
    );
    let _ = write!(
        ldif,
        "dn: {}\nchangetype: add\nobjectClass: group\nsAMAccountName: big\n",
        seed_group("big")
    );
    for n in 0..BIG_GROUP_MEMBERS {
        let _ = writeln!(ldif, "member: CN={},{BULK_OU}", bulk_name(n));
    }
    ldif.push('\n');
    // Created innermost first, so each `member` names a group that exists.
    for n in 1..=CHAINED_GROUPS {
        let _ = write!(
            ldif,
            "dn: {}\nchangetype: add\nobjectClass: group\nsAMAccountName: chain{n:02}\n",
            seed_group(&format!("chain{n:02}"))
        );
        if n > 1 {
            let _ = writeln!(
                ldif,
                "member: {}",
                seed_group(&format!("chain{:02}", n - 1))
            );
        }
        ldif.push('\n');
    }
    ldif
}
