//! Bad input is normal input: each problem is reported with file, line and column, and the rest
//! of the handbook still builds.

use crate::harness::{HandbookTest, AS_OF};

#[test]
fn malformed_front_matter_is_reported_at_the_real_line() {
    let t = HandbookTest::from_fixture("basic")
        .file(
            "content/bad.md",
            "---\ntitle: Bad\nowner: [unclosed\nkind: sop\n---\n\nBody text survives.\n",
        )
        .build()
        .assert_ok();
    // At the `[` that never closes, not at the line where the parser gave up.
    t.diagnostic("front-matter-invalid", "content/bad.md", 3, 8);
    t.assert_contains("bad/index.html", "Body text survives.")
        .assert_exists("sops/code-review/index.html");
}

#[test]
fn wrong_types_and_unknown_fields() {
    let t = HandbookTest::empty()
        .file(
            "content/a.md",
            "---\ntitle: A\ntags: 5\nlast_review: 2026-01-01\n---\n",
        )
        .build()
        .assert_ok();
    t.diagnostic("front-matter-invalid", "content/a.md", 3, 7);
    // An unknown field at its key, which is what is misspelt; a wrong value at the value.
    let d = t.diagnostic("front-matter-unknown-field", "content/a.md", 4, 1);
    assert_eq!(d.help.as_deref(), Some("did you mean `last_reviewed`?"));
    t.assert_contains("a/index.html", "<h1>A</h1>");
}

#[test]
fn unterminated_front_matter() {
    let t = HandbookTest::empty()
        .file("content/a.md", "---\ntitle: A\n\nno closing line\n")
        .build()
        .assert_ok();
    t.diagnostic("front-matter-invalid", "content/a.md", 1, 1);
    t.assert_exists("a/index.html");
}

#[test]
fn non_utf8_files_are_reported_and_still_built() {
    let t = HandbookTest::empty()
        .file(
            "content/latin1.md",
            b"---\ntitle: Caf\xe9\n---\nna\xefve\n".as_slice(),
        )
        .file("content/ok.md", "[l](latin1.md)\n")
        .build()
        .assert_ok();
    t.diagnostic("file-invalid", "content/latin1.md", 2, 11);
    t.assert_contains("latin1/index.html", "Caf\u{FFFD}")
        .assert_contains("ok/index.html", r#"<a href="../latin1/index.html">l</a>"#);
}

#[test]
fn bom_and_crlf_are_accepted() {
    HandbookTest::empty()
        .file(
            "content/a.md",
            "\u{feff}---\r\ntitle: Windows File\r\nkind: guide\r\n---\r\n\r\n## Heading\r\n",
        )
        .build()
        .assert_clean()
        .assert_contains("a/index.html", "<h1>Windows File</h1>")
        .assert_contains("a/index.html", r#"<h2 id="heading">"#);
}

#[test]
fn yaml_alias_bombs_and_deep_nesting_are_refused_quickly() {
    let mut bomb = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    bomb.push_str("---\nbody\n");
    let nested = format!("---\ntitle: {}\n---\n", "[".repeat(200_000));
    let start = std::time::Instant::now();
    let t = HandbookTest::empty()
        .file("content/bomb.md", bomb)
        .file("content/nested.md", nested)
        .build()
        .assert_ok();
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    assert_eq!(
        t.rules(),
        ["front-matter-invalid", "front-matter-invalid"],
        "{}",
        t.diagnostics_text()
    );
    t.assert_exists("bomb/index.html");
}

#[test]
fn pathological_markdown_builds() {
    HandbookTest::empty()
        .file(
            "content/deep.md",
            format!("{} x\n\n{}", ">".repeat(20_000), "* ".repeat(5_000)),
        )
        .file("content/wide.md", "| a ".repeat(5_000) + "|\n")
        .build()
        .assert_ok()
        .assert_exists("deep/index.html");
}

#[test]
fn bad_team_data_is_reported_and_the_site_builds() {
    let t = HandbookTest::from_fixture("basic")
        .file(
            "data/more.yaml",
            "people:\n  - id: ana\n    name: Duplicate\n  - id: cy\n    joined: someday\n",
        )
        .file("data/broken.yml", "teams: [unclosed\n")
        .build()
        .assert_ok();
    // Files load in name order, so the `ana` of team.yaml is the duplicate.
    let d = t.diagnostic("team-data-invalid", "data/team.yaml", 2, 3);
    assert_eq!(
        d.help.as_deref(),
        Some("it is first defined at data/more.yaml:2")
    );
    t.diagnostic("team-data-invalid", "data/more.yaml", 5, 13);
    t.diagnostic("team-data-invalid", "data/broken.yml", 1, 8);
    t.assert_exists("sops/code-review/index.html");
}

#[test]
fn one_broken_team_entry_loses_only_itself() {
    let team = |bo: &str| {
        format!(
            "people:\n  - id: ana\n    name: Ana Lima\n  - id: bo\n    name: {bo}\n  - id: cy\n    name: Cy Cole\n    manager: ana\n"
        )
    };
    let guide = |owner: &str| format!("---\ntitle: Guide\nowner: {owner}\n---\nText.\n");
    let handbook = |bo: &str| {
        HandbookTest::empty()
            .file("data/team.yaml", team(bo))
            .file("content/a.md", guide("ana"))
            .file("content/c.md", guide("cy"))
            .build()
            .assert_ok()
    };
    let t = handbook("\"Bo Berg");
    let d = t.diagnostic("team-data-invalid", "data/team.yaml", 5, 11);
    assert_eq!(d.message, "not valid YAML: this `\"` is never closed");
    // The people before and after it are read: no owner is "not in the team data".
    assert_eq!(t.rules(), ["team-data-invalid"], "{}", t.diagnostics_text());
    let t = t.assert_contains("c/index.html", "Cy Cole");
    // Every format points at the quote, inside the file.
    let human = t.cli(&["check", "--as-of", AS_OF]);
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains(" --> data/team.yaml:5:11\n  |\n5 |     name: \"Bo Berg\n  |           ^"),
        "{human}"
    );
    let json = t.cli(&["check", "--format", "json", "--as-of", AS_OF]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(11))
    );
    handbook("Bo Berg").assert_clean();
}

