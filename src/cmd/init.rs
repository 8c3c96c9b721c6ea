//! `handbook init`: a starter handbook, or (`--from`) a handbook.yaml for an existing folder.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::shared::AsOfArg;
use crate::scaffold;
use crate::{config::CONFIG_FILE, outln};

#[derive(Args)]
pub(super) struct InitArgs {
    #[arg(default_value = ".", conflicts_with = "from")]
    dir: PathBuf,
    /// An existing folder (written for GitHub, Jekyll, Hugo, MkDocs, mdBook, tech-docs...):
    /// write FROM/handbook.yaml for it (never replacing one) and print what was found.
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    #[command(flatten)]
    as_of: AsOfArg,
}

impl InitArgs {
    /// The folder written into.
    pub(super) fn folder(&self) -> &Path {
        self.from.as_deref().unwrap_or(&self.dir)
    }
}

pub(super) fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    if let Some(from) = &args.from {
        let found = scaffold::adopt::adopt(from)?;
        outln!("Found in {}:\n{found}", from.display())?;
        outln!(
            "wrote {}\nNext: handbook check --root {dir} (then build)",
            from.join(CONFIG_FILE).display(),
            dir = from.display()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let dir = &args.dir;
    let report = scaffold::init(dir, args.as_of.day())?;
    for p in &report.written {
        outln!("wrote {}", p.display())?;
    }
    for p in &report.kept {
        outln!("kept  {} (already exists)", p.display())?;
    }
    outln!("Next: handbook build --root {}", dir.display())?;
    Ok(ExitCode::SUCCESS)
}
