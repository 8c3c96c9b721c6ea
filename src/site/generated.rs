//! Pages the handbook makes from its own data, and the indexes behind them.
//!
//! From the team data: `team/`, with a page per person, team and role. From the documents: a
//! page per tag under `tags/`, and the documents by kind under `documents/`. A content document
//! of kind `role` that names a role (by its `role` or `id` field) *is* that role's page: it stays
//! where its author put it, gains the role's facts, and no second page is made.
//!
//! The same pass builds the indexes every consumer needs (who owns what, who holds a role, who
//! reports to whom) once, so that no page has to scan the whole site to show its own lists.
//! What a page shows and the indexes are model types (`model.rs`), re-exported here.
//!
//! Generated pages yield to content: a content section at one of their URLs becomes their parent
//! (a handbook's own `content/team/_index.md` introduces the people pages), and a content page at
//! a person's, team's, role's or tag's URL keeps it, with a diagnostic.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Pos};
use crate::model::Kind;
use crate::rules::Rule;
use crate::suggest;
use crate::team::TeamData;

use super::model::{source_file, Page, PageId, HOME};
use super::model::{Duties, Generated, Registry, Tag};
use super::url;

/// Adds the generated pages under their parents and returns the indexes. `outputs` maps every
/// output file already taken to its page; generated pages are added to it.
pub(super) fn add(
    pages: &mut Vec<Page>,
    outputs: &mut HashMap<String, PageId>,
    team: &TeamData,
    diags: &mut Vec<Diagnostic>,
) -> Registry {
    let mut reg = Registry {
        person_page: vec![None; team.people.len()],
        team_page: vec![None; team.teams.len()],
        role_page: vec![None; team.roles.len()],
        rotation_page: vec![None; team.rotations.len()],
        members: vec![Vec::new(); team.teams.len()],
        holders: vec![Vec::new(); team.roles.len()],
        reports: vec![Vec::new(); team.people.len()],
        ..Registry::default()
    };
    index_people(team, &mut reg);
    index_documents(pages, &mut reg);
    claim_role_documents(pages, team, &mut reg, diags);

    let mut b = Builder {
        pages,
        outputs,
        diags,
    };
    let has_team = !(team.people.is_empty()
        && team.teams.is_empty()
        && team.roles.is_empty()
        && team.rotations.is_empty());
    if has_team {
        if let Some(dir) = b.section("team/".into(), HOME, "Team", Generated::Directory) {
            b.team_pages(dir, team, &mut reg);
        }
    }
    if !reg.tags.is_empty() {
        if let Some(dir) = b.section("tags/".into(), HOME, "Tags", Generated::Tags) {
            for (i, tag) in reg.tags.iter_mut().enumerate() {
                let url = format!("tags/{}/", url::slug_segment(&tag.name));
                let what = format!("the page of tag `{}`", tag.name);
                tag.page = b.leaf(url, dir, tag.name.clone(), Generated::Tag(i), &what);
            }
        }
    }
    if !reg.by_kind.is_empty() {
        if let Some(dir) = b.section("documents/".into(), HOME, "Documents", Generated::Documents) {
            for &kind in reg.by_kind.keys() {
                let url = format!("documents/{}/", kind.as_str());
                let what = format!("the index of {}", kind.plural());
                let title = kind.plural().to_string();
                b.leaf(url, dir, title, Generated::DocumentsOfKind(kind), &what);
            }
        }
    }
    reg
}

/// Teams, roles and reporting lines: each list sorted by name.
fn index_people(team: &TeamData, reg: &mut Registry) {
    for (i, person) in team.people.iter().enumerate() {
        if let Some(t) = person.team.as_deref().and_then(|t| team.team_index(t)) {
            reg.members[t].push(i);
        }
        if let Some(r) = person.role.as_deref().and_then(|r| team.role_index(r)) {
            reg.holders[r].push(i);
        }
        if let Some(m) = person.manager.as_deref().and_then(|m| team.person_index(m)) {
            reg.reports[m].push(i);
        }
    }
    let by_name = |list: &mut Vec<usize>| {
        list.sort_by(|&a, &b| team.people[a].name.cmp(&team.people[b].name));
    };
    reg.members.iter_mut().for_each(by_name);
    reg.holders.iter_mut().for_each(by_name);
    reg.reports.iter_mut().for_each(by_name);
}

