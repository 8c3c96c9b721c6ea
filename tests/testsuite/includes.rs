//! Includes: mdBook's `{{#include}}` (handbook's own), Jekyll's `{% include %}`, Middleman's
//! partials and MkDocs' snippets, with the findings of included text at its own lines.

use crate::harness::HandbookTest;

/// Two SOPs sharing one escalation table, whose links are written from its own folder.
fn shared() -> HandbookTest {
    HandbookTest::empty()
        .file(
            "content/shared/escalation.md",
            "| Severity | Call |\n|---|---|\n| SEV1 | [the incident lead](../roles/lead.md) |\n\n\
             See [the rota](../rota.md) and [the old matrix](../matrix.md).\n",
        )
        .file("content/roles/lead.md", "# Incident lead\n")
        .file("content/rota.md", "# Rota\n")
        .file(
            "content/sops/patching.md",
            "# Patching\n\n## Escalation\n\n{{#include ../shared/escalation.md}}\n\nDone.\n",
        )
        .file(
            "content/sops/deploys.md",
            "# Deploys\n\n{{#include ../shared/escalation.md}}\n",
        )
}

#[test]
fn an_included_file_is_text_of_each_page_with_its_links_from_its_own_folder() {
    let t = shared().build().assert_ok();
    for page in ["sops/patching/index.html", "sops/deploys/index.html"] {
        let html = t.read(page);
        assert!(html.contains("<td>SEV1</td>"), "{html}");
        // `../roles/lead.md` from shared/ is roles/lead.md, written from the page's URL.
        assert!(
            html.contains("href=\"../../roles/lead/index.html\""),
            "{html}"
        );
        assert!(html.contains("href=\"../../rota/index.html\""), "{html}");
        assert!(!html.contains("{{#include"), "{html}");
    }
    // Not a page of its own.
    assert!(!t.out("shared/escalation/index.html").exists());
    // The one broken link is reported once, at its line of the included file.
    let broken: Vec<_> = t
        .diagnostics
        .iter()
        .filter(|d| d.rule == "link-broken")
        .collect();
    assert_eq!(broken.len(), 1, "{}", t.diagnostics_text());
    t.diagnostic("link-broken", "content/shared/escalation.md", 5, 32);
}

#[test]
fn a_link_to_an_included_file_says_it_is_not_a_page() {
    let t = shared()
        .file(
            "content/index.md",
            "# Home\n\nThe [table](shared/escalation.md).\n",
        )
        .build();
    let d = t.diagnostic("link-unpublished", "content/index.md", 3, 5);
    assert!(d.message.contains("included into other pages"), "{d:?}");
}

#[test]
fn lines_and_anchors_select_what_is_included() {
    let t = HandbookTest::empty()
        .file(
            "scripts/rotate.sh",
            "#!/bin/sh\n# ANCHOR: rotate\nvault rotate \"$1\"\n# ANCHOR: inner\necho done\n# ANCHOR_END: inner\n# ANCHOR_END: rotate\nexit 0\n",
        )
        .file(
            "content/keys.md",
            "# Keys\n\n```sh\n{{#include ../scripts/rotate.sh:rotate}}\n```\n\n```sh\n{{#include ../scripts/rotate.sh:1:1}}\n```\n\n```sh\n{{#rustdoc_include ../scripts/rotate.sh:8:}}\n```\n\nLiteral: \\{{#include x.md}}\n",
        )
        .build()
        .assert_clean();
    let html = t.read("keys/index.html");
    let code: Vec<&str> = html.split("<pre").skip(1).collect();
    assert_eq!(code.len(), 3, "{html}");
    // The anchor's lines, without the marker lines of the anchor inside it.
    assert!(
        code[0].contains("rotate") && code[0].contains("done"),
        "{}",
        code[0]
    );
    assert!(
        !code[0].contains("exit") && !html.contains("ANCHOR"),
        "{html}"
    );
    // Line 1; line 8 to the end.
    assert!(
        code[1].contains("#!/bin/sh") && !code[1].contains("rotate"),
        "{}",
        code[1]
    );
    assert!(
        code[2].contains("exit") && !code[2].contains("rotate"),
        "{}",
        code[2]
    );
    assert!(html.contains("Literal: {{#include x.md}}"), "{html}");
}

