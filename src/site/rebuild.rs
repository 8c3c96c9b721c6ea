//! The model built again after documents changed (`serve`: a front matter edited, a file added,
//! removed or renamed): from the documents already in memory and what [`Site::build`] was given
//! besides them, so that no other file is read again. Every other page's rendered body is
//! carried over when each of its links resolves as before, so that only the Markdown whose
//! links now lead elsewhere (to a page added or removed, a tag page that appeared) is rendered
//! again.

use std::cmp::Ordering;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::history::History;
use crate::load::mkdocs_nav::NavEntry;
use crate::load::tech_docs::Redirect;
use crate::load::{Asset, Category, Document, Loaded, Unpublished};
use crate::markdown::{LinkRef, LinkResolver, Rendered};
use crate::team::TeamData;

use super::links::PageResolver;
use super::model::{Entry, Generated, LinkTarget, Page, PageId, Site, SiteOptions};
use super::url;

/// What [`Site::build`] was given besides the documents, kept (by `serve`) so that the model
/// can be built again after an edit without reading the handbook again.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Each document's place in the order they were loaded (the order pages are made in),
    /// by path.
    position: HashMap<String, usize>,
    assets: Vec<Asset>,
    unpublished: Unpublished,
    nav: Vec<NavEntry>,
    redirects: Vec<Redirect>,
    categories: HashMap<String, Category>,
    team: TeamData,
    history: History,
    options: SiteOptions,
    site_files: Vec<String>,
}

impl Inputs {
    /// A copy of what `Site::build` is about to be given (all but the documents' text).
    pub fn of(
        loaded: &Loaded,
        team: &TeamData,
        history: &History,
        options: SiteOptions,
        site_files: &[String],
    ) -> Inputs {
        Inputs {
            position: (loaded.documents.iter().enumerate())
                .map(|(i, d)| (d.path.clone(), i))
                .collect(),
            assets: loaded.assets.clone(),
            unpublished: loaded.unpublished.clone(),
            nav: loaded.nav.clone(),
            redirects: loaded.redirects.clone(),
            categories: loaded.categories.clone(),
            team: team.clone(),
            history: history.clone(),
            options,
            site_files: site_files.to_vec(),
        }
    }
}

/// What changed among the documents.
#[derive(Debug, Default)]
pub struct Change {
    /// Pages whose document is replaced by a new version of the same file.
    pub replaced: Vec<(PageId, Document)>,
    /// Documents of files new to the handbook.
    pub added: Vec<Document>,
    /// Pages whose file is gone.
    pub removed: Vec<PageId>,
}

/// The model built again. The old one keeps its titles, tree, reading order and references
/// (what its pages showed), and the bodies of the pages rendered again; not its documents nor
/// the bodies carried over: they moved to `site`.
pub struct Rebuilt {
    pub site: Site,
    /// Each old page's id in the new model (`None`: it is gone). Pages are matched by what
    /// they are: a folder's page by its folder, a document's by its file, a page made from
    /// the data by its URL.
    pub map: Vec<Option<PageId>>,
    /// The new model's diagnostics (URL clashes, aliases...), as [`Site::build`] gives them.
    pub diagnostics: Vec<Diagnostic>,
    /// The pages of the replaced and added documents, in the new model, sorted.
    pub changed: Vec<PageId>,
    /// Which new pages' bodies were rendered again (the others were carried over).
    pub rendered: Vec<bool>,
}

