//! Front matter: splitting it from the body and parsing it into typed fields.
//!
//! Each field is converted on its own, so one wrong value (`tags: 5`) is reported at its line and
//! the other fields still count. Unknown keys are kept (themes may use them) and reported with a
//! did-you-mean. Positions are always positions in the real file.

use std::collections::BTreeMap;
use std::path::Path;

use crate::dates::{Day, Interval};
use crate::diagnostic::{Diagnostic, Pos};
use crate::model::{Kind, Status};
use crate::suggest;
use crate::yaml::{self, Value};

/// The front matter keys we understand, for did-you-mean suggestions.
pub const KNOWN_FIELDS: &[&str] = &[
    "title",
    "description",
    "kind",
    "id",
    "version",
    "owner",
    "approver",
    "reviewers",
    "last_reviewed",
    "review_every",
    "review_by",
    "status",
    "effective",
    "tags",
    "order",
    "slug",
    "aliases",
    "role",
];

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
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
    pub approver: Option<Spanned<String>>,
    pub reviewers: Vec<Spanned<String>>,
    pub last_reviewed: Option<Spanned<Day>>,
    pub review_every: Option<Spanned<Interval>>,
    pub review_by: Option<Spanned<Day>>,
    pub status: Status,
    pub effective: Option<Day>,
    pub tags: Vec<String>,
    pub order: Option<i64>,
    pub slug: Option<Spanned<String>>,
    pub aliases: Vec<Spanned<String>>,
    /// The role id a `kind: role` document describes.
    pub role: Option<String>,
    /// Keys we do not know, kept for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Whether the file had a front matter block at all.
    pub present: bool,
}

/// The result of splitting a file into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the delimiters, if the file opens with a front matter block.
    pub yaml: Option<&'a str>,
    /// 1-based line of the file on which `yaml` starts.
    pub yaml_line: u32,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// The file opened a block with `---` and never closed it.
    pub unterminated: bool,
}

/// Splits `text` (BOM already removed) at its front matter delimiters.
///
/// A block opens with a first line of exactly `---` and closes with a line of `---` or `...`;
/// trailing spaces and CRLF line endings are accepted.
pub fn split(text: &str) -> Split<'_> {
    let none = Split {
        yaml: None,
        yaml_line: 0,
        body_offset: 0,
        unterminated: false,
    };
    let Some(first_end) = text.find('\n') else {
        return none;
    };
    if text[..first_end].trim_end() != "---" {
        return none;
    }
    let yaml_start = first_end + 1;
    let mut line_start = yaml_start;
    while line_start <= text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            let body_offset = (line_end + 1).min(text.len());
            return Split {
                yaml: Some(&text[yaml_start..line_start]),
                yaml_line: 2,
                body_offset,
                unterminated: false,
            };
        }
        if line_end == text.len() {
            break;
        }
        line_start = line_end + 1;
    }
    Split {
        unterminated: true,
        ..none
    }
}

