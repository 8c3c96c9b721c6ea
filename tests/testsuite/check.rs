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

/// `check` writes no HTML but for the pages with a fragment only the rendered page settles:
/// a footnote's ids are in its body's HTML alone, `#main` in the theme's; what it reports is
/// what a build reports.
#[test]
fn check_settles_fragments_of_the_rendered_page_as_a_build_does() {
    let t = HandbookTest::empty()
        .file(
            "content/p.md",
            "# P\n\nSee[^n], [the note](#fn:1), [main](#main) and [gone](#nowhere).\n\n\
             [^n]: Note, [back](#fnref:1).\n",
        )
        .file(
            "content/q.md",
            "# Q\n\n[P's note](p.md#fn:1), [none](p.md#fn:2).\n",
        )
        .build()
        .assert_rules(&["anchor-broken"]);
    let (code, out) = check(&t, &["--format", "json"]);
    assert_eq!(code, Some(1), "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("anchor-broken", "content/p.md", 3),
            ("anchor-broken", "content/q.md", 3)
        ],
        "{out}"
    );
    assert!(out.contains("`nowhere`") && out.contains("`fn:2`"), "{out}");
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

/// File names and a message written to break every format of `check`: line breaks followed by
/// forged findings, control characters (a terminal colour), XML's and Markdown's specials,
/// the workflow commands' separators. Each file has one broken link on a line with control
/// characters; `owner.md` has an owner whose id is all of that.
const HOSTILE_FILES: [&str; 4] = [
    "content/a\nerror[forged]: b.md",
    "content/x<&\"'>\u{1}\u{1b}[31m.md",
    "content/a,b:c%25::d.md",
    "content/p|q`r\r.md",
];
const HOSTILE_OWNER: &str = "bob\u{1}\r\nerror[forged]: <&>|`%0A";

fn hostile() -> HandbookTest {
    let mut t =
        HandbookTest::empty().file("data/team.yaml", "people:\n  - id: ana\n    name: Ana\n");
    for f in HOSTILE_FILES {
        t = t.file(f, "# T\n\nSee\u{1b}[2K\u{7} [x](missing.md).\n");
    }
    t.file(
        "content/owner.md",
        format!(
            "---\ntitle: O\nkind: sop\nowner: {}\napprover: ana\nlast_reviewed: 2026-06-01\n\
             review_every: 1 year\n---\n## Purpose\n\n## Scope\n\n## Procedure\n\nx\n",
            serde_json::to_string(HOSTILE_OWNER).unwrap()
        ),
    )
}

/// (file, message) of every finding of [`hostile`].
fn hostile_findings() -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = HOSTILE_FILES
        .iter()
        .map(|f| {
            let m = "broken link `missing.md`: `missing.md` does not exist";
            (f.to_string(), m.to_string())
        })
        .collect();
    found.push((
        "content/owner.md".into(),
        format!("owner `{HOSTILE_OWNER}` is not in the team data"),
    ));
    found.sort();
    found
}

#[cfg(target_os = "linux")]
#[test]
fn hostile_names_and_messages_cannot_forge_human_lines() {
    let (code, out) = check(&hostile(), &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        !out.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters in:\n{out}"
    );
    let titles: Vec<&str> = out.lines().filter(|l| !l.starts_with([' ', '|'])).collect();
    assert_eq!(
        titles.iter().filter(|l| l.starts_with("error")).count(),
        5,
        "{out}"
    );
    assert!(!out.contains("\nerror[forged]"), "{out}");
    for shown in [
        " --> content/a\\nerror[forged]: b.md:3:10\n",
        " --> content/x<&\"'>\\u{1}\\u{1b}[31m.md:3:10\n",
        " --> content/p|q`r\\r.md:3:10\n",
        "error[owner-unknown]: owner `bob\\u{1}\\r\\nerror[forged]: <&>|`%0A` is not in the team data\n",
        // The source line's control characters as their pictures, the caret still under its column.
        "3 | See\u{241b}[2K\u{2407} [x](missing.md).\n  |          ^\n",
    ] {
        assert!(out.contains(shown), "no {shown:?} in:\n{out}");
    }
}

