//! The one place that talks to the YAML parser.
//!
//! serde_yaml_ng reports errors with a position inside the text it was given; callers shift it by
//! the line where that text starts in the real file. It also bounds alias expansion and nesting
//! depth, so a "billion laughs" front matter or pathological nesting is an ordinary error here.
//! [`top_level_keys`] records where each top-level key's value starts, so diagnostics about one
//! field point at that field, and [`key_path`] finds a nested key (block or flow).
//!
//! Errors point where the author must look: an unclosed `[`, `{` or quote where it opens (the
//! parser notices only lines later), a duplicate key at the duplicate, never past the end of the
//! text. When a whole text does not parse, [`salvage_mapping`] reads what it can: the text is
//! split into its top-level entries ([`pieces`]: a key at column 0 and the lines that continue
//! it) and each is parsed on its own, so one broken entry costs that entry only. The team data
//! splits its people, teams and roles the same way. Lines left out are emptied, not removed
//! ([`blank`]), so every other position stays where it was. Every parse, whole or in parts,
//! goes through [`from_str`]: the alias and nesting limits always hold, and each part is parsed
//! at most once, so the cost stays linear in the text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostic::Pos;

pub use serde_yaml_ng::{Mapping, Value};

/// A YAML error with a clean message and a position relative to the parsed text.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    pub pos: Pos,
    /// What to do about it, when that is known.
    pub help: Option<String>,
    /// The text was refused for its size (aliases expanding too far, nesting too deep), not for
    /// a mistake in one place: reading it in parts would only refuse it again, part by part.
    pub refused: bool,
}

impl YamlError {
    pub fn new(message: String, pos: Pos) -> Self {
        YamlError {
            message,
            pos,
            help: None,
            refused: false,
        }
    }
}

/// Deeper flow nesting than this is refused before parsing. The deserializer would refuse it
/// anyway (its recursion limit is 128), but the scanner takes quadratic time to get there:
/// 100,000 `[` cost 40 s.
const MAX_FLOW_DEPTH: usize = 128;

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    check_flow_depth(text)?;
    serde_yaml_ng::from_str(text).map_err(|e| convert(&e, text))
}

