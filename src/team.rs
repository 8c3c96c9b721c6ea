//! Team data: people, teams and roles, from the YAML files under the data folder.
//!
//! Any number of files may each hold any of `people`, `teams` and `roles`, each written as a list
//! of entries with an `id` or as a map keyed by id. Fields we do not know are kept for templates.
//! Entries are parsed one by one: a bad entry is reported at its line and the rest still load.
//! A file that is not valid YAML is read entry by entry ([`salvage`]): each person, team and role
//! is parsed on its own, so that one typo costs one entry, not every owner of the handbook
//! (which would turn every ownership check into "not in the team data").

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::dates::Day;
use crate::diagnostic::{display_path, Diagnostic, Pos};
use crate::schema::Shape;
use crate::yaml::{self, Mapping, Pieces, Value, YamlError};

#[derive(Debug, Clone, Serialize)]
pub struct Certification {
    pub name: String,
    pub expires: Option<Day>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub role: Option<String>,
    pub team: Option<String>,
    pub manager: Option<String>,
    pub joined: Option<Day>,
    pub left: Option<Day>,
    pub chat: Option<String>,
    pub certifications: Vec<Certification>,
    /// Fields we do not interpret, available to templates.
    pub extra: BTreeMap<String, serde_json::Value>,
    #[serde(skip)]
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub lead: Option<String>,
    pub description: Option<String>,
    pub extra: BTreeMap<String, serde_json::Value>,
    #[serde(skip)]
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub responsibilities: Vec<String>,
    /// Names of the certifications the role requires.
    pub certifications: Vec<String>,
    pub extra: BTreeMap<String, serde_json::Value>,
    #[serde(skip)]
    pub source: Source,
}

impl Certification {
    /// A certification is valid through its expiry date.
    pub fn expired(&self, as_of: Day) -> bool {
        self.expires.is_some_and(|e| e < as_of)
    }
}

impl Person {
    /// The day the person left, if that is on or before `as_of`.
    pub fn departed(&self, as_of: Day) -> Option<Day> {
        self.left.filter(|&left| left <= as_of)
    }

    /// The certifications `role` requires that this person does not hold, or holds expired.
    pub fn missing_certifications<'r>(&self, role: &'r Role, as_of: Day) -> Vec<&'r str> {
        role.certifications
            .iter()
            .filter(|name| {
                !self
                    .certifications
                    .iter()
                    .any(|c| &c.name == *name && !c.expired(as_of))
            })
            .map(String::as_str)
            .collect()
    }
}

/// Where an entry was defined, for diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub file: std::path::PathBuf,
    pub pos: Pos,
}

/// All team data of a handbook, indexed by id.
#[derive(Debug, Clone, Default)]
pub struct TeamData {
    pub people: Vec<Person>,
    pub teams: Vec<Team>,
    pub roles: Vec<Role>,
    person_index: HashMap<String, usize>,
    team_index: HashMap<String, usize>,
    role_index: HashMap<String, usize>,
}

