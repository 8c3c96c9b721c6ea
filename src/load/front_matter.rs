//! Front matter: splitting it from the body and parsing it into typed fields.
//!
//! A block is YAML between `---` lines or TOML between `+++` lines (Hugo's); either becomes the
//! same mapping, so everything after the parse is one code path. Each field is converted on its
//! own, so one wrong value (`tags: 5`) is reported at its line and the other fields still count.
//! Names other tools give our fields (`last_reviewed_on`, `weight`, `redirect_from`, ...) are
//! read as ours ([`FieldAliases`]). Unknown keys are kept (themes may use them) and reported
//! with a did-you-mean. Positions are always positions in the real file. A block with a syntax
//! error is read entry by entry: the entries that parse are kept (a document stays governed),
//! the error is reported where the author must look, and the document says its front matter
//! is invalid. A YAML key written twice keeps its last value, as YAML readers do.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::dates::{Day, Interval};
use crate::diagnostic::{Diagnostic, Pos};
use crate::fields::{FieldAliases, FOREIGN_FIELDS};
use crate::model::{Kind, Status};
use crate::rules::Rule;
use crate::suggest;
use crate::yaml::{self, KeyPos, Mapping, Value};

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

/// Who owns a document: a person (by id), else a chat channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owned<'a> {
    Person(&'a str),
    Channel(&'a str),
}

impl<'a> Owned<'a> {
    /// The person's id or the channel's name.
    pub fn name(self) -> &'a str {
        match self {
            Owned::Person(s) | Owned::Channel(s) => s,
        }
    }
}

/// The typed front matter of one document. Missing fields are `None` or empty.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: Kind,
    pub id: Option<Spanned<String>>,
    pub version: Option<String>,
    pub owner: Option<Spanned<String>>,
    /// A chat channel that owns the document (tech-docs' `owner_slack`): an owner of its own
    /// kind, not a person, so not looked up in the team data.
    pub owner_channel: Option<Spanned<String>>,
    pub approver: Option<Spanned<String>>,
    pub reviewers: Vec<Spanned<String>>,
    pub last_reviewed: Option<Spanned<Day>>,
    pub review_every: Option<Spanned<Interval>>,
    pub review_by: Option<Spanned<Day>>,
    pub status: Status,
    pub effective: Option<Day>,
    pub tags: Vec<String>,
    /// Position among its siblings; fractions allowed, as Docusaurus's `sidebar_position` has.
    pub order: Option<f64>,
    pub slug: Option<Spanned<String>>,
    pub aliases: Vec<Spanned<String>>,
    /// The role id a `kind: role` document describes.
    pub role: Option<String>,
    /// Keys we do not know, kept for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Whether the file had a front matter block at all.
    pub present: bool,
    /// The line of the file where the front matter first fails to parse (or the block opened
    /// and never closed): what could be read was kept, and the page says that some of it
    /// could not be.
    pub invalid_line: Option<u32>,
}

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

/// Tables in which other tools keep fields of their own: Zola's `[extra]` (anything) and
/// `[taxonomies]` (`tags`). Our fields found there are read as if written at the top.
const FIELD_TABLES: &[&str] = &["extra", "taxonomies"];

/// A front matter mapping with our fields lifted out of [`FIELD_TABLES`].
struct Hoisted {
    top: Mapping,
    /// Fields from the tables, with their positions in the file.
    hoisted: Vec<(String, Value, Pos)>,
}

/// Lifts the keys of [`FIELD_TABLES`] that name our fields (and are not also set at the top)
/// out of their table; the rest of each table stays, kept for templates.
fn hoist_tables(
    mut top: Mapping,
    block: &Block,
    aliases: &FieldAliases,
    keys: &HashMap<String, KeyPos>,
    shift: &dyn Fn(Pos) -> Pos,
) -> Hoisted {
    let mut hoisted = Vec::new();
    for table in FIELD_TABLES {
        let Some(Value::Mapping(inner)) = top.get(*table) else {
            continue;
        };
        let names: Vec<String> = inner
            .keys()
            .filter_map(|k| k.as_str())
            .filter(|k| aliases.field(k).is_some() && !top.contains_key(*k))
            .map(str::to_string)
            .collect();
        let Some(Value::Mapping(inner)) = top.get_mut(*table) else {
            continue;
        };
        for name in names {
            if let Some(value) = inner.remove(name.as_str()) {
                let pos = table_key_pos(block, table, &name)
                    .or_else(|| keys.get(*table).map(|at| at.value))
                    .map_or(Pos::new(block.first_line, 1), shift);
                hoisted.push((name, value, pos));
            }
        }
        if inner.is_empty() {
            top.remove(*table);
        }
    }
    Hoisted { top, hoisted }
}

