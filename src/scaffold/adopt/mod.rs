//! `handbook init --from DIR`: a handbook.yaml fitted to a folder of Markdown written for
//! another tool (GitHub, Jekyll, Hugo, Zola, MkDocs, mdBook, GitBook, GOV.UK tech-docs,
//! Docusaurus).
//!
//! It looks, it does not convert: the documents stay as they are, and everything the loader
//! already reads under other tools' names (TOML front matter, `weight`, `redirect_from`,
//! `last_reviewed_on`, a `SUMMARY.md`) needs no setting. What it writes is only what a default
//! would get wrong: where the Markdown is, its extensions, the team data, a free output folder,
//! the other tool's own files, and front matter names for our fields that only this team uses.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use crate::config::{Config, CONFIG_FILE};
use crate::fields::{FieldAliases, FOREIGN_FIELDS, SYNONYMS};
use crate::load::front_matter::{self, Format};
use crate::output::MARKER;
use crate::team::{is_data_file, is_people_file, DataShape};
use crate::text::one_line;
use crate::yaml::{self, Value};

use super::{create_new, root_at, ScaffoldError};
use crate::root::Root;

/// What `init --from` found, and so wrote.
#[derive(Debug)]
pub struct Adoption {
    /// The tool the folder was written for, when its own config file says so.
    pub tool: Option<Tool>,
    /// The site title from that tool's config.
    pub title: Option<String>,
    /// The content folder relative to the root (`.` for the root itself).
    pub content: String,
    /// Markdown files under the content folder, by extension (compound ones included).
    pub extensions: BTreeMap<String, usize>,
    /// MDX files: Markdown with JSX, which would render as text, so left out.
    pub mdx: usize,
    /// Documents by front matter style.
    pub yaml: usize,
    pub toml: usize,
    pub plain: usize,
    /// Names this folder uses for our fields that need an alias: `(name, field, documents)`.
    pub aliases: Vec<(String, &'static str, usize)>,
    /// Other tools' names that are read as ours already: `(name, field, documents)`.
    pub built_in: Vec<(String, &'static str, usize)>,
    /// Keys that are none of the above, with the number of documents; `check` warns of them.
    pub unknown: Vec<(String, usize)>,
    /// The team data (a folder or one file) and the people in it.
    pub data: Option<String>,
    pub people: usize,
    /// People listed without an `id`, which the loader reports (documents name owners by id).
    pub people_without_id: usize,
    /// Why `data` is what it is, when it is not plain.
    pub data_note: Option<String>,
    pub output: String,
    /// Paths under the content folder that are the other tool's, not the handbook's.
    pub exclude: Vec<String>,
    /// A `SUMMARY.md` orders the pages.
    pub summary: bool,
    /// Folders of files the tool publishes from the site's top (Hugo's and Zola's `static/`).
    pub static_dirs: Vec<String>,
    /// Where handbook's own template overrides go, when `templates/` is the other tool's
    /// (Zola's): its templates would otherwise replace handbook's.
    pub templates: Option<String>,
}

/// The Markdown flavours' extensions; `mdx` is recognised only to be left out.
const MARKDOWN: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn"];

/// Top-level files of a repository that are about the repository, not handbook pages.
const REPO_FILES: &[&str] = &[
    "readme",
    "changelog",
    "license",
    "licence",
    "contributing",
    "code_of_conduct",
    "security",
    "support",
    "history",
    "authors",
    "notice",
];

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
    fn own_files(self) -> (&'static [&'static str], &'static [&'static str]) {
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
    fn publishes_static(self) -> bool {
        matches!(self, Tool::Hugo | Tool::Zola | Tool::Docusaurus)
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Looks at `dir` and writes `dir/handbook.yaml` for it; never replaces an existing one.
pub fn adopt(dir: &Path) -> Result<Adoption, ScaffoldError> {
    let config_path = dir.join(CONFIG_FILE);
    if config_path.exists() {
        return Err(ScaffoldError::Exists(config_path));
    }
    if !dir.is_dir() {
        return Err(ScaffoldError::Io {
            path: dir.into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder"),
        });
    }
    let adoption = survey(dir);
    let text = adoption.config_text();
    // What we write must be a configuration the loader takes, and hold only the keys we meant
    // to write: the values come from file names and other tools' settings, which a pull
    // request controls (a file name with a newline must not add `output:`).
    Config::parse(&text)?;
    let written: Vec<String> = match yaml::from_str::<Value>(&text) {
        Ok(Value::Mapping(m)) => m
            .keys()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let meant = adoption.keys();
    if let Some(extra) = written.iter().find(|k| !meant.contains(&k.as_str())) {
        return Err(ScaffoldError::Io {
            path: config_path,
            source: std::io::Error::other(format!(
                "the handbook.yaml made for this folder would set `{extra}`, which init --from does not write: a file name or setting of the folder must be crafted; nothing was written"
            )),
        });
    }
    create_new(&root_at(dir)?, Path::new(CONFIG_FILE), &text)?;
    Ok(adoption)
}

/// Files of the folder being adopted, read only inside it: a symlinked `_config.yml` or
/// `_data/` that leads elsewhere is not read (its values would be written to handbook.yaml).
struct Folder {
    root: Option<Root>,
}

impl Folder {
    fn text(&self, rel: &str) -> Option<String> {
        self.root.as_ref()?.read_text(Path::new(rel))
    }

    fn yaml(&self, rel: &str) -> Option<Value> {
        yaml::from_str(&self.text(rel)?).ok()
    }

    /// The YAML files directly in folder `rel`, parsed, by name; files that do not parse are
    /// left out (they are not anybody's team data).
    fn yaml_files(&self, rel: &str) -> Vec<(String, Value)> {
        let Some(root) = &self.root else {
            return Vec::new();
        };
        let folder = root.path().join(rel);
        if !root.contains(&folder) {
            return Vec::new();
        }
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return Vec::new();
        };
        let mut files: Vec<(String, Value)> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()) && is_data_file(&e.path()))
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let value = self.yaml(&format!("{rel}/{name}"))?;
                Some((name, value))
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }
}

