//! `check`'s output formats. `human` for people at a terminal; `json` for scripts; `github`
//! for GitHub Actions annotations; `junit` for GitLab and Jenkins test reports; `sarif` for
//! code-scanning upload.
//!
//! File names and messages come from the handbook and may hold anything (line breaks, quotes,
//! control characters, the formats' own separators): each format escapes them its own way, so
//! that a finding is always exactly one finding, where it is, and the output stays valid.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use annotate_snippets::{Level, Renderer, Snippet};
use rayon::prelude::*;
use serde::Serialize;

use super::plain::{self, Excerpt, Finding};
use super::{Sources, Summary};
use crate::rules::Rule;

use crate::diagnostic::{plural, visible, Diagnostic, LineIndex};
use crate::rules::Severity;

/// An output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Junit,
    Sarif,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "github" => Ok(Format::Github),
            "junit" => Ok(Format::Junit),
            "sarif" => Ok(Format::Sarif),
            _ => Err(format!(
                "`{s}` is not a format: use human, json, github, junit or sarif"
            )),
        }
    }
}

/// "2 errors, 5 warnings in 140 documents", and "(3 silenced)" when comments silenced some.
pub fn summary_line(s: Summary) -> String {
    let n = |count: usize, what: &str| format!("{count} {what}{}", plural(count as i64));
    let mut line = format!(
        "{}, {} in {}",
        n(s.errors, "error"),
        n(s.warnings, "warning"),
        n(s.documents, "document")
    );
    if s.silenced > 0 {
        line.push_str(&format!(" ({} silenced by handbook-ignore)", s.silenced));
    }
    line
}

/// Grouped by file (the diagnostics come sorted), each with its source line and a caret under
/// the column, then the summary line. `color` only for a terminal that wants it. The files are
/// written in parallel: a handbook can have thousands of findings.
pub fn human(diags: &[Diagnostic], summary: Summary, sources: &Sources, color: bool) -> String {
    let renderer = renderer(color);
    let files: Vec<String> = diags
        .par_chunk_by(|a, b| a.file == b.file)
        .map(|of_file| human_file(of_file, sources, &renderer))
        .collect();
    let mut out = files.concat();
    out.push_str(&summary_line(summary));
    out.push('\n');
    out
}

/// [`human`] for the findings of one file.
fn human_file(diags: &[Diagnostic], sources: &Sources, renderer: &Painter) -> String {
    let mut out = String::new();
    // The file's lines, found once, not by reading the file from its start for every finding
    // (a file with thousands of them). Only a diagnostic with a line shows its source.
    let text = diags
        .iter()
        .any(|d| d.line > 0)
        .then(|| sources.text(&diags[0].file))
        .flatten()
        .map(|t| {
            let lines = LineIndex::new(&t);
            (t, lines)
        });
    // Where the last column was found: findings come sorted, so the next on the same line
    // is found from there (a line of 100,000 links is walked once, not once per link).
    let mut cursor: Option<(u32, u32, usize)> = None;
    for d in diags {
        let line = (d.line > 0)
            .then_some(text.as_ref())
            .flatten()
            .and_then(|(text, lines)| lines.line_text(text, d.line));
        let at = line.map(|line| {
            let (from_column, from_byte) = match cursor {
                Some((l, c, b)) if l == d.line && c <= d.column => (c, b),
                _ => (1, 0),
            };
            let skip = d.column.saturating_sub(from_column) as usize;
            let at = line[from_byte..]
                .char_indices()
                .nth(skip)
                .map_or(line.len(), |(i, _)| from_byte + i);
            cursor = Some((d.line, d.column.max(1), at));
            at
        });
        let _ = writeln!(out, "{}\n", render_line(renderer, d, line.zip(at)));
    }
    out
}

/// One diagnostic as [`human`] prints it, `text` being its file's: for an error that stops a
/// command (an invalid handbook.yaml), printed alone.
pub fn render(d: &Diagnostic, text: Option<&str>, color: bool) -> String {
    let line = text.and_then(|t| nth_line(t, d.line));
    let at = line.map(|l| byte_of_column(l, d.column));
    render_line(&renderer(color), d, line.zip(at))
}

