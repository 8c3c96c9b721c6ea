//! `handbook init --from DIR`: a handbook.yaml fitted to a folder written for another tool, after
//! which `build` and `check` work with no edits.

use crate::harness::HandbookTest;

/// Runs `init --from` on the test's root and returns what it printed.
fn adopt(t: &HandbookTest) -> String {
    let root = t.root.to_str().unwrap();
    let o = t.cli(&["init", "--from", root]);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    stdout
}

fn config(t: &HandbookTest) -> String {
    std::fs::read_to_string(t.root.join("handbook.yaml")).unwrap()
}

#[test]
fn a_jekyll_site_at_the_root_builds_as_it_is() {
    let t = HandbookTest::empty()
        .remove_dir("content")
        .file("_config.yml", "title: Ops Handbook\n")
        .file("Gemfile", "source \"https://rubygems.org\"\n")
        .file("_layouts/default.html", "<html>{{ content }}</html>\n")
        .file("_site/index.html", "<html>old build</html>\n")
        .file(
            "_data/team.yml",
            "- id: ana\n  name: Ana Lima\n  reports_to: bo\n- id: bo\n  name: Bo Berg\n",
        )
        .file("_data/navigation.yml", "- title: Home\n  url: /\n")
        .file(
            "index.md",
            "---\nlayout: default\ntitle: Home\n---\nSee [on-call](ops/oncall.html).\n",
        )
        .file(
            "ops/oncall.md",
            "---\ntitle: On-call\nkind: sop\nredirect_from: /oncall/\ndocument_owner: ana\napprover: bo\n\
             reviewed_on: 2026-10-01\nreview_every: 1 year\n---\n\
             ## Purpose\n\nx\n\n## Scope\n\nx\n\n## Procedure\n\nx\n",
        );
    let printed = adopt(&t);
    for finding in [
        "tool          Jekyll",
        "content       . (2 Markdown files: 2 .md)",
        "front matter  2 YAML, 0 TOML, 0 none",
        "`redirect_from` as `aliases` (1 document)",
        "`document_owner` as `owner` (1 document), written to field_aliases",
        "team data     _data/team.yml (2 people)",
        "left out      _site, _layouts, _data, _config.yml, Gemfile",
        "output        public",
    ] {
        assert!(printed.contains(finding), "{finding} in\n{printed}");
    }
    let yaml = config(&t);
    for line in [
        "title: \"Ops Handbook\"",
        "content: \".\"",
        "data: \"_data/team.yml\"",
        "\"document_owner\": owner",
        "\"reviewed_on\": last_reviewed",
    ] {
        assert!(yaml.contains(line), "{line} in\n{yaml}");
    }

    let o = t.cli(&["check", "--as-of", "2026-11-23"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let t = t.build().assert_clean();
    // The owner came through the alias and the team file that is only a list of people.
    t.assert_contains("ops/oncall/index.html", "Ana Lima")
        .assert_exists("oncall/index.html")
        .assert_exists("team/people/bo/index.html")
        // The other tool's files, the team data and our own settings are not published.
        .assert_missing("_site/index.html")
        .assert_missing("_layouts/default.html")
        .assert_missing("_data/team.yml")
        .assert_missing("_data/navigation.yml")
        .assert_missing("Gemfile")
        .assert_missing("handbook.yaml")
        .assert_missing("_config.yml");
}

#[test]
fn a_github_docs_folder_with_a_taken_public_folder() {
    // Links written from the top of the repository, as GitHub reads them, resolve too.
    let t = HandbookTest::empty()
        .remove_dir("content")
        .file("README.md", "# Repo\n\nSee [the docs](docs/README.md).\n")
        .file("LICENSE.md", "MIT\n")
        .file("public/app.js", "console.log(1)\n")
        .file(
            "docs/README.md",
            "# Handbook\n\n[On-call](/docs/oncall.md), [security](/docs/security/), \
             [home](/docs/)\n",
        )
        .file("docs/oncall.md", "# On-call\n")
        .file("docs/security/README.md", "# Security\n");
    let printed = adopt(&t);
    assert!(
        printed.contains("content       docs (3 Markdown files: 3 .md)"),
        "{printed}"
    );
    assert!(printed.contains("output        handbook-site"), "{printed}");
    let yaml = config(&t);
    assert!(
        yaml.contains("content: \"docs\"\noutput: \"handbook-site\"\n"),
        "{yaml}"
    );
    let o = t.cli(&["build", "--as-of", "2026-11-23"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = t.cli(&["check", "--as-of", "2026-11-23", "--format", "json"]);
    let json = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && json.contains("\"diagnostics\": []"),
        "{json}"
    );
    let home = std::fs::read_to_string(t.root.join("handbook-site/index.html")).unwrap();
    assert!(home.contains("href=\"oncall/index.html\""), "{home}");
    assert!(home.contains("href=\"security/index.html\""), "{home}");
    // The other project's folder is untouched.
    assert_eq!(
        std::fs::read_to_string(t.root.join("public/app.js")).unwrap(),
        "console.log(1)\n"
    );
}

#[test]
fn a_github_repository_whose_readme_is_the_home_page() {
    // The pages link up to the README: it belongs to the handbook, so the root is the content.
    let t = HandbookTest::empty()
        .remove_dir("content")
        .file("README.md", "# Handbook\n\n[On-call](docs/oncall.md)\n")
        .file(
            "docs/oncall.md",
            "# On-call\n\nBack to [the handbook](../README.md).\n",
        )
        .file("docs/x/deep.md", "# Deep\n\n[Up](../oncall.md)\n");
    let printed = adopt(&t);
    assert!(
        printed.contains("content       . (3 Markdown files"),
        "{printed}"
    );
    let o = t.cli(&["check", "--as-of", "2026-11-23"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn tech_docs_pages_and_their_compound_extension() {
    let t = HandbookTest::empty()
        .remove_dir("content")
        .file(
            "config/tech-docs.yml",
            "service_name: Platform\nhost: https://x\n",
        )
        .file(
            "source/index.html.md.erb",
            "---\ntitle: Platform\n---\nSee [alerts](alerts.html).\n",
        )
        .file(
            "source/alerts.html.md.erb",
            "---\ntitle: Alerts\nowner_slack: \"#platform\"\nlast_reviewed_on: 2026-01-10\n\
             review_in: 6 months\n---\nText.\n",
        )
        .file("source/layouts/core.erb", "<%= yield %>\n");
    let printed = adopt(&t);
    assert!(
        printed.contains("tool          GOV.UK tech-docs"),
        "{printed}"
    );
    assert!(
        printed.contains("`owner_slack` as `owner_channel`"),
        "{printed}"
    );
    let yaml = config(&t);
    assert!(
        yaml.contains("title: \"Platform\"\ncontent: \"source\"\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("markdown_extensions: [\"html.md.erb\"]"),
        "{yaml}"
    );
    assert!(yaml.contains("exclude:\n  - \"layouts\"\n"), "{yaml}");
    let t = t.build().assert_rules(&["review-overdue"]);
    t.assert_contains("alerts/index.html", "#platform")
        .assert_contains("index.html", "href=\"alerts/index.html\"")
        .assert_missing("layouts/core.erb");
}

#[test]
fn a_root_team_file_beside_other_data_and_the_teams_own_folders() {
    let t = HandbookTest::empty()
        .remove_dir("content")
        .file(
            "README.md",
            "# Handbook\n\n[On-call](oncall.md), [escalation](resources/escalation.pdf)\n",
        )
        .file("oncall.md", "---\nowner: ana\n---\n# On-call\n")
        .file("resources/escalation.pdf", "%PDF-1.4\n")
        .file(
            "data/links.yaml",
            "- title: Status page\n  url: https://status\n",
        )
        .file(
            "team.yml",
            "- id: ana\n  name: Ana Lima\n  email: ana@example.com\n- name: Bo Berg\n",
        );
    let printed = adopt(&t);
    assert!(
        printed.contains("team data     team.yml (2 people)"),
        "{printed}"
    );
    assert!(printed.contains("1 without an `id`"), "{printed}");
    assert!(!printed.contains("left out"), "{printed}");
    let t = t.build().assert_rules(&["team-data-invalid"]);
    t.diagnostic("team-data-invalid", "team.yml", 4, 1);
    // The team file is read, not published (its emails stay private), with no `exclude`
    // saying so; the team's own folder of files stays, and the other data is just files.
    t.assert_contains("oncall/index.html", "Ana Lima")
        .assert_missing("team.yml")
        .assert_exists("resources/escalation.pdf")
        .assert_exists("data/links.yaml");
}

#[test]
fn a_zola_site_with_its_fields_in_extra() {
    let t = HandbookTest::empty()
        .file("config.toml", "base_url = \"https://x\"\ntitle = \"Ops\"\n")
        .file("templates/page.html", "{{ page.content | safe }}\n")
        .file(
            "content/rota.md",
            "+++\ntitle = \"Rota\"\n[taxonomies]\ntags = [\"on-call\"]\n[extra]\nkind = \"runbook\"\n\
             owner = \"ana\"\napprover = \"ana\"\nlast_reviewed = \"2026-10-01\"\nreview_every = \"1 year\"\n+++\n\
             See [home](@/_index.md).\n",
        )
        .file("content/_index.md", "+++\ntitle = \"Ops\"\n+++\n![Map](/img/map.png)\n")
        .file("static/img/map.png", "png")
        .file("data/team.yaml", "people:\n  - id: ana\n    name: Ana Lima\n");
    let printed = adopt(&t);
    assert!(printed.contains("tool          Zola"), "{printed}");
    assert!(
        printed.contains("front matter  0 YAML, 2 TOML"),
        "{printed}"
    );
    // Zola's templates are not taken for handbook's overrides.
    assert!(config(&t).contains("templates: \"handbook-templates\""));
    // Zola's static/ is published from the top, where its links expect it.
    assert!(config(&t).contains("static: [\"static\"]"));
    t.build()
        .assert_clean()
        .assert_contains("rota/index.html", "Ana Lima")
        .assert_exists("tags/on-call/index.html")
        .assert_exists("img/map.png");
}

#[test]
fn an_existing_handbook_yaml_is_never_replaced() {
    let t = HandbookTest::empty().file("handbook.yaml", "title: Mine\n");
    let o = t.cli(&["init", "--from", t.root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    assert_eq!(config(&t), "title: Mine\n");
}

/// A data file whose entries have names is not team data for that alone: a tech-docs
/// `data/dashboard.yml` (`name`, `sections`, `sites`) is left alone, while a file of people
/// (ids with names, emails, roles) beside it is read.
#[test]
fn navigation_data_is_not_taken_for_people() {
    let dashboard = "- name: Payments\n  sections:\n    - name: Runbooks\n      sites: [a, b]\n\
                     - name: Platform\n  sections: []\n";
    let t = HandbookTest::empty()
        .file("content/index.md", "# Home\n")
        .file("data/dashboard.yml", dashboard);
    let printed = adopt(&t);
    assert!(!printed.contains("dashboard.yml ("), "{printed}");
    assert!(config(&t).contains("data: \"team.yaml\""), "{}", config(&t));
    t.build().assert_ok().assert_rules(&[]);

    let t = HandbookTest::empty()
        .file("content/index.md", "# Home\n")
        .file("data/dashboard.yml", dashboard)
        .file(
            "data/staff.yml",
            "- {id: ana, name: Ana Lima, email: ana@example.com}\n- {id: bo, name: Bo Berg, role: engineer}\n",
        );
    let printed = adopt(&t);
    assert!(printed.contains("data/staff.yml (2 people)"), "{printed}");
}

#[test]
fn a_docusaurus_site_reads_its_mdx_as_markdown() {
    let t = HandbookTest::empty()
        .remove_dir("content")
        .file(
            "docusaurus.config.js",
            "module.exports = { title: 'Ops' };\n",
        )
        .file("docs/intro.md", "# Intro\n\nSee [deploys](deploys.mdx).\n")
        .file(
            "docs/deploys.mdx",
            "import Tabs from '@theme/Tabs';\n\n# Deploys\n\nRun it.\n",
        );
    let printed = adopt(&t);
    assert!(
        printed.contains("(2 Markdown files: 1 .md, 1 .mdx)"),
        "{printed}"
    );
    let root = t.root.to_str().unwrap().to_string();
    let o = t.cli(&["build", "--root", &root, "--as-of", crate::harness::AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let deploys = std::fs::read_to_string(t.root.join("public/deploys/index.html")).unwrap();
    assert!(
        deploys.contains("<p>Run it.</p>") && !deploys.contains("@theme"),
        "{deploys}"
    );
}

/// Jekyll reads GitHub's Markdown unless `_config.yml` says `kramdown: input: kramdown`: only
/// then are heading ids kramdown's (`3. Rollback` is `#rollback`, not `#3-rollback`).
#[test]
fn a_jekyll_site_on_kramdown_input_keeps_kramdowns_heading_ids() {
    let site = |config: &str| {
        HandbookTest::empty()
            .remove_dir("content")
            .file("_config.yml", config)
            .file(
                "index.md",
                "---\ntitle: Home\n---\nSee [rollback](deploys.html#rollback).\n",
            )
            .file(
                "deploys.md",
                "---\ntitle: Deploys\n---\n## 3. Rollback\n\nUndo.\n",
            )
    };
    let t = site("title: Ops\nkramdown:\n  input: kramdown\n");
    adopt(&t);
    assert!(
        config(&t).contains("heading_ids: kramdown"),
        "{}",
        config(&t)
    );
    let root = t.root.to_str().unwrap().to_string();
    let o = t.cli(&["check", "--root", &root, "--as-of", crate::harness::AS_OF]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("anchor-broken"), "{out}");
    // GitHub's Markdown (Jekyll's default): GitHub's ids, and the link is broken there too.
    let t = site("title: Ops\n");
    adopt(&t);
    assert!(!config(&t).contains("heading_ids"), "{}", config(&t));
    let root = t.root.to_str().unwrap().to_string();
    let o = t.cli(&["check", "--root", &root, "--as-of", crate::harness::AS_OF]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("anchor-broken"), "{out}");
}
