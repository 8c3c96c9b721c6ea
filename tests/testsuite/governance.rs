//! Governance in the site: the document-control panel, review status and its badge, banners,
//! departed people, printed copies.

use handbook::dates::Day;

use crate::harness::{git, Browser, HandbookTest, AS_OF};

const TEAM: &str = "people:
  - id: ana
    name: Ana Lima
    manager: dan
  - id: dan
    name: Dan Okafor
  - id: old
    name: Olga Ortiz
    manager: dan
    left: 2026-06-30
";

/// A governed document reviewed on `last` every `every`, owned by `owner`.
fn sop(last: &str, every: &str, owner: &str, extra: &str) -> String {
    format!(
        "---\ntitle: Patching\nkind: sop\nid: SOP-001\nversion: '2.1'\nowner: {owner}\napprover: dan\n\
         last_reviewed: {last}\nreview_every: {every}\n{extra}---\n## Steps\n\nPatch.\n"
    )
}

fn handbook(doc: String) -> HandbookTest {
    HandbookTest::empty()
        .file("handbook.yaml", "required_sections:\n  sop: [Steps]\n")
        .file("data/team.yaml", TEAM)
        .file("content/sops/patching.md", doc)
}

/// The review badge of the panel: (status class, text).
fn badge(html: &str) -> (String, String) {
    let at = html
        .find(r#"<span class="review-badge "#)
        .unwrap_or_else(|| panic!("no badge in {html}"));
    let rest = &html[at + r#"<span class="review-badge "#.len()..];
    let status = rest[..rest.find('"').unwrap()].to_string();
    let text = rest[rest.find('>').unwrap() + 1..rest.find("</span>").unwrap()].to_string();
    (status, text)
}

#[test]
fn the_panel_shows_every_control_field_with_machine_readable_dates() {
    let t = handbook(sop(
        "2026-08-12",
        "6 months",
        "ana",
        "effective: 2026-08-19\n",
    ))
    .build()
    .assert_clean();
    let html = t.read("sops/patching/index.html");
    for part in [
        r#"<section class="doc-control" aria-labelledby="doc-control-title">"#,
        r#"<dt>Document</dt><dd><span class="doc-id">SOP-001</span></dd>"#,
        r#"<dt>Version</dt><dd>2.1</dd>"#,
        r#"<dt>Status</dt><dd><span class="status active">Active</span></dd>"#,
        r#"<dt>Owner</dt><dd><a href="../../team/people/ana/index.html">Ana Lima</a>"#,
        r#"<dt>Approver</dt><dd><a href="../../team/people/dan/index.html">Dan Okafor</a>"#,
        r#"<dt>Effective</dt><dd><time>2026-08-19</time></dd>"#,
        r#"<dt>Last reviewed</dt><dd><time>2026-08-12</time></dd>"#,
        r#"<dt>Next review</dt><dd><time>2027-02-12</time> <span class="review-interval">(every 6 months)</span>"#,
        // The next review, and the due-soon window in days (2027-01-13 to 2027-02-12).
        r#"data-review="2027-02-12 30""#,
    ] {
        assert!(html.contains(part), "missing {part}\n{html}");
    }
    assert_eq!(badge(&html), ("current".into(), "Current".into()));
    // Not overdue: the banner is there for the reader's-date script, but hidden.
    assert!(html.contains("data-review-banner hidden>"));
}

#[test]
fn each_review_status_as_of_the_build_date() {
    // As of 2026-11-23, with the default 30-day window.
    for (last, every, status, label, rules) in [
        ("2026-10-01", "1 year", "current", "Current", &[][..]),
        (
            "2025-12-20",
            "1 year",
            "due-soon",
            "Due soon",
            &["review-due-soon"],
        ),
        (
            "2025-11-23",
            "1 year",
            "due-soon",
            "Due soon",
            &["review-due-soon"],
        ), // due today
        (
            "2025-11-22",
            "1 year",
            "overdue",
            "Overdue",
            &["review-overdue"],
        ),
    ] {
        let t = handbook(sop(last, every, "ana", ""))
            .build()
            .assert_rules(rules);
        let html = t.read("sops/patching/index.html");
        assert_eq!(
            badge(&html),
            (status.into(), label.into()),
            "{last} + {every}"
        );
        let banner_shown = html.contains("data-review-banner>");
        assert_eq!(banner_shown, status == "overdue", "{last}: {html}");
    }
}

#[test]
fn no_review_date_has_its_own_badge_and_no_dates() {
    let doc = "---\ntitle: Patching\nkind: sop\nowner: ana\n---\nText.\n";
    let t = handbook(doc.into()).build();
    let html = t.read("sops/patching/index.html");
    assert_eq!(badge(&html), ("none".into(), "No review date".into()));
    assert!(!html.contains("data-review="));
    assert!(html.contains(r#"<dt>Last reviewed</dt><dd><span class="missing">Never</span>"#));
    assert!(html.contains(r#"<dt>Approver</dt><dd><span class="missing">None</span>"#));
}

#[test]
fn month_ends_and_leap_days_clamp() {
    let t = handbook(sop("2024-08-31", "6 months", "ana", "")).build();
    let html = t.read("sops/patching/index.html");
    assert!(html.contains(r#"data-review="2025-02-28 "#), "{html}");
    let t = handbook(sop("2024-02-29", "1 year", "ana", ""))
        .built_as_of("2024-06-01")
        .build();
    let html = t.read("sops/patching/index.html");
    assert!(html.contains(r#"data-review="2025-02-28 "#), "{html}");
    assert_eq!(badge(&html).0, "current");
}

#[test]
fn kind_defaults_and_review_by_set_the_next_date() {
    let t = handbook("---\ntitle: P\nkind: sop\nlast_reviewed: 2026-01-31\n---\n".into())
        .file("handbook.yaml", "default_review:\n  sop: 1 month\n")
        .build();
    assert!(t.read("sops/patching/index.html").contains(
        r#"<time>2026-02-28</time> <span class="review-interval">(every 1 month)</span>"#
    ));
    let t = handbook(sop(
        "2026-10-01",
        "1 year",
        "ana",
        "review_by: 2026-12-01\n",
    ))
    .build();
    let html = t.read("sops/patching/index.html");
    assert!(html.contains(r#"data-review="2026-12-01 "#));
    assert_eq!(badge(&html).0, "due-soon");
}

#[test]
fn retired_and_draft_documents_carry_a_banner() {
    let t = handbook(sop("2020-01-01", "1 year", "ana", "status: retired\n")).build();
    let html = t.read("sops/patching/index.html");
    assert!(html.contains(
        r#"<div class="doc-banner doc-banner-retired" role="note"><strong>Retired.</strong>"#
    ));
    assert!(
        !html.contains("doc-banner-overdue"),
        "a retired document is not 'overdue'"
    );
    assert!(html.contains(r#"<span class="status retired">Retired</span>"#));

    let t = handbook(sop("2026-10-01", "1 year", "ana", "status: draft\n"))
        .with_drafts()
        .build();
    let html = t.read("sops/patching/index.html");
    assert!(html.contains(
        r#"<div class="doc-banner doc-banner-draft" role="note"><strong>Draft.</strong>"#
    ));
}

#[test]
fn departed_and_unknown_people_are_marked() {
    let t = handbook(sop(
        "2026-10-01",
        "1 year",
        "old",
        "reviewers: [ana, zed]\n",
    ))
    .build();
    let html = t.read("sops/patching/index.html");
    assert!(html.contains(r#"<dt>Owner</dt><dd><a href="../../team/people/old/index.html">Olga Ortiz</a> <span class="departed">(left <time>2026-06-30</time>)</span>"#), "{html}");
    assert!(html.contains(r#"zed <span class="unknown-person">(not in the team data)</span>"#));
    // Before they left, they are not marked.
    let t = handbook(sop("2026-01-01", "1 year", "old", ""))
        .built_as_of("2026-06-29")
        .build();
    assert!(!t.read("sops/patching/index.html").contains("departed"));
}

#[test]
fn printed_copies_say_what_they_are() {
    let t = handbook(sop("2026-10-01", "1 year", "ana", "")).build().assert_contains(
        "sops/patching/index.html",
        r#"<p class="print-footer">SOP-001 · Version 2.1 · Uncontrolled when printed · Printed on <time data-print-date>2026-11-23</time></p>"#,
    );
    let css = t.read("assets/style.css");
    assert!(
        css.split("@media print")
            .skip(1)
            .any(|print| print.contains(".print-footer {\n    display: block;")),
        "{css}"
    );
}

#[test]
fn guides_and_pages_have_no_panel_only_their_review() {
    let t = HandbookTest::empty()
        .file(
            "content/guide.md",
            "---\nkind: guide\nlast_reviewed: 2026-01-01\nreview_every: 1 year\n---\n# Guide\n",
        )
        .file("content/page.md", "# Page\n")
        .build()
        .assert_clean();
    let html = t.read("guide/index.html");
    assert!(!html.contains("Document control"));
    assert!(!html.contains("print-footer"));
    // Who keeps it and how fresh it is, as tech-docs shows on every page.
    assert!(html.contains(r#"<section class="doc-control page-review" aria-label="Page review">"#));
    assert!(html.contains(r#"<dt>Next review</dt><dd><time>2027-01-01"#));
    // A page that names neither shows nothing.
    assert!(!t.read("page/index.html").contains("page-review"));
}

#[test]
fn the_readers_browser_shows_the_status_on_their_date() {
    let Some(browser) = Browser::start("the_readers_browser_shows_the_status_on_their_date") else {
        return;
    };
    // Built long ago, when both documents were current; read today, from disk.
    let today = Day::today();
    let soon = today.plus_days(10).unwrap();
    let t = HandbookTest::empty()
        .file("data/team.yaml", TEAM)
        .file("content/old.md", sop("2000-01-01", "1 year", "ana", ""))
        .file(
            "content/soon.md",
            sop(
                "2000-01-01",
                "1 year",
                "ana",
                &format!("review_by: {soon}\n"),
            ),
        )
        .built_as_of("2000-06-01")
        .build();
    for page in ["old/index.html", "soon/index.html"] {
        assert_eq!(badge(&t.read(page)).0, "current", "{page} as built");
    }
    let read = |page: &str| {
        browser.open_file(&t.out(page));
        browser.eval(
            "var badge = document.querySelector('.doc-control .review-badge');
             var banner = document.querySelector('[data-review-banner]');
             var printed = document.querySelector('[data-print-date]');
             return [badge.className.replace('review-badge ', ''), badge.textContent,
                     !banner.hidden, printed.getAttribute('datetime')];",
        )
    };
    let today = today.to_string();
    assert_eq!(
        read("old/index.html"),
        serde_json::json!(["overdue", "Overdue", true, today])
    );
    assert_eq!(
        read("soon/index.html"),
        serde_json::json!(["due-soon", "Due soon", false, today])
    );
}

#[test]
fn the_panel_shows_the_revision_history_from_git() {
    let t = handbook(sop("2026-08-12", "1 year", "ana", "")).file("content/other.md", "# Other\n");
    let Some(()) = git(&t, &["init", "-q"], "2026-01-05") else {
        return;
    };
    git(&t, &["add", "-A"], "2026-01-05");
    git(
        &t,
        &["commit", "-qm", "First version of <patching>"],
        "2026-01-05",
    );
    let t = t.file(
        "content/sops/patching.md",
        sop("2026-08-12", "1 year", "ana", "tags: [x]\n"),
    );
    git(&t, &["commit", "-qam", "Tag it"], "2026-08-12");
    let t = t.file("content/other.md", "# Other, changed\n");
    git(&t, &["commit", "-qam", "Unrelated change"], "2026-09-01");

    let t = t.build().assert_clean();
    let html = t.read("sops/patching/index.html");
    let panel = &html[html.find(r#"<section class="doc-control""#).unwrap()..];
    let panel = &panel[..panel.find("</section>").unwrap()];
    // The last change to this file, not to the repository; subjects are escaped.
    assert!(
        panel.contains(r#"<dt>Last change</dt><dd class="revision"><time>2026-08-12</time> · Ana Lima · Tag it <code class="commit">"#),
        "{panel}"
    );
    assert_eq!(
        panel.matches(r#"<li class="revision">"#).count(),
        2,
        "{panel}"
    );
    assert!(panel.contains("First version of &lt;patching&gt;"));
    assert!(!panel.contains("Unrelated change"));
}

#[test]
fn every_page_with_history_shows_its_last_change_linked_to_the_forge() {
    let t = handbook(sop("2026-08-12", "1 year", "ana", ""))
        .file(
            "handbook.yaml",
            "required_sections:\n  sop: [Steps]\nrepo_url: https://git.example.com/org/handbook/\n",
        )
        .file("content/notes.md", "# Notes\n\nNot governed.\n");
    let Some(()) = git(&t, &["init", "-q"], "2026-01-05") else {
        return;
    };
    git(&t, &["add", "-A"], "2026-01-05");
    git(&t, &["commit", "-qm", "Notes & <all>"], "2026-02-03");
    let t = t.build().assert_clean();
    // The commit links to its page on the forge, its abbreviated hash as the text.
    let linked = |html: &str| {
        let prefix =
            r#"<code class="commit"><a href="https://git.example.com/org/handbook/commit/"#;
        let at = html
            .find(prefix)
            .unwrap_or_else(|| panic!("no commit link in {html}"));
        let rest = &html[at + prefix.len()..];
        let hash = &rest[..rest.find('"').unwrap()];
        assert!(
            hash.len() >= 7 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{hash}"
        );
        assert!(
            rest.starts_with(&format!(r#"{hash}">{hash}</a></code>"#)),
            "{rest}"
        );
    };
    // A page of no governed kind: its last change at its foot.
    let notes = t.read("notes/index.html");
    assert!(
        notes.contains(r#"<p class="last-change revision">Last changed <time>2026-02-03</time> by Ana Lima: Notes &amp; &lt;all&gt; <code class="commit">"#),
        "{notes}"
    );
    linked(&notes);
    // A governed document: in its panel, once.
    let sop = t.read("sops/patching/index.html");
    linked(&sop);
    assert!(!sop.contains("last-change"), "{sop}");
}

#[test]
fn repo_url_must_be_a_web_address() {
    let t = handbook(sop("2026-08-12", "1 year", "ana", ""))
        .file("handbook.yaml", "repo_url: javascript:alert(1)\n");
    let out = t.cli(&["check", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("must be an http:// or https:// address"),
        "{err}"
    );
}

#[test]
fn history_is_the_roots_repository_even_from_another_repositorys_hook() {
    let t = handbook(sop("2026-08-12", "1 year", "ana", ""));
    let Some(()) = git(&t, &["init", "-q"], "2026-01-05") else {
        return;
    };
    git(&t, &["add", "-A"], "2026-01-05");
    git(
        &t,
        &["commit", "-qm", "Written in the handbook"],
        "2026-01-05",
    );
    // A hook of another repository runs with git's variables pointing at that one.
    let other = t.outside().join("other");
    std::fs::create_dir_all(&other).unwrap();
    let o = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(&other)
        .output()
        .unwrap();
    assert!(o.status.success());
    let o = t.cli_with_env(
        &["build", "--as-of", AS_OF],
        &[
            ("GIT_DIR", &other.join(".git")),
            ("GIT_WORK_TREE", &other),
            ("GIT_INDEX_FILE", &other.join(".git/index")),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        t.read("sops/patching/index.html")
            .contains("Written in the handbook"),
        "the history came from the other repository"
    );
}

#[test]
fn without_git_the_panel_has_no_revision_history() {
    let t = handbook(sop("2026-08-12", "1 year", "ana", ""))
        .build()
        .assert_clean();
    let html = t.read("sops/patching/index.html");
    assert!(html.contains(r#"<section class="doc-control""#));
    assert!(!html.contains("Last change") && !html.contains("revision-history"));
}

#[test]
fn a_document_out_of_force_never_shows_a_review_status() {
    // Reviewed last month: in force it would be "Current".
    let t = handbook(sop("2026-10-01", "1 year", "ana", "status: retired\n"))
        .file(
            "content/sops/next.md",
            "---\ntitle: Next\nkind: sop\nstatus: draft\nowner: ana\napprover: dan\n\
             last_reviewed: 2026-10-01\nreview_every: 1 year\n---\n## Steps\n\nSoon.\n",
        )
        .file(
            "content/sops/change.md",
            "---\ntitle: Change\nkind: sop\nstatus: under-review\nowner: ana\napprover: dan\n\
             last_reviewed: 2026-10-01\nreview_every: 1 year\n---\n## Steps\n\nChanging.\n",
        )
        .with_drafts()
        .build();
    let retired = t.read("sops/patching/index.html");
    assert!(!retired.contains("review-badge"), "{retired}");
    assert!(retired.contains("None: retired documents are not reviewed"));
    // Marked in the sidebar too, on every page.
    let nav = &t.sidebar("sops/patching/index.html");
    assert!(
        nav.contains(r#">Patching <span class="nav-status">retired</span></a>"#),
        "{nav}"
    );
    assert!(
        nav.contains(r#">Next <span class="nav-status">draft</span></a>"#),
        "{nav}"
    );
    let draft = t.read("sops/next/index.html");
    assert!(!draft.contains("review-badge"), "{draft}");
    assert!(draft.contains("None until it is published"));
    // A status is spelt by its label everywhere, the page's header included.
    let changing = t.read("sops/change/index.html");
    assert!(changing.contains(r#"<span class="status under-review">Under review</span>"#));
    assert!(!changing.contains(">under-review<"), "{changing}");
    assert_eq!(badge(&changing).1, "Current");
}
