//! The vocabulary every layer shares: the fields a document, a person, a team and a role may
//! have, the shape of each value, the names other tools give our fields, and the synonyms
//! `init --from` recognises. The loaders read by these tables, `handbook schema` renders them as
//! JSON Schema, and `init --from` maps other tools' fields onto them: one table each, so the
//! three cannot drift apart.

use std::collections::BTreeMap;

use crate::suggest;

/// The shape of a value as a loader reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One plain value: text, a number or a boolean (read as its text).
    Text,
    /// A plain value or a list of them.
    List,
    /// A list of plain values.
    Strings,
    Number,
    /// `YYYY-MM-DD`, perhaps followed by a time (as Jekyll writes dates); the day counts.
    Date,
    /// Exactly `YYYY-MM-DD`.
    Day,
    /// `N days|weeks|months|years`.
    Interval,
    Kind,
    Status,
    /// A list of `{name, expires}`.
    Certifications,
    /// `YYYY-MM-DD HH:MM`, a local time (or a day, from its midnight).
    LocalTime,
    /// A list of `{from, to}` days, both included (a person's absences).
    Absences,
    /// A list of `{from, to, person}` local times (a rotation's overrides).
    Overrides,
    /// A list of `{days, from, to}`: days of the week and times of day (coverage windows).
    Windows,
    /// An IANA time zone name.
    Zone,
    /// `N hours|days|weeks`.
    Shift,
    /// `24x7` or `business-hours`.
    Coverage,
}

impl Shape {
    /// A value of this shape as YAML, which the loaders must take without a word.
    pub fn sample_yaml(self) -> &'static str {
        match self {
            Shape::Text => "sample",
            Shape::List => "[a, b]",
            Shape::Strings => "[a, b]",
            Shape::Number => "2.5",
            Shape::Date => "2026-01-31 09:00:00 +0100",
            Shape::Day => "2026-01-31",
            Shape::Interval => "6 Months",
            Shape::Kind => "runbook",
            Shape::Status => "under_review",
            Shape::Certifications => "[{name: CISSP, expires: 2027-01-01}]",
            Shape::LocalTime => "2026-11-02 09:00",
            Shape::Absences => "[{from: 2026-12-24, to: 2027-01-02}]",
            Shape::Overrides => "[{from: 2026-12-21 09:00, to: 2026-12-28 09:00, person: x}]",
            Shape::Windows => "[{days: mon-fri, from: \"18:00\", to: \"08:00\"}]",
            Shape::Zone => "Europe/London",
            Shape::Shift => "12 Hours",
            Shape::Coverage => "business-hours",
        }
    }
}

/// Our front matter fields: name, the shape of value `FrontMatter::set` takes, and what it
/// means. `handbook schema` is made from this table, and its tests feed the parser a value of
/// each shape, so the schema cannot drift from what the parser accepts.
pub const FIELDS: &[(&str, Shape, &str)] = &[
    (
        "title",
        Shape::Text,
        "The title; else the first `# heading`, else the file name.",
    ),
    (
        "description",
        Shape::Text,
        "One line shown under the title and in lists.",
    ),
    ("kind", Shape::Kind, "What the document is."),
    ("id", Shape::Text, "The document number, e.g. SOP-014."),
    ("version", Shape::Text, "The document's version."),
    (
        "owner",
        Shape::List,
        "The owner's person id (a list: the first owns, the others review).",
    ),
    (
        "owner_channel",
        Shape::Text,
        "A chat channel that owns the document, e.g. \"#platform\" (quoted).",
    ),
    (
        "approver",
        Shape::Text,
        "The person id of whoever signed it off.",
    ),
    ("reviewers", Shape::List, "The reviewers' person ids."),
    (
        "oncall",
        Shape::Text,
        "The on-call rotation to call (its id in the team data): the page says who is on call now.",
    ),
    ("last_reviewed", Shape::Date, "The day of the last review."),
    ("review_every", Shape::Interval, "How often it is reviewed."),
    (
        "review_by",
        Shape::Date,
        "The day the next review is due (else last_reviewed plus review_every).",
    ),
    (
        "status",
        Shape::Status,
        "Where the document is in its life.",
    ),
    ("effective", Shape::Date, "The day it takes effect."),
    (
        "tags",
        Shape::List,
        "Tags; each has a page listing its documents.",
    ),
    (
        "order",
        Shape::Number,
        "Position among its siblings (fractions allowed).",
    ),
    (
        "slug",
        Shape::Text,
        "The last part of its URL instead of the file name.",
    ),
    ("aliases", Shape::List, "Old URLs that redirect here."),
    (
        "role",
        Shape::Text,
        "For `kind: role`: the id of the role it describes.",
    ),
];

