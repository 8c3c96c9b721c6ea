//! What a build reads, as `serve`'s watcher needs to know it: which changed paths can change
//! the site, and which folders to watch to see them change.
//!
//! Decided from the configuration (`config::Config`: the content folder, the team data, the
//! theme, the template overrides, the `static:` folders, handbook.yaml itself), mirroring what
//! the stages read: the content walk (hidden entries, `node_modules`/`vendor`/`target`, the
//! output folder, `exclude:` and the other folders it leaves out), the team data's YAML files
//! directly in its folder (or the one file `data:` names), the files directly in the theme's
//! `templates/` and `static/` and in the template overrides. Anything else (a log redirected
//! into the root, `archetypes/`, which only `new` reads, a README beside the content folder) is
//! not a reason to rebuild, and neither are editors' temporary files. Decided from the paths'
//! text but for a look at what a few are: whether `data:` names a file, whether a name in a
//! folder whose files are read is a folder.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::config::{Config, CONFIG_FILE};
use crate::load::SKIPPED_DIRS;

/// The places a build reads, as absolute paths under the (canonical) root.
#[derive(Debug, Clone)]
pub struct Sources {
    root: PathBuf,
    config_file: PathBuf,
    /// Walked whole, as are the static folders.
    content: PathBuf,
    statics: Vec<PathBuf>,
    /// What the walks leave out below the folder they walk.
    left_out: Vec<PathBuf>,
    /// The team data: a folder whose YAML files are read, or the one file.
    data: PathBuf,
    /// Folders whose files directly in them are read: the theme's `templates/` and `static/`,
    /// the template overrides.
    flat: Vec<PathBuf>,
    /// Files the pages include from outside the folders above (mdBook's listings, MkDocs'
    /// snippets): absolute, sorted. Set after each build ([`Sources::set_included`]).
    included: Vec<PathBuf>,
}

impl Sources {
    /// The sources of the handbook at `root` (canonical) configured by `config`.
    pub fn new(root: &Path, config: &Config) -> Sources {
        let at = |p: &Path| inside(root, p);
        let content = at(&config.content_dir);
        let data = at(&config.data_dir);
        let statics: Vec<PathBuf> = config.static_dirs.iter().map(|d| at(d)).collect();
        let theme = at(&Path::new("themes").join(&config.theme));
        let templates = at(&config.templates_dir);
        let mut left_out = vec![at(&config.output_dir)];
        if data != content {
            left_out.push(data.clone());
        }
        left_out.extend(
            config
                .exclude
                .iter()
                .map(|x| inside(&content, Path::new(x))),
        );
        left_out.extend(statics.iter().cloned());
        if content == root {
            // A handbook at the top of an existing folder: its settings, themes, templates and
            // archetypes are not pages (the theme's files are read as the theme, below).
            left_out.extend(
                [CONFIG_FILE, "themes", "archetypes"]
                    .iter()
                    .map(|n| root.join(n)),
            );
            left_out.push(templates.clone());
        }
        Sources {
            root: root.to_path_buf(),
            config_file: root.join(CONFIG_FILE),
            content,
            statics,
            left_out,
            data,
            flat: vec![theme.join("templates"), theme.join("static"), templates],
            included: Vec::new(),
        }
    }

    /// The files the last build included (root-relative): those outside the content and
    /// the other watched folders are watched too, each in its folder.
    pub fn set_included(&mut self, files: &[PathBuf]) {
        let mut outside: Vec<PathBuf> = (files.iter())
            .map(|f| self.root.join(f))
            .filter(|f| !self.relevant(f))
            .collect();
        outside.sort();
        self.included = outside;
    }

    /// The configuration file, or the root itself (which a rescan stands for): a change of
    /// either means reading the configuration again.
    pub fn is_config(&self, path: &Path) -> bool {
        path == self.config_file || path == self.root
    }

    /// Whether a change of `path` (absolute, under the canonical root) can change the site.
    pub fn relevant(&self, path: &Path) -> bool {
        if !path.starts_with(&self.root) {
            return false;
        }
        // A folder on the way to a source (or the source itself) created, removed or renamed:
        // it brings or takes all of it.
        let mut locations = [&self.config_file, &self.content, &self.data]
            .into_iter()
            .chain(&self.statics)
            .chain(&self.flat);
        if locations.any(|l| l.starts_with(path)) {
            return true;
        }
        if self
            .included
            .binary_search_by(|f| f.as_path().cmp(path))
            .is_ok()
        {
            return true;
        }
        let Some(name) = path.file_name() else {
            return false;
        };
        if temporary(name) {
            return false;
        }
        let parent = path.parent();
        if parent == Some(self.data.as_path()) && crate::team::is_data_file(path) {
            return true;
        }
        // MkDocs' configuration, whose `nav:` orders the sidebar.
        if parent == Some(self.root.as_path()) && (name == "mkdocs.yml" || name == "mkdocs.yaml") {
            return true;
        }
        // tech-docs' settings, whose `redirects:` are aliases.
        if path == self.root.join(crate::load::tech_docs::CONFIG) {
            return true;
        }
        // Their files only: a folder made in one is not read.
        let flat = self.flat.iter().any(|d| parent == Some(d.as_path()));
        if flat && !hidden(name) && !path.is_dir() {
            return true;
        }
        std::iter::once(&self.content)
            .chain(&self.statics)
            .any(|tree| self.walked(tree, path))
    }

