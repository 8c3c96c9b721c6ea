//! The rule catalogue and the severities handbook.yaml sets for it.
//!
//! Rule names are a stable interface: CI configurations, `rules:` in handbook.yaml and SARIF
//! consumers refer to them. Every diagnostic the pipeline emits names one of these rules; a test
//! keeps the catalogue and the code in step.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Kind;

/// One rule: its name, its default severity in words, and what it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub name: &'static str,
    /// The default severity as documentation says it (some depend on the document's kind).
    pub default: &'static str,
    pub summary: &'static str,
}

const fn rule(name: &'static str, default: &'static str, summary: &'static str) -> Rule {
    Rule {
        name,
        default,
        summary,
    }
}

/// Every rule, in the order the documentation lists them.
pub const RULES: &[Rule] = &[
    rule("review-overdue", "error", "The next review date has passed."),
    rule("review-due-soon", "warning", "The next review date is within the `due_soon` window."),
    rule(
        "review-missing",
        "error for sop and policy, warning for runbook and checklist",
        "A governed document has no review date and no review interval.",
    ),
    rule(
        "review-date-invalid",
        "error",
        "A review date or interval cannot be read, is impossible, is in the future, or review_by comes before last_reviewed.",
    ),
    rule("owner-missing", "error", "A governed document names no owner."),
    rule("owner-unknown", "error", "An owner, approver or reviewer is not in the team data."),
    rule("owner-departed", "error", "An owner or approver has left."),
    rule(
        "approver-missing",
        "warning for sop, error for policy",
        "A procedure or policy names no approver.",
    ),
    rule(
        "front-matter-invalid",
        "error",
        "The front matter is not valid YAML or TOML, has a value of the wrong type, or is never closed.",
    ),
    rule("front-matter-unknown-field", "warning", "A front matter key that handbook does not know."),
    rule(
        "front-matter-duplicate",
        "warning",
        "Two front matter keys set one field (its own name and another tool's); one is used.",
    ),
    rule("status-unknown", "warning", "A `status` that is not one of the known statuses."),
    rule("link-broken", "error", "A relative link to a page, image or file that does not exist."),
    rule("anchor-broken", "error", "A `#fragment` that matches no heading of its page."),
    rule("link-empty", "warning", "A link with no target: `[text]()`."),
    rule(
        "link-unpublished",
        "warning",
        "A link to a file inside the handbook that the site leaves out (hidden, excluded, beside the content folder, team data).",
    ),
    rule(
        "link-case",
        "warning",
        "A link that reaches its file only by ignoring letter case or how accents are encoded: it breaks on a Linux host.",
    ),
    rule("link-to-retired", "warning", "An active document links to a retired one."),
    rule(
        "link-to-draft",
        "warning",
        "A published document links to a draft, which is not in the published site.",
    ),
    rule(
        "changed-since-review",
        "warning",
        "The document changed in a commit dated after its last review.",
    ),
    rule(
        "id-duplicate",
        "error",
        "Two documents share a document id, or two files make the same page.",
    ),
    rule("role-unknown", "warning", "A role document names a role that the team data does not define."),
    rule("section-missing", "warning", "A document lacks a heading that its kind requires."),
    rule(
        "template-syntax",
        "warning",
        "Another tool's template tag in the prose (`{{< >}}`, `{% %}`, `<%= %>`), shown as written.",
    ),
    rule(
        "team-data-invalid",
        "error (a key given twice in one entry: warning)",
        "The team data has a duplicate id, an unknown reference, a management cycle or invalid YAML.",
    ),
    rule("certification-expired", "warning", "A certification that a person's role requires has expired."),
    rule("certification-missing", "warning", "A person lacks a certification that their role requires."),
    rule(
        "ignore-invalid",
        "warning",
        "A `handbook-ignore` comment that names no rule or an unknown one, or silences nothing.",
    ),
    rule("file-invalid", "error", "A file that cannot be read or is not valid UTF-8."),
    rule("path-unsafe", "error", "A symlink that leads out of the handbook root, or another unsafe path."),
    rule("theme-invalid", "error", "A template of the theme does not compile or fails to render."),
    rule(
        "config-invalid",
        "error",
        "handbook.yaml cannot be used; the run stops (exit 2) as nothing else can be trusted.",
    ),
];

