//! Handbooks kept with other tools, as their teams keep them (`tests/fixtures/sources/<tool>`:
//! GitHub Markdown, Hugo, Jekyll, MkDocs, mdBook, GOV.UK tech-docs), taken over with
//! `handbook init --from DIR` and built and checked as they are; and a generated tree of
//! several hundred pages mixing every layout and link spelling, with no false broken links.
//!
//! Each fixture plants a few broken links and template tags on purpose; the tests expect
//! exactly those, so every other link must resolve.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use handbook::config::Config;

use crate::harness::{HandbookTest, AS_OF};

/// Rules that must never fire on a fixture: a fixture is a valid handbook of its tool, and
/// `init --from` must fit the configuration to it (aliases, data file, extensions).
const FORBIDDEN: &[&str] = &[
    "config-invalid",
    "file-invalid",
    "team-data-invalid",
    "front-matter-invalid",
    "front-matter-unknown-field",
    "path-unsafe",
    "theme-invalid",
    "id-duplicate",
];

/// What one fixture is and what it plants.
struct Source {
    tool: &'static str,
    /// The content folder inside the fixture (`.` for the fixture's top).
    content: &'static str,
    /// Extensions of its Markdown files.
    extensions: &'static [&'static str],
    /// Drafts, ignored paths and partials (paths inside the content folder): no page is
    /// published for them.
    left_out: &'static [&'static str],
    /// The planted `link-broken` and `anchor-broken` diagnostics: rule, file (from the root),
    /// line.
    broken: &'static [(&'static str, &'static str, u32)],
    /// The planted `template-syntax` warnings: file, line.
    templates: &'static [(&'static str, u32)],
}

/// One diagnostic of `check --format json`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    rule: String,
    file: String,
    line: u32,
    column: u32,
    severity: String,
    message: String,
}

/// A fixture taken over with `init --from`, built and checked.
struct Run {
    t: HandbookTest,
    config: Config,
    findings: Vec<Finding>,
}

impl Run {
    fn output_dir(&self) -> PathBuf {
        if self.config.output_dir.is_absolute() {
            self.config.output_dir.clone()
        } else {
            self.t.root.join(&self.config.output_dir)
        }
    }

    fn read(&self, rel: &str) -> String {
        let path = self.output_dir().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Page `rel`'s sidebar, as its section's script writes it.
    fn sidebar(&self, rel: &str) -> String {
        crate::harness::sidebar_of(&self.output_dir(), rel)
    }

    fn with_rule(&self, rule: &str) -> BTreeSet<(String, String, u32)> {
        self.findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| (f.rule.clone(), f.file.clone(), f.line))
            .collect()
    }

    fn text(&self) -> String {
        findings_text(&self.findings)
    }
}

fn findings_text(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "  {}:{}:{}: {}[{}]: {}\n",
                f.file, f.line, f.column, f.severity, f.rule, f.message
            )
        })
        .collect()
}

