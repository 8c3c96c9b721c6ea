//! Rendering: the site model through Tera templates into HTML.
//!
//! The default theme (templates and static assets under `themes/default/`) is embedded in the
//! binary, so `handbook build` works in any folder. A handbook may replace any single template
//! or asset from `themes/<theme>/` or `templates/` at its root; a broken override is reported
//! and the built-in one used instead. Templates receive ready-made relative hrefs for every
//! page link and `root`, the prefix to the site root, for assets.

mod generated;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use tera::Tera;

use crate::config::Config;
use crate::dates::Day;
use crate::diagnostic::{display_path, Diagnostic};
use crate::load::front_matter::Owned;
use crate::load::{FrontMatter, Spanned};
use crate::model::Status;
use crate::root::Root;
use crate::rules::Rule;
use crate::site::review::Review;
use crate::site::{url, Page, PageId, Site, HOME};

/// Entries shown in the sidebar's top level and in its innermost open level (the current page
/// and its siblings, or a section's own pages); longer lists show a window around the current
/// page and a link to the section for the rest.
const NAV_WINDOW: usize = 30;
/// Entries shown in the levels between, around the open branch. Together the two keep every
/// page's sidebar small and bounded however big the handbook, so output grows linearly.
const NAV_BRANCH_WINDOW: usize = 10;
/// Deeper folders are not expanded in the sidebar (breadcrumbs still show the full path).
const NAV_DEPTH: usize = 24;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "home.html",
        include_str!("../../themes/default/templates/home.html"),
    ),
    (
        "person.html",
        include_str!("../../themes/default/templates/person.html"),
    ),
    (
        "team.html",
        include_str!("../../themes/default/templates/team.html"),
    ),
    (
        "role.html",
        include_str!("../../themes/default/templates/role.html"),
    ),
    (
        "tag.html",
        include_str!("../../themes/default/templates/tag.html"),
    ),
    (
        "list.html",
        include_str!("../../themes/default/templates/list.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "redirect.html",
        include_str!("../../themes/default/templates/redirect.html"),
    ),
];

const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "highlight.css",
        include_bytes!("../../themes/default/static/highlight.css"),
    ),
    (
        "handbook.js",
        include_bytes!("../../themes/default/static/handbook.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

/// The theme, loaded: templates compiled, static assets in memory.
pub struct Theme {
    tera: Tera,
    /// File name under `assets/` and its bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The built-in theme with the handbook's overrides applied.
    pub fn load(root: &Path, config: &Config) -> (Theme, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut sources: BTreeMap<String, (String, Option<String>)> = TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), (s.to_string(), None)))
            .collect();
        let mut assets: BTreeMap<String, Vec<u8>> = STATIC
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        let theme_dir = Path::new("themes").join(&config.theme);
        for dir in [theme_dir.join("templates"), config.templates_dir.clone()] {
            for (name, rel, bytes) in read_dir_inside(root, &dir, config, &mut diags) {
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        sources.insert(name, (text, Some(rel)));
                    }
                    Err(_) => diags.push(Diagnostic::error(
                        Rule::ThemeInvalid,
                        rel,
                        "the template is not valid UTF-8",
                    )),
                }
            }
        }
        let static_dir = theme_dir.join("static");
        for (name, _, bytes) in read_dir_inside(root, &static_dir, config, &mut diags) {
            assets.insert(name, bytes);
        }
        let tera = compile(&sources, &mut diags);
        (Theme { tera, assets }, diags)
    }

    fn render(&self, name: &str, ctx: &impl Serialize) -> Result<String, String> {
        let ctx = tera::Context::from_serialize(ctx).map_err(|e| error_chain(&e))?;
        self.tera.render(name, &ctx).map_err(|e| error_chain(&e))
    }
}

