//! `handbook report`: what is due, per owner; the review calendar; the document register.

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::shared::{load, AsOfArg, RootArg};
use crate::dates::Interval;
use crate::report::digest::{self, Digest};
use crate::{terminal, Options};

#[derive(Args)]
pub(super) struct ReportArgs {
    #[command(flatten)]
    pub(super) root: RootArg,
    #[command(flatten)]
    as_of: AsOfArg,
    /// The window ahead, e.g. "30 days" or "3 months" (default: `due_soon` of handbook.yaml).
    #[arg(long, value_parser = parse_interval)]
    within: Option<Interval>,
    /// The digest (markdown, json), the review calendar (ics) or the document register (csv).
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    format: ReportFormat,
    /// With `--format csv`: the evidence of required reading (person, role, document, version
    /// in force, version and date acknowledged, status, due by) instead of the register.
    #[arg(long)]
    acknowledgements: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Markdown,
    Json,
    Ics,
    Csv,
}

fn parse_interval(s: &str) -> Result<Interval, String> {
    s.parse()
}

pub(super) fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let options = Options {
        as_of: args.as_of.day(),
        check_only: true,
        ..Options::default()
    };
    let handbook = load(&args.root.root, &options)?;
    let site = &handbook.site;
    let within = args.within.unwrap_or(site.config.due_soon);
    if args.acknowledgements && !matches!(args.format, ReportFormat::Csv) {
        anyhow::bail!("`--acknowledgements` is a CSV table: add `--format csv`");
    }
    let out = match args.format {
        ReportFormat::Csv if args.acknowledgements => digest::acknowledgements(site),
        ReportFormat::Markdown => Digest::new(site, within).markdown(),
        ReportFormat::Json => Digest::new(site, within).json(),
        ReportFormat::Ics => digest::calendar(site),
        ReportFormat::Csv => digest::register(site),
    };
    terminal::out(&out)?;
    Ok(ExitCode::SUCCESS)
}
