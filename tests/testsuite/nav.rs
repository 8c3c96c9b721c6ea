//! Sidebar navigation, breadcrumbs and prev/next.

use crate::harness::HandbookTest;

#[test]
fn current_page_and_its_branch_are_marked() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    let html = t.read("sops/code-review/index.html");
    assert!(
        html.contains(r#"<a href="index.html" aria-current="page">Code Review</a>"#),
        "{html}"
    );
    assert!(html.contains(r#"<li class="nav-section open">"#));
    // Other sections are listed but not expanded.
    assert!(html.contains(r#"<a href="../../guides/index.html">Guides</a>"#));
    assert!(
        !html.contains("first-week"),
        "closed branches are not expanded"
    );
}

#[test]
fn breadcrumbs_and_prev_next() {
    HandbookTest::from_fixture("basic")
        .build()
        .assert_contains("guides/deep/deeper/leaf/index.html", r#"<li><a href="../../index.html">Deep</a></li>"#)
        .assert_contains("guides/deep/deeper/leaf/index.html", r#"<li aria-current="page">Leaf</li>"#)
        .assert_contains("sops/security-patching/index.html", r#"<a class="prev" rel="prev" href="../index.html"><span>Previous</span> Procedures</a>"#)
        .assert_contains("sops/security-patching/index.html", r#"<a class="next" rel="next" href="../code-review/index.html"><span>Next</span> Code Review</a>"#);
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
    let html = t.read("big/p150/index.html");
    let entries = sidebar(&html).matches("<li").count();
    // The top level (Big, then the generated Documents index), 30 pages around the current
    // one, and the link to the rest.
    assert_eq!(entries, 2 + 30 + 1, "{}", sidebar(&html));
    assert!(html.contains(r#"aria-current="page">Page 150<"#));
    assert!(html.contains("p135/index.html"), "the window is centred");
    assert!(!html.contains("p134/index.html"));
    assert!(html.contains(r#"<a class="nav-more" href="../index.html">270 more in Big…</a>"#));
    // The section page itself lists all 300.
    assert_eq!(
        t.read("big/index.html")
            .matches("<li>\n    <a href=")
            .count(),
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
    let nav = sidebar(&t.read("a/s20/p30/index.html")).to_string();
    // 2 top-level sections (A, Documents), 10 of A's 40 subsections around s20 and a link to
    // the rest, then 30 of the 40 pages of s20 (the innermost level shows up to 30) and a link.
    assert_eq!(nav.matches("<li").count(), 2 + 10 + 1 + 30 + 1, "{nav}");
    assert!(nav.contains("30 more in A…"));
    assert!(nav.contains("10 more in Section 20…"));
    // The section page itself shows the same window of its own pages, from the start.
    let nav = sidebar(&t.read("a/s20/index.html")).to_string();
    assert_eq!(nav.matches("<li").count(), 2 + 10 + 1 + 30 + 1, "{nav}");
    assert!(nav.contains("p00/index.html") && !nav.contains("p30/index.html"));
}

/// The sidebar's markup in a page.
fn sidebar(html: &str) -> &str {
    let start = html.find(r#"<nav id="site-nav""#).expect("a sidebar");
    let end = start + html[start..].find("</nav>").expect("closed");
    &html[start..end]
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
    let sidebar = |html: &str| {
        let at = html.find(r#"<nav id="site-nav""#).unwrap();
        html[at..at + html[at..].find("</nav>").unwrap()].to_string()
    };
    let nav = sidebar(&both.read("team/people/ana/index.html"));
    assert_eq!(nav.matches(">Roles</a>").count(), 1, "{nav}");
    assert!(
        nav.contains(r#"href="../../../roles/index.html">Roles</a>"#),
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
