//! handbook: a static-site generator for team handbooks and standard operating procedures.
//!
//! The pipeline runs one way: [`config`] → [`load`] (walk, read, front matter) and [`team`]
//! → [`site`] (the model: pages, sections, URLs, links) → [`markdown`] (bodies) → [`check`]
//! (diagnostics) → [`render`] (templates) → [`output`] (atomic write). [`Handbook`] is the
//! public face: `load` runs everything up to the checks, `build` renders and writes.

// Public: what the binary (`cmd`) and the integration tests reach. The rest is the crate's own,
// so that the compiler reports what nothing uses; inside a public module, items and re-exports
// the tests do not need are `pub(crate)` or narrower for the same reason.
pub(crate) mod check;
pub mod cmd;
pub mod codeowners;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod fields;
pub(crate) mod git;
pub(crate) mod heap;
pub(crate) mod history;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod packed;
pub(crate) mod render;
pub(crate) mod report;
pub(crate) mod root;
pub mod rota;
pub mod rules;
pub mod scaffold;
pub(crate) mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub(crate) mod suggest;
pub mod team;
pub mod terminal;
pub mod text;
pub(crate) mod toml_front;
pub(crate) mod yaml;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use config::{Config, ConfigError};
use dates::Day;
use diagnostic::{display_path, Diagnostic};
use history::{History, ReviewedVersions};
use load::LoadError;
use output::{OutputError, Sink, Staging};
use rules::Rule;
use site::{url, Bodies, Site, SiteOptions};
use team::TeamData;

/// Why a command could not run at all (as opposed to findings in the content).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The diagnostic names handbook.yaml; transparent, so that a chain of causes (anyhow's
    /// `{:#}`) does not print it a second time as this error's source.
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("the handbook root {0} is not a folder")]
    NoRoot(PathBuf),
    #[error("{0}")]
    Serve(String),
    /// A handbook loaded with `Options::free_as_it_goes` was rendered once: it freed its bodies as
    /// it wrote them.
    #[error("this handbook was rendered once and freed its pages' bodies as it went; load it again to render it again")]
    Rendered,
    /// `build --strict` found errors: nothing was published.
    #[error("{errors} error{}: the site was not published (--strict); the previous site is unchanged", if *.errors == 1 { "" } else { "s" })]
    Refused { errors: usize },
}

/// How to load a handbook.
#[derive(Debug, Clone)]
pub struct Options {
    /// The date review status is computed against.
    pub as_of: Day,
    /// Publish drafts.
    pub drafts: bool,
    /// Output folder, overriding handbook.yaml (relative to the current directory).
    pub out: Option<PathBuf>,
    /// Refuse to publish when there are errors (`build --strict`).
    pub strict: bool,
    /// Show the findings that `handbook-ignore` comments silence (`--no-ignore`).
    pub no_ignore: bool,
    /// Keep what the model is built from besides the documents (`serve`): an edit of a
    /// document's front matter then builds the model again without reading the handbook.
    pub keep_inputs: bool,
    /// Nothing will be rendered (`check`): the bodies' text for search is not kept.
    pub check_only: bool,
    /// Free what is read once as soon as it is read (`build`): each document's text once its
    /// body is made (the places the checks ask of it are kept), each body's HTML once its page
    /// is written, the bodies' text once the search index has cut its snippets. The handbook
    /// can then be rendered only once ([`Error::Rendered`]). Not with `keep_inputs` or
    /// `check_only`.
    pub free_as_it_goes: bool,
    /// With `free_as_it_goes`, above this many bytes of Markdown each body's HTML is held
    /// compressed until its page is written: at 100,000 pages (650 MB) that is 0.35 GiB less at
    /// the peak for a build a tenth slower. A 10,000-page handbook is under it.
    pub squeeze_html_above: usize,
}

/// [`Options::squeeze_html_above`] unless said otherwise: 256 MiB of Markdown, some 40,000
/// pages of a typical handbook.
pub const SQUEEZE_HTML_ABOVE: usize = 256 << 20;

impl Default for Options {
    fn default() -> Self {
        Options {
            as_of: Day::today(),
            drafts: false,
            out: None,
            strict: false,
            no_ignore: false,
            keep_inputs: false,
            check_only: false,
            free_as_it_goes: false,
            squeeze_html_above: SQUEEZE_HTML_ABOVE,
        }
    }
}

