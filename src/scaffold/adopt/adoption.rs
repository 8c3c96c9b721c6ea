//! What `init --from` found: the [`Adoption`] that the survey fills in and that the summary and
//! the handbook.yaml written are made from.

use std::collections::BTreeMap;

use super::tool::Tool;

/// What `init --from` found, and so wrote.
#[derive(Debug)]
pub struct Adoption {
    /// The tool the folder was written for, when its own config file says so.
    pub tool: Option<Tool>,
    /// A Jekyll site whose `_config.yml` has kramdown read its own Markdown (`input:
    /// kramdown`), not GitHub's: its heading ids are kramdown's.
    pub kramdown: bool,
    /// The site title from that tool's config.
    pub title: Option<String>,
    /// The content folder relative to the root (`.` for the root itself).
    pub content: String,
    /// Markdown files under the content folder, by extension (compound ones included).
    pub extensions: BTreeMap<String, usize>,
    /// Documents by front matter style.
    pub yaml: usize,
    pub toml: usize,
    pub plain: usize,
    /// Names this folder uses for our fields that need an alias: `(name, field, documents)`.
    pub aliases: Vec<(String, &'static str, usize)>,
    /// Other tools' names that are read as ours already: `(name, field, documents)`.
    pub built_in: Vec<(String, &'static str, usize)>,
    /// Keys that are none of the above, with the number of documents; `check` warns of them.
    pub unknown: Vec<(String, usize)>,
    /// The team data (a folder or one file) and the people in it.
    pub data: Option<String>,
    pub people: usize,
    /// People listed without an `id`, which the loader reports (documents name owners by id).
    pub people_without_id: usize,
    /// Why `data` is what it is, when it is not plain.
    pub data_note: Option<String>,
    pub output: String,
    /// Paths under the content folder that are the other tool's, not the handbook's.
    pub exclude: Vec<String>,
    /// A `SUMMARY.md` orders the pages.
    pub summary: bool,
    /// Folders of files the tool publishes from the site's top (Hugo's and Zola's `static/`).
    pub static_dirs: Vec<String>,
    /// Where handbook's own template overrides go, when `templates/` is the other tool's
    /// (Zola's): its templates would otherwise replace handbook's.
    pub templates: Option<String>,
}

/// A count of documents in words, as the summary and the comments of handbook.yaml say it.
pub(super) fn documents(n: usize) -> String {
    if n == 1 {
        "1 document".into()
    } else {
        format!("{n} documents")
    }
}
