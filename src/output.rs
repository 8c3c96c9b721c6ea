//! Output: writing the site so that a failed build never damages the previous one.
//!
//! The site is written into a staging folder beside the output folder and swapped in only when
//! complete; dropping an uncommitted [`Staging`] removes it. We only ever delete what we made:
//! an existing output folder is replaced only if an earlier build marked it as ours, and every
//! path written is checked to stay inside the staging folder.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Marks a folder as written by handbook, so a later build may replace it.
pub const MARKER: &str = ".handbook-site";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write the site to {path}: {why}")]
    Refused { path: PathBuf, why: String },
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

fn io_err<'p>(what: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> OutputError + 'p {
    move |source| OutputError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `out` may be (re)placed by a build of the handbook at `root`.
///
/// Refuses the root itself, any folder that contains the root or the given protected folders
/// (content, data), a symlink, a file, and an existing non-empty folder without our marker.
pub fn check_output_dir(out: &Path, root: &Path, protected: &[PathBuf]) -> Result<(), OutputError> {
    let refuse = |why: String| {
        Err(OutputError::Refused {
            path: out.to_path_buf(),
            why,
        })
    };
    let abs_out = absolute(out);
    let canonical_root = root.canonicalize().unwrap_or_else(|_| absolute(root));
    for p in std::iter::once(&canonical_root).chain(protected) {
        let p = p.canonicalize().unwrap_or_else(|_| absolute(p));
        if p.starts_with(&abs_out) || resolved(&abs_out).is_some_and(|o| p.starts_with(o)) {
            return refuse(format!(
                "it is or contains {}, which the build reads",
                p.display()
            ));
        }
    }
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => refuse("it is a symlink".into()),
        Ok(m) if !m.is_dir() => refuse("it exists and is not a folder".into()),
        Ok(_) => {
            let mut entries = std::fs::read_dir(out).map_err(io_err("cannot read", out))?;
            if entries.next().is_some() && !out.join(MARKER).is_file() {
                return refuse(format!(
                    "it is not empty and was not written by handbook (it has no {MARKER} file); remove it or choose another --out"
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("cannot inspect", out)(e)),
    }
}

/// `path` made absolute lexically (without touching the file system), `..` resolved.
fn absolute(path: &Path) -> PathBuf {
    let base = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut out = PathBuf::new();
    for c in base.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The canonical form of `path`'s nearest existing ancestor joined with the rest.
fn resolved(path: &Path) -> Option<PathBuf> {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut p = c;
            for r in rest.iter().rev() {
                p.push(r);
            }
            return Some(p);
        }
        rest.push(existing.file_name()?.to_os_string());
        existing = existing.parent()?;
    }
}

/// Where a rendered site goes: files by site path (`/`-separated, relative).
pub trait Sink: Sync {
    /// Writes the file at site path `rel`.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError>;
    /// Copies the file `from` (an asset under the root) to site path `rel`.
    fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError>;
}

/// Refuses a site path that is not plain and relative: nothing is written outside the site.
fn checked(rel: &str) -> Result<&Path, OutputError> {
    let p = Path::new(rel);
    if rel.is_empty()
        || rel.contains('\\')
        || p.components().any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(OutputError::Refused {
            path: PathBuf::from(rel),
            why: "the path is not a plain relative path inside the site".into(),
        });
    }
    Ok(p)
}

/// A site held in memory, for `serve`: files by site path.
#[derive(Debug, Default)]
pub struct MemorySite {
    files: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
}

impl MemorySite {
    /// The files written, by site path.
    pub fn into_files(self) -> std::collections::HashMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySite {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        checked(rel)?;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(rel.to_string(), bytes.to_vec());
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let bytes = std::fs::read(from).map_err(io_err("cannot read", from))?;
        self.write(rel, &bytes)
    }
}

/// A folder the new site is written into before it replaces the old one.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates a fresh staging folder beside `out` (which must have passed [`check_output_dir`]).
    pub fn create(out: &Path) -> Result<Staging, OutputError> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io_err("cannot create", &parent))?;
        let name = out
            .file_name()
            .map_or("site".into(), |n| n.to_string_lossy().into_owned());
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = parent.join(format!(
            ".{name}.handbook-tmp-{}-{stamp}",
            std::process::id()
        ));
        // create_dir (not _all) fails if it exists: we never write into a folder we did not make.
        std::fs::create_dir(&dir).map_err(io_err("cannot create", &dir))?;
        std::fs::write(
            dir.join(MARKER),
            "This folder was written by handbook; the next build replaces it.\n",
        )
        .map_err(io_err("cannot write", &dir))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            committed: false,
        })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Where `rel` (a `/`-separated site path) goes, refusing anything that would leave the folder.
    fn target(&self, rel: &str) -> Result<PathBuf, OutputError> {
        Ok(self.dir.join(checked(rel)?))
    }

    /// Swaps the finished site in place of the old one, then removes the old one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let old = self.dir.with_file_name(format!(
            "{}-old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, &old).map_err(io_err("cannot move aside", &self.out))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            if had_old {
                // Put the previous site back.
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(io_err("cannot move into place", &self.out)(e));
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old)
                .map_err(io_err("cannot remove the previous site at", &old))?;
        }
        Ok(())
    }
}

impl Sink for Staging {
    /// Writes the file at site path `rel`, creating folders as needed.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let target = self.target(rel)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        std::fs::write(&target, bytes).map_err(io_err("cannot write", &target))
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let target = self.target(rel)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        std::fs::copy(from, &target)
            .map(drop)
            .map_err(io_err("cannot copy", from))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::create(&tmp.path().join("public")).unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", "", "a\\..\\x", "./a"] {
            assert!(staging.write(bad, b"x").is_err(), "{bad}");
        }
        staging.write("a/b/index.html", b"ok").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("public/a/b/index.html")).unwrap(),
            "ok"
        );
        // Only the output folder is left behind.
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["public"]);
    }

    #[test]
    fn dropping_keeps_the_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"v1").unwrap();
        s.commit().unwrap();
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"v2").unwrap();
        drop(s);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v1"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_foreign_and_enclosing_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hb");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let foreign = tmp.path().join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("mine.txt"), "precious").unwrap();
        assert!(check_output_dir(&foreign, &root, &[]).is_err());
        assert!(check_output_dir(&root, &root, &[]).is_err());
        assert!(check_output_dir(tmp.path(), &root, &[]).is_err());
        assert!(check_output_dir(&root.join("content"), &root, &[root.join("content")]).is_err());
        assert!(check_output_dir(&root.join("public"), &root, &[root.join("content")]).is_ok());
        std::fs::write(foreign.join(MARKER), "").unwrap();
        assert!(check_output_dir(&foreign, &root, &[]).is_ok());
    }
}
