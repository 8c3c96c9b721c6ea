//! `handbook-ignore` comments: one finding silenced where it stands, as markdownlint's
//! comments do, so that a team keeps `check` in CI without turning a rule off everywhere.
//!
//! `<!-- handbook-ignore RULE... -->` silences those rules on the next line,
//! `<!-- handbook-ignore-line RULE... -->` on its own line; in front matter the same words
//! follow a `#` (`owner: cy  # handbook-ignore-line owner-departed`). The Markdown renderer
//! records the comments it meets (so a comment shown inside a code block is not one); front
//! matter comments are found here. A comment that names no rule, an unknown rule, or
//! silences nothing is itself reported (`ignore-invalid`): a stale comment must not hide
//! the next real finding on its line.

use std::collections::HashMap;
use std::path::Path;

use crate::check::rules;
use crate::diagnostic::{Diagnostic, Pos};
use crate::markdown::Directive;
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
    /// The line it silences.
    line: u32,
    rules: Vec<&'static str>,
    used: bool,
}

/// Drops the diagnostics that a `handbook-ignore` comment silences (all are kept with
/// `enabled` false, as `--no-ignore` asks), and reports the comments that are wrong or
/// silence nothing.
pub fn apply(site: &Site, diagnostics: Vec<Diagnostic>, enabled: bool) -> Applied {
    let mut out = Vec::new();
    let mut by_file: HashMap<&Path, Vec<Silencer>> = HashMap::new();
    for page in &site.pages {
        let Some(doc) = &page.doc else { continue };
        let mut directives: Vec<(Pos, Directive)> = front_matter_directives(doc.front_text());
        if let Some(body) = &page.body {
            directives.extend(
                body.directives
                    .iter()
                    .map(|d| (doc.body_pos(d.offset), d.clone())),
            );
        }
        let mut silencers = Vec::new();
        for (pos, d) in directives {
            let mut known = Vec::new();
            for name in &d.rules {
                match rules::find(name) {
                    Some(rule) => known.push(rule.name),
                    None => {
                        let mut msg = format!("`{name}` is not a rule");
                        let names = rules::RULES.iter().map(|r| r.name);
                        if let Some(s) = crate::suggest::closest(name, names) {
                            msg.push_str(&format!("; did you mean `{s}`?"));
                        }
                        out.push(
                            Diagnostic::warning("ignore-invalid", &doc.file, msg)
                                .at(pos)
                                .with_help("the rule names are in the README's table of checks"),
                        );
                    }
                }
            }
            if d.rules.is_empty() {
                out.push(
                    Diagnostic::warning(
                        "ignore-invalid",
                        &doc.file,
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
            silencers.push(Silencer {
                pos,
                line: pos.line + u32::from(d.next_line),
                rules: known,
                used: false,
            });
        }
        if !silencers.is_empty() {
            by_file.insert(doc.file.as_path(), silencers);
        }
    }
    let mut silenced = 0;
    for d in diagnostics {
        let silencer = by_file.get_mut(d.file.as_path()).and_then(|list| {
            list.iter_mut()
                .find(|s| s.line == d.line && d.line > 0 && s.rules.contains(&d.rule))
        });
        match silencer {
            Some(s) => {
                s.used = true;
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
            let what = s.rules.join(", ");
            out.push(
                Diagnostic::warning(
                    "ignore-invalid",
                    file,
                    format!("this `handbook-ignore` comment silences nothing: no `{what}` finding on line {}", s.line),
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
    // Nearly every document has none: one search of the block, not one per line.
    if memchr::memmem::find(front.as_bytes(), b"handbook-ignore").is_none() {
        return out;
    }
    for (i, line) in front.lines().enumerate() {
        let Some(at) = line.find("handbook-ignore") else {
            continue;
        };
        let Some(hash) = line[..at].rfind('#') else {
            continue;
        };
        if !line[hash + 1..at].trim().is_empty() {
            continue;
        }
        if let Some(d) = Directive::parse(&line[at..], 0) {
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
            .map(|(p, d)| (p.line, p.column, d.next_line, d.rules.join(",")))
            .collect();
        assert_eq!(
            got,
            [
                (2, 12, false, "owner-departed".to_string()),
                (3, 1, true, "review-overdue".to_string())
            ]
        );
    }
}
