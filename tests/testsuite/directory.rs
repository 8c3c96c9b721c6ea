//! Pages made from the team data and the documents: people, teams, roles, tags, the documents
//! index, "referenced by" lists and the review lists of the home page.

use crate::harness::HandbookTest;

const TEAM: &str = "teams:
  - id: ops
    name: Operations
    lead: ana
    description: Keeps the lights on.
people:
  - id: ana
    name: Ana Lima
    role: lead
    team: ops
    email: ana@example.com
    certifications:
      - name: CISSP
        expires: 2026-01-31
      - name: ITIL
        expires: 2028-01-31
  - id: bo
    name: Bo Berg
    role: engineer
    team: ops
    manager: ana
  - id: cy
    name: Cy Cole
    role: engineer
    team: ops
    manager: ana
    left: 2026-05-01
roles:
  - id: lead
    title: Team Lead
    responsibilities:
      - Run the team.
    certifications: [CISSP, ITIL]
  - id: engineer
    title: Engineer
    summary: Builds things.
    certifications: []
";

fn doc(title: &str, kind: &str, id: &str, owner: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nkind: {kind}\nid: {id}\nowner: {owner}\napprover: bo\n{extra}---\n{body}\n"
    )
}

/// What the fixture plants on purpose: Ana's expired CISSP and an overdue backup procedure.
const PLANTED: &[&str] = &["certification-expired", "review-overdue"];

fn handbook() -> HandbookTest {
    HandbookTest::empty()
        .file("handbook.yaml", "required_sections:\n  sop: []\n")
        .file("data/team.yaml", TEAM)
        .file(
            "content/sops/patching.md",
            doc(
                "Patching",
                "sop",
                "SOP-002",
                "ana",
                "last_reviewed: 2026-01-10\nreview_every: 1 year\ntags: [security, Patching]\n",
                "## Steps\n\nSee [backup](backup.md).\n",
            ),
        )
        .file(
            "content/sops/backup.md",
            doc(
                "Backup",
                "sop",
                "SOP-001",
                "ana",
                "last_reviewed: 2025-01-10\nreview_every: 1 year\ntags: [security]\n",
                "## Restore\n\nRestore it.\n",
            ),
        )
        .file(
            "content/sops/retired.md",
            doc(
                "Old way",
                "sop",
                "SOP-000",
                "cy",
                "status: retired\nlast_reviewed: 2020-01-10\nreview_every: 1 year\n",
                "Gone.\n",
            ),
        )
        .file(
            "content/guides/onboarding.md",
            "---\ntitle: Onboarding\nowner: bo\ntags: [patching]\n---\n\
             Read [patching](../sops/patching.md), then [it again](../sops/patching.md#steps) \
             and [backup](../sops/backup.md#restore).\n",
        )
        .file(
            "content/guides/draft.md",
            "---\ntitle: Draft guide\nstatus: draft\n---\n[patching](../sops/patching.md)\n",
        )
        .file(
            "content/roles/lead.md",
            "---\ntitle: Team lead\nkind: role\nrole: lead\n---\nLeads the team through thick and thin.\n",
        )
}

