//! The one place that talks to the YAML parser.
//!
//! serde_yaml_ng reports errors with a position inside the text it was given; callers shift it by
//! the line where that text starts in the real file. It also bounds alias expansion and nesting
//! depth, so a "billion laughs" front matter or pathological nesting is an ordinary error here.
//! [`top_level_keys`] records where each top-level key's value starts, so diagnostics about one
//! field point at that field.

use std::collections::HashMap;

use serde::de::DeserializeOwned;

use crate::diagnostic::Pos;

pub use serde_yaml_ng::{Mapping, Value};

/// A YAML error with a clean message and a position relative to the parsed text.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    pub pos: Pos,
}

/// Deeper flow nesting than this is refused before parsing. The deserializer would refuse it
/// anyway (its recursion limit is 128), but the scanner takes quadratic time to get there:
/// 100,000 `[` cost 40 s.
const MAX_FLOW_DEPTH: usize = 128;

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    check_flow_depth(text)?;
    serde_yaml_ng::from_str(text).map_err(|e| convert(&e))
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
                        message: format!("nesting deeper than {MAX_FLOW_DEPTH} levels"),
                        pos: Pos::new(line, column),
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

fn convert(e: &serde_yaml_ng::Error) -> YamlError {
    let pos = e
        .location()
        .map(|l| Pos::new(l.line() as u32, l.column() as u32))
        .unwrap_or(Pos::new(1, 1));
    YamlError {
        message: strip_location(&e.to_string()),
        pos,
    }
}

/// serde_yaml appends " at line L column C" to messages; we report positions separately.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Positions of the values of top-level `key: value` lines, relative to `text`.
///
/// A value on the following lines (a block list) is located at its key. Only plain and quoted
/// keys at column 1 count; anything cleverer is still parsed correctly by the YAML parser, it just
/// gets the position of the block.
pub fn top_level_keys(text: &str) -> HashMap<String, Pos> {
    let mut keys = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{' | '&' | '*' | '!') {
            continue;
        }
        let (key, rest_at) = if first == '"' || first == '\'' {
            match line[1..].find(first) {
                Some(end) => (&line[1..end + 1], end + 2),
                None => continue,
            }
        } else {
            match line.find(':') {
                Some(end) => (line[..end].trim_end(), end),
                None => continue,
            }
        };
        let Some(after) = line[rest_at..].strip_prefix(':') else {
            continue;
        };
        let value_start = rest_at + 1 + (after.len() - after.trim_start().len());
        let (col_bytes, at_value) =
            if after.trim().is_empty() || after.trim_start().starts_with('#') {
                (0, false)
            } else {
                (value_start, true)
            };
        let column = if at_value {
            line[..col_bytes].chars().count() as u32 + 1
        } else {
            1
        };
        keys.entry(key.to_string())
            .or_insert(Pos::new(i as u32 + 1, column));
    }
    keys
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
    fn alias_bomb_is_an_error_not_a_hang() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(from_str::<Value>(&doc).is_err());
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
