//! The site model: every page, its URL, its place in the section tree, and how links resolve.
//!
//! Built from the loaded documents, it is what `render`, `check` and (later) `search` read; they
//! never go back to the file system. Folders are sections; a section is a page with children,
//! whose text comes from its `_index.md`, `index.md` or `README.md` (or from `x.md` beside a
//! folder `x/` that has none). Sections without any of these get a generated page. Drafts stay in
//! the model, unpublished, so links to them can be reported.

pub mod generated;
mod outputs;
pub mod review;
pub mod url;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::dates::Day;
use crate::diagnostic::{display_path, Diagnostic, Pos};
use crate::fields::FieldAliases;
use crate::history::{Change, History, Revision, REVISIONS_PER_FILE};
use crate::load::front_matter::FrontMatter;
use crate::load::{markdown_stem, Asset, Document, LeftOut, Loaded, Unpublished};
use crate::markdown::{self, LinkResolver, Rendered};
use crate::model::{Kind, Status};
use crate::rules::Rule;
use crate::team::TeamData;
use crate::text;
use generated::{Generated, Registry};
use review::Review;
use url::LinkKind;

pub type PageId = usize;

/// Names that make a file its folder's page, best first.
const INDEX_STEMS: [&str; 3] = ["_index", "index", "readme"];

/// mdBook's and GitBook's table of contents, at the top of the content folder.
const SUMMARY: &str = "SUMMARY.md";

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

/// The versions of documents' review windows to read, and how many of them belong to each
/// page, in order.
#[derive(Debug, Default)]
pub struct ReviewWindows {
    pub pages: Vec<(PageId, usize)>,
    /// Blob hashes.
    pub wanted: Vec<String>,
}

/// Commits nobody reviewed: they changed a document's body after its last review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreviewed {
    pub newest: Revision,
    /// How many commits came after the review.
    pub commits: usize,
}

impl Page {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Page(PageId),
    Asset(usize),
    /// One of [`Site::generated_files`].
    Generated(usize),
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
    /// Builds the model. Problems (URL clashes, bad aliases) come back as diagnostics.
    /// `site_files` are the files the build writes itself (see
    /// [`crate::render::generated_files`]): pages and files keep clear of their names.
    pub fn build(
        config: Config,
        loaded: Loaded,
        team: TeamData,
        mut history: History,
        options: SiteOptions,
        site_files: Vec<String>,
    ) -> (Site, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let Loaded {
            documents,
            assets,
            unpublished,
            ..
        } = loaded;

        // Which document, if any, is each folder's page.
        let published = |d: &Document| options.drafts || d.front.status != Status::Draft;
        let mut dirs: BTreeSet<String> = BTreeSet::new();
        dirs.insert(String::new());
        for doc in documents.iter().filter(|d| published(d)) {
            let mut dir = parent_dir(&doc.path);
            while !dir.is_empty() && dirs.insert(dir.to_string()) {
                dir = parent_dir(dir);
            }
        }
        let mut index_of: HashMap<String, (usize, usize)> = HashMap::new(); // dir -> (rank, doc)
        for (i, doc) in documents.iter().enumerate().filter(|(_, d)| published(d)) {
            let stem = doc.stem(&config).to_ascii_lowercase();
            if let Some(rank) = INDEX_STEMS.iter().position(|s| *s == stem) {
                let dir = parent_dir(&doc.path);
                let better = index_of.get(dir).is_none_or(|&(r, _)| rank < r);
                if better {
                    index_of.insert(dir.to_string(), (rank, i));
                }
            }
        }
        // `x.md` beside a folder `x/` that has no index of its own is that folder's page (the
        // first such file, in path order).
        let mut by_place: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, doc) in documents.iter().enumerate().filter(|(_, d)| published(d)) {
            by_place
                .entry((parent_dir(&doc.path), doc.stem(&config)))
                .or_insert(i);
        }
        for dir in &dirs {
            if dir.is_empty() || index_of.contains_key(dir.as_str()) {
                continue;
            }
            let (parent, name) = dir.rsplit_once('/').unwrap_or(("", dir));
            if let Some(&i) = by_place.get(&(parent, name)) {
                index_of.insert(dir.clone(), (INDEX_STEMS.len(), i));
            }
        }
        drop(by_place);

