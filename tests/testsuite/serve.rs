//! `handbook serve`: the real binary on an ephemeral port, requested over TCP. Pages, assets,
//! the 404 page, refused paths, and the reload stream across plain and atomic saves and a
//! broken then fixed front matter.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{search_data, Browser, HandbookTest, AS_OF};

/// A running `handbook serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(t: &HandbookTest) -> Server {
        Server::start_with(t, &["--port", "0"]).0
    }

    /// Starts `serve` with `args`; returns it and what it wrote to stderr by the time it
    /// listens (a thread keeps draining both streams).
    fn start_with(t: &HandbookTest, args: &[&str]) -> (Server, std::sync::mpsc::Receiver<String>) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_handbook"));
        command.arg("serve").args(args).args(["--as-of", AS_OF]);
        Server::spawn(t, command)
    }

    /// Runs `command` (which must end up as `handbook serve`, in the same process: `exec`) in
    /// the handbook's root; as [`Server::start_with`].
    fn spawn(
        t: &HandbookTest,
        mut command: Command,
    ) -> (Server, std::sync::mpsc::Receiver<String>) {
        let mut child = command
            .current_dir(&t.root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("serve exited").unwrap();
            if let Some(at) = line.find("http://") {
                let rest = &line[at + "http://".len()..];
                break rest[..rest.find('/').unwrap()].to_string();
            }
        };
        // Keep reading (and dropping) the output so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        (Server { child, addr }, rx)
    }

    /// Starts `serve` with its standard output and error written to `log` (a file the test
    /// makes, possibly inside the handbook), as `handbook serve > serve.log 2>&1` does.
    fn start_logged(t: &HandbookTest, log: &Path) -> Server {
        let file = std::fs::File::create(log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(["serve", "--port", "0", "--as-of", AS_OF])
            .current_dir(&t.root)
            .stdout(Stdio::from(file.try_clone().unwrap()))
            .stderr(Stdio::from(file))
            .spawn()
            .unwrap();
        let mut addr = String::new();
        eventually("serve announces its address in its log", || {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            let Some(at) = text.find("http://") else {
                return false;
            };
            let rest = &text[at + "http://".len()..];
            match rest.find('/') {
                Some(end) => {
                    addr = rest[..end].to_string();
                    true
                }
                None => false,
            }
        });
        Server { child, addr }
    }

    /// `(status, headers, body)` of a request.
    fn request(&self, method: &str, path: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head, raw[split + 4..].to_vec())
    }

    /// The status of a response to `bytes`, written as they are (the test controls every
    /// header); 0 when the server closes the connection without answering.
    fn raw_status(&self, bytes: &[u8]) -> u16 {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s.write_all(bytes).unwrap();
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let head = String::from_utf8_lossy(&raw);
        head.split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        let (status, head, body) = self.request("GET", path);
        (status, head, String::from_utf8_lossy(&body).into_owned())
    }

    /// Subscribes to the reload stream.
    fn events(&self) -> Events {
        self.events_at("/__handbook/events")
    }

    /// Subscribes to the reload stream at `path` (with a query: `?page=sops/x/`).
    fn events_at(&self, path: &str) -> Events {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr).unwrap();
        Events {
            stream: s,
            seen: String::new(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// The `data:` lines received within `wait`, consumed.
    fn take(&mut self, wait: Duration) -> Vec<serde_json::Value> {
        let until = Instant::now() + wait;
        let mut buf = [0u8; 4096];
        while Instant::now() < until {
            match self.stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {}
            }
        }
        let mut out = Vec::new();
        let seen = std::mem::take(&mut self.seen);
        for line in seen.lines() {
            if let Some(data) = line.strip_prefix("data: ") {
                out.push(serde_json::from_str(data).unwrap());
            }
        }
        out
    }

    /// Waits (up to 10 s) for the next event and then 300 ms more, returning all received.
    fn next(&mut self) -> Vec<serde_json::Value> {
        let start = Instant::now();
        let mut got = Vec::new();
        while got.is_empty() && start.elapsed() < Duration::from_secs(10) {
            got = self.take(Duration::from_millis(100));
        }
        got.extend(self.take(Duration::from_millis(300)));
        got
    }
}

/// Polls `check` every 50 ms until it holds; fails after 30 s (generous: the machine may be
/// busy with other builds).
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < Duration::from_secs(30), "never: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Copies a folder, as a checkout of another branch would lay it out.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Replaces `from` by `to` in a file.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn serves_pages_assets_and_the_404_page() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let (status, head, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("<h1>Fixture Handbook</h1>") || body.contains("Fixture Handbook"));
    // The reload script is added by the server only.
    assert!(body.contains(
        r#"<script src="/__handbook/live.js" data-handbook-build="1" data-handbook-instance=""#
    ));
    let (status, head, _) = server.get("/assets/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"), "{head}");
    let (status, _, body) = server.get("/sops/code-review/");
    assert_eq!(status, 200);
    assert!(body.contains("Code Review"));
    let (status, head, _) = server.get("/sops/code-review");
    assert_eq!(status, 301);
    assert!(head.contains("location: /sops/code-review/"), "{head}");
    // Drafts are built by serve, with their banner.
    let (status, _, body) = server.get("/sops/draft-procedure/");
    assert_eq!(status, 200);
    assert!(body.contains("doc-banner-draft"), "{body}");
    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "{body}");
    // The reload script asks about the page that is missing: errors may be why.
    for asked in ["/no/such/page/", "/no/such/page"] {
        let body = server.get(asked).2;
        assert!(
            body.contains(r#"data-handbook-page="no/such/page/""#),
            "{body}"
        );
    }
    let (status, _, body) = server.request("HEAD", "/");
    assert_eq!((status, body.len()), (200, 0));
    assert_eq!(server.request("POST", "/").0, 405);
    let (status, _, js) = server.get("/__handbook/live.js");
    assert_eq!(status, 200);
    assert!(js.contains("EventSource"));
}

#[test]
fn paths_out_of_the_site_are_refused() {
    let t = HandbookTest::from_fixture("basic");
    std::fs::write(t.outside().join("secret.txt"), "top secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        t.outside().join("secret.txt"),
        t.root.join("content/leak.txt"),
    )
    .unwrap();
    let server = Server::start(&t);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/sops/..%5c..%5csecret.txt",
        "//etc/passwd",
        "/%2Fetc/passwd",
        // The reload endpoints' prefix is no way around it.
        "/__handbook/../secret.txt",
        "/__handbook/%2e%2e/%2e%2e/secret.txt",
        "/__handbook/..%2f..%2fsecret.txt",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 400, "{path}");
        assert!(
            !body.contains("top secret") && !body.contains("root:"),
            "{path}"
        );
    }
    // The symlink out of the root is not part of the site.
    let (status, _, body) = server.get("/leak.txt");
    assert_eq!(status, 404);
    assert!(!body.contains("top secret"));
}

