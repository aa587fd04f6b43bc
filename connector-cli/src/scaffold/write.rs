//! Writing a rendered tree all or nothing: a failure undoes every file and folder written.

use std::io;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// What has been done so far, to undo it.
#[derive(Debug, Default)]
struct Journal {
    /// Folders created, in creation order.
    created_dirs: Vec<PathBuf>,
    /// Files created (they did not exist).
    created_files: Vec<PathBuf>,
    /// Files overwritten (with `--force`), with their former content.
    replaced: Vec<(PathBuf, Vec<u8>)>,
}

impl Journal {
    /// Creates `dir` and its missing ancestors, recording each.
    fn create_dirs(&mut self, dir: &Path) -> io::Result<()> {
        let mut missing = Vec::new();
        let mut current = Some(dir);
        while let Some(path) = current {
            if path.as_os_str().is_empty() || path.exists() {
                break;
            }
            missing.push(path.to_owned());
            current = path.parent();
        }
        for path in missing.into_iter().rev() {
            std::fs::create_dir(&path)?;
            self.created_dirs.push(path);
        }
        Ok(())
    }

    fn write(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        if let Some(parent) = path.parent() {
            self.create_dirs(parent)?;
        }
        match std::fs::read(path) {
            Ok(former) => self.replaced.push((path.to_owned(), former)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                self.created_files.push(path.to_owned());
            }
            Err(error) => return Err(error),
        }
        std::fs::write(path, bytes)
    }

    /// Undoes everything, newest first; best effort.
    fn roll_back(self) {
        for (path, former) in self.replaced.into_iter().rev() {
            let _ = std::fs::write(path, former);
        }
        for path in self.created_files.into_iter().rev() {
            let _ = std::fs::remove_file(path);
        }
        for path in self.created_dirs.into_iter().rev() {
            let _ = std::fs::remove_dir(path);
        }
    }
}

/// Writes `files` (paths relative to `root`) under `root`, creating folders as needed. If any
/// write fails, what was written is removed and what was overwritten is restored, so `root` is
/// as it was.
pub(crate) fn write_all(root: &Path, files: &[(PathBuf, Vec<u8>)]) -> anyhow::Result<()> {
    let mut journal = Journal::default();
    let mut result = journal
        .create_dirs(root)
        .with_context(|| format!("creating {}", root.display()));
    for (relative, bytes) in files {
        if result.is_err() {
            break;
        }
        let path = root.join(relative);
        result = journal
            .write(&path, bytes)
            .with_context(|| format!("writing {}", path.display()));
    }
    if result.is_err() {
        journal.roll_back();
    }
    result
}

#[cfg(test)]
mod tests {
    use super::write_all;
    use std::path::PathBuf;

    fn files(list: &[(&str, &str)]) -> Vec<(PathBuf, Vec<u8>)> {
        list.iter()
            .map(|(p, c)| (PathBuf::from(p), c.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn writes_a_tree() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("new/crate");
        write_all(&root, &files(&[("a.txt", "a"), ("src/b.rs", "b")])).unwrap();
        assert_eq!(std::fs::read_to_string(root.join("src/b.rs")).unwrap(), "b");
    }

    #[test]
    fn a_failure_leaves_the_tree_as_it_was() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("crate");
        std::fs::create_dir_all(root.join("tests")).unwrap();
        std::fs::write(root.join("keep.txt"), "mine").unwrap();
        std::fs::write(root.join("over.txt"), "former").unwrap();
        // `tests` is a folder, so writing a file there fails after the others were written.
        let plan = files(&[
            ("over.txt", "new"),
            ("src/lib.rs", "lib"),
            ("src/deep/mod.rs", "deep"),
            ("tests", "not a folder"),
        ]);
        let error = write_all(&root, &plan).unwrap_err();
        assert!(format!("{error:#}").contains("tests"), "{error:#}");
        assert_eq!(
            std::fs::read_to_string(root.join("over.txt")).unwrap(),
            "former"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("keep.txt")).unwrap(),
            "mine"
        );
        assert!(!root.join("src").exists());
        let mut left: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["keep.txt", "over.txt", "tests"]);
    }

    #[test]
    fn a_failure_removes_a_root_it_created() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("a/b");
        let plan = files(&[("x.txt", "x"), ("x.txt/y", "y")]);
        assert!(write_all(&root, &plan).is_err());
        assert!(!temp.path().join("a").exists());
    }
}
