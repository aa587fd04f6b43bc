//! `dev http-server --reload`: restart the server when the connector's executable changes.
//!
//! connector-py re-imports the connector's module; a compiled connector's code is its
//! executable, so the server watches that file (its size, modification time and inode, polled)
//! and, once a new build has landed and stayed put for one poll, finishes the requests in
//! flight and replaces the process with the new build (`exec`, same arguments, same process
//! id). `cargo build` in another terminal is all a developer does. Unix only; elsewhere the
//! flag says so and the server serves on.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How often the executable is looked at.
const POLL: Duration = Duration::from_millis(400);

/// What identifies one build of the executable on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp {
        len: metadata.len(),
        modified: metadata.modified().ok(),
        inode,
    })
}

/// The executable to watch and restart, with what it is now.
#[derive(Debug, Clone)]
pub(super) struct Watch {
    exe: PathBuf,
    original: Stamp,
}

impl Watch {
    /// Watches this process's executable; `Err` says why it cannot (for stderr).
    pub(super) fn current() -> Result<Self, String> {
        if !cfg!(unix) {
            return Err("--reload restarts the server only on Unix; serving this build".into());
        }
        let exe = std::env::current_exe()
            .map_err(|error| format!("--reload: cannot find this executable: {error}"))?;
        let original =
            stamp(&exe).ok_or_else(|| format!("--reload: cannot read {}", exe.display()))?;
        Ok(Self { exe, original })
    }

    /// The file watched.
    pub(super) fn exe(&self) -> &Path {
        &self.exe
    }

    /// Resolves once the file differs from the build this process started from and has not
    /// changed for one poll (a build being written is not run half-written).
    pub(super) async fn changed(&self) {
        let mut last = Some(self.original.clone());
        loop {
            tokio::time::sleep(POLL).await;
            let now = stamp(&self.exe);
            if now.is_some() && now != Some(self.original.clone()) && now == last {
                return;
            }
            last = now;
        }
    }

    /// Replaces this process with the executable's new build, with the same arguments. Returns
    /// only on failure.
    #[cfg(unix)]
    pub(super) fn restart(&self) -> std::io::Error {
        use std::os::unix::process::CommandExt;
        let mut args = std::env::args_os();
        let mut command = std::process::Command::new(&self.exe);
        if let Some(arg0) = args.next() {
            command.arg0(arg0);
        }
        command.args(args).exec()
    }

    /// Replaces this process with the executable's new build (Unix only).
    #[cfg(not(unix))]
    pub(super) fn restart(&self) -> std::io::Error {
        std::io::Error::other("restarting needs Unix")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_file_is_a_change_once_it_settles() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("exe");
        std::fs::write(&exe, b"build one").unwrap();
        let watch = Watch {
            original: stamp(&exe).unwrap(),
            exe: exe.clone(),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let wait =
            |limit| runtime.block_on(async { tokio::time::timeout(limit, watch.changed()).await });
        // Unchanged: still waiting after a few polls.
        assert!(wait(POLL * 3).is_err());
        // A new build renamed into place (a new inode, as cargo's hard link makes one).
        let new = dir.path().join("exe.new");
        std::fs::write(&new, b"build number two").unwrap();
        std::fs::rename(&new, &exe).unwrap();
        assert!(wait(Duration::from_secs(30)).is_ok());
    }
}
