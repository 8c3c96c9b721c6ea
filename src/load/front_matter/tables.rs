//! Other tools' tables of fields (Zola's `[extra]`, `[taxonomies]`), lifted to the top.

use std::collections::HashMap;

use super::split::{Block, Format};
use crate::diagnostic::Pos;
use crate::fields::FieldAliases;
use crate::yaml::{KeyPos, Mapping, Value};

/// Tables in which other tools keep fields of their own: Zola's `[extra]` (anything) and
/// `[taxonomies]` (`tags`). Our fields found there are read as if written at the top.
pub(super) const FIELD_TABLES: &[&str] = &["extra", "taxonomies"];

/// A front matter mapping with our fields lifted out of [`FIELD_TABLES`].
pub(super) struct Hoisted {
    pub(super) top: Mapping,
    /// Fields from the tables, with their positions in the file.
    pub(super) hoisted: Vec<(String, Value, Pos)>,
}

/// Lifts the keys of [`FIELD_TABLES`] that name our fields (and are not also set at the top)
/// out of their table; the rest of each table stays, kept for templates.
pub(super) fn hoist_tables(
    mut top: Mapping,
    block: &Block,
    aliases: &FieldAliases,
    keys: &HashMap<String, KeyPos>,
    shift: &dyn Fn(Pos) -> Pos,
) -> Hoisted {
    let mut hoisted = Vec::new();
    for table in FIELD_TABLES {
        let Some(Value::Mapping(inner)) = top.get(*table) else {
            continue;
        };
        let names: Vec<String> = inner
            .keys()
            .filter_map(|k| k.as_str())
            .filter(|k| aliases.field(k).is_some() && !top.contains_key(*k))
            .map(str::to_string)
            .collect();
        let Some(Value::Mapping(inner)) = top.get_mut(*table) else {
            continue;
        };
        for name in names {
            if let Some(value) = inner.remove(name.as_str()) {
                let pos = table_key_pos(block, table, &name)
                    .or_else(|| keys.get(*table).map(|at| at.value))
                    .map_or(Pos::new(block.first_line, 1), shift);
                hoisted.push((name, value, pos));
            }
        }
        if inner.is_empty() {
            top.remove(*table);
        }
    }
    Hoisted { top, hoisted }
}

/// Where `key` is written inside `table` (`[table]` or a dotted `table.key` in TOML, `table:`
/// in YAML, its direct children only), as a position within the block's text.
pub(super) fn table_key_pos(block: &Block, table: &str, key: &str) -> Option<Pos> {
    let names = |text: &str, key: &str| {
        text.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
    };
    let mut inside = false;
    // YAML: the indentation of the table's children, from its first one.
    let mut child_indent = None;
    for (i, line) in block.text.lines().enumerate() {
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        let at = Pos::new(i as u32 + 1, indent as u32 + 1);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match block.format {
            Format::Toml => {
                if trimmed.starts_with('[') {
                    inside = trimmed == format!("[{table}]");
                } else if (inside && names(trimmed, key))
                    || (!inside && names(trimmed, &format!("{table}.{key}")))
                {
                    return Some(at);
                }
            }
            Format::Yaml => {
                if indent == 0 {
                    inside = trimmed.strip_suffix(':') == Some(table);
                    child_indent = None;
                } else if inside {
                    let want = *child_indent.get_or_insert(indent);
                    if indent == want && names(trimmed, key) {
                        return Some(at);
                    }
                }
            }
        }
    }
    None
}
