//! `handbook report`: the owner digest (markdown, json), the review calendar (ics, parsed back,
//! and published by `build` as reviews.ics) and the document register (csv, parsed back).

use crate::harness::{golden, HandbookTest, AS_OF};

const TEAM: &str = "people:
  - id: ana
    name: Ana Lima
    email: ana@example.com
    certifications:
      - name: CISSP
        expires: 2026-12-05
  - id: bo
    name: Bo Berg
";

fn doc(id: &str, title: &str, owner: &str, last: &str, extra: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nkind: sop\nid: {id}\nowner: {owner}\napprover: bo\n\
         last_reviewed: {last}\nreview_every: 1 year\n{extra}---\n## Purpose\n\nx\n\n## Scope\n\ny\n\n## Procedure\n\nz\n"
    )
}

/// As of 2026-11-23: two overdue (one long), one due in 17 days, one current, one retired
/// (overdue but not in force), one without an owner due soon.
fn handbook() -> HandbookTest {
    HandbookTest::empty()
        .file("handbook.yaml", "title: Ops, Inc.\n")
        .file("data/team.yaml", TEAM)
        .file(
            "content/sops/a.md",
            doc("SOP-001", "Backups", "ana", "2025-01-10", ""),
        )
        .file(
            "content/sops/b.md",
            doc("SOP-002", "Patching, monthly", "ana", "2025-10-01", ""),
        )
        .file(
            "content/sops/c.md",
            doc("SOP-003", "Keys", "bo", "2025-12-10", ""),
        )
        .file(
            "content/sops/d.md",
            doc("SOP-004", "Current", "bo", "2026-06-01", ""),
        )
        .file(
            "content/sops/e.md",
            doc("SOP-005", "Old", "bo", "2020-01-01", "status: retired\n"),
        )
        .file(
            "content/sops/f.md",
            doc("SOP-006", "Orphan", "ana", "2025-12-01", "").replace("owner: ana\n", ""),
        )
}

fn report(t: &HandbookTest, args: &[&str]) -> String {
    let mut all = vec!["report", "--as-of", AS_OF];
    all.extend_from_slice(args);
    let o = t.cli(&all);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn the_digest_lists_each_owner_oldest_first_with_a_summary() {
    let t = handbook();
    let md = report(&t, &[]);
    golden("report.md", &md);
    assert!(md.contains("- Most overdue: Ana Lima (2).\n"), "{md}");
    assert!(
        md.contains("- Certifications expiring: Ana Lima: CISSP on 2026-12-05.\n"),
        "{md}"
    );
    let ana = md
        .find("## Ana Lima (`ana`): 2 overdue, 0 due soon")
        .unwrap();
    let bo = md.find("## Bo Berg (`bo`): 0 overdue, 1 due soon").unwrap();
    let none = md.find("## No owner: 0 overdue, 1 due soon").unwrap();
    assert!(ana < bo && bo < none, "{md}");
    // Oldest first; the current and the retired documents are not listed.
    assert!(md.find("Backups").unwrap() < md.find("Patching").unwrap());
    assert!(!md.contains("| Current") && !md.contains("| Old"), "{md}");

    // A wider window takes in the current document too.
    let wide = report(&t, &["--within", "1 year"]);
    assert!(wide.contains("SOP-004"), "{wide}");
}

#[test]
fn the_digest_as_json() {
    let v: serde_json::Value =
        serde_json::from_str(&report(&handbook(), &["--format", "json"])).unwrap();
    assert_eq!(v["until"], "2026-12-23");
    assert_eq!(v["owners"][0]["id"], "ana");
    let docs = v["owners"][0]["documents"].as_array().unwrap();
    assert_eq!(docs[0]["id"], "SOP-001");
    assert_eq!(docs[0]["review"], "overdue");
    assert_eq!(docs[0]["days_left"], -317);
    assert_eq!(v["overview"]["documents"], 6);
    assert_eq!(v["overview"]["by_status"]["retired"], 1);
}

#[test]
fn the_calendar_parses_back_with_an_event_per_review() {
    let t = handbook();
    let ics = report(&t, &["--format", "ics"]);
    assert!(
        ics.lines().all(|l| l.len() <= 76),
        "unfolded line in:\n{ics}"
    );
    assert!(
        ics.split('\n').all(|l| l.is_empty() || l.ends_with('\r')),
        "CRLF line endings"
    );
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let cal = parser
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    assert!(parser.next().is_none());
    let prop = |props: &[ical::property::Property], name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(prop(&cal.properties, "VERSION"), "2.0");
    assert_eq!(prop(&cal.properties, "X-WR-CALNAME"), "Ops\\, Inc. reviews");
    // Every document in force with a review date: not the retired one.
    assert_eq!(cal.events.len(), 5);
    let backups = cal
        .events
        .iter()
        .find(|e| prop(&e.properties, "UID") == "sops/a.md@handbook")
        .unwrap();
    assert_eq!(prop(&backups.properties, "DTSTART"), "20260110");
    assert_eq!(prop(&backups.properties, "DTEND"), "20260111");
    assert_eq!(
        prop(&backups.properties, "SUMMARY"),
        "Review due: SOP-001 Backups"
    );
    let attendee = backups
        .properties
        .iter()
        .find(|p| p.name == "ATTENDEE")
        .unwrap();
    assert_eq!(attendee.value.as_deref(), Some("mailto:ana@example.com"));
    for e in &cal.events {
        for name in ["UID", "DTSTAMP", "DTSTART", "SUMMARY"] {
            prop(&e.properties, name);
        }
    }

    // `build` publishes it and the home page links to it.
    let t = t.build().assert_ok();
    assert_eq!(std::fs::read_to_string(t.out("reviews.ics")).unwrap(), ics);
    t.assert_contains(
        "index.html",
        r#"<a href="./reviews.ics" type="text/calendar" download>"#,
    );
}

/// Splits RFC 4180 CSV into rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn the_register_has_a_row_per_document() {
    let csv = report(&handbook(), &["--format", "csv"]);
    let rows = parse_csv(&csv);
    assert_eq!(
        rows[0],
        [
            "id",
            "title",
            "kind",
            "version",
            "status",
            "owner",
            "approver",
            "last_reviewed",
            "next_review",
            "review_status",
            "path"
        ]
    );
    assert_eq!(rows.len(), 7, "{csv}");
    assert!(rows[1..].iter().all(|r| r.len() == 11), "{csv}");
    let b = rows.iter().find(|r| r[0] == "SOP-002").unwrap();
    assert_eq!(b[1], "Patching, monthly");
    assert_eq!(
        b[7..],
        ["2025-10-01", "2026-10-01", "overdue", "content/sops/b.md"]
    );
}
