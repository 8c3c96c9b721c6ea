//! `handbook report`: the owner digest (what is overdue or due within a window, by owner, with a
//! handbook-wide summary and where required reading stands), the review calendar (iCalendar) and the document register (CSV).
//! Everything comes from the model's review facts; nothing is decided here.
//!
//! Every text of the handbook (titles, names, ids, emails, file names) may be hostile: each is
//! escaped for the format it is written into, so that it can neither break the format nor add
//! to it (a line of Markdown, a property or event of the calendar, a field of the register).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::dates::{Day, Interval};
use crate::diagnostic::plural;
use crate::load::front_matter::Owned;
use crate::site::review::ReviewStatus;
use crate::site::{Page, PageId, Site};

use super::{cell_code, md_code, md_text};

/// A document as the digest lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry<'a> {
    pub id: Option<&'a str>,
    pub title: &'a str,
    pub kind: &'static str,
    /// `overdue` or `due-soon` (within the window).
    pub review: &'static str,
    pub next_review: Day,
    /// Days from the as-of date to the next review: negative when overdue.
    pub days_left: i64,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Owner<'a> {
    /// `None` for documents without an owner.
    pub id: Option<&'a str>,
    /// `id` is a chat channel (`owner_channel`), not a person.
    pub channel: bool,
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub overdue: usize,
    pub due: usize,
    /// Oldest first.
    pub documents: Vec<Entry<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificationDue<'a> {
    pub person: &'a str,
    pub name: &'a str,
    pub certification: &'a str,
    pub expires: Day,
}

/// Handbook-wide counts, over every document (drafts included, generated pages not).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Overview<'a> {
    pub documents: usize,
    pub by_status: BTreeMap<&'static str, usize>,
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Review status of documents in force (not drafts, not retired).
    pub by_review: BTreeMap<&'static str, usize>,
    /// Owners with the most overdue documents, most first (at most five).
    pub most_overdue: Vec<(&'a str, usize)>,
}

/// How many of a document's required readers have acknowledged its version in force.
#[derive(Debug, Clone, Serialize)]
pub struct ReadingDocument<'a> {
    pub id: Option<&'a str>,
    pub title: &'a str,
    pub version: Option<&'a str>,
    pub file: String,
    /// Current people who must read it (those in their grace period included).
    pub readers: usize,
    pub current: usize,
    /// Not yet, within the time allowed.
    pub due: usize,
    /// Not, and the time allowed has passed.
    pub late: usize,
}

/// A document a person still has to acknowledge.
#[derive(Debug, Clone, Serialize)]
pub struct Owed<'a> {
    pub id: Option<&'a str>,
    pub title: &'a str,
    pub file: String,
    /// `due` or `late`.
    pub status: &'static str,
    /// The last day allowed (none when nothing dates it: then it is late at once).
    pub due_by: Option<Day>,
    /// The version they last acknowledged, when it is not the one in force.
    pub read_version: Option<&'a str>,
}

/// What one person owes of their required reading.
#[derive(Debug, Clone, Serialize)]
pub struct Reader<'a> {
    pub person: &'a str,
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub late: usize,
    /// Late first, then by the last day allowed.
    pub documents: Vec<Owed<'a>>,
}

/// Required reading: per document how many readers are current, per person what they owe.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReadingDigest<'a> {
    /// Documents someone must read: most late readers first, then most due, then by title.
    pub documents: Vec<ReadingDocument<'a>>,
    /// People who owe an acknowledgement: most late first, then by id.
    pub people: Vec<Reader<'a>>,
}

