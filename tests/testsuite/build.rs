//! End-to-end builds of the fixture handbook: pages, URLs, links, assets, drafts, aliases.

use crate::harness::{links, HandbookTest};

#[test]
fn builds_every_page_at_its_pretty_url() {
    HandbookTest::from_fixture("basic")
        .build()
        .assert_clean()
        .assert_exists("index.html")
        .assert_exists("sops/index.html")
        .assert_exists("sops/security-patching/index.html")
        .assert_exists("sops/code-review/index.html")
        .assert_exists("guides/first-week/index.html")
        .assert_exists("guides/deep/deeper/leaf/index.html")
        .assert_exists("404.html")
        .assert_exists("assets/style.css")
        .assert_exists(".handbook-site");
}

#[test]
fn markdown_links_become_relative_page_links() {
    HandbookTest::from_fixture("basic")
        .build()
        .assert_clean()
        .assert_contains(
            "sops/security-patching/index.html",
            r##"<a href="../code-review/index.html#review-checklist">code review</a>"##,
        )
        .assert_contains(
            "sops/security-patching/index.html",
            r#"<a href="../patch-flow.svg">diagram</a>"#,
        )
        .assert_contains(
            "sops/code-review/index.html",
            r#"<a href="../../guides/index.html">the guides</a>"#,
        )
        .assert_contains("index.html", r#"<a href="sops/index.html">SOPs</a>"#)
        .assert_contains(
            "guides/deep/deeper/leaf/index.html",
            r#"<a href="../../../../index.html">Home</a>"#,
        )
        .assert_exists("sops/patch-flow.svg");
}

#[test]
fn pretty_links_drop_index_html() {
    let t = HandbookTest::from_fixture("basic")
        .file("handbook.yaml", "title: X\npretty_links: true\n")
        .build()
        .assert_clean();
    t.assert_contains(
        "sops/security-patching/index.html",
        r##"<a href="../code-review/#review-checklist">code review</a>"##,
    );
}

#[test]
fn search_false_leaves_out_the_box_and_the_index() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    t.assert_contains("index.html", " data-search ")
        .assert_exists("search/meta.js");
    let t = HandbookTest::from_fixture("basic")
        .file("handbook.yaml", "title: X\nsearch: false\n")
        .build()
        .assert_clean()
        .assert_lacks("index.html", "data-search")
        .assert_lacks("index.html", "search/search.js")
        .assert_lacks("sops/security-patching/index.html", "search/search.js")
        .assert_missing("search");
    assert!(t
        .read("sops/security-patching/index.html")
        .contains("Collect advisories"));
}

#[test]
fn every_link_in_the_output_is_relative_and_resolves() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    for entry in walkdir::WalkDir::new(t.root.join("public")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") || entry.file_name() == "404.html" {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for href in links(&html) {
            if href.starts_with("https://") || href.starts_with("http://") {
                continue;
            }
            assert!(
                !href.starts_with('/'),
                "{}: absolute link {href}",
                entry.path().display()
            );
            let path = href.split('#').next().unwrap();
            if path.is_empty() {
                continue;
            }
            let target = entry.path().parent().unwrap().join(path);
            assert!(
                target.exists(),
                "{}: {href} does not resolve",
                entry.path().display()
            );
        }
    }
}

