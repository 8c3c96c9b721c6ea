//! `link-broken` and `anchor-broken`: every relative link must reach a page, file or heading.

use std::collections::HashSet;

use crate::diagnostic::Diagnostic;
use rayon::prelude::*;

use crate::site::{LinkTarget, Page, Site};

pub fn check(site: &Site) -> Vec<Diagnostic> {
    // Heading ids per page, built once: anchor checks stay linear in the number of links.
    let ids: Vec<Option<HashSet<&str>>> = site
        .pages
        .par_iter()
        .map(|p| {
            p.body
                .as_ref()
                .map(|b| b.headings.iter().map(|h| h.id.as_str()).collect())
        })
        .collect();
    site.pages
        .par_iter()
        .filter(|p| p.published)
        .flat_map_iter(|page| check_page(site, &ids, page))
        .collect()
}

fn check_page(site: &Site, ids: &[Option<HashSet<&str>>], page: &Page) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if let (Some(doc), Some(body)) = (&page.doc, &page.body) {
        for link in &body.links {
            let pos = doc.body_pos(link.offset);
            let what = if link.is_image { "image" } else { "link" };
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
                LinkTarget::Page {
                    page: target,
                    fragment: Some(fragment),
                } => {
                    let target_page = &site.pages[*target];
                    // Unpublished targets have no rendered headings; `link-to-draft` covers them.
                    if target_page.published && !anchor_exists(ids[*target].as_ref(), fragment) {
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
                }
                _ => {}
            }
        }
    }
    diags
}

fn anchor_exists(ids: Option<&HashSet<&str>>, fragment: &str) -> bool {
    // `#` alone and `#top` are the top of the page in every browser.
    fragment.is_empty() || fragment == "top" || ids.is_some_and(|ids| ids.contains(fragment))
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
