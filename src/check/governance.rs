//! Review, ownership and structure rules over every document, drafts included:
//! `review-overdue`, `review-due-soon`, `review-missing`, `review-date-invalid` (the date logic;
//! unreadable dates are reported while loading), `owner-missing`, `owner-unknown`,
//! `owner-departed`, `approver-missing`, `id-duplicate` (document ids), `section-missing` and
//! `changed-since-review` (from the revision history the model read).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostic::{plural, Diagnostic, Pos};
use crate::load::front_matter::Owned;
use crate::load::Document;
use crate::load::Spanned;
use crate::model::Status;
use crate::rules::Rule;
use crate::rules::Severity;
use crate::site::review::{Review, ReviewStatus};
use crate::site::{Page, Site};
use crate::suggest;

pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = site
        .pages
        .par_iter()
        .flat_map_iter(|page| check_page(site, page))
        .collect();
    duplicate_ids(site, &mut diags);
    diags
}

/// Where a document-wide problem is reported: the start of the file.
const TOP: Pos = Pos::new(1, 1);

fn check_page(site: &Site, page: &Page) -> Vec<Diagnostic> {
    let (Some(doc), Some(review)) = (&page.doc, &page.review) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // A retired document is kept for reference: nothing more is asked of it.
    if doc.front.status != Status::Retired {
        review_rules(site, doc, review, &mut out);
        changed_since_review(site, page, doc, &mut out);
        if doc.front.kind.is_governed() {
            ownership_rules(site, doc, &mut out);
        }
        sections(site, page, doc, &mut out);
    }
    people_named(site, doc, &mut out);
    out
}

/// `changed-since-review`: the model found commits after the review that changed the text.
fn changed_since_review(site: &Site, page: &Page, doc: &Document, out: &mut Vec<Diagnostic>) {
    let (Some(u), Some(last)) = (&page.unreviewed, &doc.front.last_reviewed) else {
        return;
    };
    let newest = &u.newest;
    out.push(
        Diagnostic::warning(
            Rule::ChangedSinceReview,
            &doc.file,
            format!(
                "the text changed after its last review on {}: what is published is not what was reviewed ({} commit{} since, the newest on {} by {})",
                last.value,
                u.commits,
                plural(u.commits as i64),
                newest.date,
                newest.author
            ),
        )
        .at(last.pos)
        .with_help(format!(
            "review the changes since {} (newest: {} \"{}\"), then set `last_reviewed: {}`",
            last.value, newest.commit, newest.subject, site.options.as_of
        )),
    );
}

fn review_rules(site: &Site, doc: &Document, review: &Review, out: &mut Vec<Diagnostic>) {
    let front = &doc.front;
    let as_of = site.options.as_of;
    let file = &doc.file;
    // The date that decides the next review, to point at.
    let decisive = front
        .review_by
        .as_ref()
        .map(|s| ("review_by", s.pos))
        .or(front
            .last_reviewed
            .as_ref()
            .map(|s| ("last_reviewed", s.pos)));
    if let Some(last) = &front.last_reviewed {
        if last.value > as_of {
            out.push(
                Diagnostic::error(
                    Rule::ReviewDateInvalid,
                    file,
                    format!(
                        "`last_reviewed` is {}, after the as-of date {as_of}",
                        last.value
                    ),
                )
                .at(last.pos)
                .with_help("a review date cannot be in the future; use the day of the review"),
            );
        }
        if let Some(by) = &front.review_by {
            if by.value < last.value {
                out.push(
                    Diagnostic::error(
                        Rule::ReviewDateInvalid,
                        file,
                        format!(
                            "`review_by` ({}) is before `last_reviewed` ({})",
                            by.value, last.value
                        ),
                    )
                    .at(by.pos),
                );
            }
        }
    }
    let owner = owner_phrase(site, doc);
    match (review.status, review.next, review.days_left) {
        (ReviewStatus::Overdue, Some(next), Some(days)) => {
            let days = -days;
            let (key, pos) = decisive.unwrap_or(("last_reviewed", TOP));
            let help = if key == "review_by" {
                format!("review it, then set a new `review_by` (or `last_reviewed: {as_of}`)")
            } else {
                format!("review it, then set `last_reviewed: {as_of}`")
            };
            out.push(
                Diagnostic::error(
                    Rule::ReviewOverdue,
                    file,
                    format!(
                        "review overdue by {days} day{}: it was due on {next}; owner: {owner}",
                        plural(days)
                    ),
                )
                .at(pos)
                .with_help(help),
            );
        }
        (ReviewStatus::DueSoon, Some(next), Some(days)) => {
            let when = match days {
                0 => "today".to_string(),
                d => format!("in {d} day{}", plural(d)),
            };
            out.push(
                Diagnostic::warning(
                    Rule::ReviewDueSoon,
                    file,
                    format!("review due {when}, on {next}; owner: {owner}"),
                )
                .at(decisive.map_or(TOP, |(_, p)| p)),
            );
        }
        // A draft cannot have been reviewed yet.
        (ReviewStatus::None, ..) if front.kind.is_governed() && front.status != Status::Draft => {
            let rule = Rule::ReviewMissing;
            let severity = rule
                .default_severity(Some(front.kind))
                .unwrap_or(Severity::Warning);
            let kind = front.kind.label();
            let (message, help, pos) = match &front.last_reviewed {
                Some(last) => (
                    format!("{kind} has no review interval, so `last_reviewed` alone gives no next review date"),
                    format!(
                        "add `review_every: 1 year` (or `review_by: DATE`), or a default for every {} in handbook.yaml (`default_review: {{{}: 1 year}}`)",
                        front.kind.as_str(),
                        front.kind.as_str()
                    ),
                    last.pos,
                ),
                None => (
                    format!("{kind} has no review date: it has never been reviewed"),
                    match review.interval {
                        Some(_) => format!("review it, then add `last_reviewed: {as_of}`"),
                        None => format!(
                            "review it, then add `last_reviewed: {as_of}` and `review_every: 1 year`"
                        ),
                    },
                    front.review_every.as_ref().map_or(TOP, |s| s.pos),
                ),
            };
            let d = Diagnostic::error(rule, file, message)
                .at(pos)
                .with_help(help);
            out.push(Diagnostic { severity, ..d });
        }
        _ => {}
    }
}

