//! `handbook.yaml`: the handbook's settings, every key optional.
//!
//! Parsed once, at the edge, into [`Config`]; nothing downstream looks at raw YAML. An invalid
//! config is the one input problem that stops a run (exit 2): without it we do not know where the
//! content is or where the site goes. Its error is a [`Diagnostic`] at the key it concerns (a
//! nested one such as `default_review: {sopp: 2 years}` at `sopp`), with a did-you-mean for a
//! misspelt key. A value of the wrong type is said in words, what the key takes with an example
//! ([`TAKES`]), never in serde's (`invalid type: string, expected a sequence`); a list may be
//! written as its one value (`markdown_extensions: md`), as front matter allows. [`find_root`]
//! says where a handbook seems to be when a command runs in one of its subfolders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::dates::Interval;
use crate::diagnostic::{Diagnostic, Pos};
use crate::fields::{FieldAliases, KNOWN_FIELDS};
use crate::markdown::HeadingIdStyle;
use crate::model::Kind;
use crate::root::Root;
use crate::rules::{Rule, RuleConfig, Setting};
use crate::suggest;
use crate::text::{self, Decoded};
use crate::yaml::{self, Mapping, Value};

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
    /// Whose rule makes heading ids (`heading_ids:`).
    pub heading_ids: HeadingIdStyle,
    /// Prefix for "Edit this page" links; the source path relative to the root is appended.
    pub edit_url: Option<String>,
    /// The repository's web page (`https://github.com/org/handbook`): a page's last change
    /// links to `{repo_url}/commit/{hash}`. Only `http://` and `https://` are taken.
    pub repo_url: Option<String>,
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
    /// Required reading beyond the roles' (`required_reading:`): selectors (a document id, a
    /// path, `kind:policy`, `tag:security`) keyed by `everyone` or a team id.
    pub required_reading: BTreeMap<String, Vec<String>>,
    /// How long a person has to acknowledge a document they must read, from the later of
    /// their joining and the day its text in force took effect.
    pub acknowledge_within: Interval,
    /// How often an acknowledgement must be made again (annual attestations); `None`: once
    /// per version.
    pub reacknowledge_every: Option<Interval>,
    /// How far ahead of the as-of date on-call rotations are checked for gaps and overload.
    pub oncall_horizon: Interval,
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
            heading_ids: HeadingIdStyle::default(),
            edit_url: None,
            repo_url: None,
            default_review: BTreeMap::new(),
            due_soon: Interval::days(30),
            markdown_extensions: vec!["md".into(), "markdown".into(), "mdx".into()],
            exclude: Vec::new(),
            rules: RuleConfig::default(),
            required_sections: [(
                Kind::Sop,
                vec!["Purpose".into(), "Scope".into(), "Procedure".into()],
            )]
            .into(),
            field_aliases: FieldAliases::default(),
            required_reading: BTreeMap::new(),
            acknowledge_within: Interval::days(30),
            oncall_horizon: Interval::days(90),
            reacknowledge_every: None,
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
        if path.contains(['?', '#', '\\', '"', '<', '>', ' ']) || s.chars().any(char::is_control) {
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
    /// Whose rule makes heading ids: `github` (default), `redcarpet` (GOV.UK tech-docs),
    /// `python-markdown` (MkDocs) or `kramdown` (Jekyll with kramdown's own input).
    heading_ids: Option<HeadingIdStyle>,
    /// Prefix of "Edit this page" links; the file's path from the root is appended.
    edit_url: Option<String>,
    /// The repository's web page, e.g. `https://github.com/org/handbook`: each page's last
    /// change links to its commit there.
    repo_url: Option<String>,
    /// Review interval per kind, e.g. `{sop: 1 year, runbook: 6 months}`.
    default_review: BTreeMap<String, String>,
    /// How far ahead a review counts as due soon (default `30 days`).
    due_soon: Option<String>,
    /// Extensions of Markdown files (default `[md, markdown, mdx]`); compound ones such as
    /// `html.md.erb` work.
    markdown_extensions: Option<OneOrMany<String>>,
    /// Paths under the content folder that are not part of the site.
    exclude: OneOrMany<String>,
    /// Folders whose files are published from the top of the site as they are (`[static]`).
    #[serde(rename = "static")]
    static_dirs: OneOrMany<PathBuf>,
    /// Severity per rule (`error`, `warning`, `off`), for all documents or per kind.
    rules: BTreeMap<String, RawLevel>,
    /// Headings each kind must have, e.g. `{sop: [Purpose, Scope, Procedure]}`.
    required_sections: BTreeMap<String, OneOrMany<String>>,
    /// More names for front matter fields, e.g. `{doc_owner: owner}`.
    field_aliases: BTreeMap<String, String>,
    /// Required reading beyond the roles', keyed by `everyone` or a team id: document ids,
    /// paths, `kind:policy`, `tag:security`.
    required_reading: BTreeMap<String, OneOrMany<String>>,
    /// The time a person has to acknowledge what they must read (default `30 days`).
    acknowledge_within: Option<String>,
    /// How often an acknowledgement is made again, e.g. `1 year` (default: once a version).
    reacknowledge_every: Option<String>,
    /// How far ahead on-call rotations are checked (default `90 days`).
    oncall_horizon: Option<String>,
}

