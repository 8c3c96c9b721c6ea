//! The rules of `check`: for each, a handbook that triggers it (asserting rule, file, line and
//! column) and its clean twin, the same handbook with the one problem fixed.

use crate::harness::{git, HandbookTest};

const TEAM: &str = "teams:
  - id: ops
    name: Operations
    lead: ana
people:
  - id: ana
    name: Ana Lima
    role: lead
    team: ops
    certifications:
      - name: ITIL
        expires: 2027-06-30
  - id: bo
    name: Bo Berg
    manager: ana
    team: ops
  - id: cy
    name: Cy Cole
    manager: ana
    left: 2026-05-01
roles:
  - id: lead
    title: Team Lead
    certifications: [ITIL]
";

const BODY: &str = "## Purpose\n\nWhy.\n\n## Scope\n\nWhat.\n\n## Procedure\n\nHow.\n";

/// A governed document: `kind` with the given front matter lines after `title` and `kind`
/// (so they start on line 4), then a body with the default SOP sections.
fn doc(kind: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: Doc\nkind: {kind}\n{front}---\n{body}")
}

/// The clean front matter every case starts from, one field per line (lines 4-8).
const CLEAN: &str =
    "id: SOP-001\nowner: ana\napprover: bo\nlast_reviewed: 2026-06-01\nreview_every: 1 year\n";

fn handbook(files: &[(&str, String)]) -> HandbookTest {
    let mut t = HandbookTest::empty().file("data/team.yaml", TEAM);
    for (path, text) in files {
        t = t.file(path, text);
    }
    t.build().assert_ok()
}

/// Builds `bad` and asserts a diagnostic of `rule` at `line:column` of `file` (with the given
/// severity), then builds `good` and asserts it is entirely clean.
fn case(
    rule: &str,
    severity: &str,
    (file, line, column): (&str, u32, u32),
    bad: &[(&str, String)],
    good: &[(&str, String)],
) -> HandbookTest {
    let t = handbook(bad);
    let d = t.diagnostic(rule, file, line, column);
    assert_eq!(d.severity.to_string(), severity, "{d}");
    handbook(good).assert_clean();
    t
}

fn sop(front: &str) -> Vec<(&'static str, String)> {
    vec![("content/sops/a.md", doc("sop", front, BODY))]
}

fn clean() -> Vec<(&'static str, String)> {
    sop(CLEAN)
}

#[test]
fn review_overdue_names_the_days_and_the_owner() {
    let bad = CLEAN.replace("2026-06-01", "2025-06-01");
    let t = case(
        "review-overdue",
        "error",
        ("content/sops/a.md", 7, 16),
        &sop(&bad),
        &clean(),
    );
    let d = t.diagnostic("review-overdue", "content/sops/a.md", 7, 16);
    assert!(
        d.message.contains("175 days") && d.message.contains("Ana Lima"),
        "{d}"
    );
    assert!(d
        .help
        .as_deref()
        .unwrap()
        .contains("last_reviewed: 2026-11-23"));
}

#[test]
fn review_due_soon_within_the_window() {
    let bad = CLEAN.replace("2026-06-01", "2025-12-10");
    let t = case(
        "review-due-soon",
        "warning",
        ("content/sops/a.md", 7, 16),
        &sop(&bad),
        &clean(),
    );
    let d = t.diagnostic("review-due-soon", "content/sops/a.md", 7, 16);
    assert!(d.message.contains("in 17 days, on 2026-12-10"), "{d}");
}

#[test]
fn review_missing_is_an_error_for_sops_and_a_warning_for_runbooks() {
    let bad = CLEAN.replace("last_reviewed: 2026-06-01\nreview_every: 1 year\n", "");
    case(
        "review-missing",
        "error",
        ("content/sops/a.md", 1, 1),
        &sop(&bad),
        &clean(),
    );
    let runbook = |front: &str| vec![("content/runbooks/r.md", doc("runbook", front, "Run.\n"))];
    case(
        "review-missing",
        "warning",
        ("content/runbooks/r.md", 1, 1),
        &runbook(&bad),
        &runbook(CLEAN),
    );
    // An interval without a last review: pointed at the interval.
    let no_date = CLEAN.replace("last_reviewed: 2026-06-01\n", "");
    let t = handbook(&sop(&no_date));
    t.diagnostic("review-missing", "content/sops/a.md", 7, 15);
    // A default interval for the kind counts.
    let no_interval = CLEAN.replace("review_every: 1 year\n", "");
    handbook(&sop(&no_interval)).diagnostic("review-missing", "content/sops/a.md", 7, 16);
    let mut with_default = sop(&no_interval);
    with_default.push(("handbook.yaml", "default_review:\n  sop: 1 year\n".into()));
    handbook(&with_default).assert_clean();
}