/// Everything `adopt` finds, without writing anything.
pub fn survey(dir: &Path) -> Adoption {
    let folder = Folder {
        root: Root::new(dir).ok(),
    };
    let read = |rel: &str| folder.text(rel);
    let (tool, title, tool_content) = detect_tool(dir, &read);
    let files = markdown_files(dir, "");
    let content = tool_content
        .filter(|c| inside_root(c) && dir.join(c).is_dir())
        .unwrap_or_else(|| content_folder(&read, &files));
    let prefix = prefix_of(&content);
    let exclude = excluded(dir, tool, &content, &files);
    let in_content: Vec<&MarkdownFile> = files
        .iter()
        .filter(|f| {
            f.rel.starts_with(&prefix)
                && !exclude.iter().any(|x| {
                    let rel = &f.rel[prefix.len()..];
                    rel == x || rel.starts_with(&format!("{x}/"))
                })
        })
        .collect();

    let mut a = Adoption {
        tool,
        title,
        content,
        extensions: BTreeMap::new(),
        mdx: 0,
        yaml: 0,
        toml: 0,
        plain: 0,
        aliases: Vec::new(),
        built_in: Vec::new(),
        unknown: Vec::new(),
        data: None,
        people: 0,
        people_without_id: 0,
        data_note: None,
        output: free_output(dir),
        exclude,
        summary: false,
        static_dirs: match tool {
            Some(t) if t.publishes_static() && dir.join("static").is_dir() => {
                vec!["static".to_string()]
            }
            _ => Vec::new(),
        },
        templates: (tool.is_some() && dir.join("templates").is_dir())
            .then(|| "handbook-templates".to_string()),
    };
    let mut keys: HashMap<String, usize> = HashMap::new();
    for f in in_content {
        if f.ext == "mdx" {
            a.mdx += 1;
            continue;
        }
        *a.extensions.entry(f.ext.clone()).or_default() += 1;
        if &f.rel[prefix.len()..] == "SUMMARY.md" {
            a.summary = true;
        }
        let Some(text) = read(&f.rel) else {
            continue;
        };
        let text = crate::text::strip_bom(&text);
        match front_matter::split(text).block {
            Some(block) => {
                match block.format {
                    Format::Yaml => a.yaml += 1,
                    Format::Toml => a.toml += 1,
                }
                for key in block.top_level_keys().into_keys() {
                    *keys
                        .entry(key.trim_end_matches('\r').to_string())
                        .or_default() += 1;
                }
            }
            None => a.plain += 1,
        }
    }
    a.classify_keys(keys);
    a.find_team_data(&folder);
    a
}

