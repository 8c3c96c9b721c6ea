//! Changes nobody reviewed: each document's revisions and review window from the history, the
//! versions to read for them, and the commits after the review that changed the body.

use std::path::Path;

use crate::dates::Day;
use crate::fields::FieldAliases;
use crate::history::{Change, Revision, REVISIONS_PER_FILE};
use crate::load::front_matter::FrontMatter;
use crate::load::Document;
use crate::text;

use super::model::{PageId, Site, Unreviewed};

/// The versions of documents' review windows to read, and how many of them belong to each
/// page, in order.
#[derive(Debug, Default)]
pub struct ReviewWindows {
    pub pages: Vec<(PageId, usize)>,
    /// Blob hashes.
    pub wanted: Vec<String>,
}

impl Site {
    /// What [`ReviewedVersions`](crate::history::ReviewedVersions) must read: for each
    /// document committed to since its review date, the versions of its review window.
    pub fn review_windows(&self) -> ReviewWindows {
        let mut pages = Vec::new();
        let mut wanted = Vec::new();
        for p in &self.pages {
            let (Some((_, newest)), Some((_, oldest))) =
                (p.review_window.first(), p.review_window.last())
            else {
                continue;
            };
            // The same file at both ends: nothing changed since.
            if p.review_window.len() < 2 || newest == oldest {
                continue;
            }
            pages.push((p.id, p.review_window.len()));
            wanted.extend(p.review_window.iter().map(|(_, blob)| blob.clone()));
        }
        ReviewWindows { pages, wanted }
    }

    /// Finds, in each review window (`texts`, the versions [`Site::review_windows`] asked
    /// for, in its order), the commit that set the current `last_reviewed`: the oldest of the
    /// newest versions that carry that date. Commits after it that changed the body are the
    /// change nobody reviewed; front matter edits (a new owner, a version) are not.
    pub fn mark_unreviewed_changes(
        &mut self,
        pages: &[(PageId, usize)],
        texts: Vec<Option<String>>,
    ) {
        let mut texts = texts.into_iter();
        let aliases = &self.config.field_aliases;
        for &(id, count) in pages {
            let versions: Vec<Option<String>> = texts.by_ref().take(count).collect();
            let page = &mut self.pages[id];
            let Some(last) = page
                .doc
                .as_ref()
                .and_then(|d| d.front.last_reviewed.as_ref())
            else {
                continue;
            };
            let carries_date = |v: &Option<String>| {
                v.as_deref().and_then(|t| reviewed_on(t, aliases)) == Some(last.value)
            };
            // 0: the review is not committed yet; 1: the newest commit is the review.
            let run = versions.iter().take_while(|v| carries_date(v)).count();
            if run < 2 {
                continue;
            }
            let (Some(head), Some(reviewed)) = (&versions[0], &versions[run - 1]) else {
                continue;
            };
            if body_of(head) != body_of(reviewed) {
                page.unreviewed = Some(Unreviewed {
                    newest: page.review_window[0].0.clone(),
                    commits: run - 1,
                });
            }
        }
    }
}

/// A document's recent revisions for its panel, and its review window: the commits on or
/// after its review date (by committer date: a rebased change keeps its old author date) and
/// the one before them, newest first; empty when no commit came after the review.
pub(super) fn revisions_of(
    doc: &Document,
    changes: Vec<Change>,
) -> (Vec<Revision>, Vec<(Revision, String)>) {
    let window = match &doc.front.last_reviewed {
        Some(last) => {
            let since = changes
                .iter()
                .take_while(|c| c.committed >= last.value)
                .count();
            if since == 0 {
                Vec::new()
            } else {
                changes
                    .iter()
                    .take(since + 1)
                    .map(|c| (c.revision.clone(), c.blob.clone()))
                    .collect()
            }
        }
        None => Vec::new(),
    };
    let recent = changes
        .into_iter()
        .take(REVISIONS_PER_FILE)
        .map(|c| c.revision)
        .collect();
    (recent, window)
}

/// The `last_reviewed` date a version of a document carries, read from its front matter as
/// the loader reads it (either syntax, any alias); what else is wrong with that version is not
/// this question's business.
fn reviewed_on(text: &str, aliases: &FieldAliases) -> Option<Day> {
    let text = text::normalize_line_breaks(text::strip_bom(text).to_string());
    let block = crate::load::front_matter::split(&text).block?;
    let front = FrontMatter::parse(&block, aliases, Path::new(""), &mut Vec::new());
    front.last_reviewed.map(|d| d.value)
}

/// The body of a version of a document, with Unix line endings.
fn body_of(text: &str) -> String {
    let text = text::strip_bom(text).replace("\r\n", "\n");
    let offset = crate::load::front_matter::split(&text).body_offset;
    text[offset..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn change(commit: &str, committed: &str) -> Change {
        Change {
            revision: Revision {
                commit: commit.into(),
                date: committed.parse().unwrap(),
                author: "A".into(),
                subject: commit.into(),
            },
            blob: format!("blob-{commit}"),
            committed: committed.parse().unwrap(),
        }
    }

    #[test]
    fn the_review_window_runs_from_the_review_date_to_the_commit_before() {
        let config = Config::default();
        let doc = Document::from_text(
            "a.md",
            "---\nlast_reviewed: 2026-01-10\n---\n# A\n",
            &config,
        );
        let changes = vec![
            change("c4", "2026-01-20"),
            change("c3", "2026-01-10"),
            change("c2", "2026-01-01"),
            change("c1", "2025-12-01"),
        ];
        let (recent, window) = revisions_of(&doc, changes.clone());
        assert_eq!(recent.len(), changes.len().min(REVISIONS_PER_FILE));
        assert_eq!(recent[0].commit, "c4");
        let commits: Vec<&str> = window.iter().map(|(r, _)| r.commit.as_str()).collect();
        assert_eq!(commits, ["c4", "c3", "c2"]);
        assert_eq!(window[2].1, "blob-c2");
        // Nothing committed since the review: no window.
        let (_, window) = revisions_of(&doc, changes[2..].to_vec());
        assert!(window.is_empty());
    }

    #[test]
    fn a_version_is_read_for_its_review_date_and_body() {
        let aliases = FieldAliases::default();
        let yaml = "\u{feff}---\r\nlast_reviewed: 2026-01-10\r\n---\r\n# A\r\nbody\r\n";
        assert_eq!(reviewed_on(yaml, &aliases), "2026-01-10".parse().ok());
        assert_eq!(body_of(yaml), "# A\nbody\n");
        let toml = "+++\nlast_reviewed = 2025-05-01\n+++\nx\n";
        assert_eq!(reviewed_on(toml, &aliases), "2025-05-01".parse().ok());
        assert_eq!(reviewed_on("# no front matter\n", &aliases), None);
    }
}
