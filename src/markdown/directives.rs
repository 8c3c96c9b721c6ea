//! `handbook-ignore` comments: the directive a comment in the body makes, which `check`
//! applies to silence findings.

/// A `<!-- handbook-ignore RULE... -->` comment (silences the rules on the next line),
/// `<!-- handbook-ignore-line RULE... -->` (on its own line) or
/// `<!-- handbook-ignore-file RULE... -->` (in the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Byte offset of the comment in the body.
    pub offset: usize,
    /// Byte offset just past the comment's `-->`: a comment over several lines silences the
    /// line after its end.
    pub end: usize,
    /// Where it silences.
    pub scope: Scope,
    /// The rule names as written.
    pub rules: Vec<String>,
}

impl Directive {
    /// The directive a comment's text (between `<!--` and `-->`) makes, if any.
    pub fn parse(comment: &str, offset: usize, end: usize) -> Option<Directive> {
        let text = comment.trim();
        // Any case: `HANDBOOK-IGNORE` is no less meant.
        let prefix = |p: &str| {
            text.get(..p.len())
                .filter(|t| t.eq_ignore_ascii_case(p))
                .map(|_| &text[p.len()..])
        };
        let (scope, rest) = if let Some(rest) = prefix("handbook-ignore-line") {
            (Scope::Line, rest)
        } else if let Some(rest) = prefix("handbook-ignore-file") {
            (Scope::File, rest)
        } else {
            (Scope::NextLine, prefix("handbook-ignore")?)
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            return None; // `handbook-ignored`, some other word
        }
        let rules = rest
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        Some(Directive {
            offset,
            end,
            scope,
            rules,
        })
    }
}

/// Where a `handbook-ignore` comment silences its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The line after the comment's end (`handbook-ignore`).
    NextLine,
    /// The comment's own line (`handbook-ignore-line`).
    Line,
    /// The whole file (`handbook-ignore-file`): findings about the document itself, reported
    /// at its first line, have no other line to be silenced on.
    File,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render;
    use crate::markdown::tests::Fake;

    #[test]
    fn ignore_directives() {
        let md = "<!-- handbook-ignore link-broken, anchor-broken -->\n[x](y.md) <!-- handbook-ignore-line link-case -->\n\n\
                  <!-- handbook-ignored -->\n\n```\n<!-- handbook-ignore link-broken -->\n```\n\n\
                  <!--\n  HANDBOOK-IGNORE-FILE owner-missing\n-->\n";
        let r = render(md, &Fake, None);
        let got: Vec<_> = r
            .directives
            .iter()
            .map(|d| (&md[d.offset..d.end], d.scope, d.rules.join(",")))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "<!-- handbook-ignore link-broken, anchor-broken -->",
                    Scope::NextLine,
                    "link-broken,anchor-broken".to_string()
                ),
                (
                    "<!-- handbook-ignore-line link-case -->",
                    Scope::Line,
                    "link-case".to_string()
                ),
                (
                    "<!--\n  HANDBOOK-IGNORE-FILE owner-missing\n-->",
                    Scope::File,
                    "owner-missing".to_string()
                ),
            ]
        );
    }
}
