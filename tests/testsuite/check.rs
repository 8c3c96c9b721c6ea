//! `handbook check`: exit codes, `--deny warnings`, every output format (golden files under
//! tests/golden/, JUnit and SARIF parsed back), and `build --strict`.

use crate::harness::{golden, HandbookTest, AS_OF};

/// The basic fixture with one error (an unknown owner) and one warning (a review due soon).
fn findings() -> HandbookTest {
    HandbookTest::from_fixture("basic")
        .file(
            "content/sops/code-review.md",
            "---\ntitle: Code Review\nkind: sop\nid: SOP-002\nowner: bobb\napprover: ana\n\
             last_reviewed: 2025-12-10\nreview_every: 1 year\n---\n## Purpose\n\nCatch defects.\n\n\
             ## Scope\n\nAll changes.\n\n## Procedure\n\n### Review checklist\n\nÉtape : see [the list](#review-checklist).\n",
        )
}

fn check(t: &HandbookTest, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["check", "--as-of", AS_OF];
    all.extend_from_slice(args);
    let o = t.cli(&all);
    (o.status.code(), String::from_utf8(o.stdout).unwrap())
}

#[test]
fn exit_codes_follow_errors_and_deny_warnings() {
    let clean = HandbookTest::from_fixture("basic");
    assert_eq!(check(&clean, &[]).0, Some(0));
    let (code, out) = check(&clean, &[]);
    assert_eq!(code, Some(0));
    assert!(
        out.ends_with("0 errors, 0 warnings in 7 documents\n"),
        "{out}"
    );

    // A warning alone passes, unless warnings are denied.
    let warning = HandbookTest::from_fixture("basic").file(
        "handbook.yaml",
        "title: Fixture Handbook\nrules:\n  approver-missing: {sop: warning}\n",
    );
    let warning = warning.file(
        "content/sops/security-patching.md",
        std::fs::read_to_string(
            HandbookTest::from_fixture("basic")
                .root
                .join("content/sops/security-patching.md"),
        )
        .unwrap()
        .replace("approver: bo\n", ""),
    );
    assert_eq!(check(&warning, &[]).0, Some(0));
    assert_eq!(check(&warning, &["--deny", "warnings"]).0, Some(1));

    assert_eq!(check(&findings(), &[]).0, Some(1));

    // Could not run: bad arguments, no root, an invalid handbook.yaml.
    let t = HandbookTest::from_fixture("basic");
    assert_eq!(check(&t, &["--format", "xml"]).0, Some(2));
    assert_eq!(check(&t, &["--deny", "everything"]).0, Some(2));
    assert_eq!(check(&t, &["--root", "no/such/dir"]).0, Some(2));
    let t = t.file("handbook.yaml", "rules:\n  no-such-rule: off\n");
    assert_eq!(check(&t, &[]).0, Some(2));
}

#[test]
fn human_output_shows_the_line_and_a_caret() {
    let (code, out) = check(&findings(), &[]);
    assert_eq!(code, Some(1));
    golden("check-human.txt", &out);
    assert!(out.contains("owner: bobb\n  |        ^\n"), "{out}");
}

#[test]
fn json_output() {
    let (_, out) = check(&findings(), &["--format", "json"]);
    golden("check.json", &out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["documents"], 7);
    let d = &v["diagnostics"][0];
    for key in [
        "severity", "rule", "file", "line", "column", "message", "help",
    ] {
        assert!(d.get(key).is_some(), "{key} missing from {d}");
    }
}

