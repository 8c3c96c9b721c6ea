//! Finding the front matter block: where it starts and ends, and in which [`Format`].

use std::collections::HashMap;

use crate::toml_front;
use crate::yaml::{self, KeyPos};

/// The syntax of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `---` lines (closed by `---` or `...`).
    Yaml,
    /// Between `+++` lines, as Hugo writes it.
    Toml,
}

impl Format {
    /// The line that closes a block of this format.
    pub fn delimiter(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }
}

/// The front matter block at the top of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block<'a> {
    /// The text between the delimiters.
    pub text: &'a str,
    pub format: Format,
    /// 1-based line of the file on which `text` starts.
    pub first_line: u32,
}

impl Block<'_> {
    /// Where each top-level key and its value are written, as 1-based positions within `text`.
    pub fn top_level_keys(&self) -> HashMap<String, KeyPos> {
        match self.format {
            Format::Yaml => yaml::top_level_keys(self.text),
            Format::Toml => toml_front::top_level_keys(self.text),
        }
    }
}

/// The result of splitting a file into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter, if the file opens with a block.
    pub block: Option<Block<'a>>,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// The file opened a block and never closed it; its format.
    pub unterminated: Option<Format>,
}

/// Splits `text` (BOM already removed) at its front matter delimiters.
///
/// A YAML block opens with a first line of exactly `---` and closes with a line of `---` or
/// `...`; a TOML block opens and closes with `+++`. Trailing spaces and CRLF line endings are
/// accepted.
pub fn split(text: &str) -> Split<'_> {
    let none = Split {
        block: None,
        body_offset: 0,
        unterminated: None,
    };
    let Some(first_end) = text.find('\n') else {
        return none;
    };
    let format = match text[..first_end].trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return none,
    };
    let closes = |line: &str| match format {
        Format::Yaml => line == "---" || line == "...",
        Format::Toml => line == "+++",
    };
    let block_start = first_end + 1;
    let mut line_start = block_start;
    while line_start <= text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        if closes(text[line_start..line_end].trim_end()) {
            return Split {
                block: Some(Block {
                    text: &text[block_start..line_start],
                    format,
                    first_line: 2,
                }),
                body_offset: (line_end + 1).min(text.len()),
                unterminated: None,
            };
        }
        if line_end == text.len() {
            break;
        }
        line_start = line_end + 1;
    }
    Split {
        unterminated: Some(format),
        ..none
    }
}
