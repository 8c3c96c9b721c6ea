//! The site model's types: a page, the whole site and what its fields hold (assets, aliases,
//! link targets, what a generated page shows and the indexes behind it, the link index's
//! entries), with the lookups its readers use (published pages, neighbours, ancestors, hrefs).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;
use crate::dates::Day;
use crate::diagnostic::Pos;
use crate::history::Revision;
use crate::load::{Document, LeftOut, Unpublished};
use crate::markdown::Rendered;
use crate::model::{Kind, Status};
use crate::team::TeamData;

use super::review::Review;
use super::url;

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
    /// What a page made from the team data or the documents shows (see
    /// [`generated`](super::generated)); also set on the content page that describes a role.
    pub generated: Option<Generated>,
    /// The title the sidebar shows when it differs from the page's (MkDocs' `nav:` names it).
    pub nav_title: Option<String>,
    /// A section without a page of its own: its place among its siblings, as Docusaurus'
    /// `_category_.json` gives it.
    pub folder_order: Option<f64>,
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
    pub(super) fn new(id: PageId, url: String, title: String, doc: Option<Document>) -> Page {
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
            nav_title: None,
            folder_order: None,
        }
    }

    pub fn is_section(&self) -> bool {
        self.section_dir.is_some() || self.generated.is_some_and(Generated::is_index)
    }

    /// Whether the page is a document in force: reviews are asked of it (not a draft, not
    /// retired). Lists, counts, the calendar and the reader's-date script all take this one.
    pub fn in_force(&self) -> bool {
        self.doc.is_some() && !matches!(self.status(), Status::Draft | Status::Retired)
    }

    /// Whether the page is one of the handbook's documents, as lists, counts and the register
    /// take them: a file of its own, not a folder's `_index.md` that only introduces its section
    /// (such a page counts when it declares a kind other than `page`).
    pub fn is_document(&self) -> bool {
        self.doc.is_some() && (self.section_dir.is_none() || self.kind() != Kind::Page)
    }

    pub fn kind(&self) -> Kind {
        self.doc.as_ref().map_or(Kind::Page, |d| d.front.kind)
    }

    pub fn status(&self) -> Status {
        self.doc.as_ref().map_or(Status::Active, |d| d.front.status)
    }

    pub fn order(&self) -> Option<f64> {
        match &self.doc {
            Some(d) => d.front.order,
            None => self.folder_order,
        }
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
    /// The file that names it (the page's, or tech-docs' settings) and where.
    pub source: PathBuf,
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
    /// Generated pages and who owns, holds and carries what (see
    /// [`generated`](super::generated)).
    pub registry: Registry,
    /// For each page, the published pages that link to it (filled in with the bodies).
    pub referenced_by: Vec<Vec<PageId>>,
    /// Published pages in reading order (depth first): the basis of prev/next links.
    pub reading_order: Vec<PageId>,
    pub(super) reading_pos: HashMap<PageId, usize>,
    pub(super) link_index: HashMap<String, Entry>,
    /// [`Site::link_index`]'s keys folded (lowercase, NFC) with their spelling, made on the
    /// first link that names nothing: only links that miss pay for it.
    pub(super) folded_index: std::sync::OnceLock<HashMap<String, (Entry, String)>>,
    /// Who must read what and where each stands ([`Site::reading`]), worked out on first use:
    /// it reads front matter, history and the team data, which a body edit leaves alone.
    pub(super) reading: std::sync::OnceLock<super::reading::Reading>,
    /// The on-call rotations over the horizon ([`Site::oncall`]), worked out on first use.
    pub(super) oncall: std::sync::OnceLock<super::oncall::OnCall>,
    /// What the walk left out, for links to it.
    pub(super) unpublished: Unpublished,
    /// The files the build writes beside pages and assets (see
    /// [`crate::render::generated_files`]), by site path.
    pub(super) generated_files: Vec<String>,
    /// How the documents' bodies are made and held.
    pub bodies: Bodies,
}

/// How the model makes and holds its documents' bodies: what `check`, `serve` and a build each
/// need of them, set before [`Site::render_markdown`].
#[derive(Debug, Clone, Copy)]
pub struct Bodies {
    /// The bodies keep their text for the search index: the site has search and is to be
    /// built (`check` builds nothing).
    pub keep_text: bool,
    /// The bodies' HTML is written: `check` writes none, but for the pages whose fragments only
    /// the rendered page settles (`render::settle_anchors` asks [`Site::body_html`]).
    pub write_html: bool,
    /// Each document's text is freed as soon as its body is made (a build: the body is not
    /// read again; the places the checks ask for are kept, `Document::keep_places`).
    pub free_as_it_goes: bool,
    /// Above this many bytes of Markdown, a build that frees as it goes holds each body's HTML
    /// compressed until its page is written (`markdown::Options::squeeze`).
    pub squeeze_above: usize,
    /// Whether it does: worked out when the bodies are made.
    pub squeeze_html: bool,
    /// The bodies' HTML, text and links were taken out to be written and freed: the model
    /// cannot be rendered again.
    pub taken: bool,
}

