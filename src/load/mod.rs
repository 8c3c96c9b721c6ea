//! Loading: walk the content folder, read every file once, split and parse front matter.
//!
//! The walk skips hidden entries, the output folder, the team data, the paths `exclude:` names,
//! the `static:` folders (walked on their own: their files are published from the site's top),
//! and `node_modules`, `vendor` and `target` (and, when the content folder is the root itself,
//! handbook.yaml, `themes/`, the template overrides and `archetypes/`). It never leaves the handbook root: a symlink that points outside is
//! reported and skipped. Files are read and parsed in parallel. Problems become diagnostics; the
//! loader itself fails only when the content folder cannot be read at all. Front matter is
//! split and parsed in [`front_matter`].

pub mod front_matter;
pub mod include;
pub mod mkdocs_nav;
pub mod tech_docs;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostic::{display_path, Diagnostic, LineIndex, Pos};
use crate::root::Root;
use crate::rules::Rule;
use crate::text::{self, Decoded};
pub use front_matter::{FrontMatter, Spanned};

/// Folder names never walked into, whatever their place.
pub const SKIPPED_DIRS: &[&str] = &["node_modules", "vendor", "target"];

/// One Markdown document as read from disk.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the content folder, `/`-separated, e.g. `sops/patching.md`.
    pub path: String,
    /// Path relative to the handbook root, for diagnostics, e.g. `content/sops/patching.md`.
    pub file: PathBuf,
    /// The whole file (a UTF-8 BOM removed).
    pub text: String,
    /// Byte offset at which the Markdown body starts.
    pub body_offset: usize,
    /// Line starts, built on the first position asked for: most documents never need one.
    lines: std::sync::OnceLock<LineIndex>,
    pub front: FrontMatter,
    /// The body with its includes spliced in, when it has any ([`include`]).
    pub included: Option<Box<include::Included>>,
    /// The places asked of the body once its text is taken ([`Document::take_text`]).
    kept: Option<Box<BodyPlaces>>,
}

/// A document's body taken out of it ([`Document::take_text`]): the whole file's text, and
/// the body with its includes spliced in, when it has any.
pub struct Text {
    whole: String,
    body_offset: usize,
    included: Option<String>,
}

impl Text {
    /// The body as every stage reads it (see [`Document::body`]).
    pub fn body(&self) -> &str {
        match &self.included {
            Some(text) => text,
            None => &self.whole[self.body_offset..],
        }
    }
}

/// The places of the body's bytes that the checks ask for, worked out while the text was
/// there: by offset of the body, where it was written (the included part, by number, or the
/// document itself) and its position; and where the body starts.
#[derive(Debug, Clone)]
pub struct BodyPlaces {
    places: Vec<(usize, Option<u32>, Pos)>,
    start: Pos,
}

impl Document {
    /// Frees the text, for a model that will not read it again (a build, once checked:
    /// rendering reads the front matter and the rendered body). At 100,000 pages the text is
    /// a sixth of the model. The body reads as empty afterwards.
    pub fn release_text(&mut self) {
        self.text = String::new();
        self.body_offset = 0;
        self.lines = std::sync::OnceLock::new();
        if let Some(included) = &mut self.included {
            included.text = String::new();
        }
    }

    /// The Markdown body as every stage reads it: its includes spliced in.
    pub fn body(&self) -> &str {
        debug_assert!(self.kept.is_none(), "{}: its body was taken", self.path);
        match &self.included {
            Some(i) => &i.text,
            None => self.body_as_written(),
        }
    }