#[test]
fn github_output_and_step_summary() {
    let t = findings();
    let summary = t.outside().join("step-summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let o = t.cli_with_env(
        &["check", "--as-of", AS_OF, "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    let out = String::from_utf8(o.stdout).unwrap();
    golden("check-github.txt", &out);
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(
        table.starts_with("earlier step\n## handbook check"),
        "{table}"
    );
    assert!(
        table.contains("| error | `owner-unknown` | `content/sops/code-review.md:5:8` |"),
        "{table}"
    );
}

#[test]
fn junit_output_parses_with_a_case_per_document() {
    let (_, out) = check(&findings(), &["--format", "junit"]);
    golden("check-junit.xml", &out);
    let doc = roxmltree::Document::parse(&out).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 7);
    let failing: Vec<_> = cases
        .iter()
        .filter(|c| c.children().any(|f| f.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(failing, ["content/sops/code-review.md"]);
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("7"));
    assert_eq!(suite.attribute("failures"), Some("1"));
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    let (_, out) = check(&findings(), &["--format", "sarif"]);
    golden("check.sarif", &out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "handbook");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(["error", "warning"].contains(&r["level"].as_str().unwrap()));
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("content/"));
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn check_writes_nothing() {
    let t = findings();
    check(&t, &[]);
    assert!(!t.root.join("public").exists());
}

#[test]
fn strict_build_refuses_to_publish_with_errors() {
    let t = HandbookTest::from_fixture("basic");
    let o = t.cli(&["build", "--as-of", AS_OF, "--strict"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let before = t.read("sops/code-review/index.html");

    let t = t.file(
        "content/sops/code-review.md",
        std::fs::read_to_string(findings().root.join("content/sops/code-review.md")).unwrap(),
    );
    let o = t.cli(&["build", "--as-of", AS_OF, "--strict"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[owner-unknown]"), "{err}");
    assert!(
        err.contains("the site was not published (--strict)"),
        "{err}"
    );
    assert_eq!(t.read("sops/code-review/index.html"), before);

    // Without --strict the same handbook publishes and exits 0.
    let o = t.cli(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0));
    assert_ne!(t.read("sops/code-review/index.html"), before);
}

#[test]
fn the_example_handbook_passes_check() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args([
            "check",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "--as-of",
            AS_OF,
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("\n0 errors, "), "{out}");
}

#[test]
fn snippets_never_read_outside_the_root() {
    let t = HandbookTest::from_fixture("basic");
    std::fs::write(t.outside().join("secret.txt"), "top secret\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        t.outside().join("secret.txt"),
        t.root.join("data/leak.yaml"),
    )
    .unwrap();
    let (_, out) = check(&t, &[]);
    assert!(out.contains("path-unsafe"), "{out}");
    assert!(!out.contains("top secret"), "{out}");
}

#[test]
fn carets_and_quotes_count_characters_in_any_script() {
    // A broken link after Japanese and Cyrillic text, and a long template tag in Greek: the
    // column counts characters, the caret sits under the link's `[` (Japanese characters are
    // two columns wide on a terminal), the quoted tag is cut at a character.
    let tag = format!("{{{{< σημείωση \"{}\" >}}}}", "αβγδε".repeat(20));
    let t = HandbookTest::empty().file(
        "content/手順.md",
        format!(
            "# 障害対応\n\n障害時はまず[当番表](当番.md)を見る。Смотрите [здесь](нет.md).\n\n{tag}\n"
        ),
    );
    let (code, out) = check(&t, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(
            "障害時はまず[当番表](当番.md)を見る。Смотрите [здесь](нет.md).\n  |             ^\n"
        ),
        "{out}"
    );
    assert!(out.contains("--> content/手順.md:3:7"), "{out}");
    assert!(out.contains("--> content/手順.md:3:32"), "{out}");
    let quoted = format!("`{}…`", tag.chars().take(60).collect::<String>());
    assert!(out.contains(&quoted), "{out}");
}

#[test]
fn a_finding_on_an_empty_line_says_where_it_is() {
    let t = HandbookTest::empty().file(
        "content/x.md",
        "---\ntitle: X\nkind: sop\nowner: a\napprover: a\nlast_reviewed: 2026-06-01\nreview_every: 1 year\n---\n\n## Purpose\n\n## Scope\n",
    );
    let (_, out) = check(&t, &[]);
    assert!(
        out.contains(
            "warning[section-missing]: SOP has no `Procedure` section\n = note: content/x.md:9:1\n"
        ),
        "{out}"
    );
}
