//! `handbook serve`: builds the handbook into memory (drafts included), serves it over HTTP,
//! rebuilds when a watched folder changes, and tells open pages to reload once the new build
//! is complete and swapped in.
//!
//! Three parts: [`routes`] decides what a request gets (no I/O); the server here (hyper on a
//! single-threaded tokio runtime) answers, streams reload events (server-sent events) and
//! holds the current [`Snapshot`]; a watcher thread (`watch`, told by `sources` which changes
//! matter) turns bursts of file events into one rebuild each. Clients are not trusted: a
//! connection that sends no whole request header, stays idle or reads nothing for a few
//! seconds is closed, event streams are bounded, and when descriptors run out the server
//! waits for connections to close instead of retrying `accept` at once.

pub mod routes;
mod sources;
mod watch;

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use tokio::sync::mpsc;

use crate::dates::Day;
use crate::diagnostic::Diagnostic;
use crate::output::MemorySite;
use crate::render::Theme;
use crate::site::PageId;
use crate::{errln, outln, Error, Handbook, Options};
use routes::{Answer, Snapshot};

/// The reload script, served at `/__handbook/live.js`.
const LIVE_JS: &str = include_str!("live.js");

/// How long a connection may take to send a request header, and stay idle between requests.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a response may wait for the client to read any of it before the connection is
/// closed (a client that asks for a large file and never reads must not keep its descriptor).
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait before accepting again when accepting fails for want of descriptors.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// The most event streams open at once: they are long-lived by design, so they are not timed
/// out, but each holds a descriptor; one more is refused with 503.
const MAX_STREAMS: usize = 256;

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub as_of: Day,
}

/// The server's state between builds: the model, the theme, and the files of the last build.
/// An edit of a document's body re-renders the pages it changes; anything else is a full build.
pub struct Session {
    root: PathBuf,
    as_of: Day,
    handbook: Handbook,
    theme: Theme,
    /// The theme's and the failed pages' diagnostics of the last full build.
    render_diagnostics: Vec<Diagnostic>,
    files: HashMap<String, Arc<[u8]>>,
    /// A document is a symlink: an edit of its target changes two pages, so no edit is done
    /// in place.
    linked: bool,
    /// An update failed half-way: the model is not to be trusted until a full build succeeds.
    stale: bool,
}

impl Session {
    /// A full build into memory, drafts included.
    pub fn build(root: &Path, as_of: Day) -> Result<Session, Error> {
        let options = Options {
            as_of,
            drafts: true,
            ..Options::default()
        };
        let mut handbook = Handbook::load(root, &options)?;
        let (theme, mut render_diagnostics) = handbook.theme();
        let memory = MemorySite::default();
        let rendered = handbook.render_with(&theme, &memory)?;
        render_diagnostics.extend(rendered.diagnostics);
        handbook.add_diagnostics(render_diagnostics.clone());
        let linked = handbook.site.pages.iter().any(|p| {
            p.doc.as_ref().is_some_and(|d| {
                std::fs::symlink_metadata(root.join(&d.file)).is_ok_and(|m| m.is_symlink())
            })
        });
        Ok(Session {
            root: root.to_path_buf(),
            as_of,
            handbook,
            theme,
            render_diagnostics,
            files: memory
                .into_files()
                .into_iter()
                .map(|(k, v)| (k, Arc::from(v)))
                .collect(),
            linked,
            stale: false,
        })
    }

    /// Takes the changed `paths` into account: in place when each is the Markdown file of a
    /// page and only its body changed, else by a full build. Returns whether it was in place.
    /// When the full build fails (an invalid handbook.yaml), the session keeps the last good
    /// site and does only full builds until one succeeds.
    pub fn update(&mut self, paths: &[PathBuf]) -> Result<bool, Error> {
        if !self.stale && !self.linked && self.update_in_place(paths)? {
            return Ok(true);
        }
        self.stale = true;
        *self = Session::build(&self.root, self.as_of)?;
        Ok(false)
    }