    /// Whether the walk of `tree` reaches `path` (strictly below it): not hidden, not in a
    /// skipped folder, not in what the walks leave out.
    fn walked(&self, tree: &Path, path: &Path) -> bool {
        let Ok(below) = path.strip_prefix(tree) else {
            return false;
        };
        if below.as_os_str().is_empty() {
            return false;
        }
        let mut names = below.components().peekable();
        while let Some(c) = names.next() {
            let name = c.as_os_str();
            if hidden(name) {
                return false;
            }
            let last = names.peek().is_none();
            // The walk skips folders of these names, not files (a file gone is taken as a
            // folder: at worst a rebuild is missed for a file named `vendor`).
            let skipped = name.to_str().is_some_and(|n| SKIPPED_DIRS.contains(&n));
            if skipped && !(last && path.is_file()) {
                return false;
            }
        }
        !(self.left_out.iter()).any(|x| x != tree && x.starts_with(tree) && path.starts_with(x))
    }

    /// The folders to watch, each with whether recursively: the root itself (handbook.yaml,
    /// and the folders below it coming and going; not its subfolders: the output folder or a
    /// node_modules must not cost a watch each), the content and static folders whole, the
    /// team data's folder (the folder of the one file `data:` names: an editor's save may
    /// replace the file), the theme's folders and the template overrides, and every folder
    /// between the root and those (to see them come back after a removal). A folder inside
    /// one watched whole is not watched again. Whether each exists is the caller's question.
    pub fn folders(&self) -> Vec<(PathBuf, bool)> {
        let data = if self.data.is_file() {
            self.data.parent().unwrap_or(&self.root).to_path_buf()
        } else {
            self.data.clone()
        };
        let mut wanted: Vec<(PathBuf, bool)> = vec![
            (self.root.clone(), false),
            (self.content.clone(), true),
            (data, false),
        ];
        wanted.extend(self.statics.iter().map(|s| (s.clone(), true)));
        wanted.extend(self.flat.iter().map(|f| (f.clone(), false)));
        let tech_docs = self.root.join(crate::load::tech_docs::CONFIG);
        wanted.extend(tech_docs.parent().map(|p| (p.to_path_buf(), false)));
        let included =
            (self.included.iter()).filter_map(|f| Some((f.parent()?.to_path_buf(), false)));
        wanted.extend(included);
        let ancestors: Vec<(PathBuf, bool)> = (wanted.iter())
            .flat_map(|(p, _)| p.ancestors().skip(1))
            .filter(|a| a.starts_with(&self.root))
            .map(|a| (a.to_path_buf(), false))
            .collect();
        wanted.extend(ancestors);
        wanted.retain(|(p, _)| p.starts_with(&self.root));
        // One entry a folder, whole when any asks for it whole.
        wanted.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        wanted.dedup_by(|later, first| later.0 == first.0);
        let whole: Vec<PathBuf> = (wanted.iter())
            .filter(|(_, r)| *r)
            .map(|(p, _)| p.clone())
            .collect();
        wanted.retain(|(p, _)| !whole.iter().any(|w| p != w && p.starts_with(w)));
        wanted
    }
}

/// `rel` (relative to `base`, or absolute) as an absolute path without `.` or `..`, by its
/// text alone: the folder may not exist (yet, or any more).
fn inside(base: &Path, rel: &Path) -> PathBuf {
    crate::root::lexical(&base.join(rel))
}

