//! Front matter that does not parse, or gives a key twice: each error is reported where the
//! author must look, everything that can be read is kept (a governed document stays governed,
//! listed and checked), and the page says its front matter is invalid. Each case has its clean
//! twin: the same document with the one problem fixed.

use crate::harness::{HandbookTest, AS_OF};

const TEAM: &str = "people:
  - id: ana
    name: Ana Lima
  - id: bo
    name: Bo Berg
";

const BODY: &str = "## Purpose\n\nWhy.\n\n## Scope\n\nWhat.\n\n## Procedure\n\nHow.\n";

/// A clean SOP's front matter, one field per line: lines 2-8 of the file.
const CLEAN: &str = "title: Patching
kind: sop
id: SOP-001
owner: ana
approver: bo
last_reviewed: 2026-06-01
review_every: 1 year
";

/// The same in TOML.
const CLEAN_TOML: &str = "title = \"Patching\"
kind = \"sop\"
id = \"SOP-001\"
owner = \"ana\"
approver = \"bo\"
last_reviewed = 2026-06-01
review_every = \"1 year\"
";

const FILE: &str = "content/sops/a.md";

fn yaml(front: &str) -> String {
    format!("---\n{front}---\n{BODY}")
}

fn toml(front: &str) -> String {
    format!("+++\n{front}+++\n{BODY}")
}

fn build(text: String) -> HandbookTest {
    HandbookTest::empty()
        .file("data/team.yaml", TEAM)
        .file(FILE, text)
        .build()
        .assert_ok()
}

/// Builds `bad` and asserts a diagnostic of `rule` at `line:column` of the SOP with the given
/// severity, then builds `good` and asserts it is entirely clean. Returns the bad build.
fn case(
    rule: &str,
    severity: &str,
    (line, column): (u32, u32),
    bad: String,
    good: String,
) -> HandbookTest {
    let t = build(bad);
    let d = t.diagnostic(rule, FILE, line, column);
    assert_eq!(d.severity.to_string(), severity, "{d}");
    build(good).assert_clean();
    t
}

fn sorted_rules(t: &HandbookTest) -> Vec<&'static str> {
    let mut rules = t.rules();
    rules.sort_unstable();
    rules
}

#[test]
fn an_unclosed_bracket_is_reported_where_it_opens() {
    let t = case(
        "front-matter-invalid",
        "error",
        (5, 8),
        yaml(&CLEAN.replace("owner: ana", "owner: [ana")),
        yaml(CLEAN),
    );
    let d = t.diagnostic("front-matter-invalid", FILE, 5, 8);
    assert_eq!(
        d.message,
        "front matter is not valid YAML: this `[` is never closed"
    );
    assert_eq!(d.help.as_deref(), Some("close it with `]`"));
    // Only the owner is lost: the SOP is still an SOP, so its missing owner is reported.
    assert_eq!(
        sorted_rules(&t),
        ["front-matter-invalid", "owner-missing"],
        "{}",
        t.diagnostics_text()
    );
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    let t = case(
        "front-matter-invalid",
        "error",
        (2, 8),
        yaml(&CLEAN.replace("title: Patching", "title: \"Patching")),
        yaml(CLEAN),
    );
    assert_eq!(
        t.rules(),
        ["front-matter-invalid"],
        "{}",
        t.diagnostics_text()
    );
    assert!(t.diagnostics[0]
        .message
        .ends_with("this `\"` is never closed"));
}

#[test]
fn columns_are_counted_in_characters() {
    // `"` is the 17th character of its line and its 20th byte.
    case(
        "front-matter-invalid",
        "error",
        (9, 17),
        yaml(&format!("{CLEAN}tags: [Zoë, 日本, \"x\n")),
        yaml(&format!("{CLEAN}tags: [Zoë, 日本, \"x\"]\n")),
    );
}

