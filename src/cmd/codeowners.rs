//! `handbook codeowners`: the CODEOWNERS block of the governed documents.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::shared::{load, RootArg};
use crate::codeowners::{Codeowners, Forge, Request};
use crate::{errln, outln, terminal, Options};

#[derive(Args)]
pub(super) struct CodeownersArgs {
    #[command(flatten)]
    pub(super) root: RootArg,
    /// The CODEOWNERS file (default: the first that exists of .github/CODEOWNERS,
    /// .gitlab/CODEOWNERS, docs/CODEOWNERS and CODEOWNERS under the root, else the first).
    #[arg(long)]
    file: Option<PathBuf>,
    /// Which field of each person holds the handle (default: gitlab when the file is under
    /// .gitlab/, else github).
    #[arg(long, value_enum)]
    forge: Option<Forge>,
    /// Write nothing; exit 1 and list the lines that differ when the file is out of date.
    #[arg(long)]
    check: bool,
}

pub(super) fn run(args: CodeownersArgs) -> anyhow::Result<ExitCode> {
    let request = Request {
        root: args.root.root,
        file: args.file,
        forge: args.forge,
    };
    let handbook = load(&request.root, &Options::default())?;
    let plan = Codeowners::plan(&handbook.site, &request)?;
    for note in &plan.notes {
        errln!("warning: {note}");
    }
    let file = plan.file.display();
    if args.check {
        if plan.up_to_date() {
            outln!("{file} is up to date: {}", plan.summary())?;
            return Ok(ExitCode::SUCCESS);
        }
        terminal::out(&plan.changes())?;
        outln!("Run `{}` to update it.", request.command_line())?;
        return Ok(ExitCode::from(1));
    }
    for warning in plan.document_warnings() {
        errln!("warning: {warning}");
    }
    if plan.write()? {
        outln!("wrote {file}: {}", plan.summary())?;
    } else {
        outln!("{file} is up to date: {}", plan.summary())?;
    }
    Ok(ExitCode::SUCCESS)
}
