//! Self-consistency: `check` and the built site agree. An independent crawler (written here,
//! sharing nothing with the resolver) reads every page of a built fixture handbook and the
//! sidebars their scripts write, follows every `href`, `src`, `srcset`, `poster` and refresh
//! URL as a browser opening the site from disk would, and looks every `#fragment` up among
//! the ids of its page. Each source file must
//! have exactly as many broken links and fragments in its page as `check` reports for it:
//! no broken link goes unreported, and nothing reported is fine in the built site.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use handbook::site::url::output_file;
use handbook::{Handbook, Options};

use crate::harness::{HandbookTest, AS_OF};

/// Rules whose finding is a link that breaks in the built site: its target file is missing.
const MISSING_FILE: &[&str] = &["link-broken", "link-unpublished", "link-to-draft"];
/// Rules whose finding is a fragment missing from its page.
const MISSING_FRAGMENT: &[&str] = &["anchor-broken"];

/// What the crawler found wrong in one page.
#[derive(Debug, Default)]
struct Broken {
    files: Vec<String>,
    fragments: Vec<String>,
}

/// One HTML page as the crawler reads it.
struct Html {
    ids: HashSet<String>,
    urls: Vec<String>,
}

/// Reads tags as a browser does, enough for URLs and ids: comments and the text of
/// `<script>` and `<style>` hold none.
fn read_html(html: &str) -> Html {
    let mut page = Html {
        ids: HashSet::new(),
        urls: Vec::new(),
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let name_len = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len() - 1);
        if name_len == 0 || !rest.as_bytes()[1].is_ascii_alphabetic() {
            rest = &rest[1..];
            continue;
        }
        let name = rest[1..1 + name_len].to_ascii_lowercase();
        let mut attrs: Vec<(String, String)> = Vec::new();
        let mut at = &rest[1 + name_len..];
        loop {
            at = at.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if at.is_empty() || at.starts_with('>') {
                at = at.get(1..).unwrap_or("");
                break;
            }
            let key_len = at
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .unwrap_or(at.len());
            let key = at[..key_len].to_ascii_lowercase();
            at = at[key_len..].trim_start();
            let Some(value) = at.strip_prefix('=') else {
                attrs.push((key, String::new()));
                continue;
            };
            let value = value.trim_start();
            let (v, remaining) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = value[1..].find(q).map_or(value.len(), |e| e + 1);
                    (&value[1..end], value.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = value
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(value.len());
                    (&value[..end], &value[end..])
                }
            };
            attrs.push((key, unescape(v)));
            at = remaining;
        }
        for (key, value) in &attrs {
            match key.as_str() {
                "id" => {
                    page.ids.insert(value.clone());
                }
                "name" if name == "a" => {
                    page.ids.insert(value.clone());
                }
                "href" | "src" | "poster" | "data" => page.urls.push(value.clone()),
                "srcset" => page.urls.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(str::to_string),
                ),
                "content"
                    if attrs
                        .iter()
                        .any(|(k, v)| k == "http-equiv" && v.eq_ignore_ascii_case("refresh")) =>
                {
                    if let Some(i) = value.to_ascii_lowercase().find("url=") {
                        page.urls.push(value[i + 4..].trim().to_string());
                    }
                }
                _ => {}
            }
        }
        rest = at;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |i| &rest[i..]);
        }
    }
    page
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Every `.html` file of the site, by site path.
fn html_files(site: &Path) -> Vec<String> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// Follows every URL of every page of the site at `site`, as from `file://`, and of the
/// sidebars the pages' scripts write (from the site's top: the script puts the way there
/// before them), each script once.
fn crawl(site: &Path) -> BTreeMap<String, Broken> {
    let mut pages: HashMap<String, Html> = HashMap::new();
    let mut sidebars: BTreeMap<String, Html> = BTreeMap::new();
    for file in html_files(site) {
        let text = std::fs::read_to_string(site.join(&file)).unwrap();
        if let Some((script, sidebar)) = crate::harness::sidebar_script(site, &file, &text) {
            sidebars
                .entry(script)
                .or_insert_with(|| read_html(&sidebar));
        }
        pages.insert(file, read_html(&text));
    }
    let mut out: BTreeMap<String, Broken> = BTreeMap::new();
    for (file, page) in &pages {
        // The page's folder, as segments.
        let mut dir: Vec<String> = file.split('/').map(str::to_string).collect();
        dir.pop();
        for url in &page.urls {
            follow(site, &pages, file, &dir, url, &mut out);
        }
    }
    for (script, sidebar) in &sidebars {
        for url in &sidebar.urls {
            follow(site, &pages, script, &[], url, &mut out);
        }
    }
    out
}