/// annotate-snippets' renderer, and whether it colours: without colour, most findings are
/// written by [`plain::plain`].
struct Painter {
    renderer: Renderer,
    color: bool,
}

fn renderer(color: bool) -> Painter {
    let renderer = match color {
        true => Renderer::styled(),
        false => Renderer::plain(),
    };
    Painter { renderer, color }
}

/// One diagnostic with its line (its text, and the byte of its column) under a caret: the
/// message, the source line when there is one, else the location, then the help.
fn render_line(renderer: &Painter, d: &Diagnostic, line: Option<(&str, usize)>) -> String {
    // The snippet's origin gets the line and column appended by the renderer.
    let file = visible(&d.file.display().to_string());
    let origin = visible(&location(d));
    let title = visible(&d.message);
    let help = d.help.as_deref().map(visible);
    // An empty line has nothing to point at (and the renderer loses its number): the
    // location alone says where.
    let line = line.filter(|(l, _)| !l.trim().is_empty());
    // A long line (minified HTML, a table on one line) is shown around the column: the
    // renderer would carry the whole line for every finding on it, and picturing it whole
    // for each of thousands of findings on it would be quadratic. Its column then is the
    // excerpt's, so the location is said apart.
    let excerpted = line.map(|(l, at)| {
        if l.len() <= LONG_LINE {
            (std::borrow::Cow::Borrowed(l), at, false)
        } else {
            let (text, caret) = around(l, at);
            (std::borrow::Cow::Owned(text), caret, true)
        }
    });
    let shown = excerpted
        .as_ref()
        .map(|(l, at, cut)| (pictured(l, *at), *cut));
    let excerpt = shown.as_ref().map(|((line, start), cut)| {
        let start = *start;
        let end = line[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        Excerpt {
            line,
            start,
            end,
            number: d.line as usize,
            origin: (!cut).then_some(file.as_str()),
        }
    });
    let note = match &shown {
        Some((_, false)) => None,
        Some((_, true)) | None => Some(origin.as_str()),
    };
    let finding = Finding {
        error: d.severity == Severity::Error,
        rule: d.rule.name(),
        title: &title,
        excerpt,
        note,
        help: help.as_deref(),
    };
    match renderer.color {
        false => plain::plain(&finding).unwrap_or_else(|| annotated(&renderer.renderer, &finding)),
        true => annotated(&renderer.renderer, &finding),
    }
}

/// The finding as annotate-snippets lays it out.
fn annotated(renderer: &Renderer, f: &Finding<'_>) -> String {
    let level = match f.error {
        true => Level::Error,
        false => Level::Warning,
    };
    let mut message = level.title(f.title).id(f.rule);
    if let Some(e) = &f.excerpt {
        let mut snippet = Snippet::source(e.line)
            .line_start(e.number)
            .annotation(level.span(e.start..e.end));
        if let Some(origin) = e.origin {
            snippet = snippet.origin(origin);
        }
        message = message.snippet(snippet);
    }
    if let Some(note) = f.note {
        message = message.footer(Level::Note.title(note));
    }
    if let Some(help) = f.help {
        message = message.footer(Level::Help.title(help));
    }
    renderer.render(message).to_string()
}

/// A source line as the human format shows it, and where byte `at` of it went: control
/// characters (but tabs, which the renderer widens) shown as their pictures (`␛` for escape,
/// `␀`...), one character for one, so that the caret stays under its column.
fn pictured(line: &str, at: usize) -> (std::borrow::Cow<'_, str>, usize) {
    let shown = |c: char| c == '\t' || !c.is_control();
    if line.chars().all(shown) {
        return (std::borrow::Cow::Borrowed(line), at);
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut moved = at;
    for (i, c) in line.char_indices() {
        if i == at {
            moved = out.len();
        }
        out.push(match c {
            c if shown(c) => c,
            '\u{7f}' => '\u{2421}',
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            _ => '\u{fffd}',
        });
    }
    if at >= line.len() {
        moved = out.len();
    }
    (std::borrow::Cow::Owned(out), moved)
}

/// Lines longer than this (in bytes) are shown as an excerpt around the column.
const LONG_LINE: usize = 400;

/// About 60 characters of `line` on each side of byte `at`, with `…` where it is cut, and the
/// byte of the excerpt that `at` became.
fn around(line: &str, at: usize) -> (String, usize) {
    const SIDE: usize = 60;
    let before = line[..at]
        .char_indices()
        .rev()
        .nth(SIDE - 1)
        .map_or(0, |(i, _)| i);
    let after = line[at..]
        .char_indices()
        .nth(SIDE)
        .map_or(line.len(), |(i, _)| at + i);
    let mut text = String::with_capacity(after - before + 8);
    if before > 0 {
        text.push('…');
    }
    let caret = text.len() + (at - before);
    text.push_str(&line[before..after]);
    if after < line.len() {
        text.push('…');
    }
    (text, caret)
}

/// `file:line:column`, leaving out what is unknown.
fn location(d: &Diagnostic) -> String {
    let mut s = d.file.display().to_string();
    if d.line > 0 {
        let _ = write!(s, ":{}", d.line);
        if d.column > 0 {
            let _ = write!(s, ":{}", d.column);
        }
    }
    s
}

/// Line `n` (1-based) of `text`, without its line ending.
fn nth_line(text: &str, n: u32) -> Option<&str> {
    let i = (n as usize).checked_sub(1)?;
    text.split('\n').nth(i).map(|l| l.trim_end_matches('\r'))
}

/// The byte offset of 1-based character column `column` in `line` (its end if beyond).
fn byte_of_column(line: &str, column: u32) -> usize {
    let skip = (column as usize).saturating_sub(1);
    line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: &'a [Diagnostic],
    summary: Summary,
}

/// `{"diagnostics": [...], "summary": {"errors", "warnings", "documents"}}`.
pub fn json(diags: &[Diagnostic], summary: Summary) -> String {
    let mut s = serde_json::to_string_pretty(&JsonReport {
        diagnostics: diags,
        summary,
    })
    .unwrap_or_default();
    s.push('\n');
    s
}

/// GitHub Actions workflow commands, one per diagnostic.
pub fn github(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = write!(
            out,
            "::{command} file={}",
            // The path as it is (percent-encoded): the runner needs it to find the file.
            gh_property(&d.file.display().to_string())
        );
        if d.line > 0 {
            let _ = write!(out, ",line={}", d.line);
            if d.column > 0 {
                let _ = write!(out, ",col={}", d.column);
            }
        }
        // Controls shown, not sent: an escape sequence in a message would colour or rewrite
        // the log it is printed in. The help's own line break is the one the runner decodes.
        let mut message = visible(&d.message);
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&visible(help));
        }
        let _ = writeln!(
            out,
            ",title={}::{}",
            gh_property(d.rule.name()),
            gh_data(&message)
        );
    }
    out
}