/// Duties, kinds and tags of the published documents.
fn index_documents(pages: &[Page], reg: &mut Registry) {
    let tag_of_slug = &mut reg.tag_of_slug;
    // Tags as written, to skip slugging the same few names on every page.
    let mut tag_of_name: HashMap<&str, usize> = HashMap::new();
    for page in pages.iter().filter(|p| p.published) {
        let Some(doc) = &page.doc else { continue };
        let front = &doc.front;
        let mut duty = |person: &str, list: fn(&mut Duties) -> &mut Vec<PageId>| {
            let duties = match reg.duties.get_mut(person) {
                Some(d) => d,
                None => reg.duties.entry(person.to_string()).or_default(),
            };
            let ids = list(duties);
            if ids.last() != Some(&page.id) {
                ids.push(page.id);
            }
        };
        if let Some(owner) = &front.owner {
            duty(&owner.value, |d| &mut d.owns);
        }
        if let Some(approver) = &front.approver {
            duty(&approver.value, |d| &mut d.approves);
        }
        for reviewer in &front.reviewers {
            duty(&reviewer.value, |d| &mut d.reviews);
        }
        if page.id != HOME && page.is_document() {
            reg.by_kind.entry(page.kind()).or_default().push(page.id);
        }
        for name in &front.tags {
            let i = *tag_of_name.entry(name).or_insert_with(|| {
                *tag_of_slug
                    .entry(url::slug_segment(name))
                    .or_insert_with(|| {
                        reg.tags.push(Tag {
                            name: name.clone(),
                            page: None,
                            pages: Vec::new(),
                        });
                        reg.tags.len() - 1
                    })
            });
            if reg.tags[i].pages.last() != Some(&page.id) {
                reg.tags[i].pages.push(page.id);
            }
        }
    }
    // Each page's place among all pages in the two orders below, worked out once: the lists
    // (an entry per tag, kind, owner, approver and reviewer of each document: tens of
    // thousands at 10,000 pages) are then sorted by a number, not by comparing their strings
    // again. Ties go by page number, as the stable sorts of the lists (built in page order) did.
    let lower: Vec<String> = pages.par_iter().map(|p| p.title.to_lowercase()).collect();
    let doc_id = |id: PageId| {
        pages[id]
            .doc
            .as_ref()
            .and_then(|d| d.front.id.as_ref())
            .map(|s| s.value.as_str())
    };
    // Documents with an id first, by id; then the rest by title.
    let id_key = |id: PageId| (doc_id(id).is_none(), doc_id(id), &lower[id]);
    let (title_rank, id_rank) = rayon::join(
        || ranks(pages.len(), |a, b| lower[a].cmp(&lower[b])),
        || ranks(pages.len(), |a, b| id_key(a).cmp(&id_key(b))),
    );
    for tag in &mut reg.tags {
        tag.pages.sort_unstable_by_key(|&id| title_rank[id]);
    }
    reg.tags.sort_by_cached_key(|t| t.name.to_lowercase());
    reg.tag_of_slug = (reg.tags.iter().enumerate())
        .map(|(i, t)| (url::slug_segment(&t.name), i))
        .collect();
    let by_id = |docs: &mut Vec<PageId>| docs.sort_unstable_by_key(|&id| id_rank[id]);
    reg.by_kind.values_mut().for_each(by_id);
    for duties in reg.duties.values_mut() {
        by_id(&mut duties.owns);
        by_id(&mut duties.approves);
        by_id(&mut duties.reviews);
    }
}

/// Each of `n` pages' place in the order of `cmp`, ties in page order: sorting by these numbers
/// is sorting stably by `cmp`.
fn ranks(n: usize, cmp: impl Fn(PageId, PageId) -> std::cmp::Ordering + Sync) -> Vec<u32> {
    let mut order: Vec<PageId> = (0..n).collect();
    order.par_sort_by(|&a, &b| cmp(a, b));
    let mut rank = vec![0; n];
    for (place, id) in order.into_iter().enumerate() {
        rank[id] = place as u32;
    }
    rank
}

