//! `handbook schema`: JSON Schemas for editors.

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::shared::RootArg;
use crate::{config::Config, outln, schema};

#[derive(Args)]
pub(super) struct SchemaArgs {
    /// Which file's schema.
    #[arg(value_enum)]
    which: Which,
    #[command(flatten)]
    pub(super) root: RootArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum Which {
    /// handbook.yaml.
    Config,
    /// A document's front matter, with this handbook's field aliases.
    FrontMatter,
    /// The team data files.
    Team,
}

pub(super) fn run(args: SchemaArgs) -> anyhow::Result<ExitCode> {
    let schema = match args.which {
        Which::Config => schema::config(),
        Which::Team => schema::team(),
        Which::FrontMatter => {
            let config = Config::load(&args.root.root)?;
            schema::front_matter(&config.field_aliases)
        }
    };
    outln!("{}", serde_json::to_string_pretty(&schema)?)?;
    Ok(ExitCode::SUCCESS)
}