#[test]
fn review_dates_in_the_future_or_out_of_order_are_invalid() {
    let future = CLEAN.replace("2026-06-01", "2027-01-05");
    case(
        "review-date-invalid",
        "error",
        ("content/sops/a.md", 7, 16),
        &sop(&future),
        &clean(),
    );
    let order = format!("{CLEAN}review_by: 2026-05-01\n");
    case(
        "review-date-invalid",
        "error",
        ("content/sops/a.md", 9, 12),
        &sop(&order),
        &sop(&format!("{CLEAN}review_by: 2027-05-01\n")),
    );
}

#[test]
fn owner_missing() {
    case(
        "owner-missing",
        "error",
        ("content/sops/a.md", 1, 1),
        &sop(&CLEAN.replace("owner: ana\n", "")),
        &clean(),
    );
}

#[test]
fn owner_unknown_suggests_the_closest_id() {
    let t = case(
        "owner-unknown",
        "error",
        ("content/sops/a.md", 5, 8),
        &sop(&CLEAN.replace("owner: ana", "owner: anna")),
        &clean(),
    );
    let d = t.diagnostic("owner-unknown", "content/sops/a.md", 5, 8);
    assert_eq!(d.help.as_deref(), Some("did you mean `ana` (Ana Lima)?"));
    // Reviewers too.
    let t = handbook(&sop(&format!("{CLEAN}reviewers: [bo, zed]\n")));
    t.diagnostic("owner-unknown", "content/sops/a.md", 9, 12);
}

#[test]
fn owner_departed_names_their_manager() {
    let t = case(
        "owner-departed",
        "error",
        ("content/sops/a.md", 5, 8),
        &sop(&CLEAN.replace("owner: ana", "owner: cy")),
        &clean(),
    );
    let d = t.diagnostic("owner-departed", "content/sops/a.md", 5, 8);
    assert!(d.message.contains("left on 2026-05-01"), "{d}");
    assert_eq!(
        d.help.as_deref(),
        Some("their manager, Ana Lima (`ana`), is the natural new owner")
    );
}

#[test]
fn approver_missing_by_kind_and_as_configured() {
    let no_approver = CLEAN.replace("approver: bo\n", "");
    case(
        "approver-missing",
        "warning",
        ("content/sops/a.md", 1, 1),
        &sop(&no_approver),
        &clean(),
    );
    let policy = |front: &str| vec![("content/policies/p.md", doc("policy", front, "Rules.\n"))];
    case(
        "approver-missing",
        "error",
        ("content/policies/p.md", 1, 1),
        &policy(&no_approver),
        &policy(CLEAN),
    );
    // Runbooks need none by default; handbook.yaml can ask for one, or switch the rule off.
    let runbook_front = no_approver.replace("SOP-001", "RB-001");
    let runbook = || {
        (
            "content/runbooks/r.md",
            doc("runbook", &runbook_front, "Run.\n"),
        )
    };
    handbook(&[runbook()]).assert_clean();
    let t = handbook(&[
        runbook(),
        (
            "handbook.yaml",
            "rules:\n  approver-missing: {runbook: error, sop: off}\n".into(),
        ),
        ("content/sops/a.md", doc("sop", &no_approver, BODY)),
    ]);
    assert_eq!(t.rules(), ["approver-missing"], "{}", t.diagnostics_text());
    let d = t.diagnostic("approver-missing", "content/runbooks/r.md", 1, 1);
    assert!(d.is_error());
}

#[test]
fn duplicate_document_ids() {
    let second = ("content/sops/b.md", doc("sop", CLEAN, BODY));
    let t = case(
        "id-duplicate",
        "error",
        ("content/sops/b.md", 4, 5),
        &[clean().remove(0), second],
        &[
            clean().remove(0),
            (
                "content/sops/b.md",
                doc("sop", &CLEAN.replace("SOP-001", "SOP-002"), BODY),
            ),
        ],
    );
    let d = t.diagnostic("id-duplicate", "content/sops/b.md", 4, 5);
    assert!(d.message.contains("content/sops/a.md"), "{d}");
}

#[test]
fn section_missing_per_kind_as_configured() {
    let t = case(
        "section-missing",
        "warning",
        ("content/sops/a.md", 10, 1),
        &[(
            "content/sops/a.md",
            doc("sop", CLEAN, &BODY.replace("## Scope", "## Range")),
        )],
        &clean(),
    );
    assert_eq!(t.rules(), ["section-missing"]);
    // Headings compare without case and at any level; other kinds as configured.
    let lower = BODY.replace("## Scope", "### scope");
    handbook(&[("content/sops/a.md", doc("sop", CLEAN, &lower))]).assert_clean();
    let t = handbook(&[
        (
            "handbook.yaml",
            "required_sections:\n  policy: [Exceptions]\n  sop: []\n".into(),
        ),
        (
            "content/policies/p.md",
            doc("policy", &CLEAN.replace("SOP-001", "POL-001"), "Rules.\n"),
        ),
        ("content/sops/a.md", doc("sop", CLEAN, "Nothing.\n")),
    ]);
    assert_eq!(t.rules(), ["section-missing"]);
    t.diagnostic("section-missing", "content/policies/p.md", 10, 1);
}