fn hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// An editor's temporary file: backups, swap files, vim's write test, JetBrains' safe-write
/// files (emacs' `.#` locks are hidden).
fn temporary(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(yaml: &str) -> Sources {
        Sources::new(Path::new("/hb"), &Config::parse(yaml).unwrap())
    }

    fn assert_relevance(s: &Sources, yes: &[&str], no: &[&str]) {
        for p in yes {
            assert!(s.relevant(Path::new(p)), "{p} should rebuild");
        }
        for p in no {
            assert!(!s.relevant(Path::new(p)), "{p} should not rebuild");
        }
    }

    #[test]
    fn what_the_default_layout_reads() {
        let s = sources("title: T\n");
        assert_relevance(
            &s,
            &[
                "/hb/handbook.yaml",
                "/hb/content/a.md",
                "/hb/content/sops/img.png",
                "/hb/content/sops",
                "/hb/content",
                "/hb/data/team.yaml",
                "/hb/data/people.yml",
                "/hb/data",
                "/hb/templates/page.html",
                "/hb/themes/default/templates/page.html",
                "/hb/themes/default/static/x.css",
                "/hb/themes/default",
                "/hb/themes",
                "/hb/mkdocs.yml",
                "/hb/config/tech-docs.yml",
            ],
            &[
                "/hb/serve.log",
                "/hb/other/mkdocs.yml",
                "/hb/README.md",
                "/hb/archetypes/sop.md",
                "/hb/archetypes",
                "/hb/public/index.html",
                "/hb/other/a.md",
                "/hb/.git/index",
                "/hb/content/a.md~",
                "/hb/content/.a.md.swp",
                "/hb/content/.#a.md",
                "/hb/content/4913",
                "/hb/content/a.md___jb_tmp___",
                "/hb/content/.hidden/a.md",
                "/hb/content/node_modules/x/a.md",
                "/hb/content/node_modules",
                "/hb/data/notes.md",
                "/hb/data/sub/team.yaml",
                "/hb/data/.team.yaml.swp",
                "/hb/templates/page.html~",
                "/hb/templates/sub/page.html",
                "/hb/themes/default/theme.toml",
                "/hb/themes/other/templates/page.html",
                "/hb/handbook.yaml~",
                "/elsewhere/content/a.md",
                "/hb2/content/a.md",
            ],
        );
    }

    #[test]
    fn what_a_configured_layout_reads() {
        let s = sources(
            "content: docs/src\ndata: _data/team.yml\ntheme: corp\ntemplates: layouts\nstatic: [assets]\noutput: docs/src/out\nexclude: [drafts]\n",
        );
        assert_relevance(
            &s,
            &[
                "/hb/docs/src/a.md",
                "/hb/docs/src",
                "/hb/docs",
                "/hb/_data/team.yml",
                "/hb/_data",
                "/hb/themes/corp/templates/page.html",
                "/hb/layouts/page.html",
                "/hb/assets/logo.png",
                "/hb/assets/deep/logo.png",
            ],
            &[
                "/hb/content/a.md",
                "/hb/data/team.yaml",
                "/hb/_data/nav.yml",
                "/hb/templates/page.html",
                "/hb/themes/default/templates/page.html",
                "/hb/docs/README.md",
                "/hb/docs/src/out/index.html",
                "/hb/docs/src/drafts/a.md",
                "/hb/assets/.cache/x",
            ],
        );
        let folders = s.folders();
        for (p, whole) in [
            ("/hb", false),
            ("/hb/docs", false),
            ("/hb/docs/src", true),
            ("/hb/_data", false),
            ("/hb/assets", true),
            ("/hb/layouts", false),
            ("/hb/themes", false),
            ("/hb/themes/corp", false),
            ("/hb/themes/corp/templates", false),
            ("/hb/themes/corp/static", false),
        ] {
            assert!(
                folders.contains(&(PathBuf::from(p), whole)),
                "{p}: {folders:?}"
            );
        }
        for p in [
            "/hb/content",
            "/hb/templates",
            "/hb/data",
            "/hb/docs/src/out",
        ] {
            assert!(!folders.iter().any(|(f, _)| f == Path::new(p)), "{p}");
        }
    }

    #[test]
    fn a_handbook_at_the_top_of_its_folder() {
        let s = sources("content: .\nstatic: [static]\n");
        assert_relevance(
            &s,
            &[
                "/hb/a.md",
                "/hb/README.md",
                "/hb/serve.log",
                "/hb/data/team.yaml",
                "/hb/static/x.png",
                "/hb/templates/page.html",
            ],
            &[
                "/hb/public/index.html",
                "/hb/archetypes/sop.md",
                "/hb/themes/other/x",
                "/hb/data/notes.md",
                "/hb/.git/HEAD",
                "/hb/templates/sub/x.html",
            ],
        );
        // The root is watched whole; nothing below it again.
        assert_eq!(s.folders(), vec![(PathBuf::from("/hb"), true)]);
    }

    #[test]
    fn folders_are_taken_by_their_text() {
        assert_eq!(
            inside(Path::new("/hb"), Path::new("./docs/../content/")),
            PathBuf::from("/hb/content")
        );
        assert_eq!(
            inside(Path::new("/hb"), Path::new("/abs/out")),
            PathBuf::from("/abs/out")
        );
    }
}
