//! Where each file of the site goes, settled once the model knows them all, so that writing the
//! site cannot fail on a name: no two outputs share a file, no file takes the name of a folder
//! (a page `index.html/` beside the home page's `index.html`, a tag `index.html` beside the
//! tags index, a file `assets` beside the theme's `assets/`), and no name is longer than a file
//! system takes (255 bytes; a title of 126 characters that lower-case to longer ones exceeds
//! it).
//!
//! The site's own files come first (the home page, `404.html`, `reviews.ics`, the theme's
//! `assets/`, `search/`), then pages in model order (sections before what they hold, content
//! before generated pages), then files, then aliases. A page or file that would clash is
//! published under a free name (`index.html-1/`, `style-1.css`) and reported, so links to it
//! still work; a folder renamed so moves everything under it. An alias that would clash is
//! left out, as a clashing alias already is.

use std::collections::HashSet;

use super::model::{Alias, Page, PageId, SiteAsset};
use super::url;

/// The longest file or folder name (in bytes) most file systems take.
pub const MAX_NAME: usize = 255;

/// What was moved, for the caller to report where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Moved {
    Page {
        page: PageId,
        from: String,
        to: String,
        why: String,
    },
    Asset {
        asset: usize,
        from: String,
        to: String,
        why: String,
    },
    /// An alias of `page` left out: it would write `file`.
    Alias {
        file: String,
        /// The file that names it, and where.
        source: std::path::PathBuf,
        pos: crate::diagnostic::Pos,
    },
}

/// The files and folders taken so far.
#[derive(Default)]
struct Claims {
    files: HashSet<String>,
    folders: HashSet<String>,
    /// Folders wholly the site's: the search index's files are named only as it is built, so
    /// nothing else may go under `search/`.
    owned: HashSet<String>,
}

impl Claims {
    /// The length of the shortest prefix of `path` (a `/`-separated file path) that cannot be
    /// had: a folder on its way that is a file, or the path itself taken as a file or folder.
    fn conflict(&self, path: &str) -> Option<usize> {
        for (i, _) in path.match_indices('/') {
            if self.files.contains(&path[..i]) || self.owned.contains(&path[..i]) {
                return Some(i);
            }
        }
        (self.files.contains(path) || self.folders.contains(path)).then_some(path.len())
    }

    fn claim(&mut self, path: &str) {
        for (i, _) in path.match_indices('/') {
            // Most folders are claimed already, by the pages before: no copy for them.
            if !self.folders.contains(&path[..i]) {
                self.folders.insert(path[..i].to_string());
            }
        }
        self.files.insert(path.to_string());
    }
}

/// Folder prefixes renamed so far (`index.html/` to `index.html-1/`), applied to every later
/// path under them.
#[derive(Default)]
struct Renames(Vec<(String, String)>);

impl Renames {
    fn apply(&self, path: &str) -> String {
        let best = self
            .0
            .iter()
            .filter(|(from, _)| path.starts_with(from.as_str()))
            .max_by_key(|(from, _)| from.len());
        match best {
            Some((from, to)) => format!("{to}{}", &path[from.len()..]),
            None => path.to_string(),
        }
    }
}

/// Settles every output (see the module documentation); `reserved` are the files the build
/// writes itself, `search` whether it writes `search/`. Returns what moved.
pub(super) fn settle(
    pages: &mut [Page],
    assets: &mut [SiteAsset],
    aliases: &mut Vec<Alias>,
    reserved: &[String],
    search: bool,
) -> Vec<Moved> {
    let mut moved = Vec::new();
    let mut claims = Claims::default();
    let mut renames = Renames::default();
    for file in reserved {
        claims.claim(file);
    }
    if search {
        claims.folders.insert("search".to_string());
        claims.owned.insert("search".to_string());
    }
    claims.folders.insert("assets".to_string());

    for page in pages.iter_mut().filter(|p| p.published) {
        let url = renames.apply(&page.url);
        let (settled, why) = place(&claims, &url, true);
        let file = url::output_file(&settled);
        claims.claim(&file);
        if settled != page.url {
            // Everything under the page's folder moves with it.
            renames.0.push((page.url.clone(), settled.clone()));
            if let Some(why) = why {
                moved.push(Moved::Page {
                    page: page.id,
                    from: page.url.clone(),
                    to: settled.clone(),
                    why,
                });
            }
            page.url = settled;
        }
    }
    for (i, asset) in assets.iter_mut().enumerate() {
        let path = renames.apply(&asset.url);
        let (settled, why) = place(&claims, &path, false);
        claims.claim(&settled);
        if settled != asset.url {
            if let Some(why) = why {
                moved.push(Moved::Asset {
                    asset: i,
                    from: asset.url.clone(),
                    to: settled.clone(),
                    why,
                });
            }
            asset.url = settled;
        }
    }
    // An alias is an old address kept working: one in a folder that had to move, or taken,
    // cannot be, and is left out rather than moved where no old link points.
    aliases.retain(|alias| {
        let file = &alias.file;
        let free = renames.apply(file) == *file && claims.conflict(file).is_none();
        if free && names_fit(file) {
            claims.claim(file);
            true
        } else {
            moved.push(Moved::Alias {
                file: file.clone(),
                source: alias.source.clone(),
                pos: alias.pos,
            });
            false
        }
    });
    moved
}

