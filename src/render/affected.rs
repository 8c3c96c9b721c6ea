//! Which pages an update of the documents changes (`serve`: a front matter edited, a file
//! added or removed): what a page shows of other pages (breadcrumbs, previous and next, "Referenced by", a section's list, the pages
//! made from the data), read from the model before and after the edit. The sidebar is not in
//! the pages: its scripts are written again after every such edit.

use crate::model::Status;
use crate::site::{Generated, PageId, Site, HOME};

/// What other pages show of a page beside its link: in the sidebar, breadcrumbs, previous and
/// next, "Referenced by", its section's list. Taken before the edit, while the page still has
/// its document.
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    title: String,
    nav_title: Option<String>,
    status: Status,
}

impl Face {
    pub fn of(site: &Site, id: PageId) -> Face {
        let p = &site.pages[id];
        Face {
            title: p.title.clone(),
            nav_title: p.nav_title.clone(),
            status: p.status(),
        }
    }
}

/// What an update of the model changed, as [`affected`] reads it.
pub struct Changes<'a> {
    /// Each old page's id in the new model (`None`: gone).
    pub map: &'a [Option<PageId>],
    /// The pages of the documents replaced or added, in the new model, sorted.
    pub changed: &'a [PageId],
    /// What the replaced documents' pages showed before, by their old ids.
    pub faces: &'a [(PageId, Face)],
    /// The old pages whose file is gone.
    pub removed: &'a [PageId],
    /// Which new pages' bodies were rendered again (the others' were carried over).
    pub rendered: &'a [bool],
}

/// The published pages of `new` whose HTML may differ from `old`'s after the documents
/// changed as `changes` say. Pages made from the data and the home page are always among
/// them: they list documents with their owners, dates and status.
pub fn affected(old: &Site, new: &Site, changes: &Changes) -> Vec<PageId> {
    let map = changes.map;
    let n = new.pages.len();
    let mut hit = vec![false; n];
    let mut back: Vec<Option<PageId>> = vec![None; n];
    for (old_id, new_id) in map.iter().enumerate() {
        if let Some(new_id) = new_id {
            back[*new_id] = Some(old_id);
        }
    }
    // Old ids taken to new ones, compared without a copy: this runs over every page.
    let same = |old_ids: &[PageId], new_ids: &[PageId]| {
        old_ids.len() == new_ids.len()
            && old_ids
                .iter()
                .zip(new_ids)
                .all(|(&o, &n)| map[o] == Some(n))
    };

    hit[HOME] = true;
    for p in &new.pages {
        // New pages (a tag first used, a file added); the indexes (their counts) and
        // rotations (few).
        let index = p.generated.is_some_and(|g| {
            g.is_index() && !matches!(g, Generated::DocumentsOfKind(_))
                || matches!(g, Generated::Rotation(_))
        });
        if index || back[p.id].is_none() {
            hit[p.id] = true;
        }
    }
    for &q in changes.changed {
        hit[q] = true;
        // The pages made from the data that list it, before or after.
        showing(new, q, &mut |p| hit[p] = true);
        let o = back[q];
        if let Some(o) = o {
            showing(old, o, &mut |p| mark(map, p, &mut hit));
        }
        // Its section lists it with its owner, status and review; sections above count it.
        for a in new.ancestors(q) {
            hit[a] = true;
        }
        let before = o.and_then(|o| changes.faces.iter().find(|(id, _)| *id == o));
        if before.is_none_or(|(_, face)| *face != Face::of(new, q)) {
            shown_everywhere(new, q, &mut hit);
        }
    }
    // A page gone: the lists that showed it, the sections that counted it, its neighbours;
    // a folder's page that showed it stays, without it.
    for &o in changes.removed {
        mark(map, o, &mut hit);
        showing(old, o, &mut |p| mark(map, p, &mut hit));
        for a in old.ancestors(o) {
            mark(map, a, &mut hit);
        }
        let (prev, next) = old.neighbours(o);
        for p in [prev, next].into_iter().flatten() {
            mark(map, p, &mut hit);
        }
    }
    let (old_reg, new_reg) = (&old.registry, &new.registry);
    for (r, &page) in new_reg.role_page.iter().enumerate() {
        let before = old_reg.role_page.get(r).copied().flatten();
        let same_page = match (before, page) {
            (Some(o), Some(q)) => {
                map[o] == Some(q)
                    && old.pages[o].url == new.pages[q].url
                    && old.pages[o].title == new.pages[q].title
            }
            (None, None) => true,
            _ => false,
        };
        if same_page {
            continue;
        }
        for &person in new_reg.holders.get(r).into_iter().flatten() {
            if let Some(p) = new_reg.person_page[person] {
                hit[p] = true;
            }
            for (t, members) in new_reg.members.iter().enumerate() {
                if members.contains(&person) {
                    if let Some(p) = new_reg.team_page[t] {
                        hit[p] = true;
                    }
                }
            }
        }
    }
    let (old_reading, new_reading) = (old.reading(), new.reading());
    for q in 0..n {
        let Some(o) = back[q] else { continue };
        // Another page's title may change too: a tag's name is its first spelling.
        let (a, b) = (&old.pages[o], &new.pages[q]);
        if a.title != b.title || a.nav_title != b.nav_title {
            shown_everywhere(new, q, &mut hit);
        }
        // Who must read a document may change with another's front matter (an id taken
        // from it, a tag a selector names): the document and the people and roles it lists.
        if old_reading.of_page(o) != new_reading.of_page(q) {
            hit[q] = true;
            showing(old, o, &mut |p| mark(map, p, &mut hit));
            showing(new, q, &mut |p| hit[p] = true);
        }
        // A new order among a section's pages: its list (and its pages' previous and next,
        // below).
        if !same(&old.pages[o].children, &new.pages[q].children) {
            hit[q] = true;
        }
        let (a, b) = (old.neighbours(o), new.neighbours(q));
        if (a.0.and_then(|p| map[p]), a.1.and_then(|p| map[p])) != b {
            hit[q] = true;
        }
        if !same(referenced_by(old, o), referenced_by(new, q)) {
            hit[q] = true;
        }
        if changes.rendered[q] {
            hit[q] |= !same_body(old, o, new, q);
        }
    }
    (0..n)
        .filter(|&p| hit[p] && new.pages[p].published)
        .collect()
}

