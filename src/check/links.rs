//! `link-broken` and `anchor-broken`: every relative link must reach a page, file or heading
//! (or an `id` written in HTML);
//! `link-to-draft` and `link-to-retired`: and that page must be one readers can rely on.

use std::collections::HashSet;

use crate::diagnostic::Diagnostic;
use rayon::prelude::*;

use crate::load::Document;
use crate::model::Status;
use crate::site::{LinkTarget, Page, Site};

pub fn check(site: &Site) -> Vec<Diagnostic> {
    // Heading ids per page, built once: anchor checks stay linear in the number of links.
    let ids: Vec<Option<HashSet<&str>>> = site
        .pages
        .par_iter()
        .map(|p| {
            p.body.as_ref().map(|b| {
                b.headings
                    .iter()
                    .map(|h| h.id.as_str())
                    .chain(b.html_ids.iter().map(String::as_str))
                    .collect()
            })
        })
        .collect();
    site.pages
        .par_iter()
        .flat_map_iter(|page| check_page(site, &ids, page))
        .collect()
}

fn check_page(site: &Site, ids: &[Option<HashSet<&str>>], page: &Page) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if let (Some(doc), Some(body)) = (&page.doc, &page.body) {
        for link in &body.links {
            let pos = doc.body_pos(link.offset);
            let what = if link.is_image { "image" } else { "link" };
            if let LinkTarget::Page { page: target, .. } = &link.target {
                if let Some(d) = status_rule(page, doc, &site.pages[*target], &link.href) {
                    diags.push(d.at(pos));
                }
            }
            match &link.target {
                LinkTarget::Broken(why) => diags.push(
                    Diagnostic::error(
                        "link-broken",
                        &doc.file,
                        format!("broken {what} `{}`: {why}", link.href),
                    )
                    .at(pos),
                ),
                LinkTarget::SamePage { fragment }
                    if !anchor_exists(ids[page.id].as_ref(), fragment) =>
                {
                    diags.push(
                        Diagnostic::error(
                            "anchor-broken",
                            &doc.file,
                            format!("no heading with id `{fragment}` on this page"),
                        )
                        .at(pos)
                        .with_help(suggest_heading(ids[page.id].as_ref(), fragment)),
                    );
                }
                // Generated pages (person, tag, index pages) have no Markdown headings to check
                // against.
                LinkTarget::Page {
                    page: target,
                    fragment: Some(fragment),
                } if ids[*target].is_some() && !anchor_exists(ids[*target].as_ref(), fragment) => {
                    diags.push(
                        Diagnostic::error(
                            "anchor-broken",
                            &doc.file,
                            format!(
                                "`{}` has no heading with id `{fragment}`",
                                link.href.split('#').next().unwrap_or("")
                            ),
                        )
                        .at(pos)
                        .with_help(suggest_heading(ids[*target].as_ref(), fragment)),
                    );
                }
                _ => {}
            }
        }
    }
    diags
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
                "link-to-draft",
                &doc.file,
                format!("`{href}` is a draft: the published site does not have it, so this link breaks there"),
            )
            .with_help("publish the draft first, or link to it once it is published"),
        );
    }
    if target == Status::Retired && source == Status::Active {
        return Some(
            Diagnostic::warning(
                "link-to-retired",
                &doc.file,
                format!("`{href}` is retired: it is no longer in force"),
            )
            .with_help("link to the document that replaced it, or drop the link"),
        );
    }
    None
}

fn anchor_exists(ids: Option<&HashSet<&str>>, fragment: &str) -> bool {
    // `#` alone and `#top` are the top of the page in every browser. GitHub finds a heading
    // whatever the case of the link (`#Setup` for `## Setup`), and so does the theme's script.
    fragment.is_empty()
        || fragment == "top"
        || ids.is_some_and(|ids| {
            ids.contains(fragment) || {
                let lower = fragment.to_lowercase();
                ids.iter().any(|id| id.to_lowercase() == lower)
            }
        })
}

fn suggest_heading(ids: Option<&HashSet<&str>>, fragment: &str) -> String {
    let mut sorted: Vec<&str> = ids.map(|s| s.iter().copied().collect()).unwrap_or_default();
    sorted.sort_unstable();
    match crate::suggest::closest(fragment, sorted.iter().copied()) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if sorted.is_empty() => "the page has no headings".to_string(),
        None => "heading ids are the heading text in lowercase, with spaces as hyphens and punctuation dropped".to_string(),
    }
}