    /// The body as written in the document's own file.
    pub fn body_as_written(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The file and position where byte `offset` of [`Document::body`] was written: the
    /// document's own file, or the included file it comes from.
    pub fn body_place(&self, offset: usize) -> (&Path, Pos) {
        if let Some(kept) = &self.kept {
            return self.kept_place(kept, offset);
        }
        match self.included.as_ref().map(|i| i.origin(offset)) {
            None => (&self.file, self.body_pos(offset)),
            Some(include::Origin::Body(at)) => (&self.file, self.body_pos(at)),
            Some(include::Origin::Part { part, at, .. }) => (&part.file, part.pos(at)),
        }
    }

    /// Takes the body's text out, for a model that will not read it again once its body is
    /// made (a build): the front matter block stays (`front_text` reads it); the body reads as
    /// empty, and only the places [`Document::keep_places`] kept can be asked afterwards.
    pub fn take_text(&mut self) -> Text {
        let whole = std::mem::take(&mut self.text);
        self.text = whole[..self.body_offset].to_string();
        self.lines = std::sync::OnceLock::new();
        let included = self.included.as_mut().map(|i| std::mem::take(&mut i.text));
        // A place asked before [`Document::keep_places`] is a bug (see `kept_place`).
        self.kept = Some(Box::new(BodyPlaces {
            places: Vec::new(),
            start: Pos::new(1, 1),
        }));
        Text {
            whole,
            body_offset: self.body_offset,
            included,
        }
    }

    /// Keeps `places`, worked out by [`Document::places`], for [`Document::body_place`].
    pub fn keep_places(&mut self, places: BodyPlaces) {
        self.kept = Some(Box::new(places));
    }

    /// Works out, from `text` (taken out of this document), where each of `offsets` of its
    /// body was written, and where the body starts.
    pub fn places(&self, text: &Text, offsets: impl IntoIterator<Item = usize>) -> BodyPlaces {
        let lines = LineIndex::new(&text.whole);
        let pos = |at: usize| lines.pos(&text.whole, text.body_offset + at);
        let mut offsets: Vec<usize> = offsets.into_iter().collect();
        offsets.sort_unstable();
        offsets.dedup();
        let places = offsets
            .into_iter()
            .map(
                |offset| match self.included.as_ref().map(|i| i.origin(offset)) {
                    None => (offset, None, pos(offset)),
                    Some(include::Origin::Body(at)) => (offset, None, pos(at)),
                    Some(include::Origin::Part { index, part, at }) => {
                        (offset, Some(index as u32), part.pos(at))
                    }
                },
            )
            .collect();
        BodyPlaces {
            places,
            start: pos(0),
        }
    }

    fn kept_place(&self, kept: &BodyPlaces, offset: usize) -> (&Path, Pos) {
        let Ok(i) = kept.places.binary_search_by_key(&offset, |p| p.0) else {
            debug_assert!(false, "no place kept for byte {offset} of {}", self.path);
            return (&self.file, kept.start);
        };
        let (_, part, pos) = kept.places[i];
        let file = part
            .and_then(|n| self.included.as_ref()?.parts().get(n as usize))
            .map_or(self.file.as_path(), |p| p.file.as_path());
        (file, pos)
    }

    /// The content-relative folder that links written at byte `offset` of the body are
    /// relative to: the included file's, for included text inside the content folder.
    pub fn link_dir(&self, offset: usize) -> &str {
        if let Some(include::Origin::Part { part, .. }) =
            self.included.as_ref().map(|i| i.origin(offset))
        {
            if let Some(dir) = &part.dir {
                return dir;
            }
        }
        self.path.rsplit_once('/').map_or("", |(d, _)| d)
    }

    /// The text before the body: the front matter block with its delimiters, if any.
    pub fn front_text(&self) -> &str {
        &self.text[..self.body_offset]
    }

    /// Position in the document's file of byte `offset` of the body as written.
    pub fn body_pos(&self, offset: usize) -> Pos {
        if let Some(kept) = &self.kept {
            debug_assert_eq!(offset, 0, "only where the body starts is kept");
            return kept.start;
        }
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .pos(&self.text, self.body_offset + offset)
    }

    /// Whether the document is MDX (`.mdx`): Markdown with JSX components and `import` and
    /// `export` lines.
    pub fn is_mdx(&self) -> bool {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.len() > 4 && name.as_bytes()[name.len() - 4..].eq_ignore_ascii_case(b".mdx")
    }

    /// The file name without its Markdown extension, e.g. `patching` for `sops/patching.md`.
    pub fn stem(&self, config: &Config) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        markdown_stem(name, &config.markdown_extensions).unwrap_or(name)
    }
}

/// Any other file under content/, copied to the site as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the content folder (or its static folder), `/`-separated.
    pub path: String,
    /// Where to read it from.
    pub source: PathBuf,
    /// Path relative to the handbook root, for diagnostics.
    pub file: PathBuf,
}

/// Everything read from the content folder.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<Document>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
    /// What the walk left out, to tell a link to such a file from a link to nothing.
    pub unpublished: Unpublished,
    /// MkDocs' `nav:`, when the handbook has an `mkdocs.yml`: the sidebar's order.
    pub nav: Vec<mkdocs_nav::NavEntry>,
    /// tech-docs' `redirects:`, when the handbook has a `config/tech-docs.yml`.
    pub redirects: Vec<tech_docs::Redirect>,
    /// Docusaurus' `_category_.json` (or `.yml`) of each content folder that has one, by the
    /// folder's content-relative path: the section's label and place.
    pub categories: std::collections::HashMap<String, Category>,
    /// The files the walk found, before any was read.
    pub walked: Walked,
}

/// What a Docusaurus `_category_.json` says of its folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Category {
    pub label: Option<String>,
    pub position: Option<f64>,
}