        // Section pages first, parents before children, so the home page is page 0.
        let mut section_dirs: Vec<&String> = dirs.iter().collect();
        section_dirs.sort_by_key(|d| {
            (
                d.matches('/').count() + usize::from(!d.is_empty()),
                d.as_str(),
            )
        });
        let mut docs: Vec<Option<Document>> = documents.into_iter().map(Some).collect();
        let mut pages: Vec<Page> = Vec::with_capacity(docs.len() + section_dirs.len());
        let mut section_page: HashMap<String, PageId> = HashMap::new();
        for dir in section_dirs {
            let doc = index_of
                .get(dir.as_str())
                .and_then(|&(_, i)| docs[i].take());
            let id = pages.len();
            section_page.insert(dir.clone(), id);
            let title = page_title(doc.as_ref(), || folder_title(dir, &config));
            pages.push(Page {
                id,
                url: url::dir_url(dir),
                title,
                review: doc
                    .as_ref()
                    .map(|d| Review::of(&d.front, &config, options.as_of)),
                revisions: Vec::new(),
                review_window: Vec::new(),
                unreviewed: None,
                doc,
                parent: None,
                children: Vec::new(),
                section_dir: Some(dir.clone()),
                published: true,
                body: None,
                generated: None,
            });
        }
        // Each document's URL, title and review dates depend on it alone: worked out in parallel.
        let facts: Vec<Option<(String, String, Review)>> = docs
            .par_iter()
            .map(|doc| {
                let doc = doc.as_ref()?;
                let stem = doc.stem(&config);
                let slug = doc.front.slug.as_ref().map(|s| s.value.as_str());
                Some((
                    url::page_url(parent_dir(&doc.path), stem, slug),
                    page_title(Some(doc), || prettify(stem)),
                    Review::of(&doc.front, &config, options.as_of),
                ))
            })
            .collect();
        for (doc, facts) in docs.into_iter().zip(facts) {
            let (Some(doc), Some((url, title, review))) = (doc, facts) else {
                continue;
            };
            let id = pages.len();
            pages.push(Page {
                id,
                url,
                title,
                published: published(&doc),
                review: Some(review),
                revisions: Vec::new(),
                review_window: Vec::new(),
                unreviewed: None,
                doc: Some(doc),
                parent: None,
                children: Vec::new(),
                section_dir: None,
                body: None,
                generated: None,
            });
        }

        if !history.is_empty() {
            for page in &mut pages {
                let Some(doc) = &page.doc else { continue };
                let changes = history.take(&display_path(&doc.file));
                (page.revisions, page.review_window) = revisions_of(doc, changes);
            }
        }

        // Parents and children.
        for id in 0..pages.len() {
            let parent_dir_of = match &pages[id].section_dir {
                Some(d) if d.is_empty() => continue,
                Some(d) => parent_dir(d).to_string(),
                None => pages[id]
                    .doc
                    .as_ref()
                    .map(|d| parent_dir(&d.path).to_string())
                    .unwrap_or_default(),
            };
            if !pages[id].published {
                continue;
            }
            let parent = section_page.get(&parent_dir_of).copied().unwrap_or(HOME);
            pages[id].parent = Some(parent);
            pages[parent].children.push(id);
        }

        // URLs must be unique; the first (in path order) keeps its URL.
        let mut outputs: HashMap<String, PageId> = HashMap::new();
        for id in 0..pages.len() {
            if !pages[id].published {
                continue;
            }
            let file = url::output_file(&pages[id].url);
            if let Some(&first) = outputs.get(&file) {
                let (a, b) = (source_name(&pages[first]), source_name(&pages[id]));
                let pos = pages[id]
                    .doc
                    .as_ref()
                    .and_then(|d| d.front.slug.as_ref())
                    .map_or(Pos::new(1, 1), |s| s.pos);
                diags.push(
                    Diagnostic::error(
                        Rule::IdDuplicate,
                        source_file(&pages[id]),
                        format!(
                            "`{b}` and `{a}` both make the page `/{}`; this one is left out",
                            pages[id].url
                        ),
                    )
                    .at(pos)
                    .with_help("rename one of the files or give one a different `slug`"),
                );
                pages[id].published = false;
                let parent = pages[id].parent.take();
                if let Some(p) = parent {
                    pages[p].children.retain(|&c| c != id);
                }
                continue;
            }
            outputs.insert(file, id);
        }