/// A code span of the step summary's table: `|` escaped, as a table cell needs even there.
fn summary_code(s: &str) -> String {
    super::cell_code(s)
}

/// A message in the step summary's table: its `code` spans kept (each fenced so that nothing
/// in it ends it), the rest shown as it is (see [`super::md_text`]); on one line.
fn summary_text(message: &str) -> String {
    let parts: Vec<&str> = message.split('`').collect();
    // An odd number of parts: every backtick has its pair.
    let paired = parts.len() % 2 == 1;
    let mut out = String::with_capacity(message.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 && (paired || i + 1 < parts.len()) {
            out.push_str(&summary_code(part));
        } else {
            if i % 2 == 1 {
                // The unpaired last backtick.
                out.push_str("\\`");
            }
            out.push_str(&super::md_text(part));
        }
    }
    out
}

/// The full table for `$GITHUB_STEP_SUMMARY`: GitHub shows only the first ten annotations of
/// each type per step.
pub fn github_step_summary(diags: &[Diagnostic], summary: Summary) -> String {
    let mut out = format!("## handbook check\n\n**{}**\n\n", summary_line(summary));
    if diags.is_empty() {
        return out;
    }
    out.push_str("| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n");
    for d in diags {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            d.severity,
            d.rule,
            summary_code(&location(d)),
            summary_text(&d.message)
        );
    }
    out
}

