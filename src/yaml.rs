//! The one place that talks to the YAML parser.
//!
//! serde_yaml_ng reports errors with a position inside the text it was given; callers shift it by
//! the line where that text starts in the real file. It also bounds alias expansion and nesting
//! depth, so a "billion laughs" front matter or pathological nesting is an ordinary error here.
//! [`top_level_keys`] records where each top-level key and its value are written, so diagnostics
//! about one field point at that field (at the key when the key is the mistake), [`key_path`]
//! finds a nested key (block or flow) and [`entry_keys`] the keys of one entry of a list or map.
//!
//! Errors point where the author must look: an unclosed `[`, `{` or quote where it opens (the
//! parser notices only lines later), a duplicate key at the duplicate, a quote that ends a
//! quoted value early (`'Bob's runbook'`) with how to write it, never past the end of the
//! text. When a whole text does not parse, [`salvage_mapping`] reads what it can: the text is
//! split into its top-level entries ([`pieces`]: a key at column 0 and the lines that continue
//! it) and each is parsed on its own, so one broken entry costs that entry only; an entry that
//! fails alone only for an alias to another entry's anchor is read with the others. The team
//! data splits its people, teams and roles the same way, and reads a key written twice inside
//! one entry as YAML readers do ([`read_piece`]: the last one wins). Lines left out are emptied,
//! not removed ([`blank`]), and losing keys made spaces ([`erase`]), so every other position
//! stays where it was. Every parse, whole or in parts, goes through [`from_str`]: the alias and
//! nesting limits always hold, and each part is parsed a constant number of times, so the cost
//! stays linear in the text.
//!
//! [`scalar_text`] is how every reader takes a scalar as text; [`AsText`] names the three ways
//! (front matter, other tools' configs, team data) and why they differ.

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
    /// An alias (`*name`) whose anchor (`&name`) is not in the text parsed: read in parts, the
    /// anchor may be in another part.
    pub unknown_anchor: bool,
}

impl YamlError {
    pub fn new(message: String, pos: Pos) -> Self {
        YamlError {
            message,
            pos,
            help: None,
            refused: false,
            unknown_anchor: false,
        }
    }
}

/// Deeper flow nesting than this is refused before parsing. The deserializer would refuse it
/// anyway (its recursion limit is 128), but the scanner takes quadratic time to get there:
/// 100,000 `[` cost 40 s.
const MAX_FLOW_DEPTH: usize = 128;

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    parse(text).map_err(|(e, _)| e)
}