/// A linear scan for `[`/`{` nesting. It ignores quoting, so brackets inside strings count too;
/// 128 levels of them in a front matter block is not a real document.
pub fn check_flow_depth(text: &str) -> Result<(), YamlError> {
    let mut depth = 0usize;
    let mut line = 1u32;
    let mut line_start = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    let column = text[line_start..i].chars().count() as u32 + 1;
                    return Err(YamlError {
                        refused: true,
                        ..YamlError::new(
                            format!("nesting deeper than {MAX_FLOW_DEPTH} levels"),
                            Pos::new(line, column),
                        )
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_yaml_ng::from_value(value).map_err(|e| strip_location(&e.to_string()))
}

/// The parser's error, moved to where the author must look.
///
/// libyaml notices an unclosed `[` or quote only where the text stops making sense, often lines
/// later; its message names the construct it was reading and where that opened ("while
/// parsing a flow sequence at line 3 column 8"), which is the place to point at once a scan
/// confirms it never closes. A duplicate key is reported at its mapping's start; the
/// duplicate itself is found from there.
fn convert(e: &serde_yaml_ng::Error, text: &str) -> YamlError {
    let full = e.to_string();
    let at = e
        .location()
        .map(|l| Pos::new(l.line() as u32, l.column() as u32))
        .unwrap_or(Pos::new(1, 1));
    let mut err = YamlError::new(strip_location(&full), at);
    err.refused = err.message.ends_with("limit exceeded");
    if let Some(key) = duplicate_key_name(&err.message) {
        let second = offset_of(text, at).and_then(|start| {
            mapping_keys(text, start)
                .into_iter()
                .filter(|k| k.name == key)
                .nth(1)
        });
        if let Some(second) = second {
            err.message = format!("`{key}` is given twice");
            err.pos = pos_of(text, second.key);
            err.help = Some("keep one of the two".into());
        }
    } else if let Some((what, opened)) = context(&full) {
        let offset = offset_of(text, opened).filter(|_| opened < at);
        match (what, offset) {
            (
                "parsing a flow sequence" | "parsing a flow mapping" | "scanning a quoted scalar",
                Some(o),
            ) if unclosed(text, o) => {
                let open = text[o..].chars().next().unwrap_or('[');
                let close = match open {
                    '[' => ']',
                    '{' => '}',
                    q => q,
                };
                err.message = format!("this `{open}` is never closed");
                err.pos = opened;
                err.help = Some(format!("close it with `{close}`"));
            }
            // A line without its `:`, noticed only on the next line.
            ("scanning a simple key", Some(_)) => err.pos = opened,
            _ => {}
        }
    }
    err.pos = clamp(text, err.pos);
    err
}

/// serde_yaml appends " at line L column C" to messages; we report positions separately.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The key of a "duplicate entry with key \"x\"" message.
fn duplicate_key_name(message: &str) -> Option<String> {
    let rest = &message[message.find("duplicate entry with key \"")? + 26..];
    Some(rest[..rest.rfind('"')?].to_string())
}

/// What the parser was reading when it failed, and where that began: libyaml's context mark,
/// ", while parsing a flow sequence at line 1 column 8" at the end of the message.
fn context(full: &str) -> Option<(&str, Pos)> {
    let rest = &full[full.rfind(", while ")? + 8..];
    let (what, at) = rest.split_once(" at line ")?;
    let (line, column) = at.split_once(" column ")?;
    let digits = |s: &str| {
        s.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()
    };
    Some((what, Pos::new(digits(line)?, digits(column)?)))
}

/// Whether the flow collection or quoted scalar opening at byte `at` runs to the end of `text`
/// without closing. Inside a flow collection, a quote opens a string only where a value may
/// start (after `[`, `{`, `,`, `:` or `?`), so `[Ana's]` is one plain word; `#` after a space
/// starts a comment. Every character looked at is ASCII, so a byte loop never splits one.
fn unclosed(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    match b.get(at) {
        Some(b'"' | b'\'') => quoted_len(&b[at..]).is_none(),
        Some(b'[' | b'{') => {
            let mut depth = 0usize;
            let mut i = at;
            let mut prev = b' ';
            let mut significant = b'[';
            while i < b.len() {
                let c = b[i];
                match c {
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return false;
                        }
                    }
                    b'"' | b'\'' if matches!(significant, b'[' | b'{' | b',' | b':' | b'?') => {
                        match quoted_len(&b[i..]) {
                            Some(len) => {
                                i += len;
                                (prev, significant) = (c, c);
                                continue;
                            }
                            None => return true,
                        }
                    }
                    b'#' if prev.is_ascii_whitespace() => {
                        i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
                        continue;
                    }
                    _ => {}
                }
                prev = c;
                if !c.is_ascii_whitespace() {
                    significant = c;
                }
                i += 1;
            }
            true
        }
        _ => false,
    }
}

/// The length of the quoted scalar `b` starts with, both quotes included; `None` when it never
/// closes. `\"` escapes in double quotes, `''` in single quotes.
fn quoted_len(b: &[u8]) -> Option<usize> {
    let q = b[0];
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => i += 2,
            c if c == q && q == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == q => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The byte offset of 1-based `pos` in `text`; a column one past a line's end is its end.
fn offset_of(text: &str, pos: Pos) -> Option<usize> {
    let line = (pos.line as usize).checked_sub(1)?;
    let start = if line == 0 {
        0
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes()).nth(line - 1)? + 1
    };
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let skip = (pos.column as usize).checked_sub(1)?;
    let mut chars = text[start..end].char_indices().map(|(i, _)| start + i);
    chars
        .nth(skip)
        .or((skip == text[start..end].chars().count()).then_some(end))
}

/// The 1-based position of byte `offset` of `text`, its column counted in characters.
pub fn pos_of(text: &str, offset: usize) -> Pos {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos::new(
        memchr::memchr_iter(b'\n', before.as_bytes()).count() as u32 + 1,
        before[line_start..].chars().count() as u32 + 1,
    )
}

