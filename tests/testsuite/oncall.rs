//! On-call rotations: gaps in coverage (`oncall-gap`), members without a required
//! certification (`oncall-unqualified`), more than two shifts in a row (`oncall-overload`) and
//! names of nothing (`oncall-unknown`), each triggered and cleared by its twin. Built as of
//! Monday 2026-11-23: the horizon runs to 2027-02-21.

use crate::harness::HandbookTest;

const PEOPLE: &str = "people:
  - id: ben
    name: Ben Ortiz
    team: platform
    certifications: [{name: on-call-basics, expires: 2027-06-01}]
  - id: cleo
    name: Cleo Wu
    team: platform
    certifications: [{name: on-call-basics, expires: 2027-06-01}]
  - id: dana
    name: Dana Reyes
    team: platform
    certifications: [{name: on-call-basics, expires: 2027-06-01}]
  - id: amara
    name: Amara Okafor
    team: platform
teams:
  - {id: platform, name: Platform}
";

/// A weekly rota of Ben, Cleo and Dana from Monday 2026-11-02 09:00 London time; `extra` is
/// more of its fields, `people` replaces lines of the people.
fn rota(extra: &str, people: &[(&str, &str)]) -> HandbookTest {
    let mut data = PEOPLE.to_string();
    for (from, to) in people {
        assert!(data.contains(from), "{from}");
        data = data.replace(from, to);
    }
    HandbookTest::empty()
        .file("data/team.yaml", data)
        .file(
            "data/oncall.yaml",
            format!(
                "rotations:\n  - id: platform-primary\n    name: Platform primary\n    team: platform\n    timezone: Europe/London\n    start: 2026-11-02 09:00\n    shift: 1 week\n    requires: [on-call-basics]\n{extra}"
            ),
        )
        .file("content/paging.md", "---\nkind: page\noncall: platform-primary\n---\n# Paging\n")
}

const MEMBERS: &str = "    members: [ben, cleo, dana]\n";

