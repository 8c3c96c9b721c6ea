//! Hand-written lexers for the languages runbooks are mostly written in (shell, YAML, Python,
//! JSON), giving the same token classes as the grammars of [`super::highlight`].
//!
//! syntect runs a grammar's regular expressions over every line: about 300 µs of CPU for a
//! ten-line block, which made highlighting three quarters of a build whose code blocks all
//! differ, as real runbooks' do. These lexers read a block once, byte by byte, at a few
//! hundred megabytes a second; other languages still go to syntect.
//!
//! A lexer reports the block as consecutive runs, each with its class (an index into
//! `highlight::CLASSES`): [`Cursor::emit`] only moves forward and never splits a character, so
//! the runs always add up to the block as written, whatever the input.

/// Token classes: indexes into `highlight::CLASSES` (a test holds the two together).
pub(super) const PLAIN: usize = 0;
pub(super) const COMMENT: usize = 1;
pub(super) const KEYWORD: usize = 2;
pub(super) const STRING: usize = 3;
pub(super) const CONSTANT: usize = 4;
pub(super) const FUNCTION: usize = 5;
pub(super) const TYPE: usize = 6;
pub(super) const VARIABLE: usize = 7;
pub(super) const TAG: usize = 8;

/// A lexer: reads `code` and reports its runs to `out`.
pub(super) type Lexer = fn(&str, &mut dyn FnMut(usize, &str));

/// The hand-written lexer for a fence's language (already lower-cased), if there is one.
pub(super) fn for_language(lang: &str) -> Option<Lexer> {
    Some(match lang {
        "bash" | "sh" | "shell" | "zsh" => shell,
        "console" | "shell-session" | "terminal" => console,
        "yaml" | "yml" => yaml,
        "python" | "py" | "python3" => python,
        "json" | "jsonc" => json,
        _ => return None,
    })
}

/// The block being read and how far its runs have been reported.
struct Cursor<'a, 'o> {
    code: &'a str,
    bytes: &'a [u8],
    /// Where the next run starts.
    at: usize,
    out: &'o mut dyn FnMut(usize, &str),
}

impl<'a, 'o> Cursor<'a, 'o> {
    fn new(code: &'a str, out: &'o mut dyn FnMut(usize, &str)) -> Cursor<'a, 'o> {
        Cursor {
            code,
            bytes: code.as_bytes(),
            at: 0,
            out,
        }
    }

    /// Reports `code[at..end]` as one run of `class` (moved up to the next character boundary;
    /// nothing when `end` is not ahead).
    fn emit(&mut self, class: usize, end: usize) {
        let mut end = end.min(self.code.len());
        while !self.code.is_char_boundary(end) {
            end += 1;
        }
        if end > self.at {
            (self.out)(class, &self.code[self.at..end]);
            self.at = end;
        }
    }

    fn byte(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    /// The end of the line holding byte `i` (its `\n` not included).
    fn line_end(&self, i: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[i.min(self.bytes.len())..])
            .map_or(self.bytes.len(), |n| i + n)
    }

    /// The end of the run of bytes from `i` that `keep` accepts.
    fn run(&self, mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
        while i < self.bytes.len() && keep(self.bytes[i]) {
            i += 1;
        }
        i
    }

    /// The end of a quoted string opening at `i` with `quote`; `\` escapes the next byte when
    /// `escapes`. The end of the text when it is not closed.
    fn quoted(&self, i: usize, quote: u8, escapes: bool) -> usize {
        let mut j = i + 1;
        while j < self.bytes.len() {
            match self.bytes[j] {
                b'\\' if escapes => j += 2,
                c if c == quote => return j + 1,
                _ => j += 1,
            }
        }
        self.bytes.len()
    }
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

// ---------------------------------------------------------------------------------------------
// Shell

const SHELL_KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "in", "function", "select", "time", "export", "local", "declare", "readonly", "typeset",
    "unset",
];

/// Bytes that end a word of shell.
fn ends_shell_word(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b';'
            | b'|'
            | b'&'
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'"'
            | b'\''
            | b'`'
            | b'$'
            | b'\\'
    )
}