impl Adoption {
    fn classify_keys(&mut self, keys: HashMap<String, usize>) {
        let ours = FieldAliases::default();
        for (key, n) in keys {
            if let Some(field) = ours.field(&key) {
                if field != key {
                    self.built_in.push((key, field, n));
                }
            } else if FOREIGN_FIELDS.contains(&key.as_str()) {
            } else if let Some(&(_, field)) = SYNONYMS.iter().find(|(s, _)| *s == key) {
                self.aliases.push((key, field, n));
            } else {
                self.unknown.push((key, n));
            }
        }
        let by_count = |a: &usize, b: &usize| b.cmp(a);
        self.built_in
            .sort_by(|x, y| by_count(&x.2, &y.2).then(x.0.cmp(&y.0)));
        self.aliases
            .sort_by(|x, y| by_count(&x.2, &y.2).then(x.0.cmp(&y.0)));
        self.unknown
            .sort_by(|x, y| by_count(&x.1, &y.1).then(x.0.cmp(&y.0)));
    }

    /// Team data: a `data/` or `_data/` folder of team files, else the one team file among
    /// other data there, else a `team.yml` (or `people.yml`) at the top. What counts as team
    /// data is what the team loader reads ([`DataShape`]).
    fn find_team_data(&mut self, dir: &Folder) {
        let mut other_data = false;
        for folder in ["data", "_data"] {
            let files = dir.yaml_files(folder);
            other_data |= folder == "data" && !files.is_empty();
            if files.is_empty() {
                continue;
            }
            // Read as a folder, each file by its own name; every one must be team data.
            let shapes: Vec<DataShape> = files
                .iter()
                .map(|(name, v)| DataShape::of(v, is_people_file(Path::new(name))))
                .collect();
            if shapes.iter().all(|s| *s != DataShape::Other) {
                self.data = Some(folder.to_string());
                for ((_, v), shape) in files.iter().zip(&shapes) {
                    self.count_people(v, *shape);
                }
                return;
            }
            // Else the team file among the other data, named alone (so it may be only people).
            let best = files
                .iter()
                .filter_map(|(name, v)| Some((DataShape::people(v, true)?, name, v)))
                .max_by_key(|(n, ..)| *n);
            if let Some((_, name, v)) = best {
                self.data = Some(format!("{folder}/{name}"));
                self.data_note = Some(format!(
                    "the other files in {folder}/ are not team data; only {name} is read"
                ));
                self.count_people(v, DataShape::of(v, true));
                return;
            }
        }
        for name in ["team.yml", "team.yaml", "people.yml", "people.yaml"] {
            let Some(v) = dir.yaml(name) else {
                continue;
            };
            let shape = DataShape::of(&v, true);
            if shape != DataShape::Other {
                self.data = Some(name.into());
                self.count_people(&v, shape);
                return;
            }
        }
        if other_data {
            // The default folder holds another tool's data, which the team loader would report
            // as bad team data: point it at a file to add people to instead.
            self.data = Some("team.yaml".into());
            self.data_note = Some(
                "data/ holds no team data; people go in team.yaml (see README: Team data)".into(),
            );
        }
    }

    fn count_people(&mut self, value: &Value, shape: DataShape) {
        match shape {
            DataShape::Sections => self.people += DataShape::people(value, false).unwrap_or(0),
            DataShape::People { count, without_id } => {
                self.people += count;
                self.people_without_id += without_id;
            }
            DataShape::Other => {}
        }
    }

    /// The handbook.yaml this adoption writes.
    pub fn config_text(&self) -> String {
        self.config().0
    }