/// A workflow command's property value or data as the runner reads it.
fn gh_unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[cfg(target_os = "linux")]
#[test]
fn hostile_names_and_messages_stay_inside_github_commands_and_the_summary() {
    let t = hostile();
    let summary = t.outside().join("step-summary.md");
    let o = t.cli_with_env(
        &["check", "--as-of", AS_OF, "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    let out = String::from_utf8(o.stdout).unwrap();
    // One line per finding (the runner also ends a line at a lone CR).
    let lines: Vec<&str> = out.split(['\n', '\r']).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 5, "{out}");
    let mut found = Vec::new();
    for line in &lines {
        let rest = line.strip_prefix("::error ").expect(line);
        let (props, data) = rest.split_once("::").expect(line);
        let props: Vec<(&str, String)> = props
            .split(',')
            .map(|p| {
                let (k, v) = p.split_once('=').expect(p);
                (k, gh_unescape(v))
            })
            .collect();
        let keys: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["file", "line", "col", "title"], "{line}");
        assert!(["link-broken", "owner-unknown"].contains(&props[3].1.as_str()));
        let message = gh_unescape(data);
        let message = message.split("\nhelp: ").next().unwrap().to_string();
        found.push((props[0].1.clone(), message));
    }
    found.sort();
    // File names exact, for the runner to find the file; messages with their controls shown.
    let expected: Vec<(String, String)> = hostile_findings()
        .into_iter()
        .map(|(file, message)| (file, handbook::diagnostic::visible(&message)))
        .collect();
    assert_eq!(found, expected);

    // The step summary: a table of four cells a row, each on its line, nothing formatted.
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let table = std::fs::read_to_string(&summary).unwrap();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut in_table = false;
    for event in Parser::new_ext(&table, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => in_table = true,
            Event::End(TagEnd::Table) => in_table = false,
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => rows.last_mut().unwrap().push(String::new()),
            Event::Text(s) | Event::Code(s) => {
                if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                    cell.push_str(&s);
                }
            }
            Event::End(TagEnd::TableCell) => {}
            Event::Start(
                tag @ (Tag::Link { .. } | Tag::Emphasis | Tag::Strong | Tag::Image { .. }),
            ) if in_table => panic!("{tag:?} in:\n{table}"),
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in:\n{table}"),
            _ => {}
        }
    }
    assert_eq!(rows.len(), 6, "{table}");
    assert!(rows.iter().all(|r| r.len() == 4), "{rows:?}\n{table}");
    let one_line = |s: &str| s.replace(|c: char| c.is_control(), " ");
    let mut locations: Vec<String> = rows[1..].iter().map(|r| r[2].clone()).collect();
    locations.sort();
    let mut expected: Vec<String> = HOSTILE_FILES
        .iter()
        .map(|f| one_line(&format!("{f}:3:10")))
        .chain(["content/owner.md:4:8".to_string()])
        .collect();
    expected.sort();
    assert_eq!(locations, expected);
    // The owner's id has an odd backtick: the message's code spans shift, its text stays.
    let owner = rows.iter().find(|r| r[1] == "owner-unknown").unwrap();
    assert_eq!(
        owner[3],
        format!(
            "owner {}%0A` is not in the team data",
            one_line("bob\u{1}\r\nerror[forged]: <&>|")
        ),
        "{table}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn hostile_names_and_messages_keep_junit_and_sarif_valid() {
    let t = hostile();
    // XML cannot carry most control characters even as references: they become U+FFFD.
    let xml_form = |s: &str| {
        s.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => c,
                c if (c as u32) < 0x20 => '\u{FFFD}',
                c => c,
            })
            .collect::<String>()
    };
    let (_, out) = check(&t, &["--format", "junit"]);
    let doc = roxmltree::Document::parse(&out).unwrap_or_else(|e| panic!("{e}:\n{out}"));
    let mut found = Vec::new();
    for case in doc.descendants().filter(|n| n.has_tag_name("testcase")) {
        let file = case.attribute("name").unwrap();
        assert_eq!(case.attribute("file"), Some(file));
        for failure in case.children().filter(|n| n.has_tag_name("failure")) {
            found.push((
                file.to_string(),
                failure.attribute("message").unwrap().to_string(),
            ));
        }
    }
    found.sort();
    let expected: Vec<(String, String)> = hostile_findings()
        .iter()
        .map(|(f, m)| (xml_form(f), xml_form(m)))
        .collect();
    assert_eq!(found, expected);

    let (_, out) = check(&t, &["--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut found: Vec<(String, String)> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(
                !uri.contains(|c: char| c.is_control() || c == ' '),
                "{uri:?}"
            );
            let file = percent_encoding::percent_decode_str(uri)
                .decode_utf8()
                .unwrap()
                .into_owned();
            let text = r["message"]["text"].as_str().unwrap();
            (file, text.split("\nhelp: ").next().unwrap().to_string())
        })
        .collect();
    found.sort();
    assert_eq!(found, hostile_findings());
}