impl TeamData {
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.person_index.get(id).map(|&i| &self.people[i])
    }

    pub fn team(&self, id: &str) -> Option<&Team> {
        self.team_index.get(id).map(|&i| &self.teams[i])
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.role_index.get(id).map(|&i| &self.roles[i])
    }

    /// The position of person `id` in [`TeamData::people`].
    pub fn person_index(&self, id: &str) -> Option<usize> {
        self.person_index.get(id).copied()
    }

    /// The position of team `id` in [`TeamData::teams`].
    pub fn team_index(&self, id: &str) -> Option<usize> {
        self.team_index.get(id).copied()
    }

    /// The position of role `id` in [`TeamData::roles`].
    pub fn role_index(&self, id: &str) -> Option<usize> {
        self.role_index.get(id).copied()
    }

    /// Loads every `*.yaml` / `*.yml` file directly under `root/data_dir`, in name order.
    pub fn load(root: &Path, data_dir: &Path) -> (TeamData, Vec<Diagnostic>) {
        let mut data = TeamData::default();
        let mut diags = Vec::new();
        let dir = root.join(data_dir);
        // `data:` may name one file, for a team file kept among other tools' data (a Jekyll
        // `_data/team.yml` beside its navigation).
        let named_file = dir.is_file();
        let (files, folder) = if named_file {
            (
                vec![dir.clone()],
                data_dir.parent().unwrap_or(Path::new("")),
            )
        } else {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                return (data, diags);
            };
            let mut files: Vec<_> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && is_data_file(p))
                .collect();
            files.sort();
            (files, data_dir)
        };
        let canonical_root = root.canonicalize().ok();
        for path in files {
            let rel = display_path(&folder.join(path.file_name().unwrap_or_default()));
            // A data file that is a symlink out of the root is not read.
            if let (Some(croot), Ok(target)) = (&canonical_root, path.canonicalize()) {
                if !target.starts_with(croot) {
                    diags.push(Diagnostic::error(
                        "path-unsafe",
                        &rel,
                        "this data file is a symlink to outside the handbook root; it is skipped",
                    ));
                    continue;
                }
            }
            match std::fs::read(&path).map(String::from_utf8) {
                Ok(Ok(text)) => {
                    let text = crate::load::normalize_line_breaks(text);
                    // The one file `data:` names may be only people, whatever its name.
                    let people_file = named_file || is_people_file(&path);
                    data.add_file(Path::new(&rel), &text, people_file, &mut diags)
                }
                Ok(Err(_)) => diags.push(Diagnostic::error(
                    "team-data-invalid",
                    &rel,
                    "the file is not valid UTF-8",
                )),
                Err(e) => diags.push(Diagnostic::error(
                    "team-data-invalid",
                    &rel,
                    format!("cannot read: {e}"),
                )),
            }
        }
        (data, diags)
    }

    /// Adds the entries of one data file; `people_file` when the file may be only people (see
    /// [`DataShape`]).
    pub fn add_file(
        &mut self,
        file: &Path,
        text: &str,
        people_file: bool,
        diags: &mut Vec<Diagnostic>,
    ) {
        // A file that does not parse is read entry by entry; the text then has the entries
        // left out emptied, so that every position below is still right.
        let (value, text) = match yaml::from_str::<Value>(text) {
            Ok(v) => (v, Cow::Borrowed(text)),
            Err(e) => {
                let (v, t) = salvage(file, text, e, diags);
                (v, Cow::Owned(t))
            }
        };
        let text = text.as_ref();
        let id_lines = id_positions(text);
        let keys = yaml::top_level_keys(text);
        let shape = DataShape::of(&value, people_file);
        let only_people_list = matches!(shape, DataShape::People { .. }) && value.is_sequence();
        let value = match shape {
            DataShape::People { .. } => people_only(value),
            DataShape::Sections | DataShape::Other => value,
        };
        let Value::Mapping(top) = value else {
            if !value.is_null() {
                diags.push(
                    Diagnostic::error(
                        "team-data-invalid",
                        file,
                        "a data file must be a mapping with `people`, `teams` and/or `roles` (a file named team, people, members or staff may be only a list of people)",
                    )
                    .at(Pos::new(1, 1)),
                );
            }
            return;
        };
        for (key, value) in top {
            let Some(key) = key.as_str() else { continue };
            let key_pos = keys.get(key).copied().unwrap_or(Pos::new(1, 1));
            // A file that is only a list of people starts its items at the top.
            let after = if only_people_list { 0 } else { key_pos.line };
            let ctx = EntryCtx {
                file,
                key_pos,
                id_lines: &id_lines,
                items: item_lines(text, after),
            };
            match key {
                "people" => {
                    for (entry, src) in entries(value, &ctx, diags) {
                        if let Some(p) = person(entry, src, diags) {
                            self.insert_person(p, diags);
                        }
                    }
                }
                "teams" => {
                    for (entry, src) in entries(value, &ctx, diags) {
                        if let Some(t) = team(entry, src, diags) {
                            push_unique(
                                &mut self.teams,
                                &mut self.team_index,
                                t,
                                "team",
                                |t| &t.id,
                                |t| &t.source,
                                diags,
                            );
                        }
                    }
                }
                "roles" => {
                    for (entry, src) in entries(value, &ctx, diags) {
                        if let Some(r) = role(entry, src, diags) {
                            push_unique(
                                &mut self.roles,
                                &mut self.role_index,
                                r,
                                "role",
                                |r| &r.id,
                                |r| &r.source,
                                diags,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn insert_person(&mut self, p: Person, diags: &mut Vec<Diagnostic>) {
        push_unique(
            &mut self.people,
            &mut self.person_index,
            p,
            "person",
            |p| &p.id,
            |p| &p.source,
            diags,
        );
    }
}

/// The sections of a data file.
const SECTIONS: &[(&str, &str)] = &[("people", "person"), ("teams", "team"), ("roles", "role")];

/// Reads a data file that is not valid YAML entry by entry: each top-level entry on its own,
/// and within `people`, `teams` and `roles` (and a file that is only a list of people) each
/// list item or entry keyed by id on its own. The entries before and after a broken one are
/// read; the broken one is reported at its error. An id (or a section) given twice keeps its
/// first entry, as the loader does for ids. Returns the value of what was read and the text
/// with the lines of what was not emptied. Each entry is parsed once: linear.
fn salvage(
    file: &Path,
    text: &str,
    whole: YamlError,
    diags: &mut Vec<Diagnostic>,
) -> (Value, String) {
    let mut s = Salvage {
        file,
        text,
        diags,
        reported: false,
        left_out: Vec::new(),
    };
    if whole.refused {
        s.report(whole);
        return (Value::Null, text.to_string());
    }
    let top = yaml::pieces(text, 0, 0..text.len(), None, None);
    let value = if top.list {
        s.entries(&top, "person")
    } else {
        let mut map = Mapping::new();
        let mut first_line: HashMap<Value, u32> = HashMap::new();
        for piece in &top.pieces {
            let section = (piece.key.as_deref())
                .and_then(|k| SECTIONS.iter().find(|(name, _)| *name == k))
                .and_then(|&(name, what)| Some((name, what, piece.body(text)?)));
            let read: Mapping = match section {
                Some((name, what, (line, bytes))) => {
                    let inner = yaml::pieces(text, line, bytes, None, None);
                    let mut m = Mapping::new();
                    m.insert(Value::from(name), s.entries(&inner, what));
                    m
                }
                None => match s.parse(piece) {
                    Some(Value::Mapping(m)) => m,
                    _ => continue,
                },
            };
            let line = piece.lines.start as u32 + 1;
            for (k, v) in read {
                if let Some(first) = first_line.get(&k) {
                    let msg = format!(
                        "`{}` is given twice (first on line {first}); only the first is read",
                        scalar(&k).unwrap_or_default()
                    );
                    s.error(
                        msg,
                        Pos::new(line, 1),
                        Some("merge the two into one".into()),
                    );
                    s.left_out.push(piece.bytes.clone());
                    continue;
                }
                first_line.insert(k.clone(), line);
                map.insert(k, v);
            }
        }
        Value::Mapping(map)
    };
    // Each entry reads on its own, yet the whole does not (an alias to another entry's
    // anchor, say): the whole file's error stands.
    if !s.reported {
        s.report(whole);
    }
    let empty = match &value {
        Value::Sequence(items) => items.is_empty(),
        Value::Mapping(m) => m.is_empty(),
        _ => true,
    };
    let text = yaml::blank(text, &s.left_out);
    (if empty { Value::Null } else { value }, text)
}

/// The state of [`salvage`]: where it reports, and which lines it leaves out.
struct Salvage<'a> {
    file: &'a Path,
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    reported: bool,
    left_out: Vec<Range<usize>>,
}

impl Salvage<'_> {
    fn error(&mut self, message: String, pos: Pos, help: Option<String>) {
        let mut d = Diagnostic::error("team-data-invalid", self.file, message).at(pos);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        self.diags.push(d);
        self.reported = true;
    }

    fn report(&mut self, e: YamlError) {
        self.error(format!("not valid YAML: {}", e.message), e.pos, e.help);
    }

    /// `piece` parsed on its own; `None`, reported and left out, when it does not parse.
    fn parse(&mut self, piece: &yaml::Piece) -> Option<Value> {
        match yaml::parse_piece::<Value>(self.text, piece) {
            Ok(v) => Some(v),
            Err(e) => {
                self.report(e);
                self.left_out.push(piece.bytes.clone());
                None
            }
        }
    }

    /// The entries of a section (`what` names one: "person"), each parsed on its own: a list
    /// of items, or a mapping keyed by id.
    fn entries(&mut self, inner: &Pieces, what: &str) -> Value {
        let mut items = Vec::new();
        let mut map = Mapping::new();
        let mut first_line: HashMap<Value, u32> = HashMap::new();
        for piece in &inner.pieces {
            let line = piece.lines.start as u32 + 1;
            match self.parse(piece) {
                Some(Value::Sequence(s)) if inner.list => items.extend(s),
                Some(Value::Mapping(m)) if !inner.list => {
                    for (k, v) in m {
                        if let Some(first) = first_line.get(&k) {
                            let indent = self.text[piece.bytes.clone()].len()
                                - self.text[piece.bytes.clone()].trim_start_matches(' ').len();
                            let id = scalar(&k).unwrap_or_default();
                            let help = format!(
                                "it is first defined at {}:{first}",
                                display_path(self.file)
                            );
                            let at = Pos::new(line, indent as u32 + 1);
                            self.error(format!("duplicate {what} id `{id}`"), at, Some(help));
                            self.left_out.push(piece.bytes.clone());
                            continue;
                        }
                        first_line.insert(k.clone(), line);
                        map.insert(k, v);
                    }
                }
                Some(Value::Null) | None => {}
                Some(_) => {
                    let msg = "not valid YAML: this is neither a list item nor an `id:` entry";
                    self.error(msg.into(), Pos::new(line, 1), None);
                    self.left_out.push(piece.bytes.clone());
                }
            }
        }
        match inner.list {
            true => Value::Sequence(items),
            false => Value::Mapping(map),
        }
    }
}

/// File stems of a file that may hold only people, as many handbooks keep a `team.yml`.
const PEOPLE_FILES: &[&str] = &["team", "people", "members", "staff", "persons"];

/// A `.yaml`/`.yml` file that is not hidden.
pub fn is_data_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    ) && !path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// A data file named as one of [`PEOPLE_FILES`].
pub fn is_people_file(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| PEOPLE_FILES.contains(&s.to_ascii_lowercase().as_str()))
}

/// What the top level of a data file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataShape {
    /// A mapping with `people`, `teams` and/or `roles`.
    Sections,
    /// Only people, in a file that may be that ([`is_people_file`], or the one file `data:`
    /// names): a list of entries with an `id` or a `name` (one without an id is reported), or a
    /// mapping by id whose every entry has a `name`. `without_id` counts list entries that
    /// lack one.
    People { count: usize, without_id: usize },
    /// Anything else: not team data (a mapping of other keys is left alone).
    Other,
}

impl DataShape {
    pub fn of(value: &Value, people_file: bool) -> DataShape {
        let named = |v: &Value| matches!(v, Value::Mapping(p) if p.contains_key("name"));
        match value {
            Value::Mapping(m)
                if ["people", "teams", "roles"]
                    .iter()
                    .any(|k| m.contains_key(*k)) =>
            {
                DataShape::Sections
            }
            Value::Sequence(items)
                if people_file
                    && !items.is_empty()
                    && items.iter().all(|v| {
                        matches!(v, Value::Mapping(p) if p.contains_key("id") || p.contains_key("name"))
                    }) =>
            {
                DataShape::People {
                    count: items.len(),
                    without_id: items
                        .iter()
                        .filter(|v| v.get("id").is_none_or(Value::is_null))
                        .count(),
                }
            }
            Value::Mapping(m) if people_file && !m.is_empty() && m.values().all(named) => {
                DataShape::People {
                    count: m.len(),
                    without_id: 0,
                }
            }
            _ => DataShape::Other,
        }
    }

    /// The people in a team data file.
    pub fn people(value: &Value, people_file: bool) -> Option<usize> {
        match DataShape::of(value, people_file) {
            DataShape::Sections => Some(match value.get("people") {
                Some(Value::Sequence(s)) => s.len(),
                Some(Value::Mapping(p)) => p.len(),
                _ => 0,
            }),
            DataShape::People { count, .. } => Some(count),
            DataShape::Other => None,
        }
    }
}

/// `{people: value}`: a file that holds nothing but people.
fn people_only(value: Value) -> Value {
    let mut m = Mapping::new();
    m.insert(Value::from("people"), value);
    Value::Mapping(m)
}

fn push_unique<T>(
    list: &mut Vec<T>,
    index: &mut HashMap<String, usize>,
    item: T,
    what: &str,
    id: impl Fn(&T) -> &String,
    source: impl Fn(&T) -> &Source,
    diags: &mut Vec<Diagnostic>,
) {
    let key = id(&item).clone();
    if let Some(&existing) = index.get(&key) {
        let first = source(&list[existing]);
        let src = source(&item);
        diags.push(
            Diagnostic::error(
                "team-data-invalid",
                &src.file,
                format!("duplicate {what} id `{key}`"),
            )
            .at(src.pos)
            .with_help(format!(
                "it is first defined at {}:{}",
                display_path(&first.file),
                first.pos.line
            )),
        );
        return;
    }
    index.insert(key, list.len());
    list.push(item);
}

struct EntryCtx<'a> {
    file: &'a Path,
    key_pos: Pos,
    id_lines: &'a HashMap<String, Vec<Pos>>,
    /// Where each item of a list value starts (`- `), for entries without an id.
    items: Vec<Pos>,
}