fn ownership_rules(site: &Site, doc: &Document, out: &mut Vec<Diagnostic>) {
    let front = &doc.front;
    let kind = front.kind;
    if front.owned_by().is_none() {
        out.push(
            Diagnostic::error(
                Rule::OwnerMissing,
                &doc.file,
                format!("{} has no owner", kind.label()),
            )
            .at(TOP)
            .with_help("add `owner: <person id>` naming who keeps it current"),
        );
    }
    // A draft is approved when it is published.
    if front.approver.is_none() && front.status != Status::Draft {
        // Sop and policy by default; other kinds only when handbook.yaml asks.
        let rule = Rule::ApproverMissing;
        if let Some(severity) = site.config.rules.severity(rule, Some(kind)) {
            let d = Diagnostic::error(rule, &doc.file, format!("{} has no approver", kind.label()))
                .at(TOP)
                .with_help("add `approver: <person id>` naming who signed it off");
            out.push(Diagnostic { severity, ..d });
        }
    }
    let team = &site.team;
    for (field, who) in [("owner", &front.owner), ("approver", &front.approver)] {
        let Some(who) = who else { continue };
        let Some(person) = team.person(&who.value) else {
            continue;
        };
        if let Some(left) = person.departed(site.options.as_of) {
            let help = match person.manager.as_deref().and_then(|m| team.person(m)) {
                Some(m) if m.departed(site.options.as_of).is_none() => format!(
                    "their manager, {} (`{}`), is the natural new {field}",
                    m.name, m.id
                ),
                _ => format!("name a current team member as {field}"),
            };
            out.push(
                Diagnostic::error(
                    Rule::OwnerDeparted,
                    &doc.file,
                    format!("{field} {} (`{}`) left on {left}", person.name, person.id),
                )
                .at(who.pos)
                .with_help(help),
            );
        }
    }
}

/// `owner-unknown`: every person a document names must be in the team data (when there is
/// team data at all: a handbook without it has nothing to check names against).
fn people_named(site: &Site, doc: &Document, out: &mut Vec<Diagnostic>) {
    let team = &site.team;
    if team.people.is_empty() {
        return;
    }
    let front = &doc.front;
    let named = (front.owner.iter().map(|o| ("owner", o)))
        .chain(front.approver.iter().map(|a| ("approver", a)))
        .chain(front.reviewers.iter().map(|r| ("reviewer", r)));
    for (field, who) in named {
        if team.person(&who.value).is_some() {
            continue;
        }
        let mut d = Diagnostic::error(
            Rule::OwnerUnknown,
            &doc.file,
            format!("{field} `{}` is not in the team data", who.value),
        )
        .at(who.pos);
        let near = suggest::closest(&who.value, team.people.iter().map(|p| p.id.as_str()));
        d = match near.and_then(|id| team.person(id)) {
            Some(p) => d.with_help(format!("did you mean `{}` ({})?", p.id, p.name)),
            None => d.with_help("person ids are the `id`s under `people:` in the data folder"),
        };
        out.push(d);
    }
}

/// `section-missing`: the headings handbook.yaml requires of the document's kind (any level,
/// compared without case).
fn sections(site: &Site, page: &Page, doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(required) = site.config.required_sections.get(&doc.front.kind) else {
        return;
    };
    let Some(body) = &page.body else { return };
    for name in required {
        let wanted = name.trim();
        if body
            .headings
            .iter()
            .any(|h| h.text.trim().eq_ignore_ascii_case(wanted))
        {
            continue;
        }
        out.push(
            Diagnostic::warning(
                Rule::SectionMissing,
                &doc.file,
                format!(
                    "{} has no `{wanted}` section",
                    doc.front.kind.label()
                ),
            )
            .at(doc.body_pos(0))
            .with_help(format!(
                "add a `## {wanted}` heading (handbook.yaml `required_sections` lists what each kind needs)"
            )),
        );
    }
}

/// `id-duplicate`: two documents with the same document id. The first in path order keeps it.
fn duplicate_ids(site: &Site, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &Document> = HashMap::new();
    let mut docs: Vec<&Document> = site.pages.iter().filter_map(|p| p.doc.as_ref()).collect();
    docs.sort_by(|a, b| a.path.cmp(&b.path));
    for doc in docs {
        let Some(Spanned { value: id, pos }) = &doc.front.id else {
            continue;
        };
        match first.get(id.as_str()) {
            None => {
                first.insert(id, doc);
            }
            Some(other) => out.push(
                Diagnostic::error(
                    Rule::IdDuplicate,
                    &doc.file,
                    format!(
                        "document id `{id}` is also the id of {}",
                        other.file.display()
                    ),
                )
                .at(*pos)
                .with_help("document ids must be unique; give this one the next free number"),
            ),
        }
    }
}

/// "Name (`id`)" of the document's owner, for messages.
fn owner_phrase(site: &Site, doc: &Document) -> String {
    match doc.front.owned_by() {
        None => "none".into(),
        Some(Owned::Channel(c)) => format!("chat channel `{c}`"),
        Some(Owned::Person(id)) => match site.team.person(id) {
            Some(p) => format!("{} (`{}`)", p.name, p.id),
            None => format!("`{id}`"),
        },
    }
}
