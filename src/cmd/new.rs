//! `handbook new`: a document from its kind's archetype.

use std::process::ExitCode;

use clap::Args;

use super::shared::{AsOfArg, RootArg};
use crate::model::Kind;
use crate::{outln, scaffold};

#[derive(Args)]
pub(super) struct NewArgs {
    /// The document's kind.
    #[arg(value_enum, ignore_case = true)]
    kind: Kind,
    /// The document's title; its file name is made from it.
    title: String,
    /// The owner's person id.
    #[arg(long)]
    owner: Option<String>,
    /// Folder under content/ (default: sops/, policies/, ... by kind).
    #[arg(long)]
    dir: Option<String>,
    #[command(flatten)]
    pub(super) root: RootArg,
    #[command(flatten)]
    as_of: AsOfArg,
}

pub(super) fn run(args: NewArgs) -> anyhow::Result<ExitCode> {
    let req = scaffold::NewDocument {
        kind: args.kind,
        title: &args.title,
        owner: args.owner.as_deref(),
        folder: args.dir.as_deref(),
        today: args.as_of.day(),
    };
    let path = scaffold::new_document(&args.root.root, &req)?;
    outln!("wrote {}", path.display())?;
    Ok(ExitCode::SUCCESS)
}
