//! The links of every document: `link-broken` (a relative link to nothing), `link-empty`
//! (`[text]()`), `link-unpublished` (a file inside the root that the site leaves out),
//! `link-case` (a file found only by ignoring letter case or accent encoding), and
//! `anchor-broken` (a `#fragment` that is no heading or `id` of its page); `link-to-draft`
//! and `link-to-retired`: the page must be one readers can rely on.
//!
//! A fragment is first looked for among the ids the Markdown makes. One that is not there
//! may still be in the page as the theme renders it (a generated page's sections, the
//! theme's own `#main`): such fragments come back as [`PendingAnchor`]s, which the caller
//! settles against the rendered page ([`crate::Handbook::load`] does), so that `check`
//! reports exactly the fragments that are broken in the built site.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Pos};
use crate::load::Document;
use crate::model::Status;
use crate::rules::Rule;
use crate::site::{LinkTarget, Page, PageId, Site};

/// A `#fragment` the Markdown of its target page does not make: whether it is broken depends
/// on the page as rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAnchor {
    /// The page the fragment is in.
    pub page: PageId,
    pub fragment: String,
    /// Where the link is.
    pub file: PathBuf,
    pub pos: Pos,
    /// The link's path, without its fragment; empty for a link within the page.
    pub path: String,
}

/// The anchors of one page, looked up as a browser (with the theme's script) finds them:
/// exactly, else in any case (`#Setup` for `## Setup`, as on GitHub). The lower-cased set and
/// the sorted list for suggestions are made on the first miss: most pages are never missed,
/// and a page missed thousands of times pays once.
pub struct Anchors<'a> {
    exact: HashSet<&'a str>,
    lower: OnceLock<HashSet<String>>,
    sorted: OnceLock<Vec<&'a str>>,
}

impl<'a> Anchors<'a> {
    pub fn new(ids: impl IntoIterator<Item = &'a str>) -> Self {
        Anchors {
            exact: ids.into_iter().collect(),
            lower: OnceLock::new(),
            sorted: OnceLock::new(),
        }
    }

    /// Whether `fragment` lands on this page: `#` alone and `#top` are its top in every
    /// browser.
    pub fn contains(&self, fragment: &str) -> bool {
        fragment.is_empty()
            || fragment == "top"
            || self.exact.contains(fragment)
            || self
                .lower
                .get_or_init(|| self.exact.iter().map(|id| id.to_lowercase()).collect())
                .contains(&fragment.to_lowercase())
    }

    /// Every anchor, sorted, for a did-you-mean.
    pub fn sorted(&self) -> &[&'a str] {
        self.sorted.get_or_init(|| {
            let mut all: Vec<&str> = self.exact.iter().copied().collect();
            all.sort_unstable();
            all
        })
    }
}

pub fn check(site: &Site) -> (Vec<Diagnostic>, Vec<PendingAnchor>) {
    // Heading ids per page, built once: anchor checks stay linear in the number of links.
    let ids: Vec<Option<Anchors>> = site
        .pages
        .par_iter()
        .map(|p| {
            p.body.as_ref().map(|b| {
                Anchors::new(
                    b.headings
                        .iter()
                        .map(|h| h.id.as_str())
                        .chain(b.html_ids.iter().map(String::as_str))
                        .chain(b.title_id.as_deref()),
                )
            })
        })
        .collect();
    let found: Vec<(Vec<Diagnostic>, Vec<PendingAnchor>)> = site
        .pages
        .par_iter()
        .map(|page| check_page(site, &ids, page))
        .collect();
    let mut diags = Vec::new();
    let mut pending = Vec::new();
    for (d, p) in found {
        diags.extend(d);
        pending.extend(p);
    }
    (diags, pending)
}