/// [`from_str`], with the byte offset of the mapping that holds a key written twice when that is
/// the error (`None` for any other).
fn parse<T: DeserializeOwned>(text: &str) -> Result<T, (YamlError, Option<usize>)> {
    check_flow_depth(text).map_err(|e| (e, None))?;
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
/// duplicate itself is found from there, and that start is returned beside the error. A quote
/// written inside a quoted value ends it early (`'Bob's runbook'`): the help says how to write it.
fn convert(e: &serde_yaml_ng::Error, text: &str) -> (YamlError, Option<usize>) {
    let full = e.to_string();
    let at = e
        .location()
        .map(|l| Pos::new(l.line() as u32, l.column() as u32))
        .unwrap_or(Pos::new(1, 1));
    let mut err = YamlError::new(strip_location(&full), at);
    err.refused = err.message.ends_with("limit exceeded");
    let mut duplicate_in = None;
    if let Some(key) = duplicate_key_name(&err.message) {
        let start = offset_of(text, at);
        let second = start.and_then(|start| {
            mapping_keys(text, start)
                .into_iter()
                .filter(|k| k.name == key)
                .nth(1)
        });
        if let Some(second) = second {
            err.message = format!("`{key}` is given twice");
            err.pos = pos_of(text, second.key);
            err.help = Some("keep one of the two".into());
            duplicate_in = start;
        }
    } else if err.message == "unknown anchor" {
        err.unknown_anchor = true;
        let name = offset_of(text, at).and_then(|o| alias_name(&text[o..]));
        if let Some(name) = name {
            err.message =
                format!("`*{name}` repeats a value marked `&{name}`, and none is above it");
            err.help = Some(format!(
                "mark the value to repeat with `&{name}`, above this line in the same file"
            ));
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
    if err.help.is_none() && !err.refused {
        if let Some((quote, help)) = offset_of(text, err.pos).and_then(|o| early_quote(text, o)) {
            let q = &text[quote..quote + 1];
            err.message = format!("this `{q}` ends the quoted value, and more text follows it");
            err.pos = pos_of(text, quote);
            err.help = Some(help);
        }
    }
    err.pos = clamp(text, err.pos);
    (err, duplicate_in)
}

/// The name of the alias `*name` that `s` starts with.
fn alias_name(s: &str) -> Option<&str> {
    let name = s.strip_prefix('*')?;
    let end = name
        .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
        .unwrap_or(name.len());
    (end > 0).then(|| &name[..end])
}

/// When the parser stopped at byte `at` just after a quote that closed a quoted value opened
/// on the same line (`title: 'Bob's runbook'` stops at the `s`), the quote's offset and how to
/// write one inside such a value, with the value mended when it ends on that line.
fn early_quote(text: &str, at: usize) -> Option<(usize, String)> {
    let close = at.checked_sub(1)?;
    let q = *text
        .as_bytes()
        .get(close)
        .filter(|b| matches!(b, b'\'' | b'"'))?;
    // Text after the quote, not a comma, bracket or colon that may follow a value.
    let next = text[at..].chars().next()?;
    if next.is_whitespace() || ",]}:#".contains(next) {
        return None;
    }
    let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let b = text.as_bytes();
    // The quote that opens the value: the nearest one before `close` that is not escaped
    // (`''` in single quotes, `\"` in double quotes), at the line's start or after an
    // indicator that a value may follow.
    let mut open = close;
    loop {
        open = open.checked_sub(1).filter(|&o| o >= line_start)?;
        if b[open] != q {
            continue;
        }
        let escaped = match q {
            b'\'' => open > line_start && b[open - 1] == q,
            _ => {
                b[line_start..open]
                    .iter()
                    .rev()
                    .take_while(|&&c| c == b'\\')
                    .count()
                    % 2
                    == 1
            }
        };
        if !escaped {
            break;
        }
        open -= usize::from(q == b'\'');
    }
    let before = text[line_start..open].trim_end_matches([' ', '\t']);
    if !(before.is_empty() || before.ends_with([':', '-', '[', '{', ',', '?'])) {
        return None;
    }
    let last = text[open..line_end]
        .rfind(q as char)
        .map_or(close, |i| open + i);
    let inner = &text[open + 1..last];
    let (kind, escaped, other_kind, other) = match q {
        b'\'' => ("single", "''", "double", '"'),
        _ => ("double", "\\\"", "single", '\''),
    };
    let q = q as char;
    let help = format!("a `{q}` inside {kind} quotes is written `{escaped}`");
    // The value as it was meant, when it ends on this line: written both ways.
    let meant = match q {
        '\'' => inner.replace("''", "'"),
        _ => inner.replace("\\\"", "\""),
    };
    let help = if last > close && !meant.contains(['\\', other]) {
        let mended = meant.replace(q, escaped);
        format!("{help}: {q}{mended}{q}; or put the value in {other_kind} quotes: {other}{meant}{other}")
    } else {
        format!("{help}, or put the value in {other_kind} quotes")
    };
    Some((close, help))
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

/// Where each top-level key and its value are written, relative to `text`.
///
/// A value on the following lines (a block list) is located at its key. Only plain and quoted
/// keys at column 1 count, and explicit ones (`? key`, its value on a `: value` line after it);
/// anything cleverer is still parsed correctly by the YAML parser, it just gets the position of
/// the block. A key written twice is located at its first place; salvage empties the lines of
/// the one that loses.
pub fn top_level_keys(text: &str) -> HashMap<String, KeyPos> {
    // Room for a front matter's keys, grown only past them.
    let mut keys = HashMap::with_capacity(16);
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let at = |column: usize| Pos::new(i as u32 + 1, column as u32 + 1);
        if let Some(rest) = line.strip_prefix("? ") {
            let name = rest.trim_start();
            let column = line[..line.len() - name.len()].chars().count();
            let Some(name) = explicit_key(name) else {
                continue;
            };
            let key = at(column);
            let value = match lines.peek() {
                Some((j, next)) if next.starts_with(':') => {
                    let v = next[1..].trim_start();
                    match v.trim_end().is_empty() || v.starts_with('#') {
                        true => key,
                        false => Pos::new(
                            *j as u32 + 1,
                            next[..next.len() - v.len()].chars().count() as u32 + 1,
                        ),
                    }
                }
                _ => key,
            };
            keys.entry(name).or_insert(KeyPos { key, value });
            continue;
        }
        let Some((key, colon)) = key_of(line) else {
            continue;
        };
        let value = line[colon + 1..].trim_start();
        let column = if value.trim_end().is_empty() || value.starts_with('#') {
            0
        } else {
            line[..line.len() - value.len()].chars().count()
        };
        keys.entry(key).or_insert(KeyPos {
            key: at(0),
            value: at(column),
        });
    }
    keys
}

/// The key written after `? `, unquoted, when it is a plain or quoted scalar on its line.
fn explicit_key(s: &str) -> Option<String> {
    let s = s.trim_end();
    match s.as_bytes().first()? {
        b'"' | b'\'' => key_of(&format!("{s}:")).map(|(k, _)| k),
        b'#' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@'
        | b'`' | b',' | b'?' | b'-' => None,
        _ => {
            let end = s.find(" #").unwrap_or(s.len());
            Some(s[..end].trim_end().to_string())
        }
    }
}

/// Where each top-level key that is not a plain or quoted scalar is written (`? [a, b]`, a
/// flow collection as a key), in the text's order.
pub fn complex_keys(text: &str) -> Vec<Pos> {
    let complex = |line: &str| match line.strip_prefix('?') {
        Some(rest) if rest.is_empty() || rest.starts_with([' ', '\t']) => {
            explicit_key(rest.trim_start()).is_none()
        }
        Some(_) => false,
        None => line.starts_with(['[', '{']),
    };
    (text.lines().enumerate())
        .filter(|(_, line)| complex(line))
        .map(|(i, _)| Pos::new(i as u32 + 1, 1))
        .collect()
}

/// A key of a mapping, as byte offsets in the text: where the key starts and where its value
/// starts (on a following line for a block value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAt {
    pub name: String,
    pub key: usize,
    pub value: usize,
}

/// The keys of the mapping that the block entry at byte `entry` holds: a `- ` item's (the
/// mapping after its dash) or a `key:`'s (its value), block or flow. Empty when that is not a
/// mapping written out (a scalar, an alias).
pub fn entry_keys(text: &str, entry: usize) -> Vec<KeyAt> {
    let rest = &text[entry..];
    let after = match rest.strip_prefix('-') {
        Some(_) => entry + 1,
        None => match key_of(rest) {
            Some((_, colon)) => entry + colon + 1,
            None => return Vec::new(),
        },
    };
    let start = value_start(text, after);
    match text.as_bytes().get(start) {
        Some(b'{') => flow_keys(text, start),
        _ if start > after && key_of(&text[start..]).is_some() => mapping_keys(text, start),
        _ => Vec::new(),
    }
}

/// Where each item of the block list whose first item's value starts at byte `value` (as
/// [`KeyAt::value`] gives it) begins, at its `-`, up to byte `end`. Empty when the value is not
/// a block list.
pub fn list_items(text: &str, value: usize, end: usize) -> Vec<usize> {
    let line_start = text[..value].rfind('\n').map_or(0, |i| i + 1);
    let lead = &text[line_start..value];
    let dash = lead.trim_start_matches(' ');
    if !dash.starts_with('-') || !dash[1..].trim().is_empty() || end < line_start {
        return Vec::new();
    }
    let indent = lead.len() - dash.len();
    let items = pieces(text, 0, line_start..end, Some(indent), Some(true));
    items.pieces.iter().map(|p| p.start(text)).collect()
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
    let mut value = line.trim_start_matches([' ', '\t']);
    // An anchor or a tag alone on the key's line marks the block value below it.
    while value.starts_with(['&', '!']) {
        let end = value.find([' ', '\t']).unwrap_or(value.len());
        value = value[end..].trim_start_matches([' ', '\t']);
    }
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
    /// An item of a list written without the space after its `-` (`-id: dave`): it is an entry
    /// of its own, so that it breaks only itself, and [`parse_piece`] says what is wrong.
    pub dash_typo: bool,
}

impl Piece {
    /// The lines after the first (a block value's), as a first line number and a byte range;
    /// `None` when the first line carries a value of its own (`people: []`).
    pub fn body(&self, text: &str) -> Option<(usize, Range<usize>)> {
        let first = &text[self.bytes.clone()];
        let end = first.find('\n').map_or(first.len(), |i| i + 1);
        let (_, colon) = key_of(first.trim_start_matches(' '))?;
        let colon = colon + first.len() - first.trim_start_matches(' ').len();
        let value = first[colon + 1..end].trim();
        (value.is_empty() || value.starts_with('#'))
            .then(|| (self.lines.start + 1, self.bytes.start + end..self.bytes.end))
    }

    /// The byte offset of its first character that is not indentation.
    pub fn start(&self, text: &str) -> usize {
        let own = &text[self.bytes.clone()];
        self.bytes.start + own.len() - own.trim_start_matches(' ').len()
    }
}

/// A block collection split into its entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pieces {
    /// A list (`- ` items) rather than a mapping (keys).
    pub list: bool,
    pub pieces: Vec<Piece>,
    /// The lines from the first that looks like an entry (a key or a `- ` item) but is indented
    /// less than the entries, to the end: they belong to none of them (` teams:` indented by
    /// one space after a list of people indented by two).
    pub rest: Option<Piece>,
}

/// Whether `line` (indentation removed) is a `- ` item of a block list.
fn is_item(line: &str) -> bool {
    line.starts_with('-') && line[1..].starts_with([' ', '\t', '\r', '\n'])
        || line.trim_end() == "-"
}

/// Whether `line` (indentation removed) is what a `- ` item written without its space looks
/// like: a `-` followed by a letter or digit (`-id: dave`).
fn is_dash_typo(line: &str) -> bool {
    line.strip_prefix('-')
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_alphanumeric)
}

