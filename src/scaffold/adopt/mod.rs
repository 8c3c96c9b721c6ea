//! `handbook init --from DIR`: a handbook.yaml fitted to a folder of Markdown written for
//! another tool (GitHub, Jekyll, Hugo, Zola, MkDocs, mdBook, GitBook, GOV.UK tech-docs,
//! Docusaurus).
//!
//! It looks, it does not convert: the documents stay as they are, and everything the loader
//! already reads under other tools' names (TOML front matter, `weight`, `redirect_from`,
//! `last_reviewed_on`, a `SUMMARY.md`) needs no setting. What it writes is only what a default
//! would get wrong: where the Markdown is, its extensions, the team data, a free output folder,
//! the other tool's own files, and front matter names for our fields that only this team uses.
//!
//! The parts: `adoption.rs` holds what was found ([`Adoption`]); `folder.rs` reads the folder's
//! files without leaving it; `tool.rs` tells the tool by its config file and reads the title and
//! the content folder from it ([`Tool`]); `content.rs` finds the Markdown, the content folder and
//! the other tool's own files to leave out; `team_data.rs` finds the team data; `handbook_yaml.rs`
//! is the text written; `summary.rs` says what was found. This file surveys the folder
//! ([`survey`]: the front matter keys sorted into ours, others' and unknown) and writes the file
//! ([`adopt`]).

mod adoption;
mod content;
mod folder;
mod handbook_yaml;
mod summary;
mod team_data;
mod tool;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::config::{Config, CONFIG_FILE};
use crate::fields::{FieldAliases, FOREIGN_FIELDS, SYNONYMS};
use crate::load::front_matter::{self, Format};
use crate::output::MARKER;
use crate::yaml::{self, Value};

use super::{create_new, root_at, ScaffoldError};
use crate::root::Root;

pub use adoption::Adoption;
use content::{
    content_folder, excluded, inside_root, markdown_files, middleman_ignores, prefix_of,
    MarkdownFile,
};
use folder::Folder;
use tool::detect_tool;
pub use tool::Tool;

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
    let mut exclude = excluded(dir, tool, &content, &files);
    if tool == Some(Tool::TechDocs) {
        if let Some(rb) = read("config.rb") {
            for x in middleman_ignores(&rb, &dir.join(&content)) {
                if !exclude.contains(&x) {
                    exclude.push(x);
                }
            }
        }
    }
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

    // Jekyll reads GitHub-flavoured Markdown unless `_config.yml` says `kramdown: input:
    // kramdown`, whose heading ids differ.
    let kramdown = tool == Some(Tool::Jekyll)
        && ["_config.yml", "_config.yaml"]
            .iter()
            .find_map(|f| read(f))
            .and_then(|t| crate::yaml::from_str::<crate::yaml::Value>(&t).ok())
            .and_then(|v| {
                let input = v.get("kramdown")?.get("input")?.as_str()?.to_string();
                Some(input.eq_ignore_ascii_case("kramdown"))
            })
            .unwrap_or(false);
    let mut a = Adoption {
        tool,
        kramdown,
        title,
        content,
        extensions: BTreeMap::new(),
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
