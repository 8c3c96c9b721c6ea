//! What the commands share: `--root` and `--as-of`, declared once; loading the handbook;
//! printing diagnostics to standard error.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::dates::Day;
use crate::diagnostic::Diagnostic;
use crate::{Handbook, Options};

/// `--root`, for every command that works on a handbook.
#[derive(Args)]
pub(super) struct RootArg {
    /// The handbook root (where handbook.yaml, content/ and data/ are).
    #[arg(long, default_value = ".")]
    pub(super) root: PathBuf,
}

/// `--as-of`, for every command whose result depends on the date.
#[derive(Args)]
pub(super) struct AsOfArg {
    /// Take this date (YYYY-MM-DD) for today: review status, dates written into documents.
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", value_parser = parse_day)]
    as_of: Option<Day>,
}

impl AsOfArg {
    pub(super) fn day(&self) -> Day {
        self.as_of.unwrap_or_else(Day::today)
    }
}

fn parse_day(s: &str) -> Result<Day, String> {
    s.parse()
}

/// Loads the handbook for a command that runs once (`serve` loads its own): such a process
/// touches most of its memory once, so it asks for it in huge pages (see [`crate::heap`]).
pub(super) fn load(root: &Path, options: &Options) -> anyhow::Result<Handbook> {
    crate::heap::advise_huge_pages();
    Handbook::load(root, options)
        .with_context(|| format!("cannot load the handbook at {}", root.display()))
}

/// Each diagnostic on its line of standard error, written some 64 KB at a time: standard
/// error is not buffered, and a large handbook's tens of thousands of findings were as many
/// system calls at the end of every build.
pub(super) fn print_diagnostics(diags: &[Diagnostic]) {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(1 << 16);
    for d in diags {
        let _ = writeln!(text, "{d}");
        if text.len() >= 1 << 16 {
            crate::terminal::err(&text);
            text.clear();
        }
    }
    crate::terminal::err(&text);
}
