//! Raw HTML written in Markdown: the attributes that link (`<a href>`, `<img src>`, `srcset`,
//! `<video poster>`...), the anchors it makes (`id`, `<a name>`) and its comments.
//!
//! Handbooks carry raw HTML where Markdown falls short (an image with a width, a `<details>`
//! block, a table with merged cells). Its links must be checked and rewritten exactly like
//! Markdown links, so this is a small tokenizer of tags, read as browsers read them: a tag
//! name, then attributes with quoted, unquoted or no values; comments; and the raw text of
//! `<script>`, `<style>`, `<textarea>` and `<title>`, which holds no tags. It is not a full
//! HTML parser and needs not be: what it cannot read as a tag is text, and text is left alone.

use std::borrow::Cow;
use std::ops::Range;

/// What [`scan`] finds in a piece of HTML, by byte range in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item<'a> {
    /// A URL in a linking attribute: the range of the URL itself (inside the quotes; one
    /// candidate of a `srcset`), its text with character references decoded, and whether it
    /// loads into the page (an image, a video, a poster) rather than being followed.
    Url {
        range: Range<usize>,
        url: Cow<'a, str>,
        embedded: bool,
        /// The quote around the value (`"`, `'`), or none for an unquoted value.
        quote: Option<char>,
    },
    /// An anchor a fragment may target: an `id` on any element, a `name` on `<a>`.
    Anchor(Cow<'a, str>),
    /// A comment: its text between `<!--` and `-->`, and where the comment starts and ends.
    Comment {
        start: usize,
        end: usize,
        text: &'a str,
    },
    /// A start or end tag (after a start tag's own items), and where it is.
    Tag {
        name: &'a str,
        end: bool,
        range: Range<usize>,
    },
}

/// The attributes that hold a URL, by element: `(element, attribute, embedded)`. `srcset`
/// holds several.
const URL_ATTRIBUTES: &[(&str, &str, bool)] = &[
    ("a", "href", false),
    ("area", "href", false),
    ("iframe", "src", false),
    ("img", "src", true),
    ("img", "srcset", true),
    ("source", "src", true),
    ("source", "srcset", true),
    ("video", "src", true),
    ("video", "poster", true),
    ("audio", "src", true),
    ("track", "src", true),
    ("embed", "src", true),
    ("object", "data", true),
];

/// Elements whose content is text up to their end tag, never tags.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

/// Calls `found` with every item of `html`, in order.
pub fn scan<'a>(html: &'a str, mut found: impl FnMut(Item<'a>)) {
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(i) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + i;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            // `<!-->` and `<!--->` are empty comments; anything else runs to `-->`.
            let (text, len) = if comment.starts_with('>') {
                ("", 5)
            } else if comment.starts_with("->") {
                ("", 6)
            } else {
                match comment.find("-->") {
                    Some(end) => (&comment[..end], 4 + end + 3),
                    None => (comment, rest.len()),
                }
            };
            found(Item::Comment {
                start,
                end: start + len,
                text,
            });
            at = start + len;
            continue;
        }
        if let Some(name) = end_tag(rest) {
            let end = start + rest.find('>').map_or(rest.len(), |i| i + 1);
            found(Item::Tag {
                name,
                end: true,
                range: start..end,
            });
            at = end;
            continue;
        }
        match tag(html, start, &mut found) {
            Some((end, name)) => {
                at = end;
                if let Some(raw) = RAW_TEXT.iter().find(|r| name.eq_ignore_ascii_case(r)) {
                    // Skip to the end tag, whatever its case.
                    let close = format!("</{raw}");
                    at = find_ascii_ci(&html[at..], &close).map_or(html.len(), |i| at + i);
                }
            }
            None => at = start + 1,
        }
    }
}

/// Reads the start tag at `start` (`<name attr=value ...>`), reporting its items; returns
/// where it ends and its name. `None` when there is no tag there (`a < b`, an end tag).
fn tag<'a>(
    html: &'a str,
    start: usize,
    found: &mut impl FnMut(Item<'a>),
) -> Option<(usize, &'a str)> {
    let bytes = html.as_bytes();
    let name_start = start + 1;
    if !bytes.get(name_start)?.is_ascii_alphabetic() {
        return None;
    }
    let mut i = name_start;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
        i += 1;
    }
    let name = &html[name_start..i];
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None | Some(b'>') => {
                let end = (i + 1).min(bytes.len());
                found(Item::Tag {
                    name,
                    end: false,
                    range: start..end,
                });
                return Some((end, name));
            }
            Some(_) => {}
        }
        let attr_start = i;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'>' | b'=' | b'/') {
            i += 1;
        }
        let attr = &html[attr_start..i];
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue; // An attribute without a value.
        }
        i += 1;
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let (value, quote) = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr::memchr(q, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e);
                let value = i + 1..end;
                i = (end + 1).min(bytes.len());
                (value, Some(q as char))
            }
            _ => {
                let begin = i;
                while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                (begin..i, None)
            }
        };
        attribute(html, name, attr, value, quote, found);
    }
}

