//! The handbook.yaml an adoption writes: only the keys a default would get wrong, every value
//! quoted, with comments saying where each came from.

use crate::text::one_line;
use crate::yaml;

use super::adoption::{documents, Adoption};
use super::tool::Tool;

impl Adoption {
    /// The handbook.yaml this adoption writes.
    pub fn config_text(&self) -> String {
        self.config().0
    }

    /// The top-level keys [`Adoption::config_text`] writes.
    pub fn keys(&self) -> Vec<&'static str> {
        self.config().1
    }

    /// handbook.yaml's text, and the keys it sets. Every value comes from file names and
    /// other tools' settings, so each is written quoted ([`yaml::quoted`]), and the
    /// comments that name files have their line breaks taken out.
    fn config(&self) -> (String, Vec<&'static str>) {
        let q = yaml::quoted;
        let mut out = String::new();
        let mut keys = Vec::new();
        let mut set = |out: &mut String, key: &'static str, value: String| {
            keys.push(key);
            // A block (a list, a mapping) starts on the next line.
            let gap = if value.starts_with('\n') { "" } else { " " };
            out.push_str(&format!("{key}:{gap}{value}\n"));
        };
        out.push_str("# Written by `handbook init --from`");
        if let Some(tool) = self.tool {
            out.push_str(&format!(" for a {tool} folder"));
        }
        out.push_str(
            ". Every key is optional and explained in\n\
             # handbook's README (handbook.yaml); the documents are read as they are.\n",
        );
        if let Some(t) = &self.title {
            set(&mut out, "title", q(t));
        }
        if self.content != "content" {
            set(&mut out, "content", q(&self.content));
        }
        if let Some(d) = &self.data {
            if let Some(note) = &self.data_note {
                out.push_str(&format!("# {}\n", one_line(note, ' ')));
            }
            set(&mut out, "data", q(d));
        }
        if self.output != "public" {
            set(&mut out, "output", q(&self.output));
        }
        if !self.static_dirs.is_empty() {
            let list: Vec<String> = self.static_dirs.iter().map(|d| q(d)).collect();
            out.push_str("# Published from the top of the site, as the other tool does.\n");
            set(&mut out, "static", format!("[{}]", list.join(", ")));
        }
        if let Some(t) = &self.templates {
            out.push_str("# templates/ is the other tool's; handbook's own overrides go here.\n");
            set(&mut out, "templates", q(t));
        }
        // Heading ids as the other tool makes them, so that links to its anchors still work.
        let heading_ids = match self.tool {
            Some(Tool::TechDocs) => Some("redcarpet"),
            Some(Tool::MkDocs) => Some("python-markdown"),
            Some(Tool::Jekyll) if self.kramdown => Some("kramdown"),
            _ => None,
        };
        if let Some(style) = heading_ids {
            out.push_str("# Heading ids as the other tool makes them: its anchors keep working.\n");
            set(&mut out, "heading_ids", style.to_string());
        }
        let default_exts = crate::config::Config::default().markdown_extensions;
        if self.extensions.keys().any(|e| !default_exts.contains(e)) {
            // Longest first, so that `name.html.md` is read as `name`, not `name.html`.
            let mut exts: Vec<&String> = self.extensions.keys().collect();
            exts.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            let list: Vec<String> = exts.iter().map(|e| q(e)).collect();
            set(
                &mut out,
                "markdown_extensions",
                format!("[{}]", list.join(", ")),
            );
        }
        if !self.exclude.is_empty() {
            out.push_str("# The other tool's own files and output, not pages of the handbook.\n");
            let items: String = self
                .exclude
                .iter()
                .map(|x| format!("\n  - {}", q(x)))
                .collect();
            set(&mut out, "exclude", items);
        }
        if !self.aliases.is_empty() {
            out.push_str("# Front matter names of this handbook for handbook's own fields.\n");
            let items: String = self
                .aliases
                .iter()
                .map(|(name, field, n)| format!("\n  {}: {field}  # {}", q(name), documents(*n)))
                .collect();
            set(&mut out, "field_aliases", items);
        }
        (out, keys)
    }
}