#[test]
fn each_save_sends_one_reload_after_the_build() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let mut events = server.events();
    // On connecting: the current build, so a page that missed one catches up.
    let first = events.next();
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0]["build"], 1);

    let page = t.root.join("content/sops/code-review.md");
    let original = std::fs::read_to_string(&page).unwrap();
    // A plain write.
    std::fs::write(
        &page,
        original.replace("Catch defects", "Catch every defect"),
    )
    .unwrap();
    let got = events.next();
    assert_eq!(got.len(), 1, "one reload per save: {got:?}");
    assert_eq!(got[0]["build"], 2);
    assert!(server
        .get("/sops/code-review/")
        .2
        .contains("Catch every defect"));

    // An atomic save: write a temporary file, rename it over the page.
    let tmp = t.root.join("content/sops/.code-review.md.tmp");
    std::fs::write(&tmp, original.replace("Catch defects", "Catch all defects")).unwrap();
    std::fs::rename(&tmp, &page).unwrap();
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["build"], 3);
    assert!(server
        .get("/sops/code-review/")
        .2
        .contains("Catch all defects"));

    // A broken front matter: the errors come with the build, for the overlay.
    let mut own = server.events_at("/__handbook/events?page=sops/code-review/");
    let mut other = server.events_at("/__handbook/events?page=sops/security-patching/");
    own.next();
    other.next();
    std::fs::write(&page, "---\ntitle: [unclosed\n---\nBody.\n").unwrap();
    // A page's stream carries its own errors (and those of no page); another page's, only
    // how many the others have.
    let (own, other) = (own.next(), other.next());
    let pages = |state: &serde_json::Value| -> Vec<serde_json::Value> {
        (state["errors"].as_array().unwrap().iter())
            .map(|e| e["page"].clone())
            .collect()
    };
    assert!(
        own[0]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["rule"] == "front-matter-invalid"),
        "{own:?}"
    );
    assert!(
        (pages(&own[0]).iter()).all(|p| p.is_null() || p == "sops/code-review/"),
        "{own:?}"
    );
    assert!(
        (pages(&other[0]).iter()).all(|p| p.is_null() || p == "sops/security-patching/"),
        "{other:?}"
    );
    let everything =
        own[0]["errors"].as_array().unwrap().len() + own[0]["elsewhere"].as_u64().unwrap() as usize;
    assert!(other[0]["elsewhere"].as_u64().unwrap() >= 1, "{other:?}");
    assert_eq!(
        other[0]["errors"].as_array().unwrap().len()
            + other[0]["elsewhere"].as_u64().unwrap() as usize,
        everything,
        "{other:?}"
    );
    let (_, _, state) = server.get("/__handbook/build?page=sops/security-patching/");
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["elsewhere"], other[0]["elsewhere"], "{state}");
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    let errors = got[0]["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["rule"] == "front-matter-invalid"
            && e["file"] == "content/sops/code-review.md"
            && e["line"] == 2
            && e["column"] == 8
            && e["page"] == "sops/code-review/"),
        "{errors:?}"
    );
    // The list the overlay links to.
    let (status, _, list) = server.get("/__handbook/problems");
    assert_eq!(status, 200);
    assert!(
        list.contains("<code>content/sops/code-review.md:2:8</code> front-matter-invalid: ")
            && list.contains(r#"<a href="/sops/code-review/">the page</a>"#),
        "{list}"
    );
    // Fixed: the overlay's errors are gone.
    std::fs::write(&page, &original).unwrap();
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["errors"].as_array().unwrap().len(), 0, "{got:?}");
    // The polling fallback reports the same build.
    let (_, _, state) = server.get("/__handbook/build");
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["build"], got[0]["build"]);
}

#[test]
fn the_search_index_follows_an_edit_after_the_reload() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let mut events = server.events();
    assert_eq!(events.next().len(), 1);
    let words = || search_data(&server.get("/search/words.js").2);
    assert!(words().contains("\"review\""), "{}", words());
    assert!(!words().contains("zanzibarquux"));

    let page = t.root.join("content/sops/code-review.md");
    let original = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        original.replace("Catch defects", "Catch zanzibarquux defects"),
    )
    .unwrap();
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    let start = Instant::now();
    while !words().contains("\"zanzibarquux\"") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the index never had the new word"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Swapped in without a reload of its own.
    let last = got[0]["build"].as_u64().unwrap();
    the_next_build_is_the_follow_up(&mut events, &page, last);
}

#[test]
fn editor_temporaries_do_not_rebuild() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let mut events = server.events();
    assert_eq!(events.next().len(), 1);
    for name in ["a.md~", ".a.md.swp", "4913", "a.md___jb_tmp___"] {
        std::fs::write(t.root.join("content/sops").join(name), "x").unwrap();
    }
    the_next_build_is_the_follow_up(&mut events, &t.root.join("content/sops/code-review.md"), 1);
}

#[test]
fn built_sites_never_carry_the_reload_script() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    t.assert_lacks("index.html", "__handbook");
}

#[test]
fn a_page_in_the_browser_reloads_keeps_its_place_and_shows_errors() {
    let t = HandbookTest::from_fixture("basic");
    // A long page, to have somewhere to scroll to.
    let long: String = (1..=80).map(|i| format!("Paragraph {i}.\n\n")).collect();
    let page = t.root.join("content/sops/code-review.md");
    let original = std::fs::read_to_string(&page).unwrap() + "\n" + &long;
    std::fs::write(&page, &original).unwrap();
    let Some(browser) = Browser::start("serve reload") else {
        return;
    };
    let server = Server::start(&t);
    browser.open(&format!("http://{}/sops/code-review/", server.addr));
    assert!(browser.wait_for("return document.readyState === 'complete';"));
    browser.eval("window.scrollTo(0, 600); window.__sameDocument = true; return true;");

    std::fs::write(
        &page,
        original.replace("Catch defects", "Catch every defect"),
    )
    .unwrap();
    // A new document (the marker is gone) with the new text, scrolled back to where it was.
    assert!(
        browser.wait_for(
            "return !window.__sameDocument && document.body.textContent.includes('Catch every defect');"
        ),
        "no reload"
    );
    assert!(
        browser.wait_for("return Math.abs(window.scrollY - 600) < 5;"),
        "scroll lost"
    );

    // A broken front matter: the overlay names the file and line; fixing it clears it.
    std::fs::write(&page, "---\ntitle: [unclosed\n---\nBody.\n").unwrap();
    assert!(browser.wait_for(
        "var o = document.getElementById('handbook-overlay'); \
         return !!o && o.textContent.includes('content/sops/code-review.md:2:8');"
    ));
    // Another page does not show that page's problem, only that there is one elsewhere.
    browser.open(&format!("http://{}/", server.addr));
    assert!(browser.wait_for(
        "var o = document.getElementById('handbook-overlay');
         return !!o && /^[0-9]+ errors? on other pages$/.test(o.textContent)
           && o.getAttribute('role') === 'status'
           && o.querySelector('a').getAttribute('href') === '/__handbook/problems';"
    ));
    browser.open(&format!("http://{}/sops/code-review/", server.addr));
    std::fs::write(&page, &original).unwrap();
    assert!(browser.wait_for(
        "return document.body.textContent.includes('Catch defects') \
         && !document.getElementById('handbook-overlay');"
    ));
}