/// A loaded, checked handbook.
pub struct Handbook {
    pub root: PathBuf,
    pub site: Site,
    /// Every problem found while loading and checking, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many findings `handbook-ignore` comments silenced.
    pub silenced: usize,
    pub output_dir: PathBuf,
    /// Wall time of each phase, in order, for `build --timings` and the benchmarks.
    pub timings: Vec<(&'static str, Duration)>,
    strict: bool,
    /// Whether `handbook-ignore` comments are obeyed (not under `--no-ignore`).
    obey_ignores: bool,
    /// The diagnostics of loading and the model, before the checks: kept so that `serve` can
    /// run the checks again after an edit.
    load_diagnostics: Vec<Diagnostic>,
    /// Whether the operator chose the output folder (`--out`): handbook.yaml's must stay
    /// inside the root.
    output_chosen: bool,
    /// The theme, compiled while the model was built (the checks settle fragments against
    /// pages rendered with it): rendering takes it rather than compile the templates again.
    theme: std::sync::Mutex<Option<(render::Theme, Vec<Diagnostic>)>>,
    /// What the model was built from, under [`Options::keep_inputs`].
    inputs: Option<Inputs>,
}

/// What a model was built from besides the documents, and the diagnostics of reading (the
/// walk's, the documents', the team data's) apart from the model's.
struct Inputs {
    site: site::Inputs,
    /// The files the walk found: a later walk tells the files added or removed.
    walked: load::Walked,
    read_diagnostics: Vec<Diagnostic>,
    /// The review calendar's events of the last build: an edit makes only its pages' again.
    review_events: std::sync::Mutex<report::digest::ReviewEvents>,
}

/// Files read again for an update in place, and the diagnostics of reading them.
#[derive(Debug, Default)]
struct Read {
    files: Vec<PathBuf>,
    diagnostics: Vec<Diagnostic>,
}

/// The files of the last build, by site path (`serve` holds them): an edit in place reads
/// the ids of the pages it does not change from them rather than render them again.
pub type Before<'a> = &'a (dyn Fn(&str) -> Option<Vec<u8>> + Sync);

/// What an edit in place rendered, and the files no page makes any more.
#[derive(Debug, Default)]
pub struct Update {
    pub pages: Vec<site::PageId>,
    /// Site paths of pages gone (a tag no document uses any more).
    pub removed: Vec<String>,
}

/// What rendering wrote, and the pages the theme failed on.
#[derive(Debug)]
pub struct Rendered {
    pub pages: usize,
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// What a build wrote.
#[derive(Debug, Clone)]
pub struct BuildStats {
    pub pages: usize,
    pub files: usize,
    pub output_dir: PathBuf,
    pub elapsed: Duration,
}

impl Handbook {
    /// Loads the handbook at `root`: configuration, content, team data, the site model, the
    /// rendered Markdown, and the diagnostics of every check.
    pub fn load(root: &Path, options: &Options) -> Result<Handbook, Error> {
        if !root.is_dir() {
            return Err(Error::NoRoot(root.to_path_buf()));
        }
        let mut clock = Clock::start();
        let config = Config::load(root)?;
        let output_dir = match &options.out {
            Some(o) => o.clone(),
            None => root.join(&config.output_dir),
        };
        let exclude: Vec<PathBuf> = output_dir.canonicalize().into_iter().collect();
        // git runs beside the load; it mostly waits on its own process.
        let history = {
            let (root, dir) = (root.to_path_buf(), config.content_dir.clone());
            std::thread::spawn(move || History::read(&root, &dir))
        };
        let (loaded, team) = rayon::join(
            || load::load(root, &config, &exclude),
            || TeamData::load(root, &config.data_dir),
        );
        let mut loaded = loaded?;
        let (team, team_diags) = team;
        clock.lap("load");
        let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
        diagnostics.extend(team_diags);
        let site_options = SiteOptions {
            as_of: options.as_of,
            drafts: options.drafts,
        };
        let history = history.join().ok().flatten().unwrap_or_default();
        let site_files = render::generated_files(root, &config, &team);
        let inputs = options.keep_inputs.then(|| Inputs {
            site: site::Inputs::of(&loaded, &team, &history, site_options, &site_files),
            walked: loaded.walked.clone(),
            read_diagnostics: diagnostics.clone(),
            review_events: Default::default(),
        });
        // The theme's templates are compiled beside the model, on the thread the model leaves
        // idle: `build` and `serve` render with them, and the checks settle with them the
        // fragments only a rendered page makes. A command that needs neither (`report` of a
        // handbook without such fragments, `codeowners`) spends that idle thread's time only.
        let theme_config = config.clone();
        let ((mut site, site_diags), theme) = rayon::join(
            || Site::build(config, loaded, team, history, site_options, site_files),
            || render::Theme::load(root, &theme_config),
        );
        // The documents changed since their review, as they were reviewed: one git process,
        // reading while Markdown renders.
        let windows = site.review_windows();
        let versions = (!windows.wanted.is_empty())
            .then(|| ReviewedVersions::start(root, windows.wanted.clone()));
        diagnostics.extend(site_diags);
        clock.lap("model");
        site.bodies = Bodies {
            keep_text: site.bodies.keep_text && !options.check_only,
            write_html: !options.check_only,
            // Only a build frees as it goes: `serve` renders again, `check` may render pages
            // whose fragments only the rendered page settles.
            free_as_it_goes: options.free_as_it_goes && !options.keep_inputs && !options.check_only,
            squeeze_above: options.squeeze_html_above,
            ..site.bodies
        };
        site.render_markdown();
        clock.lap("markdown");
        if let Some(versions) = versions {
            let texts = versions.collect(windows.wanted.len());
            site.mark_unreviewed_changes(&windows.pages, texts);
        }
        let load_diagnostics = diagnostics;
        let mut diagnostics = load_diagnostics.clone();
        diagnostics.extend(run_checks(&site, || &theme.0, &|_| None));
        let obey_ignores = !options.no_ignore;
        let applied = check::ignore::apply(&site, diagnostics, obey_ignores);
        let diagnostics = settle(&site, applied.diagnostics);
        clock.lap("check");
        Ok(Handbook {
            root: root.to_path_buf(),
            site,
            diagnostics,
            silenced: applied.silenced,
            obey_ignores,
            load_diagnostics,
            theme: std::sync::Mutex::new(Some(theme)),
            output_dir,
            output_chosen: options.out.is_some(),
            timings: clock.laps,
            strict: options.strict,
            inputs,
        })
    }