/// Compiles the templates; an override that does not compile is replaced by the built-in one.
fn compile(
    sources: &BTreeMap<String, (String, Option<String>)>,
    diags: &mut Vec<Diagnostic>,
) -> Tera {
    let builtin = |name: &str| {
        TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.to_string())
    };
    let mut set: Vec<(String, String)> = sources
        .iter()
        .map(|(n, (s, _))| (n.clone(), s.clone()))
        .collect();
    // Each round replaces one failing override by its built-in, so this ends.
    let mut replaced: Vec<&String> = Vec::new();
    loop {
        let error = match new_tera(set.clone()) {
            Ok(tera) => return tera,
            Err(e) => e,
        };
        // The culprit: the override Tera's error names ("Failed to parse 'x.html'"); else one
        // not yet replaced that fails on its own with the built-ins. Testing alone first would
        // blame an override that only needs another (`extends "layout.html"`, a new file).
        let message = error_chain(&error);
        let named = sources.iter().find(|(name, (_, origin))| {
            origin.is_some() && !replaced.contains(name) && message.contains(&format!("'{name}'"))
        });
        let culprit = named.or_else(|| {
            sources.iter().find(|(name, (text, origin))| {
                origin.is_some() && !replaced.contains(name) && {
                    let mut alone: Vec<(String, String)> = TEMPLATES
                        .iter()
                        .filter(|(n, _)| n != name)
                        .map(|(n, s)| (n.to_string(), s.to_string()))
                        .collect();
                    alone.push((name.to_string(), text.clone()));
                    new_tera(alone).is_err()
                }
            })
        });
        let Some((name, (_, origin))) = culprit else {
            // The overrides compile one by one but not together: use the built-in theme.
            diags.push(
                Diagnostic::error(
                    Rule::ThemeInvalid,
                    "templates",
                    format!(
                        "the theme's templates do not compile together: {}",
                        error_chain(&error)
                    ),
                )
                .with_help("the built-in templates are used instead"),
            );
            return new_tera(
                TEMPLATES
                    .iter()
                    .map(|(n, s)| (n.to_string(), s.to_string()))
                    .collect(),
            )
            .expect("the built-in templates compile (a unit test proves it)");
        };
        diags.push(
            Diagnostic::error(
                Rule::ThemeInvalid,
                origin.clone().unwrap_or_default(),
                format!("template does not compile: {}", error_chain(&error)),
            )
            .with_help("the built-in template is used instead"),
        );
        replaced.push(name);
        set.retain(|(n, _)| n != name);
        if let Some(b) = builtin(name) {
            set.push((name.clone(), b));
        }
    }
}

/// A Tera instance with our escaping, from `(name, source)` pairs.
/// A Tera without access to the environment. Templates are the handbook's, and a pull
/// request can change them: they must not publish the build's environment (CI secrets), so
/// Tera's `get_env` is replaced by one that refuses.
pub fn tera_without_env() -> Tera {
    let mut tera = Tera::default();
    tera.register_function(
        "get_env",
        |_: &std::collections::HashMap<String, serde_json::Value>| -> tera::Result<serde_json::Value> {
            Err(tera::Error::msg(
                "`get_env` is not available: a template cannot read the environment",
            ))
        },
    );
    tera
}

fn new_tera(templates: Vec<(String, String)>) -> Result<Tera, tera::Error> {
    let mut tera = tera_without_env();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_attr);
    tera.add_raw_templates(templates)?;
    Ok(tera)
}

/// The files a build writes beside the pages, the assets and the search index: `404.html`,
/// `reviews.ics`, `sitemap.xml` (with an absolute base URL) and the theme's `assets/`. Links to
/// them are links to the site (`[calendar](/reviews.ics)`). Reads names only.
pub fn generated_files(root: &Path, config: &Config) -> Vec<String> {
    let mut files = vec!["404.html".to_string(), "reviews.ics".to_string()];
    if config.base_url.as_ref().is_some_and(|b| b.origin.is_some()) {
        files.push("sitemap.xml".to_string());
    }
    let mut names: Vec<String> = STATIC.iter().map(|(n, _)| n.to_string()).collect();
    let theme = root.join("themes").join(&config.theme).join("static");
    if let Ok(entries) = std::fs::read_dir(theme) {
        names.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.')),
        );
    }
    names.sort();
    names.dedup();
    files.extend(names.into_iter().map(|n| format!("assets/{n}")));
    files
}