    fn update_in_place(&mut self, paths: &[PathBuf]) -> Result<bool, Error> {
        let Ok(root) = self.root.canonicalize() else {
            return Ok(false);
        };
        let site = &self.handbook.site;
        let by_file: HashMap<&Path, PageId> = site
            .pages
            .iter()
            .filter_map(|p| Some((p.doc.as_ref()?.file.as_path(), p.id)))
            .collect();
        let mut pages: Vec<PageId> = Vec::new();
        for path in paths {
            let rel = path.strip_prefix(&root).unwrap_or(path);
            match by_file.get(rel) {
                Some(&id) => pages.push(id),
                None => return Ok(false),
            }
        }
        pages.sort_unstable();
        pages.dedup();
        let memory = MemorySite::default();
        let mut rendered: Vec<PageId> = Vec::new();
        for id in pages {
            // From here on a refusal leaves the model half-updated: mark it before trying.
            self.stale = true;
            match self.handbook.update_body(&self.theme, id, &memory)? {
                Some(changed) => rendered.extend(changed),
                None => return Ok(false),
            }
            self.stale = false;
        }
        // Pages rendered again rendered fine: their old failures are gone.
        let site = &self.handbook.site;
        let files: Vec<&Path> = (rendered.iter())
            .filter_map(|&id| Some(site.pages[id].doc.as_ref()?.file.as_path()))
            .collect();
        self.render_diagnostics
            .retain(|d| !files.contains(&d.file.as_path()));
        self.handbook
            .add_diagnostics(self.render_diagnostics.clone());
        for (k, v) in memory.into_files() {
            self.files.insert(k, Arc::from(v));
        }
        Ok(true)
    }

    /// Builds the search index again, whole: its files are packed by size, so one page's words
    /// can move every file after them. An in-place update leaves it to be called after the
    /// reload is sent: on a large handbook it takes longer than the pages.
    pub fn refresh_search(&mut self) {
        if !self.handbook.site.config.search {
            return;
        }
        self.files.retain(|k, _| !k.starts_with("search/"));
        for (k, v) in crate::search::index::build(&self.handbook.site).files {
            self.files.insert(k, Arc::from(v.into_bytes()));
        }
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.handbook.diagnostics
    }

    pub fn files(&self) -> &HashMap<String, Arc<[u8]>> {
        &self.files
    }

    /// The state to serve, numbered `build`.
    pub fn snapshot(&self, build: u64) -> Snapshot {
        Snapshot {
            build,
            files: self.files.clone(),
            errors: (self.diagnostics().iter())
                .filter(|d| d.is_error())
                .cloned()
                .collect(),
            failure: None,
        }
    }
}

/// What every request handler shares.
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    /// The open event streams; a closed one is dropped at the next build. Its lock also
    /// orders publishing against subscribing: a page gets every build after the one it saw.
    clients: Mutex<Vec<mpsc::Sender<Bytes>>>,
    /// How many event streams are open (counted down when a stream's body is dropped).
    streams: Arc<AtomicUsize>,
    /// The base path pages are served under (`/` when none is configured).
    base: String,
    /// Tells this server's builds from an earlier one's: a page left open across a restart
    /// reloads when it reconnects.
    instance: String,
    /// The address listened on: on loopback only requests naming this machine are answered
    /// (a web page that rebinds its own host name to 127.0.0.1 must not read the handbook).
    bound: IpAddr,
}

impl Shared {
    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Swaps in a new build, then tells every open page.
    fn publish(&self, snapshot: Snapshot) {
        let event = self.event(&snapshot);
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        clients.retain(|c| c.try_send(event.clone()).is_ok() || !c.is_closed());
    }

    /// Swaps in the search index of `files`, keeping everything else of the current build
    /// (its errors, a failure shown since), and tells no page: nothing they show changed.
    fn swap_search(&self, files: &HashMap<String, Arc<[u8]>>) {
        let _clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        let mut current = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
        let mut next = Snapshot {
            build: current.build,
            files: current.files.clone(),
            errors: current.errors.clone(),
            failure: current.failure.clone(),
        };
        next.files.retain(|k, _| !k.starts_with("search/"));
        next.files.extend(
            (files.iter())
                .filter(|(k, _)| k.starts_with("search/"))
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        *current = Arc::new(next);
    }

    /// A new event stream, which first gets the current state (so that a page that missed a
    /// build while reconnecting catches up), then every build; `None` when `MAX_STREAMS` are
    /// open already.
    fn subscribe(&self) -> Option<Events> {
        let taken = self
            .streams
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_STREAMS).then_some(n + 1)
            });
        if taken.is_err() {
            return None;
        }
        let (tx, rx) = mpsc::channel(16);
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        let _ = tx.try_send(self.event(&self.current()));
        // Streams closed since the last build go now: opening and closing streams between two
        // builds must not grow the list.
        clients.retain(|c| !c.is_closed());
        clients.push(tx);
        Some(Events {
            messages: rx,
            open: self.streams.clone(),
        })
    }

    /// The state a page needs: the server, the build number, the errors or failure to show.
    fn state_json(&self, s: &Snapshot) -> String {
        serde_json::json!({
            "instance": self.instance,
            "build": s.build,
            "errors": s.errors,
            "failure": s.failure,
        })
        .to_string()
    }

    fn event(&self, s: &Snapshot) -> Bytes {
        Bytes::from(format!("id: {}\ndata: {}\n\n", s.build, self.state_json(s)))
    }
}

