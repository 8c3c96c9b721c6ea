//! The serialisable contexts the templates receive (`Ctx` and the values in it), and how the
//! renderer builds them from the model.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::dates::Day;
use crate::diagnostic::display_path;
use crate::load::{FrontMatter, Spanned};
use crate::site::{Page, PageId, HOME};

use super::generated;
use super::items::{Link, ListItem, PersonRef, ReviewCtx, TagRef};
use super::renderer::{Renderer, SiteCtx};

#[derive(Serialize)]
pub(super) struct PageCtx<'a> {
    pub(super) title: &'a str,
    /// The id of the leading `# Heading` the title replaced, for the page's `<h1>`: links to
    /// it work as on GitHub.
    pub(super) title_id: Option<&'a str>,
    pub(super) description: Option<&'a str>,
    pub(super) kind: &'static str,
    pub(super) kind_label: &'static str,
    pub(super) doc_id: Option<&'a str>,
    pub(super) version: Option<&'a str>,
    pub(super) status: &'static str,
    pub(super) status_label: &'static str,
    /// A sop, policy, runbook or checklist: shows the document-control panel.
    pub(super) governed: bool,
    pub(super) owner: Option<PersonRef<'a>>,
    /// A chat channel that owns the document, shown when no person does.
    pub(super) owner_channel: Option<&'a str>,
    pub(super) approver: Option<PersonRef<'a>>,
    pub(super) reviewers: Vec<PersonRef<'a>>,
    /// Last review, interval, next review and status (see `site::review`).
    pub(super) review: Option<ReviewCtx<'a>>,
    pub(super) effective: Option<Day>,
    /// Recent commits of the source, newest first; empty without git.
    pub(super) revisions: &'a [crate::history::Revision],
    pub(super) tags: Vec<TagRef<'a>>,
    pub(super) url: &'a str,
    pub(super) source: Option<String>,
    pub(super) is_section: bool,
    pub(super) is_home: bool,
    pub(super) content: Cow<'a, str>,
    /// Test this, not `content`: Tera escapes a string it tests in an `if`, and a page's whole
    /// body escaped for nothing on every page cost a tenth of the build.
    pub(super) has_content: bool,
    pub(super) extra: Option<&'a BTreeMap<String, serde_json::Value>>,
    /// The line where the front matter stops parsing, when it does: the page says that what it
    /// shows of its control data may be incomplete.
    pub(super) front_matter_invalid: Option<u32>,
}

#[derive(Serialize)]
pub(super) struct HomeSection<'a> {
    title: &'a str,
    href: String,
    description: Option<&'a str>,
    count: usize,
}

#[derive(Serialize)]
pub(super) struct Latest<'a> {
    title: &'a str,
    href: String,
    date: Day,
    kind: &'static str,
    kind_label: &'static str,
}

#[derive(Serialize)]
pub(super) struct Ctx<'a> {
    pub(super) site: &'a SiteCtx<'a>,
    pub(super) root: String,
    pub(super) home_href: String,
    pub(super) page: PageCtx<'a>,
    /// The sidebar, as HTML: built in Rust because it is the largest part of every page.
    pub(super) nav: String,
    pub(super) breadcrumbs: Vec<Link>,
    pub(super) toc: Vec<&'a crate::markdown::Heading>,
    pub(super) children: Vec<ListItem<'a>>,
    /// `children` as the theme's `page-list`, built in Rust (see `fragments::page_list`).
    pub(super) children_html: String,
    /// The lists of every page as ready HTML, like `children_html`: a Tera loop costs about a
    /// microsecond a row, which over every page was a tenth of the build. The data stays
    /// available above for themes that want other markup.
    pub(super) breadcrumbs_html: String,
    pub(super) toc_html: String,
    pub(super) tags_html: String,
    pub(super) referenced_by_html: String,
    /// How many of a document's required readers acknowledged its version in force, and who
    /// has not yet (empty when nobody must read it).
    pub(super) acknowledgements_html: String,
    /// "On call now" for the rotation the page names (`oncall:`).
    pub(super) oncall_html: String,
    pub(super) prev: Option<Link>,
    pub(super) next: Option<Link>,
    pub(super) edit_href: Option<String>,
    pub(super) sections: Vec<HomeSection<'a>>,
    pub(super) latest: Vec<Latest<'a>>,
    /// Overdue and due-soon documents by owner (home page only).
    pub(super) reviews: Option<generated::HomeReviews<'a>>,
    /// Published pages that link to this one.
    pub(super) referenced_by: Vec<Link>,
    /// Person, team, role, tag and index pages (see `render::generated`).
    #[serde(flatten)]
    pub(super) generated: generated::GeneratedCtx<'a>,
}

