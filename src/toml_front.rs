//! TOML front matter, read into the same mapping YAML gives, and read in parts when the whole
//! does not parse: each top-level `key = value` entry, each key of a `[table]` (parsed with its
//! header) and each `[[array]]` section on its own, merged in the file's order. TOML allows a
//! key once, so a key given again is left out and reported where it is given again.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostic::Pos;
use crate::yaml::{self, Duplicate, KeyPos, Mapping, Salvaged, Value, YamlError};

/// Deeper nesting than this is refused before parsing, as for YAML: dotted keys
/// (`a.b.c = 1`) nest tables too, and each level is a recursion in the parser.
const MAX_DEPTH: usize = 128;

fn parse_table(text: &str) -> Result<toml::Table, YamlError> {
    yaml::check_flow_depth(text)?;
    for (i, line) in code_lines(text) {
        let key_part = match line.trim_start().starts_with('[') {
            true => line,
            false => line.split('=').next().unwrap_or(""),
        };
        if key_part.matches('.').count() > MAX_DEPTH {
            let msg = format!("nesting deeper than {MAX_DEPTH} levels");
            return Err(YamlError {
                refused: true,
                ..YamlError::new(msg, Pos::new(i as u32 + 1, 1))
            });
        }
    }
    text.parse::<toml::Table>().map_err(|e| {
        let at = e.span().map_or(0, |s| s.start).min(text.len());
        let message = e.message().trim().to_string();
        YamlError::new(message, yaml::clamp(text, yaml::pos_of(text, at)))
    })
}

/// Reads `text` as far as it goes (see the module's doc): each part parsed once, so linear.
pub fn salvage(text: &str) -> Salvaged<'_> {
    let done = |value, errors| Salvaged {
        value,
        text: Cow::Borrowed(text),
        duplicates: Vec::new(),
        errors,
    };
    let whole = match parse_table(text) {
        Ok(table) => return done(table_value(table), Vec::new()),
        Err(e) if e.refused => return done(Value::Null, vec![e]),
        Err(e) => e,
    };
    let units = units(text);
    let mut table = toml::Table::new();
    // Where each key path (and each table above it) was first given.
    let mut given: HashMap<String, Pos> = HashMap::new();
    let mut errors = Vec::new();
    let mut duplicates = Vec::new();
    let mut left_out = vec![false; units.len()];
    for (i, unit) in units.iter().enumerate() {
        let own = &text[unit.bytes.clone()];
        // A table's key is parsed under its header; the header is the snippet's line 1.
        let (snippet, header) = match unit.kind {
            Kind::Key(Some(h)) if left_out[h] => {
                left_out[i] = true;
                continue;
            }
            Kind::Key(Some(h)) => {
                let header = text[units[h].bytes.clone()].lines().next().unwrap_or("");
                (Cow::Owned(format!("{header}\n{own}")), Some(h))
            }
            _ => (Cow::Borrowed(own), None),
        };
        let to_block = |p: Pos| match header {
            Some(h) if p.line == 1 => Pos::new(units[h].lines.start as u32 + 1, p.column),
            Some(_) => Pos::new(unit.lines.start as u32 + p.line - 1, p.column),
            None => Pos::new(unit.lines.start as u32 + p.line, p.column),
        };
        match parse_table(&snippet) {
            Ok(part) => {
                let indent = own.len() - own.trim_start().len();
                let at = Pos::new(unit.lines.start as u32 + 1, indent as u32 + 1);
                if let Some(path) = conflict(&table, &part, unit.kind == Kind::ArrayTable) {
                    duplicates.push(Duplicate {
                        first: given.get(&path).copied(),
                        key: path,
                        at,
                    });
                    left_out[i] = true;
                } else {
                    merge(&mut table, part);
                    let mut prefix = String::new();
                    for part in unit.path.split('.') {
                        if !prefix.is_empty() {
                            prefix.push('.');
                        }
                        prefix.push_str(part);
                        given.entry(prefix.clone()).or_insert(at);
                    }
                }
            }
            Err(e) => {
                let e = match unclosed(&snippet) {
                    Some(open) => {
                        let c = snippet[open..].chars().next().unwrap_or('[');
                        let close = match c {
                            '[' => ']',
                            '{' => '}',
                            q => q,
                        };
                        YamlError {
                            help: Some(format!("close it with `{close}`")),
                            ..YamlError::new(
                                format!("this `{c}` is never closed"),
                                yaml::pos_of(&snippet, open),
                            )
                        }
                    }
                    None => e,
                };
                errors.push(YamlError {
                    pos: to_block(e.pos),
                    ..e
                });
                left_out[i] = true;
            }
        }
    }
    // Every part reads on its own and they merge, yet the whole does not parse (a table
    // given twice, say): the whole text's error stands.
    if errors.is_empty() && duplicates.is_empty() {
        errors.push(whole);
    }
    let out: Vec<&Range<usize>> = (units.iter().zip(&left_out))
        .filter(|(_, &out)| out)
        .map(|(u, _)| &u.bytes)
        .collect();
    Salvaged {
        value: table_value(table),
        text: Cow::Owned(yaml::blank(text, out)),
        duplicates,
        errors,
    }
}