/// The places inside the handbook root that the site leaves out, by root-relative path:
/// asked, for a link that names nothing in the site, whether it names such a file (a
/// workflow under `.github/`, an excluded path, a README beside the content folder, the team
/// data) so that `check` can say so instead of "does not exist".
///
/// It looks at the disk only for such links, and only inside the root: the path is followed
/// one name at a time from the root, and a symlink stops it (it is never followed), so nothing
/// outside the root is read to decide.
#[derive(Debug, Clone, Default)]
pub struct Unpublished {
    /// The canonical root; `None` for a model built without a disk (tests).
    root: Option<PathBuf>,
    /// The content folder, root-relative (`""` when it is the root).
    content: String,
    /// Root-relative paths left out, each with why.
    excluded: Vec<(String, LeftOut)>,
}

/// Why a file inside the root is not part of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    Hidden,
    Output,
    TeamData,
    Excluded,
    HandbookFiles,
    SkippedFolder,
    BesideContent,
    FolderWithoutPage,
    /// A partial, or a document other pages include: text of theirs, not a page.
    Included,
    Other,
}

impl LeftOut {
    pub fn why(self) -> &'static str {
        match self {
            LeftOut::Hidden => "hidden files and folders are not published",
            LeftOut::Output => "it is in the output folder",
            LeftOut::TeamData => "the team data is never published",
            LeftOut::Excluded => "`exclude:` in handbook.yaml leaves it out",
            LeftOut::HandbookFiles => {
                "the handbook's settings, themes, templates and archetypes are not published"
            }
            LeftOut::SkippedFolder => {
                "`node_modules`, `vendor` and `target` folders are not published"
            }
            LeftOut::BesideContent => {
                "it is beside the content folder, and only the content folder is published"
            }
            LeftOut::FolderWithoutPage => {
                "it is a folder with no page of its own: no Markdown file is in it or below it"
            }
            LeftOut::Included => {
                "it is included into other pages (or is a partial, its name starting with `_`), not a page of its own"
            }
            LeftOut::Other => "the walk of the content folder leaves it out",
        }
    }

    /// What the author can do about a link to it.
    pub fn help(self) -> &'static str {
        match self {
            LeftOut::FolderWithoutPage => {
                "link to a file in it, or give it a page (an `index.md`)"
            }
            LeftOut::Included => "link to a page that includes it",
            _ => "link to it where readers can reach it (a full URL to the repository), or move it into the content folder",
        }
    }
}

impl Unpublished {
    fn new(root: &Path, content: &Path) -> Unpublished {
        Unpublished {
            root: Some(root.to_path_buf()),
            content: relative_to(content, root).to_string_lossy().into_owned(),
            excluded: Vec::new(),
        }
    }

    /// Leaves `path` (canonical) out of the site, for `why`.
    fn add(&mut self, path: &Path, why: LeftOut) {
        if let Some(root) = &self.root {
            if let Ok(rel) = path.strip_prefix(root) {
                self.excluded.push((display_path(rel), why));
            }
        }
    }

