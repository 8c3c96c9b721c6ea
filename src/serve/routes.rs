//! What `serve` answers for a request, decided without any I/O: whether its `Host` may be
//! answered, then for its path the site held in memory, the reload endpoints, and refusals for
//! anything that is not a plain path inside the site.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::IpAddr;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::packed::Packed;

/// Where the reload script and endpoints live: outside any site path a handbook can make
/// (folder names starting with `_` are allowed, but not this prefix at the server's root).
pub const PREFIX: &str = "/__handbook/";

/// One complete build, swapped in whole: requests see either the previous build or this one.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Counts builds from 1; the reload script compares it with the page's.
    pub build: u64,
    /// Shared with the session and the next snapshot: an edit replaces a few, not all.
    pub files: HashMap<String, Packed>,
    /// The errors of this build, for the browser overlay.
    pub errors: Vec<Problem>,
    /// Set when the build could not run at all (the files are then the last good build's).
    pub failure: Option<String>,
}

/// An error as the overlay shows it: a page shows those of its own source file, and those of
/// no page (handbook.yaml, team data, the theme), which can concern any page.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// The site path of the page built from the file (`sops/patching/`), when one is.
    pub page: Option<String>,
}

/// An answer, before it becomes an HTTP response.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer<'a> {
    /// A file of the site (HTML gets the reload script added).
    File {
        /// Its site path (`sops/patching/index.html`).
        path: &'a str,
        body: Cow<'a, [u8]>,
        content_type: &'static str,
    },
    /// The site's 404 page (or a plain one), with status 404, and the site path asked for
    /// (`sops/patching/index.html`) when it is inside the site: its errors are the page's (a
    /// document may have no page because of them).
    NotFound {
        body: Vec<u8>,
        asked: Option<String>,
    },
    /// `Location` for a folder URL without its slash.
    Redirect(String),
    /// 400: a path that tries to leave the site.
    Refused,
    /// 405: only GET and HEAD.
    MethodNotAllowed,
    /// `/__handbook/live.js`, `/__handbook/build`, `/__handbook/events`.
    Live(&'a str),
}

/// Routes a request for `raw_path` (as sent, percent-encoded, query included) under
/// `base` (the configured base path, `/` when none).
pub fn route<'a>(
    snapshot: &'a Snapshot,
    method: &str,
    raw_path: &'a str,
    base: &str,
) -> Answer<'a> {
    if method != "GET" && method != "HEAD" {
        return Answer::MethodNotAllowed;
    }
    let path = raw_path.split(['?', '#']).next().unwrap_or("");
    // Refusals first, for every path: the reload endpoints' prefix gets no spelling of its own.
    let Some(rel) = site_path(path, base) else {
        return Answer::Refused;
    };
    if let Some(rest) = path.strip_prefix(PREFIX) {
        return Answer::Live(rest);
    }
    let Some(rel) = rel else {
        return not_found(snapshot, None);
    };
    if rel.is_empty() && !path.ends_with('/') {
        return Answer::Redirect(format!("{path}/"));
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    if let Some((path, held)) = snapshot.files.get_key_value(&key) {
        return Answer::File {
            path,
            body: held.bytes(),
            content_type: content_type(path),
        };
    }
    // A folder asked for without its slash: the pages' relative links need it.
    if snapshot.files.contains_key(&format!("{rel}/index.html")) {
        return Answer::Redirect(format!("{path}/"));
    }
    // A folder's page, as its errors name it (`sops/patching/`).
    let extension = rel
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'));
    let asked = if key.ends_with("index.html") || extension {
        key
    } else {
        format!("{key}/index.html")
    };
    not_found(snapshot, Some(asked))
}

fn not_found(snapshot: &Snapshot, asked: Option<String>) -> Answer<'_> {
    let body = match snapshot.files.get("404.html") {
        Some(b) => b.bytes().into_owned(),
        None => b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>".to_vec(),
    };
    Answer::NotFound { body, asked }
}