/// Files directly in `root/dir`, refusing a symlink that resolves outside the root or to
/// what the site never publishes: a hidden file (`.env`, `.git/config`) or the team data.
fn read_dir_inside(
    root: &Path,
    dir: &Path,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let Ok(boundary) = Root::new(root) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = display_path(&dir.join(&name));
        let refuse = |why: &str| Diagnostic::error(Rule::PathUnsafe, &rel, why.to_string());
        match boundary.resolve(&entry.path()) {
            None if entry.path().exists() => {
                diags.push(refuse(
                    "this symlink points outside the handbook root; it is skipped",
                ));
                continue;
            }
            None => continue,
            Some(target) if Root::is_hidden(&target) || target.starts_with(&config.data_dir) => {
                diags.push(refuse(
                    "this symlink leads to a hidden file or the team data, which the site never publishes; it is skipped",
                ));
                continue;
            }
            Some(_) if !entry.path().is_file() => continue,
            Some(_) => {}
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => out.push((name, rel, bytes)),
            Err(e) => diags.push(Diagnostic::error(
                Rule::ThemeInvalid,
                rel,
                format!("cannot read: {e}"),
            )),
        }
    }
    out.sort();
    out
}

/// HTML escaping for template output. Unlike Tera's default it leaves `/` alone: every href
/// would otherwise be written as `..&#x2F;..&#x2F;`, valid but twice the size.
fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// [`escape_attr`] appending to `out`, for HTML built in Rust (the sidebar, document tables).
/// Copies the runs between special characters whole: most text has none, and this runs over
/// every title, href and template value of every page.
fn push_escaped(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The special characters are ASCII, so `i` is on a character boundary.
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Pages as the theme's `page-list`: title, kind, document id, description, and with
/// `show_status` any status other than active.
///
/// Built in Rust: Tera costs some 10 µs a row, and every page is a row of its section's list.
fn page_list(items: &[ListItem], show_status: bool) -> String {
    let mut html = String::with_capacity(32 + items.len() * 160);
    html.push_str("<ul class=\"page-list\">");
    for item in items {
        html.push_str("\n  <li>\n    <a href=\"");
        push_escaped(&mut html, &item.href);
        html.push_str("\">");
        push_escaped(&mut html, item.title);
        html.push_str("</a>");
        if item.kind != "page" {
            let _ = write!(
                html,
                " <span class=\"kind-badge kind-{}\">{}</span>",
                item.kind, item.kind_label
            );
        }
        if let Some(id) = item.doc_id {
            html.push_str(" <span class=\"doc-id\">");
            push_escaped(&mut html, id);
            html.push_str("</span>");
        }
        if show_status && item.status != Status::Active.as_str() {
            let _ = write!(
                html,
                " <span class=\"status status-{}\">{}</span>",
                item.status, item.status_label
            );
        }
        if let Some(d) = item.description {
            html.push_str("<p>");
            push_escaped(&mut html, d);
            html.push_str("</p>");
        }
        html.push_str("\n  </li>");
    }
    html.push_str("\n</ul>");
    html
}

/// `<a href="HREF">TEXT</a>`, escaped.
fn push_link(out: &mut String, href: &str, text: &str) {
    out.push_str("<a href=\"");
    push_escaped(out, href);
    out.push_str("\">");
    push_escaped(out, text);
    out.push_str("</a>");
}

/// A person's name, linked to their page when they have one, marked when they have left or
/// are not in the team data (see [`PersonRef::html`]).
fn person_html(p: &PersonRef) -> String {
    let mut html = String::with_capacity(96);
    if p.channel {
        html.push_str("<span class=\"owner-channel\">");
        push_escaped(&mut html, p.name);
        html.push_str("</span> (chat channel)");
        return html;
    }
    match &p.href {
        Some(href) => push_link(&mut html, href, p.name),
        None => push_escaped(&mut html, p.name),
    }
    if let Some(left) = p.departed {
        let _ = write!(
            html,
            " <span class=\"departed\">(left <time datetime=\"{left}\">{left}</time>)</span>"
        );
    }
    if !p.known {
        html.push_str(" <span class=\"unknown-person\">(not in the team data)</span>");
    }
    html
}

/// The breadcrumb trail as an `<ol>`: the ancestors linked, then the page itself.
fn breadcrumbs_html(crumbs: &[Link], current: &str) -> String {
    let mut html = String::with_capacity(64 + crumbs.len() * 96);
    html.push_str("<ol>");
    for c in crumbs {
        html.push_str("\n    <li>");
        push_link(&mut html, &c.href, &c.title);
        html.push_str("</li>");
    }
    html.push_str("\n    <li aria-current=\"page\">");
    push_escaped(&mut html, current);
    html.push_str("</li>\n  </ol>");
    html
}

/// The page's table of contents as an `<ol>` of `toc-hN` items linking to the headings.
fn toc_html(toc: &[&crate::markdown::Heading]) -> String {
    let mut html = String::with_capacity(16 + toc.len() * 80);
    html.push_str("<ol>");
    for h in toc {
        let _ = write!(html, "\n      <li class=\"toc-h{}\"><a href=\"#", h.level);
        push_escaped(&mut html, &h.id);
        html.push_str("\">");
        push_escaped(&mut html, &h.text);
        html.push_str("</a></li>");
    }
    html.push_str("\n    </ol>");
    html
}

/// The page's tags as a `<ul>` of `tag` items, linked to their tag pages.
fn tags_html(tags: &[TagRef]) -> String {
    let mut html = String::with_capacity(16 + tags.len() * 80);
    html.push_str("<ul>");
    for t in tags {
        html.push_str("<li class=\"tag\">");
        match &t.href {
            Some(href) => push_link(&mut html, href, t.name),
            None => push_escaped(&mut html, t.name),
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html
}

/// Links as a plain `<ul>`.
fn link_list(links: &[Link]) -> String {
    let mut html = String::with_capacity(16 + links.len() * 128);
    html.push_str("<ul>");
    for l in links {
        html.push_str("\n      <li>");
        push_link(&mut html, &l.href, &l.title);
        html.push_str("</li>");
    }
    html.push_str("\n    </ul>");
    html
}

/// Tera errors keep the useful part in their source chain.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        cur = s.source();
    }
    msg
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    as_of: Day,
    base_url: Option<String>,
    search: bool,
}

#[derive(Serialize)]
struct Link {
    title: String,
    href: String,
}

#[derive(Serialize)]
struct ListItem<'a> {
    title: &'a str,
    href: String,
    description: Option<&'a str>,
    kind: &'static str,
    kind_label: &'static str,
    doc_id: Option<&'a str>,
    status: &'static str,
    status_label: &'static str,
    is_section: bool,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    title: &'a str,
    /// The id of the leading `# Heading` the title replaced, for the page's `<h1>`: links to
    /// it work as on GitHub.
    title_id: Option<&'a str>,
    description: Option<&'a str>,
    kind: &'static str,
    kind_label: &'static str,
    doc_id: Option<&'a str>,
    version: Option<&'a str>,
    status: &'static str,
    status_label: &'static str,
    /// A sop, policy, runbook or checklist: shows the document-control panel.
    governed: bool,
    owner: Option<PersonRef<'a>>,
    /// A chat channel that owns the document, shown when no person does.
    owner_channel: Option<&'a str>,
    approver: Option<PersonRef<'a>>,
    reviewers: Vec<PersonRef<'a>>,
    /// Last review, interval, next review and status (see `site::review`).
    review: Option<ReviewCtx<'a>>,
    effective: Option<Day>,
    /// Recent commits of the source, newest first; empty without git.
    revisions: &'a [crate::history::Revision],
    tags: Vec<TagRef<'a>>,
    url: &'a str,
    source: Option<String>,
    is_section: bool,
    is_home: bool,
    content: &'a str,
    /// Test this, not `content`: Tera escapes a string it tests in an `if`, and a page's whole
    /// body escaped for nothing on every page cost a tenth of the build.
    has_content: bool,
    extra: Option<&'a BTreeMap<String, serde_json::Value>>,
    /// The line where the front matter stops parsing, when it does: the page says that what it
    /// shows of its control data may be incomplete.
    front_matter_invalid: Option<u32>,
}

