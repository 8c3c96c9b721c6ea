//! What `init --from` prints about what it found: the tool, the content, the front matter
//! fields and how each is read, the team data, what is left out and where the site goes.

use std::fmt;

use super::adoption::{documents, Adoption};
use super::tool::Tool;

impl fmt::Display for Adoption {
    /// What was found, for the terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count: usize = self.extensions.values().sum();
        let exts: Vec<String> = self
            .extensions
            .iter()
            .map(|(e, n)| format!("{n} .{e}"))
            .collect();
        writeln!(
            f,
            "  tool          {}",
            self.tool
                .map_or("none recognised (plain Markdown)", Tool::name)
        )?;
        if let Some(t) = &self.title {
            writeln!(f, "  title         {t}")?;
        }
        writeln!(
            f,
            "  content       {} ({} Markdown {}: {})",
            self.content,
            count,
            if count == 1 { "file" } else { "files" },
            if exts.is_empty() {
                "none".into()
            } else {
                exts.join(", ")
            }
        )?;
        writeln!(
            f,
            "  front matter  {} YAML, {} TOML, {} none",
            self.yaml, self.toml, self.plain
        )?;
        for (name, field, n) in &self.built_in {
            writeln!(
                f,
                "  read as ours  `{name}` as `{field}` ({})",
                documents(*n)
            )?;
        }
        for (name, field, n) in &self.aliases {
            writeln!(
                f,
                "  field alias   `{name}` as `{field}` ({}), written to field_aliases",
                documents(*n)
            )?;
        }
        if !self.unknown.is_empty() {
            let list: Vec<String> = self
                .unknown
                .iter()
                .take(8)
                .map(|(k, n)| format!("`{k}` ({n})"))
                .collect();
            let more = self.unknown.len().saturating_sub(8);
            writeln!(
                f,
                "  other fields  {}{}: kept for templates; `check` warns of each \
                 (front-matter-unknown-field)",
                list.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )?;
        }
        match &self.data {
            Some(d) => writeln!(
                f,
                "  team data     {d} ({} {}){}",
                self.people,
                if self.people == 1 { "person" } else { "people" },
                self.data_note
                    .as_ref()
                    .map_or(String::new(), |n| format!("; {n}"))
            )?,
            None => writeln!(f, "  team data     none found (people go in data/*.yaml)")?,
        }
        if self.people_without_id > 0 {
            writeln!(
                f,
                "                {} without an `id`: give each one (documents name owners by \
                 id); `check` reports each",
                self.people_without_id
            )?;
        }
        if self.summary {
            writeln!(f, "  order         SUMMARY.md orders the pages")?;
        }
        if !self.exclude.is_empty() {
            writeln!(f, "  left out      {}", self.exclude.join(", "))?;
        }
        if !self.static_dirs.is_empty() {
            writeln!(
                f,
                "  static        {} (published from the top of the site)",
                self.static_dirs.join(", ")
            )?;
        }
        if let Some(t) = &self.templates {
            writeln!(
                f,
                "  templates     templates/ is the other tool's; handbook's overrides go in {t}/"
            )?;
        }
        writeln!(f, "  output        {}", self.output)
    }
}