#[test]
fn a_key_given_twice_keeps_its_last_value_as_yaml_readers_do() {
    let t = case(
        "front-matter-duplicate",
        "warning",
        (9, 1),
        yaml(&format!("{CLEAN}owner: bo\n")),
        yaml(CLEAN),
    );
    assert_eq!(
        t.rules(),
        ["front-matter-duplicate"],
        "{}",
        t.diagnostics_text()
    );
    let d = t.diagnostic("front-matter-duplicate", FILE, 9, 1);
    assert_eq!(
        d.message,
        "`owner` is given twice (first on line 5); the last one is used, as YAML readers do"
    );
    t.assert_contains("sops/a/index.html", "Bo Berg</a></dd>\n<dt>Last reviewed");
}

#[test]
fn a_nested_key_given_twice_is_reported_at_the_duplicate() {
    let t = case(
        "front-matter-invalid",
        "error",
        (11, 3),
        yaml(&format!("{CLEAN}extra:\n  colour: blue\n  colour: red\n")),
        yaml(&format!("{CLEAN}extra:\n  colour: blue\n")),
    );
    assert_eq!(
        t.rules(),
        ["front-matter-invalid"],
        "{}",
        t.diagnostics_text()
    );
}

#[test]
fn toml_allows_a_key_once_and_keeps_the_rest() {
    let t = case(
        "front-matter-invalid",
        "error",
        (9, 1),
        toml(&format!("{CLEAN_TOML}owner = \"bo\"\n")),
        toml(CLEAN_TOML),
    );
    assert_eq!(
        t.rules(),
        ["front-matter-invalid"],
        "{}",
        t.diagnostics_text()
    );
    assert_eq!(
        t.diagnostics[0].message,
        "`owner` is given twice (first on line 5); TOML allows a key once, so this one is left out"
    );
    t.assert_contains("sops/a/index.html", "Ana Lima</a></dd>\n<dt>Last reviewed");
}

#[test]
fn toml_with_a_syntax_error_keeps_the_keys_that_read() {
    let t = case(
        "front-matter-invalid",
        "error",
        (5, 9),
        toml(&CLEAN_TOML.replace("owner = \"ana\"", "owner = [\"ana\"")),
        toml(CLEAN_TOML),
    );
    assert_eq!(
        sorted_rules(&t),
        ["front-matter-invalid", "owner-missing"],
        "{}",
        t.diagnostics_text()
    );
}

#[test]
fn a_governed_document_with_a_syntax_error_stays_governed_listed_and_marked() {
    let bad = CLEAN
        .replace("approver: bo", "approver: [bo")
        .replace("2026-06-01", "2025-06-01");
    let t = case(
        "front-matter-invalid",
        "error",
        (6, 11),
        yaml(&bad),
        yaml(CLEAN),
    );
    // Its review dates still count, and the approver it lost is asked for.
    t.diagnostic("review-overdue", FILE, 7, 16);
    t.diagnostic("approver-missing", FILE, 1, 1);
    assert_eq!(
        sorted_rules(&t),
        ["approver-missing", "front-matter-invalid", "review-overdue"],
        "{}",
        t.diagnostics_text()
    );
    // The page says so in its document-control panel; it stays in its section, in the
    // documents of its kind and in the register.
    let t = t
        .assert_contains(
            "sops/a/index.html",
            "<h2 id=\"doc-control-title\">Document control</h2>\n<p class=\"front-matter-invalid\" role=\"note\"><strong>Front matter invalid, line 6.</strong>",
        )
        .assert_contains("sops/index.html", "Patching")
        .assert_contains("documents/sop/index.html", "Patching");
    let register = t.cli(&["report", "--format", "csv", "--as-of", AS_OF]);
    let register = String::from_utf8_lossy(&register.stdout);
    assert!(
        register.contains(
            "SOP-001,Patching,sop,,active,ana,,2025-06-01,2026-06-01,overdue,content/sops/a.md"
        ),
        "{register}"
    );
    build(yaml(CLEAN)).assert_lacks("sops/a/index.html", "front-matter-invalid");
}

