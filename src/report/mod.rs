//! Formatters: diagnostics and review facts written for people and for other tools. They
//! decide nothing; everything they print was computed by the model and the checks.
//!
//! - [`diagnostics`]: `check`'s output formats (human, json, github, junit, sarif).
//! - [`digest`]: `report`'s owner digest, review calendar and document register.
//!
//! Markdown written from the handbook's text (the digest, GitHub's step summary) goes through
//! [`md_text`] and [`md_code`], so that a title or a file name shows as it is, on its line.

pub mod diagnostics;
pub mod digest;
mod plain;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Component, Path};

use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// Counts for summary lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    /// Documents checked (every Markdown file, drafts included).
    pub documents: usize,
    /// Findings that `handbook-ignore` comments silenced.
    pub silenced: usize,
}

impl Summary {
    pub fn of(diags: &[Diagnostic], documents: usize) -> Summary {
        let errors = diags.iter().filter(|d| d.is_error()).count();
        Summary {
            errors,
            warnings: diags.len() - errors,
            documents,
            silenced: 0,
        }
    }
}

/// Data files larger than this are not read for snippets.
const MAX_SOURCE: u64 = 8 << 20;

/// The text of the files diagnostics point into, for source snippets: documents from the
/// model, anything else (team data, handbook.yaml) read from under the root on demand.
pub struct Sources<'a> {
    root: &'a Path,
    documents: HashMap<&'a Path, &'a str>,
}

impl<'a> Sources<'a> {
    pub fn new(root: &'a Path, site: &'a Site) -> Sources<'a> {
        Sources {
            root,
            documents: site
                .pages
                .iter()
                .filter_map(|p| p.doc.as_ref())
                .map(|d| (d.file.as_path(), d.text.as_str()))
                .collect(),
        }
    }

    /// The text of `file` (relative to the root); `None` if it cannot be read. Only a regular
    /// file that is inside the root once symlinks are resolved, and not huge, is read: a
    /// diagnostic may well be about a symlink that leads out (`path-unsafe`).
    pub fn text(&self, file: &Path) -> Option<Cow<'a, str>> {
        if let Some(t) = self.documents.get(file) {
            return Some(Cow::Borrowed(t));
        }
        if file.as_os_str().is_empty()
            || file
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return None;
        }
        let root = self.root.canonicalize().ok()?;
        let path = self.root.join(file).canonicalize().ok()?;
        let meta = std::fs::metadata(&path).ok()?;
        if !path.starts_with(&root) || !meta.is_file() || meta.len() > MAX_SOURCE {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        Some(Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()))
    }
}

/// Text of the handbook as Markdown that shows it as it is, on one line: in a table cell, a
/// heading or a list item. Line breaks and other control characters become spaces; `\`, `|`,
/// backticks, `*`, `[`, `]`, `<`, `>` and `~` are escaped, and `_` and `&` where they could start
/// emphasis or a character reference, so that nothing in it formats, links, ends a table cell
/// or opens HTML.
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    let word = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    for (i, &c) in chars.iter().enumerate() {
        match c {
            c if c.is_control() || is_line_break(c) => out.push(' '),
            '\\' | '|' | '`' | '*' | '[' | ']' | '<' | '>' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Inside a word (`snake_case`) an underscore never emphasises.
            '_' if !(word(i.checked_sub(1)) && word(Some(i + 1))) => out.push_str("\\_"),
            '&' if starts_reference(&chars[i + 1..]) => out.push_str("\\&"),
            c => out.push(c),
        }
    }
    out
}

/// Whether the text after a `&` would make it a character reference (`&amp;`, `&#60;`).
fn starts_reference(after: &[char]) -> bool {
    let name = after
        .iter()
        .take(33)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && after.get(name) == Some(&';')
}

/// Line and paragraph separators, which some renderers break lines at.
fn is_line_break(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// Text of the handbook as a Markdown code span, outside a table: fenced by more backticks
/// than it holds in a row, so that none of them ends it; on one line.
pub fn md_code(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_control() || is_line_break(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    if s.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space on each side keeps a backtick at either end from joining the fence (and the
    // renderer strips one from each side).
    let pad = if s.starts_with(['`', ' ']) || s.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// [`md_code`] inside a table cell, where a `|` ends the cell even inside a code span unless
/// it is escaped (GitHub shows `\|` there as `|`).
pub fn cell_code(s: &str) -> String {
    md_code(s).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_shows_as_it_is() {
        assert_eq!(md_text("plain snake_case R&D"), "plain snake_case R&D");
        assert_eq!(
            md_text("a|b *c* [d](e) <f> `g` _h_ ~i~ \\| &amp;"),
            "a\\|b \\*c\\* \\[d\\](e) \\<f\\> \\`g\\` \\_h\\_ \\~i\\~ \\\\\\| \\&amp;"
        );
        assert_eq!(md_text("a\r\nb\u{1b}c\u{2028}d"), "a  b c d");
    }

    #[test]
    fn code_spans_are_fenced_past_their_backticks() {
        assert_eq!(md_code("ana"), "`ana`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`a``"), "``` `a`` ```");
        assert_eq!(md_code("a\nb"), "`a b`");
        assert_eq!(md_code(""), "");
        assert_eq!(cell_code("a|b"), "`a\\|b`");
    }
}