/// A person named by a document (owner, approver, reviewer) or by the team data.
#[derive(Serialize)]
struct PersonRef<'a> {
    id: &'a str,
    /// Their name, or the id when the team data does not know them.
    name: &'a str,
    known: bool,
    /// A chat channel that owns a document (`owner_channel`) rather than a person: `id` and
    /// `name` are the channel, and it has no page.
    channel: bool,
    /// Their page.
    href: Option<String>,
    /// The day they left, when on or before the as-of date.
    departed: Option<Day>,
    /// All of the above as ready HTML: the name (linked), then "(left DATE)" or "(not in the
    /// team data)" when so. Built in Rust: a Tera macro call costs microseconds, and every
    /// document names an owner, an approver and reviewers.
    html: String,
}

#[derive(Serialize)]
struct ReviewCtx<'a> {
    #[serde(flatten)]
    review: &'a Review,
    label: &'static str,
    /// The status badge as ready HTML, with the dates the reader's-date script needs.
    badge: String,
}

impl<'a> ReviewCtx<'a> {
    fn new(review: &'a Review) -> Self {
        let label = review.status.label();
        let mut badge = String::with_capacity(128);
        let _ = write!(
            badge,
            "<span class=\"review-badge\" data-review-status=\"{}\"",
            review.status.as_str()
        );
        if let Some(next) = review.next {
            let _ = write!(badge, " data-next-review=\"{next}\"");
        }
        if let Some(from) = review.due_soon_from {
            let _ = write!(badge, " data-due-soon-from=\"{from}\"");
        }
        let _ = write!(badge, ">{label}</span>");
        ReviewCtx {
            review,
            label,
            badge,
        }
    }
}

