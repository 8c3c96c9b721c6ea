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
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<String>> {
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

/// A title written to break every format the report writes: a formula, quotes, the
/// separators of CSV and iCalendar, CR LF followed by iCalendar lines, Markdown, HTML, and
/// enough two- and four-byte characters to be folded in the middle.
const HOSTILE_TITLE: &str = "=HYPERLINK(\"http://evil\",\"x\"), \"quoted\"; back\\slash\r\n\
    END:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:forged | *bold* [link](x) <img src=x> `code` _u_ &amp; ~~s~~ \
    éééééééééééééééééééééééééééééééé😀😀😀😀😀😀😀😀😀😀";

/// A handbook whose every text is hostile: the handbook's title, people's names and emails,
/// document titles, ids and versions.
fn hostile() -> HandbookTest {
    let yaml = |s: &str| serde_json::to_string(s).unwrap();
    let doc = |title: &str, id: &str, owner: &str, version: &str, last: &str| {
        format!(
            "---\ntitle: {}\nkind: sop\nid: {}\nowner: {owner}\napprover: bo\nversion: {}\n\
             last_reviewed: {last}\nreview_every: 1 year\n---\n## Purpose\n\nx\n\n## Scope\n\ny\n\n\
             ## Procedure\n\nz\n",
            yaml(title),
            yaml(id),
            yaml(version)
        )
    };
    HandbookTest::empty()
        .file(
            "handbook.yaml",
            format!(
                "title: {}\nbase_url: {}\n",
                yaml("Ops\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR; Inc."),
                // Control characters are refused in `base_url`; `;` and `,` are not.
                yaml("https://intra.example.com/hb;X-EVIL:1,2")
            ),
        )
        .file(
            "data/team.yaml",
            format!(
                "people:\n  - id: ana\n    name: {}\n    email: {}\n  - id: bo\n    name: {}\n    email: bo@example.com\n",
                yaml("Ana \"The Boss\"; Lima:\r\nATTENDEE:mailto:x@evil.example"),
                yaml("ana@example.com\r\nATTENDEE:mailto:evil@example.com"),
                yaml("Bo | *Berg* [x](y) <b>_u_</b> `c`\u{7}"),
            ),
        )
        .file(
            "content/sops/a.md",
            doc(HOSTILE_TITLE, "@SOP|1`", "ana", "+1", "2025-01-10"),
        )
        .file(
            "content/sops/b.md",
            doc("Tab,\tinside", "-SOP-2", "bo", "-1", "2025-12-10"),
        )
}

/// A TEXT value of iCalendar as it was before escaping.
fn ics_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(c) => out.push(c),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[test]
fn hostile_text_stays_inside_its_calendar_values() {
    let t = hostile();
    let ics = report(&t, &["--format", "ics"]);
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.contains(['\r', '\n']), "{line:?}");
    }
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let cal = parser
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    assert!(parser.next().is_none(), "{ics}");
    let props = |props: &[ical::property::Property]| -> Vec<String> {
        props.iter().map(|p| p.name.clone()).collect()
    };
    let value = |props: &[ical::property::Property], name: &str| {
        let found: Vec<_> = props.iter().filter(|p| p.name == name).collect();
        assert_eq!(found.len(), 1, "{name} in {ics}");
        found[0].value.clone().unwrap()
    };
    assert_eq!(
        props(&cal.properties),
        ["VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME"]
    );
    assert_eq!(
        ics_unescape(&value(&cal.properties, "X-WR-CALNAME")),
        "Ops\nEND:VCALENDAR\nBEGIN:VCALENDAR; Inc. reviews"
    );
    assert_eq!(cal.events.len(), 2, "{ics}");
    let a = &cal.events[0].properties;
    // Ana's address would have added a line: she is left out as attendee, nothing else.
    assert_eq!(
        props(a),
        [
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "DESCRIPTION",
            "URL"
        ]
    );
    assert_eq!(
        ics_unescape(&value(a, "SUMMARY")),
        format!(
            "Review due: @SOP|1` {}",
            HOSTILE_TITLE.replace("\r\n", "\n")
        )
    );
    // The title is the summary's alone: the description does not say it again.
    assert_eq!(
        ics_unescape(&value(a, "DESCRIPTION")),
        "SOP. Owner: Ana \"The Boss\"; Lima:\nATTENDEE:mailto:x@evil.example (ana). \
         Source: content/sops/a.md."
    );
    assert_eq!(
        value(a, "URL"),
        "https://intra.example.com/hb;X-EVIL:1,2/sops/a/"
    );
    let b = &cal.events[1].properties;
    assert_eq!(
        props(b),
        [
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "DESCRIPTION",
            "URL",
            "ATTENDEE"
        ]
    );
    assert_eq!(value(b, "SUMMARY"), "Review due: -SOP-2 Tab\\,\tinside");
    let attendee = b.iter().find(|p| p.name == "ATTENDEE").unwrap();
    assert_eq!(attendee.value.as_deref(), Some("mailto:bo@example.com"));
    let cn = &attendee.params.as_ref().unwrap()[0];
    assert_eq!(cn.0, "CN");
    assert_eq!(cn.1, ["Bo | *Berg* [x](y) <b>_u_</b> `c`"]);
}

