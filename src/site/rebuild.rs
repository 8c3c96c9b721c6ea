//! The model built again after one document's front matter changed (`serve`): from the
//! documents already in memory and what [`Site::build`] was given besides them, so that no
//! other file is read again; the other pages' rendered bodies are carried over when every link
//! resolves as before, so that no other Markdown is rendered again.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::history::History;
use crate::load::mkdocs_nav::NavEntry;
use crate::load::tech_docs::Redirect;
use crate::load::{Asset, Category, Document, Loaded, Unpublished};
use crate::team::TeamData;

use super::model::{Entry, LinkTarget, PageId, Site, SiteOptions};

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

/// The model built again. The old one keeps its titles, tree, reading order and references
/// (what its pages showed), not its documents and bodies: they moved to `site`.
pub struct Rebuilt {
    pub site: Site,
    /// Each old page's id in the new model: documents and folders keep theirs; a page made
    /// from the data (a tag first used, or no longer) may come or go.
    pub map: Vec<Option<PageId>>,
    /// The new model's diagnostics (URL clashes, aliases...), as [`Site::build`] gives them.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the other pages' bodies were carried over; `false` when some link resolves
    /// differently now (a tag page that links may name appeared), and every body was rendered
    /// again.
    pub bodies_kept: bool,
}

impl Site {
    /// The model built again with `doc` in place of page `id`'s document. Everything a build
    /// works out from front matter is worked out afresh (titles, order, review dates, the pages
    /// made from the data, who owns what); the other pages' bodies and unreviewed changes are
    /// carried over. `None` when the pages are not the same ones (a new URL, a page that
    /// moved): only a full build settles that. Either way `self` has lost its documents.
    pub fn rebuild(&mut self, id: PageId, doc: Document, inputs: &Inputs) -> Option<Rebuilt> {
        // Worked out now, while the documents are here: what the old pages showed.
        let _ = self.reading();
        // Each page's document by its place in the load order.
        let place = |d: &Document| inputs.position.get(&d.path).copied();
        let places: Vec<Option<usize>> = (self.pages.iter())
            .map(|p| p.doc.as_ref().and_then(place))
            .collect();
        if places[id].is_none() || places[id] != place(&doc) {
            return None;
        }
        let mut documents: Vec<Option<Document>> = Vec::new();
        documents.resize_with(inputs.position.len(), || None);
        for (p, &at) in self.pages.iter_mut().zip(&places) {
            if let Some(at) = at {
                documents[at] = p.doc.take();
            }
        }
        documents[places[id]?] = Some(doc);
        let documents: Vec<Document> = documents.into_iter().collect::<Option<_>>()?;
        let loaded = Loaded {
            documents,
            assets: inputs.assets.clone(),
            diagnostics: Vec::new(),
            unpublished: inputs.unpublished.clone(),
            nav: inputs.nav.clone(),
            redirects: inputs.redirects.clone(),
            categories: inputs.categories.clone(),
        };
        let (mut site, diagnostics) = Site::build(
            self.config.clone(),
            loaded,
            inputs.team.clone(),
            inputs.history.clone(),
            inputs.options,
            inputs.site_files.clone(),
        );
        let map = same_pages(self, &places, &site, inputs, id)?;
        let bodies_kept = same_links(self, &site, &map);
        if bodies_kept {
            for old in &mut self.pages {
                let (Some(new), Some(mut body)) = (map[old.id], old.body.take()) else {
                    continue;
                };
                if new == id {
                    continue;
                }
                for link in &mut body.links {
                    if let LinkTarget::Page { page, .. } = &mut link.target {
                        *page = map[*page]?;
                    }
                }
                site.pages[new].body = Some(body);
            }
            let body = site.render_body(&site.pages[id]);
            site.pages[id].body = body;
            site.index_references();
        } else {
            site.render_markdown();
        }
        for old in &mut self.pages {
            if let Some(new) = map[old.id].filter(|&new| new != id) {
                site.pages[new].unreviewed = old.unreviewed.take();
            }
        }
        Some(Rebuilt {
            site,
            map,
            diagnostics,
            bodies_kept,
        })
    }
}

/// Each old page's id in `new`, when both have the same documents and folders at the same
/// URLs (they then have the same ids, made in the same order); the pages made from the data
/// are matched by URL. `places` are the old pages' documents' places in the load order (the
/// documents are taken out of them). Only the `edited` page may become, or stop being, a
/// role's page: another page doing so takes another template.
fn same_pages(
    old: &Site,
    places: &[Option<usize>],
    new: &Site,
    inputs: &Inputs,
    edited: PageId,
) -> Option<Vec<Option<PageId>>> {
    let new_places: Vec<Option<usize>> = (new.pages.iter())
        .map(|p| inputs.position.get(&p.doc.as_ref()?.path).copied())
        .collect();
    // A page made from the data has no document (a role's page may have one).
    let from_data =
        |p: &super::Page, place: Option<usize>| place.is_none() && p.generated.is_some();
    let old_made = (old.pages.iter()).filter(|p| !from_data(p, places[p.id]));
    let new_made = (new.pages.iter()).filter(|p| !from_data(p, new_places[p.id]));
    if old_made.count() != new_made.count() {
        return None;
    }
    let by_url: HashMap<&str, PageId> = (new.pages.iter())
        .filter(|p| from_data(p, new_places[p.id]) && p.published)
        .map(|p| (p.url.as_str(), p.id))
        .collect();
    let mut map = Vec::with_capacity(old.pages.len());
    for p in &old.pages {
        let place = places[p.id];
        if from_data(p, place) {
            map.push(by_url.get(p.url.as_str()).copied().filter(|_| p.published));
            continue;
        }
        let q = new.pages.get(p.id)?;
        let same = q.url == p.url
            && q.published == p.published
            && q.section_dir == p.section_dir
            && q.parent == p.parent
            && new_places[q.id] == place
            && (q.generated == p.generated || p.id == edited)
            && !from_data(q, new_places[q.id]);
        if !same {
            return None;
        }
        map.push(Some(p.id));
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

/// Whether every name a link may use names the same thing in both models: then every body
/// renders as it did.
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
