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
//!
//! This file holds the typed [`FrontMatter`] (with [`Owned`], what owns a document: a person or
//! a chat channel) and the field-by-field parse; `split.rs` finds the block and its format;
//! `values.rs` reads the shapes of values (`Spanned`, lists, scalars); `tables.rs` lifts Zola's
//! `[extra]` and `[taxonomies]` tables to the top; TOML itself is read by `crate::toml_front`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::dates::{Day, Interval};
use crate::diagnostic::{Diagnostic, Pos};
use crate::fields::{FieldAliases, FOREIGN_FIELDS};
use crate::model::{Kind, Status};
use crate::rules::Rule;
use crate::suggest;
use crate::toml_front;
use crate::yaml::{self, Value};

mod split;
mod tables;
mod values;

pub use split::{split, Block, Format, Split};
use tables::hoist_tables;
pub use values::Spanned;
use values::{spanned_list, type_name, Field};

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
    /// The on-call rotation readers call (its id in the team data).
    pub oncall: Option<Spanned<String>>,
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
            let Some(key) = yaml::scalar_text(&key, yaml::AsText::StringsNumbersBooleans) else {
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

        // Each field once: a list of at most every field there is, not a map per document.
        let mut set_by: Vec<(&'static str, String)> = Vec::new();
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
            if let Some((_, first)) = set_by.iter().find(|(field, _)| *field == name) {
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
            set_by.push((name, key.clone()));
            let mut field = Field {
                key: &key,
                pos,
                file,
                diags: &mut *diags,
            };
            fm.set(name, value, &mut field);
        }
        if draft && !set_by.iter().any(|(field, _)| *field == "status") {
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
            "oncall" => self.oncall = field.string(value).map(spanned),
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
