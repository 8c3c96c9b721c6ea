//! HTML fragments built in Rust rather than in templates: the section lists, breadcrumbs,
//! contents, tags and link lists that every page repeats.
//!
//! They leave out the end tags HTML makes optional (`</li>` before the next `<li>` or the
//! list's end), as the sidebar (`nav.rs`) and the documents tables (`generated.rs`, `</td>`
//! and `</tr>`) do: a browser builds the same document without them, and on 10,000 pages they
//! are 2 MB that nobody reads.

use std::fmt::Write as _;

use crate::model::Status;

use super::escape::{escape_attribute, push_link};
use super::items::{Link, ListItem, TagRef};

/// Pages as the theme's `page-list`: title, kind, document id, description, and with
/// `show_status` any status other than active.
///
/// Built in Rust: Tera costs some 10 µs a row, and every page is a row of its section's list.
pub(super) fn page_list(items: &[ListItem], show_status: bool) -> String {
    let mut html = String::with_capacity(32 + items.len() * 160);
    html.push_str("<ul class=\"page-list\">");
    for item in items {
        html.push_str("\n<li><a href=\"");
        escape_attribute(&mut html, &item.href);
        html.push_str("\">");
        escape_attribute(&mut html, item.title);
        html.push_str("</a>");
        if item.kind != "page" {
            let _ = write!(
                html,
                " <span class=\"kind {}\">{}</span>",
                item.kind, item.kind_label
            );
        }
        if let Some(id) = item.doc_id {
            html.push_str(" <span class=\"doc-id\">");
            escape_attribute(&mut html, id);
            html.push_str("</span>");
        }
        if show_status && item.status != Status::Active.as_str() {
            let _ = write!(
                html,
                " <span class=\"status {}\">{}</span>",
                item.status, item.status_label
            );
        }
        if let Some(d) = item.description {
            html.push_str("<p>");
            escape_attribute(&mut html, d);
            html.push_str("</p>");
        }
    }
    html.push_str("\n</ul>");
    html
}

/// A list as HTML: `open`, then for each item what `item` writes (a line break, the `<li>` tag
/// with its attributes and the content), then `close`. No indentation and no `</li>` (see
/// the module's comment): they would be sent with every page.
fn list_html<T>(
    open: &str,
    items: &[T],
    close: &str,
    mut item: impl FnMut(&mut String, &T),
) -> String {
    let mut html = String::with_capacity(open.len() + close.len() + items.len() * 96);
    html.push_str(open);
    for i in items {
        item(&mut html, i);
    }
    html.push_str(close);
    html
}

/// The breadcrumb trail as an `<ol>`: the ancestors linked, then the page itself.
pub(super) fn breadcrumbs_html(crumbs: &[Link], current: &str) -> String {
    let mut html = list_html("<ol>", crumbs, "", |out, c| {
        out.push_str("\n<li>");
        push_link(out, &c.href, &c.title);
    });
    html.push_str("\n<li aria-current=\"page\">");
    escape_attribute(&mut html, current);
    html.push_str("\n</ol>");
    html
}

/// The page's table of contents as an `<ol>` of links to its h2, each h3 in an `<ol>` inside
/// the h2 before it (an h3 before any h2 stands at the top).
pub(super) fn toc_html(toc: &[&crate::markdown::Heading]) -> String {
    let mut html = String::with_capacity(16 + toc.len() * 64);
    html.push_str("<ol>");
    // Whether an h2 has been listed, and whether its `<ol>` of h3 is open.
    let (mut h2, mut nested) = (false, false);
    for h in toc {
        if h.level > 2 && h2 {
            if !nested {
                html.push_str("<ol>");
                nested = true;
            }
        } else {
            if nested {
                html.push_str("\n</ol>");
                nested = false;
            }
            h2 |= h.level == 2;
        }
        html.push_str("\n<li><a href=\"#");
        escape_attribute(&mut html, &h.id);
        html.push_str("\">");
        escape_attribute(&mut html, &h.text);
        html.push_str("</a>");
    }
    if nested {
        html.push_str("\n</ol>");
    }
    html.push_str("\n</ol>");
    html
}