/// Splits the lines in `bytes` (which starts at line `first_line`, 0-based) into the entries of
/// the block collection they hold: one per `- ` item or key at the collection's indentation
/// (`indent`, else that of the first line with content), a list or a mapping as `list` says
/// (else as that line is), each with the lines that continue it:
/// deeper lines, blank and comment lines, a mapping's `- ` items at its own indentation, and
/// anything else that is not an entry of its own (so that a stray line breaks its entry, not
/// the next). In a list, an item written without its space (`-id: dave`) is an entry of its
/// own; in a mapping, such a line among `- ` items at its indentation is one of them. A line
/// that looks like an entry but is indented less than the entries ends them: it and the lines
/// after it are [`Pieces::rest`]. Lines before the first entry with content make an entry
/// without a key. Linear; it reads lines, it does not parse them.
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
    // In a mapping: the current entry goes on in `- ` items at the mapping's own indentation.
    let mut in_items = false;
    let (mut at, mut line_no) = (bytes.start, first_line);
    for line in text[bytes.clone()].split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let ind = line.len() - trimmed.len();
        let content = !trimmed.trim().is_empty() && !trimmed.starts_with('#') && !marker(line);
        let item = is_item(trimmed);
        if content && want.is_some_and(|w| ind < w) && (item || key_of(trimmed).is_some()) {
            let lines = text[at..bytes.end].split_inclusive('\n').count();
            out.rest = Some(Piece {
                key: key_of(trimmed).map(|(k, _)| k),
                lines: line_no..line_no + lines,
                bytes: at..bytes.end,
                dash_typo: false,
            });
            break;
        }
        let mut key = None;
        let typo = !item && is_dash_typo(trimmed);
        let mut dash_typo = false;
        let starts = content && ind == *want.get_or_insert(ind) && {
            // A first entry written `-id:` makes a list too.
            if *list.get_or_insert(item || typo) {
                dash_typo = typo;
                item || typo
            } else if item || (in_items && typo) {
                in_items = true;
                false
            } else {
                key = key_of(trimmed).map(|(k, _)| k);
                in_items = false;
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
                dash_typo,
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
    if piece.dash_typo {
        return Err(dash_typo_error(text, piece));
    }
    from_str(&text[piece.bytes.clone()]).map_err(|mut e| {
        e.pos.line += piece.lines.start as u32;
        e
    })
}

/// What is wrong with a piece that is a list item written `-id: dave`.
fn dash_typo_error(text: &str, piece: &Piece) -> YamlError {
    let first = text[piece.bytes.clone()].lines().next().unwrap_or("");
    let item = first.trim_start_matches(' ');
    let indent = first.len() - item.len();
    let pos = Pos::new(piece.lines.start as u32 + 1, indent as u32 + 1);
    YamlError {
        help: Some(format!("write `- {}`", item[1..].trim_end())),
        ..YamlError::new("a list item needs a space after its `-`".into(), pos)
    }
}

/// A piece read as YAML readers (PyYAML, Ruby's Psych) read it: a key written twice in one of
/// its block mappings keeps its last value.
#[derive(Debug, Clone)]
pub struct Read {
    pub value: Value,
    /// Each later place of a key written more than once, positions in the whole text.
    pub duplicates: Vec<Duplicate>,
    /// What was left out, as byte ranges of the whole text (each losing key with its value):
    /// [`erase`] them and the text's positions still hold, with only the kept keys in it.
    pub erased: Vec<Range<usize>>,
    /// The piece holds an alias whose anchor is not in it, and reads but for that (the alias
    /// left out): `value` is not the piece's, which must be read with the entry that sets the
    /// anchor. The error is the alias's.
    pub alias: Option<YamlError>,
}

/// How many times a piece is parsed again without the losing keys of a mapping (all of that
/// mapping's at once): a constant, so that the cost stays linear.
const DUPLICATE_ROUNDS: usize = 3;

/// [`parse_piece`], a key written twice in a block mapping resolved as YAML readers do: the
/// earlier ones erased and the piece parsed again, at most [`DUPLICATE_ROUNDS`] times more. An
/// alias whose anchor is not in the piece is left out once (see [`Read::alias`]), so that what
/// else is wrong with the piece is found now; a piece that is wrong for another reason too is
/// an error for that reason.
pub fn read_piece(text: &str, piece: &Piece) -> Result<Read, YamlError> {
    if piece.dash_typo {
        return Err(dash_typo_error(text, piece));
    }
    let base = piece.bytes.start;
    // Kept inside the piece's own text: an error found once its aliases were replaced (which
    // changes its lines' widths) can point past the end of the line as written.
    let shift = |mut e: YamlError| {
        e.pos = clamp(&text[piece.bytes.clone()], e.pos);
        e.pos.line += piece.lines.start as u32;
        e
    };
    // Positions found in the piece's own text, so that the cost stays the piece's.
    let at = |own: &str, offset: usize| {
        let p = pos_of(own, offset);
        Pos::new(p.line + piece.lines.start as u32, p.column)
    };
    let mut own = Cow::Borrowed(&text[piece.bytes.clone()]);
    let mut read = Read {
        value: Value::Null,
        duplicates: Vec::new(),
        erased: Vec::new(),
        alias: None,
    };
    let mut rounds = 0;
    loop {
        let (e, start) = match parse::<Value>(&own) {
            Ok(value) => return Ok(Read { value, ..read }),
            Err((e, _)) if e.unknown_anchor && read.alias.is_none() => {
                own = Cow::Owned(without_aliases(&own));
                read.alias = Some(shift(e));
                continue;
            }
            Err((e, Some(start))) if rounds < DUPLICATE_ROUNDS => (e, start),
            Err((e, _)) => return Err(shift(e)),
        };
        rounds += 1;
        let losers = losing_keys(&own, start);
        if losers.is_empty() {
            return Err(shift(e));
        }
        for (name, _, first, later) in &losers {
            read.duplicates.push(Duplicate {
                key: name.clone(),
                first: Some(at(&own, *first)),
                at: at(&own, *later),
            });
        }
        let mut fixed = own.into_owned();
        for (_, lost, ..) in losers {
            fixed.replace_range(lost.clone(), &erased(&fixed[lost.clone()]));
            read.erased.push(base + lost.start..base + lost.end);
        }
        own = Cow::Owned(fixed);
    }
}

/// `text` with each alias (`*name`) that no anchor in it sets before it made a null (`~`, then
/// spaces), byte for byte: what it would read as, but for its aliases.
fn without_aliases(text: &str) -> String {
    let mut out = text.to_string();
    for a in aliases(text, &[]).into_iter().filter(|a| !a.set) {
        let stub = format!("~{}", " ".repeat(a.name.len()));
        out.replace_range(a.at..a.at + 1 + a.name.len(), &stub);
    }
    out
}

/// The keys of the block mapping at byte `start` written more than once, but for the last of
/// each name: its name, its bytes with its value's (to erase), where the name is first
/// written and the place after it that this one's report goes to. Empty for a flow mapping,
/// whose entries are not lines.
fn losing_keys(text: &str, start: usize) -> Vec<(String, Range<usize>, usize, usize)> {
    if text.as_bytes().get(start) == Some(&b'{') {
        return Vec::new();
    }
    let keys = mapping_keys(text, start);
    let mut out = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let mut same = keys[i + 1..].iter().filter(|l| l.name == k.name);
        let Some(next) = same.next() else { continue };
        let first = keys
            .iter()
            .find(|f| f.name == k.name)
            .map_or(k.key, |f| f.key);
        out.push((
            k.name.clone(),
            k.key..entry_end(text, k.key),
            first,
            next.key,
        ));
    }
    out
}

