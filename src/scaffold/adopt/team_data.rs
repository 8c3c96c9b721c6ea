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
}
