//! The vocabulary of documents shared by every stage: kinds and statuses.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// What a document is. Governed kinds carry document control (owner, approver, review).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Sop,
    Policy,
    Guide,
    Runbook,
    Checklist,
    Role,
    #[default]
    Page,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Sop,
        Kind::Policy,
        Kind::Guide,
        Kind::Runbook,
        Kind::Checklist,
        Kind::Role,
        Kind::Page,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Sop => "sop",
            Kind::Policy => "policy",
            Kind::Guide => "guide",
            Kind::Runbook => "runbook",
            Kind::Checklist => "checklist",
            Kind::Role => "role",
            Kind::Page => "page",
        }
    }

    /// Human label, e.g. "SOP".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Sop => "SOP",
            Kind::Policy => "Policy",
            Kind::Guide => "Guide",
            Kind::Runbook => "Runbook",
            Kind::Checklist => "Checklist",
            Kind::Role => "Role",
            Kind::Page => "Page",
        }
    }

    /// Plural label for index pages, e.g. "SOPs".
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Sop => "SOPs",
            Kind::Policy => "Policies",
            Kind::Guide => "Guides",
            Kind::Runbook => "Runbooks",
            Kind::Checklist => "Checklists",
            Kind::Role => "Roles",
            Kind::Page => "Pages",
        }
    }

    /// Governed documents are the ones auditors ask about: owned, approved, reviewed on schedule.
    pub fn is_governed(self) -> bool {
        matches!(
            self,
            Kind::Sop | Kind::Policy | Kind::Runbook | Kind::Checklist
        )
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == lower)
            .ok_or_else(|| {
                format!(
                    "unknown kind `{}`; expected one of sop, policy, guide, runbook, checklist, role, page",
                    s.trim()
                )
            })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a document is in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Draft,
    UnderReview,
    #[default]
    Active,
    Deprecated,
    Retired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::UnderReview => "under-review",
            Status::Active => "active",
            Status::Deprecated => "deprecated",
            Status::Retired => "retired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::UnderReview => "Under review",
            Status::Active => "Active",
            Status::Deprecated => "Deprecated",
            Status::Retired => "Retired",
        }
    }
}

impl Status {
    /// Every spelling `status:` accepts (after lowercasing and `_`/space to `-`), with what it
    /// means: the parser and the front matter schema both read this table.
    pub const NAMES: &[(&str, Status)] = &[
        ("draft", Status::Draft),
        ("under-review", Status::UnderReview),
        ("in-review", Status::UnderReview),
        ("active", Status::Active),
        ("published", Status::Active),
        ("current", Status::Active),
        ("deprecated", Status::Deprecated),
        ("retired", Status::Retired),
        ("archived", Status::Retired),
        ("obsolete", Status::Retired),
    ];
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Status::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, status)| status)
            .ok_or_else(|| {
                format!(
                    "unknown status `{}`; expected draft, under-review, active, deprecated or retired",
                    s.trim()
                )
            })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