    /// Whether root-relative `path` is in a place left out on purpose (the output, the team
    /// data, an `exclude:` path, the handbook's own files), whatever is on the disk.
    fn covers(&self, path: &str) -> bool {
        self.excluded.iter().any(|(dir, _)| {
            path == dir
                || path
                    .strip_prefix(dir.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    }

    /// Whether root-relative `path` is in the output or the team data, which no include reads.
    fn refuses(&self, path: &str) -> bool {
        self.excluded.iter().any(|(dir, why)| {
            matches!(why, LeftOut::Output | LeftOut::TeamData)
                && (path == dir
                    || path
                        .strip_prefix(dir.as_str())
                        .is_some_and(|r| r.starts_with('/')))
        })
    }

    /// Why the file or folder at root-relative `path` (`/`-separated, no `..`) is not in the
    /// site, when it exists inside the root; `None` when it does not exist (or is reached
    /// through a symlink).
    pub fn why(&self, path: &str) -> Option<LeftOut> {
        let root = self.root.as_ref()?;
        let path = path.trim_matches('/');
        let mut at = root.clone();
        let mut folder = true;
        for name in path.split('/').filter(|n| !n.is_empty()) {
            if name == "." || name == ".." {
                return None;
            }
            at.push(name);
            let meta = std::fs::symlink_metadata(&at).ok()?;
            if meta.file_type().is_symlink() {
                return None;
            }
            folder = meta.is_dir();
        }
        let within = |dir: &str| {
            dir.is_empty()
                || path == dir
                || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
        };
        if path.split('/').any(|n| n.starts_with('.')) {
            return Some(LeftOut::Hidden);
        }
        if let Some((_, why)) = self.excluded.iter().find(|(dir, _)| within(dir)) {
            return Some(*why);
        }
        if path.split('/').any(|n| SKIPPED_DIRS.contains(&n)) {
            return Some(LeftOut::SkippedFolder);
        }
        if !within(&self.content) {
            return Some(LeftOut::BesideContent);
        }
        if folder {
            return Some(LeftOut::FolderWithoutPage);
        }
        Some(LeftOut::Other)
    }
}

/// Why loading could not even start.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the content folder {path} does not exist")]
    NoContent { path: PathBuf },
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// If `name` ends with one of the Markdown extensions, the name without it.
///
/// Extensions may be compound (`html.md.erb`); the longest match wins.
pub fn markdown_stem<'n>(name: &'n str, extensions: &[String]) -> Option<&'n str> {
    extensions
        .iter()
        .filter_map(|ext| {
            // Compared as bytes: the cut may fall inside a character of the name (`Prüfung`
            // beside `.markdown`), and then it is simply not this extension. A `.` before a
            // matching ASCII extension is always at a character boundary.
            let cut = name.len().checked_sub(ext.len() + 1)?;
            let (stem, dot_ext) = name.as_bytes().split_at(cut);
            let matches = !stem.is_empty()
                && dot_ext[0] == b'.'
                && dot_ext[1..].eq_ignore_ascii_case(ext.as_bytes());
            matches.then(|| &name[..cut])
        })
        .min_by_key(|stem| stem.len())
}

/// Walks `root/config.content_dir` and reads every document and asset.
///
/// `exclude` lists folders (absolute, canonical) that must not be walked, such as the output.
pub fn load(root: &Path, config: &Config, exclude: &[PathBuf]) -> Result<Loaded, LoadError> {
    // The documents are read while the walk goes on, a batch at a time: the walk is one
    // thread's work, a fifth of loading, and the reading can start with its first files.
    let read = Mutex::new(Vec::new());
    let survey = rayon::scope(|scope| {
        let mut batch: Vec<(String, PathBuf)> = Vec::new();
        let mut batches = 0;
        let mut send = |batch: Vec<(String, PathBuf)>| {
            let (n, read) = (batches, &read);
            batches += 1;
            scope.spawn(move |_| {
                let docs: Vec<(Option<Document>, Vec<Diagnostic>)> = (batch.into_iter())
                    .map(|(rel, abs)| read_document(rel, &abs, config))
                    .collect();
                read.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((n, docs));
            });
        };
        let survey = survey(root, config, exclude, &mut |rel, abs| {
            batch.push((rel, abs));
            if batch.len() == READ_BATCH {
                send(std::mem::take(&mut batch));
            }
        });
        if !batch.is_empty() {
            send(batch);
        }
        survey
    });
    let Survey {
        mut loaded,
        canonical_content,
    } = survey?;
    // In the walk's order, the pages' order.
    let mut read = read.into_inner().unwrap_or_else(|e| e.into_inner());
    read.sort_unstable_by_key(|(n, _)| *n);
    for (doc, diags) in read.into_iter().flat_map(|(_, docs)| docs) {
        loaded.documents.extend(doc);
        loaded.diagnostics.extend(diags);
    }
    expand_includes(root, config, &canonical_content, &mut loaded);
    read_categories(&mut loaded);
    Ok(loaded)
}

/// How many documents one task of [`load`] reads: enough that the tasks cost nothing to hand
/// out, few enough that both threads have some as soon as the walk has found a few folders.
const READ_BATCH: usize = 32;

/// The files a walk of the content (and static) folders finds, before any is read: what
/// `serve` compares with the last build's to tell a file added or removed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Walked {
    /// The Markdown files, content-relative, in the order they are read (the pages' order).
    pub markdown: Vec<String>,
    /// Every other file, as the walk found it (partials not yet told apart).
    pub assets: Vec<String>,
    /// How many problems the walk met (an unreadable folder, a symlink out of the root).
    pub problems: usize,
}

/// The files the walk of [`load`] finds, without reading any.
pub fn walk_again(root: &Path, config: &Config, exclude: &[PathBuf]) -> Result<Walked, LoadError> {
    Ok(survey(root, config, exclude, &mut |_, _| {})?.loaded.walked)
}

/// What the walk found: everything but the documents.
struct Survey {
    loaded: Loaded,
    canonical_content: PathBuf,
}