/// The edited site, in place, against a full build of the same files.
fn assert_same_as_a_full_build(session: &handbook::serve::Session, t: &HandbookTest) {
    let fresh = handbook::serve::Session::build(&t.root, AS_OF.parse().unwrap()).unwrap();
    let (a, b) = (session.files(), fresh.files());
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        assert!(
            a.get(name) == b.get(name),
            "{name} differs from a full build"
        );
    }
    assert_eq!(session.diagnostics(), fresh.diagnostics());
}

#[test]
fn a_body_edit_in_place_gives_the_same_site_as_a_full_build() {
    let t = HandbookTest::from_fixture("basic");
    let as_of = AS_OF.parse().unwrap();
    let mut session = handbook::serve::Session::build(&t.root, as_of).unwrap();
    let page = t.root.join("content/sops/code-review.md");
    let changed = [page.canonicalize().unwrap()];
    let original = std::fs::read_to_string(&page).unwrap();

    // New text, a new heading, a new link (the guide gains a "Referenced by" entry) and a
    // broken one (a new diagnostic).
    let edited = original.replace(
        "Every change to the main branch.",
        "Every change.\n\n### Exceptions\n\nSee [the first week](../guides/first-week.md) and [gone](gone.md).",
    );
    std::fs::write(&page, &edited).unwrap();
    assert!(
        session.update(&changed).unwrap(),
        "a body edit is done in place"
    );
    // The server brings the search index up to date after the reload.
    session.refresh_search();
    assert!(session
        .diagnostics()
        .iter()
        .any(|d| d.rule == "link-broken"));
    assert_same_as_a_full_build(&session, &t);

    // The link removed again: the guide's list shrinks, the diagnostic goes.
    std::fs::write(&page, &original).unwrap();
    assert!(session.update(&changed).unwrap());
    session.refresh_search();
    assert_same_as_a_full_build(&session, &t);

    // A front matter edit in place (more in the next test), a new file: a full build, with
    // the same result.
    std::fs::write(
        &page,
        original.replace("title: Code Review", "title: Code Reviews"),
    )
    .unwrap();
    assert!(session.update(&changed).unwrap());
    session.refresh_search();
    assert_same_as_a_full_build(&session, &t);
    let new = t.root.join("content/sops/new.md");
    std::fs::write(&new, "# New\n\nText.\n").unwrap();
    assert!(session.update(&[new.canonicalize().unwrap()]).unwrap());
    session.refresh_search();
    assert_same_as_a_full_build(&session, &t);

    // A page whose title comes from its first heading loses the heading: the title becomes
    // the file name's, as in a full build.
    let guide = t.root.join("content/guides/first-week.md");
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(&guide, text.replace("# First Week\n", "")).unwrap();
    assert!(session.update(&[guide.canonicalize().unwrap()]).unwrap());
    session.refresh_search();
    assert_same_as_a_full_build(&session, &t);
}

/// Each edit is written, taken in place (`in_place`) or by a full build, and the site is held
/// to a full build of the same files.
fn edit_and_compare(
    session: &mut handbook::serve::Session,
    t: &HandbookTest,
    rel: &str,
    edit: impl Fn(&str) -> String,
    in_place: bool,
    what: &str,
) {
    let path = t.root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "{what}: the edit changes nothing");
    std::fs::write(&path, edited).unwrap();
    let changed = [path.canonicalize().unwrap()];
    assert_eq!(session.update(&changed).unwrap(), in_place, "{what}");
    session.refresh_search();
    eprintln!("after the edit of {what}:");
    assert_same_as_a_full_build(session, t);
}

#[test]
fn a_front_matter_edit_in_place_gives_the_same_site_as_a_full_build() {
    // Fragments only the theme's page has (`#main`) or nobody has: settled against the pages'
    // HTML, read from the last build for the pages an edit leaves alone.
    let t = HandbookTest::example().file(
        "content/guides-fragments.md",
        "# Fragments\n\n[main](sops/code-review.md#main), [gone](sops/code-review.md#gone), \
         [policy](policies/information-security.md#main), [nope](policies/acceptable-use.md#nope)\n",
    );
    let mut session = handbook::serve::Session::build(&t.root, AS_OF.parse().unwrap()).unwrap();
    let mut edit = |rel: &str, from: &str, to: &str, what: &str| {
        let (from, to) = (from.to_string(), to.to_string());
        let replace = move |text: &str| {
            assert!(text.contains(&from), "{from}");
            text.replacen(&from, &to, 1)
        };
        edit_and_compare(&mut session, &t, rel, replace, true, what);
    };
    let sop = "content/sops/code-review.md";
    let policy = "content/policies/information-security.md";
    // What an SOP owner edits most: the title (sidebar, breadcrumbs, neighbours, lists,
    // "Referenced by" of the pages it links to, people's and tags' pages)...
    edit(
        sop,
        "title: Code Review\n",
        "title: Reviewing Code\n",
        "title",
    );
    edit(sop, "owner: rpatel", "owner: mchen", "owner");
    edit(
        sop,
        "owner: mchen",
        "owner: nobody-here",
        "an unknown owner",
    );
    edit(
        sop,
        "last_reviewed: 2026-04-02",
        "last_reviewed: 2024-01-02",
        "review date",
    );
    edit(sop, "status: active", "status: retired", "status retired");
    edit(sop, "status: retired", "status: draft", "status draft");
    edit(sop, "version: \"2.3\"", "version: \"2.4\"", "version");
    // Tags: one another page has, then one nobody had (a new tag page), then none (it goes).
    edit(
        sop,
        "status: draft\n",
        "status: draft\ntags: [security]\n",
        "a known tag",
    );
    edit(
        sop,
        "tags: [security]",
        "tags: [brand-new-tag]",
        "a new tag",
    );
    edit(sop, "tags: [brand-new-tag]\n", "", "the tag gone");
    // Order among its section, first then last.
    edit(
        sop,
        "status: draft\n",
        "status: draft\norder: -5\n",
        "order first",
    );
    edit(sop, "order: -5", "order: 500", "order last");
    // Required reading for everyone: every person's page lists it.
    edit(
        policy,
        "title: Information Security Policy",
        "title: Infosec Policy",
        "a policy's title",
    );
    edit(
        policy,
        "version: \"5.0\"",
        "version: \"6.0\"",
        "a new version to acknowledge",
    );
    // A section's title: every page under it shows it in breadcrumbs and the sidebar.
    edit(
        "content/sops/_index.md",
        "title: Standard Operating Procedures",
        "title: Procedures",
        "a section's title",
    );
    edit(
        "content/sops/_index.md",
        "order: 1",
        "order: 9",
        "a section's order",
    );
    // Front matter and body at once.
    edit(
        sop,
        "---\n\n",
        "---\n\nSee [the policy](../policies/information-security.md).\n\n",
        "body",
    );
    edit(
        sop,
        "order: 500",
        "order: 3\ndescription: Short.",
        "front matter and body",
    );
    // A role's own page (its holders, its reading) and a runbook that names a rotation.
    edit(
        "content/roles/engineer.md",
        "title: Engineer",
        "title: Engineers",
        "a role page",
    );
    let runbook = "content/runbooks/server-outage-response.md";
    edit(
        runbook,
        "oncall: platform-primary",
        "oncall: service-desk",
        "its rotation",
    );
    edit(
        runbook,
        "owner: mchen",
        "owner: rpatel",
        "a runbook's owner",
    );
    // Found by a review: a tag's name is its first spelling (every tag page's sidebar shows
    // it); an id another document has takes its required reading; a role's page no longer.
    let budget = "content/policies/budget-and-purchasing.md";
    edit(
        budget,
        "tags: [budget,",
        "tags: [Budget,",
        "a tag's spelling",
    );
    let checklist = "content/checklists/new-hire-it-setup.md";
    edit(
        checklist,
        "id: CL-001",
        "id: POL-001",
        "an id another document has",
    );
    edit(checklist, "id: POL-001", "id: CL-001", "the id given back");
    edit(
        "content/roles/engineer.md",
        "role: engineer",
        "role: engineerx",
        "an unknown role",
    );
    // A front matter that no longer parses, then mended.
    edit(sop, "order: 3\n", "order: [3\n", "broken front matter");
    edit(sop, "order: [3\n", "order: 3\n", "mended front matter");
}