/// `pos` moved inside `text`: a parser reports the end of the input one line past its last;
/// the end of the last line is where that is.
pub fn clamp(text: &str, pos: Pos) -> Pos {
    let lines: Vec<&str> = text.lines().collect();
    let Some(last) = lines.len().checked_sub(1) else {
        return Pos::new(1, 1);
    };
    let line = (pos.line.max(1) as usize - 1).min(last);
    let width = lines[line].trim_end_matches('\r').chars().count() as u32 + 1;
    let column = if line < pos.line.max(1) as usize - 1 {
        width
    } else {
        pos.column.clamp(1, width)
    };
    Pos::new(line as u32 + 1, column)
}

/// The key a `key: value` line starts with, unquoted, and the byte offset of its `:`. `s` starts
/// at the key (its indentation and any `- ` removed). Plain and quoted keys only; a list item,
/// a comment, a flow collection or anything cleverer is not a key here.
pub fn key_of(s: &str) -> Option<(String, usize)> {
    // Only its first line: a key and its `:` are on one line.
    let s = s.split('\n').next().unwrap_or(s).trim_end_matches('\r');
    let first = *s.as_bytes().first()?;
    let colon_ends_key = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    match first {
        b'"' | b'\'' => {
            let len = quoted_len(s.as_bytes())?;
            let after = s[len..].trim_start_matches([' ', '\t']);
            let colon = s.len() - after.len();
            if !after.starts_with(':') || !colon_ends_key(&after[1..]) {
                return None;
            }
            let inner = &s[1..len - 1];
            let key = match first {
                b'"' => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
                _ => inner.replace("''", "'"),
            };
            Some((key, colon))
        }
        b'-' if s.len() == 1 || s[1..].starts_with([' ', '\t']) => None,
        b'#' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@'
        | b'`' | b',' | b'?' => None,
        c if c.is_ascii_whitespace() => None,
        _ => {
            let mut from = 0;
            loop {
                let colon = from + s[from..].find(':')?;
                let key = &s[..colon];
                // A comment before the colon: `a # b: c` has no key.
                if key.contains(" #") || key.contains("\t#") {
                    return None;
                }
                if colon_ends_key(&s[colon + 1..]) {
                    return Some((key.trim_end().to_string(), colon));
                }
                from = colon + 1;
            }
        }
    }
}

/// Positions of the values of top-level `key: value` lines, relative to `text`.
///
/// A value on the following lines (a block list) is located at its key. Only plain and quoted
/// keys at column 1 count; anything cleverer is still parsed correctly by the YAML parser, it just
/// gets the position of the block. A key written twice is located at its first place; salvage
/// empties the lines of the one that loses.
pub fn top_level_keys(text: &str) -> HashMap<String, Pos> {
    let mut keys = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let Some((key, colon)) = key_of(line) else {
            continue;
        };
        let value = line[colon + 1..].trim_start();
        let column = if value.trim_end().is_empty() || value.starts_with('#') {
            1
        } else {
            line[..line.len() - value.len()].chars().count() as u32 + 1
        };
        keys.entry(key).or_insert(Pos::new(i as u32 + 1, column));
    }
    keys
}

/// A key of a mapping, as byte offsets in the text: where the key starts and where its value
/// starts (on a following line for a block value).
#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyAt {
    name: String,
    key: usize,
    value: usize,
}