impl<'a> ReadingDigest<'a> {
    fn new(site: &'a Site) -> ReadingDigest<'a> {
        use crate::site::reading::Standing;
        let reading = site.reading();
        let front = |page: usize| site.pages[page].doc.as_ref().map(|d| &d.front);
        let id = |page: usize| {
            front(page)
                .and_then(|f| f.id.as_ref())
                .map(|s| s.value.as_str())
        };
        let file = |page: usize| {
            (site.pages[page].doc.as_ref())
                .map_or_else(String::new, |d| d.file.display().to_string())
        };
        let mut documents = Vec::new();
        let mut start = 0;
        // Duties come sorted by document, then person.
        while start < reading.duties.len() {
            let page = reading.duties[start].page;
            let duties = reading.of_page(page);
            start += duties.len();
            let count = |s: Standing| duties.iter().filter(|d| d.standing == s).count();
            documents.push(ReadingDocument {
                id: id(page),
                title: &site.pages[page].title,
                version: front(page).and_then(|f| f.version.as_deref()),
                file: file(page),
                readers: duties.len(),
                current: count(Standing::Current),
                due: count(Standing::Due),
                late: count(Standing::Late),
            });
        }
        documents.sort_by(|a, b| (b.late, b.due, a.title).cmp(&(a.late, a.due, b.title)));
        let mut people: Vec<Reader> = Vec::new();
        for (i, person) in site.team.people.iter().enumerate() {
            let mut owed: Vec<Owed> = (reading.of_person(i))
                .filter(|d| d.standing != Standing::Current)
                .map(|d| Owed {
                    id: id(d.page),
                    title: &site.pages[d.page].title,
                    file: file(d.page),
                    status: if d.standing == Standing::Late {
                        "late"
                    } else {
                        "due"
                    },
                    due_by: d.due,
                    read_version: d.read_version.as_deref(),
                })
                .collect();
            if owed.is_empty() {
                continue;
            }
            owed.sort_by_key(|o| (o.status == "due", o.due_by));
            people.push(Reader {
                person: &person.id,
                name: &person.name,
                role: person.role.as_deref(),
                late: owed.iter().filter(|o| o.status == "late").count(),
                documents: owed,
            });
        }
        people.sort_by(|a, b| (b.late, a.person).cmp(&(a.late, b.person)));
        ReadingDigest { documents, people }
    }
}

/// A stretch of required on-call coverage with nobody on call.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageGap {
    /// Local times of the rotation: `2026-12-07 09:00`.
    pub from: String,
    pub to: String,
    pub causes: Vec<String>,
}

/// A member on call without a certification the rotation requires: the first such stretch.
#[derive(Debug, Clone, Serialize)]
pub struct UnqualifiedShift<'a> {
    pub person: &'a str,
    pub name: &'a str,
    pub certification: &'a str,
    /// When it expired; none when they never held it.
    pub expired: Option<Day>,
    pub from: String,
    pub to: String,
}

/// One rotation's holes over the horizon.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub timezone: &'a str,
    pub gaps: Vec<CoverageGap>,
    pub unqualified: Vec<UnqualifiedShift<'a>>,
}

/// The digest of one handbook as of one day.
#[derive(Debug, Clone, Serialize)]
pub struct Digest<'a> {
    pub as_of: Day,
    pub within: String,
    /// The last day of the window.
    pub until: Day,
    pub overview: Overview<'a>,
    /// Owners with documents overdue or due within the window: most overdue first, then most
    /// documents, then by id; documents without an owner last among equals.
    pub owners: Vec<Owner<'a>>,
    /// People in the team data whose certifications expire within the window.
    pub certifications: Vec<CertificationDue<'a>>,
    /// Required reading and where its readers stand.
    pub reading: ReadingDigest<'a>,
    /// How far ahead on-call coverage is looked at.
    pub oncall_horizon: String,
    /// Rotations with gaps or unqualified members over that horizon.
    pub oncall: Vec<Coverage<'a>>,
}