/// Where `key` is written inside `table` (`[table]` or a dotted `table.key` in TOML, `table:`
/// in YAML, its direct children only), as a position within the block's text.
fn table_key_pos(block: &Block, table: &str, key: &str) -> Option<Pos> {
    let names = |text: &str, key: &str| {
        text.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
    };
    let mut inside = false;
    // YAML: the indentation of the table's children, from its first one.
    let mut child_indent = None;
    for (i, line) in block.text.lines().enumerate() {
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        let at = Pos::new(i as u32 + 1, indent as u32 + 1);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match block.format {
            Format::Toml => {
                if trimmed.starts_with('[') {
                    inside = trimmed == format!("[{table}]");
                } else if (inside && names(trimmed, key))
                    || (!inside && names(trimmed, &format!("{table}.{key}")))
                {
                    return Some(at);
                }
            }
            Format::Yaml => {
                if indent == 0 {
                    inside = trimmed.strip_suffix(':') == Some(table);
                    child_indent = None;
                } else if inside {
                    let want = *child_indent.get_or_insert(indent);
                    if indent == want && names(trimmed, key) {
                        return Some(at);
                    }
                }
            }
        }
    }
    None
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

impl FrontMatter {
    /// The document's owner: its `owner`, else its `owner_channel`.
    pub fn owned_by(&self) -> Option<Owned<'_>> {
        match (&self.owner, &self.owner_channel) {
            (Some(o), _) => Some(Owned::Person(&o.value)),
            (None, Some(c)) => Some(Owned::Channel(&c.value)),
            (None, None) => None,
        }
    }

    /// Parses a front matter block; `aliases` says which keys name which fields. A block that
    /// does not parse is read in parts (its top-level entries, see [`yaml::salvage_mapping`]):
    /// what parses is kept, each error is reported where it is, and `invalid_line` is set.
    pub fn parse(
        block: &Block,
        aliases: &FieldAliases,
        file: &Path,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let first_line = block.first_line;
        let shift = |p: Pos| Pos::new(p.line + first_line - 1, p.column.max(1));
        let mut fm = FrontMatter {
            present: true,
            ..FrontMatter::default()
        };
        // What parses is kept, so that one mistake does not make a governed document
        // ungoverned: its kind, owner and review dates still count, and the checks still run.
        let salvaged = match block.format {
            Format::Yaml => yaml::salvage_mapping(block.text),
            Format::Toml => toml_front::salvage(block.text),
        };
        let syntax = match block.format {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
        };
        for e in &salvaged.errors {
            let mut d = Diagnostic::error(
                Rule::FrontMatterInvalid,
                file,
                format!("front matter is not valid {syntax}: {}", e.message),
            )
            .at(shift(e.pos));
            if let Some(help) = &e.help {
                d = d.with_help(help);
            }
            diags.push(d);
        }
        for dup in &salvaged.duplicates {
            let first = dup
                .first
                .map(|p| format!(" (first on line {})", shift(p).line))
                .unwrap_or_default();
            let key = &dup.key;
            diags.push(match block.format {
                Format::Yaml => Diagnostic::warning(
                    Rule::FrontMatterDuplicate,
                    file,
                    format!("`{key}` is given twice{first}; the last one is used, as YAML readers do"),
                ),
                Format::Toml => Diagnostic::error(
                    Rule::FrontMatterInvalid,
                    file,
                    format!("`{key}` is given twice{first}; TOML allows a key once, so this one is left out"),
                ),
            }
            .at(shift(dup.at))
            .with_help("keep one of the two"));
        }
        let toml_duplicates = salvaged
            .duplicates
            .iter()
            .filter(|_| block.format == Format::Toml);
        fm.invalid_line = (salvaged.errors.iter().map(|e| e.pos))
            .chain(toml_duplicates.map(|d| d.at))
            .map(|p| shift(p).line)
            .min();
        // Positions from here on are in the text as read: a duplicate that lost, or an entry
        // that could not be read, is no longer where its key is looked up.
        let block = &Block {
            text: &salvaged.text,
            ..*block
        };
        let map = match salvaged.value {
            Value::Mapping(m) => m,
            Value::Null => return fm,
            _ => {
                diags.push(
                    Diagnostic::error(
                        Rule::FrontMatterInvalid,
                        file,
                        "front matter must be a mapping of `key: value` lines",
                    )
                    .at(Pos::new(first_line, 1)),
                );
                return fm;
            }
        };
        let keys = block.top_level_keys();
        let block_pos = Pos::new(first_line, 1);
        let map = hoist_tables(map, block, aliases, &keys, &shift);

        // Each key with the field it names, where its value is written and where the key is.
        // A field's own name goes first, so that it wins over another tool's name for it
        // wherever the two stand.
        let mut entries = Vec::with_capacity(map.top.len() + map.hoisted.len());
        let mut complex = match block.format {
            Format::Yaml => yaml::complex_keys(block.text),
            Format::Toml => Vec::new(),
        }
        .into_iter();
        for (key, value) in map.top {
            let Some(key) = scalar_string(&key) else {
                diags.push(
                    Diagnostic::warning(
                        Rule::FrontMatterInvalid,
                        file,
                        "a front matter key is not a plain string; it is ignored",
                    )
                    .at(complex.next().map_or(block_pos, shift)),
                );
                continue;
            };
            let at = keys.get(&key);
            let pos = at.map_or(block_pos, |at| shift(at.value));
            let key_pos = at.map_or(block_pos, |at| shift(at.key));
            let field = aliases.field(&key);
            entries.push((key, field, value, pos, key_pos));
        }
        for (key, value, pos) in map.hoisted {
            let field = aliases.field(&key);
            entries.push((key, field, value, pos, pos));
        }
        entries.sort_by_key(|(key, field, ..)| field.is_some_and(|f| f != key.as_str()));

        let mut set_by: HashMap<&'static str, String> = HashMap::new();
        let mut draft = false;
        for (key, field_name, value, pos, key_pos) in entries {
            let Some(name) = field_name else {
                if FOREIGN_FIELDS.contains(&key.as_str()) {
                    // Hugo, Jekyll and Docusaurus mark drafts so; `status` says more and wins.
                    // Jekyll's `permalink` and Hugo's `url` publish the page at another URL:
                    // here it answers there too (a redirect), and links written to it reach it.
                    // A pattern (`/:title/`) is the tool's own business.
                    if key == "permalink" || key == "url" {
                        if let Value::String(url) = &value {
                            // `/` would be the home page's own place, not this page's.
                            let url = url.trim();
                            if url.starts_with('/') && url != "/" && !url.contains(':') {
                                fm.aliases.push(Spanned {
                                    value: url.to_string(),
                                    pos,
                                });
                            }
                        }
                    }
                    if key == "draft" {
                        match value {
                            Value::Bool(b) => draft = b,
                            _ => diags.push(
                                Diagnostic::error(
                                    Rule::FrontMatterInvalid,
                                    file,
                                    format!(
                                        "`draft` must be true or false, found {}",
                                        type_name(&value)
                                    ),
                                )
                                .at(pos),
                            ),
                        }
                    }
                    if let Ok(json) = serde_json::to_value(&value) {
                        fm.extra.insert(key, json);
                    }
                    continue;
                }
                // At the key: the key is what is misspelt.
                let mut d = Diagnostic::warning(
                    Rule::FrontMatterUnknownField,
                    file,
                    format!("unknown front matter field `{key}`"),
                )
                .at(key_pos);
                if let Some(s) = suggest::closest(&key, aliases.names()) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                diags.push(d);
                if let Ok(json) = serde_json::to_value(&value) {
                    fm.extra.insert(key, json);
                }
                continue;
            };
            if let Some(first) = set_by.get(name) {
                let msg = if first == name {
                    format!("`{key}` is another name for `{name}`, which is also given; `{name}` is used")
                } else {
                    format!("`{key}` and `{first}` both set `{name}`; `{first}` is used")
                };
                diags.push(
                    Diagnostic::warning(Rule::FrontMatterDuplicate, file, msg)
                        .at(pos)
                        .with_help("keep one of the two"),
                );
                continue;
            }
            set_by.insert(name, key.clone());
            let mut field = Field {
                key: &key,
                pos,
                file,
                diags: &mut *diags,
            };
            fm.set(name, value, &mut field);
        }
        if draft && !set_by.contains_key("status") {
            fm.status = Status::Draft;
        }
        fm
    }

    /// Sets our field `name` from `value`, reporting a wrong value at `field`.
    fn set(&mut self, name: &str, value: Value, field: &mut Field) {
        let pos = field.pos;
        let spanned = |v: String| Spanned { value: v, pos };
        match name {
            "title" => self.title = field.string(value),
            "description" => self.description = field.string(value),
            "version" => self.version = field.string(value),
            "role" => self.role = field.string(value),
            "id" => self.id = field.string(value).map(spanned),
            "slug" => self.slug = field.string(value).map(spanned),
            "owner" => {
                // `owners: [a, b]`: the first owns the document, the others review it.
                if let Value::Sequence(_) = value {
                    let mut owners = spanned_list(field.string_list(value), pos).into_iter();
                    self.owner = owners.next();
                    self.reviewers.extend(owners);
                } else {
                    self.owner = field.string(value).map(spanned);
                }
            }
            "owner_channel" => self.owner_channel = field.string(value).map(spanned),
            "approver" => self.approver = field.string(value).map(spanned),
            "kind" => {
                if let Some(s) = field.string(value) {
                    match s.parse() {
                        Ok(k) => self.kind = k,
                        Err(m) => field.error(Rule::FrontMatterInvalid, m),
                    }
                }
            }
            "status" => {
                if let Some(s) = field.string(value) {
                    match s.parse() {
                        Ok(st) => self.status = st,
                        Err(m) => field.warning(
                            Rule::StatusUnknown,
                            format!("{m}; the document is treated as active"),
                        ),
                    }
                }
            }
            "reviewers" => {
                // Before any co-owners `owners` added.
                let listed = spanned_list(field.string_list(value), pos);
                self.reviewers.splice(0..0, listed);
            }
            // Added to, not replaced: a `permalink` may have given one already.
            "aliases" => self
                .aliases
                .extend(spanned_list(field.string_list(value), pos)),
            "tags" => self.tags = field.string_list(value),
            "order" => self.order = field.number(value),
            "last_reviewed" => self.last_reviewed = field.date(value, Rule::ReviewDateInvalid),
            "review_by" => self.review_by = field.date(value, Rule::ReviewDateInvalid),
            "effective" => {
                self.effective = field.date(value, Rule::FrontMatterInvalid).map(|d| d.value)
            }
            "review_every" => self.review_every = field.interval(value),
            other => unreachable!("`{other}` is in KNOWN_FIELDS but has no setter"),
        }
    }
}