/// Files added, removed or renamed (`changes`: each path root-relative, the file written or,
/// without text, removed; folders are made and removed as the files need), taken in place
/// (`in_place`) or by a full build; the site is held to a full build of the same files.
fn change_files_and_compare(
    session: &mut handbook::serve::Session,
    t: &HandbookTest,
    changes: &[(&str, Option<&str>)],
    in_place: bool,
    what: &str,
) {
    let root = t.root.canonicalize().unwrap();
    let mut changed = Vec::new();
    for (rel, text) in changes {
        let path = root.join(rel);
        match text {
            Some(text) => {
                let dir = path.parent().unwrap();
                if !dir.exists() {
                    std::fs::create_dir_all(dir).unwrap();
                    changed.push(dir.to_path_buf());
                }
                std::fs::write(&path, text).unwrap();
            }
            None => {
                std::fs::remove_file(&path).unwrap();
                let dir = path.parent().unwrap();
                if std::fs::read_dir(dir).unwrap().next().is_none() {
                    std::fs::remove_dir(dir).unwrap();
                    changed.push(dir.to_path_buf());
                }
            }
        }
        changed.push(path);
    }
    assert_eq!(session.update(&changed).unwrap(), in_place, "{what}");
    session.refresh_search();
    eprintln!("after {what}:");
    assert_same_as_a_full_build(session, t);
}

#[test]
fn files_added_removed_and_renamed_in_place_give_the_same_site_as_a_full_build() {
    let t = HandbookTest::example().file(
        "content/guides-links.md",
        "# Links\n\nTo [a page to come](sops/vendor-review.md), [its section](sops/) and \
         [a folder to come](vendors/index.md).\n",
    );
    let mut session = handbook::serve::Session::build(&t.root, AS_OF.parse().unwrap()).unwrap();
    let mut change = |changes: &[(&str, Option<&str>)], in_place: bool, what: &str| {
        change_files_and_compare(&mut session, &t, changes, in_place, what);
    };
    // A new SOP: its section's list and sidebar, its neighbours, its owner's and tags' pages
    // (a tag nobody had: a new page), the home page; a link that was broken now resolves.
    let sop = "---\ntitle: Vendor Review\nowner: rpatel\nstatus: active\nlast_reviewed: 2026-10-01\n\
               review_cycle: 6 months\ntags: [security, vendors-new]\norder: 2\n---\n\n\
               Check [code review](code-review.md) and [the policy](../policies/acceptable-use.md).\n";
    change(
        &[("content/sops/vendor-review.md", Some(sop))],
        true,
        "a page added",
    );
    // Renamed: the links to it break, its old page goes, a new one comes.
    change(
        &[
            ("content/sops/vendor-review.md", None),
            ("content/sops/vendor-reviews.md", Some(sop)),
        ],
        true,
        "a page renamed",
    );
    // A page in a folder of its own: the folder's page comes with it, and goes with it.
    let index =
        "---\ntitle: Vendors\nowner: mchen\n---\n\nThe [reviews](../sops/vendor-reviews.md).\n";
    change(
        &[("content/vendors/index.md", Some(index))],
        true,
        "a folder added",
    );
    let page = "# Contracts\n\nRenewals, see [vendors](index.md).\n";
    change(
        &[("content/vendors/contracts.md", Some(page))],
        true,
        "a page in it",
    );
    change(
        &[("content/vendors/index.md", None)],
        true,
        "its folder's page removed",
    );
    change(
        &[("content/vendors/contracts.md", None)],
        true,
        "the folder emptied",
    );
    // A page other pages link to and list, removed: their links break.
    change(
        &[("content/sops/code-review.md", None)],
        true,
        "a linked page removed",
    );
    change(
        &[("content/sops/vendor-reviews.md", None)],
        true,
        "the new page removed",
    );
    // A role described by a document, and a document that takes a URL another has.
    let role = "---\ntitle: Auditor\nrole: auditor\n---\n\nAudits.\n";
    change(
        &[("content/roles/auditor.md", Some(role))],
        true,
        "a role's page",
    );
    let clash = "---\ntitle: Clash\nslug: hiring\n---\n\nText.\n";
    change(
        &[("content/sops/a-clash.md", Some(clash))],
        false,
        "a URL taken",
    );
    // What only a full build settles: a partial, an image.
    change(
        &[("content/sops/_partial.md", Some("Text.\n"))],
        false,
        "a partial",
    );
    change(
        &[("content/sops/chart.svg", Some("<svg/>"))],
        false,
        "an image",
    );
    // Found by a review. A folder's page without a title of its own loses its document: the
    // folder's page stays, made from the folder.
    change(
        &[
            ("content/guides/_index.md", Some("Intro of the guides.\n")),
            ("content/guides/a.md", Some("# A\n\nText.\n")),
        ],
        true,
        "a folder with an untitled page",
    );
    change(
        &[("content/guides/_index.md", None)],
        true,
        "its page removed",
    );
    // A document that takes the URL of the tags' pages: every page's tags would link to
    // nothing.
    change(
        &[("content/tags.md", Some("# My tags\n\nx\n"))],
        false,
        "a page at tags/",
    );
}