/// Shell (bash, sh, zsh, a console session): comments, strings with the variables inside
/// them, variables, the command word of each command (`function`), keywords, options
/// (`variable`), assignments, here-documents (`string`, their delimiters `keyword`).
fn shell(code: &str, out: &mut dyn FnMut(usize, &str)) {
    let mut c = Cursor::new(code, out);
    // Whether the next word is a command's name, and the keyword that opened the command
    // (`for x in`: `in` is a keyword there only).
    let mut command = true;
    let mut opener = "";
    // Here-documents whose bodies start at the next line: (delimiter, leading tabs removed).
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    // For each open `(` and `$(`: whether a command's name follows once it closes
    // (`x=$(date) cmd`).
    let mut nested: Vec<bool> = Vec::new();
    // The open `case`s (how many brackets were open at each), and whether a pattern
    // (`start|begin)`) is being read: its words are not commands, its `)` ends it.
    let mut cases: Vec<usize> = Vec::new();
    let mut pattern = false;
    let n = c.bytes.len();
    let mut i = 0;
    while i < n {
        let b = c.bytes[i];
        match b {
            b'\n' => {
                i += 1;
                c.emit(PLAIN, i);
                for (delimiter, tabs) in std::mem::take(&mut heredocs) {
                    // The body's lines, then the delimiter's.
                    loop {
                        if i >= n {
                            break;
                        }
                        let end = c.line_end(i);
                        let line = &code[i..end];
                        let line = if tabs {
                            line.trim_start_matches('\t')
                        } else {
                            line
                        };
                        if line.trim_end_matches('\r') == delimiter {
                            c.emit(KEYWORD, end);
                            i = (end + 1).min(n);
                            c.emit(PLAIN, i);
                            break;
                        }
                        i = (end + 1).min(n);
                        c.emit(STRING, i);
                    }
                }
                command = true;
                opener = "";
            }
            b' ' | b'\t' | b'\r' => {
                i = c.run(i, |b| matches!(b, b' ' | b'\t' | b'\r'));
                c.emit(PLAIN, i);
            }
            b'\\' => {
                // A line continued, or an escaped character: as written.
                i += 2;
                c.emit(PLAIN, i);
                i = c.at;
            }
            b'#' => {
                i = c.line_end(i);
                c.emit(COMMENT, i);
            }
            b'\'' => {
                i = c.quoted(i, b'\'', false);
                c.emit(STRING, i);
                command = false;
            }
            b'"' => {
                i = double_quoted(&mut c, i);
                command = false;
            }
            b'$' => {
                i = dollar(&mut c, i, &mut command, &mut nested);
            }
            b'`' => {
                i += 1;
                c.emit(PLAIN, i);
                command = true;
            }
            b';' | b'|' | b'&' => {
                // A command follows: `;`, `|`, `&&`, `||`, `&`; a `case` pattern `;;`.
                i = c.run(i, |b| matches!(b, b';' | b'|' | b'&'));
                let op = &code[c.at..i];
                c.emit(PLAIN, i);
                command = true;
                opener = "";
                if !cases.is_empty() && (op.contains(";;") || op.contains(";&")) {
                    pattern = true;
                }
            }
            b'(' => {
                i += 1;
                c.emit(PLAIN, i);
                nested.push(false);
                command = true;
                opener = "";
            }
            b')' => {
                i += 1;
                c.emit(PLAIN, i);
                if pattern && cases.last() == Some(&nested.len()) {
                    // The end of a `case` pattern: its commands follow.
                    pattern = false;
                    command = true;
                } else {
                    command = nested.pop().unwrap_or(false);
                }
                opener = "";
            }
            // A group `{ ...; }` and a negation `! cmd` where a command may stand; elsewhere
            // these are part of a word (`find -exec rm {} +`, `!=`).
            b'{' | b'}' | b'!' if command => {
                i += 1;
                c.emit(PLAIN, i);
            }
            b'<' if c.byte(i + 1) == b'<' && heredoc_word(&c, i + 2).is_some() => {
                // A here-document: `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<\EOF`.
                let tabs = c.byte(i + 2) == b'-';
                let mut j = heredoc_word(&c, i + 2).unwrap_or(i + 2);
                if c.byte(j) == b'\\' {
                    j += 1;
                }
                c.emit(PLAIN, j);
                let quote = c.byte(j);
                let (start, end, close) = if quote == b'\'' || quote == b'"' {
                    let close = c.quoted(j, quote, false);
                    (j + 1, close.saturating_sub(1).max(j + 1), close)
                } else {
                    let end = c.run(j, |b| !ends_shell_word(b));
                    (j, end, end)
                };
                if end > start && c.code.is_char_boundary(start) && c.code.is_char_boundary(end) {
                    heredocs.push((code[start..end].to_string(), tabs));
                }
                i = close.max(j);
                c.emit(KEYWORD, i);
            }
            b'<' | b'>' => {
                i = c.run(i, |b| matches!(b, b'<' | b'>' | b'&'));
                c.emit(PLAIN, i);
            }
            _ => {
                let end = c.run(i, |b| !ends_shell_word(b));
                let end = end.max(i + 1);
                let word = &code[i..end.min(n)];
                if word == "esac" && (pattern || command) {
                    c.emit(KEYWORD, end);
                    cases.pop();
                    pattern = false;
                    command = false;
                } else if pattern {
                    c.emit(PLAIN, end);
                } else if command {
                    if let Some(eq) = assignment(word) {
                        c.emit(VARIABLE, i + eq);
                        c.emit(PLAIN, i + eq + 1);
                        c.emit(STRING, end);
                    } else if SHELL_KEYWORDS.contains(&word) {
                        c.emit(KEYWORD, end);
                        // The words after these are not commands (`for NAME`, `export NAME=1`).
                        if word == "case" {
                            cases.push(nested.len());
                        }
                        if matches!(word, "for" | "case" | "select" | "function") {
                            command = false;
                            opener = if word == "function" { "" } else { word };
                        } else if matches!(
                            word,
                            "export" | "local" | "declare" | "readonly" | "typeset" | "unset"
                        ) {
                            command = false;
                            opener = "declare";
                        }
                    } else {
                        c.emit(FUNCTION, end);
                        command = false;
                    }
                } else if word == "in" && matches!(opener, "for" | "case" | "select") {
                    c.emit(KEYWORD, end);
                    pattern = opener == "case";
                } else if word.len() > 1 && word.starts_with('-') {
                    // An option, up to its `=`.
                    let name = word.find('=').unwrap_or(word.len());
                    c.emit(VARIABLE, i + name);
                    c.emit(PLAIN, end);
                } else if opener == "declare" {
                    match assignment(word) {
                        Some(eq) => {
                            c.emit(VARIABLE, i + eq);
                            c.emit(PLAIN, i + eq + 1);
                            c.emit(STRING, end);
                        }
                        None => c.emit(VARIABLE, end),
                    }
                } else {
                    c.emit(PLAIN, end);
                }
                i = c.at.max(i + 1);
            }
        }
        // Whatever a branch left unreported (it never goes back).
        if c.at < i {
            c.emit(PLAIN, i);
        }
        i = i.max(c.at);
    }
    c.emit(PLAIN, n);
}

