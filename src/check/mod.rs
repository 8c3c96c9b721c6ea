//! Checks: rules over the site model that return diagnostics. One file per family of rules.
//!
//! Rules never print and never touch the file system; they read the model that loading and
//! Markdown rendering produced.

pub mod links;

use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// Runs every rule over the site.
pub fn run(site: &Site) -> Vec<Diagnostic> {
    links::check(site)
}
