//! One finding as `check`'s human format shows it, without colour, written directly for the
//! common case.
//!
//! The layout is annotate-snippets' (rustc's): the title, the origin, the source line with a
//! caret under the column, the notes. The crate draws each character of each finding into a
//! grid and formats it out one `char` at a time, which was a fifth of the CPU time of a check
//! of 10,000 pages with 17,000 findings. [`plain`] writes the same bytes for a finding whose
//! source line is one column per character (ASCII, Latin letters, typographic punctuation),
//! keeping the crate's rules for where a long line is cut; anything else (colour, a tab, a wide
//! or combining character) is left to the crate. `report::diagnostics`' tests hold the two to
//! the same output on thousands of findings.

use std::fmt::Write as _;

/// What one finding shows.
pub(super) struct Finding<'a> {
    pub error: bool,
    pub rule: &'a str,
    pub title: &'a str,
    pub excerpt: Option<Excerpt<'a>>,
    /// Where it is, said after the snippet (for a finding without one, or whose line is shown
    /// cut, so that the snippet's column is not the file's).
    pub note: Option<&'a str>,
    pub help: Option<&'a str>,
}

/// The source line of a finding, with the byte range under the caret.
pub(super) struct Excerpt<'a> {
    pub line: &'a str,
    pub start: usize,
    pub end: usize,
    /// The line's number in its file.
    pub number: usize,
    /// The file, shown above the line with the line and column the caret is at.
    pub origin: Option<&'a str>,
}

/// annotate-snippets' width of a terminal.
const TERM_WIDTH: usize = 140;
/// Room the crate leaves for `...` on either side of what it must show.
const ELLIPSIS_PASSING: usize = 6;
/// Leading whitespace longer than this is cut.
const LONG_WHITESPACE: usize = 20;
const LONG_WHITESPACE_PADDING: usize = 4;

/// The characters whose column count is certainly one, in every version of the width tables,
/// and which the crate neither replaces (tabs) nor takes for whitespace.
fn one_column(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{c0}'..='\u{24f}' | '\u{2010}'..='\u{2027}')
}

/// The finding as annotate-snippets' plain renderer writes it, or `None` when it holds what
/// only the crate lays out.
pub(super) fn plain(f: &Finding<'_>) -> Option<String> {
    let one_line = |s: &str| !s.contains(['\n', '\r']);
    if ![Some(f.title), f.note, f.help]
        .into_iter()
        .flatten()
        .all(one_line)
    {
        return None;
    }
    let width = f.excerpt.as_ref().map_or(0, |e| e.number.to_string().len());
    let mut out = String::with_capacity(256);
    out.push_str(if f.error { "error" } else { "warning" });
    let _ = write!(out, "[{}]", f.rule);
    if !f.title.is_empty() {
        out.push_str(": ");
        out.push_str(f.title);
    }
    if let Some(e) = &f.excerpt {
        excerpt(&mut out, e, width, f.error)?;
    }
    for (kind, text) in [("note", f.note), ("help", f.help)] {
        // The crate writes a note per line of its text: an empty one is no line at all.
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            out.push('\n');
            pad(&mut out, width + 1);
            let _ = write!(out, "= {kind}: {text}");
        }
    }
    Some(out)
}

