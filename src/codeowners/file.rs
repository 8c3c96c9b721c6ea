//! Which file and which repository: where CODEOWNERS is looked for (or made) under the root,
//! whether the forge reads it there, the repository root its paths start from (`git rev-parse`),
//! and reading it, never through a symlink.

use std::path::{Path, PathBuf};

use crate::diagnostic::display_path;
use crate::git::git;
use crate::text::one_line;

use super::error::{io_err, Error};
use super::forge::Forge;
use super::request::Request;

/// Where the file is looked for under the handbook root when neither `--file` nor `--forge`
/// is given: GitHub's places in the order GitHub reads them, then GitLab's own folder. The first
/// is created when none exists. With `--forge`, that forge's order ([`Forge::folders`]).
const CANDIDATES: [&str; 4] = [
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

/// Where the file is: `--file`, else the first under the root that exists of the forge's
/// places in the order it reads them (or of [`CANDIDATES`]; a dangling symlink counts, and is
/// then refused), else the forge's own folder (`.github/`, `.gitlab/`).
pub fn locate(request: &Request) -> PathBuf {
    if let Some(file) = &request.file {
        return file.clone();
    }
    // `CODEOWNERS`, not `./CODEOWNERS`, when the root is the current folder.
    let under_root = |c: &str| {
        if request.root == Path::new(".") {
            PathBuf::from(c)
        } else {
            request.root.join(c)
        }
    };
    let (places, create): (Vec<String>, &str) = match request.forge {
        Some(forge) => (
            forge
                .folders()
                .iter()
                .map(|f| {
                    if f.is_empty() {
                        "CODEOWNERS".to_string()
                    } else {
                        format!("{f}/CODEOWNERS")
                    }
                })
                .collect(),
            match forge {
                Forge::Github => ".github/CODEOWNERS",
                Forge::Gitlab => ".gitlab/CODEOWNERS",
            },
        ),
        None => (
            CANDIDATES.iter().map(|c| c.to_string()).collect(),
            CANDIDATES[0],
        ),
    };
    places
        .iter()
        .map(|c| under_root(c))
        .find(|p| std::fs::symlink_metadata(p).is_ok())
        .unwrap_or_else(|| under_root(create))
}

/// The top folder of the git work tree `root` is in; `Ok(None)` when it is in none (or git is
/// not installed), `Err` with git's complaint when git fails for another reason.
pub fn repository_root(root: &Path) -> Result<Option<PathBuf>, String> {
    // Messages untranslated (`git` sets LC_ALL=C): "not a git repository" is looked for below.
    let output = git(root).args(["rev-parse", "--show-toplevel"]).output();
    let Ok(output) = output else {
        return Ok(None);
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("not a git repository") {
            return Ok(None);
        }
        return Err(one_line(
            stderr.lines().next().unwrap_or("git rev-parse failed"),
            '?',
        ));
    }
    let out = String::from_utf8(output.stdout).map_err(|_| "git named a path that is not UTF-8")?;
    let top = out.trim_end_matches(['\n', '\r']);
    Ok((!top.is_empty()).then(|| PathBuf::from(top)))
}

/// The root's path from `top`, `/`-separated (empty when they are the same folder).
pub(super) fn prefix(root: &Path, top: &Path) -> String {
    match (root.canonicalize(), top.canonicalize()) {
        (Ok(root), Ok(top)) => root
            .strip_prefix(&top)
            .map(display_path)
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Whether `forge` reads `file` for the repository at `top` (`None`: cannot tell).
pub(super) fn read_by_forge(file: &Path, top: &Path, forge: Forge) -> Option<bool> {
    if file.file_name()? != "CODEOWNERS" {
        return Some(false);
    }
    let dot = Path::new(".");
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(dot);
    // The folder may not exist yet (`.github/`, made when the file is written).
    let dir = match dir.canonicalize() {
        Ok(d) => d,
        Err(_) => {
            let parent = dir
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(dot);
            parent.canonicalize().ok()?.join(dir.file_name()?)
        }
    };
    let top = top.canonicalize().ok()?;
    Some(forge.folders().iter().any(|f| dir == top.join(f)))
}

/// The file's text; `None` when it does not exist. Refuses a symlink, which would make us
/// read (and replace) something other than the file named.
pub(super) fn read(file: &Path) -> Result<Option<String>, Error> {
    match std::fs::symlink_metadata(file) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err("inspect", file)(e)),
        Ok(m) if m.file_type().is_symlink() => return Err(Error::Symlink(file.to_path_buf())),
        Ok(m) if !m.is_file() => return Err(Error::NotAFile(file.to_path_buf())),
        Ok(_) => {}
    }
    match std::fs::read_to_string(file) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            Err(Error::NotText(file.to_path_buf()))
        }
        Err(e) => Err(io_err("read", file)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_found_where_the_forge_reads_first() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let request = |forge| Request {
            root: root.clone(),
            file: None,
            forge,
        };
        // None yet: each forge's own folder is created.
        assert_eq!(locate(&request(None)), root.join(".github/CODEOWNERS"));
        assert_eq!(
            locate(&request(Some(Forge::Gitlab))),
            root.join(".gitlab/CODEOWNERS")
        );
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/CODEOWNERS"), "").unwrap();
        std::fs::write(root.join("CODEOWNERS"), "").unwrap();
        // GitHub reads the top before docs/; so does GitLab.
        assert_eq!(locate(&request(None)), root.join("CODEOWNERS"));
        assert_eq!(
            locate(&request(Some(Forge::Gitlab))),
            root.join("CODEOWNERS")
        );
        std::fs::create_dir_all(root.join(".github")).unwrap();
        std::fs::write(root.join(".github/CODEOWNERS"), "").unwrap();
        assert_eq!(
            locate(&request(Some(Forge::Github))),
            root.join(".github/CODEOWNERS")
        );
        // GitLab does not read .github/.
        assert_eq!(
            locate(&request(Some(Forge::Gitlab))),
            root.join("CODEOWNERS")
        );
    }
}