/// Marks old page `p`'s page in the new model, if it has one.
fn mark(map: &[Option<PageId>], p: PageId, hit: &mut [bool]) {
    if let Some(q) = map[p] {
        hit[q] = true;
    }
}

/// Calls `mark` with each page made from the data that lists document `doc`: the people who
/// own, approve, review or must read it, the teams of its owners, the roles that must read
/// it, its tags, its kind's list. (A page lists it with its title, status and review.)
fn showing(site: &Site, doc: PageId, mark: &mut dyn FnMut(PageId)) {
    let reg = &site.registry;
    let team = &site.team;
    for (person, duties) in &reg.duties {
        let lists = [&duties.owns, &duties.approves, &duties.reviews];
        if !lists.iter().any(|l| l.contains(&doc)) {
            continue;
        }
        let Some(i) = team.person_index(person) else {
            continue;
        };
        reg.person_page[i].map(&mut *mark);
        if duties.owns.contains(&doc) {
            for (t, members) in reg.members.iter().enumerate() {
                if members.contains(&i) {
                    reg.team_page[t].map(&mut *mark);
                }
            }
        }
    }
    let reading = site.reading();
    for duty in reading.of_page(doc) {
        reg.person_page[duty.person].map(&mut *mark);
    }
    for (role, pages) in reading.by_role.iter().enumerate() {
        if pages.contains(&doc) {
            reg.role_page[role].map(&mut *mark);
        }
    }
    for tag in reg.tags.iter().filter(|t| t.pages.contains(&doc)) {
        tag.page.map(&mut *mark);
    }
    let kinds: Vec<_> = (reg.by_kind.iter())
        .filter(|(_, pages)| pages.contains(&doc))
        .map(|(k, _)| Generated::DocumentsOfKind(*k))
        .collect();
    for p in site
        .pages
        .iter()
        .filter(|p| p.generated.is_some_and(|g| kinds.contains(&g)))
    {
        mark(p.id);
    }
}

fn referenced_by(site: &Site, id: PageId) -> &[PageId] {
    site.referenced_by.get(id).map_or(&[], Vec::as_slice)
}

fn same_body(old: &Site, o: PageId, new: &Site, q: PageId) -> bool {
    match (&old.pages[o].body, &new.pages[q].body) {
        (Some(a), Some(b)) => a.same_html(b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// Marks every page that shows page `id`'s title or status: its section's list, every
/// breadcrumb trail through it, its neighbours, the pages whose "Referenced by" lists it.
fn shown_everywhere(site: &Site, id: PageId, hit: &mut [bool]) {
    hit[site.pages[id].parent.unwrap_or(HOME)] = true;
    mark_subtree(site, id, hit);
    let (prev, next) = site.neighbours(id);
    for p in [prev, next].into_iter().flatten() {
        hit[p] = true;
    }
    for (p, refs) in site.referenced_by.iter().enumerate() {
        if refs.contains(&id) {
            hit[p] = true;
        }
    }
}

/// Marks `root` and every page under it.
fn mark_subtree(site: &Site, root: PageId, hit: &mut [bool]) {
    let mut stack = vec![root];
    while let Some(p) = stack.pop() {
        hit[p] = true;
        stack.extend(&site.pages[p].children);
    }
}