/// Where the word after `<<` (from `i`: an optional `-`, blanks) starts, when it can be a
/// here-document's delimiter: a name, quoted, or escaped (`<<EOF`, `<< 'EOF'`, `<<\EOF`);
/// not a shift (`$((1 << 20))`, `x <<= 1`) nor a here-string (`<<<`).
fn heredoc_word(c: &Cursor, i: usize) -> Option<usize> {
    let mut j = i;
    if c.byte(j) == b'-' {
        j += 1;
    }
    j = c.run(j, |b| b == b' ' || b == b'\t');
    let b = c.byte(j);
    (b.is_ascii_alphabetic() || matches!(b, b'_' | b'\'' | b'"' | b'\\')).then_some(j)
}

/// A console session: lines after a prompt (`$ `, `# `, `% `), and the lines a `\` at the end
/// continues, are shell; the others are what the commands printed, plain.
fn console(code: &str, out: &mut dyn FnMut(usize, &str)) {
    let line_end = |start: usize| {
        memchr::memchr(b'\n', &code.as_bytes()[start..]).map_or(code.len(), |k| start + k + 1)
    };
    let mut start = 0;
    while start < code.len() {
        let mut end = line_end(start);
        let line = &code[start..end];
        let Some(prompt) = ["$ ", "# ", "% "].iter().find(|p| line.starts_with(**p)) else {
            out(PLAIN, line);
            start = end;
            continue;
        };
        // The command, with the lines its `\` continues, read as one.
        while end < code.len() && code[start..end].trim_end().ends_with('\\') {
            end = line_end(end);
        }
        out(PLAIN, &line[..prompt.len()]);
        shell(&code[start + prompt.len()..end], out);
        start = end;
    }
}

/// `NAME=` at the start of `word`: the offset of the `=`.
fn assignment(word: &str) -> Option<usize> {
    let eq = word.find('=')?;
    let name = word[..eq].strip_suffix('+').unwrap_or(&word[..eq]);
    let b = name.as_bytes();
    (!b.is_empty() && is_name_start(b[0]) && b.iter().all(|&c| is_name(c))).then_some(eq)
}

/// A `"..."` string from `i`, the variables in it as variables; returns where it ends.
fn double_quoted(c: &mut Cursor, i: usize) -> usize {
    let n = c.bytes.len();
    let mut j = i + 1;
    while j < n {
        match c.bytes[j] {
            b'\\' => j += 2,
            b'"' => {
                j += 1;
                c.emit(STRING, j);
                return j;
            }
            b'$' if variable_end(c, j) > j + 1 => {
                c.emit(STRING, j);
                j = variable_end(c, j);
                c.emit(VARIABLE, j);
            }
            _ => j += 1,
        }
    }
    c.emit(STRING, n);
    n
}