/// Where the block entry whose key is at byte `key` ends: at the first line after its own that
/// has content and is indented no deeper than the key.
fn entry_end(text: &str, key: usize) -> usize {
    let line_start = text[..key].rfind('\n').map_or(0, |i| i + 1);
    let column = key - line_start;
    let mut at = text[key..].find('\n').map_or(text.len(), |i| key + i + 1);
    for line in text[at..].split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let content = !trimmed.trim().is_empty() && !trimmed.starts_with('#');
        if content && line.len() - trimmed.len() <= column {
            break;
        }
        at += line.len();
    }
    at
}

/// `s` with every character but a line break made spaces, byte for byte: erased text keeps
/// the lines, columns and byte offsets of everything around it.
fn erased(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let n = if c == '\n' { 0 } else { c.len_utf8() };
            std::iter::repeat_n(' ', n).chain((c == '\n').then_some('\n'))
        })
        .collect()
}

/// `text` with the byte `ranges` erased (see [`Read::erased`]).
pub fn erase<'r>(text: &str, ranges: impl IntoIterator<Item = &'r Range<usize>>) -> String {
    let mut out = text.to_string();
    for r in ranges {
        if let Some(part) = text.get(r.clone()) {
            out.replace_range(r.clone(), &erased(part));
        }
    }
    out
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

/// An alias (`*name`) written in a text.
struct Alias<'t> {
    at: usize,
    name: &'t str,
    /// An anchor (`&name`) is written before it, outside the parts left out.
    set: bool,
}

/// The aliases written in `text`, found with the anchors in one scan, not parsed (an `*x` inside
/// quotes counts too); an anchor inside the `left_out` ranges does not count.
fn aliases<'t>(text: &'t str, left_out: &[Range<usize>]) -> Vec<Alias<'t>> {
    let b = text.as_bytes();
    // The parts left out, sorted and merged, so that a lookup is a binary search.
    let mut out: Vec<Range<usize>> = left_out.to_vec();
    out.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let inside = |at: usize| {
        let i = merged.partition_point(|r| r.start <= at);
        i > 0 && merged[i - 1].contains(&at)
    };
    let mut anchors: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut found = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        if !matches!(c, b'&' | b'*') || i > 0 && !b" \t\n[{,".contains(&b[i - 1]) {
            continue;
        }
        let name = &text[i + 1..];
        let end = name
            .find(|ch: char| ch.is_whitespace() || ",[]{}".contains(ch))
            .unwrap_or(name.len());
        if end == 0 {
            continue;
        }
        let name = &name[..end];
        match c {
            b'&' if !inside(i) => {
                anchors.insert(name);
            }
            b'*' => found.push(Alias {
                at: i,
                name,
                set: anchors.contains(name),
            }),
            _ => {}
        }
    }
    found
}

