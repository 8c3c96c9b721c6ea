//! Markdown features as they appear in built pages.

use crate::harness::HandbookTest;

fn page(body: &str) -> HandbookTest {
    HandbookTest::empty()
        .file("content/p.md", format!("---\ntitle: P\n---\n{body}"))
        .build()
}

#[test]
fn gfm_tables_tasks_strikethrough_footnotes_autolinks() {
    page("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~gone~~\n\nSee[^n].\n\n[^n]: Note.\n\nVisit https://example.com/x now.\n")
        .assert_clean()
        .assert_contains("p/index.html", "<table>")
        .assert_contains("p/index.html", r#"<input disabled="" type="checkbox" checked=""/>"#)
        .assert_contains("p/index.html", "<del>gone</del>")
        .assert_contains("p/index.html", "footnote-definition")
        .assert_contains("p/index.html", r#"<a href="https://example.com/x">https://example.com/x</a>"#);
}

#[test]
fn callouts_are_admonitions() {
    page("> [!CAUTION]\n> Never patch on Fridays.\n")
        .assert_clean()
        .assert_contains("p/index.html", r#"<div class="callout callout-caution" role="note" aria-label="Caution"><p class="callout-title">Caution</p>"#);
}

#[test]
fn heading_ids_follow_github_and_feed_the_toc() {
    page("## Step 1: Patch the *servers*\n\n## FAQ\n\n## FAQ\n\n#### Deep\n")
        .assert_clean()
        .assert_contains("p/index.html", r#"<h2 id="step-1-patch-the-servers">"#)
        .assert_contains("p/index.html", r#"<h2 id="faq-1">"#)
        .assert_contains(
            "p/index.html",
            r##"<li><a href="#step-1-patch-the-servers">Step 1: Patch the servers</a>"##,
        )
        .assert_lacks("p/index.html", r##"<a href="#deep">Deep</a>"##);
}

#[test]
fn table_columns_keep_their_alignment_as_github_writes_it() {
    let t = page("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | `2` | **3** | 4 |\n| 5 |\n")
        .assert_clean();
    let html = t.read("p/index.html");
    assert!(
        html.contains(concat!(
            r#"<thead><tr><th align="left">a</th><th align="center">b</th>"#,
            r#"<th align="right">c</th><th>d</th></tr></thead>"#
        )),
        "{html}"
    );
    assert!(
        html.contains(concat!(
            r#"<tr><td align="left">1</td><td align="center"><code>2</code></td>"#,
            r#"<td align="right"><strong>3</strong></td><td>4</td></tr>"#
        )),
        "{html}"
    );
    // A short row is filled to the table's width, each cell aligned as its column.
    assert!(
        html.contains(concat!(
            r#"<tr><td align="left">5</td><td align="center"></td>"#,
            r#"<td align="right"></td><td></td></tr>"#
        )),
        "{html}"
    );
    assert!(!html.contains("text-align"), "{html}");
}

#[test]
fn code_is_highlighted_at_build_time() {
    page("```yaml\nkey: value # comment\n```\n")
        .assert_clean()
        .assert_contains(
            "p/index.html",
            r#"<pre class="code" data-lang="yaml"><code><span class="nt">key</span>: <span class="s">value</span> <span class="c"># comment"#,
        );
}

#[test]
fn code_is_escaped_and_unknown_languages_stay_plain() {
    let body = "```bash\necho '<script>' && exit 1\n```\n\n```klingon\n<b>qapla'</b>\n```\n\n```bash\necho '<script>' && exit 1\n```\n";
    let t = page(body).assert_clean();
    let html = t.read("p/index.html");
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains(r#"<span class="s">'&lt;script&gt;'</span> &amp;&amp; "#),
        "{html}"
    );
    assert!(
        html.contains(r#"<pre class="code" data-lang="klingon"><code>&lt;b&gt;qapla'&lt;/b&gt;"#),
        "{html}"
    );
    // A repeated block (highlighted once, then reused) comes out the same.
    let blocks: Vec<&str> = html
        .split(r#"<pre class="code" data-lang="bash">"#)
        .skip(1)
        .collect();
    assert_eq!(blocks.len(), 2);
    assert_eq!(
        blocks[0].split("</pre>").next(),
        blocks[1].split("</pre>").next()
    );
}

#[test]
fn raw_text_is_escaped() {
    page("A <b>tag</b> and 1 < 2 & `<script>`\n")
        .assert_clean()
        .assert_contains("p/index.html", "1 &lt; 2 &amp; <code>&lt;script&gt;</code>");
}

#[test]
fn broken_links_and_anchors_are_reported_with_positions() {
    let t = HandbookTest::empty()
        .file("content/a.md", "---\ntitle: A\n---\n## Real\n\nSee [b](b.md), [c](c.md#onl),\n[self](#reel) and ![img](missing.png).\n")
        .file("content/c.md", "## Only\n")
        .build()
        .assert_ok();
    t.diagnostic("link-broken", "content/a.md", 6, 5);
    let d = t.diagnostic("anchor-broken", "content/a.md", 6, 16);
    assert_eq!(d.help.as_deref(), Some("did you mean `#only`?"));
    let d = t.diagnostic("anchor-broken", "content/a.md", 7, 1);
    assert_eq!(d.help.as_deref(), Some("did you mean `#real`?"));
    t.diagnostic("link-broken", "content/a.md", 7, 19);
    assert_eq!(t.diagnostics.len(), 4, "{}", t.diagnostics_text());
    // The page still builds, with the broken link left as written.
    t.assert_contains("a/index.html", r#"<a href="b.md">b</a>"#);
}

#[test]
fn links_that_leave_the_handbook_are_broken() {
    let t = HandbookTest::empty()
        .file(
            "content/a.md",
            "[x](../../etc/passwd) [y](%2e%2e/secret.md)\n",
        )
        .build();
    assert_eq!(
        t.rules(),
        ["link-broken", "link-broken"],
        "{}",
        t.diagnostics_text()
    );
}

#[test]
fn anchors_in_html_and_in_another_case_resolve_as_on_github() {
    let filler = "Text.\n\n".repeat(80);
    let t = HandbookTest::empty()
        .file(
            "content/guide.md",
            format!(
                "# Guide\n\n[not here](#no)\n\nSee [extend](#extend), [legacy](#old-name), \
                 [steps](ops.md#STEPS) and [setup](#Setup).\n\n## Setup\n\n{filler}\
                 <h3 id=\"extend\">Extend</h3>\n\n<a name=\"old-name\"></a>\n\n\
                 Text with a <span data-id=\"no\">span</span>.\n"
            ),
        )
        .file(
            "content/ops.md",
            format!("# Ops\n\n{filler}## Steps\n\nDo it.\n\n{filler}"),
        )
        .build()
        .assert_rules(&["anchor-broken"]);
    // Only the anchor that exists nowhere: not `data-id`, which is no anchor.
    t.diagnostic("anchor-broken", "content/guide.md", 3, 1);

    let Some(browser) =
        crate::harness::Browser::start("anchors_in_html_and_in_another_case_resolve_as_on_github")
    else {
        return;
    };
    // The browser matches ids exactly; the theme's script lands on `## Steps` for `#STEPS`.
    browser.open(&format!(
        "file://{}#STEPS",
        t.out("ops/index.html").display()
    ));
    let landed = browser.wait_for(
        "var h = document.getElementById('steps');
         return window.scrollY > 0 && Math.abs(h.getBoundingClientRect().top) < 100;",
    );
    assert!(
        landed,
        "the page did not scroll to the heading: {}",
        browser.eval(
            "return [window.scrollY, document.getElementById('steps').getBoundingClientRect().top];"
        )
    );
}

/// Docusaurus admonitions (`:::tip Title` ... `:::`, nested with more colons outside) are
/// callouts with Markdown inside; a finding inside one keeps its line and column; in a code
/// block they are code.
#[test]
fn docusaurus_admonitions_are_callouts() {
    let t = page(
        "Intro.\n\n::::danger[Do not]\nRun **nothing** yet.\n\n:::info\nSee [gone](gone.md).\n:::\n::::\n\n```md\n:::note\nliteral\n:::\n```\n",
    );
    t.assert_rules(&["link-broken"])
        .assert_contains(
            "p/index.html",
            r#"<div class="callout callout-caution" role="note" aria-label="Do not"><p class="callout-title">Do not</p>"#,
        )
        .assert_contains("p/index.html", "<p>Run <strong>nothing</strong> yet.</p>")
        .assert_contains(
            "p/index.html",
            r#"<div class="callout callout-note" role="note" aria-label="Info"><p class="callout-title">Info</p>"#,
        )
        .assert_contains("p/index.html", ":::note\nliteral\n:::")
        .assert_lacks("p/index.html", "::::");
}

#[test]
fn docusaurus_admonition_findings_keep_their_place() {
    let t =
        page("Intro.\n\n:::warning\nSee [gone](gone.md).\n:::\n").assert_rules(&["link-broken"]);
    // Front matter is 3 lines: the link is on line 7, column 5, as written.
    t.diagnostic("link-broken", "content/p.md", 7, 5);
}

/// An `.mdx` page (Docusaurus) is Markdown: its `import`/`export` lines are left out, its JSX
/// components shown as the text they are and reported where they are written.
#[test]
fn mdx_pages_are_markdown_with_their_jsx_shown_and_reported() {
    let mdx = "---\ntitle: Deploys\n---\nimport Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n# Deploys\n\n<Tabs>\n  <TabItem value=\"k8s\" label=\"Kubernetes\">\n\nRun `kubectl rollout` as the [runbook](runbook.md) says.\n\n  </TabItem>\n</Tabs>\n\nPress <Kbd>Ctrl</Kbd> to stop.\n\n```js\nimport x from 'y';\n```\n\nexport const meta = {\n  owner: 'ops',\n};\n";
    let t = HandbookTest::empty()
        .file("content/deploys.mdx", mdx)
        .file("content/runbook.md", "# Runbook\n")
        .build()
        .assert_rules(&["template-syntax"]);
    let html = t.read("deploys/index.html");
    assert!(
        !html.contains("@theme/Tabs") && !html.contains("owner: 'ops'"),
        "{html}"
    );
    let code = html.split("data-lang=\"js\"").nth(1).unwrap_or("");
    assert!(code.contains("import "), "code keeps its lines: {html}");
    assert!(
        html.contains("&lt;Tabs&gt;") && html.contains("&lt;/TabItem&gt;"),
        "{html}"
    );
    assert!(
        !html.contains("<Tabs>") && !html.contains("<Kbd>"),
        "{html}"
    );
    assert!(html.contains("<code>kubectl rollout</code>"), "{html}");
    assert!(html.contains(r#"href="../runbook/index.html""#), "{html}");
    assert!(html.contains("&lt;Kbd&gt;Ctrl&lt;/Kbd&gt;"), "{html}");
    t.diagnostic("template-syntax", "content/deploys.mdx", 9, 1);
    t.diagnostic("template-syntax", "content/deploys.mdx", 10, 3);
    let kbd = t.diagnostic("template-syntax", "content/deploys.mdx", 17, 7);
    assert!(kbd.message.contains("JSX component"), "{kbd:?}");
    // Not a file copied beside the page.
    t.assert_missing("deploys.mdx");
}
