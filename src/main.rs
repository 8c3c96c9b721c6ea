//! The `handbook` command line: parses arguments, calls the library, maps outcomes to exit codes
//! (0 success, 1 findings, 2 could not run).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser, Subcommand};

use handbook::config::ConfigError;
use handbook::dates::{Day, Interval};
use handbook::diagnostic::{display_path, Diagnostic};
use handbook::load::LoadError;
use handbook::model::Kind;
use handbook::report::diagnostics::{self, Format};
use handbook::report::digest::{self, Digest};
use handbook::report::{Sources, Summary};
use handbook::{scaffold, Handbook, Options};

#[derive(Parser)]
#[command(
    name = "handbook",
    version,
    about = "Build, check and preview a team handbook of SOPs, policies and guides"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the static site.
    Build {
        /// The handbook root (where handbook.yaml, content/ and data/ are).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: `output` from handbook.yaml, else `public` under the root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Compute review status as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<Day>,
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
    },
    /// Run every rule without writing the site: the CI gate. Exit 0 when there are no errors,
    /// 1 when there are (or warnings, with `--deny warnings`), 2 when it could not run.
    Check {
        /// The handbook root (where handbook.yaml, content/ and data/ are).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Compute review status as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<Day>,
        /// human, json, github, junit or sarif.
        #[arg(long, default_value = "human", value_parser = parse_format)]
        format: Format,
        /// `warnings`: fail on warnings too.
        #[arg(long, value_parser = ["warnings"])]
        deny: Option<String>,
        /// Show (and count) the findings that `handbook-ignore` comments silence.
        #[arg(long)]
        no_ignore: bool,
    },
    /// For each owner, the documents overdue or due within a window, with a handbook-wide
    /// summary; or the review calendar (ics) or the document register (csv).
    Report {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Compute review status as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<Day>,
        /// The window ahead, e.g. "30 days" or "3 months" (default: `due_soon` of handbook.yaml).
        #[arg(long, value_parser = parse_interval)]
        within: Option<Interval>,
        /// markdown, json, ics or csv.
        #[arg(long, default_value = "markdown", value_parser = ["markdown", "json", "ics", "csv"])]
        format: String,
    },
    /// Build into memory (drafts included), serve over HTTP and reload open pages on each save.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on (loopback by default; anything else is reachable from the
        /// network).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port (0 picks a free one; a busy one moves to the next free one).
        #[arg(long, default_value_t = 4000)]
        port: u16,
        /// Open the site in the default browser once it is served.
        #[arg(long)]
        open: bool,
        /// Compute review status as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<Day>,
    },
    /// Write a small starter handbook into DIR (existing files are kept); or, with `--from`,
    /// a handbook.yaml fitted to an existing folder of Markdown.
    Init {
        #[arg(default_value = ".", conflicts_with = "from")]
        dir: PathBuf,
        /// An existing folder (written for GitHub, Jekyll, Hugo, MkDocs, mdBook, tech-docs...):
        /// write FROM/handbook.yaml for it (never replacing one) and print what was found.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// The review date written into the starter documents (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<Day>,
    },
    /// Write a new document from its kind's archetype (never overwrites a file).
    New {
        /// sop, policy, guide, runbook, checklist, role or page.
        #[arg(value_parser = parse_kind)]
        kind: Kind,
        /// The document's title; its file name is made from it.
        title: String,
        /// The owner's person id.
        #[arg(long)]
        owner: Option<String>,
        /// Folder under content/ (default: sops/, policies/, ... by kind).
        #[arg(long)]
        dir: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The review date written into the document (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<Day>,
    },
    /// Print a shell completion script: `handbook completions bash > /etc/bash_completion.d/handbook`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print a JSON Schema for editors (yaml-language-server, VS Code): `config` (handbook.yaml),
    /// `front-matter` (with this handbook's field aliases) or `team` (the team data files).
    Schema {
        #[arg(value_parser = ["config", "front-matter", "team"])]
        which: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write the CODEOWNERS block that asks each governed document's owner and approver to
    /// review changes to it; with `--check`, exit 1 when the file is not up to date.
    Codeowners {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The CODEOWNERS file (default: the first that exists of .github/CODEOWNERS,
        /// .gitlab/CODEOWNERS, docs/CODEOWNERS and CODEOWNERS under the root, else the first).
        #[arg(long)]
        file: Option<PathBuf>,
        /// github or gitlab: which field of each person holds the handle (default: gitlab when
        /// the file is under .gitlab/, else github).
        #[arg(long, value_parser = ["github", "gitlab"])]
        forge: Option<String>,
        /// Write nothing; exit 1 and list the lines that differ when the file is out of date.
        #[arg(long)]
        check: bool,
    },
}

fn parse_day(s: &str) -> Result<Day, String> {
    s.parse()
}

fn parse_interval(s: &str) -> Result<Interval, String> {
    s.parse()
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.parse()
}

impl Command {
    /// The folder the command works in: where an error's files are read for its snippet.
    fn root(&self) -> &Path {
        match self {
            Command::Build { root, .. }
            | Command::Check { root, .. }
            | Command::Report { root, .. }
            | Command::Serve { root, .. }
            | Command::New { root, .. }
            | Command::Schema { root, .. }
            | Command::Codeowners { root, .. } => root,
            Command::Init {
                from: Some(from), ..
            } => from,
            Command::Init { dir, .. } => dir,
            Command::Completions { .. } => Path::new("."),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.command.root().to_path_buf();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", describe(&e, &root));
            ExitCode::from(2)
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
                Some(handbook::Error::Config(c)) => Some(c),
                _ => None,
            });
        if let Some(ConfigError(d)) = config {
            let file = root.join(&d.file);
            let text = std::fs::read(&file)
                .ok()
                .map(|b| handbook::text::decode(b).text);
            let d = Diagnostic {
                file: display_path(&file).into(),
                ..(**d).clone()
            };
            let color = std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            return diagnostics::render(&d, text.as_deref(), color);
        }
        if let Some(handbook::Error::Load(LoadError::NoContent { .. })) = cause.downcast_ref() {
            if let Some(found) = handbook::config::find_root(root) {
                let found = found.display();
                return format!("error: {e:#}\n  help: run it from {found} or pass --root {found}");
            }
        }
    }
    format!("error: {e:#}")
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "handbook",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Build {
            root,
            out,
            as_of,
            drafts,
            quiet,
            timings,
            strict,
            no_ignore,
        } => {
            let options = Options {
                as_of: as_of.unwrap_or_else(Day::today),
                drafts,
                out,
                strict,
                no_ignore,
            };
            let mut handbook = load(&root, &options)?;
            let built = handbook.build();
            print_diagnostics(&handbook.diagnostics);
            let stats = match built {
                Err(e @ handbook::Error::Refused { .. }) => {
                    eprintln!("error: {e}");
                    return Ok(ExitCode::from(1));
                }
                other => other.context("cannot write the site")?,
            };
            if timings {
                for (phase, took) in &handbook.timings {
                    eprintln!("{:>8.1} ms  {phase}", took.as_secs_f64() * 1000.0);
                }
            }
            if !quiet {
                let (errors, warnings) = counts(&handbook.diagnostics);
                println!(
                    "Built {} pages ({} files) in {:.2} s -> {}{}",
                    stats.pages,
                    stats.files,
                    stats.elapsed.as_secs_f64(),
                    stats.output_dir.display(),
                    summary_suffix(errors, warnings, handbook.silenced)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            root,
            as_of,
            format,
            deny,
            no_ignore,
        } => {
            let options = Options {
                as_of: as_of.unwrap_or_else(Day::today),
                no_ignore,
                ..Options::default()
            };
            let handbook = load(&root, &options)?;
            let diags = &handbook.diagnostics;
            let summary = Summary {
                silenced: handbook.silenced,
                ..Summary::of(diags, handbook.documents())
            };
            let out = match format {
                Format::Human => {
                    let sources = Sources::new(&root, &handbook.site);
                    let color = std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
                    diagnostics::human(diags, summary, &sources, color)
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
            std::io::stdout().write_all(out.as_bytes())?;
            let failed = summary.errors > 0 || (deny.is_some() && summary.warnings > 0);
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Report {
            root,
            as_of,
            within,
            format,
        } => {
            let options = Options {
                as_of: as_of.unwrap_or_else(Day::today),
                ..Options::default()
            };
            let handbook = load(&root, &options)?;
            let site = &handbook.site;
            let within = within.unwrap_or(site.config.due_soon);
            let out = match format.as_str() {
                "json" => Digest::new(site, within).json(),
                "ics" => digest::calendar(site),
                "csv" => digest::register(site),
                _ => Digest::new(site, within).markdown(),
            };
            std::io::stdout().write_all(out.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            root,
            bind,
            port,
            open,
            as_of,
        } => {
            let opts = handbook::serve::ServeOptions {
                root: root.clone(),
                bind,
                port,
                as_of: as_of.unwrap_or_else(Day::today),
            };
            handbook::serve::run(opts, |url| {
                if open {
                    open_browser(url);
                }
            })
            .with_context(|| format!("cannot serve the handbook at {}", root.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init {
            from: Some(from), ..
        } => {
            let found = scaffold::adopt::adopt(&from)?;
            println!("Found in {}:\n{found}", from.display());
            println!(
                "wrote {}\nNext: handbook check --root {dir} (then build)",
                from.join(handbook::config::CONFIG_FILE).display(),
                dir = from.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir, as_of, .. } => {
            let report = scaffold::init(&dir, as_of.unwrap_or_else(Day::today))?;
            for p in &report.written {
                println!("wrote {}", p.display());
            }
            for p in &report.kept {
                println!("kept  {} (already exists)", p.display());
            }
            println!("Next: handbook build --root {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            kind,
            title,
            owner,
            dir,
            root,
            as_of,
        } => {
            let req = scaffold::NewDocument {
                kind,
                title: &title,
                owner: owner.as_deref(),
                folder: dir.as_deref(),
                today: as_of.unwrap_or_else(Day::today),
            };
            let path = scaffold::new_document(&root, &req)?;
            println!("wrote {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { which, root } => {
            let schema = match which.as_str() {
                "config" => handbook::schema::config(),
                "team" => handbook::schema::team(),
                _ => {
                    let config = handbook::config::Config::load(&root)?;
                    handbook::schema::front_matter(&config.field_aliases)
                }
            };
            // A closed pipe (`| head`) is the reader's choice, not a failure.
            let _ = writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&schema)?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Codeowners {
            root,
            file,
            forge,
            check,
        } => {
            use handbook::codeowners::{Codeowners, Request};
            let forge = forge.as_deref().map(str::parse).transpose();
            let request = Request {
                root,
                file,
                forge: forge.map_err(anyhow::Error::msg)?,
            };
            let handbook = load(&request.root, &Options::default())?;
            let plan = Codeowners::plan(&handbook.site, &request)?;
            for note in &plan.notes {
                eprintln!("warning: {note}");
            }
            let file = plan.file.display();
            if check {
                if plan.up_to_date() {
                    println!("{file} is up to date: {}", plan.summary());
                    return Ok(ExitCode::SUCCESS);
                }
                print!("{}", plan.changes());
                println!("Run `{}` to update it.", request.command_line());
                return Ok(ExitCode::from(1));
            }
            for warning in plan.document_warnings() {
                eprintln!("warning: {warning}");
            }
            if plan.write()? {
                println!("wrote {file}: {}", plan.summary());
            } else {
                println!("{file} is up to date: {}", plan.summary());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load(root: &Path, options: &Options) -> anyhow::Result<Handbook> {
    Handbook::load(root, options)
        .with_context(|| format!("cannot load the handbook at {}", root.display()))
}

/// Opens `url` in the desktop's browser; says so when it cannot (a server, a container).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let opened = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok();
    if !opened {
        eprintln!("cannot open a browser here ({opener}); open {url} yourself");
    }
}

/// Appends to a file that another program owns (GitHub's step summary): never truncates it.
fn append(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?
        .write_all(text.as_bytes())
}

fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}

fn summary_suffix(errors: usize, warnings: usize, silenced: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let silenced = match silenced {
        0 => String::new(),
        n => format!(", {n} silenced"),
    };
    match (errors, warnings) {
        (0, 0) if silenced.is_empty() => String::new(),
        (e, w) => format!(
            " ({}, {}{silenced})",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
