//! Required reading and acknowledgements: who must read which documents in force (their role's
//! `required_reading`, and handbook.yaml's for everyone or their team), and whether each has
//! acknowledged the version in force, is still within the time allowed, or is late.
//!
//! Worked out once from the model and the team data ([`Site::reading`]); `check` reports from
//! it, and the pages and `report` read the same facts.

use std::collections::{BTreeSet, HashMap};

use crate::dates::{Day, Interval};
use crate::model::{Kind, Status};
use crate::team::Acknowledgement;

use super::model::{PageId, Site};

/// What a selector of required reading names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// A document id (`POL-001`).
    Id(String),
    /// A path from the handbook root (`content/sops/patching.md`).
    Path(String),
    Kind(Kind),
    Tag(String),
}

impl Selector {
    /// `kind:policy`, `tag:security`, a path (it has a `/` or a Markdown extension), else an id.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let s = s.trim();
        if let Some(kind) = s.strip_prefix("kind:") {
            return kind.trim().parse().map(Selector::Kind);
        }
        if let Some(tag) = s.strip_prefix("tag:") {
            return Ok(Selector::Tag(tag.trim().to_string()));
        }
        if s.contains('/') || s.ends_with(".md") {
            return Ok(Selector::Path(s.trim_start_matches("./").to_string()));
        }
        Ok(Selector::Id(s.to_string()))
    }
}

/// Where a person stands with one document they must read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// Acknowledged in its version in force (and recently enough, when acknowledgements are
    /// asked again every so often).
    Current,
    /// Not yet, and still within the time allowed.
    Due,
    /// Not, and the time allowed has passed.
    Late,
}

/// One person's duty to read one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duty {
    /// Index into the team data's people.
    pub person: usize,
    pub page: PageId,
    pub standing: Standing,
    /// The last day of the time allowed; `None` when nothing dates it (no effective date,
    /// review or commit, and no joining date): then it is late at once.
    pub due: Option<Day>,
    /// The version the person last acknowledged, when it is not the one in force.
    pub read_version: Option<String>,
    /// The date of the acknowledgement that counts, else of the person's newest of the
    /// document, if any.
    pub acknowledged: Option<Day>,
    /// The version that acknowledgement names, if it names one.
    pub acknowledged_version: Option<String>,
    /// When acknowledgements must be renewed (`reacknowledge_every`), the first day the
    /// current acknowledgement no longer counts: from then on the duty is due by `due`.
    pub lapses: Option<Day>,
}

/// A record or selector that names nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// An acknowledgement (its index) naming no person of the team data.
    Person(usize),
    /// An acknowledgement (its index) naming no document of the handbook.
    Document(usize),
    /// An acknowledgement (its index) of a version later than the document's in force: a
    /// version it has not had.
    Version(usize),
    /// A key of handbook.yaml's `required_reading` that is neither `everyone` nor a team id.
    Group(String),
    /// A role's (by index) or handbook.yaml's (`None`, with the key) selector naming nothing.
    Selector {
        role: Option<usize>,
        key: String,
        selector: String,
        why: String,
    },
}

/// Every duty, by document then person, and what names nothing.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub duties: Vec<Duty>,
    pub unknown: Vec<Unknown>,
    /// Each person's duties (indexes into `duties`), by their index in the team data.
    by_person: Vec<Vec<usize>>,
    /// What each role's holders must read because of the role, by the role's index.
    pub by_role: Vec<Vec<PageId>>,
    /// The document each acknowledgement names (in force or not), by the record's index.
    pub ack_page: Vec<Option<PageId>>,
}

impl Reading {
    /// The duties of `page`.
    /// The duties of the person at `person` in the team data, in document order.
    pub fn of_person(&self, person: usize) -> impl Iterator<Item = &Duty> {
        (self.by_person.get(person).into_iter().flatten()).map(|&i| &self.duties[i])
    }

    pub fn of_page(&self, page: PageId) -> &[Duty] {
        let start = self.duties.partition_point(|d| d.page < page);
        let end = self.duties.partition_point(|d| d.page <= page);
        &self.duties[start..end]
    }
}