impl<'a> Digest<'a> {
    pub fn new(site: &'a Site, within: Interval) -> Digest<'a> {
        let as_of = site.options.as_of;
        let until = within.after(as_of).unwrap_or(as_of);
        let team = &site.team;
        let mut overview = Overview::default();
        let mut by_owner: BTreeMap<Option<Owned>, Vec<Entry>> = BTreeMap::new();
        for page in site.pages.iter().filter(|p| p.is_document()) {
            let Some(doc) = &page.doc else { continue };
            let front = &doc.front;
            overview.documents += 1;
            *overview.by_status.entry(front.status.as_str()).or_default() += 1;
            *overview.by_kind.entry(front.kind.as_str()).or_default() += 1;
            if !page.in_force() {
                continue;
            }
            let Some(review) = &page.review else { continue };
            *overview
                .by_review
                .entry(review.status.as_str())
                .or_default() += 1;
            let (Some(next), Some(days_left)) = (review.next, review.days_left) else {
                continue;
            };
            if next > until {
                continue;
            }
            by_owner.entry(front.owned_by()).or_default().push(Entry {
                id: front.id.as_ref().map(|s| s.value.as_str()),
                title: &page.title,
                kind: front.kind.as_str(),
                review: if review.status == ReviewStatus::Overdue {
                    "overdue"
                } else {
                    "due-soon"
                },
                next_review: next,
                days_left,
                file: doc.file.display().to_string(),
            });
        }
        let mut owners: Vec<Owner> = by_owner
            .into_iter()
            .map(|(owner, mut documents)| {
                documents.sort_by(|a, b| (a.next_review, a.title).cmp(&(b.next_review, b.title)));
                let person = match owner {
                    Some(Owned::Person(id)) => team.person(id),
                    _ => None,
                };
                let overdue = documents.iter().filter(|d| d.days_left < 0).count();
                Owner {
                    id: owner.map(Owned::name),
                    channel: matches!(owner, Some(Owned::Channel(_))),
                    name: person.map(|p| p.name.as_str()),
                    email: person.and_then(|p| p.email.as_deref()),
                    overdue,
                    due: documents.len() - overdue,
                    documents,
                }
            })
            .collect();
        owners.sort_by(|a, b| {
            (b.overdue, b.documents.len())
                .cmp(&(a.overdue, a.documents.len()))
                .then_with(|| (a.id.is_none(), a.id).cmp(&(b.id.is_none(), b.id)))
        });
        overview.most_overdue = owners
            .iter()
            .filter(|o| o.overdue > 0)
            .take(5)
            .map(|o| (o.name.or(o.id).unwrap_or("no owner"), o.overdue))
            .collect();
        let mut certifications: Vec<CertificationDue> = team
            .people
            .iter()
            .filter(|p| p.departed(as_of).is_none())
            .flat_map(|p| {
                p.certifications.iter().filter_map(move |c| {
                    let expires = c.expires?;
                    (expires >= as_of && expires <= until).then_some(CertificationDue {
                        person: &p.id,
                        name: &p.name,
                        certification: &c.name,
                        expires,
                    })
                })
            })
            .collect();
        certifications.sort_by(|a, b| (a.expires, a.name).cmp(&(b.expires, b.name)));
        Digest {
            as_of,
            within: within.to_string(),
            until,
            overview,
            owners,
            certifications,
            reading: ReadingDigest::new(site),
            oncall_horizon: site.config.oncall_horizon.to_string(),
            oncall: coverage(site),
        }
    }

    /// Ready to paste into a monthly report or a chat message.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "# Review report, {}\n\nReviews overdue or due by {} (within {}).\n\n## Summary\n\n",
            self.as_of, self.until, self.within
        );
        let list = |m: &BTreeMap<&str, usize>| {
            m.iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let o = &self.overview;
        let _ = writeln!(
            out,
            "- Documents: {} ({}).",
            o.documents,
            list(&o.by_status)
        );
        let _ = writeln!(out, "- By kind: {}.", list(&o.by_kind));
        let reviews: BTreeMap<&str, usize> = (o.by_review.iter())
            .map(|(&k, &n)| (review_label(k), n))
            .collect();
        let _ = writeln!(out, "- Reviews of documents in force: {}.", list(&reviews));
        if !o.most_overdue.is_empty() {
            let most: Vec<String> = o
                .most_overdue
                .iter()
                .map(|(name, n)| format!("{} ({n})", md_text(name)))
                .collect();
            let _ = writeln!(out, "- Most overdue: {}.", most.join(", "));
        }
        if self.certifications.is_empty() {
            let _ = writeln!(out, "- No certifications expire by {}.", self.until);
        } else {
            let certs: Vec<String> = self
                .certifications
                .iter()
                .map(|c| {
                    format!(
                        "{}: {} on {}",
                        md_text(c.name),
                        md_text(c.certification),
                        c.expires
                    )
                })
                .collect();
            let _ = writeln!(out, "- Certifications expiring: {}.", certs.join("; "));
        }
        let reading = &self.reading;
        if !reading.documents.is_empty() {
            let sum = |f: fn(&ReadingDocument) -> usize| reading.documents.iter().map(f).sum();
            let (all, current, due, late): (usize, usize, usize, usize) = (
                sum(|d| d.readers),
                sum(|d| d.current),
                sum(|d| d.due),
                sum(|d| d.late),
            );
            let _ = writeln!(
                out,
                "- Required reading: {current} of {all} acknowledgements current, {due} due, {late} late."
            );
        }
        if !self.oncall.is_empty() {
            let gaps: usize = self.oncall.iter().map(|c| c.gaps.len()).sum();
            let unqualified: usize = self.oncall.iter().map(|c| c.unqualified.len()).sum();
            let _ = writeln!(
                out,
                "- On-call coverage over the next {}: {gaps} gap{} and {unqualified} unqualified member{} in {} rotation{}.",
                self.oncall_horizon,
                plural(gaps as i64),
                plural(unqualified as i64),
                self.oncall.len(),
                plural(self.oncall.len() as i64)
            );
        }
        if self.owners.is_empty() {
            let _ = writeln!(out, "\nNothing is overdue or due by {}.", self.until);
        }
        for owner in &self.owners {
            let who = match (owner.name, owner.id) {
                (_, Some(id)) if owner.channel => format!("Chat channel {}", md_code(id)),
                (Some(name), Some(id)) => format!("{} ({})", md_text(name), md_code(id)),
                (None, Some(id)) => format!("{} (not in the team data)", md_code(id)),
                _ => "No owner".to_string(),
            };
            let _ = writeln!(
                out,
                "\n## {who}: {} overdue, {} due soon\n\n| Document | Title | Next review | Status |\n| --- | --- | --- | --- |",
                owner.overdue, owner.due
            );
            for d in &owner.documents {
                let status = match d.days_left {
                    n if n < 0 => format!("overdue by {} day{}", -n, plural(-n)),
                    0 => "due today".to_string(),
                    n => format!("due in {n} day{}", plural(n)),
                };
                let _ = writeln!(
                    out,
                    "| {} | {} ({}) | {} | {status} |",
                    md_text(d.id.unwrap_or("")),
                    md_text(d.title),
                    cell_code(&d.file),
                    d.next_review
                );
            }
        }
        self.reading_markdown(&mut out);
        self.oncall_markdown(&mut out);
        out
    }