/// Walks the content (and static) folders; each Markdown file found is handed to `markdown`
/// (content-relative, and its path) as it is found.
fn survey(
    root: &Path,
    config: &Config,
    exclude: &[PathBuf],
    markdown: &mut dyn FnMut(String, PathBuf),
) -> Result<Survey, LoadError> {
    let canonical_root = root.canonicalize().map_err(|source| LoadError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let content = root.join(&config.content_dir);
    if !content.is_dir() {
        return Err(LoadError::NoContent { path: content });
    }
    let canonical_content = content.canonicalize().map_err(|source| LoadError::Io {
        path: content.clone(),
        source,
    })?;
    if !canonical_content.starts_with(&canonical_root) {
        return Err(LoadError::Io {
            path: content,
            source: std::io::Error::other("the content folder resolves outside the handbook root"),
        });
    }
    let mut excluded: Vec<PathBuf> = exclude.to_vec();
    let mut unpublished = Unpublished::new(&canonical_root, &canonical_content);
    for x in exclude {
        unpublished.add(x, LeftOut::Output);
    }
    // The team data (a folder or one file) is never published, even when it sits inside the
    // content folder, as it does when the content folder is the root.
    let data = root.join(&config.data_dir).canonicalize().ok();
    if let Some(data) = data.as_ref().filter(|d| **d != canonical_content) {
        excluded.push(data.clone());
        unpublished.add(data, LeftOut::TeamData);
    }
    for rel in &config.exclude {
        let path = canonical_content.join(rel);
        unpublished.add(&path, LeftOut::Excluded);
        excluded.push(path);
    }
    // A static folder is published from the top of the site, not again under its own name.
    excluded.extend(
        config
            .static_dirs
            .iter()
            .filter_map(|d| root.join(d).canonicalize().ok()),
    );
    if canonical_content == canonical_root {
        // A handbook kept at the top of an existing folder (`content: .`): its own settings,
        // theme and templates are not pages or assets.
        let own = [CONFIG_FILE, "themes", "archetypes"]
            .iter()
            .map(|name| canonical_root.join(name))
            .chain([canonical_root.join(&config.templates_dir)]);
        for path in own {
            unpublished.add(&path, LeftOut::HandbookFiles);
            excluded.push(path);
        }
    }

    let mut loaded = Loaded {
        unpublished,
        nav: mkdocs_nav::read(root, config),
        redirects: tech_docs::redirects(root),
        ..Loaded::default()
    };
    let mut names: Vec<String> = Vec::new();
    walk(
        &canonical_content,
        &canonical_root,
        &excluded,
        config,
        &mut loaded,
        Some(&mut |rel: String, abs: PathBuf| {
            names.push(rel.clone());
            markdown(rel, abs);
        }),
    );
    if !config.static_dirs.is_empty() {
        let roots = Roots {
            root: &canonical_root,
            content: &canonical_content,
            data: data.as_deref(),
        };
        add_static(root, config, &roots, &excluded, &mut loaded);
    }
    loaded.walked = Walked {
        markdown: names,
        assets: loaded.assets.iter().map(|a| a.path.clone()).collect(),
        problems: loaded.diagnostics.len(),
    };
    Ok(Survey {
        loaded,
        canonical_content,
    })
}

/// Reads Docusaurus' `_category_.json` / `_category_.yml` files (JSON is read as the YAML it
/// is), which are the sidebar's, not files of the site. One that does not parse is passed over:
/// Docusaurus reports it.
fn read_categories(loaded: &mut Loaded) {
    let is_category = |path: &str| {
        let name = path.rsplit('/').next().unwrap_or(path);
        matches!(
            name,
            "_category_.json" | "_category_.yml" | "_category_.yaml"
        )
    };
    let mut categories = std::collections::HashMap::new();
    for asset in loaded.assets.iter().filter(|a| is_category(&a.path)) {
        let Ok(bytes) = std::fs::read(&asset.source) else {
            continue;
        };
        let text = text::decode(bytes).text;
        let Ok(value) = crate::yaml::from_str::<crate::yaml::Value>(&text) else {
            continue;
        };
        let dir = asset.path.rsplit_once('/').map_or("", |(d, _)| d);
        categories.insert(
            dir.to_string(),
            Category {
                label: value
                    .get("label")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                position: value
                    .get("position")
                    .and_then(|v| v.as_f64())
                    .filter(|p| p.is_finite()),
            },
        );
    }
    loaded.assets.retain(|a| !is_category(&a.path));
    loaded.categories = categories;
}

/// Splices every document's includes in, then leaves out of the pages the documents that are
/// included (unless a top-level SUMMARY.md lists them, as mdBook's chapters) and the
/// partials: files named `_name` (other than `_index`), and those in Jekyll's `_includes/`.
fn expand_includes(root: &Path, config: &Config, canonical_content: &Path, loaded: &mut Loaded) {
    let Ok(boundary) = Root::new(root) else {
        return;
    };
    let expansions: Vec<include::Expansion> = {
        let library = include::Library {
            root: &boundary,
            config,
            content: crate::root::lexical(&config.content_dir),
            documents: (loaded.documents.iter())
                .map(|d| (d.path.as_str(), d))
                .collect(),
            unpublished: &loaded.unpublished,
        };
        (loaded.documents.par_iter())
            .map(|d| include::expand(d, &library))
            .collect()
    };
    let mut used: HashSet<String> = HashSet::new();
    for (doc, x) in loaded.documents.iter_mut().zip(expansions) {
        used.extend(x.used.iter().cloned());
        loaded.diagnostics.extend(take_expansion(doc, x));
    }
    let summary = (loaded.documents.iter())
        .find(|d| d.path.eq_ignore_ascii_case("SUMMARY.md"))
        .map(|d| d.body_as_written().to_string())
        .unwrap_or_default();
    let listed = |path: &str| {
        ["](", "](./", "](<", "](<./"]
            .iter()
            .any(|open| summary.contains(&format!("{open}{path}")))
    };
    let unpublished = &mut loaded.unpublished;
    // A partial that is not Markdown (`_support.erb`, `_includes/note.html`) is text of the
    // pages that include it, not a file of the site; Jekyll's `_includes/` never is one.
    loaded.assets.retain(|a| {
        let in_includes = a.path.split('/').any(|d| d == "_includes");
        !(in_includes || is_partial(&a.path, config) && used.contains(&a.path))
    });
    loaded.documents.retain(|d| {
        let partial = is_partial(&d.path, config) || (used.contains(&d.path) && !listed(&d.path));
        if partial {
            unpublished.add(&canonical_content.join(&d.path), LeftOut::Included);
        }
        !partial
    });
}

/// Gives `doc` its expanded body, and the title `{{#title}}` names when nothing else titles
/// it; returns the expansion's diagnostics.
fn take_expansion(doc: &mut Document, x: include::Expansion) -> Vec<Diagnostic> {
    if let Some(mut included) = x.included {
        let untitled =
            doc.front.title.is_none() && crate::markdown::first_h1(doc.body_as_written()).is_none();
        if untitled {
            doc.front.title = included.title.take();
        }
        doc.included = Some(Box::new(included));
    }
    x.diagnostics
}

/// Whether the file at content-relative `path` is a partial, never a page: a name starting with
/// `_` (Middleman's and Jekyll's partials; not `_index`, a section's page), or a file in
/// Jekyll's `_includes/`.
pub fn is_partial(path: &str, config: &Config) -> bool {
    let (dirs, name) = path.rsplit_once('/').unwrap_or(("", path));
    let stem = markdown_stem(name, &config.markdown_extensions).unwrap_or(name);
    (name.starts_with('_') && !stem.eq_ignore_ascii_case("_index"))
        || dirs.split('/').any(|d| d == "_includes")
}

/// The canonical folders a static folder must not hold.
struct Roots<'a> {
    root: &'a Path,
    content: &'a Path,
    data: Option<&'a Path>,
}