    /// The top-level keys [`Adoption::config_text`] writes.
    pub fn keys(&self) -> Vec<&'static str> {
        self.config().1
    }

    /// handbook.yaml's text, and the keys it sets. Every value comes from file names and
    /// other tools' settings, so each is written quoted ([`yaml::quoted`]), and the
    /// comments that name files have their line breaks taken out.
    fn config(&self) -> (String, Vec<&'static str>) {
        let q = yaml::quoted;
        let mut out = String::new();
        let mut keys = Vec::new();
        let mut set = |out: &mut String, key: &'static str, value: String| {
            keys.push(key);
            // A block (a list, a mapping) starts on the next line.
            let gap = if value.starts_with('\n') { "" } else { " " };
            out.push_str(&format!("{key}:{gap}{value}\n"));
        };
        out.push_str("# Written by `handbook init --from`");
        if let Some(tool) = self.tool {
            out.push_str(&format!(" for a {tool} folder"));
        }
        out.push_str(
            ". Every key is optional and explained in\n\
             # handbook's README (handbook.yaml); the documents are read as they are.\n",
        );
        if let Some(t) = &self.title {
            set(&mut out, "title", q(t));
        }
        if self.content != "content" {
            set(&mut out, "content", q(&self.content));
        }
        if let Some(d) = &self.data {
            if let Some(note) = &self.data_note {
                out.push_str(&format!("# {}\n", one_line(note, ' ')));
            }
            set(&mut out, "data", q(d));
        }
        if self.output != "public" {
            set(&mut out, "output", q(&self.output));
        }
        if !self.static_dirs.is_empty() {
            let list: Vec<String> = self.static_dirs.iter().map(|d| q(d)).collect();
            out.push_str("# Published from the top of the site, as the other tool does.\n");
            set(&mut out, "static", format!("[{}]", list.join(", ")));
        }
        if let Some(t) = &self.templates {
            out.push_str("# templates/ is the other tool's; handbook's own overrides go here.\n");
            set(&mut out, "templates", q(t));
        }
        let default_exts = ["md", "markdown"];
        if self
            .extensions
            .keys()
            .any(|e| !default_exts.contains(&e.as_str()))
        {
            // Longest first, so that `name.html.md` is read as `name`, not `name.html`.
            let mut exts: Vec<&String> = self.extensions.keys().collect();
            exts.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            let list: Vec<String> = exts.iter().map(|e| q(e)).collect();
            set(
                &mut out,
                "markdown_extensions",
                format!("[{}]", list.join(", ")),
            );
        }
        if !self.exclude.is_empty() {
            out.push_str("# The other tool's own files and output, not pages of the handbook.\n");
            let items: String = self
                .exclude
                .iter()
                .map(|x| format!("\n  - {}", q(x)))
                .collect();
            set(&mut out, "exclude", items);
        }
        if !self.aliases.is_empty() {
            out.push_str("# Front matter names of this handbook for handbook's own fields.\n");
            let items: String = self
                .aliases
                .iter()
                .map(|(name, field, n)| format!("\n  {}: {field}  # {}", q(name), documents(*n)))
                .collect();
            set(&mut out, "field_aliases", items);
        }
        (out, keys)
    }
}

fn documents(n: usize) -> String {
    if n == 1 {
        "1 document".into()
    } else {
        format!("{n} documents")
    }
}

impl fmt::Display for Adoption {
    /// What was found, for the terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count: usize = self.extensions.values().sum();
        let exts: Vec<String> = self
            .extensions
            .iter()
            .map(|(e, n)| format!("{n} .{e}"))
            .collect();
        writeln!(
            f,
            "  tool          {}",
            self.tool
                .map_or("none recognised (plain Markdown)", Tool::name)
        )?;
        if let Some(t) = &self.title {
            writeln!(f, "  title         {t}")?;
        }
        writeln!(
            f,
            "  content       {} ({} Markdown {}: {})",
            self.content,
            count,
            if count == 1 { "file" } else { "files" },
            if exts.is_empty() {
                "none".into()
            } else {
                exts.join(", ")
            }
        )?;
        if self.mdx > 0 {
            writeln!(
                f,
                "                {} .mdx left out (Markdown with JSX would show its code)",
                self.mdx
            )?;
        }
        writeln!(
            f,
            "  front matter  {} YAML, {} TOML, {} none",
            self.yaml, self.toml, self.plain
        )?;
        for (name, field, n) in &self.built_in {
            writeln!(
                f,
                "  read as ours  `{name}` as `{field}` ({})",
                documents(*n)
            )?;
        }
        for (name, field, n) in &self.aliases {
            writeln!(
                f,
                "  field alias   `{name}` as `{field}` ({}), written to field_aliases",
                documents(*n)
            )?;
        }
        if !self.unknown.is_empty() {
            let list: Vec<String> = self
                .unknown
                .iter()
                .take(8)
                .map(|(k, n)| format!("`{k}` ({n})"))
                .collect();
            let more = self.unknown.len().saturating_sub(8);
            writeln!(
                f,
                "  other fields  {}{}: kept for templates; `check` warns of each \
                 (front-matter-unknown-field)",
                list.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )?;
        }
        match &self.data {
            Some(d) => writeln!(
                f,
                "  team data     {d} ({} {}){}",
                self.people,
                if self.people == 1 { "person" } else { "people" },
                self.data_note
                    .as_ref()
                    .map_or(String::new(), |n| format!("; {n}"))
            )?,
            None => writeln!(f, "  team data     none found (people go in data/*.yaml)")?,
        }
        if self.people_without_id > 0 {
            writeln!(
                f,
                "                {} without an `id`: give each one (documents name owners by \
                 id); `check` reports each",
                self.people_without_id
            )?;
        }
        if self.summary {
            writeln!(f, "  order         SUMMARY.md orders the pages")?;
        }
        if !self.exclude.is_empty() {
            writeln!(f, "  left out      {}", self.exclude.join(", "))?;
        }
        if !self.static_dirs.is_empty() {
            writeln!(
                f,
                "  static        {} (published from the top of the site)",
                self.static_dirs.join(", ")
            )?;
        }
        if let Some(t) = &self.templates {
            writeln!(
                f,
                "  templates     templates/ is the other tool's; handbook's overrides go in {t}/"
            )?;
        }
        writeln!(f, "  output        {}", self.output)
    }
}