        let registry = generated::add(&mut pages, &mut outputs, &team, &mut diags);

        let mut assets = assets_with_urls(assets, &outputs, &pages, &mut diags);
        let mut aliases = aliases(&pages, &mut outputs, &mut diags);
        let moved = outputs::settle(
            &mut pages,
            &mut assets,
            &mut aliases,
            &site_files,
            config.search,
        );
        diags.extend(moved_diagnostics(
            &moved,
            &pages,
            &assets,
            &team,
            &registry,
            &config.content_dir,
        ));

        let mut site = Site {
            config,
            team,
            options,
            pages,
            assets,
            aliases,
            registry,
            referenced_by: Vec::new(),
            reading_order: Vec::new(),
            reading_pos: HashMap::new(),
            link_index: HashMap::new(),
            folded_index: std::sync::OnceLock::new(),
            unpublished,
            generated_files: Vec::new(),
        };
        site.index_links();
        site.add_generated_files(site_files);
        site.sort_children();
        site.order_for_reading();
        (site, diags)
    }

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

    /// Renders the Markdown of every document, in parallel: drafts and pages left out of the
    /// site too, because `check` covers them (drafts are the documents being written).
    pub fn render_markdown(&mut self) {
        let bodies: Vec<(PageId, Rendered<LinkTarget>)> = self
            .pages
            .par_iter()
            .filter_map(|p| Some((p.id, self.render_body(p)?)))
            .collect();
        for (id, body) in bodies {
            self.pages[id].body = Some(body);
        }
        self.index_references();
    }

    fn render_body(&self, p: &Page) -> Option<Rendered<LinkTarget>> {
        let doc = p.doc.as_ref()?;
        let resolver = PageResolver {
            site: self,
            page: p.id,
        };
        let title_in_body = doc.front.title.as_deref().unwrap_or(&p.title);
        Some(markdown::render_with(
            doc.body(),
            &resolver,
            Some(title_in_body),
            self.config.search,
        ))
    }

    /// Puts `doc`, a new version of page `id`'s document whose front matter is unchanged, in
    /// place, renders its body and updates who links to whom. Returns the pages whose HTML
    /// this changes (the page, and the pages whose "Referenced by" it changes); `None` when
    /// the change reaches further (its title comes from the body and changed, or it is the
    /// `SUMMARY.md` that orders the navigation) and only a full build gives the right site.
    pub fn replace_body(&mut self, id: PageId, doc: Document) -> Option<Vec<PageId>> {
        let page = &self.pages[id];
        let old = page.doc.as_ref()?;
        if old.path == SUMMARY {
            return None; // it orders the whole navigation
        }
        // The title as a full build would make it: from the front matter, else the body's
        // first heading, else the file or folder name.
        let title = page_title(Some(&doc), || match &page.section_dir {
            Some(dir) => folder_title(dir, &self.config),
            None => prettify(doc.stem(&self.config)),
        });
        if doc.text[..doc.body_offset] != old.text[..old.body_offset] || title != page.title {
            return None;
        }
        self.pages[id].doc = Some(doc);
        let body = self.render_body(&self.pages[id]);
        self.pages[id].body = body;
        let before = std::mem::take(&mut self.referenced_by);
        self.index_references();
        let mut changed: Vec<PageId> = (0..self.pages.len())
            .filter(|&p| before.get(p) != self.referenced_by.get(p))
            .collect();
        changed.push(id);
        changed.sort_unstable();
        changed.dedup();
        Some(changed)
    }

    /// Who links to whom, inverted: for each page, the published pages that link to it, in
    /// reading order, each once.
    fn index_references(&mut self) {
        let mut refs: Vec<Vec<PageId>> = vec![Vec::new(); self.pages.len()];
        for &from in &self.reading_order {
            let Some(body) = &self.pages[from].body else {
                continue;
            };
            for link in &body.links {
                if let LinkTarget::Page { page, .. } = link.target {
                    if page != from && refs[page].last() != Some(&from) {
                        refs[page].push(from);
                    }
                }
            }
        }
        self.referenced_by = refs;
    }

    /// Files the build writes itself, which links may name (`/reviews.ics`).
    fn add_generated_files(&mut self, files: Vec<String>) {
        for (i, file) in files.iter().enumerate() {
            self.link_index
                .entry(file.clone())
                .or_insert(Entry::Generated(i));
        }
        self.generated_files = files;
    }

    /// What the link `href`, normalised to `path`, names. A root-relative link that names
    /// nothing may be written from the top of the repository, as GitHub reads it: then it is
    /// tried as a path there (`/docs/oncall.md` in a handbook whose content folder is `docs`,
    /// `/static/img/x.png` for a static folder's file).
    fn lookup_link(&self, href: &str, path: &str) -> Option<Entry> {
        self.lookup(path).or_else(|| {
            if !href.trim_start().starts_with('/') {
                return None;
            }
            self.lookup_from_root(path)
        })
    }

    fn lookup(&self, path: &str) -> Option<Entry> {
        lookup_in(path, |key| self.link_index.get(key).copied())
    }

    /// [`Site::lookup`] ignoring letter case and Unicode normalisation: the entry, and the
    /// path as it is spelt in the handbook.
    fn lookup_folded(&self, path: &str) -> Option<(Entry, &str)> {
        let folded = self.folded_index.get_or_init(|| {
            let mut keys: Vec<(&String, &Entry)> = self.link_index.iter().collect();
            // The first spelling in path order wins, whatever the map's order.
            keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut index = HashMap::with_capacity(keys.len());
            for (key, entry) in keys {
                index
                    .entry(fold(key))
                    .or_insert_with(|| (*entry, key.clone()));
            }
            index
        });
        let mut spelt = None;
        let entry = lookup_in(path, |key| {
            let (entry, key) = folded.get(&fold(key))?;
            spelt = Some(key.as_str());
            Some(*entry)
        })?;
        Some((entry, spelt?))
    }

    /// The path as the handbook spells it for an entry: the source file of a page, the
    /// file of an asset.
    fn spelling(&self, entry: Entry, key: &str) -> String {
        match entry {
            Entry::Page(p) => self.pages[p]
                .doc
                .as_ref()
                .map_or_else(|| key.to_string(), |d| d.path.clone()),
            Entry::Asset(a) => self.assets[a].path.clone(),
            Entry::Generated(g) => self.generated_files[g].clone(),
        }
    }

    /// A root-relative `path` (a link that climbed above the content folder, or one written
    /// from the top of the repository) that comes back into the content folder or a static
    /// folder: what it names there.
    fn lookup_from_root(&self, path: &str) -> Option<Entry> {
        if let Some(rest) = under(&self.config.content_dir, path) {
            if let Some(e) = self.lookup(rest) {
                return Some(e);
            }
        }
        // A static folder's files are published from the top of the site.
        self.config
            .static_dirs
            .iter()
            .filter_map(|d| under(d, path))
            .find_map(|rest| match self.lookup(rest) {
                Some(e @ Entry::Asset(_)) => Some(e),
                _ => None,
            })
    }

    /// The root-relative path of content-relative `path`.
    fn root_relative(&self, path: &str) -> String {
        match plain_dir(&self.config.content_dir).as_str() {
            "" => path.to_string(),
            dir => format!("{dir}/{path}"),
        }
    }

    /// The root-relative path a link reaches after climbing `ups` folders above the content
    /// folder; `None` when it climbs out of the root.
    fn above_content(&self, ups: usize, path: &str) -> Option<String> {
        let content = plain_dir(&self.config.content_dir);
        let mut segs: Vec<&str> = content.split('/').filter(|s| !s.is_empty()).collect();
        for _ in 0..ups {
            segs.pop()?;
        }
        segs.extend(path.split('/').filter(|s| !s.is_empty()));
        let mut out = segs.join("/");
        if path.ends_with('/') && !out.is_empty() {
            out.push('/');
        }
        Some(out)
    }

    /// Every way a link may name a page or file: its source path, the path without extension,
    /// its folder for section pages, and its URL.
    fn index_links(&mut self) {
        let mut index = HashMap::with_capacity(self.pages.len() * 3 + self.assets.len());
        for (i, asset) in self.assets.iter().enumerate() {
            index.insert(asset.path.clone(), Entry::Asset(i));
        }
        for page in &self.pages {
            let e = Entry::Page(page.id);
            if let Some(doc) = &page.doc {
                index.insert(doc.path.clone(), e);
                let name = doc.path.rsplit('/').next().unwrap_or(&doc.path);
                if let Some(stem) = markdown_stem(name, &self.config.markdown_extensions) {
                    let dir = parent_dir(&doc.path);
                    let key = if dir.is_empty() {
                        stem.to_string()
                    } else {
                        format!("{dir}/{stem}")
                    };
                    index.entry(key).or_insert(e);
                }
            }
            if let Some(dir) = &page.section_dir {
                index.insert(dir.clone(), e);
            }
        }
        for page in self.pages.iter().filter(|p| p.published) {
            index
                .entry(page.url.trim_end_matches('/').to_string())
                .or_insert(Entry::Page(page.id));
        }
        // An old URL a page answers at (`aliases`, `redirect_from`, a `permalink`): a link
        // written to it reaches the page, as the redirect would.
        for alias in &self.aliases {
            let key = alias.file.strip_suffix("index.html").unwrap_or(&alias.file);
            index
                .entry(key.trim_end_matches('/').to_string())
                .or_insert(Entry::Page(alias.page));
        }
        self.link_index = index;
    }

    /// Content first: in the order of a `SUMMARY.md` that lists it, then by `order`, then by
    /// title; generated pages after it. The summary itself is left out of the navigation.
    fn sort_children(&mut self) {
        let (summary, rank) = self.summary_ranks();
        for id in 0..self.pages.len() {
            let mut children = std::mem::take(&mut self.pages[id].children);
            children.retain(|&c| Some(c) != summary);
            children.sort_by_cached_key(|&c| {
                let p = &self.pages[c];
                let generated = p.doc.is_none() && p.generated.is_some();
                (
                    generated,
                    rank[c].is_none(),
                    rank[c],
                    p.order().is_none(),
                    // Orders are finite (the loader refuses the rest), so their bits sort
                    // as the numbers do once the sign is folded in.
                    p.order().map(sortable),
                    p.title.to_lowercase(),
                )
            });
            self.pages[id].children = children;
        }
    }

    /// The page of an mdBook or GitBook `SUMMARY.md` at the top of the content folder, and
    /// each page's place in it: the position of the first link to it. Its links are checked
    /// as any page's are.
    fn summary_ranks(&self) -> (Option<PageId>, Vec<Option<usize>>) {
        let mut rank = vec![None; self.pages.len()];
        let summary = self
            .pages
            .iter()
            .find(|p| p.doc.as_ref().is_some_and(|d| d.path == SUMMARY));
        let Some(summary) = summary else {
            return (None, rank);
        };
        let body = summary.doc.as_ref().map_or("", |d| d.body());
        let mut position = 0;
        for event in pulldown_cmark::Parser::new(body) {
            let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) = event
            else {
                continue;
            };
            if let LinkKind::Internal { path, .. } = url::classify_link(&dest_url, "") {
                if let Some(Entry::Page(id)) = self.lookup(&path) {
                    if rank[id].is_none() {
                        rank[id] = Some(position);
                        position += 1;
                    }
                }
            }
        }
        (Some(summary.id), rank)
    }

    fn order_for_reading(&mut self) {
        let mut order = Vec::with_capacity(self.pages.len());
        let mut stack = vec![HOME];
        while let Some(id) = stack.pop() {
            order.push(id);
            stack.extend(self.pages[id].children.iter().rev());
        }
        self.reading_pos = order.iter().enumerate().map(|(i, &p)| (p, i)).collect();
        self.reading_order = order;
    }
}

