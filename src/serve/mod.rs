//! `handbook serve`: builds the handbook into memory (drafts included), serves it over HTTP,
//! rebuilds when a watched folder changes, and tells open pages to reload once the new build
//! is complete and swapped in.
//!
//! The parts: [`routes`] decides what a request gets (no I/O); `http` (hyper on a
//! single-threaded tokio runtime) answers, streams reload events (server-sent events) and holds
//! the current [`Snapshot`](routes::Snapshot); [`Session`] is the model between builds; a
//! watcher thread (`watch`, told by `sources` which changes matter) turns bursts of file events
//! into one rebuild each; `live.js` is the script every served page gets, which reloads it and
//! shows the build's errors. Clients are not trusted (see `http`): a connection that sends no
//! whole request header, stays idle or reads nothing for a few seconds is closed, event streams
//! are bounded, and when descriptors run out the server waits for connections to close instead
//! of retrying `accept` at once.

mod http;
pub mod routes;
mod session;
mod sources;
mod watch;

pub(crate) use session::hand_back_freed_memory;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::dates::Day;
use crate::{errln, outln, Error};
use http::Shared;
use session::print_build;
pub use session::Session;

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub as_of: Day,
}

/// Serves until Ctrl-C. `ready` is called with the site's URL once the server listens.
pub fn run(opts: ServeOptions, ready: impl FnOnce(&str)) -> Result<(), Error> {
    // Watching starts first: an edit saved during the first build is not lost.
    let watch = watch::Watch::begin(&opts.root)
        .map_err(|e| Error::Serve(format!("cannot watch the handbook: {e}")))?;
    let started = Instant::now();
    let session = Session::build(&opts.root, opts.as_of)?;
    print_build(
        session.diagnostics(),
        1,
        started.elapsed(),
        false,
        &[],
        &opts.root,
    );
    let snapshot = session.snapshot(1);
    let config = crate::config::Config::load(&opts.root)?;
    let base = config.base_url.map_or("/".to_string(), |b| b.path);
    let shared = Arc::new(Shared::new(snapshot, base, opts.bind));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Serve(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let (listener, addr) = http::bind(opts.bind, opts.port).await?;
        if !opts.bind.is_loopback() {
            errln!(
                "warning: serving on {} reaches beyond this machine: anyone on the network can read the handbook, drafts included",
                opts.bind
            );
        }
        // Listening for Ctrl-C before the address is announced: `ctrl_c()` would install its
        // handler only when first polled, and a Ctrl-C (or a test's SIGINT) just after the
        // announcement would kill the process uncleanly.
        let stop = stop_signal()?;
        watch.run(session, shared.clone());
        let url = format!("http://{addr}{}", shared.base);
        // Unread output (a closed pipe) does not stop the server.
        let _ = outln!("Serving {} at {url} (Ctrl-C to stop)", opts.root.display());
        ready(&url);
        http::accept(listener, shared, stop).await
    })
}

/// Resolves on Ctrl-C; the handler is installed when this is called, not when first polled.
fn stop_signal() -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>, Error> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt())
            .map_err(|e| Error::Serve(format!("cannot listen for Ctrl-C: {e}")))?;
        Ok(Box::pin(async move {
            interrupt.recv().await;
        }))
    }
    #[cfg(not(unix))]
    {
        let mut interrupt = tokio::signal::windows::ctrl_c()
            .map_err(|e| Error::Serve(format!("cannot listen for Ctrl-C: {e}")))?;
        Ok(Box::pin(async move {
            interrupt.recv().await;
        }))
    }
}