/// The keys of the mapping that starts at byte `start`: a `{` flow mapping, else a block
/// mapping whose first key is at `start` (its column is the mapping's).
fn mapping_keys(text: &str, start: usize) -> Vec<KeyAt> {
    if text.as_bytes().get(start) == Some(&b'{') {
        return flow_keys(text, start);
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = start - line_start;
    let mut out = Vec::new();
    let mut at = line_start;
    for (n, line) in text[line_start..].split_inclusive('\n').enumerate() {
        let line_at = at;
        at += line.len();
        let trimmed = line.trim_start_matches(' ');
        let depth = line.len() - trimmed.len();
        let content = if n == 0 {
            &line[indent..]
        } else if trimmed.trim().is_empty() || trimmed.starts_with('#') || depth > indent {
            continue;
        } else if depth < indent {
            break;
        } else {
            trimmed
        };
        let here = line_at + line.len() - content.len();
        if let Some((name, colon)) = key_of(content) {
            out.push(KeyAt {
                name,
                key: here,
                value: value_start(text, here + colon + 1),
            });
        }
    }
    out
}

/// Where the value after the `:` at byte `after` starts: on its line, else the first line with
/// content after it (a block value), else `after` itself.
fn value_start(text: &str, after: usize) -> usize {
    let rest = &text[after..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let line = &rest[..line_end];
    let value = line.trim_start_matches([' ', '\t']);
    if !value.trim_end().is_empty() && !value.starts_with('#') {
        return after + line.len() - value.len();
    }
    let mut at = after + line_end;
    for line in text[at..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            let content = line.trim_start_matches(' ');
            let content = content.strip_prefix("- ").unwrap_or(content);
            return at + line.len() - content.len();
        }
        at += line.len();
    }
    after
}

/// The keys of the flow mapping `{...}` at byte `start`, its direct children only.
fn flow_keys(text: &str, start: usize) -> Vec<KeyAt> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut expect_key = false;
    // A quote opens a string only where a value may start, so `Ana's` is one plain word.
    let mut significant = b'{';
    let mut i = start;
    while i < b.len() {
        let c = b[i];
        // The quote arm looks at the character before this one.
        let before = significant;
        if !c.is_ascii_whitespace() {
            significant = c;
        }
        match c {
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1;
            }
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b',' if depth == 1 => expect_key = true,
            b'#' if b[i - 1].is_ascii_whitespace() => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
                continue;
            }
            b'"' | b'\'' if matches!(before, b'[' | b'{' | b',' | b':' | b'?') => {
                let Some(len) = quoted_len(&b[i..]) else {
                    break;
                };
                if depth == 1 && expect_key {
                    let after = text[i + len..].trim_start();
                    if let Some(rest) = after.strip_prefix(':') {
                        let name = key_of(&text[i..])
                            .map_or_else(|| text[i + 1..i + len - 1].to_string(), |(k, _)| k);
                        let value = text.len() - rest.trim_start().len();
                        out.push(KeyAt {
                            name,
                            key: i,
                            value,
                        });
                    }
                    expect_key = false;
                }
                i += len;
                continue;
            }
            c if depth == 1
                && expect_key
                && !c.is_ascii_whitespace()
                && text.is_char_boundary(i) =>
            {
                expect_key = false;
                // A plain key runs to a `:` followed by a space or an indicator.
                let end = text[i..]
                    .char_indices()
                    .find(|&(j, ch)| {
                        matches!(ch, ',' | '}' | '\n')
                            || (ch == ':'
                                && text[i + j + 1..]
                                    .chars()
                                    .next()
                                    .is_none_or(|n| n.is_whitespace() || ",}]".contains(n)))
                    })
                    .map_or(text.len(), |(j, _)| i + j);
                if b.get(end) == Some(&b':') {
                    let rest = &text[end + 1..];
                    out.push(KeyAt {
                        name: text[i..end].trim_end().to_string(),
                        key: i,
                        value: text.len() - rest.trim_start().len(),
                    });
                    i = end + 1;
                } else {
                    i = end;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Where a nested key and its value are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPos {
    pub key: Pos,
    pub value: Pos,
}

/// Where the key at `path` (`["rules", "link-broken", "memo"]`) is written in `text`, in block
/// or flow style, its first occurrence at each level.
pub fn key_path(text: &str, path: &[&str]) -> Option<KeyPos> {
    let mut at = text
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            let here = *offset;
            *offset += line.len();
            Some((here, line))
        })
        .find(|(_, line)| {
            let t = line.trim();
            !t.is_empty() && !t.starts_with('#') && t != "---"
        })
        .map(|(here, line)| here + line.len() - line.trim_start_matches(' ').len())?;
    let mut found: Option<KeyAt> = None;
    for name in path {
        // Each level below the top is the value of the key found above.
        if let Some(k) = &found {
            at = k.value;
        }
        found = Some(
            mapping_keys(text, at)
                .into_iter()
                .find(|k| k.name == *name)?,
        );
    }
    let k = found?;
    Some(KeyPos {
        key: pos_of(text, k.key),
        value: pos_of(text, k.value),
    })
}

/// A part of a YAML text: a top-level entry (a key at column 0 and the lines that continue it)
/// or an item of a block collection, as whole lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The key that opens it; `None` for a list item and for lines before the first key.
    pub key: Option<String>,
    /// 0-based line numbers in the text.
    pub lines: Range<usize>,
    /// Byte offsets in the text.
    pub bytes: Range<usize>,
}

