//! `handbook.yaml`: the handbook's settings, every key optional.
//!
//! Parsed once, at the edge, into [`Config`]; nothing downstream looks at raw YAML. An invalid
//! config is the one input problem that stops a run (exit 2): without it we do not know where the
//! content is or where the site goes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::check::rules::{RuleConfig, Setting};
use crate::dates::Interval;
use crate::diagnostic::{Diagnostic, Pos};
use crate::load::front_matter::FieldAliases;
use crate::model::Kind;
use crate::yaml;

pub const CONFIG_FILE: &str = "handbook.yaml";

/// The resolved configuration of one handbook.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: Option<String>,
    /// Where the site is published, e.g. `https://intranet.example.com/handbook/`.
    pub base_url: Option<BaseUrl>,
    /// Content folder, relative to the root.
    pub content_dir: PathBuf,
    /// Team data folder, relative to the root.
    pub data_dir: PathBuf,
    /// Output folder, relative to the root unless absolute.
    pub output_dir: PathBuf,
    /// Name of the theme folder under `themes/` that may override the built-in default theme.
    pub theme: String,
    /// The folder of the handbook's own template overrides, relative to the root.
    pub templates_dir: PathBuf,
    /// Folders whose files are published from the top of the site as they are (`static:`,
    /// as Hugo and Zola keep images in `static/`), relative to the root.
    pub static_dirs: Vec<PathBuf>,
    /// Drop `index.html` from links (for hosted sites); the default keeps it so the site also
    /// works when opened from disk.
    pub pretty_links: bool,
    /// Whether the site has a search box and an index under `search/` (`search: false` leaves
    /// both out).
    pub search: bool,
    /// Prefix for "Edit this page" links; the source path relative to the root is appended.
    pub edit_url: Option<String>,
    /// Review interval for documents of a kind that set none of their own.
    pub default_review: BTreeMap<Kind, Interval>,
    /// How far ahead a review counts as "due soon".
    pub due_soon: Interval,
    /// File extensions (without dot) of Markdown documents.
    pub markdown_extensions: Vec<String>,
    /// Files and folders under the content folder that are not part of the site (`exclude:`),
    /// as `/`-separated paths relative to it: another tool's layouts, build output and config.
    pub exclude: Vec<String>,
    /// Severities set per rule (`rules:`), overriding the defaults.
    pub rules: RuleConfig,
    /// Headings a document of each kind must have (`required_sections:`); sop defaults to
    /// Purpose, Scope, Procedure.
    pub required_sections: BTreeMap<Kind, Vec<String>>,
    /// Which front matter keys name which fields: the built-in names other tools use plus the
    /// handbook's own (`field_aliases:`).
    pub field_aliases: FieldAliases,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Handbook".into(),
            description: None,
            base_url: None,
            content_dir: "content".into(),
            data_dir: "data".into(),
            output_dir: "public".into(),
            theme: "default".into(),
            templates_dir: "templates".into(),
            static_dirs: Vec::new(),
            pretty_links: false,
            search: true,
            edit_url: None,
            default_review: BTreeMap::new(),
            due_soon: Interval::days(30),
            markdown_extensions: vec!["md".into(), "markdown".into()],
            exclude: Vec::new(),
            rules: RuleConfig::default(),
            required_sections: [(
                Kind::Sop,
                vec!["Purpose".into(), "Scope".into(), "Procedure".into()],
            )]
            .into(),
            field_aliases: FieldAliases::default(),
        }
    }
}

/// The configured base: an absolute URL (enables sitemap.xml) or just a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://host` without trailing slash, when absolute.
    pub origin: Option<String>,
    /// The path under which the site is served, starting and ending with `/`.
    pub path: String,
}

impl BaseUrl {
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let (origin, path) = if let Some(rest) = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
        {
            let scheme_len = s.len() - rest.len();
            let host_end = rest.find('/').unwrap_or(rest.len());
            if host_end == 0 {
                return Err(format!("`{s}` has no host"));
            }
            (
                Some(s[..scheme_len + host_end].to_string()),
                &rest[host_end..],
            )
        } else if s.starts_with('/') {
            (None, s)
        } else {
            return Err(format!(
                "`{s}` must be an absolute URL (https://host/path/) or a path starting with `/`"
            ));
        };
        if path.contains(['?', '#', '\\', '"', '<', '>', ' ']) {
            return Err(format!(
                "`{s}` must not contain a query, fragment or spaces"
            ));
        }
        let mut path = path.trim_end_matches('/').to_string();
        path.push('/');
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        Ok(BaseUrl { origin, path })
    }

    /// The absolute URL of a site-relative path, when the base has an origin.
    pub fn absolute(&self, site_path: &str) -> Option<String> {
        self.origin
            .as_ref()
            .map(|o| format!("{o}{}{site_path}", self.path))
    }
}

