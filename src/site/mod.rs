//! The site model: every page, its URL, its place in the section tree, and how links resolve.
//!
//! Built from the loaded documents, it is what `render`, `check` and (later) `search` read; they
//! never go back to the file system. Folders are sections; a section is a page with children,
//! whose text comes from its `_index.md`, `index.md` or `README.md` (or from `x.md` beside a
//! folder `x/` that has none). Sections without any of these get a generated page. Drafts stay in
//! the model, unpublished, so links to them can be reported.
//!
//! This file holds the model's types and the lookups its readers use (published pages,
//! neighbours, ancestors, hrefs). Building it is `build.rs` (with `generated.rs` for the pages
//! made from data and `outputs.rs` for where files go); navigation order is `nav.rs`; the names
//! links may use are `link_index.rs` and what a link resolves to is `links.rs`; rendered bodies
//! and who links to whom are `bodies.rs`; review dates are `review.rs` and changes made since a
//! review `unreviewed.rs`; URLs are made only in `url.rs`.

mod bodies;
mod build;
pub mod generated;
mod link_index;
mod links;
mod nav;
mod outputs;
pub mod review;
#[cfg(test)]
mod testing;
mod unreviewed;
pub mod url;

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::config::Config;
use crate::dates::Day;
use crate::diagnostic::Pos;
use crate::history::Revision;
use crate::load::{Document, LeftOut, Unpublished};
use crate::markdown::Rendered;
use crate::model::{Kind, Status};
use crate::team::TeamData;
use generated::{Generated, Registry};
use link_index::Entry;
pub use links::PageResolver;
use review::Review;
pub use unreviewed::ReviewWindows;

pub type PageId = usize;

/// One page of the site: a document, or a section's generated page.
#[derive(Debug)]
pub struct Page {
    pub id: PageId,
    /// The source document; `None` for a section page generated from a folder.
    pub doc: Option<Document>,
    pub title: String,
    /// Site-relative URL in folder form; `""` is the home page.
    pub url: String,
    pub parent: Option<PageId>,
    /// Child pages and sections in navigation order.
    pub children: Vec<PageId>,
    /// The content-relative folder this page is the section page of.
    pub section_dir: Option<String>,
    /// Written to the output (drafts are not, unless asked for; nor are pages whose URL clashes).
    pub published: bool,
    /// The rendered body, filled in by [`Site::render_markdown`].
    pub body: Option<Rendered<LinkTarget>>,
    /// Review dates and status, for every page with a document.
    pub review: Option<Review>,
    /// The document's recent commits, newest first (empty without git).
    pub revisions: Vec<Revision>,
    /// The commits that may hold the document's last review, newest first, each with the
    /// document's blob after it: those committed on or after its review date, and the one
    /// before them.
    pub review_window: Vec<(Revision, String)>,
    /// Commits after the one that set the current `last_reviewed` that changed the body (not
    /// just the front matter): what is published is not what was reviewed. Set by
    /// [`Site::mark_unreviewed_changes`].
    pub unreviewed: Option<Unreviewed>,
    /// What a page made from the team data or the documents shows (see [`generated`]); also
    /// set on the content page that describes a role.
    pub generated: Option<Generated>,
}

/// Commits nobody reviewed: they changed a document's body after its last review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreviewed {
    pub newest: Revision,
    /// How many commits came after the review.
    pub commits: usize,
}

impl Page {
    /// A published page with no parent, children or history yet: a plain page, or a
    /// generated one when `doc` is `None`. Callers set what differs (a section's folder, a
    /// draft, the review, a generated page's parent and what it shows).
    fn new(id: PageId, url: String, title: String, doc: Option<Document>) -> Page {
        Page {
            id,
            doc,
            title,
            url,
            parent: None,
            children: Vec::new(),
            section_dir: None,
            published: true,
            body: None,
            review: None,
            revisions: Vec::new(),
            review_window: Vec::new(),
            unreviewed: None,
            generated: None,
        }
    }

    pub fn is_section(&self) -> bool {
        self.section_dir.is_some() || self.generated.is_some_and(Generated::is_index)
    }

    pub fn kind(&self) -> Kind {
        self.doc.as_ref().map_or(Kind::Page, |d| d.front.kind)
    }

    pub fn status(&self) -> Status {
        self.doc.as_ref().map_or(Status::Active, |d| d.front.status)
    }

    pub fn order(&self) -> Option<f64> {
        self.doc.as_ref().and_then(|d| d.front.order)
    }

