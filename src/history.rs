//! Revision history from git, for change control (ISO 9001 7.5.3 asks for it): each document's
//! last change and its recent changes.
//!
//! One `git log` over the content folder gives every file's commits, newest first; a process per
//! file would cost seconds on a large handbook. Without git, outside a repository, or when git
//! fails for any reason, there is simply no history: it is an addition to the site, never a
//! reason for a build to fail.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::JoinHandle;

use serde::Serialize;

use crate::dates::Day;
use crate::git::git;

/// Revisions kept per file: the panel shows the last change and a short history.
pub const REVISIONS_PER_FILE: usize = 5;

/// Characters of a commit hash shown.
const SHORT_HASH: usize = 10;

/// One commit that changed a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// Abbreviated commit hash.
    pub commit: String,
    /// Author date.
    pub date: Day,
    pub author: String,
    pub subject: String,
}

/// One commit that touched a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub revision: Revision,
    /// The file's blob after the commit (all zeros when the commit deleted it).
    pub blob: String,
    /// Committer date: when the change reached the history (a rebased change keeps its old
    /// author date).
    pub committed: Day,
}

/// The changes of each file, by path relative to the handbook root (`/`-separated), newest
/// first.
#[derive(Debug, Clone, Default)]
pub struct History {
    by_path: HashMap<String, Vec<Change>>,
}

impl History {
    /// Reads the history of `dir` (relative to `root`): every commit's files, newest first.
    /// `None` when it cannot be read. The contents `changed-since-review` compares come later,
    /// for the few documents that need them, from [`ReviewedVersions`]: a `-p` log of
    /// everything would also print every file ever added (70 MB and 1.7 s for a 10,000-page
    /// handbook imported in one commit).
    pub fn read(root: &Path, dir: &Path) -> Option<History> {
        let names = git_log(
            root,
            &[
                "-z",
                "--format=%x1e%H%x1f%as%x1f%cs%x1f%an%x1f%s",
                "--raw",
                "--no-abbrev",
            ],
        )
        .arg("--")
        .arg(dir)
        .stdin(Stdio::null())
        .spawn()
        .ok()?
        .wait_with_output()
        .ok()?;
        if !names.status.success() {
            return None;
        }
        Some(History::parse(&String::from_utf8_lossy(&names.stdout)))
    }

    /// Parses `git log -z --name-status` output in the format [`History::read`] asks for.
    pub fn parse(names: &str) -> History {
        let mut by_path: HashMap<String, Vec<Change>> = HashMap::new();
        for record in names.split('\x1e').filter(|r| !r.is_empty()) {
            let (header, files) = record.split_once('\0').unwrap_or((record, ""));
            let mut fields = header.split('\x1f');
            let (Some(commit), Some(date), Some(committed), Some(author), Some(subject)) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) else {
                continue;
            };
            let (Ok(date), Ok(committed)) = (date.parse::<Day>(), committed.parse::<Day>()) else {
                continue;
            };
            let revision = Revision {
                // Shown, not used to look anything up: the usual short form.
                commit: commit.chars().take(SHORT_HASH).collect(),
                date,
                author: author.to_string(),
                subject: subject.to_string(),
            };
            // `:mode mode old-blob new-blob status` then the path, NUL-separated.
            let mut parts = files.split('\0');
            while let (Some(raw), Some(file)) = (parts.next(), parts.next()) {
                let Some(blob) = raw.trim_start().split(' ').nth(3) else {
                    continue;
                };
                if file.is_empty() {
                    continue;
                }
                by_path.entry(file.to_string()).or_default().push(Change {
                    revision: revision.clone(),
                    blob: blob.to_string(),
                    committed,
                });
            }
        }
        History { by_path }
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// Takes the changes of `path` (relative to the root), newest first.
    pub fn take(&mut self, path: &str) -> Vec<Change> {
        self.by_path.remove(path).unwrap_or_default()
    }
}

/// `git log ARGS` in `root`, output piped; the caller adds the paths and spawns it.
fn git_log(root: &Path, args: &[&str]) -> Command {
    let mut cmd = git(root);
    // Plain paths (no octal escapes); pathspecs are file names, never patterns.
    cmd.args(["-c", "core.quotePath=false"])
        .arg("--literal-pathspecs")
        .args([
            "log",
            "--no-renames",
            "--no-show-signature",
            "--no-color",
            // Paths relative to the root, which may be a folder inside the repository.
            "--relative",
        ])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    cmd
}

/// A running `git cat-file --batch` that reads versions of documents around their last
/// review, for `changed-since-review`: one process for all of them, while Markdown renders.
#[derive(Debug)]
pub struct ReviewedVersions(Option<JoinHandle<Vec<Option<String>>>>);

