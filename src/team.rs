//! Team data: people, teams and roles, from the YAML files under the data folder.
//!
//! Any number of files may each hold any of `people`, `teams` and `roles`, each written as a list
//! of entries with an `id` or as a map keyed by id. Fields we do not know are kept for templates.
//! Entries are parsed one by one: a bad entry is reported at its line and the rest still load.
//! Each entry keeps where its fields' values are written ([`Source::at`]), found in the text by
//! [`Layout`] and [`yaml::entry_keys`] while loading, so that a finding about one value (a bad
//! date, a manager who is nobody) points at that value, here and in `check`.
//! A file that is not valid YAML is read entry by entry ([`salvage`]): each person, team, role
//! and acknowledgement is parsed on its own, so that one typo costs one entry, not every owner of the handbook
//! (which would turn every ownership check into "not in the team data").

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::dates::Day;
use crate::diagnostic::{display_path, Diagnostic, LineIndex, Pos};
use crate::root::Root;
use crate::rota::{Coverage, Shift, Turns, Wall, Window};
use crate::rules::Rule;
use crate::text::{self, Decoded};
use crate::yaml::{self, AsText, Mapping, Pieces, Value, YamlError};
use jiff::tz::TimeZone;

#[derive(Debug, Clone, Serialize)]
pub struct Certification {
    pub name: String,
    pub expires: Option<Day>,
    /// Where its `expires` is written (else the certification, else the person's
    /// `certifications`), for findings about it.
    #[serde(skip)]
    pub pos: Pos,
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
    pub phone: Option<String>,
    pub certifications: Vec<Certification>,
    pub absences: Vec<Absence>,
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
    /// What its holders must read: document ids, paths, `kind:policy`, `tag:security`.
    pub required_reading: Vec<String>,
    pub extra: BTreeMap<String, serde_json::Value>,
    #[serde(skip)]
    pub source: Source,
}

/// A stretch of days a person is away, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Absence {
    pub from: Day,
    pub to: Day,
}

/// Someone on call in another's place, from one local time to another.
#[derive(Debug, Clone, Serialize)]
pub struct Override {
    pub from: Wall,
    pub to: Wall,
    pub person: String,
    /// Where the override is written.
    #[serde(skip)]
    pub pos: Pos,
}

/// An on-call rotation (`rotations:` in the team data): members in turn, one shift each, from
/// the first hand-off, in the rotation's local time.
#[derive(Debug, Clone, Serialize)]
pub struct Rotation {
    pub id: String,
    pub name: String,
    pub team: Option<String>,
    #[serde(skip)]
    pub coverage: Coverage,
    /// The IANA zone's name (`Europe/London`); UTC when none is given.
    pub timezone: String,
    #[serde(skip)]
    pub zone: TimeZone,
    /// The first hand-off; without it (or a shift) the rotation has no turns.
    pub start: Option<Wall>,
    #[serde(skip)]
    pub shift: Option<Shift>,
    pub members: Vec<String>,
    /// Certifications a member must hold through each of their shifts.
    pub requires: Vec<String>,
    pub overrides: Vec<Override>,
    /// The next tier: another rotation's id.
    pub escalates_to: Option<String>,
    pub extra: BTreeMap<String, serde_json::Value>,
    #[serde(skip)]
    pub source: Source,
}

impl Rotation {
    /// The turns, when the rotation has a first hand-off and a shift length.
    pub fn turns(&self) -> Option<Turns> {
        Some(Turns {
            start: self.start?,
            shift: self.shift?,
        })
    }
}

/// A person's record of having read a document (`acknowledgements:` in the team data).
#[derive(Debug, Clone, Serialize)]
pub struct Acknowledgement {
    pub person: String,
    /// A document id, or a path from the handbook root.
    pub document: String,
    /// The version read, for a document that has one.
    pub version: Option<String>,
    pub date: Option<Day>,
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
    /// Where the entry starts: its `- ` or its id key.
    pub pos: Pos,
    /// Where the value of each field read is written, by the field's name (`manager` also when
    /// written `reports_to`): a finding about one value points at it, not at the entry.
    pub fields: Vec<(&'static str, Pos)>,
}

impl Source {
    /// Where the value of `field` is written, else where the entry starts.
    pub fn at(&self, field: &str) -> Pos {
        (self.fields.iter())
            .find(|(name, _)| *name == field)
            .map_or(self.pos, |&(_, pos)| pos)
    }
}

/// All team data of a handbook, indexed by id.
#[derive(Debug, Clone, Default)]
pub struct TeamData {
    pub people: Vec<Person>,
    pub teams: Vec<Team>,
    pub roles: Vec<Role>,
    /// Every acknowledgement, in the order of the files and their lines.
    pub acknowledgements: Vec<Acknowledgement>,
    pub rotations: Vec<Rotation>,
    person_index: HashMap<String, usize>,
    team_index: HashMap<String, usize>,
    role_index: HashMap<String, usize>,
    rotation_index: HashMap<String, usize>,
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