/// TOML front matter, read into the same mapping YAML gives, and read in parts when the whole
/// does not parse: each top-level `key = value` entry, each key of a `[table]` (parsed with its
/// header) and each `[[array]]` section on its own, merged in the file's order. TOML allows a
/// key once, so a key given again is left out and reported where it is given again.
mod toml_front {
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
}

fn spanned_list(values: Vec<String>, pos: Pos) -> Vec<Spanned<String>> {
    values
        .into_iter()
        .map(|value| Spanned { value, pos })
        .collect()
}

/// A scalar as text: strings as they are, numbers and booleans in their YAML spelling.
fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Converts one field's value, reporting a wrong type at the field.
struct Field<'a> {
    key: &'a str,
    pos: Pos,
    file: &'a Path,
    diags: &'a mut Vec<Diagnostic>,
}

impl Field<'_> {
    fn error(&mut self, rule: Rule, msg: String) {
        self.diags
            .push(Diagnostic::error(rule, self.file, msg).at(self.pos));
    }

    fn warning(&mut self, rule: Rule, msg: String) {
        self.diags
            .push(Diagnostic::warning(rule, self.file, msg).at(self.pos));
    }

    fn wrong_type(&mut self, expected: &str, v: &Value) {
        let msg = format!("`{}` must be {expected}, found {}", self.key, type_name(v));
        self.error(Rule::FrontMatterInvalid, msg);
    }

    fn string(&mut self, v: Value) -> Option<String> {
        match &v {
            Value::Null => None,
            _ => match scalar_string(&v) {
                Some(s) if s.trim().is_empty() => None,
                Some(s) => Some(s.trim().to_string()),
                None => {
                    self.wrong_type("a single value", &v);
                    None
                }
            },
        }
    }

    /// A list of scalars; a single string is accepted as a list of one.
    fn string_list(&mut self, v: Value) -> Vec<String> {
        match v {
            Value::Null => Vec::new(),
            Value::String(s) if !s.trim().is_empty() => vec![s.trim().to_string()],
            Value::String(_) => Vec::new(),
            Value::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in &items {
                    match scalar_string(item) {
                        Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Some(_) => {}
                        None => {
                            self.wrong_type("a list of plain values", item);
                            return Vec::new();
                        }
                    }
                }
                out
            }
            other => {
                self.wrong_type("a list", &other);
                Vec::new()
            }
        }
    }

    fn number(&mut self, v: Value) -> Option<f64> {
        let n = match &v {
            Value::Null => return None,
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match n.filter(|n| n.is_finite()) {
            Some(n) => Some(n),
            None => {
                self.wrong_type("a number", &v);
                None
            }
        }
    }

    fn date(&mut self, v: Value, rule: Rule) -> Option<Spanned<Day>> {
        let s = match &v {
            Value::Null => return None,
            Value::String(s) => s.trim().to_string(),
            _ => {
                let msg = format!(
                    "`{}` must be a date (YYYY-MM-DD), found {}",
                    self.key,
                    type_name(&v)
                );
                self.error(rule, msg);
                return None;
            }
        };
        // Tools such as Jekyll write a time after the date; the day is what a review needs.
        let day_part = match s.as_bytes().get(10) {
            Some(b'T' | b' ') => &s[..10],
            _ => s.as_str(),
        };
        match day_part.parse::<Day>() {
            Ok(day) => Some(Spanned {
                value: day,
                pos: self.pos,
            }),
            Err(m) => {
                let msg = format!("`{}`: {m}", self.key);
                self.error(rule, msg);
                None
            }
        }
    }

    fn interval(&mut self, v: Value) -> Option<Spanned<Interval>> {
        let s = match &v {
            Value::Null => return None,
            Value::String(s) => s.clone(),
            _ => {
                let msg = format!(
                    "`{}` must be an interval such as `6 months`, found {}",
                    self.key,
                    type_name(&v)
                );
                self.error(Rule::ReviewDateInvalid, msg);
                return None;
            }
        };
        match s.parse::<Interval>() {
            Ok(i) => Some(Spanned {
                value: i,
                pos: self.pos,
            }),
            Err(m) => {
                let msg = format!("`{}`: {m}", self.key);
                self.error(Rule::ReviewDateInvalid, msg);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let s = split(text);
        let mut diags = Vec::new();
        let aliases = FieldAliases::default();
        let fm = FrontMatter::parse(&s.block.unwrap(), &aliases, Path::new("x.md"), &mut diags);
        (fm, diags)
    }

    fn text(s: Split<'_>) -> Option<&str> {
        s.block.map(|b| b.text)
    }

    #[test]
    fn splits_blocks() {
        let s = split("---\ntitle: A\n---\nbody\n");
        assert_eq!(text(s.clone()), Some("title: A\n"));
        assert_eq!(s.body_offset, 17);
        let s = split("---\r\ntitle: A\r\n...\r\nbody");
        assert_eq!(text(s.clone()), Some("title: A\r\n"));
        assert_eq!(&"---\r\ntitle: A\r\n...\r\nbody"[s.body_offset..], "body");
        assert_eq!(text(split("---\n---\n")), Some(""));
        assert_eq!(text(split("--- \ntitle: A\n---")), Some("title: A\n"));
        assert_eq!(split("---\ntitle: A\n").unterminated, Some(Format::Yaml));
        assert_eq!(text(split("# Title\n---\n")), None);
        assert_eq!(text(split("----\n")), None);
        assert_eq!(text(split("")), None);
        // TOML, closed only by `+++`.
        let s = split("+++\ntitle = \"A\"\n---\n+++\nbody");
        assert_eq!(s.block.unwrap().format, Format::Toml);
        assert_eq!(text(s.clone()), Some("title = \"A\"\n---\n"));
        assert_eq!(
            &"+++\ntitle = \"A\"\n---\n+++\nbody"[s.body_offset..],
            "body"
        );
        assert_eq!(
            split("+++\ntitle = 1\n---\n").unterminated,
            Some(Format::Toml)
        );
    }

    #[test]
    fn typed_fields() {
        let (fm, diags) = parse(
            "---\ntitle: Patching\nkind: SOP\nversion: 2.1\nowner: mchen\nreviewers: [a, b]\nlast_reviewed: 2026-01-31\nreview_every: 6 months\ntags: security\norder: 3\nstatus: under review\n---\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(fm.title.as_deref(), Some("Patching"));
        assert_eq!(fm.kind, Kind::Sop);
        assert_eq!(fm.version.as_deref(), Some("2.1"));
        assert_eq!(fm.owner.unwrap().pos, Pos::new(5, 8));
        assert_eq!(fm.reviewers.len(), 2);
        assert_eq!(fm.last_reviewed.unwrap().value.to_string(), "2026-01-31");
        assert_eq!(fm.tags, vec!["security"]);
        assert_eq!(fm.order, Some(3.0));
        assert_eq!(fm.status, Status::UnderReview);
    }

    #[test]
    fn wrong_types_are_reported_at_their_line_and_others_kept() {
        let (fm, diags) = parse("---\ntitle: Kept\ntags: 5\nlast_reviewed: 2023-02-30\nlast_review: 2024-01-01\nstatus: live\n---\n");
        assert_eq!(fm.title.as_deref(), Some("Kept"));
        let got: Vec<_> = diags.iter().map(|d| (d.rule, d.line)).collect();
        assert_eq!(
            got,
            vec![
                (Rule::FrontMatterInvalid, 3),
                (Rule::ReviewDateInvalid, 4),
                (Rule::FrontMatterUnknownField, 5),
                (Rule::StatusUnknown, 6)
            ]
        );
        assert_eq!(
            diags[2].help.as_deref(),
            Some("did you mean `last_reviewed`?")
        );
        assert_eq!(fm.status, Status::Active);
        assert!(fm.extra.contains_key("last_review"));
    }

    #[test]
    fn a_syntax_error_points_at_the_opener_and_the_rest_is_kept() {
        let (fm, diags) = parse("---\ntitle: ok\nowner: [unclosed\nkind: sop\n---\nbody");
        let got: Vec<_> = (diags.iter())
            .map(|d| (d.rule, d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [(
                Rule::FrontMatterInvalid,
                3,
                8,
                "front matter is not valid YAML: this `[` is never closed"
            )]
        );
        assert_eq!(diags[0].help.as_deref(), Some("close it with `]`"));
        assert_eq!((fm.kind, fm.title.as_deref()), (Kind::Sop, Some("ok")));
        assert!(fm.owner.is_none());
        assert_eq!(fm.invalid_line, Some(3));
        // A quote, and a column counted in characters.
        let (fm, diags) = parse("---\ntitle: \"Zoë's 日本\nowner: ana\n---\n");
        assert_eq!((diags[0].line, diags[0].column), (2, 8));
        assert_eq!(fm.owner.unwrap().value, "ana");
        let (_, diags) = parse("---\nkind: sop\nowner: [Zoë, 日本, {a: [x\n---\n");
        assert_eq!((diags[0].line, diags[0].column), (3, 22), "{diags:?}");
    }

    #[test]
    fn a_yaml_key_given_twice_keeps_its_last_value() {
        let (fm, diags) = parse("---\nowner: ana\nkind: sop\nowner: bo\n---\n");
        let owner = fm.owner.unwrap();
        assert_eq!((owner.value.as_str(), owner.pos), ("bo", Pos::new(4, 8)));
        assert_eq!((fm.kind, fm.invalid_line), (Kind::Sop, None));
        let got: Vec<_> = diags.iter().map(|d| (d.rule, d.line, d.column)).collect();
        assert_eq!(got, [(Rule::FrontMatterDuplicate, 4, 1)]);
        assert_eq!(
            diags[0].message,
            "`owner` is given twice (first on line 2); the last one is used, as YAML readers do"
        );
        // With a syntax error besides: both reported, the rest kept.
        let (fm, diags) = parse("---\nowner: ana\nowner: bo\ntags: [x\nkind: sop\n---\n");
        let got: Vec<_> = diags.iter().map(|d| (d.rule, d.line, d.column)).collect();
        assert_eq!(
            got,
            [
                (Rule::FrontMatterInvalid, 4, 7),
                (Rule::FrontMatterDuplicate, 3, 1)
            ]
        );
        assert_eq!((fm.owner.unwrap().value, fm.kind), ("bo".into(), Kind::Sop));
    }

    #[test]
    fn toml_is_read_in_parts_and_allows_a_key_once() {
        let (fm, diags) = parse(
            "+++\ntitle = \"T\"\nowner = [\"ana\"\nkind = \"sop\"\n[extra]\nreview_every = \"1 year\"\nreview_every = \"2 years\"\n+++\n",
        );
        let got: Vec<_> = diags.iter().map(|d| (d.rule, d.line, d.column)).collect();
        assert_eq!(
            got,
            [
                (Rule::FrontMatterInvalid, 3, 9),
                (Rule::FrontMatterInvalid, 7, 1)
            ]
        );
        assert_eq!(
            diags[1].message,
            "`extra.review_every` is given twice (first on line 6); TOML allows a key once, so this one is left out"
        );
        assert_eq!((fm.kind, fm.title.as_deref()), (Kind::Sop, Some("T")));
        let every = fm.review_every.unwrap();
        assert_eq!(
            (every.value.to_string(), every.pos),
            ("1 year".into(), Pos::new(6, 1))
        );
        assert_eq!(fm.invalid_line, Some(3));
        // At the top; an unclosed string.
        let (fm, diags) = parse("+++\nowner = \"ana\"\nowner = \"bo\"\nkind = 'sop\n+++\n");
        let got: Vec<_> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(got, [(4, 8), (3, 1)]);
        assert_eq!(fm.owner.unwrap().value, "ana");
        let (fm, diags) = parse("+++\nkind = \"sop\"\nnotes = \"\"\"\nnever closed\n+++\n");
        let got: Vec<_> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!((got, fm.kind), (vec![(3, 9)], Kind::Sop));
    }

    #[test]
    fn non_mapping_front_matter() {
        let (_, diags) = parse("---\n- a\n- b\n---\n");
        assert_eq!(
            diags[0].message,
            "front matter must be a mapping of `key: value` lines"
        );
    }

    #[test]
    fn toml_front_matter_reads_as_yaml_does() {
        let (fm, diags) = parse(
            "+++\ntitle = \"Patching\"\nowner = 'mchen'\nlast_reviewed = 2026-01-31\nreview_every = \"6 months\"\ntags = [\"security\", \"ops\"]\nweight = 20\n\n[params]\nowner = \"not-this\"\n+++\nbody",
        );
        // A table is a field of its own, kept for templates.
        let got: Vec<_> = diags.iter().map(|d| (d.rule, d.line)).collect();
        assert_eq!(got, [(Rule::FrontMatterUnknownField, 9)]);
        assert_eq!(fm.title.as_deref(), Some("Patching"));
        assert_eq!(fm.owner.as_ref().unwrap().value, "mchen");
        assert_eq!(fm.owner.unwrap().pos, Pos::new(3, 9));
        assert_eq!(fm.last_reviewed.unwrap().value.to_string(), "2026-01-31");
        assert_eq!(fm.review_every.unwrap().value.to_string(), "6 months");
        assert_eq!(fm.tags, vec!["security", "ops"]);
        assert_eq!(fm.order, Some(20.0));
        assert!(fm.extra.contains_key("params"));
    }

    #[test]
    fn toml_errors_point_into_the_file() {
        let (_, diags) = parse("+++\ntitle = \"ok\"\nowner = \n+++\n");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0]
            .message
            .starts_with("front matter is not valid TOML"));
        assert_eq!(diags[0].line, 3);
        let (_, diags) = parse("+++\ntags = 5\n+++\n");
        assert_eq!(
            (diags[0].rule, diags[0].line),
            (Rule::FrontMatterInvalid, 2)
        );
        // Text in a multi-line string is neither a table nor a key; a dotted key is its table's.
        let (fm, diags) = parse(
            "+++\nnotes = \"\"\"\n[not a table]\n....\n\"\"\"\ntags = {a = 1}\nparams.x = 1\n+++\n",
        );
        assert!(fm.extra.contains_key("notes") && fm.extra.contains_key("params"));
        let mut got: Vec<_> = diags.iter().map(|d| (d.rule, d.line, d.column)).collect();
        got.sort();
        assert_eq!(
            got,
            [
                (Rule::FrontMatterInvalid, 6, 8),
                (Rule::FrontMatterUnknownField, 2, 1),
                (Rule::FrontMatterUnknownField, 7, 1)
            ]
        );
        let deep = format!("+++\n{} = 1\n+++\n", vec!["a"; 500].join("."));
        let (_, diags) = parse(&deep);
        assert!(diags[0].message.contains("nesting deeper"), "{diags:?}");
    }

    #[test]
    fn other_tools_names_are_read_as_ours() {
        let (fm, diags) = parse(
            "---\nlast_reviewed_on: 2024-08-31\nreview_in: 6 months\nowners: [ana, bo, cy]\nreviewers: [dee]\nredirect_from: /old/\nsidebar_position: 2.5\nnext_review: 2025-01-01\n---\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let last = fm.last_reviewed.unwrap();
        assert_eq!(last.pos, Pos::new(2, 19));
        let every = fm.review_every.unwrap().value;
        assert_eq!(every.after(last.value).unwrap().to_string(), "2025-02-28");
        assert_eq!(fm.owner.unwrap().value, "ana");
        let reviewers: Vec<_> = fm.reviewers.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(reviewers, ["dee", "bo", "cy"]);
        assert_eq!(fm.aliases[0].value, "/old/");
        assert_eq!(fm.order, Some(2.5));
        assert_eq!(fm.review_by.unwrap().value.to_string(), "2025-01-01");
    }

    #[test]
    fn a_fields_own_name_wins_over_an_alias() {
        let (fm, diags) = parse("---\nmaintainer: bo\nowner: ana\nweight: 1\nnav_order: 2\n---\n");
        assert_eq!(fm.owner.unwrap().value, "ana");
        assert_eq!(fm.order, Some(1.0));
        let got: Vec<_> = diags.iter().map(|d| (d.rule, d.line)).collect();
        assert_eq!(
            got,
            [
                (Rule::FrontMatterDuplicate, 2),
                (Rule::FrontMatterDuplicate, 5)
            ]
        );
        assert_eq!(
            diags[0].message,
            "`maintainer` is another name for `owner`, which is also given; `owner` is used"
        );
        assert_eq!(
            diags[1].message,
            "`nav_order` and `weight` both set `order`; `weight` is used"
        );
        // TOML keeps the file's order too.
        let (fm, diags) = parse("+++\nweight = 1\nnav_order = 2\n+++\n");
        assert_eq!(fm.order, Some(1.0));
        assert_eq!(
            (diags[0].rule, diags[0].line),
            (Rule::FrontMatterDuplicate, 3)
        );
    }

    #[test]
    fn other_tools_layout_fields_are_kept_quietly_and_draft_marks_a_draft() {
        let (fm, diags) = parse("---\nlayout: page\npermalink: /x/\ndraft: true\n---\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(fm.status, Status::Draft);
        assert_eq!(fm.extra["layout"], "page");
        let (fm, _) = parse("---\ndraft: true\nstatus: active\n---\n");
        assert_eq!(fm.status, Status::Active);
        let (_, diags) = parse("---\ndraft: maybe\n---\n");
        assert_eq!(
            (diags[0].rule, diags[0].line),
            (Rule::FrontMatterInvalid, 2)
        );
    }

    #[test]
    fn zola_keeps_our_fields_in_its_extra_and_taxonomies_tables() {
        let (fm, diags) = parse(
            "+++\ntitle = \"Rota\"\n\n[taxonomies]\ntags = [\"on-call\"]\n\n[extra]\nowner = \"ana\"\n\
             last_reviewed = \"2026-13-01\"\ncolour = \"blue\"\n+++\n",
        );
        assert_eq!(fm.owner.unwrap().value, "ana");
        assert_eq!(fm.tags, ["on-call"]);
        // What is not ours stays in its table, for templates; no unknown-field warning.
        assert_eq!(fm.extra["extra"], serde_json::json!({"colour": "blue"}));
        assert!(!fm.extra.contains_key("taxonomies"));
        // A bad value inside the table is reported at its own line and column.
        let got: Vec<_> = diags.iter().map(|d| (d.rule, d.line, d.column)).collect();
        assert_eq!(got, [(Rule::ReviewDateInvalid, 9, 1)]);
        // The same in YAML; a field also at the top wins over the table's.
        let (fm, diags) =
            parse("---\nowner: bo\nextra:\n  owner: ana\n  review_every: 1 year\n---\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(fm.owner.unwrap().value, "bo");
        assert!(fm.review_every.is_some());
        // Positions: a TOML dotted key; a YAML table's own key, not a deeper one of that name.
        let (_, diags) = parse("+++\ntitle = \"x\"\nextra.review_every = \"often\"\n+++\n");
        let got: Vec<_> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(got, [(3, 1)]);
        let (_, diags) =
            parse("---\nextra:\n  notes:\n    review_every: 1 year\n  review_every: often\n---\n");
        let got: Vec<_> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(got, [(5, 3)]);
    }

    #[test]
    fn a_handbook_adds_its_own_aliases() {
        let mut aliases = FieldAliases::default();
        aliases.add("doc_owner", "owner").unwrap();
        assert_eq!(aliases.field("doc_owner"), Some("owner"));
        assert!(aliases
            .add("title", "owner")
            .unwrap_err()
            .contains("already"));
        assert!(aliases
            .add("x", "ownr")
            .unwrap_err()
            .contains("did you mean `owner`?"));
        let s = split("---\ndoc_owner: ana\n---\n");
        let mut diags = Vec::new();
        let fm = FrontMatter::parse(&s.block.unwrap(), &aliases, Path::new("x.md"), &mut diags);
        assert!(diags.is_empty());
        assert_eq!(fm.owner.unwrap().value, "ana");
    }
}
