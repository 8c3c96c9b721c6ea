//! Navigation order: each section's children (a top-level `SUMMARY.md` first, then `order`,
//! then title) and the reading order that prev/next links follow.

use super::link_index::Entry;
use super::url::{self, LinkKind};
use super::{PageId, Site, HOME};

/// mdBook's and GitBook's table of contents, at the top of the content folder.
pub(super) const SUMMARY: &str = "SUMMARY.md";

impl Site {
    /// Content first: in the order of a `SUMMARY.md` that lists it, then by `order`, then by
    /// title; generated pages after it. The summary itself is left out of the navigation.
    pub(super) fn sort_children(&mut self) {
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
