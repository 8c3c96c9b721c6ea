//! The folder being adopted, as `init --from` reads it: its files are read only inside it.

use std::path::Path;

use crate::root::Root;
use crate::team::is_data_file;
use crate::yaml::{self, Value};

/// Files of the folder being adopted, read only inside it: a symlinked `_config.yml` or
/// `_data/` that leads elsewhere is not read (its values would be written to handbook.yaml).
pub(super) struct Folder {
    pub(super) root: Option<Root>,
}

impl Folder {
    pub(super) fn text(&self, rel: &str) -> Option<String> {
        self.root.as_ref()?.read_text(Path::new(rel))
    }

    pub(super) fn yaml(&self, rel: &str) -> Option<Value> {
        yaml::from_str(&self.text(rel)?).ok()
    }

    /// The YAML files directly in folder `rel`, parsed, by name; files that do not parse are
    /// left out (they are not anybody's team data).
    pub(super) fn yaml_files(&self, rel: &str) -> Vec<(String, Value)> {
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
