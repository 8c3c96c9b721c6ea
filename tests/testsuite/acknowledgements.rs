//! Required reading and acknowledgements: who must read which documents in force, and who is
//! late to acknowledge the version in force (`acknowledgement-missing`), or names nothing
//! (`acknowledgement-unknown`).

use crate::harness::HandbookTest;

const PEOPLE: &str = "people:
  - {id: dana, name: Dana Reyes, role: sre, team: infra, joined: 2024-01-10}
  - {id: eli, name: Eli Moss, role: sre, team: infra, joined: 2026-11-20}
  - {id: fay, name: Fay Lund, role: sre, team: infra, joined: 2023-05-01, left: 2026-06-30}
  - {id: gus, name: Gus Park, role: analyst, team: data, joined: 2022-02-01}
roles:
  - {id: sre, title: SRE, required_reading: [POL-001, tag:oncall]}
  - {id: analyst, title: Analyst}
";

/// A policy at version 3 (in force since 2026-09-01) every SRE must read, and an on-call SOP
/// without a version.
fn handbook(acks: &str) -> HandbookTest {
    HandbookTest::empty()
        .file("data/people.yml", PEOPLE)
        .file("data/acknowledgements.yaml", acks)
        .file(
            "content/security-policy.md",
            "---\nid: POL-001\nkind: page\nversion: \"3\"\neffective: 2026-09-01\n---\n# Security policy\n",
        )
        .file(
            "content/paging.md",
            "---\nkind: page\ntags: [oncall]\nlast_reviewed: 2026-10-01\n---\n# Paging\n",
        )
}

#[test]
fn readers_current_in_grace_and_departed_owe_nothing() {
    // Dana read version 3 and the SOP's text since its review; Eli joined 2026-11-20, within
    // 30 days of the as-of date; Fay has left.
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"3\", date: 2026-09-10}\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n",
    )
    .build()
    .assert_clean();
    drop(t);
}

#[test]
fn an_older_version_read_is_late_and_said() {
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"2\", date: 2025-03-01}\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n",
    )
    .build()
    .assert_rules(&["acknowledgement-missing"]);
    let d = t.diagnostic(
        "acknowledgement-missing",
        "content/security-policy.md",
        1,
        1,
    );
    assert!(
        d.message.starts_with("1 of 2 required readers have not acknowledged version 3 in force: Dana Reyes (`dana`, sre, due 2026-10-01, read version 2)"),
        "{}",
        d.message
    );
}

#[test]
fn an_acknowledgement_is_asked_again_when_the_interval_has_passed() {
    let acks = "acknowledgements:\n  - {person: dana, document: POL-001, version: \"3\", date: 2026-09-10}\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n";
    handbook(acks)
        .file("handbook.yaml", "reacknowledge_every: 1 month\n")
        .build()
        .assert_rules(&["acknowledgement-missing"])
        .diagnostic(
            "acknowledgement-missing",
            "content/security-policy.md",
            1,
            1,
        );
    // A longer grace: both are still within it (2026-10-10 and 2026-11-02, + 60 days).
    handbook(acks)
        .file(
            "handbook.yaml",
            "reacknowledge_every: 1 month\nacknowledge_within: 60 days\n",
        )
        .build()
        .assert_clean();
}

#[test]
fn required_reading_for_everyone_and_teams_comes_from_handbook_yaml() {
    let t = handbook("acknowledgements: []\n")
        .file(
            "handbook.yaml",
            "required_reading:\n  data: [content/paging.md]\n",
        )
        .build()
        .assert_rules(&["acknowledgement-missing"]);
    let paging = t.diagnostic("acknowledgement-missing", "content/paging.md", 1, 1);
    // Dana (role) and Gus (team data); Eli is in grace.
    assert!(
        paging.message.starts_with("2 of 3 required readers"),
        "{}",
        paging.message
    );
    assert!(
        paging.message.contains("Gus Park (`gus`, analyst"),
        "{}",
        paging.message
    );
}

#[test]
fn records_and_selectors_that_name_nothing_are_errors_where_written() {
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"3\", date: 2026-09-10}\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n  - person: dnaa\n    document: POL-001\n    date: 2026-09-11\n  - person: gus\n    document: POL-404\n    date: 2026-09-11\n",
    )
    .file("handbook.yaml", "required_reading:\n  everyone: [kind:nonsense]\n")
    .build()
    .assert_rules(&["acknowledgement-unknown"]);
    let who = t.diagnostic(
        "acknowledgement-unknown",
        "data/acknowledgements.yaml",
        4,
        13,
    );
    assert!(
        who.message.contains("did you mean `dana`"),
        "{}",
        who.message
    );
    let what = t.diagnostic(
        "acknowledgement-unknown",
        "data/acknowledgements.yaml",
        8,
        15,
    );
    assert!(what.message.contains("`POL-404`"), "{}", what.message);
    assert!(t
        .diagnostics
        .iter()
        .any(|d| d.file.ends_with("handbook.yaml") && d.message.contains("kind:nonsense")));
}

