//! The rule catalogue: every rule's name, default severity and summary, and the severities
//! handbook.yaml's `rules:` sets for it.
//!
//! Rule names are a stable interface: CI configurations, `rules:` in handbook.yaml, `handbook-ignore`
//! comments and SARIF consumers refer to them. Every diagnostic names a [`Rule`], so a rule the
//! catalogue lacks cannot be emitted, and the README's table of rules is tested against it.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::model::Kind;

/// How serious a diagnostic is. Errors fail `check` and `build --strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A rule's severity when handbook.yaml does not set one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultSeverity {
    /// The same everywhere.
    Is(Severity),
    /// Per kind of document; a kind not listed is not asked unless `rules:` sets a level for it.
    ByKind(&'static [(Kind, Severity)]),
    /// The same everywhere but in one case, said in words (the code that finds it decides).
    Mostly(Severity, &'static str),
}

use DefaultSeverity::{ByKind, Is, Mostly};
use Severity::{Error, Warning};

/// Declares the catalogue: each rule's variant, name, default severity and summary.
macro_rules! catalogue {
    ($($variant:ident $name:literal $default:expr, $summary:literal;)*) => {
        /// One rule of the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule, in the order the documentation lists them.
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The rule's stable name, e.g. `link-broken`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }

            /// Its severity when handbook.yaml does not set one.
            pub const fn default(self) -> DefaultSeverity {
                match self {
                    $(Rule::$variant => $default,)*
                }
            }

            /// What it finds, in one line.
            pub const fn summary(self) -> &'static str {
                match self {
                    $(Rule::$variant => $summary,)*
                }
            }
        }
    };
}