    /// Drops the documents, their pages and the diagnostics, for a model about to be replaced
    /// by a full build (`serve`): the handbook is of no use afterwards but to be dropped.
    pub fn release_documents(&mut self) {
        self.site.pages = Vec::new();
        self.diagnostics = Vec::new();
        self.load_diagnostics = Vec::new();
        self.inputs = None;
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Renders the site and swaps it into the output folder. Pages that fail to render are
    /// reported and left out; the previous site is replaced only once everything is written.
    pub fn build(&mut self) -> Result<BuildStats, Error> {
        let start = Instant::now();
        self.refuse_if_strict()?;
        let config = &self.site.config;
        let protected = [
            self.root.join(&config.content_dir),
            self.root.join(&config.data_dir),
        ];
        if !self.output_chosen {
            refuse_output_outside(&self.root, &self.output_dir)?;
        }
        output::check_output_dir(&self.output_dir, &self.root, &protected)?;
        // Checked: the documents' text is not read again (its diagnostics have their places).
        for doc in self.site.pages.iter_mut().filter_map(|p| p.doc.as_mut()) {
            doc.release_text();
        }
        let staging = Staging::create(&self.output_dir)?;
        let (pages, files) = self.render(&staging)?;
        // A template that failed: dropping the staging folder keeps the previous site.
        self.refuse_if_strict()?;
        // Any I/O failure above returned early, dropping (and deleting) the staging folder.
        let clock = Instant::now();
        staging.commit()?;
        self.timings.push(("commit", clock.elapsed()));
        Ok(BuildStats {
            pages,
            files,
            output_dir: self.output_dir.clone(),
            elapsed: start.elapsed(),
        })
    }

    /// Renders every page and file of the site into `sink` (the staging folder of a build, or
    /// the memory `serve` answers from); returns the pages and files written. Pages the theme
    /// fails to render are reported and left out; a failed write stops it.
    pub fn render(&mut self, sink: &dyn Sink) -> Result<(usize, usize), Error> {
        let (theme, theme_diags) = self.theme();
        self.add_diagnostics(theme_diags);
        let rendered = self.render_with(&theme, sink)?;
        self.add_diagnostics(rendered.diagnostics);
        Ok((rendered.pages, rendered.files))
    }

    /// Adds diagnostics found after loading (the theme's, rendering's): every diagnostic
    /// enters [`Handbook::diagnostics`] through here or [`settle`].
    pub fn add_diagnostics(&mut self, more: Vec<Diagnostic>) {
        // Sorted already (serve adds none after most edits: 17,000 diagnostics sorted again).
        if more.is_empty() {
            return;
        }
        let more = check::configure(&self.site, more);
        self.diagnostics.extend(more);
        sort_diagnostics(&mut self.diagnostics);
    }

    /// The theme, and its diagnostics as found (for [`Handbook::add_diagnostics`]).
    pub fn theme(&self) -> (render::Theme, Vec<Diagnostic>) {
        let loaded = self.theme.lock().unwrap_or_else(|e| e.into_inner()).take();
        let (theme, diags) =
            loaded.unwrap_or_else(|| render::Theme::load(&self.root, &self.site.config));
        (theme, diags)
    }

    /// [`Handbook::render`] with a theme already loaded; the diagnostics of rendering (pages
    /// the theme failed on) come back apart.
    pub fn render_with(
        &mut self,
        theme: &render::Theme,
        sink: &dyn Sink,
    ) -> Result<Rendered, Error> {
        if self.site.bodies.taken {
            return Err(Error::Rendered);
        }
        let mut clock = Clock::start();
        // A build writes each page once: its body's HTML is freed as it is written (and, held
        // compressed, only then made text again), the bodies' text by the search index.
        let (bodies, texts) = if self.site.bodies.free_as_it_goes {
            let (bodies, texts) = self.site.take_bodies();
            (bodies, Some(texts))
        } else {
            (vec![None; self.site.pages.len()], None)
        };
        let renderer = render::Renderer::new(&self.site, theme);
        clock.lap("prepare");

        let site = &self.site;
        let pages = || {
            site.pages
                .par_iter()
                .zip(bodies)
                .filter(|(p, _)| p.published)
                .map(
                    |(p, body)| match renderer.page_with(p.id, body.map(|b| b.into_text())) {
                        Ok(html) => sink
                            .write(&url::output_file(&p.url), html.as_bytes())
                            .map(|()| None),
                        Err(d) => Ok(Some(d)),
                    },
                )
                .collect::<Result<Vec<Option<Diagnostic>>, _>>()
        };
        let index = || {
            let start = std::time::Instant::now();
            let index = site.config.search.then(|| match texts {
                Some(texts) => search::index::build_taking(site, texts),
                None => search::index::build(site),
            });
            (index, start.elapsed())
        };
        // The search index is built beside the pages: both only read the model. A large
        // build whose HTML is held compressed writes its pages first, so that their HTML is
        // gone before the index's postings are made.
        let (rendered, index) = if site.bodies.squeeze_html {
            let rendered = pages();
            (rendered, index())
        } else {
            rayon::join(pages, index)
        };
        let (index, index_took) = index;
        let index_files = index.map_or_else(Vec::new, |i| i.files);
        let rendered = rendered?;
        clock.lap("render+write pages, search index");
        // Its own wall time, though it ran beside the pages, for the benchmarks.
        clock.laps.push(("(of which search index)", index_took));
        for (path, text) in &index_files {
            sink.write(path, text.as_bytes())?;
        }
        // A file removed while the build runs (an editor's save, a checkout) is left out and
        // reported; any other failure to write stops the build.
        let copied: Vec<Option<Diagnostic>> = site
            .assets
            .par_iter()
            .map(|a| match sink.copy(&a.url, &a.source) {
                Ok(()) => Ok(None),
                Err(_) if std::fs::symlink_metadata(&a.source).is_err() => {
                    Ok(Some(Diagnostic::error(
                        Rule::FileInvalid,
                        &a.file,
                        "the file was removed while the site was built; it is not published",
                    )))
                }
                Err(e) => Err(e),
            })
            .collect::<Result<_, _>>()?;
        let mut render_diags: Vec<Diagnostic> = rendered.into_iter().flatten().collect();
        let pages = site.published().count() - render_diags.len();
        let removed = copied.iter().flatten().count();
        render_diags.extend(copied.into_iter().flatten());
        let (written, diagnostics) = self.write_document_files(&renderer, |_| true, sink)?;
        render_diags.extend(diagnostics);
        let written = written + self.write_team_and_theme_files(theme, sink)?;
        let files = pages + site.assets.len() - removed + index_files.len() + written;
        clock.lap("write other files");
        self.timings.extend(clock.laps);
        Ok(Rendered {
            pages,
            files,
            diagnostics: render_diags,
        })
    }
}

impl Handbook {
    /// Puts the new text of an edited document (page `page`'s) in place and renders the pages
    /// that change into `sink`. A body edit goes through [`Site::replace_body`]; a front matter
    /// edit (or a new title from the body) builds the model again from the documents in memory
    /// (under [`Options::keep_inputs`]) and renders the pages that show what changed. The
    /// checks run again either way. `None` when the change needs a full build (and then the
    /// model must not be used any more: rebuild it).
    pub fn update_document(
        &mut self,
        theme: &render::Theme,
        page: site::PageId,
        before: Before,
        sink: &dyn Sink,
    ) -> Result<Option<Update>, Error> {
        let Some(old_doc) = self.site.pages[page].doc.as_ref() else {
            return Ok(None);
        };
        let Some((doc, diags)) = load::read_one(
            &self.root,
            &self.site.config,
            &old_doc.path,
            self.site.unpublished(),
        ) else {
            return Ok(None);
        };
        // Other includes than before may make a page text of this one, or give one back:
        // a full build settles which files are pages.
        let included = |d: &load::Document| -> Vec<PathBuf> {
            d.included.as_ref().map_or_else(Vec::new, |i| {
                i.parts().iter().map(|p| p.file.clone()).collect()
            })
        };
        if included(&doc) != included(old_doc) {
            return Ok(None);
        }
        let file = doc.file.clone();
        // The front matter and its diagnostics as before: a body edit, unless the title came
        // from the body's first heading and changed.
        let found: Vec<&Diagnostic> = (self.load_diagnostics.iter())
            .filter(|d| d.file == file)
            .collect();
        let same_front = doc.text[..doc.body_offset] == old_doc.text[..old_doc.body_offset]
            && found.len() == diags.len()
            && found.iter().zip(&diags).all(|(a, b)| *a == b);
        if same_front {
            if let Some(changed) = self.site.replace_body(page, doc.clone()) {
                let known = |id| self.unchanged(id, &changed, before);
                (self.diagnostics, self.silenced) = self.checked(theme, &known);
                let renderer = render::Renderer::new(&self.site, theme);
                if !self.render_pages(&renderer, &changed, sink)? {
                    return Ok(None);
                }
                return Ok(Some(Update {
                    pages: changed,
                    removed: Vec::new(),
                }));
            }
        }
        self.update_front(theme, page, doc, diags, before, sink)
    }