/// Serves until Ctrl-C. `ready` is called with the site's URL once the server listens.
pub fn run(opts: ServeOptions, ready: impl FnOnce(&str)) -> Result<(), Error> {
    // Watching starts first: an edit saved during the first build is not lost.
    let watch = watch::Watch::begin(&opts.root)
        .map_err(|e| Error::Serve(format!("cannot watch the handbook: {e}")))?;
    let started = Instant::now();
    let session = Session::build(&opts.root, opts.as_of)?;
    print_build(session.diagnostics(), 1, started.elapsed(), false);
    let snapshot = session.snapshot(1);
    let config = crate::config::Config::load(&opts.root)?;
    let base = config.base_url.map_or("/".to_string(), |b| b.path);
    let instance = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(snapshot)),
        clients: Mutex::new(Vec::new()),
        streams: Arc::new(AtomicUsize::new(0)),
        base,
        instance: format!("{:x}-{}", instance, std::process::id()),
        bound: opts.bind,
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Serve(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let (listener, addr) = bind(opts.bind, opts.port).await?;
        if !opts.bind.is_loopback() {
            errln!(
                "warning: serving on {} reaches beyond this machine: anyone on the network can read the handbook, drafts included",
                opts.bind
            );
        }
        // Listening for Ctrl-C before the address is announced: `ctrl_c()` would install its
        // handler only when first polled, and a Ctrl-C (or a test's SIGINT) just after the
        // announcement would kill the process uncleanly.
        let mut stop = stop_signal()?;
        watch.run(session, shared.clone());
        let url = format!("http://{addr}{}", shared.base);
        // Unread output (a closed pipe) does not stop the server.
        let _ = outln!("Serving {} at {url} (Ctrl-C to stop)", opts.root.display());
        ready(&url);
        // Whether accepting failed for want of descriptors, said once until it works again.
        let mut short = false;
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let stream = match accepted {
                        Ok((stream, _)) => {
                            short = false;
                            stream
                        }
                        Err(e) => {
                            if !transient(&e) {
                                // Out of file descriptors (EMFILE, ENFILE) or memory: accept
                                // fails again at once until a connection closes, so wait
                                // instead of spinning; idle ones close within HEADER_TIMEOUT.
                                if !short {
                                    errln!(
                                        "warning: cannot accept connections ({e}); waiting for some to close"
                                    );
                                    short = true;
                                }
                                tokio::time::sleep(ACCEPT_BACKOFF).await;
                            }
                            continue;
                        }
                    };
                    tokio::spawn(serve_connection(stream, shared.clone()));
                }
                _ = &mut stop => {
                    let _ = outln!("Stopped.");
                    return Ok(());
                }
            }
        }
    })
}

