//! The smallest pieces of HTML built in Rust: escaping (also Tera's escape function) and a
//! link.

/// HTML escaping for template output. Unlike Tera's default it leaves `/` alone: every href
/// would otherwise be written as `..&#x2F;..&#x2F;`, valid but twice the size.
pub(super) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_attribute(&mut out, s);
    out
}

// Appending to a string, for the HTML built in Rust (the sidebar, document tables): the
// Markdown's escaper, so that the site escapes one way.
pub(super) use crate::markdown::escape_attribute;

/// `<a href="HREF">TEXT</a>`, escaped.
pub(super) fn push_link(out: &mut String, href: &str, text: &str) {
    out.push_str("<a href=\"");
    escape_attribute(out, href);
    out.push_str("\">");
    escape_attribute(out, text);
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