/// The page's tags as a `<ul>`, each linked to its tag page.
pub(super) fn tags_html(tags: &[TagRef]) -> String {
    list_html("<ul>", tags, "</ul>", |out, t| {
        out.push_str("<li>");
        match &t.href {
            Some(href) => push_link(out, href, t.name),
            None => escape_attribute(out, t.name),
        }
    })
}

/// Links as a plain `<ul>`.
pub(super) fn link_list(links: &[Link]) -> String {
    list_html("<ul>", links, "\n</ul>", |out, l| {
        out.push_str("\n<li>");
        push_link(out, &l.href, &l.title);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::items::{person_html, PersonRef};

    #[test]
    fn lists_built_in_rust_escape_what_they_show() {
        let evil = Link {
            title: "<script>x</script>".into(),
            href: "a\"b/".into(),
        };
        assert_eq!(
            breadcrumbs_html(std::slice::from_ref(&evil), "T&C"),
            "<ol>\n<li><a href=\"a&quot;b/\">&lt;script&gt;x&lt;/script&gt;</a>\n\
             <li aria-current=\"page\">T&amp;C\n</ol>"
        );
        assert!(link_list(&[evil]).contains("&lt;script&gt;"));
        let tags = [TagRef {
            name: "<b>",
            href: None,
        }];
        assert_eq!(tags_html(&tags), "<ul><li>&lt;b&gt;</ul>");
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
    fn lists_keep_their_exact_markup() {
        let heading = crate::markdown::Heading {
            level: 2,
            id: "a&b".into(),
            text: "A <b>".into(),
        };
        assert_eq!(
            toc_html(&[&heading]),
            "<ol>\n<li><a href=\"#a&amp;b\">A &lt;b&gt;</a>\n</ol>"
        );
        let deeper = |text: &str| crate::markdown::Heading {
            level: 3,
            id: text.to_lowercase(),
            text: text.into(),
        };
        let top = |text: &str| crate::markdown::Heading {
            level: 2,
            ..deeper(text)
        };
        let (a, a1, a2, b, c, c1) = (
            top("A"),
            deeper("A1"),
            deeper("A2"),
            top("B"),
            top("C"),
            deeper("C1"),
        );
        assert_eq!(
            toc_html(&[&a, &a1, &a2, &b, &c, &c1]),
            "<ol>\n<li><a href=\"#a\">A</a><ol>\n<li><a href=\"#a1\">A1</a>\n\
             <li><a href=\"#a2\">A2</a>\n</ol>\n<li><a href=\"#b\">B</a>\n\
             <li><a href=\"#c\">C</a><ol>\n<li><a href=\"#c1\">C1</a>\n</ol>\n</ol>"
        );
        // An h3 before any h2 has no h2 to stand in.
        assert_eq!(
            toc_html(&[&a1, &b]),
            "<ol>\n<li><a href=\"#a1\">A1</a>\n<li><a href=\"#b\">B</a>\n</ol>"
        );
        assert_eq!(toc_html(&[]), "<ol>\n</ol>");
        let link = Link {
            title: "T".into(),
            href: "x/".into(),
        };
        assert_eq!(
            link_list(std::slice::from_ref(&link)),
            "<ul>\n<li><a href=\"x/\">T</a>\n</ul>"
        );
        assert_eq!(link_list(&[]), "<ul>\n</ul>");
        assert_eq!(
            breadcrumbs_html(&[], "T"),
            "<ol>\n<li aria-current=\"page\">T\n</ol>"
        );
        let tags = [
            TagRef {
                name: "a",
                href: Some("tags/a/".into()),
            },
            TagRef {
                name: "b",
                href: None,
            },
        ];
        assert_eq!(
            tags_html(&tags),
            "<ul><li><a href=\"tags/a/\">a</a><li>b</ul>"
        );
        assert_eq!(tags_html(&[]), "<ul></ul>");
    }
}
