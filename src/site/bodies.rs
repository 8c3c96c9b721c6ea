//! The rendered bodies: every document's Markdown rendered with its links resolved, a body
//! replaced in place (serve), and who links to whom.

use rayon::prelude::*;

use crate::load::{BodyPlaces, Document, Text};
use crate::markdown::{self, Html, Rendered, TextSection};

use super::build::{folder_title, page_title, prettify};
use super::links::PageResolver;
use super::model::{LinkTarget, Page, PageId, Site};
use super::nav::SUMMARY;

impl Site {
    /// Renders the Markdown of every document, in parallel: drafts and pages left out of the
    /// site too, because `check` covers them (drafts are the documents being written).
    pub fn render_markdown(&mut self) {
        if self.bodies.free_as_it_goes {
            return self.render_markdown_releasing_text();
        }
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

    /// [`Site::render_markdown`] for a build: each document's text is freed as soon as its
    /// body is made (at 100,000 pages, the texts are a fifth of the peak), once the places the
    /// checks will ask of it are kept.
    fn render_markdown_releasing_text(&mut self) {
        let texts: Vec<Option<Text>> = (self.pages.iter_mut())
            .map(|p| p.doc.as_mut().map(Document::take_text))
            .collect();
        let markdown: usize = texts.iter().flatten().map(|t| t.body().len()).sum();
        self.bodies.squeeze_html = markdown > self.bodies.squeeze_above;
        let bodies: Vec<(PageId, Rendered<LinkTarget>, BodyPlaces)> = texts
            .into_par_iter()
            .enumerate()
            .filter_map(|(id, text)| {
                let text = text?;
                let page = &self.pages[id];
                let body = self.render_body_of(page, text.body(), self.bodies.write_html)?;
                // Where what the checks report was written: links, template tags, comments.
                let offsets = (body.links.iter().map(|l| l.offset))
                    .chain(body.templates.iter().map(|t| t.range.start))
                    .chain(
                        (body.directives.iter()).flat_map(|d| [d.offset, d.end.saturating_sub(1)]),
                    );
                let places = page.doc.as_ref()?.places(&text, offsets);
                Some((id, body, places))
            })
            .collect();
        for (id, body, places) in bodies {
            let page = &mut self.pages[id];
            page.body = Some(body);
            if let Some(doc) = &mut page.doc {
                doc.keep_places(places);
            }
        }
        self.index_references();
    }

    /// Takes each page's body's HTML and text out, by page id, to be freed as they are read: a
    /// build writes each page once and builds the search index once. Its links, checked and
    /// counted in "Referenced by", are read no more: freed now. The model cannot be rendered
    /// again ([`Bodies::taken`](super::Bodies::taken)).
    pub fn take_bodies(&mut self) -> (Vec<Option<Html>>, Vec<Vec<TextSection>>) {
        self.bodies.taken = true;
        self.pages
            .iter_mut()
            .map(|p| match &mut p.body {
                Some(body) => {
                    body.links = Vec::new();
                    (Some(body.take_html()), std::mem::take(&mut body.text))
                }
                None => (None, Vec::new()),
            })
            .unzip()
    }

    /// Page `id`'s body's HTML rendered again, for a model whose bodies were rendered without
    /// it ([`Bodies::write_html`](super::Bodies::write_html): a check, which needs it only for the pages whose fragments the
    /// rendered page settles).
    pub fn body_html(&self, id: PageId) -> Option<String> {
        let p = &self.pages[id];
        let body = self.render_body_of(p, p.doc.as_ref()?.body(), true)?;
        Some(body.html().into_owned())
    }

    /// Deflates every body's HTML, for a model held for long (`serve`): read again only for
    /// a page rendered again, it is a third of the model.
    pub fn pack_bodies(&mut self) {
        self.pages
            .par_iter_mut()
            .filter_map(|p| p.body.as_mut())
            .for_each(Rendered::pack);
    }

    pub(super) fn render_body(&self, p: &Page) -> Option<Rendered<LinkTarget>> {
        self.render_body_of(p, p.doc.as_ref()?.body(), self.bodies.write_html)
    }

    /// Renders `body`, page `p`'s document's body.
    fn render_body_of(&self, p: &Page, body: &str, html: bool) -> Option<Rendered<LinkTarget>> {
        let doc = p.doc.as_ref()?;
        let resolver = PageResolver {
            site: self,
            page: p.id,
            hrefs: html,
        };
        let title_in_body = doc.front.title.as_deref().unwrap_or(&p.title);
        let options = markdown::Options {
            keep_text: self.bodies.keep_text,
            html,
            squeeze: self.bodies.squeeze_html,
            heading_ids: self.config.heading_ids,
            jsx: doc.is_mdx(),
        };
        Some(markdown::render_with(
            body,
            &resolver,
            Some(title_in_body),
            options,
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
    pub(super) fn index_references(&mut self) {
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
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::load::Document;
    use crate::site::model::LinkTarget;
    use crate::site::testing::{page, site};

    const DOCS: [(&str, &str); 4] = [
        (
            "a.md",
            "# A\n\n[b](b.md), [b again](b.md#x), [self](a.md)\n",
        ),
        ("b.md", "# B\n\n[c](c.md)\n"),
        ("c.md", "# C\n\n[b](b.md)\n"),
        ("d.md", "# D\n"),
    ];

    #[test]
    fn bodies_are_rendered_and_referenced_by_is_inverted_once_each() {
        let mut site = site(&DOCS);
        site.render_markdown();
        let id = |path| page(&site, path).id;
        let body = site.pages[id("a.md")].body.as_ref().unwrap();
        assert_eq!(body.links.len(), 3);
        assert!(
            matches!(body.links[1].target, LinkTarget::Page { page, .. } if page == id("b.md"))
        );
        assert_eq!(site.referenced_by[id("b.md")], [id("a.md"), id("c.md")]);
        assert_eq!(site.referenced_by[id("c.md")], [id("b.md")]);
        // A page's links to itself do not count.
        assert!(site.referenced_by[id("a.md")].is_empty());
        assert!(site.referenced_by[id("d.md")].is_empty());
    }

    #[test]
    fn a_body_replaced_in_place_says_which_pages_change() {
        let mut site = site(&DOCS);
        site.render_markdown();
        let (c, d, b) = (
            page(&site, "c.md").id,
            page(&site, "d.md").id,
            page(&site, "b.md").id,
        );
        let config = Config::default();
        // c stops linking to b and links to d: c, b and d change.
        let new = Document::from_text("c.md", "# C\n\n[d](d.md)\n", &config);
        let mut changed = site.replace_body(c, new).unwrap();
        changed.sort_unstable();
        let mut want = vec![b, c, d];
        want.sort_unstable();
        assert_eq!(changed, want);
        assert_eq!(site.referenced_by[d], [c]);
        assert!(site.pages[c]
            .body
            .as_ref()
            .unwrap()
            .html()
            .contains("d/index.html"));
        // A new first heading is a new title: only a full build gets that right.
        let retitled = Document::from_text("d.md", "# New D\n", &config);
        assert_eq!(site.replace_body(d, retitled), None);
        assert_eq!(site.pages[d].title, "D");
    }
}