/// Resolves links written in one page.
pub struct PageResolver<'s> {
    pub site: &'s Site,
    pub page: PageId,
}

impl LinkResolver for PageResolver<'_> {
    type Target = LinkTarget;

    fn resolve(&self, href: &str) -> (Option<String>, LinkTarget) {
        let site = self.site;
        let (found, fragment) = match url::classify_link(href, site.pages[self.page].source_dir()) {
            LinkKind::External => return (None, LinkTarget::External),
            LinkKind::Empty => return (None, LinkTarget::Empty),
            LinkKind::Fragment(f) => {
                let fragment = decode(f);
                return (None, LinkTarget::SamePage { fragment });
            }
            LinkKind::Invalid(why) => return (None, LinkTarget::Broken(why.to_string())),
            LinkKind::Internal { path, fragment } => (site.find(href, &path, false), fragment),
            LinkKind::Above {
                ups,
                path,
                fragment,
            } => match site.above_content(ups, &path) {
                Some(from_root) => (site.find(href, &from_root, true), fragment),
                None => {
                    let why = "the link points outside the handbook".to_string();
                    return (None, LinkTarget::Broken(why));
                }
            },
        };
        let (entry, miscased) = match found {
            Found::Entry(entry, miscased) => (entry, miscased),
            Found::Unpublished { path, why } => {
                return (None, LinkTarget::Unpublished { path, why });
            }
            Found::Nothing(path) => {
                return (None, LinkTarget::Broken(format!("`{path}` does not exist")));
            }
        };
        let to = match entry {
            Entry::Page(p) => &site.pages[p].url,
            Entry::Asset(a) => &site.assets[a].url,
            Entry::Generated(g) => &site.generated_files[g],
        };
        let mut out = site.href(self.page, to);
        if let Some(f) = fragment {
            out.push('#');
            out.push_str(f);
        }
        let target = match entry {
            Entry::Page(page) => LinkTarget::Page {
                page,
                fragment: fragment.map(decode),
                miscased,
            },
            Entry::Asset(asset) => LinkTarget::Asset { asset, miscased },
            Entry::Generated(_) => LinkTarget::Generated,
        };
        (Some(out), target)
    }
}