#[derive(Serialize)]
struct TagRef<'a> {
    name: &'a str,
    href: Option<String>,
}

#[derive(Serialize)]
struct HomeSection<'a> {
    title: &'a str,
    href: String,
    description: Option<&'a str>,
    count: usize,
}

#[derive(Serialize)]
struct Latest<'a> {
    title: &'a str,
    href: String,
    date: Day,
    kind: &'static str,
    kind_label: &'static str,
}

#[derive(Serialize)]
struct Ctx<'a> {
    site: &'a SiteCtx<'a>,
    root: String,
    home_href: String,
    page: PageCtx<'a>,
    /// The sidebar, as HTML: built in Rust because it is the largest part of every page.
    nav: String,
    breadcrumbs: Vec<Link>,
    toc: Vec<&'a crate::markdown::Heading>,
    children: Vec<ListItem<'a>>,
    /// `children` as the theme's `page-list`, built in Rust (see [`page_list`]).
    children_html: String,
    /// The lists of every page as ready HTML, like `children_html`: a Tera loop costs about a
    /// microsecond a row, which over every page was a tenth of the build. The data stays
    /// available above for themes that want other markup.
    breadcrumbs_html: String,
    toc_html: String,
    tags_html: String,
    referenced_by_html: String,
    prev: Option<Link>,
    next: Option<Link>,
    edit_href: Option<String>,
    sections: Vec<HomeSection<'a>>,
    latest: Vec<Latest<'a>>,
    /// Overdue and due-soon documents by owner (home page only).
    reviews: Option<generated::HomeReviews<'a>>,
    /// Published pages that link to this one.
    referenced_by: Vec<Link>,
    /// Person, team, role, tag and index pages (see `render::generated`).
    #[serde(flatten)]
    generated: generated::GeneratedCtx<'a>,
}