// `handbook schema config` is derived from this type, so the schema and the parser take the
// same keys; the doc comments are the descriptions editors show.
/// The settings of a handbook; every key is optional.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "handbook.yaml")]
struct RawConfig {
    /// The site title.
    title: Option<String>,
    /// Shown in the footer.
    description: Option<String>,
    /// Where the site is published: `https://host/path/` (enables sitemap.xml) or `/path/`.
    base_url: Option<String>,
    /// The folder of Markdown documents, relative to the root (`.` for the root itself).
    content: Option<PathBuf>,
    /// The team data: a folder of YAML files, or one file, relative to the root.
    data: Option<PathBuf>,
    /// Where the site is written (default `public`).
    output: Option<PathBuf>,
    /// A folder under `themes/` whose templates and static files override the built-in theme.
    theme: Option<String>,
    /// The folder of template overrides (default `templates`); another name when `templates/`
    /// belongs to another tool (Zola).
    templates: Option<PathBuf>,
    /// Drop `index.html` from links (for hosted sites; the default also works from disk).
    pretty_links: Option<bool>,
    /// The search box and its index (default true).
    search: Option<bool>,
    /// Prefix of "Edit this page" links; the file's path from the root is appended.
    edit_url: Option<String>,
    /// Review interval per kind, e.g. `{sop: 1 year, runbook: 6 months}`.
    default_review: BTreeMap<String, String>,
    /// How far ahead a review counts as due soon (default `30 days`).
    due_soon: Option<String>,
    /// Extensions of Markdown files (default `[md, markdown]`); compound ones such as
    /// `html.md.erb` work.
    markdown_extensions: Option<Vec<String>>,
    /// Paths under the content folder that are not part of the site.
    exclude: Vec<String>,
    /// Folders whose files are published from the top of the site as they are (`[static]`).
    #[serde(rename = "static")]
    static_dirs: Vec<PathBuf>,
    /// Severity per rule (`error`, `warning`, `off`), for all documents or per kind.
    rules: BTreeMap<String, RawLevel>,
    /// Headings each kind must have, e.g. `{sop: [Purpose, Scope, Procedure]}`.
    required_sections: BTreeMap<String, Vec<String>>,
    /// More names for front matter fields, e.g. `{doc_owner: owner}`.
    field_aliases: BTreeMap<String, String>,
}

/// A rule's level for every document, or per kind.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum RawLevel {
    All(String),
    PerKind(BTreeMap<String, String>),
}

/// The JSON Schema of handbook.yaml, from the type the loader reads it into.
pub fn schema() -> serde_json::Value {
    schemars::schema_for!(RawConfig).to_value()
}

/// Why a configuration could not be used. Carries the diagnostic that says where.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub Box<Diagnostic>);

