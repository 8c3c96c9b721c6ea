//! Other tools' admonitions, read as their authors meant: MkDocs' `!!! note "Title"` (its body
//! indented by four spaces), the collapsible `??? note` and `???+ note`, and Docusaurus'
//! `:::tip Title` ... `:::`. CommonMark reads them as a paragraph and an indented code block;
//! here they become the theme's callouts.
//!
//! The body is rewritten before it is parsed: each admonition's opening line becomes the
//! callout's HTML, its body (MkDocs': moved four spaces left) stays Markdown, and a closing tag
//! follows it. A [`Expanded::original`] map takes every offset of the rewritten text back to
//! the body as written, so that findings keep their lines and columns.

use std::fmt::Write as _;

/// A body with its admonitions rewritten as HTML around Markdown.
pub(super) struct Expanded {
    pub text: String,
    /// `(offset in text, offset in body)` where each stretch copied from the body starts, in
    /// order; generated text maps to the start of the line it stands for.
    map: Vec<(usize, usize)>,
}

impl Expanded {
    /// The body offset of byte `at` of the rewritten text.
    pub fn original(&self, at: usize) -> usize {
        let i = self
            .map
            .partition_point(|&(t, _)| t <= at)
            .saturating_sub(1);
        match self.map.get(i) {
            Some(&(t, b)) => b + (at - t),
            None => at,
        }
    }
}

/// `body` with its admonitions rewritten, or `None` when it has none (the common case, found
/// without copying).
pub(super) fn expand(body: &str) -> Option<Expanded> {
    if !has_marker_line(body) {
        return None;
    }
    let lines: Vec<Line> = lines(body, 0);
    let mut out = Expanded {
        text: String::with_capacity(body.len() + 256),
        map: Vec::new(),
    };
    let found = write_lines(&lines, &mut out, 0);
    found.then_some(out)
}

/// Whether a line of `body` starts with `!!!`, `???` or `:::`: searched for the marks, not line
/// by line, as nearly every body has none.
fn has_marker_line(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr::memchr3_iter(b'!', b'?', b':', bytes)
        .any(|i| (i == 0 || bytes[i - 1] == b'\n') && bytes[i..].starts_with(&[bytes[i]; 3]))
}

/// One line of the body (or of an admonition's body, its indentation removed): its text and
/// where that text starts in the body.
#[derive(Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    at: usize,
}

fn lines(text: &str, base: usize) -> Vec<Line<'_>> {
    let mut at = base;
    text.split_inclusive('\n')
        .map(|t| {
            let l = Line { text: t, at };
            at += t.len();
            l
        })
        .collect()
}

/// Nesting deeper than this is left as written: admonitions are not a way to make the
/// renderer recurse without end.
const MAX_DEPTH: usize = 8;

/// Writes `lines` to `out`, admonitions rewritten; whether there was any.
fn write_lines(lines: &[Line<'_>], out: &mut Expanded, depth: usize) -> bool {
    let mut found = false;
    let mut i = 0;
    let mut fence: Option<(u8, usize)> = None;
    while i < lines.len() {
        let line = lines[i];
        if let Some((ch, len)) = fence {
            if closes_fence(line.text, ch, len) {
                fence = None;
            }
            push(out, line.at, line.text);
            i += 1;
            continue;
        }
        if let Some(f) = opens_fence(line.text) {
            fence = Some(f);
            push(out, line.at, line.text);
            i += 1;
            continue;
        }
        let opened = (depth < MAX_DEPTH)
            .then(|| mkdocs(lines, i).or_else(|| docusaurus(lines, i)))
            .flatten();
        let Some(a) = opened else {
            push(out, line.at, line.text);
            i += 1;
            continue;
        };
        found = true;
        // The callout's opening tag stands for the opening line; a blank line after it ends
        // the HTML block, so that the body is read as Markdown.
        blank_line_before(out);
        push(out, line.at, &a.open_tag());
        push(out, line.at, "\n\n");
        write_lines(&a.body, out, depth + 1);
        let end = a
            .body
            .last()
            .map_or(line.at + line.text.len(), |l| l.at + l.text.len());
        blank_line_before(out);
        push(out, end, a.close_tag());
        push(out, end, "\n\n");
        i = a.next;
    }
    found
}

/// Appends `text`, which stands for the body from offset `at` on: copied from there, or
/// generated in place of the line there.
fn push(out: &mut Expanded, at: usize, text: &str) {
    out.map.push((out.text.len(), at));
    out.text.push_str(text);
}

/// Ends the text so far with a blank line (a line of its own, and an empty one).
fn blank_line_before(out: &mut Expanded) {
    if out.text.is_empty() {
        return;
    }
    if !out.text.ends_with('\n') {
        out.text.push('\n');
    }
    if !out.text.ends_with("\n\n") {
        out.text.push('\n');
    }
}

/// An admonition found at a line: its kind, title, how it shows, its body's lines and the
/// index of the line after it.
struct Admonition<'a> {
    class: &'static str,
    title: Option<String>,
    collapsible: Option<bool>,
    body: Vec<Line<'a>>,
    next: usize,
}