#[test]
fn unknown_status_is_a_warning_and_the_page_stays_active() {
    let t = HandbookTest::empty()
        .file("content/a.md", "---\nstatus: live\n---\n")
        .build()
        .assert_ok();
    let d = t.diagnostic("status-unknown", "content/a.md", 2, 9);
    assert_eq!(d.severity, handbook::rules::Severity::Warning);
    t.assert_exists("a/index.html");
}

/// Documents owned by each of `people`, for the team data tests: an owner lost from the data
/// would be reported as `owner-unknown` on its document.
fn owned_by(mut t: HandbookTest, people: &[&str]) -> HandbookTest {
    for p in people {
        t = t.file(
            &format!("content/{p}.md"),
            format!("---\ntitle: {p}\nowner: {p}\n---\nText.\n"),
        );
    }
    t
}

#[test]
fn a_team_list_item_without_its_space_loses_only_itself() {
    for indent in ["", "  "] {
        let team = |dash: &str| {
            format!("people:\n{indent}- id: alice\n{indent}  name: Alice\n{indent}- id: bob\n{indent}  name: Bob\n{indent}{dash}id: dave\n{indent}  name: Dave\n{indent}- id: erin\n{indent}  name: Erin\n")
        };
        let people = ["alice", "bob", "dave", "erin"];
        let t = owned_by(
            HandbookTest::empty().file("data/team.yml", team("-")),
            &people,
        )
        .build()
        .assert_ok();
        // At the `-id:` line, not the line after it; only dave is lost.
        let column = indent.len() as u32 + 1;
        let d = t.diagnostic("team-data-invalid", "data/team.yml", 6, column);
        assert_eq!(
            d.message,
            "not valid YAML: a list item needs a space after its `-`"
        );
        assert_eq!(d.help.as_deref(), Some("write `- id: dave`"));
        t.diagnostic("owner-unknown", "content/dave.md", 3, 8);
        assert_eq!(
            t.rules(),
            ["owner-unknown", "team-data-invalid"],
            "{}",
            t.diagnostics_text()
        );
        owned_by(
            HandbookTest::empty().file("data/team.yml", team("- ")),
            &people,
        )
        .build()
        .assert_clean();
    }
}