/// The entries of a `people`/`teams`/`roles` value: a list of mappings with `id`, or a mapping
/// keyed by id. Each comes with the best position we know for it.
fn entries(value: Value, ctx: &EntryCtx, diags: &mut Vec<Diagnostic>) -> Vec<(Mapping, Source)> {
    // The n-th entry with a given id is at the n-th place that id is written.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut src = |id: Option<&str>| {
        let pos = id.and_then(|i| {
            let n = seen.entry(i.to_string()).or_insert(0);
            *n += 1;
            ctx.id_lines
                .get(i)
                .and_then(|v| v.get(*n - 1).or(v.last()))
                .copied()
        });
        Source {
            file: ctx.file.to_path_buf(),
            pos: pos.unwrap_or(ctx.key_pos),
        }
    };
    let bad = |diags: &mut Vec<Diagnostic>, pos: Pos, msg: &str| {
        diags.push(Diagnostic::error("team-data-invalid", ctx.file, msg.to_string()).at(pos));
    };
    match value {
        Value::Sequence(items) => items
            .into_iter()
            .enumerate()
            .filter_map(|(i, item)| match item {
                Value::Mapping(m) => {
                    let id = m.get("id").and_then(scalar);
                    let s = src(id.as_deref());
                    if id.is_none() {
                        let at = ctx.items.get(i).copied().unwrap_or(s.pos);
                        let msg = match m.get("name").and_then(scalar) {
                            Some(name) => format!("the entry `{name}` has no `id`"),
                            None => "an entry has no `id`".to_string(),
                        };
                        bad(diags, at, &msg);
                        return None;
                    }
                    Some((m, s))
                }
                _ => {
                    bad(
                        diags,
                        ctx.key_pos,
                        "each entry must be a mapping with an `id`",
                    );
                    None
                }
            })
            .collect(),
        Value::Mapping(map) => map
            .into_iter()
            .filter_map(|(k, v)| {
                let id = scalar(&k)?;
                let s = src(Some(&id));
                let mut m = match v {
                    Value::Mapping(m) => m,
                    Value::Null => Mapping::new(),
                    _ => {
                        bad(diags, s.pos, &format!("the entry `{id}` must be a mapping"));
                        return None;
                    }
                };
                m.insert(Value::from("id"), Value::from(id));
                Some((m, s))
            })
            .collect(),
        Value::Null => Vec::new(),
        _ => {
            bad(
                diags,
                ctx.key_pos,
                "must be a list of entries or a mapping keyed by id",
            );
            Vec::new()
        }
    }
}

