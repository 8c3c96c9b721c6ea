//! Sites built in memory for the model's unit tests: documents from their text, assets by
//! path, no disk, no git and no team data.

use std::path::PathBuf;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::history::History;
use crate::load::{Asset, Document, Loaded};
use crate::markdown::LinkResolver;
use crate::team::TeamData;

use super::links::PageResolver;
use super::model::{LinkTarget, Page, Site, SiteOptions};

/// The files the build writes itself, as [`crate::render::generated_files`] names them.
pub(super) const SITE_FILES: [&str; 3] = ["404.html", "reviews.ics", "assets/style.css"];

/// Builds a site from `docs` (content-relative path, whole text, in path order as the loader
/// gives them) and the content-relative paths of `assets`, with the default configuration.
pub(super) fn build(docs: &[(&str, &str)], assets: &[&str]) -> (Site, Vec<Diagnostic>) {
    build_with(Config::default(), false, docs, assets)
}

/// [`build`] with a configuration, and drafts published or not.
pub(super) fn build_with(
    config: Config,
    drafts: bool,
    docs: &[(&str, &str)],
    assets: &[&str],
) -> (Site, Vec<Diagnostic>) {
    let documents = docs
        .iter()
        .map(|(path, text)| Document::from_text(path, text, &config))
        .collect();
    let assets = assets
        .iter()
        .map(|path| Asset {
            path: path.to_string(),
            source: PathBuf::from(path),
            file: config.content_dir.join(path),
        })
        .collect();
    let loaded = Loaded {
        documents,
        assets,
        ..Loaded::default()
    };
    let options = SiteOptions {
        as_of: "2026-01-15".parse().unwrap(),
        drafts,
    };
    let site_files = SITE_FILES.iter().map(|f| f.to_string()).collect();
    Site::build(
        config,
        loaded,
        TeamData::default(),
        History::default(),
        options,
        site_files,
    )
}

/// [`build`] without assets, for a site that must build cleanly.
pub(super) fn site(docs: &[(&str, &str)]) -> Site {
    let (site, diags) = build(docs, &[]);
    assert!(diags.is_empty(), "{diags:?}");
    site
}

/// The page made from the document at content-relative `path`, or the section page of folder
/// `path` when it ends with `/`.
pub(super) fn page<'s>(site: &'s Site, path: &str) -> &'s Page {
    let found = match path.strip_suffix('/') {
        Some(dir) => site
            .pages
            .iter()
            .find(|p| p.section_dir.as_deref() == Some(dir)),
        None => site
            .pages
            .iter()
            .find(|p| p.doc.as_ref().is_some_and(|d| d.path == path)),
    };
    found.unwrap_or_else(|| panic!("no page for `{path}`"))
}

/// What `href`, written in the document at `from`, resolves to: its href in the site, and
/// its target.
pub(super) fn resolve(site: &Site, from: &str, href: &str) -> (Option<String>, LinkTarget) {
    let resolver = PageResolver {
        site,
        page: page(site, from).id,
        hrefs: true,
    };
    resolver.resolve(href)
}

/// The published page at site `url` (a generated one, say).
pub(super) fn page_at<'s>(site: &'s Site, url: &str) -> &'s Page {
    site.published()
        .find(|p| p.url == url)
        .unwrap_or_else(|| panic!("no page at `{url}`"))
}