    /// On-call coverage: each rotation's gaps, then its members without a required
    /// certification.
    fn oncall_markdown(&self, out: &mut String) {
        if self.oncall.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n## On-call coverage, next {}", self.oncall_horizon);
        for c in &self.oncall {
            let _ = writeln!(
                out,
                "\n### {} ({}), {}\n",
                md_text(c.name),
                md_code(c.id),
                md_text(c.timezone)
            );
            for g in &c.gaps {
                let _ = writeln!(
                    out,
                    "- Gap {} to {}: {}.",
                    g.from,
                    g.to,
                    md_text(&g.causes.join("; "))
                );
            }
            for u in &c.unqualified {
                let lacking = match u.expired {
                    Some(on) => format!("whose {} expired on {on}", md_text(u.certification)),
                    None => format!("without {}", md_text(u.certification)),
                };
                let _ = writeln!(
                    out,
                    "- {} ({}) on call {lacking}, first {} to {}.",
                    md_text(u.name),
                    md_code(u.person),
                    u.from,
                    u.to
                );
            }
        }
    }

    /// Required reading: per document how many readers are current, then what each person owes.
    fn reading_markdown(&self, out: &mut String) {
        let reading = &self.reading;
        if reading.documents.is_empty() {
            return;
        }
        out.push_str("\n## Required reading\n\n| Document | Title | Version | Current | Due | Late |\n| --- | --- | --- | --- | --- | --- |\n");
        for d in &reading.documents {
            let _ = writeln!(
                out,
                "| {} | {} ({}) | {} | {} of {} | {} | {} |",
                md_text(d.id.unwrap_or("")),
                md_text(d.title),
                cell_code(&d.file),
                md_text(d.version.unwrap_or("")),
                d.current,
                d.readers,
                d.due,
                d.late
            );
        }
        if reading.people.is_empty() {
            out.push_str("\nEvery required reader has acknowledged the version in force.\n");
            return;
        }
        out.push_str("\n### Still to acknowledge\n\n| Person | Document | Status | Due by |\n| --- | --- | --- | --- |\n");
        for p in &reading.people {
            let who = match p.role {
                Some(role) => format!(
                    "{} ({}, {})",
                    md_text(p.name),
                    cell_code(p.person),
                    md_text(role)
                ),
                None => format!("{} ({})", md_text(p.name), cell_code(p.person)),
            };
            for d in &p.documents {
                let what = match d.id {
                    Some(id) => format!("{} {}", md_text(id), md_text(d.title)),
                    None => format!("{} ({})", md_text(d.title), cell_code(&d.file)),
                };
                let read = d
                    .read_version
                    .map_or(String::new(), |v| format!(" (read version {})", md_text(v)));
                let _ = writeln!(
                    out,
                    "| {who} | {what} | {}{read} | {} |",
                    d.status,
                    d.due_by.map_or(String::new(), |d| d.to_string())
                );
            }
        }
    }

    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

fn review_label(status: &str) -> &str {
    match status {
        "due-soon" => "due soon",
        "none" => "with no review date",
        other => other,
    }
}

/// Each rotation with gaps or unqualified members over the horizon, in the team data's order.
fn coverage(site: &Site) -> Vec<Coverage<'_>> {
    let team = &site.team;
    (team.rotations.iter().zip(&site.oncall().rotations))
        .filter(|(_, f)| !(f.gaps.is_empty() && f.unqualified.is_empty()))
        .map(|(r, f)| Coverage {
            id: &r.id,
            name: &r.name,
            timezone: &r.timezone,
            gaps: (f.gaps.iter())
                .map(|g| CoverageGap {
                    from: g.span.from.to_string(),
                    to: g.span.to.to_string(),
                    causes: g.causes.iter().map(|h| h.words(team, false)).collect(),
                })
                .collect(),
            unqualified: (f.unqualified.iter())
                .map(|u| UnqualifiedShift {
                    person: &team.people[u.person].id,
                    name: &team.people[u.person].name,
                    certification: &u.certification,
                    expired: u.expired,
                    from: u.first.from.to_string(),
                    to: u.first.to.to_string(),
                })
                .collect(),
        })
        .collect()
}