/// Adds the files of the `static:` folders (Hugo's, Zola's `static/`) as assets published from
/// the top of the site, beside the content's, which wins a clash.
fn add_static(
    root: &Path,
    config: &Config,
    roots: &Roots,
    excluded: &[PathBuf],
    loaded: &mut Loaded,
) {
    let mut published: HashSet<String> = loaded.assets.iter().map(|a| a.path.clone()).collect();
    for dir in &config.static_dirs {
        let Ok(canonical) = root.join(dir).canonicalize() else {
            continue;
        };
        // Published as it is, so never a folder that holds the sources or the team data.
        if !canonical.starts_with(roots.root)
            || roots.content.starts_with(&canonical)
            || roots.data.is_some_and(|d| d.starts_with(&canonical))
        {
            loaded.diagnostics.push(Diagnostic::error(
                Rule::PathUnsafe,
                CONFIG_FILE,
                format!(
                    "`static: {}` holds the content or the team data, which are not published as files; it is skipped",
                    dir.display()
                ),
            ));
            continue;
        }
        let mut found = Loaded {
            unpublished: loaded.unpublished.clone(),
            ..Loaded::default()
        };
        walk(&canonical, roots.root, excluded, config, &mut found, None);
        loaded.diagnostics.extend(found.diagnostics);
        for asset in found.assets {
            if !published.insert(asset.path.clone()) {
                loaded.diagnostics.push(
                    Diagnostic::warning(
                        Rule::IdDuplicate,
                        asset.file.clone(),
                        format!(
                            "`{}` is also in the content folder or an earlier static folder, whose file is published",
                            asset.path
                        ),
                    )
                    .with_help("remove one of the two"),
                );
            } else {
                loaded.assets.push(asset);
            }
        }
    }
}