/// Serves one connection. A connection that does not send a whole request header within
/// `HEADER_TIMEOUT` is closed, and so is one that stays idle that long between requests (hyper
/// times the reading of each header, the wait for it included); an event stream, a response
/// that is being written, is not read from and so stays open. A response the client does not
/// read for `WRITE_TIMEOUT` ends the connection.
async fn serve_connection(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    let io = hyper_util::rt::TokioIo::new(Unread {
        stream,
        since: None,
    });
    let service = hyper::service::service_fn(move |req| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(handle(&shared, &req)) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(io, service)
        .await;
}

/// A connection whose writes fail once the client has read nothing for `WRITE_TIMEOUT`.
struct Unread {
    stream: tokio::net::TcpStream,
    /// Running while a write waits for the client to read.
    since: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Unread {
    /// `result` of a write, unless it has waited too long.
    fn timed<T>(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>> {
        if result.is_ready() {
            self.since = None;
            return result;
        }
        let since = (self.since).get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_TIMEOUT)));
        match since.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::ErrorKind::TimedOut.into())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl tokio::io::AsyncRead for Unread {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Unread {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.timed(cx, result)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.timed(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let result = Pin::new(&mut self.stream).poll_flush(cx);
        self.timed(cx, result)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// An error of `accept` that concerns one connection only (it went before it was accepted):
/// the next one can be accepted at once.
fn transient(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted | WouldBlock
    )
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

/// Binds `port` on `ip`, or when it is busy the next free one of the ten after it (saying so).
async fn bind(ip: IpAddr, port: u16) -> Result<(tokio::net::TcpListener, SocketAddr), Error> {
    let tries: Vec<u16> = if port == 0 {
        vec![0]
    } else {
        (port..=port.saturating_add(10)).collect()
    };
    let mut first_error = None;
    for p in tries {
        match tokio::net::TcpListener::bind((ip, p)).await {
            Ok(l) => {
                let addr = l
                    .local_addr()
                    .map_err(|e| Error::Serve(format!("cannot serve: {e}")))?;
                if p != port && port != 0 {
                    errln!("port {port} is busy; serving on {} instead", addr.port());
                }
                return Ok((l, addr));
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let e = first_error.map_or_else(|| "no port to try".to_string(), |e| e.to_string());
    Err(Error::Serve(format!(
        "cannot listen on {ip} port {port} or the ten after it: {e}"
    )))
}

type ResponseBody = BoxBody<Bytes, Infallible>;

fn full(bytes: impl Into<Bytes>) -> ResponseBody {
    Full::new(bytes.into()).boxed()
}

fn response(status: StatusCode, content_type: &str, body: ResponseBody) -> Response<ResponseBody> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    // A preview must never show a stale page.
    r.headers_mut().insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-store"),
    );
    r
}

fn handle(shared: &Shared, req: &Request<Incoming>) -> Response<ResponseBody> {
    let hosts: Vec<&[u8]> = (req.headers().get_all(hyper::header::HOST).iter())
        .map(|h| h.as_bytes())
        .collect();
    // A request target in absolute form (`GET http://host/ HTTP/1.1`) names a host too: both
    // must pass.
    let target = req.uri().authority().map(|a| a.as_str().as_bytes());
    let mut verdict = routes::check_host(&hosts, shared.bound);
    if let (routes::Host::Allowed, Some(target)) = (verdict, target) {
        verdict = routes::check_host(&[target], shared.bound);
    }
    match verdict {
        routes::Host::Allowed => {}
        routes::Host::Malformed => {
            return response(
                StatusCode::BAD_REQUEST,
                "text/plain; charset=utf-8",
                full("a request needs one Host header naming a host\n"),
            )
        }
        routes::Host::Foreign => {
            return response(
                StatusCode::FORBIDDEN,
                "text/plain; charset=utf-8",
                full("this preview answers requests for localhost only\n"),
            )
        }
    }
    let snapshot = shared.current();
    let path = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let head = req.method() == hyper::Method::HEAD;
    let mut r = match routes::route(&snapshot, req.method().as_str(), &path, &shared.base) {
        Answer::File {
            body, content_type, ..
        } => {
            let body = if content_type.starts_with("text/html") {
                routes::inject(body, snapshot.build, &shared.instance)
            } else {
                body.to_vec()
            };
            response(StatusCode::OK, content_type, full(body))
        }
        Answer::NotFound { body } => response(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            full(routes::inject(&body, snapshot.build, &shared.instance)),
        ),
        Answer::Redirect(to) => {
            let mut r = response(StatusCode::MOVED_PERMANENTLY, "text/plain", full(""));
            if let Ok(v) = to.parse() {
                r.headers_mut().insert(hyper::header::LOCATION, v);
            }
            r
        }
        Answer::Refused => response(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            full("not a path inside the site\n"),
        ),
        Answer::MethodNotAllowed => response(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            full("only GET and HEAD\n"),
        ),
        Answer::Live("live.js") => response(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            full(LIVE_JS),
        ),
        Answer::Live("build") => response(
            StatusCode::OK,
            "application/json",
            full(shared.state_json(&snapshot)),
        ),
        Answer::Live("events") => match shared.subscribe() {
            Some(events) => response(StatusCode::OK, "text/event-stream", BoxBody::new(events)),
            None => response(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain; charset=utf-8",
                full("too many pages are open on this preview\n"),
            ),
        },
        Answer::Live(_) => response(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            full("no such endpoint\n"),
        ),
    };
    if head {
        *r.body_mut() = full("");
    }
    r
}

/// A server-sent event stream: one message per build. Counted among the open streams until
/// dropped (its connection closed).
struct Events {
    messages: mpsc::Receiver<Bytes>,
    open: Arc<AtomicUsize>,
}

impl Drop for Events {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Body for Events {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        (self.messages.poll_recv(cx)).map(|m| m.map(|b| Ok(Frame::data(b))))
    }
}

/// Prints a build's errors and a one-line summary to the terminal.
fn print_build(diags: &[Diagnostic], number: u64, took: Duration, in_place: bool) {
    // Warnings are for `check`; while writing, the errors matter.
    for d in diags.iter().filter(|d| d.is_error()) {
        errln!("{d}");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let _ = outln!(
        "Build {number}{} in {} ms ({errors} errors, {} warnings)",
        if in_place { " (in place)" } else { "" },
        took.as_millis(),
        diags.len() - errors
    );
}