/// The master document register auditors ask for: one row per document (RFC 4180 CSV).
pub fn register(site: &Site) -> String {
    let mut out = String::from(
        "id,title,kind,version,status,owner,approver,last_reviewed,next_review,review_status,path\r\n",
    );
    let mut docs: Vec<&Page> = site.pages.iter().filter(|p| p.is_document()).collect();
    docs.sort_by(|a, b| {
        a.doc
            .as_ref()
            .map(|d| &d.path)
            .cmp(&b.doc.as_ref().map(|d| &d.path))
    });
    for page in docs {
        let Some(doc) = &page.doc else { continue };
        let f = &doc.front;
        let review = page.review.as_ref();
        let date = |d: Option<Day>| d.map(|d| d.to_string()).unwrap_or_default();
        let fields = [
            f.id.as_ref().map_or("", |s| s.value.as_str()).to_string(),
            page.title.clone(),
            f.kind.as_str().to_string(),
            f.version.clone().unwrap_or_default(),
            f.status.as_str().to_string(),
            f.owned_by().map_or("", Owned::name).to_string(),
            f.approver
                .as_ref()
                .map_or("", |s| s.value.as_str())
                .to_string(),
            date(review.and_then(|r| r.last_reviewed)),
            date(review.and_then(|r| r.next)),
            review.map_or("", |r| r.status.as_str()).to_string(),
            doc.file.display().to_string(),
        ];
        let row: Vec<String> = fields.iter().map(|v| csv_field(v)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The evidence of required reading (CSV, RFC 4180): for each current person and each document
/// in force they must read, the version in force, the version and date of their last
/// acknowledgement, where they stand (`current`, `due`, `late`) and the last day allowed.
pub fn acknowledgements(site: &Site) -> String {
    use crate::site::reading::Standing;
    let mut out = String::from(
        "person,name,role,document,title,version_in_force,acknowledged_version,acknowledged_on,status,due_by\r\n",
    );
    let reading = site.reading();
    // By person, then document as named in the table (its id, else its path).
    let label = |page: usize| -> String {
        let doc = site.pages[page].doc.as_ref();
        match doc.and_then(|d| d.front.id.as_ref()) {
            Some(id) => id.value.clone(),
            None => doc.map_or_else(String::new, |d| d.file.display().to_string()),
        }
    };
    let mut duties: Vec<_> = (reading.duties.iter())
        .map(|d| (&site.team.people[d.person].id, label(d.page), d))
        .collect();
    duties.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (_, document, d) in duties {
        let person = &site.team.people[d.person];
        let page = &site.pages[d.page];
        let Some(doc) = &page.doc else { continue };
        let f = &doc.front;
        let fields = [
            person.id.clone(),
            person.name.clone(),
            person.role.clone().unwrap_or_default(),
            document,
            page.title.clone(),
            f.version.clone().unwrap_or_default(),
            d.acknowledged_version.clone().unwrap_or_default(),
            d.acknowledged.map(|x| x.to_string()).unwrap_or_default(),
            match d.standing {
                Standing::Current => "current",
                Standing::Due => "due",
                Standing::Late => "late",
            }
            .to_string(),
            d.due.map(|x| x.to_string()).unwrap_or_default(),
        ];
        let row: Vec<String> = fields.iter().map(|v| csv_field(v)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The shifts of rotation `r` over the horizon (RFC 5545): one event per stretch someone holds
/// (an override its own) within the coverage the rotation requires, at the instants its local
/// times are in the rotation's zone (written in UTC), the person as attendee where their email
/// is known; and its gaps, as events saying nobody is on call, so that they show too.
pub fn oncall_calendar(site: &Site, r: usize) -> String {
    use crate::rota::Holder;
    let rotation = &site.team.rotations[r];
    let facts = &site.oncall().rotations[r];
    let mut out = String::new();
    let mut line = |s: &str| fold(&mut out, s);
    for l in calendar_head("on-call calendar", &format!("{} on call", rotation.name)) {
        line(&l);
    }
    let stamp = format!("{}T000000Z", compact(site.options.as_of));
    let utc = |w: crate::rota::Wall| {
        w.instant(&rotation.zone)
            .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
    };
    // What someone holds, within the coverage the rotation requires (a business-hours rota
    // is not on call at night), and the gaps: nobody on call where someone must be.
    let mut events: Vec<(crate::rota::Span, Holder, Option<usize>)> = Vec::new();
    for s in &facts.stretches {
        if let Ok(person) = s.on_call {
            for span in rotation.coverage.required(s.span) {
                events.push((span, s.holder, Some(person)));
            }
        }
    }
    events.extend(facts.gaps.iter().map(|g| (g.span, Holder::Nobody, None)));
    events.sort_by_key(|e| e.0);
    for (span, holder, person) in events {
        let (Some(start), Some(end)) = (utc(span.from), utc(span.to)) else {
            continue;
        };
        let person = person.map(|i| &site.team.people[i]);
        let summary = match person {
            Some(p) => format!("On call: {} ({})", p.name, rotation.name),
            None => format!("Nobody on call: {}", rotation.name),
        };
        line("BEGIN:VEVENT");
        // Stable across builds while the rota stands: the rotation and where the stretch starts.
        line(&format!(
            "UID:{}-{}@handbook",
            text(&rotation.id),
            span.from.0
        ));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!("DTSTART:{start}"));
        line(&format!("DTEND:{end}"));
        line(&format!("SUMMARY:{}", text(&summary)));
        let mut description = format!("{} to {} ({}).", span.from, span.to, rotation.timezone);
        if matches!(holder, Holder::Override(_)) {
            description.push_str(" An override.");
        }
        line(&format!("DESCRIPTION:{}", text(&description)));
        if let Some(attendee) = person.and_then(attendee) {
            line(&attendee);
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// Quotes a field when it holds a comma, quote or line break (RFC 4180); a leading `=`, `+`,
/// `-`, `@`, tab or carriage return is prefixed with `'` so that a spreadsheet shows the text
/// rather than run it as a formula (OWASP's advice on CSV injection).
fn csv_field(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// The review calendar (RFC 5545): an all-day event on each document's next review date, for
/// every document in force that has one, with its owner as attendee when their email is known.
pub fn calendar(site: &Site) -> String {
    calendar_with(site, &ReviewEvents::new(), &|_| true).0
}

/// Each document's review event (`None`: it has none) by its path: `serve` keeps those of
/// the last build, since an edit in place changes only the events of the pages it renders.
pub type ReviewEvents = HashMap<String, Option<Arc<str>>>;

/// [`calendar`], with the event of each document taken from `known` unless `fresh` takes
/// its page (or `known` lacks it); returns the events too.
pub fn calendar_with(
    site: &Site,
    known: &ReviewEvents,
    fresh: &(dyn Fn(PageId) -> bool + Sync),
) -> (String, ReviewEvents) {
    let mut out = String::new();
    for l in calendar_head("review calendar", &format!("{} reviews", site.config.title)) {
        fold(&mut out, &l);
    }
    let stamp = format!("{}T000000Z", compact(site.options.as_of));
    // One event per document, each its own: made in parallel.
    let events: Vec<(&str, Option<Arc<str>>)> = (site.pages.par_iter())
        .filter(|p| p.is_document() && p.in_force())
        .filter_map(|page| {
            let path = page.doc.as_ref()?.path.as_str();
            let event = match known.get(path) {
                Some(event) if !fresh(page.id) => event.clone(),
                _ => review_event(site, page, &stamp).map(Arc::from),
            };
            Some((path, event))
        })
        .collect();
    for event in events.iter().filter_map(|(_, e)| e.as_ref()) {
        out.push_str(event);
    }
    fold(&mut out, "END:VCALENDAR");
    let events = (events.into_iter())
        .map(|(path, event)| (path.to_string(), event))
        .collect();
    (out, events)
}

/// The event of `page`'s next review, when it has one (`stamp`: the calendar's DTSTAMP).
fn review_event(site: &Site, page: &Page, stamp: &str) -> Option<String> {
    let (Some(doc), Some(review)) = (&page.doc, &page.review) else {
        return None;
    };
    let next = review.next?;
    let mut out = String::with_capacity(512);
    let mut line = |s: &str| fold(&mut out, s);
    let front = &doc.front;
    let label = match &front.id {
        Some(id) => format!("{} {}", id.value, page.title),
        None => page.title.clone(),
    };
    let owner = front.owned_by();
    let person = match owner {
        Some(Owned::Person(id)) => site.team.person(id),
        _ => None,
    };
    line("BEGIN:VEVENT");
    // Stable across builds and review dates: a calendar updates the event in place.
    line(&format!("UID:{}@handbook", text(&doc.path)));
    line(&format!("DTSTAMP:{stamp}"));
    line(&format!("DTSTART;VALUE=DATE:{}", compact(next)));
    if let Some(end) = Interval::days(1).after(next) {
        line(&format!("DTEND;VALUE=DATE:{}", compact(end)));
    }
    line(&format!("SUMMARY:Review due: {}", text(&label)));
    // The title is the summary's; the description says what it does not.
    let mut description = format!("{}.", front.kind.label());
    match (person, owner) {
        (Some(p), _) => {
            let _ = write!(description, " Owner: {} ({}).", p.name, p.id);
        }
        (None, Some(Owned::Person(id))) => {
            let _ = write!(description, " Owner: {id}.");
        }
        (None, Some(Owned::Channel(c))) => {
            let _ = write!(description, " Owner: chat channel {c}.");
        }
        (None, None) => description.push_str(" No owner."),
    }
    let _ = write!(description, " Source: {}.", doc.file.display());
    line(&format!("DESCRIPTION:{}", text(&description)));
    // A URI value, not TEXT: percent-encoded, never backslash-escaped.
    let path = crate::site::url::encode_path(&page.url);
    if let Some(url) = site
        .config
        .base_url
        .as_ref()
        .and_then(|b| b.absolute(&path))
    {
        line(&format!("URL:{}", uri(&url)));
    }
    if let Some(attendee) = person.and_then(attendee) {
        line(&attendee);
    }
    line("END:VEVENT");
    Some(out)
}

/// `YYYYMMDD`.
/// The lines that open a published calendar named `name` (escaped here), made by `what`.
fn calendar_head(what: &str, name: &str) -> [String; 6] {
    [
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:-//handbook//{what}//EN"),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", text(name)),
    ]
}

/// A person as an event's attendee, when their email is a plain address (one that could end
/// the value or the line is left out, not mended). A required participant, the default role
/// (RFC 5545 3.2.16), so not said: the calendar has an event per document.
fn attendee(p: &crate::team::Person) -> Option<String> {
    let email = mail_address(p.email.as_deref()?)?;
    Some(format!("ATTENDEE;CN={}:mailto:{email}", param(&p.name)))
}

fn compact(d: Day) -> String {
    d.to_string().replace('-', "")
}

/// TEXT value escaping (RFC 5545 3.3.11): `\\`, `;` and `,` escaped, each line break (CR,
/// LF or both) written `\\n`, other control characters (which TEXT cannot hold) dropped.
fn text(s: &str) -> String {
    let plain = |c: char| !matches!(c, '\\' | ';' | ',') && (c == '\t' || !c.is_control());
    if s.chars().all(plain) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI value: control characters and spaces percent-encoded, so that it stays one value.
fn uri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || c.is_whitespace() {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `email` when it is fit for a `mailto:` value as it is: one `@` with text on each side and
/// nothing that could end the value, the line or the address (control characters, spaces,
/// quotes, `<>`, `\\`, `;`, `,`, `:`, `?`, `#`).
fn mail_address(email: &str) -> Option<&str> {
    let bad = |c: char| c.is_control() || c.is_whitespace() || "\"<>\\;,:?#()[]".contains(c);
    let (local, domain) = email.split_once('@')?;
    let fit =
        !local.is_empty() && !domain.is_empty() && !domain.contains('@') && !email.chars().any(bad);
    fit.then_some(email)
}

/// A parameter value: quoted when it holds `:`, `;` or `,`; quotes cannot appear at all.
fn param(s: &str) -> String {
    let s: String = s.chars().filter(|&c| c != '"' && !c.is_control()).collect();
    if s.contains([':', ';', ',']) {
        format!("\"{s}\"")
    } else {
        s
    }
}

/// Writes one content line, folded at 75 octets (never inside a UTF-8 character), CRLF ended.
/// Its values come escaped; a control character left in one would still be dropped here, so
/// that no text can end the line.
fn fold(out: &mut String, line: &str) {
    // Most lines are short and plain: as they are.
    if line.len() <= 75
        && !line.bytes().any(|b| b.is_ascii_control() && b != b'\t')
        && line.is_ascii()
    {
        out.push_str(line);
        out.push_str("\r\n");
        return;
    }
    let mut width = 0;
    for c in line.chars().filter(|&c| c == '\t' || !c.is_control()) {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_lines_within_75_octets_and_characters_whole() {
        let mut out = String::new();
        fold(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
        assert_eq!(csv_field("-1,2"), "\"'-1,2\"");
        assert_eq!(csv_field("plain"), "plain");
    }

    #[test]
    fn text_escaping() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        // Each line break is one `\n`, whichever way it is written; other controls go.
        assert_eq!(text("a\r\nb\rc\n\u{1b}[2Kd\te"), "a\\nb\\nc\\n[2Kd\te");
        assert_eq!(uri("https://x/a b\r\n"), "https://x/a%20b%0D%0A");
    }

    #[test]
    fn only_plain_addresses_become_attendees() {
        assert_eq!(mail_address("ana@example.com"), Some("ana@example.com"));
        assert_eq!(
            mail_address("ana.lima+ops@example.co.uk"),
            Some("ana.lima+ops@example.co.uk")
        );
        for bad in [
            "ana@example.com\r\nATTENDEE:mailto:evil@example.com",
            "ana@example.com\n",
            "ana @example.com",
            "\"ana\"@example.com",
            "ana@example.com;ROLE=CHAIR",
            "ana@example.com,bo@example.com",
            "<ana@example.com>",
            "ana@example.com?cc=evil@example.com",
            "ana",
            "@example.com",
            "ana@",
            "a@b@c",
            "",
        ] {
            assert_eq!(mail_address(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn folding_drops_what_could_end_a_line() {
        let mut out = String::new();
        fold(&mut out, "SUMMARY:a\r\nEND:VEVENT");
        assert_eq!(out, "SUMMARY:aEND:VEVENT\r\n");
    }
}