/// A workflow command's data: `%`, CR and LF percent-encoded, as the runner decodes them.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: [`gh_data`], and its separators `:` and `,`.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// JUnit XML: a test case per checked file (every document, and any other file with a
/// diagnostic), a failure per error; warnings go to the case's `system-out`.
pub fn junit(diags: &[Diagnostic], documents: &[&Path]) -> String {
    let mut files: BTreeMap<&Path, Vec<&Diagnostic>> =
        documents.iter().map(|&f| (f, Vec::new())).collect();
    for d in diags {
        files.entry(d.file.as_path()).or_default().push(d);
    }
    let failed = files
        .values()
        .filter(|ds| ds.iter().any(|d| d.is_error()))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"handbook check\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">",
        files.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"handbook\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">",
        files.len()
    );
    for (file, ds) in &files {
        let name = xml_attr(&file.display().to_string());
        let class = xml_attr(
            &file
                .parent()
                .map(|p| p.display().to_string().replace('/', "."))
                .unwrap_or_default(),
        );
        let _ = write!(
            out,
            "    <testcase classname=\"{class}\" name=\"{name}\" file=\"{name}\""
        );
        if ds.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for d in ds.iter().filter(|d| d.is_error()) {
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                xml_attr(d.rule.name()),
                xml_attr(&d.message),
                xml(&d.to_string())
            );
        }
        let warnings: Vec<String> = ds
            .iter()
            .filter(|d| !d.is_error())
            .map(|d| d.to_string())
            .collect();
        if !warnings.is_empty() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                xml(&warnings.join("\n"))
            );
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// XML text escaping. A carriage return is written as a reference (a parser would read a raw
/// one as a line feed); characters XML 1.0 cannot carry at all, even as references (the other
/// C0 controls, U+FFFE, U+FFFF), become U+FFFD.
fn xml(s: &str) -> String {
    escape_xml(s, false)
}

/// XML attribute value escaping: [`xml`], and tabs and line breaks written as references (a
/// parser reads raw ones in an attribute as spaces).
fn xml_attr(s: &str) -> String {
    escape_xml(s, true)
}

