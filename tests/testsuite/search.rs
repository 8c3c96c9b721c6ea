//! Search: the query side must fold and stem exactly as the index does.

use std::collections::BTreeSet;
use std::path::Path;

use handbook::search::tokenize::{stem, tokenize};

use crate::harness::Browser;

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
        let browser = Browser::start(test)?;
        let out = tempfile::tempdir().unwrap();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(["build", "--quiet", "--as-of", "2026-11-23", "--out"])
            .arg(out.path().join("site"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
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
                 return !!p && !p.hidden && p.getAttribute('data-state') === 'done';"
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
        if !page.ends_with(&format!("/site/{expected}")) {
            wrong.push(format!(
                "{query:?}: expected {expected}, got {:?}",
                results.iter().take(3).collect::<Vec<_>>()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
