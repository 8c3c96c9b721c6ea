//! The default theme and handbook overrides.

use crate::harness::HandbookTest;

#[test]
fn default_theme_is_embedded_and_offline() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    let html = t.read("sops/code-review/index.html");
    assert!(html.contains(r#"<link rel="stylesheet" href="../../assets/style.css">"#));
    assert!(html.contains(r##"<a class="skip-link" href="#main">"##));
    assert!(html.contains(r#"<main id="main""#));
    for needle in [
        "https://fonts",
        "cdn.",
        "<script src=\"http",
        "@import url(http",
    ] {
        assert!(!html.contains(needle), "external resource {needle}");
        assert!(
            !t.read("assets/style.css").contains(needle),
            "external resource {needle} in css"
        );
    }
}

#[test]
fn a_handbook_can_override_one_template_or_asset() {
    HandbookTest::from_fixture("basic")
        .file(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block main %}<p>Custom lost page</p>{% endblock main %}",
        )
        .file(
            "themes/default/static/style.css",
            "body { color: rebeccapurple }",
        )
        .build()
        .assert_clean()
        .assert_contains("404.html", "Custom lost page")
        .assert_contains("assets/style.css", "rebeccapurple")
        // Other templates are still the built-in ones.
        .assert_contains("sops/index.html", "In this section");
}

#[test]
fn a_broken_override_is_reported_and_the_built_in_used() {
    let t = HandbookTest::from_fixture("basic")
        .file("templates/page.html", "{% if %}")
        .build()
        .assert_ok();
    assert_eq!(t.rules(), ["theme-invalid"], "{}", t.diagnostics_text());
    assert_eq!(
        t.diagnostics[0].file,
        std::path::Path::new("templates/page.html")
    );
    t.assert_contains("sops/code-review/index.html", "<h1>Code Review</h1>");

    // handbook.yaml's `rules:` reach the theme's diagnostics too.
    HandbookTest::from_fixture("basic")
        .file("templates/page.html", "{% if %}")
        .file(
            "handbook.yaml",
            "title: Fixture Handbook\nrules:\n  theme-invalid: off\n",
        )
        .build()
        .assert_clean();
}

#[test]
fn front_matter_extras_reach_templates() {
    HandbookTest::from_fixture("basic")
        .file("templates/page.html", "{% extends \"base.html\" %}{% block main %}<p>{{ page.extra.audience | default(value=\"all\") }}</p>{% endblock main %}")
        .file("content/x.md", "---\ntitle: X\naudience: engineers\n---\n")
        .build()
        .assert_contains("x/index.html", "<p>engineers</p>");
}

#[test]
fn a_broken_override_does_not_take_down_one_that_needs_another() {
    // home.html extends a template of the handbook's own; person.html is broken.
    let t = HandbookTest::from_fixture("basic")
        .file(
            "templates/layout.html",
            "{% extends \"base.html\" %}{% block main %}<i>LAYOUT</i>{% block inner %}{% endblock inner %}{% endblock main %}",
        )
        .file(
            "templates/home.html",
            "{% extends \"layout.html\" %}{% block inner %}HOME{% endblock inner %}",
        )
        .file("templates/person.html", "{% if %}")
        .build()
        .assert_ok();
    assert_eq!(t.rules(), ["theme-invalid"], "{}", t.diagnostics_text());
    assert_eq!(
        t.diagnostics[0].file,
        std::path::Path::new("templates/person.html")
    );
    t.assert_contains("index.html", "<i>LAYOUT</i>HOME");
}