catalogue! {
    ReviewOverdue "review-overdue" Is(Error),
        "The next review date has passed.";
    ReviewDueSoon "review-due-soon" Is(Warning),
        "The next review date is within the `due_soon` window.";
    ReviewMissing "review-missing" ByKind(&[(Kind::Sop, Error), (Kind::Policy, Error), (Kind::Runbook, Warning), (Kind::Checklist, Warning)]),
        "A governed document has no review date and no review interval.";
    ReviewDateInvalid "review-date-invalid" Is(Error),
        "A review date or interval cannot be read, is impossible, is in the future, or review_by comes before last_reviewed.";
    OwnerMissing "owner-missing" Is(Error),
        "A governed document names no owner.";
    OwnerUnknown "owner-unknown" Is(Error),
        "An owner, approver or reviewer is not in the team data.";
    OwnerDeparted "owner-departed" Is(Error),
        "An owner or approver has left.";
    ApproverMissing "approver-missing" ByKind(&[(Kind::Sop, Warning), (Kind::Policy, Error)]),
        "A procedure or policy names no approver.";
    FrontMatterInvalid "front-matter-invalid" Is(Error),
        "The front matter is not valid YAML or TOML, has a value of the wrong type, or is never closed.";
    FrontMatterUnknownField "front-matter-unknown-field" Is(Warning),
        "A front matter key that handbook does not know.";
    FrontMatterDuplicate "front-matter-duplicate" Is(Warning),
        "Two front matter keys set one field (its own name and another tool's); one is used.";
    StatusUnknown "status-unknown" Is(Warning),
        "A `status` that is not one of the known statuses.";
    LinkBroken "link-broken" Is(Error),
        "A relative link to a page, image or file that does not exist.";
    AnchorBroken "anchor-broken" Is(Error),
        "A `#fragment` that matches no heading of its page.";
    LinkEmpty "link-empty" Is(Warning),
        "A link with no target: `[text]()`.";
    LinkUnpublished "link-unpublished" Is(Warning),
        "A link to a file inside the handbook that the site leaves out (hidden, excluded, beside the content folder, team data).";
    LinkCase "link-case" Is(Warning),
        "A link that reaches its file only by ignoring letter case or how accents are encoded: it breaks on a Linux host.";
    LinkToRetired "link-to-retired" Is(Warning),
        "An active document links to a retired one.";
    LinkToDraft "link-to-draft" Is(Warning),
        "A published document links to a draft, which is not in the published site.";
    ChangedSinceReview "changed-since-review" Is(Warning),
        "The document changed in a commit dated after its last review.";
    IdDuplicate "id-duplicate" Is(Error),
        "Two documents share a document id, or two files make the same page.";
    RoleUnknown "role-unknown" Is(Warning),
        "A role document names a role that the team data does not define.";
    SectionMissing "section-missing" Is(Warning),
        "A document lacks a heading that its kind requires.";
    AcknowledgementMissing "acknowledgement-missing" Is(Warning),
        "People who must read a document have not acknowledged its version in force, and the time allowed has passed.";
    AcknowledgementUnknown "acknowledgement-unknown" Is(Error),
        "An acknowledgement names an unknown person or document, or required reading names no document.";
    OncallGap "oncall-gap" Is(Error),
        "Within the horizon, a stretch of an on-call rotation's required coverage with nobody on call (a member who left or is away, no members, an override naming someone who cannot be on call).";
    OncallUnqualified "oncall-unqualified" Is(Warning),
        "A member on call during a shift without a certification the rotation requires (missing, or expired before the shift ends).";
    OncallUnknown "oncall-unknown" Is(Error),
        "A rotation names an unknown person, team or next tier, or a page's `oncall` names no rotation.";
    OncallOverload "oncall-overload" Is(Warning),
        "One person on call for more than two consecutive shifts (overrides included).";
    IncludeInvalid "include-invalid" Mostly(Error, "an MkDocs snippet not in the handbook: warning"),
        "An include names a file that cannot be read, includes itself, nests deeper than 8 or names lines or an anchor its file lacks.";
    TemplateSyntax "template-syntax" Is(Warning),
        "Another tool's template tag in the prose (`{{< >}}`, `{% %}`, `<%= %>`), shown as written.";
    TeamDataInvalid "team-data-invalid" Mostly(Error, "a key given twice in one entry: warning"),
        "The team data has a duplicate id, an unknown reference, a management cycle or invalid YAML.";
    CertificationExpired "certification-expired" Is(Warning),
        "A certification that a person's role requires has expired.";
    CertificationMissing "certification-missing" Is(Warning),
        "A person lacks a certification that their role requires.";
    IgnoreInvalid "ignore-invalid" Is(Warning),
        "A `handbook-ignore` comment that names no rule or an unknown one, or silences nothing.";
    FileInvalid "file-invalid" Is(Error),
        "A file that cannot be read or is not valid UTF-8.";
    PathUnsafe "path-unsafe" Is(Error),
        "A symlink that leads out of the handbook root, or another unsafe path.";
    ThemeInvalid "theme-invalid" Is(Error),
        "A template of the theme does not compile or fails to render.";
    ConfigInvalid "config-invalid" Is(Error),
        "handbook.yaml cannot be used; the run stops (exit 2) as nothing else can be trusted.";
}

