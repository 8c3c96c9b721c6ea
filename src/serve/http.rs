//! The HTTP side of `serve`: the accept loop, one connection at a time with its timeouts,
//! the answers to requests (files, redirects, refusals, the live-reload endpoints) and the
//! server-sent event streams.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use tokio::sync::mpsc;

use super::routes::{self, Answer, Snapshot};
use crate::packed::Packed;
use crate::{errln, outln, Error};

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

/// What every request handler shares.
pub(super) struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    /// The open event streams; a closed one is dropped at the next build. Its lock also
    /// orders publishing against subscribing: a page gets every build after the one it saw.
    clients: Mutex<Vec<Client>>,
    /// How many event streams are open (counted down when a stream's body is dropped).
    streams: Arc<AtomicUsize>,
    /// The base path pages are served under (`/` when none is configured).
    pub(super) base: String,
    /// Tells this server's builds from an earlier one's: a page left open across a restart
    /// reloads when it reconnects.
    instance: String,
    /// The address listened on: on loopback only requests naming this machine are answered
    /// (a web page that rebinds its own host name to 127.0.0.1 must not read the handbook).
    bound: IpAddr,
}

/// An open event stream, and the page it was opened on (`None`: it asked for every error).
struct Client {
    page: Option<String>,
    tx: mpsc::Sender<Bytes>,
}

impl Shared {
    pub(super) fn new(snapshot: Snapshot, base: String, bound: IpAddr) -> Shared {
        let instance = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
            clients: Mutex::new(Vec::new()),
            streams: Arc::new(AtomicUsize::new(0)),
            base,
            instance: format!("{:x}-{}", instance, std::process::id()),
            bound,
        }
    }

    pub(super) fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Swaps in a new build, then tells every open page (each the state of its own page,
    /// made once for all the streams open on it).
    pub(super) fn publish(&self, snapshot: Snapshot) {
        let mut events: HashMap<Option<String>, Bytes> = HashMap::new();
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        for c in clients.iter() {
            (events.entry(c.page.clone()))
                .or_insert_with(|| self.event(&snapshot, c.page.as_deref()));
        }
        let last = std::mem::replace(
            &mut *self.snapshot.write().unwrap_or_else(|e| e.into_inner()),
            Arc::new(snapshot),
        );
        clients.retain(|c| c.tx.try_send(events[&c.page].clone()).is_ok() || !c.tx.is_closed());
        drop(clients);
        // The last build's files and errors are freed away from the reload.
        std::thread::spawn(move || {
            drop(last);
            super::session::hand_back_freed_memory();
        });
    }

    /// Swaps in the search index of `files`, keeping everything else of the current build
    /// (its errors, a failure shown since), and tells no page: nothing they show changed.
    pub(super) fn swap_search(&self, files: &HashMap<String, Packed>) {
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
    fn subscribe(&self, page: Option<String>) -> Option<Events> {
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
        let _ = tx.try_send(self.event(&self.current(), page.as_deref()));
        // Streams closed since the last build go now: opening and closing streams between two
        // builds must not grow the list.
        clients.retain(|c| !c.tx.is_closed());
        clients.push(Client { page, tx });
        Some(Events {
            messages: rx,
            open: self.streams.clone(),
        })
    }

    /// The state a page needs: the server, the build number, the failure, and the errors to
    /// show on `page` (its own and those of no page: handbook.yaml, team data, the theme)
    /// with a count of the others; every error when no page is named. A large handbook may
    /// have thousands of errors, which each page of it does not need at each save.
    fn state_json(&self, s: &Snapshot, page: Option<&str>) -> String {
        // Written straight from the values, not through a JSON tree.
        #[derive(serde::Serialize)]
        struct State<'a> {
            build: u64,
            errors: Vec<&'a routes::Problem>,
            /// Errors on other pages than the one asked about.
            elsewhere: usize,
            failure: &'a Option<String>,
            instance: &'a str,
        }
        let errors: Vec<&routes::Problem> = match page {
            None => s.errors.iter().collect(),
            Some(page) => (s.errors.iter())
                .filter(|p| p.page.as_deref().is_none_or(|own| own == page))
                .collect(),
        };
        let state = State {
            build: s.build,
            elsewhere: s.errors.len() - errors.len(),
            errors,
            failure: &s.failure,
            instance: &self.instance,
        };
        serde_json::to_string(&state).unwrap_or_default()
    }

    fn event(&self, s: &Snapshot, page: Option<&str>) -> Bytes {
        Bytes::from(format!(
            "id: {}\ndata: {}\n\n",
            s.build,
            self.state_json(s, page)
        ))
    }
}

/// Accepts connections until `stop` resolves, each served on its own task.
pub(super) async fn accept(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: Pin<Box<dyn Future<Output = ()>>>,
) -> Result<(), Error> {
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

/// Binds `port` on `ip`, or when it is busy the next free one of the ten after it (saying so).
pub(super) async fn bind(
    ip: IpAddr,
    port: u16,
) -> Result<(tokio::net::TcpListener, SocketAddr), Error> {
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
            path,
            body,
            content_type,
        } => {
            let body = if content_type.starts_with("text/html") {
                routes::inject(&body, snapshot.build, &shared.instance, Some(path))
            } else {
                body.into_owned()
            };
            response(StatusCode::OK, content_type, full(body))
        }
        Answer::NotFound { body, asked } => response(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            full(routes::inject(
                &body,
                snapshot.build,
                &shared.instance,
                asked.as_deref(),
            )),
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
            full(shared.state_json(&snapshot, routes::page_param(&path).as_deref())),
        ),
        Answer::Live("problems") => response(
            StatusCode::OK,
            "text/html; charset=utf-8",
            full(routes::problems_page(&snapshot, &shared.base)),
        ),
        Answer::Live("events") => match shared.subscribe(routes::page_param(&path)) {
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