/// The names of [`FIELDS`].
pub const KNOWN_FIELDS: [&str; FIELDS.len()] = {
    let mut names = [""; FIELDS.len()];
    let mut i = 0;
    while i < FIELDS.len() {
        names[i] = FIELDS[i].0;
        i += 1;
    }
    names
};

/// The names other tools give our fields, read as ours: `(their name, our field, whose name)`.
pub const BUILTIN_ALIASES: &[(&str, &str, &str)] = &[
    ("last_reviewed_on", "last_reviewed", "GOV.UK tech-docs"),
    ("last_reviewed_at", "last_reviewed", "common"),
    ("reviewed", "last_reviewed", "common"),
    ("review_date", "last_reviewed", "common"),
    ("review_in", "review_every", "GOV.UK tech-docs"),
    ("next_review", "review_by", "common"),
    ("owner_slack", "owner_channel", "GOV.UK tech-docs"),
    ("maintainer", "owner", "common"),
    ("owners", "owner", "common"),
    ("redirect_from", "aliases", "Jekyll, Eleventy"),
    ("old_paths", "aliases", "GOV.UK tech-docs"),
    ("weight", "order", "Hugo"),
    ("sidebar_position", "order", "Docusaurus"),
    ("nav_order", "order", "Just the Docs"),
];

/// Fields other tools use for their own layout and navigation. They mean nothing here and are
/// kept for templates without a warning, so that a Jekyll or Hugo folder builds quietly.
pub const FOREIGN_FIELDS: &[&str] = &[
    "layout",
    "permalink",
    "url",
    "date",
    "lastmod",
    "author",
    "authors",
    "categories",
    "keywords",
    "draft",
    "type",
    "menu",
    "toc",
    "hide",
    "nav_exclude",
    "parent",
    "grand_parent",
    "has_children",
    "sidebar_label",
    "search_exclude",
    "extra",
    "taxonomies",
];

/// Which front matter key names which of our fields: ours, the built-in aliases and those a
/// handbook adds under `field_aliases:` in handbook.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldAliases {
    /// Alias to one of [`KNOWN_FIELDS`]; ordered, so that did-you-mean suggestions are stable.
    aliases: BTreeMap<String, &'static str>,
}

impl Default for FieldAliases {
    fn default() -> Self {
        FieldAliases {
            aliases: BUILTIN_ALIASES
                .iter()
                .map(|&(alias, field, _)| (alias.to_string(), field))
                .collect(),
        }
    }
}

impl FieldAliases {
    /// Adds `alias` for `field`, which must be one of ours; an alias cannot hide one of our
    /// own names. A handbook's alias may replace a built-in one.
    pub fn add(&mut self, alias: &str, field: &str) -> Result<(), String> {
        let alias = alias.trim();
        if alias.is_empty() {
            return Err("an alias must not be empty".into());
        }
        if KNOWN_FIELDS.contains(&alias) {
            return Err(format!(
                "`{alias}` is already a front matter field of its own"
            ));
        }
        let Some(&known) = KNOWN_FIELDS.iter().find(|f| **f == field.trim()) else {
            let mut msg = format!("`{field}` is not a front matter field");
            if let Some(s) = suggest::closest(field, KNOWN_FIELDS.iter().copied()) {
                msg.push_str(&format!("; did you mean `{s}`?"));
            }
            return Err(msg);
        };
        self.aliases.insert(alias.to_string(), known);
        Ok(())
    }