/// The tool whose config file is at the top of `dir`, the title it gives the site, and where
/// it keeps the Markdown.
fn detect_tool(
    dir: &Path,
    read: &dyn Fn(&str) -> Option<String>,
) -> (Option<Tool>, Option<String>, Option<String>) {
    let yaml_key = |text: &str, key: &str| -> Option<String> {
        // Other tools' configs may carry tags our parser refuses (MkDocs' `!!python/name:`);
        // the keys we want are plain top-level scalars, so a failed parse falls back to lines.
        match yaml::from_str::<Value>(text) {
            Ok(v) => v.get(key).and_then(scalar),
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

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

struct MarkdownFile {
    /// Path relative to the root, `/`-separated.
    rel: String,
    ext: String,
}

/// The Markdown extension of a file name, compound ones included (`html.md.erb`), or `mdx`.
fn markdown_ext(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('.').collect();
    if parts.len() < 2 || parts[0].is_empty() {
        return None;
    }
    let i = (1..parts.len()).find(|&i| MARKDOWN.contains(&parts[i]) || parts[i] == "mdx")?;
    if !matches!(&parts[i + 1..], [] | ["erb"]) {
        return None;
    }
    let start = if i >= 2 && parts[i - 1] == "html" {
        i - 1
    } else {
        i
    };
    Some(parts[start..].join("."))
}

/// Every Markdown file under `dir/under`, as the loader's walk would see it.
fn markdown_files(dir: &Path, under: &str) -> Vec<MarkdownFile> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir.join(under))
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || (e.file_type().is_dir()
                        && crate::load::SKIPPED_DIRS.contains(&name.as_ref())))
        });
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(ext) = entry.file_name().to_str().and_then(markdown_ext) else {
            continue;
        };
        let Some(rel) = entry.path().strip_prefix(dir).ok().and_then(|p| p.to_str()) else {
            continue;
        };
        out.push(MarkdownFile {
            rel: rel.replace('\\', "/"),
            ext,
        });
    }
    out
}

/// Where the Markdown lives when no tool says: the one top-level folder holding it all (bar the
/// repository's own README and friends) unless its pages link out of it (to `../README.md`:
/// then the README is the handbook's home page, as on GitHub), else the root.
fn content_folder(read: &dyn Fn(&str) -> Option<String>, files: &[MarkdownFile]) -> String {
    let folder = only_folder(files);
    if folder != "." && links_leave(read, files, &folder) {
        return ".".into();
    }
    folder
}

/// Whether a Markdown file under `folder` links to a path outside it.
fn links_leave(
    read: &dyn Fn(&str) -> Option<String>,
    files: &[MarkdownFile],
    folder: &str,
) -> bool {
    let prefix = format!("{folder}/");
    files
        .iter()
        .filter(|f| f.rel.starts_with(&prefix))
        .any(|f| {
            let Some(text) = read(&f.rel) else {
                return false;
            };
            // Folders between the file and the top of `folder`: a link may climb that many.
            let depth = f.rel[prefix.len()..].matches('/').count();
            text.split("](").skip(1).any(|rest| {
                let target = rest.trim_start_matches('<');
                let end = target
                    .find([')', ' ', '>', '#', '?'])
                    .unwrap_or(target.len());
                let target = &target[..end];
                if target.starts_with('/') || target.contains(':') {
                    return false;
                }
                let mut level = depth as i64;
                for seg in target.split('/') {
                    match seg {
                        ".." => level -= 1,
                        "" | "." => {}
                        _ => level += 1,
                    }
                    if level < 0 {
                        return true;
                    }
                }
                false
            })
        })
}

