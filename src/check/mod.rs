//! Checks: rules over the site model that return diagnostics. One file per family of rules;
//! the catalogue of rules is `crate::rules`; [`configure`] applies the severities handbook.yaml
//! sets to the diagnostics of every stage.
//!
//! The families: `links.rs` (links, anchors, assets; the fragments only the rendered page can
//! settle are handed to `render::settle_anchors`), `governance.rs` (owners, approvers, review
//! dates, changes since review, document ids, sections without a page), `team.rs` (the team
//! data itself, certifications), `syntax.rs` (other tools' template tags left in the prose),
//! `reading.rs` (required reading not acknowledged, acknowledgements naming nothing),
//! `oncall.rs` (on-call rotations: gaps, unqualified members, overload, names of nothing);
//! `ignore.rs` applies `handbook-ignore` comments.
//!
//! Rules never print and never touch the file system; they read the model that loading and
//! Markdown rendering produced. They cover every document, drafts included.

pub mod governance;
pub mod ignore;
pub mod links;
pub mod oncall;
pub mod reading;
pub mod syntax;
pub mod team;

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::model::Kind;
use crate::rules::{Level, Severity};
use crate::site::Site;

/// What the rules found: diagnostics, and the fragments that only the rendered page can
/// settle (see [`links::PendingAnchor`]).
#[derive(Debug, Default)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub pending_anchors: Vec<links::PendingAnchor>,
}

/// Runs every rule over the site.
pub fn run(site: &Site) -> Checked {
    let (((mut diags, pending_anchors), governance), ((team, syntax), reading)) = rayon::join(
        || rayon::join(|| links::check(site), || governance::check(site)),
        || {
            rayon::join(
                || {
                    rayon::join(
                        || team::check(&site.team, site.options.as_of),
                        || syntax::check(site),
                    )
                },
                || rayon::join(|| reading::check(site), || oncall::check(site)),
            )
        },
    );
    let (reading, oncall) = reading;
    diags.extend(governance);
    diags.extend(reading);
    diags.extend(oncall);
    diags.extend(team);
    diags.extend(syntax);
    Checked {
        diagnostics: diags,
        pending_anchors,
    }
}

/// Applies handbook.yaml's `rules:` to diagnostics from any stage: changed severities, rules
/// switched off (per kind, for diagnostics about a document).
pub fn configure(site: &Site, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let rules = &site.config.rules;
    if rules.is_empty() {
        return diags;
    }
    let kind_of: HashMap<&Path, Kind> = site
        .pages
        .iter()
        .filter_map(|p| p.doc.as_ref())
        .map(|d| (d.file.as_path(), d.front.kind))
        .collect();
    diags
        .into_iter()
        .filter_map(|d| {
            let kind = kind_of.get(d.file.as_path()).copied();
            // A rule handbook.yaml does not set keeps the severity its finder gave.
            match rules.configured(d.rule, kind) {
                None => Some(d),
                Some(Level::Off) => None,
                Some(Level::Error) => Some(Diagnostic {
                    severity: Severity::Error,
                    ..d
                }),
                Some(Level::Warning) => Some(Diagnostic {
                    severity: Severity::Warning,
                    ..d
                }),
            }
        })
        .collect()
}
