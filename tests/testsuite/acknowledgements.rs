//! Required reading and acknowledgements: who must read which documents in force, and who is
//! late to acknowledge the version in force (`acknowledgement-missing`), or names nothing
//! (`acknowledgement-unknown`).

use handbook::dates::Day;

use crate::harness::{Browser, HandbookTest};

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
        d.message.starts_with("1 of 2 required readers are late to acknowledge version 3 in force: Dana Reyes (`dana`, sre, due 2026-10-01, read version 2)"),
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
    // A version the policy has not had (it is at 3), at the version.
    let later = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"4\", date: 2026-09-10}\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n",
    )
    .build()
    .assert_rules(&["acknowledgement-missing", "acknowledgement-unknown"]);
    let version = later.diagnostic(
        "acknowledgement-unknown",
        "data/acknowledgements.yaml",
        2,
        48,
    );
    assert_eq!(
        version.message,
        "version `4` of `POL-001` is later than its version in force, 3"
    );
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

/// Runs `handbook acknowledge ARGS --root <root>`.
fn acknowledge(t: &HandbookTest, args: &[&str]) -> std::process::Output {
    let root = t.root.to_str().unwrap().to_string();
    let mut all = vec!["acknowledge"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--root", &root]);
    t.cli(&all)
}

#[test]
fn records_count_only_when_they_acknowledge_the_text_in_force() {
    // "3.0" is version 3; a record without a date, or dated after the as-of day, counts for
    // nothing; Hal joins next year and owes nothing yet.
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"3.0\", date: 2026-09-10}\n  - {person: dana, document: content/paging.md}\n  - {person: eli, document: content/paging.md, date: 2026-12-01}\n",
    )
    .file(
        "data/later.yml",
        "people:\n  - {id: hal, name: Hal Berg, role: sre, team: infra, joined: 2027-01-05}\n",
    )
    .build()
    .assert_rules(&["acknowledgement-missing", "team-data-invalid"]);
    assert!(t
        .diagnostic("team-data-invalid", "data/acknowledgements.yaml", 3, 3)
        .message
        .contains("needs the `date`"));
    let paging = t.diagnostic("acknowledgement-missing", "content/paging.md", 1, 1);
    assert_eq!(
        paging.message,
        "1 of 2 required readers are late to acknowledge the text in force: Dana Reyes (`dana`, sre, due 2026-10-31)"
    );
    assert!(!t
        .diagnostics
        .iter()
        .any(|d| d.file.ends_with("security-policy.md")));

    // Renewed every year: a record from before a text without a version took effect is no
    // acknowledgement of it, and does not put off the day it is due.
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"3\", date: 2026-09-10}\n  - {person: dana, document: content/paging.md, date: 2026-09-01}\n",
    )
    .file("handbook.yaml", "reacknowledge_every: 1 year\n")
    .build()
    .assert_rules(&["acknowledgement-missing"]);
    let paging = t.diagnostic("acknowledgement-missing", "content/paging.md", 1, 1);
    assert!(
        paging
            .message
            .ends_with("Dana Reyes (`dana`, sre, due 2026-10-31, last acknowledged 2026-09-01)"),
        "{}",
        paging.message
    );
}

#[test]
fn required_reading_keyed_by_nobody_or_selecting_nothing_is_reported() {
    let t = handbook("acknowledgements: []\n")
        .file(
            "handbook.yaml",
            "required_reading:\n  infrastruture: [POL-001]\n  infra: [tag:nosuch]\n",
        )
        .build()
        .assert_rules(&["acknowledgement-missing", "acknowledgement-unknown"]);
    let messages: Vec<&str> = (t.diagnostics.iter())
        .filter(|d| d.rule == "acknowledgement-unknown")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "required reading for `infrastruture`: that is neither `everyone` nor a team id; did you mean `infra`?",
            "required reading `tag:nosuch` of `infra`: no document in force has this tag",
        ]
    );
}

