//! Sidebar navigation, breadcrumbs and prev/next.

use crate::harness::HandbookTest;

#[test]
fn current_page_and_its_branch_are_marked() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    let nav = t.sidebar("sops/code-review/index.html");
    assert!(
        nav.contains(r#"<a href="sops/code-review/index.html">Code Review</a>"#),
        "{nav}"
    );
    assert!(nav.contains(r#"<li class="nav-section open">"#));
    // Other sections are listed but not expanded.
    assert!(nav.contains(r#"<a href="guides/index.html">Guides</a>"#));
    assert!(
        !nav.contains("first-week"),
        "closed branches are not expanded"
    );
    // The page carries the script of its section, not the sidebar; its siblings share it.
    let html = t.read("sops/code-review/index.html");
    assert!(html.contains(r#"<script src="../../assets/nav/sops/index.js"></script>"#));
    assert!(!html.contains("first-week") && !html.contains(">Guides</a>"));
    assert!(t
        .read("sops/security-patching/index.html")
        .contains(r#"<script src="../../assets/nav/sops/index.js"></script>"#));
}

/// What the sidebar's script does in a browser: the sidebar written in place with hrefs that
/// work from the page (from `file://` here), the current page marked, a long section's list
/// windowed around it.
#[test]
fn the_sidebar_script_marks_the_page_and_windows_its_section() {
    let Some(browser) =
        crate::harness::Browser::start("the_sidebar_script_marks_the_page_and_windows_its_section")
    else {
        return;
    };
    let mut t = HandbookTest::empty().file("content/other.md", "# Other\n");
    for i in 0..300 {
        t = t.file(
            &format!("content/big/p{i:03}.md"),
            format!("---\ntitle: Page {i:03}\n---\n"),
        );
    }
    let t = t.build().assert_clean();
    browser.open_file(&t.out("big/p150/index.html"));
    let seen = browser.eval(
        "var nav = document.getElementById('site-nav');
         var cur = nav.querySelector('a[aria-current=\"page\"]');
         var more = nav.querySelector('.nav-more');
         return [nav.querySelectorAll('li').length, cur && cur.textContent,
                 cur && cur.parentNode.className, cur && cur.href === location.href,
                 !!nav.querySelector('a[href$=\"p135/index.html\"]'),
                 !!nav.querySelector('a[href$=\"p134/index.html\"]'),
                 more && more.textContent, more && more.getAttribute('href'),
                 nav.querySelector('a').getAttribute('href')];",
    );
    // The top level (Big, Other, the generated Documents index), 30 pages around the current
    // one, and the link to the rest.
    assert_eq!(
        seen,
        serde_json::json!([
            3 + 30 + 1,
            "Page 150",
            "open",
            true,
            true,
            false,
            "270 more in Big…",
            "../../big/index.html",
            "../../big/index.html"
        ]),
        "{seen}"
    );
    // The section's own page shows the window from the start and marks itself.
    browser.open_file(&t.out("big/index.html"));
    let seen = browser.eval(
        "var nav = document.getElementById('site-nav');
         return [nav.querySelectorAll('li').length,
                 nav.querySelector('a[aria-current=\"page\"]').textContent,
                 !!nav.querySelector('a[href$=\"p000/index.html\"]'),
                 !!nav.querySelector('a[href$=\"p030/index.html\"]')];",
    );
    assert_eq!(
        seen,
        serde_json::json!([3 + 30 + 1, "Big", true, false]),
        "{seen}"
    );
}

#[test]
fn breadcrumbs_and_prev_next() {
    HandbookTest::from_fixture("basic")
        .build()
        .assert_contains(
            "guides/deep/deeper/leaf/index.html",
            r#"<li><a href="../../index.html">Deep</a>"#,
        )
        .assert_contains(
            "guides/deep/deeper/leaf/index.html",
            r#"<li aria-current="page">Leaf"#,
        )
        .assert_contains(
            "sops/security-patching/index.html",
            r#"<a rel="prev" href="../index.html"><span>Previous</span> Procedures</a>"#,
        )
        .assert_contains(
            "sops/security-patching/index.html",
            r#"<a rel="next" href="../code-review/index.html"><span>Next</span> Code Review</a>"#,
        );
}

#[test]
fn nav_stays_bounded_in_huge_sections() {
    let mut t = HandbookTest::empty();
    for i in 0..300 {
        t = t.file(
            &format!("content/big/p{i:03}.md"),
            format!("---\ntitle: Page {i:03}\n---\n"),
        );
    }
    let t = t.build().assert_clean();
    // One script for the section, its 300 pages listed (the script shows 30 of them: see
    // `the_sidebar_script_marks_the_page_and_windows_its_section`).
    let nav = t.sidebar("big/p150/index.html");
    assert_eq!(nav, t.sidebar("big/index.html"));
    // The top level (Big, then the generated Documents index) and Big's 300 pages.
    assert_eq!(nav.matches("<li").count(), 2 + 300, "{nav}");
    assert!(nav.contains("<ul data-nav-items>"));
    // The section page itself lists all 300.
    assert_eq!(
        t.read("big/index.html").matches("<li><a href=\"p").count(),
        300
    );
}

#[test]
fn levels_above_the_current_one_show_a_narrower_window() {
    let mut t = HandbookTest::empty();
    for i in 0..40 {
        t = t.file(
            &format!("content/a/s{i:02}/_index.md"),
            format!("# Section {i:02}\n"),
        );
    }
    for i in 0..40 {
        t = t.file(
            &format!("content/a/s20/p{i:02}.md"),
            format!("# Page {i:02}\n"),
        );
    }
    let t = t.build().assert_clean();
    let nav = t.sidebar("a/s20/p30/index.html");
    // 2 top-level sections (A, Documents), 10 of A's 40 subsections around s20 and a link to
    // the rest, then the 40 pages of s20 (of which the script shows 30).
    assert_eq!(nav.matches("<li").count(), 2 + 10 + 1 + 40, "{nav}");
    assert!(nav.contains("30 more in A…"));
    // The section page itself loads the same script.
    assert_eq!(nav, t.sidebar("a/s20/index.html"));
}

/// A content section whose documents describe every role is the handbook's one "Roles": no
/// generated `team/roles/` beside it. While a role has no document, the generated list stays
/// (it is the only page of that role).
#[test]
fn roles_described_in_one_section_are_listed_once() {
    let team = "people:\n  - {id: ana, name: Ana Lima, role: lead}\nroles:\n  \
                - {id: lead, title: Team Lead}\n  - {id: engineer, title: Engineer}\n";
    let role = |id: &str| format!("---\ntitle: {id}\nkind: role\nrole: {id}\n---\nText.\n");
    let both = HandbookTest::empty()
        .file("data/team.yaml", team)
        .file("content/roles/_index.md", "# Roles\n")
        .file("content/roles/lead.md", role("lead"))
        .file("content/roles/engineer.md", role("engineer"))
        .build()
        .assert_ok()
        .assert_missing("team/roles/index.html");
    let nav = both.sidebar("team/people/ana/index.html");
    assert_eq!(nav.matches(">Roles</a>").count(), 1, "{nav}");
    assert!(
        nav.contains(r#"href="roles/index.html">Roles</a>"#),
        "{nav}"
    );

    let one = HandbookTest::empty()
        .file("data/team.yaml", team)
        .file("content/roles/_index.md", "# Roles\n")
        .file("content/roles/lead.md", role("lead"))
        .build()
        .assert_ok()
        .assert_exists("team/roles/engineer/index.html")
        .assert_exists("team/roles/index.html");
    assert!(!one.read("team/roles/index.html").is_empty());

    // Role documents in a section of other documents, or at the top: that is no list of
    // roles, so the generated one stays.
    for (dir, other) in [
        ("content/sops", "content/sops/patch.md"),
        ("content", "content/patch.md"),
    ] {
        HandbookTest::empty()
            .file("data/team.yaml", team)
            .file(&format!("{dir}/lead.md"), role("lead"))
            .file(&format!("{dir}/engineer.md"), role("engineer"))
            .file(
                other,
                "---
title: Patch
kind: sop
---
Text.
",
            )
            .build()
            .assert_exists("team/roles/index.html");
    }
}
