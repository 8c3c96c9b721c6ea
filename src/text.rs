//! Text as every reader takes it: documents, team data, handbook.yaml and the versions of a
//! document in git history all go through [`decode`], so that a byte-order mark, old Mac line
//! breaks and bytes that are not UTF-8 mean the same in each, and a position reported in one is
//! a position in the file the author opens.

use crate::diagnostic::{LineIndex, Pos};

/// A file's text, ready to parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text: a leading UTF-8 byte-order mark removed, lone `\r` made `\n`, and bytes that
    /// are not UTF-8 shown as U+FFFD.
    pub text: String,
    /// Where the first byte that is not UTF-8 was, if any: the reader decides whether that is
    /// an error of the whole file or a warning beside a page that still builds.
    pub invalid_at: Option<Pos>,
}

/// Decodes a file's bytes; see [`Decoded`].
pub fn decode(bytes: Vec<u8>) -> Decoded {
    let (text, invalid_at) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
            let pos = LineIndex::new(prefix).pos(prefix, valid);
            (String::from_utf8_lossy(&bytes).into_owned(), Some(pos))
        }
    };
    let text = match text.strip_prefix(BOM) {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Decoded {
        text: normalize_line_breaks(text),
        invalid_at,
    }
}

/// The UTF-8 byte-order mark some Windows editors put first.
const BOM: char = '\u{feff}';

/// `text` without a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

/// Replaces lone carriage returns (old Mac line endings) with line feeds.
///
/// The YAML parser and editors treat a lone `\r` as a line break; doing the same everywhere
/// keeps every reported line number right. The replacement is byte for byte, so offsets hold.
pub fn normalize_line_breaks(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // One ASCII byte replaced by another: still valid UTF-8.
    String::from_utf8(bytes).expect("ASCII-for-ASCII replacement keeps UTF-8 valid")
}

/// `text` kept to one line of a file that others read line by line (a YAML comment, a
/// CODEOWNERS comment): every control character, and the line and paragraph separators that
/// YAML 1.1 and some editors take for line breaks (U+2028, U+2029), written as `with`.
pub fn one_line(text: &str, with: char) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                with
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        assert_eq!(normalize_line_breaks("a\rb\r\nc\r".into()), "a\nb\r\nc\n");
        assert_eq!(normalize_line_breaks("é\r".into()), "é\n");
    }

    #[test]
    fn a_bom_goes_and_bad_bytes_are_placed() {
        let d = decode(b"\xef\xbb\xbfa: 1\rb: 2\n".to_vec());
        assert_eq!(d.text, "a: 1\nb: 2\n");
        assert_eq!(d.invalid_at, None);
        let d = decode(b"ok\nab\xffc\n".to_vec());
        assert_eq!(d.text, "ok\nab\u{fffd}c\n");
        assert_eq!(d.invalid_at, Some(Pos::new(2, 3)));
    }

    #[test]
    fn one_line_leaves_nothing_that_breaks_a_line() {
        assert_eq!(
            one_line("a\nb\rc\u{85}d\u{2028}e\u{2029}f\u{1b}g", ' '),
            "a b c d e f g"
        );
        assert_eq!(one_line("Ana Núñez", '?'), "Ana Núñez");
    }
}
