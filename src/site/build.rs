//! Building the model from the loaded documents: which document is each folder's page, the
//! pages, parents and children, unique URLs, assets and aliases.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{display_path, Diagnostic, Pos};
use crate::history::History;
use crate::load::tech_docs::{self, Redirect};
use crate::load::{Asset, Document, Loaded};
use crate::markdown;
use crate::model::{Kind, Status};
use crate::rules::Rule;
use crate::team::TeamData;

use super::generated;
use super::model::{
    parent_dir, source_file, source_name, Alias, Bodies, Generated, Page, PageId, Registry, Site,
    SiteAsset, SiteOptions, HOME,
};
use super::outputs;
use super::review::Review;
use super::unreviewed::revisions_of;
use super::url::{self, LinkKind};

/// Names that make a file its folder's page, best first.
const INDEX_STEMS: [&str; 3] = ["_index", "index", "readme"];

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
            nav,
            redirects,
            categories,
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
        // Room for every page the site can have, the generated ones included, so that the
        // pages (over a kilobyte each) are not moved to a larger block, and its memory touched
        // again, halfway through: one per person, team, role and rotation, at most one per tag
        // written, one per kind and the lists above them. Room not used is never touched.
        let tags_written: usize = (docs.iter().flatten()).map(|d| d.front.tags.len()).sum();
        let people = team.people.len() + team.teams.len() + team.roles.len() + team.rotations.len();
        let generated = people + tags_written + Kind::ALL.len() + 8;
        let mut pages: Vec<Page> = Vec::with_capacity(docs.len() + section_dirs.len() + generated);
        let mut section_page: HashMap<String, PageId> = HashMap::new();
        for dir in section_dirs {
            let doc = index_of
                .get(dir.as_str())
                .and_then(|&(_, i)| docs[i].take());
            let id = pages.len();
            section_page.insert(dir.clone(), id);
            // Docusaurus' `_category_.json` labels and places a folder without a page.
            let category = categories.get(dir.as_str());
            let title = page_title(doc.as_ref(), || {
                (category.and_then(|c| c.label.clone()))
                    .filter(|l| !l.trim().is_empty())
                    .unwrap_or_else(|| folder_title(dir, &config))
            });
            pages.push(Page {
                review: doc
                    .as_ref()
                    .map(|d| Review::of(&d.front, &config, options.as_of)),
                section_dir: Some(dir.clone()),
                folder_order: category.and_then(|c| c.position),
                ..Page::new(id, url::dir_url(dir), title, doc)
            });
        }
        // Each document's URL, title and review dates depend on it alone: worked out in parallel
        // (each folder's URL once, not once for each document in it).
        let dir_urls: HashMap<&str, String> = (dirs.iter())
            .map(|d| (d.as_str(), url::dir_url(d)))
            .collect();
        let facts: Vec<Option<(String, String, Review)>> = docs
            .par_iter()
            .map(|doc| {
                let doc = doc.as_ref()?;
                let stem = doc.stem(&config);
                let slug = doc.front.slug.as_ref().map(|s| s.value.as_str());
                Some((
                    match dir_urls.get(parent_dir(&doc.path)) {
                        Some(dir) => url::page_url_under(dir, stem, slug),
                        None => url::page_url(parent_dir(&doc.path), stem, slug),
                    },
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
                published: published(&doc),
                review: Some(review),
                ..Page::new(id, url, title, Some(doc))
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
        let mut aliases = aliases(&pages, &redirects, &mut outputs, &mut diags);
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

        let config_search = config.search;
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
            reading: std::sync::OnceLock::new(),
            oncall: std::sync::OnceLock::new(),
            unpublished,
            generated_files: Vec::new(),
            bodies: Bodies::kept(config_search),
        };
        site.index_links();
        site.add_generated_files(site_files);
        site.sort_children(&nav);
        site.order_for_reading();
        (site, diags)
    }
}

pub(super) fn page_title(doc: Option<&Document>, fallback: impl FnOnce() -> String) -> String {
    doc.and_then(|d| {
        d.front
            .title
            .clone()
            .or_else(|| markdown::first_h1(d.body()))
    })
    .unwrap_or_else(fallback)
}

pub(super) fn folder_title(dir: &str, config: &Config) -> String {
    if dir.is_empty() {
        config.title.clone()
    } else {
        prettify(dir.rsplit('/').next().unwrap_or(dir))
    }
}

/// `security-patching` -> `Security patching`.
pub(super) fn prettify(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
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
            Some(Generated::Rotation(i)) => Some(&team.rotations[i].source),
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
            outputs::Moved::Alias { file, source, pos } => {
                Diagnostic::error(
                    Rule::IdDuplicate,
                    source,
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

/// The aliases of the pages: each page's own (`aliases:` in its front matter), then tech-docs'
/// `redirects:`, each for the page its target names.
fn aliases(
    pages: &[Page],
    redirects: &[Redirect],
    outputs: &mut HashMap<String, PageId>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Alias> {
    let mut out = Vec::new();
    for page in pages.iter().filter(|p| p.published) {
        let Some(doc) = &page.doc else { continue };
        for alias in &doc.front.aliases {
            let named = Named {
                source: &doc.file,
                pos: alias.pos,
                rule: Rule::FrontMatterInvalid,
            };
            out.extend(alias_file(
                pages,
                page.id,
                &alias.value,
                &named,
                outputs,
                diags,
            ));
        }
    }
    if redirects.is_empty() {
        return out;
    }
    let by_url: HashMap<&str, PageId> = (pages.iter())
        .filter(|p| p.published)
        .map(|p| (p.url.as_str(), p.id))
        .collect();
    let source = Path::new(tech_docs::CONFIG);
    for r in redirects {
        let named = Named {
            source,
            pos: r.pos,
            rule: Rule::LinkBroken,
        };
        let target = match url::classify_link(&r.to, "") {
            LinkKind::Internal { path, .. } => {
                let path = path.strip_suffix(".html").unwrap_or(&path);
                let path = path.strip_suffix("index").unwrap_or(path);
                by_url.get(url::dir_url(path).as_str()).copied()
            }
            // A redirect out of the site is tech-docs' business: nothing of ours to check.
            LinkKind::External => continue,
            _ => None,
        };
        let Some(page) = target else {
            diags.push(
                Diagnostic::error(
                    Rule::LinkBroken,
                    source,
                    format!(
                        "the redirect from `{}` leads to `{}`, which is no page of the handbook",
                        r.from, r.to
                    ),
                )
                .at(r.pos)
                .with_help(
                    "point it at a page's path, as the site shows it (`/documentation/x.html`)",
                ),
            );
            continue;
        };
        out.extend(alias_file(pages, page, &r.from, &named, outputs, diags));
    }
    out
}

/// Where an alias is named, and the rule its mistakes come under.
struct Named<'a> {
    source: &'a Path,
    pos: Pos,
    rule: Rule,
}

/// The alias `value` of `page`, the file it writes claimed in `outputs`; `None` (with a
/// diagnostic) when it cannot be had.
fn alias_file(
    pages: &[Page],
    page: PageId,
    value: &str,
    named: &Named,
    outputs: &mut HashMap<String, PageId>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Alias> {
    let bad = |msg: String| Diagnostic::error(named.rule, named.source, msg).at(named.pos);
    let path = match url::classify_link(value, "") {
        LinkKind::Internal {
            path,
            fragment: None,
        } => path,
        LinkKind::Invalid(why) => {
            diags.push(bad(format!("alias `{value}`: {why}")));
            return None;
        }
        _ => {
            diags.push(bad(format!(
                "alias `{value}` must be a path inside the site, like `/old/path/`"
            )));
            return None;
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
    if file == "index.html" && page != HOME {
        diags.push(bad(format!("alias `{value}` would replace the home page")));
        return None;
    }
    if let Some(&other) = outputs.get(&file) {
        // An alias of its own URL (a permalink that says where the page is anyway).
        if other != page {
            diags.push(bad(format!(
                "alias `{value}` clashes with the page made from `{}`",
                source_name(&pages[other])
            )));
        }
        return None;
    }
    outputs.insert(file.clone(), page);
    Some(Alias {
        file,
        page,
        source: named.source.to_path_buf(),
        pos: named.pos,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{build, build_with, page, page_at, site};

    #[test]
    fn folders_make_sections_and_pages_hang_from_them() {
        let site = site(&[
            ("_index.md", "# Home\n"),
            ("about.md", "# About\n"),
            ("guide/_index.md", "---\ntitle: The guide\n---\nText\n"),
            ("guide/deep/x.md", "# X\n"),
            ("guide/setup.md", "# Setup\n"),
        ]);
        let home = page(&site, "_index.md");
        assert_eq!((home.id, home.url.as_str(), home.parent), (HOME, "", None));
        assert_eq!(home.title, "Home");
        let guide = page(&site, "guide/");
        assert_eq!(guide.doc.as_ref().unwrap().path, "guide/_index.md");
        assert_eq!(
            (guide.url.as_str(), guide.title.as_str()),
            ("guide/", "The guide")
        );
        assert_eq!(guide.parent, Some(HOME));
        // A folder without an index gets a page of its own, titled after the folder.
        let deep = page(&site, "guide/deep/");
        assert!(deep.doc.is_none());
        assert_eq!(
            (deep.url.as_str(), deep.title.as_str()),
            ("guide/deep/", "Deep")
        );
        assert_eq!(deep.parent, Some(guide.id));
        let x = page(&site, "guide/deep/x.md");
        assert_eq!((x.url.as_str(), x.parent), ("guide/deep/x/", Some(deep.id)));
        let setup = page(&site, "guide/setup.md");
        assert_eq!(
            (setup.url.as_str(), setup.parent),
            ("guide/setup/", Some(guide.id))
        );

        // The generated index of documents by kind comes after the content.
        let about = page(&site, "about.md").id;
        let documents = page_at(&site, "documents/").id;
        assert_eq!(site.pages[HOME].children, [about, guide.id, documents]);
        assert_eq!(guide.children, [deep.id, setup.id]);
        assert_eq!(deep.children, [x.id]);
        assert_eq!(site.ancestors(x.id), [HOME, guide.id, deep.id]);
        assert!(site.pages.iter().all(|p| p.published));
    }

    #[test]
    fn a_file_beside_a_folder_without_index_is_its_page() {
        let site = site(&[
            ("ops.md", "# Operations\n"),
            ("ops/runbook.md", "# Runbook\n"),
        ]);
        // No index at the top: the home page is generated, titled after the handbook.
        assert!(site.pages[HOME].doc.is_none());
        assert_eq!(site.pages[HOME].title, "Handbook");
        let ops = page(&site, "ops/");
        assert_eq!(ops.doc.as_ref().unwrap().path, "ops.md");
        assert_eq!(
            (ops.url.as_str(), ops.title.as_str()),
            ("ops/", "Operations")
        );
        let runbook = page(&site, "ops/runbook.md");
        assert_eq!(
            (runbook.url.as_str(), runbook.parent),
            ("ops/runbook/", Some(ops.id))
        );
        assert_eq!(ops.children, [runbook.id]);
    }

    #[test]
    fn index_names_rank_underscore_index_then_index_then_readme() {
        let site = site(&[
            ("guide/README.md", "# Read me\n"),
            ("guide/_index.md", "# Guide\n"),
            ("guide/index.md", "# Index\n"),
            ("team/README.md", "# Team\n"),
            ("team/index.md", "# Team index\n"),
        ]);
        let guide = page(&site, "guide/");
        assert_eq!(guide.doc.as_ref().unwrap().path, "guide/_index.md");
        // The losers are plain pages of the section.
        let readme = page(&site, "guide/README.md");
        assert_eq!(
            (readme.url.as_str(), readme.parent),
            ("guide/readme/", Some(guide.id))
        );
        assert_eq!(page(&site, "guide/index.md").url, "guide/index/");
        assert_eq!(
            page(&site, "team/").doc.as_ref().unwrap().path,
            "team/index.md"
        );
    }

    #[test]
    fn a_second_page_at_a_url_is_left_out_with_an_error() {
        let (site, diags) = build(
            &[
                ("a.md", "---\nslug: b\n---\n# A\n"),
                ("b.md", "# B\n"),
                ("c.md", "# C\n"),
            ],
            &[],
        );
        let (a, b) = (page(&site, "a.md"), page(&site, "b.md"));
        assert_eq!((a.url.as_str(), a.published), ("b/", true));
        assert_eq!((b.url.as_str(), b.published, b.parent), ("b/", false, None));
        let c = page(&site, "c.md").id;
        let documents = page_at(&site, "documents/").id;
        assert_eq!(site.pages[HOME].children, [a.id, c, documents]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].rule, Rule::IdDuplicate);
        assert_eq!(diags[0].file, Path::new("content/b.md"));
        assert_eq!(
            diags[0].message,
            "`b.md` and `a.md` both make the page `/b/`; this one is left out"
        );
    }

    #[test]
    fn drafts_stay_in_the_model_unpublished_unless_asked_for() {
        let docs = [
            ("a.md", "# A\n"),
            ("wip/plan.md", "---\nstatus: draft\n---\n# Plan\n"),
        ];
        let (site, diags) = build(&docs, &[]);
        assert!(diags.is_empty(), "{diags:?}");
        let plan = page(&site, "wip/plan.md");
        assert_eq!((plan.published, plan.parent), (false, None));
        // A folder of drafts only is no section.
        assert!(site
            .pages
            .iter()
            .all(|p| p.section_dir.as_deref() != Some("wip")));
        assert!(!site.reading_order.contains(&plan.id));
        assert_eq!(site.reading_order[..2], [HOME, page(&site, "a.md").id]);

        let (site, _) = build_with(Config::default(), true, &docs, &[]);
        let plan = page(&site, "wip/plan.md");
        assert!(plan.published);
        assert_eq!(plan.parent, Some(page(&site, "wip/").id));
    }

    #[test]
    fn an_asset_at_a_pages_file_is_not_copied() {
        let (site, diags) = build(
            &[("guide/_index.md", "# Guide\n")],
            &["guide/index.html", "guide/img/a.png"],
        );
        assert_eq!(site.assets.len(), 1);
        assert_eq!(site.assets[0].url, "guide/img/a.png");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].rule, Rule::IdDuplicate);
        assert_eq!(diags[0].file, Path::new("content/guide/index.html"));
        assert!(diags[0].message.contains("made from `guide/_index.md`"));
    }

    #[test]
    fn aliases_become_files_unless_they_clash() {
        let (site, diags) = build(
            &[
                (
                    "a.md",
                    "---\naliases:\n  - /old/a/\n  - /b/\n  - legacy/a.html\n  - /a/\n---\n# A\n",
                ),
                ("b.md", "# B\n"),
            ],
            &[],
        );
        let a = page(&site, "a.md").id;
        let files: Vec<(&str, PageId)> = site
            .aliases
            .iter()
            .map(|al| (al.file.as_str(), al.page))
            .collect();
        // `/a/` is the page's own URL: nothing to add, nothing to report.
        assert_eq!(files, [("old/a/index.html", a), ("legacy/a.html", a)]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].rule, Rule::FrontMatterInvalid);
        assert_eq!(
            diags[0].message,
            "alias `/b/` clashes with the page made from `b.md`"
        );
    }

    #[test]
    fn titles_fall_back_from_front_matter_to_heading_to_file_name() {
        let site = site(&[
            ("a.md", "---\ntitle: Front\n---\n# Heading\n"),
            ("b.md", "# Heading\n"),
            ("security-patching.md", "No heading.\n"),
        ]);
        assert_eq!(page(&site, "a.md").title, "Front");
        assert_eq!(page(&site, "b.md").title, "Heading");
        assert_eq!(
            page(&site, "security-patching.md").title,
            "Security patching"
        );
        assert_eq!(prettify("on_call-rota"), "On call rota");
        assert_eq!(prettify("-"), "-");
    }
}
