//! Revision history from git, for change control (ISO 9001 7.5.3 asks for it): each document's
//! last change and its recent changes.
//!
//! One `git log` over the content folder gives every file's commits, newest first; a process per
//! file would cost seconds on a large handbook. Without git, outside a repository, or when git
//! fails for any reason, there is simply no history: it is an addition to the site, never a
//! reason for a build to fail.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Serialize;

use crate::dates::Day;

/// Revisions kept per file: the panel shows the last change and a short history.
pub const REVISIONS_PER_FILE: usize = 5;

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

/// The recent revisions of each file, by path relative to the handbook root (`/`-separated).
#[derive(Debug, Default)]
pub struct History {
    by_path: HashMap<String, Vec<Revision>>,
}

impl History {
    /// Reads the history of `dir` (relative to `root`). `None` when it cannot be read.
    pub fn read(root: &Path, dir: &Path) -> Option<History> {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            // Plain paths (no octal escapes); no configured hooks or helpers get to run.
            .args(["-c", "core.quotePath=false", "-c", "core.fsmonitor=false"])
            .args([
                "log",
                "-z",
                "--no-renames",
                "--no-show-signature",
                "--no-color",
                "--format=%x1e%h%x1f%as%x1f%an%x1f%s",
                "--name-only",
                // Paths relative to the root, which may be a folder inside the repository.
                "--relative",
                "--",
            ])
            .arg(dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !output.status.success() {
            return None;
        }
        Some(History::parse(&String::from_utf8_lossy(&output.stdout)))
    }

    /// Parses `git log -z --name-only` output in the format [`History::read`] asks for.
    pub fn parse(log: &str) -> History {
        let mut by_path: HashMap<String, Vec<Revision>> = HashMap::new();
        for record in log.split('\x1e').filter(|r| !r.is_empty()) {
            let (header, files) = record.split_once('\0').unwrap_or((record, ""));
            let mut fields = header.split('\x1f');
            let (Some(commit), Some(date), Some(author), Some(subject)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Ok(date) = date.parse::<Day>() else {
                continue;
            };
            let revision = Revision {
                commit: commit.to_string(),
                date,
                author: author.to_string(),
                subject: subject.to_string(),
            };
            for file in files.split('\0') {
                let file = file.trim_start_matches('\n');
                if file.is_empty() {
                    continue;
                }
                let list = by_path.entry(file.to_string()).or_default();
                if list.len() < REVISIONS_PER_FILE {
                    list.push(revision.clone());
                }
            }
        }
        History { by_path }
    }

    /// Takes the revisions of `path` (relative to the root), newest first.
    pub fn take(&mut self, path: &str) -> Vec<Revision> {
        self.by_path.remove(path).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records_with_several_files_and_odd_names() {
        let log = "\x1ee70557a\x1f2026-11-23\x1fBo\x1fSecond\0\ncontent/sops/a.md\0\
                   \x1eaf41480\x1f2026-01-05\x1fAna Lima\x1fFirst: a & b\0\ncontent/sops/a.md\0content/sops/b c.md\0";
        let mut h = History::parse(log);
        let a = h.take("content/sops/a.md");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].commit, "e70557a");
        assert_eq!(a[0].author, "Bo");
        assert_eq!(a[1].subject, "First: a & b");
        assert_eq!(a[1].date, "2026-01-05".parse().unwrap());
        assert_eq!(h.take("content/sops/b c.md").len(), 1);
        assert!(h.take("content/sops/none.md").is_empty());
    }

    #[test]
    fn keeps_the_newest_revisions_and_skips_garbage() {
        let mut log =
            String::from("\x1ebroken record\0\nx.md\0\x1e1\x1fnot-a-date\x1fA\x1fS\0\nx.md\0");
        for i in 0..8 {
            log.push_str(&format!(
                "\x1ec{i}\x1f2026-01-0{}\x1fA\x1fS{i}\0\nx.md\0",
                i + 1
            ));
        }
        let x = History::parse(&log).take("x.md");
        assert_eq!(x.len(), REVISIONS_PER_FILE);
        assert_eq!(x[0].commit, "c0");
    }
}