/// A rule's level for every document, or per kind.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum RawLevel {
    All(String),
    PerKind(BTreeMap<String, String>),
}

/// A list, or its one value written alone (`markdown_extensions: md`).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(v) => vec![v],
            OneOrMany::Many(v) => v,
        }
    }
}

/// What each key of handbook.yaml takes, in words and with an example: what a value of the
/// wrong type is told. `name.*` is any key under `name`. A test keeps it in step with
/// [`RawConfig`].
const TAKES: &[(&str, &str)] = &[
    ("title", "text, e.g. `Ops handbook`"),
    ("description", "text, e.g. `How the platform team works`"),
    (
        "base_url",
        "a URL or a path, e.g. `https://intranet.example.com/handbook/` or `/handbook/`",
    ),
    ("content", "a folder, e.g. `docs`"),
    (
        "data",
        "a folder or a file, e.g. `data` or `_data/team.yml`",
    ),
    ("output", "a folder, e.g. `public`"),
    (
        "theme",
        "the name of a folder under `themes/`, e.g. `corporate`",
    ),
    ("templates", "a folder, e.g. `templates`"),
    ("pretty_links", "`true` or `false`"),
    ("search", "`true` or `false`"),
    (
        "heading_ids",
        "`github`, `redcarpet`, `python-markdown` or `kramdown`",
    ),
    (
        "edit_url",
        "a URL, e.g. `https://github.com/org/handbook/edit/main/`",
    ),
    (
        "repo_url",
        "the repository's web address, e.g. `https://github.com/org/handbook`",
    ),
    (
        "default_review",
        "a review interval per kind, e.g. `{sop: 1 year, runbook: 6 months}`",
    ),
    (
        "default_review.*",
        "an interval, e.g. `1 year` or `6 months`",
    ),
    ("due_soon", "an interval, e.g. `30 days`"),
    (
        "required_reading",
        "selectors per `everyone` or team id, e.g. `{everyone: [POL-001, kind:policy]}`",
    ),
    (
        "required_reading.*",
        "a list of selectors: a document id, a path, `kind:policy` or `tag:security`",
    ),
    ("acknowledge_within", "an interval, e.g. `30 days`"),
    ("reacknowledge_every", "an interval, e.g. `1 year`"),
    ("oncall_horizon", "an interval, e.g. `90 days`"),
    ("markdown_extensions", "a list, e.g. `[md, markdown]`"),
    ("exclude", "a list of paths, e.g. `[_site, Gemfile]`"),
    ("static", "a list of folders, e.g. `[static]`"),
    (
        "rules",
        "a level per rule, e.g. `{review-due-soon: error, section-missing: off}`",
    ),
    (
        "rules.*",
        "a level (`error`, `warning` or `off`), or a level per kind, e.g. `{sop: off}`",
    ),
    (
        "required_sections",
        "a list of headings per kind, e.g. `{sop: [Purpose, Scope, Procedure]}`",
    ),
    (
        "required_sections.*",
        "a list of headings, e.g. `[Purpose, Scope]`",
    ),
    (
        "field_aliases",
        "a front matter field per alias, e.g. `{doc_owner: owner}`",
    ),
    (
        "field_aliases.*",
        "the name of a front matter field, e.g. `owner`",
    ),
];