    /// The position of rotation `id` in [`TeamData::rotations`].
    pub fn rotation_index(&self, id: &str) -> Option<usize> {
        self.rotation_index.get(id).copied()
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
        let boundary = Root::new(root).ok();
        for path in files {
            let rel = display_path(&folder.join(path.file_name().unwrap_or_default()));
            // A data file that is a symlink out of the root, or to a hidden file, is not read:
            // its lines would be printed in diagnostics.
            if let Some(boundary) = &boundary {
                let why = match boundary.resolve(&path) {
                    None => Some(
                        "this data file is a symlink to outside the handbook root; it is skipped",
                    ),
                    Some(target) if Root::is_hidden(&target) => {
                        Some("this data file is a symlink to a hidden file; it is skipped")
                    }
                    Some(_) => None,
                };
                if let Some(why) = why {
                    diags.push(Diagnostic::error(Rule::PathUnsafe, &rel, why));
                    continue;
                }
            }
            match std::fs::read(&path).map(text::decode) {
                Ok(Decoded {
                    text,
                    invalid_at: None,
                }) => {
                    // The one file `data:` names may be only people, whatever its name.
                    let people_file = named_file || is_people_file(&path);
                    data.add_file(Path::new(&rel), &text, people_file, &mut diags)
                }
                Ok(_) => diags.push(Diagnostic::error(
                    Rule::TeamDataInvalid,
                    &rel,
                    "the file is not valid UTF-8",
                )),
                Err(e) => diags.push(Diagnostic::error(
                    Rule::TeamDataInvalid,
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
        // left out emptied (and the losing place of a key written twice erased), so that every
        // position below is still right.
        let (value, text) = match yaml::from_str::<Value>(text) {
            Ok(v) => (v, Cow::Borrowed(text)),
            Err(e) => {
                let (v, t) = salvage(file, text, e, diags);
                (v, Cow::Owned(t))
            }
        };
        let text = text.as_ref();
        let layout = Layout::of(text);
        let index = LineIndex::new(text);
        let keys = yaml::top_level_keys(text);
        let shape = DataShape::of(&value, people_file);
        let only_people = matches!(shape, DataShape::People { .. });
        let value = match only_people {
            true => people_only(value),
            false => value,
        };
        let Value::Mapping(top) = value else {
            if !value.is_null() {
                diags.push(
                    Diagnostic::error(
                        Rule::TeamDataInvalid,
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
            let section = layout.section(key);
            let key_pos = (keys.get(key).map(|at| at.value))
                .or_else(|| section.map(|s| index.pos(text, s.piece.start(text))))
                .unwrap_or(Pos::new(1, 1));
            let ctx = EntryCtx {
                file,
                text,
                index: &index,
                key_pos,
                // A file of only people has them at its top.
                places: match only_people {
                    true => Some(&layout.top),
                    false => section.and_then(|s| s.entries.as_ref()),
                },
            };
            match key {
                "people" => {
                    for entry in entries(value, &ctx, diags) {
                        if let Some(p) = person(entry, &ctx, diags) {
                            self.insert_person(p, diags);
                        }
                    }
                }
                "teams" => {
                    for entry in entries(value, &ctx, diags) {
                        if let Some(t) = team(entry, &ctx, diags) {
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
                "rotations" => {
                    for entry in entries(value, &ctx, diags) {
                        if let Some(r) = rotation(entry, &ctx, diags) {
                            push_unique(
                                &mut self.rotations,
                                &mut self.rotation_index,
                                r,
                                "rotation",
                                |r| &r.id,
                                |r| &r.source,
                                diags,
                            );
                        }
                    }
                }
                "acknowledgements" => {
                    let found = acknowledgements(value, &ctx, diags);
                    self.acknowledgements.extend(found);
                }
                "roles" => {
                    for entry in entries(value, &ctx, diags) {
                        if let Some(r) = role(entry, &ctx, diags) {
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
const SECTIONS: &[(&str, &str)] = &[
    ("people", "person"),
    ("teams", "team"),
    ("roles", "role"),
    ("acknowledgements", "acknowledgement"),
    ("rotations", "rotation"),
];

/// Where the parts of a data file are written, read from its lines (nothing parsed): what
/// [`salvage`] parses one by one when the file does not parse, and where the loader finds each
/// entry and its fields. Linear: each line is looked at a constant number of times.
struct Layout {
    /// The file's top-level entries: the items of a file that is a list, else its keys.
    top: Pieces,
    /// The top-level entries that are not sections, and the sections with their entries, in
    /// the file's order; a section found in stray lines after the one it follows.
    parts: Vec<Part>,
    /// Lines indented less than the entries they follow (and more than the key above them).
    strays: Vec<Stray>,
}

enum Part {
    Other(yaml::Piece),
    Section(Section),
}

struct Section {
    name: &'static str,
    /// What one entry is: "person".
    what: &'static str,
    /// The section's key and all its lines.
    piece: yaml::Piece,
    /// Its entries, when its value is a block under the key (not `people: []`).
    entries: Option<Pieces>,
}

/// Lines that belong to no entry: see [`Pieces::rest`].
struct Stray {
    piece: yaml::Piece,
    /// The section whose entries they follow, with the byte offset of its key; `None` at the
    /// top of the file.
    after: Option<(&'static str, usize)>,
    /// The byte offset where the entries they follow start.
    entries: usize,
}

impl Layout {
    fn of(text: &str) -> Layout {
        let mut top = yaml::pieces(text, 0, 0..text.len(), None, None);
        let mut layout = Layout {
            top: Pieces::default(),
            parts: Vec::new(),
            strays: Vec::new(),
        };
        let first = top.pieces.first().map(|p| p.start(text));
        if let (Some(rest), Some(entries)) = (top.rest.take(), first) {
            layout.stray(text, rest, None, entries, !top.list);
        }
        if !top.list {
            layout.add(text, top.pieces.clone(), true);
        }
        layout.top = top;
        layout
    }

    /// Adds top-level entries; with `follow`, the sections found in stray lines after a
    /// section's entries too (one level: stray lines inside those are only reported).
    fn add(&mut self, text: &str, pieces: Vec<yaml::Piece>, follow: bool) {
        for piece in pieces {
            let found =
                (piece.key.as_deref()).and_then(|k| SECTIONS.iter().find(|(name, _)| *name == k));
            let Some(&(name, what)) = found else {
                self.parts.push(Part::Other(piece));
                continue;
            };
            let mut entries = piece
                .body(text)
                .map(|(line, bytes)| yaml::pieces(text, line, bytes, None, None));
            let rest = entries.as_mut().and_then(|e| e.rest.take());
            let first = (entries.as_ref())
                .and_then(|e| e.pieces.first())
                .map(|p| p.start(text));
            let key = piece.start(text);
            self.parts.push(Part::Section(Section {
                name,
                what,
                piece,
                entries,
            }));
            if let (Some(rest), Some(first)) = (rest, first) {
                self.stray(text, rest, Some((name, key)), first, follow);
            }
        }
    }

    /// Records stray lines; with `read`, the sections they open are read as sections (the
    /// author's `teams:` indented by one space is still the teams), anything else in them not.
    fn stray(
        &mut self,
        text: &str,
        piece: yaml::Piece,
        after: Option<(&'static str, usize)>,
        entries: usize,
        read: bool,
    ) {
        if read {
            let inner = yaml::pieces(text, piece.lines.start, piece.bytes.clone(), None, None);
            if !inner.list {
                let sections = (inner.pieces.into_iter())
                    .filter(|p| {
                        (p.key.as_deref()).is_some_and(|k| SECTIONS.iter().any(|s| s.0 == k))
                    })
                    .collect();
                self.add(text, sections, false);
            }
        }
        self.strays.push(Stray {
            piece,
            after,
            entries,
        });
    }

    /// The first section named `name`.
    fn section(&self, name: &str) -> Option<&Section> {
        self.parts.iter().find_map(|p| match p {
            Part::Section(s) if s.name == name => Some(s),
            _ => None,
        })
    }
}

/// Reads a data file that is not valid YAML entry by entry: each top-level entry on its own,
/// and within `people`, `teams`, `roles` and `acknowledgements` (and a file that is only a list
/// of people) each list item or entry keyed by id on its own. The entries before and after a
/// broken one are read; the broken one is reported at its error. A key written twice inside an entry keeps
/// its last value, with a warning (YAML readers read it so; the entry is not lost for it). An
/// entry that fails alone only for an alias (`*std`) to an anchor set in another entry is read
/// with the rest in one more parse of the whole file, the broken entries left out. Lines
/// indented less than the entries they follow are reported; a section they open is read. An
/// id (or a section) given twice keeps its first entry, as the loader does for ids. Returns
/// the value of what was read and the text with the lines of what was not emptied. Each entry
/// is parsed a constant number of times: linear.
fn salvage(
    file: &Path,
    text: &str,
    whole: YamlError,
    diags: &mut Vec<Diagnostic>,
) -> (Value, String) {
    let mut s = Salvage {
        file,
        text,
        index: LineIndex::new(text),
        diags,
        reported: false,
        left_out: Vec::new(),
        erased: Vec::new(),
        aliased: Vec::new(),
    };
    if whole.refused {
        s.report(whole);
        return (Value::Null, text.to_string());
    }
    let layout = Layout::of(text);
    for stray in &layout.strays {
        s.stray(stray);
    }
    let mut value = if layout.top.list {
        s.entries(&layout.top, "person")
    } else {
        let mut map = Mapping::new();
        let mut first_line: HashMap<Value, u32> = HashMap::new();
        for part in &layout.parts {
            let (piece, read) = match part {
                Part::Section(Section {
                    name,
                    what,
                    piece,
                    entries: Some(inner),
                }) => {
                    let mut m = Mapping::new();
                    m.insert(Value::from(*name), s.entries(inner, what));
                    (piece, m)
                }
                Part::Section(Section { piece, .. }) | Part::Other(piece) => match s.read(piece) {
                    Some(Value::Mapping(m)) => (piece, m),
                    _ => continue,
                },
            };
            let line = piece.lines.start as u32 + 1;
            for (k, v) in read {
                if let Some(first) = first_line.get(&k) {
                    let msg = format!(
                        "`{}` is given twice (first on line {first}); only the first is read",
                        yaml::scalar_text(&k, AsText::TrimmedStringsNumbers).unwrap_or_default()
                    );
                    let at = s.pos(piece.start(text));
                    s.error(msg, at, Some("merge the two into one".into()));
                    s.left_out.push(piece.bytes.clone());
                    continue;
                }
                first_line.insert(k.clone(), line);
                map.insert(k, v);
            }
        }
        Value::Mapping(map)
    };
    if !s.aliased.is_empty() {
        value = s.aliases(value, &layout);
    }
    // Each entry reads on its own, yet the whole does not: the whole file's error stands.
    if !s.reported {
        s.report(whole);
    }
    let empty = match &value {
        Value::Sequence(items) => items.is_empty(),
        Value::Mapping(m) => m.is_empty(),
        _ => true,
    };
    let text = yaml::blank(&yaml::erase(text, &s.erased), &s.left_out);
    (if empty { Value::Null } else { value }, text)
}

/// The state of [`salvage`]: where it reports, and which lines it leaves out.
struct Salvage<'a> {
    file: &'a Path,
    text: &'a str,
    index: LineIndex,
    diags: &'a mut Vec<Diagnostic>,
    /// Whether anything was reported (then the whole file's error need not be).
    reported: bool,
    left_out: Vec<Range<usize>>,
    /// The losing places of keys written twice in an entry, erased.
    erased: Vec<Range<usize>>,
    /// Entries that read alone but for an alias to an anchor they do not set.
    aliased: Vec<(yaml::Piece, yaml::Read)>,
}

impl Salvage<'_> {
    fn error(&mut self, message: String, pos: Pos, help: Option<String>) {
        let mut d = Diagnostic::error(Rule::TeamDataInvalid, self.file, message).at(pos);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        self.diags.push(d);
        self.reported = true;
    }

    fn report(&mut self, e: YamlError) {
        self.error(format!("not valid YAML: {}", e.message), e.pos, e.help);
    }

    /// The position of byte `offset`.
    fn pos(&self, offset: usize) -> Pos {
        self.index.pos(self.text, offset)
    }

    /// Reports stray lines, at their first character.
    fn stray(&mut self, stray: &Stray) {
        let start = stray.piece.start(self.text);
        let what = match &stray.piece.key {
            Some(k) => format!("`{k}:`"),
            None => "this line".into(),
        };
        let entries = self.pos(stray.entries).column;
        let (message, help) = match stray.after {
            Some((section, key)) => {
                let key = self.pos(key).column;
                (
                    format!("{what} is indented less than the `{section}` entries above it and more than `{section}:`, so it belongs to neither"),
                    format!("move it to column {key} to start a section of its own, or to column {entries} to go with the entries above"),
                )
            }
            None => (
                format!("{what} is indented less than the first line of the file"),
                format!("start each top-level key in column 1 (the first line is indented to column {entries})"),
            ),
        };
        let at = self.pos(start);
        self.error(message, at, Some(help));
    }

    /// `piece` read on its own, a key written twice in it keeping its last value (with a
    /// warning); `None` when it does not parse, reported and left out, or kept aside when an
    /// alias is the trouble.
    fn read(&mut self, piece: &yaml::Piece) -> Option<Value> {
        match yaml::read_piece(self.text, piece) {
            Ok(read) if read.alias.is_some() => {
                self.aliased.push((piece.clone(), read));
                None
            }
            Ok(read) => Some(self.keep(read)),
            Err(e) => {
                self.report(e);
                self.left_out.push(piece.bytes.clone());
                None
            }
        }
    }

    /// The value of a piece read, its keys written twice reported (a warning each: the entry
    /// is kept) and erased.
    fn keep(&mut self, read: yaml::Read) -> Value {
        for dup in read.duplicates {
            let first = (dup.first)
                .map(|p| format!(" (first on line {})", p.line))
                .unwrap_or_default();
            let message = format!(
                "`{}` is given twice{first}; the last one is used, as YAML readers do",
                dup.key
            );
            self.diags.push(
                Diagnostic::warning(Rule::TeamDataInvalid, self.file, message)
                    .at(dup.at)
                    .with_help("keep one of the two"),
            );
            self.reported = true;
        }
        self.erased.extend(read.erased);
        read.value
    }

    /// The entries of a section (`what` names one: "person"), each parsed on its own: a list
    /// of items, or a mapping keyed by id.
    fn entries(&mut self, inner: &Pieces, what: &str) -> Value {
        let mut items = Vec::new();
        let mut map = Mapping::new();
        let mut first_line: HashMap<Value, u32> = HashMap::new();
        for piece in &inner.pieces {
            let line = piece.lines.start as u32 + 1;
            match self.read(piece) {
                Some(Value::Sequence(s)) if inner.list => items.extend(s),
                Some(Value::Mapping(m)) if !inner.list => {
                    for (k, v) in m {
                        if let Some(first) = first_line.get(&k) {
                            let id = yaml::scalar_text(&k, AsText::TrimmedStringsNumbers)
                                .unwrap_or_default();
                            let help = format!(
                                "it is first defined at {}:{first}",
                                display_path(self.file)
                            );
                            let at = self.pos(piece.start(self.text));
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
                    let at = self.pos(piece.start(self.text));
                    self.error(msg.into(), at, None);
                    self.left_out.push(piece.bytes.clone());
                }
            }
        }
        match inner.list {
            true => Value::Sequence(items),
            false => Value::Mapping(map),
        }
    }

    /// Reads the entries kept aside for an alias: the whole file once more, without the
    /// entries broken for another reason and without stray lines, so that each anchor is set
    /// before its alias. What that gives replaces what was read entry by entry (it is the same
    /// and more), but for the sections read from stray lines, kept. An entry whose anchor is
    /// written nowhere it could be read from, or all of them when the file does not parse
    /// either, is reported as it failed alone.
    fn aliases(&mut self, value: Value, layout: &Layout) -> Value {
        let strays = layout.strays.iter().map(|s| s.piece.bytes.clone());
        let out: Vec<Range<usize>> = self.left_out.iter().cloned().chain(strays).collect();
        let parts: Vec<Range<usize>> = self.aliased.iter().map(|(p, _)| p.bytes.clone()).collect();
        let readable = yaml::resolvable(self.text, &parts, &out);
        let mut tried = Vec::new();
        for ((piece, read), readable) in std::mem::take(&mut self.aliased).into_iter().zip(readable)
        {
            if readable {
                tried.push((piece, read));
            } else {
                self.lose(piece, read);
            }
        }
        if tried.is_empty() {
            return value;
        }
        // The entries lost just now are left out too.
        let strays = layout.strays.iter().map(|s| s.piece.bytes.clone());
        let out: Vec<Range<usize>> = self.left_out.iter().cloned().chain(strays).collect();
        let mut erased = self.erased.clone();
        erased.extend(tried.iter().flat_map(|(_, r)| r.erased.iter().cloned()));
        let together = yaml::blank(&yaml::erase(self.text, &erased), &out);
        match (yaml::from_str::<Value>(&together), value) {
            (Ok(Value::Mapping(mut all)), Value::Mapping(read)) => {
                for (k, v) in read {
                    if !all.contains_key(&k) {
                        all.insert(k, v);
                    }
                }
                for (_, read) in tried {
                    self.keep(read);
                }
                Value::Mapping(all)
            }
            (Ok(all @ Value::Sequence(_)), Value::Sequence(_)) => {
                for (_, read) in tried {
                    self.keep(read);
                }
                all
            }
            (_, value) => {
                for (piece, read) in tried {
                    self.lose(piece, read);
                }
                value
            }
        }
    }

    /// Reports an entry kept aside for its alias as lost.
    fn lose(&mut self, piece: yaml::Piece, read: yaml::Read) {
        if let Some(e) = read.alias {
            self.report(e);
        }
        self.left_out.push(piece.bytes);
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
                if SECTIONS.iter().any(|(k, _)| m.contains_key(*k)) =>
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
                Rule::TeamDataInvalid,
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
    /// The text the entries are in (what was not read emptied), and its lines.
    text: &'a str,
    index: &'a LineIndex,
    /// Where the section's value is written: the place of what has no better one.
    key_pos: Pos,
    /// Where the entries are written, one per item or key, when the value is a block.
    places: Option<&'a Pieces>,
}

/// One entry of a section: its fields, where it starts, and (when it was found in the text)
/// the byte offsets of the entry and of the end of its lines.
struct RawEntry {
    map: Mapping,
    source: Source,
    place: Option<Range<usize>>,
}

/// The entries of a `people`/`teams`/`roles` value: a list of mappings with `id`, or a mapping
/// keyed by id. Each comes with its place in the text: the n-th item of a block list at the
/// n-th `- `, an entry keyed by id at its key.
fn entries(value: Value, ctx: &EntryCtx, diags: &mut Vec<Diagnostic>) -> Vec<RawEntry> {
    let bad = |diags: &mut Vec<Diagnostic>, pos: Pos, msg: &str| {
        diags.push(Diagnostic::error(Rule::TeamDataInvalid, ctx.file, msg.to_string()).at(pos));
    };
    let raw = |map: Mapping, piece: Option<&yaml::Piece>| {
        let place = piece.map(|p| p.start(ctx.text)..p.bytes.end);
        RawEntry {
            map,
            source: Source {
                file: ctx.file.to_path_buf(),
                pos: place
                    .as_ref()
                    .map_or(ctx.key_pos, |p| ctx.index.pos(ctx.text, p.start)),
                fields: Vec::new(),
            },
            place,
        }
    };
    match value {
        Value::Sequence(items) => {
            let places = ctx
                .places
                .filter(|p| p.list && p.pieces.len() == items.len());
            items
                .into_iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let piece = places.map(|p| &p.pieces[i]);
                    match item {
                        Value::Mapping(m) => {
                            let entry = raw(m, piece);
                            if entry
                                .map
                                .get("id")
                                .and_then(|v| yaml::scalar_text(v, AsText::TrimmedStringsNumbers))
                                .is_none()
                            {
                                let msg = match entry.map.get("name").and_then(|v| {
                                    yaml::scalar_text(v, AsText::TrimmedStringsNumbers)
                                }) {
                                    Some(name) => format!("the entry `{name}` has no `id`"),
                                    None => "an entry has no `id`".to_string(),
                                };
                                bad(diags, entry.source.pos, &msg);
                                return None;
                            }
                            Some(entry)
                        }
                        _ => {
                            let at = raw(Mapping::new(), piece).source.pos;
                            bad(diags, at, "each entry must be a mapping with an `id`");
                            None
                        }
                    }
                })
                .collect()
        }
        Value::Mapping(map) => {
            let mut places: HashMap<&str, &yaml::Piece> = HashMap::new();
            for p in ctx
                .places
                .filter(|p| !p.list)
                .map_or(&[][..], |p| &p.pieces)
            {
                if let Some(k) = &p.key {
                    places.entry(k.as_str()).or_insert(p);
                }
            }
            map.into_iter()
                .filter_map(|(k, v)| {
                    let id = yaml::scalar_text(&k, AsText::TrimmedStringsNumbers)?;
                    let piece = places.get(id.as_str()).copied();
                    let mut entry = raw(Mapping::new(), piece);
                    entry.map = match v {
                        Value::Mapping(m) => m,
                        Value::Null => Mapping::new(),
                        _ => {
                            let msg = format!("the entry `{id}` must be a mapping");
                            bad(diags, entry.source.pos, &msg);
                            return None;
                        }
                    };
                    entry.map.insert(Value::from("id"), Value::from(id));
                    Some(entry)
                })
                .collect()
        }
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

/// Takes typed fields out of an entry, recording where each value is written and reporting a
/// wrong one there.
struct Entry<'a> {
    map: Mapping,
    source: Source,
    /// The entry's keys in the text, with where their values are (empty when the entry was not
    /// found in the text: a flow list, say).
    keys: Vec<yaml::KeyAt>,
    /// The bytes of the entry's lines.
    place: Option<Range<usize>>,
    ctx: &'a EntryCtx<'a>,
    diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Entry<'a> {
    fn new(raw: RawEntry, ctx: &'a EntryCtx<'a>, diags: &'a mut Vec<Diagnostic>) -> Self {
        let keys = (raw.place.as_ref())
            .map(|p| yaml::entry_keys(ctx.text, p.start))
            .unwrap_or_default();
        Entry {
            map: raw.map,
            source: raw.source,
            keys,
            place: raw.place,
            ctx,
            diags,
        }
    }

    /// The byte offset of the value of `key`, when it is written in the entry's text.
    fn value_at(&self, key: &str) -> Option<usize> {
        self.keys.iter().find(|k| k.name == key).map(|k| k.value)
    }

    /// Where the value of `key` is written, else where the entry starts.
    fn pos(&self, key: &str) -> Pos {
        self.value_at(key)
            .map_or(self.source.pos, |at| self.ctx.index.pos(self.ctx.text, at))
    }

    fn error(&mut self, key: &str, msg: String) {
        let at = self.pos(key);
        self.bad_at(at, msg);
    }

    fn bad_at(&mut self, at: Pos, msg: String) {
        self.diags
            .push(Diagnostic::error(Rule::TeamDataInvalid, &self.source.file, msg).at(at));
    }

    /// The value of `key`, its place recorded.
    fn take(&mut self, key: &'static str) -> Option<Value> {
        let v = self.map.remove(key)?;
        let at = self.pos(key);
        self.source.fields.push((key, at));
        Some(v)
    }

    fn string(&mut self, key: &'static str) -> Option<String> {
        let v = self.take(key)?;
        match yaml::scalar_text(&v, AsText::TrimmedStringsNumbers) {
            Some(s) => Some(s),
            None if v.is_null() => None,
            None => {
                self.error(key, format!("`{key}` must be a single value"));
                None
            }
        }
    }

    fn date(&mut self, key: &'static str) -> Option<Day> {
        let s = self.string(key)?;
        match s.parse() {
            Ok(d) => Some(d),
            Err(m) => {
                self.error(key, format!("`{key}`: {m}"));
                None
            }
        }
    }

    fn list<T: for<'de> Deserialize<'de>>(&mut self, key: &'static str) -> Vec<T> {
        let Some(v) = self.take(key) else {
            return Vec::new();
        };
        if v.is_null() {
            return Vec::new();
        }
        match yaml::from_value(v) {
            Ok(list) => list,
            Err(m) => {
                self.error(key, format!("`{key}`: {m}"));
                Vec::new()
            }
        }
    }

    /// Where each item of the block list under `key` starts, when it is one.
    fn items(&self, key: &str) -> Vec<usize> {
        match (self.value_at(key), &self.place) {
            (Some(at), Some(place)) => yaml::list_items(self.ctx.text, at, place.end),
            _ => Vec::new(),
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

fn person(raw: RawEntry, ctx: &EntryCtx, diags: &mut Vec<Diagnostic>) -> Option<Person> {
    let mut e = Entry::new(raw, ctx, diags);
    let id = e.string("id")?;
    let name = e.string("name").unwrap_or_else(|| id.clone());
    // Both are read, so that `reports_to` beside `manager` is not left over as an extra field.
    let reports_to = e.string("reports_to");
    let manager = match e.string("manager") {
        Some(m) => Some(m),
        None => {
            if reports_to.is_some() {
                let at = e.source.at("reports_to");
                e.source.fields.push(("manager", at));
            }
            reports_to
        }
    };
    let raw_certs: Vec<RawCertification> = e.list("certifications");
    let items = e.items("certifications");
    let mut certifications = Vec::with_capacity(raw_certs.len());
    for (i, c) in raw_certs.into_iter().enumerate() {
        // At its `expires`, else at the certification, else at the list.
        let item = items.get(i).copied();
        let expires_at = item.and_then(|at| {
            (yaml::entry_keys(ctx.text, at).into_iter())
                .find(|k| k.name == "expires")
                .map(|k| k.value)
        });
        let pos = match expires_at.or(item) {
            Some(at) => ctx.index.pos(ctx.text, at),
            None => e.source.at("certifications"),
        };
        let expires = match c.expires.as_deref().map(str::parse::<Day>) {
            Some(Ok(d)) => Some(d),
            Some(Err(m)) => {
                e.diags.push(
                    Diagnostic::error(
                        Rule::TeamDataInvalid,
                        &e.source.file,
                        format!("certification `{}`: {m}", c.name),
                    )
                    .at(pos),
                );
                None
            }
            None => None,
        };
        certifications.push(Certification {
            name: c.name,
            expires,
            pos,
        });
    }
    let email = e.string("email");
    let role = e.string("role");
    let team = e.string("team");
    let joined = e.date("joined");
    let left = e.date("left");
    let chat = e.string("chat");
    let phone = e.string("phone");
    let absences = absences(&mut e);
    Some(Person {
        id,
        name,
        email,
        role,
        team,
        manager,
        joined,
        left,
        chat,
        phone,
        certifications,
        absences,
        source: e.source.clone(),
        extra: e.extra(),
    })
}

/// The fields of each item of the list under `key`, as text, with where each item starts;
/// an item that is not a mapping of plain values is reported and left out.
fn records(e: &mut Entry, key: &'static str, what: &str) -> Vec<(BTreeMap<String, String>, Pos)> {
    let Some(value) = e.take(key) else {
        return Vec::new();
    };
    let items = e.items(key);
    let list = match value {
        Value::Sequence(list) => list,
        Value::Null => return Vec::new(),
        _ => {
            e.error(key, format!("`{key}` must be a list of {what}"));
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.into_iter().enumerate() {
        let pos = match items.get(i) {
            Some(&at) => e.ctx.index.pos(e.ctx.text, at),
            None => e.source.at(key),
        };
        let fields: Option<BTreeMap<String, String>> = match item {
            Value::Mapping(m) => m
                .into_iter()
                .map(|(k, v)| {
                    let k = yaml::scalar_text(&k, AsText::TrimmedStringsNumbers)?;
                    let text = |v: &Value| yaml::scalar_text(v, AsText::TrimmedStringsNumbers);
                    // A list of plain values (`days: [sat, sun]`) reads as they are written
                    // in one value (`sat,sun`).
                    let v = match &v {
                        Value::Sequence(items) => items
                            .iter()
                            .map(text)
                            .collect::<Option<Vec<_>>>()?
                            .join(","),
                        v => text(v)?,
                    };
                    Some((k, v))
                })
                .collect(),
            _ => None,
        };
        match fields {
            Some(f) => out.push((f, pos)),
            None => e.diags.push(
                Diagnostic::error(
                    Rule::TeamDataInvalid,
                    &e.source.file,
                    format!("each of `{key}` must be one of {what}"),
                )
                .at(pos),
            ),
        }
    }
    out
}

/// A person's `absences: [{from: 2026-12-24, to: 2027-01-02}]` (one day when `to` is left out).
fn absences(e: &mut Entry) -> Vec<Absence> {
    let mut out = Vec::new();
    for (f, pos) in records(e, "absences", "`{from: YYYY-MM-DD, to: YYYY-MM-DD}`") {
        let day = |k: &str| f.get(k).map(|v| v.parse::<Day>());
        match (day("from"), day("to")) {
            (Some(Ok(from)), None) => out.push(Absence { from, to: from }),
            (Some(Ok(from)), Some(Ok(to))) if to >= from => out.push(Absence { from, to }),
            (Some(Ok(_)), Some(Ok(_))) => e.bad_at(pos, "an absence ends before it starts".into()),
            (Some(Err(m)), _) | (_, Some(Err(m))) => e.bad_at(pos, format!("absence: {m}")),
            (None, _) => e.bad_at(pos, "an absence needs its first day, `from`".into()),
        }
    }
    out
}

/// A local time as a rota is written: `2026-11-02 09:00` (or `T` between), or a day alone
/// (its midnight).
pub fn parse_local_time(s: &str) -> Result<Wall, String> {
    let s = s.trim();
    let bad = || format!("`{s}` is not a local time; write e.g. `2026-11-02 09:00`");
    let (day, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let day: Day = day.parse()?;
    match time {
        Some(t) => {
            let t = t.parse::<jiff::civil::Time>().map_err(|_| bad())?;
            Wall::from_civil(day.0.to_datetime(t)).ok_or_else(bad)
        }
        None => Wall::midnight(day).ok_or_else(bad),
    }
}

fn rotation(raw: RawEntry, ctx: &EntryCtx, diags: &mut Vec<Diagnostic>) -> Option<Rotation> {
    let mut e = Entry::new(raw, ctx, diags);
    let id = e.string("id")?;
    let name = e.string("name").unwrap_or_else(|| id.clone());
    let team = e.string("team");
    let timezone = e.string("timezone");
    let zone = match timezone.as_deref().map(TimeZone::get) {
        Some(Ok(zone)) => zone,
        Some(Err(_)) => {
            let msg = format!(
                "`{}` is not a time zone; write an IANA name such as `Europe/London` or `America/New_York`",
                timezone.as_deref().unwrap_or_default()
            );
            e.error("timezone", msg);
            TimeZone::UTC
        }
        None => TimeZone::UTC,
    };
    let timezone = match timezone {
        Some(t) if zone != TimeZone::UTC || t.eq_ignore_ascii_case("utc") => t,
        _ => "UTC".to_string(),
    };
    let start = match e.string("start").map(|s| parse_local_time(&s)) {
        Some(Ok(w)) => Some(w),
        Some(Err(m)) => {
            e.error("start", format!("`start`: {m}"));
            None
        }
        None => {
            e.error(
                "id",
                format!("rotation `{id}` needs its first hand-off, `start: 2026-11-02 09:00`"),
            );
            None
        }
    };
    let shift = match e.string("shift").map(|s| s.parse::<Shift>()) {
        Some(Ok(s)) => Some(s),
        Some(Err(m)) => {
            e.error("shift", m);
            None
        }
        None => {
            e.error(
                "id",
                format!("rotation `{id}` needs its shift length, `shift: 1 week`"),
            );
            None
        }
    };
    let mut windows = Vec::new();
    for (f, pos) in records(
        &mut e,
        "windows",
        "`{days: mon-fri, from: \"09:00\", to: \"17:00\"}`",
    ) {
        let text = format!(
            "{} {}-{}",
            f.get("days").map_or("", String::as_str),
            f.get("from").map_or("", String::as_str),
            f.get("to").map_or("", String::as_str)
        );
        match text.parse::<Window>() {
            Ok(w) => windows.push(w),
            Err(_) => e.bad_at(
                pos,
                "a coverage window is `{days: mon-fri, from: \"18:00\", to: \"08:00\"}` (days: mon-fri, sat,sun, daily...)".into(),
            ),
        }
    }
    let coverage = match e.string("coverage").as_deref().map(str::to_ascii_lowercase) {
        _ if !windows.is_empty() => Coverage::Windows(windows),
        None => Coverage::Always,
        Some(c) if matches!(c.as_str(), "24x7" | "24/7" | "always") => Coverage::Always,
        Some(c)
            if matches!(
                c.as_str(),
                "business-hours" | "business hours" | "office-hours"
            ) =>
        {
            Coverage::business_hours()
        }
        Some(c) => {
            e.error(
                "coverage",
                format!("coverage `{c}`: write `24x7` or `business-hours`, or give `windows`"),
            );
            Coverage::Always
        }
    };
    let members = e.list("members");
    let requires = e.list("requires");
    let mut overrides = Vec::new();
    for (f, pos) in records(
        &mut e,
        "overrides",
        "`{from: 2026-12-21 09:00, to: 2026-12-28 09:00, person: id}`",
    ) {
        let time = |k: &str| f.get(k).map(|v| parse_local_time(v));
        match (time("from"), time("to"), f.get("person")) {
            (Some(Ok(from)), Some(Ok(to)), Some(person)) if from < to => overrides.push(Override {
                from,
                to,
                person: person.clone(),
                pos,
            }),
            (Some(Ok(_)), Some(Ok(_)), Some(_)) => {
                e.bad_at(pos, "an override must end after it starts".into())
            }
            (Some(Err(m)), _, _) | (_, Some(Err(m)), _) => e.bad_at(pos, format!("override: {m}")),
            _ => e.bad_at(pos, "an override names `from`, `to` and `person`".into()),
        }
    }
    let escalates_to = e.string("escalates_to");
    Some(Rotation {
        id,
        name,
        team,
        coverage,
        timezone,
        zone,
        start,
        shift,
        members,
        requires,
        overrides,
        escalates_to,
        source: e.source.clone(),
        extra: e.extra(),
    })
}

fn team(raw: RawEntry, ctx: &EntryCtx, diags: &mut Vec<Diagnostic>) -> Option<Team> {
    let mut e = Entry::new(raw, ctx, diags);
    let id = e.string("id")?;
    let name = e.string("name").unwrap_or_else(|| id.clone());
    let lead = e.string("lead");
    let description = e.string("description");
    Some(Team {
        id,
        name,
        lead,
        description,
        source: e.source.clone(),
        extra: e.extra(),
    })
}

fn role(raw: RawEntry, ctx: &EntryCtx, diags: &mut Vec<Diagnostic>) -> Option<Role> {
    let mut e = Entry::new(raw, ctx, diags);
    let id = e.string("id")?;
    let title = e.string("title").unwrap_or_else(|| id.clone());
    let summary = e.string("summary");
    let responsibilities = e.list("responsibilities");
    let certifications = e.list("certifications");
    let required_reading = e.list("required_reading");
    Some(Role {
        id,
        title,
        summary,
        responsibilities,
        certifications,
        required_reading,
        source: e.source.clone(),
        extra: e.extra(),
    })
}

/// The records of an `acknowledgements:` list, each placed at its item; one without a person
/// or a document is reported and left out.
fn acknowledgements(
    value: Value,
    ctx: &EntryCtx,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Acknowledgement> {
    let items = match value {
        Value::Sequence(items) => items,
        Value::Null => return Vec::new(),
        _ => {
            diags.push(
                Diagnostic::error(
                    Rule::TeamDataInvalid,
                    ctx.file,
                    "`acknowledgements` must be a list of records like `{person: dana, document: POL-001, date: 2026-09-10}`",
                )
                .at(ctx.key_pos),
            );
            return Vec::new();
        }
    };
    let places = ctx
        .places
        .filter(|p| p.list && p.pieces.len() == items.len());
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let place = places.map(|p| p.pieces[i].start(ctx.text)..p.pieces[i].bytes.end);
        let pos = (place.as_ref()).map_or(ctx.key_pos, |p| ctx.index.pos(ctx.text, p.start));
        let Value::Mapping(map) = item else {
            diags.push(
                Diagnostic::error(
                    Rule::TeamDataInvalid,
                    ctx.file,
                    "each acknowledgement must be a mapping with `person`, `document` and `date`",
                )
                .at(pos),
            );
            continue;
        };
        let raw = RawEntry {
            map,
            source: Source {
                file: ctx.file.to_path_buf(),
                pos,
                fields: Vec::new(),
            },
            place,
        };
        let mut e = Entry::new(raw, ctx, diags);
        let person = e.string("person");
        let document = e.string("document");
        let version = e.string("version");
        let dated = e.map.get("date").is_some_and(|v| !v.is_null());
        // A record without a readable date is kept (what it names is still checked) but
        // acknowledges nothing.
        let date = e.date("date");
        let (Some(person), Some(document)) = (person, document) else {
            e.error(
                "person",
                "an acknowledgement names a `person` and a `document`".into(),
            );
            continue;
        };
        if !dated {
            let msg = "an acknowledgement needs the `date` it was made; without one it counts for nothing";
            e.diags.push(
                Diagnostic::error(Rule::TeamDataInvalid, &e.source.file, msg).at(e.source.pos),
            );
        }
        out.push(Acknowledgement {
            person,
            document,
            version,
            date,
            source: e.source.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{Shape, PERSON_FIELDS, ROLE_FIELDS, ROTATION_FIELDS, TEAM_FIELDS};

    fn load(text: &str) -> (TeamData, Vec<Diagnostic>) {
        let mut data = TeamData::default();
        let mut diags = Vec::new();
        data.add_file(Path::new("data/team.yaml"), text, true, &mut diags);
        (data, diags)
    }

    #[test]
    fn acknowledgements_and_required_reading_are_read_with_their_places() {
        let mut data = TeamData::default();
        let mut diags = Vec::new();
        data.add_file(
            Path::new("data/acks.yaml"),
            "roles:\n  sre:\n    required_reading: [POL-001, kind:policy]\nacknowledgements:\n  # annual\n  - {person: dana, document: POL-001, version: \"3\", date: 2026-09-10}\n  - person: eli\n    document: content/sops/patching.md\n    date: 2026-13-01\n  - person: fay\n",
            false,
            &mut diags,
        );
        assert_eq!(data.roles[0].required_reading, ["POL-001", "kind:policy"]);
        let acks = &data.acknowledgements;
        assert_eq!(acks.len(), 2, "{diags:?}");
        assert_eq!(
            (
                acks[0].person.as_str(),
                acks[0].version.as_deref(),
                acks[0].source.pos.line
            ),
            ("dana", Some("3"), 6)
        );
        assert_eq!(acks[0].date, "2026-09-10".parse().ok());
        assert_eq!(
            (acks[1].document.as_str(), acks[1].date),
            ("content/sops/patching.md", None)
        );
        // The impossible date at its value; the record without a document at its item.
        let at: Vec<(u32, u32)> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(9, 11), (10, 13)], "{diags:?}");
    }

    #[test]
    fn a_broken_acknowledgement_loses_only_itself() {
        let mut data = TeamData::default();
        let mut diags = Vec::new();
        data.add_file(
            Path::new("data/acks.yaml"),
            "acknowledgements:\n  - {person: dana, document: POL-001, date: 2026-09-10}\n  - {person: eli, document: POL-001, date: 2026-09-11\n  - person: fay\n    document: POL-002\n    date: 2026-09-12\n",
            false,
            &mut diags,
        );
        let people: Vec<_> = (data.acknowledgements.iter())
            .map(|a| (a.person.as_str(), a.source.pos.line))
            .collect();
        assert_eq!(people, [("dana", 2), ("fay", 4)], "{diags:?}");
        let at: Vec<u32> = diags.iter().map(|d| d.line).collect();
        assert_eq!(at, [3], "{diags:?}");
    }

    #[test]
    fn rotations_and_absences_are_read_with_their_places() {
        let (d, diags) = load(
            "people:\n  - id: ben\n    phone: \"+44 20 7946 0000\"\n    absences:\n      - {from: 2026-12-24, to: 2027-01-02}\n      - {from: 2027-02-01}\n      - {from: 2027-03-05, to: 2027-03-01}\nrotations:\n  - id: platform-primary\n    name: Platform primary\n    timezone: Europe/London\n    start: 2026-11-02 09:00\n    shift: 1 week\n    members: [ben, cleo]\n    requires: [on-call-basics]\n    overrides:\n      - {from: 2026-12-21 09:00, to: 2026-12-28 09:00, person: amara}\n      - {from: 2026-12-29, to: 2026-12-28, person: amara}\n  - id: nights\n    windows: [{days: mon-fri, from: \"18:00\", to: \"08:00\"}]\n    timezone: Mars/Olympus\n    start: 2026-11-02T18:00\n    shift: 1 fortnight\n",
        );
        let ben = d.person("ben").unwrap();
        assert_eq!(ben.phone.as_deref(), Some("+44 20 7946 0000"));
        let days: Vec<String> = (ben.absences.iter())
            .map(|a| format!("{}..{}", a.from, a.to))
            .collect();
        assert_eq!(days, ["2026-12-24..2027-01-02", "2027-02-01..2027-02-01"]);
        let p = &d.rotations[0];
        assert_eq!(
            (
                p.timezone.as_str(),
                p.start.unwrap().to_string(),
                p.shift.unwrap().to_string()
            ),
            (
                "Europe/London",
                "2026-11-02 09:00".to_string(),
                "1 week".to_string()
            )
        );
        assert_eq!(p.coverage, Coverage::Always);
        assert_eq!((p.overrides.len(), p.overrides[0].pos.line), (1, 17));
        let n = &d.rotations[1];
        assert!(matches!(n.coverage, Coverage::Windows(ref w) if w.len() == 1));
        assert_eq!((n.timezone.as_str(), n.shift), ("UTC", None));
        // The backwards absence and override, the unknown zone, the unknown shift length.
        let found: Vec<(u32, &str)> = (diags.iter())
            .map(|d| (d.line, &d.message[..d.message.len().min(24)]))
            .collect();
        assert_eq!(
            found,
            [
                (7, "an absence ends before i"),
                (18, "an override must end aft"),
                (21, "`Mars/Olympus` is not a "),
                (23, "`1 fortnight` is not a s"),
            ],
            "{diags:?}"
        );
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
            "people:\n  x:\n{}teams:\n  t:\n{}roles:\n  r:\n{}rotations:\n  o:\n{}",
            entry(PERSON_FIELDS),
            entry(TEAM_FIELDS),
            entry(ROLE_FIELDS),
            entry(ROTATION_FIELDS)
        );
        let (d, diags) = load(&text);
        assert!(diags.is_empty(), "{diags:?}\n{text}");
        assert!(
            d.rotations[0].extra.is_empty(),
            "{:?}",
            d.rotations[0].extra
        );
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
        let got: Vec<_> = (diags.iter())
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(got.len(), 3, "{got:?}");
        // A bad value at the value, the entry's own problems at the entry.
        assert!(
            got.contains(&(3, 13, "`joined`: `2024-02-30` is not a real date")),
            "{got:?}"
        );
        assert!(
            got.contains(&(4, 3, "duplicate person id `ana`")),
            "{got:?}"
        );
        assert!(
            got.contains(&(5, 3, "the entry `nobody` has no `id`")),
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

    fn ids(d: &TeamData) -> Vec<&str> {
        d.people.iter().map(|p| p.id.as_str()).collect()
    }

    fn found(diags: &[Diagnostic]) -> Vec<(u32, u32, &str)> {
        (diags.iter())
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect()
    }

    #[test]
    fn an_item_without_the_space_after_its_dash_loses_only_itself() {
        for indent in ["", "  "] {
            let text = format!("people:\n{indent}- id: al\n{indent}  name: Al\n{indent}-id: dave\n{indent}  name: Dave\n{indent}- id: erin\nteams:\n  - id: ops\n");
            let (d, diags) = load(&text);
            assert_eq!(ids(&d), ["al", "erin"], "{text}");
            assert!(d.team("ops").is_some());
            let column = indent.len() as u32 + 1;
            assert_eq!(
                found(&diags),
                [(
                    4,
                    column,
                    "not valid YAML: a list item needs a space after its `-`"
                )],
                "{text}"
            );
            assert_eq!(diags[0].help.as_deref(), Some("write `- id: dave`"));
        }
    }

    #[test]
    fn a_section_indented_between_levels_is_reported_and_read_as_itself() {
        let text = "people:\n  - id: alice\n    name: Alice\n  - id: bob\n    name: Bob\n teams:\n  - id: plat\n    name: Platform\n    lead: alice\n";
        let (d, diags) = load(text);
        assert_eq!(ids(&d), ["alice", "bob"]);
        assert_eq!(d.team("plat").unwrap().source.pos, Pos::new(7, 3));
        assert_eq!(d.team("plat").unwrap().source.at("lead"), Pos::new(9, 11));
        assert_eq!(
            found(&diags),
            [(6, 2, "`teams:` is indented less than the `people` entries above it and more than `people:`, so it belongs to neither")]
        );
        assert_eq!(
            diags[0].help.as_deref(),
            Some("move it to column 1 to start a section of its own, or to column 3 to go with the entries above")
        );
        // A stray line that opens no section is reported and not read as anyone.
        let (d, diags) = load("people:\n  - id: a\n - id: b\n  - id: c\n");
        assert_eq!(ids(&d), ["a"]);
        assert_eq!((diags[0].line, diags[0].column), (3, 2));
    }

    #[test]
    fn an_alias_to_another_entrys_anchor_is_read() {
        let text = "people:\n  - id: al\n    certifications: &std\n      - name: First aid\n  - id: bo\n    name: \"Bo\n  - id: cy\n    certifications: *std\nroles:\n  sre:\n    certifications: [First aid]\n    responsibilities: *resp\n";
        let (d, diags) = load(text);
        assert_eq!(ids(&d), ["al", "cy"]);
        assert_eq!(d.person("cy").unwrap().certifications[0].name, "First aid");
        assert_eq!(d.person("cy").unwrap().source.pos, Pos::new(7, 3));
        // The alias whose anchor is nowhere is reported; the rest is read.
        let got: Vec<_> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(got, [(6, 11), (12, 23)], "{diags:?}");
        assert!(d.roles.is_empty());
        // An entry with an alias and a key written twice: both resolved, one warning.
        let text = "people:\n  - id: al\n    certifications: &std\n      - name: A\n  - id: bo\n    name: [Bo\n  - id: cy\n    email: a@x\n    certifications: *std\n    email: b@x\n";
        let (d, diags) = load(text);
        assert_eq!(ids(&d), ["al", "cy"]);
        let cy = d.person("cy").unwrap();
        assert_eq!(
            (cy.email.as_deref(), cy.certifications.len()),
            (Some("b@x"), 1)
        );
        assert_eq!(cy.source.at("email"), Pos::new(10, 12));
        let got: Vec<_> = diags
            .iter()
            .map(|d| (d.line, d.severity.to_string()))
            .collect();
        assert_eq!(
            got,
            [(6, "error".into()), (10, "warning".into())],
            "{diags:?}"
        );
        // An anchor set in a broken entry cannot be read: the alias's entry says so.
        let (d, diags) =
            load("people:\n  - id: al\n    x: &a [1\n  - id: bo\n    x: *a\n  - id: cy\n");
        assert_eq!(ids(&d), ["cy"]);
        assert_eq!(diags.len(), 2, "{diags:?}");
    }

    #[test]
    fn a_key_given_twice_in_an_entry_keeps_its_last_value_with_a_warning() {
        let text = "people:\n  - id: al\n    name: Al\n  - id: erin\n    name: Erin\n    email: erin@example.org\n    email: erin.new@example.org\n";
        let (d, diags) = load(text);
        assert_eq!(
            d.person("erin").unwrap().email.as_deref(),
            Some("erin.new@example.org")
        );
        assert_eq!(
            found(&diags),
            [(7, 5, "`email` is given twice (first on line 6); the last one is used, as YAML readers do")]
        );
        assert_eq!(diags[0].severity, crate::rules::Severity::Warning);
        // Positions are the kept value's.
        let (d, _) = load("people:\n  - id: al\n    manager: x\n    manager: bo\n");
        assert_eq!(
            d.person("al").unwrap().source.at("manager"),
            Pos::new(4, 14)
        );
    }

    #[test]
    fn fields_are_placed_at_their_values() {
        let text = "people:\n  - id: al\n    team: ops\n    certifications:\n      - name: A\n        expires: 2027-01-01\n      - name: B\n  - id: bo\n    reports_to: al\n    certifications: [{name: C, expires: 2020-01-01}]\n";
        let (d, diags) = load(text);
        assert!(diags.is_empty(), "{diags:?}");
        let al = d.person("al").unwrap();
        assert_eq!(al.source.at("team"), Pos::new(3, 11));
        let certs: Vec<_> = al.certifications.iter().map(|c| c.pos).collect();
        assert_eq!(certs, [Pos::new(6, 18), Pos::new(7, 7)]);
        let bo = d.person("bo").unwrap();
        assert_eq!(bo.source.at("manager"), Pos::new(9, 17));
        // A flow list: its items are not placed one by one.
        assert_eq!(bo.certifications[0].pos, Pos::new(10, 21));
        assert_eq!(bo.source.at("email"), bo.source.pos);
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