#[test]
fn a_section_indented_between_levels_is_reported_and_not_read_as_people() {
    let team = |teams: &str| {
        format!("people:\n  - id: alice\n    name: Alice\n  - id: bob\n    name: Bob\n{teams}:\n  - id: plat\n    name: Platform\n    lead: alice\n")
    };
    let t = owned_by(
        HandbookTest::empty().file("data/team.yml", team(" teams")),
        &["alice", "bob"],
    )
    .build()
    .assert_ok();
    let d = t.diagnostic("team-data-invalid", "data/team.yml", 6, 2);
    assert_eq!(
        d.message,
        "`teams:` is indented less than the `people` entries above it and more than `people:`, so it belongs to neither"
    );
    assert_eq!(t.rules(), ["team-data-invalid"], "{}", t.diagnostics_text());
    // Bob is kept; the team is a team, not a person.
    let t = t
        .assert_exists("team/people/bob/index.html")
        .assert_missing("team/people/plat/index.html")
        .assert_contains("team/teams/plat/index.html", "Alice");
    assert!(!t.diagnostics_text().contains("more than one document"));
    owned_by(
        HandbookTest::empty().file("data/team.yml", team("teams")),
        &["alice", "bob"],
    )
    .build()
    .assert_clean();
}

#[test]
fn a_team_entry_with_an_alias_to_another_entrys_anchor_is_kept() {
    let team = |bob: &str| {
        format!("people:\n  - id: alice\n    name: Alice\n    certifications: &std\n      - name: First aid\n        expires: 2027-01-01\n  - id: bob\n    name: {bob}\n  - id: carol\n    name: Carol\n    certifications: *std\n")
    };
    let people = ["alice", "bob", "carol"];
    let t = owned_by(
        HandbookTest::empty().file("data/team.yml", team("\"Bob")),
        &people,
    )
    .build()
    .assert_ok();
    // Only bob's own mistake is reported, and only he is lost.
    t.diagnostic("team-data-invalid", "data/team.yml", 8, 11);
    t.diagnostic("owner-unknown", "content/bob.md", 3, 8);
    assert_eq!(
        t.rules(),
        ["owner-unknown", "team-data-invalid"],
        "{}",
        t.diagnostics_text()
    );
    t.assert_contains("team/people/carol/index.html", "First aid");
    owned_by(
        HandbookTest::empty().file("data/team.yml", team("Bob")),
        &people,
    )
    .build()
    .assert_clean();
}

#[test]
fn a_key_given_twice_in_a_person_keeps_the_person_and_its_last_value() {
    let team = |second: &str| {
        format!("people:\n  - id: al\n    name: Al\n  - id: erin\n    name: Erin\n    email: erin@example.org\n{second}")
    };
    let t = owned_by(
        HandbookTest::empty().file("data/team.yml", team("    email: erin.new@example.org\n")),
        &["al", "erin"],
    )
    .build()
    .assert_ok();
    let d = t.diagnostic("team-data-invalid", "data/team.yml", 7, 5);
    assert_eq!(d.severity, handbook::rules::Severity::Warning);
    assert_eq!(
        d.message,
        "`email` is given twice (first on line 6); the last one is used, as YAML readers do"
    );
    assert_eq!(t.rules(), ["team-data-invalid"], "{}", t.diagnostics_text());
    t.assert_contains("team/people/erin/index.html", "erin.new@example.org")
        .assert_lacks("team/people/erin/index.html", "erin@example.org");
    owned_by(
        HandbookTest::empty().file("data/team.yml", team("")),
        &["al", "erin"],
    )
    .build()
    .assert_clean();
}
