//! `handbook build`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::shared::{load, print_diagnostics, AsOfArg, RootArg};
use crate::diagnostic::plural;
use crate::{errln, outln, Options};

#[derive(Args)]
pub(super) struct BuildArgs {
    #[command(flatten)]
    pub(super) root: RootArg,
    /// Output folder (default: `output` from handbook.yaml, else `public` under the root).
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    as_of: AsOfArg,
    /// Publish drafts too.
    #[arg(long)]
    drafts: bool,
    /// Print only errors and warnings, not the summary.
    #[arg(long, short)]
    quiet: bool,
    /// Print the wall time of each phase to stderr.
    #[arg(long)]
    timings: bool,
    /// Refuse to publish when there are errors (exit 1; the previous site stays).
    #[arg(long)]
    strict: bool,
    /// Show the findings that `handbook-ignore` comments silence.
    #[arg(long)]
    no_ignore: bool,
}

pub(super) fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let options = Options {
        as_of: args.as_of.day(),
        drafts: args.drafts,
        out: args.out,
        strict: args.strict,
        no_ignore: args.no_ignore,
        keep_inputs: false,
        check_only: false,
        free_as_it_goes: true,
        squeeze_html_above: crate::SQUEEZE_HTML_ABOVE,
    };
    let mut handbook = load(&args.root.root, &options)?;
    let built = handbook.build();
    print_diagnostics(&handbook.diagnostics);
    let stats = match built {
        Err(e @ crate::Error::Refused { .. }) => {
            errln!("error: {e}");
            return Ok(ExitCode::from(1));
        }
        other => other.context("cannot write the site")?,
    };
    if args.timings {
        for (phase, took) in &handbook.timings {
            errln!("{:>8.1} ms  {phase}", took.as_secs_f64() * 1000.0);
        }
    }
    if !args.quiet {
        let errors = handbook.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = handbook.diagnostics.len() - errors;
        outln!(
            "Built {} pages ({} files) in {:.2} s -> {}{}",
            stats.pages,
            stats.files,
            stats.elapsed.as_secs_f64(),
            stats.output_dir.display(),
            summary_suffix(errors, warnings, handbook.silenced)
        )?;
    }
    // The process ends here: the model (millions of allocations in a large handbook) is left
    // to the system rather than freed a piece at a time, 20 ms of 1.2 s at 10,000 pages. It
    // holds nothing that must be released (the output's lock went with the staging folder).
    std::mem::forget(handbook);
    Ok(ExitCode::SUCCESS)
}

/// ` (2 errors, 1 warning, 3 silenced)`, or nothing when all are none.
fn summary_suffix(errors: usize, warnings: usize, silenced: usize) -> String {
    let silenced = match silenced {
        0 => String::new(),
        n => format!(", {n} silenced"),
    };
    match (errors, warnings) {
        (0, 0) if silenced.is_empty() => String::new(),
        (e, w) => format!(
            " ({e} error{}, {w} warning{}{silenced})",
            plural(e as i64),
            plural(w as i64)
        ),
    }
}
