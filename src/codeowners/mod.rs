//! `handbook codeowners`: keeps a block of a CODEOWNERS file in step with the handbook, so that a
//! pull request changing a governed document (SOP, policy, runbook, checklist) asks its owner and
//! approver to review it.
//!
//! The block maps each governed document's path, anchored at the repository root, to its
//! owner's and approver's forge handles (the `github` or `gitlab` field of the person in the team
//! data). It sits between two marker comments; only the text between them is ever rewritten, and
//! the rest of the file is kept byte for byte. A role without a usable handle becomes a comment
//! line, never a bare path (a path without owners would take away the owners earlier rules
//! give). Everything here reads the loaded model; the only other things touched are the one
//! CODEOWNERS file and `git rev-parse`, which says where the repository root is.
//!
//! The parts: `owners.rs` turns the model into the block's lines (each governed document's
//! [`Entry`], then [`block`]); `forge.rs` is what GitHub and GitLab differ in ([`Forge`]: which
//! handle, which folders); `file.rs` finds the file and the repository root and reads the file;
//! `splice.rs` puts the block into the file's text (between [`BEGIN`] and [`END`]) and lists
//! what `--check` finds changed; `request.rs` is what the command was asked ([`Request`]);
//! `error.rs` is why it could not run ([`Error`]). This file holds [`Codeowners`], the plan that
//! is checked or written.

mod error;
mod file;
mod forge;
mod owners;
mod request;
mod splice;

use std::path::{Path, PathBuf};

use crate::diagnostic::plural;
use crate::site::Site;
use crate::text::one_line;

use error::io_err;
pub use error::Error;
pub use file::{locate, repository_root};
use file::{prefix, read, read_by_forge};
pub use forge::Forge;
pub use owners::{block, entries, Entry};
pub use request::Request;
use splice::line_changes;
pub use splice::{splice, BEGIN, END};

/// Lines of added or removed text `--check` lists before it says how many more there are.
const LISTED: usize = 40;

/// What the block should be, against what the file holds.
#[derive(Debug)]
pub struct Codeowners {
    /// The CODEOWNERS file.
    pub file: PathBuf,
    /// The governed documents, sorted by path.
    pub entries: Vec<Entry>,
    /// The file's text; `None` when it does not exist.
    pub current: Option<String>,
    /// The file's text with the block in place.
    pub expected: String,
    /// The file had a block.
    pub had_block: bool,
    /// Warnings about the whole run (where the file is, git), not about a document.
    pub notes: Vec<String>,
}

impl Codeowners {
    /// Reads the file and computes what it should hold for the handbook `site` (loaded from
    /// `request.root`). Nothing is written.
    pub fn plan(site: &Site, request: &Request) -> Result<Codeowners, Error> {
        let file = locate(request);
        // The file found under the root stays there: a symlinked `.github/` must not send the
        // write elsewhere. `--file` is the operator's choice.
        if request.file.is_none() {
            let parent = (file.parent())
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(&request.root);
            let inside =
                crate::root::Root::new(&request.root).is_ok_and(|root| root.contains(parent));
            if !inside {
                return Err(Error::Outside(file));
            }
        }
        let forge = request.forge.unwrap_or_else(|| {
            let mut parents = file.parent().into_iter().flat_map(Path::components);
            if parents.any(|c| c.as_os_str() == ".gitlab") {
                Forge::Gitlab
            } else {
                Forge::Github
            }
        });
        let current = read(&file)?;
        let mut notes = Vec::new();
        let top = match repository_root(&request.root) {
            Ok(top) => top,
            Err(why) => {
                notes.push(format!(
                    "git cannot tell where the repository root is ({why}); paths are written from the handbook root"
                ));
                None
            }
        };
        let top = top.unwrap_or_else(|| request.root.clone());
        if read_by_forge(&file, &top, forge) == Some(false) {
            let folders: Vec<String> = (forge.folders().iter())
                .map(|f| top.join(f).join("CODEOWNERS").display().to_string())
                .collect();
            notes.push(format!(
                "{} reads CODEOWNERS only from {}; {} will not be used (give one of those with --file)",
                forge.label(),
                folders.join(", "),
                file.display()
            ));
        }
        let entries = entries(site, &prefix(&request.root, &top), forge);
        let spliced = splice(current.as_deref().unwrap_or(""), &block(&entries)).map_err(|e| {
            Error::Markers {
                file: file.clone(),
                line: e.line,
                message: e.message,
            }
        })?;
        Ok(Codeowners {
            file,
            entries,
            current,
            expected: spliced.text,
            had_block: spliced.replaced,
            notes,
        })
    }

    pub fn up_to_date(&self) -> bool {
        self.current.as_deref() == Some(self.expected.as_str())
    }

    /// Documents with at least one handle.
    pub fn mapped(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| !e.handles.is_empty())
            .count()
    }

    /// Documents with none: only a comment in the block.
    pub fn without_handles(&self) -> usize {
        self.entries.len() - self.mapped()
    }

    /// `3 documents mapped (1 missing a role's handle), 1 without handles`.
    pub fn summary(&self) -> String {
        let mapped = self.mapped();
        let partly = (self.entries.iter())
            .filter(|e| !e.handles.is_empty() && !e.gaps.is_empty())
            .count();
        let partly = match partly {
            0 => String::new(),
            n => format!(" ({n} missing a role's handle)"),
        };
        format!(
            "{mapped} document{} mapped{partly}, {} without handles",
            plural(mapped as i64),
            self.without_handles()
        )
    }

    /// One warning per document with a role that has no handle:
    /// `content/x.md: no github handle for ana (owner)`.
    pub fn document_warnings(&self) -> Vec<String> {
        (self.entries.iter())
            .filter(|e| !e.gaps.is_empty())
            .map(|e| format!("{}: {}", one_line(&e.file, '?'), e.gaps.join("; ")))
            .collect()
    }

    /// For `--check`: what is wrong, then the lines that would be added (`+`) and removed
    /// (`-`), blank lines left out.
    pub fn changes(&self) -> String {
        let file = self.file.display();
        let mut out = match (&self.current, self.had_block) {
            (None, _) => format!("{file} does not exist\n"),
            (Some(_), false) => format!("{file} has no handbook codeowners block\n"),
            (Some(_), true) => format!("{file} is out of date\n"),
        };
        let current = self.current.as_deref().unwrap_or("");
        let (removed, added) = line_changes(current, &self.expected);
        let listed: Vec<String> = (added.iter().map(|l| format!("  + {l}\n")))
            .chain(removed.iter().map(|l| format!("  - {l}\n")))
            .collect();
        if listed.is_empty() {
            out.push_str("  (only blank lines or line endings differ)\n");
        }
        for line in listed.iter().take(LISTED) {
            out.push_str(line);
        }
        if listed.len() > LISTED {
            out.push_str(&format!("  ... and {} more\n", listed.len() - LISTED));
        }
        out
    }

    /// Writes the expected text (atomically: a temporary file beside it, then a rename),
    /// making its folder if needed. `false` when the file already holds it: nothing written.
    pub fn write(&self) -> Result<bool, Error> {
        if self.up_to_date() {
            return Ok(false);
        }
        let dir = (self.file.parent())
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io_err("create", dir))?;
        crate::output::replace_file(&self.file, self.expected.as_bytes())
            .map_err(io_err("replace", &self.file))?;
        Ok(true)
    }
}