/// Content documents of kind `role` become the pages of the roles they name.
fn claim_role_documents(
    pages: &mut [Page],
    team: &TeamData,
    reg: &mut Registry,
    diags: &mut Vec<Diagnostic>,
) {
    for id in 0..pages.len() {
        let page = &pages[id];
        if !page.published || page.kind() != Kind::Role {
            continue;
        }
        let Some(doc) = &page.doc else { continue };
        let front = &doc.front;
        let Some(name) = front
            .role
            .as_deref()
            .or(front.id.as_ref().map(|s| s.value.as_str()))
        else {
            continue;
        };
        match team.role_index(name) {
            Some(r) => match reg.role_page[r] {
                None => {
                    reg.role_page[r] = Some(id);
                    pages[id].generated = Some(Generated::Role(r));
                }
                Some(first) => diags.push(
                    Diagnostic::warning(
                        Rule::IdDuplicate,
                        &doc.file,
                        format!(
                            "the role `{name}` is already described by `{}`; this page is not its role page",
                            pages[first].doc.as_ref().map_or("", |d| d.path.as_str())
                        ),
                    )
                    .at(Pos::new(1, 1)),
                ),
            },
            None => {
                let mut d = Diagnostic::warning(
                    Rule::RoleUnknown,
                    &doc.file,
                    format!("this document describes the role `{name}`, which is not in the team data"),
                )
                .at(Pos::new(1, 1));
                d = match suggest::closest(name, team.roles.iter().map(|r| r.id.as_str())) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("add the role under `roles:` in a file in the data folder"),
                };
                diags.push(d);
            }
        }
    }
}