#[test]
fn a_person_page_shows_role_team_manager_reports_certifications_and_documents() {
    let t = handbook().build().assert_rules(PLANTED);
    let html = t.read("team/people/ana/index.html");
    for part in [
        "<h1>Ana Lima</h1>",
        r#"<dt>Role</dt><dd><a href="../../../roles/lead/index.html">Team Lead</a></dd>"#,
        r#"<dt>Team</dt><dd><a href="../../teams/ops/index.html">Operations</a></dd>"#,
        // Reports by name, the departed one marked.
        r#"<dt>Reports</dt><dd><a href="../bo/index.html">Bo Berg</a>, <a href="../cy/index.html">Cy Cole</a> <span class="departed">(left <time>2026-05-01</time>)</span></dd>"#,
        r#"<a href="mailto:ana@example.com">ana@example.com</a>"#,
        // CISSP expired before the as-of date: listed as expired and as missing for the role.
        r#"<li class="is-expired" data-expires="2026-01-31">CISSP · <span class="expiry-word">expired</span> <time>2026-01-31</time> <span class="cert-required">required by role</span></li>"#,
        r#"<li data-expires="2028-01-31">ITIL · <span class="expiry-word">expires</span> <time>2028-01-31</time> <span class="cert-required">required by role</span></li>"#,
        r#"<p class="cert-missing">Their role requires: CISSP <span class="as-of">(as of <time>2026-11-23</time>)</span>.</p>"#,
    ] {
        assert!(html.contains(part), "missing {part}\n{html}");
    }
    // Owned documents by document id, each with its status; the overdue one says so.
    let owns = section(&html, "owns-title");
    let backup = owns.find("SOP-001").expect("backup listed");
    let patching = owns.find("SOP-002").expect("patching listed");
    assert!(backup < patching, "sorted by id: {owns}");
    assert!(owns.contains(r#"<a href="../../../sops/backup/index.html">Backup</a>"#));
    assert!(owns.contains(r#"class="review-badge overdue""#), "{owns}");
    assert!(owns.contains(r#"class="review-badge current""#), "{owns}");
    // Bo approves both SOPs (and the retired one, which carries no review badge).
    let bo = t.read("team/people/bo/index.html");
    let approves = section(&bo, "approves-title");
    assert_eq!(approves.matches("<tr>").count(), 3 + 1, "{approves}"); // with the header row
                                                                       // No review date: the last cell empty, as `:empty` reads it (no line break inside).
    assert!(approves.contains("<span class=\"status retired\">Retired</span><td><tr>"));
    assert!(bo.contains(r#"<dt>Manager</dt><dd><a href="../ana/index.html">Ana Lima</a></dd>"#));
}

#[test]
fn a_departed_person_is_marked_on_their_page_and_in_lists() {
    let t = handbook().build().assert_rules(PLANTED);
    let cy = t.read("team/people/cy/index.html");
    assert!(cy.contains(r#"<div class="doc-banner doc-banner-departed" role="note"><strong>Left the team</strong> on <time>2026-05-01"#));
    let team = t.read("team/teams/ops/index.html");
    assert!(team.contains(r#"<tr class="is-departed"><td><a href="../../people/cy/index.html">Cy Cole</a> <span class="departed">"#), "{team}");
    // Before the day they left, nothing is marked.
    let t = handbook().built_as_of("2026-04-30").build();
    assert!(!t
        .read("team/people/cy/index.html")
        .contains("doc-banner-departed"));
}

#[test]
fn a_role_document_is_the_role_page_and_no_second_page_is_made() {
    let t = handbook().build().assert_rules(PLANTED);
    // The content document stays where its author put it and gains the role's data.
    let html = t.read("roles/lead/index.html");
    assert!(html.contains("Leads the team through thick and thin."));
    let facts = section(&html, "role-facts-title");
    assert!(facts.contains("<li>Run the team.</li>"), "{facts}");
    assert!(
        facts.contains(r#"<ul class="required-certifications"><li>CISSP</li><li>ITIL</li></ul>"#)
    );
    // Ana holds the role but her CISSP has expired.
    assert!(facts.contains(r#"<a href="../../team/people/ana/index.html">Ana Lima</a> <span class="cert-missing">Missing: CISSP</span>"#), "{facts}");
    let t = t.assert_missing("team/roles/lead/index.html");
    // A role without a document gets a generated page, listing its holders.
    let engineer = t.read("team/roles/engineer/index.html");
    assert!(engineer.contains("<h1>Engineer</h1>") && engineer.contains("<p>Builds things.</p>"));
    assert!(engineer.contains(r#"<a href="../../people/bo/index.html">Bo Berg</a>"#));
    assert!(engineer.contains(r#"<a href="../../people/cy/index.html">Cy Cole</a>"#));
    // The roles index links each role to its one page, wherever it is.
    let roles = t.read("team/roles/index.html");
    assert!(roles.contains(r#"<a href="../../roles/lead/index.html">Team Lead</a>"#));
    assert!(roles.contains(r#"<a href="engineer/index.html">Engineer</a>"#));
    assert!(
        roles.contains("1 holder") && roles.contains("2 holders"),
        "{roles}"
    );
}

#[test]
fn a_team_page_lists_its_lead_and_members() {
    let t = handbook().build().assert_rules(PLANTED);
    let html = t.read("team/teams/ops/index.html");
    assert!(html.contains("<p class=\"doc-description\">Keeps the lights on.</p>"));
    assert!(html
        .contains(r#"<dt>Lead</dt><dd><a href="../../people/ana/index.html">Ana Lima</a></dd>"#));
    let members = section(&html, "members-title");
    assert_eq!(members.matches("<tr").count(), 1 + 3, "{members}");
    assert!(members.contains(r#"<td><a href="../../../roles/lead/index.html">Team Lead</a></td>"#));
    // The people index lists everyone with role and team.
    let people = t.read("team/people/index.html");
    assert_eq!(people.matches("<tr").count(), 1 + 3);
    assert!(people.contains(r#"<a href="ana/index.html">Ana Lima</a>"#));
}

#[test]
fn teams_and_people_show_what_their_owners_let_lapse() {
    let t = handbook().build().assert_rules(PLANTED);
    // The team page lists the documents its members own, with status and next review.
    let html = t.read("team/teams/ops/index.html");
    assert!(html.contains("<dt>Documents</dt><dd>4</dd>"), "{html}");
    let docs = section(&html, "documents-title");
    for title in ["Backup", "Onboarding", "Old way", "Patching"] {
        assert!(docs.contains(&format!(">{title}</a>")), "{title}: {docs}");
    }
    assert!(!docs.contains("Draft guide"), "{docs}");
    // The teams index and the people index count each one's overdue documents (a retired one
    // is not overdue: Cy's old procedure does not count).
    let teams = t.read("team/teams/index.html");
    assert!(
        teams.contains(r#"3 members<span class="overdue-phrase" data-overdue-dates="2026-01-10 2027-01-10"> · <span class="overdue-count is-overdue">1 overdue</span></span>"#),
        "{teams}"
    );
    let people = t.read("team/people/index.html");
    let table = &people[people.find(r#"<table class="people-table">"#).unwrap()..];
    let row = |name: &str| {
        let at = table.find(&format!(">{name}</a>")).unwrap();
        let rest = &table[at..];
        rest[..rest.find("</tr>").unwrap()].to_string()
    };
    assert!(
        row("Ana Lima")
            .ends_with(r#"<td class="overdue-count" data-overdue-dates="2026-01-10 2027-01-10"><span class="is-overdue">1</span></td>"#),
        "{}",
        row("Ana Lima")
    );
    assert!(
        row("Cy Cole").ends_with(r#"<td class="overdue-count" data-overdue-dates="">0</td>"#),
        "{}",
        row("Cy Cole")
    );
}

#[test]
fn each_tag_has_a_page_and_tags_link_to_it() {
    let t = handbook().build().assert_rules(PLANTED);
    // `Patching` and `patching` are one tag, named as first written (guides/ before sops/).
    let html = t.read("tags/patching/index.html");
    assert!(html.contains("<h1>patching</h1>"), "{html}");
    assert!(html.contains(r#"<a href="../../guides/onboarding/index.html">Onboarding</a>"#));
    assert!(html.contains(r#"<a href="../../sops/patching/index.html">Patching</a>"#));
    assert!(html.contains("2 pages are tagged"));
    let security = t.read("tags/security/index.html");
    assert!(security.contains("Backup") && security.contains("Patching"));
    assert!(!security.contains("Onboarding"));
    let page = t.read("sops/patching/index.html");
    assert!(page.contains(r#"<li><a href="../../tags/security/index.html">security</a>"#));
    let index = t.read("tags/index.html");
    assert!(index.contains(r#"<a href="patching/index.html">patching</a>"#));
    // Drafts are not published, so their tags make no pages.
    let t = HandbookTest::empty()
        .file("content/a.md", "---\ntags: [secret]\nstatus: draft\n---\n")
        .build()
        .assert_clean();
    t.assert_missing("tags/secret/index.html");
}

#[test]
fn the_documents_index_lists_every_document_by_kind() {
    let t = handbook().build().assert_rules(PLANTED);
    let index = t.read("documents/index.html");
    assert!(index.contains(r#"<a href="sop/index.html">SOPs</a>"#));
    assert!(index.contains("3 pages"), "three SOPs: {index}");
    let sops = t.read("documents/sop/index.html");
    let order: Vec<usize> = ["SOP-000", "SOP-001", "SOP-002"]
        .iter()
        .map(|id| sops.find(id).unwrap_or_else(|| panic!("{id} missing")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "by id: {sops}");
    assert!(sops.contains(
        r#"<td><a href="../../team/people/cy/index.html">Cy Cole</a> <span class="departed">"#
    ));
    let roles = t.read("documents/role/index.html");
    assert!(roles.contains(r#"<a href="../../roles/lead/index.html">Team lead</a>"#));
}

#[test]
fn every_page_lists_the_published_pages_that_link_to_it() {
    let t = handbook().build().assert_rules(PLANTED);
    let html = t.read("sops/patching/index.html");
    let refs = section(&html, "referenced-by-title");
    // Onboarding links twice and is listed once; the draft's link does not count.
    assert_eq!(refs.matches("<li>").count(), 1, "{refs}");
    assert!(refs.contains(r#"<li><a href="../../guides/onboarding/index.html">Onboarding</a>"#));
    let backup = section(&t.read("sops/backup/index.html"), "referenced-by-title").to_string();
    assert!(
        backup.contains("Onboarding") && backup.contains("Patching"),
        "{backup}"
    );
    // A page nobody links to has no such section.
    assert!(!t
        .read("guides/onboarding/index.html")
        .contains("referenced-by"));
}

#[test]
fn the_home_page_lists_overdue_and_due_soon_documents_by_owner() {
    let t = handbook()
        .file(
            "content/sops/keys.md",
            doc(
                "Key rotation",
                "sop",
                "SOP-003",
                "bo",
                "last_reviewed: 2025-12-01\nreview_every: 1 year\n",
                "Rotate.\n",
            ),
        )
        .build()
        .assert_rules(&["certification-expired", "review-due-soon", "review-overdue"]);
    let home = t.read("index.html");
    let reviews = section(&home, "home-reviews");
    // The counts first, on the date they were computed on; each list's count leads to it.
    assert!(
        reviews.contains(r#"as of <time data-health-as-of>2026-11-23<"#),
        "{reviews}"
    );
    let count = |status: &str| {
        let at = reviews
            .find(&format!(r#"data-review-count="{status}""#))
            .unwrap_or_else(|| panic!("no {status} count in {reviews}"));
        let tile = &reviews[at..at + reviews[at..].find("</li>").unwrap()];
        let n = &tile[tile.find(r#"<span class="count">"#).unwrap() + 20..];
        n[..n.find('<').unwrap()].to_string()
    };
    // Patching is current; the retired document and the draft are not counted.
    assert_eq!(
        [count("overdue"), count("due-soon"), count("current")],
        ["1", "1", "1"]
    );
    assert!(reviews.contains(r##"<a href="#review-overdue"><span class="count">1</span>"##));
    let overdue = &reviews[reviews.find(r#"data-review-group="overdue""#).unwrap()
        ..reviews.find(r#"data-review-group="due-soon""#).unwrap()];
    // The owner linked, with their team, and how late each document is.
    assert!(overdue.contains(
        r#"<a href="team/people/ana/index.html">Ana Lima</a> <span class="owner-team"><a href="team/teams/ops/index.html">Operations</a></span>"#
    ), "{overdue}");
    assert!(overdue.contains(r#"<a href="sops/backup/index.html">Backup</a> <span class="review-when" data-next-review="2026-01-10">overdue by 317 days</span>"#), "{overdue}");
    // Retired documents are not reviewed any more.
    assert!(!reviews.contains("Old way"));
    let due = &reviews[reviews.find(r#"data-review-group="due-soon""#).unwrap()..];
    assert!(
        due.contains("Bo Berg") && due.contains("Key rotation"),
        "{due}"
    );
    assert!(due.contains(">due in 8 days</span>"), "{due}");
    assert!(!due.contains("Backup"));
    // The health comes before the welcome text and the section cards, and the sections are
    // listed once: as cards, not again in the list of the home page's other pages.
    let health = home.find(r#"id="home-reviews""#).unwrap();
    let cards = home.find(r#"id="home-sections""#).unwrap();
    assert!(health < cards, "{home}");
    assert!(!home.contains(r#"id="home-pages""#), "{home}");
}

#[test]
fn content_at_a_generated_url_wins_and_is_reported() {
    let t = handbook()
        // A section of the handbook's own at `team/` introduces the generated pages...
        .file("content/team/_index.md", "# Our team\n\nWho we are.\n")
        // ...but a page at a person's URL keeps it, with a diagnostic.
        .file("content/team/people/bo.md", "# Not Bo\n")
        .build();
    let d = t.diagnostic("id-duplicate", "content/team/people/bo.md", 1, 1);
    assert!(d.message.contains("person `bo`"), "{}", d.message);
    let team = t.read("team/index.html");
    assert!(team.contains("Who we are."));
    assert!(
        team.contains(r#"<a href="people/index.html">People</a>"#),
        "{team}"
    );
    assert!(t
        .read("team/people/bo/index.html")
        .contains("<h1 id=\"not-bo\">Not Bo</h1>"));
    assert!(t
        .read("team/people/ana/index.html")
        .contains("<h1>Ana Lima</h1>"));
}

#[test]
fn a_role_document_naming_an_unknown_role_is_reported() {
    let t = handbook()
        .file(
            "content/roles/eng.md",
            "---\nkind: role\nrole: enginer\n---\nText.\n",
        )
        .build();
    let d = t.diagnostic("role-unknown", "content/roles/eng.md", 1, 1);
    assert_eq!(d.help.as_deref(), Some("did you mean `engineer`?"));
    // The generated engineer page is still made.
    t.assert_exists("team/roles/engineer/index.html");
}

/// The `<section>` whose heading has id `id`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let start = html[..at].rfind("<section").unwrap_or(at);
    let end = at + html[at..].find("</section>").unwrap_or(html.len() - at);
    &html[start..end]
}

#[test]
fn the_home_pages_first_screen_says_what_is_overdue() {
    // A long welcome text must not push the figures below the first screen.
    let welcome = "Welcome to the handbook. ".repeat(200);
    let t = handbook()
        .file(
            "content/_index.md",
            format!("---\ntitle: Handbook\ndescription: How we work.\n---\n{welcome}\n"),
        )
        .build();
    let Some(browser) =
        crate::harness::Browser::start("the_home_pages_first_screen_says_what_is_overdue")
    else {
        return;
    };
    for (width, height) in [(1280, 800), (390, 844)] {
        browser.open_file(&t.out("index.html"));
        browser.viewport(width, height);
        let seen = browser.eval(
            "var tile = document.querySelector('[data-review-count=\"overdue\"]');
             var box = tile.getBoundingClientRect();
             return [tile.textContent.trim(), box.top >= 0 && box.bottom <= window.innerHeight,
                     [window.innerWidth, window.innerHeight]];",
        );
        assert_eq!(seen[0], "1 Overdue", "{width}x{height}: {seen}");
        assert_eq!(
            seen[1], true,
            "{width}x{height}: not on the first screen: {seen}"
        );
    }
}

#[test]
fn the_home_pages_health_is_said_again_on_the_readers_date() {
    let Some(browser) =
        crate::harness::Browser::start("the_home_pages_health_is_said_again_on_the_readers_date")
    else {
        return;
    };
    // Built long ago, when every document was current; read today.
    let today = handbook::dates::Day::today();
    let day = |n: i64| today.plus_days(n).unwrap();
    let reviewed_by = |title: &str, id: &str, owner: &str, by: handbook::dates::Day| {
        doc(
            title,
            "sop",
            id,
            owner,
            &format!("review_by: {by}\n"),
            "Do it.\n",
        )
    };
    let t = HandbookTest::empty()
        .file("data/team.yaml", TEAM)
        .file(
            "content/late.md",
            reviewed_by("Late", "SOP-1", "ana", day(-3)),
        )
        .file(
            "content/later.md",
            reviewed_by("Later <b>", "SOP-2", "ana", day(-1)),
        )
        .file(
            "content/soon.md",
            reviewed_by("Soon", "SOP-3", "bo", day(5)),
        )
        .file(
            "content/fine.md",
            reviewed_by("Fine", "SOP-4", "bo", day(200)),
        )
        .built_as_of("2000-06-01")
        .build();
    let home = t.read("index.html");
    assert!(home.contains(r#"data-review-count="overdue"><span class="count">0</span>"#));
    browser.open_file(&t.out("index.html"));
    let seen = browser.eval(
        "function count(s) {
           return document.querySelector('[data-review-count=\"' + s + '\"] .count').textContent;
         }
         var overdue = document.querySelector('[data-review-group=\"overdue\"]');
         var soon = document.querySelector('[data-review-group=\"due-soon\"]');
         return [count('overdue'), count('due-soon'), count('current'),
                 document.querySelector('[data-health-as-of]').textContent,
                 overdue.querySelector('.owner').textContent,
                 Array.from(overdue.querySelectorAll('.page-list li')).map(function (li) {
                   return li.textContent; }),
                 soon.textContent.indexOf('due in 5 days') >= 0,
                 !!document.querySelector('a[href=\"#review-overdue\"]')];",
    );
    let today = today.to_string();
    assert_eq!(seen[0], "2", "{seen}");
    assert_eq!(seen[1], "1", "{seen}");
    assert_eq!(seen[2], "1", "{seen}");
    assert_eq!(seen[3], today.as_str(), "{seen}");
    assert_eq!(seen[4], "Ana Lima Operations 2", "{seen}");
    assert_eq!(
        seen[5],
        serde_json::json!([
            format!("SOP-1 Late overdue by 3 days (review by {})", day(-3)),
            format!("SOP-2 Later <b> overdue by 1 day (review by {})", day(-1)),
        ]),
        "{seen}"
    );
    assert_eq!(seen[6], true, "{seen}");
    assert_eq!(seen[7], true, "{seen}");
}

/// What was overdue on the build's date stays so, ahead of what fell due since: past an
/// owner's first five of those, the home page's facts carry no title (nothing could show it),
/// and the lists made on the reader's date are the same.
#[test]
fn the_home_pages_facts_carry_only_the_titles_it_can_show() {
    let today = handbook::dates::Day::today();
    let mut t = HandbookTest::empty().file("data/team.yaml", TEAM);
    for n in 1..=7 {
        t = t.file(
            &format!("content/old-{n}.md"),
            doc(
                &format!("Old {n}"),
                "sop",
                &format!("SOP-{n}"),
                "ana",
                &format!("review_by: 2000-01-0{n}\n"),
                "",
            ),
        );
    }
    let yesterday = today.plus_days(-1).unwrap();
    let t = t
        .file(
            "content/new.md",
            doc(
                "New",
                "sop",
                "SOP-8",
                "ana",
                &format!("review_by: {yesterday}\n"),
                "",
            ),
        )
        .built_as_of("2000-06-01")
        .build();
    let home = t.read("index.html");
    let json = home
        .split(r#"<script type="application/json" id="review-facts">"#)
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the facts");
    let facts: serde_json::Value = serde_json::from_str(json).unwrap();
    let lengths: Vec<usize> = (facts["docs"].as_array().unwrap().iter())
        .map(|d| d.as_array().unwrap().len())
        .collect();
    assert_eq!(lengths, [6, 6, 6, 6, 6, 2, 2, 6], "{facts}");

    let Some(browser) =
        crate::harness::Browser::start("the_home_pages_facts_carry_only_the_titles_it_can_show")
    else {
        return;
    };
    browser.open_file(&t.out("index.html"));
    let seen = browser.eval(
        "var overdue = document.querySelector('[data-review-group=\"overdue\"]');
         return [document.querySelector('[data-review-count=\"overdue\"] .count').textContent,
                 Array.from(overdue.querySelectorAll('.page-list li')).map(function (li) {
                   return li.querySelector('a').textContent; })];",
    );
    assert_eq!(
        seen,
        serde_json::json!(["8", ["Old 1", "Old 2", "Old 3", "Old 4", "Old 5", "3 more"]])
    );
}

/// The indexes' and a team's overdue counts and a person's certifications were true on the
/// build's date; read later, the page's script counts again on the reader's date and the notes
/// that date the figures say so.
#[test]
fn overdue_counts_and_expiries_follow_the_readers_date() {
    let Some(browser) = crate::harness::Browser::start("overdue_counts_follow_the_readers_date")
    else {
        return;
    };
    let today = handbook::dates::Day::today();
    let later = today.plus_days(400).unwrap();
    let team = format!(
        "teams:\n  - {{id: ops, name: Operations}}\npeople:\n  - id: ana\n    name: Ana Lima\n    team: ops\n    \
         certifications:\n      - {{name: CISSP, expires: 2001-01-31}}\n      - {{name: ITIL, expires: {later}}}\n"
    );
    let t = HandbookTest::empty()
        .file("data/team.yaml", team)
        .file(
            "content/lapsed.md",
            doc(
                "Lapsed",
                "sop",
                "SOP-001",
                "ana",
                "review_by: 2001-01-01\n",
                "",
            ),
        )
        .file(
            "content/fresh.md",
            doc(
                "Fresh",
                "sop",
                "SOP-002",
                "ana",
                &format!("review_by: {later}\n"),
                "",
            ),
        )
        .built_as_of("2000-06-01")
        .build();
    // As built: nothing overdue, nothing expired.
    assert!(t
        .read("team/people/index.html")
        .contains(r#"data-overdue-dates="2001-01-01"#));
    let today = today.to_string();
    browser.open_file(&t.out("team/people/index.html"));
    assert_eq!(
        browser.eval(
            "return [document.querySelector('td.overdue-count').innerHTML,
                     document.querySelector('[data-as-of]').getAttribute('datetime')];"
        ),
        serde_json::json!([r#"<span class="is-overdue">1</span>"#, today])
    );
    browser.open_file(&t.out("team/teams/index.html"));
    assert_eq!(
        browser.eval(
            "var p = document.querySelector('.overdue-phrase');
             return [p.hidden, p.textContent, document.querySelector('[data-as-of]').textContent];"
        ),
        serde_json::json!([false, " · 1 overdue", today])
    );
    browser.open_file(&t.out("team/teams/ops/index.html"));
    assert_eq!(
        browser.eval("return document.querySelector('.facts .overdue-count').textContent;"),
        "1"
    );
    browser.open_file(&t.out("team/people/ana/index.html"));
    assert_eq!(
        browser.eval(
            "return Array.from(document.querySelectorAll('[data-expires]')).map(function (li) {
               return [li.classList.contains('is-expired'), li.querySelector('.expiry-word').textContent];
             });"
        ),
        serde_json::json!([[true, "expired"], [false, "expires"]])
    );
}
