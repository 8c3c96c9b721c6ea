//! The built-in `page.html`, inside the built-in `base.html`, written in Rust. Documents are
//! nearly all of a build's pages, and Tera spent a sixth of a build's CPU on them: the context
//! turned into JSON, then each `page.x` looked up by name, each `if` evaluated as a value.
//!
//! Used only while the theme overrides neither template (`Theme::builtin_page`); the templates
//! stay the source that theme authors copy, and a test renders a handbook through both and
//! compares every byte (`tests/testsuite/theme.rs`). A change to `base.html` or `page.html`
//! is made here too, or that test fails. Each push below follows its template line; `{%-`
//! trims the line break before it, which is why most pieces start with `\n`.

use super::context::{Ctx, PageCtx};
use super::escape::escape_attribute as esc;
use super::items::PersonRef;
use crate::dates::Day;
use crate::history::Revision;

/// The HTML of a document's page, as Tera renders `page.html` for `ctx`.
pub(super) fn document_page(ctx: &Ctx) -> String {
    let page = &ctx.page;
    // The layout's own text is some 3 KB: room for it, so that the page is not copied to a
    // larger block as it is written.
    let mut out = String::with_capacity(
        4096 + ctx.nav.len()
            + page.content.len()
            + ctx.toc_html.len()
            + ctx.children_html.len()
            + ctx.referenced_by_html.len(),
    );
    head(&mut out, ctx);
    main(&mut out, ctx, page);
    foot(&mut out, ctx);
    out
}

/// `before`, `text` escaped, then `after`.
fn put(out: &mut String, before: &str, text: &str, after: &str) {
    out.push_str(before);
    esc(out, text);
    out.push_str(after);
}

