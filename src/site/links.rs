//! What a link written in a page resolves to: a page, an asset, a file the build writes, a file
//! the site leaves out, or nothing (with the path as the message names it).

use std::path::Path;

use crate::load::LeftOut;
use crate::markdown::LinkResolver;

use super::link_index::{fold, plain_dir, under};
use super::model::{Entry, LinkTarget, PageId, Site};
use super::url::{self, LinkKind};

/// Resolves links written in one page.
pub struct PageResolver<'s> {
    pub site: &'s Site,
    pub page: PageId,
    /// Whether the hrefs to write are wanted: a body rendered without its HTML (a check)
    /// wants only the targets.
    pub hrefs: bool,
}

impl LinkResolver for PageResolver<'_> {
    type Target = LinkTarget;

    fn resolve(&self, href: &str) -> (Option<String>, LinkTarget) {
        self.resolve_from(href, self.site.pages[self.page].source_dir())
    }

    fn resolve_at(&self, href: &str, at: usize) -> (Option<String>, LinkTarget) {
        match &self.site.pages[self.page].doc {
            Some(doc) if doc.included.is_some() => self.resolve_from(href, doc.link_dir(at)),
            _ => self.resolve(href),
        }
    }
}

impl PageResolver<'_> {
    /// Resolves `href` written in a file of content-relative folder `dir`, for this page.
    fn resolve_from(&self, href: &str, dir: &str) -> (Option<String>, LinkTarget) {
        let site = self.site;
        let (found, fragment) = match url::classify_link(href, dir) {
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
        let out = self.hrefs.then(|| {
            let mut out = site.href(self.page, to);
            if let Some(f) = fragment {
                out.push('#');
                out.push_str(f);
            }
            out
        });
        let target = match entry {
            Entry::Page(page) => LinkTarget::Page {
                page,
                fragment: fragment.map(decode),
                miscased,
            },
            Entry::Asset(asset) => LinkTarget::Asset { asset, miscased },
            Entry::Generated(_) => LinkTarget::Generated,
        };
        (out, target)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::site::testing::{build, build_with, page, resolve};

    const DOCS: [(&str, &str); 5] = [
        ("_index.md", "# Home\n"),
        ("guide/_index.md", "# Guide\n"),
        ("guide/setup.md", "# Setup\n\n## Install\n"),
        (
            "ops/runbook.md",
            "---\naliases:\n  - /old/runbook/\n---\n# Runbook\n",
        ),
        ("x.md", "# X\n"),
    ];

    fn site() -> Site {
        let (site, diags) = build(&DOCS, &["guide/img/a.png"]);
        assert!(diags.is_empty(), "{diags:?}");
        site
    }

    /// The target of `href` written in `guide/setup.md`.
    fn target(site: &Site, href: &str) -> LinkTarget {
        resolve(site, "guide/setup.md", href).1
    }

    fn to_page(site: &Site, path: &str, fragment: Option<&str>) -> LinkTarget {
        LinkTarget::Page {
            page: page(site, path).id,
            fragment: fragment.map(str::to_string),
            miscased: None,
        }
    }

    #[test]
    fn relative_links_reach_pages_with_relative_hrefs() {
        let site = site();
        let (href, found) = resolve(&site, "guide/setup.md", "../x.md");
        assert_eq!(href.as_deref(), Some("../../x/index.html"));
        assert_eq!(found, to_page(&site, "x.md", None));
        // The folder, the path without extension and the URL name the same pages.
        for href in ["../x", "/x/", "/x.html", "../x/index.html", "@/x.md"] {
            assert_eq!(target(&site, href), to_page(&site, "x.md", None), "{href}");
        }
        for href in [".", "./", "../guide", "/guide/_index.md"] {
            let want = to_page(&site, "guide/_index.md", None);
            assert_eq!(target(&site, href), want, "{href}");
        }
    }

    #[test]
    fn fragments_are_kept_in_the_href_and_decoded_in_the_target() {
        let site = site();
        let (href, target) = resolve(&site, "guide/setup.md", "../x.md#Top%20part");
        assert_eq!(href.as_deref(), Some("../../x/index.html#Top%20part"));
        assert_eq!(target, to_page(&site, "x.md", Some("Top part")));
        let (href, target) = resolve(&site, "guide/setup.md", "#install");
        assert_eq!(href, None);
        assert_eq!(
            target,
            LinkTarget::SamePage {
                fragment: "install".into()
            }
        );
    }

    #[test]
    fn assets_and_files_the_build_writes() {
        let site = site();
        let (href, target) = resolve(&site, "guide/setup.md", "img/a.png");
        assert_eq!(href.as_deref(), Some("../img/a.png"));
        let asset = LinkTarget::Asset {
            asset: 0,
            miscased: None,
        };
        assert_eq!(target, asset);
        let (href, target) = resolve(&site, "guide/setup.md", "/reviews.ics");
        assert_eq!(href.as_deref(), Some("../../reviews.ics"));
        assert_eq!(target, LinkTarget::Generated);
    }

    #[test]
    fn a_miscased_path_resolves_and_says_how_the_file_is_spelt() {
        let site = site();
        let (href, found) = resolve(&site, "guide/setup.md", "../X.MD");
        assert_eq!(href.as_deref(), Some("../../x/index.html"));
        let want = LinkTarget::Page {
            page: page(&site, "x.md").id,
            fragment: None,
            miscased: Some("x.md".into()),
        };
        assert_eq!(found, want);
        let want = LinkTarget::Asset {
            asset: 0,
            miscased: Some("guide/img/a.png".into()),
        };
        assert_eq!(target(&site, "IMG/A.png"), want);
    }

    #[test]
    fn empty_external_invalid_and_missing_links() {
        let site = site();
        assert_eq!(
            resolve(&site, "guide/setup.md", ""),
            (None, LinkTarget::Empty)
        );
        for href in [
            "https://example.com/a",
            "//cdn.example.com/x.js",
            "mailto:a@b.c",
        ] {
            assert_eq!(target(&site, href), LinkTarget::External, "{href}");
        }
        assert_eq!(
            target(&site, "nope.md"),
            LinkTarget::Broken("`guide/nope.md` does not exist".into())
        );
        assert_eq!(
            target(&site, "../../../../etc/passwd"),
            LinkTarget::Broken("the link points outside the handbook".into())
        );
        assert!(
            matches!(target(&site, "a\\b.md"), LinkTarget::Broken(why) if why.contains("backslash"))
        );
    }

    #[test]
    fn links_from_the_repository_top_and_through_an_alias() {
        let site = site();
        let runbook = to_page(&site, "ops/runbook.md", None);
        // An old URL the page answers at.
        assert_eq!(target(&site, "/old/runbook/"), runbook);
        // Climbing above the content folder and back into it, or starting at the top of the
        // repository as GitHub reads a root-relative link.
        assert_eq!(
            target(&site, "../../content/x.md"),
            to_page(&site, "x.md", None)
        );
        assert_eq!(target(&site, "/content/ops/runbook.md"), runbook);
        // The content folder's name miscased too.
        let want = LinkTarget::Page {
            page: page(&site, "x.md").id,
            fragment: None,
            miscased: Some("x.md".into()),
        };
        assert_eq!(target(&site, "/Content/x.md"), want);
        // Above the content folder, beside it: nothing there.
        assert_eq!(
            target(&site, "../../x.md"),
            LinkTarget::Broken("`x.md` does not exist".into())
        );
    }

    #[test]
    fn a_static_folders_files_are_reached_from_the_top() {
        let config = Config {
            static_dirs: vec!["static".into()],
            ..Config::default()
        };
        let (site, _) = build_with(config, false, &DOCS, &["img/logo.png"]);
        let asset = LinkTarget::Asset {
            asset: 0,
            miscased: None,
        };
        assert_eq!(target(&site, "/static/img/logo.png"), asset);
        assert_eq!(target(&site, "/img/logo.png"), asset);
        // Only its assets: a page is not reached through it.
        assert!(matches!(
            target(&site, "/static/x.md"),
            LinkTarget::Broken(_)
        ));
    }
}