    /// The content-relative folder links in this page's source are relative to.
    pub fn source_dir(&self) -> &str {
        match (&self.doc, &self.section_dir) {
            (Some(doc), _) => doc.path.rsplit_once('/').map_or("", |(d, _)| d),
            (None, Some(dir)) => dir,
            (None, None) => "",
        }
    }
}

/// A file copied from content/ to the site.
#[derive(Debug, Clone)]
pub struct SiteAsset {
    pub path: String,
    /// Site-relative output path.
    pub url: String,
    pub source: PathBuf,
    /// Path relative to the handbook root, for diagnostics.
    pub file: PathBuf,
}

/// An old path that must keep working: a small page that redirects to the page.
#[derive(Debug, Clone, Serialize)]
pub struct Alias {
    /// Site-relative output file, e.g. `procedures/patching/index.html`.
    pub file: String,
    pub page: PageId,
    /// Where the page's front matter names it.
    pub pos: Pos,
}

/// What a link in a page points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    External,
    Page {
        page: PageId,
        fragment: Option<String>,
        /// Reached only by ignoring letter case or Unicode normalisation: the path as the
        /// file spells it (the link works here and on a laptop, not on a Linux host).
        miscased: Option<String>,
    },
    Asset {
        asset: usize,
        miscased: Option<String>,
    },
    SamePage {
        fragment: String,
    },
    /// `[text]()`.
    Empty,
    /// A file the build writes itself (`reviews.ics`, `404.html`, `assets/style.css`).
    Generated,
    /// A file inside the root that the site leaves out: its root-relative path, and why.
    Unpublished {
        path: String,
        why: LeftOut,
    },
    Broken(String),
}

/// How the site is being built.
#[derive(Debug, Clone, Copy)]
pub struct SiteOptions {
    pub as_of: Day,
    /// Publish drafts too.
    pub drafts: bool,
}

/// The whole handbook, ready to check and render.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub team: TeamData,
    pub options: SiteOptions,
    pub pages: Vec<Page>,
    pub assets: Vec<SiteAsset>,
    pub aliases: Vec<Alias>,
    /// Generated pages and who owns, holds and carries what (see [`generated`]).
    pub registry: Registry,
    /// For each page, the published pages that link to it (filled in with the bodies).
    pub referenced_by: Vec<Vec<PageId>>,
    /// Published pages in reading order (depth first): the basis of prev/next links.
    pub reading_order: Vec<PageId>,
    reading_pos: HashMap<PageId, usize>,
    link_index: HashMap<String, Entry>,
    /// [`Site::link_index`]'s keys folded (lowercase, NFC) with their spelling, made on the
    /// first link that names nothing: only links that miss pay for it.
    folded_index: std::sync::OnceLock<HashMap<String, (Entry, String)>>,
    /// What the walk left out, for links to it.
    unpublished: Unpublished,
    /// The files the build writes beside pages and assets (see
    /// [`crate::render::generated_files`]), by site path.
    generated_files: Vec<String>,
}

pub const HOME: PageId = 0;

impl Site {
    /// Published pages.
    pub fn published(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| p.published)
    }

    /// The page before and after `id` in reading order.
    pub fn neighbours(&self, id: PageId) -> (Option<PageId>, Option<PageId>) {
        match self.reading_pos.get(&id) {
            Some(&i) => (
                i.checked_sub(1).map(|j| self.reading_order[j]),
                self.reading_order.get(i + 1).copied(),
            ),
            None => (None, None),
        }
    }

    /// The chain from the home page down to `id`'s parent.
    pub fn ancestors(&self, id: PageId) -> Vec<PageId> {
        let mut chain = Vec::new();
        let mut cur = self.pages[id].parent;
        while let Some(p) = cur {
            chain.push(p);
            cur = self.pages[p].parent;
        }
        chain.reverse();
        chain
    }

    /// The href from page `from` to site path `to`, honouring `pretty_links`.
    pub fn href(&self, from: PageId, to: &str) -> String {
        url::relative_href(&self.pages[from].url, to, self.config.pretty_links)
    }
}

/// The content-relative folder of a content-relative path (`""` at the top).
pub fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn source_name(page: &Page) -> String {
    match (&page.doc, &page.section_dir) {
        (Some(d), _) => d.path.clone(),
        (None, Some(dir)) => format!("{dir}/"),
        _ => String::new(),
    }
}

fn source_file(page: &Page) -> PathBuf {
    page.doc
        .as_ref()
        .map(|d| d.file.clone())
        .unwrap_or_default()
}