/// A value as the author wrote it, for "takes a list, not `md`".
fn written(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("`{n}`"),
        Value::String(s) => format!("`{s}`"),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(_) => "a tagged value".into(),
    }
}

/// `value` (the whole of handbook.yaml) as [`RawConfig`]; a value of the wrong type reported
/// at the key it is under (a nested one's own key under `rules:` and the other mappings), in
/// words (see [`TAKES`]).
fn typed(text: &str, value: Value) -> Result<RawConfig, ConfigError> {
    let map = match value {
        Value::Null => return Ok(RawConfig::default()),
        Value::Mapping(m) => m,
        _ => {
            let d = Diagnostic::error(
                Rule::ConfigInvalid,
                CONFIG_FILE,
                "handbook.yaml must be a mapping of `key: value` lines, e.g. `title: Ops handbook`",
            )
            .at(Pos::new(1, 1));
            return Err(ConfigError(Box::new(d)));
        }
    };
    let whole = match yaml::from_value::<RawConfig>(Value::Mapping(map.clone())) {
        Ok(raw) => return Ok(raw),
        Err(m) => m,
    };
    // Each key alone, then each entry of a mapping alone: the first that does not read is
    // the one to report.
    let reads = |key: &Value, v: &Value| {
        let mut one = Mapping::new();
        one.insert(key.clone(), v.clone());
        yaml::from_value::<RawConfig>(Value::Mapping(one)).is_ok()
    };
    let takes = |path: &str| TAKES.iter().find(|(k, _)| *k == path).map(|(_, t)| *t);
    let keys = yaml::top_level_keys(text);
    for (k, v) in &map {
        let Some(key) = k.as_str() else {
            // `? [a, b]` or `? ` alone: a key that is no name, where the parser does not say.
            let at = text
                .lines()
                .position(|l| l.starts_with('?'))
                .map_or(Pos::new(1, 1), |i| Pos::new(i as u32 + 1, 1));
            let d = Diagnostic::error(
                Rule::ConfigInvalid,
                CONFIG_FILE,
                format!("a key is a name, like `title`, not {}", written(k)),
            )
            .at(at);
            return Err(ConfigError(Box::new(d)));
        };
        if reads(k, v) {
            continue;
        }
        let nested = (takes(&format!("{key}.*")).zip(v.as_mapping())).and_then(|(what, inner)| {
            let (name, v) = inner.iter().find(|(name, v)| {
                let mut one = Mapping::new();
                one.insert((*name).clone(), (*v).clone());
                !reads(k, &Value::Mapping(one))
            })?;
            let name = name.as_str()?;
            let at = yaml::key_path(text, &[key, name])?.value;
            Some((format!("{key}.{name}"), what, v, at))
        });
        let (path, what, v, at) = nested.unwrap_or_else(|| {
            let at = keys.get(key).map_or(Pos::new(1, 1), |at| at.value);
            (
                key.to_string(),
                takes(key).unwrap_or("another kind of value"),
                v,
                at,
            )
        });
        let d = Diagnostic::error(
            Rule::ConfigInvalid,
            CONFIG_FILE,
            format!("`{path}` takes {what}, not {}", written(v)),
        )
        .at(at);
        return Err(ConfigError(Box::new(d)));
    }
    Err(ConfigError(Box::new(
        Diagnostic::error(Rule::ConfigInvalid, CONFIG_FILE, whole).at(Pos::new(1, 1)),
    )))
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
        // A handbook.yaml that is a symlink out of the root is not read: its error messages
        // would show what it points at.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            let inside = match (path.canonicalize(), root.canonicalize()) {
                (Ok(target), Ok(root)) => target.starts_with(root),
                _ => false,
            };
            if !inside {
                return Err(ConfigError(Box::new(
                    Diagnostic::error(
                        Rule::PathUnsafe,
                        CONFIG_FILE,
                        "handbook.yaml is a symlink to outside the handbook root; it is not read",
                    )
                    .with_help("replace the symlink with the file itself"),
                )));
            }
        }
        let text = match std::fs::read(&path) {
            Ok(bytes) => match text::decode(bytes) {
                Decoded {
                    text,
                    invalid_at: None,
                } => text,
                Decoded { .. } => {
                    return Err(ConfigError(Box::new(Diagnostic::error(
                        Rule::ConfigInvalid,
                        CONFIG_FILE,
                        "handbook.yaml is not valid UTF-8",
                    ))))
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(ConfigError(Box::new(Diagnostic::error(
                    Rule::ConfigInvalid,
                    CONFIG_FILE,
                    format!("cannot read handbook.yaml: {e}"),
                ))))
            }
        };
        Config::parse(&text)
    }

    /// Parses the text of a `handbook.yaml`.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let fail = |msg: String, pos: Pos| {
            ConfigError(Box::new(
                Diagnostic::error(Rule::ConfigInvalid, CONFIG_FILE, msg).at(pos),
            ))
        };
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            // The syntax first, then the keys (serde would name the first unknown one at the
            // top of the file, with every key it knows), then the types.
            let value: Value = yaml::from_str(text).map_err(|e| {
                let mut d =
                    Diagnostic::error(Rule::ConfigInvalid, CONFIG_FILE, e.message).at(e.pos);
                d.help = e.help;
                ConfigError(Box::new(d))
            })?;
            check_keys(text, &value)?;
            typed(text, value)?
        };
        let keys = yaml::top_level_keys(text);
        let key_pos = |k: &str| keys.get(k).map_or(Pos::new(1, 1), |at| at.value);
        // A mistake under a nested key, `default_review.sopp: ...`, reported where that key (or
        // its value, when the value is the mistake) is written; else at its top-level key.
        let err = |path: &[&str], value: bool, m: String| {
            let at = yaml::key_path(text, path)
                .map(|at| if value { at.value } else { at.key })
                .unwrap_or_else(|| key_pos(path[0]));
            fail(format!("{}: {m}", path.join(".")), at)
        };

        let mut config = Config::default();
        if let Some(t) = raw.title {
            config.title = t;
        }
        config.description = raw.description;
        if let Some(b) = raw.base_url.filter(|b| !b.trim().is_empty()) {
            config.base_url = Some(BaseUrl::parse(&b).map_err(|m| fail(m, key_pos("base_url")))?);
        }
        // Every folder handbook.yaml names stays inside the root: a pull request controls
        // handbook.yaml, and `output: /home/ci/.config/systemd/user` would have the build
        // write there. Only the operator's `--out` may point anywhere.
        let unsafe_path = |key: &str, m: String| {
            ConfigError(Box::new(
                Diagnostic::error(Rule::PathUnsafe, CONFIG_FILE, format!("`{key}`: {m}"))
                    .at(key_pos(key)),
            ))
        };
        // What is read from is never hidden either: `content: .git` or `data: .env` would
        // publish, or print in a diagnostic, what a machine keeps out of the repository.
        for (key, value, slot, read) in [
            ("content", raw.content, &mut config.content_dir, true),
            ("data", raw.data, &mut config.data_dir, true),
            ("templates", raw.templates, &mut config.templates_dir, true),
            ("output", raw.output, &mut config.output_dir, false),
        ] {
            if let Some(v) = value {
                check_inside_root(&v, read).map_err(|m| unsafe_path(key, m))?;
                *slot = v;
            }
        }
        for dir in raw.static_dirs.into_vec() {
            check_inside_root(&dir, true).map_err(|m| unsafe_path("static", m))?;
            config.static_dirs.push(dir);
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
        config.heading_ids = raw.heading_ids.unwrap_or_default();
        config.edit_url = raw.edit_url.filter(|u| !u.is_empty());
        if let Some(u) = raw.repo_url.filter(|u| !u.trim().is_empty()) {
            // It becomes a link on every page: a `javascript:` address from a pull request
            // must not.
            let u = u.trim();
            let web = u.starts_with("https://") || u.starts_with("http://");
            if !web || u.chars().any(|c| c.is_control() || c.is_whitespace()) {
                return Err(fail(
                    format!(
                        "`repo_url: {}` must be an http:// or https:// address",
                        u.escape_debug()
                    ),
                    key_pos("repo_url"),
                ));
            }
            config.repo_url = Some(u.trim_end_matches('/').to_string());
        }
        for (kind, interval) in raw.default_review {
            let path = ["default_review", kind.as_str()];
            let k: Kind = kind.parse().map_err(|m| err(&path, false, m))?;
            let i: Interval = interval.parse().map_err(|m| err(&path, true, m))?;
            config.default_review.insert(k, i);
        }
        if let Some(d) = raw.due_soon {
            config.due_soon = d.parse().map_err(|m| fail(m, key_pos("due_soon")))?;
        }
        if let Some(d) = raw.acknowledge_within {
            config.acknowledge_within =
                (d.parse()).map_err(|m| fail(m, key_pos("acknowledge_within")))?;
        }
        if let Some(d) = raw.oncall_horizon {
            config.oncall_horizon = (d.parse()).map_err(|m| fail(m, key_pos("oncall_horizon")))?;
        }
        if let Some(d) = raw.reacknowledge_every {
            let every: Interval =
                (d.parse()).map_err(|m| fail(m, key_pos("reacknowledge_every")))?;
            config.reacknowledge_every = Some(every);
        }
        for (who, selectors) in raw.required_reading {
            let list: Vec<String> = (selectors.into_vec().into_iter())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            config.required_reading.insert(who.trim().to_string(), list);
        }
        if let Some(exts) = raw.markdown_extensions {
            let exts: Vec<String> = exts
                .into_vec()
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
        for entry in raw.exclude.into_vec() {
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
            let path = ["rules", name.as_str()];
            let mut setting = Setting::default();
            match level {
                RawLevel::All(l) => {
                    setting.all = Some(l.parse().map_err(|m| err(&path, true, m))?);
                }
                RawLevel::PerKind(map) => {
                    for (kind, l) in map {
                        let path = ["rules", name.as_str(), kind.as_str()];
                        let level = l.parse().map_err(|m| err(&path, true, m))?;
                        if kind == "all" || kind == "*" {
                            setting.all = Some(level);
                        } else {
                            let kind = kind.parse().map_err(|m| err(&path, false, m))?;
                            setting.by_kind.insert(kind, level);
                        }
                    }
                }
            }
            config
                .rules
                .set(&name, setting)
                .map_err(|m| err(&path, false, m))?;
        }
        for (kind, headings) in raw.required_sections {
            let path = ["required_sections", kind.as_str()];
            let k: Kind = kind.parse().map_err(|m| err(&path, false, m))?;
            config.required_sections.insert(k, headings.into_vec());
        }
        for (alias, field) in raw.field_aliases {
            // A target that is no field is the value's mistake; anything else the alias's.
            let value = !KNOWN_FIELDS.contains(&field.trim());
            let path = ["field_aliases", alias.as_str()];
            (config.field_aliases.add(&alias, &field)).map_err(|m| err(&path, value, m))?;
        }
        Ok(config)
    }
}