#[test]
fn the_acknowledge_command_renews_a_lapsed_record_and_names_a_document_once() {
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"3\", date: 2025-09-10}\n",
    )
    .file("handbook.yaml", "reacknowledge_every: 1 year\n");
    let o = acknowledge(&t, &["dana", "POL-001", "--date", "2026-11-23"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("recorded in"));
    // Three spellings of one path: one record.
    let o = acknowledge(
        &t,
        &[
            "dana",
            "./content/paging.md",
            "content/paging.md",
            "content/./paging.md",
            "--date",
            "2026-11-23",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = std::fs::read_to_string(t.root.join("data/acknowledgements.yaml")).unwrap();
    assert_eq!(file.matches("paging.md").count(), 1, "{file}");
    assert_eq!(file.matches("POL-001").count(), 2, "{file}");
    // A day still to come is refused.
    let o = acknowledge(&t, &["dana", "POL-001", "--date", "2999-01-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("in the future"));
}

#[test]
fn the_acknowledge_command_never_changes_how_a_file_reads() {
    let record = "{person: dana, document: POL-001, version: \"3\", date: 2026-11-23}";
    // A byte-order mark and a quoted key: appended to, and read back.
    let t = handbook("\u{feff}\"acknowledgements\":\n  - {person: eli, document: POL-001, version: \"3\", date: 2026-11-21}\n");
    let o = acknowledge(&t, &["dana", "POL-001", "--date", "2026-11-23"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = t.root.join("data/acknowledgements.yaml");
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .ends_with(&format!("  - {record}\n")));
    t.build().assert_rules(&["acknowledgement-missing"]);

    // A mapping where a list belongs: refused, the records to add said, the file untouched.
    let before = "acknowledgements:\n  eli-1: {person: eli, document: POL-001, date: 2026-11-21}\n";
    let t = handbook(before);
    let o = acknowledge(&t, &["dana", "POL-001", "--date", "2026-11-23"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("add them by hand") && err.contains(record),
        "{err}"
    );
    let file = t.root.join("data/acknowledgements.yaml");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);

    // A read-only file stays as it is.
    let before = "acknowledgements: []\n";
    let t = handbook(before);
    let file = t.root.join("data/acknowledgements.yaml");
    let mut mode = std::fs::metadata(&file).unwrap().permissions();
    mode.set_readonly(true);
    std::fs::set_permissions(&file, mode).unwrap();
    let o = acknowledge(&t, &["dana", "POL-001", "--date", "2026-11-23"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("read-only"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
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
fn the_report_says_who_owes_what_and_how_far_each_document_is_read() {
    // Dana read version 2 of the policy (late) and the SOP; Eli, in grace, owes both.
    let t = handbook(
        "acknowledgements:\n  - {person: dana, document: POL-001, version: \"2\", date: 2025-03-01}\n  - {person: dana, document: content/paging.md, date: 2026-10-02}\n",
    );
    let report = |format: &str| t.report(format);
    let md = report("markdown");
    for line in [
        "- Required reading: 1 of 4 acknowledgements current, 2 due, 1 late.",
        "## Required reading",
        "| POL-001 | Security policy (`content/security-policy.md`) | 3 | 0 of 2 | 1 | 1 |",
        "|  | Paging (`content/paging.md`) |  | 1 of 2 | 1 | 0 |",
        "| Dana Reyes (`dana`, sre) | POL-001 Security policy | late (read version 2) | 2026-10-01 |",
        "| Eli Moss (`eli`, sre) | POL-001 Security policy | due | 2026-12-20 |",
        "| Eli Moss (`eli`, sre) | Paging (`content/paging.md`) | due | 2026-12-20 |",
    ] {
        assert!(md.lines().any(|l| l == line), "{line}\n{md}");
    }
    // The policy, with a late reader, comes first; Dana, late, before Eli.
    assert!(md.find("| POL-001 | Security").unwrap() < md.find("|  | Paging").unwrap());
    assert!(md.find("| Dana Reyes").unwrap() < md.find("| Eli Moss").unwrap());

    let json: serde_json::Value = serde_json::from_str(&report("json")).unwrap();
    let reading = &json["reading"];
    assert_eq!(
        reading["documents"][0],
        serde_json::json!({"id": "POL-001", "title": "Security policy", "version": "3",
            "file": "content/security-policy.md", "readers": 2, "current": 0, "due": 1, "late": 1})
    );
    assert_eq!(reading["people"][0]["person"], "dana");
    assert_eq!(
        reading["people"][0]["documents"],
        serde_json::json!([{"id": "POL-001", "title": "Security policy",
            "file": "content/security-policy.md", "status": "late",
            "due_by": "2026-10-01", "read_version": "2"}])
    );
    assert_eq!(
        reading["people"][1]["documents"].as_array().unwrap().len(),
        2
    );
    assert_eq!(reading["people"].as_array().unwrap().len(), 2, "{reading}");

    // Without required reading, the digest says nothing of it.
    let quiet = HandbookTest::empty()
        .file("content/a.md", "---\nkind: page\n---\n# A\n")
        .cli(&["report", "--as-of", crate::harness::AS_OF]);
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("Required reading"));
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
    assert!(policy.contains(r#"Dana Reyes</a> <span class="acknowledgement-due is-late" data-due="2026-10-01">was due by <time>2026-10-01"#), "{policy}");
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
        dana.contains(r#"Security policy</a> · <span class="acknowledgement-due is-late" data-due="2026-10-01">was due by"#),
        "{dana}"
    );
    assert!(
        dana.contains(
            r#"Paging</a> · <span class="acknowledgement-current">acknowledged <time>2026-10-02"#
        ),
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

#[test]
fn the_readers_browser_counts_acknowledgements_on_their_date() {
    let Some(browser) = Browser::start("the_readers_browser_counts_acknowledgements_on_their_date")
    else {
        return;
    };
    // Built 100 days ago; renewed every 200 days. Dana's acknowledgement was current then and
    // lapsed 50 days ago (due again 20 days ago); Gus's lapses in 50 days; Eli was in his grace
    // period then, and it ended 80 days ago.
    let today = Day::today();
    let day = |days: i64| today.plus_days(days).unwrap().to_string();
    let built = day(-100);
    let t = HandbookTest::empty()
        .file(
            "data/people.yml",
            format!(
                "people:
  - {{id: dana, name: Dana Reyes, role: sre, joined: 2020-01-10}}
  - {{id: gus, name: Gus Park, role: sre, joined: 2020-02-01}}
  - {{id: eli, name: Eli Moss, role: sre, joined: {}}}
roles:
  - {{id: sre, title: SRE, required_reading: [POL-001]}}
acknowledgements:
  - {{person: dana, document: POL-001, version: \"3\", date: {}}}
  - {{person: gus, document: POL-001, version: \"3\", date: {}}}
",
                day(-110),
                day(-250),
                day(-150)
            ),
        )
        .file("handbook.yaml", "reacknowledge_every: 200 days\n")
        .file(
            "content/policy.md",
            "---\nid: POL-001\nkind: page\nversion: \"3\"\neffective: 2020-01-01\n---\n# Security policy\n",
        )
        .built_as_of(&built)
        .build();
    let policy = t.read("policy/index.html");
    assert!(
        policy.contains("Acknowledged by <strong data-lapses=\""),
        "{policy}"
    );
    assert!(
        policy.contains(">2</strong> of 3 required readers"),
        "{policy}"
    );

    let read = |page: &str, script: &str| {
        browser.open_file(&t.out(page));
        browser.eval(script)
    };
    // Dana now owes it again (shown), late; Eli is late; Gus's still counts.
    assert_eq!(
        read(
            "policy/index.html",
            "var items = document.querySelectorAll('.acknowledgements-outstanding li');
             return [document.querySelector('.acknowledgements strong').textContent,
                     Array.prototype.filter.call(items, function (li) { return !li.hidden; })
                       .map(function (li) { return li.textContent.replace(/\\s+/g, ' ').trim(); })];"
        ),
        serde_json::json!([
            "1",
            [
                format!("Dana Reyes was due by {}", day(-20)),
                format!("Eli Moss was due by {}", day(-80)),
            ]
        ])
    );
    assert_eq!(
        read(
            "team/people/dana/index.html",
            "var li = document.querySelector('.required-reading li');
             var late = li.querySelector('.acknowledgement-due');
             return [li.querySelector('.acknowledgement-current').hidden,
                     late.closest('[data-from]').hidden, late.classList.contains('is-late'),
                     late.textContent];"
        ),
        serde_json::json!([true, false, true, format!("was due by {}", day(-20))])
    );
    assert_eq!(
        read(
            "team/people/gus/index.html",
            "var li = document.querySelector('.required-reading li');
             return [li.querySelector('.acknowledgement-current').hidden,
                     li.querySelector('[data-from]').hidden];"
        ),
        serde_json::json!([false, true])
    );
    assert_eq!(
        read(
            "team/roles/sre/index.html",
            "return document.querySelector('.required-reading li').textContent
               .replace(/\\s+/g, ' ').trim();"
        ),
        serde_json::json!("Security policy · acknowledged by 1 of 3 holders")
    );
}
