//! The contexts of pages made from the team data and the documents (see `site::generated`), and
//! the review lists of the home page. Every list comes from the indexes the model built once;
//! nothing here scans the whole site for one page.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::json;

use crate::dates::Day;
use crate::load::front_matter::Owned;
use crate::load::FrontMatter;
use crate::site::review::ReviewStatus;
use crate::site::Generated;
use crate::site::{Page, PageId, HOME};

use super::escape::{escape_attribute, push_link};
use super::fragments::page_list;
use super::items::{dates_attribute, due_html, review_when_html, ListItem, PersonRef, ReviewCtx};
use super::renderer::Renderer;

/// Documents listed per owner on the home page; the person's own page lists them all.
const HOME_DOCS_PER_OWNER: usize = 5;
/// Owners listed per group on the home page; the documents index has the rest.
const HOME_OWNERS: usize = 12;

/// A link to a team or role, by its name.
#[derive(Serialize)]
pub(super) struct Named<'a> {
    id: &'a str,
    title: &'a str,
    href: Option<String>,
}

/// A document in a list: on person, tag and kind pages and on the home page.
#[derive(Serialize)]
pub(super) struct DocRow<'a> {
    title: &'a str,
    href: String,
    kind: &'static str,
    kind_label: &'static str,
    doc_id: Option<&'a str>,
    status: &'static str,
    status_label: &'static str,
    owner: Option<PersonRef<'a>>,
    review: Option<ReviewCtx<'a>>,
    /// How far it is from its review, in words (home page rows only).
    when_html: Option<String>,
}

/// A table (`doc-table`) or list (`page-list`) of documents, as ready HTML.
///
/// Built in Rust rather than in a template: on tag, kind and person pages these run to
/// thousands of rows, and Tera spends some 15 µs on each (on the 10,000-page benchmark that took
/// the build from 1.3 to 2.1 s); here a row costs about a microsecond.
#[derive(Serialize)]
pub(super) struct Listing {
    count: usize,
    html: String,
}

/// The optional columns of a documents table (`doc-table`), beside the document and its next
/// review.
#[derive(Clone, Copy)]
struct Columns {
    kind: bool,
    owner: bool,
    status: bool,
}

impl Columns {
    const ALL: Columns = Columns {
        kind: true,
        owner: true,
        status: true,
    };
    /// On the owner's own page.
    const OWNED: Columns = Columns {
        owner: false,
        ..Columns::ALL
    };
    /// What a reviewer needs: which document, whose, when.
    const REVIEWED: Columns = Columns {
        kind: false,
        owner: true,
        status: false,
    };
    /// On the page of one kind.
    const OF_KIND: Columns = Columns {
        kind: false,
        ..Columns::ALL
    };
}

#[derive(Serialize)]
pub(super) struct Certification<'a> {
    name: &'a str,
    expires: Option<Day>,
    /// Expired before the as-of date.
    expired: bool,
    /// Required by the person's role.
    required: bool,
}

#[derive(Serialize)]
pub(super) struct PersonPage<'a> {
    id: &'a str,
    name: &'a str,
    email: Option<&'a str>,
    chat: Option<&'a str>,
    joined: Option<Day>,
    /// The day they left, when on or before the as-of date.
    departed: Option<Day>,
    role: Option<Named<'a>>,
    team: Option<Named<'a>>,
    manager: Option<PersonRef<'a>>,
    reports: Vec<PersonRef<'a>>,
    certifications: Vec<Certification<'a>>,
    /// Certifications the role requires that the person does not hold, or holds expired.
    missing_certifications: Vec<&'a str>,
    /// The documents they must read, each with where they stand (ready HTML).
    has_reading: bool,
    reading_html: String,
    phone: Option<&'a str>,
    /// Their coming on-call shifts (ready HTML; empty when none).
    shifts_html: String,
    owns: Listing,
    approves: Listing,
    reviews: Listing,
    extra: &'a BTreeMap<String, serde_json::Value>,
}

/// A person in a list, with their role and team.
#[derive(Serialize)]
pub(super) struct Member<'a> {
    #[serde(flatten)]
    person: PersonRef<'a>,
    role: Option<Named<'a>>,
    team: Option<Named<'a>>,
    /// Required certifications of their role they lack (on role pages).
    missing_certifications: Vec<&'a str>,
    /// The documents they own that are overdue for review.
    #[serde(flatten)]
    overdue: Overdue,
}