/// Where the items of the block list that starts after line `after` (0: the top of the file)
/// begin: the lines opening with `-` at the first item's indentation, until the text goes back
/// above it.
fn item_lines(text: &str, after: u32) -> Vec<Pos> {
    let mut out = Vec::new();
    let mut indent = None;
    for (i, line) in text.lines().enumerate().skip(after as usize) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') || line.trim_end() == "---" {
            continue;
        }
        let here = line.len() - t.len();
        match indent {
            None if t.starts_with('-') => indent = Some(here),
            None => return out,
            Some(want) if here < want => return out,
            Some(_) => {}
        }
        if Some(here) == indent && t.starts_with('-') {
            out.push(Pos::new(i as u32 + 1, here as u32 + 1));
        }
    }
    out
}

/// Lines on which an entry's id is written, as `- id: x`, `id: x` or a map key `x:`.
fn id_positions(text: &str) -> HashMap<String, Vec<Pos>> {
    let mut out: HashMap<String, Vec<Pos>> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        let t2 = t.strip_prefix("- ").map(str::trim_start).unwrap_or(t);
        let pos = Pos::new(i as u32 + 1, (indent + 1) as u32);
        if let Some(rest) = t2.strip_prefix("id:") {
            let id = rest.trim().trim_matches(['"', '\'']);
            if !id.is_empty() {
                out.entry(id.to_string()).or_default().push(pos);
            }
        } else if indent > 0 && !t.starts_with('-') {
            if let Some(key) = t.strip_suffix(':') {
                out.entry(key.trim_matches(['"', '\'']).to_string())
                    .or_default()
                    .push(pos);
            }
        }
    }
    out
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Takes typed fields out of an entry, reporting wrong types at the entry.
struct Entry<'a> {
    map: Mapping,
    source: Source,
    diags: &'a mut Vec<Diagnostic>,
}