/// The origin, the source line (cut to the terminal as the crate cuts it) and the caret.
fn excerpt(out: &mut String, e: &Excerpt<'_>, width: usize, error: bool) -> Option<()> {
    let line = e.line;
    if !line.chars().all(one_column) || line.trim().is_empty() || e.end > line.len() {
        return None;
    }
    // An empty origin the crate writes without the space after the arrow (`-->:3:5`); no
    // finding has one (an empty file shows no line), and it is left to the crate.
    if e.origin == Some("") {
        return None;
    }
    // Columns are characters here, as every character is one column wide.
    let start_col = line.get(..e.start)?.chars().count();
    let mut end_col = line.get(..e.end)?.chars().count();
    if end_col == start_col {
        end_col += 1;
    }
    if let Some(origin) = e.origin {
        out.push('\n');
        pad(out, width);
        let _ = write!(out, "--> {origin}:{}:{}", e.number, start_col + 1);
    }
    let gutter = |out: &mut String| {
        out.push('\n');
        pad(out, width + 1);
        out.push('|');
    };
    gutter(out);

    let leading = line.chars().take_while(|c| c.is_whitespace()).count();
    // The crate sizes the terminal by the number of the line after the last one shown.
    let term = TERM_WIDTH.saturating_sub(3 + (e.number + 1).to_string().len());
    let margin = Margin::new(leading, start_col, end_col, term, line.len())?;
    let left = margin.left(line.len());
    let right = margin.right(line.len());
    let room = right.checked_sub(left)?;
    let code_offset = width + 3;
    let mut code: Vec<char> = Vec::with_capacity(code_offset + room + 1);
    code.extend(e.number.to_string().chars());
    code.extend(" | ".chars());
    code.extend(line.chars().skip(left).take(room));
    let taken = code.len() - code_offset;
    if margin.was_cut_left() {
        put(&mut code, code_offset, "...");
    }
    if margin.was_cut_right(line.len()) {
        put(&mut code, (code_offset + taken).checked_sub(3)?, "...");
    }
    out.push('\n');
    out.extend(code);

    let mut marks: Vec<char> = Vec::with_capacity(code_offset + start_col + 2);
    put(&mut marks, width + 1, "|");
    let mark = if error { "^" } else { "-" };
    for col in start_col..end_col {
        put(&mut marks, (code_offset + col).saturating_sub(left), mark);
    }
    out.push('\n');
    out.extend(marks);
    gutter(out);
    Some(())
}

/// Writes `s` into `line` from column `col`, over what is there, with spaces up to it.
fn put(line: &mut Vec<char>, col: usize, s: &str) {
    for (i, c) in s.chars().enumerate() {
        let at = col + i;
        if at >= line.len() {
            line.resize(at + 1, ' ');
        }
        line[at] = c;
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Which part of a long line the crate shows: its `Margin`, for one line and one span without
/// a label (whose right end is then the span's).
struct Margin {
    whitespace_left: usize,
    span_left: usize,
    span_right: usize,
    computed_left: usize,
    computed_right: usize,
    term_width: usize,
}

impl Margin {
    /// `None` where the crate's own arithmetic would go below zero (a caret inside the leading
    /// whitespace of a line too long for the terminal): the crate decides that case.
    fn new(
        whitespace: usize,
        span_left: usize,
        span_right: usize,
        term_width: usize,
        max_line_len: usize,
    ) -> Option<Margin> {
        let mut m = Margin {
            whitespace_left: whitespace.saturating_sub(ELLIPSIS_PASSING),
            span_left: span_left.saturating_sub(ELLIPSIS_PASSING),
            span_right: span_right + ELLIPSIS_PASSING,
            computed_left: 0,
            computed_right: 0,
            term_width,
        };
        m.computed_left = if m.whitespace_left > LONG_WHITESPACE {
            m.whitespace_left - (LONG_WHITESPACE - LONG_WHITESPACE_PADDING)
        } else {
            0
        };
        // (The whitespace cut is shorter than the line.)
        m.computed_right = max_line_len;
        if m.computed_right - m.computed_left > m.term_width {
            if m.span_right.checked_sub(m.whitespace_left)? <= m.term_width {
                // Only the leading whitespace cut.
                m.computed_left = m.whitespace_left;
                m.computed_right = m.computed_left + m.term_width;
            } else {
                // Centred on the span (a column and its room for `...`: always narrower than
                // the terminal, and so never shown alone, as the crate shows a wider one).
                let padding_left = m.term_width.checked_sub(m.span_right - m.span_left)? / 2;
                m.computed_left = m.span_left.saturating_sub(padding_left);
                m.computed_right = m.computed_left + m.term_width;
            }
        }
        Some(m)
    }

    fn was_cut_left(&self) -> bool {
        self.computed_left > 0
    }

    fn was_cut_right(&self, line_len: usize) -> bool {
        // The crate also asks that the shown part end before the line does (less the room for
        // `...` when it ends at the span): for one narrow span, that follows from this.
        self.computed_left + self.term_width < line_len
    }

    fn left(&self, line_len: usize) -> usize {
        self.computed_left.min(line_len)
    }

    fn right(&self, line_len: usize) -> usize {
        if line_len.saturating_sub(self.computed_left) <= self.term_width {
            line_len
        } else {
            line_len.min(self.computed_right)
        }
    }
}
