//! An existing CODEOWNERS file's text with the block put in: its markers found (a broken pair
//! named by line), the block replaced or appended, the rest kept byte for byte; and the lines that
//! differ, for `--check`.

use std::collections::HashMap;

/// The first line of the block.
pub const BEGIN: &str = "# BEGIN handbook codeowners";
/// The last line of the block.
pub const END: &str = "# END handbook codeowners";

/// A marker line in the wrong place, found by [`splice`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerError {
    /// 1-based line of the file.
    pub line: usize,
    pub message: String,
}

/// A file's text with the block put in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spliced {
    pub text: String,
    /// Whether the file had a block (replaced), or the block was appended.
    pub replaced: bool,
}

/// `current` with `block` (lines without endings) in place of its block, or appended when it
/// has none. Everything outside the block is kept byte for byte; the block takes the file's
/// line endings (CRLF when most of its lines end so).
pub fn splice(current: &str, block: &[String]) -> Result<Spliced, MarkerError> {
    // (start, end of the text, end with the line ending) of each line.
    let mut lines = Vec::new();
    let mut start = 0;
    while start < current.len() {
        let next = current[start..]
            .find('\n')
            .map_or(current.len(), |i| start + i + 1);
        let text = current[start..next].trim_end_matches('\n');
        let text = text.strip_suffix('\r').unwrap_or(text);
        lines.push((start, start + text.len(), next));
        start = next;
    }
    let is = |marker: &str, &(s, e, _): &(usize, usize, usize)| current[s..e].trim() == marker;
    let begins: Vec<usize> = (0..lines.len()).filter(|&i| is(BEGIN, &lines[i])).collect();
    let ends: Vec<usize> = (0..lines.len()).filter(|&i| is(END, &lines[i])).collect();
    let broken = |i: usize, message: String| {
        Err(MarkerError {
            line: i + 1,
            message,
        })
    };

    let crlf = current.matches("\r\n").count();
    let newline = if crlf > current.matches('\n').count() - crlf {
        "\r\n"
    } else {
        "\n"
    };
    let mut text = block.join(newline);
    match (begins.as_slice(), ends.as_slice()) {
        ([], []) => {
            // At the end: in CODEOWNERS the last matching pattern wins, so these lines, one
            // per file, must come after general rules such as `* @org/everyone` to count.
            let mut out = String::with_capacity(current.len() + text.len() + 4);
            out.push_str(current);
            if !current.is_empty() {
                if !current.ends_with('\n') {
                    out.push_str(newline);
                }
                let last_blank = lines
                    .last()
                    .is_some_and(|&(s, e, _)| current[s..e].trim().is_empty());
                if !last_blank {
                    out.push_str(newline);
                }
            }
            out.push_str(&text);
            out.push_str(newline);
            Ok(Spliced {
                text: out,
                replaced: false,
            })
        }
        (&[b], &[e]) if b < e => {
            let (begin, end) = (lines[b].0, lines[e].2);
            // An END on the last line without a line ending stays that way.
            if lines[e].1 < end {
                text.push_str(newline);
            }
            Ok(Spliced {
                text: [&current[..begin], &text, &current[end..]].concat(),
                replaced: true,
            })
        }
        ([first, second, ..], _) => broken(
            *second,
            format!(
                "a second `{BEGIN}` (the first is on line {}): keep one block",
                first + 1
            ),
        ),
        ([b], []) => broken(*b, format!("`{BEGIN}` has no `{END}` after it")),
        (_, &[e, ..]) if begins.first().is_none_or(|&b| e < b) => {
            broken(e, format!("`{END}` has no `{BEGIN}` before it"))
        }
        (_, [_, second, ..]) => broken(*second, format!("a second `{END}`: keep one block")),
        _ => unreachable!("one BEGIN before one END is a block, replaced above"),
    }
}

