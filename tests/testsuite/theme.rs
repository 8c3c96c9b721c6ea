//! The default theme and handbook overrides.

use crate::harness::{git, HandbookTest};

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
fn a_page_links_one_stylesheet_which_carries_the_highlighting() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    let html = t.read("sops/code-review/index.html");
    assert_eq!(html.matches("rel=\"stylesheet\"").count(), 1, "{html}");
    let css = t.read("assets/style.css");
    assert!(
        css.contains("pre.code .k {"),
        "no highlighting rules in style.css"
    );
    // highlight.css is still written, for a theme's base.html that links it.
    t.assert_contains("assets/highlight.css", "pre.code .k {");
    // A theme's own highlight.css is what style.css carries.
    let t = HandbookTest::from_fixture("basic")
        .file(
            "themes/default/static/highlight.css",
            "pre.code .k { color: teal }",
        )
        .build()
        .assert_clean();
    let css = t.read("assets/style.css");
    assert!(css.ends_with("pre.code .k { color: teal }"), "{css}");
    assert_eq!(css.matches("pre.code .k {").count(), 1);
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

#[test]
fn the_header_stays_in_reach_anchors_land_below_it_and_the_contents_follow() {
    let Some(browser) =
        crate::harness::Browser::start("the_header_stays_in_reach_and_anchors_land_below_it")
    else {
        return;
    };
    let filler = "A line of the procedure that goes on for a while. ".repeat(40);
    let body: String = (1..=12)
        .map(|i| format!("## Step {i}\n\n{filler}\n\n"))
        .collect();
    let t = HandbookTest::empty()
        .file(
            "handbook.yaml",
            "title: The Northwind Logistics Engineering and IT Department Handbook of Procedures\n",
        )
        .file("content/long.md", format!("# Long\n\n{body}"))
        .build();
    for (width, height) in [(1280, 800), (390, 844)] {
        browser.open_file(&t.out("long/index.html"));
        browser.viewport(width, height);
        let header = browser.eval(
            "var h = document.querySelector('.site-header');
             var t = document.querySelector('.site-title');
             return [h.getBoundingClientRect().height, t.scrollWidth > t.clientWidth];",
        );
        // A long title is cut, not wrapped: the header keeps one line.
        assert!(header[0].as_f64().unwrap() < 80.0, "{width}: {header}");
        assert_eq!(
            header[1], true,
            "{width}: the title is cut with an ellipsis: {header}"
        );
        browser.open_file(&t.out("long/index.html#step-9"));
        let seen = browser.eval(
            "var h = document.querySelector('.site-header').getBoundingClientRect();
             var target = document.getElementById('step-9').getBoundingClientRect();
             return [window.scrollY > 0, h.top, target.top >= h.bottom, target.top, h.bottom];",
        );
        assert_eq!(seen[0], true, "{width}: scrolled to the anchor: {seen}");
        assert_eq!(
            seen[1].as_f64(),
            Some(0.0),
            "{width}: the header is in view: {seen}"
        );
        assert_eq!(
            seen[2], true,
            "{width}: the heading is below the header: {seen}"
        );
        // "On this page" marks the section being read (the contents show beside the text
        // on a wide screen).
        if width >= 1280 {
            assert!(browser.wait_for(
                "var a = document.querySelector('.toc a[aria-current=\"location\"]');
                 return !!a && a.getAttribute('href') === '#step-9';"
            ));
            browser.eval("window.scrollTo(0, 0); return true;");
            assert!(browser.wait_for(
                "var a = document.querySelector('.toc a[aria-current=\"location\"]');
                 return !!a && a.getAttribute('href') === '#step-1';"
            ));
        }
    }
}

