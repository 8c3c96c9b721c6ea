//! `handbook acknowledge PERSON DOCUMENT...`: records that a person read documents (their
//! versions in force), for a pull request.

use std::process::ExitCode;

use clap::Args;

use super::shared::{load, RootArg};
use crate::dates::Day;
use crate::scaffold::acknowledge::{acknowledge, Request};
use crate::{outln, Options};

#[derive(Args)]
pub(super) struct AcknowledgeArgs {
    /// The person's id in the team data.
    person: String,
    /// The documents read: ids (`POL-001`) or paths from the handbook root.
    #[arg(required = true)]
    documents: Vec<String>,
    /// The day they were read (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = |s: &str| s.parse::<Day>())]
    date: Option<Day>,
    #[command(flatten)]
    pub(super) root: RootArg,
}

pub(super) fn run(args: AcknowledgeArgs) -> anyhow::Result<ExitCode> {
    let date = args.date.unwrap_or_else(Day::today);
    let options = Options {
        as_of: date,
        check_only: true,
        ..Options::default()
    };
    let handbook = load(&args.root.root, &options)?;
    let request = Request {
        person: &args.person,
        documents: &args.documents,
        date,
    };
    let recorded = acknowledge(&args.root.root, &handbook.site, &request)?;
    let file = crate::diagnostic::display_path(&recorded.file);
    for r in &recorded.added {
        outln!("recorded in {file}: {r}")?;
    }
    for d in &recorded.already {
        outln!("already recorded: {} read {d}", args.person)?;
    }
    Ok(ExitCode::SUCCESS)
}
