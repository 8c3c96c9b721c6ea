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
    let entries = html.matches("<li class=\"nav-page").count();
    assert!(entries <= 50, "{entries} nav entries");
    assert!(html.contains(r#"aria-current="page">Page 150<"#));
    assert!(html.contains("250 more in Big"), "a link to the full list");
    // The section page itself lists all 300.
    assert_eq!(
        t.read("big/index.html")
            .matches("<li>\n    <a href=")
            .count(),
        300
    );
}
