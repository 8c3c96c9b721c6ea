//! `handbook check`: the CI gate.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::shared::{load, AsOfArg, RootArg};
use crate::report::diagnostics::{self, Format};
use crate::report::{Sources, Summary};
use crate::{terminal, Options};

#[derive(Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    pub(super) root: RootArg,
    #[command(flatten)]
    as_of: AsOfArg,
    /// How the findings are written.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Fail on these too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Show (and count) the findings that `handbook-ignore` comments silence.
    #[arg(long)]
    no_ignore: bool,
    /// Print the wall time of each phase to stderr.
    #[arg(long)]
    timings: bool,
}

/// What `--deny` makes fail besides errors.
#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

pub(super) fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let root = &args.root.root;
    let options = Options {
        as_of: args.as_of.day(),
        no_ignore: args.no_ignore,
        check_only: true,
        ..Options::default()
    };
    let handbook = load(root, &options)?;
    let clock = std::time::Instant::now();
    let diags = &handbook.diagnostics;
    let summary = Summary {
        silenced: handbook.silenced,
        ..Summary::of(diags, handbook.documents())
    };
    let out = match args.format {
        Format::Human => {
            let sources = Sources::new(root, &handbook.site);
            diagnostics::human(diags, summary, &sources, terminal::color(false))
        }
        Format::Json => diagnostics::json(diags, summary),
        Format::Github => {
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                append(
                    Path::new(&path),
                    &diagnostics::github_step_summary(diags, summary),
                )
                .context("cannot write GITHUB_STEP_SUMMARY")?;
            }
            diagnostics::github(diags)
        }
        Format::Junit => {
            let files: Vec<&Path> = (handbook.site.pages.iter())
                .filter_map(|p| p.doc.as_ref())
                .map(|d| d.file.as_path())
                .collect();
            diagnostics::junit(diags, &files)
        }
        Format::Sarif => diagnostics::sarif(diags),
    };
    terminal::out(&out)?;
    if args.timings {
        let phases = handbook.timings.iter().copied();
        for (phase, took) in phases.chain([("report", clock.elapsed())]) {
            crate::errln!("{:>8.1} ms  {phase}", took.as_secs_f64() * 1000.0);
        }
    }
    let failed = summary.errors > 0 || (args.deny.is_some() && summary.warnings > 0);
    // As `build` does: the model is left to the system as the process ends.
    std::mem::forget(handbook);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Appends to a file that another program owns (GitHub's step summary): never truncates it.
fn append(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?
        .write_all(text.as_bytes())
}