fn check_page(
    site: &Site,
    ids: &[Option<Anchors>],
    page: &Page,
) -> (Vec<Diagnostic>, Vec<PendingAnchor>) {
    let mut diags = Vec::new();
    let mut pending = Vec::new();
    let mut suggested = 0;
    let (Some(doc), Some(body)) = (&page.doc, &page.body) else {
        return (diags, pending);
    };
    for link in &body.links {
        // Written in the document's file, or in a file it includes: worked out only for a
        // finding (the line index of a file is made on the first).
        let place = std::cell::OnceCell::new();
        let place = || *place.get_or_init(|| doc.body_place(link.offset));
        let before = diags.len();
        let what = if link.is_image { "image" } else { "link" };
        let path = link.href.split('#').next().unwrap_or("");
        let mut anchor = |target: PageId, fragment: &str, path: &str| {
            // A fragment into a page left out of the site is checked against its Markdown:
            // there is no rendered page to ask.
            if ids[target].as_ref().is_some_and(|a| a.contains(fragment)) {
                return None;
            }
            let (file, pos) = place();
            let p = PendingAnchor {
                page: target,
                fragment: fragment.to_string(),
                file: file.to_path_buf(),
                pos,
                path: path.to_string(),
            };
            if site.pages[target].published {
                pending.push(p);
                return None;
            }
            suggested += 1;
            let known = ids[target].as_ref().map_or(&[][..], Anchors::sorted);
            Some(anchor_broken(&p, known, suggested <= SUGGESTIONS_PER_PAGE))
        };
        match &link.target {
            LinkTarget::Page {
                page: target,
                fragment,
                miscased,
            } => {
                if let Some(d) = status_rule(page, doc, &site.pages[*target], &link.href) {
                    diags.push(d.at(place().1));
                }
                if let Some(spelt) = miscased {
                    diags.push(miscased_link(doc, path, spelt, what).at(place().1));
                }
                if let Some(fragment) = fragment {
                    diags.extend(anchor(*target, fragment, path));
                }
            }
            LinkTarget::Asset {
                miscased: Some(spelt),
                ..
            } => diags.push(miscased_link(doc, path, spelt, what).at(place().1)),
            LinkTarget::SamePage { fragment } => diags.extend(anchor(page.id, fragment, "")),
            LinkTarget::Empty => diags.push(
                Diagnostic::warning(Rule::LinkEmpty, &doc.file, format!("this {what} has no target"))
                    .at(place().1)
                    .with_help("give it a target, or remove the link"),
            ),
            LinkTarget::Unpublished { path: file, why } => diags.push(
                Diagnostic::warning(
                    Rule::LinkUnpublished,
                    &doc.file,
                    format!(
                        "`{file}` is inside the handbook but not part of the site ({}): this {what} breaks there",
                        why.why()
                    ),
                )
                .at(place().1)
                .with_help(why.help()),
            ),
            LinkTarget::Broken(why) => {
                let mut d = Diagnostic::error(
                    Rule::LinkBroken,
                    &doc.file,
                    format!("broken {what} `{}`: {why}", link.href),
                )
                .at(place().1);
                if is_email(path) {
                    d = d.with_help(format!("an e-mail address is linked as `mailto:{path}`"));
                }
                diags.push(d);
            }
            LinkTarget::Asset { .. } | LinkTarget::Generated | LinkTarget::External => {}
        }
        for d in &mut diags[before..] {
            d.file = place().0.to_path_buf();
        }
    }
    (diags, pending)
}

/// How many broken fragments into one page get a did-you-mean: each is a search of every id
/// of the page, and a hostile page may hold tens of thousands of both.
pub const SUGGESTIONS_PER_PAGE: usize = 20;

/// `anchor-broken` for a fragment that the page does not carry; `ids` (sorted) are those it
/// does, for a did-you-mean when `suggest`.
pub fn anchor_broken(p: &PendingAnchor, ids: &[&str], suggest: bool) -> Diagnostic {
    let message = if p.path.is_empty() {
        format!("no heading with id `{}` on this page", p.fragment)
    } else {
        format!("`{}` has no heading with id `{}`", p.path, p.fragment)
    };
    let help = match suggest {
        true => suggest_heading(ids, &p.fragment),
        false => GENERIC_HELP.to_string(),
    };
    Diagnostic::error(Rule::AnchorBroken, &p.file, message)
        .at(p.pos)
        .with_help(help)
}

const GENERIC_HELP: &str =
    "heading ids are the heading text in lowercase, with spaces as hyphens and punctuation dropped";

/// `link-case`: found only by ignoring letter case or how accents are encoded.
fn miscased_link(doc: &Document, path: &str, spelt: &str, what: &str) -> Diagnostic {
    use unicode_normalization::UnicodeNormalization;
    let last = |p: &str| -> String {
        let name = p.trim_end_matches('/').rsplit('/').next().unwrap_or(p);
        name.nfc().collect()
    };
    // Two spellings that look the same differ in how their accents are encoded (a composed
    // `é`, or `e` and a combining accent, as macOS names files): say so, or the message
    // shows two identical names.
    let how = if last(path) == last(spelt) {
        "in how their accents are encoded (a composed `é`, or `e` followed by a combining accent, as macOS names files)"
    } else {
        "in letter case"
    };
    Diagnostic::warning(
        Rule::LinkCase,
        &doc.file,
        format!(
            "this {what} writes `{path}`, but the file is spelt `{spelt}`: they differ {how}, which a laptop ignores and a Linux host (and GitHub) does not"
        ),
    )
    .with_help(format!("spell it as the file is: `{spelt}`"))
}

/// `ops@example.org`: an e-mail address written where a path goes.
fn is_email(path: &str) -> bool {
    match path.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && !path.contains('/')
                && domain.contains('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

/// `link-to-draft` and `link-to-retired`: links that will mislead in the published site.
fn status_rule(from: &Page, doc: &Document, to: &Page, href: &str) -> Option<Diagnostic> {
    let target = to.doc.as_ref()?.front.status;
    let source = doc.front.status;
    let href = href.split('#').next().unwrap_or(href);
    // Under `build --drafts` the draft is published, and the link works.
    if target == Status::Draft && !to.published && from.published && source != Status::Draft {
        return Some(
            Diagnostic::warning(
                Rule::LinkToDraft,
                &doc.file,
                format!("`{href}` is a draft: the published site does not have it, so this link breaks there"),
            )
            .with_help("publish the draft first, or link to it once it is published"),
        );
    }
    if target == Status::Retired && source == Status::Active {
        return Some(
            Diagnostic::warning(
                Rule::LinkToRetired,
                &doc.file,
                format!("`{href}` is retired: it is no longer in force"),
            )
            .with_help("link to the document that replaced it, or drop the link"),
        );
    }
    None
}

fn suggest_heading(ids: &[&str], fragment: &str) -> String {
    match crate::suggest::closest(fragment, ids.iter().copied()) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if ids.is_empty() => "the page has no headings".to_string(),
        None => GENERIC_HELP.to_string(),
    }
}