fn only_folder(files: &[MarkdownFile]) -> String {
    let mut by_folder: HashMap<&str, usize> = HashMap::new();
    let mut loose = 0;
    for f in files {
        match f.rel.split_once('/') {
            Some((top, _)) => *by_folder.entry(top).or_default() += 1,
            None => {
                let stem = f.rel.split('.').next().unwrap_or("").to_ascii_lowercase();
                if !REPO_FILES.contains(&stem.as_str()) {
                    loose += 1;
                }
            }
        }
    }
    match (by_folder.len(), loose) {
        (1, 0) => by_folder.into_keys().next().unwrap_or(".").to_string(),
        _ => ".".into(),
    }
}

/// The other tool's folders and files under the content folder: its output, layouts and
/// config. A folder is left out only when it holds no Markdown.
fn excluded(dir: &Path, tool: Option<Tool>, content: &str, files: &[MarkdownFile]) -> Vec<String> {
    let base = dir.join(content);
    let prefix = prefix_of(content);
    let (folders, config_files) = tool.map_or((&[][..], &[][..]), Tool::own_files);
    let mut out: Vec<String> = folders
        .iter()
        .filter(|name| base.join(name).is_dir())
        .filter(|name| {
            let inside = format!("{prefix}{name}/");
            !files.iter().any(|f| f.rel.starts_with(&inside))
        })
        .map(|name| name.to_string())
        .collect();
    out.extend(
        config_files
            .iter()
            .filter(|name| base.join(name).is_file())
            .map(|name| name.to_string()),
    );
    out
}

/// `content/` for a content folder `content`, nothing for the root.
fn prefix_of(content: &str) -> String {
    if content == "." {
        String::new()
    } else {
        format!("{content}/")
    }
}

/// A folder a tool's config names for the content, usable only inside the root.
fn inside_root(path: &str) -> bool {
    !path.starts_with('/') && !path.contains(':') && !path.split('/').any(|c| c == "..")
}

/// `public`, unless something that is not a handbook site is there; then the first free
/// `handbook-site` name.
fn free_output(dir: &Path) -> String {
    let free = |name: &str| {
        let p = dir.join(name);
        !p.exists()
            || p.join(MARKER).is_file()
            || std::fs::read_dir(&p).is_ok_and(|mut d| d.next().is_none())
    };
    std::iter::once("public".to_string())
        .chain(std::iter::once("handbook-site".to_string()))
        .chain((2..).map(|i| format!("handbook-site-{i}")))
        .find(|name| free(name))
        .expect("an unbounded list of names has a free one")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_extensions_compound_and_plain() {
        assert_eq!(markdown_ext("a.md").as_deref(), Some("md"));
        assert_eq!(
            markdown_ext("Deploy.HTML.md.erb").as_deref(),
            Some("html.md.erb")
        );
        assert_eq!(
            markdown_ext("notes.v2.markdown").as_deref(),
            Some("markdown")
        );
        assert_eq!(markdown_ext("x.html.md").as_deref(), Some("html.md"));
        assert_eq!(markdown_ext("page.mdx").as_deref(), Some("mdx"));
        assert_eq!(markdown_ext("a.md.bak"), None);
        assert_eq!(markdown_ext("md"), None);
        assert_eq!(markdown_ext("layout.html.erb"), None);
    }

    fn file(rel: &str) -> MarkdownFile {
        MarkdownFile {
            rel: rel.into(),
            ext: "md".into(),
        }
    }

    #[test]
    fn the_content_folder_is_the_one_folder_holding_the_markdown() {
        let docs = [file("README.md"), file("docs/a.md"), file("docs/x/b.md")];
        assert_eq!(only_folder(&docs), "docs");
        let spread = [file("docs/a.md"), file("guides/b.md")];
        assert_eq!(only_folder(&spread), ".");
        let loose = [file("oncall.md"), file("docs/a.md")];
        assert_eq!(only_folder(&loose), ".");
    }
}
