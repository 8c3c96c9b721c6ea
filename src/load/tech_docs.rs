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
    map.iter()
        .filter_map(|(from, to)| {
            let (from, to) = (from.as_str()?, to.as_str()?);
            let pos = crate::yaml::key_path(&text, &["redirects", from])
                .map_or(Pos::new(1, 1), |k| k.key);
            Some(Redirect {
                from: from.to_string(),
                to: to.to_string(),
                pos,
            })
        })
        .collect()
}
