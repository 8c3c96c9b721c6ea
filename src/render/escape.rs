//! The smallest pieces of HTML built in Rust: escaping (also Tera's escape function) and a
//! link.

/// HTML escaping for template output. Unlike Tera's default it leaves `/` alone: every href
/// would otherwise be written as `..&#x2F;..&#x2F;`, valid but twice the size.
pub(super) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// [`escape_attr`] appending to `out`, for HTML built in Rust (the sidebar, document tables).
/// Copies the runs between special characters whole: most text has none, and this runs over
/// every title, href and template value of every page.
pub(super) fn push_escaped(out: &mut String, s: &str) {
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

/// `<a href="HREF">TEXT</a>`, escaped.
pub(super) fn push_link(out: &mut String, href: &str, text: &str) {
    out.push_str("<a href=\"");
    push_escaped(out, href);
    out.push_str("\">");
    push_escaped(out, text);
    out.push_str("</a>");
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
}