impl Piece {
    /// The lines after the first (a block value's), as a first line number and a byte range;
    /// `None` when the first line carries a value of its own (`people: []`).
    pub fn body(&self, text: &str) -> Option<(usize, Range<usize>)> {
        let first = &text[self.bytes.clone()];
        let end = first.find('\n').map_or(first.len(), |i| i + 1);
        let (_, colon) = key_of(first)?;
        let value = first[colon + 1..end].trim();
        (value.is_empty() || value.starts_with('#'))
            .then(|| (self.lines.start + 1, self.bytes.start + end..self.bytes.end))
    }
}

/// A block collection split into its entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pieces {
    /// A list (`- ` items) rather than a mapping (keys).
    pub list: bool,
    pub pieces: Vec<Piece>,
}

/// Splits the lines in `bytes` (which starts at line `first_line`, 0-based) into the entries of
/// the block collection they hold: one per `- ` item or key at the collection's indentation
/// (`indent`, else that of the first line with content), a list or a mapping as `list` says
/// (else as that line is), each with the lines that continue it:
/// deeper lines, blank and comment lines, a mapping's `- ` items at its own indentation, and
/// anything else that is not an entry of its own (so that a stray line breaks its entry, not
/// the next). Lines before the first entry with content make an entry without a key. Linear;
/// it reads lines, it does not parse them.
pub fn pieces(
    text: &str,
    first_line: usize,
    bytes: Range<usize>,
    indent: Option<usize>,
    list: Option<bool>,
) -> Pieces {
    let mut out = Pieces::default();
    let mut list = list;
    let mut want = indent;
    let mut current: Option<Piece> = None;
    let (mut at, mut line_no) = (bytes.start, first_line);
    for line in text[bytes.clone()].split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let ind = line.len() - trimmed.len();
        let content = !trimmed.trim().is_empty() && !trimmed.starts_with('#') && !marker(line);
        let mut key = None;
        let starts = content && ind == *want.get_or_insert(ind) && {
            let item = trimmed.starts_with('-')
                && trimmed[1..].starts_with([' ', '\t', '\r', '\n'])
                || trimmed.trim_end() == "-";
            if *list.get_or_insert(item) {
                item
            } else {
                key = key_of(trimmed).map(|(k, _)| k);
                key.is_some()
            }
        };
        if starts || (current.is_none() && content) {
            if let Some(mut done) = current.take() {
                done.lines.end = line_no;
                done.bytes.end = at;
                out.pieces.push(done);
            }
            current = Some(Piece {
                key,
                lines: line_no..line_no,
                bytes: at..at,
            });
        }
        at += line.len();
        line_no += 1;
    }
    if let Some(mut done) = current {
        done.lines.end = line_no;
        done.bytes.end = at;
        out.pieces.push(done);
    }
    out.list = list.unwrap_or(false);
    out
}

/// A document marker (`---`, `...`) or a directive (`%YAML 1.2`): not content of any entry.
fn marker(line: &str) -> bool {
    let line = line.trim_end();
    line == "---" || line == "..." || line.starts_with("--- ") || line.starts_with('%')
}

/// Parses one piece of `text` on its own; the error's position is in `text`.
pub fn parse_piece<T: DeserializeOwned>(text: &str, piece: &Piece) -> Result<T, YamlError> {
    from_str(&text[piece.bytes.clone()]).map_err(|mut e| {
        e.pos.line += piece.lines.start as u32;
        e
    })
}