/// The end of a variable or substitution starting with `$` at `i` (`i + 1` when there is none):
/// `$name`, `$1`, `$@`, `${...}`, `$(...)`, `$((...))`.
fn variable_end(c: &Cursor, i: usize) -> usize {
    let next = c.byte(i + 1);
    match next {
        b'{' | b'(' => {
            let close = if next == b'{' { b'}' } else { b')' };
            let mut depth = 0usize;
            let mut j = i + 1;
            while j < c.bytes.len() {
                let b = c.bytes[j];
                if b == next {
                    depth += 1;
                } else if b == close {
                    depth -= 1;
                    if depth == 0 {
                        return j + 1;
                    }
                } else if b == b'\n' && next == b'{' {
                    return j;
                }
                j += 1;
            }
            c.bytes.len()
        }
        b if is_name_start(b) => c.run(i + 1, is_name),
        b'0'..=b'9' | b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-' => i + 2,
        _ => i + 1,
    }
}

/// `$` outside a string at `i`: `$'...'`, a command substitution (whose words are read as
/// commands), or a variable.
fn dollar(c: &mut Cursor, i: usize, command: &mut bool, nested: &mut Vec<bool>) -> usize {
    match c.byte(i + 1) {
        b'\'' => {
            let end = c.quoted(i + 1, b'\'', true);
            c.emit(STRING, end);
            *command = false;
            end
        }
        b'(' => {
            // `$(` and `$((`: the words inside are read as they come.
            let end = c.run(i + 1, |b| b == b'(');
            c.emit(PLAIN, end);
            for _ in i + 1..end {
                nested.push(*command);
            }
            *command = end == i + 2;
            end
        }
        _ => {
            let end = variable_end(c, i);
            c.emit(if end > i + 1 { VARIABLE } else { PLAIN }, end);
            *command = false;
            end
        }
    }
}

// ---------------------------------------------------------------------------------------------
// YAML

/// YAML: keys (`tag`), scalars (`string`; numbers, booleans and null `constant`), comments,
/// anchors (`function`) and aliases (`variable`), tags and block scalar indicators
/// (`keyword`), block scalars' lines (`string`).
fn yaml(code: &str, out: &mut dyn FnMut(usize, &str)) {
    let mut c = Cursor::new(code, out);
    let n = c.bytes.len();
    // The indentation a block scalar's lines must exceed, while in one.
    let mut block: Option<usize> = None;
    let mut i = 0;
    while i < n {
        let end = c.line_end(i);
        let next = (end + 1).min(n);
        let indent = c.run(i, |b| b == b' ') - i;
        let blank = code[i..end].trim().is_empty();
        if let Some(parent) = block {
            if blank || indent > parent {
                c.emit(STRING, next);
                i = next;
                continue;
            }
            block = None;
        }
        let mut j = i + indent;
        c.emit(PLAIN, j);
        // Sequence dashes, `- - item`.
        while c.byte(j) == b'-' && matches!(c.byte(j + 1), b' ' | b'\n' | b'\r' | 0) {
            j = c.run(j + 1, |b| b == b' ');
        }
        c.emit(PLAIN, j);
        // The block scalar a value may open holds the lines indented past its key (`- run: |`:
        // past `run`), or past the dash when there is no key (`- |`).
        let mut parent = indent;
        if code[i..end].starts_with("---") || code[i..end].starts_with("...") {
            c.emit(PLAIN, end);
        } else if c.byte(j) == b'#' {
            c.emit(COMMENT, end);
        } else {
            if let Some(colon) = yaml_key(&c, j, end) {
                parent = j - i;
                c.emit(TAG, colon);
                c.emit(PLAIN, colon + 1);
                j = colon + 1;
            }
            if yaml_value(&mut c, j, end) {
                block = Some(parent);
            }
        }
        c.emit(PLAIN, next);
        i = next;
    }
    c.emit(PLAIN, n);
}

/// The `:` ending a mapping key that starts at `j` on a line ending at `end`, if the line has one.
fn yaml_key(c: &Cursor, j: usize, end: usize) -> Option<usize> {
    let first = c.byte(j);
    let colon = if first == b'"' || first == b'\'' {
        let close = c.quoted(j, first, first == b'"');
        (close <= end && c.byte(close) == b':').then_some(close)?
    } else {
        if matches!(
            first,
            b'[' | b'{' | b'|' | b'>' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b'#' | b'?'
        ) {
            return None;
        }
        // A `:` after ` #` is in a comment.
        let limit = memchr::memmem::find(&c.bytes[j..end], b" #").map_or(end, |k| j + k);
        let mut k = j;
        loop {
            let at = k + memchr::memchr(b':', &c.bytes[k..limit])?;
            if matches!(c.byte(at + 1), b' ' | b'\t' | b'\n' | b'\r') || at + 1 == end {
                break at;
            }
            k = at + 1;
        }
    };
    (colon > j).then_some(colon)
}

