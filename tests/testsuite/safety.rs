//! A handbook is untrusted input: whoever opens a pull request controls every file of it,
//! handbook.yaml included. Each test crafts such a handbook, drives the binary, and checks
//! that nothing is written or read outside the root and that secrets do not reach the site.

use std::path::Path;
use std::process::Output;

use crate::harness::{HandbookTest, AS_OF};

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under `dir`, for "nothing appeared there".
fn files_under(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.path().display().to_string())
        .collect()
}

#[test]
fn handbook_yaml_cannot_send_the_site_outside_the_root() {
    let mut t = HandbookTest::from_fixture("basic");
    let elsewhere = t.outside().join("elsewhere");
    for output in ["../elsewhere".to_string(), elsewhere.display().to_string()] {
        t = t.file("handbook.yaml", format!("output: {output}\n"));
        let o = t.cli(&["build", "--as-of", AS_OF]);
        assert_eq!(o.status.code(), Some(2), "{output}: {}", show(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("path-unsafe") && err.contains("`output`"),
            "{err}"
        );
        assert!(
            !elsewhere.exists(),
            "{output}: the site was written outside"
        );
    }
    // The operator may choose any folder.
    let out = elsewhere.display().to_string();
    let t = t.file("handbook.yaml", "title: Fine\n");
    let o = t.cli(&["build", "--as-of", AS_OF, "--out", &out]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(elsewhere.join("index.html").is_file());
}

#[cfg(unix)]
#[test]
fn an_output_folder_behind_a_symlink_out_of_the_root_is_refused() {
    let t = HandbookTest::from_fixture("basic").file("handbook.yaml", "output: site/public\n");
    let target = t.outside().join("target");
    std::fs::create_dir_all(&target).unwrap();
    std::os::unix::fs::symlink(&target, t.root.join("site")).unwrap();
    let o = t.cli(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("through a symlink"),
        "{}",
        show(&o)
    );
    assert!(files_under(&target).is_empty());
}

#[test]
fn init_from_writes_no_key_a_file_name_could_inject() {
    // A team file among other data, named to end the comment that names it and add a key.
    let t = HandbookTest::empty()
        .file("docs/index.md", "# Home\n")
        .file("data/links.yml", "nav:\n  - home\n")
        .file(
            "data/people\noutput: /tmp/handbook-injected\n#.yml",
            "- id: ana\n  name: Ana\n",
        );
    let root = t.root.display().to_string();
    let o = t.cli(&["init", "--from", &root, "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let config = handbook::config::Config::load(&t.root).expect("a valid handbook.yaml");
    assert_eq!(config.output_dir, Path::new("public"));
    let yaml = std::fs::read_to_string(t.root.join("handbook.yaml")).unwrap();
    assert!(
        !yaml.lines().any(|l| l.starts_with("output:")),
        "an injected key:\n{yaml}"
    );
}

#[test]
fn init_from_writes_names_with_yaml_line_breaks_as_they_are() {
    // U+2028, U+2029 and U+0085 end a line for YAML 1.1 readers (libyaml among them): written
    // as they are, each would fold the value or start a key.
    let docs = "docs\u{2028}output: elsewhere\u{85}x\u{2029}";
    let t = HandbookTest::empty()
        .file(
            "mkdocs.yml",
            // YAML's own escapes for the three.
            "site_name: \"Ops\\Loutput: x\"\n\
             docs_dir: \"docs\\Loutput: elsewhere\\Nx\\P\"\n",
        )
        .file(&format!("{docs}/index.md"), "# Home\n")
        .file("data/links.yml", "nav:\n  - home\n")
        .file(
            "data/people\u{2028}output: /tmp/x\u{2028}#.yml",
            "- id: ana\n  name: Ana\n",
        );
    let root = t.root.display().to_string();
    let o = t.cli(&["init", "--from", &root, "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let yaml = std::fs::read_to_string(t.root.join("handbook.yaml")).unwrap();
    assert!(
        !yaml.contains(['\u{2028}', '\u{2029}', '\u{85}']),
        "a line break written as it is:\n{yaml}"
    );
    let config = handbook::config::Config::load(&t.root).expect("a valid handbook.yaml");
    assert_eq!(config.output_dir, Path::new("public"));
    assert_eq!(config.content_dir, Path::new(docs));
    let o = t.cli(&["check", "--as-of", AS_OF, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["summary"]["documents"], 1, "{}", show(&o));
}

#[cfg(unix)]
#[test]
fn init_from_does_not_read_another_tools_config_through_a_symlink() {
    let t = HandbookTest::empty().file("docs/index.md", "# Home\n");
    std::fs::write(
        t.outside().join("secret.yml"),
        "title: TOP-SECRET-TITLE\nsource: docs\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(t.outside().join("secret.yml"), t.root.join("_config.yml")).unwrap();
    let root = t.root.display().to_string();
    let o = t.cli(&["init", "--from", &root, "--as-of", AS_OF]);
    let yaml = std::fs::read_to_string(t.root.join("handbook.yaml")).unwrap_or_default();
    assert!(!yaml.contains("TOP-SECRET"), "{yaml}\n{}", show(&o));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("TOP-SECRET"));
}

#[test]
fn new_writes_only_inside_the_content_folder() {
    let t = HandbookTest::from_fixture("basic");
    let outside = t.outside();
    for dir in ["../../escape", "/tmp/handbook-new-escape", "sops/../../.."] {
        let o = t.cli(&["new", "sop", "Escape", "--dir", dir, "--as-of", AS_OF]);
        assert_eq!(o.status.code(), Some(2), "{dir}: {}", show(&o));
    }
    assert!(!Path::new("/tmp/handbook-new-escape").exists());
    assert!(!outside.join("escape").exists());
    let o = t.cli(&["new", "sop", "Fine", "--dir", "sops/sub", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(t.root.join("content/sops/sub/fine.md").is_file());
}

#[cfg(unix)]
#[test]
fn new_and_codeowners_do_not_follow_a_symlink_out_of_the_root() {
    let t = HandbookTest::from_fixture("basic");
    let target = t.outside().join("target");
    std::fs::create_dir_all(&target).unwrap();
    std::os::unix::fs::symlink(&target, t.root.join("content/runbooks")).unwrap();
    std::os::unix::fs::symlink(&target, t.root.join(".github")).unwrap();
    let o = t.cli(&["new", "runbook", "Restart", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    let o = t.cli(&["codeowners"]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("outside the handbook root"));
    assert!(
        files_under(&target).is_empty(),
        "{:?}",
        files_under(&target)
    );
}

#[cfg(unix)]
#[test]
fn files_behind_symlinks_out_of_the_root_are_not_read() {
    let t = HandbookTest::from_fixture("basic");
    let secret = t.outside().join("secret.txt");
    std::fs::write(&secret, "title: [TOP-SECRET\n").unwrap();
    // handbook.yaml: refused, and its text never echoed.
    std::fs::remove_file(t.root.join("handbook.yaml")).unwrap();
    std::os::unix::fs::symlink(&secret, t.root.join("handbook.yaml")).unwrap();
    let o = t.cli(&["check", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    let out = show(&o);
    assert!(
        out.contains("symlink") && !out.contains("TOP-SECRET"),
        "{out}"
    );
    std::fs::remove_file(t.root.join("handbook.yaml")).unwrap();
    // An archetype: the built-in one is used.
    std::fs::create_dir_all(t.root.join("archetypes")).unwrap();
    std::fs::write(&secret, "TOP-SECRET {{ title }}\n").unwrap();
    std::os::unix::fs::symlink(&secret, t.root.join("archetypes/sop.md")).unwrap();
    let o = t.cli(&["new", "sop", "Arch", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let made = std::fs::read_to_string(t.root.join("content/sops/arch.md")).unwrap();
    assert!(!made.contains("TOP-SECRET"), "{made}");
}

#[cfg(unix)]
#[test]
fn a_content_symlink_cannot_publish_the_team_data_or_a_hidden_file() {
    let t = HandbookTest::from_fixture("basic").file(".env", "API_TOKEN=TOP-SECRET\n");
    std::os::unix::fs::symlink(
        t.root.join("data/team.yaml"),
        t.root.join("content/team.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(t.root.join(".env"), t.root.join("content/env.txt")).unwrap();
    let t = t.build().assert_ok();
    t.diagnostic("path-unsafe", "content/team.txt", 0, 0);
    t.diagnostic("path-unsafe", "content/env.txt", 0, 0);
    t.assert_missing("team.txt").assert_missing("env.txt");
}

#[test]
fn handbook_yaml_cannot_read_from_a_hidden_folder() {
    let mut t = HandbookTest::from_fixture("basic")
        .file(
            ".git/config",
            "[remote \"origin\"]\n\turl = https://TOP-SECRET@example.com\n",
        )
        .file(".git/notes.md", "# TOP-SECRET\n");
    for (key, value) in [
        ("content", ".git"),
        ("data", ".git"),
        ("templates", ".git"),
        ("static", "[.git]"),
        ("content", "docs/.hidden"),
    ] {
        t = t.file("handbook.yaml", format!("{key}: {value}\n"));
        let o = t.cli(&["build", "--as-of", AS_OF]);
        assert_eq!(o.status.code(), Some(2), "{key}: {}", show(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("path-unsafe")
                && err.contains(&format!("`{key}`"))
                && err.contains("hidden"),
            "{key}: {err}"
        );
        assert!(!show(&o).contains("TOP-SECRET"), "{}", show(&o));
        assert!(!t.root.join("public").exists());
    }
    // The output may be hidden: nothing is read from it.
    let t = t.file("handbook.yaml", "output: .site\n");
    let o = t.cli(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(t.root.join(".site/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn theme_files_linked_to_secrets_are_refused() {
    let t = HandbookTest::from_fixture("basic")
        .file(".env", "API_TOKEN=TOP-SECRET\n")
        .file("themes/default/static/ok.css", "body {}\n")
        .file("templates/.keep", "");
    let link = |target: &str, at: &str| {
        std::os::unix::fs::symlink(t.root.join(target), t.root.join(at)).unwrap();
    };
    link(".env", "themes/default/static/env.css");
    link("data/team.yaml", "themes/default/static/team.css");
    link(".env", "templates/page.html");
    let t = t.build().assert_ok();
    t.diagnostic("path-unsafe", "themes/default/static/env.css", 0, 0);
    t.diagnostic("path-unsafe", "themes/default/static/team.css", 0, 0);
    t.diagnostic("path-unsafe", "templates/page.html", 0, 0);
    let t = t
        .assert_exists("assets/ok.css")
        .assert_missing("assets/env.css")
        .assert_missing("assets/team.css")
        // The built-in page template is used.
        .assert_contains("sops/code-review/index.html", "<h1>Code Review</h1>");
    for f in files_under(&t.root.join("public")) {
        let text = std::fs::read(&f).unwrap();
        assert!(
            !String::from_utf8_lossy(&text).contains("TOP-SECRET"),
            "{f} holds the secret"
        );
    }
}

#[cfg(unix)]
#[test]
fn an_archetype_linked_to_a_hidden_file_is_not_read() {
    let t = HandbookTest::from_fixture("basic").file(".env", "TOP-SECRET {{ title }}\n");
    std::fs::create_dir_all(t.root.join("archetypes")).unwrap();
    std::os::unix::fs::symlink(t.root.join(".env"), t.root.join("archetypes/sop.md")).unwrap();
    let o = t.cli(&["new", "sop", "Arch", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let made = std::fs::read_to_string(t.root.join("content/sops/arch.md")).unwrap();
    assert!(!made.contains("TOP-SECRET"), "{made}");
    assert!(made.contains("title: \"Arch\""), "{made}");
}

#[test]
fn nothing_of_the_handbooks_lands_in_the_search_folder() {
    // A page, a file and an alias named as the search index's own files.
    let t = HandbookTest::from_fixture("basic")
        .file(
            "content/search/meta.js.md",
            "---\ntitle: Meta\n---\n# Meta\n",
        )
        .file("content/search/search.js", "alert('TOP-SECRET')\n")
        .file(
            "content/sops/moved.md",
            "---\ntitle: Moved\naliases: [search/t0.js]\n---\n# Moved\n",
        )
        .build()
        .assert_ok();
    let script = t.read("search/search.js");
    assert!(
        !script.contains("TOP-SECRET"),
        "the search script was replaced"
    );
    assert!(!t.read("search/meta.js").contains("Meta\n"));
    // The handbook's own moved beside it, and said so.
    let t = t
        .assert_exists("search-1/meta.js/index.html")
        .assert_contains("search-1/search.js", "TOP-SECRET");
    let text = t.diagnostics_text();
    assert!(text.contains("search/"), "{text}");
    for f in files_under(&t.root.join("public/search")) {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        assert!(
            !text.contains("TOP-SECRET") && !text.contains("Moved</title>"),
            "{f}"
        );
    }
}

#[test]
fn a_template_cannot_read_the_environment() {
    let t = HandbookTest::from_fixture("basic").file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ get_env(name=\"HANDBOOK_TEST_SECRET\") }}{% endblock main %}",
    );
    let secret = Path::new("TOP-SECRET-VALUE");
    let o = t.cli_with_env(
        &["build", "--as-of", AS_OF],
        &[("HANDBOOK_TEST_SECRET", secret)],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("theme-invalid") && err.contains("get_env"),
        "{}",
        show(&o)
    );
    for f in files_under(&t.root.join("public")) {
        let text = std::fs::read(&f).unwrap();
        assert!(
            !String::from_utf8_lossy(&text).contains("TOP-SECRET-VALUE"),
            "{f} holds the secret"
        );
    }
}

#[test]
fn a_file_removed_while_the_site_is_built_is_reported_not_fatal() {
    let t = HandbookTest::from_fixture("basic").file("content/sops/diagram.png", "png");
    let options = handbook::Options {
        as_of: AS_OF.parse().unwrap(),
        ..handbook::Options::default()
    };
    let mut hb = handbook::Handbook::load(&t.root, &options).unwrap();
    std::fs::remove_file(t.root.join("content/sops/diagram.png")).unwrap();
    hb.build().expect("the site is published");
    assert!(
        hb.diagnostics
            .iter()
            .any(|d| d.rule == "file-invalid" && d.file == Path::new("content/sops/diagram.png")),
        "{:?}",
        hb.diagnostics
    );
    assert!(t.out("sops/index.html").is_file());
    assert!(!t.out("sops/diagram.png").exists());
}

/// Names a page, file, slug, alias, tag or person id may take that the site already uses, or
/// that are longer than a file system takes once lower-cased.
fn hostile_name() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        Just("index.html".to_string()),
        Just("404.html".to_string()),
        Just("reviews.ics".to_string()),
        Just("sitemap.xml".to_string()),
        Just("assets".to_string()),
        Just("search".to_string()),
        Just("tags".to_string()),
        Just("team".to_string()),
        Just("documents".to_string()),
        Just("people".to_string()),
        // 126 characters of two bytes that lower-case to three: 378 bytes in a URL.
        Just("Ⱥ".repeat(126)),
        "[a-z]{1,3}",
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Whatever names the handbook uses, the build publishes a site: clashes and long names
    /// are renamed or left out and reported, never a failed write.
    #[test]
    fn hostile_names_never_stop_the_site(
        names in proptest::collection::vec(hostile_name(), 1..6),
    ) {
        let mut t = HandbookTest::empty();
        let mut people = String::from("people:\n");
        for (i, name) in names.iter().enumerate() {
            // As a page file (a name of two-byte characters fits on disk), a plain file, a slug,
            // an alias, a tag and a person id.
            t = t.file(&format!("content/{name}.md"), format!("# Page {i}\n"));
            if i % 2 == 0 && name.len() < 200 {
                t = t.file(&format!("content/files/{name}"), "x");
            }
            t = t.file(
                &format!("content/p{i}.md"),
                format!("---\ntitle: P{i}\nslug: \"{name}\"\naliases: [\"{name}\", \"/{name}\"]\ntags: [\"{name}\"]\nowner: \"{name}\"\n---\nText.\n"),
            );
            people.push_str(&format!("  - id: \"{name}\"\n    name: N{i}\n"));
        }
        let t = t.file("data/team.yaml", people).build();
        proptest::prop_assert!(t.build_error.is_none(), "{:?}\n{}", t.build_error, t.diagnostics_text());
        proptest::prop_assert!(t.out("index.html").is_file());
        proptest::prop_assert!(t.out("reviews.ics").is_file());
        proptest::prop_assert!(t.out("assets/style.css").is_file());
    }
}