/// `text` with the lines in `ranges` (byte ranges of whole lines) emptied: each stays as an
/// empty line, so every position outside them is unchanged.
pub fn blank<'r>(text: &str, ranges: impl IntoIterator<Item = &'r Range<usize>>) -> String {
    let mut ranges: Vec<&Range<usize>> = ranges.into_iter().collect();
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in ranges {
        if r.start < at {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.extend(std::iter::repeat_n(
            '\n',
            text[r.clone()].matches('\n').count(),
        ));
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A key written more than once at the top of a mapping: the last one wins, as YAML readers
/// (PyYAML, Ruby's Psych) read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub key: String,
    /// Where it is first written, when that is known.
    pub first: Option<Pos>,
    /// This later occurrence.
    pub at: Pos,
}

/// A text read as far as it goes.
#[derive(Debug, Clone)]
pub struct Salvaged<'t> {
    /// The whole value when the text parses (once the losing duplicates are left out), else a
    /// mapping of the entries that parse on their own, in the text's order.
    pub value: Value,
    /// The text positions refer to: the lines of losing duplicates and of entries that could
    /// not be read emptied, so that a key's first place is the place of the value kept.
    pub text: Cow<'t, str>,
    pub duplicates: Vec<Duplicate>,
    /// Why entries were left out, each at its place; empty when the text parses.
    pub errors: Vec<YamlError>,
}

/// Reads `text`, a mapping, as far as it goes.
///
/// When the whole text parses, that is all. Else a key written twice at the top keeps its last
/// value and the text is parsed again without the earlier ones; if it still fails, each
/// top-level entry is parsed on its own and those that parse are kept. A text refused for its
/// size is not read in parts. At most two whole parses and one per entry: linear.
pub fn salvage_mapping(text: &str) -> Salvaged<'_> {
    let whole = match from_str::<Value>(text) {
        Ok(value) => {
            return Salvaged {
                value,
                text: Cow::Borrowed(text),
                duplicates: Vec::new(),
                errors: Vec::new(),
            }
        }
        Err(e) if e.refused => {
            return Salvaged {
                value: Value::Null,
                text: Cow::Borrowed(text),
                duplicates: Vec::new(),
                errors: vec![e],
            }
        }
        Err(e) => e,
    };
    let entries = pieces(text, 0, 0..text.len(), Some(0), Some(false)).pieces;
    let mut last: HashMap<&str, usize> = HashMap::new();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if let Some(k) = e.key.as_deref() {
            last.insert(k, i);
            first.entry(k).or_insert(i);
        }
    }
    let mut duplicates = Vec::new();
    let mut left_out = vec![false; entries.len()];
    for (i, e) in entries.iter().enumerate() {
        let Some(k) = e.key.as_deref() else { continue };
        if first[k] != i {
            duplicates.push(Duplicate {
                key: k.to_string(),
                first: Some(Pos::new(entries[first[k]].lines.start as u32 + 1, 1)),
                at: Pos::new(e.lines.start as u32 + 1, 1),
            });
        }
        left_out[i] = last[k] != i;
    }
    let lines_of = |left_out: &[bool]| {
        let out: Vec<&Range<usize>> = (entries.iter().zip(left_out))
            .filter(|(_, &out)| out)
            .map(|(e, _)| &e.bytes)
            .collect();
        blank(text, out)
    };
    if !duplicates.is_empty() {
        let blanked = lines_of(&left_out);
        if let Ok(value) = from_str::<Value>(&blanked) {
            return Salvaged {
                value,
                text: Cow::Owned(blanked),
                duplicates,
                errors: Vec::new(),
            };
        }
    }
    let mut map = Mapping::new();
    let mut errors = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if left_out[i] {
            continue;
        }
        match parse_piece::<Value>(text, e) {
            Ok(Value::Mapping(m)) => map.extend(m),
            Ok(Value::Null) => {}
            Ok(_) => {
                errors.push(YamlError::new(
                    "expected `key: value` lines".into(),
                    Pos::new(e.lines.start as u32 + 1, 1),
                ));
                left_out[i] = true;
            }
            Err(err) => {
                errors.push(err);
                left_out[i] = true;
            }
        }
    }
    // Every entry parses on its own but not together (an alias to another entry's anchor, say):
    // the whole text's error stands.
    if errors.is_empty() {
        errors.push(whole);
    }
    Salvaged {
        value: Value::Mapping(map),
        text: Cow::Owned(lines_of(&left_out)),
        duplicates,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_positions() {
        let keys = top_level_keys("title: A\n\"owner\":  bob\ntags:\n  - x\n  nested: 1\n# c: 2\n");
        assert_eq!(keys["title"], Pos::new(1, 8));
        assert_eq!(keys["owner"], Pos::new(2, 11));
        assert_eq!(keys["tags"], Pos::new(3, 1));
        assert!(!keys.contains_key("nested"));
        assert!(!keys.contains_key("# c"));
        let keys = top_level_keys("url: http://x\na:b: c\n");
        assert_eq!(keys["url"], Pos::new(1, 6));
        assert_eq!(keys["a:b"], Pos::new(2, 6));
    }

    #[test]
    fn error_positions_are_one_based() {
        let e = from_str::<Value>("a: 1\nb: [1,\n").unwrap_err();
        assert!(e.pos.line >= 2, "{e:?}");
        assert!(!e.message.contains(" at line "));
        let e = from_str::<Value>("a: 1\n  b: 2\n").unwrap_err();
        assert_eq!(e.pos.line, 2, "{e:?}");
    }

    #[test]
    fn an_unclosed_bracket_or_quote_is_reported_where_it_opens() {
        let e = from_str::<Value>("title: ok\nowner: [unclosed\nkind: sop\n").unwrap_err();
        assert_eq!(
            (e.pos, e.message.as_str()),
            (Pos::new(2, 8), "this `[` is never closed")
        );
        assert_eq!(e.help.as_deref(), Some("close it with `]`"));
        let e = from_str::<Value>("title: \"unclosed\nkind: sop\nowner: ana\n").unwrap_err();
        assert_eq!(
            (e.pos, e.message.as_str()),
            (Pos::new(1, 8), "this `\"` is never closed")
        );
        // Columns count characters, not bytes.
        let e = from_str::<Value>("owner: {名前: [Zoë, 日本\nkind: sop\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(1, 13), "{e:?}");
        let e = from_str::<Value>("a: 'it''s\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(1, 4));
        // A block scalar's quotes and brackets are text.
        let e = from_str::<Value>("d: |\n  it's \"[\nowner: [x\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(3, 8));
        // A closed collection with a mistake inside keeps the parser's position.
        let e = from_str::<Value>("a: [b: c: d]\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(1, 9));
        let e = from_str::<Value>("a: [\"x]\", y\n").unwrap_err();
        assert_eq!(
            (e.pos, e.message.as_str()),
            (Pos::new(1, 4), "this `[` is never closed")
        );
        // A line without its `:` is reported at that line, not at the next.
        let e = from_str::<Value>("a: b\nc\nd: e\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 1));
    }

    #[test]
    fn a_duplicate_key_is_reported_at_the_duplicate() {
        let e = from_str::<Value>("title: C\nowner: ana\nowner: bo\n").unwrap_err();
        assert_eq!(
            (e.pos, e.message.as_str()),
            (Pos::new(3, 1), "`owner` is given twice")
        );
        let e = from_str::<Value>("people:\n  - id: a\n    name: x\n    name: y\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(4, 5));
        let e = from_str::<Value>("a:\n  b: {c: 1, c: 2}\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 13));
    }

    #[test]
    fn positions_never_pass_the_end() {
        assert_eq!(clamp("a\nbc\n", Pos::new(3, 1)), Pos::new(2, 3));
        assert_eq!(clamp("a\nbc", Pos::new(2, 9)), Pos::new(2, 3));
        assert_eq!(clamp("", Pos::new(4, 4)), Pos::new(1, 1));
        let e = from_str::<Value>("a: [b, c\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(1, 4));
        let e = from_str::<Value>("a: {b: 1,\n").unwrap_err();
        assert!(e.pos.line == 1, "{e:?}");
    }

    #[test]
    fn nested_keys_in_block_and_flow_style() {
        let text = "title: x\ndefault_review:\n  sop: 1 year\n  sopp: 2 years\nrules: {link-broken: {memo: off}, 'x': error}\n";
        let at = key_path(text, &["default_review", "sopp"]).unwrap();
        assert_eq!((at.key, at.value), (Pos::new(4, 3), Pos::new(4, 9)));
        let at = key_path(text, &["rules", "link-broken", "memo"]).unwrap();
        assert_eq!((at.key, at.value), (Pos::new(5, 23), Pos::new(5, 29)));
        assert_eq!(
            key_path(text, &["rules", "x"]).unwrap().key,
            Pos::new(5, 35)
        );
        assert_eq!(key_path(text, &["rules", "nope"]), None);
        let text = "# comment\nfield_aliases: {doc_owner: Ana's, it's: x, 'q': y}\n";
        let at = |key| key_path(text, &["field_aliases", key]).unwrap().key;
        assert_eq!((at("it's"), at("q")), (Pos::new(2, 35), Pos::new(2, 44)));
    }

    #[test]
    fn pieces_are_entries_with_their_continuation_lines() {
        let text = "# c\ntitle: A\ntags:\n- a\n  - b\n\nowner: [x,\ny]\n\"q\": 1\n";
        let p = pieces(text, 0, 0..text.len(), Some(0), Some(false));
        let got: Vec<_> = p
            .pieces
            .iter()
            .map(|p| (p.key.clone(), p.lines.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("title".into()), 1..2),
                (Some("tags".into()), 2..6),
                (Some("owner".into()), 6..8),
                (Some("q".into()), 8..9)
            ]
        );
        let people = "people:\n  - id: a\n  - id: b\n    x: [\n  - id: c\n";
        let top = pieces(people, 0, 0..people.len(), None, None);
        let (line, body) = top.pieces[0].body(people).unwrap();
        let items = pieces(people, line, body, None, None);
        assert!(items.list);
        let lines: Vec<_> = items.pieces.iter().map(|p| p.lines.clone()).collect();
        assert_eq!(lines, [1..2, 2..4, 4..5]);
        assert_eq!(blank("a\nb\r\nc\n", [&(2..5)]), "a\n\nc\n");
    }

    #[test]
    fn salvage_keeps_what_parses_and_the_last_of_a_key() {
        let s = salvage_mapping("title: A\nowner: [x\nkind: sop\n");
        assert_eq!(s.value["title"], "A");
        assert_eq!(s.value["kind"], "sop");
        assert!(s.value.get("owner").is_none());
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].pos, Pos::new(2, 8));
        assert_eq!(s.text, "title: A\n\nkind: sop\n");
        let s = salvage_mapping("owner: ana\nkind: sop\nowner: bo\n");
        assert!(s.errors.is_empty());
        assert_eq!(s.value["owner"], "bo");
        let dup = &s.duplicates[0];
        assert_eq!((dup.first, dup.at), (Some(Pos::new(1, 1)), Pos::new(3, 1)));
        assert_eq!(top_level_keys(&s.text)["owner"], Pos::new(3, 8));
        // Both at once: the duplicate resolved, the broken entry left out.
        let s = salvage_mapping("owner: ana\nowner: bo\ntags: [x\n");
        assert_eq!(s.value["owner"], "bo");
        assert_eq!((s.duplicates.len(), s.errors.len()), (1, 1));
        // Text that is refused for its size is not read in parts.
        let deep = format!("title: x\na: {}\n", "[".repeat(200));
        let s = salvage_mapping(&deep);
        assert!(s.value.is_null() && s.errors[0].refused);
    }

    #[test]
    fn alias_bomb_is_an_error_not_a_hang() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = from_str::<Value>(&doc).unwrap_err();
        assert!(e.refused, "{e:?}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let doc = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = from_str::<Value>(&doc).unwrap_err();
        assert_eq!(e.pos, Pos::new(1, 132));
        // Legitimate flow collections still parse.
        assert!(from_str::<Value>("a: [[1, 2], {b: [3]}]").is_ok());
    }
}