/// Reports the item attribute `attr` of element `element` makes, if any.
fn attribute<'a>(
    html: &'a str,
    element: &str,
    attr: &str,
    value: Range<usize>,
    quote: Option<char>,
    found: &mut impl FnMut(Item<'a>),
) {
    let text = &html[value.clone()];
    if attr.eq_ignore_ascii_case("id")
        || (attr.eq_ignore_ascii_case("name") && element.eq_ignore_ascii_case("a"))
    {
        if !text.is_empty() {
            found(Item::Anchor(decode(text)));
        }
        return;
    }
    let Some(&(_, _, embedded)) = URL_ATTRIBUTES
        .iter()
        .find(|(e, a, _)| element.eq_ignore_ascii_case(e) && attr.eq_ignore_ascii_case(a))
    else {
        return;
    };
    if !attr.eq_ignore_ascii_case("srcset") {
        // Browsers strip spaces around a URL.
        let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let lead = text.len()
            - text
                .trim_start_matches(|c: char| c.is_ascii_whitespace())
                .len();
        let range = value.start + lead..value.start + lead + trimmed.len();
        found(Item::Url {
            range,
            url: decode(trimmed),
            embedded,
            quote,
        });
        return;
    }
    // `srcset="a.png 1x, b.png 2x"`, read as browsers read it: a URL is a run of non-spaces
    // (commas at its end end the candidate, so `data:` URLs keep their own commas), then a
    // descriptor up to the next comma.
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b',') {
            at += 1;
        }
        if at == bytes.len() {
            break;
        }
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut url = &text[start..at];
        let ended = url.ends_with(',');
        url = url.trim_end_matches(',');
        if !url.is_empty() {
            found(Item::Url {
                range: value.start + start..value.start + start + url.len(),
                url: decode(url),
                embedded,
                quote,
            });
        }
        if !ended {
            // The descriptor (`2x`, `480w`), up to the comma that ends the candidate.
            at = text[at..].find(',').map_or(text.len(), |c| at + c + 1);
        }
    }
}