/// What a part of a TOML block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `key = value`, at the top or in the `[table]` unit given.
    Key(Option<usize>),
    /// A `[table]` header.
    Table,
    /// An `[[array]]` section, read whole: it is one element.
    ArrayTable,
    /// Lines before the first key or header.
    Other,
}

struct Unit {
    kind: Kind,
    /// The key path it gives, unquoted: `extra.owner`.
    path: String,
    /// 0-based lines of the block, and their bytes.
    lines: Range<usize>,
    bytes: Range<usize>,
}

/// Splits a TOML block into its parts: a part starts at a key or a header (not inside a
/// multi-line string) and runs to the next; lines in between (a long array, comments)
/// continue it.
fn units(text: &str) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut open: Option<&str> = None;
    let mut table: Option<usize> = None;
    let mut in_array_table = false;
    let (mut at, mut n) = (0usize, 0usize);
    for line in text.split_inclusive('\n') {
        let was_open = open.is_some();
        update_open(&mut open, line);
        let trimmed = line.trim_start();
        let header = |t: &str| {
            let name = t.trim_start_matches('[');
            key_path(&name[..name.find(']').unwrap_or(name.len())])
        };
        let start = if was_open {
            None
        } else if trimmed.starts_with("[[") {
            in_array_table = true;
            table = None;
            Some((Kind::ArrayTable, header(trimmed)))
        } else if trimmed.starts_with('[') {
            in_array_table = false;
            table = Some(out.len());
            Some((Kind::Table, header(trimmed)))
        } else if in_array_table {
            None
        } else {
            key_start(trimmed).map(|key| {
                let path = match table {
                    Some(t) => format!("{}.{key}", out[t].path),
                    None => key,
                };
                (Kind::Key(table), path)
            })
        };
        let content = !trimmed.trim().is_empty() && !trimmed.starts_with('#');
        let start =
            start.or_else(|| (out.is_empty() && content).then(|| (Kind::Other, String::new())));
        if let Some((kind, path)) = start {
            if let Some(last) = out.last_mut() {
                (last.lines.end, last.bytes.end) = (n, at);
            }
            out.push(Unit {
                kind,
                path,
                lines: n..n,
                bytes: at..at,
            });
        }
        at += line.len();
        n += 1;
    }
    if let Some(last) = out.last_mut() {
        (last.lines.end, last.bytes.end) = (n, at);
    }
    out
}

/// The key path a `key = value` line starts with (bare or quoted parts joined by dots),
/// unquoted; `None` when the line is not one.
fn key_start(line: &str) -> Option<String> {
    let eq = key_end(line)?;
    Some(key_path(&line[..eq]))
}

/// The byte offset of the `=` after the key `line` starts with.
fn key_end(line: &str) -> Option<usize> {
    let mut i = 0;
    let b = line.as_bytes();
    loop {
        while b.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
            i += 1;
        }
        match *b.get(i)? {
            q @ (b'"' | b'\'') => i += 1 + line[i + 1..].find(q as char)? + 1,
            _ => {
                let len = line[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(line.len() - i);
                if len == 0 {
                    return None;
                }
                i += len;
            }
        }
        while b.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
            i += 1;
        }
        match b.get(i)? {
            b'.' => i += 1,
            b'=' => return Some(i),
            _ => return None,
        }
    }
}

/// `a. "b" .c` as `a.b.c`.
fn key_path(key: &str) -> String {
    key.split('.')
        .map(|part| unquote(part.trim()))
        .collect::<Vec<_>>()
        .join(".")
}

/// The first key path at which `add` collides with `table`: a value given twice, or a
/// table given where a value is (and the other way round). `[[array]]` sections add to
/// their array.
fn conflict(table: &toml::Table, add: &toml::Table, append: bool) -> Option<String> {
    for (k, v) in add {
        match (table.get(k), v) {
            (None, _) => {}
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => {
                if let Some(p) = conflict(a, b, append) {
                    return Some(format!("{k}.{p}"));
                }
            }
            (Some(toml::Value::Array(_)), toml::Value::Array(_)) if append => {}
            _ => return Some(k.clone()),
        }
    }
    None
}