/// What a path a link names is, in the site or on the disk.
enum Found {
    /// A page or file of the site; with the path as spelt when only a case-insensitive,
    /// normalisation-insensitive match found it.
    Entry(Entry, Option<String>),
    /// A file inside the root that the site leaves out.
    Unpublished { path: String, why: LeftOut },
    /// Nothing: the path as the message names it.
    Nothing(String),
}

impl Site {
    /// What the link `href` names: `path` is content-relative, or root-relative when
    /// `from_root` (the link climbed above the content folder).
    fn find(&self, href: &str, path: &str, from_root: bool) -> Found {
        let exact = if from_root {
            self.lookup_from_root(path)
        } else {
            self.lookup_link(href, path)
        };
        if let Some(e) = exact {
            return Found::Entry(e, None);
        }
        let content_path = if from_root {
            under(&self.config.content_dir, path)
        } else {
            Some(path)
        };
        // A link from the top of the repository may miss in the content folder's name too
        // (`/Docs/runbooks/deploy.md`).
        let from_top = (!from_root && href.trim_start().starts_with('/'))
            .then(|| under_any_case(&self.config.content_dir, path))
            .flatten();
        let folded = [content_path, from_top]
            .into_iter()
            .flatten()
            .find_map(|p| self.lookup_folded(p));
        if let Some((e, key)) = folded {
            let spelt = self.spelling(e, key);
            return Found::Entry(e, Some(spelt));
        }
        // On the disk, inside the root: the path in the content folder, and a root-relative
        // link as GitHub reads it, from the top of the repository.
        let in_root = if from_root {
            path.to_string()
        } else {
            self.root_relative(path)
        };
        let mut candidates = vec![in_root];
        if !from_root && href.trim_start().starts_with('/') {
            candidates.push(path.to_string());
        }
        for candidate in &candidates {
            if let Some(why) = self.unpublished.why(candidate) {
                return Found::Unpublished {
                    path: candidate.trim_end_matches('/').to_string(),
                    why,
                };
            }
        }
        Found::Nothing(if from_root {
            candidates.swap_remove(0)
        } else {
            path.to_string()
        })
    }
}