/// The `page` a reload endpoint is asked about (`/__handbook/events?page=sops/patching/`),
/// decoded: the page whose errors its state lists. `None` when the request names none (then
/// every error is listed); the 404 page, built from no document, asks about `404.html`.
pub fn page_param(raw_path: &str) -> Option<String> {
    let query = raw_path.split('#').next()?.split_once('?')?.1;
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))?;
    let value = value.replace('+', " ");
    Some(
        percent_encoding::percent_decode_str(&value)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// The site path of a request path: `None` (refused) for anything that could leave the site
/// (`..` in any spelling, backslashes, NUL, an empty segment or an absolute path after decoding),
/// whatever the base path; `Some(None)` for
/// a path outside the base path; else the decoded path relative to the site, without a
/// leading slash.
pub fn site_path(path: &str, base: &str) -> Option<Option<String>> {
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .into_owned();
    if decoded.contains(['\\', '\0']) || decoded.contains("//") {
        return None;
    }
    let mut segments = decoded.split('/').skip(1);
    if segments.any(|s| s == ".." || s == ".") {
        return None;
    }
    let Some(rel) = decoded.strip_prefix(base).or_else(|| {
        // The base itself without its trailing slash.
        (decoded.len() + 1 == base.len() && base.starts_with(&decoded)).then_some("")
    }) else {
        return Some(None);
    };
    if rel.starts_with('/') {
        return None;
    }
    Some(Some(rel.to_string()))
}

/// What the `Host` of a request allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// Answer it.
    Allowed,
    /// 400: no `Host`, more than one, or one that is not a host name with an optional port.
    Malformed,
    /// 403: a well-formed name of another machine, on a server bound to loopback (a web page
    /// that rebinds its own name to 127.0.0.1 must not read the handbook).
    Foreign,
}

/// Checks the `Host` values of a request (as sent, every one of them; HTTP/1.1 requires exactly
/// one). Fails closed: anything but a plain `name`, `IPv4` or `[IPv6]` with an optional numeric
/// port is malformed. On loopback only `localhost`, `127.0.0.1`, `[::1]` and the address the
/// server is bound to (`bound`, for `--bind 127.0.0.2`) are answered; off loopback any
/// well-formed name is.
pub fn check_host(values: &[&[u8]], bound: IpAddr) -> Host {
    let [value] = values else {
        return Host::Malformed;
    };
    let Some(name) = host_name(value) else {
        return Host::Malformed;
    };
    if !bound.is_loopback() {
        return Host::Allowed;
    }
    let ip = match name {
        HostName::Ip(ip) => ip,
        HostName::Name(n) => {
            return if n.eq_ignore_ascii_case("localhost") {
                Host::Allowed
            } else {
                Host::Foreign
            }
        }
    };
    let loopback: [IpAddr; 2] = [[127, 0, 0, 1].into(), std::net::Ipv6Addr::LOCALHOST.into()];
    if loopback.contains(&ip) || ip == bound {
        Host::Allowed
    } else {
        Host::Foreign
    }
}

/// A `Host` value's host, parsed.
enum HostName<'a> {
    Ip(IpAddr),
    /// A registered name: ASCII letters, digits, `-` and `.` only.
    Name(&'a str),
}

/// The host of a `Host` value (`host[:port]`, the port up to five digits), or `None` when it
/// is anything else: empty, not ASCII, an IPv6 address without brackets or with something
/// other than a port after them, a user part, a path.
fn host_name(value: &[u8]) -> Option<HostName<'_>> {
    let value = std::str::from_utf8(value).ok()?;
    let (host, port) = if let Some(v6) = value.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (HostName::Ip(IpAddr::V6(inside.parse().ok()?)), port)
    } else {
        let (host, port) = match value.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (value, None),
        };
        let plain = !host.is_empty()
            && (host.bytes()).all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if !plain {
            return None;
        }
        match host.parse::<std::net::Ipv4Addr>() {
            Ok(ip) => (HostName::Ip(ip.into()), port),
            Err(_) => (HostName::Name(host), port),
        }
    };
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    port_ok.then_some(host)
}

