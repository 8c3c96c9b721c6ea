//! Search: the query side must fold and stem exactly as the index does.

use std::collections::BTreeSet;
use std::path::Path;

use handbook::search::tokenize::{stem, tokenize};

use crate::harness::{search_data, Browser, HandbookTest};

/// Words to stem: every word of this repository's documentation and example handbook, and
/// the words that exercise each step of the algorithm. (Once, by hand, 94,346 distinct words
/// from the sources of the crates in ~/.cargo also stemmed alike.)
fn words() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = ["README.md", "ARCHITECTURE.md", "BENCHMARKS.md"]
        .iter()
        .map(|f| std::fs::read_to_string(root.join(f)).unwrap())
        .collect();
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            texts.push(std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    let mut words = BTreeSet::new();
    for t in &texts {
        let mut tokens = Vec::new();
        tokenize(t, &mut tokens);
        words.extend(tokens.into_iter().map(|t| t.term));
    }
    for w in "caresses ponies ties caress cats feed agreed plastered bled motoring sing \
              conflated troubled sized hopping tanned falling hissing fizzed failing filing \
              happy sky relational conditional rational valenci hesitanci digitizer \
              conformabli radicalli differentli vileli analogousli vietnamization predication \
              operator feudalism decisiveness hopefulness callousness formaliti sensitiviti \
              sensibiliti triplicate formative formalize electriciti electrical hopeful goodness \
              revival allowance inference airliner gyroscopic adjustable defensible irritant \
              replacement adjustment dependent adoption communism activate angulariti \
              homologous effective bowdlerize probate rate cease controll roll generously \
              communication arsenal yelling sayings eyes dyes skies dying news inning proceeding \
              exceeded geology archaeology fluently lessly hopelessly gently early"
        .split_whitespace()
    {
        words.insert(w.to_string());
    }
    words.into_iter().collect()
}