/// The non-blank lines only in `old`, and those only in `new`, each in its file's order (a
/// multiset difference: the block is sorted, so this reads like a diff).
pub(super) fn line_changes<'a>(old: &'a str, new: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let lines = |text: &'a str| {
        text.lines()
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .filter(|l| !l.trim().is_empty())
    };
    let only_in = |a: &'a str, b: &'a str| {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for l in lines(b) {
            *counts.entry(l).or_default() += 1;
        }
        lines(a)
            .filter(|l| match counts.get_mut(l) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .collect::<Vec<_>>()
    };
    (only_in(old, new), only_in(new, old))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(ls: &[&str]) -> Vec<String> {
        ls.iter().map(|s| s.to_string()).collect()
    }

    fn new_block() -> Vec<String> {
        lines(&[BEGIN, "/a.md @ana", END])
    }

    #[test]
    fn an_empty_file_gets_the_block_alone() {
        let s = splice("", &new_block()).unwrap();
        assert_eq!(s.text, format!("{BEGIN}\n/a.md @ana\n{END}\n"));
        assert!(!s.replaced);
    }

    #[test]
    fn the_block_is_appended_after_a_blank_line_and_the_rest_kept() {
        let before = "# Owners\n* @org/everyone\n/docs/ @docs\n";
        let s = splice(before, &new_block()).unwrap();
        assert_eq!(s.text, format!("{before}\n{BEGIN}\n/a.md @ana\n{END}\n"));
        // A file that already ends with a blank line gets no second one.
        let s = splice("* @x\n\n", &new_block()).unwrap();
        assert_eq!(s.text, format!("* @x\n\n{BEGIN}\n/a.md @ana\n{END}\n"));
    }

    #[test]
    fn a_missing_final_newline_is_added_only_to_separate() {
        let s = splice("* @x", &new_block()).unwrap();
        assert_eq!(s.text, format!("* @x\n\n{BEGIN}\n/a.md @ana\n{END}\n"));
        // When the block is last and its END had no line ending, it still has none.
        let current = format!("* @x\n{BEGIN}\n/old.md @bo\n{END}");
        let s = splice(&current, &new_block()).unwrap();
        assert_eq!(s.text, format!("* @x\n{BEGIN}\n/a.md @ana\n{END}"));
    }

    #[test]
    fn a_block_is_replaced_in_place_and_everything_around_kept_byte_for_byte() {
        let before = "\u{feff}# top  \n* @org/all\t\n\n\n";
        let after = "\n# later rules\n/x/**  @y\n\n";
        let current = format!("{before}{BEGIN}\n# hand edit\n/old.md @bo\n{END}\n{after}");
        let s = splice(&current, &new_block()).unwrap();
        assert!(s.replaced);
        assert_eq!(
            s.text,
            format!("{before}{BEGIN}\n/a.md @ana\n{END}\n{after}")
        );
        // Again: nothing changes.
        assert_eq!(splice(&s.text, &new_block()).unwrap().text, s.text);
    }

    #[test]
    fn crlf_files_get_a_crlf_block() {
        let current = "* @x\r\n/y @z\r\n";
        let s = splice(current, &new_block()).unwrap();
        assert_eq!(
            s.text,
            format!("* @x\r\n/y @z\r\n\r\n{BEGIN}\r\n/a.md @ana\r\n{END}\r\n")
        );
        let current = format!("* @x\r\n{BEGIN}\r\n{END}\r\n/z @q\r\n");
        let s = splice(&current, &new_block()).unwrap();
        assert_eq!(
            s.text,
            format!("* @x\r\n{BEGIN}\r\n/a.md @ana\r\n{END}\r\n/z @q\r\n")
        );
        // Markers are found whatever the line ending, and indented.
        let current = format!("  {BEGIN}  \r\n{END}\n");
        assert!(splice(&current, &new_block()).unwrap().replaced);
    }

    #[test]
    fn broken_markers_name_their_line() {
        let err = |text: &str| splice(text, &new_block()).unwrap_err();
        let e = err(&format!("* @x\n{BEGIN}\n/a @b\n"));
        assert_eq!(e.line, 2);
        assert!(e.message.contains("has no `# END"), "{}", e.message);
        let e = err(&format!("* @x\n\n{END}\n"));
        assert_eq!(e.line, 3);
        assert!(e.message.contains("has no `# BEGIN"), "{}", e.message);
        let e = err(&format!("{END}\n{BEGIN}\n"));
        assert_eq!(e.line, 1);
        assert!(e.message.contains("has no `# BEGIN"), "{}", e.message);
        let e = err(&format!("{BEGIN}\n{END}\n\n{BEGIN}\n{END}\n"));
        assert_eq!(e.line, 4);
        assert!(e.message.contains("second `# BEGIN"), "{}", e.message);
        assert!(e.message.contains("line 1"), "{}", e.message);
        let e = err(&format!("{BEGIN}\n{END}\n{END}\n"));
        assert_eq!(e.line, 3);
        assert!(e.message.contains("second `# END"), "{}", e.message);
        // A line that only mentions the markers is not one.
        let text = format!("# see {BEGIN} below\n");
        assert!(!splice(&text, &new_block()).unwrap().replaced);
    }

    #[test]
    fn check_lists_added_and_removed_lines() {
        let (removed, added) = line_changes("a\nb\r\nb\n\nc\n", "a\nb\nd\n");
        assert_eq!(removed, ["b", "c"]);
        assert_eq!(added, ["d"]);
    }
}