/// Every top-level key must be one of handbook.yaml's: a misspelt one is reported at the key,
/// with the key it is closest to.
fn check_keys(text: &str, value: &Value) -> Result<(), ConfigError> {
    // Any other shape is the typed parse's to report.
    let Value::Mapping(map) = value else {
        return Ok(());
    };
    // The keys the schema (derived from `RawConfig`) names are the keys serde takes.
    let schema = schema();
    let known: Vec<&str> = schema["properties"]
        .as_object()
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for key in map.keys().filter_map(Value::as_str) {
        if known.contains(&key) {
            continue;
        }
        let pos = yaml::key_path(text, &[key]).map_or(Pos::new(1, 1), |at| at.key);
        let help = match suggest::closest(key, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`handbook schema config` describes the keys handbook.yaml takes".into(),
        };
        let d = Diagnostic::error(
            Rule::ConfigInvalid,
            CONFIG_FILE,
            format!("unknown key `{key}`"),
        )
        .at(pos)
        .with_help(help);
        return Err(ConfigError(Box::new(d)));
    }
    Ok(())
}

/// Where the handbook seems to be when `dir` is not its root: the nearest folder above it that
/// holds a handbook.yaml or a `content` folder (a command run in `content/` or `content/sops/`).
/// `None` when `dir` has a handbook.yaml of its own (its `content:` is then what is missing).
/// Asks only whether those two names exist, one folder at a time, up to the first that has one.
pub fn find_root(dir: &Path) -> Option<PathBuf> {
    let dir = dir.canonicalize().ok()?;
    if dir.join(CONFIG_FILE).is_file() {
        return None;
    }
    let content = Config::default().content_dir;
    dir.ancestors()
        .skip(1)
        .find(|a| a.join(CONFIG_FILE).is_file() || a.join(&content).is_dir())
        .map(Path::to_path_buf)
}

