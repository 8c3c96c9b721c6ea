//! Every name a link may use for a page or file (source path, path without extension, section
//! folder, URL, alias, a file the build writes), and the lookups in it: exact, from the top of
//! the repository, and ignoring letter case and Unicode normalisation.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::display_path;
use crate::load::markdown_stem;

use super::model::{parent_dir, Entry, Site};

impl Site {
    /// Files the build writes itself, which links may name (`/reviews.ics`).
    pub(super) fn add_generated_files(&mut self, files: Vec<String>) {
        for (i, file) in files.iter().enumerate() {
            self.link_index
                .entry(file.clone())
                .or_insert(Entry::Generated(i));
        }
        self.generated_files = files;
    }

    /// What the link `href`, normalised to `path`, names. A root-relative link that names
    /// nothing may be written from the top of the repository, as GitHub reads it: then it is
    /// tried as a path there (`/docs/oncall.md` in a handbook whose content folder is `docs`,
    /// `/static/img/x.png` for a static folder's file).
    pub(super) fn lookup_link(&self, href: &str, path: &str) -> Option<Entry> {
        self.lookup(path).or_else(|| {
            if !href.trim_start().starts_with('/') {
                return None;
            }
            self.lookup_from_root(path)
        })
    }

    pub(super) fn lookup(&self, path: &str) -> Option<Entry> {
        lookup_in(path, |key| self.link_index.get(key).copied())
    }

    /// [`Site::lookup`] ignoring letter case and Unicode normalisation: the entry, and the
    /// path as it is spelt in the handbook.
    pub(super) fn lookup_folded(&self, path: &str) -> Option<(Entry, &str)> {
        let folded = self.folded_index.get_or_init(|| {
            let mut keys: Vec<(&String, &Entry)> = self.link_index.iter().collect();
            // The first spelling in path order wins, whatever the map's order.
            keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut index = HashMap::with_capacity(keys.len());
            for (key, entry) in keys {
                index
                    .entry(fold(key))
                    .or_insert_with(|| (*entry, key.clone()));
            }
            index
        });
        let mut spelt = None;
        let entry = lookup_in(path, |key| {
            let (entry, key) = folded.get(&fold(key))?;
            spelt = Some(key.as_str());
            Some(*entry)
        })?;
        Some((entry, spelt?))
    }

    /// The path as the handbook spells it for an entry: the source file of a page, the
    /// file of an asset.
    pub(super) fn spelling(&self, entry: Entry, key: &str) -> String {
        match entry {
            Entry::Page(p) => self.pages[p]
                .doc
                .as_ref()
                .map_or_else(|| key.to_string(), |d| d.path.clone()),
            Entry::Asset(a) => self.assets[a].path.clone(),
            Entry::Generated(g) => self.generated_files[g].clone(),
        }
    }

    /// A root-relative `path` (a link that climbed above the content folder, or one written
    /// from the top of the repository) that comes back into the content folder or a static
    /// folder: what it names there.
    pub(super) fn lookup_from_root(&self, path: &str) -> Option<Entry> {
        if let Some(rest) = under(&self.config.content_dir, path) {
            if let Some(e) = self.lookup(rest) {
                return Some(e);
            }
        }
        // A static folder's files are published from the top of the site.
        self.config
            .static_dirs
            .iter()
            .filter_map(|d| under(d, path))
            .find_map(|rest| match self.lookup(rest) {
                Some(e @ Entry::Asset(_)) => Some(e),
                _ => None,
            })
    }

    /// Every way a link may name a page or file: its source path, the path without extension,
    /// its folder for section pages, and its URL.
    pub(super) fn index_links(&mut self) {
        let mut index = HashMap::with_capacity(self.pages.len() * 3 + self.assets.len());
        for (i, asset) in self.assets.iter().enumerate() {
            index.insert(asset.path.clone(), Entry::Asset(i));
        }
        for page in &self.pages {
            let e = Entry::Page(page.id);
            if let Some(doc) = &page.doc {
                index.insert(doc.path.clone(), e);
                let name = doc.path.rsplit('/').next().unwrap_or(&doc.path);
                if let Some(stem) = markdown_stem(name, &self.config.markdown_extensions) {
                    let dir = parent_dir(&doc.path);
                    let key = if dir.is_empty() {
                        stem.to_string()
                    } else {
                        format!("{dir}/{stem}")
                    };
                    index.entry(key).or_insert(e);
                }
            }
            if let Some(dir) = &page.section_dir {
                index.insert(dir.clone(), e);
            }
        }
        for page in self.pages.iter().filter(|p| p.published) {
            index
                .entry(page.url.trim_end_matches('/').to_string())
                .or_insert(Entry::Page(page.id));
        }
        // An old URL a page answers at (`aliases`, `redirect_from`, a `permalink`): a link
        // written to it reaches the page, as the redirect would.
        for alias in &self.aliases {
            let key = alias.file.strip_suffix("index.html").unwrap_or(&alias.file);
            index
                .entry(key.trim_end_matches('/').to_string())
                .or_insert(Entry::Page(alias.page));
        }
        self.link_index = index;
    }
}