/// The name of the end tag `rest` starts with (`</a>`), if it does.
fn end_tag(rest: &str) -> Option<&str> {
    let name = rest.strip_prefix("</")?;
    if !name.as_bytes().first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = name
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(name.len());
    Some(&name[..len])
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The position of `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Decodes the character references of an attribute value that a URL or an id may hold
/// (`&amp;`, `&quot;`, `&#39;`, `&#x2F;`...); any other stays as written.
pub fn decode(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').filter(|&e| e <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                // HTML5's names for the punctuation URLs are made of.
                "sol" => Some('/'),
                "colon" => Some(':'),
                "num" => Some('#'),
                "quest" => Some('?'),
                "period" => Some('.'),
                "equals" => Some('='),
                "lowbar" => Some('_'),
                "percnt" => Some('%'),
                "commat" => Some('@'),
                "excl" => Some('!'),
                "plus" => Some('+'),
                "comma" => Some(','),
                "semi" => Some(';'),
                "tilde" => Some('~'),
                "dollar" => Some('$'),
                "lpar" => Some('('),
                "rpar" => Some(')'),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code).filter(|&c| c != '\0')
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Escapes `text` for an attribute value in double quotes or for text: `&`, `<`, `>`, `"` and
/// `'` (and nothing else: `/` left alone keeps hrefs half the size of Tera's escaping). The one
/// escaper of the HTML built in Rust, here and in `render`: it runs over every title, href and
/// template value of every page.
pub fn escape_attribute(out: &mut String, text: &str) {
    // pulldown-cmark's escaper writes these five as `&amp;`, `&lt;`, `&gt;`, `&quot;` and
    // `&#39;`, as the rest of the page has them, finding them sixteen bytes at a time.
    pulldown_cmark_escape::escape_html(&mut *out, text).expect("writing to a String cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(html: &str) -> Vec<Item<'_>> {
        let mut out = Vec::new();
        scan(html, |i| out.push(i));
        out
    }

    fn urls(html: &str) -> Vec<(&str, String, bool)> {
        items(html)
            .into_iter()
            .filter_map(|i| match i {
                Item::Url {
                    range,
                    url,
                    embedded,
                    ..
                } => Some((&html[range], url.into_owned(), embedded)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn linking_attributes_of_linking_elements() {
        let html = "<A HREF=\"a.md?x=1&amp;y=2\">a</A> <img alt=x src='img/b.png' width=3>\
                    <video poster=p.jpg controls><source src=\" v.mp4 \"></video>\
                    <div href=\"no.md\" src=no.png></div><link href=\"style.css\">";
        assert_eq!(
            urls(html),
            [
                ("a.md?x=1&amp;y=2", "a.md?x=1&y=2".to_string(), false),
                ("img/b.png", "img/b.png".to_string(), true),
                ("p.jpg", "p.jpg".to_string(), true),
                ("v.mp4", "v.mp4".to_string(), true),
            ]
        );
    }

    #[test]
    fn srcset_candidates() {
        assert_eq!(
            urls("<img srcset=\"a.png 1x,b.png 2x , c%20d.png\">"),
            [
                ("a.png", "a.png".to_string(), true),
                ("b.png", "b.png".to_string(), true),
                ("c%20d.png", "c%20d.png".to_string(), true),
            ]
        );
        // A `data:` URL keeps its commas; the candidates after it are read.
        assert_eq!(
            urls("<img srcset=\"data:image/gif;base64,R0lGOD 1x, /a.png 2x,c.png, d.png 3x\">"),
            [
                (
                    "data:image/gif;base64,R0lGOD",
                    "data:image/gif;base64,R0lGOD".to_string(),
                    true
                ),
                ("/a.png", "/a.png".to_string(), true),
                ("c.png", "c.png".to_string(), true),
                ("d.png", "d.png".to_string(), true),
            ]
        );
    }

    #[test]
    fn anchors_comments_and_raw_text() {
        let html = "<h3 id=\"set&amp;up\">x</h3><a name=old></a><input name=\"email\">\
                    <!-- <a href=\"hidden.md\"> --><script src=\"s.js\">var a = '<a href=\"x.md\">';</script>\
                    <p data-id=\"no\">a < b</p><a href=after.md>";
        let got: Vec<Item> = items(html)
            .into_iter()
            .filter(|i| !matches!(i, Item::Tag { .. }))
            .collect();
        assert_eq!(got[0], Item::Anchor("set&up".into()));
        assert_eq!(got[1], Item::Anchor("old".into()));
        assert!(
            matches!(&got[2], Item::Comment { text, .. } if *text == " <a href=\"hidden.md\"> ")
        );
        // The script's own src is not an attribute we check; its text holds no tags.
        assert!(matches!(&got[3], Item::Url { url, .. } if url == "after.md"));
        assert_eq!(got.len(), 4);
        // Tags in order, start and end; `<!-->` is an empty comment, not one that runs on.
        let tags: Vec<(&str, bool)> = items("<a href=x><b>y</b></A><!--><a name=z>")
            .into_iter()
            .filter_map(|i| match i {
                Item::Tag { name, end, .. } => Some((name, end)),
                _ => None,
            })
            .collect();
        assert_eq!(
            tags,
            [
                ("a", false),
                ("b", false),
                ("b", true),
                ("A", true),
                ("a", false)
            ]
        );
    }

    #[test]
    fn tags_across_lines_and_unfinished_ones() {
        assert_eq!(
            urls("<img\n  src=\"a.png\"\n  alt=\"A\">"),
            [("a.png", "a.png".to_string(), true)]
        );
        // Never panics on what is cut off.
        for html in [
            "<a href=\"x",
            "<a href=",
            "<a",
            "<",
            "<!--",
            "<a href='é",
            "<img srcset=\"a.png 1x,",
        ] {
            let _ = items(html);
        }
    }

    #[test]
    fn character_references() {
        assert_eq!(decode("a&amp;b&#x2F;c&#47;&unknown;&"), "a&b/c/&unknown;&");
        assert_eq!(decode("docs&sol;a&period;md&num;x"), "docs/a.md#x");
        assert_eq!(decode("&#0;"), "&#0;");
        let mut s = String::new();
        escape_attribute(&mut s, "a\"b&c'");
        assert_eq!(s, "a&quot;b&amp;c&#39;");
    }
}
