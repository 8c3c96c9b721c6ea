//! Diagnostics as values.
//!
//! Every stage of the pipeline reports problems in user content by returning [`Diagnostic`]s rather
//! than printing or failing: one bad file never stops the others. Formatters (in `report`) print
//! them; they decide nothing. Rule names are a stable interface: CI configurations and
//! `handbook.yaml` refer to them.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::rules::{Rule, Severity};

/// One problem found in the handbook, pointing at an exact place in a real file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub rule: Rule,
    /// Path relative to the handbook root, `/`-separated.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: u32,
    /// 1-based column in characters; 0 when unknown.
    pub column: u32,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(rule: Rule, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, rule, file, message)
    }

    pub fn warning(rule: Rule, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, rule, file, message)
    }

    fn new(
        severity: Severity,
        rule: Rule,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            rule,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, pos: Pos) -> Self {
        self.line = pos.line;
        self.column = pos.column;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// The compact one-line form, `file:line:col: severity[rule]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Text of the handbook on one line: a file name with a newline must not forge one.
        write!(f, "{}", visible(&self.file.display().to_string()))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(
            f,
            ": {}[{}]: {}",
            self.severity,
            self.rule,
            visible(&self.message)
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", visible(help))?;
        }
        Ok(())
    }
}

/// Text of the handbook (a file name, a message) as the human format prints it: on one line,
/// each control character written as its escape (`\n`, `\r`, `\t`, `\u{1b}`), as are the
/// characters that reorder or break a terminal's line (bidirectional controls, line and
/// paragraph separators), so that nothing in it can forge a line or colour the output.
pub fn visible(s: &str) -> String {
    if !s.chars().any(hidden) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters [`visible`] escapes.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }
}

/// Maps byte offsets of a text to 1-based lines and character columns.
///
/// Built once per file; a line is found by binary search and a column counted from the
/// nearest checkpoint (every [`CHECKPOINT`] bytes), not from the line's start, so reporting
/// every link of a 5 MB page written on one line (minified HTML) stays linear overall.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The characters before byte `k * CHECKPOINT`, for each `k`: made the first time a
    /// column is asked on a line longer than a checkpoint, which most files never have.
    chars_before: std::sync::OnceLock<Vec<usize>>,
}

/// Bytes between two character-count checkpoints.
const CHECKPOINT: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            chars_before: std::sync::OnceLock::new(),
        }
    }

    /// The characters of `text` before byte `offset` (a byte inside a character counts that
    /// character).
    fn chars_to(&self, text: &str, offset: usize) -> usize {
        let chars_before = self.chars_before.get_or_init(|| {
            let mut out = Vec::with_capacity(text.len() / CHECKPOINT + 2);
            let mut chars = 0;
            for chunk in text.as_bytes().chunks(CHECKPOINT) {
                out.push(chars);
                chars += count_chars(chunk);
            }
            out.push(chars);
            out
        });
        let k = offset / CHECKPOINT;
        chars_before[k] + count_chars(&text.as_bytes()[k * CHECKPOINT..offset])
    }

    /// The position of byte `offset` in `text` (the text this index was built from).
    pub fn pos(&self, text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        // A short way into its line, counted there; far into a long one, from checkpoints.
        let before = if offset - start <= 2 * CHECKPOINT {
            count_chars(&text.as_bytes()[start..offset])
        } else {
            self.chars_to(text, offset) - self.chars_to(text, start)
        };
        Pos::new(line as u32 + 1, before as u32 + 1)
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).copied().unwrap_or(text.len());
        text.get(start..end)
            .map(|l| l.trim_end_matches(['\n', '\r']))
    }
}

/// The characters that start in `bytes`: every byte but UTF-8's continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes)
}

/// `"s"` unless `n` is 1: "1 day", "3 days".
pub fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Renders a path relative to the handbook root with `/` separators, whatever the platform.
pub fn display_path(path: &Path) -> String {
    // `content: ./content` must name files as `content/...`, as git and everything else do.
    // An absolute path (an operator's `--root /srv/hb`) keeps its one leading `/`: the root
    // component is itself `/`, which joined would double it.
    use std::path::Component;
    let mut out = String::with_capacity(path.as_os_str().len());
    for c in path.components() {
        match c {
            Component::CurDir => continue,
            Component::RootDir => out.push('/'),
            c => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&c.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_slash_separated_without_dots_or_doubled_slashes() {
        assert_eq!(display_path(Path::new("./content/a.md")), "content/a.md");
        assert_eq!(
            display_path(Path::new("/srv/hb/handbook.yaml")),
            "/srv/hb/handbook.yaml"
        );
        assert_eq!(display_path(Path::new("/")), "/");
        assert_eq!(display_path(Path::new(".")), "");
    }

    #[test]
    fn display_paths_use_slashes_and_drop_dot_folders() {
        assert_eq!(display_path(Path::new("./content/a.md")), "content/a.md");
        assert_eq!(
            display_path(Path::new("content/./x/a.md")),
            "content/x/a.md"
        );
    }

    #[test]
    fn line_index_positions() {
        let text = "ab\ncé\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.pos(text, 0), Pos::new(1, 1));
        assert_eq!(idx.pos(text, 3), Pos::new(2, 1));
        // `é` is two bytes but one column.
        assert_eq!(idx.pos(text, 6), Pos::new(2, 3));
        assert_eq!(idx.pos(text, 8), Pos::new(4, 1));
        assert_eq!(idx.line_text(text, 2), Some("cé"));
        assert_eq!(idx.line_text(text, 3), Some(""));
        assert_eq!(idx.line_text(text, 9), None);
    }

    #[test]
    fn columns_on_a_long_line_count_characters_across_checkpoints() {
        let text = format!("x\n{}é[link]", "日本".repeat(5000));
        let idx = LineIndex::new(&text);
        let at = text.find('[').unwrap();
        assert_eq!(idx.pos(&text, at), Pos::new(2, 10_002));
        for offset in [0, 1, 2, 3, 4095, 4096, 4097, 8192, text.len()] {
            let mut offset = offset;
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let before = &text[..offset];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let want = before[line_start..].chars().count() as u32 + 1;
            assert_eq!(idx.pos(&text, offset).column, want, "offset {offset}");
        }
    }

    #[test]
    fn the_one_line_form_keeps_to_one_line() {
        let d = Diagnostic::error(Rule::LinkBroken, "content/a\nb.md", "bad\r\n`x`\u{1b}[31m")
            .with_help("fix\u{202e}it");
        assert_eq!(
            d.to_string(),
            "content/a\\nb.md: error[link-broken]: bad\\r\\n`x`\\u{1b}[31m\n  help: fix\\u{202e}it"
        );
    }

    #[test]
    fn display_form() {
        let d = Diagnostic::error(Rule::LinkBroken, "content/a.md", "no such page")
            .at(Pos::new(3, 7))
            .with_help("check the path");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error[link-broken]: no such page\n  help: check the path"
        );
    }
}
