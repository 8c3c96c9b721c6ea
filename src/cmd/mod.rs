//! The command line: `Cli` parses, [`main`] dispatches to one file per command and maps the
//! outcome to an exit code (0 success, 1 findings, 2 could not run). The options most commands
//! share (`--root`, `--as-of`) are declared once, in `shared.rs`; every value with a fixed set of choices
//! is a type that clap validates and completes.

mod acknowledge;
mod build;
mod check;
mod codeowners;
mod init;
mod new;
mod report;
mod schema;
mod serve;
mod shared;

use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::config::ConfigError;
use crate::diagnostic::{display_path, Diagnostic};
use crate::load::LoadError;
use crate::report::diagnostics;
use crate::{errln, terminal};

#[derive(Parser)]
#[command(
    name = "handbook",
    version,
    about = "Build, check and preview a team handbook of SOPs, policies and guides"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the static site.
    Build(build::BuildArgs),
    /// Run every rule without writing the site: the CI gate. Exit 0 when there are no errors,
    /// 1 when there are (or warnings, with `--deny warnings`), 2 when it could not run.
    Check(check::CheckArgs),
    /// For each owner, the documents overdue or due within a window, with a handbook-wide
    /// summary; or the review calendar (ics) or the document register (csv).
    Report(report::ReportArgs),
    /// Build into memory (drafts included), serve over HTTP and reload open pages on each save.
    Serve(serve::ServeArgs),
    /// Write a small starter handbook into DIR (existing files are kept); or, with `--from`,
    /// a handbook.yaml fitted to an existing folder of Markdown.
    Init(init::InitArgs),
    /// Write a new document from its kind's archetype (never overwrites a file).
    New(new::NewArgs),
    /// Print a shell completion script: `handbook completions bash > /etc/bash_completion.d/handbook`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print a JSON Schema for editors (yaml-language-server, VS Code): `config` (handbook.yaml),
    /// `front-matter` (with this handbook's field aliases) or `team` (the team data files).
    Schema(schema::SchemaArgs),
    /// Write the CODEOWNERS block that asks each governed document's owner and approver to
    /// review changes to it; with `--check`, exit 1 when the file is not up to date.
    Codeowners(codeowners::CodeownersArgs),
    /// Record that a person read documents (their versions in force) in the team data's
    /// acknowledgements file, keeping the file's other text as it is: for a pull request.
    Acknowledge(acknowledge::AcknowledgeArgs),
}

impl Command {
    /// The folder the command works in: where an error's files are read for its snippet.
    fn root(&self) -> &Path {
        match self {
            Command::Build(a) => &a.root.root,
            Command::Check(a) => &a.root.root,
            Command::Report(a) => &a.root.root,
            Command::Serve(a) => &a.root.root,
            Command::New(a) => &a.root.root,
            Command::Schema(a) => &a.root.root,
            Command::Codeowners(a) => &a.root.root,
            Command::Acknowledge(a) => &a.root.root,
            Command::Init(a) => a.folder(),
            Command::Completions { .. } => Path::new("."),
        }
    }
}

/// The whole command line: parses, runs, and says why a command could not run. The process
/// ends when it returns: `build` and `check` leave their model to the system rather than free
/// it (`std::mem::forget`).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.command.root().to_path_buf();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            errln!("{}", describe(&e, &root));
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Report(args) => report::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Init(args) => init::run(args),
        Command::New(args) => new::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Codeowners(args) => codeowners::run(args),
        Command::Acknowledge(args) => acknowledge::run(args),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "handbook", &mut script);
            terminal::out(&String::from_utf8_lossy(&script))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Why a command could not run, said once. An invalid handbook.yaml is a diagnostic, printed as
/// `check` prints one (its line, a caret, the help); a missing content folder names the folder
/// above that looks like the handbook, when the command ran inside it; anything else is its
/// chain of causes.
fn describe(e: &anyhow::Error, root: &Path) -> String {
    for cause in e.chain() {
        let config = cause
            .downcast_ref::<ConfigError>()
            .or(match cause.downcast_ref() {
                Some(crate::Error::Config(c)) => Some(c),
                _ => None,
            });
        if let Some(ConfigError(d)) = config {
            let file = root.join(&d.file);
            let text = std::fs::read(&file)
                .ok()
                .map(|b| crate::text::decode(b).text);
            let d = Diagnostic {
                file: display_path(&file).into(),
                ..(**d).clone()
            };
            return diagnostics::render(&d, text.as_deref(), terminal::color(true));
        }
        if let Some(crate::Error::Load(LoadError::NoContent { .. })) = cause.downcast_ref() {
            if let Some(found) = crate::config::find_root(root) {
                let found = found.display();
                return format!("error: {e:#}\n  help: run it from {found} or pass --root {found}");
            }
        }
    }
    format!("error: {e:#}")
}