impl FrontMatter {
    /// Parses the YAML of a front matter block starting at file line `first_line`.
    pub fn parse(
        yaml_text: &str,
        first_line: u32,
        file: &Path,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let shift = |p: Pos| Pos::new(p.line + first_line - 1, p.column.max(1));
        let mut fm = FrontMatter {
            present: true,
            ..FrontMatter::default()
        };
        let value: Value = match yaml::from_str(yaml_text) {
            Ok(v) => v,
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        "front-matter-invalid",
                        file,
                        format!("front matter is not valid YAML: {}", e.message),
                    )
                    .at(shift(e.pos)),
                );
                return fm;
            }
        };
        let map = match value {
            Value::Mapping(m) => m,
            Value::Null => return fm,
            _ => {
                diags.push(
                    Diagnostic::error(
                        "front-matter-invalid",
                        file,
                        "front matter must be a mapping of `key: value` lines",
                    )
                    .at(Pos::new(first_line, 1)),
                );
                return fm;
            }
        };
        let keys = yaml::top_level_keys(yaml_text);
        let block_pos = Pos::new(first_line, 1);
        for (key, value) in map {
            let Some(key) = scalar_string(&key) else {
                diags.push(
                    Diagnostic::warning(
                        "front-matter-invalid",
                        file,
                        "a front matter key is not a plain string; it is ignored",
                    )
                    .at(block_pos),
                );
                continue;
            };
            let pos = keys.get(&key).copied().map_or(block_pos, shift);
            let mut field = Field {
                key: &key,
                pos,
                file,
                diags: &mut *diags,
            };
            match key.as_str() {
                "title" => fm.title = field.string(value),
                "description" => fm.description = field.string(value),
                "version" => fm.version = field.string(value),
                "role" => fm.role = field.string(value),
                "id" => fm.id = field.string(value).map(|v| Spanned { value: v, pos }),
                "slug" => fm.slug = field.string(value).map(|v| Spanned { value: v, pos }),
                "owner" => fm.owner = field.string(value).map(|v| Spanned { value: v, pos }),
                "approver" => fm.approver = field.string(value).map(|v| Spanned { value: v, pos }),
                "kind" => {
                    if let Some(s) = field.string(value) {
                        match s.parse() {
                            Ok(k) => fm.kind = k,
                            Err(m) => field.error("front-matter-invalid", m),
                        }
                    }
                }
                "status" => {
                    if let Some(s) = field.string(value) {
                        match s.parse() {
                            Ok(st) => fm.status = st,
                            Err(m) => field.warning(
                                "status-unknown",
                                format!("{m}; the document is treated as active"),
                            ),
                        }
                    }
                }
                "reviewers" => fm.reviewers = spanned_list(field.string_list(value), pos),
                "aliases" => fm.aliases = spanned_list(field.string_list(value), pos),
                "tags" => fm.tags = field.string_list(value),
                "order" => fm.order = field.integer(value),
                "last_reviewed" => fm.last_reviewed = field.date(value, "review-date-invalid"),
                "review_by" => fm.review_by = field.date(value, "review-date-invalid"),
                "effective" => {
                    fm.effective = field.date(value, "front-matter-invalid").map(|d| d.value)
                }
                "review_every" => fm.review_every = field.interval(value),
                _ => {
                    let mut d = Diagnostic::warning(
                        "front-matter-unknown-field",
                        file,
                        format!("unknown front matter field `{key}`"),
                    )
                    .at(pos);
                    if let Some(s) = suggest::closest(&key, KNOWN_FIELDS.iter().copied()) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    diags.push(d);
                    if let Ok(json) = serde_json::to_value(&value) {
                        fm.extra.insert(key, json);
                    }
                }
            }
        }
        fm
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
    fn error(&mut self, rule: &'static str, msg: String) {
        self.diags
            .push(Diagnostic::error(rule, self.file, msg).at(self.pos));
    }

    fn warning(&mut self, rule: &'static str, msg: String) {
        self.diags
            .push(Diagnostic::warning(rule, self.file, msg).at(self.pos));
    }

    fn wrong_type(&mut self, expected: &str, v: &Value) {
        let msg = format!("`{}` must be {expected}, found {}", self.key, type_name(v));
        self.error("front-matter-invalid", msg);
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

    fn integer(&mut self, v: Value) -> Option<i64> {
        match &v {
            Value::Null => None,
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.wrong_type("a whole number", &v);
                None
            }
        }
    }

    fn date(&mut self, v: Value, rule: &'static str) -> Option<Spanned<Day>> {
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
                self.error("review-date-invalid", msg);
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
                self.error("review-date-invalid", msg);
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
        let fm = FrontMatter::parse(s.yaml.unwrap(), s.yaml_line, Path::new("x.md"), &mut diags);
        (fm, diags)
    }

    #[test]
    fn splits_blocks() {
        let s = split("---\ntitle: A\n---\nbody\n");
        assert_eq!(s.yaml, Some("title: A\n"));
        assert_eq!(s.body_offset, 17);
        let s = split("---\r\ntitle: A\r\n...\r\nbody");
        assert_eq!(s.yaml, Some("title: A\r\n"));
        assert_eq!(&"---\r\ntitle: A\r\n...\r\nbody"[s.body_offset..], "body");
        assert_eq!(split("---\n---\n").yaml, Some(""));
        assert_eq!(split("--- \ntitle: A\n---").yaml, Some("title: A\n"));
        assert!(split("---\ntitle: A\n").unterminated);
        assert_eq!(split("# Title\n---\n").yaml, None);
        assert_eq!(split("----\n").yaml, None);
        assert_eq!(split("").yaml, None);
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
        assert_eq!(fm.order, Some(3));
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
                ("front-matter-invalid", 3),
                ("review-date-invalid", 4),
                ("front-matter-unknown-field", 5),
                ("status-unknown", 6)
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
    fn syntax_error_points_into_the_file() {
        let (_, diags) = parse("---\ntitle: ok\nowner: [unclosed\nkind: sop\n---\nbody");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].rule, "front-matter-invalid");
        assert!(diags[0].line >= 3, "{:?}", diags[0]);
    }

    #[test]
    fn non_mapping_front_matter() {
        let (_, diags) = parse("---\n- a\n- b\n---\n");
        assert_eq!(
            diags[0].message,
            "front matter must be a mapping of `key: value` lines"
        );
    }
}