struct Builder<'a> {
    pages: &'a mut Vec<Page>,
    outputs: &'a mut HashMap<String, PageId>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Builder<'_> {
    fn team_pages(&mut self, dir: PageId, team: &TeamData, reg: &mut Registry) {
        if !team.people.is_empty() {
            if let Some(list) =
                self.section("team/people/".into(), dir, "People", Generated::People)
            {
                for (i, p) in team.people.iter().enumerate() {
                    let url = format!("team/people/{}/", url::slug_segment(&p.id));
                    let what = format!("the page of person `{}`", p.id);
                    reg.person_page[i] =
                        self.leaf(url, list, p.name.clone(), Generated::Person(i), &what);
                }
            }
        }
        if !team.teams.is_empty() {
            if let Some(list) = self.section("team/teams/".into(), dir, "Teams", Generated::Teams) {
                for (i, t) in team.teams.iter().enumerate() {
                    let url = format!("team/teams/{}/", url::slug_segment(&t.id));
                    let what = format!("the page of team `{}`", t.id);
                    reg.team_page[i] =
                        self.leaf(url, list, t.name.clone(), Generated::Team(i), &what);
                }
            }
        }
        // When content documents describe every role, all in one section of roles (not the home
        // page, nothing but roles in it), that section is the handbook's list of roles: a
        // second, generated one would be a second "Roles" in the sidebar, to the same pages.
        let parents: Vec<Option<PageId>> = (reg.role_page.iter())
            .map(|p| p.and_then(|p| self.pages[p].parent))
            .collect();
        let roles_section = parents.first().copied().flatten().filter(|&section| {
            parents.iter().all(|p| *p == Some(section))
                && self.pages[section].parent.is_some()
                && (self.pages[section].children.iter())
                    .map(|&c| &self.pages[c])
                    .filter(|c| c.is_document())
                    .all(|c| c.doc.as_ref().is_some_and(|d| d.front.kind == Kind::Role))
        });
        if !team.roles.is_empty() && roles_section.is_none() {
            if let Some(list) = self.section("team/roles/".into(), dir, "Roles", Generated::Roles) {
                for (i, r) in team.roles.iter().enumerate() {
                    if reg.role_page[i].is_some() {
                        continue; // described by a content document
                    }
                    let url = format!("team/roles/{}/", url::slug_segment(&r.id));
                    let what = format!("the page of role `{}`", r.id);
                    reg.role_page[i] =
                        self.leaf(url, list, r.title.clone(), Generated::Role(i), &what);
                }
            }
        }
        if !team.rotations.is_empty() {
            let title = "On-call rotations";
            if let Some(list) =
                self.section("team/rotations/".into(), dir, title, Generated::Rotations)
            {
                // Ids that slug alike would share a page and a calendar: the first keeps them.
                let mut slugs: HashMap<String, usize> = HashMap::new();
                for (i, r) in team.rotations.iter().enumerate() {
                    let slug = url::slug_segment(&r.id);
                    if let Some(&first) = slugs.get(&slug) {
                        let msg = format!(
                            "rotation `{}` would have the page and calendar of rotation `{}` (`team/rotations/{slug}/`); give it an id that differs in more than case and punctuation",
                            r.id, team.rotations[first].id
                        );
                        self.diags.push(
                            Diagnostic::error(Rule::TeamDataInvalid, &r.source.file, msg)
                                .at(r.source.at("id")),
                        );
                        continue;
                    }
                    slugs.insert(slug.clone(), i);
                    let url = format!("team/rotations/{slug}/");
                    let what = format!("the page of rotation `{}`", r.id);
                    reg.rotation_page[i] =
                        self.leaf(url, list, r.name.clone(), Generated::Rotation(i), &what);
                }
            }
        }
    }

    /// A list page at `url` under `parent`, or the content section already there.
    fn section(
        &mut self,
        url: String,
        parent: PageId,
        title: &str,
        what: Generated,
    ) -> Option<PageId> {
        match self.outputs.get(&url::output_file(&url)) {
            Some(&existing) if self.pages[existing].is_section() => Some(existing),
            Some(&existing) => {
                self.clash(existing, &url, &format!("the {title} index"));
                None
            }
            None => Some(self.push(url, parent, title.to_string(), what)),
        }
    }

    /// A page of one person, team, role, tag or kind, unless content already has its URL.
    fn leaf(
        &mut self,
        url: String,
        parent: PageId,
        title: String,
        what: Generated,
        described: &str,
    ) -> Option<PageId> {
        match self.outputs.get(&url::output_file(&url)) {
            Some(&existing) => {
                self.clash(existing, &url, described);
                None
            }
            None => Some(self.push(url, parent, title, what)),
        }
    }

    fn push(&mut self, url: String, parent: PageId, title: String, what: Generated) -> PageId {
        let id = self.pages.len();
        self.outputs.insert(url::output_file(&url), id);
        self.pages.push(Page {
            parent: Some(parent),
            generated: Some(what),
            ..Page::new(id, url, title, None)
        });
        self.pages[parent].children.push(id);
        id
    }

    fn clash(&mut self, existing: PageId, url: &str, described: &str) {
        self.diags.push(
            Diagnostic::error(
                Rule::IdDuplicate,
                source_file(&self.pages[existing]),
                format!("this page takes `/{url}`, where the handbook puts {described}; that page is left out"),
            )
            .at(Pos::new(1, 1))
            .with_help("move or rename this file, or give it a different `slug`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::ranks;
    use proptest::prelude::*;

    proptest! {
        /// A list of distinct pages in page order sorted by rank is the list sorted stably by
        /// the order: equal keys (few letters, so ties are common) stay in page order.
        #[test]
        fn sorting_by_rank_is_sorting_stably(
            keys in prop::collection::vec("[ab]{0,2}", 0..40),
            picks in prop::collection::vec(any::<bool>(), 40),
        ) {
            let rank = ranks(keys.len(), |a, b| keys[a].cmp(&keys[b]));
            let list: Vec<usize> = (0..keys.len()).filter(|&i| picks[i]).collect();
            let mut by_rank = list.clone();
            by_rank.sort_unstable_by_key(|&id| rank[id]);
            let mut stably = list;
            stably.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
            prop_assert_eq!(by_rank, stably);
        }
    }
}
