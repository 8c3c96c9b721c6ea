//! GOV.UK tech-docs' `redirects:` (in `config/tech-docs.yml`): old paths kept working, read from
//! the file the tech-docs site already has. Each becomes an alias of the page its target names.

use std::path::Path;

use crate::diagnostic::Pos;
use crate::root::Root;
use crate::yaml::Value;

/// Where tech-docs keeps its settings, relative to the root.
pub const CONFIG: &str = "config/tech-docs.yml";

/// One redirect: the old path, where it leads, and where the file says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub from: String,
    pub to: String,
    pub pos: Pos,
}

/// The redirects `config/tech-docs.yml` lists; none when there is no such file, it does not
/// parse or has no `redirects:` mapping (tech-docs reports its own problems).
pub fn redirects(root: &Path) -> Vec<Redirect> {
    let Ok(root) = Root::new(root) else {
        return Vec::new();
    };
    let Some(text) = root.read_text(Path::new(CONFIG)) else {
        return Vec::new();
    };
    let Ok(value) = crate::yaml::from_str::<Value>(&text) else {
        return Vec::new();
    };
    let Some(map) = value.get("redirects").and_then(Value::as_mapping) else {
        return Vec::new();
    };
    let places = key_places(&text);
    map.iter()
        .filter_map(|(from, to)| {
            let (from, to) = (from.as_str()?, to.as_str()?);
            let pos = places.get(from).copied().unwrap_or(Pos::new(1, 1));
            Some(Redirect {
                from: from.to_string(),
                to: to.to_string(),
                pos,
            })
        })
        .collect()
}

/// Where each key of the block mapping under the top-level `redirects:` is written, found in
/// one pass over the text (a site may keep thousands of redirects). A key written in flow
/// style, or quoted in a way this does not read, is placed at the file's start.
fn key_places(text: &str) -> std::collections::HashMap<&str, Pos> {
    let mut places = std::collections::HashMap::new();
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        if indent == 0 {
            inside = line.trim_end() == "redirects:";
            continue;
        }
        if !inside {
            continue;
        }
        let key = match body.as_bytes()[0] {
            q @ (b'"' | b'\'') => body[1..].split(q as char).next(),
            _ => body.split(": ").next().map(str::trim_end),
        };
        if let Some(key) = key {
            let column = line[..indent].chars().count() as u32 + 1;
            places.entry(key).or_insert(Pos::new(n as u32 + 1, column));
        }
    }
    places
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_redirect_is_placed_at_its_key() {
        let text = "host: x\nredirects:\n  # old\n  /a.html: /b.html\n  \"/c d.html\": /e.html\nother: 1\n  /z.html: /y.html\n";
        let places = super::key_places(text);
        assert_eq!(places["/a.html"], super::Pos::new(4, 3));
        assert_eq!(places["/c d.html"], super::Pos::new(5, 3));
        assert!(!places.contains_key("/z.html"));
    }
}