impl Site {
    /// The model built again with `change` made to the documents. Everything a build works out
    /// from front matter is worked out afresh (titles, order, review dates, the pages made from
    /// the data, who owns what); the other pages' bodies and unreviewed changes are carried
    /// over. `None` when the pages kept are not the same ones (a new URL, a page that moved, a
    /// page that became a folder's): only a full build settles that. Either way `self` has lost
    /// its documents, and `inputs` describe the new documents.
    pub fn rebuild(&mut self, change: Change, inputs: &mut Inputs) -> Option<Rebuilt> {
        // Worked out now, while the documents are here: what the old pages showed.
        let _ = self.reading();
        // Each page's document by its place in the load order.
        let place = |d: &Document| inputs.position.get(&d.path).copied();
        let places: Vec<Option<usize>> = (self.pages.iter())
            .map(|p| p.doc.as_ref().and_then(place))
            .collect();
        let mut documents: Vec<Option<Document>> = Vec::new();
        documents.resize_with(inputs.position.len(), || None);
        for (p, &at) in self.pages.iter_mut().zip(&places) {
            if let Some(at) = at {
                documents[at] = p.doc.take();
            }
        }
        let mut gone = vec![false; documents.len()];
        for &id in &change.removed {
            gone[places.get(id).copied().flatten()?] = true;
        }
        let mut replaced = vec![false; documents.len()];
        for (id, doc) in change.replaced {
            let at = places.get(id).copied().flatten()?;
            if place(&doc) != Some(at) || gone[at] {
                return None;
            }
            documents[at] = Some(doc);
            replaced[at] = true;
        }
        if (change.added.iter()).any(|d| inputs.position.contains_key(&d.path)) {
            return None;
        }
        // The documents in load order (the walk's): those kept, with the new ones in their
        // places. `moved` takes each old place to its new one; `fresh` marks the new places
        // of the documents replaced or added.
        let kept: Vec<(usize, Document)> = (documents.into_iter().enumerate())
            .filter(|(at, _)| !gone[*at])
            .map(|(at, d)| Some((at, d?)))
            .collect::<Option<_>>()?;
        let mut added = change.added;
        added.sort_by(|a, b| walk_order(&a.path, &b.path));
        let mut moved: Vec<Option<usize>> = vec![None; gone.len()];
        let mut fresh: Vec<bool> = Vec::with_capacity(kept.len() + added.len());
        let mut documents: Vec<Document> = Vec::with_capacity(kept.len() + added.len());
        let mut added = added.into_iter().peekable();
        for (at, doc) in kept {
            while let Some(new) = added.next_if(|a| walk_order(&a.path, &doc.path).is_lt()) {
                documents.push(new);
                fresh.push(true);
            }
            moved[at] = Some(documents.len());
            documents.push(doc);
            fresh.push(replaced[at]);
        }
        for new in added {
            documents.push(new);
            fresh.push(true);
        }
        inputs.position = (documents.iter().enumerate())
            .map(|(i, d)| (d.path.clone(), i))
            .collect();
        let loaded = Loaded {
            documents,
            assets: inputs.assets.clone(),
            unpublished: inputs.unpublished.clone(),
            nav: inputs.nav.clone(),
            redirects: inputs.redirects.clone(),
            categories: inputs.categories.clone(),
            ..Loaded::default()
        };
        let (mut site, diagnostics) = Site::build(
            self.config.clone(),
            loaded,
            inputs.team.clone(),
            inputs.history.clone(),
            inputs.options,
            inputs.site_files.clone(),
        );
        let new_places: Vec<Option<usize>> = (site.pages.iter())
            .map(|p| inputs.position.get(&p.doc.as_ref()?.path).copied())
            .collect();
        // The old pages' documents' places, in the new load order.
        let old_places: Vec<Option<usize>> = (places.iter())
            .map(|at| at.and_then(|at| moved[at]))
            .collect();
        let changed: Vec<PageId> = (new_places.iter().enumerate())
            .filter(|(_, at)| at.is_some_and(|at| fresh[at]))
            .map(|(q, _)| q)
            .collect();
        let removed: Vec<bool> = (places.iter())
            .map(|at| at.is_some_and(|at| gone[at]))
            .collect();
        let places = Places {
            old: &old_places,
            new: &new_places,
            fresh: &fresh,
            removed: &removed,
        };
        let map = same_pages(self, &site, &places, &changed)?;
        let rendered = site.carry_bodies(self, &map, &changed);
        for old in &mut self.pages {
            if let Some(new) = map[old.id].filter(|q| changed.binary_search(q).is_err()) {
                site.pages[new].unreviewed = old.unreviewed.take();
            }
        }
        Some(Rebuilt {
            site,
            map,
            diagnostics,
            changed,
            rendered,
        })
    }

