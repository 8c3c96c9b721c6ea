//! What a link written in a page resolves to: a page, an asset, a file the build writes, a file
//! the site leaves out, or nothing (with the path as the message names it).

use std::path::Path;

use crate::load::LeftOut;
use crate::markdown::LinkResolver;

use super::link_index::{fold, plain_dir, under, Entry};
use super::url::{self, LinkKind};
use super::{LinkTarget, PageId, Site};

/// Resolves links written in one page.
pub struct PageResolver<'s> {
    pub site: &'s Site,
    pub page: PageId,
}

impl LinkResolver for PageResolver<'_> {
    type Target = LinkTarget;

    fn resolve(&self, href: &str) -> (Option<String>, LinkTarget) {
        let site = self.site;
        let (found, fragment) = match url::classify_link(href, site.pages[self.page].source_dir()) {
            LinkKind::External => return (None, LinkTarget::External),
            LinkKind::Empty => return (None, LinkTarget::Empty),
            LinkKind::Fragment(f) => {
                let fragment = decode(f);
                return (None, LinkTarget::SamePage { fragment });
            }
            LinkKind::Invalid(why) => return (None, LinkTarget::Broken(why.to_string())),
            LinkKind::Internal { path, fragment } => (site.find(href, &path, false), fragment),
            LinkKind::Above {
                ups,
                path,
                fragment,
            } => match site.above_content(ups, &path) {
                Some(from_root) => (site.find(href, &from_root, true), fragment),
                None => {
                    let why = "the link points outside the handbook".to_string();
                    return (None, LinkTarget::Broken(why));
                }
            },
        };
        let (entry, miscased) = match found {
            Found::Entry(entry, miscased) => (entry, miscased),
            Found::Unpublished { path, why } => {
                return (None, LinkTarget::Unpublished { path, why });
            }
            Found::Nothing(path) => {
                return (None, LinkTarget::Broken(format!("`{path}` does not exist")));
            }
        };
        let to = match entry {
            Entry::Page(p) => &site.pages[p].url,
            Entry::Asset(a) => &site.assets[a].url,
            Entry::Generated(g) => &site.generated_files[g],
        };
        let mut out = site.href(self.page, to);
        if let Some(f) = fragment {
            out.push('#');
            out.push_str(f);
        }
        let target = match entry {
            Entry::Page(page) => LinkTarget::Page {
                page,
                fragment: fragment.map(decode),
                miscased,
            },
            Entry::Asset(asset) => LinkTarget::Asset { asset, miscased },
            Entry::Generated(_) => LinkTarget::Generated,
        };
        (Some(out), target)
    }
}

/// What a path a link names is, in the site or on the disk.
enum Found {
    /// A page or file of the site; with the path as spelt when only a case-insensitive,
    /// normalisation-insensitive match found it.
    Entry(Entry, Option<String>),
    /// A file inside the root that the site leaves out.
    Unpublished { path: String, why: LeftOut },
    /// Nothing: the path as the message names it.
    Nothing(String),
}

impl Site {
    /// What the link `href` names: `path` is content-relative, or root-relative when
    /// `from_root` (the link climbed above the content folder).
    fn find(&self, href: &str, path: &str, from_root: bool) -> Found {
        let exact = if from_root {
            self.lookup_from_root(path)
        } else {
            self.lookup_link(href, path)
        };
        if let Some(e) = exact {
            return Found::Entry(e, None);
        }
        let content_path = if from_root {
            under(&self.config.content_dir, path)
        } else {
            Some(path)
        };
        // A link from the top of the repository may miss in the content folder's name too
        // (`/Docs/runbooks/deploy.md`).
        let from_top = (!from_root && href.trim_start().starts_with('/'))
            .then(|| under_any_case(&self.config.content_dir, path))
            .flatten();
        let folded = [content_path, from_top]
            .into_iter()
            .flatten()
            .find_map(|p| self.lookup_folded(p));
        if let Some((e, key)) = folded {
            let spelt = self.spelling(e, key);
            return Found::Entry(e, Some(spelt));
        }
        // On the disk, inside the root: the path in the content folder, and a root-relative
        // link as GitHub reads it, from the top of the repository.
        let in_root = if from_root {
            path.to_string()
        } else {
            self.root_relative(path)
        };
        let mut candidates = vec![in_root];
        if !from_root && href.trim_start().starts_with('/') {
            candidates.push(path.to_string());
        }
        for candidate in &candidates {
            if let Some(why) = self.unpublished.why(candidate) {
                return Found::Unpublished {
                    path: candidate.trim_end_matches('/').to_string(),
                    why,
                };
            }
        }
        Found::Nothing(if from_root {
            candidates.swap_remove(0)
        } else {
            path.to_string()
        })
    }

    /// The root-relative path of content-relative `path`.
    fn root_relative(&self, path: &str) -> String {
        match plain_dir(&self.config.content_dir).as_str() {
            "" => path.to_string(),
            dir => format!("{dir}/{path}"),
        }
    }

    /// The root-relative path a link reaches after climbing `ups` folders above the content
    /// folder; `None` when it climbs out of the root.
    fn above_content(&self, ups: usize, path: &str) -> Option<String> {
        let content = plain_dir(&self.config.content_dir);
        let mut segs: Vec<&str> = content.split('/').filter(|s| !s.is_empty()).collect();
        for _ in 0..ups {
            segs.pop()?;
        }
        segs.extend(path.split('/').filter(|s| !s.is_empty()));
        let mut out = segs.join("/");
        if path.ends_with('/') && !out.is_empty() {
            out.push('/');
        }
        Some(out)
    }
}

/// [`under`], ignoring letter case and Unicode normalisation in the folder's name.
fn under_any_case<'p>(dir: &Path, path: &'p str) -> Option<&'p str> {
    let dir = plain_dir(dir);
    if dir.is_empty() {
        return None;
    }
    let (head, rest) = path.split_at_checked(dir.len())?;
    (fold(head) == fold(&dir) && (rest.is_empty() || rest.starts_with('/')))
        .then(|| rest.trim_start_matches('/'))
}

fn decode(fragment: &str) -> String {
    percent_encoding::percent_decode_str(fragment)
        .decode_utf8_lossy()
        .into_owned()
}