impl Admonition<'_> {
    fn open_tag(&self) -> String {
        let mut s = String::new();
        let title = self.title.as_deref().unwrap_or("");
        match self.collapsible {
            Some(open) => {
                let _ = write!(
                    s,
                    "<details class=\"callout callout-{}\"{}><summary class=\"callout-title\">",
                    self.class,
                    if open { " open" } else { "" }
                );
                super::escape_attribute(&mut s, title);
                s.push_str("</summary>");
            }
            None => {
                let _ = write!(
                    s,
                    "<div class=\"callout callout-{}\" role=\"note\"",
                    self.class
                );
                if !title.is_empty() {
                    s.push_str(" aria-label=\"");
                    super::escape_attribute(&mut s, title);
                    s.push_str("\"><p class=\"callout-title\">");
                    super::escape_attribute(&mut s, title);
                    s.push_str("</p>");
                } else {
                    s.push('>');
                }
            }
        }
        s
    }

    fn close_tag(&self) -> &'static str {
        match self.collapsible {
            Some(_) => "</details>",
            None => "</div>",
        }
    }
}

/// `!!! type "Title"`, `??? type`, `???+ type`, then the lines indented by four spaces (or a
/// tab), blank lines among them.
fn mkdocs<'a>(lines: &[Line<'a>], i: usize) -> Option<Admonition<'a>> {
    let line = lines[i].text.trim_end();
    let (collapsible, rest) = if let Some(r) = line.strip_prefix("???+") {
        (Some(true), r)
    } else if let Some(r) = line.strip_prefix("???") {
        (Some(false), r)
    } else {
        (None, line.strip_prefix("!!!")?)
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim();
    let (kind, title) = match rest.split_once(char::is_whitespace) {
        Some((kind, title)) => (kind, Some(title.trim())),
        None => (rest, None),
    };
    // `!!! note inline end` (Material's placement words) keeps its kind.
    if !is_kind_word(kind) {
        return None;
    }
    let title = match title {
        Some(t) if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') => {
            t[1..t.len() - 1].to_string()
        }
        _ => default_title(kind),
    };
    let mut body = Vec::new();
    let mut j = i + 1;
    while j < lines.len() {
        let l = lines[j];
        let content = l.text.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            body.push(Line {
                text: &l.text[content.len()..],
                at: l.at + content.len(),
            });
        } else if let Some(inner) = content
            .strip_prefix("    ")
            .or_else(|| content.strip_prefix('\t'))
        {
            let cut = content.len() - inner.len();
            body.push(Line {
                text: &l.text[cut..],
                at: l.at + cut,
            });
        } else {
            break;
        }
        j += 1;
    }
    // Blank lines at the end belong after it.
    while j > i + 1 && lines[j - 1].text.trim().is_empty() {
        j -= 1;
        body.pop();
    }
    Some(Admonition {
        class: class_of(kind),
        title: Some(title),
        collapsible,
        body,
        next: j,
    })
}

/// `:::type Title` (or `:::type[Title]`), the lines, then `:::` with as many colons; an
/// opening with no closing is no admonition.
fn docusaurus<'a>(lines: &[Line<'a>], i: usize) -> Option<Admonition<'a>> {
    let line = lines[i].text.trim_end();
    let colons = line.bytes().take_while(|&b| b == b':').count();
    if colons < 3 {
        return None;
    }
    let rest = &line[colons..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    let (kind, after) = rest.split_at(end);
    if kind.is_empty() || !is_kind_word(kind) {
        return None;
    }
    let title = match after.trim() {
        "" => default_title(kind),
        t if t.starts_with('[') && t.ends_with(']') => t[1..t.len() - 1].trim().to_string(),
        t => t.to_string(),
    };
    let close = ":".repeat(colons);
    let mut fence: Option<(u8, usize)> = None;
    let mut j = i + 1;
    while j < lines.len() {
        let text = lines[j].text;
        match fence {
            Some((ch, len)) if closes_fence(text, ch, len) => fence = None,
            Some(_) => {}
            None if text.trim_end() == close => {
                return Some(Admonition {
                    class: class_of(kind),
                    title: Some(title),
                    collapsible: None,
                    body: lines[i + 1..j].to_vec(),
                    next: j + 1,
                });
            }
            None => fence = opens_fence(text),
        }
        j += 1;
    }
    None
}

