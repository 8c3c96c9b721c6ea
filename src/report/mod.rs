//! Formatters: diagnostics and review facts written for people and for other tools. They
//! decide nothing; everything they print was computed by the model and the checks.
//!
//! - [`diagnostics`]: `check`'s output formats (human, json, github, junit, sarif).
//! - [`digest`]: `report`'s owner digest, review calendar and document register.

pub mod diagnostics;
pub mod digest;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Component, Path};

use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// Counts for summary lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    /// Documents checked (every Markdown file, drafts included).
    pub documents: usize,
    /// Findings that `handbook-ignore` comments silenced.
    pub silenced: usize,
}

impl Summary {
    pub fn of(diags: &[Diagnostic], documents: usize) -> Summary {
        let errors = diags.iter().filter(|d| d.is_error()).count();
        Summary {
            errors,
            warnings: diags.len() - errors,
            documents,
            silenced: 0,
        }
    }
}

/// Data files larger than this are not read for snippets.
const MAX_SOURCE: u64 = 8 << 20;

/// The text of the files diagnostics point into, for source snippets: documents from the
/// model, anything else (team data, handbook.yaml) read from under the root on demand.
pub struct Sources<'a> {
    root: &'a Path,
    documents: HashMap<&'a Path, &'a str>,
}

impl<'a> Sources<'a> {
    pub fn new(root: &'a Path, site: &'a Site) -> Sources<'a> {
        Sources {
            root,
            documents: site
                .pages
                .iter()
                .filter_map(|p| p.doc.as_ref())
                .map(|d| (d.file.as_path(), d.text.as_str()))
                .collect(),
        }
    }

    /// The text of `file` (relative to the root); `None` if it cannot be read. Only a regular
    /// file that is inside the root once symlinks are resolved, and not huge, is read: a
    /// diagnostic may well be about a symlink that leads out (`path-unsafe`).
    pub fn text(&self, file: &Path) -> Option<Cow<'a, str>> {
        if let Some(t) = self.documents.get(file) {
            return Some(Cow::Borrowed(t));
        }
        if file.as_os_str().is_empty()
            || file
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return None;
        }
        let root = self.root.canonicalize().ok()?;
        let path = self.root.join(file).canonicalize().ok()?;
        let meta = std::fs::metadata(&path).ok()?;
        if !path.starts_with(&root) || !meta.is_file() || meta.len() > MAX_SOURCE {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        Some(Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()))
    }
}