/// The `anchor-broken` findings among `pending`: the fragments that their pages, as `theme`
/// renders them, do not carry either (a generated page's sections, the theme's own ids
/// count; a template that fails gives none).
pub fn settle_anchors(
    site: &Site,
    theme: &Theme,
    pending: Vec<crate::check::links::PendingAnchor>,
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
            let ids = renderer
                .page(page)
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

/// Renders pages of one site with one theme.
pub struct Renderer<'s> {
    site: &'s Site,
    theme: &'s Theme,
    site_ctx: SiteCtx<'s>,
    /// Published pages under each page (itself excluded), for the home page's section cards.
    subtree_pages: Vec<usize>,
    /// Each page's URL percent-encoded and HTML-escaped, and its title HTML-escaped: worked out
    /// once, not for each of the fifty sidebar links of every page.
    url_html: Vec<String>,
    title_html: Vec<String>,
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
            },
            subtree_pages,
            url_html: site
                .pages
                .iter()
                .map(|p| escape_attr(&url::encode_path(&p.url)))
                .collect(),
            title_html: site.pages.iter().map(|p| escape_attr(&p.title)).collect(),
        }
    }

    /// The HTML of page `id`.
    pub fn page(&self, id: PageId) -> Result<String, Diagnostic> {
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
        let mut ctx = Ctx {
            site: &self.site_ctx,
            root: url::root_prefix(&page.url),
            home_href: href(HOME),
            page: self.page_ctx(id, is_home),
            nav: self.nav(id),
            breadcrumbs: if is_home {
                Vec::new()
            } else {
                site.ancestors(id).into_iter().map(link).collect()
            },
            toc: page
                .body
                .as_ref()
                .map(|b| b.toc().collect())
                .unwrap_or_default(),
            children: Vec::new(),
            children_html: String::new(),
            breadcrumbs_html: String::new(),
            toc_html: String::new(),
            tags_html: String::new(),
            referenced_by_html: String::new(),
            prev: prev.map(link),
            next: next.map(link),
            edit_href: site.config.edit_url.as_ref().and_then(|base| {
                let doc = page.doc.as_ref()?;
                Some(format!(
                    "{base}{}",
                    url::encode_path(&display_path(&doc.file))
                ))
            }),
            sections: if is_home {
                self.home_sections()
            } else {
                Vec::new()
            },
            latest: if is_home { self.latest() } else { Vec::new() },
            reviews: is_home.then(|| self.home_reviews()),
            referenced_by: site
                .referenced_by
                .get(id)
                .map(|refs| refs.iter().map(|&r| link(r)).collect())
                .unwrap_or_default(),
            generated,
        };
        if !is_home {
            ctx.breadcrumbs_html = breadcrumbs_html(&ctx.breadcrumbs, page.title.as_str());
        }
        ctx.toc_html = toc_html(&ctx.toc);
        ctx.tags_html = tags_html(&ctx.page.tags);
        ctx.referenced_by_html = link_list(&ctx.referenced_by);
        if !lists_children {
            ctx.children = page
                .children
                .iter()
                .map(|&c| self.list_item(id, c))
                .collect();
            ctx.children_html = page_list(&ctx.children, false);
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
        self.nav_list(&mut nav, HOME, None, &[], 0, &|out, p| {
            out.push_str(&root_html);
            out.push_str(&self.url_html[p]);
            if !site.config.pretty_links {
                out.push_str("index.html");
            }
        });
        let mut page = self.page_ctx(HOME, false);
        page.title = "Page not found";
        page.content = "";
        page.has_content = false;
        let ctx = Ctx {
            site: &self.site_ctx,
            root: root.clone(),
            home_href: to(home),
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
            prev: None,
            next: None,
            edit_href: None,
            sections: Vec::new(),
            latest: Vec::new(),
            reviews: None,
            referenced_by: Vec::new(),
            generated: generated::GeneratedCtx::default(),
        };
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
            site: &'a SiteCtx<'a>,
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

    fn list_item(&self, from: PageId, id: PageId) -> ListItem<'s> {
        let p = &self.site.pages[id];
        let doc = p.doc.as_ref();
        ListItem {
            title: &p.title,
            href: self.site.href(from, &p.url),
            description: doc.and_then(|d| d.front.description.as_deref()),
            kind: p.kind().as_str(),
            kind_label: p.kind().label(),
            doc_id: doc
                .and_then(|d| d.front.id.as_ref())
                .map(|s| s.value.as_str()),
            status: p.status().as_str(),
            status_label: p.status().label(),
            is_section: p.is_section(),
        }
    }

    /// The sidebar for page `current`: top-level entries, with the current branch open.
    fn nav(&self, current: PageId) -> String {
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
    fn nav_list(
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

    fn home_sections(&self) -> Vec<HomeSection<'s>> {
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
    fn latest(&self) -> Vec<Latest<'s>> {
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
}

impl<'s> Renderer<'s> {
    fn page_ctx(&self, id: PageId, is_home: bool) -> PageCtx<'s> {
        let site = self.site;
        let page = &site.pages[id];
        let front = page.doc.as_ref().map(|d| &d.front);
        let person = |s: &'s Spanned<String>| self.person_ref(id, &s.value);
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
            content: page.body.as_ref().map_or("", |b| b.html.as_str()),
            has_content: page
                .body
                .as_ref()
                .is_some_and(|b| !b.html.trim().is_empty()),
            extra: front.map(|f| &f.extra),
            front_matter_invalid: front.and_then(|f| f.invalid_line),
        }
    }

    /// Person `id` as named on page `from`, linked to their page.
    fn person_ref(&self, from: PageId, id: &'s str) -> PersonRef<'s> {
        let site = self.site;
        let index = site.team.person_index(id);
        let person = index.map(|i| &site.team.people[i]);
        let mut r = PersonRef {
            id,
            name: person.map_or(id, |p| p.name.as_str()),
            known: person.is_some(),
            href: index
                .and_then(|i| site.registry.person_page[i])
                .map(|p| site.href(from, &site.pages[p].url)),
            departed: person.and_then(|p| p.departed(site.options.as_of)),
            channel: false,
            html: String::new(),
        };
        r.html = person_html(&r);
        r
    }

    /// A document's owner: the person, or the chat channel shown as one of its own kind.
    fn owner_ref(&self, from: PageId, owner: Owned<'s>) -> PersonRef<'s> {
        match owner {
            Owned::Person(id) => self.person_ref(from, id),
            Owned::Channel(name) => {
                let mut r = PersonRef {
                    id: name,
                    name,
                    known: true,
                    channel: true,
                    href: None,
                    departed: None,
                    html: String::new(),
                };
                r.html = person_html(&r);
                r
            }
        }
    }

    fn tag_ref(&self, from: PageId, name: &'s str) -> TagRef<'s> {
        let site = self.site;
        TagRef {
            name,
            href: site
                .registry
                .tag(name)
                .and_then(|t| t.page)
                .map(|p| site.href(from, &site.pages[p].url)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_replaces_exactly_the_five_special_characters() {
        assert_eq!(
            escape_attr(r#"a<b>&"c'/ é€"#),
            "a&lt;b&gt;&amp;&quot;c&#39;/ é€"
        );
        assert_eq!(escape_attr(""), "");
        assert_eq!(escape_attr("&&"), "&amp;&amp;");
        assert_eq!(escape_attr("plain"), "plain");
    }

    #[test]
    fn lists_built_in_rust_escape_what_they_show() {
        let evil = Link {
            title: "<script>x</script>".into(),
            href: "a\"b/".into(),
        };
        assert_eq!(
            breadcrumbs_html(std::slice::from_ref(&evil), "T&C"),
            "<ol>\n    <li><a href=\"a&quot;b/\">&lt;script&gt;x&lt;/script&gt;</a></li>\n    \
             <li aria-current=\"page\">T&amp;C</li>\n  </ol>"
        );
        assert!(link_list(&[evil]).contains("&lt;script&gt;"));
        let tags = [TagRef {
            name: "<b>",
            href: None,
        }];
        assert_eq!(
            tags_html(&tags),
            "<ul><li class=\"tag\">&lt;b&gt;</li></ul>"
        );
        let person = PersonRef {
            id: "x",
            name: "Ann <Admin>",
            known: false,
            channel: false,
            href: None,
            departed: None,
            html: String::new(),
        };
        assert_eq!(
            person_html(&person),
            "Ann &lt;Admin&gt; <span class=\"unknown-person\">(not in the team data)</span>"
        );
        let channel = PersonRef {
            name: "#ops<&>",
            known: true,
            channel: true,
            ..person
        };
        assert_eq!(
            person_html(&channel),
            "<span class=\"owner-channel\">#ops&lt;&amp;&gt;</span> (chat channel)"
        );
    }

    #[test]
    fn built_in_templates_compile() {
        let mut diags = Vec::new();
        let sources = TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), (s.to_string(), None)))
            .collect();
        let _ = compile(&sources, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
    }
}
