//! `HandbookTest`: copy a fixture handbook (or start empty), change files, build or run the CLI,
//! and assert on the written site and the diagnostics. Every feature's tests use it.

use std::path::{Path, PathBuf};
use std::process::Output;

use handbook::dates::Day;
use handbook::diagnostic::Diagnostic;
use handbook::{Handbook, Options};

pub const AS_OF: &str = "2026-11-23";

pub struct HandbookTest {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
    pub drafts: bool,
    pub as_of: Day,
    pub diagnostics: Vec<Diagnostic>,
    pub build_error: Option<String>,
}

impl HandbookTest {
    /// A copy of `tests/fixtures/<name>`.
    pub fn from_fixture(name: &str) -> Self {
        let t = Self::empty();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&src, &t.root);
        t
    }

    /// A copy of the repository's example handbook (`handbook.yaml`, `content/`, `data/`).
    pub fn example() -> Self {
        let t = Self::empty();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["content", "data"] {
            copy_dir(&src.join(dir), &t.root.join(dir));
        }
        std::fs::copy(src.join("handbook.yaml"), t.root.join("handbook.yaml")).unwrap();
        t
    }

    /// An empty handbook root with an empty content folder.
    pub fn empty() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hb");
        std::fs::create_dir_all(root.join("content")).unwrap();
        HandbookTest {
            _tmp: tmp,
            root,
            drafts: false,
            as_of: AS_OF.parse().unwrap(),
            diagnostics: Vec::new(),
            build_error: None,
        }
    }

    /// The folder around the root, for things that must stay untouched outside it.
    pub fn outside(&self) -> PathBuf {
        self.root.parent().unwrap().to_path_buf()
    }

    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Self {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }

    pub fn remove(self, rel: &str) -> Self {
        std::fs::remove_file(self.root.join(rel)).unwrap();
        self
    }

    pub fn remove_dir(self, rel: &str) -> Self {
        std::fs::remove_dir_all(self.root.join(rel)).unwrap();
        self
    }

    pub fn with_drafts(mut self) -> Self {
        self.drafts = true;
        self
    }

    /// Builds as of another date than [`AS_OF`].
    pub fn built_as_of(mut self, date: &str) -> Self {
        self.as_of = date.parse().unwrap();
        self
    }

    /// Builds through the library into `<root>/public`, keeping the diagnostics.
    pub fn build(mut self) -> Self {
        let options = Options {
            as_of: self.as_of,
            drafts: self.drafts,
            // As `handbook build` does: the checks' findings then hold to their places
            // without the text.
            free_as_it_goes: true,
            ..Options::default()
        };
        match Handbook::load(&self.root, &options) {
            Ok(mut hb) => {
                let result = hb.build();
                self.diagnostics = hb.diagnostics;
                self.build_error = result.err().map(|e| e.to_string());
            }
            Err(e) => self.build_error = Some(e.to_string()),
        }
        self
    }

    /// Runs the `handbook` binary with `args` in the root folder.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.cli_with_env(args, &[])
    }

    /// [`Self::cli`] with extra environment variables (and none inherited that change output).
    pub fn cli_with_env(&self, args: &[&str], env: &[(&str, &Path)]) -> Output {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"));
        cmd.args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_STEP_SUMMARY");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    /// `handbook report --as-of <AS_OF> --format <format>` in the root folder, which must
    /// succeed: what it prints.
    pub fn report(&self, format: &str) -> String {
        let o = self.cli(&["report", "--as-of", AS_OF, "--format", format]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    }

    pub fn out(&self, rel: &str) -> PathBuf {
        self.root.join("public").join(rel)
    }

    /// The text of an output file.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out(rel)).unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    /// The sidebar of output page `rel` (see [`sidebar_of`]).
    pub fn sidebar(&self, rel: &str) -> String {
        sidebar_of(&self.out(""), rel)
    }

    pub fn assert_ok(self) -> Self {
        assert!(
            self.build_error.is_none(),
            "build failed: {:?}",
            self.build_error
        );
        self
    }

    pub fn assert_clean(self) -> Self {
        let t = self.assert_ok();
        assert!(
            t.diagnostics.is_empty(),
            "unexpected diagnostics:\n{}",
            t.diagnostics_text()
        );
        t
    }

    /// The build succeeded and its diagnostics are exactly of these rules (each at least once):
    /// for fixtures that plant governance findings on purpose.
    pub fn assert_rules(self, rules: &[&str]) -> Self {
        let t = self.assert_ok();
        let mut found: Vec<&str> = t.diagnostics.iter().map(|d| d.rule.name()).collect();
        found.sort_unstable();
        found.dedup();
        let mut wanted = rules.to_vec();
        wanted.sort_unstable();
        assert_eq!(found, wanted, "diagnostics:\n{}", t.diagnostics_text());
        t
    }

    pub fn assert_contains(self, rel: &str, needle: &str) -> Self {
        let text = self.read(rel);
        assert!(
            text.contains(needle),
            "public/{rel} lacks {needle:?}:\n{text}"
        );
        self
    }

    pub fn assert_lacks(self, rel: &str, needle: &str) -> Self {
        let text = self.read(rel);
        assert!(
            !text.contains(needle),
            "public/{rel} contains {needle:?}:\n{text}"
        );
        self
    }

    pub fn assert_exists(self, rel: &str) -> Self {
        assert!(self.out(rel).exists(), "public/{rel} is missing");
        self
    }

    pub fn assert_missing(self, rel: &str) -> Self {
        assert!(!self.out(rel).exists(), "public/{rel} exists");
        self
    }

    /// Asserts a diagnostic of `rule` at `file:line:column` exists and returns it.
    pub fn diagnostic(&self, rule: &str, file: &str, line: u32, column: u32) -> &Diagnostic {
        self.diagnostics
            .iter()
            .find(|d| {
                d.rule == rule && d.file == Path::new(file) && d.line == line && d.column == column
            })
            .unwrap_or_else(|| {
                panic!(
                    "no {rule} at {file}:{line}:{column}; got:\n{}",
                    self.diagnostics_text()
                )
            })
    }

    pub fn rules(&self) -> Vec<&'static str> {
        self.diagnostics.iter().map(|d| d.rule.name()).collect()
    }

    pub fn diagnostics_text(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| format!("  {d}\n"))
            .collect()
    }
}

fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs git in the handbook root, isolated from the user's and the system's configuration, with
/// `date` as author and committer date. `None` when git is not installed (a failure under CI).
/// Compares `actual` with `tests/golden/<name>`; `UPDATE_GOLDEN=1` rewrites the file instead.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs (UPDATE_GOLDEN=1 rewrites it); got:\n{actual}",
        path.display()
    );
}

pub fn git(t: &HandbookTest, args: &[&str], date: &str) -> Option<()> {
    if !on_path("git") {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "git is not installed"
        );
        eprintln!("skipped: git is not installed");
        return None;
    }
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=Ana Lima",
            "-c",
            "user.email=ana@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(&t.root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", format!("{date}T12:00:00Z"))
        .env("GIT_COMMITTER_DATE", format!("{date}T12:00:00Z"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(())
}

/// The data of a search index file as the search script reads it: the file is a call
/// `__handbookSearch("name","stamp","base64 of gzipped JSON");`.
pub fn search_data(script: &str) -> String {
    use base64::Engine as _;
    use std::io::Read as _;
    let start = script
        .rfind(",\"")
        .expect("a name and stamp, then the data")
        + 2;
    let end = script
        .rfind("\");")
        .expect("the data, then the end of the call");
    let packed = base64::engine::general_purpose::STANDARD
        .decode(&script[start..end])
        .expect("base64");
    let mut json = String::new();
    flate2::read::GzDecoder::new(&packed[..])
        .read_to_string(&mut json)
        .expect("gzipped UTF-8");
    json
}

/// Every `href="…"` and `src="…"` value in an HTML text.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// A headless Chromium driven through chromedriver (WebDriver), for behaviour that only a real
/// browser shows: scripts run against the reader's date, from `file://`.
pub struct Browser {
    client: Option<fantoccini::Client>,
    runtime: tokio::runtime::Runtime,
    driver: std::process::Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a browser session. When Chromium or chromedriver is missing the
    /// test is skipped, saying so, except under CI (`CI=true`), where that is a failure.
    pub fn start(test: &str) -> Option<Browser> {
        Browser::start_with(test, &[])
    }

    /// [`Browser::start`] with more command-line switches for Chromium (`--force-dark-mode`).
    pub fn start_with(test: &str, switches: &[&str]) -> Option<Browser> {
        let missing: Vec<&str> = ["chromedriver", "chromium"]
            .into_iter()
            .filter(|p| !on_path(p))
            .collect();
        if !missing.is_empty() {
            let msg = format!(
                "{test}: needs {} (apt-get install chromium chromium-driver)",
                missing.join(" and ")
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{msg}");
            }
            eprintln!("skipped {msg}");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ]
        .iter()
        .chain(switches)
        .map(|s| s.to_string())
        .collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "args": args }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let client = runtime.block_on(async {
            // chromedriver takes a moment to listen.
            for _ in 0..100 {
                let connector = hyper_util::client::legacy::connect::HttpConnector::new();
                match fantoccini::ClientBuilder::new(connector)
                    .capabilities(caps.clone())
                    .connect(&url)
                    .await
                {
                    Ok(c) => return c,
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
                }
            }
            panic!("could not start a browser session through chromedriver at {url}");
        });
        Some(Browser {
            client: Some(client),
            runtime,
            driver,
            _profile: profile,
        })
    }

    /// Opens a local file, as a reader opening the site from disk does.
    pub fn open_file(&self, path: &Path) {
        self.open(&format!("file://{}", path.display()));
    }

    pub fn open(&self, url: &str) {
        let client = self.client.as_ref().unwrap();
        self.runtime
            .block_on(client.goto(url))
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        // A page of the site is read once its script has run: on a busy machine the load
        // can be reported before the page has settled.
        self.wait_for(
            "return document.readyState === 'complete'
               && (!document.querySelector('script[src$=\"handbook.js\"]')
                   || document.documentElement.getAttribute('data-handbook') === 'ready');",
        );
    }

    /// Polls `script` (a function body returning a boolean) until it is true, for up to 10 s.
    pub fn wait_for(&self, script: &str) -> bool {
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(10) {
            if self.eval(script) == serde_json::Value::Bool(true) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    }

    /// Types `keys` into the element `selector` finds, as a user would (WebDriver key codes
    /// such as `\u{E007}`, Enter, included).
    pub fn type_into(&self, selector: &str, keys: &str) {
        let client = self.client.as_ref().unwrap();
        self.runtime
            .block_on(async {
                client
                    .find(fantoccini::Locator::Css(selector))
                    .await?
                    .send_keys(keys)
                    .await
            })
            .unwrap_or_else(|e| panic!("typing into {selector}: {e}"));
    }

    /// Sizes the window so that the page's viewport is `width` x `height` CSS pixels, as on a
    /// screen of that size (the window's own frame is measured and added).
    pub fn viewport(&self, width: u32, height: u32) {
        let client = self.client.as_ref().unwrap();
        let set = |w: u32, h: u32| {
            self.runtime
                .block_on(client.set_window_size(w, h))
                .unwrap_or_else(|e| panic!("sizing the window: {e}"));
        };
        set(width, height);
        let inner = self.eval("return [window.innerWidth, window.innerHeight];");
        let frame = |i: usize, want: u32| want.saturating_sub(inner[i].as_u64().unwrap() as u32);
        set(width + frame(0, width), height + frame(1, height));
    }

    /// The URL of the page now shown.
    pub fn url(&self) -> String {
        let client = self.client.as_ref().unwrap();
        self.runtime
            .block_on(client.current_url())
            .unwrap()
            .to_string()
    }

    /// Runs `script` (a function body; `return` a value) in the page.
    pub fn eval(&self, script: &str) -> serde_json::Value {
        self.eval_with(script, Vec::new())
    }

    /// [`Browser::eval`] with `arguments` for the script.
    pub fn eval_with(&self, script: &str, arguments: Vec<serde_json::Value>) -> serde_json::Value {
        let client = self.client.as_ref().unwrap();
        self.runtime
            .block_on(client.execute(script, arguments))
            .unwrap_or_else(|e| panic!("{}: {e}", &script[..script.len().min(200)]))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// The sidebar of page `rel` of the site in `out` as its section's script writes it (before
/// the script marks the current page and windows the list): every href from the site's root.
pub fn sidebar_of(out: &Path, rel: &str) -> String {
    let html = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    sidebar_script(out, rel, &html).expect("a sidebar script").1
}

/// The sidebar script page `rel` (its HTML `html`) loads, as its path in the site (`..`
/// settled), with the sidebar it writes (hrefs from the site's top); `None` for a page without
/// one (the 404 page's sidebar is in the page).
pub fn sidebar_script(out: &Path, rel: &str, html: &str) -> Option<(String, String)> {
    let nav = &html[html.find(r#"<nav id="site-nav""#)?..];
    let nav = &nav[..nav.find("</nav>")?];
    let src = &nav[nav.find("<script src=\"")? + 13..];
    let src = &src[..src.find('"')?];
    let mut path: Vec<&str> = rel.split('/').collect();
    path.pop();
    for seg in src.split('/') {
        match seg {
            ".." => {
                path.pop();
            }
            "." | "" => {}
            s => path.push(s),
        }
    }
    let path = path.join("/");
    let script = std::fs::read_to_string(out.join(&path))
        .unwrap_or_else(|e| panic!("{src} from {rel}: {e}"));
    let args = &script[script.rfind("})(").expect("a call") + 3..];
    let args = args.trim_end().trim_end_matches(';').trim_end_matches(')');
    let args: serde_json::Value = serde_json::from_str(&format!("[{args}]")).unwrap();
    Some((path, args[1].as_str().unwrap().to_string()))
}
