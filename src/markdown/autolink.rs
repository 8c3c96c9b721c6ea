//! Bare URLs and e-mail addresses in text made links, as GitHub makes them.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Whether `text` holds `://`, `www.` or `@`, without which it has no link to find. One pass
/// (every text of every page is asked), each `:`, `@` and `w` looked at where it is.
pub(super) fn may_contain_url(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr3_iter(b':', b'@', b'w', b).any(|i| match b[i] {
        b'@' => true,
        b':' => b[i + 1..].starts_with(b"//"),
        _ => b[i + 1..].starts_with(b"ww."),
    })
}

/// Splits text around bare URLs and e-mail addresses (GFM's autolink extension) and links
/// them. As GitHub does: a URL needs a scheme (`https://`) or to start with `www.` (a file name
/// such as `values.yaml` is not a link), and an address is one link however it is written
/// (`bob.smith+ops@example.org`). Text without any is passed on untouched.
pub(super) fn autolink<'a>(text: CowStr<'a>, out: &mut Vec<Event<'a>>) {
    // Addresses and URLs with a scheme first, so that a `www.` pass over what is left cannot
    // take the local part of an address for a host name.
    let mut with_scheme = linkify::LinkFinder::new();
    with_scheme.kinds(&[linkify::LinkKind::Url, linkify::LinkKind::Email]);
    with_scheme.url_must_have_scheme(true);
    let mut www = linkify::LinkFinder::new();
    www.kinds(&[linkify::LinkKind::Url]);
    www.url_must_have_scheme(false);
    let mut found: Vec<(Range<usize>, String)> = Vec::new();
    for span in with_scheme.spans(&text) {
        let (s, at) = (span.as_str(), span.start());
        match span.kind() {
            Some(linkify::LinkKind::Email) => found.push((at..span.end(), format!("mailto:{s}"))),
            Some(_) => found.push((at..span.end(), s.to_string())),
            None => {
                for inner in www.spans(s) {
                    let host = inner.as_str();
                    let starts_www = host
                        .get(..4)
                        .is_some_and(|p| p.eq_ignore_ascii_case("www."));
                    // GitHub links `www.` only at the start of a word.
                    let word_start = s[..inner.start()]
                        .chars()
                        .next_back()
                        .is_none_or(|c| c.is_whitespace() || "*_~(".contains(c));
                    if inner.kind().is_some() && starts_www && word_start {
                        let range = at + inner.start()..at + inner.end();
                        found.push((range, format!("https://{host}")));
                    }
                }
            }
        }
    }
    if found.is_empty() {
        out.push(Event::Text(text));
        return;
    }
    let mut copied = 0;
    for (range, dest) in found {
        if range.start > copied {
            out.push(Event::Text(text[copied..range.start].to_string().into()));
        }
        out.push(Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Autolink,
            dest_url: dest.into(),
            title: "".into(),
            id: "".into(),
        }));
        out.push(Event::Text(text[range.clone()].to_string().into()));
        out.push(Event::End(TagEnd::Link));
        copied = range.end;
    }
    if copied < text.len() {
        out.push(Event::Text(text[copied..].to_string().into()));
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::render;
    use crate::markdown::tests::{html, Fake};

    proptest::proptest! {
        /// The one pass says what the three searches it replaced said.
        #[test]
        fn may_contain_url_is_the_three_searches(text in "[ w.:/@aé]{0,24}") {
            let searched = text.contains("://") || text.contains("www.") || text.contains('@');
            proptest::prop_assert_eq!(super::may_contain_url(&text), searched, "{:?}", text);
        }
    }

    #[test]
    fn e_mail_addresses_are_mailto_links() {
        let r = render(
            "Write to <ops@example.org> or dana@example.org, not @dana.\n",
            &Fake,
            None,
        );
        assert!(
            r.html()
                .contains("<a href=\"mailto:ops@example.org\">ops@example.org</a>"),
            "{}",
            r.html()
        );
        assert!(
            r.html()
                .contains("<a href=\"mailto:dana@example.org\">dana@example.org</a>"),
            "{}",
            r.html()
        );
        assert!(r.html().contains("not @dana."), "{}", r.html());
        let hrefs: Vec<_> = r.links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(hrefs, ["mailto:ops@example.org"]);
    }

    #[test]
    fn autolinks_leave_prose_alone() {
        // Text with an `@` or `://` but no address or URL is passed on once, as written.
        let out = html("Ping @alice in #ops. Meet @ 9. Do not add www. to the host.\n");
        assert_eq!(
            out,
            "<p>Ping @alice in #ops. Meet @ 9. Do not add www. to the host.</p>\n"
        );
        // File names are not hosts; one address however it is written.
        let out = html(
            "Edit values.yaml, then mail bob.smith+ops@example.co.uk or see https://x.example/a.\n",
        );
        assert!(out.contains("Edit values.yaml, then mail <a href=\"mailto:bob.smith+ops@example.co.uk\">bob.smith+ops@example.co.uk</a> or see <a href=\"https://x.example/a\">https://x.example/a</a>."), "{out}");
        // No link inside a raw `<a>`: a link in a link is not HTML.
        let out = html("Contact <a href=\"mailto:ops@example.org\">ops@example.org</a> now.\n");
        assert_eq!(out.matches("<a ").count(), 1, "{out}");
        // `www.` only at the start of a word.
        let out = html("See www.example.org/x and xwww.example.org.\n");
        assert!(
            out.contains(
                "<a href=\"https://www.example.org/x\">www.example.org/x</a> and xwww.example.org."
            ),
            "{out}"
        );
    }

    #[test]
    fn bare_urls_become_links_but_not_inside_links_or_code() {
        let out = html("Visit https://example.com/x_y. Or www.example.org!\n\n[https://a.example](https://b.example)\n\n`https://c.example`\n");
        assert!(
            out.contains("<a href=\"https://example.com/x_y\">https://example.com/x_y</a>."),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"https://www.example.org\">www.example.org</a>"),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"https://b.example\">https://a.example</a>"),
            "{out}"
        );
        assert!(out.contains("<code>https://c.example</code>"), "{out}");
    }
}