#[test]
fn files_added_or_removed_where_pages_include_files_are_full_builds() {
    // Found by a review: what a page includes, which files are pages and which partials are
    // published, where a Hugo `ref` leads, all depend on the files there are.
    type Case<'a> = (
        &'a [(&'a str, &'a str)],
        &'a [(&'a str, Option<&'a str>)],
        &'a str,
    );
    let cases: [Case; 5] = [
        (
            &[
                (
                    "content/sops/shared-steps.md",
                    "# Shared steps\n\nStep one.\n",
                ),
                (
                    "content/sops/uses-steps.md",
                    "# Uses steps\n\n{{#include shared-steps.md}}\n",
                ),
            ],
            &[("content/sops/uses-steps.md", None)],
            "the last page including a document removed",
        ),
        (
            &[("content/sops/_snippet.txt", "Snippet.\n")],
            &[(
                "content/sops/uses.md",
                Some("# Uses\n\n{{#include _snippet.txt}}\n"),
            )],
            "a page including a partial added",
        ),
        (
            &[(
                "content/sops/uses-notes.md",
                "# Uses notes\n\n{% include_relative notes.md %}\n",
            )],
            &[("content/sops/notes.md", Some("Notes.\n"))],
            "the file a Jekyll include misses added",
        ),
        (
            &[
                ("content/sops/steps.md", "Beside steps.\n"),
                (
                    "content/sops/uses-steps.md",
                    "# Uses steps\n\n--8<-- \"steps.md\"\n",
                ),
            ],
            &[("content/steps.md", Some("Top steps.\n"))],
            "a snippet found elsewhere",
        ),
        (
            &[
                ("content/guide.md", "# Top guide\n\nTop.\n"),
                (
                    "content/sops/linker.md",
                    "# Linker\n\nSee [the guide]({{< ref \"guide.md\" >}}).\n",
                ),
            ],
            &[("content/sops/guide.md", Some("# Sop guide\n\nBeside.\n"))],
            "a Hugo ref's file nearer",
        ),
    ];
    for (files, changes, what) in cases {
        let mut t = HandbookTest::example();
        for (rel, text) in files {
            t = t.file(rel, text);
        }
        let mut session = handbook::serve::Session::build(&t.root, AS_OF.parse().unwrap()).unwrap();
        change_files_and_compare(&mut session, &t, changes, false, what);
    }
}

#[test]
fn an_edit_that_changes_another_pages_template_is_a_full_build() {
    // The engineer's page claims the QA analyst's role, which its own page held: that page
    // stops being a role's page (another template).
    let t = HandbookTest::example();
    let mut session = handbook::serve::Session::build(&t.root, AS_OF.parse().unwrap()).unwrap();
    let claim = |text: &str| text.replacen("role: engineer", "role: qa-analyst", 1);
    edit_and_compare(
        &mut session,
        &t,
        "content/roles/engineer.md",
        claim,
        false,
        "a role claimed",
    );
}

#[test]
fn a_front_matter_edit_that_moves_a_page_is_a_full_build() {
    let t = HandbookTest::from_fixture("basic");
    let mut session = handbook::serve::Session::build(&t.root, AS_OF.parse().unwrap()).unwrap();
    let slug = |text: &str| text.replacen("order: 2\n", "order: 2\nslug: reviews\n", 1);
    edit_and_compare(
        &mut session,
        &t,
        "content/sops/code-review.md",
        slug,
        false,
        "a slug",
    );
    let alias = |text: &str| text.replacen("order: 2\n", "order: 2\naliases: [/old/]\n", 1);
    edit_and_compare(
        &mut session,
        &t,
        "content/sops/code-review.md",
        alias,
        false,
        "an alias",
    );
    // A page whose title comes from its first heading gets a new one: in place.
    let heading = |text: &str| text.replacen("# First Week\n", "# The First Week\n", 1);
    edit_and_compare(
        &mut session,
        &t,
        "content/guides/first-week.md",
        heading,
        true,
        "heading",
    );
}

#[test]
fn an_edit_of_an_included_file_renders_every_page_that_includes_it_in_place() {
    let t = HandbookTest::from_fixture("basic")
        .file(
            "content/shared/contacts.md",
            "Call the [duty manager](../guides/first-week.md).\n",
        )
        .file(
            "content/sops/a.md",
            "# A\n\n{{#include ../shared/contacts.md}}\n",
        )
        .file(
            "content/sops/b.md",
            "# B\n\n{{#include ../shared/contacts.md}}\n",
        );
    let mut session = handbook::serve::Session::build(&t.root, AS_OF.parse().unwrap()).unwrap();
    let shared = t.root.join("content/shared/contacts.md");
    std::fs::write(&shared, "Call the [duty desk](../gone.md).\n").unwrap();
    assert!(
        session.update(&[shared.canonicalize().unwrap()]).unwrap(),
        "an included file's edit is done in place"
    );
    for page in ["sops/a/index.html", "sops/b/index.html"] {
        let html = String::from_utf8(session.files()[page].bytes().into_owned()).unwrap();
        assert!(html.contains("duty desk"), "{html}");
    }
    assert!(session
        .diagnostics()
        .iter()
        .any(|d| d.rule == "link-broken" && d.file.ends_with("shared/contacts.md")));
    session.refresh_search();
    assert_same_as_a_full_build(&session, &t);
    // An include that now makes a page text of another: a full build.
    let a = t.root.join("content/sops/a.md");
    std::fs::write(&a, "# A\n\n{{#include b.md}}\n").unwrap();
    assert!(!session.update(&[a.canonicalize().unwrap()]).unwrap());
    assert_same_as_a_full_build(&session, &t);
}

#[test]
fn a_listing_included_from_outside_the_content_reloads_the_page() {
    let t = HandbookTest::from_fixture("basic")
        .file("scripts/rotate.sh", "echo first\n")
        .file(
            "content/sops/rotate.md",
            "# Rotate\n\n```sh\n{{#include ../../scripts/rotate.sh}}\n```\n",
        );
    let server = Server::start(&t);
    let mut events = server.events();
    assert_eq!(events.next()[0]["build"], 1);
    assert!(server.get("/sops/rotate/").2.contains("first"));
    std::fs::write(t.root.join("scripts/rotate.sh"), "echo second\n").unwrap();
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(server.get("/sops/rotate/").2.contains("second"));
}

#[test]
fn an_edit_of_the_summary_reorders_the_navigation_in_place_as_a_full_build_does() {
    let t = HandbookTest::from_fixture("basic").file(
        "content/SUMMARY.md",
        "- [Guides](guides/)\n- [SOPs](sops/)\n",
    );
    let mut session = handbook::serve::Session::build(&t.root, AS_OF.parse().unwrap()).unwrap();
    let summary = t.root.join("content/SUMMARY.md");
    std::fs::write(&summary, "- [SOPs](sops/)\n- [Guides](guides/)\n").unwrap();
    // The model is built again from the documents in memory: every sidebar changes.
    assert!(
        session.update(&[summary.canonicalize().unwrap()]).unwrap(),
        "the summary orders every page, in place"
    );
    session.refresh_search();
    assert_same_as_a_full_build(&session, &t);
}