/// A folder given in handbook.yaml (`./docs/`, `.`) as a plain root-relative path (`docs`,
/// `""` for the root).
fn plain_dir(dir: &Path) -> String {
    let dir = display_path(dir);
    dir.trim_matches('/').to_string()
}

/// The rest of root-relative `path` inside folder `dir`, if it is inside.
fn under<'p>(dir: &Path, path: &'p str) -> Option<&'p str> {
    match plain_dir(dir).as_str() {
        "" => Some(path),
        dir => path
            .strip_prefix(dir)
            .filter(|r| r.is_empty() || r.starts_with('/'))
            .map(|r| r.trim_start_matches('/')),
    }
}

/// [`under`], ignoring letter case and Unicode normalisation in the folder's name.
fn under_any_case<'p>(dir: &Path, path: &'p str) -> Option<&'p str> {
    let dir = plain_dir(dir);
    if dir.is_empty() {
        return None;
    }
    let (head, rest) = path.split_at_checked(dir.len())?;
    (fold(head) == fold(&dir) && (rest.is_empty() || rest.starts_with('/')))
        .then(|| rest.trim_start_matches('/'))
}

/// Looks `path` up through `get`, as a link may write it: the path, or the HTML file a page
/// becomes (`x.html`, `x/index.html`).
fn lookup_in<T>(path: &str, mut get: impl FnMut(&str) -> Option<T>) -> Option<T> {
    let trimmed = path.trim_end_matches('/');
    if let Some(e) = get(trimmed) {
        return Some(e);
    }
    let without_html = trimmed
        .strip_suffix("index.html")
        .map(|s| s.trim_end_matches('/'))
        .or_else(|| trimmed.strip_suffix(".html"))?;
    get(without_html)
}