/// The catalogue entry of rule `name`.
pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// What handbook.yaml asks of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Off,
}

impl std::str::FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Ok(Level::Error),
            "warning" | "warn" => Ok(Level::Warning),
            "off" | "none" | "ignore" => Ok(Level::Off),
            other => Err(format!(
                "`{other}` is not a level: use error, warning or off"
            )),
        }
    }
}

/// One rule's setting: for every document, or per kind (`approver-missing: {sop: off}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Setting {
    pub all: Option<Level>,
    pub by_kind: BTreeMap<Kind, Level>,
}

/// The `rules:` map of handbook.yaml, by rule name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleConfig {
    settings: BTreeMap<&'static str, Setting>,
}

impl RuleConfig {
    /// Sets rule `name`, which must be in the catalogue (the error suggests the closest name).
    pub fn set(&mut self, name: &str, setting: Setting) -> Result<(), String> {
        let rule = find(name).ok_or_else(|| {
            let mut msg = format!("`{name}` is not a rule");
            if let Some(near) = crate::suggest::closest(name, RULES.iter().map(|r| r.name)) {
                msg.push_str(&format!(" (did you mean `{near}`?)"));
            }
            msg
        })?;
        self.settings.insert(rule.name, setting);
        Ok(())
    }

    /// The diagnostic with the severity the configuration gives its rule for a document of
    /// `kind`, or `None` when the rule is off there.
    pub fn apply(&self, mut d: Diagnostic, kind: Option<Kind>) -> Option<Diagnostic> {
        let Some(setting) = self.settings.get(d.rule) else {
            return Some(d);
        };
        let level = kind
            .and_then(|k| setting.by_kind.get(&k))
            .or(setting.all.as_ref());
        match level {
            None => Some(d),
            Some(Level::Off) => None,
            Some(Level::Error) => {
                d.severity = Severity::Error;
                Some(d)
            }
            Some(Level::Warning) => {
                d.severity = Severity::Warning;
                Some(d)
            }
        }
    }

    /// The level handbook.yaml sets for rule `name` on documents of `kind`, if any.
    pub fn configured(&self, name: &str, kind: Kind) -> Option<Level> {
        let s = self.settings.get(name)?;
        s.by_kind.get(&kind).or(s.all.as_ref()).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        for n in names {
            assert!(
                n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{n}"
            );
        }
    }

    /// Every rule name the code emits as the first argument of an `error(`/`warning(` call
    /// (`Diagnostic::error`, a field helper's `error`) is in the catalogue.
    #[test]
    fn every_emitted_rule_is_catalogued() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut paths = vec![src];
        let mut emitted = Vec::new();
        while let Some(p) = paths.pop() {
            if p.is_dir() {
                paths.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for call in ["error(", "warning("] {
                for (i, _) in text.match_indices(call) {
                    let rest = text[i + call.len()..].trim_start();
                    let Some(lit) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) else {
                        continue;
                    };
                    if lit.contains('-') && lit.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    {
                        emitted.push((lit.to_string(), p.display().to_string()));
                    }
                }
            }
        }
        assert!(emitted.len() > 20, "{emitted:?}");
        for (name, file) in emitted {
            assert!(
                find(&name).is_some(),
                "{file} emits `{name}`, missing from RULES"
            );
        }
    }

    #[test]
    fn settings_change_severity_per_kind() {
        let mut c = RuleConfig::default();
        c.set(
            "approver-missing",
            Setting {
                all: Some(Level::Error),
                by_kind: [(Kind::Sop, Level::Off)].into(),
            },
        )
        .unwrap();
        let d = || Diagnostic::warning("approver-missing", "x.md", "m");
        assert_eq!(c.apply(d(), Some(Kind::Sop)), None);
        assert!(c.apply(d(), Some(Kind::Policy)).unwrap().is_error());
        assert!(c.apply(d(), None).unwrap().is_error());
        let other = Diagnostic::warning("link-to-draft", "x.md", "m");
        assert_eq!(c.apply(other.clone(), Some(Kind::Sop)), Some(other));
        let e = c.set("review-due-son", Setting::default()).unwrap_err();
        assert!(e.contains("review-due-soon"), "{e}");
    }
}