#[test]
fn after_a_failed_build_only_full_builds_until_one_succeeds() {
    let t = HandbookTest::from_fixture("basic");
    let mut session = handbook::serve::Session::build(&t.root, AS_OF.parse().unwrap()).unwrap();
    let config = t.root.join("handbook.yaml");
    std::fs::write(&config, "bogus: [\n").unwrap();
    assert!(session.update(&[config.canonicalize().unwrap()]).is_err());
    // The failed build's session holds no model: the search index is not made again from it
    // (the last good one stays served).
    assert!(!session.refresh_search());
    // A body edit now must not pass for a build with the broken config.
    let page = t.root.join("content/sops/code-review.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Catch defects", "Catch bugs")).unwrap();
    assert!(session.update(&[page.canonicalize().unwrap()]).is_err());
    std::fs::write(&config, "title: Fixture Handbook\n").unwrap();
    assert!(!session.update(&[config.canonicalize().unwrap()]).unwrap());
    assert_same_as_a_full_build(&session, &t);
}

#[test]
fn theme_failures_and_symlinked_documents_stay_as_a_full_build_has_them() {
    // A template that fails on one page only.
    let t = HandbookTest::from_fixture("basic").file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{% if page.doc_id == \"SOP-001\" %}{{ nope.nope }}{% endif %}{{ page.content | safe }}{% endblock main %}",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "../sops/code-review.md",
        t.root.join("content/guides/review-copy.md"),
    )
    .unwrap();
    let mut session = handbook::serve::Session::build(&t.root, AS_OF.parse().unwrap()).unwrap();
    assert!(session
        .diagnostics()
        .iter()
        .any(|d| d.rule == "theme-invalid"));
    let page = t.root.join("content/sops/code-review.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Catch defects", "Catch bugs")).unwrap();
    session.update(&[page.canonicalize().unwrap()]).unwrap();
    assert_same_as_a_full_build(&session, &t);
    assert!(session
        .files()
        .get("guides/review-copy/index.html")
        .is_some_and(|html| String::from_utf8_lossy(&html.bytes()).contains("Catch bugs")));
}

#[test]
fn requests_for_other_host_names_are_refused_on_loopback() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let ask = |host: &str| {
        server.raw_status(
            format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    };
    assert_eq!(ask("evil.example:4000"), 403);
    assert_eq!(ask("localhost:4000"), 200);
    assert_eq!(ask("LOCALHOST"), 200);
    assert_eq!(ask(&server.addr), 200);
    assert_eq!(ask("127.0.0.1"), 200);
    assert_eq!(ask("[::1]:4000"), 200);
    assert_eq!(ask("[::1]"), 200);
    // Only those: other addresses and names that merely start like them are foreign.
    for host in [
        "10.0.0.1:4000",
        "192.168.1.20",
        "[::2]:4000",
        "localhost.",
        "localhost.evil.example",
        "127.0.0.1.nip.io",
    ] {
        assert_eq!(ask(host), 403, "{host}");
    }
    // Anything that is not a host with an optional port: fail closed.
    for host in [
        "[::1]anything",
        "[::1]:4000@evil.example",
        "[::1",
        "::1",
        "localhost:",
        "localhost:4000:80",
        "user@localhost",
        "",
    ] {
        assert_eq!(ask(host), 400, "{host:?}");
    }
}

#[test]
fn requests_without_one_plain_host_are_refused() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    // No Host at all, in HTTP/1.1 and 1.0.
    assert_eq!(
        server.raw_status(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"),
        400
    );
    assert_eq!(server.raw_status(b"GET / HTTP/1.0\r\n\r\n"), 400);
    assert_eq!(
        server.raw_status(b"GET /__handbook/events HTTP/1.0\r\n\r\n"),
        400
    );
    // Not ASCII: in UTF-8, and a stray byte.
    assert_eq!(
        server.raw_status(b"GET / HTTP/1.1\r\nHost: l\xc3\xb6calhost\r\nConnection: close\r\n\r\n"),
        400
    );
    assert_eq!(
        server.raw_status(b"GET / HTTP/1.1\r\nHost: localhost\xff\r\nConnection: close\r\n\r\n"),
        400
    );
    // Two of them.
    assert_eq!(
        server.raw_status(
            b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        ),
        400
    );
    // A request target in absolute form names its own host, which is checked too.
    assert_eq!(
        server.raw_status(
            b"GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        ),
        403
    );
    assert_eq!(
        server.raw_status(
            b"GET http://localhost/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        ),
        200
    );
    // The server still answers properly afterwards.
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn a_failed_build_shows_without_a_reload_and_the_fix_reloads() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let mut events = server.events();
    assert_eq!(events.next()[0]["build"], 1);
    std::fs::write(t.root.join("handbook.yaml"), "bogus: [\n").unwrap();
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["build"], 1, "the same build: no reload");
    assert!(
        got[0]["failure"]
            .as_str()
            .unwrap()
            .contains("handbook.yaml"),
        "{got:?}"
    );
    // Still served.
    assert_eq!(server.get("/").0, 200);
    std::fs::write(t.root.join("handbook.yaml"), "title: Fixture Handbook\n").unwrap();
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["build"], 2);
    assert!(got[0]["failure"].is_null());
}

#[test]
fn a_burst_of_changes_is_one_rebuild() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let mut events = server.events();
    assert_eq!(events.next().len(), 1);
    // Like a `git checkout` that touches 200 files.
    for i in 0..200 {
        std::fs::write(
            t.root.join(format!("content/guides/page-{i}.md")),
            format!("# Page {i}\n"),
        )
        .unwrap();
    }
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(server.get("/guides/page-199/").0, 200);
}

#[test]
fn the_configured_base_path_is_honoured() {
    let t = HandbookTest::from_fixture("basic").file(
        "handbook.yaml",
        "title: Fixture Handbook\nbase_url: https://intranet.example.com/docs/\n",
    );
    let server = Server::start(&t);
    assert_eq!(server.get("/docs/").0, 200);
    assert_eq!(server.get("/docs/sops/code-review/").0, 200);
    assert_eq!(server.get("/docs").0, 301);
    assert_eq!(server.get("/sops/code-review/").0, 404);
}