/// A folder given in handbook.yaml (`./docs/`, `.`) as a plain root-relative path (`docs`,
/// `""` for the root).
pub(super) fn plain_dir(dir: &Path) -> String {
    let dir = display_path(dir);
    dir.trim_matches('/').to_string()
}

/// The rest of root-relative `path` inside folder `dir`, if it is inside.
pub(super) fn under<'p>(dir: &Path, path: &'p str) -> Option<&'p str> {
    match plain_dir(dir).as_str() {
        "" => Some(path),
        dir => path
            .strip_prefix(dir)
            .filter(|r| r.is_empty() || r.starts_with('/'))
            .map(|r| r.trim_start_matches('/')),
    }
}

/// Looks `path` up through `get`, as a link may write it: the path, or the HTML file a page
/// becomes (`x.html`, `x/index.html`).
fn lookup_in<T>(path: &str, mut get: impl FnMut(&str) -> Option<T>) -> Option<T> {
    let trimmed = path.trim_end_matches('/');
    if let Some(e) = get(trimmed) {
        return Some(e);
    }
    let without_html = trimmed
        .strip_suffix("index.html")
        .map(|s| s.trim_end_matches('/'))
        .or_else(|| trimmed.strip_suffix(".html"))?;
    get(without_html)
}

/// A path as a case-insensitive file system that normalises Unicode compares it (macOS,
/// Windows): lowercase, composed.
pub(super) fn fold(path: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Most paths are ASCII, and normalising them changes nothing: a tenth of the cost.
    if path.is_ascii() {
        return path.to_ascii_lowercase();
    }
    path.nfc().flat_map(char::to_lowercase).nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{page, site};

    #[test]
    fn a_page_is_named_by_its_path_stem_folder_url_and_html_file() {
        let site = site(&[
            ("guide/_index.md", "# Guide\n"),
            ("guide/Set Up.md", "---\nslug: setup\n---\n# Setup\n"),
        ]);
        let guide = Entry::Page(page(&site, "guide/").id);
        let setup = Entry::Page(page(&site, "guide/Set Up.md").id);
        for key in [
            "guide/_index.md",
            "guide/_index",
            "guide",
            "guide/",
            "guide/index.html",
        ] {
            assert_eq!(site.lookup(key), Some(guide), "{key}");
        }
        for key in [
            "guide/Set Up.md",
            "guide/Set Up",
            "guide/setup",
            "guide/setup/",
            "guide/setup.html",
            "guide/setup/index.html",
        ] {
            assert_eq!(site.lookup(key), Some(setup), "{key}");
        }
        assert_eq!(site.lookup("guide/set up"), None);
        assert_eq!(
            site.lookup_folded("GUIDE/set up.MD"),
            Some((setup, "guide/Set Up.md"))
        );
    }

    #[test]
    fn folding_ignores_case_and_unicode_normalisation() {
        assert_eq!(fold("Docs/README.md"), "docs/readme.md");
        assert_eq!(fold("Caf\u{e9}.md"), fold("CAFE\u{301}.md"));
        assert_ne!(fold("cafe.md"), fold("caf\u{e9}.md"));
    }

    #[test]
    fn under_a_folder_given_in_the_configuration() {
        assert_eq!(
            under(Path::new("content"), "content/a/b.md"),
            Some("a/b.md")
        );
        assert_eq!(under(Path::new("./content/"), "content"), Some(""));
        assert_eq!(under(Path::new("content"), "contents/a.md"), None);
        assert_eq!(under(Path::new("."), "a.md"), Some("a.md"));
        assert_eq!(plain_dir(Path::new("./docs/")), "docs");
    }
}