    /// The field `key` names: itself when it is one of ours, else the field it is an alias of.
    pub fn field(&self, key: &str) -> Option<&'static str> {
        KNOWN_FIELDS
            .iter()
            .find(|f| **f == key)
            .copied()
            .or_else(|| self.aliases.get(key).copied())
    }

    /// Every alias with the field it names.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &'static str)> {
        self.aliases.iter().map(|(a, f)| (a.as_str(), *f))
    }

    /// Every key that names a field, for did-you-mean suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        KNOWN_FIELDS
            .iter()
            .copied()
            .chain(self.aliases.keys().map(String::as_str))
    }
}

/// The fields the loader reads from a person, a team and a role, with their shapes: what
/// `handbook schema` describes. Any other field is kept for templates. A test checks that the
/// loader takes every field listed (none is left in `extra`).
pub const PERSON_FIELDS: &[(&str, Shape)] = &[
    ("id", Shape::Text),
    ("name", Shape::Text),
    ("email", Shape::Text),
    ("role", Shape::Text),
    ("team", Shape::Text),
    ("manager", Shape::Text),
    ("reports_to", Shape::Text),
    ("joined", Shape::Day),
    ("left", Shape::Day),
    ("chat", Shape::Text),
    ("phone", Shape::Text),
    ("certifications", Shape::Certifications),
    ("absences", Shape::Absences),
];
pub const TEAM_FIELDS: &[(&str, Shape)] = &[
    ("id", Shape::Text),
    ("name", Shape::Text),
    ("lead", Shape::Text),
    ("description", Shape::Text),
];
pub const ROLE_FIELDS: &[(&str, Shape)] = &[
    ("id", Shape::Text),
    ("title", Shape::Text),
    ("summary", Shape::Text),
    ("responsibilities", Shape::Strings),
    ("certifications", Shape::Strings),
    ("required_reading", Shape::Strings),
];
/// The fields of an on-call rotation (`rotations:` in any team data file).
pub const ROTATION_FIELDS: &[(&str, Shape)] = &[
    ("id", Shape::Text),
    ("name", Shape::Text),
    ("team", Shape::Text),
    ("coverage", Shape::Coverage),
    ("windows", Shape::Windows),
    ("timezone", Shape::Zone),
    ("start", Shape::LocalTime),
    ("shift", Shape::Shift),
    ("members", Shape::Strings),
    ("requires", Shape::Strings),
    ("overrides", Shape::Overrides),
    ("escalates_to", Shape::Text),
];
/// The fields of an acknowledgement record (`acknowledgements:` in any team data file).
pub const ACKNOWLEDGEMENT_FIELDS: &[(&str, Shape)] = &[
    ("person", Shape::Text),
    ("document", Shape::Text),
    ("version", Shape::Text),
    ("date", Shape::Day),
];

/// Names teams give our fields that no tool has made common enough to read by default.
pub const SYNONYMS: &[(&str, &str)] = &[
    ("document_owner", "owner"),
    ("doc_owner", "owner"),
    ("page_owner", "owner"),
    ("content_owner", "owner"),
    ("owned_by", "owner"),
    ("responsible", "owner"),
    ("steward", "owner"),
    ("custodian", "owner"),
    ("approved_by", "approver"),
    ("signed_off_by", "approver"),
    ("sign_off", "approver"),
    ("reviewed_by", "reviewers"),
    ("last_review", "last_reviewed"),
    ("last_review_date", "last_reviewed"),
    ("reviewed_on", "last_reviewed"),
    ("reviewed_at", "last_reviewed"),
    ("last_verified", "last_reviewed"),
    ("last_verified_on", "last_reviewed"),
    ("verified_on", "last_reviewed"),
    ("review_cycle", "review_every"),
    ("review_frequency", "review_every"),
    ("review_interval", "review_every"),
    ("review_period", "review_every"),
    ("review_due", "review_by"),
    ("next_review_date", "review_by"),
    ("review_before", "review_by"),
    ("doc_id", "id"),
    ("document_id", "id"),
    ("document_number", "id"),
    ("sop_id", "id"),
    ("policy_id", "id"),
    ("revision", "version"),
    ("doc_version", "version"),
    ("summary", "description"),
    ("excerpt", "description"),
    ("labels", "tags"),
    ("sort_order", "order"),
    ("position", "order"),
    ("effective_date", "effective"),
    ("effective_from", "effective"),
];