/// Adds `add` to `table`, which [`conflict`] has found it fits.
fn merge(table: &mut toml::Table, add: toml::Table) {
    for (k, v) in add {
        match (table.get_mut(&k), v) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (Some(toml::Value::Array(a)), toml::Value::Array(b)) => a.extend(b),
            (_, v) => {
                table.insert(k, v);
            }
        }
    }
}

/// The byte offset of the innermost `[`, `{` or string that `text` leaves open, if any.
/// TOML quotes are regular: a quote always opens a string, a basic or literal string ends
/// at its line's end, a `"""`/`\'\'\'` one may run over lines.
fn unclosed(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n),
            q @ (b'"' | b'\'') => {
                let triple = [q, q, q];
                if b[i..].starts_with(&triple) {
                    let closing = if q == b'"' { "\"\"\"" } else { "\'\'\'" };
                    match text[i + 3..].find(closing) {
                        Some(end) => i += 3 + end + 3,
                        None => return Some(i),
                    }
                    continue;
                }
                let mut j = i + 1;
                loop {
                    match b.get(j) {
                        None | Some(b'\n') => return Some(i),
                        Some(b'\\') if q == b'"' => j += 2,
                        Some(c) if *c == q => break,
                        Some(_) => j += 1,
                    }
                }
                i = j;
            }
            b'[' | b'{' => stack.push(i),
            b']' | b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack.pop()
}

fn table_value(table: toml::Table) -> Value {
    Value::Mapping(
        table
            .into_iter()
            .map(|(k, v)| (Value::String(k), value(v)))
            .collect::<Mapping>(),
    )
}

fn value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(i.into()),
        toml::Value::Float(f) => Value::Number(f.into()),
        toml::Value::Boolean(b) => Value::Bool(b),
        // A bare TOML date (`last_reviewed = 2024-01-31`) reads as the text YAML gives.
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(value).collect()),
        toml::Value::Table(t) => table_value(t),
    }
}

/// The lines of `text` with their 0-based numbers, less those inside multi-line strings
/// (`"""` or `\'\'\'`), whose text may look like keys or tables.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut open: Option<&str> = None;
    text.lines().enumerate().filter(move |(_, line)| {
        let was_open = open.is_some();
        update_open(&mut open, line);
        !was_open
    })
}

/// Follows a multi-line string (`"""` or `\'\'\'`) over `line`: `open` is the quotes of the
/// one still open after it.
fn update_open(open: &mut Option<&str>, line: &str) {
    for quotes in ["\"\"\"", "\'\'\'"] {
        if open.is_none_or(|q| q == quotes) && line.matches(quotes).count() % 2 == 1 {
            *open = if open.is_some() { None } else { Some(quotes) };
        }
    }
}

/// Positions of the keys and values of top-level `key = value` lines (and of `[table]`
/// headers, both at the header), relative to `text`. Keys after the first header belong to
/// that table and are skipped; a dotted key (`params.x = 1`) is its first part's.
pub fn top_level_keys(text: &str) -> HashMap<String, KeyPos> {
    let mut keys = HashMap::new();
    let mut in_table = false;
    for (i, line) in code_lines(text) {
        let line_no = i as u32 + 1;
        let trimmed = line.trim_start();
        if let Some(header) = trimmed.strip_prefix('[') {
            in_table = true;
            let name = header.trim_start_matches('[');
            let name = name[..name.find(']').unwrap_or(name.len())].trim();
            let at = Pos::new(line_no, 1);
            keys.entry(unquote(name).to_string())
                .or_insert(KeyPos { key: at, value: at });
            continue;
        }
        if in_table || trimmed.starts_with('#') {
            continue;
        }
        let Some(eq) = line.find('=') else {
            continue;
        };
        let key = line[..eq].trim();
        let key = unquote(key.split('.').next().unwrap_or(key).trim());
        if key.is_empty() {
            continue;
        }
        let after = &line[eq + 1..];
        let value_at = eq + 1 + (after.len() - after.trim_start().len());
        let column = line[..value_at].chars().count() as u32 + 1;
        let indent = line[..line.len() - trimmed.len()].chars().count() as u32;
        keys.entry(key.to_string()).or_insert(KeyPos {
            key: Pos::new(line_no, indent + 1),
            value: Pos::new(line_no, column),
        });
    }
    keys
}

fn unquote(key: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = key.strip_prefix(q).and_then(|k| k.strip_suffix(q)) {
            return inner;
        }
    }
    key
}