/// How many documents of a list are overdue for review on the build's date, and the next review
/// dates of all of them in force, so that the page's script can count again on the reader's.
/// Flattened into its owner: templates see `overdue` (a number, as before) and `overdue_dates`.
#[derive(Serialize, Default)]
pub(super) struct Overdue {
    overdue: usize,
    /// Space-separated `YYYY-MM-DD`, for a `data-overdue-dates` attribute.
    overdue_dates: String,
}

#[derive(Serialize)]
pub(super) struct TeamPage<'a> {
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    lead: Option<PersonRef<'a>>,
    members: Vec<Member<'a>>,
    /// The documents the members own, with their status and next review.
    documents: Listing,
    /// Those of them overdue for review.
    #[serde(flatten)]
    overdue: Overdue,
    /// The team's on-call rotations (ready HTML; empty when none).
    rotations_html: String,
    extra: &'a BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
pub(super) struct RolePage<'a> {
    id: &'a str,
    title: &'a str,
    summary: Option<&'a str>,
    responsibilities: &'a [String],
    certifications: &'a [String],
    holders: Vec<Member<'a>>,
    /// What its holders must read because of it, each with how many of them acknowledged
    /// its version in force (ready HTML).
    has_reading: bool,
    reading_html: String,
    extra: &'a BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
pub(super) struct TagPage<'a> {
    name: &'a str,
    documents: Listing,
}

/// An entry of an index page: a team, role, tag or kind with a count.
#[derive(Serialize)]
pub(super) struct Entry<'a> {
    title: &'a str,
    href: Option<String>,
    description: Option<&'a str>,
    count: usize,
    lead: Option<PersonRef<'a>>,
    /// Documents overdue for review among those the team's members own (teams only).
    #[serde(flatten)]
    overdue: Overdue,
}

/// The rows of an index page; `type` says which list it is.
#[derive(Serialize, Default)]
pub(super) struct List<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    people: Vec<Member<'a>>,
    entries: Vec<Entry<'a>>,
    documents: Option<Listing>,
}

impl List<'_> {
    /// Whether the list shows every child of its page (so the plain child list is not needed).
    pub(super) fn lists_children(&self) -> bool {
        self.kind != "directory"
    }
}

/// What the home page shows about reviews: the handbook's health.
#[derive(Serialize)]
pub(super) struct HomeReviews<'a> {
    /// How many reviewed documents (published, not retired, with a review date or a kind that
    /// is reviewed) stand where: overdue, due soon, current, no review date; all four, zeros too.
    counts: Vec<StatusCount>,
    /// The sum of `counts`: 0 when the handbook governs no document.
    governed: usize,
    /// Overdue, then due soon; a group with no documents is left out.
    groups: Vec<ReviewGroup<'a>>,
    /// What the reader's-date script needs to say all this again on the reader's date (JSON,
    /// safe inside a `<script>` element): see [`Renderer::review_facts`].
    facts: String,
}

#[derive(Serialize)]
pub(super) struct StatusCount {
    status: ReviewStatus,
    label: &'static str,
    count: usize,
}

#[derive(Serialize)]
pub(super) struct ReviewGroup<'a> {
    status: ReviewStatus,
    label: &'static str,
    count: usize,
    owners: Vec<OwnerGroup<'a>>,
    /// Owners not shown.
    more_owners: usize,
}

#[derive(Serialize)]
pub(super) struct OwnerGroup<'a> {
    /// `None` for documents without an owner.
    owner: Option<PersonRef<'a>>,
    /// The owner's team, when the team data gives one.
    team: Option<Named<'a>>,
    count: usize,
    documents: Vec<DocRow<'a>>,
    /// Documents not shown (the owner's page lists them).
    more: usize,
}

/// The extra context of a generated page, each in its own field for the templates.
#[derive(Serialize, Default)]
pub(super) struct GeneratedCtx<'a> {
    pub person: Option<PersonPage<'a>>,
    pub team: Option<TeamPage<'a>>,
    pub role: Option<RolePage<'a>>,
    /// A rotation's page, as HTML.
    pub rotation: Option<String>,
    pub tag: Option<TagPage<'a>>,
    pub list: Option<List<'a>>,
}