#[test]
fn hostile_text_stays_inside_its_register_fields() {
    let csv = report(&hostile(), &["--format", "csv"]);
    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows.iter().all(|r| r.len() == 11), "{rows:?}");
    // Formulas are shown as text: a leading `'`, the rest as it is.
    assert_eq!(rows[1][0], "'@SOP|1`");
    assert_eq!(rows[1][1], format!("'{HOSTILE_TITLE}"));
    assert_eq!(rows[1][3], "'+1");
    assert_eq!(rows[1][10], "content/sops/a.md");
    assert_eq!(rows[2][..4], ["'-SOP-2", "Tab,\tinside", "sop", "'-1"]);
}

#[test]
fn hostile_text_cannot_format_the_digest() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let md = report(&hostile(), &["--within", "1 year"]);
    let mut cells: Vec<String> = Vec::new();
    let mut headings: Vec<String> = Vec::new();
    let (mut in_cell, mut in_heading) = (false, false);
    for event in Parser::new_ext(&md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                cells.push(String::new());
            }
            Event::End(TagEnd::TableCell) => in_cell = false,
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                headings.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(s) | Event::Code(s) => {
                if in_cell {
                    cells.last_mut().unwrap().push_str(&s);
                } else if in_heading {
                    headings.last_mut().unwrap().push_str(&s);
                }
            }
            Event::Start(
                tag @ (Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::HtmlBlock),
            ) => panic!("{tag:?} in:\n{md}"),
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in:\n{md}"),
            _ => {}
        }
    }
    let one_line = |s: &str| s.replace(|c: char| c.is_control(), " ");
    assert_eq!(
        headings[2],
        format!(
            "{} (ana): 1 overdue, 0 due soon",
            one_line("Ana \"The Boss\"; Lima:\r\nATTENDEE:mailto:x@evil.example")
        )
    );
    assert_eq!(
        headings[3],
        "Bo | *Berg* [x](y) <b>_u_</b> `c`  (bo): 0 overdue, 1 due soon"
    );
    // Two tables of four columns: headers, then one row each.
    assert_eq!(cells.len(), 16, "{cells:?}\n{md}");
    assert_eq!(cells[4], "@SOP|1`");
    assert_eq!(
        cells[5],
        format!("{} (content/sops/a.md)", one_line(HOSTILE_TITLE))
    );
    assert_eq!(cells[12], "-SOP-2");
    assert_eq!(cells[13], "Tab, inside (content/sops/b.md)");
}

#[test]
fn a_sections_own_page_is_not_a_document() {
    // A folder's `_index.md` only introduces its section; one that declares a kind is governed.
    let t = handbook()
        .file("content/sops/_index.md", "# Procedures\n\nThe SOPs.\n")
        .file(
            "content/policies/_index.md",
            "---\ntitle: Policy framework\nkind: policy\nid: POL-000\nowner: ana\napprover: bo\n\
             last_reviewed: 2026-06-01\nreview_every: 1 year\n---\nHow policies work.\n",
        );
    let rows = parse_csv(&report(&t, &["--format", "csv"]));
    let paths: Vec<&str> = rows[1..].iter().map(|r| r[10].as_str()).collect();
    assert!(!paths.contains(&"content/sops/_index.md"), "{paths:?}");
    assert!(paths.contains(&"content/policies/_index.md"), "{paths:?}");
    assert_eq!(rows.len(), 8, "{paths:?}");
    let json: serde_json::Value = serde_json::from_str(&report(&t, &["--format", "json"])).unwrap();
    assert_eq!(json["overview"]["documents"], 7, "{json}");
    // Nor in the site's counts and lists.
    let t = t.build();
    let home = t.read("index.html");
    let none = &home[home.find(r#"data-review-count="none""#).unwrap()..];
    assert!(
        none.starts_with(r#"data-review-count="none"><span class="count">0</span>"#),
        "{none}"
    );
    let pages = t.read("documents/index.html");
    assert!(!pages.contains("documents/page/"), "{pages}");
}