#[test]
fn a_bad_include_is_reported_where_it_is_and_the_page_still_builds() {
    let t = HandbookTest::empty()
        .file("data/people.yml", "- id: ada\n  name: Ada\n  email: ada@example.org\n")
        .file("content/a.md", "# A\n\n{{#include b.md}}\n")
        .file("content/b.md", "# B\n\nText of B.\n\n{{#include a.md}}\n")
        .file(
            "content/c.md",
            "# C\n\n{{#include missing.md}}\n\n{{#include ../../etc/passwd}}\n\n{{#include ../data/people.yml}}\n\n{{#include a.md:40:50}}\n\n{{#include a.md:nowhere}}\n\n{{#include .secret}}\n\nStill here.\n",
        )
        .file(".secret", "TOKEN=x\n")
        .file("content/.secret", "TOKEN=y\n")
        .build()
        .assert_ok();
    let cycle = t.diagnostic("include-invalid", "content/b.md", 5, 1);
    assert!(cycle.message.contains("includes itself"), "{cycle:?}");
    let at = |line| {
        t.diagnostic("include-invalid", "content/c.md", line, 1)
            .message
            .clone()
    };
    assert!(at(3).contains("`missing.md` does not exist"), "{}", at(3));
    assert!(at(5).contains("outside the handbook root"), "{}", at(5));
    assert!(at(7).contains("team data"), "{}", at(7));
    assert!(at(9).contains("line 40 is not in it"), "{}", at(9));
    assert!(at(11).contains("no `ANCHOR: nowhere`"), "{}", at(11));
    assert!(at(13).contains("hidden"), "{}", at(13));
    let c = t.read("c/index.html");
    assert!(c.contains("Still here."), "{c}");
    assert!(
        !c.contains("TOKEN") && !c.contains("ada@example.org"),
        "{c}"
    );
}

#[test]
fn includes_nest_eight_deep_and_no_deeper() {
    let mut t = HandbookTest::empty().file("content/page.md", "# Page\n\n{{#include p1.md}}\n");
    for i in 1..=9 {
        t = t.file(
            &format!("content/p{i}.md"),
            format!("Level {i}.\n\n{{{{#include p{}.md}}}}\n", i + 1),
        );
    }
    let t = t.file("content/p10.md", "Level 10.\n").build().assert_ok();
    let html = t.read("page/index.html");
    assert!(html.contains("Level 8."), "{html}");
    assert!(!html.contains("Level 9."), "{html}");
    let d = t.diagnostic("include-invalid", "content/p8.md", 3, 1);
    assert!(d.message.contains("deeper than 8"), "{d:?}");
}

#[test]
fn an_include_bomb_is_stopped() {
    // Each level includes the next ten times: 10^8 copies at the bottom.
    let mut t = HandbookTest::empty().file("content/page.md", "# Page\n\n{{#include b1.md}}\n");
    for i in 1..=8 {
        let line = format!("{{{{#include b{}.md}}}}\n", i + 1);
        t = t.file(&format!("content/b{i}.md"), line.repeat(10));
    }
    let t = t
        .file("content/b9.md", "x".repeat(4096))
        .build()
        .assert_ok();
    assert_stopped_at_the_limit(&t);
    let size = std::fs::metadata(t.out("page/index.html")).unwrap().len();
    assert!(size < 20 << 20, "{size}");
}

#[test]
fn other_tools_includes_read_as_their_tools_read_them() {
    let t = HandbookTest::empty()
        // Jekyll: `_includes/`, its parameters ignored with a warning.
        .file("content/_includes/contacts.md", "Call **the duty manager**.\n")
        .file(
            "content/jekyll.md",
            "# Jekyll\n\n{% include contacts.md %}\n\n{% include contacts.md tone=\"calm\" %}\n\n{% include footer.html %}\n",
        )
        // Middleman: `partial "partials/intro"` is `partials/_intro.html.md`.
        .file(
            "content/partials/_intro.html.md",
            "The **intro** [for all](../rota.md).\n",
        )
        .file("content/rota.md", "# Rota\n")
        .file(
            "content/middleman.md",
            "# Middleman\n\n<%= partial \"partials/intro\" %>\n\n<%= partial(:missing) %>\n",
        )
        // MkDocs snippets, from the handbook root, indented in a list.
        .file("snippets/abbrev.md", "- SEV: severity\n- RCA: root cause\n")
        .file(
            "content/mkdocs.md",
            "# MkDocs\n\n- Terms:\n\n    --8<-- \"snippets/abbrev.md\"\n\n--8<-- \"nowhere.md\"\n",
        )
        .build()
        .assert_ok();
    let jekyll = t.read("jekyll/index.html");
    assert_eq!(
        jekyll.matches("<strong>the duty manager</strong>").count(),
        2,
        "{jekyll}"
    );
    let params = t.diagnostic("template-syntax", "content/jekyll.md", 5, 1);
    assert!(params.message.contains("tone=\"calm\""), "{params:?}");
    // Not in the handbook: left as written, and reported as another tool's tag.
    t.diagnostic("template-syntax", "content/jekyll.md", 7, 1);
    let middleman = t.read("middleman/index.html");
    assert!(middleman.contains("<strong>intro</strong>"), "{middleman}");
    assert!(
        middleman.contains("href=\"../rota/index.html\""),
        "{middleman}"
    );
    t.diagnostic("template-syntax", "content/middleman.md", 5, 1);
    let mkdocs = t.read("mkdocs/index.html");
    assert!(mkdocs.contains("<li>RCA: root cause</li>"), "{mkdocs}");
    t.diagnostic("include-invalid", "content/mkdocs.md", 7, 1);
    // Partials are not pages.
    t.assert_missing("_includes/contacts/index.html")
        .assert_missing("partials/_intro/index.html")
        .assert_missing("partials/intro/index.html");
}