/// Which of the `aliased` parts of `text` (byte ranges) can be read with the rest of it: each
/// alias (`*name`) they hold has an anchor (`&name`) written before it, outside the parts
/// `left_out`. Read from the text, not parsed (see [`aliases`]): this may say no to a part that
/// would read (it is then reported as it failed alone), never yes to one whose anchor is
/// nowhere to be read.
pub fn resolvable(text: &str, aliased: &[Range<usize>], left_out: &[Range<usize>]) -> Vec<bool> {
    let found = aliases(text, left_out);
    aliased
        .iter()
        .map(|part| {
            let from = found.partition_point(|a| a.at < part.start);
            let to = found.partition_point(|a| a.at < part.end);
            found[from..to].iter().all(|a| a.set)
        })
        .collect()
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

/// Front matter as nearly every document writes it, read without the YAML parser (which was
/// a twentieth of a build): `key: value` lines at the margin, with blank and comment lines
/// between; each value a plain scalar that starts with a letter, a date, a quoted string with
/// no escapes, or a flow list of plain words. Anything else is `None`, for the parser, which
/// reads such a text to the same value (a property test holds the two together).
fn simple_mapping(text: &str) -> Option<Value> {
    // What the parser refuses or reads otherwise goes to it: a character YAML does not take as
    // itself, nesting past the limit (counted in strings too), a key longer than YAML allows.
    if !plain_text(text) || check_flow_depth(text).is_err() {
        return None;
    }
    let mut map = Mapping::new();
    for line in text.split('\n') {
        if line.trim_start_matches(' ').is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once(':')?;
        let value = value.strip_prefix(' ')?.trim_matches(' ');
        let plain_key = key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !plain_key || key.len() > 128 || resolves(key) {
            return None;
        }
        let value = if let Some(list) = value.strip_prefix('[') {
            let items = list.strip_suffix(']')?.trim_matches(' ');
            let items = if items.is_empty() {
                Vec::new()
            } else {
                (items.split(',').map(|item| {
                    let item = item.trim_matches(' ');
                    let word = item.starts_with(char::is_alphabetic)
                        && !item.contains(['[', ']', '{', '}', ':', '#', '"', '\''])
                        && !resolves(item);
                    word.then(|| Value::String(item.to_string()))
                }))
                .collect::<Option<Vec<Value>>>()?
            };
            Value::Sequence(items)
        } else {
            Value::String(simple_scalar(value)?.to_string())
        };
        if map.insert(Value::String(key.to_string()), value).is_some() {
            // A key written twice: the parser's error, and the salvage, say so.
            return None;
        }
    }
    // No key at all reads as null, not as an empty mapping.
    (!map.is_empty()).then_some(Value::Mapping(map))
}

/// A value of [`simple_mapping`] that is a string: quoted without escapes, a date, or plain
/// and led by a letter, with nothing YAML reads otherwise (a comment, a mapping, a tab).
fn simple_scalar(value: &str) -> Option<&str> {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote) {
            let inner = inner.strip_suffix(quote)?;
            return (!inner.contains([quote, '\\'])).then_some(inner);
        }
    }
    let b = value.as_bytes();
    let date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    let plain = value.starts_with(char::is_alphabetic)
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !resolves(value);
    (date || plain).then_some(value)
}

/// Whether YAML reads each character of `text` as itself: no control character (tab and
/// carriage return included), no line break but `\n` (YAML also breaks lines at U+0085, U+2028
/// and U+2029), no byte-order mark and neither of the two non-characters it refuses.
fn plain_text(text: &str) -> bool {
    text.chars().all(|c| match c {
        '\n' | ' '..='~' => true,
        '\0'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => false,
        _ => true,
    })
}

/// Whether a plain scalar led by a letter is read as something other than a string: null or
/// a boolean, in any spelling a YAML reader may take for one.
fn resolves(word: &str) -> bool {
    // Asked of every key and value: compared in place, not lowercased into a new string.
    const WORDS: [&str; 11] = [
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "inf", "nan",
    ];
    word.len() <= 5 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Reads `text`, a mapping, as far as it goes.
///
/// When the whole text parses, that is all. Else a key written twice at the top keeps its last
/// value and the text is parsed again without the earlier ones; if it still fails, each
/// top-level entry is parsed on its own and those that parse are kept. An entry that fails
/// only for an alias to an anchor set in another entry (`owner: *lead`) is read with the others
/// in one more whole parse, the broken entries left out. A text refused for its size is not
/// read in parts. At most three whole parses and one per entry: linear.
pub fn salvage_mapping(text: &str) -> Salvaged<'_> {
    if let Some(value) = simple_mapping(text) {
        return Salvaged {
            value,
            text: Cow::Borrowed(text),
            duplicates: Vec::new(),
            errors: Vec::new(),
        };
    }
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
    // Entries that fail on their own only for an alias to another entry's anchor.
    let mut aliased = Vec::new();
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
            Err(err) if err.unknown_anchor => aliased.push((i, err)),
            Err(err) => {
                errors.push(err);
                left_out[i] = true;
            }
        }
    }
    // Read together, without the entries broken for another reason, each anchor is set before
    // its alias: one more parse of the whole, so still linear. An entry whose anchor is written
    // nowhere it could be read from is not tried.
    if !aliased.is_empty() {
        let out: Vec<Range<usize>> = (entries.iter().zip(&left_out))
            .filter(|(_, &out)| out)
            .map(|(e, _)| e.bytes.clone())
            .collect();
        let parts: Vec<Range<usize>> = aliased
            .iter()
            .map(|(i, _)| entries[*i].bytes.clone())
            .collect();
        let readable = resolvable(text, &parts, &out);
        let mut tried = Vec::new();
        for ((i, err), readable) in aliased.into_iter().zip(readable) {
            if readable {
                tried.push((i, err));
            } else {
                errors.push(err);
                left_out[i] = true;
            }
        }
        let aliased = tried;
        let together = lines_of(&left_out);
        if let Ok(value) = from_str::<Value>(&together) {
            return Salvaged {
                value,
                text: Cow::Owned(together),
                duplicates,
                errors,
            };
        }
        for (i, err) in aliased {
            errors.push(err);
            left_out[i] = true;
        }
    }
    // Every entry parses on its own but not together: the whole text's error stands.
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