impl ReviewedVersions {
    /// Starts reading the blobs `wanted` (full hashes).
    pub fn start(root: &Path, wanted: Vec<String>) -> ReviewedVersions {
        let root = root.to_path_buf();
        ReviewedVersions(Some(std::thread::spawn(move || read_blobs(&root, &wanted))))
    }

    /// The texts, in the order asked for; `None` where git could not give one.
    pub fn collect(self, count: usize) -> Vec<Option<String>> {
        let mut texts = self.0.and_then(|h| h.join().ok()).unwrap_or_default();
        texts.resize(count, None);
        texts
    }
}

fn read_blobs(root: &Path, wanted: &[String]) -> Vec<Option<String>> {
    let Ok(mut child) = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return Vec::new();
    };
    // By blob: no tree to walk per request (three times faster than `<commit>:<path>`).
    let mut input = String::new();
    for blob in wanted {
        input.push_str(blob);
        input.push('\n');
    }
    // Written from another thread: git answers each line as it reads it, and would block on
    // a full pipe if nobody read its output meanwhile.
    let writer = child.stdin.take().map(|mut stdin| {
        std::thread::spawn(move || {
            let _ = stdin.write_all(input.as_bytes());
        })
    });
    let mut out = Vec::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_end(&mut out);
    }
    if let Some(w) = writer {
        let _ = w.join();
    }
    let _ = child.wait();
    parse_batch(&out, wanted.len())
}

/// Parses `git cat-file --batch` output: `<sha> blob <size>\n<content>\n` per object found,
/// `<name> missing\n` (or `ambiguous`) otherwise.
fn parse_batch(out: &[u8], count: usize) -> Vec<Option<String>> {
    let mut texts = Vec::with_capacity(count);
    let mut pos = 0;
    while texts.len() < count && pos < out.len() {
        let Some(end) = out[pos..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let header = String::from_utf8_lossy(&out[pos..pos + end]).into_owned();
        pos += end + 1;
        let mut fields = header.rsplitn(3, ' ');
        let (size, kind) = (fields.next(), fields.next());
        match (kind, size.and_then(|s| s.parse::<usize>().ok())) {
            (Some("blob"), Some(size)) if pos + size <= out.len() => {
                texts.push(Some(
                    String::from_utf8_lossy(&out[pos..pos + size]).into_owned(),
                ));
                pos += size + 1;
            }
            (Some(_), Some(size)) if pos + size <= out.len() => {
                texts.push(None);
                pos += size + 1;
            }
            _ => texts.push(None),
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &str = "\x1ee70557a\x1f2026-11-23\x1f2026-11-24\x1fBo\x1fSecond\0\n\
                         :100644 100644 aaa bbb M\0content/sops/a.md\0\
                         \x1eaf41480\x1f2026-01-05\x1f2026-01-05\x1fAna Lima\x1fFirst: a & b\0\n\
                         :000000 100644 000 aaa A\0content/sops/a.md\0\
                         :000000 100644 000 ccc A\0content/sops/b \"c\".md\0\
                         :100644 000000 ddd 000 D\0content/old.md\0";

    #[test]
    fn parses_commits_and_their_files() {
        let mut h = History::parse(NAMES);
        let a = h.take("content/sops/a.md");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].revision.commit, "e70557a");
        assert_eq!(a[0].revision.author, "Bo");
        assert_eq!(a[0].committed, "2026-11-24".parse().unwrap());
        assert_eq!((a[0].blob.as_str(), a[1].blob.as_str()), ("bbb", "aaa"));
        assert_eq!(a[1].revision.subject, "First: a & b");
        assert_eq!(a[1].revision.date, "2026-01-05".parse().unwrap());
        assert_eq!(h.take("content/sops/b \"c\".md").len(), 1);
        assert_eq!(h.take("content/old.md").len(), 1);
        assert!(h.take("content/sops/none.md").is_empty());
    }

    #[test]
    fn parses_blobs_and_misses() {
        let out = b"a1 blob 5\nhello\nx:./gone missing\nb2 blob 0\n\nc3 tree 3\nabc\n";
        assert_eq!(
            parse_batch(out, 4),
            [Some("hello".into()), None, Some(String::new()), None]
        );
        assert_eq!(parse_batch(b"a1 blob 99\nshort", 1), [None]);
    }

    #[test]
    fn skips_garbage() {
        let names = "\x1ebroken record\0\n:1 1 a b M\0x.md\0\x1e1\x1fnot-a-date\x1f2026-01-01\x1fA\x1fS\0\n:1 1 a b M\0x.md\0";
        assert!(History::parse(names).by_path.is_empty());
    }
}