/// A path as a case-insensitive file system that normalises Unicode compares it (macOS,
/// Windows): lowercase, composed.
fn fold(path: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Most paths are ASCII, and normalising them changes nothing: a tenth of the cost.
    if path.is_ascii() {
        return path.to_ascii_lowercase();
    }
    path.nfc().flat_map(char::to_lowercase).nfc().collect()
}

fn decode(fragment: &str) -> String {
    percent_encoding::percent_decode_str(fragment)
        .decode_utf8_lossy()
        .into_owned()
}

/// A document's recent revisions for its panel, and its review window: the commits on or
/// after its review date (by committer date: a rebased change keeps its old author date) and
/// the one before them, newest first; empty when no commit came after the review.
fn revisions_of(doc: &Document, changes: Vec<Change>) -> (Vec<Revision>, Vec<(Revision, String)>) {
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

/// A finite number as an integer that sorts as it does.
fn sortable(n: f64) -> i64 {
    let bits = n.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// The content-relative folder of a content-relative path (`""` at the top).
pub fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn page_title(doc: Option<&Document>, fallback: impl FnOnce() -> String) -> String {
    doc.and_then(|d| {
        d.front
            .title
            .clone()
            .or_else(|| markdown::first_h1(d.body()))
    })
    .unwrap_or_else(fallback)
}

fn folder_title(dir: &str, config: &Config) -> String {
    if dir.is_empty() {
        config.title.clone()
    } else {
        prettify(dir.rsplit('/').next().unwrap_or(dir))
    }
}

/// `security-patching` -> `Security patching`.
fn prettify(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
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

/// Where each moved page, file or alias is reported: the document, the team data entry, the
/// first document carrying a tag, the folder of a section without an index.
fn moved_diagnostics(
    moved: &[outputs::Moved],
    pages: &[Page],
    assets: &[SiteAsset],
    team: &TeamData,
    registry: &Registry,
    content_dir: &Path,
) -> Vec<Diagnostic> {
    let origin = |p: &Page| -> (PathBuf, Pos) {
        if let Some(doc) = &p.doc {
            let pos = doc.front.slug.as_ref().map_or(Pos::new(1, 1), |s| s.pos);
            return (doc.file.clone(), pos);
        }
        let source = match p.generated {
            Some(Generated::Person(i)) => Some(&team.people[i].source),
            Some(Generated::Team(i)) => Some(&team.teams[i].source),
            Some(Generated::Role(i)) => Some(&team.roles[i].source),
            _ => None,
        };
        if let Some(s) = source {
            return (s.file.clone(), s.pos);
        }
        if let Some(Generated::Tag(i)) = p.generated {
            let first = registry.tags[i]
                .pages
                .first()
                .and_then(|&d| pages[d].doc.as_ref());
            if let Some(doc) = first {
                return (doc.file.clone(), Pos::new(1, 1));
            }
        }
        if let Some(dir) = &p.section_dir {
            return (content_dir.join(dir), Pos::default());
        }
        (PathBuf::new(), Pos::default())
    };
    let renamed = |(file, pos): (PathBuf, Pos), from: &str, to: &str, why: &str| {
        let rule = if why.contains("bytes") {
            Rule::PathUnsafe
        } else {
            Rule::IdDuplicate
        };
        Diagnostic::error(
            rule,
            file,
            format!("`/{from}` {why}; it is published at `/{to}` instead"),
        )
        .at(pos)
        .with_help("rename it (a page may also take a `slug`)")
    };
    moved
        .iter()
        .map(|m| match m {
            outputs::Moved::Page { page, from, to, why } => {
                renamed(origin(&pages[*page]), from, to, why)
            }
            outputs::Moved::Asset { asset, from, to, why } => {
                renamed((assets[*asset].file.clone(), Pos::default()), from, to, why)
            }
            outputs::Moved::Alias { page, file, pos } => {
                let (at, _) = origin(&pages[*page]);
                Diagnostic::error(
                    Rule::IdDuplicate,
                    at,
                    format!("an alias of this page would write `{file}`, which the site already has or cannot hold; the alias is left out"),
                )
                .at(*pos)
                .with_help("choose another alias")
            }
        })
        .collect()
}

fn assets_with_urls(
    assets: Vec<Asset>,
    outputs: &HashMap<String, PageId>,
    pages: &[Page],
    diags: &mut Vec<Diagnostic>,
) -> Vec<SiteAsset> {
    let mut out = Vec::with_capacity(assets.len());
    for a in assets {
        let url = url::asset_url(&a.path);
        let file = a.file.clone();
        if let Some(&p) = outputs.get(&url) {
            diags.push(Diagnostic::error(
                Rule::IdDuplicate,
                file,
                format!(
                    "this file would overwrite the page made from `{}`; it is not copied",
                    source_name(&pages[p])
                ),
            ));
            continue;
        }
        out.push(SiteAsset {
            path: a.path,
            url,
            source: a.source,
            file,
        });
    }
    out
}

fn aliases(
    pages: &[Page],
    outputs: &mut HashMap<String, PageId>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Alias> {
    let mut out = Vec::new();
    for page in pages.iter().filter(|p| p.published) {
        let Some(doc) = &page.doc else { continue };
        for alias in &doc.front.aliases {
            let bad = |msg: String| {
                Diagnostic::error(Rule::FrontMatterInvalid, &doc.file, msg).at(alias.pos)
            };
            let path = match url::classify_link(&alias.value, "") {
                LinkKind::Internal {
                    path,
                    fragment: None,
                } => path,
                LinkKind::Invalid(why) => {
                    diags.push(bad(format!("alias `{}`: {why}", alias.value)));
                    continue;
                }
                _ => {
                    diags.push(bad(format!(
                        "alias `{}` must be a path inside the site, like `/old/path/`",
                        alias.value
                    )));
                    continue;
                }
            };
            // `old/page.html` stays a file; anything else becomes a folder with an index.html.
            let file = if path.ends_with(".html") || path.ends_with(".htm") {
                path.split('/')
                    .map(url::slug_segment_keep_ext)
                    .collect::<Vec<_>>()
                    .join("/")
            } else {
                url::output_file(&url::dir_url(&path))
            };
            if file == "index.html" && page.id != HOME {
                diags.push(bad(format!(
                    "alias `{}` would replace the home page",
                    alias.value
                )));
                continue;
            }
            if let Some(&other) = outputs.get(&file) {
                // An alias of its own URL (a permalink that says where the page is anyway).
                if other == page.id {
                    continue;
                }
                diags.push(bad(format!(
                    "alias `{}` clashes with the page made from `{}`",
                    alias.value,
                    source_name(&pages[other])
                )));
                continue;
            }
            outputs.insert(file.clone(), page.id);
            out.push(Alias {
                file,
                page: page.id,
                pos: alias.pos,
            });
        }
    }
    out
}