    /// [`Handbook::update_document`] for an edit a body edit cannot take in place.
    fn update_front(
        &mut self,
        theme: &render::Theme,
        page: site::PageId,
        doc: load::Document,
        diags: Vec<Diagnostic>,
        before: Before,
        sink: &dyn Sink,
    ) -> Result<Option<Update>, Error> {
        let read = Read {
            files: vec![doc.file.clone()],
            diagnostics: diags,
        };
        let change = site::Change {
            replaced: vec![(page, doc)],
            ..site::Change::default()
        };
        self.update_model(theme, change, read, before, sink)
    }

    /// Takes files added to the content folder or removed from it into account in place
    /// (`serve`), with the documents among `changed` (root-relative paths, as the watcher saw
    /// them) that were edited: the model built again from the documents in memory and the
    /// files read, then the pages that show what changed rendered. `None` when a full build
    /// is needed: a file other than a document (an image, a partial), a symlink, many files at
    /// once, a page that includes files (which files there are decides what it includes). The
    /// model must not be used any more then.
    pub fn update_files(
        &mut self,
        theme: &render::Theme,
        changed: &[PathBuf],
        before: Before,
        sink: &dyn Sink,
    ) -> Result<Option<Update>, Error> {
        /// More files than this at once (a branch checked out) are a full build's work.
        const MOST: usize = 64;
        let Some(inputs) = &self.inputs else {
            return Ok(None);
        };
        let config = &self.site.config;
        let exclude: Vec<PathBuf> = self.output_dir.canonicalize().into_iter().collect();
        let Ok(walked) = load::walk_again(&self.root, config, &exclude) else {
            return Ok(None);
        };
        let old = &inputs.walked;
        if walked.assets != old.assets || walked.problems != old.problems {
            return Ok(None);
        }
        let (was, now): (HashSet<&str>, HashSet<&str>) = (
            old.markdown.iter().map(String::as_str).collect(),
            walked.markdown.iter().map(String::as_str).collect(),
        );
        let added: Vec<&str> = (walked.markdown.iter())
            .map(String::as_str)
            .filter(|p| !was.contains(p))
            .collect();
        let gone: Vec<&str> = (old.markdown.iter())
            .map(String::as_str)
            .filter(|p| !now.contains(p))
            .collect();
        if added.len() + gone.len() > MOST {
            return Ok(None);
        }
        let site = &self.site;
        // Where files are looked for (an include, a Hugo `ref`), a file added or removed may
        // change what a page includes or links to, which files are pages and which partials
        // are published: a full build settles that.
        let may_include = |d: &load::Document| load::include::may_include(d.body_as_written());
        let includes = (site.pages.par_iter()).any(|p| p.doc.as_ref().is_some_and(may_include));
        if includes {
            return Ok(None);
        }
        let by_file = site.pages_by_file();
        let content = |path: &str| PathBuf::from(display_path(&config.content_dir.join(path)));
        let summary = |path: &str| path.eq_ignore_ascii_case("SUMMARY.md");
        // A file gone must have been a page of its own (not a partial), not the `SUMMARY.md`
        // that orders the navigation.
        let mut removed = Vec::new();
        for path in &gone {
            match by_file.get(content(path).as_path()).map(Vec::as_slice) {
                Some(&[id]) if !summary(path) => removed.push(id),
                _ => return Ok(None),
            }
        }
        // Each document read (added or edited), with its diagnostics; `None` when it is not a
        // plain file any more or now includes files.
        let mut read = Read::default();
        let mut read_doc = |path: &str| {
            let unpublished = site.unpublished();
            let (doc, diags) = load::read_one(&self.root, config, path, unpublished)?;
            if may_include(&doc) {
                return None;
            }
            read.files.push(doc.file.clone());
            read.diagnostics.extend(diags);
            Some(doc)
        };
        // A file added must be a page of its own: not a partial, nor the `SUMMARY.md` that
        // orders the navigation.
        let mut new_docs = Vec::new();
        for path in &added {
            if load::is_partial(path, config) || summary(path) {
                return Ok(None);
            }
            let Some(doc) = read_doc(path) else {
                return Ok(None);
            };
            new_docs.push(doc);
        }
        // The other paths: documents edited, or the folders of the files added or removed.
        let mut edited: Vec<site::PageId> = Vec::new();
        let moved: Vec<PathBuf> = added.iter().chain(&gone).map(|p| content(p)).collect();
        for path in changed {
            if moved.contains(path) {
                continue;
            }
            match by_file.get(path.as_path()) {
                Some(ids) => edited.extend(ids),
                // A folder made or removed with them, or an empty one. (A folder that holds
                // files, moved in, may hold other versions of the files it replaces.)
                None if moved.iter().any(|m| m.starts_with(path)) => {}
                None if is_empty_dir(&self.root.join(path)) => {}
                None => return Ok(None),
            }
        }
        edited.sort_unstable();
        edited.dedup();
        edited.retain(|id| !removed.contains(id));
        let mut replaced = Vec::new();
        for &id in &edited {
            let path = site.pages[id].doc.as_ref().map(|d| d.path.as_str());
            let Some(doc) = path.and_then(&mut read_doc) else {
                return Ok(None);
            };
            replaced.push((id, doc));
        }
        read.files.extend(gone.iter().map(|p| content(p)));
        let change = site::Change {
            replaced,
            added: new_docs,
            removed,
        };
        let update = self.update_model(theme, change, read, before, sink)?;
        if let (Some(_), Some(inputs)) = (&update, &mut self.inputs) {
            inputs.walked = walked;
        }
        Ok(update)
    }

