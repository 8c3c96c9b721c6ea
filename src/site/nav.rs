//! Navigation order: each section's children (a top-level `SUMMARY.md` first, then `order`,
//! then title) and the reading order that prev/next links follow.

use super::model::{Entry, PageId, Site, HOME};
use super::url::{self, LinkKind};
use crate::load::mkdocs_nav::NavEntry;

/// mdBook's and GitBook's table of contents, at the top of the content folder.
pub(super) const SUMMARY: &str = "SUMMARY.md";

impl Site {
    /// Content first: in the order of a `SUMMARY.md` that lists it (else of MkDocs' `nav:`),
    /// then by `order`, then by title; generated pages after it. The summary itself is left
    /// out of the navigation; a title `nav:` gives a page is the sidebar's.
    pub(super) fn sort_children(&mut self, nav: &[NavEntry]) {
        let (summary, mut rank) = self.summary_ranks();
        if summary.is_none() && !nav.is_empty() {
            rank = self.nav_ranks(nav);
        }
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
            if let Some(id) = self.page_named(&dest_url) {
                if rank[id].is_none() {
                    rank[id] = Some(position);
                    position += 1;
                }
            }
        }
        (Some(summary.id), rank)
    }

    /// Each page's place in MkDocs' `nav:` (the first entry naming it), its title there set.
    fn nav_ranks(&mut self, nav: &[NavEntry]) -> Vec<Option<usize>> {
        let mut rank = vec![None; self.pages.len()];
        for (position, entry) in nav.iter().enumerate() {
            if let Some(id) = self.page_named(&entry.path) {
                if rank[id].is_none() {
                    rank[id] = Some(position);
                    self.pages[id].nav_title = entry.title.clone();
                }
            }
        }
        // A folder that `nav:` does not name itself (its items are listed under a section
        // title) stands where its first page does.
        for id in 0..self.pages.len() {
            let Some(r) = rank[id] else { continue };
            let mut up = self.pages[id].parent;
            while let Some(p) = up {
                if rank[p].is_some_and(|q| q <= r) {
                    break;
                }
                rank[p] = Some(r);
                up = self.pages[p].parent;
            }
        }
        rank
    }

    /// The page a link from the top of the content folder names, if it names one.
    fn page_named(&self, link: &str) -> Option<PageId> {
        match url::classify_link(link, "") {
            LinkKind::Internal { path, .. } => match self.lookup(&path) {
                Some(Entry::Page(id)) => Some(id),
                _ => None,
            },
            _ => None,
        }
    }

    pub(super) fn order_for_reading(&mut self) {
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

/// A finite number as an integer that sorts as it does.
fn sortable(n: f64) -> i64 {
    let bits = n.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{page, page_at, site};

    #[test]
    fn children_go_by_order_then_title_and_generated_pages_last() {
        let site = site(&[
            ("a.md", "# Alpha\n"),
            ("b.md", "---\norder: 1\n---\n# Bravo\n"),
            ("c.md", "---\norder: 0.5\n---\n# Charlie\n"),
            ("d.md", "# delta\n"),
            ("z.md", "---\norder: -2\ntags: [ops]\n---\n# Zulu\n"),
        ]);
        let id = |path| page(&site, path).id;
        let (tags, documents) = (page_at(&site, "tags/"), page_at(&site, "documents/"));
        assert_eq!(
            site.pages[HOME].children,
            [
                id("z.md"),
                id("c.md"),
                id("b.md"),
                id("a.md"),
                id("d.md"),
                documents.id,
                tags.id
            ]
        );
        // A generated page made with its parent set.
        let ops = page_at(&site, "tags/ops/");
        assert_eq!(ops.parent, Some(tags.id));
        assert_eq!(tags.children, [ops.id]);
        assert!(tags.is_section() && !ops.is_section());
    }

    #[test]
    fn a_summary_orders_what_it_lists_and_leaves_the_navigation() {
        let site = site(&[
            (
                "SUMMARY.md",
                "# Summary\n\n- [B](b.md)\n- [A](a.md)\n- [B again](b.md)\n",
            ),
            ("a.md", "# A\n"),
            ("b.md", "# B\n"),
            ("c.md", "---\norder: 0\n---\n# C\n"),
        ]);
        let id = |path| page(&site, path).id;
        let documents = page_at(&site, "documents/").id;
        assert_eq!(
            site.pages[HOME].children,
            [id("b.md"), id("a.md"), id("c.md"), documents]
        );
        assert!(!site.reading_order.contains(&id("SUMMARY.md")));
    }

    #[test]
    fn reading_order_is_depth_first_with_neighbours() {
        let site = site(&[
            ("_index.md", "# Home\n"),
            ("a/_index.md", "# A\n"),
            ("a/one.md", "# One\n"),
            ("a/two.md", "# Two\n"),
            ("b.md", "# B\n"),
        ]);
        let id = |path| page(&site, path).id;
        let documents = page_at(&site, "documents/").id;
        assert_eq!(
            site.reading_order[..6],
            [
                HOME,
                id("a/_index.md"),
                id("a/one.md"),
                id("a/two.md"),
                id("b.md"),
                documents
            ]
        );
        assert_eq!(site.neighbours(HOME), (None, Some(id("a/_index.md"))));
        assert_eq!(
            site.neighbours(id("a/two.md")),
            (Some(id("a/one.md")), Some(id("b.md")))
        );
    }

    #[test]
    fn sortable_keeps_the_order_of_numbers() {
        let numbers = [-1e300, -2.5, -1.0, -1e-300, 0.0, 1e-300, 1.0, 2.5, 1e300];
        for pair in numbers.windows(2) {
            assert!(sortable(pair[0]) < sortable(pair[1]), "{pair:?}");
        }
    }
}