#[test]
fn links_to_drafts_and_retired_documents() {
    let linking = |front: &str| {
        let body = format!("{BODY}\nSee [the other](b.md) and [its scope](b.md#scope).\n");
        ("content/sops/a.md", doc("sop", front, &body))
    };
    let other = |status: &str| {
        let front = format!("{}status: {status}\n", CLEAN.replace("SOP-001", "SOP-002"));
        ("content/sops/b.md", doc("sop", &front, BODY))
    };
    // Line 22 of a.md holds the links: 9 lines of front matter, 12 of BODY and a blank line.
    case(
        "link-to-draft",
        "warning",
        ("content/sops/a.md", 22, 5),
        &[linking(CLEAN), other("draft")],
        &[linking(CLEAN), other("active")],
    );
    case(
        "link-to-retired",
        "warning",
        ("content/sops/a.md", 22, 5),
        &[linking(CLEAN), other("retired")],
        &[linking(CLEAN), other("deprecated")],
    );
    // Built with the drafts, the draft is there: no warning.
    let mut t = HandbookTest::empty().file("data/team.yaml", TEAM);
    for (path, text) in [linking(CLEAN), other("draft")] {
        t = t.file(path, text);
    }
    let t = t.with_drafts().build();
    assert!(
        !t.rules().contains(&"link-to-draft"),
        "{}",
        t.diagnostics_text()
    );
    // A draft may link to a draft, and a retired document to a retired one.
    let draft = format!("{CLEAN}status: draft\n");
    handbook(&[linking(&draft), other("draft")]).assert_clean();
    let retired = format!("{CLEAN}status: retired\n");
    handbook(&[linking(&retired), other("retired")]).assert_clean();
}

#[test]
fn team_data_references_and_cycles() {
    let bad_team = TEAM.replace(
        "    manager: ana\n    team: ops",
        "    manager: anna\n    team: ops",
    );
    // At the value that names nobody, not at the entry.
    let t = case(
        "team-data-invalid",
        "error",
        ("data/team.yaml", 15, 14),
        &[("data/team.yaml", bad_team), clean().remove(0)],
        &clean(),
    );
    let d = t.diagnostic("team-data-invalid", "data/team.yaml", 15, 14);
    assert_eq!(d.help.as_deref(), Some("did you mean `ana`?"));
    // So is a team, a role or a lead that names nothing, and a manager given as `reports_to`.
    for (from, to, at) in [
        (
            "    role: lead\n    team: ops",
            "    role: lead\n    team: opps",
            (9, 11),
        ),
        ("    role: lead\n", "    role: leed\n", (8, 11)),
        ("    lead: ana\n", "    lead: anna\n", (4, 11)),
        (
            "    manager: ana\n    team",
            "    reports_to: anna\n    team",
            (15, 17),
        ),
    ] {
        let t = case(
            "team-data-invalid",
            "error",
            ("data/team.yaml", at.0, at.1),
            &[
                ("data/team.yaml", TEAM.replace(from, to)),
                clean().remove(0),
            ],
            &clean(),
        );
        assert_eq!(t.rules(), ["team-data-invalid"], "{}", t.diagnostics_text());
    }
    let cycle = TEAM.replace(
        "    role: lead\n    team: ops\n",
        "    role: lead\n    team: ops\n    manager: bo\n",
    );
    let t = handbook(&[("data/team.yaml", cycle), clean().remove(0)]);
    let d = t.diagnostic("team-data-invalid", "data/team.yaml", 6, 3);
    assert!(d.message.contains("ana → bo → ana"), "{d}");
    // Without a `teams:` list, a person's `team` is a plain label.
    let labels = TEAM.replace(
        "teams:\n  - id: ops\n    name: Operations\n    lead: ana\n",
        "",
    );
    handbook(&[("data/team.yaml", labels), clean().remove(0)]).assert_clean();
}

#[test]
fn certifications_expired_and_missing() {
    // At the date that passed.
    let expired = TEAM.replace("2027-06-30", "2026-06-30");
    case(
        "certification-expired",
        "warning",
        ("data/team.yaml", 12, 18),
        &[("data/team.yaml", expired), clean().remove(0)],
        &clean(),
    );
    let missing = TEAM.replace(
        "      - name: ITIL\n        expires: 2027-06-30\n",
        "      - name: CISSP\n",
    );
    case(
        "certification-missing",
        "warning",
        ("data/team.yaml", 6, 3),
        &[("data/team.yaml", missing), clean().remove(0)],
        &clean(),
    );
}

