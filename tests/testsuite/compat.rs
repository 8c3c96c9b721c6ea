//! Handbooks written for other tools, built as they are: TOML front matter, other tools' names
//! for our fields, their ordering and redirect fields.

use crate::harness::{search_data, HandbookTest};

const TEAM: &str = "people:\n  - id: ana\n    name: Ana Lima\n  - id: bo\n    name: Bo Berg\n";

fn with_team() -> HandbookTest {
    HandbookTest::empty().file("data/team.yaml", TEAM)
}

#[test]
fn tech_docs_review_fields_count_calendar_months() {
    // 2026-05-31 + 6 months is 2026-11-30 (November has 30 days), as tech-docs computes it.
    let doc = "---\ntitle: Deploying\nkind: runbook\nowner: ana\nlast_reviewed_on: 2026-05-31\n\
               review_in: 6 months\n---\nSteps.\n";
    let t = with_team()
        .file("content/deploy.md", doc)
        .built_as_of("2026-11-30")
        .build()
        .assert_rules(&["review-due-soon"]);
    t.assert_contains("deploy/index.html", r#"<time>2026-11-30"#);
    let t = with_team()
        .file("content/deploy.md", doc)
        .built_as_of("2026-12-01")
        .build()
        .assert_rules(&["review-overdue"]);
    t.diagnostic("review-overdue", "content/deploy.md", 5, 19);
}

#[test]
fn toml_front_matter_builds_like_yaml() {
    let t = with_team()
        .file(
            "content/ops/bravo.md",
            "+++\ntitle = \"Bravo\"\nweight = 1\naliases = [\"/old/bravo/\"]\nowner = \"bo\"\n+++\n# Heading\n",
        )
        .file(
            "content/ops/alpha.md",
            "---\ntitle: Alpha\nweight: 2\nredirect_from: [/old/alpha/]\n---\nText.\n",
        )
        .file(
            "content/ops/charlie.md",
            "---\ntitle: Charlie\nsidebar_position: 1.5\nold_paths: [/documentation/charlie.html]\n---\nText.\n",
        )
        .file(
            "content/ops/delta.md",
            "---\ntitle: Delta\n---\nSee [Charlie's old page](/documentation/charlie.html).\n",
        )
        .build()
        .assert_clean()
        .assert_contains(
            "documentation/charlie.html",
            "url=../ops/charlie/index.html",
        )
        .assert_contains("ops/bravo/index.html", "<title>Bravo")
        .assert_contains("old/bravo/index.html", "url=../../ops/bravo/index.html")
        .assert_contains("old/alpha/index.html", "url=../../ops/alpha/index.html");
    let html = t.read("ops/index.html");
    let at = |name: &str| {
        html.find(name)
            .unwrap_or_else(|| panic!("{name} in {html}"))
    };
    assert!(
        at("Bravo") < at("Charlie") && at("Charlie") < at("Alpha"),
        "{html}"
    );
}

#[test]
fn broken_toml_is_reported_and_the_rest_builds() {
    let t = with_team()
        .file(
            "content/bad.md",
            "+++\ntitle = \"Bad\"\nowner = \n+++\nBody.\n",
        )
        .file("content/open.md", "+++\ntitle = \"Open\"\n")
        .file("content/good.md", "+++\ntitle = \"Good\"\n+++\nBody.\n")
        .build()
        .assert_rules(&["front-matter-invalid"])
        .assert_contains("good/index.html", "<title>Good");
    assert_eq!(t.rules().len(), 2);
    let d = t.diagnostic("front-matter-invalid", "content/bad.md", 3, 9);
    assert!(d.message.contains("not valid TOML"), "{}", d.message);
    let d = t.diagnostic("front-matter-invalid", "content/open.md", 1, 1);
    assert_eq!(
        d.help.as_deref(),
        Some("end the front matter with a line containing only `+++`")
    );
}

#[test]
fn a_handbooks_own_aliases_and_duplicate_names() {
    let t = with_team()
        .file("handbook.yaml", "field_aliases:\n  doc_owner: owner\n")
        .file(
            "content/sop.md",
            "---\ntitle: Patching\nkind: runbook\ndoc_owner: nobody\nmaintainer: ana\nreview_every: 1 year\nreviewed: 2026-01-10\n---\n",
        )
        .build()
        .assert_rules(&["owner-unknown", "front-matter-duplicate"]);
    t.diagnostic("owner-unknown", "content/sop.md", 4, 12);
    let d = t.diagnostic("front-matter-duplicate", "content/sop.md", 5, 13);
    assert_eq!(
        d.message,
        "`maintainer` and `doc_owner` both set `owner`; `doc_owner` is used"
    );
}

#[test]
fn a_summary_orders_the_pages_it_lists() {
    // mdBook's layout: chapters as folders with a README, listed out of alphabetical order.
    let t = HandbookTest::empty()
        .file(
            "content/SUMMARY.md",
            "# Summary\n\n[Introduction](README.md)\n\n- [Zulu](zulu/README.md)\n    - [Two](zulu/two.md)\n    - [One](zulu/one.md)\n- [Alpha](alpha.md)\n- [Gone](missing.md)\n",
        )
        .file("content/README.md", "# Introduction\n")
        .file("content/alpha.md", "# Alpha\n")
        .file("content/beta.md", "# Beta\n")
        .file("content/zulu/README.md", "# Zulu\n")
        .file("content/zulu/one.md", "# One\n")
        .file("content/zulu/two.md", "# Two\n")
        .build()
        .assert_rules(&["link-broken"])
        .assert_exists("summary/index.html");
    t.diagnostic("link-broken", "content/SUMMARY.md", 9, 3);
    let home = t.read("index.html");
    let nav = &home[home.find("<nav").unwrap()..];
    let at = |name: &str| nav.find(name).unwrap_or_else(|| panic!("{name} in {nav}"));
    assert!(
        at(">Zulu<") < at(">Alpha<") && at(">Alpha<") < at(">Beta<"),
        "{nav}"
    );
    assert!(
        !nav[..nav.find("</nav>").unwrap()].contains(">Summary<"),
        "{nav}"
    );
    let zulu = t.read("zulu/index.html");
    assert!(zulu.find(">Two<").unwrap() < zulu.find(">One<").unwrap());
}

#[test]
fn foreign_template_tags_are_reported_where_they_stand_and_shown_as_text() {
    let t = HandbookTest::empty()
        .file(
            "content/page.md",
            "---\ntitle: Page\n---\nIntro.\n\nSee {{< ref \"other.md\" >}} for more.\n\n<%= partial \"footer\" %>\n\n`{% kept %}`\n",
        )
        .build()
        .assert_rules(&["template-syntax"])
        .assert_contains("page/index.html", "See {{&lt; ref \"other.md\" &gt;}} for more.");
    let d = t.diagnostic("template-syntax", "content/page.md", 6, 5);
    assert_eq!(
        d.message,
        "`{{< ref \"other.md\" >}}` is a Hugo shortcode; it is shown as written, not run"
    );
    t.diagnostic("template-syntax", "content/page.md", 8, 1);
    assert_eq!(t.rules().len(), 2);
}

#[test]
fn links_as_people_write_them_resolve() {
    // A GitHub-style tree: READMEs as section pages, links in every spelling people use.
    let page = "# Links\n\n\
        [md](../security/patching.md) [folder](../security/) [readme](../security/README.md)\n\
        [root](/engineering/oncall.md) [bare](../security/patching) [html](../security/patching.html)\n\
        [index html](../security/index.html) [encoded](../security/access%20review.md)\n\
        [spaces](<../security/access review.md>) [accents](../security/d%C3%A9ploiement.md)\n\
        [raw accents](../security/déploiement.md) [anchor](../security/patching.md#before-you-start)\n\
        [github anchor](oncall.md#step-2-page-the-lead) [gone](../security/nothing.md)\n";
    let t = HandbookTest::empty()
        .file("content/README.md", "# Home\n")
        .file("content/engineering/README.md", page)
        .file(
            "content/engineering/oncall.md",
            "# On call\n\n## Step 2: Page the Lead!\n",
        )
        .file("content/security/README.md", "# Security\n")
        .file(
            "content/security/patching.md",
            "# Patching\n\n## Before you start\n",
        )
        .file("content/security/access review.md", "# Access review\n")
        .file("content/security/déploiement.md", "# Déploiement\n")
        .build()
        .assert_rules(&["link-broken"]);
    assert_eq!(t.rules(), ["link-broken"], "{}", t.diagnostics_text());
    t.diagnostic("link-broken", "content/engineering/README.md", 8, 49);
}

#[test]
fn compound_extensions_build_as_the_page_name() {
    // GOV.UK tech-docs keeps every page as `name.html.md.erb`.
    HandbookTest::empty()
        .file("handbook.yaml", "markdown_extensions: [html.md.erb, md]\n")
        .file(
            "content/manual/deploying.html.md.erb",
            "---\ntitle: Deploying\n---\nSee [alerts](alerts.html).\n",
        )
        .file("content/manual/alerts.html.md.erb", "# Alerts\n")
        .build()
        .assert_clean()
        .assert_contains(
            "manual/deploying/index.html",
            r#"href="../alerts/index.html""#,
        )
        .assert_exists("manual/alerts/index.html");
}

#[test]
fn a_chat_channel_owns_a_document_as_tech_docs_writes_it() {
    const CHANNEL: &str = r#"<span class="owner-channel">#platform-support</span> (chat channel)"#;
    let doc = "---\ntitle: Deploying\nkind: runbook\nowner_slack: \"#platform-support\"\n\
               last_reviewed_on: 2026-01-15\nreview_in: 6 months\n---\nSteps.\n";
    let t = with_team()
        .file("content/deploy.md", doc)
        .build()
        .assert_rules(&["review-overdue"])
        .assert_contains("deploy/index.html", CHANNEL);
    // Everywhere a document's owner is listed, the channel is, not "No owner": the home
    // page's overdue list, the documents index of its kind and the search owner filter.
    let home = t.read("index.html");
    let overdue = &home[home.find("data-review-group=\"overdue\"").expect("overdue")..];
    assert!(overdue.contains(CHANNEL), "{home}");
    assert!(!home.contains("No owner"), "{home}");
    let t = t.assert_contains("documents/runbook/index.html", CHANNEL);
    let meta = search_data(&t.read("search/meta.js"));
    assert!(
        meta.contains("\"owners\":[\"#platform-support (chat channel)\"]"),
        "{meta}"
    );
    let d = t.diagnostic("review-overdue", "content/deploy.md", 5, 19);
    assert!(
        d.message.contains("chat channel `#platform-support`"),
        "{}",
        d.message
    );
    let o = t.cli(&["report", "--as-of", "2026-11-23"]);
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        report.contains("Chat channel `#platform-support`"),
        "{report}"
    );
    let o = t.cli(&["report", "--as-of", "2026-11-23", "--format", "csv"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains(",#platform-support,"));
}

#[test]
fn zola_internal_links_start_at_the_content_folder() {
    HandbookTest::empty()
        .file("content/ops/rota.md", "# Rota\n\n## Steps\n")
        .file(
            "content/guide/start.md",
            "# Start\n\nSee [the rota](@/ops/rota.md#steps) and [the home](@/_index.md).\n",
        )
        .file("content/_index.md", "# Home\n")
        .build()
        .assert_clean()
        .assert_contains(
            "guide/start/index.html",
            r#"href="../../ops/rota/index.html#steps""#,
        )
        .assert_contains("guide/start/index.html", r#"href="../../index.html""#);
}

#[test]
fn a_permalink_or_url_is_where_the_page_also_answers() {
    HandbookTest::empty()
        // Beside `redirect_from`, which adds to it (whichever comes first).
        .file(
            "content/oncall.md",
            "---\ntitle: On-call\npermalink: /handbook/on-call/\nredirect_from: [/old-oncall/]\n---\nText.\n",
        )
        // A permalink saying where the page is anyway, and a pattern: nothing to do.
        .file("content/rota.md", "---\ntitle: Rota\npermalink: /rota/\n---\nText.\n")
        .file("content/pager.md", "---\ntitle: Pager\npermalink: /:title/\n---\nText.\n")
        .file("content/hugo.md", "+++\ntitle = \"Hugo\"\nurl = \"/ops/hugo/\"\n+++\nText.\n")
        .file(
            "content/index.md",
            "# Home\n\n[On-call](/handbook/on-call/), [Hugo](/ops/hugo/), [old](/handbook/on-call/index.html)\n",
        )
        .build()
        .assert_clean()
        .assert_contains("index.html", r#"href="oncall/index.html""#)
        .assert_contains("index.html", r#"href="hugo/index.html""#)
        .assert_contains("handbook/on-call/index.html", "url=../../oncall/index.html")
        .assert_contains("old-oncall/index.html", "url=../oncall/index.html")
        .assert_exists("ops/hugo/index.html");
}

#[test]
fn static_folders_are_published_from_the_top_of_the_site() {
    let t = HandbookTest::empty()
        .file("handbook.yaml", "static: [static]\n")
        .file("static/images/rota.png", "png")
        .file("static/images/logo.png", "from static")
        .file("content/images/logo.png", "from content")
        .file(
            "content/ops/oncall.md",
            "# On-call\n\n![Rota](/images/rota.png) ![Logo](../images/logo.png)\n",
        )
        .build()
        .assert_rules(&["id-duplicate"])
        .assert_contains("ops/oncall/index.html", r#"src="../../images/rota.png""#);
    assert_eq!(t.read("images/rota.png"), "png");
    // A clash: the content folder's file is published, and the other is reported.
    assert_eq!(t.read("images/logo.png"), "from content");
    t.diagnostic("id-duplicate", "static/images/logo.png", 0, 0);

    // Inside a content folder that is the root, it is published once, from the top.
    HandbookTest::empty()
        .remove_dir("content")
        .file("handbook.yaml", "content: .\nstatic: [static]\n")
        .file("static/img/map.png", "png")
        .file("index.md", "# Home\n\n![Map](/img/map.png)\n")
        .build()
        .assert_clean()
        .assert_exists("img/map.png")
        .assert_missing("static/img/map.png");

    // A static folder that holds the sources or the team data is not published.
    let t = HandbookTest::empty()
        .file("handbook.yaml", "static: [., data]\n")
        .file(
            "data/team.yaml",
            "people:\n  - id: ana\n    email: ana@example.com\n",
        )
        .file("content/index.md", "# Home\n")
        .build()
        .assert_rules(&["path-unsafe"])
        .assert_missing("team.yaml")
        .assert_missing("content/index.md");
    assert_eq!(t.diagnostics.len(), 2, "{}", t.diagnostics_text());
    assert!(!t.out("data").exists() && !t.out("handbook.yaml").exists());
}