#[test]
fn a_page_without_a_panel_shows_the_notice_under_its_title() {
    let bad = "---\ntitle: Guide\ntags: [a\n---\nText.\n";
    let t = HandbookTest::empty()
        .file("content/guide.md", bad)
        .build()
        .assert_ok();
    let d = t.diagnostic("front-matter-invalid", "content/guide.md", 3, 7);
    assert_eq!(d.severity.to_string(), "error");
    t.assert_contains(
        "guide/index.html",
        "<div class=\"doc-banner doc-banner-invalid\" role=\"note\"><strong>Front matter invalid, line 3.</strong>",
    )
    .assert_contains("guide/index.html", "<h1>Guide</h1>");
    HandbookTest::empty()
        .file(
            "content/guide.md",
            "---\ntitle: Guide\ntags: [a]\n---\nText.\n",
        )
        .build()
        .assert_clean()
        .assert_lacks("guide/index.html", "front-matter-invalid");
}

#[test]
fn a_block_that_never_closes_marks_the_page() {
    let t = HandbookTest::empty()
        .file("content/a.md", "---\ntitle: A\n\nno closing line\n")
        .build()
        .assert_ok();
    t.diagnostic("front-matter-invalid", "content/a.md", 1, 1);
    t.assert_contains("a/index.html", "Front matter invalid, line 1.");
}

#[test]
fn json_positions_are_the_same_and_inside_the_file() {
    let t = build(yaml(&format!("{CLEAN}tags: [x, \"y\n")));
    let out = t.cli(&["check", "--format", "json", "--as-of", AS_OF]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["rule"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("front-matter-invalid"), Some(9), Some(11)),
        "{json}"
    );
}

#[test]
fn an_alias_to_another_entrys_anchor_is_kept_when_the_block_is_read_in_parts() {
    let front = |tags: &str| {
        CLEAN.replace(
            "owner: ana\napprover: bo",
            "approver: &lead bo\nowner: *lead",
        ) + tags
    };
    let t = case(
        "front-matter-invalid",
        "error",
        (9, 7),
        yaml(&front("tags: [x\n")),
        yaml(&front("tags: [x]\n")),
    );
    // The owner is kept: no owner-missing, and the page names him.
    assert_eq!(
        t.rules(),
        ["front-matter-invalid"],
        "{}",
        t.diagnostics_text()
    );
    t.assert_contains("sops/a/index.html", "Bo Berg</a></dd>\n<dt>Last reviewed");
}

#[test]
fn a_quote_inside_single_quotes_says_how_to_write_it() {
    let t = case(
        "front-matter-invalid",
        "error",
        (2, 12),
        yaml(&CLEAN.replace("title: Patching", "title: 'Bob's runbook'")),
        yaml(&CLEAN.replace("title: Patching", "title: 'Bob''s runbook'")),
    );
    let d = t.diagnostic("front-matter-invalid", FILE, 2, 12);
    assert_eq!(
        d.help.as_deref(),
        Some("a `'` inside single quotes is written `''`: 'Bob''s runbook'; or put the value in double quotes: \"Bob's runbook\"")
    );
    build(yaml(
        &CLEAN.replace("title: Patching", "title: 'Bob''s runbook'"),
    ))
    .assert_contains(
        "sops/a/index.html",
        "<title>Bob&#39;s runbook · Handbook</title>",
    );
}

#[test]
fn an_unknown_field_is_reported_at_its_key() {
    let t = case(
        "front-matter-unknown-field",
        "warning",
        (9, 1),
        yaml(&format!("{CLEAN}revew_every: 2 years\n")),
        yaml(CLEAN),
    );
    let d = t.diagnostic("front-matter-unknown-field", FILE, 9, 1);
    assert_eq!(d.help.as_deref(), Some("did you mean `review_every`?"));
    // An explicit key at its own line, where its name is; the same in TOML.
    let t = build(yaml(&format!("{CLEAN}? revew_every\n: 2 years\n")));
    t.diagnostic("front-matter-unknown-field", FILE, 9, 3);
    let t = build(toml(&format!("{CLEAN_TOML}  revew_every = \"2 years\"\n")));
    t.diagnostic("front-matter-unknown-field", FILE, 9, 3);
}