#[test]
fn a_busy_port_moves_to_the_next_free_one() {
    let t = HandbookTest::from_fixture("basic");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let (server, stderr) = Server::start_with(&t, &["--port", &port]);
    assert_ne!(server.addr, format!("127.0.0.1:{port}"));
    assert_eq!(server.get("/").0, 200);
    let busy_line = format!("port {port} is busy");
    let mut said = Vec::new();
    while let Ok(line) = stderr.recv_timeout(Duration::from_secs(5)) {
        if line.contains(&busy_line) {
            return;
        }
        said.push(line);
    }
    panic!("no word of the busy port: {said:?}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_cleanly() {
    let t = HandbookTest::from_fixture("basic");
    let mut server = Server::start(&t);
    let pid = server.child.id().to_string();
    let killed = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "still running");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn binding_beyond_loopback_warns() {
    let t = HandbookTest::from_fixture("basic");
    let (_server, stderr) = Server::start_with(&t, &["--bind", "0.0.0.0", "--port", "0"]);
    while let Ok(line) = stderr.recv_timeout(Duration::from_secs(5)) {
        if line.contains("reaches beyond this machine") {
            return;
        }
    }
    panic!("no warning");
}

/// Asserts that nothing was built since build `last`: a follow-up edit of `page` (a file the
/// build reads) must bring the very next event, and it must be build `last + 1`. A fixed wait
/// for no event instead would pass on a busy machine where the unwanted build comes late.
fn the_next_build_is_the_follow_up(events: &mut Events, page: &Path, last: u64) {
    let text = std::fs::read_to_string(page).unwrap();
    std::fs::write(page, format!("{text}\nFollow-up {last}.\n")).unwrap();
    let got = events.next();
    assert_eq!(got.len(), 1, "more than the follow-up's build: {got:?}");
    assert_eq!(
        got[0]["build"],
        last + 1,
        "a build came before the follow-up: {got:?}"
    );
}

#[test]
fn writes_to_files_serve_does_not_read_do_not_rebuild() {
    let t = HandbookTest::from_fixture("basic")
        .file("templates/.keep", "")
        .file("themes/other/theme.toml", "");
    let server = Server::start(&t);
    let mut events = server.events();
    assert_eq!(events.next()[0]["build"], 1);
    let write = |rel: &str| {
        let p = t.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "x").unwrap();
    };
    // Beside the content folder, in folders the build never reads, what the walks leave out,
    // editors' temporaries wherever they are, and files of the read folders that are not read.
    for rel in [
        "serve.log",
        "notes.txt",
        "README.md",
        "archetypes/sop.md",
        "public/index.html",
        "other/page.md",
        ".handbook.yaml.swp",
        "handbook.yaml~",
        "content/.hidden/a.md",
        "content/node_modules/x/a.md",
        "content/sops/.code-review.md.swp",
        "content/sops/code-review.md~",
        "data/notes.md",
        "data/sub/team.yaml",
        "data/.team.yaml.swp",
        "templates/page.html~",
        "templates/partials/x.html",
        "themes/other/templates/page.html",
    ] {
        write(rel);
    }
    // A log written to again and again, as serve's own would be.
    for i in 0..20 {
        let mut log = std::fs::OpenOptions::new()
            .append(true)
            .open(t.root.join("serve.log"))
            .unwrap();
        writeln!(log, "line {i}").unwrap();
        std::thread::sleep(Duration::from_millis(10));
    }
    // A file the build reads: exactly one build more, so none was made for the others.
    edit(&t.root.join("data/team.yaml"), "Ana Lima", "Ana Lima-Souza");
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["build"], 2);
    assert!(server.get("/team/people/ana/").2.contains("Ana Lima-Souza"));
}

#[test]
fn its_own_log_does_not_rebuild_it_even_inside_the_content() {
    // The default layout (the log beside the content folder), and a handbook at the top of
    // its folder, whose log is a file of the site.
    for config in ["title: T\n", "title: T\ncontent: .\n"] {
        let t = HandbookTest::empty()
            .file("handbook.yaml", config)
            .file("index.md", "# Home\n\nFirst.\n")
            .file("content/index.md", "# Home\n\nFirst.\n");
        let log = t.root.join("serve.log");
        let server = Server::start_logged(&t, &log);
        let mut events = server.events();
        assert_eq!(events.next()[0]["build"], 1, "{config}");
        let page = match config.contains("content: .") {
            true => t.root.join("index.md"),
            false => t.root.join("content/index.md"),
        };
        // Each build writes to the log; the writes must not bring another build.
        for (n, word) in [(2, "Second"), (3, "Third")] {
            std::fs::write(&page, format!("# Home\n\n{word}.\n")).unwrap();
            let got = events.next();
            assert_eq!(got.len(), 1, "{config}: {got:?}");
            assert_eq!(got[0]["build"], n, "{config}");
        }
        let text = std::fs::read_to_string(&log).unwrap();
        assert!(text.contains("Build 3"), "{text}");
        // Each build says which save brought it.
        let saved = match config.contains("content: .") {
            true => "index.md",
            false => "content/index.md",
        };
        assert!(
            text.contains(&format!(" after {saved} changed in ")),
            "{text}"
        );
        // Nor the last build's.
        the_next_build_is_the_follow_up(&mut events, &page, 3);
    }
}

#[test]
fn the_watched_folders_follow_handbook_yaml() {
    let t = HandbookTest::from_fixture("basic")
        .file("docs/index.md", "# Docs\n\nFrom docs.\n")
        .file(
            "people/team.yaml",
            "people:\n  - id: cy\n    name: Cy Doe\n",
        );
    let server = Server::start(&t);
    let mut events = server.events();
    assert_eq!(events.next()[0]["build"], 1);
    std::fs::write(
        t.root.join("handbook.yaml"),
        "title: Fixture Handbook\ncontent: docs\ndata: people/team.yaml\n",
    )
    .unwrap();
    assert_eq!(events.next()[0]["build"], 2);
    assert!(server.get("/").2.contains("From docs."));
    // The new folders are watched: the content, the one data file.
    std::fs::write(t.root.join("docs/index.md"), "# Docs\n\nEdited.\n").unwrap();
    assert_eq!(events.next()[0]["build"], 3);
    assert!(server.get("/").2.contains("Edited."));
    edit(&t.root.join("people/team.yaml"), "Cy Doe", "Cy Dee");
    assert_eq!(events.next()[0]["build"], 4);
    assert!(server.get("/team/people/cy/").2.contains("Cy Dee"));
    // The old ones, and the data file's neighbours, no longer matter.
    edit(
        &t.root.join("content/sops/code-review.md"),
        "Catch defects",
        "Catch more defects",
    );
    edit(&t.root.join("data/team.yaml"), "Ana Lima", "Ana Lyma");
    std::fs::write(t.root.join("people/other.yaml"), "x: 1\n").unwrap();
    the_next_build_is_the_follow_up(&mut events, &t.root.join("docs/index.md"), 4);
}

/// The served code-review page eventually contains `text`.
fn served_eventually(server: &Server, text: &str) {
    eventually(&format!("the served page says {text:?}"), || {
        server.get("/sops/code-review/").2.contains(text)
    });
}

#[test]
fn the_content_folder_removed_and_made_again_is_watched_again() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let content = t.root.join("content");
    let page = content.join("sops/code-review.md");
    let saved = t.outside().join("saved");
    copy_tree(&content, &saved);
    std::fs::remove_dir_all(&content).unwrap();
    // Served still (the last good build) while it is gone.
    let mut events = server.events();
    eventually("the failure is published", || {
        events
            .take(Duration::from_millis(100))
            .iter()
            .any(|e| !e["failure"].is_null())
    });
    assert_eq!(server.get("/sops/code-review/").0, 200);
    copy_tree(&saved, &content);
    edit(&page, "Catch defects", "Catch recreated defects");
    served_eventually(&server, "Catch recreated defects");
    // Watched again: later edits, also in a folder made since, are seen.
    edit(&page, "Catch recreated defects", "Catch re-edited defects");
    served_eventually(&server, "Catch re-edited defects");
    std::fs::create_dir(content.join("new")).unwrap();
    std::fs::write(content.join("new/page.md"), "# New page\n").unwrap();
    eventually("the new page is served", || {
        server.get("/new/page/").0 == 200
    });
}

