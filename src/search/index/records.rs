//! Records: what each page contributes to results (title, link, kind, owner, breadcrumb, id,
//! review dates), the small tables records point into, and the facets results are filtered by.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::encoding::encode_all;
use super::entry::Entry;
use crate::load::front_matter::Owned;
use crate::model::Status;
use crate::site::Generated;
use crate::site::{Page, PageId, Site, HOME};

/// Pages per file of records: a first screen of results reads several files, each mostly other
/// pages' (128: about 4 KB sent each at 10,000 pages).
pub(super) const RECORDS_PER_FILE: usize = 128;

/// The small tables records point into, and each page's facet values.
pub(super) struct Tables {
    pub(super) kinds: Vec<(&'static str, &'static str)>,
    pub(super) owners: Names,
    pub(super) teams: Names,
    pub(super) tags: Names,
    /// Breadcrumb sections: title, parent (-1: top level) and URL (see [`url_part`]).
    pub(super) crumbs: Vec<(String, i64, String)>,
    crumb_of: HashMap<PageId, i64>,
    /// Per page, in page order.
    facets: Vec<Facets>,
}

#[derive(Default)]
struct Facets {
    kind: usize,
    /// Indexes into `owners` and `teams`, one more than the index (0: none).
    owner: usize,
    team: usize,
    tags: Vec<usize>,
    crumb: i64,
    /// Review dates as days since 1970, one more (0: none).
    next: u64,
    soon: u64,
}

#[derive(Default)]
pub(super) struct Names {
    pub(super) names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Names {
    /// One more than the index of `name`, added if new.
    fn of(&mut self, name: &str) -> usize {
        let next = self.names.len();
        let i = *self.index.entry(name.to_string()).or_insert(next);
        if i == next {
            self.names.push(name.to_string());
        }
        i + 1
    }
}

/// What a result is called: a document's kind, or what a generated page shows.
fn kind_of(page: &Page) -> (&'static str, &'static str) {
    match page.generated {
        Some(Generated::Person(_)) => ("person", "Person"),
        Some(Generated::Team(_)) => ("team", "Team"),
        // A `kind: role` document that is its role's page is a role too.
        Some(Generated::Role(_)) => ("role", "Role"),
        Some(Generated::Rotation(_)) => ("rotation", "On-call rotation"),
        Some(Generated::Tag(_)) => ("tag", "Tag"),
        Some(_) => ("page", "Page"),
        None => (page.kind().as_str(), page.kind().label()),
    }
}

impl Tables {
    pub(super) fn new(site: &Site, entries: &[Entry]) -> Tables {
        let mut t = Tables {
            kinds: Vec::new(),
            owners: Names::default(),
            teams: Names::default(),
            tags: Names::default(),
            crumbs: Vec::new(),
            crumb_of: HashMap::new(),
            facets: Vec::with_capacity(entries.len()),
        };
        for e in entries {
            let mut f = Facets::default();
            let kind = kind_of(e.page);
            f.kind = match t.kinds.iter().position(|k| *k == kind) {
                Some(i) => i,
                None => {
                    t.kinds.push(kind);
                    t.kinds.len() - 1
                }
            };
            if let Some(doc) = &e.page.doc {
                match doc.front.owned_by() {
                    Some(Owned::Person(id)) => {
                        let person = site.team.person(id);
                        f.owner = t.owners.of(person.map_or(id, |p| p.name.as_str()));
                        if let Some(team) = person.and_then(|p| p.team.as_deref()) {
                            f.team = t
                                .teams
                                .of(site.team.team(team).map_or(team, |t| t.name.as_str()));
                        }
                    }
                    // Named as the pages name it, so it cannot pass for a person.
                    Some(Owned::Channel(c)) => {
                        f.owner = t.owners.of(&format!("{c} (chat channel)"))
                    }
                    None => {}
                }
                f.tags = doc.front.tags.iter().map(|tag| t.tags.of(tag)).collect();
            }
            f.crumb = e.page.parent.map_or(-1, |parent| t.crumb(site, parent));
            if let Some(review) = &e.page.review {
                f.next = review.next.map_or(0, day_number);
                f.soon = review.due_soon_from.map_or(0, day_number);
            }
            t.facets.push(f);
        }
        t
    }