/// The value after a key (or a sequence dash) from `j` to the line's `end`; true when it opens
/// a block scalar (`|`, `>-`...).
fn yaml_value(c: &mut Cursor, mut j: usize, end: usize) -> bool {
    let mut opens_block = false;
    // How deep in a flow collection (`[a, b]`, `{k: v}`) this line is.
    let mut flow = 0usize;
    while j < end {
        let b = c.byte(j);
        match b {
            b' ' | b'\t' | b'\r' => {
                j = c.run(j, |b| matches!(b, b' ' | b'\t' | b'\r')).min(end);
                c.emit(PLAIN, j);
            }
            b'#' => {
                c.emit(COMMENT, end);
                j = end;
            }
            b'"' | b'\'' => {
                j = c.quoted(j, b, b == b'"').min(end);
                c.emit(STRING, j);
            }
            b'&' | b'*' => {
                c.emit(PLAIN, j + 1);
                j = c
                    .run(j + 1, |b| {
                        !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}')
                    })
                    .min(end);
                c.emit(if b == b'&' { FUNCTION } else { VARIABLE }, j);
            }
            b'!' => {
                j = c
                    .run(j, |b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                    .min(end);
                c.emit(KEYWORD, j);
            }
            b'|' | b'>' => {
                j = c
                    .run(j + 1, |b| matches!(b, b'-' | b'+' | b'0'..=b'9'))
                    .min(end);
                c.emit(KEYWORD, j);
                opens_block = true;
            }
            b'[' | b']' | b'{' | b'}' | b',' => {
                match b {
                    b'[' | b'{' => flow += 1,
                    b']' | b'}' => flow = flow.saturating_sub(1),
                    _ => {}
                }
                j += 1;
                c.emit(PLAIN, j);
                // A key inside a flow mapping.
                let k = c.run(j, |b| b == b' ');
                c.emit(PLAIN, k);
                j = k;
                if let Some(colon) = flow_key(c, j, end) {
                    c.emit(TAG, colon);
                    c.emit(PLAIN, colon + 1);
                    j = colon + 1;
                }
            }
            _ => {
                // A plain scalar: to a comment, the line's end, or (in a flow) a separator.
                let in_flow = flow > 0;
                let mut k = j;
                while k < end {
                    let b = c.byte(k);
                    if b == b'#' && matches!(c.byte(k.wrapping_sub(1)), b' ' | b'\t') {
                        break;
                    }
                    if in_flow && matches!(b, b',' | b']' | b'}') {
                        break;
                    }
                    k += 1;
                }
                let text = c.code[j..k].trim_end_matches([' ', '\t', '\r']);
                let stop = j + text.len();
                c.emit(
                    if yaml_constant(text) {
                        CONSTANT
                    } else {
                        STRING
                    },
                    stop,
                );
                j = stop.max(j + 1).min(end.max(j + 1));
                c.emit(PLAIN, j);
            }
        }
        // Never inside a character: `emit` moves to the next boundary.
        j = j.max(c.at);
    }
    opens_block
}

fn flow_key(c: &Cursor, j: usize, end: usize) -> Option<usize> {
    let stop = c
        .run(j, |b| {
            !matches!(b, b',' | b']' | b'}' | b'\n' | b'[' | b'{')
        })
        .min(end);
    let colon = j + memchr::memchr(b':', &c.bytes[j..stop])?;
    (colon > j && matches!(c.byte(colon + 1), b' ' | b',' | b']' | b'}')).then_some(colon)
}

fn yaml_constant(text: &str) -> bool {
    matches!(
        text,
        "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "null"
            | "Null"
            | "NULL"
            | "~"
            | "yes"
            | "Yes"
            | "no"
            | "No"
            | "on"
            | "On"
            | "off"
            | "Off"
            | ".inf"
            | "-.inf"
            | ".nan"
            | ".NaN"
    ) || is_number(text)
}

/// A number as YAML, JSON and Python write them: `3`, `-1.5e3`, `0x1F`, `1_000`, `0o17`.
fn is_number(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let b = t.as_bytes();
    if b.is_empty()
        || !(b[0].is_ascii_digit() || (b[0] == b'.' && b.len() > 1 && b[1].is_ascii_digit()))
    {
        return false;
    }
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return !hex.is_empty() && hex.bytes().all(|c| c.is_ascii_hexdigit() || c == b'_');
    }
    if let Some(rest) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0b")) {
        return !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_digit() || c == b'_');
    }
    let mut seen_e = false;
    let mut prev = 0u8;
    for &c in b {
        let ok = c.is_ascii_digit()
            || c == b'_'
            || c == b'.'
            || ((c == b'e' || c == b'E') && !seen_e)
            || ((c == b'-' || c == b'+') && (prev == b'e' || prev == b'E'))
            || (c == b'j' || c == b'J');
        if !ok {
            return false;
        }
        seen_e |= c == b'e' || c == b'E';
        prev = c;
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Python

const PYTHON_KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "self",
    "cls",
];