fn fixture_dir(tool: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sources")
        .join(tool)
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A copy of the fixture exactly as the team keeps it (no `content/` folder added, no
/// handbook.yaml), taken over with `handbook init --from`.
pub(crate) fn init_from(tool: &str) -> HandbookTest {
    let src = fixture_dir(tool);
    assert!(
        !src.join("handbook.yaml").exists(),
        "the {tool} fixture must not carry a handbook.yaml: `init --from` writes it"
    );
    let t = HandbookTest::from_fixture(&format!("sources/{tool}"));
    if !src.join("content").exists() {
        // The harness starts every handbook with an empty content/ folder; this one has none.
        std::fs::remove_dir(t.root.join("content")).unwrap();
    }
    let root = t.root.to_str().unwrap().to_string();
    let o = t.cli(&["init", "--from", &root, "--as-of", AS_OF]);
    assert!(
        o.status.success() && t.root.join("handbook.yaml").is_file(),
        "`handbook init --from {tool}-fixture --as-of {AS_OF}` must exit 0 and write \
         handbook.yaml fitted to the folder (content folder, Markdown extensions, field \
         aliases, team data, a free output folder). If it says `unexpected argument '--from'`, \
         `init --from` does not exist yet and this test cannot go further.\n{}",
        show(&o)
    );
    t
}

/// `init --from`, then `build` (must exit 0) and `check --format json` (0 or 1).
fn take_over(source: &Source) -> Run {
    let tool = source.tool;
    let t = init_from(tool);
    let yaml = std::fs::read_to_string(t.root.join("handbook.yaml")).unwrap();
    let config = Config::load(&t.root).unwrap_or_else(|e| {
        panic!("the handbook.yaml `init --from` wrote for {tool} is invalid: {e}\n{yaml}")
    });
    // `.`, `./docs` and `docs/` as one spelling each.
    let plain = |p: &Path| -> String {
        let s = handbook::diagnostic::display_path(p);
        let s = s.trim_end_matches('/');
        if s.is_empty() {
            ".".into()
        } else {
            s.to_string()
        }
    };
    assert_eq!(
        plain(&config.content_dir),
        plain(Path::new(source.content)),
        "`init --from` chose the wrong content folder for the {tool} fixture (every Markdown \
         file under `{}` is a page of it, and its links lead across that folder); \
         handbook.yaml:\n{yaml}",
        source.content
    );
    let root = t.root.to_str().unwrap().to_string();
    let o = t.cli(&["build", "--root", &root, "--as-of", AS_OF]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "build of the {tool} fixture failed; handbook.yaml:\n{yaml}\n{}",
        show(&o)
    );
    let o = t.cli(&[
        "check", "--root", &root, "--as-of", AS_OF, "--format", "json",
    ]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "check of the {tool} fixture could not run; handbook.yaml:\n{yaml}\n{}",
        show(&o)
    );
    let findings = parse_findings(&o);
    let run = Run {
        t,
        config,
        findings,
    };

    let found: Vec<&Finding> = run
        .findings
        .iter()
        .filter(|f| FORBIDDEN.contains(&f.rule.as_str()))
        .collect();
    assert!(
        found.is_empty(),
        "the {tool} fixture is valid as it is, yet:\n{}\nhandbook.yaml:\n{yaml}",
        run.text()
    );

    let mut broken = run.with_rule("link-broken");
    broken.extend(run.with_rule("anchor-broken"));
    let planted: BTreeSet<(String, String, u32)> = source
        .broken
        .iter()
        .map(|(r, f, l)| (r.to_string(), f.to_string(), *l))
        .collect();
    assert_eq!(
        broken,
        planted,
        "{tool}: the broken links must be exactly the planted ones (a link too many is a \
         valid link handbook did not resolve); all diagnostics:\n{}handbook.yaml:\n{yaml}",
        run.text()
    );

    let templates: BTreeSet<(String, String, u32)> = source
        .templates
        .iter()
        .map(|(f, l)| ("template-syntax".to_string(), f.to_string(), *l))
        .collect();
    assert_eq!(
        run.with_rule("template-syntax"),
        templates,
        "{tool}: template tags; all diagnostics:\n{}",
        run.text()
    );

    let missing: Vec<String> = expected_pages(
        &fixture_dir(tool).join(source.content),
        source.extensions,
        source.left_out,
    )
    .into_iter()
    .filter(|(_, page)| !run.output_dir().join(page).is_file())
    .map(|(file, page)| format!("  {file} -> {page}\n"))
    .collect();
    assert!(
        missing.is_empty(),
        "{tool}: pages missing from {}:\n{}handbook.yaml:\n{yaml}",
        run.output_dir().display(),
        missing.concat()
    );
    for draft in source.left_out {
        let page = page_for(draft, source.extensions).unwrap();
        assert!(
            !run.output_dir().join(&page).exists(),
            "{tool}: the draft {draft} was published as {page}"
        );
    }
    run
}

fn parse_findings(o: &Output) -> Vec<Finding> {
    let json: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("check --format json printed no JSON ({e}):\n{}", show(o)));
    assert!(json["summary"].is_object(), "no summary in {json}");
    let mut findings: Vec<Finding> = json["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics list in {json}"))
        .iter()
        .map(|d| Finding {
            rule: d["rule"].as_str().unwrap().to_string(),
            file: d["file"].as_str().unwrap().to_string(),
            line: d["line"].as_u64().unwrap() as u32,
            column: d["column"].as_u64().unwrap() as u32,
            severity: d["severity"].as_str().unwrap().to_string(),
            message: d["message"].as_str().unwrap_or("").to_string(),
        })
        .collect();
    findings.sort();
    findings
}

/// The page each Markdown file under `content` must become: (file, output path), by the
/// README's URL rules.
fn expected_pages(
    content: &Path,
    extensions: &[&str],
    drafts: &[&str],
) -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    let walker = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(content)
            .unwrap()
            .to_str()
            .unwrap()
            .replace('\\', "/");
        if drafts.contains(&rel.as_str()) {
            continue;
        }
        if let Some(page) = page_for(&rel, extensions) {
            pages.insert(rel, page);
        }
    }
    pages
}

/// The output file of the Markdown file at `rel` (inside the content folder): `x.md` is
/// `x/index.html`; `_index.md`, `index.md` and `README.md` are their folder's `index.html`;
/// every segment slugged (lowercase, spaces to hyphens). `None` for other files.
fn page_for(rel: &str, extensions: &[&str]) -> Option<String> {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = extensions
        .iter()
        .filter_map(|ext| {
            let cut = name.len().checked_sub(ext.len() + 1)?;
            let (stem, dot_ext) = name.split_at(cut);
            (!stem.is_empty() && dot_ext[1..].eq_ignore_ascii_case(ext) && dot_ext.starts_with('.'))
                .then_some(stem)
        })
        .min_by_key(|s| s.len())?;
    let mut out = String::new();
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        out.push_str(&slug(seg));
        out.push('/');
    }
    if !matches!(stem.to_lowercase().as_str(), "_index" | "index" | "readme") {
        out.push_str(&slug(stem));
        out.push('/');
    }
    out.push_str("index.html");
    Some(out)
}

