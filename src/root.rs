//! The handbook root as a boundary: files read and written through [`Root`] stay inside it.
//!
//! A handbook is untrusted input (a pull request controls every file of it), so a path taken
//! from it, or a symlink placed in it, must not lead a command to read or write elsewhere.
//! `Root` resolves each path it is given, one folder at a time, and refuses one that leaves
//! the root, whether by `..`, an absolute path or a symlink.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// `path` with `.` dropped and `..` applied by its text alone (the file system is not asked:
/// the path may not exist, yet or any more). A `..` at the top is dropped.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// A handbook root, resolved once.
#[derive(Debug, Clone)]
pub struct Root {
    path: PathBuf,
    canonical: PathBuf,
}

/// Why a path was refused: the error every `Root` method gives for it.
fn outside(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "{} leads outside the handbook root (through `..`, an absolute path or a symlink)",
            path.display()
        ),
    )
}

impl Root {
    pub fn new(path: &Path) -> io::Result<Root> {
        Ok(Root {
            path: path.to_path_buf(),
            canonical: path.canonicalize()?,
        })
    }

    /// The root as it was given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether `path` (absolute, or relative to the current folder), once symlinks are
    /// resolved, is inside the root. A path that does not exist is judged by its nearest
    /// existing folder, where it would be created.
    pub fn contains(&self, path: &Path) -> bool {
        let mut existing = path;
        loop {
            if std::fs::symlink_metadata(existing).is_ok() {
                return existing
                    .canonicalize()
                    .is_ok_and(|c| c.starts_with(&self.canonical));
            }
            match existing.parent() {
                Some(p) if p.as_os_str().is_empty() => existing = Path::new("."),
                Some(p) => existing = p,
                None => return false,
            }
        }
    }

    /// Whether root-relative `rel` is hidden: a name in it starts with `.` (`.git/config`,
    /// `.env`). A machine keeps there what is not in the repository (credentials, tokens), so
    /// nothing hidden is published, and no symlink with a plain name may lead to it.
    pub fn is_hidden(rel: &Path) -> bool {
        rel.components().any(|c| match c {
            Component::Normal(name) => name.as_encoded_bytes().starts_with(b"."),
            _ => false,
        })
    }

    /// Where `path` (absolute, or relative to the current folder) leads once symlinks are
    /// resolved, relative to the root; `None` when it does not exist or leads outside.
    pub fn resolve(&self, path: &Path) -> Option<PathBuf> {
        let target = path.canonicalize().ok()?;
        target
            .strip_prefix(&self.canonical)
            .ok()
            .map(Path::to_path_buf)
    }

    /// `rel` as a path under the root, when it is plain: relative, without `..`.
    fn join(&self, rel: &Path) -> io::Result<PathBuf> {
        if rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(outside(rel));
        }
        Ok(self.path.join(rel))
    }

    /// Reads the file at `rel`, refusing one that resolves outside the root, or to a hidden
    /// file when `rel` itself is not hidden (an archetype linked to `.env`).
    pub fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        let path = self.join(rel)?;
        if !self.contains(&path) {
            return Err(outside(rel));
        }
        if let Some(target) = self.resolve(&path) {
            if Root::is_hidden(&target) && !Root::is_hidden(rel) {
                return Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    format!(
                        "{} is a symlink to a hidden file, which is never read",
                        rel.display()
                    ),
                ));
            }
        }
        std::fs::read(path)
    }

    /// [`Root::read`] as text; `None` when it cannot be read or is not UTF-8.
    pub fn read_text(&self, rel: &Path) -> Option<String> {
        String::from_utf8(self.read(rel).ok()?).ok()
    }

    /// Creates the file at `rel` with `bytes`, and the folders to it, never replacing a file
    /// (the error is `AlreadyExists`) and never following a symlink out of the root: each
    /// folder on the way is created, or resolved and checked, one at a time.
    pub fn create_new(&self, rel: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
        let path = self.join(rel)?;
        let mut at = self.path.clone();
        let parts: Vec<_> = rel.components().collect();
        for part in parts.iter().take(parts.len().saturating_sub(1)) {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => {
                    if !self.contains(&at) {
                        return Err(outside(rel));
                    }
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir(&at)?,
                Err(e) => return Err(e),
            }
        }
        // `create_new` refuses any existing name, a dangling symlink included.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        f.write_all(bytes)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_stay_inside() {
        let tmp = tempfile::tempdir().unwrap();
        let root_dir = tmp.path().join("hb");
        std::fs::create_dir_all(root_dir.join("content")).unwrap();
        std::fs::write(tmp.path().join("secret"), "s").unwrap();
        let root = Root::new(&root_dir).unwrap();
        assert!(root.read(Path::new("../secret")).is_err());
        assert!(root.read(Path::new("/etc/hostname")).is_err());
        let made = root
            .create_new(Path::new("content/new/a.md"), b"x")
            .unwrap();
        assert!(made.starts_with(&root_dir));
        assert_eq!(
            root.create_new(Path::new("content/new/a.md"), b"y")
                .unwrap_err()
                .kind(),
            io::ErrorKind::AlreadyExists
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path(), root_dir.join("content/out")).unwrap();
            std::os::unix::fs::symlink(tmp.path().join("secret"), root_dir.join("leak")).unwrap();
            assert!(root
                .create_new(Path::new("content/out/x.md"), b"x")
                .is_err());
            assert!(!tmp.path().join("x.md").exists());
            assert!(root.read(Path::new("leak")).is_err());
            assert!(root.read(Path::new("content/out/secret")).is_err());
            // A symlink that stays inside is followed.
            std::os::unix::fs::symlink(root_dir.join("content"), root_dir.join("docs")).unwrap();
            assert!(root.create_new(Path::new("docs/b.md"), b"x").is_ok());
            assert!(root_dir.join("content/b.md").is_file());
        }
    }
}