    fn crumb(&mut self, site: &Site, page: PageId) -> i64 {
        if page == HOME {
            return -1;
        }
        if let Some(&i) = self.crumb_of.get(&page) {
            return i;
        }
        let p = &site.pages[page];
        let parent = p.parent.map_or(-1, |parent| self.crumb(site, parent));
        self.crumbs
            .push((p.title.clone(), parent, url_part(site, p)));
        let i = (self.crumbs.len() - 1) as i64;
        self.crumb_of.insert(page, i);
        i
    }

    /// What a result shows of page `i`: `[title, url (see [`url_part`]), kind, owner (0:
    /// none), crumb (-1: top), doc id, next review (days since 1970, plus one; 0: none), days
    /// it is due soon before that, retired]`.
    pub(super) fn record(&self, site: &Site, e: &Entry, i: usize) -> Value {
        let page = e.page;
        let f = &self.facets[i];
        json!([
            page.title,
            url_part(site, page),
            f.kind,
            f.owner,
            f.crumb,
            page.doc
                .as_ref()
                .and_then(|d| d.front.id.as_ref())
                .map_or("", |id| id.value.as_str()),
            f.next,
            f.next.saturating_sub(f.soon.max(1)) * u64::from(f.soon > 0),
            u8::from(page.status() == Status::Retired),
        ])
    }

    /// Per page, in page order, as varint strings: kind, owner and team (0: none), tags (a
    /// count, then each), and the review dates as days since 1970 (0: none); `retired` lists
    /// retired pages.
    pub(super) fn facets(&self) -> Value {
        json!({
            "kind": encode_all(self.facets.iter().map(|f| f.kind as u64)),
            "owner": encode_all(self.facets.iter().map(|f| f.owner as u64)),
            "team": encode_all(self.facets.iter().map(|f| f.team as u64)),
            "tags": encode_all(self.facets.iter().flat_map(|f| {
                std::iter::once(f.tags.len() as u64).chain(f.tags.iter().map(|&t| t as u64))
            })),
            "next": encode_all(self.facets.iter().map(|f| f.next)),
            "soon": encode_all(self.facets.iter().map(|f| f.soon)),
        })
    }
}

/// A page's URL as records keep it: `""` when it is its parent's URL and the slug of its
/// title (most pages: the script's `slug` makes the same), the last segment when only that
/// differs, else the whole URL after a `/`.
fn url_part(site: &Site, page: &Page) -> String {
    let parent = page.parent.map_or("", |p| site.pages[p].url.as_str());
    match page
        .url
        .strip_prefix(parent)
        .and_then(|s| s.strip_suffix('/'))
    {
        Some(segment) if !segment.contains('/') => {
            if segment == slug(&page.title) {
                String::new()
            } else {
                segment.to_string()
            }
        }
        _ => format!("/{}", page.url),
    }
}

/// ASCII letters and digits lowercased, runs of anything else one hyphen, none at the ends;
/// the search script's `slug` is the same.
fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Days since 1970-01-01, plus one, so that 0 can mean no date.
fn day_number(day: crate::dates::Day) -> u64 {
    let epoch = crate::dates::Day::new(1970, 1, 1).expect("a valid date");
    (epoch.days_until(day).max(0) + 1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_words_joined_by_hyphens() {
        assert_eq!(slug("On-Call Rotation"), "on-call-rotation");
        assert_eq!(slug("  SOP: 24/7 Support! "), "sop-24-7-support");
        assert_eq!(
            slug("Déploiement"),
            "d-ploiement",
            "the script does the same"
        );
    }
}