impl Bodies {
    /// Bodies kept whole, with their text when the site has search: what `serve` holds.
    pub fn kept(search: bool) -> Bodies {
        Bodies {
            keep_text: search,
            write_html: true,
            free_as_it_goes: false,
            squeeze_above: usize::MAX,
            squeeze_html: false,
            taken: false,
        }
    }
}

pub const HOME: PageId = 0;

impl Site {
    /// What the walk left out (an include reads neither the output nor the team data).
    pub fn unpublished(&self) -> &Unpublished {
        &self.unpublished
    }

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

    /// Each file the documents were read from (root-relative) with the pages it makes: its
    /// own, and every page that includes it.
    pub fn pages_by_file(&self) -> HashMap<&Path, Vec<PageId>> {
        let mut by_file: HashMap<&Path, Vec<PageId>> = HashMap::new();
        for p in &self.pages {
            let Some(doc) = &p.doc else { continue };
            by_file.entry(doc.file.as_path()).or_default().push(p.id);
            for part in doc.included.iter().flat_map(|i| i.parts()) {
                by_file.entry(part.file.as_path()).or_default().push(p.id);
            }
        }
        by_file
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

pub(super) fn source_name(page: &Page) -> String {
    match (&page.doc, &page.section_dir) {
        (Some(d), _) => d.path.clone(),
        (None, Some(dir)) => format!("{dir}/"),
        _ => String::new(),
    }
}

pub(super) fn source_file(page: &Page) -> PathBuf {
    page.doc
        .as_ref()
        .map(|d| d.file.clone())
        .unwrap_or_default()
}

/// What a generated page shows. Also set on a content page that is a role's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// `team/`: people, teams and roles.
    Directory,
    People,
    /// Index into [`TeamData::people`].
    Person(usize),
    Teams,
    /// Index into [`TeamData::teams`].
    Team(usize),
    Roles,
    /// Index into [`TeamData::roles`]: a generated page, or the content page describing the role.
    Role(usize),
    Rotations,
    /// Index into [`TeamData::rotations`]: an on-call rotation.
    Rotation(usize),
    Tags,
    /// Index into [`Registry::tags`].
    Tag(usize),
    /// `documents/`: the documents by kind.
    Documents,
    DocumentsOfKind(Kind),
}

impl Generated {
    /// Pages that list other generated pages (as opposed to one person, team, role or tag).
    pub fn is_index(self) -> bool {
        !matches!(
            self,
            Generated::Person(_)
                | Generated::Team(_)
                | Generated::Role(_)
                | Generated::Rotation(_)
                | Generated::Tag(_)
        )
    }
}

/// One tag and the published pages that carry it (by title).
#[derive(Debug)]
pub struct Tag {
    /// The name as first written; tags whose slugs agree (`On call`, `on-call`) are one tag.
    pub name: String,
    pub page: Option<PageId>,
    pub pages: Vec<PageId>,
}

/// The published documents a person id (known or not) is named on, by document id then title.
#[derive(Debug, Default)]
pub struct Duties {
    pub owns: Vec<PageId>,
    pub approves: Vec<PageId>,
    pub reviews: Vec<PageId>,
}

/// The indexes behind the generated pages, computed once for render, the home page and checks.
#[derive(Debug, Default)]
pub struct Registry {
    /// The page of each person, team and role, parallel to the lists in [`TeamData`].
    pub person_page: Vec<Option<PageId>>,
    pub team_page: Vec<Option<PageId>>,
    pub role_page: Vec<Option<PageId>>,
    pub rotation_page: Vec<Option<PageId>>,
    /// Tags by name, case-insensitively.
    pub tags: Vec<Tag>,
    pub(super) tag_of_slug: HashMap<String, usize>,
    /// By person id as written in front matter.
    pub duties: HashMap<String, Duties>,
    /// People (indexes into [`TeamData::people`], by name) in each team, holding each role,
    /// and reporting to each person.
    pub members: Vec<Vec<usize>>,
    pub holders: Vec<Vec<usize>>,
    pub reports: Vec<Vec<usize>>,
    /// Published documents of each kind (the home page excluded), by document id then title.
    pub by_kind: BTreeMap<Kind, Vec<PageId>>,
}

impl Registry {
    pub fn duties(&self, person: &str) -> Option<&Duties> {
        self.duties.get(person)
    }

    /// The tag written `name` (or any spelling with the same slug).
    pub fn tag(&self, name: &str) -> Option<&Tag> {
        self.tag_of_slug
            .get(&url::slug_segment(name))
            .map(|&i| &self.tags[i])
    }
}

/// What a name in the link index points at (see `link_index.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Entry {
    Page(PageId),
    Asset(usize),
    /// One of [`Site::generated_files`].
    Generated(usize),
}
