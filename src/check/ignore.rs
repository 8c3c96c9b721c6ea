//! `handbook-ignore` comments: one finding silenced where it stands, as markdownlint's
//! comments do, so that a team keeps `check` in CI without turning a rule off everywhere.
//!
//! `<!-- handbook-ignore RULE... -->` silences those rules on the line after the comment,
//! `<!-- handbook-ignore-line RULE... -->` on its own line, and
//! `<!-- handbook-ignore-file RULE... -->` in the whole file (for findings about the document
//! itself, such as `owner-missing`, which stand at its first line); in front matter the same
//! words follow a `#` (`owner: cy  # handbook-ignore-line owner-departed`). The Markdown renderer
//! records the comments it meets (so a comment shown inside a code block is not one); front
//! matter comments are found here. A comment that names no rule, an unknown rule, or
//! silences nothing is itself reported (`ignore-invalid`): a stale comment must not hide
//! the next real finding on its line.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Pos};
use crate::markdown::{Directive, Scope};
use crate::rules::Rule;
use crate::site::Site;

/// What applying the comments left.
#[derive(Debug, Default)]
pub struct Applied {
    /// The diagnostics not silenced, and the comments' own problems.
    pub diagnostics: Vec<Diagnostic>,
    /// How many findings the comments silenced.
    pub silenced: usize,
}

/// One comment, where it acts.
struct Silencer {
    /// Where the comment is, for its own diagnostics.
    pos: Pos,
    /// The line it silences; `None` for the whole file.
    line: Option<u32>,
    rules: Vec<Rule>,
    used: bool,
}

/// Drops the diagnostics that a `handbook-ignore` comment silences (all are kept with
/// `enabled` false, as `--no-ignore` asks), and reports the comments that are wrong or
/// silence nothing.
pub fn apply(site: &Site, diagnostics: Vec<Diagnostic>, enabled: bool) -> Applied {
    let mut out = Vec::new();
    let mut by_file: HashMap<&Path, Vec<Silencer>> = HashMap::new();
    let mut seen: std::collections::HashSet<(&Path, u32, u32)> = std::collections::HashSet::new();
    for page in &site.pages {
        let Some(doc) = &page.doc else { continue };
        // Each with its file (the document's, or one it includes), where it starts and the
        // line it ends on.
        let mut directives: Vec<(&Path, Pos, u32, Directive)> =
            front_matter_directives(doc.front_text())
                .into_iter()
                .map(|(pos, d)| (doc.file.as_path(), pos, pos.line, d))
                .collect();
        if let Some(body) = &page.body {
            directives.extend(body.directives.iter().map(|d| {
                let (file, pos) = doc.body_place(d.offset);
                let end_line = doc.body_place(d.end.saturating_sub(1)).1.line;
                (file, pos, end_line, d.clone())
            }));
        }
        for (file, pos, end_line, d) in directives {
            let mut known = Vec::new();
            for name in &d.rules {
                match Rule::find(name) {
                    Some(rule) => known.push(rule),
                    None => {
                        let mut msg = format!("`{name}` is not a rule");
                        let names = Rule::ALL.iter().map(|r| r.name());
                        if let Some(s) = crate::suggest::closest(name, names) {
                            msg.push_str(&format!("; did you mean `{s}`?"));
                        }
                        out.push(
                            Diagnostic::warning(Rule::IgnoreInvalid, file, msg)
                                .at(pos)
                                .with_help("the rule names are in the README's table of checks"),
                        );
                    }
                }
            }
            if d.rules.is_empty() {
                out.push(
                    Diagnostic::warning(
                        Rule::IgnoreInvalid,
                        file,
                        "this `handbook-ignore` comment names no rule",
                    )
                    .at(pos)
                    .with_help(
                        "name the rules it silences: `<!-- handbook-ignore link-broken -->`",
                    ),
                );
            }
            if known.is_empty() {
                continue;
            }
            let line = match d.scope {
                Scope::NextLine => Some(end_line + 1),
                Scope::Line => Some(pos.line),
                Scope::File => None,
            };
            // A file included by several pages holds its comments once.
            if seen.insert((file, pos.line, pos.column)) {
                let silencers = by_file.entry(file).or_default();
                silencers.push(Silencer {
                    pos,
                    line,
                    rules: known,
                    used: false,
                });
            }
        }
    }
    // Each file's comments by the line they silence (`None`: the whole file), so that a
    // file of thousands of findings and comments is not searched pairwise.
    let mut at_line: HashMap<(&Path, Option<u32>), Vec<usize>> = HashMap::new();
    for (file, list) in &by_file {
        for (i, s) in list.iter().enumerate() {
            at_line.entry((*file, s.line)).or_default().push(i);
        }
    }
    let mut silenced = 0;
    for d in diagnostics {
        let file = d.file.as_path();
        let found = [Some(d.line).filter(|&l| l > 0), None]
            .into_iter()
            .filter_map(|line| at_line.get(&(file, line)))
            .flatten()
            .copied()
            .find(|&i| by_file[file][i].rules.contains(&d.rule));
        match found {
            Some(i) => {
                if let Some(list) = by_file.get_mut(file) {
                    list[i].used = true;
                }
                if enabled {
                    silenced += 1;
                } else {
                    out.push(d);
                }
            }
            None => out.push(d),
        }
    }
    for (file, list) in by_file {
        for s in list.into_iter().filter(|s| !s.used) {
            let what = s
                .rules
                .iter()
                .map(|r| r.name())
                .collect::<Vec<_>>()
                .join(", ");
            let place = match s.line {
                Some(line) => format!("on line {line}"),
                None => "in this file".to_string(),
            };
            out.push(
                Diagnostic::warning(
                    Rule::IgnoreInvalid,
                    file,
                    format!("this `handbook-ignore` comment silences nothing: no `{what}` finding {place}"),
                )
                .at(s.pos)
                .with_help("remove it, or move it to the line before the finding (`handbook-ignore-line` for the same line)"),
            );
        }
    }
    Applied {
        diagnostics: out,
        silenced,
    }
}