    /// Builds the model again with `change` made to the documents ([`Site::rebuild`]), the
    /// diagnostics of reading `read.files` replaced by `read.diagnostics`, then renders the
    /// pages [`render::affected`] names and runs the checks again.
    fn update_model(
        &mut self,
        theme: &render::Theme,
        change: site::Change,
        read: Read,
        before: Before,
        sink: &dyn Sink,
    ) -> Result<Option<Update>, Error> {
        let Some(inputs) = &mut self.inputs else {
            return Ok(None);
        };
        (inputs.read_diagnostics).retain(|d| !read.files.contains(&d.file));
        inputs.read_diagnostics.extend(read.diagnostics);
        let faces: Vec<(site::PageId, render::Face)> = (change.replaced.iter())
            .map(|&(id, _)| (id, render::Face::of(&self.site, id)))
            .collect();
        let removed = change.removed.clone();
        let Some(rebuilt) = self.site.rebuild(change, &mut inputs.site) else {
            return Ok(None);
        };
        let mut load_diagnostics = inputs.read_diagnostics.clone();
        load_diagnostics.extend(rebuilt.diagnostics);
        self.load_diagnostics = load_diagnostics;
        let old = std::mem::replace(&mut self.site, rebuilt.site);
        // The changes nobody reviewed, for the changed documents' review windows (one git
        // process, when they have any); the others' were carried over.
        let windows = self.site.review_windows();
        let mut at = 0;
        let (mut pages, mut wanted) = (Vec::new(), Vec::new());
        for &(id, count) in &windows.pages {
            if rebuilt.changed.binary_search(&id).is_ok() {
                pages.push((id, count));
                wanted.extend_from_slice(&windows.wanted[at..at + count]);
            }
            at += count;
        }
        if !pages.is_empty() {
            let count = wanted.len();
            let texts = ReviewedVersions::start(&self.root, wanted).collect(count);
            self.site.mark_unreviewed_changes(&pages, texts);
        }
        let changes = render::Changes {
            map: &rebuilt.map,
            changed: &rebuilt.changed,
            faces: &faces,
            removed: &removed,
            rendered: &rebuilt.rendered,
        };
        let pages = render::affected(&old, &self.site, &changes);
        // The checks beside the pages: both only read the model.
        let (checked, rendered) = rayon::join(
            || self.checked(theme, &|id| self.unchanged(id, &pages, before)),
            || -> Result<bool, Error> {
                let renderer = render::Renderer::new(&self.site, theme);
                if !self.render_pages(&renderer, &pages, sink)? {
                    return Ok(false);
                }
                // The redirects to the pages rendered again (they show the title), and their
                // review events; the changed documents' too when they have no page of their
                // own (one lost a URL clash: unpublished, yet in force and in the calendar).
                let again = |p| {
                    rebuilt.changed.binary_search(&p).is_ok() || pages.binary_search(&p).is_ok()
                };
                Ok((self.write_document_files(&renderer, again, sink)?.1).is_empty())
            },
        );
        (self.diagnostics, self.silenced) = checked;
        if !rendered? {
            return Ok(None);
        }
        let kept: std::collections::HashSet<&str> =
            self.site.published().map(|p| p.url.as_str()).collect();
        let mut removed: Vec<String> = (old.published())
            .filter(|p| !kept.contains(p.url.as_str()))
            .map(|p| url::output_file(&p.url))
            .collect();
        // The sidebar scripts of sections gone (or no longer with pages of their own).
        let scripts: HashSet<String> = render::nav_files(&self.site).into_iter().collect();
        removed.extend(
            render::nav_files(&old)
                .into_iter()
                .filter(|f| !scripts.contains(f)),
        );
        // Freeing the old model (10,000 pages) is not for the reader to wait on.
        std::thread::spawn(move || {
            drop(old);
            serve::hand_back_freed_memory();
        });
        Ok(Some(Update { pages, removed }))
    }