fn slug(segment: &str) -> String {
    let mut s = String::new();
    for c in segment.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if matches!(c, '-' | '_' | '.') {
            s.push(c);
        } else if c.is_whitespace() && !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// Asserts that `names` (link texts, as `>Name<`) appear in this order in `text`.
fn assert_in_order(text: &str, names: &[&str], what: &str) {
    let at: Vec<usize> = names
        .iter()
        .map(|n| {
            text.find(&format!(">{n}<"))
                .unwrap_or_else(|| panic!("{what}: no {n:?} in\n{text}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "{what}: expected the order {names:?}, found them at {at:?} in\n{text}"
    );
}

#[test]
fn a_github_markdown_tree_builds_as_it_is() {
    // The fixture's quirks must survive the checkout: a BOM in one file, CRLF in another.
    let dir = fixture_dir("github");
    assert!(std::fs::read(dir.join("docs/security/patching.md"))
        .unwrap()
        .starts_with(b"\xEF\xBB\xBF"));
    assert!(
        std::fs::read_to_string(dir.join("docs/security/access-reviews.md"))
            .unwrap()
            .contains("\r\n")
    );
    let run = take_over(&Source {
        tool: "github",
        content: ".",
        extensions: &["md"],
        left_out: &[],
        broken: &[
            ("link-broken", "README.md", 19),
            ("anchor-broken", "docs/incident-response.md", 24),
            ("link-broken", "docs/security/access-reviews.md", 9),
        ],
        templates: &[],
    });
    // The repository's README is the home page; the docs folder's README its section page.
    let home = run.read("index.html");
    assert!(home.contains("Platform Team Handbook"), "{home}");
    assert!(
        home.contains(r#"href="docs/incident-review/index.html""#),
        "{home}"
    );
    assert!(
        home.contains(r#"href="docs/oncall/index.html#step-2-page-the-on-call""#),
        "{home}"
    );
    // The script linked from the on-call page is copied beside the pages.
    assert!(run.output_dir().join("scripts/page-oncall.sh").is_file());
    let review = run.read("docs/incident-review/index.html");
    assert!(review.contains("Incident Review"), "{review}");
}

#[test]
fn a_hugo_site_builds_as_it_is() {
    let run = take_over(&Source {
        tool: "hugo",
        content: "content",
        extensions: &["md"],
        left_out: &["incidents/major-incident-comms.md"],
        broken: &[
            ("link-broken", "content/on-call/rota.md", 19),
            ("anchor-broken", "content/incidents/response.md", 24),
        ],
        // A `ref` in prose prints a URL as text: left as written. In a link's target it
        // is the link it makes (below).
        templates: &[("content/incidents/response.md", 16)],
    });
    let response = run.read("incidents/response/index.html");
    assert!(
        response.contains(r#"href="../../on-call/rota/index.html#handover">rota</a>"#),
        "{response}"
    );
    assert!(
        response.contains(r#"href="../../on-call/escalation/index.html">escalation policy</a>"#),
        "{response}"
    );
    // Hugo's own site, built into public/, is left alone: the handbook goes elsewhere.
    assert_ne!(run.output_dir(), run.t.root.join("public"));
    assert_eq!(
        std::fs::read(run.t.root.join("public/index.html")).unwrap(),
        std::fs::read(fixture_dir("hugo").join("public/index.html")).unwrap(),
        "Hugo's public/ was overwritten"
    );
    // data/team.yaml is the team data: the owners are people with pages.
    let person = run.read("team/people/mkowalski/index.html");
    assert!(person.contains("Marta Kowalski"), "{person}");
    assert!(person.contains("Escalation policy"), "{person}");
    // `aliases` keep the old URLs working.
    let old = run.read("oncall/escalation-policy/index.html");
    assert!(old.contains("on-call/escalation/index.html"), "{old}");
    assert!(run.output_dir().join("patching/index.html").is_file());
    // The leaf bundle's picture is copied beside its page.
    assert!(run
        .output_dir()
        .join("security/patching/patch-window.svg")
        .is_file());
    // `weight` orders the sections, not the titles.
    assert_in_order(
        &run.sidebar("index.html"),
        &["On-call", "Incidents", "Security", "Purchasing"],
        "hugo home navigation",
    );
}

#[test]
fn a_jekyll_site_builds_as_it_is() {
    let run = take_over(&Source {
        tool: "jekyll",
        content: ".",
        extensions: &["md", "markdown"],
        left_out: &["_includes/customer-contact.md"],
        broken: &[
            ("link-broken", "on-call.md", 17),
            ("anchor-broken", "processes/code-review.md", 19),
            ("link-broken", "onboarding/first-week.md", 12),
        ],
        // `{% include note.html content="..." %}`: included, its parameter ignored (said at
        // the include), so the note's `{{ include.content }}` is shown as written.
        templates: &[("on-call.md", 13), ("_includes/note.html", 1)],
    });
    // `{{ site.baseurl }}{% link x.md %}` and `{{ "/x/" | relative_url }}` are the links
    // they make.
    let week = run.read("onboarding/first-week/index.html");
    assert!(
        week.contains(r#"href="../../processes/code-review/index.html">checklist</a>"#),
        "{week}"
    );
    assert!(
        week.contains(r#"href="../../on-call/index.html">on-call page</a>"#),
        "{week}"
    );
    let response = run.read("incident-response/index.html");
    assert!(
        response.contains("through the status page only"),
        "{response}"
    );
    assert!(
        response.contains(r#"href="../on-call/index.html""#),
        "{response}"
    );
    assert!(!run.output_dir().join("_includes").exists());
    // `_data/team.yml` is the team (a top-level list, `reports_to` for the manager), and
    // `_data/navigation.yml` beside it is not.
    let person = run.read("team/people/okeller/index.html");
    assert!(person.contains("Olaf Keller"), "{person}");
    assert!(person.contains("Laura Martin"), "{person}");
    assert!(person.contains("On-call"), "{person}");
    // `redirect_from` keeps the old URLs.
    let old = run.read("code-review/index.html");
    assert!(old.contains("processes/code-review/index.html"), "{old}");
    let old = run.read("incidents/index.html");
    assert!(old.contains("incident-response/index.html"), "{old}");
    // `nav_order` orders the pages.
    assert_in_order(
        &run.sidebar("index.html"),
        &["On-call", "Incident response", "Processes", "Onboarding"],
        "jekyll home navigation",
    );
}

#[test]
fn an_mkdocs_site_builds_as_it_is() {
    let run = take_over(&Source {
        tool: "mkdocs",
        content: "docs",
        extensions: &["md"],
        left_out: &[],
        broken: &[
            ("link-broken", "docs/index.md", 11),
            ("link-broken", "docs/on-call/rota.md", 14),
            // Inside an admonition's body: found at its line as written.
            ("link-broken", "docs/on-call/paging.md", 14),
            ("anchor-broken", "docs/incidents/severity-levels.md", 10),
            // In a snippet (`--8<--`), outside the docs: at its line there, read from the
            // page that includes it, as MkDocs reads it.
            ("link-broken", "includes/after-patching.md", 4),
        ],
        templates: &[],
    });
    let patching = run.read("security/patching/index.html");
    assert!(
        patching.contains(r#"<h2 id="after-patching">After patching"#),
        "{patching}"
    );
    assert!(
        patching.contains(r#"href="../secrets/index.html""#),
        "{patching}"
    );
    assert!(!patching.contains("--8&lt;--"), "{patching}");
    // Admonitions are the theme's callouts, their bodies Markdown; `???` folds, `???+` opens.
    let paging = run.read("on-call/paging/index.html");
    for part in [
        r#"<div class="callout callout-warning" role="note" aria-label="Before you page"><p class="callout-title">Before you page</p>"#,
        r#"<a href="../../incidents/postmortem-template/index.html">postmortem template</a>"#,
        r#"<details class="callout callout-note"><summary class="callout-title">Why fifteen minutes</summary>"#,
        r#"<details class="callout callout-tip" open><summary class="callout-title">Tip</summary>"#,
        "Keep your phone <strong>charged</strong>.",
    ] {
        assert!(paging.contains(part), "missing {part}\n{paging}");
    }
    assert!(
        !paging.contains("!!!") && !paging.contains("???"),
        "{paging}"
    );
    // `nav:` in mkdocs.yml orders the sidebar (sections by their first page) and names the
    // pages it titles (`Rota`, where the page says `On-call rota`); its own heading stays.
    let rota = run.read("on-call/rota/index.html");
    let nav = &run.sidebar("on-call/rota/index.html");
    let at = |label: &str| {
        nav.find(&format!(">{label}</a>"))
            .unwrap_or_else(|| panic!("{label} not in the sidebar: {nav}"))
    };
    assert!(at("On-call") < at("Incidents"), "{nav}");
    assert!(at("Incidents") < at("Security"), "{nav}");
    assert!(at("Security") < at("Onboarding"), "{nav}");
    assert!(at("Rota") < at("Paging"), "{nav}");
    assert!(rota.contains(">On-call rota</h1>"), "{rota}");
    // docs/ is the content: its index is the home page, and the repository's README (how to
    // run mkdocs) is no page.
    let home = run.read("index.html");
    assert!(home.contains("Data Platform Runbook"), "{home}");
    assert!(!home.contains("pip install"), "{home}");
    assert!(run.output_dir().join("img/sev-matrix.svg").is_file());
}

#[test]
fn an_mdbook_builds_in_the_order_of_its_summary() {
    let run = take_over(&Source {
        tool: "mdbook",
        content: "src",
        extensions: &["md"],
        left_out: &["shared/escalation.md"],
        broken: &[
            ("link-broken", "src/on-call/paging.md", 6),
            ("anchor-broken", "src/incidents/triage.md", 9),
            // In a file two chapters include: once, at its own line.
            ("link-broken", "src/shared/escalation.md", 6),
        ],
        templates: &[],
    });
    for chapter in ["incidents/triage/index.html", "on-call/paging/index.html"] {
        let html = run.read(chapter);
        assert!(html.contains("<td>Sev 1</td>"), "{html}");
        assert!(
            html.contains(r#"href="../../on-call/rota/index.html#swaps""#)
                || html.contains(r#"href="../rota/index.html#swaps""#),
            "{html}"
        );
    }
    // The anchor's one line of the listing, outside the book's src/.
    let paging = run.read("on-call/paging/index.html");
    assert!(paging.contains("pager</span> trigger"), "{paging}");
    assert!(
        !paging.contains("set -eu") && !paging.contains("ANCHOR"),
        "{paging}"
    );
    let home = run.read("index.html");
    assert!(home.contains("Introduction"), "{home}");
    let nav = &run.sidebar("index.html");
    assert_in_order(
        nav,
        &["On-call", "Incidents", "Purchasing", "Code review"],
        "mdbook home navigation",
    );
    assert!(!nav.contains(">Summary<"), "{nav}");
    let on_call = run.read("on-call/index.html");
    assert_in_order(&on_call, &["Rota", "Paging"], "on-call chapter");
    let incidents = run.read("incidents/index.html");
    assert_in_order(
        &incidents,
        &["Triage", "Communication", "Postmortems"],
        "incidents chapter",
    );
}

#[test]
fn a_docusaurus_site_builds_with_its_admonitions_and_mdx() {
    let run = take_over(&Source {
        tool: "docusaurus",
        content: "docs",
        extensions: &["md", "mdx"],
        left_out: &[],
        broken: &[
            // Inside a `:::warning[...]` of an `.mdx` page: at its line as written.
            ("link-broken", "docs/on-call/paging.mdx", 28),
        ],
        // The JSX components, each once at its opening tag.
        templates: &[
            ("docs/on-call/paging.mdx", 14),
            ("docs/on-call/paging.mdx", 15),
            ("docs/on-call/paging.mdx", 20),
        ],
    });
    let paging = run.read("on-call/paging/index.html");
    assert!(!paging.contains("@theme/Tabs"), "{paging}");
    assert!(paging.contains("<strong>Escalate</strong>"), "{paging}");
    assert!(paging.contains("&lt;Tabs&gt;"), "{paging}");
    assert!(
        paging.contains(
            r#"<div class="callout callout-warning" role="note" aria-label="Before you page">"#
        ),
        "{paging}"
    );
    let patching = run.read("security/patching/index.html");
    assert!(
        patching
            .contains(r#"<div class="callout callout-caution" role="note" aria-label="Never">"#),
        "{patching}"
    );
    assert!(
        patching.contains(r#"href="../../on-call/paging/index.html#who-to-page""#),
        "{patching}"
    );
    // `_category_.json` labels and places its folder (above: "On-call", second); it is
    // Docusaurus' file, not the site's.
    assert!(!run.output_dir().join("on-call/_category_.json").exists());
    // `/img/logo.svg` is the static folder's.
    let intro = run.read("intro/index.html");
    assert!(intro.contains(r#"<img src="../img/logo.svg""#), "{intro}");
    assert!(run.output_dir().join("img/logo.svg").is_file());
    assert_in_order(
        &run.sidebar("index.html"),
        &["On-call", "Security"],
        "docusaurus home navigation",
    );
}

#[test]
fn a_tech_docs_site_builds_with_its_owners_and_review_dates() {
    let run = take_over(&Source {
        tool: "techdocs",
        content: "source",
        extensions: &["html.md.erb", "md"],
        // Left out by config.rb's `ignore` lines; a partial.
        left_out: &[
            "drafts/old-process.html.md.erb",
            "templates/page.md",
            "partials/_escalation-contacts.html.md",
        ],
        broken: &[
            (
                "link-broken",
                "source/documentation/on-call/rota.html.md.erb",
                19,
            ),
            (
                "anchor-broken",
                "source/documentation/incidents/response.html.md.erb",
                22,
            ),
            (
                "link-broken",
                "source/partials/_escalation-contacts.html.md",
                4,
            ),
            // A redirect in config/tech-docs.yml to no page.
            ("link-broken", "config/tech-docs.yml", 35),
        ],
        // `<%= partial "partials/support" %>` is `partials/_support.erb`, included.
        templates: &[],
    });
    let home = run.read("index.html");
    assert!(home.contains("#payments-team</a>"), "{home}");
    assert!(!home.contains("partial"), "{home}");
    assert!(!run.output_dir().join("partials").exists());
    // A Markdown partial's table, its links resolved, a broken one at its own line.
    let escalation = run.read("documentation/on-call/escalation/index.html");
    assert!(
        escalation.contains("<td>Head of service</td>"),
        "{escalation}"
    );
    assert!(
        escalation.contains(r#"href="../rota/index.html""#),
        "{escalation}"
    );
    // `last_reviewed_on` + `review_in` give the next review: 2025-01-10 + 6 months is long
    // past; 2026-06-08 + 6 months is 2026-12-08, due within 30 days of the as-of date;
    // every other page is current (one of them on a 12-month interval).
    let reviews: BTreeSet<(String, String, u32)> = ["review-overdue", "review-due-soon"]
        .iter()
        .flat_map(|r| run.with_rule(r))
        .collect();
    let expected: BTreeSet<(String, String, u32)> = [
        (
            "review-due-soon",
            "source/documentation/security/access-reviews.html.md.erb",
            4,
        ),
        (
            "review-overdue",
            "source/documentation/on-call/handover.html.md.erb",
            4,
        ),
    ]
    .iter()
    .map(|(r, f, l)| (r.to_string(), f.to_string(), *l))
    .collect();
    assert_eq!(reviews, expected, "all diagnostics:\n{}", run.text());
    assert!(run.with_rule("review-missing").is_empty(), "{}", run.text());
    // `# <%= current_page.data.title %>`, as tech-docs pages open, is the title heading: one
    // `<h1>`, the title's, no literal ERB and no template-syntax warning (the planted one
    // above is the only one).
    let escalation = run.read("documentation/on-call/escalation/index.html");
    assert_eq!(escalation.matches("<h1").count(), 1, "{escalation}");
    assert!(escalation.contains(">Escalation</h1>"), "{escalation}");
    assert!(!escalation.contains("current_page"), "{escalation}");
    // config.rb's `ignore` lines are `exclude:` (their pages' broken links are not found).
    assert!(
        run.config
            .exclude
            .iter()
            .any(|x| x == "drafts/old-process.html.md.erb")
            && run.config.exclude.iter().any(|x| x == "templates"),
        "{:?}",
        run.config.exclude
    );
    let handover = run.read("documentation/on-call/handover/index.html");
    assert!(
        handover.contains(r#"<time>2025-07-10"#),
        "the next review of the handover page, 2025-01-10 + 6 months:\n{handover}"
    );
    // `owner_slack` is the page's owner, shown on it.
    assert!(
        handover.contains(r#"<span class="owner-channel">#payments-oncall</span>"#),
        "the owner channel of the handover page is not shown on it:\n{handover}"
    );
    // `redirects:` in config/tech-docs.yml: a redirect page at the old path, and links to
    // the old path resolve.
    let old = run.read("documentation/incidents/old-process.html");
    assert!(old.contains("response/index.html"), "{old}");
    assert!(
        handover.contains(r#"href="../../incidents/response/index.html">old incident process"#),
        "{handover}"
    );
    let rota = run.read("documentation/on-call/rota/index.html");
    assert!(rota.contains(r#"href="../handover/index.html""#), "{rota}");
    assert!(run.output_dir().join("images/rota.svg").is_file());
}

/// A deterministic pseudo-random sequence (Knuth's MMIX LCG).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// One generated document.
struct GenPage {
    /// Path inside content/, `/`-separated.
    path: String,
    /// The folder it is the page of, when it is a section page (README, index, _index).
    section_of: Option<String>,
    title: String,
    headings: Vec<String>,
    /// Heading ids of its h2s, by GitHub's rules, repeats numbered.
    ids: Vec<String>,
    /// Its output file under the site.
    out: String,
}

/// A link written into a generated page: its text (unique), the href as written, and where
/// it must lead (the target's output file and the fragment).
struct GenLink {
    label: String,
    href: String,
    target: String,
    fragment: Option<String>,
}

/// GitHub's heading id of `text`: lowercase, spaces to hyphens, other punctuation dropped.
fn github_id(text: &str) -> String {
    let mut s = String::new();
    for c in text.trim().chars() {
        if c == ' ' {
            s.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' {
            s.extend(c.to_lowercase());
        }
    }
    s
}

const HEADINGS: &[&str] = &[
    "Step 1: Check the dashboard!",
    "Step 2: Page the on-call",
    "Checklist",
    "🚨 Escalation",
    "Café & kitchen",
    "What's a \"Sev 1\"?",
    "Hand-off & handover",
    "Before you start",
    "Rollback (if needed)",
    "Checklist",
    "Purpose",
    "Checklist",
];

/// Percent-encodes what a Markdown link destination cannot hold as it is (spaces, non-ASCII,
/// parentheses).
fn encode(path: &str) -> String {
    let mut s = String::new();
    for b in path.bytes() {
        if b == b' ' || b >= 0x80 || b == b'(' || b == b')' || b == b'%' {
            s.push_str(&format!("%{b:02X}"));
        } else {
            s.push(b as char);
        }
    }
    s
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The relative path from folder `from` to content path `to`.
fn relative(from: &str, to: &str) -> String {
    let f: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; f.len() - common];
    parts.extend(&t[common..]);
    parts.join("/")
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// A link from the page in folder `from` to `target`, in one of the spellings people write,
/// maybe with an anchor of one of its headings.
fn link_to(rng: &mut Lcg, from: &str, target: &GenPage, label: String) -> GenLink {
    let stem_path = target
        .path
        .strip_suffix(".markdown")
        .or_else(|| target.path.strip_suffix(".md"))
        .unwrap();
    // The page's URL as the site (and Hugo) writes it: `/security-team/page-5-review/`.
    let url = format!("/{}", target.out.strip_suffix("index.html").unwrap());
    let mut spellings: Vec<String> = vec![
        // Relative, with the extension, encoded.
        encode(&relative(from, &target.path)),
        // Relative in angle brackets, as written (spaces and accents raw).
        format!("<{}>", relative(from, &target.path)),
        // From the top of the handbook, and from the top of the repository (GitHub).
        format!("/{}", encode(&target.path)),
        format!("/content/{}", encode(&target.path)),
        // The URL it is published at.
        encode(&url),
    ];
    match &target.section_of {
        Some(dir) => {
            // The folder, relative and from the top, and its index.html.
            let dir_rel = relative(from, dir);
            spellings.push(if dir_rel.is_empty() {
                "./".to_string()
            } else {
                format!("{}/", encode(&dir_rel))
            });
            if !dir.is_empty() {
                spellings.push(format!("/{}/", encode(dir)));
                spellings.push(format!("/{}/index.html", encode(dir)));
            }
        }
        None => {
            // Without an extension, and as the .html page it becomes.
            spellings.push(encode(&relative(from, stem_path)));
            spellings.push(format!("{}.html", encode(&relative(from, stem_path))));
            spellings.push(format!("/{}.html", encode(stem_path)));
        }
    }
    let mut href = spellings[rng.below(spellings.len())].clone();
    let mut fragment = None;
    if !target.ids.is_empty() && !rng.chance(3) {
        let id = target.ids[rng.below(target.ids.len())].clone();
        if let Some(inner) = href.strip_prefix('<').and_then(|h| h.strip_suffix('>')) {
            href = format!("<{inner}#{id}>");
        } else if rng.chance(2) {
            // Accented ids written encoded, as browsers copy them.
            href = format!("{href}#{}", encode(&id));
        } else {
            href = format!("{href}#{id}");
        }
        fragment = Some(id);
    }
    GenLink {
        label,
        href,
        target: target.out.clone(),
        fragment,
    }
}

/// About 400 pages in nested folders: section pages as README.md, index.md or _index.md (or
/// none), names with spaces, capitals and accents, front matter in YAML, TOML or none, a BOM
/// or CRLF line endings here and there, and links in every spelling to pages and headings
/// that exist. Returns the pages, their files' bytes and the links each holds.
fn generate(rng: &mut Lcg) -> Vec<(GenPage, Vec<u8>, Vec<GenLink>)> {
    // The folders: 6 at the top, 4 in each, 2 in each of those.
    let mut dirs: Vec<String> = vec![String::new()];
    let top = [
        "operations",
        "Security Team",
        "équipe-support",
        "people",
        "IT",
        "finance",
    ];
    for (i, t) in top.iter().enumerate() {
        dirs.push(t.to_string());
        for j in 0..4 {
            let name = match (i + j) % 4 {
                0 => format!("runbooks-{i}{j}"),
                1 => format!("On Call {i}{j}"),
                2 => format!("procédures-{i}{j}"),
                _ => format!("guides_{i}{j}"),
            };
            let sub = format!("{t}/{name}");
            dirs.push(sub.clone());
            for k in 0..2 {
                dirs.push(format!("{sub}/level-{i}{j}{k}"));
            }
        }
    }

    let mut pages: Vec<GenPage> = Vec::new();
    let mut n = 0;
    for dir in &dirs {
        let join = |name: &str| {
            if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            }
        };
        // The home page is README.md; other folders mostly have a section page.
        let index = if dir.is_empty() {
            Some("README.md")
        } else {
            [Some("README.md"), Some("index.md"), Some("_index.md"), None][rng.below(4)]
        };
        let mut names: Vec<(String, Option<String>)> = Vec::new();
        if let Some(i) = index {
            names.push((join(i), Some(dir.clone())));
        }
        for _ in 0..3 + rng.below(4) {
            n += 1;
            let name = match rng.below(6) {
                0 => format!("Page {n} Review.md"),
                1 => format!("déploiement-{n}.md"),
                2 => format!("Runbook_{n}.md"),
                3 => format!("checklist-{n}.markdown"),
                _ => format!("page-{n}.md"),
            };
            names.push((join(&name), None));
        }
        for (path, section_of) in names {
            let title = match &section_of {
                Some(d) if d.is_empty() => "Generated handbook".to_string(),
                Some(d) => format!("Section {}", d.rsplit('/').next().unwrap()),
                None => format!("Document {}", pages.len()),
            };
            let mut headings = Vec::new();
            let mut used: BTreeMap<String, usize> = BTreeMap::new();
            let mut ids = Vec::new();
            for h in HEADINGS {
                if !rng.chance(3) {
                    continue;
                }
                let base = github_id(h);
                // GitHub numbers repeats (none of these headings ends with `-N` itself).
                let id = match used.get(&base).copied() {
                    None => {
                        used.insert(base.clone(), 0);
                        base
                    }
                    Some(k) => {
                        used.insert(base.clone(), k + 1);
                        format!("{base}-{}", k + 1)
                    }
                };
                headings.push(h.to_string());
                ids.push(id);
            }
            let out = page_for(&path, &["md", "markdown"]).unwrap();
            pages.push(GenPage {
                path,
                section_of,
                title,
                headings,
                ids,
                out,
            });
        }
    }

    let mut files = Vec::new();
    for i in 0..pages.len() {
        let page = &pages[i];
        let from = parent(&page.path);
        let mut body = String::new();
        match rng.below(3) {
            0 => body.push_str(&format!(
                "---\ntitle: \"{}\"\nweight: {}\ntags: [generated, t{}]\n---\n",
                page.title,
                rng.below(50),
                rng.below(5)
            )),
            1 => body.push_str(&format!(
                "+++\ntitle = \"{}\"\nweight = {}\ndescription = \"Generated: {}\"\n+++\n",
                page.title,
                rng.below(50),
                i
            )),
            _ => {}
        }
        body.push_str(&format!("# {}\n\nIntro of page {i}.\n", page.title));
        let mut links = Vec::new();
        for k in 0..6 {
            let target = &pages[rng.below(pages.len())];
            links.push(link_to(rng, from, target, format!("L{i}x{k}")));
        }
        if !page.ids.is_empty() {
            let id = page.ids[rng.below(page.ids.len())].clone();
            links.push(GenLink {
                label: format!("L{i}x6"),
                href: format!("#{id}"),
                target: page.out.clone(),
                fragment: Some(id),
            });
        }
        let mut pending: Vec<&GenLink> = links.iter().collect();
        for (k, h) in page.headings.iter().enumerate() {
            body.push_str(&format!("\n## {h}\n\nText {k}."));
            if let Some(l) = pending.pop() {
                body.push_str(&format!(" See [{}]({}).", l.label, l.href));
            }
            body.push('\n');
        }
        body.push('\n');
        for l in pending {
            body.push_str(&format!("- [{}]({})\n", l.label, l.href));
        }
        let mut bytes = Vec::new();
        if rng.chance(6) {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        if rng.chance(5) {
            body = body.replace('\n', "\r\n");
        }
        bytes.extend_from_slice(body.as_bytes());
        files.push((bytes, links));
    }
    pages
        .into_iter()
        .zip(files)
        .map(|(p, (bytes, links))| (p, bytes, links))
        .collect()
}

/// Where the href `href`, written in the site file `from`, leads: (site file, fragment).
fn follow(from: &str, href: &str) -> (String, Option<String>) {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(decode(f))),
        None => (href, None),
    };
    if path.is_empty() {
        return (from.to_string(), fragment);
    }
    let mut segs: Vec<String> = parent(from)
        .split('/')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    for seg in decode(path).split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s.to_string()),
        }
    }
    (segs.join("/"), fragment)
}

#[test]
fn a_generated_tree_of_several_hundred_pages_builds_with_no_false_broken_links() {
    let mut rng = Lcg(20261123);
    let generated = generate(&mut rng);
    assert!(
        (350..=500).contains(&generated.len()),
        "{} pages",
        generated.len()
    );
    let mut t = HandbookTest::empty().file(
        "handbook.yaml",
        "title: Generated\nmarkdown_extensions: [md, markdown]\n",
    );
    for (page, bytes, _) in &generated {
        t = t.file(&format!("content/{}", page.path), bytes);
    }

    let o = t.cli(&["build", "--as-of", AS_OF]);
    assert_ne!(o.status.code(), Some(101), "build panicked:\n{}", show(&o));
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "build could not run:\n{}",
        show(&o)
    );
    let o = t.cli(&["check", "--as-of", AS_OF, "--format", "json"]);
    assert_ne!(o.status.code(), Some(101), "check panicked:\n{}", show(&o));
    let findings = parse_findings(&o);
    let bad: Vec<Finding> = findings
        .iter()
        .filter(|f| {
            matches!(f.rule.as_str(), "link-broken" | "anchor-broken")
                || FORBIDDEN.contains(&f.rule.as_str())
        })
        .cloned()
        .collect();
    assert!(
        bad.is_empty(),
        "{} false findings in the generated tree:\n{}",
        bad.len(),
        findings_text(&bad)
    );

    let missing: Vec<String> = generated
        .iter()
        .filter(|(p, _, _)| !t.out(&p.out).is_file())
        .map(|(p, _, _)| format!("  {} -> {}\n", p.path, p.out))
        .collect();
    assert!(missing.is_empty(), "pages missing:\n{}", missing.concat());

    // Every link was read as a link and leads, in the built site, to its page and heading.
    let mut wrong = Vec::new();
    let mut count = 0;
    for (page, _, links) in &generated {
        let html = t.read(&page.out);
        for link in links {
            count += 1;
            let Some(end) = html.find(&format!("\">{}</a>", link.label)) else {
                wrong.push(format!(
                    "  {}: [{}]({}) is not a link in the page\n",
                    page.path, link.label, link.href
                ));
                continue;
            };
            let start = html[..end].rfind("href=\"").unwrap() + 6;
            let href = html[start..end].replace("&amp;", "&");
            let lands = follow(&page.out, &href);
            if lands != (link.target.clone(), link.fragment.clone()) {
                wrong.push(format!(
                    "  {}: [{}]({}) became `{href}`, leading to {lands:?}, not {:?}\n",
                    page.path,
                    link.label,
                    link.href,
                    (&link.target, &link.fragment)
                ));
            }
        }
    }
    assert!(count > 2000, "{count} links");
    assert!(
        wrong.is_empty(),
        "{} of {count} links go astray:\n{}",
        wrong.len(),
        wrong.concat()
    );
}