/// Orders two versions written as dotted numbers (`3`, `2.10`, `v1.2.0`; `3` and `3.0` are
/// equal); `None` when either is written otherwise (`draft-2`), which has no order.
pub fn compare_versions(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    fn parts(v: &str) -> Option<Vec<u64>> {
        let v = v.trim();
        let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
        let mut parts = (v.split('.'))
            .map(|p| p.parse::<u64>().ok())
            .collect::<Option<Vec<u64>>>()?;
        while parts.len() > 1 && parts.last() == Some(&0) {
            parts.pop();
        }
        Some(parts)
    }
    Some(parts(a)?.cmp(&parts(b)?))
}

/// Whether two versions are the same: equal as dotted numbers (`3` and `3.0`), else as text.
pub fn versions_match(a: &str, b: &str) -> bool {
    match compare_versions(a, b) {
        Some(order) => order == std::cmp::Ordering::Equal,
        None => a.trim() == b.trim(),
    }
}

/// Whether an acknowledgement made on its date still counts on `on`: always, unless
/// acknowledgements must be renewed `every` so often and that has run out.
pub fn acknowledgement_fresh(every: Option<Interval>, a: &Acknowledgement, on: Day) -> bool {
    match (every, a.date) {
        (Some(every), Some(date)) => every.after(date).is_some_and(|d| d > on),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

impl Site {
    /// Whether record `a` acknowledges the text in force of `page`: its version when the
    /// document has one, else a record made on or after the day the text took effect. A record
    /// without a date acknowledges nothing.
    pub fn acknowledges_text_in_force(&self, page: PageId, a: &Acknowledgement) -> bool {
        let Some(date) = a.date else { return false };
        let version = self.pages[page]
            .doc
            .as_ref()
            .and_then(|d| d.front.version.as_deref());
        match version {
            Some(v) => a
                .version
                .as_deref()
                .is_some_and(|read| versions_match(read, v)),
            None => self.in_force_since(page).is_none_or(|since| date >= since),
        }
    }

    /// The day the text in force of `page` took effect: its `effective` date, else its last
    /// review, else its last commit.
    pub fn in_force_since(&self, page: PageId) -> Option<Day> {
        let p = &self.pages[page];
        let doc = p.doc.as_ref()?;
        doc.front
            .effective
            .or(doc.front.last_reviewed.as_ref().map(|d| d.value))
            .or(p.revisions.first().map(|r| r.date))
    }

    /// Who must read what, and where each stands, on the model's date: worked out once.
    pub fn reading(&self) -> &Reading {
        self.reading.get_or_init(|| self.work_out_reading())
    }

    fn work_out_reading(&self) -> Reading {
        let as_of = self.options.as_of;
        let team = &self.team;
        let mut out = Reading::default();
        // The documents in force, by what selectors and records name them.
        let readable: Vec<PageId> = (self.pages.iter())
            .filter(|p| p.in_force() && p.status() != Status::Deprecated && p.is_document())
            .map(|p| p.id)
            .collect();
        let mut by_id: HashMap<&str, PageId> = HashMap::new();
        let mut by_path: HashMap<String, PageId> = HashMap::new();
        for &id in &readable {
            let doc = self.pages[id]
                .doc
                .as_ref()
                .expect("documents in force have one");
            if let Some(i) = &doc.front.id {
                by_id.entry(i.value.as_str()).or_insert(id);
            }
            let path = crate::diagnostic::display_path(&doc.file);
            by_path.insert(path.trim_start_matches("./").to_string(), id);
        }
        let select = |selector: &Selector| -> Vec<PageId> {
            match selector {
                Selector::Id(i) => by_id.get(i.as_str()).copied().into_iter().collect(),
                Selector::Path(p) => by_path.get(p.as_str()).copied().into_iter().collect(),
                Selector::Kind(k) => (readable.iter().copied())
                    .filter(|&id| self.pages[id].kind() == *k)
                    .collect(),
                Selector::Tag(t) => (readable.iter().copied())
                    .filter(|&id| {
                        let tags = &self.pages[id].doc.as_ref().expect("a document").front.tags;
                        tags.iter().any(|x| x.eq_ignore_ascii_case(t))
                    })
                    .collect(),
            }
        };
        for key in self.config.required_reading.keys() {
            let a_team = team.team_index(key).is_some()
                || team.people.iter().any(|p| p.team.as_deref() == Some(key));
            if key != "everyone" && !a_team {
                out.unknown.push(Unknown::Group(key.clone()));
            }
        }
        // Each selector read once, with what it names; one naming no document is reported.
        let mut resolve = |role: Option<usize>, key: &str, s: &str| -> Vec<PageId> {
            let found = Selector::parse(s).map(|sel| (select(&sel), sel));
            let why = match &found {
                Err(why) => why.clone(),
                Ok((pages, Selector::Id(_) | Selector::Path(_))) if pages.is_empty() => {
                    "no document in force has this id or path".to_string()
                }
                Ok((pages, Selector::Kind(_))) if pages.is_empty() => {
                    "no document in force is of this kind".to_string()
                }
                Ok((pages, Selector::Tag(_))) if pages.is_empty() => {
                    "no document in force has this tag".to_string()
                }
                Ok((pages, _)) => return pages.clone(),
            };
            out.unknown.push(Unknown::Selector {
                role,
                key: key.to_string(),
                selector: s.to_string(),
                why,
            });
            Vec::new()
        };
        let by_role: Vec<Vec<PageId>> = (team.roles.iter().enumerate())
            .map(|(i, r)| {
                let mut pages: Vec<PageId> = (r.required_reading.iter())
                    .flat_map(|s| resolve(Some(i), &r.id, s))
                    .collect();
                pages.sort_unstable();
                pages.dedup();
                pages
            })
            .collect();
        let by_group: HashMap<&str, Vec<PageId>> = (self.config.required_reading.iter())
            .map(|(key, list)| {
                let pages = list.iter().flat_map(|s| resolve(None, key, s)).collect();
                (key.as_str(), pages)
            })
            .collect();

        // A record may name a document no longer in force, by id or by its path however
        // spelt: every document, by both, made once.
        let mut any_doc: HashMap<String, PageId> = HashMap::new();
        for p in &self.pages {
            let Some(d) = &p.doc else { continue };
            if let Some(i) = &d.front.id {
                any_doc.entry(i.value.clone()).or_insert(p.id);
            }
            let path = crate::diagnostic::display_path(&crate::root::lexical(&d.file));
            any_doc.entry(path).or_insert(p.id);
        }
        out.ack_page = (team.acknowledgements.iter())
            .map(|a| {
                let doc = a.document.trim();
                let path = crate::root::lexical(std::path::Path::new(doc));
                (by_id.get(doc).copied())
                    .or_else(|| by_path.get(doc.trim_start_matches("./")).copied())
                    .or_else(|| any_doc.get(doc).copied())
                    .or_else(|| {
                        any_doc
                            .get(&crate::diagnostic::display_path(&path))
                            .copied()
                    })
            })
            .collect();
        // The acknowledgements, by person and document; those naming nothing reported.
        let mut acks: HashMap<(usize, PageId), Vec<&Acknowledgement>> = HashMap::new();
        for (i, a) in team.acknowledgements.iter().enumerate() {
            let Some(person) = team.person_index(&a.person) else {
                out.unknown.push(Unknown::Person(i));
                continue;
            };
            let Some(page) = out.ack_page[i] else {
                out.unknown.push(Unknown::Document(i));
                continue;
            };
            let in_force = (self.pages[page].doc.as_ref()).and_then(|d| d.front.version.as_deref());
            if let (Some(read), Some(in_force)) = (a.version.as_deref(), in_force) {
                if compare_versions(read, in_force) == Some(std::cmp::Ordering::Greater) {
                    out.unknown.push(Unknown::Version(i));
                }
            }
            acks.entry((person, page)).or_default().push(a);
        }

        let within = self.config.acknowledge_within;
        let again = self.config.reacknowledge_every;
        for (person_index, person) in team.people.iter().enumerate() {
            // Current people only: not gone, and not yet to join.
            if person.departed(as_of).is_some() || person.joined.is_some_and(|j| j > as_of) {
                continue;
            }
            let mut pages: BTreeSet<PageId> = BTreeSet::new();
            if let Some(r) = person.role.as_deref().and_then(|r| team.role_index(r)) {
                pages.extend(&by_role[r]);
            }
            for key in std::iter::once("everyone").chain(person.team.as_deref()) {
                pages.extend(by_group.get(key).into_iter().flatten());
            }
            for page in pages {
                let records = acks.get(&(person_index, page)).map_or(&[][..], |v| v);
                // Records made by the as-of day: one dated later was not made yet.
                let made = || {
                    records
                        .iter()
                        .filter(|a| a.date.is_some_and(|d| d <= as_of))
                };
                let of_this: Vec<&Acknowledgement> = made()
                    .filter(|a| self.acknowledges_text_in_force(page, a))
                    .copied()
                    .collect();
                let counting = (of_this.iter())
                    .filter(|a| acknowledgement_fresh(again, a, as_of))
                    .max_by_key(|a| a.date)
                    .copied();
                let current = counting.is_some();
                // The time allowed runs from the later of joining and the text taking effect
                // (or the last acknowledgement of it running out, when they are asked again).
                let expired = again
                    .and_then(|every| (of_this.iter()).filter_map(|a| every.after(a.date?)).max());
                let start = [person.joined, self.in_force_since(page), expired]
                    .into_iter()
                    .flatten()
                    .max();
                let due = start.and_then(|d| within.after(d));
                let standing = match (current, due) {
                    (true, _) => Standing::Current,
                    (false, Some(due)) if as_of <= due => Standing::Due,
                    (false, _) => Standing::Late,
                };
                // What shows as acknowledged: the record that counts, else the newest made.
                let shown = counting.or_else(|| made().max_by_key(|a| a.date).copied());
                let in_force = self.pages[page]
                    .doc
                    .as_ref()
                    .and_then(|d| d.front.version.as_deref());
                let read_version = (shown.and_then(|a| a.version.clone()))
                    .filter(|v| in_force.is_some_and(|f| !versions_match(v, f)));
                out.duties.push(Duty {
                    person: person_index,
                    page,
                    standing,
                    due,
                    read_version,
                    acknowledged_version: shown.and_then(|a| a.version.clone()),
                    acknowledged: shown.and_then(|a| a.date),
                    lapses: expired.filter(|_| current),
                });
            }
        }
        out.duties.sort_by_key(|d| (d.page, d.person));
        out.by_role = by_role;
        out.by_person = vec![Vec::new(); team.people.len()];
        for (i, d) in out.duties.iter().enumerate() {
            out.by_person[d.person].push(i);
        }
        out
    }

    /// The document with id `name`, or at root-relative path `name` however it is spelt
    /// (`./content/x.md`), in force or not: a record may name one no longer in force.
    pub fn document_named(&self, name: &str) -> Option<PageId> {
        let path = crate::root::lexical(std::path::Path::new(name));
        (self.pages.iter())
            .find(|p| {
                p.doc.as_ref().is_some_and(|d| {
                    d.front.id.as_ref().is_some_and(|i| i.value == name)
                        || crate::root::lexical(&d.file) == path
                })
            })
            .map(|p| p.id)
    }
}

#[cfg(test)]
mod tests {
    use super::compare_versions;
    use std::cmp::Ordering::*;

    #[test]
    fn versions_compare_as_dotted_numbers() {
        assert_eq!(compare_versions("3", "3.0"), Some(Equal));
        assert_eq!(compare_versions("2.10", "2.9"), Some(Greater));
        assert_eq!(compare_versions("v1.2", "1.3"), Some(Less));
        assert_eq!(compare_versions(" 4 ", "3.9.9"), Some(Greater));
        assert_eq!(compare_versions("draft-2", "1"), None);
        assert_eq!(compare_versions("1..2", "1"), None);
    }
}