/// Whether every name in `path` fits a file system.
fn names_fit(path: &str) -> bool {
    path.split('/').all(|s| s.len() <= MAX_NAME)
}

/// A free place for `path` (a page's folder URL when `folder`, else a file): the path itself
/// when it can be had, else with the clashing name made free (`-1`, `-2`...) and long names
/// shortened; and why it moved.
fn place(claims: &Claims, path: &str, folder: bool) -> (String, Option<String>) {
    let mut why = None;
    let mut path = path.to_string();
    // Long names first: shortened, the rest of the path kept.
    if !names_fit(&path) {
        let longest = path.split('/').map(str::len).max().unwrap_or(0);
        why = Some(format!(
            "has a name of {longest} bytes, more than the {MAX_NAME} a file system takes"
        ));
        path = path
            .split('/')
            .map(|s| shorten(s, MAX_NAME - 16))
            .collect::<Vec<_>>()
            .join("/");
    }
    let file_of = |p: &str| {
        if folder {
            url::output_file(p)
        } else {
            p.to_string()
        }
    };
    for _ in 0..64 {
        let file = file_of(&path);
        let Some(end) = claims.conflict(&file) else {
            return (path, why);
        };
        let taken = &file[..end];
        let what = if claims.files.contains(taken) {
            format!("would take the name of the site's file `{taken}`")
        } else {
            format!("would take the name of the site's folder `{taken}/`")
        };
        why.get_or_insert(what);
        // The name to change: the folder on the way that clashes, else the path's own last.
        let trimmed = path.trim_end_matches('/');
        let seg_end = end.min(trimmed.len());
        let start = trimmed[..seg_end].rfind('/').map_or(0, |i| i + 1);
        let name = &trimmed[start..seg_end];
        let rest = &path[seg_end..];
        let as_folder = folder || !rest.is_empty();
        let free = (1..)
            .map(|n| numbered(name, n, as_folder))
            .find(|c| {
                let candidate = format!("{}{c}", &path[..start]);
                !claims.files.contains(&candidate) && !claims.folders.contains(&candidate)
            })
            .expect("an unbounded list of names has a free one");
        path = format!("{}{free}{rest}", &path[..start]);
    }
    (path, why)
}

/// `name` with `-n`: before a file's extension (`style-1.css`), at a folder's end.
fn numbered(name: &str, n: usize, folder: bool) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !folder && !stem.is_empty() => format!("{stem}-{n}.{ext}"),
        _ => format!("{name}-{n}"),
    }
}

/// `name` cut to at most `max` bytes, at a character.
fn shorten(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let mut end = max;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(files: &[&str]) -> Claims {
        let mut c = Claims::default();
        for f in files {
            c.claim(f);
        }
        c
    }

    #[test]
    fn clashing_names_move_to_free_ones() {
        let c = claims(&[
            "index.html",
            "tags/index.html",
            "404.html",
            "assets/style.css",
            "backup/index.html",
        ]);
        assert_eq!(place(&c, "index.html/", true).0, "index.html-1/");
        assert_eq!(place(&c, "tags/index.html/", true).0, "tags/index.html-1/");
        assert_eq!(place(&c, "404.html/", true).0, "404.html-1/");
        assert_eq!(place(&c, "assets/style.css", false).0, "assets/style-1.css");
        assert_eq!(place(&c, "backup", false).0, "backup-1");
        assert_eq!(place(&c, "sops/a/", true), ("sops/a/".to_string(), None));
        let long = "ⱥ".repeat(100);
        let (p, why) = place(&c, &format!("{long}/"), true);
        assert!(
            p.len() <= MAX_NAME + 1 && why.unwrap().contains("300 bytes"),
            "{p}"
        );
    }

    #[test]
    fn the_search_index_names_are_the_sites() {
        let mut c = claims(&["index.html"]);
        c.folders.insert("search".into());
        c.owned.insert("search".into());
        assert_eq!(place(&c, "search/meta.js/", true).0, "search-1/meta.js/");
        let (to, why) = place(&c, "search/meta.js", false);
        assert_eq!(to, "search-1/meta.js");
        assert_eq!(
            why.as_deref(),
            Some("would take the name of the site's folder `search/`")
        );
        assert_eq!(place(&c, "search/guide/", true).0, "search-1/guide/");
        assert_eq!(place(&c, "search/", true).0, "search-1/");
        assert_eq!(place(&c, "searching/", true).0, "searching/");
    }

    #[test]
    fn renamed_folders_carry_what_is_in_them() {
        let mut r = Renames::default();
        r.0.push(("index.html/".into(), "index.html-1/".into()));
        assert_eq!(r.apply("index.html/a/"), "index.html-1/a/");
        assert_eq!(r.apply("index.htmlx/"), "index.htmlx/");
    }
}
