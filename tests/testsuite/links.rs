//! Links and anchors exactly as the built site and GitHub resolve them: e-mail addresses,
//! the title heading's id, raw HTML, fragments into generated pages, empty links, files the
//! site leaves out, letter case, and `handbook-ignore` comments. Each finding has a trigger
//! and a clean twin.

use crate::harness::{HandbookTest, AS_OF};

/// A handbook of the given files, built.
fn handbook(files: &[(&str, &str)]) -> HandbookTest {
    let mut t = HandbookTest::empty();
    for (path, text) in files {
        t = t.file(path, text);
    }
    t.build().assert_ok()
}

#[test]
fn e_mail_addresses_are_mailto_links_not_files() {
    let t = handbook(&[(
        "content/contact.md",
        "# Contact\n\nWrite to <ops@example.org>, to security@example.org, or [the desk](mailto:desk@example.org).\n",
    )])
    .assert_clean();
    t.assert_contains(
        "contact/index.html",
        r#"<a href="mailto:ops@example.org">ops@example.org</a>"#,
    )
    .assert_contains(
        "contact/index.html",
        r#"<a href="mailto:security@example.org">security@example.org</a>"#,
    );
    // An address written where a path goes is a broken link, with the fix.
    let t = handbook(&[(
        "content/contact.md",
        "# Contact\n\n[Mail us](ops@example.org)\n",
    )]);
    let d = t.diagnostic("link-broken", "content/contact.md", 3, 1);
    assert_eq!(
        d.help.as_deref(),
        Some("an e-mail address is linked as `mailto:ops@example.org`")
    );
}