#[test]
fn the_acknowledge_command_appends_a_record_and_keeps_the_file_as_it_was() {
    let before = "# Who read what. Oldest first.\nacknowledgements:\n  - {person: dana, document: POL-001, version: \"2\", date: 2025-03-01}  # v2\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n";
    let t = handbook(before).build();
    assert_eq!(t.rules(), ["acknowledgement-missing"]);
    let root = t.root.to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let mut all = vec!["acknowledge"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--root", &root]);
        t.cli(&all)
    };
    let o = run(&["dana", "POL-001", "--date", "2026-11-23"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = t.root.join("data/acknowledgements.yaml");
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        after,
        format!(
            "{before}  - {{person: dana, document: POL-001, version: \"3\", date: 2026-11-23}}\n"
        )
    );
    // Once is enough.
    let o = run(&["dana", "POL-001", "--date", "2026-11-23"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("already recorded"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after);
    // The finding is gone.
    let o = t.cli(&["check", "--root", &root, "--as-of", crate::harness::AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    // Unknown people and documents: refused, with a did-you-mean, the file untouched.
    let o = run(&["dnaa", "POL-001"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `dana`"));
    let o = run(&["dana", "POL-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `POL-001`"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after);
}

#[test]
fn the_first_acknowledgement_makes_the_file() {
    let t = HandbookTest::empty().file("data/people.yml", PEOPLE).file(
        "content/security-policy.md",
        "---\nid: POL-001\nversion: \"3\"\n---\n# Security policy\n",
    );
    let root = t.root.to_str().unwrap().to_string();
    let o = t.cli(&[
        "acknowledge",
        "gus",
        "content/security-policy.md",
        "--date",
        "2026-11-23",
        "--root",
        &root,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(t.root.join("data/acknowledgements.yaml")).unwrap(),
        "acknowledgements:\n  - {person: gus, document: POL-001, version: \"3\", date: 2026-11-23}\n"
    );
}

#[test]
fn the_evidence_table_parses_back() {
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"2\", date: 2025-03-01}\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n",
    );
    let root = t.root.to_str().unwrap().to_string();
    let o = t.cli(&[
        "report",
        "--root",
        &root,
        "--as-of",
        crate::harness::AS_OF,
        "--format",
        "csv",
        "--acknowledgements",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = String::from_utf8(o.stdout).unwrap();
    let rows = crate::report::parse_csv(&csv);
    assert_eq!(
        rows,
        [
            vec![
                "person",
                "name",
                "role",
                "document",
                "title",
                "version_in_force",
                "acknowledged_version",
                "acknowledged_on",
                "status",
                "due_by"
            ],
            vec![
                "dana",
                "Dana Reyes",
                "sre",
                "POL-001",
                "Security policy",
                "3",
                "2",
                "2025-03-01",
                "late",
                "2026-10-01"
            ],
            vec![
                "dana",
                "Dana Reyes",
                "sre",
                "content/paging.md",
                "Paging",
                "",
                "",
                "2026-10-02",
                "current",
                "2026-10-31"
            ],
            vec![
                "eli",
                "Eli Moss",
                "sre",
                "POL-001",
                "Security policy",
                "3",
                "",
                "",
                "due",
                "2026-12-20"
            ],
            vec![
                "eli",
                "Eli Moss",
                "sre",
                "content/paging.md",
                "Paging",
                "",
                "",
                "",
                "due",
                "2026-12-20"
            ],
        ]
    );
    let o = t.cli(&["report", "--root", &root, "--acknowledgements"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_document_page_says_who_has_acknowledged_it() {
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"2\", date: 2025-03-01}\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n",
    )
    .build();
    let policy = t.read("security-policy/index.html");
    assert!(
        policy.contains(
            "<p>Acknowledged by <strong>0</strong> of 2 required readers (version 3).</p>"
        ),
        "{policy}"
    );
    assert!(policy.contains(r#"Dana Reyes</a> <span class="acknowledgement-due" data-due="2026-10-01">was due by <time datetime="2026-10-01">"#), "{policy}");
    assert!(
        policy.contains(r#"<span class="acknowledgement-read">read version 2</span>"#),
        "{policy}"
    );
    assert!(
        policy.contains(
            r#"Eli Moss</a> <span class="acknowledgement-due" data-due="2026-12-20">due by"#
        ),
        "{policy}"
    );
    let paging = t.read("paging/index.html");
    assert!(
        paging.contains("Acknowledged by <strong>1</strong> of 2 required readers.</p>"),
        "{paging}"
    );
    // Nobody must read the home page.
    assert!(!t.read("index.html").contains("acknowledgements-title"));
}

#[test]
fn a_person_page_lists_their_required_reading() {
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"2\", date: 2025-03-01}\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n",
    )
    .build();
    let dana = t.read("team/people/dana/index.html");
    assert!(
        dana.contains(r#"<h2 id="reading-title">Required reading</h2>"#),
        "{dana}"
    );
    assert!(
        dana.contains(r#"Security policy</a> · <span class="acknowledgement-due" data-due="2026-10-01">was due by"#),
        "{dana}"
    );
    assert!(
        dana.contains(r#"Paging</a> · <span class="acknowledgement-current">acknowledged <time datetime="2026-10-02">"#),
        "{dana}"
    );
    // Gus (an analyst) must read nothing.
    assert!(!t
        .read("team/people/gus/index.html")
        .contains("reading-title"));
}

#[test]
fn a_role_page_shows_its_holders_against_its_required_reading() {
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"3\", date: 2026-09-10}\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n",
    )
    .build();
    let sre = t.read("team/roles/sre/index.html");
    assert!(sre.contains("<h3>Required reading</h3>"), "{sre}");
    // Dana acknowledged both; Eli (in grace) neither; Fay has left.
    assert!(
        sre.contains("Security policy</a> · acknowledged by 1 of 2 holders</li>"),
        "{sre}"
    );
    assert!(
        sre.contains("Paging</a> · acknowledged by 1 of 2 holders</li>"),
        "{sre}"
    );
    assert!(!t
        .read("team/roles/analyst/index.html")
        .contains("Required reading"));
}
