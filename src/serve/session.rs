//! The server's state between builds: a full build into memory, an edit of one document (its
//! body or its front matter) rendered in place, and the snapshot the server answers from.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use super::routes::{Problem, Snapshot};
use crate::dates::Day;
use crate::diagnostic::{display_path, plural, Diagnostic};
use crate::output::MemorySite;
use crate::packed::Packed;
use crate::render::Theme;
use crate::site::PageId;
use crate::{errln, outln, Error, Handbook, Options};

/// The server's state between builds: the model, the theme, and the files of the last build.
/// An edit of one document (its body or its front matter), a document added or removed,
/// re-renders the pages it changes; anything else (an image, the team data, the theme) is a
/// full build.
pub struct Session {
    root: PathBuf,
    as_of: Day,
    handbook: Handbook,
    theme: Theme,
    /// The theme's and the failed pages' diagnostics of the last full build.
    render_diagnostics: Vec<Diagnostic>,
    files: HashMap<String, Packed>,
    /// A document is a symlink: an edit of its target changes two pages, so no edit is done
    /// in place.
    linked: bool,
    /// An update failed half-way: the model is not to be trusted until a full build succeeds.
    stale: bool,
}

impl Session {
    /// A full build into memory, drafts included.
    pub fn build(root: &Path, as_of: Day) -> Result<Session, Error> {
        let options = Options {
            as_of,
            drafts: true,
            keep_inputs: true,
            ..Options::default()
        };
        let mut handbook = Handbook::load(root, &options)?;
        let (theme, mut render_diagnostics) = handbook.theme();
        let memory = MemorySite::default();
        let rendered = handbook.render_with(&theme, &memory)?;
        render_diagnostics.extend(rendered.diagnostics);
        handbook.add_diagnostics(render_diagnostics.clone());
        // The server holds the model and the site for as long as it runs: both deflated.
        handbook.site.pack_bodies();
        let files = (memory.into_files().into_par_iter())
            .map(|(k, v)| (k, Packed::new(v)))
            .collect();
        // And what the build freed (its buffers, the search index's, the files as rendered).
        hand_back_freed_memory();
        let linked = handbook.site.pages.iter().any(|p| {
            p.doc.as_ref().is_some_and(|d| {
                std::fs::symlink_metadata(root.join(&d.file)).is_ok_and(|m| m.is_symlink())
            })
        });
        Ok(Session {
            root: root.to_path_buf(),
            as_of,
            handbook,
            theme,
            render_diagnostics,
            files,
            linked,
            stale: false,
        })
    }

    /// Takes the changed `paths` into account: in place when each is the Markdown file of a
    /// page (edited, added or removed) or a folder of one, else by a full build. Returns whether it was in place.
    /// When the full build fails (an invalid handbook.yaml), the session keeps the last good
    /// site and does only full builds until one succeeds.
    pub fn update(&mut self, paths: &[PathBuf]) -> Result<bool, Error> {
        if !self.stale && !self.linked && self.update_in_place(paths)? {
            return Ok(true);
        }
        self.stale = true;
        // The old model goes before the new one is built, rather than both being held at once
        // (some 250 MB each at 10,000 pages): a stale session only ever builds again, and
        // what is served meanwhile is the last snapshot's.
        self.handbook.release_documents();
        self.files = HashMap::new();
        hand_back_freed_memory();
        *self = Session::build(&self.root, self.as_of)?;
        Ok(false)
    }

    fn update_in_place(&mut self, paths: &[PathBuf]) -> Result<bool, Error> {
        let Ok(root) = self.root.canonicalize() else {
            return Ok(false);
        };
        let by_file = self.handbook.site.pages_by_file();
        let mut pages: Vec<PageId> = Vec::new();
        let rels: Vec<PathBuf> = (paths.iter())
            .map(|p| p.strip_prefix(&root).unwrap_or(p).to_path_buf())
            .collect();
        let mut others = false;
        for (rel, path) in rels.iter().zip(paths) {
            match by_file.get(rel.as_path()) {
                Some(ids) if path.exists() => pages.extend(ids),
                _ => others = true,
            }
        }
        pages.sort_unstable();
        pages.dedup();
        let memory = MemorySite::default();
        let mut rendered: Vec<PageId> = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        let files = &self.files;
        let before = |path: &str| files.get(path).map(|f| f.bytes().into_owned());
        // A file added or removed (a page renamed is both), maybe with edits: one update of
        // them all; else one for each page edited.
        let steps: Vec<Option<PageId>> = match others {
            true => vec![None],
            false => pages.into_iter().map(Some).collect(),
        };
        for step in steps {
            // From here on a refusal leaves the model half-updated: mark it before trying.
            self.stale = true;
            let update = match step {
                None => (self.handbook).update_files(&self.theme, &rels, &before, &memory)?,
                Some(id) => (self.handbook).update_document(&self.theme, id, &before, &memory)?,
            };
            let Some(update) = update else {
                return Ok(false);
            };
            rendered.extend(update.pages);
            removed.extend(update.removed);
            self.stale = false;
        }
        // Pages rendered again rendered fine: their old failures are gone.
        let site = &self.handbook.site;
        let files: Vec<&Path> = (rendered.iter())
            .filter_map(|&id| Some(site.pages[id].doc.as_ref()?.file.as_path()))
            .collect();
        self.render_diagnostics
            .retain(|d| !files.contains(&d.file.as_path()));
        self.handbook
            .add_diagnostics(self.render_diagnostics.clone());
        for file in &removed {
            self.files.remove(file);
        }
        for (k, v) in memory.into_files() {
            self.files.insert(k, Packed::new(v));
        }
        self.handbook.site.pack_bodies();
        Ok(true)
    }