/// Walks `dir` (canonical, inside `canonical_root`), skipping `excluded`: Markdown files go to
/// `markdown` when it is given, every other file (all of them without it) to the assets, with
/// its path relative to `dir`.
fn walk(
    dir: &Path,
    canonical_root: &Path,
    excluded: &[PathBuf],
    config: &Config,
    loaded: &mut Loaded,
    mut markdown: Option<&mut dyn FnMut(String, PathBuf)>,
) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if name.starts_with('.') {
                return false;
            }
            if e.file_type().is_dir() && SKIPPED_DIRS.contains(&name.as_ref()) {
                return false;
            }
            !excluded.iter().any(|x| x == e.path())
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative_to(p, canonical_root))
                    .unwrap_or_default();
                loaded.diagnostics.push(Diagnostic::error(
                    Rule::FileInvalid,
                    path,
                    format!(
                        "cannot read: {}",
                        e.io_error().map_or(e.to_string(), |io| io.to_string())
                    ),
                ));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let file = relative_to(entry.path(), canonical_root);
        let Some(rel) = entry
            .path()
            .strip_prefix(dir)
            .ok()
            .and_then(|p| p.to_str())
            .map(|p| p.replace('\\', "/"))
        else {
            loaded.diagnostics.push(Diagnostic::error(
                Rule::FileInvalid,
                file,
                "the file name is not valid UTF-8; the file is skipped",
            ));
            continue;
        };
        let mut file_type = entry.file_type();
        if file_type.is_symlink() {
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(canonical_root) => {
                    // A link to what the walk leaves out would publish it under another name:
                    // the team data (emails), a hidden file (`.env`, `.git/config`), the output.
                    let rel = relative_to(&target, canonical_root);
                    let hidden = Root::is_hidden(&rel);
                    if hidden || loaded.unpublished.covers(&display_path(&rel)) {
                        loaded.diagnostics.push(
                            Diagnostic::error(
                                Rule::PathUnsafe,
                                file,
                                format!(
                                    "this symlink leads to {}, which the site does not publish; it is skipped",
                                    rel.display()
                                ),
                            )
                            .with_help("link to the page or file in the content folder instead"),
                        );
                        continue;
                    }
                    file_type = match std::fs::metadata(&target) {
                        Ok(m) => m.file_type(),
                        Err(_) => continue,
                    };
                    if file_type.is_dir() {
                        loaded.diagnostics.push(Diagnostic::warning(
                            Rule::PathUnsafe,
                            file,
                            "symlinked folders are not followed; the folder is skipped",
                        ));
                        continue;
                    }
                }
                Ok(_) => {
                    loaded.diagnostics.push(
                        Diagnostic::error(
                            Rule::PathUnsafe,
                            file,
                            "this symlink points outside the handbook root; it is skipped",
                        )
                        .with_help("copy the file into the handbook instead of linking to it"),
                    );
                    continue;
                }
                Err(_) => {
                    loaded.diagnostics.push(Diagnostic::error(
                        Rule::FileInvalid,
                        file,
                        "this symlink is broken; it is skipped",
                    ));
                    continue;
                }
            }
        }
        if !file_type.is_file() {
            continue;
        }
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        if let (Some(markdown), Some(_)) = (
            markdown.as_mut(),
            markdown_stem(name, &config.markdown_extensions),
        ) {
            markdown(rel, entry.path().to_path_buf());
        } else {
            loaded.assets.push(Asset {
                path: rel,
                source: entry.path().to_path_buf(),
                file,
            });
        }
    }
}

fn relative_to(path: &Path, root: &Path) -> PathBuf {
    PathBuf::from(display_path(path.strip_prefix(root).unwrap_or(path)))
}

/// Reads the document at content-relative `path` as [`load`] would (a file added, or edited,
/// for `serve`), its includes read from the disk; `None` when it is not a regular file inside
/// the root (gone, a symlink): the caller then rebuilds everything, which reports it properly.
pub fn read_one(
    root: &Path,
    config: &Config,
    path: &str,
    unpublished: &Unpublished,
) -> Option<(Document, Vec<Diagnostic>)> {
    let abs = root.join(&config.content_dir).join(path);
    let inside = abs
        .canonicalize()
        .ok()?
        .starts_with(root.canonicalize().ok()?);
    if !inside || !std::fs::symlink_metadata(&abs).ok()?.file_type().is_file() {
        return None;
    }
    let (mut new, mut diags) = match read_document(path.to_string(), &abs, config) {
        (Some(new), diags) => (new, diags),
        (None, _) => return None,
    };
    // Its includes, read from the disk: the other documents are not at hand.
    let boundary = Root::new(root).ok()?;
    let library = include::Library {
        root: &boundary,
        config,
        content: crate::root::lexical(&config.content_dir),
        documents: std::collections::HashMap::new(),
        unpublished,
    };
    let expansion = include::expand(&new, &library);
    diags.extend(take_expansion(&mut new, expansion));
    Some((new, diags))
}

