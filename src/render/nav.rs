//! The sidebar: the top level of the site with the current page's branch open, in windows
//! that keep every page's copy small however big the handbook.

use std::fmt::Write as _;

use crate::model::Status;
use crate::site::{url, PageId, HOME};

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

impl Renderer<'_> {
    /// The sidebar for page `current`: top-level entries, with the current branch open.
    pub(super) fn nav(&self, current: PageId) -> String {
        let site = self.site;
        let mut chain = site.ancestors(current);
        chain.push(current);
        let mut html = String::with_capacity(8 << 10);
        let from = &self.url_html[current];
        let pretty = site.config.pretty_links;
        self.nav_list(&mut html, HOME, Some(current), &chain, 0, &|out, to| {
            url::push_relative_href(out, from, &self.url_html[to], pretty)
        });
        html
    }

    /// One level of the sidebar: the children of `parent`, at most [`NAV_WINDOW`] of them
    /// (a window around the open branch, then a link to the section for the rest). The markup
    /// is kept terse; it is repeated on every page. `href` appends the (escaped) href of a page.
    pub(super) fn nav_list(
        &self,
        out: &mut String,
        parent: PageId,
        current: Option<PageId>,
        chain: &[PageId],
        depth: usize,
        href: &dyn Fn(&mut String, PageId),
    ) {
        let site = self.site;
        let kids = &site.pages[parent].children;
        // The child on the current branch, if any, decides which window of a long list to show.
        let focus = kids.iter().position(|k| chain.contains(k));
        let innermost = focus.is_none_or(|f| {
            let k = kids[f];
            Some(k) == current && (site.pages[k].children.is_empty() || depth + 1 >= NAV_DEPTH)
        });
        let window = if depth == 0 || innermost {
            NAV_WINDOW
        } else {
            NAV_BRANCH_WINDOW
        };
        let (start, end) = if kids.len() <= window {
            (0, kids.len())
        } else {
            let start = focus
                .map_or(0, |f| f.saturating_sub(window / 2))
                .min(kids.len() - window);
            (start, start + window)
        };
        let hidden = kids.len() - (end - start);
        out.push_str("<ul>");
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
            out.push('"');
            if Some(k) == current {
                out.push_str(" aria-current=\"page\"");
            }
            out.push('>');
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
                self.nav_list(out, k, current, chain, depth + 1, href);
            }
            out.push_str("</li>");
        }
        if hidden > 0 {
            // The parent section's own page lists everything.
            out.push_str("<li><a class=\"nav-more\" href=\"");
            href(out, parent);
            let _ = write!(
                out,
                "\">{hidden} more in {}…</a></li>",
                self.title_html[parent]
            );
        }
        out.push_str("</ul>");
    }
}
