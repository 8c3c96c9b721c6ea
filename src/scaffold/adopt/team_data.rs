//! Finding the folder's team data (a data folder of team files, one team file among other data,
//! or a `team.yml` at the top) and counting the people in it, as the team loader would read them.

use std::path::Path;

use crate::team::{is_people_file, DataShape};
use crate::yaml::Value;

use super::adoption::Adoption;
use super::folder::Folder;

impl Adoption {
    /// Team data: a `data/` or `_data/` folder of team files, else the one team file among
    /// other data there, else a `team.yml` (or `people.yml`) at the top. What counts as team
    /// data is what the team loader reads ([`DataShape`]).
    pub(super) fn find_team_data(&mut self, dir: &Folder) {
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
            // Else the team file among the other data, named alone (so it may be only people),
            // when its entries look like people: a site's navigation (`name`, `sections`,
            // `sites`) or a list of links is not a team because its entries have names.
            let best = files
                .iter()
                .filter(|(name, v)| is_people_file(Path::new(name)) || looks_like_people(v))
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
}

/// Whether a data file's entries (a list, or a mapping by id) describe people: each has an
/// `email`, `role`, `team`, `manager` or `joined`, or an `id` beside its `name`; and none holds
/// a list of `sections`, `sites`, `pages`, `children` or `items`, as navigation does.
fn looks_like_people(value: &Value) -> bool {
    let entries: Vec<&Value> = match value {
        Value::Sequence(items) => items.iter().collect(),
        Value::Mapping(m) if !m.contains_key("people") => m.values().collect(),
        // A file of sections (`people:`, `teams:`) says what it is.
        Value::Mapping(_) => return true,
        _ => return false,
    };
    let person = |v: &&Value| {
        let Value::Mapping(m) = v else { return false };
        let has = |k: &str| m.contains_key(k);
        let navigation = ["sections", "sites", "pages", "children", "items"]
            .iter()
            .any(|k| has(k));
        let personal = ["email", "role", "team", "manager", "joined"]
            .iter()
            .any(|k| has(k))
            || (has("id") && has("name"));
        personal && !navigation
    };
    !entries.is_empty() && entries.iter().all(person)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        crate::yaml::from_str(text).unwrap()
    }

    #[test]
    fn people_are_told_from_navigation() {
        assert!(looks_like_people(&yaml(
            "- {id: ana, name: Ana}\n- {name: Bo, email: bo@example.com}\n"
        )));
        assert!(looks_like_people(&yaml("ana: {name: Ana, role: lead}\n")));
        assert!(!looks_like_people(&yaml(
            "- name: Payments\n  sections: [a]\n  sites: [b]\n"
        )));
        assert!(!looks_like_people(&yaml(
            "- {name: Status page, url: https://x}\n"
        )));
        assert!(!looks_like_people(&yaml("[]\n")));
    }
}
