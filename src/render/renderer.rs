//! The renderer of one site with one theme, and what it works out once for every page: the
//! site-wide context, each page's escaped URL and title, the pages under each page.

use serde::Serialize;

use crate::dates::Day;
use crate::site::{url, Site};

use super::escape::escape_attr;
use super::theme::Theme;

#[derive(Serialize)]
pub(super) struct SiteCtx<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) language: &'a str,
    pub(super) as_of: Day,
    pub(super) base_url: Option<String>,
    pub(super) search: bool,
    /// The repository's web page: commits link to `{repo_url}/commit/{hash}`.
    pub(super) repo_url: Option<&'a str>,
}

/// Renders pages of one site with one theme.
pub struct Renderer<'s> {
    pub(super) site: &'s Site,
    pub(super) theme: &'s Theme,
    pub(super) site_ctx: SiteCtx<'s>,
    /// Published pages under each page (itself excluded), for the home page's section cards.
    pub(super) subtree_pages: Vec<usize>,
    /// Each page's URL percent-encoded and HTML-escaped, and its title HTML-escaped: worked out
    /// once, not for each of the fifty sidebar links of every page.
    pub(super) url_html: Vec<String>,
    pub(super) title_html: Vec<String>,
}

impl<'s> Renderer<'s> {
    pub fn new(site: &'s Site, theme: &'s Theme) -> Self {
        let config = &site.config;
        let mut subtree_pages = vec![0usize; site.pages.len()];
        for &id in site.reading_order.iter().rev() {
            let own: usize = site.pages[id]
                .children
                .iter()
                .map(|&c| subtree_pages[c] + 1)
                .sum();
            subtree_pages[id] = own;
        }
        Renderer {
            site,
            theme,
            site_ctx: SiteCtx {
                title: &config.title,
                description: config.description.as_deref(),
                language: "en",
                as_of: site.options.as_of,
                base_url: config
                    .base_url
                    .as_ref()
                    .map(|b| b.origin.clone().unwrap_or_default() + &b.path),
                search: config.search,
                repo_url: config.repo_url.as_deref(),
            },
            subtree_pages,
            url_html: site
                .pages
                .iter()
                .map(|p| escape_attr(&url::encode_path(&p.url)))
                .collect(),
            title_html: (site.pages.iter())
                .map(|p| escape_attr(p.nav_title.as_deref().unwrap_or(&p.title)))
                .collect(),
        }
    }
}