impl Config {
    /// Reads `handbook.yaml` from `root`; a missing file means all defaults.
    pub fn load(root: &Path) -> Result<Config, ConfigError> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
                ConfigError(Box::new(Diagnostic::error(
                    "config-invalid",
                    CONFIG_FILE,
                    "handbook.yaml is not valid UTF-8",
                )))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(ConfigError(Box::new(Diagnostic::error(
                    "config-invalid",
                    CONFIG_FILE,
                    format!("cannot read handbook.yaml: {e}"),
                ))))
            }
        };
        Config::parse(&crate::load::normalize_line_breaks(text))
    }

    /// Parses the text of a `handbook.yaml`.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let fail = |msg: String, pos: Pos| {
            ConfigError(Box::new(
                Diagnostic::error("config-invalid", CONFIG_FILE, msg).at(pos),
            ))
        };
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            yaml::from_str(text).map_err(|e| fail(e.message, e.pos))?
        };
        let keys = yaml::top_level_keys(text);
        let key_pos = |k: &str| keys.get(k).copied().unwrap_or(Pos::new(1, 1));

        let mut config = Config::default();
        if let Some(t) = raw.title {
            config.title = t;
        }
        config.description = raw.description;
        if let Some(b) = raw.base_url.filter(|b| !b.trim().is_empty()) {
            config.base_url = Some(BaseUrl::parse(&b).map_err(|m| fail(m, key_pos("base_url")))?);
        }
        for (key, value, slot) in [
            ("content", raw.content, &mut config.content_dir),
            ("data", raw.data, &mut config.data_dir),
            ("templates", raw.templates, &mut config.templates_dir),
        ] {
            if let Some(v) = value {
                check_inside_root(&v).map_err(|m| fail(format!("`{key}`: {m}"), key_pos(key)))?;
                *slot = v;
            }
        }
        for dir in raw.static_dirs {
            check_inside_root(&dir)
                .map_err(|m| fail(format!("`static`: {m}"), key_pos("static")))?;
            config.static_dirs.push(dir);
        }
        if let Some(o) = raw.output {
            config.output_dir = o;
        }
        if let Some(t) = raw.theme {
            if t.is_empty() || t.contains(['/', '\\']) || t.starts_with('.') {
                return Err(fail(
                    format!("`theme: {t}` must be a plain folder name"),
                    key_pos("theme"),
                ));
            }
            config.theme = t;
        }
        config.pretty_links = raw.pretty_links.unwrap_or(false);
        config.search = raw.search.unwrap_or(true);
        config.edit_url = raw.edit_url.filter(|u| !u.is_empty());
        for (kind, interval) in raw.default_review {
            let k: Kind = kind
                .parse()
                .map_err(|m| fail(m, key_pos("default_review")))?;
            let i: Interval = interval.parse().map_err(|m| {
                fail(
                    format!("default_review.{kind}: {m}"),
                    key_pos("default_review"),
                )
            })?;
            config.default_review.insert(k, i);
        }
        if let Some(d) = raw.due_soon {
            config.due_soon = d.parse().map_err(|m| fail(m, key_pos("due_soon")))?;
        }
        if let Some(exts) = raw.markdown_extensions {
            let exts: Vec<String> = exts
                .into_iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
                .filter(|e| !e.is_empty())
                .collect();
            if exts.is_empty() {
                return Err(fail(
                    "`markdown_extensions` must name at least one extension".into(),
                    key_pos("markdown_extensions"),
                ));
            }
            config.markdown_extensions = exts;
        }
        for entry in raw.exclude {
            let path = entry.trim().replace('\\', "/");
            let path = path
                .split('/')
                .filter(|c| *c != ".")
                .collect::<Vec<_>>()
                .join("/");
            let path = path.trim_matches('/').to_string();
            if path.is_empty() || path.split('/').any(|c| c == ".." || c.is_empty()) {
                return Err(fail(
                    format!("`exclude: {entry}` must be a path inside the content folder"),
                    key_pos("exclude"),
                ));
            }
            if path.contains(['*', '?', '[']) {
                return Err(fail(
                    format!("`exclude: {entry}`: entries are paths, not patterns; name each file or folder"),
                    key_pos("exclude"),
                ));
            }
            config.exclude.push(path);
        }
        for (name, level) in raw.rules {
            let at = |m: String| fail(format!("rules.{name}: {m}"), key_pos("rules"));
            let mut setting = Setting::default();
            match level {
                RawLevel::All(l) => setting.all = Some(l.parse().map_err(at)?),
                RawLevel::PerKind(map) => {
                    for (kind, l) in map {
                        let level = l.parse().map_err(at)?;
                        if kind == "all" || kind == "*" {
                            setting.all = Some(level);
                        } else {
                            setting.by_kind.insert(kind.parse().map_err(at)?, level);
                        }
                    }
                }
            }
            config.rules.set(&name, setting).map_err(at)?;
        }
        for (kind, headings) in raw.required_sections {
            let k: Kind = kind.parse().map_err(|m| {
                fail(
                    format!("required_sections.{kind}: {m}"),
                    key_pos("required_sections"),
                )
            })?;
            config.required_sections.insert(k, headings);
        }
        for (alias, field) in raw.field_aliases {
            config.field_aliases.add(&alias, &field).map_err(|m| {
                fail(
                    format!("field_aliases.{alias}: {m}"),
                    key_pos("field_aliases"),
                )
            })?;
        }
        Ok(config)
    }
}