/// Python: comments, strings (a docstring, a string that is a statement of its own, as a
/// comment), keywords, `True`/`False`/`None` and numbers (`constant`), the names a `def`
/// or a call names (`function`), a `class`'s name (`type`), parameters and keyword
/// arguments (`variable`), decorators.
fn python(code: &str, out: &mut dyn FnMut(usize, &str)) {
    let mut c = Cursor::new(code, out);
    let n = c.bytes.len();
    // What the previous word was (`def`, `class`), whether a statement starts here, and how
    // deep in brackets we are (and whether they are a `def`'s parameters).
    let mut previous = "";
    let mut statement = true;
    let mut depth = 0usize;
    let mut parameters: Option<usize> = None;
    let mut i = 0;
    while i < n {
        let b = c.bytes[i];
        match b {
            b'\n' => {
                i += 1;
                c.emit(PLAIN, i);
                statement = depth == 0;
            }
            b' ' | b'\t' | b'\r' => {
                i = c.run(i, |b| matches!(b, b' ' | b'\t' | b'\r'));
                c.emit(PLAIN, i);
            }
            b'#' => {
                i = c.line_end(i);
                c.emit(COMMENT, i);
            }
            b'"' | b'\'' => {
                i = python_string(&c, i);
                let docstring = statement
                    && (code[c.at..i].starts_with("\"\"\"") || code[c.at..i].starts_with("'''"));
                c.emit(if docstring { COMMENT } else { STRING }, i);
                statement = false;
            }
            b'@' if statement => {
                i = c.run(i + 1, |b| is_name(b) || b == b'.');
                c.emit(FUNCTION, i);
                statement = false;
            }
            b'0'..=b'9' => {
                i = c.run(i, |b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
                if matches!(c.byte(i.wrapping_sub(1)), b'e' | b'E')
                    && matches!(c.byte(i), b'-' | b'+')
                {
                    i = c.run(i + 1, |b| b.is_ascii_alphanumeric() || b == b'_');
                }
                c.emit(CONSTANT, i);
                statement = false;
            }
            b if is_name_start(b) => {
                let end = c.run(i, is_name);
                let word = &code[i..end];
                // A string prefix: `f"..."`, `rb'...'`.
                if matches!(c.byte(end), b'"' | b'\'')
                    && word.len() <= 2
                    && word
                        .bytes()
                        .all(|b| matches!(b | 0x20, b'r' | b'b' | b'f' | b'u'))
                {
                    i = python_string(&c, end);
                    c.emit(STRING, i);
                    statement = false;
                    continue;
                }
                let after = c.run(end, |b| b == b' ');
                let class = if matches!(word, "True" | "False" | "None") {
                    CONSTANT
                } else if previous == "def" {
                    FUNCTION
                } else if previous == "class" {
                    TYPE
                } else if PYTHON_KEYWORDS.contains(&word) && c.byte(i.wrapping_sub(1)) != b'.' {
                    KEYWORD
                } else if c.byte(end) == b'(' {
                    FUNCTION
                } else if (parameters == Some(depth)
                    && matches!(
                        c.byte(c.code[..i].trim_end().len().wrapping_sub(1)),
                        b'(' | b',' | b'*'
                    ))
                    // A keyword argument, `f(name=value)`.
                    || (depth > 0 && c.byte(after) == b'=' && c.byte(after + 1) != b'=')
                {
                    VARIABLE
                } else {
                    PLAIN
                };
                c.emit(class, end);
                previous = if class == KEYWORD || word == "def" || word == "class" {
                    word
                } else {
                    ""
                };
                statement = false;
                i = end;
            }
            b'(' | b'[' | b'{' => {
                if b == b'(' && previous.is_empty() && parameters.is_none() && is_def_name(&c, i) {
                    parameters = Some(depth + 1);
                }
                depth += 1;
                i += 1;
                c.emit(PLAIN, i);
                statement = false;
            }
            b')' | b']' | b'}' => {
                if parameters == Some(depth) {
                    parameters = None;
                }
                depth = depth.saturating_sub(1);
                i += 1;
                c.emit(PLAIN, i);
            }
            _ => {
                i += 1;
                c.emit(PLAIN, i);
                i = c.at;
                statement = b == b';' && depth == 0;
                previous = "";
            }
        }
    }
    c.emit(PLAIN, n);
}

/// Whether the `(` at `i` opens a `def`'s parameters: `def name(`.
fn is_def_name(c: &Cursor, i: usize) -> bool {
    let before = c.code[..i].trim_end();
    let name_start = before
        .trim_end_matches(|ch: char| ch.is_alphanumeric() || ch == '_')
        .len();
    c.code[..name_start].trim_end().ends_with("def")
}

/// The end of a Python string whose opening quote is at `quote_at` (after any prefix):
/// single or triple quoted; a single-quoted one ends at its line's end if not closed.
fn python_string(c: &Cursor, quote_at: usize) -> usize {
    let q = c.byte(quote_at);
    let n = c.bytes.len();
    if c.byte(quote_at + 1) == q && c.byte(quote_at + 2) == q {
        let mut j = quote_at + 3;
        while j < n {
            if c.bytes[j] == b'\\' {
                j += 2;
            } else if c.bytes[j] == q && c.byte(j + 1) == q && c.byte(j + 2) == q {
                return j + 3;
            } else {
                j += 1;
            }
        }
        return n;
    }
    let mut j = quote_at + 1;
    while j < n {
        match c.bytes[j] {
            b'\\' => j += 2,
            b'\n' => return j,
            x if x == q => return j + 1,
            _ => j += 1,
        }
    }
    n
}

// ---------------------------------------------------------------------------------------------
// JSON

/// JSON (with comments): keys (`tag`), strings, numbers and `true`/`false`/`null`
/// (`constant`), `//` and `/* */` comments.
fn json(code: &str, out: &mut dyn FnMut(usize, &str)) {
    let mut c = Cursor::new(code, out);
    let n = c.bytes.len();
    let mut i = 0;
    while i < n {
        let b = c.bytes[i];
        match b {
            b'"' => {
                i = c.quoted(i, b'"', true);
                let after = c.run(i, |b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
                c.emit(if c.byte(after) == b':' { TAG } else { STRING }, i);
            }
            b'/' if c.byte(i + 1) == b'/' => {
                i = c.line_end(i);
                c.emit(COMMENT, i);
            }
            b'/' if c.byte(i + 1) == b'*' => {
                i = memchr::memmem::find(&c.bytes[i + 2..], b"*/").map_or(n, |k| i + 2 + k + 2);
                c.emit(COMMENT, i);
            }
            b'-' | b'0'..=b'9' => {
                i = c.run(i + 1, |b| {
                    b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')
                });
                c.emit(CONSTANT, i);
            }
            b if b.is_ascii_alphabetic() => {
                let end = c.run(i, |b| b.is_ascii_alphanumeric());
                let class = if matches!(&code[i..end], "true" | "false" | "null") {
                    CONSTANT
                } else {
                    PLAIN
                };
                c.emit(class, end);
                i = end;
            }
            _ => {
                i = c.run(i + 1, |b| {
                    !matches!(b, b'"' | b'/' | b'-' | b'0'..=b'9') && !b.is_ascii_alphabetic()
                });
                c.emit(PLAIN, i);
                i = c.at;
            }
        }
    }
    c.emit(PLAIN, n);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::TestCaseError;

    /// The runs of `code` as `[class]text` pieces, plain text bare.
    fn runs(lexer: Lexer, code: &str) -> String {
        let mut out = String::new();
        let names = [
            "", "comment", "keyword", "string", "constant", "function", "type", "variable", "tag",
        ];
        let mut last = PLAIN;
        lexer(code, &mut |class, text| {
            // Runs of one class one after the other read as one, as the HTML writes them.
            if class != PLAIN && class != last {
                out.push_str(&format!("[{}]", names[class]));
            }
            out.push_str(text);
            last = class;
        });
        out
    }

    #[test]
    fn shell() {
        let got = runs(super::shell, "set -euo pipefail # strict\nfor f in *.log; do gzip -9 \"$f\" && echo \"${f%.log} $HOME\"; done\n");
        assert_eq!(
            got,
            "[function]set [variable]-euo pipefail [comment]# strict\n[keyword]for f [keyword]in *.log; [keyword]do [function]gzip [variable]-9 [string]\"[variable]$f[string]\" && [function]echo [string]\"[variable]${f%.log}[string] [variable]$HOME[string]\"; [keyword]done\n"
        );
        assert_eq!(
            runs(super::shell, "export PGHOST=db PORT=5432\nkubectl --to-revision=3 x\n"),
            "[keyword]export [variable]PGHOST=[string]db [variable]PORT=[string]5432\n[function]kubectl [variable]--to-revision=3 x\n"
        );
        assert_eq!(
            runs(super::shell, "case \"$1\" in\n  start|begin) systemctl start x ;;\n  *) echo no ;;\nesac\n"),
            "[keyword]case [string]\"[variable]$1[string]\" [keyword]in\n  start|begin) [function]systemctl start x ;;\n  *) [function]echo no ;;\n[keyword]esac\n"
        );
        // Shifts are not here-documents; an escaped delimiter is.
        assert_eq!(
            runs(super::shell, "echo $((1 << 20)) x\ncat <<\\END\nit's\nEND\n"),
            "[function]echo $((1 << 20)) x\n[function]cat <<\\[keyword]END\n[string]it's\n[keyword]END\n"
        );
        assert_eq!(
            runs(super::shell, "cat <<-'EOF' > x\n\thello $USER\n\tEOF\nls\n"),
            "[function]cat <<-[keyword]'EOF' > x\n[string]\thello $USER\n[keyword]\tEOF\n[function]ls\n"
        );
        assert_eq!(
            runs(super::shell, "x=$(whoami) echo '#no' a#b $'\\n'\n"),
            "[variable]x=$([function]whoami) [function]echo [string]'#no' a#b [string]$'\\n'\n"
        );
    }

    #[test]
    fn yaml() {
        assert_eq!(
            runs(super::yaml, "# config\nname: web # c\nports:\n  - port: 80\n    on: true\nbase: &b\n  k: \"v: 1\"\nother: *b\nscript: |\n  echo hi\n\n  exit 0\nlist: [a, b: 1, ~]\nurl: http://x:8080/a\n"),
            "[comment]# config\n[tag]name: [string]web [comment]# c\n[tag]ports:\n  - [tag]port: [constant]80\n    [tag]on: [constant]true\n[tag]base: &[function]b\n  [tag]k: [string]\"v: 1\"\n[tag]other: *[variable]b\n[tag]script: [keyword]|\n[string]  echo hi\n\n  exit 0\n[tag]list: [[string]a, [tag]b: [constant]1, [constant]~]\n[tag]url: [string]http://x:8080/a\n"
        );
    }

    /// A console session: the commands after the prompts, the output as printed.
    #[test]
    fn console() {
        assert_eq!(
            runs(super::console, "$ kubectl get pods \\\n    -n prod\nNAME   READY\nweb-1  1/1 # x\n# systemctl restart nginx\n"),
            "$ [function]kubectl get pods \\\n    [variable]-n prod\nNAME   READY\nweb-1  1/1 # x\n# [function]systemctl restart nginx\n"
        );
    }

    /// A block scalar under a list item ends at the item's next key.
    #[test]
    fn yaml_block_scalar_in_a_list() {
        assert_eq!(
            runs(super::yaml, "steps:\n  - run: |\n      make\n    env:\n      A: 1\n  - |\n    text\n"),
            "[tag]steps:\n  - [tag]run: [keyword]|\n[string]      make\n    [tag]env:\n      [tag]A: [constant]1\n  - [keyword]|\n[string]    text\n"
        );
    }

    #[test]
    fn python() {
        assert_eq!(
            runs(super::python, "@retry(times=3)\ndef rotate(path, keep=7) -> None:\n    \"\"\"Doc.\"\"\"\n    print(f\"{keep}\", True, 0x1F, 3.14, self.name)  # c\nclass Backup(Base):\n    pass\n"),
            "[function]@retry([variable]times=[constant]3)\n[keyword]def [function]rotate([variable]path, [variable]keep=[constant]7) -> [constant]None:\n    [comment]\"\"\"Doc.\"\"\"\n    [function]print([string]f\"{keep}\", [constant]True, [constant]0x1F, [constant]3.14, [keyword]self.name)  [comment]# c\n[keyword]class [type]Backup(Base):\n    [keyword]pass\n"
        );
    }

    #[test]
    fn json() {
        assert_eq!(
            runs(super::json, "{\"a\": [1, -1.5e3, true, null, \"x\"] // c\n}"),
            "{[tag]\"a\": [[constant]1, [constant]-1.5e3, [constant]true, [constant]null, [string]\"x\"] [comment]// c\n}"
        );
    }

    /// Pathological blocks (one long line of separators, deep nesting, many here-documents)
    /// are read in one pass: a lexer that went back over the line for each piece would take
    /// minutes here, not milliseconds.
    #[test]
    fn pathological_blocks_are_read_in_one_pass() {
        let n = 200_000;
        for code in [
            ":a".repeat(n),
            "a:b ".repeat(n),
            "(".repeat(n),
            "$(".repeat(n),
            "${".repeat(n),
            "<<a ".repeat(n / 4) + "\n",
            "[a, ".repeat(n),
            "def f(".repeat(n / 4),
            "\"\"\"".repeat(n),
            "x = 1 # :\n".repeat(n / 8),
        ] {
            adds_up(&code).unwrap();
        }
    }

    fn adds_up(code: &str) -> Result<(), TestCaseError> {
        for lexer in [
            super::shell as Lexer,
            super::console,
            super::yaml,
            super::python,
            super::json,
        ] {
            let mut joined = String::new();
            lexer(code, &mut |class, text| {
                assert!(class <= TAG);
                assert!(!text.is_empty());
                joined.push_str(text);
            });
            prop_assert_eq!(&joined, code);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// Whatever the text, the runs add up to it, in order, and no lexer panics.
        #[test]
        fn runs_add_up_to_any_text(code in "(\\PC|[\\n\\t \"'`$#{}()\\[\\]<>|&;:=\\\\*!@,-])*") {
            adds_up(&code)?;
        }

        /// And to text made of the characters these languages give meaning to.
        #[test]
        fn runs_add_up_to_code_like_text(code in "[a-z0-9_ \\n\\t\"'`$#{}()\\[\\]<>|&;:=\\\\*!@,.+-]{0,300}") {
            adds_up(&code)?;
        }
    }
}