impl<'s> Renderer<'s> {
    /// The template and extra context of page `id`.
    pub(super) fn generated(&self, id: PageId) -> (&'static str, GeneratedCtx<'s>) {
        let Some(what) = self.site.pages[id].generated else {
            return ("page.html", GeneratedCtx::default());
        };
        let mut ctx = GeneratedCtx::default();
        let template = match what {
            Generated::Person(i) => {
                ctx.person = Some(self.person_page(id, i));
                "person.html"
            }
            Generated::Team(i) => {
                ctx.team = Some(self.team_page(id, i));
                "team.html"
            }
            Generated::Role(i) => {
                ctx.role = Some(self.role_page(id, i));
                "role.html"
            }
            Generated::Rotation(i) => {
                ctx.rotation = Some(self.rotation_html(id, i));
                "rotation.html"
            }
            Generated::Tag(i) => {
                let site = self.site;
                let tag = &site.registry.tags[i];
                ctx.tag = Some(TagPage {
                    name: &tag.name,
                    documents: self.doc_list(id, &tag.pages),
                });
                "tag.html"
            }
            index => {
                ctx.list = Some(self.list(id, index));
                "list.html"
            }
        };
        (template, ctx)
    }

    fn person_page(&self, from: PageId, i: usize) -> PersonPage<'s> {
        let site = self.site;
        let as_of = site.options.as_of;
        let p = &site.team.people[i];
        let role = p.role.as_deref().and_then(|r| site.team.role(r));
        let duties = site.registry.duties(&p.id);
        let table = |list: Option<&Vec<PageId>>, columns: Columns| {
            self.doc_table(from, list.map_or(&[], Vec::as_slice), columns)
        };
        PersonPage {
            id: &p.id,
            name: &p.name,
            email: p.email.as_deref(),
            chat: p.chat.as_deref(),
            joined: p.joined,
            departed: p.departed(as_of),
            role: p.role.as_deref().map(|r| self.role_link(from, r)),
            team: p.team.as_deref().map(|t| self.team_link(from, t)),
            manager: p.manager.as_deref().map(|m| self.person_ref(from, m)),
            reports: site.registry.reports[i]
                .iter()
                .map(|&r| self.person_ref(from, &site.team.people[r].id))
                .collect(),
            certifications: p
                .certifications
                .iter()
                .map(|c| Certification {
                    name: &c.name,
                    expires: c.expires,
                    expired: c.expired(as_of),
                    required: role.is_some_and(|r| r.certifications.contains(&c.name)),
                })
                .collect(),
            missing_certifications: role
                .map(|r| p.missing_certifications(r, as_of))
                .unwrap_or_default(),
            has_reading: site.reading().of_person(i).next().is_some(),
            reading_html: self.reading_html(from, i),
            phone: p.phone.as_deref(),
            shifts_html: self.shifts_html(from, i),
            owns: table(duties.map(|d| &d.owns), Columns::OWNED),
            approves: table(duties.map(|d| &d.approves), Columns::ALL),
            reviews: table(duties.map(|d| &d.reviews), Columns::REVIEWED),
            extra: &p.extra,
        }
    }

    /// Person `i`'s required reading: each document linked, with whether they acknowledged
    /// its version in force or by when they must (`data-due`, for the reader's date).
    fn reading_html(&self, from: PageId, i: usize) -> String {
        use crate::site::reading::Standing;
        let site = self.site;
        let mut out = String::new();
        for d in site.reading().of_person(i) {
            if out.is_empty() {
                out.push_str("<ul class=\"required-reading\">\n");
            }
            let page = &site.pages[d.page];
            out.push_str("<li>");
            push_link(&mut out, &site.href(from, &page.url), &page.title);
            out.push_str(" · ");
            if d.standing == Standing::Current {
                // An acknowledgement that must be renewed shows as due from the day it lapses.
                match d.lapses {
                    Some(lapses) => {
                        let _ = write!(
                            out,
                            "<span class=\"acknowledgement-current\" data-until=\"{lapses}\">"
                        );
                    }
                    None => out.push_str("<span class=\"acknowledgement-current\">"),
                }
                out.push_str("acknowledged");
                if let Some(on) = d.acknowledged {
                    let _ = write!(out, " <time>{on}</time>");
                }
                out.push_str("</span>");
                if let Some(lapses) = d.lapses {
                    let _ = write!(out, "<span data-from=\"{lapses}\" hidden>");
                    due_html(&mut out, d);
                    out.push_str("</span>");
                }
            } else {
                due_html(&mut out, d);
            }
            out.push_str("</li>\n");
        }
        if !out.is_empty() {
            out.push_str("</ul>\n");
        }
        out
    }

    /// Role `i`'s required reading: each document linked, with how many of the role's current
    /// holders acknowledged its version in force.
    fn role_reading_html(&self, from: PageId, i: usize) -> String {
        use crate::site::reading::Standing;
        let site = self.site;
        let role = site.team.roles[i].id.as_str();
        let reading = site.reading();
        let Some(pages) = reading.by_role.get(i).filter(|p| !p.is_empty()) else {
            return String::new();
        };
        let mut out = String::from("<ul class=\"required-reading\">\n");
        for &page in pages {
            let holders: Vec<_> = (reading.of_page(page).iter())
                .filter(|d| site.team.people[d.person].role.as_deref() == Some(role))
                .collect();
            let current = holders
                .iter()
                .filter(|d| d.standing == Standing::Current)
                .count();
            out.push_str("<li>");
            push_link(
                &mut out,
                &site.href(from, &site.pages[page].url),
                &site.pages[page].title,
            );
            // Acknowledgements that lapse are counted out by the reader's browser on the day.
            let lapses = dates_attribute("data-lapses", holders.iter().filter_map(|d| d.lapses));
            let count = match lapses.is_empty() {
                true => current.to_string(),
                false => format!("<span{lapses}>{current}</span>"),
            };
            let _ = writeln!(
                out,
                " · acknowledged by {count} of {} holders</li>",
                holders.len()
            );
        }
        out.push_str("</ul>\n");
        out
    }

    fn team_page(&self, from: PageId, i: usize) -> TeamPage<'s> {
        let site = self.site;
        let t = &site.team.teams[i];
        let documents = self.team_documents(i);
        TeamPage {
            id: &t.id,
            name: &t.name,
            description: t.description.as_deref(),
            lead: t.lead.as_deref().map(|l| self.person_ref(from, l)),
            members: site.registry.members[i]
                .iter()
                .map(|&m| self.member(from, m))
                .collect(),
            documents: self.doc_table(from, &documents, Columns::ALL),
            overdue: self.overdue_in(&documents),
            rotations_html: self.team_rotations_html(from, i),
            extra: &t.extra,
        }
    }

    fn role_page(&self, from: PageId, i: usize) -> RolePage<'s> {
        let site = self.site;
        let r = &site.team.roles[i];
        RolePage {
            id: &r.id,
            title: &r.title,
            summary: r.summary.as_deref(),
            responsibilities: &r.responsibilities,
            certifications: &r.certifications,
            holders: site.registry.holders[i]
                .iter()
                .map(|&m| self.member(from, m))
                .collect(),
            has_reading: site.reading().by_role.get(i).is_some_and(|p| !p.is_empty()),
            reading_html: self.role_reading_html(from, i),
            extra: &r.extra,
        }
    }

    fn list(&self, from: PageId, what: Generated) -> List<'s> {
        let site = self.site;
        let reg = &site.registry;
        let href = |page: Option<PageId>| page.map(|p| site.href(from, &site.pages[p].url));
        let mut list = List::default();
        match what {
            Generated::People => {
                list.kind = "people";
                let mut people: Vec<usize> = (0..site.team.people.len()).collect();
                people.sort_by(|&a, &b| site.team.people[a].name.cmp(&site.team.people[b].name));
                list.people = people.into_iter().map(|i| self.member(from, i)).collect();
            }
            Generated::Teams => {
                list.kind = "teams";
                list.entries = site
                    .team
                    .teams
                    .iter()
                    .enumerate()
                    .map(|(i, t)| Entry {
                        title: &t.name,
                        href: href(reg.team_page[i]),
                        description: t.description.as_deref(),
                        count: reg.members[i].len(),
                        lead: t.lead.as_deref().map(|l| self.person_ref(from, l)),
                        overdue: self.overdue_in(&self.team_documents(i)),
                    })
                    .collect();
            }
            Generated::Roles => {
                list.kind = "roles";
                list.entries = site
                    .team
                    .roles
                    .iter()
                    .enumerate()
                    .map(|(i, r)| Entry {
                        title: &r.title,
                        href: href(reg.role_page[i]),
                        description: r.summary.as_deref(),
                        count: reg.holders[i].len(),
                        lead: None,
                        overdue: Overdue::default(),
                    })
                    .collect();
            }
            Generated::Tags => {
                list.kind = "tags";
                list.entries = reg
                    .tags
                    .iter()
                    .map(|t| Entry {
                        title: &t.name,
                        href: href(t.page),
                        description: None,
                        count: t.pages.len(),
                        lead: None,
                        overdue: Overdue::default(),
                    })
                    .collect();
            }
            Generated::Documents => {
                list.kind = "documents";
                list.entries = site.pages[from]
                    .children
                    .iter()
                    .filter_map(|&c| match site.pages[c].generated {
                        Some(Generated::DocumentsOfKind(k)) => Some(Entry {
                            title: k.plural(),
                            href: href(Some(c)),
                            description: None,
                            count: reg.by_kind.get(&k).map_or(0, Vec::len),
                            lead: None,
                            overdue: Overdue::default(),
                        }),
                        _ => None,
                    })
                    .collect();
            }
            Generated::DocumentsOfKind(kind) => {
                list.kind = "documents-of-kind";
                list.documents = Some(self.doc_table(
                    from,
                    reg.by_kind.get(&kind).map_or(&[], Vec::as_slice),
                    Columns::OF_KIND,
                ));
            }
            Generated::Directory => list.kind = "directory",
            Generated::Rotations => {
                list.kind = "rotations";
                list.entries = (site.team.rotations.iter().enumerate())
                    .map(|(i, r)| Entry {
                        title: &r.name,
                        href: href(reg.rotation_page[i]),
                        description: None,
                        count: r.members.len(),
                        lead: None,
                        overdue: Overdue::default(),
                    })
                    .collect();
            }
            Generated::Person(_)
            | Generated::Team(_)
            | Generated::Role(_)
            | Generated::Rotation(_)
            | Generated::Tag(_) => {}
        }
        list
    }

    /// Overdue and due-soon documents by owner, for the home page. Retired documents are not
    /// reviewed any more and are left out.
    pub(super) fn home_reviews(&self) -> HomeReviews<'s> {
        let site = self.site;
        let mut overdue: Vec<PageId> = Vec::new();
        let mut due_soon: Vec<PageId> = Vec::new();
        let mut current = 0;
        let mut none = 0;
        for page in site.published().filter(|p| p.is_document() && p.in_force()) {
            match page.review.as_ref().map(|r| r.status) {
                Some(ReviewStatus::Overdue) => overdue.push(page.id),
                Some(ReviewStatus::DueSoon) => due_soon.push(page.id),
                Some(ReviewStatus::Current) => current += 1,
                Some(ReviewStatus::None) => none += 1,
                None => {}
            }
        }
        let counts: Vec<StatusCount> = [
            (ReviewStatus::Overdue, overdue.len()),
            (ReviewStatus::DueSoon, due_soon.len()),
            (ReviewStatus::Current, current),
            (ReviewStatus::None, none),
        ]
        .into_iter()
        .map(|(status, count)| StatusCount {
            status,
            label: status.label(),
            count,
        })
        .collect();
        let groups = [
            (ReviewStatus::Overdue, overdue),
            (ReviewStatus::DueSoon, due_soon),
        ];
        HomeReviews {
            facts: self.review_facts(),
            governed: counts.iter().map(|c| c.count).sum(),
            counts,
            groups: groups
                .into_iter()
                .filter(|(_, docs)| !docs.is_empty())
                .map(|(status, docs)| self.review_group(status, docs))
                .collect(),
        }
    }

    /// The review facts of every document in force that has a next review date, for the home
    /// page's script: a site built in March and read in December must list December's overdue
    /// documents. `{"asOf", "owners": [[owner HTML, team HTML, owner page]], "docs": [[owner
    /// index or -1, next review in days after asOf, days of its due-soon window or -1, id,
    /// title, href]]}`, documents in the order the lists use (next review, then title). Kept
    /// compact (about 100 bytes a document): one page carries it for the whole handbook. A
    /// document already overdue on the build date stays overdue on any later one, ahead of
    /// those overdue since in its owner's list: past each owner's first five of those (all the
    /// list can show), its row is `[owner, days]`, which is all the counting needs (the script
    /// leaves the build's figures to a reader whose date is before the build's). `<` is
    /// written `\u003c`, so no text closes the script element.
    fn review_facts(&self) -> String {
        let site = self.site;
        let as_of = site.options.as_of;
        let mut docs: Vec<(&Page, Day, Option<Day>)> = (site.published())
            .filter(|p| p.is_document() && p.in_force())
            .filter_map(|p| {
                let r = p.review.as_ref()?;
                Some((p, r.next?, r.due_soon_from))
            })
            .collect();
        docs.sort_by(|a, b| (a.1, &a.0.title).cmp(&(b.1, &b.0.title)));
        let mut owner_index: HashMap<Owned, usize> = HashMap::new();
        let mut owners: Vec<serde_json::Value> = Vec::new();
        // Per owner index (-1: none), the rows overdue on the build date written in full.
        let mut overdue_shown: HashMap<i64, usize> = HashMap::new();
        let rows: Vec<serde_json::Value> = docs
            .iter()
            .map(|&(page, next, soon)| {
                let front = page.doc.as_ref().map(|d| &d.front);
                let owner = front.and_then(FrontMatter::owned_by);
                let index = owner.map(|o| {
                    *owner_index.entry(o).or_insert_with(|| {
                        let person = self.owner_ref(HOME, o);
                        let team = self.owner_team(Some(o)).map(|t| {
                            let mut html = String::new();
                            match &t.href {
                                Some(href) => push_link(&mut html, href, t.title),
                                None => escape_attribute(&mut html, t.title),
                            }
                            html
                        });
                        owners.push(json!([person.html, team, person.href]));
                        owners.len() - 1
                    })
                });
                let index = index.map_or(-1, |i| i as i64);
                let days = as_of.days_until(next);
                if days < 0 {
                    let shown = overdue_shown.entry(index).or_default();
                    if *shown == HOME_DOCS_PER_OWNER {
                        return json!([index, days]);
                    }
                    *shown += 1;
                }
                json!([
                    index,
                    days,
                    soon.map_or(-1, |s| s.days_until(next)),
                    front
                        .and_then(|f| f.id.as_ref())
                        .map_or("", |s| s.value.as_str()),
                    page.title,
                    site.href(HOME, &page.url),
                ])
            })
            .collect();
        json!({ "asOf": as_of, "owners": owners, "docs": rows })
            .to_string()
            .replace('<', "\\u003c")
    }

    /// Documents grouped by owner (most documents first, then the owner of the oldest review),
    /// each group oldest review first.
    fn review_group(&self, status: ReviewStatus, mut docs: Vec<PageId>) -> ReviewGroup<'s> {
        let site = self.site;
        let next = |id: &PageId| site.pages[*id].review.as_ref().and_then(|r| r.next);
        docs.sort_by(|a, b| {
            next(a)
                .cmp(&next(b))
                .then_with(|| site.pages[*a].title.cmp(&site.pages[*b].title))
        });
        // Owners in the order their first document comes, so that ties go to whoever's review
        // is the oldest; the home page's script orders them the same way.
        let mut position: HashMap<Option<Owned>, usize> = HashMap::new();
        let mut groups: Vec<(Option<Owned>, Vec<PageId>)> = Vec::new();
        for &d in &docs {
            let owner = site.pages[d]
                .doc
                .as_ref()
                .and_then(|doc| doc.front.owned_by());
            let at = *position.entry(owner).or_insert_with(|| {
                groups.push((owner, Vec::new()));
                groups.len() - 1
            });
            groups[at].1.push(d);
        }
        // Stable: equal counts keep the order of their first documents.
        groups.sort_by_key(|(_, docs)| std::cmp::Reverse(docs.len()));
        let more_owners = groups.len().saturating_sub(HOME_OWNERS);
        ReviewGroup {
            status,
            label: status.label(),
            count: docs.len(),
            more_owners,
            owners: groups
                .into_iter()
                .take(HOME_OWNERS)
                .map(|(owner, docs)| OwnerGroup {
                    team: self.owner_team(owner),
                    owner: owner.map(|o| self.owner_ref(HOME, o)),
                    count: docs.len(),
                    more: docs.len().saturating_sub(HOME_DOCS_PER_OWNER),
                    documents: docs
                        .iter()
                        .take(HOME_DOCS_PER_OWNER)
                        .map(|&d| DocRow {
                            when_html: (site.pages[d].review.as_ref()).and_then(review_when_html),
                            ..self.doc_row(HOME, d)
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// A compact list for tag pages, which are for finding pages rather than for governance:
    /// the section lists' markup (title, kind, document id) plus any status other than active.
    fn doc_list(&self, from: PageId, docs: &[PageId]) -> Listing {
        let items: Vec<_> = docs
            .iter()
            .map(|&id| ListItem {
                description: None,
                ..self.list_item(from, id)
            })
            .collect();
        Listing {
            count: docs.len(),
            html: page_list(&items, true),
        }
    }

    /// See [`Listing`]. The markup matches the rest of the theme: the same kind badges,
    /// status pills, person links and review badges (which the reader's-date script updates).
    /// `columns` leaves out what the page already says or its reader does not need: a table
    /// row is written for every document on the people's, teams' and kinds' pages (some 45,000
    /// at 10,000 pages), so a column costs megabytes.
    fn doc_table(&self, from: PageId, docs: &[PageId], columns: Columns) -> Listing {
        let mut html = String::with_capacity(160 + docs.len() * 400);
        html.push_str("<table class=\"doc-table\">\n<thead><tr><th scope=\"col\">Document</th>");
        if columns.kind {
            html.push_str("<th scope=\"col\">Kind</th>");
        }
        if columns.owner {
            html.push_str("<th scope=\"col\">Owner</th>");
        }
        if columns.status {
            html.push_str("<th scope=\"col\">Status</th>");
        }
        html.push_str("<th scope=\"col\">Next review</th></tr></thead>\n<tbody>");
        for &id in docs {
            let row = self.doc_row_with(from, id, columns.owner);
            html.push_str("<tr><td>");
            if let Some(doc_id) = row.doc_id {
                html.push_str("<span class=\"doc-id\">");
                escape_attribute(&mut html, doc_id);
                html.push_str("</span> ");
            }
            html.push_str("<a href=\"");
            escape_attribute(&mut html, &row.href);
            html.push_str("\">");
            escape_attribute(&mut html, row.title);
            html.push_str("</a>");
            if columns.kind {
                let _ = write!(
                    html,
                    "<td><span class=\"kind {}\">{}</span>",
                    row.kind, row.kind_label
                );
            }
            if columns.owner {
                html.push_str("<td>");
                if let Some(owner) = &row.owner {
                    html.push_str(&owner.html);
                }
            }
            if columns.status {
                let _ = write!(
                    html,
                    "<td><span class=\"status {}\">{}</span>",
                    row.status, row.status_label
                );
            }
            html.push_str("<td>");
            if let Some(r) = &row.review {
                let review = r.review;
                if let Some(next) = review.next {
                    let _ = write!(html, "<time>{next}</time> ");
                }
                html.push_str(&r.badge);
            }
            // No `</td>` nor `</tr>`: optional, as in the lists of `fragments`. Nor a line
            // break, which would be text in the last cell: an empty one must stay `:empty`.
        }
        html.push_str("</tbody>\n</table>");
        Listing {
            count: docs.len(),
            html,
        }
    }

    pub(super) fn doc_row(&self, from: PageId, id: PageId) -> DocRow<'s> {
        self.doc_row_with(from, id, true)
    }

    /// [`Self::doc_row`], its owner worked out only when `owner` (a table without the column
    /// need not make the link).
    fn doc_row_with(&self, from: PageId, id: PageId, owner: bool) -> DocRow<'s> {
        let site = self.site;
        let page = &site.pages[id];
        let front = page.doc.as_ref().map(|d| &d.front);
        DocRow {
            title: &page.title,
            href: site.href(from, &page.url),
            kind: page.kind().as_str(),
            kind_label: page.kind().label(),
            doc_id: front.and_then(|f| f.id.as_ref()).map(|s| s.value.as_str()),
            status: page.status().as_str(),
            status_label: page.status().label(),
            owner: front
                .filter(|_| owner)
                .and_then(FrontMatter::owned_by)
                .map(|o| self.owner_ref(from, o)),
            // A retired document is no longer reviewed, a draft not yet: no badge.
            review: page
                .in_force()
                .then_some(page.review.as_ref())
                .flatten()
                .map(ReviewCtx::new),
            when_html: None,
        }
    }

    fn member(&self, from: PageId, i: usize) -> Member<'s> {
        let site = self.site;
        let p = &site.team.people[i];
        let missing = p
            .role
            .as_deref()
            .and_then(|r| site.team.role(r))
            .map(|role| p.missing_certifications(role, site.options.as_of))
            .unwrap_or_default();
        Member {
            person: self.person_ref(from, &p.id),
            role: p.role.as_deref().map(|r| self.role_link(from, r)),
            team: p.team.as_deref().map(|t| self.team_link(from, t)),
            missing_certifications: missing,
            overdue: self.overdue_in(self.owned(&p.id)),
        }
    }

    /// The published documents person `id` owns.
    fn owned(&self, id: &str) -> &'s [PageId] {
        (self.site.registry.duties(id)).map_or(&[], |d| d.owns.as_slice())
    }

    /// The published documents the members of team `i` own, by title.
    fn team_documents(&self, i: usize) -> Vec<PageId> {
        let site = self.site;
        let mut docs: Vec<PageId> = (site.registry.members[i].iter())
            .flat_map(|&m| self.owned(&site.team.people[m].id))
            .copied()
            .filter(|&d| site.pages[d].published && site.pages[d].is_document())
            .collect();
        docs.sort_by(|&a, &b| {
            site.pages[a]
                .title
                .cmp(&site.pages[b].title)
                .then(a.cmp(&b))
        });
        docs.dedup();
        docs
    }

    /// How many of `docs` are in force, published and overdue for review, with the next review
    /// dates of all of those in force and published.
    fn overdue_in(&self, docs: &[PageId]) -> Overdue {
        let site = self.site;
        let mut overdue = Overdue::default();
        let reviews = (docs.iter())
            .map(|&d| &site.pages[d])
            .filter(|p| p.published && p.is_document() && p.in_force())
            .filter_map(|p| p.review.as_ref());
        for review in reviews {
            let Some(next) = review.next else { continue };
            if review.status == ReviewStatus::Overdue {
                overdue.overdue += 1;
            }
            if !overdue.overdue_dates.is_empty() {
                overdue.overdue_dates.push(' ');
            }
            overdue.overdue_dates.push_str(&next.to_string());
        }
        overdue
    }

    fn role_link(&self, from: PageId, id: &'s str) -> Named<'s> {
        let site = self.site;
        let found = site.team.role_index(id);
        self.named(
            from,
            id,
            found.map(|i| {
                (
                    site.team.roles[i].title.as_str(),
                    site.registry.role_page[i],
                )
            }),
        )
    }

    /// The team of a document's owner on the home page: a person's team from the team data.
    fn owner_team(&self, owner: Option<Owned<'s>>) -> Option<Named<'s>> {
        let Some(Owned::Person(id)) = owner else {
            return None;
        };
        let person = self.site.team.person(id)?;
        Some(self.team_link(HOME, person.team.as_deref()?))
    }

    fn team_link(&self, from: PageId, id: &'s str) -> Named<'s> {
        let site = self.site;
        let found = site.team.team_index(id);
        self.named(
            from,
            id,
            found.map(|i| (site.team.teams[i].name.as_str(), site.registry.team_page[i])),
        )
    }

    /// A team or role by id: its name and page when the team data has it, else the bare id.
    fn named(
        &self,
        from: PageId,
        id: &'s str,
        found: Option<(&'s str, Option<PageId>)>,
    ) -> Named<'s> {
        let site = self.site;
        let (title, page) = found.unwrap_or((id, None));
        Named {
            id,
            title,
            href: page.map(|p| site.href(from, &site.pages[p].url)),
        }
    }
}