/// Content and data folders must stay inside the handbook root: we never read outside it.
fn check_inside_root(p: &Path) -> Result<(), String> {
    use std::path::Component;
    if p.components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!(
            "`{}` must be a folder inside the handbook root (no `..`, not absolute)",
            p.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_takes_paths_inside_the_content_folder_only() {
        let c = Config::parse("exclude: [_site/, ./Gemfile, _layouts]\ntemplates: zola-free\n")
            .unwrap();
        assert_eq!(c.exclude, ["_site", "Gemfile", "_layouts"]);
        assert_eq!(c.templates_dir, Path::new("zola-free"));
        for bad in [
            "exclude: [../x]",
            "exclude: ['*.html']",
            "exclude: [a//b]",
            "templates: /etc",
        ] {
            let e = Config::parse(bad).unwrap_err();
            assert_eq!(e.0.line, 1, "{bad}: {}", e.0.message);
        }
    }

    #[test]
    fn defaults_when_empty() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.title, "Handbook");
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.due_soon, Interval::days(30));
    }

    #[test]
    fn parses_keys() {
        let c = Config::parse(
            "title: Ops\nbase_url: https://intra.example.com/hb\ndefault_review:\n  sop: 1 year\ndue_soon: 2 weeks\n",
        )
        .unwrap();
        assert_eq!(c.title, "Ops");
        let b = c.base_url.unwrap();
        assert_eq!(b.origin.as_deref(), Some("https://intra.example.com"));
        assert_eq!(b.path, "/hb/");
        assert_eq!(
            b.absolute("sops/x/").unwrap(),
            "https://intra.example.com/hb/sops/x/"
        );
        assert_eq!(c.default_review[&Kind::Sop].to_string(), "1 year");
    }

    #[test]
    fn reports_position_of_errors() {
        let e = Config::parse("title: x\ncontent: ../elsewhere\n").unwrap_err();
        assert_eq!((e.0.line, e.0.column), (2, 10));
        let e = Config::parse("title: x\nbogus: 1\n").unwrap_err();
        assert_eq!(e.0.rule, "config-invalid");
        assert!(e.0.message.contains("bogus"), "{}", e.0.message);
        let e = Config::parse("title: [unclosed\n").unwrap_err();
        assert!(e.0.line >= 1);
    }

    #[test]
    fn field_aliases() {
        let c = Config::parse("field_aliases:\n  doc_owner: owner\n  weight: version\n").unwrap();
        assert_eq!(c.field_aliases.field("doc_owner"), Some("owner"));
        assert_eq!(c.field_aliases.field("weight"), Some("version"));
        assert_eq!(c.field_aliases.field("nav_order"), Some("order"));
        let e = Config::parse("title: x\nfield_aliases:\n  title: owner\n").unwrap_err();
        assert_eq!(e.0.line, 2);
        assert!(
            e.0.message.contains("field_aliases.title"),
            "{}",
            e.0.message
        );
    }

    #[test]
    fn rules_and_required_sections() {
        let c = Config::parse(
            "rules:\n  review-due-soon: error\n  approver-missing: {sop: off, policy: error}\nrequired_sections:\n  policy: [Scope]\n  sop: []\n",
        )
        .unwrap();
        assert!(!c.rules.is_empty());
        assert_eq!(c.required_sections[&Kind::Policy], ["Scope"]);
        assert!(c.required_sections[&Kind::Sop].is_empty());
        let e = Config::parse("title: x\nrules:\n  link-brokn: off\n").unwrap_err();
        assert_eq!(e.0.line, 2);
        assert!(
            e.0.message.contains("did you mean `link-broken`"),
            "{}",
            e.0.message
        );
        let e = Config::parse("rules:\n  link-broken: loud\n").unwrap_err();
        assert!(
            e.0.message.contains("error, warning or off"),
            "{}",
            e.0.message
        );
        let e = Config::parse("rules:\n  link-broken: {memo: off}\n").unwrap_err();
        assert!(e.0.message.contains("memo"), "{}", e.0.message);
    }

    #[test]
    fn base_url_forms() {
        assert_eq!(BaseUrl::parse("/docs").unwrap().path, "/docs/");
        assert_eq!(BaseUrl::parse("https://h.example").unwrap().path, "/");
        assert!(BaseUrl::parse("docs/").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
    }
}