#[test]
fn every_code_block_has_a_copy_button() {
    let Some(browser) = crate::harness::Browser::start("every_code_block_has_a_copy_button") else {
        return;
    };
    let t = HandbookTest::empty()
        .file(
            "content/run.md",
            "# Run\n\n```bash\nsudo apt-get update && echo '<done>'\n```\n\n    indented block\n",
        )
        .build();
    browser.open_file(&t.out("run/index.html"));
    // What the page hands the clipboard, seen through a stand-in for it.
    let seen = browser.eval(
        "window.copied = [];
         Object.defineProperty(navigator, 'clipboard', { configurable: true, value: {
           writeText: function (text) { window.copied.push(text); return Promise.resolve(); }
         } });
         var buttons = Array.from(document.querySelectorAll('pre + button.copy-code'));
         buttons[0].focus();
         return [buttons.length, document.activeElement === buttons[0], buttons[0].textContent];",
    );
    assert_eq!(seen, serde_json::json!([2, true, "Copy"]), "{seen}");
    // Enter on the focused button, as a keyboard user would.
    browser.type_into("button.copy-code", "\u{E007}");
    assert!(browser
        .wait_for("return document.querySelector('button.copy-code').textContent === 'Copied';"));
    assert_eq!(
        browser.eval("return window.copied;"),
        serde_json::json!(["sudo apt-get update && echo '<done>'\n"])
    );
    // Without the clipboard API (an older browser, a page it is refused to), the copy command
    // does it, or else the code is selected for Ctrl-C.
    browser.eval(
        "Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
         document.querySelectorAll('button.copy-code')[1].focus(); return true;",
    );
    browser.type_into("pre + button.copy-code:focus", "\u{E007}");
    let fallback = browser.eval(
        "var b = document.querySelectorAll('button.copy-code')[1];
         return [b.textContent, String(window.getSelection())];",
    );
    let done = fallback[0] == "Copied"
        || (fallback[0] == "Press Ctrl-C to copy" && fallback[1] == "indented block\n");
    assert!(done, "{fallback}");
}