    /// Gives each page its body: the old page's (`map` takes old pages to these), its links
    /// pointed at the new pages, when each of them resolves as before; else rendered again, as
    /// the bodies of the `changed` pages (sorted) are. Returns which were rendered again.
    fn carry_bodies(
        &mut self,
        old: &mut Site,
        map: &[Option<PageId>],
        changed: &[PageId],
    ) -> Vec<bool> {
        let mut back: Vec<Option<PageId>> = vec![None; self.pages.len()];
        for (o, q) in map.iter().enumerate() {
            if let Some(q) = *q {
                back[q] = Some(o);
            }
        }
        // Each page's links as they resolve now, where they resolve as before: in parallel,
        // since it is done for every link of the handbook; or, when every name a link may use
        // names the same thing as before (an edit that adds and removes no page, as most
        // do), the old links pointed at the new pages, without resolving any.
        let same_names = same_links(old, self, map);
        let (site, was) = (&*self, &*old);
        let relinked: Vec<Option<Vec<LinkRef<LinkTarget>>>> = (site.pages.par_iter())
            .map(|q| {
                // (A folder's page that lost its document has no body any more.)
                if q.doc.is_none() || changed.binary_search(&q.id).is_ok() {
                    return None;
                }
                let p = &was.pages[back[q.id]?];
                let body = p.body.as_ref()?;
                // The leading heading a title drops.
                if p.title != q.title {
                    return None;
                }
                let resolver = PageResolver {
                    site,
                    page: q.id,
                    hrefs: false,
                };
                (body.links.iter())
                    .map(|link| {
                        let target = match &link.target {
                            LinkTarget::Page {
                                page,
                                fragment,
                                miscased,
                            } if same_names => LinkTarget::Page {
                                page: map[*page]?,
                                fragment: fragment.clone(),
                                miscased: miscased.clone(),
                            },
                            other if same_names => other.clone(),
                            _ => resolver.resolve_at(&link.href, link.offset).1,
                        };
                        same_target(&link.target, &target, map).then(|| LinkRef {
                            href: link.href.clone(),
                            offset: link.offset,
                            is_image: link.is_image,
                            target,
                        })
                    })
                    .collect()
            })
            .collect();
        let mut rendered = vec![false; self.pages.len()];
        for (q, links) in relinked.into_iter().enumerate() {
            let Some(links) = links else {
                rendered[q] = self.pages[q].doc.is_some();
                continue;
            };
            let Some(mut body) = back[q].and_then(|o| old.pages[o].body.take()) else {
                continue;
            };
            body.links = links;
            self.pages[q].body = Some(body);
        }
        let bodies: Vec<(PageId, Rendered<LinkTarget>)> = (self.pages.par_iter())
            .filter(|q| rendered[q.id])
            .filter_map(|q| Some((q.id, self.render_body(q)?)))
            .collect();
        for (q, body) in bodies {
            self.pages[q].body = Some(body);
        }
        self.index_references();
        rendered
    }
}

/// Whether every name a link may use names the same thing in both models (`map` takes old
/// pages to new): then every link resolves as it did.
fn same_links(old: &Site, new: &Site, map: &[Option<PageId>]) -> bool {
    old.link_index.len() == new.link_index.len()
        && old.link_index.iter().all(|(name, &entry)| {
            let moved = match entry {
                Entry::Page(p) => match map[p] {
                    Some(q) => Entry::Page(q),
                    None => return false,
                },
                other => other,
            };
            new.link_index.get(name) == Some(&moved)
        })
}

/// Whether `old`, a link's target in the old model, is `new` in this one: the same page
/// (`map` takes old pages to new), asset or file, or broken for the same reason. The page
/// that links keeps its URL, and so do the pages it may link to: the same target is then the
/// same href.
fn same_target(old: &LinkTarget, new: &LinkTarget, map: &[Option<PageId>]) -> bool {
    match (old, new) {
        (
            LinkTarget::Page {
                page: a,
                fragment: fa,
                miscased: ma,
            },
            LinkTarget::Page {
                page: b,
                fragment: fb,
                miscased: mb,
            },
        ) => map[*a] == Some(*b) && fa == fb && ma == mb,
        (a, b) => a == b,
    }
}

/// The order the walk reads files in (each folder's names sorted, a folder's files right after
/// its name): the order of the documents, and so of the pages made from them.
fn walk_order(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Whether a page shows the same thing of the data in both models: a tag's page is found by
/// its URL (the index of a tag may move when another comes or goes); the team data is the same.
fn same_template(a: Option<Generated>, b: Option<Generated>) -> bool {
    match (a, b) {
        (Some(Generated::Tag(_)), Some(Generated::Tag(_))) => true,
        (a, b) => a == b,
    }
}

/// What a page is, to match it across two models: a folder's page by its folder (whichever
/// document, if any, it shows), a document's by its file (its place in the load order), a page
/// made from the data by its URL.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Key<'s> {
    Folder(&'s str),
    Document(usize),
    Made(&'s str),
}

fn key<'s>(p: &'s Page, place: Option<usize>) -> Key<'s> {
    match (&p.section_dir, place) {
        (Some(dir), _) => Key::Folder(dir),
        (None, Some(at)) => Key::Document(at),
        (None, None) => Key::Made(&p.url),
    }
}

/// Where the pages' documents are in the new load order: the old model's pages' (`None` for a
/// document removed), the new model's, and which of those places hold a document replaced or
/// added.
struct Places<'a> {
    old: &'a [Option<usize>],
    new: &'a [Option<usize>],
    fresh: &'a [bool],
    /// The old pages whose document is gone.
    removed: &'a [bool],
}