/// Reads and parses one document. Never fails: problems become diagnostics.
fn read_document(path: String, abs: &Path, config: &Config) -> (Option<Document>, Vec<Diagnostic>) {
    let file = PathBuf::from(display_path(&config.content_dir.join(&path)));
    let mut diags = Vec::new();
    let bytes = match std::fs::read(abs) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                Rule::FileInvalid,
                file,
                format!("cannot read: {e}"),
            ));
            return (None, diags);
        }
    };
    let Decoded { text, invalid_at } = text::decode(bytes);
    if let Some(pos) = invalid_at {
        // The page is built anyway, with replacement characters where the bad bytes were, so
        // that links to it still work; the error says exactly where to look.
        diags.push(
            Diagnostic::error(Rule::FileInvalid, &file, "the file is not valid UTF-8")
                .at(pos)
                .with_help("save the file as UTF-8; invalid bytes are shown as \u{FFFD}"),
        );
    }
    let split = front_matter::split(&text);
    let front = match &split.block {
        Some(block) => FrontMatter::parse(block, &config.field_aliases, &file, &mut diags),
        None => {
            if let Some(format) = split.unterminated {
                let delimiter = format.delimiter();
                diags.push(
                    Diagnostic::error(
                        Rule::FrontMatterInvalid,
                        &file,
                        "the front matter block opened on line 1 is never closed",
                    )
                    .at(Pos::new(1, 1))
                    .with_help(format!(
                        "end the front matter with a line containing only `{delimiter}`"
                    )),
                );
            }
            FrontMatter {
                // Nothing of it is read: the page says so, as for any invalid front matter.
                invalid_line: split.unterminated.map(|_| 1),
                ..FrontMatter::default()
            }
        }
    };
    let doc = Document {
        path,
        file,
        body_offset: split.body_offset,
        text,
        lines: std::sync::OnceLock::new(),
        front,
        included: None,
        kept: None,
    };
    (Some(doc), diags)
}

#[cfg(test)]
impl Document {
    /// `text` as [`read_document`] reads it from `path` in the content folder, without the disk:
    /// for unit tests that build a model in memory.
    pub(crate) fn from_text(path: &str, text: &str, config: &Config) -> Document {
        let file = PathBuf::from(display_path(&config.content_dir.join(path)));
        let split = front_matter::split(text);
        let front = split
            .block
            .as_ref()
            .map_or_else(FrontMatter::default, |block| {
                FrontMatter::parse(block, &config.field_aliases, &file, &mut Vec::new())
            });
        Document {
            path: path.to_string(),
            file,
            body_offset: split.body_offset,
            text: text.to_string(),
            lines: std::sync::OnceLock::new(),
            front,
            included: None,
            kept: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        let exts = vec![
            "md".to_string(),
            "html.md.erb".to_string(),
            "markdown".to_string(),
        ];
        assert_eq!(markdown_stem("a.md", &exts), Some("a"));
        assert_eq!(markdown_stem("A.MD", &exts), Some("A"));
        assert_eq!(markdown_stem("page.html.md.erb", &exts), Some("page"));
        assert_eq!(markdown_stem("x.markdown", &exts), Some("x"));
        assert_eq!(markdown_stem(".md", &exts), None);
        assert_eq!(markdown_stem("notes.txt", &exts), None);
        assert_eq!(markdown_stem("md", &exts), None);
        // Multi-byte names around an extension's length never split a character.
        for name in [
            "café",
            "naïve",
            "Übersicht",
            "Prüfung.pdf",
            "日本語の手順",
            "ü.markdown",
        ] {
            let _ = markdown_stem(name, &exts);
        }
        assert_eq!(markdown_stem("ü.markdown", &exts), Some("ü"));
        assert_eq!(markdown_stem("Prüfung.pdf", &exts), None);
    }

    /// Documents are read in batches while the walk goes on, and come out in the walk's order
    /// (by name, a folder's files after its own page), every one once.
    #[test]
    fn documents_come_in_the_walks_order() {
        let tmp = tempfile::tempdir().unwrap();
        let mut expected = Vec::new();
        for team in ["ops", "hr", "finance", "security"] {
            for n in 0..3 * READ_BATCH {
                let path = format!("{team}/{}/doc-{n:03}.md", n % 4);
                let file = tmp.path().join("content").join(&path);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(&file, format!("# Doc {n}\n")).unwrap();
                expected.push(path);
            }
        }
        expected.sort();
        let loaded = load(tmp.path(), &Config::default(), &[]).unwrap();
        let read: Vec<&str> = loaded.documents.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(read, expected);
        assert_eq!(loaded.walked.markdown, expected);
    }
}
