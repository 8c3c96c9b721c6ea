//! Rendering: the site model through Tera templates into HTML.
//!
//! The default theme (templates and static assets under `themes/default/`) is embedded in the
//! binary, so `handbook build` works in any folder. A handbook may replace any single template
//! or asset from `themes/<theme>/` or `templates/` at its root; a broken override is reported
//! and the built-in one used instead. Templates receive ready-made relative hrefs for every
//! page link and `root`, the prefix to the site root, for assets.
//!
//! This file holds the entry points: [`Renderer`]'s pages, the 404 page, redirects and the
//! sitemap, and [`settle_anchors`]. `theme.rs` loads and compiles the theme; `renderer.rs` holds
//! the renderer and what it works out once per site; `context.rs` the contexts the templates
//! receive, built from the model; `items.rs` the small things every context repeats (links, list
//! items, people, tags, review badges); `fragments.rs` the HTML built in Rust that every page
//! repeats, `escape.rs` its escaping; `nav.rs` the sidebar; `generated.rs` the contexts of the
//! pages made from the team data and the documents.

mod affected;
mod builtin;
mod context;
mod escape;
mod fragments;
mod generated;
mod items;
mod nav;
mod oncall;
mod renderer;
mod theme;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::{display_path, Diagnostic};
use crate::rules::Rule;
use crate::site::{url, Page, PageId, Site, HOME};

pub use affected::{affected, Changes, Face};
use context::Ctx;
use escape::escape_attr;
use fragments::{breadcrumbs_html, link_list, page_list, tags_html, toc_html};
use items::Link;
pub use nav::nav_files;
pub use renderer::Renderer;
pub use theme::{generated_files, oncall_calendar_file, tera_without_env, Theme};

/// A page's HTML as rendered before, when it has not changed since (`serve`, after an edit):
/// its ids need not be rendered again.
pub type Rendered<'a> = &'a (dyn Fn(PageId) -> Option<Vec<u8>> + Sync);

/// The `anchor-broken` findings among `pending`: the fragments that their pages, as `theme`
/// renders them, do not carry either (a generated page's sections, the theme's own ids
/// count; a template that fails gives none). A page `before` has is not rendered again.
pub fn settle_anchors(
    site: &Site,
    theme: &Theme,
    pending: Vec<crate::check::links::PendingAnchor>,
    before: Rendered,
) -> Vec<Diagnostic> {
    use crate::check::links::{anchor_broken, Anchors, SUGGESTIONS_PER_PAGE};
    use rayon::prelude::*;
    let renderer = Renderer::new(site, theme);
    let mut by_page: BTreeMap<PageId, Vec<_>> = BTreeMap::new();
    for p in pending {
        by_page.entry(p.page).or_default().push(p);
    }
    let by_page: Vec<_> = by_page.into_iter().collect();
    by_page
        .into_par_iter()
        .flat_map_iter(|(page, list)| {
            let html = before(page).and_then(|b| String::from_utf8(b).ok());
            // A check renders bodies without their HTML: this page's is rendered again.
            let body = (!site.bodies.write_html)
                .then(|| site.body_html(page))
                .flatten();
            let ids = html
                .or_else(|| renderer.page_with(page, body).ok())
                .map(|html| crate::markdown::anchors(&html))
                .unwrap_or_default();
            let anchors = Anchors::new(ids.iter().map(String::as_str));
            list.into_iter()
                .filter(|p| !anchors.contains(&p.fragment))
                .enumerate()
                .map(|(n, p)| anchor_broken(&p, anchors.sorted(), n < SUGGESTIONS_PER_PAGE))
                .collect::<Vec<_>>()
        })
        .collect()
}

impl<'s> Renderer<'s> {
    /// The HTML of page `id`.
    pub fn page(&self, id: PageId) -> Result<String, Diagnostic> {
        self.page_with(id, None)
    }