    /// The files the pages include, root-relative: a change of one changes the pages.
    pub fn included_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = (self.handbook.site.pages.iter())
            .filter_map(|p| p.doc.as_ref()?.included.as_ref())
            .flat_map(|i| i.parts().iter().map(|p| p.file.clone()))
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// Builds the search index again, whole: its files are packed by size, so one page's words
    /// can move every file after them. An in-place update leaves it to be called after the
    /// reload is sent: on a large handbook it takes longer than the pages. Returns whether it
    /// did: not when the site has no search, nor in a session whose last build failed (it
    /// holds no model: the last good build's index stays served).
    pub fn refresh_search(&mut self) -> bool {
        if self.stale || !self.handbook.site.config.search {
            return false;
        }
        self.files.retain(|k, _| !k.starts_with("search/"));
        for (k, v) in crate::search::index::build(&self.handbook.site).files {
            self.files.insert(k, Packed::new(v.into_bytes()));
        }
        // The index's buffers, freed by the threads that built it.
        hand_back_freed_memory();
        true
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.handbook.diagnostics
    }

    pub fn files(&self) -> &HashMap<String, Packed> {
        &self.files
    }

    /// The build's errors, each with the page of its file: a lookup from file to page made
    /// for the files that have errors only.
    fn problems(&self) -> Vec<Problem> {
        // By the paths' text: a `Path` hashes component by component, slowly (a large
        // handbook may have thousands of errors).
        let errors: Vec<&Diagnostic> = self.diagnostics().iter().filter(|d| d.is_error()).collect();
        let files: HashSet<&OsStr> = errors.iter().map(|d| d.file.as_os_str()).collect();
        let pages: HashMap<&OsStr, &str> = (self.handbook.site.pages.iter())
            .filter_map(|p| Some((p.doc.as_ref()?.file.as_os_str(), p.url.as_str())))
            .filter(|(file, _)| files.contains(file))
            .collect();
        // In parallel: thousands of diagnostics copied, on the way to the reload.
        (errors.into_par_iter())
            .map(|d| Problem {
                page: pages.get(d.file.as_os_str()).map(|url| url.to_string()),
                diagnostic: d.clone(),
            })
            .collect()
    }

    /// The state to serve, numbered `build`.
    pub fn snapshot(&self, build: u64) -> Snapshot {
        Snapshot {
            build,
            files: self.files.clone(),
            errors: self.problems(),
            failure: None,
        }
    }
}

/// Asks the allocator to hand back to the system what was freed. mimalloc (the binary's
/// allocator) keeps each thread's freed pages until that thread allocates again, and the
/// build's threads then sleep until the next build: after a full build the server would hold
/// the last one's memory as well as its own. No effect under another allocator.
pub(crate) fn hand_back_freed_memory() {
    rayon::broadcast(|_| {
        // SAFETY: mi_collect takes no pointers and may be called from any thread at any time.
        unsafe { libmimalloc_sys::mi_collect(true) }
    });
    // SAFETY: as above.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

/// Prints a build's errors and a one-line summary to the terminal.
pub(super) fn print_build(
    diags: &[Diagnostic],
    number: u64,
    took: Duration,
    in_place: bool,
    changed: &[PathBuf],
    root: &Path,
) {
    // Warnings are for `check`; while writing, the errors matter.
    for d in diags.iter().filter(|d| d.is_error()) {
        errln!("{d}");
    }
    let _ = outln!("{}", summary(diags, number, took, in_place, changed, root));
}

/// "Build 4 (in place) after content/x.md changed in 12 ms (1 error, 3 warnings)": which
/// saved file (under `root`) brought the build, and what the handbook holds now.
fn summary(
    diags: &[Diagnostic],
    number: u64,
    took: Duration,
    in_place: bool,
    changed: &[PathBuf],
    root: &Path,
) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let after = match changed {
        [] => String::new(),
        [first, rest @ ..] => {
            let shown = first.strip_prefix(root).unwrap_or(first);
            let more = match rest.len() {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            format!(" after {}{more} changed", display_path(shown))
        }
    };
    format!(
        "Build {number}{}{after} in {} ms ({errors} error{}, {warnings} warning{})",
        if in_place { " (in place)" } else { "" },
        took.as_millis(),
        plural(errors as i64),
        plural(warnings as i64),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    #[test]
    fn a_build_says_what_brought_it_and_counts_in_words() {
        let error = Diagnostic::error(Rule::LinkBroken, PathBuf::from("content/a.md"), "x");
        let warning = Diagnostic::warning(Rule::OwnerMissing, PathBuf::from("content/a.md"), "y");
        let root = Path::new("/h");
        let ms = Duration::from_millis(12);
        assert_eq!(
            summary(
                std::slice::from_ref(&error),
                2,
                ms,
                true,
                &[PathBuf::from("/h/content/a.md")],
                root
            ),
            "Build 2 (in place) after content/a.md changed in 12 ms (1 error, 0 warnings)"
        );
        let changed = [PathBuf::from("/h/a.md"), PathBuf::from("/h/b.md")];
        assert_eq!(
            summary(
                &[error, warning.clone(), warning],
                3,
                ms,
                false,
                &changed,
                root
            ),
            "Build 3 after a.md and 1 more changed in 12 ms (1 error, 2 warnings)"
        );
        assert_eq!(
            summary(&[], 1, ms, false, &[], root),
            "Build 1 in 12 ms (0 errors, 0 warnings)"
        );
    }
}
