//! Running a bundle's `main` in an empty root: a folder holding only the binary and an
//! `/etc/hosts`, entered with `unshare --map-root-user --root` (a user and mount namespace; no
//! privileges needed where user namespaces are allowed) or, as root, `chroot`. The network is
//! the host's, so servers the test started on 127.0.0.1 are reachable. A statically linked
//! bundle (`connector package`) must work there: no libc, no NSS modules, no `/dev`, no
//! `/etc/resolv.conf`.
//!
//! ```no_run
//! use connector_testkit::EmptyRoot;
//!
//! let root = EmptyRoot::new("bundle/main".as_ref(), "127.0.0.1 localhost app.test\n").unwrap();
//! let info = root.run(&["info"]);
//! assert!(info.status.success());
//! ```

use std::path::Path;
use std::process::{Command, Output};

/// A temporary root holding `/main` and `/etc/hosts`; removed on drop.
#[derive(Debug)]
pub struct EmptyRoot {
    dir: tempfile::TempDir,
}

impl EmptyRoot {
    /// A root holding a copy of `main` as `/main` and `hosts` as `/etc/hosts`.
    ///
    /// # Errors
    ///
    /// When the folder or its files cannot be written.
    pub fn new(main: &Path, hosts: &str) -> std::io::Result<Self> {
        let dir = tempfile::tempdir()?;
        std::fs::copy(main, dir.path().join("main"))?;
        std::fs::create_dir(dir.path().join("etc"))?;
        std::fs::write(dir.path().join("etc/hosts"), hosts)?;
        Ok(Self { dir })
    }

    /// The root's folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `/main args…` inside the root and returns what it printed and its status.
    ///
    /// # Panics
    ///
    /// When neither `unshare` nor `chroot` can enter the root (the message says what each
    /// answered): the test needs user namespaces or root.
    pub fn run(&self, args: &[&str]) -> Output {
        let unshared = Command::new("unshare")
            .args(["--map-root-user", "--root"])
            .arg(self.path())
            .arg("/main")
            .args(args)
            .output();
        if let Ok(output) = &unshared
            && !String::from_utf8_lossy(&output.stderr).starts_with("unshare:")
        {
            return output.clone();
        }
        let chrooted = Command::new("chroot")
            .arg(self.path())
            .arg("/main")
            .args(args)
            .output();
        match chrooted {
            Ok(output) if !String::from_utf8_lossy(&output.stderr).starts_with("chroot:") => output,
            other => panic!(
                "cannot enter an empty root: `unshare --map-root-user --root` gave {unshared:?} \
                 and `chroot` gave {other:?}; this needs user namespaces or root \
                 (connector-cli/scripts/ensure-bundle-tools.sh installs the tools)"
            ),
        }
    }
}