fn escape_xml(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.
pub fn sarif(diags: &[Diagnostic]) -> String {
    use serde_json::{json, Value};
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.name(),
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": format!("{} Default severity: {}.", r.summary(), r.default_in_words())},
                "defaultConfiguration": {"level": r.usual_severity().to_string()},
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut location = json!({
                "artifactLocation": {"uri": crate::site::url::encode_path(&d.file.display().to_string()), "uriBaseId": "%SRCROOT%"},
            });
            if d.line > 0 {
                let mut region = json!({"startLine": d.line});
                if d.column > 0 {
                    region["startColumn"] = json!(d.column);
                }
                location["region"] = region;
            }
            let mut result = json!({
                "ruleId": d.rule,
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": {"text": text},
                "locations": [{"physicalLocation": location}],
            });
            if let Some(i) = Rule::ALL.iter().position(|r| *r == d.rule) {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "handbook",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_commands_escape_their_separators() {
        let d = Diagnostic::error(Rule::LinkBroken, "content/a,b.md", "bad: 100%\nreally")
            .at(crate::diagnostic::Pos::new(3, 4))
            .with_help("fix it");
        assert_eq!(
            github(&[d]),
            "::error file=content/a%2Cb.md,line=3,col=4,title=link-broken::\
             bad: 100%25\\nreally%0Ahelp: fix it\n"
        );
        // No escape sequence reaches the log, in a message or a help (a file name is
        // the path as it is, for the runner to find the file).
        let d = Diagnostic::warning(Rule::LinkBroken, "content/a.md", "x\u{9b}31m\u{7}")
            .with_help("\u{1b}]8;;http://x\u{7}");
        let out = github(&[d]);
        assert!(
            !out.contains(|c: char| c.is_control() && c != '\n'),
            "{out:?}"
        );
        assert_eq!(out.matches('\n').count(), 1);
    }

    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let line = format!("{}[x](missing.md){}", "é".repeat(1000), "z".repeat(1000));
        let at = line.find('[').unwrap();
        let (text, caret) = around(&line, at);
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert_eq!(&text[caret..caret + 3], "[x]");
        assert_eq!(text.chars().count(), 122);
        let d = Diagnostic::error(Rule::LinkBroken, "a.md", "broken")
            .at(crate::diagnostic::Pos::new(3, 1001));
        let out = render(&d, Some(&format!("a\nb\n{line}\n")), false);
        assert!(out.contains("= note: a.md:3:1001"), "{out}");
        assert!(out.len() < 600, "{out}");
    }

    #[test]
    fn text_is_shown_on_one_line_with_its_controls_visible() {
        assert_eq!(visible("plain é"), "plain é");
        assert_eq!(
            visible("a\nb\r\tc\u{1b}[31m\u{202e}d\u{2028}"),
            "a\\nb\\r\\tc\\u{1b}[31m\\u{202e}d\\u{2028}"
        );
        let (line, at) = pictured("a\u{1b}[2K\u{0}\tb\u{7f}c", 8);
        assert_eq!(line, "a\u{241b}[2K\u{2400}\tb\u{2421}c");
        assert_eq!(&line[at..], "\u{2421}c");
        assert_eq!(pictured("ab", 2), ("ab".into(), 2));
        let d = Diagnostic::error(Rule::LinkBroken, "a\nerror[x]: b.md", "m\nerror[y]: z")
            .at(crate::diagnostic::Pos::new(1, 1));
        let out = render(&d, Some("x\u{1b}[2K\n"), false);
        assert!(!out.contains("\nerror["), "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
    }

    #[test]
    fn step_summary_cells_stay_cells() {
        assert_eq!(
            summary_text("owner `a|b` is *x*"),
            "owner `a\\|b` is \\*x\\*"
        );
        assert_eq!(summary_text("odd ` tick"), "odd \\` tick");
        assert_eq!(summary_code("a`b|c"), "``a`b\\|c``");
    }

    #[test]
    fn columns_are_characters() {
        assert_eq!(byte_of_column("héllo", 3), 3);
        assert_eq!(byte_of_column("ab", 9), 2);
        assert_eq!(nth_line("a\r\nb\n", 1), Some("a"));
        assert_eq!(nth_line("a\nb", 3), None);
    }

    #[test]
    fn xml_escapes_and_replaces_control_characters() {
        assert_eq!(
            xml("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{FFFD}"
        );
        assert_eq!(xml("a\r\nb\tc"), "a&#13;\nb\tc");
        assert_eq!(xml_attr("a\r\nb\tc"), "a&#13;&#10;b&#9;c");
    }

    /// The plain fast path against annotate-snippets, which it stands in for.
    mod plain_layout {
        use super::super::{annotated, Excerpt, Finding};
        use crate::report::plain::plain;
        use annotate_snippets::Renderer;
        use proptest::prelude::*;

        /// Characters of a source line: mostly one column wide (spaces weighted, so that
        /// lines start indented and long lines are cut), and some only the crate lays out.
        fn line_char() -> impl Strategy<Value = char> {
            prop_oneof![
                6 => Just(' '),
                20 => proptest::char::range('!', '~'),
                2 => prop::sample::select(vec!['é', 'Ü', 'ł', 'ș', '…', '’', '“', '—', '–', '•']),
                1 => prop::sample::select(vec!['\t', 'あ', '\u{301}', '\u{200d}', '\u{a0}', '😀', '\u{2028}', '\u{ad}']),
            ]
        }

        fn text() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => "[ -~]{1,40}",
                1 => "[ -~éあ…]{0,40}",
                1 => Just(String::new()),
            ]
        }

        /// Line numbers around the widths of the gutter.
        fn number() -> impl Strategy<Value = usize> {
            prop_oneof![
                1usize..200,
                prop::sample::select(vec![
                    9usize, 10, 98, 99, 100, 999, 1000, 9999, 99_999, 100_000
                ]),
                1usize..2_000_000,
            ]
        }

        prop_compose! {
            fn excerpt()(
                indent in 0usize..70,
                body in proptest::collection::vec(line_char(), 0..420),
                at in 0usize..=1000,
                number in number(),
                // An empty origin too, which the crate writes without a space.
                origin in proptest::option::of("(content/[a-z/]{1,20}\\.md)?"),
            ) -> (String, usize, usize, Option<String>) {
                let line: String = std::iter::repeat_n(' ', indent).chain(body).collect();
                let bounds: Vec<usize> = line.char_indices().map(|(i, _)| i).chain([line.len()]).collect();
                let start = bounds[at % bounds.len()];
                (line, start, number, origin)
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

            /// Whatever the fast path writes, annotate-snippets writes the same.
            #[test]
            fn the_fast_path_lays_out_as_the_crate_does(
                error in any::<bool>(),
                title in text(),
                shown in proptest::option::of(excerpt()),
                note in proptest::option::of(text()),
                help in proptest::option::of(text()),
            ) {
                let excerpt = shown.as_ref().map(|(line, start, number, origin)| Excerpt {
                    line,
                    start: *start,
                    end: line[*start..].chars().next().map_or(*start, |c| start + c.len_utf8()),
                    number: *number,
                    origin: origin.as_deref(),
                });
                let f = Finding { error, rule: "link-broken", title: &title, excerpt, note: note.as_deref(), help: help.as_deref() };
                if let Some(fast) = plain(&f) {
                    prop_assert_eq!(fast, annotated(&Renderer::plain(), &f));
                }
            }
        }

        /// Every caret on lines about as long as the terminal is wide, where the crate starts
        /// to cut: the boundaries a random line seldom hits.
        #[test]
        fn lines_cut_at_the_terminal_lay_out_as_the_crate_does() {
            for len in 118..=142 {
                for indent in [0, 26, 27, 40] {
                    let line: String = std::iter::repeat_n(' ', indent)
                        .chain(('a'..='z').cycle().take(len))
                        .collect();
                    for number in [9, 99_999] {
                        for start in (indent..=line.len()).step_by(3).chain([line.len() - 1]) {
                            let f = Finding {
                                error: true,
                                rule: "link-broken",
                                title: "broken",
                                excerpt: Some(Excerpt {
                                    line: &line,
                                    start,
                                    end: (start + 1).min(line.len()),
                                    number,
                                    origin: Some("a.md"),
                                }),
                                note: None,
                                help: None,
                            };
                            let fast = plain(&f).expect("one column a character");
                            assert_eq!(
                                fast,
                                annotated(&Renderer::plain(), &f),
                                "{len} {indent} {number} {start}"
                            );
                        }
                    }
                }
            }
        }

        /// Findings as handbooks have them take the fast path: short lines and long ones,
        /// indented, at their end, with accented words; a tab or a wide character does not.
        #[test]
        fn findings_as_handbooks_have_them_take_the_fast_path() {
            let long = format!(
                "{}See [the runbook](ops/deploy.md) for the details.{}",
                "Déploiement… ".repeat(20),
                " and more".repeat(20)
            );
            let lines: [(&str, usize); 5] = [
                ("last_reviewed: 2025-11-15", 15),
                ("    - [Runbook](ops/deploy.md)", 6),
                (&long, long.find("[the").unwrap()),
                ("owner: ocosta", 13),
                ("                              deep: indented", 30),
            ];
            for (line, start) in lines {
                for number in [6, 99, 12_345] {
                    let f = Finding {
                        error: number != 99,
                        rule: "review-overdue",
                        title: "review overdue by 281 days",
                        excerpt: Some(Excerpt {
                            line,
                            start,
                            end: (start + 1).min(line.len()),
                            number,
                            origin: Some("content/a.md"),
                        }),
                        note: None,
                        help: Some("review it"),
                    };
                    let fast = plain(&f).unwrap_or_else(|| panic!("{line:?} is left to the crate"));
                    assert_eq!(fast, annotated(&Renderer::plain(), &f));
                }
            }
            for line in ["\tindented with a tab", "日本語の手順書"] {
                let f = Finding {
                    error: true,
                    rule: "link-broken",
                    title: "broken",
                    excerpt: Some(Excerpt {
                        line,
                        start: 0,
                        end: 1,
                        number: 1,
                        origin: None,
                    }),
                    note: Some("content/a.md:1:1"),
                    help: None,
                };
                assert_eq!(plain(&f), None, "{line:?}");
            }
        }
    }
}