/// The folders handbook.yaml names must stay inside the handbook root: we never read or
/// write outside it. One that is `read` from must not be hidden (see [`Root::is_hidden`]).
fn check_inside_root(p: &Path, read: bool) -> Result<(), String> {
    use std::path::Component;
    if p.components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!(
            "`{}` must be a folder inside the handbook root (no `..`, not absolute)",
            p.display()
        ));
    }
    if read && Root::is_hidden(p) {
        return Err(format!(
            "`{}` is hidden: hidden files and folders (`.git`, `.env`) are never read or published",
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
        assert_eq!(e.0.rule, Rule::ConfigInvalid);
        assert!(e.0.message.contains("bogus"), "{}", e.0.message);
        let e = Config::parse("title: [unclosed\n").unwrap_err();
        assert!(e.0.line >= 1);
        // A key that is no name (found by the property test: `?` alone) is placed too.
        for (text, line) in [("?", 1), ("title: x\n? [a, b]\n: 1\n", 2)] {
            let e = Config::parse(text).unwrap_err();
            assert_eq!((e.0.line, e.0.column), (line, 1), "{text:?}");
            assert!(
                e.0.message.starts_with("a key is a name"),
                "{}",
                e.0.message
            );
        }
    }

    #[test]
    fn field_aliases() {
        let c = Config::parse("field_aliases:\n  doc_owner: owner\n  weight: version\n").unwrap();
        assert_eq!(c.field_aliases.field("doc_owner"), Some("owner"));
        assert_eq!(c.field_aliases.field("weight"), Some("version"));
        assert_eq!(c.field_aliases.field("nav_order"), Some("order"));
        let e = Config::parse("title: x\nfield_aliases:\n  title: owner\n").unwrap_err();
        assert_eq!((e.0.line, e.0.column), (3, 3));
        assert!(
            e.0.message.contains("field_aliases.title"),
            "{}",
            e.0.message
        );
        // A target that is no field is the value's mistake.
        let e = Config::parse("field_aliases: {doc_owner: ownr}\n").unwrap_err();
        assert_eq!((e.0.line, e.0.column), (1, 28));
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
        assert_eq!((e.0.line, e.0.column), (3, 3));
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
        assert_eq!((e.0.line, e.0.column), (2, 17));
        let e = Config::parse("rules:\n  link-broken: {sop: loud}\n").unwrap_err();
        assert_eq!((e.0.line, e.0.column), (2, 22));
        let e = Config::parse("required_sections:\n  sop: [Scope]\n  memo: [Scope]\n").unwrap_err();
        assert_eq!((e.0.line, e.0.column), (3, 3));
    }

    #[test]
    fn nested_errors_point_at_their_key_or_value() {
        let e = Config::parse("title: x\ndefault_review:\n  sop: 1 year\n  sopp: 2 years\n")
            .unwrap_err();
        assert_eq!((e.0.line, e.0.column), (4, 3));
        assert!(e
            .0
            .message
            .starts_with("default_review.sopp: unknown kind `sopp`"));
        let e = Config::parse("default_review: {sopp: 2 years}\n").unwrap_err();
        assert_eq!((e.0.line, e.0.column), (1, 18));
        let e = Config::parse("default_review: {sop: often}\n").unwrap_err();
        assert_eq!((e.0.line, e.0.column), (1, 23));
    }

    #[test]
    fn an_unknown_key_is_reported_at_itself_with_a_did_you_mean() {
        let e = Config::parse("search: true\ntitel: Ops\n").unwrap_err();
        assert_eq!((e.0.line, e.0.column), (2, 1));
        assert_eq!(e.0.message, "unknown key `titel`");
        assert_eq!(e.0.help.as_deref(), Some("did you mean `title`?"));
        let e = Config::parse("colour: red\n").unwrap_err();
        assert!(!e.0.message.contains("expected one of"), "{}", e.0.message);
        assert_eq!(
            e.0.help.as_deref(),
            Some("`handbook schema config` describes the keys handbook.yaml takes")
        );
        // A syntax error where it starts; a wrong type at its value.
        let e = Config::parse("title: [Ops\nsearch: true\n").unwrap_err();
        assert_eq!(
            (e.0.line, e.0.column, e.0.help.as_deref()),
            (1, 8, Some("close it with `]`"))
        );
        let e = Config::parse("search: maybe\n").unwrap_err();
        assert_eq!((e.0.line, e.0.column), (1, 9));
    }

    #[test]
    fn a_value_of_the_wrong_type_is_said_in_words_at_its_value() {
        for (text, message, at) in [
            (
                "heading_ids: nope\n",
                "`heading_ids` takes `github`, `redcarpet`, `python-markdown` or `kramdown`, not `nope`",
                (1, 14),
            ),
            (
                "title: Ops\nmarkdown_extensions: {md: 1}\n",
                "`markdown_extensions` takes a list, e.g. `[md, markdown]`, not a mapping",
                (2, 22),
            ),
            ("search: maybe\n", "`search` takes `true` or `false`, not `maybe`", (1, 9)),
            (
                "rules:\n  link-broken: [off]\n",
                "`rules.link-broken` takes a level (`error`, `warning` or `off`), or a level per kind, e.g. `{sop: off}`, not a list",
                (2, 16),
            ),
            (
                "default_review: {sop: 1 year, policy: [2 years]}\n",
                "`default_review.policy` takes an interval, e.g. `1 year` or `6 months`, not a list",
                (1, 39),
            ),
            (
                "- title: Ops\n",
                "handbook.yaml must be a mapping of `key: value` lines, e.g. `title: Ops handbook`",
                (1, 1),
            ),
        ] {
            let e = Config::parse(text).unwrap_err();
            assert_eq!((e.0.message.as_str(), e.0.line, e.0.column), (message, at.0, at.1));
        }
        // A file of comments only is all defaults.
        assert_eq!(Config::parse("# later\n").unwrap().title, "Handbook");
    }

    #[test]
    fn a_list_may_be_written_as_its_one_value() {
        let c = Config::parse(
            "markdown_extensions: MD\nexclude: _site\nstatic: assets\nrequired_sections: {policy: Scope}\n",
        )
        .unwrap();
        assert_eq!(c.markdown_extensions, ["md"]);
        assert_eq!(c.exclude, ["_site"]);
        assert_eq!(c.static_dirs, [PathBuf::from("assets")]);
        assert_eq!(c.required_sections[&Kind::Policy], ["Scope"]);
    }

    #[test]
    fn every_key_says_what_it_takes() {
        let schema = schema();
        let keys: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in &keys {
            assert!(TAKES.iter().any(|(k, _)| k == key), "{key}");
        }
        for (key, _) in TAKES {
            let top = key.strip_suffix(".*").unwrap_or(key);
            assert!(keys.contains(&top), "{key}");
        }
    }

    #[test]
    fn base_url_forms() {
        assert_eq!(BaseUrl::parse("/docs").unwrap().path, "/docs/");
        assert_eq!(BaseUrl::parse("https://h.example").unwrap().path, "/");
        assert!(BaseUrl::parse("docs/").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
        assert!(BaseUrl::parse("https://h.example/a\nb").is_err());
        assert!(BaseUrl::parse("https://h\r.example/").is_err());
    }
}