impl Rule {
    /// The rule named `name`.
    pub fn find(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// The default severity for a document of `kind` (`None`: a file that is not a document),
    /// or `None` when the rule does not apply to that kind by default.
    pub fn default_severity(self, kind: Option<Kind>) -> Option<Severity> {
        match self.default() {
            Is(s) | Mostly(s, _) => Some(s),
            ByKind(kinds) => kinds
                .iter()
                .find(|(k, _)| Some(*k) == kind)
                .map(|&(_, s)| s),
        }
    }

    /// The severity it has by default in most places: for a rule whose default depends on the
    /// kind, the first kind's (SARIF gives each rule one).
    pub fn usual_severity(self) -> Severity {
        match self.default() {
            Is(s) | Mostly(s, _) => s,
            ByKind(kinds) => kinds.first().map_or(Warning, |&(_, s)| s),
        }
    }

    /// The default severity in words, as the README's table of rules says it: `error`,
    /// `warning for sop, error for policy`, `error (a key given twice in one entry: warning)`.
    pub fn default_in_words(self) -> String {
        match self.default() {
            Is(s) => s.to_string(),
            Mostly(s, except) => format!("{s} ({except})"),
            ByKind(kinds) => {
                // Kinds of one severity together, in the order they first appear.
                let mut groups: Vec<(Severity, Vec<&str>)> = Vec::new();
                for &(kind, severity) in kinds {
                    match groups.iter_mut().find(|(s, _)| *s == severity) {
                        Some((_, names)) => names.push(kind.as_str()),
                        None => groups.push((severity, vec![kind.as_str()])),
                    }
                }
                let groups: Vec<String> = groups
                    .iter()
                    .map(|(severity, names)| match names.split_last() {
                        Some((last, [])) => format!("{severity} for {last}"),
                        Some((last, rest)) => {
                            format!("{severity} for {} and {last}", rest.join(", "))
                        }
                        None => String::new(),
                    })
                    .collect();
                groups.join(", ")
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Ordered by name, as diagnostics at one place are listed.
impl Ord for Rule {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for Rule {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
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

/// The `rules:` map of handbook.yaml.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleConfig {
    settings: BTreeMap<Rule, Setting>,
}

impl RuleConfig {
    /// Sets rule `name`, which must be in the catalogue (the error suggests the closest name).
    pub fn set(&mut self, name: &str, setting: Setting) -> Result<(), String> {
        let rule = Rule::find(name).ok_or_else(|| {
            let mut msg = format!("`{name}` is not a rule");
            if let Some(near) = crate::suggest::closest(name, Rule::ALL.iter().map(|r| r.name())) {
                msg.push_str(&format!(" (did you mean `{near}`?)"));
            }
            msg
        })?;
        self.settings.insert(rule, setting);
        Ok(())
    }

    /// The level handbook.yaml sets for `rule` on a document of `kind` (`None`: a file that is
    /// not a document), if any.
    pub fn configured(&self, rule: Rule, kind: Option<Kind>) -> Option<Level> {
        let s = self.settings.get(&rule)?;
        kind.and_then(|k| s.by_kind.get(&k))
            .or(s.all.as_ref())
            .copied()
    }

    /// The severity `rule` has on a document of `kind`: handbook.yaml's level, else the
    /// default; `None` when it is off there.
    pub fn severity(&self, rule: Rule, kind: Option<Kind>) -> Option<Severity> {
        match self.configured(rule, kind) {
            Some(Level::Error) => Some(Severity::Error),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Off) => None,
            None => rule.default_severity(kind),
        }
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
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        for n in names {
            assert!(
                n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{n}"
            );
        }
    }

    /// The README's table of rules lists every rule once, with the default the catalogue has.
    #[test]
    fn the_readme_table_is_the_catalogue() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let table = readme
            .split("| Rule | Default | Finds |")
            .nth(1)
            .expect("README has a table of rules");
        let mut listed = Vec::new();
        for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
            let cells: Vec<&str> = row.split(" | ").collect();
            let default = cells[1].trim();
            for name in cells[0].trim_start_matches("| ").split(", ") {
                let name = name.trim_matches('`');
                let rule = Rule::find(name).unwrap_or_else(|| panic!("README lists `{name}`"));
                assert_eq!(default, rule.default_in_words(), "the default of `{name}`");
                listed.push(rule);
            }
        }
        for rule in Rule::ALL {
            let times = listed.iter().filter(|r| *r == rule).count();
            assert_eq!(times, 1, "README lists `{rule}` {times} times");
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
        let approver = Rule::ApproverMissing;
        assert_eq!(c.severity(approver, Some(Kind::Sop)), None);
        assert_eq!(c.severity(approver, Some(Kind::Runbook)), Some(Error));
        assert_eq!(c.severity(approver, None), Some(Error));
        let defaults = RuleConfig::default();
        assert_eq!(defaults.severity(approver, Some(Kind::Sop)), Some(Warning));
        assert_eq!(defaults.severity(approver, Some(Kind::Runbook)), None);
        assert_eq!(
            c.severity(Rule::LinkToDraft, Some(Kind::Sop)),
            Some(Warning)
        );
        let e = c.set("review-due-son", Setting::default()).unwrap_err();
        assert!(e.contains("review-due-soon"), "{e}");
    }

    #[test]
    fn defaults_in_words() {
        assert_eq!(Rule::LinkBroken.default_in_words(), "error");
        assert_eq!(
            Rule::ReviewMissing.default_in_words(),
            "error for sop and policy, warning for runbook and checklist"
        );
        assert_eq!(
            Rule::ApproverMissing.default_in_words(),
            "warning for sop, error for policy"
        );
    }
}