impl<'a> Ctx<'a> {
    /// The context every page starts from: the site, the way to its root and to the home page,
    /// the page and its sidebar, every list empty. The 404 page is this; `Renderer::page` fills
    /// in the lists a page has.
    pub(super) fn new(
        site: &'a SiteCtx<'a>,
        root: String,
        home_href: String,
        page: PageCtx<'a>,
        nav: String,
    ) -> Self {
        Ctx {
            site,
            root,
            home_href,
            page,
            nav,
            breadcrumbs: Vec::new(),
            toc: Vec::new(),
            children: Vec::new(),
            children_html: String::new(),
            breadcrumbs_html: String::new(),
            toc_html: String::new(),
            tags_html: String::new(),
            referenced_by_html: String::new(),
            acknowledgements_html: String::new(),
            oncall_html: String::new(),
            prev: None,
            next: None,
            edit_href: None,
            sections: Vec::new(),
            latest: Vec::new(),
            reviews: None,
            referenced_by: Vec::new(),
            generated: generated::GeneratedCtx::default(),
        }
    }
}

impl<'s> Renderer<'s> {
    pub(super) fn home_sections(&self) -> Vec<HomeSection<'s>> {
        let site = self.site;
        site.pages[HOME]
            .children
            .iter()
            .map(|&c| &site.pages[c])
            .filter(|p| p.is_section())
            .map(|p| HomeSection {
                title: &p.title,
                href: site.href(HOME, &p.url),
                description: p.doc.as_ref().and_then(|d| d.front.description.as_deref()),
                count: self.subtree_pages[p.id],
            })
            .collect()
    }

    /// The ten most recently reviewed or made effective pages.
    pub(super) fn latest(&self) -> Vec<Latest<'s>> {
        let site = self.site;
        let mut dated: Vec<(Day, &Page)> = site
            .published()
            .filter(|p| p.id != HOME)
            .filter_map(|p| {
                let f = &p.doc.as_ref()?.front;
                let date = [f.last_reviewed.as_ref().map(|d| d.value), f.effective]
                    .into_iter()
                    .flatten()
                    .filter(|d| *d <= site.options.as_of)
                    .max()?;
                Some((date, p))
            })
            .collect();
        dated.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.title.cmp(&b.1.title)));
        dated
            .into_iter()
            .take(10)
            .map(|(date, p)| Latest {
                title: &p.title,
                href: site.href(HOME, &p.url),
                date,
                kind: p.kind().as_str(),
                kind_label: p.kind().label(),
            })
            .collect()
    }

    pub(super) fn page_ctx(&self, id: PageId, is_home: bool, body: Option<String>) -> PageCtx<'s> {
        let site = self.site;
        let page = &site.pages[id];
        let front = page.doc.as_ref().map(|d| &d.front);
        let person = |s: &'s Spanned<String>| self.person_ref(id, &s.value);
        let content = match body {
            Some(html) => Cow::Owned(html),
            None => page.body.as_ref().map_or(Cow::Borrowed(""), |b| b.html()),
        };
        PageCtx {
            title: &page.title,
            title_id: page.body.as_ref().and_then(|b| b.title_id.as_deref()),
            description: front.and_then(|f| f.description.as_deref()),
            kind: page.kind().as_str(),
            kind_label: page.kind().label(),
            doc_id: front.and_then(|f| f.id.as_ref()).map(|s| s.value.as_str()),
            version: front.and_then(|f| f.version.as_deref()),
            status: page.status().as_str(),
            status_label: page.status().label(),
            governed: page.kind().is_governed(),
            owner: front
                .and_then(FrontMatter::owned_by)
                .map(|o| self.owner_ref(id, o)),
            owner_channel: front
                .and_then(|f| f.owner_channel.as_ref())
                .map(|c| c.value.as_str()),
            approver: front.and_then(|f| f.approver.as_ref()).map(person),
            reviewers: front
                .map(|f| f.reviewers.iter().map(person).collect())
                .unwrap_or_default(),
            review: page.review.as_ref().map(ReviewCtx::new),
            effective: front.and_then(|f| f.effective),
            revisions: &page.revisions,
            tags: front
                .map(|f| f.tags.iter().map(|t| self.tag_ref(id, t)).collect())
                .unwrap_or_default(),
            url: &page.url,
            source: page.doc.as_ref().map(|d| display_path(&d.file)),
            is_section: page.is_section(),
            is_home,
            has_content: !content.trim().is_empty(),
            content,
            extra: front.map(|f| &f.extra),
            front_matter_invalid: front.and_then(|f| f.invalid_line),
        }
    }
}