fn is_kind_word(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= 20
        && kind.starts_with(|c: char| c.is_ascii_alphabetic())
        && kind
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The theme's callout nearest to each type MkDocs Material and Docusaurus know.
fn class_of(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "tip",
        "important" => "important",
        "warning" | "caution" | "attention" => "warning",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "caution",
        _ => "note",
    }
}

/// The title a type gets when none is written: the type, capitalised, as both tools do.
fn default_title(kind: &str) -> String {
    let mut chars = kind.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A fence opening at `text` (up to three spaces in): its character and length.
fn opens_fence(text: &str) -> Option<(u8, usize)> {
    let t = text.trim_start_matches(' ');
    if text.len() - t.len() > 3 {
        return None;
    }
    let ch = *t.as_bytes().first().filter(|&&b| b == b'`' || b == b'~')?;
    let len = t.bytes().take_while(|&b| b == ch).count();
    (len >= 3 && !(ch == b'`' && t[len..].contains('`'))).then_some((ch, len))
}

fn closes_fence(text: &str, ch: u8, len: usize) -> bool {
    let t = text.trim_start_matches(' ');
    let n = t.bytes().take_while(|&b| b == ch).count();
    text.len() - t.len() <= 3 && n >= len && t[n..].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(body: &str) -> String {
        expand(body).map(|e| e.text).unwrap_or_default()
    }

    #[test]
    fn only_a_line_starting_with_three_marks_is_a_candidate() {
        for yes in [
            "!!! note\n",
            "a\n??? tip",
            "a: b\n:::warning\n:::",
            "x\n\n!!!",
        ] {
            assert!(has_marker_line(yes), "{yes:?}");
        }
        for no in ["", "a: b?! !!! ???", "a\n!! x\n::x\n ??? y", "a!!!\nb:::"] {
            assert!(!has_marker_line(no), "{no:?}");
        }
    }

    #[test]
    fn mkdocs_admonitions_become_callouts() {
        let out = expanded(
            "Intro.\n!!! warning \"Mind the gap\"\n    Body *here*.\n\n    More.\n\nAfter.\n",
        );
        assert_eq!(
            out,
            "Intro.\n\n<div class=\"callout callout-warning\" role=\"note\" aria-label=\"Mind the gap\"><p class=\"callout-title\">Mind the gap</p>\n\nBody *here*.\n\nMore.\n\n</div>\n\n\nAfter.\n"
        );
        assert!(expanded("!!! note \"\"\n    x\n")
            .starts_with("<div class=\"callout callout-note\" role=\"note\">\n"));
        assert!(expanded("??? danger\n    x\n")
            .starts_with("<details class=\"callout callout-caution\"><summary class=\"callout-title\">Danger</summary>"));
        assert!(expanded("???+ tip \"<b>\"\n    x\n").starts_with(
            "<details class=\"callout callout-tip\" open><summary class=\"callout-title\">&lt;b&gt;</summary>"
        ));
    }

    #[test]
    fn docusaurus_admonitions_become_callouts() {
        let out = expanded(":::tip Try this\nBody.\n:::\nAfter.\n");
        assert_eq!(
            out,
            "<div class=\"callout callout-tip\" role=\"note\" aria-label=\"Try this\"><p class=\"callout-title\">Try this</p>\n\nBody.\n\n</div>\n\nAfter.\n"
        );
        assert!(expanded(":::danger[Stop]\nx\n:::\n")
            .contains("callout-caution\" role=\"note\" aria-label=\"Stop\""));
        // Nested with more colons outside.
        let out = expanded("::::note\n:::info\nIn.\n:::\n::::\n");
        assert_eq!(out.matches("<div class=\"callout").count(), 2, "{out}");
        // Unclosed, or not a kind: left as written.
        assert!(expand(":::note\nNever closed.\n").is_none());
        assert!(expand("::: \n").is_none());
    }

    #[test]
    fn fenced_code_is_left_alone_and_offsets_map_back() {
        assert!(expand("```\n!!! note\n    x\n```\n").is_none());
        let body = "!!! note\n    See [x](x.md).\n";
        let e = expand(body).unwrap();
        let at = e.text.find("[x]").unwrap();
        assert_eq!(e.original(at), body.find("[x]").unwrap());
    }
}