/// Which YAML scalars a reader takes as text, for [`scalar_text`]. The readers differ on
/// purpose, and users see the difference, so each names its own:
/// - front matter takes a boolean too (`tags: [ops, true]`, a key `true:`), as text; its field
///   parsers trim the text themselves and take a blank one as no value, silently;
/// - `init --from` reads another tool's config: a boolean there is no title or folder (the
///   tool's default folder is used instead), and a string is copied to handbook.yaml as written;
/// - team data takes no boolean (an id or a name that is `true` is a mistake), and trims, a blank
///   value being none: `Entry::string` then reports it like any value that is not text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsText {
    /// Strings as written, numbers, and booleans (`true`, `false`): front matter.
    StringsNumbersBooleans,
    /// Strings as written and numbers: `init --from`'s reading of other tools' configs.
    StringsNumbers,
    /// Strings trimmed (a blank one is none) and numbers: team data.
    TrimmedStringsNumbers,
}

/// A scalar as text, taken as `how` says; `None` for anything else (null, a list, a mapping, a
/// tagged value). A number is written as YAML read it (`1.50` is `1.5`); a date is a string to
/// YAML, so it comes back as written.
pub fn scalar_text(v: &Value, how: AsText) -> Option<String> {
    match (v, how) {
        (Value::String(s), AsText::TrimmedStringsNumbers) => {
            Some(s.trim().to_string()).filter(|s| !s.is_empty())
        }
        (Value::String(s), _) => Some(s.clone()),
        (Value::Number(n), _) => Some(n.to_string()),
        (Value::Bool(b), AsText::StringsNumbersBooleans) => Some(b.to_string()),
        _ => None,
    }
}