/// The content type of a site file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// `/__handbook/problems`: every error of the build, each linked to its page when it has one;
/// where the overlay's "N more elsewhere" leads.
pub fn problems_page(s: &Snapshot, base: &str) -> String {
    use crate::markdown::escape_attribute as esc;
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>Problems of the preview</title>\n\
         <style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}\
         code{font-size:0.9em}li{margin:0.4rem 0}</style>\n",
    );
    let n = s.errors.len();
    out.push_str(&format!(
        "<h1>{n} error{} in build {}</h1>\n",
        if n == 1 { "" } else { "s" },
        s.build
    ));
    if let Some(failure) = &s.failure {
        out.push_str("<p>The build failed: ");
        esc(&mut out, failure);
        out.push_str("</p>\n");
    }
    out.push_str("<ul>\n");
    for p in &s.errors {
        let d = &p.diagnostic;
        out.push_str("<li><code>");
        esc(&mut out, &crate::diagnostic::display_path(&d.file));
        if d.line > 0 {
            out.push_str(&format!(":{}:{}", d.line, d.column));
        }
        out.push_str("</code> ");
        esc(&mut out, &d.rule.to_string());
        out.push_str(": ");
        esc(&mut out, &d.message);
        if let Some(page) = &p.page {
            out.push_str(" <a href=\"");
            esc(&mut out, base);
            esc(&mut out, page);
            out.push_str("\">the page</a>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
    out
}

/// The reload script's tag, added to every HTML page served (never to built files), before
/// the last `</body>`; the bytes around it are kept as they are, whatever their encoding.
/// `file` is the page's site path (`sops/patching/index.html`; none for the 404 page): the
/// overlay shows the errors of that page's source.
pub fn inject(html: &[u8], build: u64, instance: &str, file: Option<&str>) -> Vec<u8> {
    let mut tag = format!(
        "<script src=\"{PREFIX}live.js\" data-handbook-build=\"{build}\" data-handbook-instance=\"{instance}\""
    );
    if let Some(file) = file {
        tag.push_str(" data-handbook-page=\"");
        let page = file.strip_suffix("index.html").unwrap_or(file);
        crate::markdown::escape_attribute(&mut tag, page);
        tag.push('"');
    }
    tag.push_str(" defer></script>\n");
    let at = html
        .windows(b"</body>".len())
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_a_reload_endpoint_is_asked_about() {
        assert_eq!(page_param("/__handbook/events"), None);
        assert_eq!(page_param("/__handbook/events?x=1"), None);
        assert_eq!(page_param("/__handbook/events?page="), Some(String::new()));
        assert_eq!(
            page_param("/__handbook/build?x=1&page=sops/caf%C3%A9+menu/#top"),
            Some("sops/café menu/".to_string())
        );
    }

    fn snapshot() -> Snapshot {
        let mut files = HashMap::new();
        files.insert("index.html".to_string(), Packed::new(b"home".to_vec()));
        files.insert("sops/a/index.html".to_string(), Packed::new(b"a".to_vec()));
        files.insert("assets/style.css".to_string(), Packed::new(b"css".to_vec()));
        files.insert("404.html".to_string(), Packed::new(b"nope".to_vec()));
        Snapshot {
            build: 1,
            files,
            ..Snapshot::default()
        }
    }

    #[test]
    fn serves_files_folders_and_the_404_page() {
        let s = snapshot();
        let file = |p| match route(&s, "GET", p, "/") {
            Answer::File {
                body, content_type, ..
            } => Some((body.to_vec(), content_type)),
            _ => None,
        };
        assert_eq!(
            file("/"),
            Some((b"home".to_vec(), "text/html; charset=utf-8"))
        );
        assert_eq!(
            file("/sops/a/"),
            Some((b"a".to_vec(), "text/html; charset=utf-8"))
        );
        assert_eq!(
            file("/sops/a/index.html?x=1"),
            Some((b"a".to_vec(), "text/html; charset=utf-8"))
        );
        assert_eq!(
            file("/assets/style.css").unwrap().1,
            "text/css; charset=utf-8"
        );
        assert_eq!(
            route(&s, "GET", "/sops/a", "/"),
            Answer::Redirect("/sops/a/".into())
        );
        assert_eq!(
            route(&s, "GET", "/sops/", "/"),
            Answer::NotFound {
                body: b"nope".to_vec(),
                asked: Some("sops/index.html".into())
            }
        );
        assert_eq!(route(&s, "POST", "/", "/"), Answer::MethodNotAllowed);
        assert_eq!(
            route(&s, "GET", "/__handbook/live.js", "/"),
            Answer::Live("live.js")
        );
    }

    #[test]
    fn refuses_paths_that_leave_the_site() {
        let s = snapshot();
        for p in [
            "/../etc/passwd",
            "/sops/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/sops/%2e%2e/%2e%2e/x",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/%00",
            "//etc/passwd",
            "/%2Fetc/passwd",
            "/./index.html",
            "relative",
        ] {
            assert_eq!(route(&s, "GET", p, "/"), Answer::Refused, "{p}");
        }
    }

    #[test]
    fn the_reload_prefix_has_no_traversal_of_its_own() {
        let s = snapshot();
        for p in [
            "/__handbook/../x",
            "/__handbook/..",
            "/__handbook/%2e%2e/index.html",
            "/__handbook/./live.js",
            "/__handbook/..%2Fx",
            "/__handbook/a\\b",
            "/__handbook//live.js",
        ] {
            assert_eq!(route(&s, "GET", p, "/"), Answer::Refused, "{p}");
            assert_eq!(route(&s, "GET", p, "/docs/"), Answer::Refused, "{p}");
        }
        assert_eq!(
            route(&s, "GET", "/__handbook/events?x=1", "/docs/"),
            Answer::Live("events")
        );
    }

    #[test]
    fn hosts_are_checked_closed() {
        let lo: IpAddr = [127, 0, 0, 1].into();
        let check = |h: &str| check_host(&[h.as_bytes()], lo);
        for h in [
            "localhost",
            "LocalHost:4000",
            "127.0.0.1",
            "127.0.0.1:65535",
            "[::1]",
            "[::1]:4000",
        ] {
            assert_eq!(check(h), Host::Allowed, "{h}");
        }
        for h in [
            "evil.example",
            "evil.example:4000",
            "localhost.evil.example",
            "10.0.0.1:4000",
            "[::2]:4000",
            "127.0.0.2",
        ] {
            assert_eq!(check(h), Host::Foreign, "{h}");
        }
        for h in [
            "",
            ":4000",
            "localhost:",
            "localhost:4000:1",
            "localhost:40000000",
            "localhost:x",
            "[::1]anything",
            "[::1]:",
            "[::1]:4000x",
            "[::1",
            "[localhost]",
            "::1",
            "user@localhost",
            "localhost/x",
            "local host",
            "l\u{f6}calhost",
        ] {
            assert_eq!(check(h), Host::Malformed, "{h:?}");
        }
        assert_eq!(check_host(&[b"localhost\xff"], lo), Host::Malformed);
        assert_eq!(check_host(&[], lo), Host::Malformed);
        assert_eq!(
            check_host(&[b"localhost", b"localhost"], lo),
            Host::Malformed
        );
        // The address bound to is itself a name of this server.
        let other: IpAddr = [127, 0, 0, 2].into();
        assert_eq!(check_host(&[b"127.0.0.2:4000"], other), Host::Allowed);
        // Off loopback any well-formed name, and still nothing malformed.
        let any: IpAddr = [0, 0, 0, 0].into();
        assert_eq!(check_host(&[b"intranet.example:80"], any), Host::Allowed);
        assert_eq!(check_host(&[b"[::1]x"], any), Host::Malformed);
        assert_eq!(check_host(&[], any), Host::Malformed);
    }

    #[test]
    fn honours_the_base_path() {
        let s = snapshot();
        assert!(matches!(
            route(&s, "GET", "/docs/sops/a/", "/docs/"),
            Answer::File { .. }
        ));
        assert!(matches!(
            route(&s, "GET", "/docs/", "/docs/"),
            Answer::File { .. }
        ));
        assert_eq!(
            route(&s, "GET", "/docs", "/docs/"),
            Answer::Redirect("/docs/".into())
        );
        assert!(matches!(
            route(&s, "GET", "/sops/a/", "/docs/"),
            Answer::NotFound { .. }
        ));
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let out = inject(b"<html><body>\xe9</body></html>", 7, "i1", None);
        assert_eq!(
            out,
            b"<html><body>\xe9<script src=\"/__handbook/live.js\" data-handbook-build=\"7\" data-handbook-instance=\"i1\" defer></script>\n</body></html>"
        );
        let out = inject(b"<body></body>", 7, "i1", Some("sops/a&b/index.html"));
        assert_eq!(
            out,
            b"<body><script src=\"/__handbook/live.js\" data-handbook-build=\"7\" data-handbook-instance=\"i1\" data-handbook-page=\"sops/a&amp;b/\" defer></script>\n</body>"
        );
    }
}