    /// Writes the files beside the pages that show documents: the redirects of aliases (of
    /// the pages `again` takes: those rendered again), 404.html (the sidebar's top), every
    /// section's sidebar script, the review calendar (under serve, the events of the others
    /// kept from the last build), the sitemap. Returns how many, and the diagnostics of those the theme failed on.
    fn write_document_files(
        &self,
        renderer: &render::Renderer,
        again: impl Fn(site::PageId) -> bool + Sync,
        sink: &dyn Sink,
    ) -> Result<(usize, Vec<Diagnostic>), Error> {
        let site = &self.site;
        let mut files = 0;
        let mut diagnostics = Vec::new();
        for alias in site.aliases.iter().filter(|a| again(a.page)) {
            match renderer.redirect(&alias.file, alias.page) {
                Ok(html) => {
                    sink.write(&alias.file, html.as_bytes())?;
                    files += 1;
                }
                Err(d) => diagnostics.push(d),
            }
        }
        match renderer.not_found() {
            Ok(html) => {
                sink.write("404.html", html.as_bytes())?;
                files += 1;
            }
            Err(d) => diagnostics.push(d),
        }
        // Each section's sidebar (titles, statuses and order of the pages it lists).
        for (path, script) in renderer.nav_scripts() {
            sink.write(&path, script.as_bytes())?;
            files += 1;
        }
        // The review calendar owners subscribe to; the home page links to it. Under serve,
        // only the events of the pages rendered again are made again.
        let calendar = match &self.inputs {
            Some(inputs) => {
                let mut known = (inputs.review_events.lock()).unwrap_or_else(|e| e.into_inner());
                let (ics, events) = report::digest::calendar_with(site, &known, &again);
                *known = events;
                ics
            }
            None => report::digest::calendar(site),
        };
        sink.write("reviews.ics", calendar.as_bytes())?;
        files += 1;
        if let Some(xml) = renderer.sitemap() {
            sink.write("sitemap.xml", xml.as_bytes())?;
            files += 1;
        }
        Ok((files, diagnostics))
    }