/// Every kind of page, as a phone shows it (390x844) and as a laptop does (1280x800), in the
/// light and the dark scheme: nothing is wider than the screen, so nobody scrolls sideways;
/// wide tables and code scroll inside their own box.
#[test]
fn no_page_is_wider_than_the_screen() {
    let wide_table = format!(
        "| {} |\n|{}\n| {} |\n",
        (1..=12)
            .map(|i| format!("Column heading {i}"))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(12),
        (1..=12)
            .map(|i| format!("value-{i}-without-spaces-that-will-not-wrap"))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let t = HandbookTest::example()
        .file(
            "content/runbooks/wide.md",
            format!(
                "---\ntitle: A runbook with a wide table, long code and a long address\nkind: runbook\n\
                 owner: mchen\nlast_reviewed: 2026-06-01\n---\n\n\
                 See https://intranet.example.com/a/very/long/address/that/does/not/break/anywhere/at/all/on/a/phone\n\n\
                 {wide_table}\n\
                 ```bash\nkubectl --namespace=production-platform-services rollout restart deployment/payments-gateway-service-with-a-long-name\n```\n\n\
                 Averyveryveryverylongwordwithoutanybreakopportunityatallthatgoesonandon.\n"
            ),
        )
        .build()
        .assert_ok();
    let pages = [
        "index.html",
        "sops/index.html",
        "sops/security-patching/index.html",
        "runbooks/wide/index.html",
        "roles/engineer/index.html",
        "documents/index.html",
        "documents/sop/index.html",
        "team/index.html",
        "team/people/index.html",
        "team/people/mchen/index.html",
        "team/teams/index.html",
        "team/teams/infrastructure/index.html",
        "roles/index.html",
        "tags/index.html",
    ];
    let mut wide = Vec::new();
    for (scheme, switches) in [("light", &[][..]), ("dark", &["--force-dark-mode"][..])] {
        let Some(browser) = crate::harness::Browser::start_with("no_page_is_wider", switches)
        else {
            return;
        };
        for (width, height) in [(390, 844), (1280, 800)] {
            browser.viewport(width, height);
            for page in pages {
                let url = format!("file://{}", t.out(page).display());
                for query in ["", "?q=patching"] {
                    browser.open(&format!("{url}{query}"));
                    if !query.is_empty() {
                        assert!(
                            browser.wait_for(
                                "var p = document.getElementById('search-panel');
                             return !!p && !p.hidden && p.getAttribute('data-state') === 'done'
               && p.getAttribute('data-query') === document.getElementById('search-input').value;"
                            ),
                            "{page}: no search results"
                        );
                    }
                    // The page's width, and the elements that stick out past the screen's
                    // right or left edge (the innermost ones, which are the culprits).
                    let seen = browser.eval(
                        "var w = document.documentElement.clientWidth;
                         var out = Array.from(document.querySelectorAll('body *')).filter(function (e) {
                           var r = e.getBoundingClientRect();
                           if (r.width === 0 || getComputedStyle(e).position === 'fixed' && r.left >= 0 && r.right <= w) return false;
                           if (r.right <= w + 0.5 && r.left >= -0.5) return false;
                           for (var p = e.parentElement; p; p = p.parentElement) {
                             var o = getComputedStyle(p).overflowX;
                             if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
                           }
                           return true;
                         }).filter(function (e, _, all) {
                           return !all.some(function (o) { return o !== e && e.contains(o); });
                         }).slice(0, 5).map(function (e) {
                           var r = e.getBoundingClientRect();
                           return e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
                             + ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']';
                         });
                         return [document.documentElement.scrollWidth, w, out];",
                    );
                    // The lists of documents and people fit a phone without scrolling their
                    // box: the last column (the next review, the overdue count) is in view.
                    let lists_fit = browser.eval(
                        "var w = document.documentElement.clientWidth;
                         return Array.from(document.querySelectorAll(
                           '.doc-table td:last-child, .people-table td:last-child'
                         )).every(function (td) { return td.getBoundingClientRect().right <= w; });",
                    );
                    if lists_fit != true {
                        wide.push(format!(
                            "{scheme} {width}px {page}: a list's last column is out of view"
                        ));
                    }
                    if seen[0].as_u64() > seen[1].as_u64()
                        || !seen[2].as_array().unwrap().is_empty()
                    {
                        wide.push(format!("{scheme} {width}px {page}{query}: {seen}"));
                    }
                }
            }
        }
    }
    assert!(wide.is_empty(), "{}", wide.join("\n"));
}

/// On a phone a procedure's text starts on the first screen: the document-control panel shows
/// what a reader checks (status, owner, reviews) with labels beside values, and folds the rest
/// and the contents; a wider screen shows everything unfolded.
#[test]
fn a_procedure_starts_on_a_phones_first_screen() {
    let Some(browser) =
        crate::harness::Browser::start("a_procedure_starts_on_a_phones_first_screen")
    else {
        return;
    };
    let t = HandbookTest::example().build().assert_ok();
    let measure = "var first = document.querySelector('.doc-body h2').getBoundingClientRect();
         var owner = Array.from(document.querySelectorAll('.doc-control dt'))
           .find(function (d) { return d.textContent === 'Owner'; });
         var approver = Array.from(document.querySelectorAll('.doc-control dt'))
           .find(function (d) { return d.textContent === 'Approver'; });
         var toc = document.querySelector('.toc a');
         return {
           heading: first.top < window.innerHeight,
           side_by_side: owner.getBoundingClientRect().top
             === owner.nextElementSibling.getBoundingClientRect().top,
           approver: approver.checkVisibility(),
           contents: toc.checkVisibility(),
         };";
    browser.viewport(390, 844);
    browser.open_file(&t.out("sops/security-patching/index.html"));
    assert_eq!(
        browser.eval(measure),
        serde_json::json!({"heading": true, "side_by_side": true, "approver": false, "contents": false})
    );
    // Unfolded on demand.
    browser.eval("document.querySelector('.doc-control-more > summary').click(); return true;");
    assert_eq!(browser.eval(measure)["approver"], true);
    browser.viewport(1280, 800);
    browser.open_file(&t.out("sops/security-patching/index.html"));
    assert_eq!(
        browser.eval(measure),
        serde_json::json!({"heading": true, "side_by_side": true, "approver": true, "contents": true})
    );
}

/// The parts of the page that only work with JavaScript (the menu button, the search box, the
/// "#" link of each heading) are not sent with every page: the script makes them. Without it
/// the page reads the same, with the sidebar above the text and the contents' links.
#[test]
fn the_script_makes_the_menu_button_the_search_box_and_the_heading_links() {
    let Some(browser) = crate::harness::Browser::start(
        "the_script_makes_the_menu_button_the_search_box_and_the_heading_links",
    ) else {
        return;
    };
    let t = HandbookTest::example().build().assert_ok();
    let page = "sops/security-patching/index.html";
    let sent = t.read(page);
    for made in ["nav-toggle", "search-input", "heading-anchor"] {
        assert!(!sent.contains(made), "{made} is in the page as sent");
    }
    let state = "var b = document.querySelector('.nav-toggle');
         var nav = document.getElementById('site-nav');
         var h = document.querySelector('.doc-body h2[id]');
         var a = h.querySelector('.heading-anchor');
         return {
           button: !!b && b.checkVisibility(),
           expanded: b && b.getAttribute('aria-expanded'),
           nav: nav.checkVisibility() && nav.getBoundingClientRect().height > 0,
           search: !!document.querySelector('.site-header .search:not([hidden]) #search-input'),
           anchor: !!a && a.getAttribute('href') === '#' + h.id && a.textContent === '#',
           anchors: document.querySelectorAll('.heading-anchor').length
             === document.querySelectorAll('.doc-body :is(h1,h2,h3,h4,h5,h6)[id]').length,
         };";
    browser.viewport(390, 844);
    browser.open_file(&t.out(page));
    assert_eq!(
        browser.eval(state),
        serde_json::json!({"button": true, "expanded": "false", "nav": false, "search": true,
                           "anchor": true, "anchors": true})
    );
    browser.eval("document.querySelector('.nav-toggle').click(); return true;");
    assert_eq!(
        browser.eval(state),
        serde_json::json!({"button": true, "expanded": "true", "nav": true, "search": true,
                           "anchor": true, "anchors": true})
    );
    // On a wide screen the sidebar stands beside the text and the button is not shown.
    browser.viewport(1280, 800);
    browser.open_file(&t.out(page));
    assert_eq!(
        browser.eval(state),
        serde_json::json!({"button": false, "expanded": "false", "nav": true, "search": true,
                           "anchor": true, "anchors": true})
    );
    // With search turned off the script makes no box.
    let t = HandbookTest::example()
        .file("handbook.yaml", "title: No search\nsearch: false\n")
        .build()
        .assert_ok();
    browser.open_file(&t.out(page));
    assert_eq!(browser.eval(state)["search"], false);
    assert_eq!(
        browser.eval("return !!document.querySelector('.search, #search-input');"),
        false
    );
}

/// Every HTML file under `dir`, by its path there.
fn html_files(dir: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// Documents' pages are written by `render/builtin.rs`, not by Tera, while the theme keeps the
/// built-in `base.html` and `page.html`. The same handbook with `page.html` overridden by its
/// own text goes through Tera: every page must come out the same, byte for byte, over every
/// branch of the two templates.
#[test]
fn documents_render_as_the_built_in_templates_say() {
    let sop = |extra: &str, body: &str| {
        format!(
            "---\nkind: sop\nowner: dokafor\napprover: rpatel\nlast_reviewed: 2026-01-05\n{extra}---\n{body}\n## Purpose\n\nWhy.\n\n## Scope\n\nWho.\n\n## Procedure\n\n1. Do.\n"
        )
    };
    let t = HandbookTest::example()
        .with_drafts()
        .file(
            "content/sops/odd.md",
            sop(
                "title: Set up & go\ndescription: 'The \"odd\" one & more'\nid: SOP-<99>\nversion: 2.0 \"beta\"\nstatus: deprecated\nreviewers: [ghost, mchen]\neffective: 2026-02-01\nreview_every: 3 months\n",
                "# Set up & go\n",
            ),
        )
        .file("content/sops/retired-one.md", sop("title: Retired one\nstatus: retired\n", ""))
        .file("content/sops/draft-one.md", sop("title: Draft one\nstatus: draft\nversion: '0.1'\n", ""))
        .file("content/sops/unowned.md", "---\ntitle: Unowned\nkind: sop\n---\nText.\n")
        .file(
            "content/sops/broken.md",
            "---\ntitle: Broken\nkind: sop\nowner: dokafor\ntags: [a, b\n---\nText.\n",
        )
        .file(
            "content/notes/broken-note.md",
            "---\ntitle: Broken note\nversion: [\n---\nText.\n",
        )
        .file(
            "content/notes/owned.md",
            "---\ntitle: Owned note\nversion: '3'\nowner: mchen\nlast_reviewed: 2026-03-01\nreview_every: 6 months\n---\nText.\n",
        )
        .file(
            "content/notes/owned-retired.md",
            "---\ntitle: Owned, retired\nowner: mchen\nstatus: retired\nlast_reviewed: 2024-03-01\nreview_every: 6 months\n---\n",
        )
        .file("content/notes/empty.md", "---\ntitle: Empty\n---\n");
    let yaml = std::fs::read_to_string(t.root.join("handbook.yaml")).unwrap();
    let t = t.file(
        "handbook.yaml",
        yaml + "repo_url: https://git.example.com/o/h?a=1&b=2\nedit_url: https://git.example.com/o/h/edit/main/\n",
    );
    let with_git = git(&t, &["init", "-q"], "2026-01-05").is_some();
    if with_git {
        git(&t, &["add", "-A"], "2026-01-05");
        git(
            &t,
            &["commit", "-qm", "First <version> & more"],
            "2026-01-05",
        );
        for file in ["content/notes/owned.md", "content/sops/odd.md"] {
            let text = std::fs::read_to_string(t.root.join(file)).unwrap();
            std::fs::write(t.root.join(file), text + "More.\n").unwrap();
        }
        git(&t, &["commit", "-qam", "Second"], "2026-02-05");
    }
    let t = t.build();
    let native = html_files(&t.out(""));
    let t = t
        .file(
            "templates/page.html",
            include_str!("../../themes/default/templates/page.html"),
        )
        .build();
    let tera = html_files(&t.out(""));
    assert_eq!(
        native.keys().collect::<Vec<_>>(),
        tera.keys().collect::<Vec<_>>()
    );
    for (file, html) in &native {
        let other = &tera[file];
        if html != other {
            let at = html
                .bytes()
                .zip(other.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(html.len().min(other.len()));
            let from = at.saturating_sub(200);
            panic!(
                "{file} differs at byte {at}:\nRust: {}\nTera: {}",
                &html[from..(at + 200).min(html.len())],
                &other[from..(at + 200).min(other.len())]
            );
        }
    }
    // The handbook reaches every branch of the templates.
    let all: String = native.values().map(String::as_str).collect();
    for needle in [
        "doc-banner-retired",
        "doc-banner-deprecated",
        "doc-banner-draft",
        "data-review-banner>",
        "data-review-banner hidden>",
        "<p class=\"front-matter-invalid\"",
        "doc-banner-invalid",
        "doc-control page-review",
        "<dt>Next review</dt><dd><time>2026-09-01</time> <span class=\"review-badge",
        "\">Set up &amp; go</h1>",
        "<h1 id=\"",
        "<span class=\"doc-version\">Version 2.0 &quot;beta&quot;</span>",
        "<meta name=\"description\" content=\"The &quot;odd&quot; one &amp; more\">",
        "(every 3 months)",
        "<span class=\"missing\">None</span>",
        "<span class=\"missing\">Never</span>",
        "not-in-force",
        "class=\"toc\"",
        "referenced-by",
        "class=\"tags\"",
        "section-contents",
        "oncall-now",
        "rel=\"prev\"",
        "rel=\"next\"",
        "class=\"edit-link\"",
        "is-section",
        "print-footer",
    ] {
        assert!(all.contains(needle), "no page has {needle}");
    }
    if with_git {
        for needle in [
            "revision-history",
            "<p class=\"last-change revision\">",
            "<a href=\"https://git.example.com/o/h?a=1&amp;b=2/commit/",
            "First &lt;version&gt; &amp; more",
        ] {
            assert!(all.contains(needle), "no page has {needle}");
        }
    }
}