    /// The HTML of page `id`, with `body` for its body's HTML when given (taken out of the
    /// model: `Rendered::take_html`).
    pub fn page_with(&self, id: PageId, body: Option<String>) -> Result<String, Diagnostic> {
        let site = self.site;
        let page = &site.pages[id];
        let href = |to: PageId| site.href(id, &site.pages[to].url);
        let (prev, next) = site.neighbours(id);
        let link = |p: PageId| Link {
            title: site.pages[p].title.clone(),
            href: href(p),
        };
        let is_home = id == HOME;
        let (template, generated) = if is_home {
            ("home.html", generated::GeneratedCtx::default())
        } else {
            self.generated(id)
        };
        // Index pages list their children in full themselves.
        let lists_children = generated.list.as_ref().is_some_and(|l| l.lists_children());
        let mut ctx = Ctx::new(
            &self.site_ctx,
            url::root_prefix(&page.url),
            href(HOME),
            self.page_ctx(id, is_home, body),
            self.nav(id),
        );
        if is_home {
            ctx.sections = self.home_sections();
            ctx.latest = self.latest();
            ctx.reviews = Some(self.home_reviews());
        } else {
            ctx.breadcrumbs = site.ancestors(id).into_iter().map(link).collect();
            ctx.breadcrumbs_html = breadcrumbs_html(&ctx.breadcrumbs, page.title.as_str());
        }
        ctx.toc = page
            .body
            .as_ref()
            .map(|b| b.toc().collect())
            .unwrap_or_default();
        ctx.toc_html = toc_html(&ctx.toc);
        ctx.tags_html = tags_html(&ctx.page.tags);
        ctx.referenced_by = site
            .referenced_by
            .get(id)
            .map(|refs| refs.iter().map(|&r| link(r)).collect())
            .unwrap_or_default();
        ctx.referenced_by_html = link_list(&ctx.referenced_by);
        ctx.acknowledgements_html = self.acknowledgements_html(id);
        // A page that names a rotation says who is on call now, near its top (a rotation's own
        // page has it in its body).
        if let Some(r) = site.oncall_of(id).filter(|_| page.generated.is_none()) {
            ctx.oncall_html = self.oncall_now_html(id, r);
        }
        ctx.prev = prev.map(link);
        ctx.next = next.map(link);
        ctx.edit_href = site.config.edit_url.as_ref().and_then(|base| {
            let doc = page.doc.as_ref()?;
            Some(format!(
                "{base}{}",
                url::encode_path(&display_path(&doc.file))
            ))
        });
        ctx.generated = generated;
        if !lists_children {
            // The home page shows its sections as cards: the list under them keeps the rest.
            ctx.children = (page.children.iter())
                .filter(|&&c| !(is_home && site.pages[c].is_section()))
                .map(|&c| self.list_item(id, c))
                .collect();
            ctx.children_html = page_list(&ctx.children, false);
        }
        if template == "page.html" && self.theme.builtin_page {
            return Ok(builtin::document_page(&ctx));
        }
        self.theme.render(template, &ctx).map_err(|m| {
            let file = page
                .doc
                .as_ref()
                .map(|d| d.file.clone())
                .unwrap_or_default();
            Diagnostic::error(
                Rule::ThemeInvalid,
                file,
                format!("rendering {template} failed: {m}"),
            )
        })
    }

    /// The 404 page. It is served at any depth, so its links start from the base path (or `/`).
    pub fn not_found(&self) -> Result<String, Diagnostic> {
        let site = self.site;
        let root = site
            .config
            .base_url
            .as_ref()
            .map_or("/".to_string(), |b| b.path.clone());
        let to = |p: &Page| {
            let mut h = format!("{root}{}", url::encode_path(&p.url));
            if !site.config.pretty_links {
                h.push_str("index.html");
            }
            h
        };
        let home = &site.pages[HOME];
        let mut nav = String::new();
        let root_html = escape_attr(&root);
        self.nav_list(&mut nav, HOME, &[], 0, None, &|out, p| {
            out.push_str(&root_html);
            out.push_str(&self.url_html[p]);
            if !site.config.pretty_links {
                out.push_str("index.html");
            }
        });
        let mut page = self.page_ctx(HOME, false, None);
        page.title = "Page not found";
        page.content = Cow::Borrowed("");
        page.has_content = false;
        let ctx = Ctx::new(&self.site_ctx, root.clone(), to(home), page, nav);
        self.theme.render("404.html", &ctx).map_err(|m| {
            Diagnostic::error(
                Rule::ThemeInvalid,
                "404.html",
                format!("rendering 404.html failed: {m}"),
            )
        })
    }

    /// A redirect page at site path `file` pointing to page `to`.
    pub fn redirect(&self, file: &str, to: PageId) -> Result<String, Diagnostic> {
        let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
        let from = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let href = url::relative_href(
            &from,
            &self.site.pages[to].url,
            self.site.config.pretty_links,
        );
        #[derive(Serialize)]
        struct R<'a> {
            site: &'a renderer::SiteCtx<'a>,
            title: &'a str,
            href: String,
        }
        self.theme
            .render(
                "redirect.html",
                &R {
                    site: &self.site_ctx,
                    title: &self.site.pages[to].title,
                    href,
                },
            )
            .map_err(|m| {
                Diagnostic::error(
                    Rule::ThemeInvalid,
                    "redirect.html",
                    format!("rendering redirect.html failed: {m}"),
                )
            })
    }

    /// sitemap.xml, when the base URL is absolute.
    pub fn sitemap(&self) -> Option<String> {
        let base = self.site.config.base_url.as_ref()?;
        base.origin.as_ref()?;
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for &id in &self.site.reading_order {
            let page = &self.site.pages[id];
            let loc = base.absolute(&url::encode_path(&page.url))?;
            xml.push_str("  <url><loc>");
            xml.push_str(&crate::markdown::escape(&loc));
            xml.push_str("</loc>");
            if let Some(d) = page
                .doc
                .as_ref()
                .and_then(|d| d.front.last_reviewed.as_ref())
            {
                xml.push_str(&format!("<lastmod>{}</lastmod>", d.value));
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        Some(xml)
    }
}
