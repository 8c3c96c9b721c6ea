//! Other tools' template tags left in the prose (`{{< ref >}}`, `{% include %}`, `<%= %>`),
//! found so that `check` can report them.

use std::ops::Range;

/// A piece of template syntax in the prose, by byte range in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSyntax {
    pub range: Range<usize>,
    /// The tag as written in the body (at `range`), for the message: a build frees the body's
    /// text before the checks run.
    pub text: String,
    /// Whose syntax it looks like.
    pub dialect: &'static str,
}

/// Whether `tag` is handbook's own include or title directive (`{{#include x}}`).
fn is_include(tag: &str) -> bool {
    let inner = tag.trim_start_matches('{').trim_start();
    ["#include", "#rustdoc_include", "#title"].iter().any(|d| {
        inner
            .strip_prefix(d)
            .is_some_and(|r| r.starts_with(char::is_whitespace))
    })
}

/// Template tags of other tools in `text` (prose, not code), each closed on the same line:
/// `(range, dialect)`. An unclosed `{%` or `<%` is ordinary text.
pub fn template_syntax(text: &str) -> Vec<(Range<usize>, &'static str)> {
    const TAGS: [(&str, &str, &str); 5] = [
        ("{{<", ">}}", "a Hugo shortcode"),
        ("{{%", "%}}", "a Hugo shortcode"),
        ("{%", "%}", "a Liquid or Jinja tag"),
        ("<%", "%>", "an ERB tag"),
        ("{{", "}}", "a template expression"),
    ];
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    // Only lines with a `{` or a `<` can hold a tag: the text is searched for those, not cut
    // into lines (most prose has neither).
    let mut from = 0;
    while let Some(i) = memchr::memchr2(b'{', b'<', &bytes[from..]) {
        let hit = from + i;
        let line_start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |p| p + 1);
        let line_end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |p| hit + p + 1);
        let line = &text[line_start..line_end];
        let mut at = hit - line_start;
        // Where each closer was last seen missing from the rest of the line: a line of many
        // openers and no closer is then searched once per closer, not once per opener.
        let mut missing = [usize::MAX; TAGS.len()];
        while let Some(i) = memchr::memchr2(b'{', b'<', &line.as_bytes()[at..]) {
            let start = at + i;
            let rest = &line[start..];
            let tag = TAGS
                .iter()
                .enumerate()
                .find_map(|(k, &(open, close, dialect))| {
                    let inner = rest.strip_prefix(open)?;
                    if start >= missing[k] {
                        return None;
                    }
                    match inner.find(close) {
                        Some(end) => Some((open.len() + end + close.len(), dialect)),
                        None => {
                            missing[k] = start;
                            None
                        }
                    }
                });
            match tag {
                Some((len, dialect)) => {
                    // Handbook's own include, left in the text only when written escaped
                    // (`\{{#include x}}`: meant to be shown).
                    if !is_include(&rest[..len]) {
                        found.push((line_start + start..line_start + start + len, dialect));
                    }
                    at = start + len;
                }
                None => at = start + 1,
            }
        }
        from = line_end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render;
    use crate::markdown::tests::Fake;

    #[test]
    fn template_tags_in_prose_are_found_and_shown_literally() {
        let md =
            "See {{< ref \"a.md\" >}} and {% include note.html %}.\n\n<%= partial \"x\" %>\n\n\
                  `{% in code %}` and 50{% off, {{ site.title }}\n\n```\n{{< in a block >}}\n```\n";
        let r = render(md, &Fake, None);
        let found: Vec<_> = r
            .templates
            .iter()
            .map(|t| (&md[t.range.clone()], t.dialect))
            .collect();
        assert_eq!(
            found,
            [
                ("{{< ref \"a.md\" >}}", "a Hugo shortcode"),
                ("{% include note.html %}", "a Liquid or Jinja tag"),
                ("<%= partial \"x\" %>", "an ERB tag"),
                ("{{ site.title }}", "a template expression"),
            ]
        );
        assert!(
            r.html().contains("See {{&lt; ref \"a.md\" &gt;}}"),
            "{}",
            r.html()
        );
        assert!(r.html().contains("&lt;%= partial"), "{}", r.html());
        assert!(template_syntax("{% not closed\n%}").is_empty());
    }
}