#[test]
fn the_title_heading_keeps_its_id_for_links() {
    // `# On-call rota` is the title (no front matter title), `# Patching` is left out
    // because it equals the front matter's: both ids are on the pages' `<h1>`.
    let good = [
        ("content/rota.md", "# On-call rota\n\nText.\n\n## On-call rota\n"),
        (
            "content/patching.md",
            "---\ntitle: Patching\n---\n# Patching\n\nSee [the top](#patching).\n",
        ),
        (
            "content/index.md",
            "# Home\n\n[rota](rota.md#on-call-rota), [again](rota.md#on-call-rota-1), [patching](patching.md#patching).\n",
        ),
    ];
    let t = handbook(&good).assert_clean();
    t.assert_contains(
        "rota/index.html",
        r#"<h1 id="on-call-rota">On-call rota</h1>"#,
    )
    .assert_contains("rota/index.html", r#"<h2 id="on-call-rota-1">"#)
    .assert_contains("patching/index.html", r#"<h1 id="patching">Patching</h1>"#);
    let bad = [
        good[0],
        good[1],
        (
            "content/index.md",
            "# Home\n\n[rota](rota.md#on-call-rota-2)\n",
        ),
    ];
    let t = handbook(&bad);
    let d = t.diagnostic("anchor-broken", "content/index.md", 3, 1);
    assert!(
        d.message
            .contains("`rota.md` has no heading with id `on-call-rota-2`"),
        "{d}"
    );
}

#[test]
fn links_in_raw_html_are_checked_and_rewritten_like_markdown() {
    let page = "# Guide\n\n<p align=\"center\">\n  <img src=\"/img/diagram.png\" alt=\"Diagram\"\n       srcset=\"img/diagram.png 1x, img/diagram@2x.png 2x\">\n</p>\n\n\
                Inline: <a href=\"../sops/patching.md#steps\">patching</a> and <a href=\"/sops/\">all SOPs</a>.\n\n\
                <video poster=\"img/poster.png\" controls>\n  <source src=\"img/clip.mp4\" type=\"video/mp4\">\n</video>\n";
    let good = [
        ("content/guides/guide.md", page),
        ("content/sops/patching.md", "# Patching\n\n## Steps\n"),
        ("content/img/diagram.png", "png"),
        ("content/guides/img/diagram.png", "png"),
        ("content/guides/img/diagram@2x.png", "png"),
        ("content/guides/img/poster.png", "png"),
        ("content/guides/img/clip.mp4", "mp4"),
    ];
    let t = handbook(&good).assert_clean();
    let html = t.read("guides/guide/index.html");
    // Root-absolute paths become relative (they break from file:// and under a sub-path);
    // `.md` targets become page URLs; the rest of the HTML is as written.
    for want in [
        r#"<img src="../../img/diagram.png" alt="Diagram""#,
        r#"srcset="../img/diagram.png 1x, ../img/diagram@2x.png 2x">"#,
        r##"<a href="../../sops/patching/index.html#steps">patching</a>"##,
        r#"<a href="../../sops/index.html">all SOPs</a>"#,
        r#"<video poster="../img/poster.png" controls>"#,
        r#"<source src="../img/clip.mp4" type="video/mp4">"#,
    ] {
        assert!(html.contains(want), "lacks {want}:\n{html}");
    }
    // Each broken one is reported where its URL is written.
    let bad_page = page
        .replace("img/diagram@2x.png", "img/diagram@3x.png")
        .replace("patching.md#steps", "patching.md#stepz")
        .replace("img/clip.mp4", "img/clip.webm");
    let t = handbook(&[
        ("content/guides/guide.md", &bad_page),
        good[1],
        good[2],
        good[3],
        good[4],
        good[5],
    ]);
    t.diagnostic("link-broken", "content/guides/guide.md", 5, 36);
    t.diagnostic("anchor-broken", "content/guides/guide.md", 8, 18);
    t.diagnostic("link-broken", "content/guides/guide.md", 11, 16);
    assert_eq!(t.diagnostics.len(), 3, "{}", t.diagnostics_text());
}

#[test]
fn fragments_into_generated_pages_are_checked_against_the_page_as_built() {
    let team = "people:\n  - id: ana\n    name: Ana Lima\n";
    let owned = "---\ntitle: Patching\nkind: sop\nowner: ana\napprover: ana\nlast_reviewed: 2026-06-01\nreview_every: 1 year\n---\n## Purpose\n\n## Scope\n\n## Procedure\n";
    // `docs/` has no index: its page is made. The person page and the theme's own ids
    // (`#main`) are in the built pages.
    let good = [
        ("data/team.yaml", team),
        ("content/docs/patching.md", owned),
        (
            "content/index.md",
            "# Home\n\n[docs](docs/#section-contents-title), [owns](/team/people/ana/#owns-title), [main](#main).\n",
        ),
    ];
    handbook(&good).assert_clean();
    let bad = [
        good[0],
        good[1],
        (
            "content/index.md",
            "# Home\n\n[docs](docs/#nothere), [owns](/team/people/ana/#owes-title), [main](#mian).\n",
        ),
    ];
    let t = handbook(&bad);
    let d = t.diagnostic("anchor-broken", "content/index.md", 3, 1);
    assert!(
        d.message
            .contains("`docs/` has no heading with id `nothere`"),
        "{d}"
    );
    let d = t.diagnostic("anchor-broken", "content/index.md", 3, 24);
    assert_eq!(d.help.as_deref(), Some("did you mean `#owns-title`?"));
    let d = t.diagnostic("anchor-broken", "content/index.md", 3, 62);
    assert_eq!(d.help.as_deref(), Some("did you mean `#main`?"));
    assert_eq!(t.diagnostics.len(), 3, "{}", t.diagnostics_text());
}

#[test]
fn an_empty_link_is_its_own_warning() {
    let t = handbook(&[(
        "content/a.md",
        "# A\n\nSee [the form]() and <a href=\"\">this</a>.\n",
    )]);
    let d = t.diagnostic("link-empty", "content/a.md", 3, 5);
    assert_eq!(d.severity.to_string(), "warning");
    assert_eq!(d.message, "this link has no target");
    t.diagnostic("link-empty", "content/a.md", 3, 31);
    assert_eq!(t.rules(), ["link-empty", "link-empty"]);
    handbook(&[("content/a.md", "# A\n\nSee [the form](#top).\n")]).assert_clean();
}

#[test]
fn a_link_to_a_file_the_site_leaves_out_says_so() {
    let t = HandbookTest::empty()
        .file("handbook.yaml", "content: docs\nexclude: [drafts]\n")
        .file("README.md", "# The repository\n")
        .file("scripts/rotate.sh", "#!/bin/sh\n")
        .file("data/team.yaml", "people:\n  - id: ana\n    name: Ana\n")
        .file("docs/.github/workflows/check.yml", "on: push\n")
        .file("docs/drafts/plan.md", "# Plan\n")
        .file(
            "docs/index.md",
            "# Home\n\n\
             - [readme](../README.md)\n\
             - [script](../scripts/rotate.sh)\n\
             - [team](../data/team.yaml)\n\
             - [workflow](.github/workflows/check.yml)\n\
             - [plan](drafts/plan.md)\n\
             - [from the top](/README.md)\n\
             - [missing](../nothing.md)\n\
             - [outside](../../x.md)\n\
             - [back in](../docs/index.md)\n",
        )
        .build()
        .assert_ok();
    let why = |line: u32| {
        let d = t.diagnostic("link-unpublished", "docs/index.md", line, 3);
        assert_eq!(d.severity.to_string(), "warning");
        d.message.clone()
    };
    assert!(why(3).starts_with("`README.md` is inside the handbook but not part of the site (it is beside the content folder"), "{}", why(3));
    assert!(why(4).contains("`scripts/rotate.sh`"), "{}", why(4));
    assert!(
        why(5).contains("the team data is never published"),
        "{}",
        why(5)
    );
    assert!(
        why(6).contains("hidden files and folders are not published"),
        "{}",
        why(6)
    );
    assert!(
        why(7).contains("`exclude:` in handbook.yaml leaves it out"),
        "{}",
        why(7)
    );
    assert!(why(8).contains("`README.md`"), "{}", why(8));
    let d = t.diagnostic("link-broken", "docs/index.md", 9, 3);
    assert!(d.message.contains("`nothing.md` does not exist"), "{d}");
    let d = t.diagnostic("link-broken", "docs/index.md", 10, 3);
    assert!(d.message.contains("outside the handbook"), "{d}");
    // A link that climbs out of the content folder and back in is an ordinary link.
    assert_eq!(t.diagnostics.len(), 8, "{}", t.diagnostics_text());
    t.assert_contains("index.html", r#"<a href="index.html">back in</a>"#);
}

#[cfg(unix)]
#[test]
fn nothing_outside_the_root_is_read_to_decide() {
    // A symlinked folder inside the content folder leads outside: a link through it is
    // broken, never "unpublished" (which would tell what exists out there).
    let t = HandbookTest::empty().file("content/a.md", "# A\n\n[passwd](etc/passwd)\n");
    std::fs::write(t.outside().join("secret.md"), "# Secret\n").unwrap();
    std::os::unix::fs::symlink(t.outside(), t.root.join("content/etc")).unwrap();
    std::os::unix::fs::symlink(
        t.outside().join("secret.md"),
        t.root.join("content/leak.md"),
    )
    .unwrap();
    let t = t
        .file(
            "content/b.md",
            "# B\n\n[secret](leak.md) [up](../../secret.md)\n",
        )
        .build();
    assert!(
        !t.rules().contains(&"link-unpublished"),
        "{}",
        t.diagnostics_text()
    );
    t.diagnostic("link-broken", "content/a.md", 3, 1);
    t.diagnostic("link-broken", "content/b.md", 3, 1);
    t.diagnostic("link-broken", "content/b.md", 3, 19);
}

#[test]
fn a_link_in_another_letter_case_or_normalisation_warns_and_works() {
    // The file name's `é` is decomposed (as macOS writes names); the link's is composed.
    let decomposed = "Cafe\u{301} rota.md";
    let t = handbook(&[
        ("content/sops/Setup.md", "# Setup\n"),
        (&format!("content/sops/{decomposed}"), "# Café rota\n"),
        (
            "content/index.md",
            "# Home\n\n[setup](sops/setup.md) and [rota](<sops/Café rota.md>)\n",
        ),
    ]);
    let d = t.diagnostic("link-case", "content/index.md", 3, 1);
    assert_eq!(d.severity.to_string(), "warning");
    assert!(
        d.message.contains("the file is spelt `sops/Setup.md`"),
        "{d}"
    );
    let d = t.diagnostic("link-case", "content/index.md", 3, 28);
    assert!(d.message.contains(decomposed), "{d}");
    assert_eq!(t.diagnostics.len(), 2, "{}", t.diagnostics_text());
    // The built site links to the page all the same.
    t.assert_contains("index.html", r#"<a href="sops/setup/index.html">setup</a>"#);
    handbook(&[
        ("content/sops/Setup.md", "# Setup\n"),
        ("content/index.md", "# Home\n\n[setup](sops/Setup.md)\n"),
    ])
    .assert_clean();
}

#[test]
fn a_comment_silences_one_finding_where_it_stands() {
    let page =
        "# A\n\n<!-- handbook-ignore link-broken -->\n[old](gone.md) [other](gone-too.md)\n\n\
                [kept](missing.md)\n\n\
                [again](gone.md) <!-- handbook-ignore-line link-broken -->\n";
    let t = HandbookTest::empty().file("content/a.md", page).build();
    // Only the one not silenced; both of line 4 and the one of line 8 are.
    assert_eq!(t.rules(), ["link-broken"], "{}", t.diagnostics_text());
    t.diagnostic("link-broken", "content/a.md", 6, 1);

    let check = |args: &[&str]| {
        let mut all = vec!["check", "--as-of", AS_OF, "--format", "json"];
        all.extend_from_slice(args);
        let out = t.cli(&all);
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let v = check(&[]);
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["silenced"], 3);
    let v = check(&["--no-ignore"]);
    assert_eq!(v["summary"]["errors"], 4);
    assert_eq!(v["summary"]["silenced"], 0);
    let human = t.cli(&["check", "--as-of", AS_OF]);
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.ends_with("1 error, 0 warnings in 1 document (3 silenced by handbook-ignore)\n"),
        "{human}"
    );

    // In front matter, after a `#`.
    let t = HandbookTest::empty()
        .file("data/team.yaml", "people:\n  - id: ana\n    name: Ana\n")
        .file(
            "content/a.md",
            "---\ntitle: A\nowner: zed  # handbook-ignore-line owner-unknown\n---\n# A\n",
        )
        .build();
    assert!(t.diagnostics.is_empty(), "{}", t.diagnostics_text());
}

#[test]
fn a_wrong_or_stale_comment_is_reported() {
    let t = HandbookTest::empty()
        .file(
            "content/a.md",
            "# A\n\n<!-- handbook-ignore link-brokn -->\n[x](gone.md)\n\n\
             <!-- handbook-ignore -->\n\n<!-- handbook-ignore anchor-broken -->\n[fine](#a)\n\n\
             ```\n<!-- handbook-ignore link-broken -->\n```\n",
        )
        .build();
    let d = t.diagnostic("ignore-invalid", "content/a.md", 3, 1);
    assert!(d.message.contains("did you mean `link-broken`?"), "{d}");
    t.diagnostic("link-broken", "content/a.md", 4, 1);
    let d = t.diagnostic("ignore-invalid", "content/a.md", 6, 1);
    assert!(d.message.contains("names no rule"), "{d}");
    let d = t.diagnostic("ignore-invalid", "content/a.md", 8, 1);
    assert!(d.message.contains("silences nothing"), "{d}");
    // A comment shown in a code block is text, not a comment.
    assert_eq!(t.diagnostics.len(), 4, "{}", t.diagnostics_text());
}

#[test]
fn raw_html_across_lines_in_lists_and_quotes_is_reported_where_it_is_written() {
    let page = "# A\n\n- An item with <a\n  href=\"gone.md\">a link</a>\n\n\
                > 1. A quote <a\n>    href=\"gone-too.md\">here</a>\n\n\
                - A list with a block:\n\n  <p>\n  <img alt=\"x\"\n       src=\"missing.png\">\n  </p>\n";
    let t = handbook(&[("content/a.md", page)]);
    t.diagnostic("link-broken", "content/a.md", 4, 9);
    t.diagnostic("link-broken", "content/a.md", 7, 12);
    t.diagnostic("link-broken", "content/a.md", 13, 13);
    assert_eq!(t.diagnostics.len(), 3, "{}", t.diagnostics_text());
}

#[test]
fn a_comment_over_several_lines_and_one_for_the_whole_file() {
    let t = HandbookTest::empty()
        .file("data/team.yaml", "people:\n  - id: ana\n    name: Ana\n")
        .file(
            "content/sop.md",
            "---\ntitle: SOP\nkind: sop\n# handbook-ignore-file owner-missing, approver-missing\n\
             last_reviewed: 2026-06-01\nreview_every: 1 year\n---\n## Purpose\n\n## Scope\n\n## Procedure\n\n\
             <!--\n  handbook-ignore link-broken\n-->\n[x](missing.md)\n",
        )
        .build();
    assert!(t.diagnostics.is_empty(), "{}", t.diagnostics_text());
}

#[test]
fn links_to_files_the_build_writes_and_to_static_files_by_their_repository_path() {
    let t = HandbookTest::empty()
        .file("handbook.yaml", "static: [static]\n")
        .file("static/img/logo.png", "png")
        .file(
            "content/guides/a.md",
            "# A\n\n[calendar](/reviews.ics), [not found page](/404.html), [style](/assets/style.css), \
             ![logo](/static/img/logo.png), ![logo again](../../static/img/logo.png)\n",
        )
        .build()
        .assert_clean();
    let html = t.read("guides/a/index.html");
    for want in [
        r#"<a href="../../reviews.ics">calendar</a>"#,
        r#"<a href="../../404.html">not found page</a>"#,
        r#"<a href="../../assets/style.css">style</a>"#,
        r#"<img src="../../img/logo.png" alt="logo""#,
        r#"<img src="../../img/logo.png" alt="logo again""#,
    ] {
        assert!(html.contains(want), "lacks {want}:\n{html}");
    }
}

#[test]
fn the_title_heading_after_a_comment_or_logo_and_its_own_anchor() {
    // READMEs open with a linter comment, an anchor, a logo; the heading carries an anchor
    // of its own that "back to top" links use.
    let t = handbook(&[
        ("content/img/logo.png", "png"),
        (
            "content/runbook.md",
            "<!-- markdownlint-disable MD033 -->\n<a name=\"top\"></a>\n\n![logo](img/logo.png)\n\n\
             # <a id=\"readme-top\"></a> Runbook\n\n## Steps\n\n[back to top](#readme-top), [top](#top), [title](#runbook)\n",
        ),
    ])
    .assert_clean();
    let html = t.read("runbook/index.html");
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    assert!(html.contains(r#"<h1 id="runbook">Runbook</h1>"#), "{html}");
    assert!(html.contains(r#"<a id="readme-top"></a>"#), "{html}");
}

#[test]
fn folders_without_pages_accents_and_repository_paths_in_another_case() {
    let decomposed = "Cafe\u{301}.md";
    let t = HandbookTest::empty()
        .file("handbook.yaml", "content: docs\n")
        .file("docs/img/a.png", "png")
        .file("docs/runbooks/deploy.md", "# Deploy\n")
        .file(&format!("docs/{decomposed}"), "# Café\n")
        .file(
            "docs/index.md",
            "# Home\n\n[images](img/)\n\n[deploy](/Docs/Runbooks/Deploy.md)\n\n[café](Café.md)\n",
        )
        .build()
        .assert_ok();
    let d = t.diagnostic("link-unpublished", "docs/index.md", 3, 1);
    assert!(
        d.message.contains("a folder with no page of its own"),
        "{d}"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("link to a file in it, or give it a page (an `index.md`)")
    );
    let d = t.diagnostic("link-case", "docs/index.md", 5, 1);
    assert!(d.message.contains("differ in letter case"), "{d}");
    let d = t.diagnostic("link-case", "docs/index.md", 7, 1);
    assert!(
        d.message
            .contains("differ in how their accents are encoded"),
        "{d}"
    );
    assert_eq!(t.diagnostics.len(), 3, "{}", t.diagnostics_text());
}

#[test]
fn names_that_differ_only_in_accent_encoding_are_one_url() {
    // As a Mac sees them: one file. Two tags, one tag page.
    let t = HandbookTest::empty()
        .file("content/café.md", "---\ntags: [Café]\n---\n# One\n")
        .file(
            "content/cafe\u{301}.md",
            "---\ntags: [Cafe\u{301}]\n---\n# Two\n",
        )
        .build()
        .assert_ok();
    assert_eq!(t.rules(), ["id-duplicate"], "{}", t.diagnostics_text());
    assert!(!t.out("tags/cafe\u{301}").exists());
    t.assert_exists("café/index.html")
        .assert_exists("tags/café/index.html");
}