/// `# handbook-ignore...` comments in a front matter block (YAML and TOML comments both
/// start with `#`), with their positions in the file.
fn front_matter_directives(front: &str) -> Vec<(Pos, Directive)> {
    let mut out = Vec::new();
    // Nearly every document has none: one search of the block, not one per line. In any
    // case, as in comments in the body; lowercasing ASCII keeps every offset.
    let lower = front.to_ascii_lowercase();
    if memchr::memmem::find(lower.as_bytes(), b"handbook-ignore").is_none() {
        return out;
    }
    for (i, (line, lower)) in front.lines().zip(lower.lines()).enumerate() {
        let Some(at) = lower.find("handbook-ignore") else {
            continue;
        };
        let Some(hash) = line[..at].rfind('#') else {
            continue;
        };
        if !line[hash + 1..at].trim().is_empty() {
            continue;
        }
        if let Some(d) = Directive::parse(&line[at..], 0, 0) {
            let column = line[..hash].chars().count() as u32 + 1;
            out.push((Pos::new(i as u32 + 1, column), d));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_comments() {
        let got = front_matter_directives(
            "---\nowner: cy  # handbook-ignore-line owner-departed\n# handbook-ignore review-overdue\nlast_reviewed: 2020-01-01\ntitle: \"# not handbook-ignore x\"\n---\n",
        );
        let got: Vec<_> = got
            .iter()
            .map(|(p, d)| (p.line, p.column, d.scope, d.rules.join(",")))
            .collect();
        assert_eq!(
            got,
            [
                (2, 12, Scope::Line, Rule::OwnerDeparted.to_string()),
                (3, 1, Scope::NextLine, Rule::ReviewOverdue.to_string())
            ]
        );
    }
}