impl Entry<'_> {
    fn error(&mut self, msg: String) {
        self.diags.push(
            Diagnostic::error("team-data-invalid", &self.source.file, msg).at(self.source.pos),
        );
    }

    fn string(&mut self, key: &str) -> Option<String> {
        let v = self.map.remove(key)?;
        match scalar(&v) {
            Some(s) => Some(s),
            None if v.is_null() => None,
            None => {
                self.error(format!("`{key}` must be a single value"));
                None
            }
        }
    }

    fn date(&mut self, key: &str) -> Option<Day> {
        let s = self.string(key)?;
        match s.parse() {
            Ok(d) => Some(d),
            Err(m) => {
                self.error(format!("`{key}`: {m}"));
                None
            }
        }
    }

    fn list<T: for<'de> Deserialize<'de>>(&mut self, key: &str) -> Vec<T> {
        let Some(v) = self.map.remove(key) else {
            return Vec::new();
        };
        if v.is_null() {
            return Vec::new();
        }
        match yaml::from_value(v) {
            Ok(list) => list,
            Err(m) => {
                self.error(format!("`{key}`: {m}"));
                Vec::new()
            }
        }
    }

    fn extra(self) -> BTreeMap<String, serde_json::Value> {
        self.map
            .into_iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), serde_json::to_value(&v).ok()?)))
            .collect()
    }
}