/// `s` as a YAML double-quoted scalar that every YAML reader takes back as `s`: quotes and
/// backslashes escaped, and so is every character YAML does not allow as it is (controls) or
/// that YAML 1.1 readers, libyaml among them, take for a line break and fold away (U+0085,
/// U+2028, U+2029).
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || c == '\u{feff}' => {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {

    mod simple {
        use super::super::{from_str, simple_mapping, Value};
        use proptest::prelude::*;

        /// Values as front matter writes them, and the near misses YAML reads otherwise.
        const VALUES: &[&str] = &[
            "Patching",
            "Security patching & updates",
            "next year's plan.",
            "C# and F#",
            "a #comment",
            "a: b",
            "ends:",
            "https://example.com/x?a=1",
            "Déploiement",
            "日本語",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "n",
            "true",
            "False",
            "null",
            "NULL",
            "~",
            "inf",
            ".inf",
            "nan",
            "NaN",
            "infinity",
            "Infinity",
            "1.2",
            "1.10",
            "007",
            "0x10",
            "1e3",
            "2026-01-26",
            "2026-1-26",
            "2026-01-26T10:00:00",
            "\"1 year\"",
            "'1 year'",
            "\"a \\\"b\\\" c\"",
            "'it''s'",
            "\"\"",
            "''",
            "\"x\" # note",
            "[a, b]",
            "[]",
            "[ ]",
            "[mchen, lgarcia]",
            "[a, \"b\"]",
            "[a, [b]]",
            "[a, ]",
            "[yes, no]",
            "[a: b]",
            "[1, 2]",
            "{a: b}",
            "*alias",
            "&anchor x",
            "!!str 5",
            "|",
            ">",
            "- item",
            "@x",
            "`x`",
            "%x",
            "a\tb",
            "  spaced  ",
            "a  b",
            "a - b",
            "x [draft]",
            "",
            // Characters YAML does not read as themselves.
            "Runbook\u{7}",
            "a\u{0}b",
            "a\u{7f}",
            "a\u{80}",
            "a\u{85}#b",
            "a\u{2028}- b",
            "a\u{2029}",
            "\u{feff}x",
            "a\u{ffff}",
            "\"a\u{85}\"",
            "'a \u{2028} b'",
            "[db\t, ops]",
            "[a\r, b]",
            "[a\u{85}b]",
            "a\rb",
        ];
        const KEYS: &[&str] = &[
            "title",
            "owner",
            "tags",
            "review_every",
            "last-reviewed",
            "id",
            "y",
            "on",
            "null",
            "true",
            "Title",
            "_x",
            "9lives",
            "a b",
            "\"quoted\"",
            "ключ",
            "a\u{7}",
        ];

        fn line() -> impl Strategy<Value = String> {
            prop_oneof![
                8 => (0..KEYS.len(), 0..VALUES.len())
                    .prop_map(|(k, v)| format!("{}: {}", KEYS[k], VALUES[v])),
                1 => Just(String::new()),
                1 => Just("# a comment".to_string()),
                1 => (0..VALUES.len()).prop_map(|v| format!("  {}", VALUES[v])),
                1 => (0..VALUES.len()).prop_map(|v| format!("- {}", VALUES[v])),
                1 => (0..KEYS.len()).prop_map(|k| format!("{}:", KEYS[k])),
                1 => (0..KEYS.len()).prop_map(|k| format!("{}:value", KEYS[k])),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

            /// Whatever the fast path reads, the YAML parser (with this module's limits) reads
            /// to the same value.
            #[test]
            fn the_fast_path_reads_as_the_parser_does(lines in proptest::collection::vec(line(), 0..8)) {
                let text = lines.join("\n") + "\n";
                if let Some(fast) = simple_mapping(&text) {
                    prop_assert_eq!(Some(fast), from_str::<Value>(&text).ok(), "{}", text);
                }
            }
        }

        #[test]
        fn front_matter_as_documents_write_it_takes_the_fast_path() {
            let text = "title: Annual Department Report\ndescription: How the manager prepares next year's plan.\nkind: sop\nid: SOP-008\nversion: \"1.2\"\nowner: dokafor\n# who signs\napprover: rpatel\nreviewers: [mchen, lgarcia]\nlast_reviewed: 2026-01-26\nreview_every: \"1 year\"\nstatus: active\neffective: 2026-02-02\ntags: [reporting, budget, planning]\n\n";
            let fast = simple_mapping(text).expect("the fast path reads it");
            assert_eq!(Some(fast), serde_yaml_ng::from_str::<Value>(text).ok());
            // Numbers, nesting and empty texts go to the parser, as do a key longer than YAML
            // allows and nesting past the limit.
            let long_key = format!("{}: x\n", "a".repeat(1025));
            let deep = format!("title: x {}\n", "[".repeat(130));
            for other in [
                long_key.as_str(),
                deep.as_str(),
                "order: 8\n",
                "a:\n  b: c\n",
                "",
                "# only\n",
                "version: 1.2\n",
            ] {
                assert_eq!(simple_mapping(other), None, "{other:?}");
            }
        }
    }
    use super::*;

    #[test]
    fn key_positions() {
        let keys = top_level_keys("title: A\n\"owner\":  bob\ntags:\n  - x\n  nested: 1\n# c: 2\n");
        assert_eq!(keys["title"].value, Pos::new(1, 8));
        assert_eq!(keys["owner"].value, Pos::new(2, 11));
        assert_eq!(keys["owner"].key, Pos::new(2, 1));
        assert_eq!(keys["tags"].value, Pos::new(3, 1));
        assert!(!keys.contains_key("nested"));
        assert!(!keys.contains_key("# c"));
        let keys = top_level_keys("url: http://x\na:b: c\n");
        assert_eq!(keys["url"].value, Pos::new(1, 6));
        assert_eq!(keys["a:b"].value, Pos::new(2, 6));
        // An explicit key, its value on the next line; a complex one is not a name.
        let text = "a: 1\n? b c\n: v\n? [x, y]\n: w\n";
        let keys = top_level_keys(text);
        assert_eq!(
            (keys["b c"].key, keys["b c"].value),
            (Pos::new(2, 3), Pos::new(3, 3))
        );
        assert_eq!(complex_keys(text), [Pos::new(4, 1)]);
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
        assert_eq!(top_level_keys(&s.text)["owner"].value, Pos::new(3, 8));
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
    fn an_outdented_line_ends_a_collection_and_a_dash_typo_is_its_own_entry() {
        // ` teams:` one space in, after people two spaces in: it belongs to no person.
        let text = "people:\n  - id: a\n  - id: b\n    name: B\n teams:\n  - id: t\n";
        let top = pieces(text, 0, 0..text.len(), None, None);
        assert_eq!(top.pieces.len(), 1);
        let (line, body) = top.pieces[0].body(text).unwrap();
        let people = pieces(text, line, body, None, None);
        let lines: Vec<_> = people.pieces.iter().map(|p| p.lines.clone()).collect();
        assert_eq!(lines, [1..2, 2..4]);
        let rest = people.rest.unwrap();
        assert_eq!((rest.key.as_deref(), rest.lines), (Some("teams"), 4..6));
        // A text continued less indented (inside quotes) is not a stray entry.
        let text = "  - id: a\n    name: \"A\n b\"\n  - id: c\n";
        let items = pieces(text, 0, 0..text.len(), None, None);
        assert_eq!((items.pieces.len(), items.rest), (2, None));
        // `-id:` is an item of its own in a list, the first one too; in a mapping's list at its
        // own indentation, a line of that list.
        let text = "-id: a\n  name: A\n- id: b\n-id: c\n  name: C\n- id: d\n";
        let items = pieces(text, 0, 0..text.len(), None, None);
        let got: Vec<_> = (items.pieces.iter())
            .map(|p| (p.lines.clone(), p.dash_typo))
            .collect();
        assert!(items.list);
        assert_eq!(
            got,
            [(0..2, true), (2..3, false), (3..5, true), (5..6, false)]
        );
        let e = parse_piece::<Value>(text, &items.pieces[2]).unwrap_err();
        assert_eq!(
            (e.pos, e.message.as_str(), e.help.as_deref()),
            (
                Pos::new(4, 1),
                "a list item needs a space after its `-`",
                Some("write `- id: c`")
            )
        );
        let text = "people:\n- id: a\n-id: b\n  name: B\n- id: c\nteams:\n";
        let top = pieces(text, 0, 0..text.len(), Some(0), Some(false));
        let keys: Vec<_> = top.pieces.iter().map(|p| p.key.as_deref()).collect();
        assert_eq!(keys, [Some("people"), Some("teams")]);
        // A key that starts with a dash stays a key elsewhere.
        let text = "a: 1\n-b: 2\n";
        let top = pieces(text, 0, 0..text.len(), Some(0), Some(false));
        assert_eq!(top.pieces[1].key.as_deref(), Some("-b"));
    }

    #[test]
    fn a_key_given_twice_in_a_piece_keeps_its_last_value() {
        let text = "people:\n  - id: e\n    email: a@x\n    name: E\n    email: b@x\n  - id: f\n";
        let items = pieces(text, 1, 8..text.len(), None, None);
        let read = read_piece(text, &items.pieces[0]).unwrap();
        assert_eq!(read.value[0]["email"], "b@x");
        assert_eq!(read.value[0]["name"], "E");
        let dup = &read.duplicates[0];
        assert_eq!(
            (dup.key.as_str(), dup.first, dup.at),
            ("email", Some(Pos::new(3, 5)), Pos::new(5, 5))
        );
        // Erased, the text keeps its positions and has the kept key only.
        let erased = erase(text, &read.erased);
        assert_eq!(erased.len(), text.len());
        assert_eq!(erased.lines().nth(2), Some("              "));
        assert_eq!(entry_keys(&erased, 10).len(), 3);
        // The first key of an item, with a block value, given three times.
        let text = "- k: [1,\n    2]\n  k: 2\n  k: 3\n";
        let items = pieces(text, 0, 0..text.len(), None, None);
        let read = read_piece(text, &items.pieces[0]).unwrap();
        assert_eq!(read.value[0]["k"], 3);
        let at: Vec<_> = read.duplicates.iter().map(|d| d.at.line).collect();
        assert_eq!(at, [3, 4]);
        // An alias to an anchor the piece does not set: what else is wrong is found anyway.
        let text = "- id: e\n  a: x\n  certs: *std\n  a: y\n";
        let items = pieces(text, 0, 0..text.len(), None, None);
        let read = read_piece(text, &items.pieces[0]).unwrap();
        assert_eq!(read.alias.unwrap().pos, Pos::new(3, 10));
        assert_eq!(read.duplicates[0].at, Pos::new(4, 3));
        let text = "- id: e\n  certs: *std\n  a: [y\n";
        let items = pieces(text, 0, 0..text.len(), None, None);
        let e = read_piece(text, &items.pieces[0]).unwrap_err();
        assert_eq!((e.pos, e.unknown_anchor), (Pos::new(3, 6), false));
        // In a flow mapping it stays an error.
        let text = "- {k: 1, k: 2}\n";
        let items = pieces(text, 0, 0..text.len(), None, None);
        assert!(read_piece(text, &items.pieces[0]).is_err());
    }

    #[test]
    fn a_quote_inside_a_quoted_value_says_how_to_write_it() {
        let e = from_str::<Value>("kind: sop\ntitle: 'Bob's runbook'\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 12));
        assert_eq!(
            e.message,
            "this `'` ends the quoted value, and more text follows it"
        );
        assert_eq!(
            e.help.as_deref(),
            Some("a `'` inside single quotes is written `''`: 'Bob''s runbook'; or put the value in double quotes: \"Bob's runbook\"")
        );
        let e = from_str::<Value>("title: \"the \"best\" way\"\n").unwrap_err();
        assert_eq!(
            e.help.as_deref(),
            Some("a `\"` inside double quotes is written `\\\"`: \"the \\\"best\\\" way\"; or put the value in single quotes: 'the \"best\" way'")
        );
        let e = from_str::<Value>("tags: ['it's', b]\n").unwrap_err();
        assert_eq!(e.pos, Pos::new(1, 11));
        assert!(e
            .help
            .unwrap()
            .starts_with("a `'` inside single quotes is written `''`"));
        // Not for a quoted value that ends well with something wrong after it.
        let e = from_str::<Value>("a: 'x' y: z\n").unwrap_err();
        assert!(e.help.is_none(), "{e:?}");
    }

    #[test]
    fn an_alias_without_its_anchor_is_named() {
        let e = from_str::<Value>("a: 1\nb: *std\n").unwrap_err();
        assert!(e.unknown_anchor);
        assert_eq!(e.pos, Pos::new(2, 4));
        assert_eq!(
            e.message,
            "`*std` repeats a value marked `&std`, and none is above it"
        );
        // Read in parts, an entry whose anchor is in another entry is read with it.
        let s = salvage_mapping("approver: &lead ana\nowner: *lead\ntags: [x\n");
        assert_eq!(s.value["owner"], "ana");
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].pos, Pos::new(3, 7));
        assert_eq!(s.text, "approver: &lead ana\nowner: *lead\n\n");
        // Without an anchor anywhere, the alias's entry is lost and said so.
        let s = salvage_mapping("owner: *lead\ntags: [x\n");
        assert!(s.value.get("owner").is_none());
        assert_eq!(s.errors.len(), 2);
    }

    #[test]
    fn an_entrys_keys_and_a_lists_items() {
        let text = "- id: a\n  certifications: &std\n    - name: x\n      expires: 2027-01-01\n    - {name: y}\n  joined: 2024-01-01\n- id: b\n";
        let keys = entry_keys(text, 0);
        let names: Vec<_> = keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["id", "certifications", "joined"]);
        assert_eq!(pos_of(text, keys[1].value), Pos::new(3, 7));
        let items = list_items(text, keys[1].value, 85);
        let at: Vec<_> = items.iter().map(|&i| pos_of(text, i)).collect();
        assert_eq!(at, [Pos::new(3, 5), Pos::new(5, 5)]);
        let expires = &entry_keys(text, items[0])[1];
        assert_eq!(pos_of(text, expires.value), Pos::new(4, 16));
        // A keyed entry, a flow one, and a value that is no mapping.
        let text = "ana:\n  name: Ana\nbo: {name: Bo}\ncy: *x\n";
        assert_eq!(entry_keys(text, 0)[0].name, "name");
        assert_eq!(entry_keys(text, 17)[0].name, "name");
        assert!(entry_keys(text, 32).is_empty());
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

    #[test]
    fn quoted_strings_read_back_as_they_were() {
        for s in [
            "plain",
            "Ana Núñez: \"ops\" \\ lead",
            "line\nbreaks\r\u{85}\u{2028}\u{2029}",
            "\u{1b}[31m\u{7f}\u{9b}\u{0}\u{feff}",
            "# not a comment, [not] {a: map}",
        ] {
            let back: String = from_str(&format!("key: {}", quoted(s)))
                .map(|m: std::collections::BTreeMap<String, String>| m["key"].clone())
                .unwrap();
            assert_eq!(back, s);
            assert!(!quoted(s).contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']));
        }
    }

    #[test]
    fn scalars_as_text_for_each_reader() {
        use AsText::*;
        let doc: Value = from_str(
            "string: ' two words '\nblank: '  '\ninteger: 7\nnegative: -3\nfloat: 1.50\n\
             yes: true\nno: false\ndate: 2024-05-01\nnothing: ~\nempty:\nlist: [a]\n\
             map: {a: b}\ntagged: !x y\n",
        )
        .unwrap();
        assert!(matches!(doc["tagged"], Value::Tagged(_)));
        let text = |key: &str, how| scalar_text(&doc[key], how);
        // (key, front matter, init --from, team data)
        let expected = [
            (
                "string",
                Some(" two words "),
                Some(" two words "),
                Some("two words"),
            ),
            ("blank", Some("  "), Some("  "), None),
            ("integer", Some("7"), Some("7"), Some("7")),
            ("negative", Some("-3"), Some("-3"), Some("-3")),
            ("float", Some("1.5"), Some("1.5"), Some("1.5")),
            ("yes", Some("true"), None, None),
            ("no", Some("false"), None, None),
            (
                "date",
                Some("2024-05-01"),
                Some("2024-05-01"),
                Some("2024-05-01"),
            ),
            ("nothing", None, None, None),
            ("empty", None, None, None),
            ("list", None, None, None),
            ("map", None, None, None),
            ("tagged", None, None, None),
        ];
        for (key, front, adopt, team) in expected {
            assert_eq!(text(key, StringsNumbersBooleans).as_deref(), front, "{key}");
            assert_eq!(text(key, StringsNumbers).as_deref(), adopt, "{key}");
            assert_eq!(text(key, TrimmedStringsNumbers).as_deref(), team, "{key}");
        }
    }
}