    /// Writes the files made from the team data and the theme alone (an edit of a document
    /// leaves them as they are): the on-call calendars, the theme's assets. Returns how many.
    fn write_team_and_theme_files(
        &self,
        theme: &render::Theme,
        sink: &dyn Sink,
    ) -> Result<usize, Error> {
        let site = &self.site;
        let mut files = 0;
        // Each rotation's shifts, for the calendars of those on call.
        // (Of ids that slug alike, the first's: the others are reported and have no page.)
        let mut written = std::collections::HashSet::new();
        for (i, r) in site.team.rotations.iter().enumerate() {
            let file = render::oncall_calendar_file(&r.id);
            if written.insert(file.clone()) {
                let ics = report::digest::oncall_calendar(site, i);
                sink.write(&file, ics.as_bytes())?;
                files += 1;
            }
        }
        for (name, bytes) in &theme.assets {
            sink.write(&format!("assets/{name}"), bytes)?;
            files += 1;
        }
        Ok(files)
    }

    /// Page `id`'s HTML from the last build, unless it is among `changed` (sorted).
    fn unchanged(
        &self,
        id: site::PageId,
        changed: &[site::PageId],
        before: Before,
    ) -> Option<Vec<u8>> {
        if changed.binary_search(&id).is_ok() {
            return None;
        }
        before(&url::output_file(&self.site.pages[id].url))
    }

