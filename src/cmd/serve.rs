//! `handbook serve`: the live preview.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::shared::{AsOfArg, RootArg};
use crate::errln;
use crate::serve::ServeOptions;

#[derive(Args)]
pub(super) struct ServeArgs {
    #[command(flatten)]
    pub(super) root: RootArg,
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
    #[command(flatten)]
    as_of: AsOfArg,
}

pub(super) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let root = args.root.root;
    let opts = ServeOptions {
        root: root.clone(),
        bind: args.bind,
        port: args.port,
        as_of: args.as_of.day(),
    };
    let open = args.open;
    crate::serve::run(opts, |url| {
        if open {
            open_browser(url);
        }
    })
    .with_context(|| format!("cannot serve the handbook at {}", root.display()))?;
    Ok(ExitCode::SUCCESS)
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
        errln!("cannot open a browser here ({opener}); open {url} yourself");
    }
}