#[test]
fn the_script_stems_as_the_index_does() {
    let Some(browser) = Browser::start("stemmer") else {
        return;
    };
    let words = words();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("stem.html");
    std::fs::write(
        &page,
        format!(
            "<!DOCTYPE html><meta charset=utf-8><script>{}</script><script>var WORDS = {};</script>",
            include_str!("../../src/search/stem.js"),
            serde_json::to_string(&words).unwrap()
        ),
    )
    .unwrap();
    browser.open_file(&page);
    let got = browser.eval("return WORDS.map(handbookStem);");
    let got: Vec<String> = serde_json::from_value(got).unwrap();
    let wrong: Vec<String> = words
        .iter()
        .zip(&got)
        .filter(|(w, js)| stem(w) != js.as_str())
        .map(|(w, js)| format!("{w}: Rust {} / script {js}", stem(w)))
        .collect();
    assert!(words.len() > 1000, "{}", words.len());
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        words.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_script_splits_and_folds_as_the_index_does() {
    let Some(browser) = Browser::start("tokenizer") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = vec![
        "Déploiement ÉCOLE Straße Ærø Łódź ﬁle İstanbul ℌello".into(),
        "SOP-014: Don't patch\tservers (v2.1) rock’n’roll 'quoted'".into(),
        "障害対応の手順 SOP 障害 한국어 テスト\u{3099}".into(),
        "মা\u{9be} naïve café x\u{301}y 12½ ⅔ Ⅻ".into(),
    ];
    texts.push(std::fs::read_to_string(root.join("README.md")).unwrap());
    texts.push(std::fs::read_to_string(root.join("content/sops/security-patching.md")).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("tokens.html");
    std::fs::write(
        &page,
        format!(
            "<!DOCTYPE html><meta charset=utf-8><script>{}</script><script>var TEXTS = {};</script>",
            include_str!("../../src/search/tokenize.js"),
            serde_json::to_string(&texts).unwrap()
        ),
    )
    .unwrap();
    browser.open_file(&page);
    let got: Vec<Vec<String>> =
        serde_json::from_value(browser.eval("return TEXTS.map(handbookTokens);")).unwrap();
    for (text, js) in texts.iter().zip(got) {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let rust: Vec<String> = tokens.into_iter().map(|t| t.term).collect();
        if rust != js {
            let at = rust.iter().zip(&js).position(|(a, b)| a != b).unwrap_or(0);
            panic!(
                "tokens differ at {at}: Rust {:?} / script {:?}",
                &rust[at..(at + 5).min(rust.len())],
                &js[at..(at + 5).min(js.len())]
            );
        }
    }
}

/// The example handbook, built into a temporary folder, opened from disk in a browser.
struct Site {
    out: tempfile::TempDir,
    browser: Browser,
}

impl Site {
    fn open(test: &str) -> Option<Site> {
        Site::open_with(test, &[])
    }

    fn open_with(test: &str, switches: &[&str]) -> Option<Site> {
        Site::open_built(test, switches, Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    /// Builds the handbook at `root` (the example handbook for [`Site::open`]).
    fn open_built(test: &str, switches: &[&str], root: &Path) -> Option<Site> {
        let browser = Browser::start_with(test, switches)?;
        let out = tempfile::tempdir().unwrap();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(["build", "--quiet", "--as-of", "2026-11-23", "--out"])
            .arg(out.path().join("site"))
            .current_dir(root)
            .status()
            .unwrap();
        assert!(status.success());
        Some(Site { out, browser })
    }

    fn page(&self, rel: &str) -> String {
        format!("file://{}/site/{rel}", self.out.path().display())
    }

    /// Opens `rel` with `?q=query` and waits for the results.
    fn open_query(&self, rel: &str, query: &str) -> Vec<(String, String)> {
        let q: String = url_escape(query);
        self.browser.open(&format!("{}?q={q}", self.page(rel)));
        assert!(
            self.browser.wait_for(
                "var p = document.getElementById('search-panel');
                 return !!p && !p.hidden && p.getAttribute('data-state') === 'done'
               && p.getAttribute('data-query') === document.getElementById('search-input').value;"
            ),
            "no results shown for {query:?}"
        );
        self.results()
    }

    /// Types `query` into the open page's search box and waits for its results.
    fn query(&self, query: &str) -> Vec<(String, String)> {
        let script = format!(
            "var i = document.getElementById('search-input'); i.value = {};
             return window.handbookSearch.run().then(function () {{ return true; }});",
            serde_json::to_string(query).unwrap()
        );
        self.browser.eval(&script);
        self.results()
    }

    /// Title and href of each result shown.
    fn results(&self) -> Vec<(String, String)> {
        serde_json::from_value(self.browser.eval(
            "return Array.from(document.querySelectorAll('.search-result a')).map(function (a) {
               return [a.querySelector('.search-result-title').textContent, a.href];
             });",
        ))
        .unwrap()
    }
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The golden set: queries on the example handbook and the page each must find first.
const GOLDEN: &[(&str, &str)] = &[
    ("security patching", "sops/security-patching/"),
    ("SOP-004", "sops/on-call-rotation/"),
    ("sop-001", "sops/security-patching/"),
    ("on-call rotation", "sops/on-call-rotation/"),
    ("firewall", "runbooks/firewall-rule-change/"),
    ("offboarding", "checklists/leaver-offboarding/"),
    ("Mei Chen", "team/people/mchen/"),
    ("POL-001", "policies/information-security/"),
    ("budget purchasing", "policies/budget-and-purchasing/"),
    ("hardware purchasing", "sops/hardware-purchasing/"),
    ("incident management", "sops/incident-management/"),
    ("restore service", "runbooks/server-outage-response/"),
    ("firmware", "sops/firmware-updates/"),
    ("code review", "sops/code-review/"),
    ("annual report", "sops/annual-report/"),
    ("monthly operations", "sops/monthly-reporting/"),
    ("hiring", "sops/hiring/"),
    ("performance reviews", "sops/performance-reviews/"),
    ("acceptable use", "policies/acceptable-use/"),
    ("remote access policy", "policies/remote-access/"),
    ("antivirus", "runbooks/hids-antivirus-alert-triage/"),
    ("server outage", "runbooks/server-outage-response/"),
    ("CL-002", "checklists/quarterly-access-review/"),
    ("first week engineer", "onboarding/first-week-engineer/"),
    (
        "training certification",
        "policies/training-and-certification/",
    ),
    // Prefix of the last word, as typed.
    ("firew", "runbooks/firewall-rule-change/"),
    ("security patc", "sops/security-patching/"),
    // A typo in a word of five letters or more.
    ("firmwre", "sops/firmware-updates/"),
    ("offbaording", "checklists/leaver-offboarding/"),
];

#[test]
fn golden_queries_find_the_expected_page_first() {
    let Some(site) = Site::open("golden queries") else {
        return;
    };
    site.open_query("index.html", "handbook");
    let mut wrong = Vec::new();
    for (query, expected) in GOLDEN {
        let results = site.query(query);
        let first = results.first().map(|(_, href)| href.as_str()).unwrap_or("");
        let page = first.split('#').next().unwrap_or("");
        if !page.ends_with(&format!("/site/{expected}index.html")) {
            wrong.push(format!(
                "{query:?}: expected {expected}, got {:?}",
                results.iter().take(3).collect::<Vec<_>>()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

const ENTER: &str = "\u{E007}";
const DOWN: &str = "\u{E015}";
const UP: &str = "\u{E013}";
const ESCAPE: &str = "\u{E00C}";

fn wait_for_results(browser: &Browser) {
    assert!(browser.wait_for(
        "var p = document.getElementById('search-panel');
         return !p.hidden && p.getAttribute('data-state') === 'done'
           && p.getAttribute('data-query') === document.getElementById('search-input').value
           && document.querySelectorAll('.search-result').length > 0;"
    ));
}

/// Types a query on a page opened from disk: `/` focuses the box, results come as the words
/// are typed, with the words marked; arrow keys and Enter open the result at its heading.
#[test]
fn typing_a_query_and_enter_land_on_the_matching_heading() {
    let Some(site) = Site::open("typing a query") else {
        return;
    };
    let b = &site.browser;
    b.open(&site.page("sops/code-review/index.html"));
    b.type_into("body", "/");
    assert_eq!(
        b.eval("return document.activeElement.id;"),
        "search-input",
        "`/` focuses the search box"
    );
    // Ctrl-K too, from anywhere: here from the box's own text, which it selects.
    b.type_into("#search-input", "old words");
    b.eval("document.activeElement.blur(); return true;");
    b.type_into("body", "\u{E009}k\u{E000}");
    assert_eq!(
        b.eval(
            "var i = document.getElementById('search-input');
             return [document.activeElement.id, i.selectionStart, i.selectionEnd];"
        ),
        serde_json::json!(["search-input", 0, 9]),
        "Ctrl-K focuses the search box and selects its words"
    );
    b.eval("var i = document.getElementById('search-input'); i.value = ''; return true;");
    b.type_into("#search-input", "firmware inventor");
    wait_for_results(b);
    let first = b.eval(
        "var a = document.querySelector('.search-result a');
         return [a.querySelector('.search-result-title').textContent,
                 a.querySelector('.kind').textContent,
                 a.querySelector('.search-result-crumbs').textContent,
                 Array.from(a.querySelectorAll('.search-result-snippet mark'))
                   .map(function (m) { return m.textContent.toLowerCase(); }).join(' '),
                 a.getAttribute('href')];",
    );
    assert_eq!(first[0], "Firmware Updates", "{first}");
    assert_eq!(first[1], "SOP", "{first}");
    assert!(
        first[2]
            .as_str()
            .unwrap()
            .starts_with("Standard Operating Procedures › "),
        "{first}"
    );
    assert!(
        first[3].as_str().unwrap().contains("inventor"),
        "the words are marked in the snippet, the last as a prefix: {first}"
    );
    let href = first[4].as_str().unwrap().to_string();
    assert!(href.contains("sops/firmware-updates/index.html#"), "{href}");

    b.type_into("#search-input", DOWN);
    assert_eq!(
        b.eval("return document.activeElement === document.querySelector('.search-result a');"),
        true,
        "Down moves to the first result"
    );
    // Down and Up again: back on the first, and Enter follows it.
    b.type_into(".search-result a:focus", DOWN);
    b.type_into(".search-result a:focus", UP);
    b.type_into(".search-result a:focus", ENTER);
    assert!(b.wait_for("return location.pathname.endsWith('/sops/firmware-updates/index.html');"));
    let anchor = href.split('#').nth(1).unwrap();
    assert_eq!(b.url().split('#').nth(1), Some(anchor));
    assert!(
        b.eval(&format!(
            "var h = document.getElementById(decodeURIComponent({anchor:?}));
             return !!h && /^H[1-6]$/.test(h.tagName);"
        ))
        .as_bool()
        .unwrap(),
        "the result's anchor is a heading of the page"
    );

    // Esc closes the results.
    b.type_into("#search-input", "patch");
    wait_for_results(b);
    b.type_into("#search-input", ESCAPE);
    assert!(b.wait_for("return document.getElementById('search-panel').hidden;"));
}

/// A query with a typo finds the word; a filter narrows the results to what it names.
#[test]
fn typos_are_forgiven_and_filters_narrow_the_results() {
    let Some(site) = Site::open("typo and filter") else {
        return;
    };
    // Neither the box nor the results panel is sent with every page: the script makes them.
    let sent = std::fs::read_to_string(site.out.path().join("site/index.html")).unwrap();
    assert!(sent.contains(" data-search ") && !sent.contains("id=\"search-panel\""));
    assert!(!sent.contains("search-input"));
    let results = site.open_query("index.html", "patcihng");
    assert!(
        results.iter().any(|(t, _)| t == "Security Patching"),
        "{results:?}"
    );
    let panels = site.browser.eval(
        "return document.querySelectorAll('#search-panel, .search-filters, #search-results').length;",
    );
    assert_eq!(panels, 3);
    let all = site.query("review");
    assert!(all.len() > 3, "{all:?}");
    let kinds = |b: &Browser| -> Vec<String> {
        serde_json::from_value(b.eval(
            "return Array.from(document.querySelectorAll('.search-result .kind'))
               .map(function (k) { return k.textContent; });",
        ))
        .unwrap()
    };
    assert!(kinds(&site.browser).iter().any(|k| k != "Policy"));
    site.browser.eval(
        "var s = document.querySelector('select[data-facet=kind]');
         var o = Array.from(s.options).find(function (o) { return o.textContent === 'Policy'; });
         s.value = o.value;
         return window.handbookSearch.run().then(function () { return true; });",
    );
    let filtered = kinds(&site.browser);
    assert!(!filtered.is_empty());
    assert!(filtered.iter().all(|k| k == "Policy"), "{filtered:?}");
}

/// What the index holds and how results show it: accents folded, code and CJK text found,
/// drafts never indexed, retired documents marked, and markup in a document shown as text.
#[test]
fn results_fold_find_code_and_cjk_leave_out_drafts_and_escape_markup() {
    let Some(browser) = Browser::start("search content") else {
        return;
    };
    let t = crate::harness::HandbookTest::from_fixture("basic")
        .file(
            "content/guides/deploy.md",
            "---\ntitle: \"Déploiement <script>window.pwned = 1</script>\"\n---\n\n\
             Le déploiement du service.\n\n\
             Run `<img src=x onerror=\"window.pwned = 2\">` first.\n\n\
             ```sh\nkubectl rollout undo deployment/web\n```\n",
        )
        .file(
            "content/guides/incident-ja.md",
            "---\ntitle: 障害対応の手順\n---\n\nサーバー障害対応の手順です。\n",
        )
        .file(
            "content/sops/draft-only.md",
            "---\ntitle: Zanzibarish\nkind: sop\nstatus: draft\n---\n\nZanzibarish words.\n",
        )
        .file(
            "content/guides/old.md",
            "---\ntitle: Quokka Procedure\nstatus: retired\n---\n\nQuokka.\n",
        )
        .with_drafts()
        .build();
    let home = t.out("index.html");
    let query = |q: &str| -> Vec<(String, String)> {
        browser.open(&format!("file://{}?q={}", home.display(), url_escape(q)));
        assert!(browser.wait_for(
            "var p = document.getElementById('search-panel');
             return !p.hidden && p.getAttribute('data-state') === 'done'
               && p.getAttribute('data-query') === document.getElementById('search-input').value;"
        ));
        serde_json::from_value(browser.eval(
            "return Array.from(document.querySelectorAll('.search-result a')).map(function (a) {
               return [a.querySelector('.search-result-title').textContent, a.textContent];
             });",
        ))
        .unwrap()
    };

    let found = query("deploiement");
    assert_eq!(
        found.first().map(|r| r.0.as_str()),
        Some("Déploiement <script>window.pwned = 1</script>"),
        "{found:?}"
    );
    let found = query("onerror kubectl");
    assert_eq!(found.len(), 1, "code text is searchable: {found:?}");
    assert!(found[0].1.contains("<img src=x"), "{found:?}");
    assert_eq!(browser.eval("return window.pwned === undefined;"), true);

    let found = query("対応");
    assert_eq!(
        found.first().map(|r| r.0.as_str()),
        Some("障害対応の手順"),
        "{found:?}"
    );

    assert!(
        query("zanzibarish").is_empty(),
        "drafts stay out of the index"
    );
    let found = query("quokka");
    assert!(found[0].1.contains("Retired"), "{found:?}");
}

/// axe-core, installed by `.ci/run` with npm (`HANDBOOK_AXE` names another copy).
fn axe_source(test: &str) -> Option<String> {
    let path = std::env::var_os("HANDBOOK_AXE").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/npm/node_modules/axe-core/axe.min.js")
        },
        std::path::PathBuf::from,
    );
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{test}: needs axe-core at {}", path.display())
        }
        Err(_) => {
            eprintln!(
                "skipped {test}: needs axe-core (npm install --prefix target/npm axe-core@4)"
            );
            None
        }
    }
}

/// axe-core on the home page, an SOP, a person's page, an on-call rotation's page, a runbook
/// that names it ("On call now") and the open search results, in the
/// light and the dark scheme, on a laptop's screen and a phone's: no serious or critical
/// violation.
#[test]
fn pages_and_search_results_pass_axe_in_light_and_dark() {
    let Some(axe) = axe_source("axe-core") else {
        return;
    };
    let mut found = Vec::new();
    for (scheme, switches) in [("light", &[][..]), ("dark", &["--force-dark-mode"][..])] {
        let Some(site) = Site::open_with("axe-core", switches) else {
            return;
        };
        let dark = site
            .browser
            .eval("return matchMedia('(prefers-color-scheme: dark)').matches;");
        assert_eq!(dark, scheme == "dark");
        for (width, height) in [(1280, 800), (390, 844)] {
            site.browser.viewport(width, height);
            for page in [
                "index.html",
                "sops/security-patching/index.html",
                "team/people/mchen/index.html",
                "team/rotations/platform-primary/index.html",
                "runbooks/server-outage-response/index.html",
                "search",
            ] {
                if page == "search" {
                    site.open_query("sops/security-patching/index.html", "patching");
                } else {
                    site.browser.open(&site.page(page));
                }
                site.browser.eval_with(
                    "(0, eval)(arguments[0]); return true;",
                    vec![axe.clone().into()],
                );
                let violations = site.browser.eval(
                "return axe.run(document, { resultTypes: ['violations'] }).then(function (r) {
                   return r.violations
                     .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
                     .map(function (v) {
                       return v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(function (n) {
                         return n.target.join(' ');
                       }).join(', ');
                     });
                 });",
            );
                for v in violations.as_array().unwrap() {
                    found.push(format!(
                        "{scheme} {width}px {page}: {}",
                        v.as_str().unwrap()
                    ));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Opens `page` (a file) with the search script loaded, as a first query loads it.
fn open_searchable(browser: &Browser, page: &Path) {
    browser.open(&format!("file://{}?q=a", page.display()));
    assert!(browser.wait_for("return !!window.handbookSearch;"));
}

/// Types `query` into the search box of the page open in `browser` and returns the results'
/// titles once shown.
fn titles_for(browser: &Browser, query: &str) -> Vec<String> {
    let script = format!(
        "var i = document.getElementById('search-input'); i.value = {};
         return window.handbookSearch.run().then(function () {{
           return Array.from(document.querySelectorAll('.search-result-title'))
             .map(function (t) {{ return t.textContent; }});
         }});",
        serde_json::to_string(query).unwrap()
    );
    serde_json::from_value(browser.eval(&script)).unwrap()
}

/// A word on more than 128 pages has exact impacts for its best 128 only (the others share one
/// level): a query of two words still finds exactly the pages with both, ranked by them.
#[test]
fn a_common_word_joins_a_rare_one_with_its_shared_levels() {
    let Some(browser) = Browser::start("a_common_word_joins_a_rare_one_with_its_shared_levels")
    else {
        return;
    };
    let mut t = HandbookTest::empty();
    for i in 0..200 {
        // Every page 30 words long. Pages 50-199 say `glacier` nine times: the first 128 of
        // them are its best pages, with exact levels; pages 0-49 say it once and share a level
        // with the rest. Pages 10 and 60 also have one rare word, alike.
        let glacier = if i >= 50 { 9 } else { 1 };
        let mut words = vec!["glacier"; glacier];
        words.extend(std::iter::repeat_n("moraine", 30 - glacier - 3));
        words.extend(match i {
            10 | 60 => ["ptarmigan", "nests", "here"],
            _ => ["plain", "text", "here"],
        });
        t = t.file(
            &format!("content/notes/note-{i:03}.md"),
            format!("---\ntitle: Note {i:03}\n---\n\n{}\n", words.join(" ")),
        );
    }
    let t = t.build().assert_ok();
    open_searchable(&browser, &t.out("index.html"));
    assert_eq!(titles_for(&browser, "glacier").len(), 10, "a first screen");
    // Equal on the rare word, so glacier's levels decide: page 60's exact one beats page 10's
    // shared one (were they equal, page 10 would come first, as the earlier page).
    // (The pages with only some of the words follow the two, said so above them.)
    assert_eq!(
        titles_for(&browser, "ptarmigan glacier")[..2],
        ["Note 060", "Note 010"]
    );
    assert_eq!(
        titles_for(&browser, "glacier ptarmigan nests")[..2],
        ["Note 060", "Note 010"]
    );
    assert_eq!(
        browser.eval("return document.querySelector('.search-status').textContent;"),
        serde_json::json!("2 results with all the words, then 198 pages with some of them")
    );
}

/// A page that loaded part of the index keeps working when the index is replaced under it (a
/// preview server swapping it in, a new upload): a file from the new build is noticed by its
/// stamp, and the index is loaded afresh rather than mixed.
#[test]
fn files_of_a_newer_index_are_not_mixed_with_older_ones() {
    let Some(browser) = Browser::start("files_of_a_newer_index_are_not_mixed_with_older_ones")
    else {
        return;
    };
    let t = HandbookTest::from_fixture("basic").build().assert_ok();
    open_searchable(&browser, &t.out("index.html"));
    assert!(!titles_for(&browser, "review").is_empty());
    let page = t.root.join("content/sops/code-review.md");
    let text = std::fs::read_to_string(&page).unwrap();
    // Kept to the end: the site is in its folder.
    let _t = t
        .file(
            "content/sops/code-review.md",
            text.replace("Catch defects", "Catch zanzibarquux defects"),
        )
        .build()
        .assert_ok();
    // The old heads are cached; a slip loads the list of words, which is new.
    assert_eq!(titles_for(&browser, "zanzibarqux"), ["Code Review"]);
}

/// A `kind: role` document is a Role in results and in the kind filter, whether or not it is
/// its team-data role's page.
#[test]
fn role_documents_are_roles_in_search() {
    let t = HandbookTest::empty()
        .file(
            "data/team.yaml",
            "people:\n  - id: ana\n    name: Ana\n    role: lead\nroles:\n  - id: lead\n    title: Lead\n",
        )
        .file(
            "content/roles/lead.md",
            "---\ntitle: Team lead\nkind: role\nrole: lead\n---\nLeads.\n",
        )
        .file(
            "content/roles/scribe.md",
            "---\ntitle: Scribe\nkind: role\n---\nWrites.\n",
        )
        .build();
    let meta: serde_json::Value =
        serde_json::from_str(&search_data(&t.read("search/meta.js"))).unwrap();
    let kinds = meta["kinds"].as_array().unwrap();
    let role = kinds
        .iter()
        .position(|k| k[0] == "role" && k[1] == "Role")
        .unwrap_or_else(|| panic!("no Role kind in {kinds:?}"));
    let records: Vec<serde_json::Value> =
        serde_json::from_str(&search_data(&t.read("search/d0.js"))).unwrap();
    for title in ["Team lead", "Scribe"] {
        let r = records.iter().find(|r| r[0] == title).unwrap();
        assert_eq!(r[2], role, "{title}: {r}");
    }
}

/// A slip that swaps or mistypes a letter is corrected before one that drops or adds one:
/// "pacthing" finds the patching pages, not the pages about paths (one letter from "pathing"),
/// however often those say "path". A count the first screen cannot know says "or more".
#[test]
fn a_swapped_letter_is_corrected_before_a_dropped_one() {
    let Some(browser) = Browser::start("a_swapped_letter_is_corrected_before_a_dropped_one") else {
        return;
    };
    let paths = "The path to the share, the path to the log, the path again. ".repeat(5);
    let mut t = HandbookTest::empty()
        .file(
            "content/patching.md",
            "# Patching\n\nA long page about many things, and patching among them.\n",
        )
        .file(
            "content/updates.md",
            "# Updates\n\nMonthly patching of servers.\n",
        );
    for i in 0..3 {
        t = t.file(
            &format!("content/paths-{i}.md"),
            format!("# Paths {i}\n\n{paths}\n"),
        );
    }
    let t = t.build().assert_ok();
    open_searchable(&browser, &t.out("index.html"));
    let mut found = titles_for(&browser, "pacthing");
    found.sort();
    assert_eq!(found, ["Patching", "Updates"]);
    // Words starting "pa": the first screen holds each one's best pages, not the whole count.
    titles_for(&browser, "pa");
    let status = browser.eval("return document.querySelector('.search-status').textContent;");
    assert!(
        status.as_str().unwrap().ends_with(" or more results"),
        "{status}"
    );
}

/// Questions as the example handbook's readers would type them, each with the page that
/// answers it, written before any tuning of the ranking (issue 27): navigational (a page by its
/// name), informational (the words of a question, not all on the page), typos, and rare words.
/// Kept apart from [`GOLDEN`], which holds what must come first; here the measure is the mean
/// reciprocal rank of the answer in the first ten results (MRR@10). The set is a file that
/// `bench/search_quality.py` also reads, to run it against Pagefind.
fn questions() -> Vec<(&'static str, &'static str, &'static str)> {
    include_str!("../fixtures/search-questions.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            let mut col = || cols.next().expect("three columns: kind, query, page");
            (col(), col(), col())
        })
        .collect()
}

/// The MRR@10 of the question set: 0.609 when it was written, before any tuning; 0.948 once
/// pages with most of a question's words are ranked; 0.964 once a kind the query names
/// (`outage runbook`) puts its documents first (BENCHMARKS.md).
const MRR_FLOOR: f64 = 0.96;

/// MRR@10 of [`questions`] on the example handbook, overall and per kind of query; held at the
/// figures measured when the set was written (BENCHMARKS.md), so that ranking changes show.
#[test]
fn the_question_set_finds_its_answers() {
    let Some(site) = Site::open("question set") else {
        return;
    };
    let questions = questions();
    assert!(questions.len() >= 30, "{} questions", questions.len());
    let (overall, report) = mean_reciprocal_rank(&site, &questions);
    // A question no page holds every word of says so above what it finds.
    site.query("how much can I spend without approval");
    let status =
        (site.browser).eval("return document.querySelector('.search-status').textContent;");
    assert!(
        status
            .as_str()
            .unwrap()
            .starts_with("No page has all the words; "),
        "{status}"
    );
    assert!(
        overall >= MRR_FLOOR,
        "MRR@10 {overall:.3} below {MRR_FLOOR}:\n{report}"
    );
}

/// MRR@10 of `questions` (kind, query, the answering page's URL) on `site`: the mean reciprocal
/// rank of each answer in the first ten results, and a report (per kind, then per question),
/// also printed for `--nocapture`.
fn mean_reciprocal_rank(site: &Site, questions: &[(&str, &str, &str)]) -> (f64, String) {
    site.open_query("index.html", "handbook");
    let mut by_kind: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    let mut report = Vec::new();
    for &(kind, query, expected) in questions {
        let results = site.query(query);
        let rank = (results.iter().take(10)).position(|(_, href)| {
            href.split('#')
                .next()
                .unwrap_or("")
                .ends_with(&format!("/site/{expected}index.html"))
        });
        let rr = rank.map_or(0.0, |r| 1.0 / (r + 1) as f64);
        by_kind.entry(kind).or_default().push(rr);
        report.push(format!(
            "{kind} {query:?}: rank {} (first: {})",
            rank.map_or("-".into(), |r| (r + 1).to_string()),
            (results.iter().take(3))
                .map(|(title, _)| title.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let all: Vec<f64> = by_kind.values().flatten().copied().collect();
    let overall = mean(&all);
    let summary: Vec<String> = (by_kind.iter())
        .map(|(k, v)| format!("{k} {:.3}", mean(v)))
        .collect();
    let report = format!(
        "MRR@10 {overall:.3} ({})\n{}",
        summary.join(", "),
        report.join("\n")
    );
    eprintln!("{report}");
    (overall, report)
}

/// A word no page has, nor a typo of it, finds the words that begin as it does: `expiry` the
/// pages that say `expires`.
#[test]
fn a_word_no_page_has_finds_those_that_begin_alike() {
    let Some(browser) = Browser::start("a_word_no_page_has_finds_those_that_begin_alike") else {
        return;
    };
    let t = HandbookTest::empty()
        .file(
            "content/passwords.md",
            "---\ntitle: Passwords\n---\n\nA password expires after 90 days; choose a new one.\n",
        )
        .file(
            "content/badges.md",
            "---\ntitle: Badges\n---\n\nYour password and your badge are yours alone.\n",
        )
        .build()
        .assert_ok();
    open_searchable(&browser, &t.out("index.html"));
    // Both words on the first (one by its beginning); the other has one of them.
    assert_eq!(
        titles_for(&browser, "password expiry"),
        ["Passwords", "Badges"]
    );
    assert_eq!(
        browser.eval("return document.querySelector('.search-status').textContent;"),
        serde_json::json!("1 result with all the words, then 1 page with some of them")
    );
}

/// A page with a heading that is the query's words side by side comes before a page whose
/// title only shares them, and links to that heading.
#[test]
fn a_heading_that_is_the_query_comes_first() {
    let Some(browser) = Browser::start("a_heading_that_is_the_query_comes_first") else {
        return;
    };
    let t = HandbookTest::empty()
        .file(
            "content/celebrations.md",
            "---\ntitle: Celebrations\n---\n\nTeam events and lunches.\n\n## Birthday gift budget\n\nUp to 25 euros a person.\n",
        )
        .file(
            "content/cards.md",
            "---\ntitle: Birthday budgets and gift cards\n---\n\nGift cards for a birthday come out of the team's budgets.\n",
        )
        .build()
        .assert_ok();
    open_searchable(&browser, &t.out("index.html"));
    assert_eq!(
        titles_for(&browser, "birthday gift budget"),
        ["Celebrations", "Birthday budgets and gift cards"]
    );
    let href =
        browser.eval("return document.querySelector('.search-result a').getAttribute('href');");
    assert!(
        href.as_str().unwrap().ends_with("#birthday-gift-budget"),
        "{href}"
    );
}

/// The systems of the generated handbook: folder, name in the prose, folder of its area, a term
/// of its trade that only one of its pages uses (the procedure at its own index, modulo 8).
const SYSTEMS: &[(&str, &str, &str, &str)] = &[
    ("postgres", "PostgreSQL", "databases", "pg_basebackup"),
    ("kafka", "Kafka", "streaming", "MirrorMaker"),
    ("vault", "Vault", "security", "Shamir"),
    ("kubernetes", "Kubernetes", "platform", "kubeconfig"),
    ("terraform", "Terraform", "platform", "tfstate"),
    ("jenkins", "Jenkins", "ci", "executors"),
    ("okta", "Okta", "identity", "SCIM"),
    ("grafana", "Grafana", "observability", "Loki"),
    ("nginx", "NGINX", "edge", "proxy_pass"),
    ("redis", "Redis", "databases", "Sentinel"),
    ("elasticsearch", "Elasticsearch", "indexing", "reindex"),
    ("s3", "S3", "storage", "Glacier"),
];

/// Its procedures: file suffix, kind, title, and the sentence that answers a question about
/// it (`{n}` the system's name, `{a}` its area, `{x}` and `{y}` numbers that vary by page).
const PROCEDURES: &[(&str, &str, &str, &str)] = &[
    (
        "backup",
        "sop",
        "{n} backup procedure",
        "Backups of {n} run every {x} hours and each copy is kept for {y} days in the offsite vault.",
    ),
    (
        "restore",
        "runbook",
        "{n} restore runbook",
        "To restore {n}, stop writes, fetch the latest copy and replay it; expect about {y} minutes of downtime.",
    ),
    (
        "upgrade",
        "sop",
        "{n} upgrade procedure",
        "Upgrades of {n} go to staging first, soak there for {x} days, then reach production in the Tuesday maintenance window.",
    ),
    (
        "access",
        "guide",
        "Requesting access to {n}",
        "Ask the service desk for an account; the {a} lead approves the request within {x} working days.",
    ),
    (
        "incident",
        "runbook",
        "{n} incident triage",
        "When {n} pages on-call, look at its dashboard first, then the error budget; call the {a} lead after {y} minutes.",
    ),
    (
        "capacity",
        "checklist",
        "{n} capacity review",
        "Every quarter, compare {n} usage with its limits and order more once it passes {y} percent.",
    ),
    (
        "certificates",
        "sop",
        "{n} certificate rotation",
        "TLS certificates of {n} expire every {y} days; rotate them two weeks before they expire.",
    ),
    (
        "decommission",
        "checklist",
        "Decommissioning {n} instances",
        "Before an instance of {n} is switched off, archive its data, then remove its monitoring and DNS records.",
    ),
];

/// A handbook of 96 procedures, 8 for each of 12 systems, written as teams write them: the
/// same headings and boilerplate on every page (every page says "backup" and "on-call"), each
/// page's facts in one sentence, links to other systems' pages, and one trade term per system.
fn generated_handbook(root: &Path) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("handbook.yaml", "title: Operations handbook\n");
    write(
        "data/team.yaml",
        "people:\n  - id: ops\n    name: Olu Park\n  - id: rev\n    name: Rae Chen\n",
    );
    for (si, &(sys, name, area, term)) in SYSTEMS.iter().enumerate() {
        for (pi, &(proc_, kind, title, fact)) in PROCEDURES.iter().enumerate() {
            let fill = |t: &str| {
                t.replace("{n}", name)
                    .replace("{a}", area)
                    .replace("{x}", &(2 + (si * 3 + pi) % 9).to_string())
                    .replace("{y}", &(10 + (si * 7 + pi * 5) % 80).to_string())
            };
            let related: Vec<String> = (1..=3)
                .map(|k| {
                    let (s2, n2, a2, _) = SYSTEMS[(si + k * 5) % SYSTEMS.len()];
                    let (p2, _, t2, _) = PROCEDURES[(pi + k) % PROCEDURES.len()];
                    format!("- [{}](../{a2}/{s2}-{p2}.md)", t2.replace("{n}", n2))
                })
                .collect();
            let trade = if si % PROCEDURES.len() == pi {
                format!("\n\nThe team uses {term} for this; ask in the {area} channel if it misbehaves.")
            } else {
                String::new()
            };
            let text = format!(
                "---\ntitle: {title}\nkind: {kind}\nowner: ops\napprover: rev\n\
                 last_reviewed: 2026-10-01\nreview_every: 1 year\n---\n\n\
                 This page is part of the {area} section of the operations handbook. Before any \
                 change to production, make sure a recent backup exists and that on-call knows.\n\n\
                 ## Purpose\n\nHow the {area} team handles {proc_} work for {name}.\n\n\
                 ## Procedure\n\n1. {fact}\n2. Record what you did in the change log.\n\
                 3. Tell the {area} channel when you are done.{trade}\n\n\
                 ## Related\n\n{related}\n",
                title = fill(title),
                fact = fill(fact),
                related = related.join("\n"),
            );
            write(&format!("content/{area}/{sys}-{proc_}.md"), &text);
        }
    }
}

/// Questions over [`generated_handbook`], written with it and before measuring: by name, as
/// questions whose words are spread over the page, with typos, and by trade term.
const GENERATED_QUESTIONS: &[(&str, &str, &str)] = &[
    (
        "navigational",
        "postgresql backup",
        "databases/postgres-backup/",
    ),
    (
        "navigational",
        "kafka upgrade procedure",
        "streaming/kafka-upgrade/",
    ),
    (
        "navigational",
        "vault certificate rotation",
        "security/vault-certificates/",
    ),
    (
        "navigational",
        "kubernetes restore runbook",
        "platform/kubernetes-restore/",
    ),
    (
        "navigational",
        "terraform capacity review",
        "platform/terraform-capacity/",
    ),
    ("navigational", "access to jenkins", "ci/jenkins-access/"),
    (
        "navigational",
        "okta incident triage",
        "identity/okta-incident/",
    ),
    (
        "navigational",
        "decommissioning grafana",
        "observability/grafana-decommission/",
    ),
    ("navigational", "redis backup", "databases/redis-backup/"),
    ("navigational", "s3 upgrade", "storage/s3-upgrade/"),
    (
        "informational",
        "how long are kafka backups kept",
        "streaming/kafka-backup/",
    ),
    (
        "informational",
        "how much downtime when restoring postgresql",
        "databases/postgres-restore/",
    ),
    (
        "informational",
        "who approves access to vault",
        "security/vault-access/",
    ),
    (
        "informational",
        "when do elasticsearch upgrades reach production",
        "indexing/elasticsearch-upgrade/",
    ),
    (
        "informational",
        "what to look at first when redis pages on-call",
        "databases/redis-incident/",
    ),
    (
        "informational",
        "when should we order more nginx capacity",
        "edge/nginx-capacity/",
    ),
    (
        "informational",
        "how often do okta certificates expire",
        "identity/okta-certificates/",
    ),
    (
        "informational",
        "what happens to the data before switching off a jenkins instance",
        "ci/jenkins-decommission/",
    ),
    (
        "informational",
        "how often are s3 backups taken",
        "storage/s3-backup/",
    ),
    (
        "informational",
        "how do I get grafana access",
        "observability/grafana-access/",
    ),
    ("typo", "kafak upgrade", "streaming/kafka-upgrade/"),
    ("typo", "postgersql restore", "databases/postgres-restore/"),
    ("typo", "terrafrom backup", "platform/terraform-backup/"),
    (
        "typo",
        "kubernetse certificate rotation",
        "platform/kubernetes-certificates/",
    ),
    (
        "typo",
        "elasticsarch capacity",
        "indexing/elasticsearch-capacity/",
    ),
    (
        "typo",
        "grafanna incident",
        "observability/grafana-incident/",
    ),
    ("rare", "pg_basebackup", "databases/postgres-backup/"),
    ("rare", "mirrormaker", "streaming/kafka-restore/"),
    ("rare", "shamir", "security/vault-upgrade/"),
    ("rare", "kubeconfig", "platform/kubernetes-access/"),
    ("rare", "tfstate", "platform/terraform-incident/"),
    ("rare", "executors", "ci/jenkins-capacity/"),
];

/// MRR@10 of the questions over a generated handbook, where every page shares its headings,
/// boilerplate and most words with dozens of others: held at the figure measured when the set
/// was written (BENCHMARKS.md).
#[test]
fn the_question_set_over_a_generated_handbook_finds_its_answers() {
    let root = tempfile::tempdir().unwrap();
    generated_handbook(root.path());
    let Some(site) = Site::open_built("generated question set", &[], root.path()) else {
        return;
    };
    assert!(GENERATED_QUESTIONS.len() >= 30);
    let (overall, report) = mean_reciprocal_rank(&site, GENERATED_QUESTIONS);
    assert!(
        overall >= GENERATED_MRR_FLOOR,
        "MRR@10 {overall:.3} below {GENERATED_MRR_FLOOR}:\n{report}"
    );
}

/// The MRR@10 of [`GENERATED_QUESTIONS`] when they were written: 1.000, every answer first
/// (BENCHMARKS.md); one answer second would still pass.
const GENERATED_MRR_FLOOR: f64 = 0.98;