#[derive(Deserialize)]
struct RawCertification {
    name: String,
    #[serde(default)]
    expires: Option<String>,
}

/// The fields the loader reads from a person, a team and a role, with their shapes: what
/// `handbook schema` describes. Any other field is kept for templates. A test checks that the
/// loader takes every field listed (none is left in `extra`).
pub const PERSON_FIELDS: &[(&str, Shape)] = &[
    ("id", Shape::Text),
    ("name", Shape::Text),
    ("email", Shape::Text),
    ("role", Shape::Text),
    ("team", Shape::Text),
    ("manager", Shape::Text),
    ("reports_to", Shape::Text),
    ("joined", Shape::Day),
    ("left", Shape::Day),
    ("chat", Shape::Text),
    ("certifications", Shape::Certifications),
];
pub const TEAM_FIELDS: &[(&str, Shape)] = &[
    ("id", Shape::Text),
    ("name", Shape::Text),
    ("lead", Shape::Text),
    ("description", Shape::Text),
];
pub const ROLE_FIELDS: &[(&str, Shape)] = &[
    ("id", Shape::Text),
    ("title", Shape::Text),
    ("summary", Shape::Text),
    ("responsibilities", Shape::Strings),
    ("certifications", Shape::Strings),
];

fn person(map: Mapping, source: Source, diags: &mut Vec<Diagnostic>) -> Option<Person> {
    let mut e = Entry {
        map,
        source: source.clone(),
        diags,
    };
    let id = e.string("id")?;
    let name = e.string("name").unwrap_or_else(|| id.clone());
    // Both are read, so that `reports_to` beside `manager` is not left over as an extra field.
    let reports_to = e.string("reports_to");
    let manager = e.string("manager").or(reports_to);
    let raw_certs: Vec<RawCertification> = e.list("certifications");
    let mut certifications = Vec::with_capacity(raw_certs.len());
    for c in raw_certs {
        let expires = match c.expires.as_deref().map(str::parse::<Day>) {
            Some(Ok(d)) => Some(d),
            Some(Err(m)) => {
                e.error(format!("certification `{}`: {m}", c.name));
                None
            }
            None => None,
        };
        certifications.push(Certification {
            name: c.name,
            expires,
        });
    }
    let person = Person {
        email: e.string("email"),
        role: e.string("role"),
        team: e.string("team"),
        joined: e.date("joined"),
        left: e.date("left"),
        chat: e.string("chat"),
        id,
        name,
        manager,
        certifications,
        extra: BTreeMap::new(),
        source,
    };
    Some(Person {
        extra: e.extra(),
        ..person
    })
}