#[test]
fn an_ignore_comment_in_an_included_file_silences_its_finding_for_every_page() {
    let t = HandbookTest::empty()
        .file(
            "content/shared/old.md",
            "<!-- handbook-ignore link-broken -->\nThe [old form](../forms/old.md).\n",
        )
        .file("content/a.md", "# A\n\n{{#include shared/old.md}}\n")
        .file("content/b.md", "# B\n\n{{#include shared/old.md}}\n")
        .build()
        .assert_clean();
    assert!(t.read("a/index.html").contains("old form"));
}

#[test]
fn a_link_made_by_another_tools_tag_is_checked_where_it_is_written() {
    let t = HandbookTest::empty()
        .file("content/rota.md", "# Rota\n\n## Swaps\n")
        .file(
            "content/sops/a.md",
            "# A\n\nThe [rota]({{ site.baseurl }}{% link rota.md %}#swaps), the\n[old rota]({% link old-rota.md %}) and [swaps]({{< ref \"rota.md#nope\" >}}).\n",
        )
        .build()
        .assert_rules(&["link-broken", "anchor-broken"]);
    assert!(t
        .read("sops/a/index.html")
        .contains(r#"href="../../rota/index.html#swaps">rota</a>"#));
    t.diagnostic("link-broken", "content/sops/a.md", 4, 1);
    t.diagnostic("anchor-broken", "content/sops/a.md", 4, 40);
}

/// A symlink inside the handbook to the team data (or the output) is no way to publish it.
#[cfg(unix)]
#[test]
fn a_symlink_to_the_team_data_is_not_included() {
    let t = HandbookTest::empty()
        .file(
            "data/people.yml",
            "- id: al\n  name: Al\n  email: al@example.org\n",
        )
        .file(
            "content/index.md",
            "# Home\n\n{{#include team.txt}}\n\n--8<-- \"content/team.txt\"\n",
        );
    std::os::unix::fs::symlink("../data/people.yml", t.root.join("content/team.txt")).unwrap();
    let t = t.build().assert_ok();
    assert!(!t.read("index.html").contains("al@example.org"));
    t.diagnostic("include-invalid", "content/index.md", 3, 1);
}

#[test]
fn a_snippets_indentation_counts_against_the_limit() {
    let lines = "x\n".repeat(50_000);
    let t = HandbookTest::empty()
        .file("content/_f.md", lines)
        .file(
            "content/index.md",
            format!("# Home\n\n{}--8<-- \"content/_f.md\"\n", " ".repeat(2_000)),
        )
        .build()
        .assert_ok();
    assert_stopped_at_the_limit(&t);
    assert!(std::fs::metadata(t.out("index.html")).unwrap().len() < 10 << 20);
}

#[test]
fn an_include_that_fails_leaves_the_page_it_names_a_page() {
    let t = HandbookTest::empty()
        .file(
            "content/index.md",
            "# Home\n\n{{#include security.md:nope}}\n\n{{#include }}\n",
        )
        .file("content/security.md", "# Security\n")
        .build()
        .assert_ok()
        .assert_exists("security/index.html");
    t.diagnostic("include-invalid", "content/index.md", 3, 1);
    let d = t.diagnostic("include-invalid", "content/index.md", 5, 1);
    assert!(d.message.contains("names no file"), "{d:?}");
}

/// The page's includes were cut at the 8 MiB limit, and said so.
fn assert_stopped_at_the_limit(t: &HandbookTest) {
    assert!(
        t.diagnostics
            .iter()
            .any(|d| d.rule == "include-invalid" && d.message.contains("MiB")),
        "{}",
        t.diagnostics_text()
    );
}