#[test]
fn title_comes_from_front_matter_then_heading_then_file_name() {
    let t = HandbookTest::from_fixture("basic")
        .file("content/guides/no-title-at-all.md", "Just text.\n")
        .build()
        .assert_clean()
        // The heading became the title, with its id (links to `#first-week` work, as on
        // GitHub), and is not repeated in the body.
        .assert_contains(
            "guides/first-week/index.html",
            "<h1 id=\"first-week\">First Week</h1>",
        )
        .assert_contains(
            "guides/no-title-at-all/index.html",
            "<h1>No title at all</h1>",
        );
    assert_eq!(
        t.read("guides/first-week/index.html")
            .matches("<h1")
            .count(),
        1
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    HandbookTest::from_fixture("basic")
        .build()
        .assert_clean()
        .assert_missing("sops/draft-procedure/index.html")
        .assert_lacks("sops/index.html", "Draft Procedure");
    HandbookTest::from_fixture("basic")
        .with_drafts()
        .build()
        .assert_clean()
        .assert_exists("sops/draft-procedure/index.html")
        .assert_contains("sops/index.html", "Draft Procedure");
}

#[test]
fn aliases_redirect_to_the_page() {
    HandbookTest::from_fixture("basic")
        .build()
        .assert_clean()
        .assert_contains("procedures/patching/index.html", r#"<meta http-equiv="refresh" content="0; url=../../sops/security-patching/index.html">"#);
}

#[test]
fn sections_list_their_children_in_order() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    let html = t.read("sops/index.html");
    let a = html.find("Security Patching").unwrap();
    let b = html.find("Code Review").unwrap();
    assert!(a < b, "order: 1 must come before order: 2");
    t.assert_contains("sops/index.html", "All standard operating procedures.");
}

#[test]
fn section_index_may_be_index_or_readme_or_a_sibling_file() {
    HandbookTest::empty()
        .file("content/a/README.md", "# Section A\n")
        .file("content/a/page.md", "# Page\n")
        .file("content/b/index.md", "---\ntitle: Section B\n---\n")
        .file("content/c.md", "---\ntitle: Section C\n---\n")
        .file("content/c/child.md", "# Child\n")
        .build()
        .assert_clean()
        .assert_contains("a/index.html", "<h1 id=\"section-a\">Section A</h1>")
        .assert_contains("b/index.html", "<h1>Section B</h1>")
        .assert_contains("c/index.html", "<h1>Section C</h1>")
        .assert_contains("c/index.html", r#"href="child/index.html""#)
        .assert_missing("a/readme/index.html");
}

#[test]
fn sitemap_only_with_an_absolute_base_url() {
    HandbookTest::from_fixture("basic")
        .build()
        .assert_missing("sitemap.xml");
    HandbookTest::from_fixture("basic")
        .file(
            "handbook.yaml",
            "base_url: https://intranet.example.com/handbook/\n",
        )
        .build()
        .assert_clean()
        .assert_contains(
            "sitemap.xml",
            "<loc>https://intranet.example.com/handbook/sops/security-patching/</loc>",
        )
        .assert_lacks("sitemap.xml", "draft-procedure");
}

#[test]
fn not_found_page_links_from_the_base_path() {
    HandbookTest::from_fixture("basic")
        .build()
        .assert_contains("404.html", r#"href="/assets/style.css""#);
    HandbookTest::from_fixture("basic")
        .file("handbook.yaml", "base_url: /handbook/\n")
        .build()
        .assert_contains("404.html", r#"href="/handbook/assets/style.css""#)
        .assert_contains("404.html", r#"href="/handbook/sops/index.html""#);
}

#[test]
fn edit_links_when_configured() {
    HandbookTest::from_fixture("basic")
        .file(
            "handbook.yaml",
            "edit_url: https://git.example.com/hb/edit/main/\n",
        )
        .build()
        .assert_contains(
            "sops/code-review/index.html",
            r#"href="https://git.example.com/hb/edit/main/content/sops/code-review.md""#,
        );
}

#[test]
fn slug_overrides_the_last_part_of_the_url() {
    HandbookTest::empty()
        .file(
            "content/sops/x.md",
            "---\ntitle: X\nslug: Better Name\n---\n",
        )
        .file("content/sops/y.md", "[x](x.md)\n")
        .build()
        .assert_clean()
        .assert_exists("sops/better-name/index.html")
        .assert_contains(
            "sops/y/index.html",
            r#"<a href="../better-name/index.html">x</a>"#,
        );
}

#[test]
fn url_clashes_are_reported_and_the_first_page_kept() {
    let t = HandbookTest::empty()
        .file("content/a.md", "---\ntitle: First\n---\n")
        .file("content/b.md", "---\ntitle: Second\nslug: a\n---\n")
        .build()
        .assert_ok();
    let d = t.diagnostic("id-duplicate", "content/b.md", 3, 7);
    assert!(
        d.message.contains("both make the page `/a/`"),
        "{}",
        d.message
    );
    t.assert_contains("a/index.html", "<h1>First</h1>");
}

#[test]
fn the_example_handbook_builds_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let options = handbook::Options {
        as_of: "2026-11-23".parse().unwrap(),
        drafts: false,
        out: Some(out.path().join("site")),
        ..handbook::Options::default()
    };
    let mut hb = handbook::Handbook::load(root, &options).unwrap();
    let stats = hb.build().unwrap();
    // No errors; the only warnings are reviews coming up within the month, as in a real
    // handbook on any given day.
    assert!(
        hb.diagnostics.iter().all(|d| d.rule == "review-due-soon"),
        "{:#?}",
        hb.diagnostics
    );
    assert!(stats.pages >= 20, "{stats:?}");
}

/// `handbook build` frees each document's text as its body is made and each body's HTML as its
/// page is written, and a large one holds the HTML compressed meanwhile: the site and the
/// findings are those of a build that holds everything.
#[test]
fn a_build_that_frees_as_it_goes_makes_the_same_site_and_findings() {
    // The example, and a page with findings in its own text, in a file it includes and in an
    // admonition, a template tag and a comment that silences one.
    let t = HandbookTest::example()
        .file(
            "content/zz-findings.md",
            "---\ntitle: Findings\n---\nÉtape : [gone](gone.md), [here](#nowhere).\n\n\
             {{#include _part.md}}\n\n!!! note \"Note\"\n    See [also gone](also-gone.md).\n\n\
             Prose {{ site.title }}.\n\n<!-- handbook-ignore link-broken -->\n[x](x.md)\n",
        )
        .file(
            "content/_part.md",
            "Intro.\n\nSee [part gone](part-gone.md).\n",
        );
    let root = t.root.as_path();
    let out = tempfile::tempdir().unwrap();
    let build = |free_as_it_goes: bool, squeeze_html_above: usize, name: &str| {
        let options = handbook::Options {
            as_of: "2026-11-23".parse().unwrap(),
            out: Some(out.path().join(name)),
            free_as_it_goes,
            squeeze_html_above,
            ..handbook::Options::default()
        };
        let mut hb = handbook::Handbook::load(root, &options).unwrap();
        hb.build().unwrap();
        let found: Vec<String> = hb.diagnostics.iter().map(|d| d.to_string()).collect();
        let mut files = std::collections::BTreeMap::new();
        for entry in walkdir::WalkDir::new(out.path().join(name)) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(out.path().join(name)).unwrap();
                files.insert(rel.to_path_buf(), std::fs::read(entry.path()).unwrap());
            }
        }
        (found, files)
    };
    let (held_found, held) = build(false, usize::MAX, "held");
    let (freed_found, freed) = build(true, usize::MAX, "freed");
    let (squeezed_found, squeezed) = build(true, 0, "squeezed");
    assert_eq!(held_found, freed_found);
    assert_eq!(held_found, squeezed_found);
    let findings: Vec<&String> = (held_found.iter())
        .filter(|d| d.contains("zz-findings") || d.contains("_part"))
        .collect();
    assert_eq!(findings.len(), 5, "{findings:#?}");
    for at in [
        "zz-findings.md:4:",
        "_part.md:3:5",
        "zz-findings.md:9:",
        "zz-findings.md:11:",
    ] {
        assert!(
            findings.iter().any(|d| d.contains(at)),
            "{at}: {findings:#?}"
        );
    }
    assert_eq!(
        held.keys().collect::<Vec<_>>(),
        freed.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        held.keys().collect::<Vec<_>>(),
        squeezed.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &held {
        assert!(&freed[path] == bytes, "{} differs", path.display());
        assert!(
            &squeezed[path] == bytes,
            "{} differs squeezed",
            path.display()
        );
    }
    assert!(held.len() > 50, "{}", held.len());
}

#[test]
fn a_file_named_as_a_pages_folder_is_reported_and_the_site_builds() {
    // `backup` (a script) beside `backup.md`, whose page is `backup/index.html`: a file
    // cannot take that folder's name. `check` says so, and `build` publishes the rest.
    let t = HandbookTest::empty()
        .file("content/runbooks/backup.md", "# Backup\n")
        .file("content/runbooks/backup", "#!/bin/sh\n")
        .file("content/notes.txt.md", "# Notes\n")
        .file("content/notes.txt", "notes\n")
        .build()
        .assert_ok()
        .assert_exists("runbooks/backup/index.html")
        .assert_exists("notes.txt/index.html");
    let d = t.diagnostic("id-duplicate", "content/runbooks/backup", 0, 0);
    assert!(d.message.contains("`runbooks/backup/`"), "{d}");
    t.diagnostic("id-duplicate", "content/notes.txt", 0, 0);
    assert_eq!(t.diagnostics.len(), 2, "{}", t.diagnostics_text());
    let o = t.cli(&["check", "--as-of", crate::harness::AS_OF]);
    assert_eq!(o.status.code(), Some(1));
}

/// A handbook that freed its bodies as it wrote them says so when asked to render again, rather
/// than publish pages without their bodies; and `check_only` keeps every body to settle its
/// fragments, whatever `free_as_it_goes` says.
#[test]
fn a_handbook_that_freed_its_bodies_is_not_rendered_twice() {
    let t = HandbookTest::empty().file(
        "content/p.md",
        "# P\n\nSee[^n] and [the note](#fn:1).\n\n[^n]: Note.\n",
    );
    let out = tempfile::tempdir().unwrap();
    let options = |check_only: bool| handbook::Options {
        as_of: "2026-11-23".parse().unwrap(),
        out: Some(out.path().join("site")),
        free_as_it_goes: true,
        check_only,
        ..handbook::Options::default()
    };
    let mut hb = handbook::Handbook::load(&t.root, &options(false)).unwrap();
    hb.build().unwrap();
    let page = std::fs::read_to_string(out.path().join("site/p/index.html")).unwrap();
    assert!(page.contains("Note."), "{page}");
    let again = hb.build().unwrap_err().to_string();
    assert!(again.contains("load it again"), "{again}");
    assert_eq!(
        std::fs::read_to_string(out.path().join("site/p/index.html")).unwrap(),
        page
    );

    let checked = handbook::Handbook::load(&t.root, &options(true)).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
}