/// The messages of `rule`'s findings, each at the rotation's entry.
fn messages(t: &HandbookTest, rule: &str) -> Vec<String> {
    (t.diagnostics.iter())
        .filter(|d| d.rule == rule)
        .inspect(|d| assert_eq!((d.line, d.column), (2, 3), "{}", d.message))
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn a_rota_everyone_can_keep_is_clean() {
    rota(MEMBERS, &[]).build().assert_clean();
}

#[test]
fn the_turns_of_a_member_who_left_are_gaps_until_an_override_covers_them() {
    let left = (
        "    name: Dana Reyes\n",
        "    name: Dana Reyes\n    left: 2026-12-01\n",
    );
    let t = rota(MEMBERS, &[left]).build().assert_rules(&["oncall-gap"]);
    let gaps = messages(&t, "oncall-gap");
    assert_eq!(
        gaps,
        [
            "2026-12-07 09:00 to 2026-12-14 09:00: nobody on call for `platform-primary` (Dana Reyes (`dana`) left on 2026-12-01)",
            "2026-12-28 09:00 to 2027-01-04 09:00: nobody on call for `platform-primary` (Dana Reyes (`dana`) left on 2026-12-01)",
            "2027-01-18 09:00 to 2027-01-25 09:00: nobody on call for `platform-primary` (Dana Reyes (`dana`) left on 2026-12-01)",
            "2027-02-08 09:00 to 2027-02-15 09:00: nobody on call for `platform-primary` (Dana Reyes (`dana`) left on 2026-12-01)",
        ]
    );
    // `report` says the same, in its summary and its own section, and as JSON.
    let report = |format: &str| t.report(format);
    let md = report("markdown");
    for line in [
        "- On-call coverage over the next 90 days: 4 gaps and 0 unqualified members in 1 rotation.",
        "## On-call coverage, next 90 days",
        "### Platform primary (`platform-primary`), Europe/London",
        "- Gap 2026-12-07 09:00 to 2026-12-14 09:00: Dana Reyes left on 2026-12-01.",
    ] {
        assert!(md.lines().any(|l| l == line), "{line}\n{md}");
    }
    let json: serde_json::Value = serde_json::from_str(&report("json")).unwrap();
    assert_eq!(
        json["oncall"][0]["gaps"].as_array().unwrap().len(),
        4,
        "{json}"
    );
    assert_eq!(json["oncall"][0]["gaps"][0]["from"], "2026-12-07 09:00");
    // Amara takes the first of them: one gap fewer.
    let covered = format!(
        "{MEMBERS}    overrides:\n      - {{from: 2026-12-07 09:00, to: 2026-12-14 09:00, person: amara}}\n"
    );
    let t = rota(&covered, &[left]).build();
    assert_eq!(messages(&t, "oncall-gap").len(), 3);
    assert!(!messages(&t, "oncall-gap")[0].starts_with("2026-12-07"));
}

#[test]
fn an_absence_is_a_gap_unless_an_override_covers_it() {
    let away = (
        "    name: Ben Ortiz\n",
        "    name: Ben Ortiz\n    absences: [{from: 2026-12-15, to: 2026-12-17}]\n",
    );
    let t = rota(MEMBERS, &[away]).build().assert_rules(&["oncall-gap"]);
    assert_eq!(
        messages(&t, "oncall-gap"),
        ["2026-12-15 00:00 to 2026-12-18 00:00: nobody on call for `platform-primary` (Ben Ortiz (`ben`) is away)"]
    );
    let covered = format!(
        "{MEMBERS}    overrides:\n      - {{from: 2026-12-15, to: 2026-12-18, person: amara}}\n"
    );
    // No gap: only that Amara lacks the certification the rota requires.
    rota(&covered, &[away])
        .build()
        .assert_rules(&["oncall-unqualified"]);
    // An override naming someone who is away is no cover.
    let amara_away = (
        "    name: Amara Okafor\n",
        "    name: Amara Okafor\n    absences: [{from: 2026-12-01, to: 2026-12-31}]\n",
    );
    let t = rota(&covered, &[away, amara_away]).build();
    assert_eq!(
        messages(&t, "oncall-gap"),
        ["2026-12-15 00:00 to 2026-12-18 00:00: nobody on call for `platform-primary` (Amara Okafor (`amara`) is away)"]
    );
}

#[test]
fn business_hours_need_cover_only_on_weekdays_from_nine_to_five() {
    let left = (
        "    name: Dana Reyes\n",
        "    name: Dana Reyes\n    left: 2026-12-01\n",
    );
    let extra = format!("{MEMBERS}    coverage: business-hours\n");
    let t = rota(&extra, &[left]).build().assert_rules(&["oncall-gap"]);
    let gaps = messages(&t, "oncall-gap");
    // Dana's week from Monday 7 December: five working days, then her later weeks.
    assert_eq!(gaps.len(), 4 * 5, "{gaps:#?}");
    assert!(
        gaps[0].starts_with("2026-12-07 09:00 to 2026-12-07 17:00: "),
        "{}",
        gaps[0]
    );
    assert!(
        gaps[4].starts_with("2026-12-11 09:00 to 2026-12-11 17:00: "),
        "{}",
        gaps[4]
    );
    // The calendar has each on call in the working hours of their week only (Dana's under
    // way as the horizon opens, from its start), and the gaps.
    let events = events(&t.read("oncall/platform-primary.ics"));
    let first: Vec<(&str, &str, &str)> = (events.iter().take(3))
        .map(|e| {
            (
                e["SUMMARY"].as_str(),
                e["DTSTART"].as_str(),
                e["DTEND"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [
            (
                "On call: Dana Reyes (Platform primary)",
                "20261116T090000Z",
                "20261116T170000Z"
            ),
            (
                "On call: Dana Reyes (Platform primary)",
                "20261117T090000Z",
                "20261117T170000Z"
            ),
            (
                "On call: Dana Reyes (Platform primary)",
                "20261118T090000Z",
                "20261118T170000Z"
            ),
        ]
    );
    assert!(events
        .iter()
        .any(|e| e["SUMMARY"] == "Nobody on call: Platform primary"
            && e["DTSTART"] == "20261207T090000Z"
            && e["DTEND"] == "20261207T170000Z"));
    // Overnight windows instead (the days as a list): the weekday nights of her weeks.
    let extra =
        format!("{MEMBERS}    windows: [{{days: [mon, tue, wed, thu, fri], from: \"18:00\", to: \"08:00\"}}]\n");
    let t = rota(&extra, &[left]).build();
    let gaps = messages(&t, "oncall-gap");
    assert!(
        gaps[0].starts_with("2026-12-07 18:00 to 2026-12-08 08:00: "),
        "{}",
        gaps[0]
    );
    // Friday night runs into Saturday morning, which her turn still holds.
    assert!(
        gaps[4].starts_with("2026-12-11 18:00 to 2026-12-12 08:00: "),
        "{}",
        gaps[4]
    );
}

#[test]
fn a_rotation_that_has_not_started_promises_nothing_yet() {
    let t = rota(MEMBERS, &[])
        .file(
            "data/oncall.yaml",
            "rotations:\n  - {id: platform-primary, start: 2027-01-04 09:00, shift: 2 weeks, members: [ben, cleo]}\n",
        )
        .build()
        .assert_clean();
    // Its page says nobody is on call before then, and that nobody needs to be.
    let page = t.read("team/rotations/platform-primary/index.html");
    assert!(
        page.contains(r#"<tr><td><time datetime="2026-11-23T00:00:00">2026-11-23 00:00</time></td><td><time datetime="2027-01-04T09:00:00">2027-01-04 09:00</time></td><td><span class="oncall-off">nobody (before its first hand-off; no cover required)</span></td></tr>"#),
        "{page}"
    );
}

#[test]
fn a_rotation_without_members_is_one_gap_over_the_horizon() {
    let t = rota("    members: []\n", &[])
        .build()
        .assert_rules(&["oncall-gap"]);
    assert_eq!(
        messages(&t, "oncall-gap"),
        ["2026-11-23 00:00 to 2027-02-21 00:00: nobody on call for `platform-primary` (the rotation has no members)"]
    );
}

#[test]
fn a_member_on_call_after_a_required_certification_expires_is_named_once() {
    let expiring = (
        "    name: Cleo Wu\n    team: platform\n    certifications: [{name: on-call-basics, expires: 2027-06-01}]\n",
        "    name: Cleo Wu\n    team: platform\n    certifications: [{name: on-call-basics, expires: 2026-12-10}]\n",
    );
    let t = rota(MEMBERS, &[expiring])
        .build()
        .assert_rules(&["oncall-unqualified"]);
    assert_eq!(
        messages(&t, "oncall-unqualified"),
        ["Cleo Wu (`cleo`) is on call for `platform-primary` whose on-call-basics expired on 2026-12-10, first from 2026-12-21 09:00 to 2026-12-28 09:00"]
    );
    // Amara, who never held it, covering a day.
    let extra = format!(
        "{MEMBERS}    overrides:\n      - {{from: 2026-11-25 09:00, to: 2026-11-26 09:00, person: amara}}\n"
    );
    let t = rota(&extra, &[])
        .build()
        .assert_rules(&["oncall-unqualified"]);
    assert_eq!(
        messages(&t, "oncall-unqualified"),
        ["Amara Okafor (`amara`) is on call for `platform-primary` without on-call-basics, first from 2026-11-25 09:00 to 2026-11-26 09:00"]
    );
}

#[test]
fn three_shifts_in_a_row_are_overload() {
    let two = "    members: [ben, cleo]\n";
    rota(two, &[]).build().assert_clean();
    // Ben takes Cleo's week between two of his own.
    let extra = format!(
        "{two}    overrides:\n      - {{from: 2026-12-07 09:00, to: 2026-12-14 09:00, person: ben}}\n"
    );
    let t = rota(&extra, &[]).build().assert_rules(&["oncall-overload"]);
    assert_eq!(
        messages(&t, "oncall-overload"),
        ["Ben Ortiz (`ben`) is on call for `platform-primary` 3 shifts in a row, from 2026-11-30 09:00 to 2026-12-21 09:00"]
    );
}

#[test]
fn names_of_nothing_are_reported_where_they_are_written() {
    let t = rota(
        "    members: [ben, cleo, dnaa]\n    escalates_to: platform-secondry\n",
        &[],
    )
    .file(
        "data/more.yaml",
        "rotations:\n  - {id: platform-secondary, team: platfrom, start: 2026-11-02 09:00, shift: 1 week, members: [amara, ben]}\n",
    )
    .file("content/runbook.md", "---\nkind: page\noncall: platform-primry\n---\n# Runbook\n")
    .build()
    .assert_rules(&["oncall-gap", "oncall-unknown"]);
    let unknown = |file: &str, line: u32, column: u32| {
        t.diagnostic("oncall-unknown", file, line, column)
            .message
            .clone()
    };
    assert_eq!(
        unknown("data/oncall.yaml", 9, 14),
        "`dnaa`, a member of `platform-primary`, is not in the team data; did you mean `dana`?"
    );
    assert_eq!(
        unknown("data/oncall.yaml", 10, 19),
        "`platform-secondry`, the next tier of `platform-primary`, is no rotation; did you mean `platform-secondary`?"
    );
    assert_eq!(
        unknown("data/more.yaml", 2, 36),
        "`platfrom`, the team of `platform-secondary`, is not in the team data; did you mean `platform`?"
    );
    assert_eq!(
        unknown("content/runbook.md", 3, 9),
        "`platform-primry` is no on-call rotation of the team data; did you mean `platform-primary`?"
    );
    // Its twin, every name right: nothing to say.
    rota(
        "    members: [ben, cleo, dana]\n    escalates_to: platform-secondary\n",
        &[],
    )
    .file(
        "data/more.yaml",
        "rotations:\n  - {id: platform-secondary, team: platform, start: 2026-11-02 09:00, shift: 1 week, members: [ben, cleo]}\n",
    )
    .file("content/runbook.md", "---\nkind: page\noncall: platform-primary\n---\n# Runbook\n")
    .build()
    .assert_clean();
    // Two ids that would share a page and a calendar: the second is reported at its id and
    // has neither.
    let twins = rota(MEMBERS, &[])
        .file(
            "data/zz.yaml",
            "rotations:\n  - {id: Platform-Primary, start: 2026-11-02 09:00, shift: 1 week, members: [amara, ben]}\n",
        )
        .build()
        .assert_rules(&["team-data-invalid"]);
    let clash = twins.diagnostic("team-data-invalid", "data/zz.yaml", 2, 10);
    assert!(clash.message.contains("rotation `Platform-Primary` would have the page and calendar of rotation `platform-primary`"), "{}", clash.message);
    let ics = twins.read("oncall/platform-primary.ics");
    assert!(
        ics.contains("Platform primary") && !ics.contains("Amara"),
        "{ics}"
    );
    // The unknown member's turns are gaps too.
    let gaps = messages(&t, "oncall-gap");
    assert!(
        gaps[0].starts_with("2026-11-23 00:00 to 2026-11-23 09:00: ")
            && gaps[0].ends_with("(`dnaa` is not in the team data)"),
        "{gaps:#?}"
    );
}

#[test]
fn a_rotation_has_a_page_and_every_page_naming_it_says_who_is_on_call() {
    let dana = (
        "    name: Dana Reyes\n",
        "    name: Dana Reyes\n    phone: \"+44 7700 900123\"\n    chat: \"@dana\"\n",
    );
    let ben = (
        "    name: Ben Ortiz\n",
        "    name: Ben Ortiz\n    left: 2026-12-01\n",
    );
    let t = rota(
        "    members: [ben, cleo, dana]\n    escalates_to: platform-secondary\n",
        &[dana, ben],
    )
    .file(
        "data/more.yaml",
        "rotations:\n  - {id: platform-secondary, name: Platform secondary, team: platform, coverage: business-hours, start: 2026-11-02 09:00, shift: 1 week, members: [amara, cleo]}\n",
    )
    .build();
    // As the build day began, Dana held the rotation (her week from 16 November).
    let paging = t.read("paging/index.html");
    assert!(
        paging.contains(r#"<section class="oncall-now" aria-label="On call now" data-oncall=""#),
        "{paging}"
    );
    assert!(
        paging.contains(r#"On call at <time class="oncall-when" datetime="2026-11-23T00:00:00">2026-11-23 00:00 Europe/London</time>:</strong> <span class="oncall-who"><a href="../team/people/dana/index.html">Dana Reyes</a> · <a class="oncall-phone" href="tel:+447700900123">+44 7700 900123</a> · <span class="oncall-chat">@dana</span></span>"#),
        "{paging}"
    );
    assert!(paging.contains(r#"<a href="../team/rotations/platform-primary/index.html">Platform primary</a> · next tier: <a href="../team/rotations/platform-secondary/index.html">Platform secondary</a>"#), "{paging}");

    let page = t.read("team/rotations/platform-primary/index.html");
    for needle in [
        "<dt>Coverage</dt><dd>24x7</dd>",
        "<dt>Time zone</dt><dd>Europe/London</dd>",
        "<dt>Shift</dt><dd>1 week, hand-offs from 2026-11-02 09:00</dd>",
        "<dt>Required certifications</dt><dd>on-call-basics</dd>",
        // Ben's week from 14 December comes after he has left: a gap, marked.
        r#"<tr class="oncall-gap"><td><time datetime="2026-12-14T09:00:00">2026-12-14 09:00</time></td><td><time datetime="2026-12-21T09:00:00">2026-12-21 09:00</time></td><td><span class="oncall-nobody">nobody (uncovered: Ben Ortiz left on 2026-12-01)</span></td></tr>"#,
        "<h2 id=\"gaps-title\">Gaps in the next 90 days</h2>",
        r#"<a href="../../../oncall/platform-primary.ics" type="text/calendar" download>Shift calendar</a>"#,
    ] {
        assert!(page.contains(needle), "{needle}\n{page}");
    }
    // The shift calendar: one event per stretch, at its instants in UTC (London is on
    // GMT in winter), the gaps too; Dana's week, under way as the horizon opens, first:
    // from her hand-off, so the same event in every build of her week.
    let ics = t.read("oncall/platform-primary.ics");
    let events = events(&ics);
    assert_eq!(
        events[0]["SUMMARY"],
        "On call: Dana Reyes (Platform primary)"
    );
    assert_eq!(
        events[0]["UID"],
        format!("platform-primary-{}@handbook", 1_794_819_600)
    );
    assert_eq!(
        (events[0]["DTSTART"].as_str(), events[0]["DTEND"].as_str()),
        ("20261116T090000Z", "20261123T090000Z")
    );
    assert!(events
        .iter()
        .any(|e| e["SUMMARY"] == "Nobody on call: Platform primary"
            && e["DTSTART"] == "20261214T090000Z"));
    let secondary = t.read("team/rotations/platform-secondary/index.html");
    assert!(
        secondary.contains("<dt>Coverage</dt><dd>Mon, Tue, Wed, Thu, Fri 09:00 to 17:00</dd>"),
        "{secondary}"
    );
    // The index, the team and a member.
    let index = t.read("team/rotations/index.html");
    assert!(
        index.contains("Platform primary</a>") && index.contains("3 members"),
        "{index}"
    );
    let team = t.read("team/teams/platform/index.html");
    assert!(
        team.contains(r#"<h2 id="rotations-title">On-call rotations</h2>"#),
        "{team}"
    );
    let cleo = t.read("team/people/cleo/index.html");
    assert!(
        cleo.contains("<li>2026-11-30 09:00 to 2026-12-07 09:00 (Europe/London): <a href=\"../../rotations/platform-primary/index.html\">Platform primary</a></li>"),
        "{cleo}"
    );
}

#[test]
fn the_readers_browser_says_who_is_on_call_at_their_time() {
    use handbook::rota::{Turns, Wall};
    let Some(browser) =
        crate::harness::Browser::start("the_readers_browser_says_who_is_on_call_at_their_time")
    else {
        return;
    };
    // Built in 2020, read now: whose turn it is now, counted here as the page must.
    let zone = jiff::tz::TimeZone::get("America/New_York").unwrap();
    let turns = Turns {
        start: Wall::from_civil("2020-01-06T09:00".parse().unwrap()).unwrap(),
        shift: "1 week".parse().unwrap(),
    };
    let now = Wall::at(jiff::Timestamp::now(), &zone).unwrap();
    let members = ["ben", "cleo", "dana"];
    let names = ["Ben Ortiz", "Cleo Wu", "Dana Reyes"];
    let turn = turns.turn_at(now).unwrap();
    let expected = names[(turn % 3) as usize];
    let t = HandbookTest::empty()
        .file("data/team.yaml", PEOPLE)
        .file(
            "data/oncall.yaml",
            format!(
                "rotations:\n  - {{id: east, name: East, timezone: America/New_York, start: 2020-01-06 09:00, shift: 1 week, members: [{}]}}\n  - {{id: gone, name: Gone, start: 2020-01-06 09:00, shift: 1 week, members: [amara]}}\n",
                members.join(", ")
            ),
        )
        .file("content/runbook.md", "---\nkind: page\noncall: east\n---\n# Runbook\n")
        .built_as_of("2020-01-01")
        .build();
    let read = |page: &str| {
        browser.open_file(&t.out(page));
        // The script's word replaces the build's; on a busy machine it may come a moment later.
        browser.wait_for(
            "var l = document.querySelector('.oncall-now .oncall-label');
             return !!l && l.textContent.indexOf('On call now') === 0;",
        );
        browser.eval(
            "var b = document.querySelector('.oncall-now');
             return [b.querySelector('.oncall-label').textContent,
                     b.querySelector('.oncall-who').textContent];",
        )
    };
    let got = read("runbook/index.html");
    let label = got[0].as_str().unwrap();
    let who = got[1].as_str().unwrap();
    assert!(
        label.starts_with("On call now (") && label.ends_with(" America/New_York):"),
        "{label}"
    );
    assert!(
        who.starts_with(expected) && who.contains(" · until "),
        "{who} (expected {expected})"
    );
    // Amara, alone in hers, holds it for good; a rotation of someone who has left, nobody.
    let got = read("team/rotations/gone/index.html");
    assert!(
        got[1].as_str().unwrap().starts_with("Amara Okafor"),
        "{got}"
    );
    drop(t);
    let t = HandbookTest::empty()
        .file("data/team.yaml", "people:\n  - {id: zed, name: Zed Park, left: 2021-01-01}\n")
        .file(
            "data/oncall.yaml",
            "rotations:\n  - {id: gone, name: Gone, start: 2020-01-06 09:00, shift: 1 week, members: [zed]}\n",
        )
        .built_as_of("2020-01-01")
        .build();
    browser.open_file(&t.out("team/rotations/gone/index.html"));
    browser.wait_for(
        "var l = document.querySelector('.oncall-now .oncall-label');
         return !!l && l.textContent.indexOf('On call now') === 0;",
    );
    assert_eq!(
        browser.eval("return document.querySelector('.oncall-who').textContent;"),
        serde_json::json!("nobody (uncovered: Zed Park left on 2021-01-01)")
    );
}

/// The events of a calendar, each as its properties' values by name.
fn events(ics: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("valid iCalendar");
    (calendar.events.iter())
        .map(|e| {
            (e.properties.iter())
                .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                .collect()
        })
        .collect()
}

#[test]
fn the_browser_hands_over_at_the_instants_of_the_calendar_when_the_clocks_change() {
    use handbook::rota::{Turns, Wall};
    let Some(browser) = crate::harness::Browser::start(
        "the_browser_hands_over_at_the_instants_of_the_calendar_when_the_clocks_change",
    ) else {
        return;
    };
    // Daily hand-offs at 01:30, a time London repeats on 2026-10-25 and skips on 2027-03-28,
    // and New York repeats on 2026-11-01.
    for (zone, start, changes) in [
        (
            "Europe/London",
            "2026-10-20T01:30",
            ["2026-10-25T01:30", "2027-03-28T01:30"],
        ),
        (
            "America/New_York",
            "2026-10-27T01:30",
            ["2026-11-01T01:30", "2027-03-14T01:30"],
        ),
    ] {
        let t = HandbookTest::empty()
            .file("data/team.yaml", PEOPLE)
            .file(
                "data/oncall.yaml",
                format!("rotations:\n  - {{id: r, timezone: {zone}, start: {}, shift: 1 day, members: [ben, cleo, dana]}}\n", start.replace('T', " ")),
            )
            .build();
        browser.open_file(&t.out("team/rotations/r/index.html"));
        browser.wait_for("return !!(window.handbook && window.handbook.onCallAt);");
        let tz = jiff::tz::TimeZone::get(zone).unwrap();
        let turns = Turns {
            start: Wall::from_civil(start.parse().unwrap()).unwrap(),
            shift: "1 day".parse().unwrap(),
        };
        let names = ["ben", "cleo", "dana"];
        for change in changes {
            let wall = Wall::from_civil(change.parse().unwrap()).unwrap();
            let k = turns.turn_at(wall).unwrap();
            let at = wall.instant(&tz).unwrap().as_second();
            let ask = |instant: i64| {
                browser.eval_with(
                    "var rule = JSON.parse(document.querySelector('[data-oncall]').getAttribute('data-oncall'));
                     var r = handbook.onCallAt(rule, arguments[0]);
                     return [rule.people[r.holder].href.split('/').slice(-2)[0], r.untilWall];",
                    vec![instant.into()],
                )
            };
            // A minute before the calendar's instant the last turn holds, until this hand-off;
            // a minute after, this turn; and still an hour later, when the clock repeats.
            let before = ask(at - 60);
            assert_eq!(
                before[0],
                names[((k - 1) % 3) as usize],
                "{zone} {change}: {before}"
            );
            // (The clock reads 02:30 when a skipped 01:30 comes.)
            let shown = Wall::at(jiff::Timestamp::from_second(at).unwrap(), &tz).unwrap();
            assert_eq!(before[1], shown.to_string(), "{zone} {change}");
            for after in [at + 60, at + 3_600 + 60] {
                let got = ask(after);
                assert_eq!(
                    got[0],
                    names[(k % 3) as usize],
                    "{zone} {change} +{}: {got}",
                    after - at
                );
            }
        }
    }
}