/// Tera's truth of an optional string: absent and empty are both false.
fn some(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

/// `base.html` up to its `main` block.
fn head(out: &mut String, ctx: &Ctx) {
    let (site, page) = (ctx.site, &ctx.page);
    put(out, "<!DOCTYPE html>\n<html lang=\"", site.language, "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc(out, page.title);
    put(out, " · ", site.title, "</title>");
    if let Some(d) = some(page.description) {
        put(out, "\n<meta name=\"description\" content=\"", d, "\">");
    }
    for (before, after) in [
        ("\n<link rel=\"stylesheet\" href=\"", "assets/style.css\">"),
        ("\n<link rel=\"icon\" href=\"", "assets/favicon.svg\">"),
        ("\n<script src=\"", "assets/handbook.js\""),
    ] {
        put(out, before, &ctx.root, after);
    }
    if site.search {
        out.push_str(" data-search");
    }
    out.push_str(" defer></script>\n</head>\n<body class=\"kind-");
    esc(out, page.kind);
    if page.is_section {
        out.push_str(" is-section");
    }
    put(out, "\">\n<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n<header class=\"site-header\">\n<a class=\"site-title\" href=\"", &ctx.home_href, "\">");
    esc(out, site.title);
    out.push_str("</a>\n</header>\n<div class=\"layout\">\n<nav id=\"site-nav\" class=\"site-nav\" aria-label=\"Handbook sections\">\n");
    out.push_str(&ctx.nav);
    out.push_str("\n</nav>\n<main id=\"main\" tabindex=\"-1\">");
}

/// `base.html` after its `main` block.
fn foot(out: &mut String, ctx: &Ctx) {
    let site = ctx.site;
    out.push_str("\n</main>\n</div>\n<footer class=\"site-footer\">\n<p>");
    esc(out, site.title);
    if let Some(d) = some(site.description) {
        out.push_str(" · ");
        esc(out, d);
    }
    out.push_str("</p>\n<p>Built <time>");
    out.push_str(&site.as_of.to_string());
    out.push_str("</time> with handbook.</p>\n</footer>\n</body>\n</html>\n");
}

/// `page.html`'s `main` block.
fn main(out: &mut String, ctx: &Ctx, page: &PageCtx) {
    if !ctx.breadcrumbs.is_empty() {
        out.push_str("\n<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">\n");
        out.push_str(&ctx.breadcrumbs_html);
        out.push_str("\n</nav>");
    }
    out.push_str("\n<article class=\"doc\">\n<header class=\"doc-header\">\n<h1");
    if let Some(id) = some(page.title_id) {
        out.push_str(" id=\"");
        esc(out, id);
        out.push('"');
    }
    out.push('>');
    esc(out, page.title);
    out.push_str("</h1>");
    let doc_id = some(page.doc_id);
    let version = some(page.version);
    if page.kind != "page" || doc_id.is_some() {
        out.push_str("\n<p class=\"doc-meta\">");
        if page.kind != "page" {
            put(out, "<span class=\"kind ", page.kind, "\">");
            esc(out, page.kind_label);
            out.push_str("</span>");
        }
        if let Some(id) = doc_id {
            put(out, " <span class=\"doc-id\">", id, "</span>");
        }
        if let Some(v) = version {
            put(out, " <span class=\"doc-version\">Version ", v, "</span>");
        }
        if page.status != "active" {
            status_pill(out, page, " <span class=\"status ");
        }
        out.push_str("\n</p>");
    }
    if let Some(d) = some(page.description) {
        put(out, "<p class=\"doc-description\">", d, "</p>");
    }
    out.push_str("\n</header>\n");
    out.push_str(&ctx.oncall_html);
    control(out, ctx);
    if ctx.toc.len() > 1 {
        out.push_str("\n<nav class=\"toc\" aria-label=\"On this page\">\n<details class=\"toc-fold\">\n<summary>On this page</summary>\n<h2 class=\"toc-title\">On this page</h2>\n");
        out.push_str(&ctx.toc_html);
        out.push_str("\n</details>\n</nav>");
    }
    if page.has_content {
        out.push_str("\n<div class=\"doc-body\">\n");
        out.push_str(&page.content);
        out.push_str("\n</div>");
    }
    if !ctx.children.is_empty() {
        out.push_str("\n<section class=\"section-contents\" aria-labelledby=\"section-contents-title\">\n<h2 id=\"section-contents-title\">In this section</h2>\n");
        out.push_str(&ctx.children_html);
        out.push_str("\n</section>");
    }
    if !page.tags.is_empty() {
        out.push_str("\n<div class=\"tags\"><h2 class=\"tags-title\">Tags</h2>");
        out.push_str(&ctx.tags_html);
        out.push_str("</div>");
    }
    out.push('\n');
    out.push_str(&ctx.acknowledgements_html);
    if !ctx.referenced_by.is_empty() {
        out.push_str("\n<section class=\"referenced-by\" aria-labelledby=\"referenced-by-title\">\n<h2 id=\"referenced-by-title\">Referenced by</h2>\n");
        out.push_str(&ctx.referenced_by_html);
        out.push_str("\n</section>");
    }
    if page.governed {
        out.push_str("\n<p class=\"print-footer\">");
        esc(out, doc_id.unwrap_or(page.title));
        if let Some(v) = version {
            out.push_str(" · Version ");
            esc(out, v);
        }
        out.push_str(" · Uncontrolled when printed · Printed on <time data-print-date>");
        out.push_str(&ctx.site.as_of.to_string());
        out.push_str("</time></p>");
    }
    out.push_str("\n<footer class=\"doc-footer\">");
    if let (Some(last), false) = (page.revisions.first(), page.governed) {
        out.push_str("\n<p class=\"last-change revision\">Last changed <time>");
        out.push_str(&last.date.to_string());
        put(out, "</time> by ", &last.author, ": ");
        esc(out, &last.subject);
        commit(out, ctx, last);
        out.push_str("</p>");
    }
    if let Some(href) = some(ctx.edit_href.as_deref()) {
        put(
            out,
            "<p><a class=\"edit-link\" href=\"",
            href,
            "\">Edit this page</a></p>",
        );
    }
    if ctx.prev.is_some() || ctx.next.is_some() {
        out.push_str("\n<nav class=\"pager\" aria-label=\"Previous and next pages\">");
        for (link, rel, word) in [(&ctx.prev, "prev", "Previous"), (&ctx.next, "next", "Next")] {
            if let Some(link) = link {
                out.push_str("<a rel=\"");
                out.push_str(rel);
                put(out, "\" href=\"", &link.href, "\"><span>");
                out.push_str(word);
                put(out, "</span> ", &link.title, "</a>");
            }
        }
        out.push_str("\n</nav>");
    }
    out.push_str("\n</footer>\n</article>\n");
}

/// `<span class="status STATUS">Label</span>` after `open`.
fn status_pill(out: &mut String, page: &PageCtx, open: &str) {
    put(out, open, page.status, "\">");
    put(out, "", page.status_label, "</span>");
}

/// ` <code class="commit">HASH</code>`, the hash linked to the forge when the site names it.
fn commit(out: &mut String, ctx: &Ctx, r: &Revision) {
    out.push_str(" <code class=\"commit\">");
    match some(ctx.site.repo_url) {
        Some(repo) => {
            put(out, "<a href=\"", repo, "/commit/");
            esc(out, &r.commit);
            put(out, "\">", &r.commit, "</a>");
        }
        None => esc(out, &r.commit),
    }
    out.push_str("</code>");
}

/// A revision as the panel lists it: `<time>DATE</time> · AUTHOR · SUBJECT <code>…`.
fn revision(out: &mut String, ctx: &Ctx, r: &Revision) {
    out.push_str("<time>");
    out.push_str(&r.date.to_string());
    put(out, "</time> · ", &r.author, " · ");
    esc(out, &r.subject);
    commit(out, ctx, r);
}

/// `DATE` as `<time>DATE</time>`, between `before` and `after`.
fn time(out: &mut String, before: &str, day: Day, after: &str) {
    out.push_str(before);
    out.push_str("<time>");
    out.push_str(&day.to_string());
    out.push_str("</time>");
    out.push_str(after);
}

/// A person's HTML, or "None" marked as missing.
fn person_or_none(out: &mut String, person: Option<&PersonRef>) {
    match person {
        Some(p) => out.push_str(&p.html),
        None => out.push_str("<span class=\"missing\">None</span>"),
    }
}

/// The notice that the front matter stops parsing, as the document-control panel (of either
/// kind) opens with it.
fn panel_notice(out: &mut String, invalid: Option<u32>) {
    if let Some(line) = invalid {
        invalid_notice(
            out,
            "\n<p class=\"front-matter-invalid\" role=\"note\">",
            line,
            "</p>",
        );
    }
}

/// The notice that the front matter stops parsing at `line`, in `open` … `close`.
fn invalid_notice(out: &mut String, open: &str, line: u32, close: &str) {
    out.push_str(open);
    out.push_str("<strong>Front matter invalid, line ");
    out.push_str(&line.to_string());
    out.push_str(
        ".</strong> Some of this document's details could not be read and may be missing here.",
    );
    out.push_str(close);
}

/// `page.html`'s `control` block: the status banners and the document-control panel.
fn control(out: &mut String, ctx: &Ctx) {
    let page = &ctx.page;
    let banner = match page.status {
        "retired" => "\n<div class=\"doc-banner doc-banner-retired\" role=\"note\"><strong>Retired.</strong> This document is no longer in force; keep it for reference only.</div>",
        "deprecated" => "\n<div class=\"doc-banner doc-banner-deprecated\" role=\"note\"><strong>Deprecated.</strong> This document is being phased out.</div>",
        "draft" => "\n<div class=\"doc-banner doc-banner-draft\" role=\"note\"><strong>Draft.</strong> Not yet approved; do not follow it as a procedure.</div>",
        _ => "",
    };
    out.push_str(banner);
    let review = page.review.as_ref();
    let next = review.and_then(|r| r.review.next);
    if let (Some(next), false) = (next, page.status == "retired") {
        out.push_str(
            "\n<div class=\"doc-banner doc-banner-overdue\" role=\"note\" data-review-banner",
        );
        if review.is_some_and(|r| r.review.status.as_str() != "overdue") {
            out.push_str(" hidden");
        }
        out.push_str("><strong>Overdue for review:</strong> due <time>");
        out.push_str(&next.to_string());
        out.push_str("</time>. Check with its owner before relying on it.</div>");
    }
    let last_reviewed = review.and_then(|r| r.review.last_reviewed);
    let invalid = page.front_matter_invalid.filter(|&l| l != 0);
    if page.governed {
        out.push_str("\n<section class=\"doc-control\" aria-labelledby=\"doc-control-title\">\n<h2 id=\"doc-control-title\">Document control</h2>");
        panel_notice(out, invalid);
        status_pill(
            out,
            page,
            "\n<dl>\n<dt>Status</dt><dd><span class=\"status ",
        );
        out.push_str("</dd>\n<dt>Owner</dt><dd>");
        person_or_none(out, page.owner.as_ref());
        out.push_str("</dd>\n<dt>Last reviewed</dt><dd>");
        match last_reviewed {
            Some(d) => time(out, "", d, ""),
            None => out.push_str("<span class=\"missing\">Never</span>"),
        }
        out.push_str("</dd>\n<dt>Next review</dt><dd>");
        match page.status {
            "retired" => out.push_str(
                "<span class=\"not-in-force\">None: retired documents are not reviewed</span>",
            ),
            "draft" => {
                out.push_str("<span class=\"not-in-force\">None until it is published</span>")
            }
            _ => {
                if let Some(next) = next {
                    time(out, "", next, "");
                    if let Some(every) = review.and_then(|r| r.review.interval) {
                        put(
                            out,
                            " <span class=\"review-interval\">(every ",
                            &every.to_string(),
                            ")</span>",
                        );
                    }
                    out.push(' ');
                }
                if let Some(r) = review {
                    out.push_str(&r.badge);
                }
            }
        }
        out.push_str("</dd>\n</dl>\n<details class=\"doc-control-more\">\n<summary>More: ");
        let doc_id = some(page.doc_id);
        let version = some(page.version);
        for (shown, word) in [
            (doc_id.is_some(), "document, "),
            (version.is_some(), "version, "),
        ] {
            if shown {
                out.push_str(word);
            }
        }
        out.push_str("approver");
        for (shown, words) in [
            (!page.reviewers.is_empty(), ", reviewers"),
            (page.effective.is_some(), ", effective date"),
            (!page.revisions.is_empty(), ", last change"),
        ] {
            if shown {
                out.push_str(words);
            }
        }
        out.push_str("</summary>\n<dl>");
        if let Some(id) = doc_id {
            put(
                out,
                "\n<dt>Document</dt><dd><span class=\"doc-id\">",
                id,
                "</span></dd>",
            );
        }
        if let Some(v) = version {
            put(out, "\n<dt>Version</dt><dd>", v, "</dd>");
        }
        out.push_str("\n<dt>Approver</dt><dd>");
        person_or_none(out, page.approver.as_ref());
        out.push_str("</dd>");
        if !page.reviewers.is_empty() {
            out.push_str("\n<dt>Reviewers</dt><dd>");
            for (i, r) in page.reviewers.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&r.html);
            }
            out.push_str("</dd>");
        }
        if let Some(d) = page.effective {
            time(out, "\n<dt>Effective</dt><dd>", d, "</dd>");
        }
        if let Some(last) = page.revisions.first() {
            out.push_str("\n<dt>Last change</dt><dd class=\"revision\">");
            revision(out, ctx, last);
            out.push_str("</dd>");
        }
        out.push_str("\n</dl>");
        if page.revisions.len() > 1 {
            out.push_str(
                "\n<details class=\"revision-history\">\n<summary>Recent changes</summary>\n<ol>",
            );
            for r in page.revisions {
                out.push_str("\n<li class=\"revision\">");
                revision(out, ctx, r);
                out.push_str("</li>");
            }
            out.push_str("\n</ol>\n</details>");
        }
        out.push_str("\n</details>\n</section>");
    } else if page.owner.is_some() || last_reviewed.is_some() {
        out.push_str("\n<section class=\"doc-control page-review\" aria-label=\"Page review\">");
        panel_notice(out, invalid);
        out.push_str("\n<dl>");
        if let Some(owner) = &page.owner {
            out.push_str("\n<dt>Owner</dt><dd>");
            out.push_str(&owner.html);
            out.push_str("</dd>");
        }
        if let Some(d) = last_reviewed {
            time(out, "\n<dt>Last reviewed</dt><dd>", d, "</dd>");
        }
        if let (Some(next), Some(r), false) =
            (next, review, matches!(page.status, "retired" | "draft"))
        {
            time(out, "\n<dt>Next review</dt><dd>", next, " ");
            out.push_str(&r.badge);
            out.push_str("</dd>");
        }
        out.push_str("\n</dl>\n</section>");
    } else if let Some(line) = invalid {
        invalid_notice(
            out,
            "\n<div class=\"doc-banner doc-banner-invalid\" role=\"note\">",
            line,
            "</div>",
        );
    }
}
