//! The sidebar: the top level of the site with the current page's branch open, in windows
//! that keep it small however big the handbook.
//!
//! Pages do not carry it. Every page of a section shows the same sidebar but for which entry
//! is the current one, so each section's sidebar is one small script (`assets/nav/…/index.js`,
//! [`nav_file`]) that its pages load and the browser caches: the script writes the sidebar in
//! place as the page is read, marks the current page and keeps a window of the section's
//! entries around it. It was a third of every page's bytes. Without JavaScript a page reads as
//! before and the breadcrumbs and section pages lead through the handbook.

use std::fmt::Write as _;

use crate::model::Status;
use crate::site::{url, PageId, Site, HOME};

use super::renderer::Renderer;

/// Entries shown in the sidebar's top level and in its innermost open level (the current page
/// and its siblings, or a section's own pages); longer lists show a window around the current
/// page and a link to the section for the rest.
const NAV_WINDOW: usize = 30;
/// Entries shown in the levels between, around the open branch. Together the two keep every
/// page's sidebar small and bounded however big the handbook, so output grows linearly.
const NAV_BRANCH_WINDOW: usize = 10;
/// Deeper folders are not expanded in the sidebar (breadcrumbs still show the full path).
const NAV_DEPTH: usize = 24;

/// The site path of the sidebar script of the section whose URL is `url` (or its href, when
/// given the URL as an href).
pub fn nav_file(url: &str) -> String {
    format!("assets/nav/{url}index.js")
}

/// The section whose sidebar script page `current` loads: the deepest page of its branch whose
/// own pages the sidebar lists (the page itself, when it is a section, else the section it is
/// in).
fn nav_key(site: &Site, current: PageId) -> PageId {
    let mut chain = site.ancestors(current);
    chain.push(current);
    // chain[i] for i ≥ 1 is at depth i - 1, and opens when depth + 1 < NAV_DEPTH.
    (chain.iter().enumerate())
        .rev()
        .find(|&(i, &p)| i == 0 || (i < NAV_DEPTH && !site.pages[p].children.is_empty()))
        .map_or(HOME, |(_, &p)| p)
}

/// The sections that have a sidebar script: those the published pages load.
fn nav_keys(site: &Site) -> std::collections::BTreeSet<PageId> {
    site.published().map(|p| nav_key(site, p.id)).collect()
}

/// The site paths of the sidebar scripts a build of `site` writes.
pub fn nav_files(site: &Site) -> Vec<String> {
    (nav_keys(site).into_iter())
        .map(|k| nav_file(&site.pages[k].url))
        .collect()
}

/// What every sidebar script runs (`nav.js`, its comment lines and indentation left out).
static NAV_SCRIPT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    (include_str!("nav.js").lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
});

impl Renderer<'_> {
    /// The section whose sidebar script page `current` loads (see [`nav_key`]).
    pub(super) fn nav_key(&self, current: PageId) -> PageId {
        nav_key(self.site, current)
    }

    /// The sidebar of page `current`, as the page carries it: the script of its section.
    pub(super) fn nav(&self, current: PageId) -> String {
        let key = self.nav_key(current);
        format!(
            "<script src=\"{}{}\"></script>",
            url::root_prefix(&self.site.pages[current].url),
            nav_file(&self.url_html[key])
        )
    }

    /// Every sidebar script the published pages load: (site path, text).
    pub fn nav_scripts(&self) -> Vec<(String, String)> {
        nav_keys(self.site)
            .into_iter()
            .map(|k| (nav_file(&self.site.pages[k].url), self.nav_script(k)))
            .collect()
    }

    /// The sidebar script of section `key` (see [`NAV_SCRIPT`]): the sidebar of the pages that
    /// load it, every href from the site's root, all of `key`'s own pages listed.
    pub(super) fn nav_script(&self, key: PageId) -> String {
        let site = self.site;
        let mut chain = site.ancestors(key);
        chain.push(key);
        let pretty = site.config.pretty_links;
        let mut html = String::with_capacity(8 << 10);
        self.nav_list(&mut html, HOME, &chain, 0, Some(key), &|out, to| {
            url::push_relative_href(out, "", &self.url_html[to], pretty)
        });
        let own = url::encode_path(&nav_file(&site.pages[key].url));
        let mut more = String::new();
        url::push_relative_href(&mut more, "", &self.url_html[key], pretty);
        let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
        format!(
            "{}({},{},{NAV_WINDOW},{},{});\n",
            *NAV_SCRIPT,
            own.encode_utf16().count(),
            json(&html),
            json(&more),
            json(&self.title_html[key]),
        )
    }

    /// One level of the sidebar: the children of `parent`, at most [`NAV_WINDOW`] of them
    /// (a window around the open branch, then a link to the section for the rest), all of them
    /// when `parent` is `all_of` (a sidebar script's own list, which the script windows). The
    /// markup is kept terse. `href` appends the (escaped) href of a page. Which entry is the
    /// reader's page is the script's to mark: the same markup serves every page of a section.
    pub(super) fn nav_list(
        &self,
        out: &mut String,
        parent: PageId,
        chain: &[PageId],
        depth: usize,
        all_of: Option<PageId>,
        href: &dyn Fn(&mut String, PageId),
    ) {
        let site = self.site;
        let kids = &site.pages[parent].children;
        // The child on the current branch, if any, decides which window of a long list to show.
        let focus = kids.iter().position(|k| chain.contains(k));
        let window = if depth == 0 || focus.is_none() {
            NAV_WINDOW
        } else {
            NAV_BRANCH_WINDOW
        };
        let all = all_of == Some(parent);
        let (start, end) = if all || kids.len() <= window {
            (0, kids.len())
        } else {
            let start = focus
                .map_or(0, |f| f.saturating_sub(window / 2))
                .min(kids.len() - window);
            (start, start + window)
        };
        let hidden = kids.len() - (end - start);
        out.push_str(if all { "<ul data-nav-items>" } else { "<ul>" });
        for &k in &kids[start..end] {
            let p = &site.pages[k];
            let open = chain.contains(&k);
            out.push_str(match (p.is_section(), open) {
                (true, true) => "<li class=\"nav-section open\">",
                (true, false) => "<li class=\"nav-section\">",
                (false, true) => "<li class=\"open\">",
                (false, false) => "<li>",
            });
            out.push_str("<a href=\"");
            href(out, k);
            out.push_str("\">");
            out.push_str(&self.title_html[k]);
            // Out of force: said beside the title, so nobody follows a retired procedure
            // (or a draft, in the preview) by mistake.
            match p.status() {
                Status::Retired => out.push_str(" <span class=\"nav-status\">retired</span>"),
                Status::Draft => out.push_str(" <span class=\"nav-status\">draft</span>"),
                _ => {}
            }
            out.push_str("</a>");
            if open && depth + 1 < NAV_DEPTH && !p.children.is_empty() {
                self.nav_list(out, k, chain, depth + 1, all_of, href);
            }
            // No `</li>`: optional before the next item or the list's end, and the sidebar
            // scripts carry some 10,000 items.
        }
        if hidden > 0 {
            // The parent section's own page lists everything.
            out.push_str("<li><a class=\"nav-more\" href=\"");
            href(out, parent);
            let _ = write!(out, "\">{hidden} more in {}…</a>", self.title_html[parent]);
        }
        out.push_str("</ul>");
    }
}