/// Follows `url`, written in `file` (a page, or a sidebar's script) whose links start in the
/// folder `dir`; what breaks goes into `out` under `file`.
fn follow(
    site: &Path,
    pages: &HashMap<String, Html>,
    file: &String,
    dir: &[String],
    url: &str,
    out: &mut BTreeMap<String, Broken>,
) {
    let url = url.trim();
    let scheme = url.split_once(':').is_some_and(|(s, _)| {
        s.len() > 1
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if scheme || url.starts_with("//") {
        return;
    }
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        Some(file.clone())
    } else {
        // The 404 page is served at any depth: its links start at the site's top.
        // Anywhere else, a link from the top breaks from disk and under a sub-path.
        let (mut segs, rest) = match path.strip_prefix('/') {
            Some(rest) if file == "404.html" => (Vec::new(), rest),
            Some(_) => (vec!["\u{0}".to_string()], ""),
            None => (dir.to_vec(), path),
        };
        let decoded = percent_decode(rest);
        let mut ok = true;
        for seg in decoded.split('/') {
            match seg {
                "" | "." => {}
                ".." => ok &= segs.pop().is_some(),
                s => segs.push(s.to_string()),
            }
        }
        let mut joined = segs.join("/");
        if decoded.ends_with('/') || site.join(&joined).is_dir() {
            joined = format!("{}/index.html", joined.trim_end_matches('/'))
                .trim_start_matches('/')
                .to_string();
        }
        (ok && site.join(&joined).is_file()).then_some(joined)
    };
    let Some(target) = target else {
        out.entry(file.clone())
            .or_default()
            .files
            .push(url.to_string());
        return;
    };
    let Some(fragment) = fragment.map(percent_decode) else {
        return;
    };
    let Some(target_page) = pages.get(&target) else {
        return; // A file that is not a page: its fragment is its own business.
    };
    let lower = fragment.to_lowercase();
    let found = fragment.is_empty()
        || fragment == "top"
        || target_page.ids.contains(&fragment)
        || target_page.ids.iter().any(|id| id.to_lowercase() == lower);
    if !found {
        out.entry(file.clone())
            .or_default()
            .fragments
            .push(url.to_string());
    }
}

/// Builds the handbook at `root` into `out` and holds `check`'s link findings to the crawl.
/// Returns how many broken links and fragments the site has, so a caller may insist that a
/// fixture plants some.
fn consistent(name: &str, root: &Path, out: Option<PathBuf>) -> usize {
    let options = Options {
        as_of: AS_OF.parse().unwrap(),
        out,
        ..Options::default()
    };
    let mut hb = Handbook::load(root, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
    hb.build().unwrap_or_else(|e| panic!("{name}: {e}"));
    // `handbook check` renders no HTML (and so writes no hrefs): its link findings are the
    // build's, at the same places.
    let checked = Options {
        check_only: true,
        ..options
    };
    let check = Handbook::load(root, &checked).unwrap_or_else(|e| panic!("{name}: {e}"));
    let links = |diags: &[handbook::diagnostic::Diagnostic]| -> Vec<String> {
        (diags.iter())
            .filter(|d| {
                ["link", "anchor"]
                    .iter()
                    .any(|r| d.rule.name().starts_with(r))
            })
            .map(|d| format!("{d} ({}:{}) {:?}", d.line, d.column, d.help))
            .collect()
    };
    assert_eq!(links(&check.diagnostics), links(&hb.diagnostics), "{name}");
    let site_dir = hb.output_dir.clone();
    // Which source files each page of the site comes from: its document and the files it
    // includes (whose findings are reported once, at their own lines, and count for every
    // page that includes them).
    let mut source: HashMap<String, Vec<PathBuf>> = HashMap::new();
    for page in hb.site.published() {
        if let Some(doc) = &page.doc {
            let parts = doc.included.iter().flat_map(|i| i.parts());
            let files = std::iter::once(doc.file.clone())
                .chain(parts.map(|p| p.file.clone()))
                .collect();
            source.insert(output_file(&page.url), files);
        }
    }
    let count = |files: &[PathBuf], rules: &[&str]| {
        hb.diagnostics
            .iter()
            .filter(|d| rules.contains(&d.rule.name()) && files.contains(&d.file))
            .count()
    };
    let broken = crawl(&site_dir);
    let mut problems = Vec::new();
    let mut total = 0;
    for (page, b) in &broken {
        total += b.files.len() + b.fragments.len();
        let Some(file) = source.get(page) else {
            problems.push(format!(
                "{page} (made by handbook, no source) has broken URLs: {b:?}"
            ));
            continue;
        };
        let shown = file[0].display();
        if b.files.len() != count(file, MISSING_FILE) {
            problems.push(format!(
                "{page} ({shown}): the site has {} broken link(s) {:?}; check reports {} of {MISSING_FILE:?}",
                b.files.len(),
                b.files,
                count(file, MISSING_FILE)
            ));
        }
        if b.fragments.len() != count(file, MISSING_FRAGMENT) {
            problems.push(format!(
                "{page} ({shown}): the site has {} broken fragment(s) {:?}; check reports {} anchor-broken",
                b.fragments.len(),
                b.fragments,
                count(file, MISSING_FRAGMENT)
            ));
        }
    }
    // Findings in pages where the crawler found nothing broken: reported, yet fine.
    for (page, file) in &source {
        if broken.contains_key(page) {
            continue;
        }
        let reported = count(file, MISSING_FILE) + count(file, MISSING_FRAGMENT);
        if reported > 0 {
            problems.push(format!(
                "{page} ({}): check reports {reported} broken link(s) or fragment(s), the built page has none",
                file[0].display()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{name}: check and the built site disagree:\n  {}\ndiagnostics:\n{}",
        problems.join("\n  "),
        hb.diagnostics
            .iter()
            .map(|d| format!("  {d}\n"))
            .collect::<String>()
    );
    total
}

#[test]
fn the_crawler_finds_what_it_should() {
    let html = read_html(
        "<a href=\"a.html#x\" id=one><!-- <a href=\"no\"> --><script>var s = '<a href=\"no2\">';</script>\
         <img srcset=\"b.png 1x, c.png 2x\"><A NAME=two></A><meta http-equiv=\"refresh\" content=\"0; url=d/index.html\">",
    );
    assert_eq!(html.urls, ["a.html#x", "b.png", "c.png", "d/index.html"]);
    assert_eq!(
        html.ids,
        HashSet::from(["one".to_string(), "two".to_string()])
    );
}

/// The sidebar is not in the pages but in a script each loads: its links are followed too,
/// from the site's top, under the script's name.
#[test]
fn the_crawler_follows_the_sidebar_scripts() {
    let site = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = site.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let page = |script: &str| {
        format!("<nav id=\"site-nav\"><script src=\"{script}\"></script></nav><h1 id=\"t\">T</h1>")
    };
    write("index.html", &page("assets/nav/index.js"));
    write("a/index.html", &page("../assets/nav/index.js"));
    write(
        "assets/nav/index.js",
        r#"(function (k, b) {})("assets/nav/index.js", "<a href=\"a/index.html#t\">A</a> <a href=\"gone/index.html\">Gone</a> <a href=\"index.html#nowhere\">Top</a>", 30, "index.html", "T");"#,
    );
    let broken = crawl(site.path());
    assert_eq!(broken.len(), 1, "{broken:?}");
    let b = &broken["assets/nav/index.js"];
    assert_eq!(b.files, ["gone/index.html"]);
    assert_eq!(b.fragments, ["index.html#nowhere"]);
}

#[test]
fn check_agrees_with_the_built_links_fixture() {
    let t = HandbookTest::from_fixture("links");
    let broken = consistent("links", &t.root, None);
    // The fixture plants broken links of every kind; a crawl that finds none proves nothing.
    assert!(broken >= 12, "only {broken} broken URLs found");
}

#[test]
fn check_agrees_with_the_built_basic_fixture() {
    let t = HandbookTest::from_fixture("basic");
    consistent("basic", &t.root, None);
}

#[test]
fn check_agrees_with_the_built_example_handbook() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    consistent("example", root, Some(out.path().join("site")));
}

#[test]
fn check_agrees_with_the_built_handbooks_of_other_tools() {
    for tool in ["github", "hugo", "jekyll", "mdbook", "mkdocs", "techdocs"] {
        let t = crate::sources::init_from(tool);
        let broken = consistent(tool, &t.root, None);
        assert!(broken > 0, "{tool}: the fixture plants broken links");
    }
}
