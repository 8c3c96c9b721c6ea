//! The tool a folder was written for, told by its config file at the top, with the title and the
//! content folder that config gives, and the tool's own files and folders.

use std::fmt;
use std::path::Path;

use crate::yaml::{self, AsText, Value};

/// A tool a folder of Markdown may have been written for, known by its config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Jekyll,
    TechDocs,
    Hugo,
    Zola,
    MkDocs,
    MdBook,
    GitBook,
    Docusaurus,
}

impl Tool {
    /// Its name as its users write it.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Jekyll => "Jekyll",
            Tool::TechDocs => "GOV.UK tech-docs",
            Tool::Hugo => "Hugo",
            Tool::Zola => "Zola",
            Tool::MkDocs => "MkDocs",
            Tool::MdBook => "mdBook",
            Tool::GitBook => "GitBook",
            Tool::Docusaurus => "Docusaurus",
        }
    }

    /// The tool's own folders and files that may sit inside the content folder: its layouts,
    /// build output and config, not pages of the handbook. Folders are left out only when
    /// they hold no Markdown; a folder or file of no known tool is never left out (a
    /// `resources/` folder of PDFs the pages link to stays).
    pub(super) fn own_files(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Tool::Jekyll => (
                &[
                    "_site",
                    "_layouts",
                    "_includes",
                    "_sass",
                    "_plugins",
                    "_data",
                ],
                &["_config.yml", "_config.yaml", "Gemfile", "Gemfile.lock"],
            ),
            Tool::TechDocs => (&["layouts", "partials"], &[]),
            Tool::Hugo => (
                &["public", "resources", "layouts", "archetypes"],
                &["hugo.toml", "hugo.yaml", "config.toml"],
            ),
            Tool::Zola => (&["public"], &["config.toml", "zola.toml"]),
            Tool::MkDocs => (&["site", "overrides"], &["mkdocs.yml", "mkdocs.yaml"]),
            Tool::MdBook => (&["book", "theme"], &["book.toml"]),
            Tool::Docusaurus => (
                &["build"],
                &[
                    "docusaurus.config.js",
                    "docusaurus.config.ts",
                    "package.json",
                    "package-lock.json",
                    "yarn.lock",
                ],
            ),
            Tool::GitBook => (&[], &[]),
        }
    }

    /// Whether it publishes a `static/` folder from the top of the site.
    pub(super) fn publishes_static(self) -> bool {
        matches!(self, Tool::Hugo | Tool::Zola | Tool::Docusaurus)
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The tool whose config file is at the top of `dir`, the title it gives the site, and where
/// it keeps the Markdown.
pub(super) fn detect_tool(
    dir: &Path,
    read: &dyn Fn(&str) -> Option<String>,
) -> (Option<Tool>, Option<String>, Option<String>) {
    let yaml_key = |text: &str, key: &str| -> Option<String> {
        // Other tools' configs may carry tags our parser refuses (MkDocs' `!!python/name:`);
        // the keys we want are plain top-level scalars, so a failed parse falls back to lines.
        match yaml::from_str::<Value>(text) {
            Ok(v) => v
                .get(key)
                .and_then(|v| yaml::scalar_text(v, AsText::StringsNumbers)),
            Err(_) => text.lines().find_map(|l| {
                let rest = l.strip_prefix(key)?.strip_prefix(':')?;
                let v = rest.trim().trim_matches(['"', '\'']);
                (!v.is_empty()).then(|| v.to_string())
            }),
        }
    };
    let toml_key = |text: &str, path: &[&str]| -> Option<String> {
        let table: toml::Table = text.parse().ok()?;
        let mut v = table.get(path[0])?;
        for p in &path[1..] {
            v = v.get(p)?;
        }
        v.as_str().map(str::to_string)
    };
    let folder = |p: Option<String>| {
        p.map(|p| {
            let p = p.trim().trim_start_matches("./").trim_end_matches('/');
            if p.is_empty() {
                ".".to_string()
            } else {
                p.to_string()
            }
        })
    };
    if let Some(text) = read("book.toml") {
        let src = toml_key(&text, &["book", "src"]).or(Some("src".into()));
        return (
            Some(Tool::MdBook),
            toml_key(&text, &["book", "title"]),
            folder(src),
        );
    }
    if let Some(text) = read("mkdocs.yml").or_else(|| read("mkdocs.yaml")) {
        let docs = yaml_key(&text, "docs_dir").or(Some("docs".into()));
        return (
            Some(Tool::MkDocs),
            yaml_key(&text, "site_name"),
            folder(docs),
        );
    }
    if let Some(text) = read("config/tech-docs.yml") {
        let title = yaml_key(&text, "service_name").or_else(|| yaml_key(&text, "host"));
        return (Some(Tool::TechDocs), title, Some("source".into()));
    }
    for name in ["zola.toml", "config.toml"] {
        // Zola's config has `base_url`; Hugo's (also config.toml, once) has `baseURL`.
        if let Some(text) = read(name).filter(|t| t.contains("base_url")) {
            return (
                Some(Tool::Zola),
                toml_key(&text, &["title"]),
                Some("content".into()),
            );
        }
    }
    for name in ["hugo.toml", "config.toml"] {
        if let Some(text) = read(name) {
            let content = toml_key(&text, &["contentDir"]).or(Some("content".into()));
            return (
                Some(Tool::Hugo),
                toml_key(&text, &["title"]),
                folder(content),
            );
        }
    }
    if let Some(text) = read("hugo.yaml") {
        let content = yaml_key(&text, "contentDir").or(Some("content".into()));
        return (Some(Tool::Hugo), yaml_key(&text, "title"), folder(content));
    }
    if let Some(text) = read("_config.yml").or_else(|| read("_config.yaml")) {
        let source = yaml_key(&text, "source").or(Some(".".into()));
        return (Some(Tool::Jekyll), yaml_key(&text, "title"), folder(source));
    }
    if let Some(text) = read(".gitbook.yaml") {
        let root = yaml_key(&text, "root").or(Some(".".into()));
        return (Some(Tool::GitBook), None, folder(root));
    }
    if ["docusaurus.config.js", "docusaurus.config.ts"]
        .iter()
        .any(|n| dir.join(n).is_file())
    {
        return (Some(Tool::Docusaurus), None, Some("docs".into()));
    }
    (None, None, None)
}