/// Each old page's id in `new`, when the pages both have stay the same: the same URL, section,
/// parent and document, and what they show of the data (only the `changed` pages may become,
/// or stop being, a role's page: another page doing so takes another template); with the same
/// assets, aliases and files made by the build. A folder's page may lose its document (removed)
/// or gain one (added). A page made from the data that is no longer published is gone.
fn same_pages(
    old: &Site,
    new: &Site,
    places: &Places,
    changed: &[PageId],
) -> Option<Vec<Option<PageId>>> {
    let made = |p: &Page, place: Option<usize>| matches!(key(p, place), Key::Made(_));
    let by_key: HashMap<Key, PageId> = (new.pages.iter())
        .filter(|q| q.published || !made(q, places.new[q.id]))
        .map(|q| (key(q, places.new[q.id]), q.id))
        .collect();
    let mut map = Vec::with_capacity(old.pages.len());
    for p in &old.pages {
        let at = places.old[p.id];
        // A document's own page goes with it (a folder's stays, made from the folder).
        if places.removed[p.id] && p.section_dir.is_none() {
            map.push(None);
            continue;
        }
        let found = by_key.get(&key(p, at)).copied();
        let Some(q) = found.filter(|_| p.published || !made(p, at)) else {
            // A document kept must keep its page.
            if at.is_some() {
                return None;
            }
            map.push(None);
            continue;
        };
        map.push(Some(q));
        let (q, new_at) = (&new.pages[q], places.new[q]);
        let same_document =
            at == new_at || at.is_none() && new_at.is_none_or(|new_at| places.fresh[new_at]);
        let same = same_document
            && q.url == p.url
            && q.published == p.published
            && q.section_dir == p.section_dir
            && (same_template(p.generated, q.generated) || changed.binary_search(&q.id).is_ok());
        if !same {
            return None;
        }
    }
    // A page made from the data may come or go only with what it shows: a tag first used or
    // no longer, a role's page, an index (of the tags, of the documents of a kind) first needed
    // or no longer. (A person's or a tag's page that a document takes the URL of would leave
    // every page linking to it stale.)
    let mut matched = vec![false; new.pages.len()];
    for q in map.iter().flatten() {
        matched[*q] = true;
    }
    let comes_or_goes = |p: &Page, here: &Site, there: &Site| match p.generated {
        Some(Generated::Tag(i)) => {
            let slug = url::slug_segment(&here.registry.tags[i].name);
            !there.registry.tag_of_slug.contains_key(&slug)
        }
        // A role's page made when no document describes it (`render::affected` marks its
        // holders' pages and their teams'), the indexes (always rendered again) and the lists
        // of a kind (linked from them).
        Some(g) => g.is_index() || matches!(g, Generated::Role(_)),
        None => false,
    };
    let gone_ok = (old.pages.iter())
        .filter(|p| p.published && map[p.id].is_none() && !places.removed[p.id])
        .filter(|p| made(p, places.old[p.id]))
        .all(|p| comes_or_goes(p, old, new));
    let come_ok = (new.pages.iter())
        .filter(|q| q.published && !matched[q.id] && made(q, places.new[q.id]))
        .all(|q| comes_or_goes(q, new, old));
    if !gone_ok || !come_ok {
        return None;
    }
    // Parents compared once every page is matched.
    for p in &old.pages {
        if let Some(q) = map[p.id] {
            if p.parent.map(|o| map[o]) != new.pages[q].parent.map(Some) {
                return None;
            }
        }
    }
    let assets = |s: &Site| -> Vec<(String, String)> {
        (s.assets.iter())
            .map(|a| (a.path.clone(), a.url.clone()))
            .collect()
    };
    let aliases =
        |s: &Site, m: &dyn Fn(PageId) -> Option<PageId>| -> Vec<(String, Option<PageId>)> {
            s.aliases
                .iter()
                .map(|a| (a.file.clone(), m(a.page)))
                .collect()
        };
    let same_files = assets(old) == assets(new)
        && aliases(old, &|p| map[p]) == aliases(new, &Some)
        && old.generated_files == new.generated_files;
    same_files.then_some(map)
}

#[cfg(test)]
mod tests {
    use super::walk_order;
    use crate::config::Config;

    #[test]
    fn the_walk_order_is_the_order_documents_are_loaded_in() {
        // Names that sort one way as paths and another as folders walked one at a time
        // (`-` and `.` sort before `/`), accented ones, upper case.
        let files = [
            "a.md",
            "a-c.md",
            "a/b.md",
            "a/a.md",
            "a/z/y.md",
            "a.b/c.md",
            "ab.md",
            "B.md",
            "é.md",
            "e/é.md",
            "_index.md",
            "a/_index.md",
        ];
        let tmp = tempfile::tempdir().unwrap();
        for f in files {
            let path = tmp.path().join("content").join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "# T\n").unwrap();
        }
        let config = Config::default();
        let loaded = crate::load::load(tmp.path(), &config, &[]).unwrap();
        let loaded: Vec<&str> = loaded.documents.iter().map(|d| d.path.as_str()).collect();
        let mut sorted = files.to_vec();
        sorted.sort_by(|a, b| walk_order(a, b));
        assert_eq!(loaded, sorted);
        assert_eq!(loaded.len(), files.len());
    }
}