#[test]
fn team_data_values_that_do_not_read_are_reported_where_they_are_written() {
    for (from, to, at, message) in [
        (
            "expires: 2027-06-30",
            "expires: 2027-06-31",
            (12, 18),
            "certification `ITIL`: `2027-06-31` is not a real date",
        ),
        (
            "    manager: ana\n    left: 2026-05-01",
            "    manager: ana\n    left: May",
            (20, 11),
            "`left`: `May` is not a date in the form YYYY-MM-DD",
        ),
        (
            "    name: Bo Berg\n",
            "    name: Bo Berg\n    joined: 2026-02-30\n",
            (15, 13),
            "`joined`: `2026-02-30` is not a real date",
        ),
    ] {
        let t = case(
            "team-data-invalid",
            "error",
            ("data/team.yaml", at.0, at.1),
            &[
                ("data/team.yaml", TEAM.replace(from, to)),
                clean().remove(0),
            ],
            &clean(),
        );
        let d = t.diagnostic("team-data-invalid", "data/team.yaml", at.0, at.1);
        assert_eq!(d.message, message);
    }
}

#[test]
fn drafts_are_checked_but_not_for_what_they_cannot_have_yet() {
    // A draft with a broken link and no review date or approver: the link is reported.
    let draft = doc(
        "sop",
        "owner: ana\nstatus: draft\n",
        &format!("{BODY}\n[gone](gone.md)\n"),
    );
    let t = handbook(&[("content/sops/d.md", draft)]);
    assert_eq!(t.rules(), ["link-broken"], "{}", t.diagnostics_text());
}

#[test]
fn severities_can_be_changed_or_switched_off() {
    let mut files = sop(&CLEAN.replace("2026-06-01", "2025-12-10"));
    files.push((
        "handbook.yaml",
        "rules:\n  review-due-soon: error\n  certification-missing: off\n".into(),
    ));
    let t = handbook(&files);
    assert!(t
        .diagnostic("review-due-soon", "content/sops/a.md", 7, 16)
        .is_error());
    files.pop();
    files.push(("handbook.yaml", "rules:\n  review-due-soon: off\n".into()));
    handbook(&files).assert_clean();
}

#[test]
fn changed_since_review_from_git_history() {
    let t = handbook(&clean());
    let Some(()) = git(&t, &["init", "-q"], "2026-06-10") else {
        return;
    };
    // Added after its review (a handbook moved into git): arriving is not changing.
    git(&t, &["add", "-A"], "2026-06-10");
    git(&t, &["commit", "-qm", "Import"], "2026-06-10");
    let t = t.build().assert_clean();
    // A front-matter change after the review (a new version line) is not a change of substance.
    let t = t.file(
        "content/sops/a.md",
        doc("sop", &format!("{CLEAN}version: '2'\n"), BODY),
    );
    git(&t, &["commit", "-qam", "Version it"], "2026-07-01");
    let t = t.build().assert_clean();

    let body = BODY.replace("How.", "How, now with a new step.");
    let t = t.file(
        "content/sops/a.md",
        doc("sop", &format!("{CLEAN}version: '2'\n"), &body),
    );
    git(&t, &["commit", "-qam", "Add a step"], "2026-08-01");
    let t = t.build().assert_rules(&["changed-since-review"]);
    let d = t.diagnostic("changed-since-review", "content/sops/a.md", 7, 16);
    assert!(!d.is_error());
    assert!(
        d.message.contains("after its last review on 2026-06-01")
            && d.message
                .contains("(2 commits since, the newest on 2026-08-01 by Ana Lima)"),
        "{d}"
    );
    assert!(d.help.as_deref().unwrap().contains("\"Add a step\""), "{d}");

    // Reviewing it again clears the warning.
    let t = t.file(
        "content/sops/a.md",
        doc(
            "sop",
            &format!(
                "{}version: '2'\n",
                CLEAN.replace("2026-06-01", "2026-08-02")
            ),
            &body,
        ),
    );
    git(&t, &["commit", "-qam", "Reviewed again"], "2026-08-02");
    let t = t.build().assert_clean();

    // A review committed days after it, with a fix made during it, is not a change after it.
    let fixed = body.replace("a new step", "a new, clearer step");
    let t = t.file(
        "content/sops/a.md",
        doc(
            "sop",
            &format!(
                "{}version: '2'\n",
                CLEAN.replace("2026-06-01", "2026-08-20")
            ),
            &fixed,
        ),
    );
    git(&t, &["commit", "-qam", "Review, with a fix"], "2026-08-25");
    t.build().assert_clean();
}