fn team(map: Mapping, source: Source, diags: &mut Vec<Diagnostic>) -> Option<Team> {
    let mut e = Entry {
        map,
        source: source.clone(),
        diags,
    };
    let id = e.string("id")?;
    let name = e.string("name").unwrap_or_else(|| id.clone());
    let lead = e.string("lead");
    let description = e.string("description");
    Some(Team {
        id,
        name,
        lead,
        description,
        extra: e.extra(),
        source,
    })
}

fn role(map: Mapping, source: Source, diags: &mut Vec<Diagnostic>) -> Option<Role> {
    let mut e = Entry {
        map,
        source: source.clone(),
        diags,
    };
    let id = e.string("id")?;
    let title = e.string("title").unwrap_or_else(|| id.clone());
    let summary = e.string("summary");
    let responsibilities = e.list("responsibilities");
    let certifications = e.list("certifications");
    Some(Role {
        id,
        title,
        summary,
        responsibilities,
        certifications,
        extra: e.extra(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (TeamData, Vec<Diagnostic>) {
        let mut data = TeamData::default();
        let mut diags = Vec::new();
        data.add_file(Path::new("data/team.yaml"), text, true, &mut diags);
        (data, diags)
    }

    #[test]
    fn list_and_map_forms() {
        let (d, diags) = load(
            "people:\n  - id: ana\n    name: Ana\n    github: ana-gh\n    certifications:\n      - name: CISSP\n        expires: 2027-01-01\n  - id: bo\n    reports_to: ana\nroles:\n  lead:\n    title: Lead\n    certifications: [CISSP]\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let ana = d.person("ana").unwrap();
        assert_eq!(ana.extra["github"], "ana-gh");
        assert_eq!(
            ana.certifications[0].expires.unwrap().to_string(),
            "2027-01-01"
        );
        assert_eq!(d.person("bo").unwrap().manager.as_deref(), Some("ana"));
        assert_eq!(d.role("lead").unwrap().certifications, vec!["CISSP"]);
    }

    #[test]
    fn the_loader_takes_every_field_the_schema_lists() {
        let entry = |fields: &[(&str, Shape)]| {
            let mut text = String::new();
            for (name, shape) in fields {
                text.push_str(&format!("    {name}: {}\n", shape.sample_yaml()));
            }
            text
        };
        let text = format!(
            "people:\n  x:\n{}teams:\n  t:\n{}roles:\n  r:\n{}",
            entry(PERSON_FIELDS),
            entry(TEAM_FIELDS),
            entry(ROLE_FIELDS)
        );
        let (d, diags) = load(&text);
        assert!(diags.is_empty(), "{diags:?}\n{text}");
        assert!(d.people[0].extra.is_empty(), "{:?}", d.people[0].extra);
        assert!(d.teams[0].extra.is_empty(), "{:?}", d.teams[0].extra);
        assert!(d.roles[0].extra.is_empty(), "{:?}", d.roles[0].extra);
    }

    #[test]
    fn a_file_of_only_people_is_read_as_people() {
        // A Jekyll-style `team.yml`: the list itself, or a mapping keyed by id.
        let (d, diags) = load("- id: ana\n  name: Ana\n- id: bo\n  name: Bo\n  reports_to: ana\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(d.person("bo").unwrap().manager.as_deref(), Some("ana"));
        let (d, diags) = load("ana:\n  name: Ana\nbo:\n  name: Bo\n  github: bo-gh\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(d.person("bo").unwrap().extra["github"], "bo-gh");
        assert_eq!(d.people.len(), 2);
        // Other data is not taken for people: a mapping whose entries have no names, or a file
        // not named for people.
        let (d, diags) = load("site:\n  logo: x.png\nnav:\n  home: /\n");
        assert!(diags.is_empty() && d.people.is_empty(), "{diags:?}");
        let mut d = TeamData::default();
        let mut diags = Vec::new();
        let vendors = "aws:\n  name: AWS\n  email: acct@example.com\n";
        d.add_file(Path::new("data/vendors.yaml"), vendors, false, &mut diags);
        assert!(diags.is_empty() && d.people.is_empty(), "{diags:?}");
        assert!(is_people_file(Path::new("data/Team.yml")));
        assert!(!is_people_file(Path::new("data/vendors.yaml")));
        // A list of people without ids says so at each entry; a list of other things is not
        // team data.
        let (_, diags) = load("- id: ana\n  name: Ana\n- name: Bo\n");
        let got: Vec<_> = diags
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(got, [(3, 1, "the entry `Bo` has no `id`")]);
        let (_, diags) = load("people:\n  - id: ana\n  # a comment\n\n  - name: Bo\nteams: {}\n");
        assert_eq!((diags[0].line, diags[0].column), (5, 3), "{diags:?}");
        let (_, diags) = load("- title: Home\n  url: /\n");
        assert!(diags[0].message.contains("must be a mapping"), "{diags:?}");
    }

    #[test]
    fn bad_entries_are_reported_at_their_line_and_others_load() {
        let (d, diags) = load("people:\n  - id: ana\n    joined: 2024-02-30\n  - id: ana\n  - name: nobody\n  - id: cy\n");
        assert!(d.person("cy").is_some());
        let got: Vec<_> = diags.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got.contains(&(2, "`joined`: `2024-02-30` is not a real date")),
            "{got:?}"
        );
        assert!(got.contains(&(4, "duplicate person id `ana`")), "{got:?}");
        assert!(
            got.contains(&(5, "the entry `nobody` has no `id`")),
            "{got:?}"
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let (_, diags) = load("people:\n  - id: a\n   bad indent: [\n");
        let got: Vec<_> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(got, [(3, 4)], "{diags:?}");
        // Never past the end of the file, even for an error at its end.
        let (_, diags) = load("people:\n  - id: a\n    name: {x\n\n");
        assert!(diags.iter().all(|d| d.line <= 4), "{diags:?}");
    }

    #[test]
    fn a_broken_entry_loses_only_itself() {
        let text = "---\npeople:\n  - id: ana\n    name: Ana\n  - id: bo\n    name: \"Bo\n  - id: cy\n    manager: ana\n  - name: Dee\n  - id: cy\nteams:\n  ops:\n    name: [Ops\n  web:\n    lead: ana\n  web:\n    lead: cy\n";
        let (d, diags) = load(text);
        let ids: Vec<_> = d.people.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["ana", "cy"]);
        let teams: Vec<_> = d
            .teams
            .iter()
            .map(|t| (t.id.as_str(), t.lead.as_deref()))
            .collect();
        assert_eq!(teams, [("web", Some("ana"))]);
        // The entries read keep their places; so do the loader's own findings.
        assert_eq!(d.person("cy").unwrap().source.pos, Pos::new(7, 3));
        let got: Vec<_> = (diags.iter())
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (6, 11, "not valid YAML: this `\"` is never closed"),
                (13, 11, "not valid YAML: this `[` is never closed"),
                (16, 3, "duplicate team id `web`"),
                (9, 3, "the entry `Dee` has no `id`"),
                (10, 3, "duplicate person id `cy`"),
            ]
        );
        assert_eq!(
            diags[2].help.as_deref(),
            Some("it is first defined at data/team.yaml:14")
        );
    }

    #[test]
    fn a_file_of_only_people_is_read_entry_by_entry() {
        let (d, diags) = load("- id: ana\n  name: Ana\n- id: bo\n  name: 'Bo\n- id: cy\n");
        let ids: Vec<_> = d.people.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["ana", "cy"]);
        assert_eq!((diags[0].line, diags[0].column), (4, 9));
        let (d, diags) = load("ana:\n  name: Ana\nbo:\n  name: [Bo\ncy:\n  name: Cy\n");
        assert_eq!(d.people.len(), 2);
        assert_eq!((diags[0].line, diags[0].column), (4, 9));
        // Too big to read is refused whole.
        let (d, diags) = load(&format!("people:\n  - id: a\n    x: {}\n", "[".repeat(200)));
        assert!(d.people.is_empty() && diags.len() == 1, "{diags:?}");
    }
}