    /// The checks run again over the model as it is now, with the diagnostics of loading:
    /// every diagnostic, and how many findings `handbook-ignore` comments silenced.
    fn checked(&self, theme: &render::Theme, before: render::Rendered) -> (Vec<Diagnostic>, usize) {
        let mut diagnostics = self.load_diagnostics.clone();
        diagnostics.extend(run_checks(&self.site, || theme, before));
        let applied = check::ignore::apply(&self.site, diagnostics, self.obey_ignores);
        (settle(&self.site, applied.diagnostics), applied.silenced)
    }

    /// Renders `pages` into `sink`; `false` when the theme fails on one (a full build leaves
    /// such a page out and reports it).
    fn render_pages(
        &self,
        renderer: &render::Renderer,
        pages: &[site::PageId],
        sink: &dyn Sink,
    ) -> Result<bool, Error> {
        let rendered: Vec<Option<(String, String)>> = (pages.par_iter())
            .filter(|&&id| self.site.pages[id].published)
            .map(|&id| {
                let p = &self.site.pages[id];
                Some((url::output_file(&p.url), renderer.page(id).ok()?))
            })
            .collect();
        for page in rendered {
            let Some((file, html)) = page else {
                return Ok(false);
            };
            sink.write(&file, html.as_bytes())?;
        }
        Ok(true)
    }

    /// Under `--strict`, any error stops the build before anything is published.
    fn refuse_if_strict(&self) -> Result<(), Error> {
        let errors = self.errors();
        if self.strict && errors > 0 {
            return Err(Error::Refused { errors });
        }
        Ok(())
    }

    /// How many documents were read and checked (drafts included).
    pub fn documents(&self) -> usize {
        self.site.pages.iter().filter(|p| p.doc.is_some()).count()
    }
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// Every rule over the site. Fragments that the Markdown of their page does not make are
/// settled against the page as the theme renders it (`theme` is asked for only when there are
/// any, so that a caller without a theme at hand makes one only then): `check` reports exactly
/// the fragments broken in the built site.
fn run_checks<'t>(
    site: &Site,
    theme: impl FnOnce() -> &'t render::Theme,
    before: render::Rendered,
) -> Vec<Diagnostic> {
    let checked = check::run(site);
    let mut diagnostics = checked.diagnostics;
    let pending = checked.pending_anchors;
    if !pending.is_empty() {
        diagnostics.extend(render::settle_anchors(site, theme(), pending, before));
    }
    diagnostics
}

/// Refuses an output folder from handbook.yaml that leads out of the root through a symlink
/// (`output: site/public` where `site` links to `/etc`): the configuration only says it is a
/// relative path without `..`.
fn refuse_output_outside(root: &Path, out: &Path) -> Result<(), Error> {
    // The output itself may be a symlink; `check_output_dir` refuses that with its own words.
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    let inside =
        root::Root::new(root).is_ok_and(|root| root.contains(parent.unwrap_or(Path::new("."))));
    if inside {
        return Ok(());
    }
    Err(Error::Output(OutputError::Refused {
        path: out.to_path_buf(),
        why: "`output` in handbook.yaml leads outside the handbook root through a symlink; pass --out to choose a folder elsewhere".into(),
    }))
}

/// Splits wall time into named phases.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.laps.push((phase, now - self.last));
        self.last = now;
    }
}

/// Diagnostics as [`Handbook::diagnostics`] holds them: handbook.yaml's `rules:` applied (see
/// [`check::configure`]), then in the one order every command and format lists them.
fn settle(site: &Site, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut diags = check::configure(site, diags);
    sort_diagnostics(&mut diags);
    dedup_diagnostics(diags)
}

/// `diags` (sorted) without repeats: a file included by several pages is checked with each,
/// and its findings are said once.
fn dedup_diagnostics(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    // Where the run of findings at the same place and rule starts: repeats are in it.
    let mut run = 0;
    let key = |d: &Diagnostic| (d.line, d.column, d.rule);
    for d in diags {
        if out
            .last()
            .is_none_or(|last| key(last) != key(&d) || last.file != d.file)
        {
            run = out.len();
        }
        if !out[run..].contains(&d) {
            out.push(d);
        }
    }
    out
}

/// By file, line, column, then rule.
fn sort_diagnostics(diags: &mut [Diagnostic]) {
    // Paths compare component by component, slowly (a 10,000-page handbook may have as many
    // findings): each file's text is read once into a key that sorts the same way, its
    // separators lowest.
    diags.sort_by_cached_key(|d| {
        let file: Vec<u8> = (d.file.as_os_str().as_encoded_bytes().iter())
            .map(|&b| if b == b'/' { 0 } else { b })
            .collect();
        (file, d.line, d.column, d.rule)
    });
}
