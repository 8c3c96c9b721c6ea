//! MkDocs' `nav:` (in `mkdocs.yml` at the handbook root): the order of the sidebar, and the
//! titles it gives pages, read from the file the MkDocs site already has.

use std::path::{Component, Path};

use crate::config::Config;
use crate::root::Root;
use crate::yaml::Value;

/// A page `nav:` names, in its order: its path in the content folder (`/`-separated) and the
/// title it gives the page there, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavEntry {
    pub path: String,
    pub title: Option<String>,
}

/// The pages `mkdocs.yml` (or `mkdocs.yaml`) lists under `nav:`, depth first; none when there
/// is no such file, it does not parse, or it has no `nav:`. MkDocs reports its own problems;
/// a nav entry naming no page of the handbook is passed over.
pub fn read(root: &Path, config: &Config) -> Vec<NavEntry> {
    let Ok(root) = Root::new(root) else {
        return Vec::new();
    };
    let Some(text) = ["mkdocs.yml", "mkdocs.yaml"]
        .iter()
        .find_map(|f| root.read_text(Path::new(f)))
    else {
        return Vec::new();
    };
    let Ok(value) = crate::yaml::from_str::<Value>(&text) else {
        return Vec::new();
    };
    let docs_dir = value
        .get("docs_dir")
        .and_then(Value::as_str)
        .unwrap_or("docs");
    let mut out = Vec::new();
    if let Some(nav) = value.get("nav") {
        walk(nav, &mut out);
    }
    // Nav paths are relative to MkDocs' docs_dir; the content folder is usually that folder.
    let docs = normal(Path::new(docs_dir));
    let content = normal(&config.content_dir);
    out.into_iter()
        .filter_map(|NavEntry { path, title }| {
            let full = normal(&Path::new(&docs).join(&path));
            let rel = if content.is_empty() {
                full
            } else {
                full.strip_prefix(&format!("{content}/"))?.to_string()
            };
            Some(NavEntry { path: rel, title })
        })
        .collect()
}

/// Items of `nav:`: `page.md`, `{Title: page.md}`, `{Section: [items]}`; external links
/// (`{Title: https://...}`) are no pages.
fn walk(items: &Value, out: &mut Vec<NavEntry>) {
    let Value::Sequence(items) = items else {
        return;
    };
    for item in items {
        match item {
            Value::String(path) => push(out, path, None),
            Value::Mapping(m) => {
                for (k, v) in m {
                    match v {
                        Value::String(path) => push(out, path, k.as_str()),
                        Value::Sequence(_) => walk(v, out),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn push(out: &mut Vec<NavEntry>, path: &str, title: Option<&str>) {
    if path.contains("://") || path.starts_with("mailto:") {
        return;
    }
    out.push(NavEntry {
        path: path.trim_start_matches("./").to_string(),
        title: title.map(str::to_string),
    });
}

/// `path` with `.` dropped and `..` applied, `/`-separated, no leading or trailing `/`.
fn normal(path: &Path) -> String {
    let clean = crate::root::lexical(path);
    let parts: Vec<_> = (clean.components())
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nav_items_in_order_with_their_titles() {
        let nav: Value = crate::yaml::from_str(
            "- index.md\n- On call:\n    - Rota: on-call/rota.md\n    - on-call/paging.md\n- Status: https://status.example.com\n- About: about.md\n",
        )
        .unwrap();
        let mut out = Vec::new();
        walk(&nav, &mut out);
        let got: Vec<(&str, Option<&str>)> = out
            .iter()
            .map(|e| (e.path.as_str(), e.title.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("index.md", None),
                ("on-call/rota.md", Some("Rota")),
                ("on-call/paging.md", None),
                ("about.md", Some("About")),
            ]
        );
        assert_eq!(normal(Path::new("./docs/../docs/a.md")), "docs/a.md");
    }
}