#[test]
fn a_content_folder_renamed_away_and_back_is_watched_again() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let mut events = server.events();
    assert_eq!(events.next()[0]["build"], 1);
    let (content, away) = (t.root.join("content"), t.root.join("content.away"));
    std::fs::rename(&content, &away).unwrap();
    eventually("the failure is published", || {
        events
            .take(Duration::from_millis(100))
            .iter()
            .any(|e| !e["failure"].is_null())
    });
    // An edit while it is away is not one of the content folder's...
    edit(
        &away.join("sops/code-review.md"),
        "Catch defects",
        "Catch away defects",
    );
    // ...until it is back, which rebuilds: the very next event (a failed build while it was
    // away would have come first).
    std::fs::rename(&away, &content).unwrap();
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0]["failure"].is_null(), "{got:?}");
    served_eventually(&server, "Catch away defects");
    edit(
        &content.join("sops/code-review.md"),
        "Catch away defects",
        "Catch returned defects",
    );
    served_eventually(&server, "Catch returned defects");
}

#[test]
fn a_content_folder_swapped_by_renames_is_watched() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let content = t.root.join("content");
    let (old, new) = (t.root.join("content.old"), t.root.join("content.new"));
    copy_tree(&content, &new);
    edit(
        &new.join("sops/code-review.md"),
        "Catch defects",
        "Catch swapped defects",
    );
    // As a checkout that swaps directories: the new folder renamed into the old one's place.
    std::fs::rename(&content, &old).unwrap();
    std::fs::rename(&new, &content).unwrap();
    served_eventually(&server, "Catch swapped defects");
    // The folder now in place is the one watched, not the one renamed away.
    edit(
        &old.join("sops/code-review.md"),
        "Catch defects",
        "Catch stale defects",
    );
    edit(
        &content.join("sops/code-review.md"),
        "Catch swapped defects",
        "Catch current defects",
    );
    served_eventually(&server, "Catch current defects");
    let mut events = server.events();
    let last = events.next()[0]["build"].as_u64().unwrap();
    the_next_build_is_the_follow_up(&mut events, &content.join("sops/code-review.md"), last);
    assert!(!server.get("/sops/code-review/").2.contains("stale"));
}

/// Opens an event stream; returns the connection and the status of the answer.
fn open_stream(addr: &str) -> (TcpStream, u16) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET /__handbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (s, status)
}

/// How long until the server closes `s`, reading (and dropping) whatever it sends; `None`
/// when it is still open after `limit`.
fn closed_within(s: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 4096];
    while start.elapsed() < limit {
        match s.read(&mut buf) {
            Ok(0) => return Some(start.elapsed()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Some(start.elapsed()),
        }
    }
    None
}

#[test]
fn idle_and_slow_connections_are_closed_but_event_streams_stay() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let mut events = server.events();
    assert_eq!(events.next()[0]["build"], 1);
    // One that sends nothing, one that never finishes its header, one that stays idle after
    // its first request (keep-alive).
    let mut silent = TcpStream::connect(&server.addr).unwrap();
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .unwrap();
    let mut idle = TcpStream::connect(&server.addr).unwrap();
    idle.write_all(b"GET /assets/style.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let limit = Duration::from_secs(30);
    for (name, s) in [
        ("silent", &mut silent),
        ("slow", &mut slow),
        ("idle", &mut idle),
    ] {
        assert!(closed_within(s, limit).is_some(), "{name} still open");
    }
    // The event stream outlived them all, and still gets the next build.
    let page = t.root.join("content/sops/code-review.md");
    edit(&page, "Catch defects", "Catch late defects");
    let got = events.next();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["build"], 2);
}

#[test]
fn a_client_that_does_not_read_its_response_is_let_go() {
    // Larger than the socket buffers on both sides: the server's write waits for the client.
    let big = vec![b'x'; 64 << 20];
    let t = HandbookTest::from_fixture("basic").file("content/big.bin", &big);
    let server = Server::start(&t);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.write_all(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    // Read nothing for a while, then see the connection end without the whole file.
    std::thread::sleep(Duration::from_secs(12));
    let mut got = Vec::new();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = s.read_to_end(&mut got);
    assert!(got.len() < big.len(), "the whole file came: {}", got.len());
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn event_streams_are_bounded() {
    let t = HandbookTest::from_fixture("basic");
    let server = Server::start(&t);
    let mut open: Vec<TcpStream> = (0..256)
        .map(|i| {
            let (s, status) = open_stream(&server.addr);
            assert_eq!(status, 200, "stream {i}");
            s
        })
        .collect();
    assert_eq!(open_stream(&server.addr).1, 503);
    // Pages still load.
    assert_eq!(server.get("/").0, 200);
    // A page closed leaves room for another (once the server sees it go).
    drop(open.pop());
    eventually("a stream is let in again", || {
        let (s, status) = open_stream(&server.addr);
        if status == 200 {
            open.push(s);
        }
        status == 200
    });
    assert_eq!(open_stream(&server.addr).1, 503);
}

/// User and system CPU time of process `pid` so far.
#[cfg(target_os = "linux")]
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // After the command name (in parentheses, which may hold spaces): state is field 3,
    // utime 14 and stime 15.
    let rest = &stat[stat.rfind(')').unwrap() + 1..];
    let fields: Vec<u64> = (rest.split_whitespace())
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks = String::from_utf8(
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .parse::<u64>()
    .unwrap_or(100);
    Duration::from_millis((fields[11] + fields[12]) * 1000 / ticks)
}

#[cfg(target_os = "linux")]
#[test]
fn slow_clients_at_the_descriptor_limit_neither_freeze_nor_spin() {
    let t = HandbookTest::from_fixture("basic");
    let mut command = Command::new("sh");
    command.args([
        "-c",
        "ulimit -n 64 && exec \"$0\" serve --port 0 --as-of \"$1\"",
        env!("CARGO_BIN_EXE_handbook"),
        AS_OF,
    ]);
    let (server, _stderr) = Server::spawn(&t, command);
    let pid = server.child.id();
    assert_eq!(server.get("/").0, 200);
    // More slow clients than the server has descriptors: each starts a request and stalls.
    let slow: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: loc").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_time(pid);
    std::thread::sleep(Duration::from_secs(3));
    let spent = cpu_time(pid) - before;
    assert!(
        spent < Duration::from_millis(1000),
        "{spent:?} of CPU in 3 s with stalled clients: spinning"
    );
    // While they still hold their connections, a normal request is answered (once the
    // stalled ones ahead of it time out).
    let status =
        server.raw_status(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 200);
    drop(slow);
}
