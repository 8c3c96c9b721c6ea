//! Markdown to HTML: CommonMark plus GitHub's extensions, through pulldown-cmark.
//!
//! One pass over the events of a document body produces its HTML and what later stages need to
//! know about it: headings with stable GitHub-style ids (anchors that work on GitHub work here),
//! the h2/h3 table of contents, and every link and image with its byte offset. Link targets are
//! resolved by the caller's [`LinkResolver`] (the site model knows where pages live); this module
//! knows nothing about the site. GitHub callouts become styled admonitions, fenced code is
//! highlighted at build time, and bare URLs and e-mail addresses become links, as on GitHub.
//! Raw HTML is read by [`html`]: its links are resolved and rewritten like Markdown's, its
//! `id`s are anchors, and its `handbook-ignore` comments are recorded.
//!
//! This file holds the entry points ([`render`], [`first_h1`]); [`rendered`](mod@rendered)
//! is what a rendered body is and the [`LinkResolver`] links go through;
//! [`events`] walks and rewrites the events (headings, code, callouts, footnotes, links
//! resolved and collected, raw HTML, the text kept for search); [`anchors`](mod@anchors)
//! makes heading ids and the table of contents; [`highlight`] colours code blocks;
//! [`autolink`] links bare URLs and addresses; [`directives`] reads `handbook-ignore`
//! comments; [`template_syntax`](mod@template_syntax) finds other tools' template tags in the
//! prose.

mod admonitions;
mod anchors;
mod autolink;
mod directives;
mod events;
mod highlight;
mod html;
mod lexers;
mod rendered;
mod template_syntax;

use pulldown_cmark::utils::TextMergeWithOffset;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_html_body_text;

pub use anchors::{anchors, is_mark, HeadingIdStyle};
pub use directives::{Directive, Scope};
use events::Renderer;
pub use html::escape_attribute;
pub use rendered::{Heading, Html, LinkRef, LinkResolver, Rendered, TextSection};
pub use template_syntax::TemplateSyntax;

fn options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The text of the document's first level-1 heading, if any: the title of a page whose front
/// matter gives none.
pub fn first_h1(body: &str) -> Option<String> {
    let mut in_h1 = false;
    let mut text = String::new();
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => in_h1 = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                // A template printing the title names no title.
                return Some(text.trim().to_string()).filter(|t| !t.is_empty() && !is_title_tag(t));
            }
            Event::Text(t) | Event::Code(t) if in_h1 => text.push_str(&t),
            _ => {}
        }
    }
    None
}

/// Renders `body`. When `drop_leading_h1` is given and the body opens with a level-1 heading of
/// that text, the heading is left out: the page template shows the title itself.
pub fn render<R: LinkResolver>(
    body: &str,
    resolver: &R,
    drop_leading_h1: Option<&str>,
) -> Rendered<R::Target> {
    render_with(body, resolver, drop_leading_h1, Options::default())
}

/// How a body is rendered, beyond its text.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Whether sections keep their text for search (a site without search has no use for it:
    /// the sections' text is then left empty).
    pub keep_text: bool,
    /// Whether the HTML is written: a check reads only what the walk finds (links, headings,
    /// anchors, template tags), and writing and highlighting are a tenth of its time. The
    /// body's HTML is then empty.
    pub html: bool,
    /// Whether the HTML is held compressed (lz4) until it is read: a large build's bodies wait
    /// for their pages beside everything else, and their HTML was the largest part of the
    /// peak. Reading it back costs a tenth of writing it.
    pub squeeze: bool,
    /// Whose rule makes heading ids.
    pub heading_ids: HeadingIdStyle,
    /// An MDX page: its JSX components (`<Tabs>`, tags named with a capital) are shown as the
    /// text they are and reported, not passed through as HTML.
    pub jsx: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            keep_text: true,
            html: true,
            squeeze: false,
            heading_ids: HeadingIdStyle::default(),
            jsx: false,
        }
    }
}

/// [`render`], as `options` say.
pub fn render_with<R: LinkResolver>(
    body: &str,
    resolver: &R,
    drop_leading_h1: Option<&str>,
    how: Options,
) -> Rendered<R::Target> {
    let Options {
        keep_text,
        html,
        squeeze,
        heading_ids,
        jsx,
    } = how;
    // Other tools' admonitions are rewritten as callouts first; offsets found in the rewritten
    // text are taken back to the body's at the end.
    let expanded = admonitions::expand(body);
    let source = expanded.as_ref().map_or(body, |e| e.text.as_str());
    let mut r = Renderer::new(resolver, source, keep_text, html, heading_ids);
    r.to_body = expanded.as_ref();
    r.jsx = jsx;
    r.squeeze = squeeze;
    let mut events =
        TextMergeWithOffset::new(Parser::new_ext(source, options()).into_offset_iter()).peekable();

    // The leading title heading, after anything that shows no text of its own (a comment,
    // an anchor, a logo or badges), as READMEs open.
    let mut leading = Vec::new();
    let mut title_next = false;
    if drop_leading_h1.is_some() {
        let mut in_image = 0usize;
        while let Some((event, _)) = events.peek() {
            let decorative = match event {
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => {
                    title_next = true;
                    break;
                }
                Event::Start(Tag::Image { .. }) => {
                    in_image += 1;
                    true
                }
                Event::End(TagEnd::Image) => {
                    in_image = in_image.saturating_sub(1);
                    true
                }
                Event::Text(t) => in_image > 0 || t.trim().is_empty(),
                Event::Start(Tag::Paragraph | Tag::HtmlBlock | Tag::Link { .. })
                | Event::End(TagEnd::Paragraph | TagEnd::HtmlBlock | TagEnd::Link)
                | Event::Html(_)
                | Event::InlineHtml(_)
                | Event::SoftBreak
                | Event::HardBreak => true,
                _ => false,
            };
            // Far into a page, the heading is not the one that opens it.
            if !decorative || leading.len() >= 256 {
                break;
            }
            leading.extend(events.next());
        }
    }
    if let (Some(title), true) = (drop_leading_h1, title_next) {
        r.run(leading.into_iter());
        let mut buffered = Vec::new();
        let mut text = String::new();
        for (ev, range) in events.by_ref() {
            if let Event::Text(t) | Event::Code(t) = &ev {
                text.push_str(t);
            }
            let end = matches!(ev, Event::End(TagEnd::Heading(_)));
            buffered.push((ev, range));
            if end {
                break;
            }
        }
        if text.trim() == title.trim() {
            r.title_heading(&buffered, &text);
        } else if is_title_tag(&text) {
            // Another tool's template printing the page's title: the title heading, as there.
            r.title_heading(&buffered, title);
        } else {
            r.run(buffered.into_iter());
        }
        r.run(events);
    } else {
        r.run(leading.into_iter().chain(events));
    }
    let mut rendered = r.finish();
    if let Some(e) = &expanded {
        rendered.map_offsets(|at| e.original(at));
    }
    for t in &mut rendered.templates {
        t.text = body.get(t.range.clone()).unwrap_or_default().to_string();
    }
    rendered
}

/// Whether a heading's text is another tool's template tag that prints the page's title, as
/// GOV.UK tech-docs pages open (`# <%= current_page.data.title %>`), and Jekyll's
/// (`{{ page.title }}`) and Hugo's (`{{ .Title }}`) layouts do.
fn is_title_tag(text: &str) -> bool {
    let inner = |open: &str, closes: &[&str]| {
        let rest = text.trim().strip_prefix(open)?;
        closes
            .iter()
            .find_map(|c| rest.strip_suffix(c))
            .map(str::trim)
    };
    matches!(
        inner("<%=", &["-%>", "%>"]),
        Some("current_page.data.title")
    ) || matches!(
        inner("{{", &["}}"]).map(|e| e.trim_start_matches('-').trim_end_matches('-').trim()),
        Some("page.title" | ".Title")
    )
}

/// Escapes text for HTML element content.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let _ = escape_html_body_text(&mut s, text);
    s
}

#[cfg(test)]
pub(super) mod tests {
    #[test]
    fn template_tags_in_raw_html_and_tables_are_found() {
        let body = "<div class=\"x\">\n<%= partial \"intro\" %>\n</div>\n\n\
                    | a | b | c |\n|---|---|---|\n| <%= link_to \"x\" | y %> | `{{ code }}` |\n\n\
                    Prose {{ site.title }}.\n";
        let out = render(body, &Fake, None);
        let found: Vec<&str> = out
            .templates
            .iter()
            .map(|t| &body[t.range.clone()])
            .collect();
        assert_eq!(
            found,
            [
                "<%= partial \"intro\" %>",
                "<%= link_to \"x\" | y %>",
                "{{ site.title }}"
            ]
        );
    }

    /// A check's walk (`html: false`) finds what a build's finds, without the HTML.
    #[test]
    fn a_walk_without_html_finds_what_one_with_it_finds() {
        let body = "# T\n\n## Step <a id=\"old\"></a>\n\nSee [b](b.md#x), <a href=\"c.md\">c</a> \
                    and {{ site.title }}.[^n]\n\n```sh\necho hi\n```\n\n\
                    <!-- handbook-ignore link-broken -->\n\n[^n]: A note.\n";
        let with = render(body, &Fake, Some("T"));
        let how = super::Options {
            html: false,
            ..super::Options::default()
        };
        let without = super::render_with(body, &Fake, Some("T"), how);
        assert_eq!(without.html(), "");
        assert!(with.html().contains("<pre"));
        assert_eq!(with.headings, without.headings);
        let links = |r: &super::Rendered<()>| -> Vec<(String, usize)> {
            r.links.iter().map(|l| (l.href.clone(), l.offset)).collect()
        };
        assert_eq!(links(&with), links(&without));
        assert_eq!(links(&with).len(), 2);
        assert_eq!(with.html_ids, without.html_ids);
        assert_eq!(with.title_id, without.title_id);
        assert_eq!(with.templates.len(), without.templates.len());
        assert_eq!(with.directives.len(), 1);
        assert_eq!(with.directives.len(), without.directives.len());
        let text = |r: &super::Rendered<()>| -> Vec<String> {
            r.text.iter().map(|s| s.text.clone()).collect()
        };
        assert_eq!(text(&with), text(&without));
    }

    #[test]
    fn another_tools_title_tag_is_the_title_heading() {
        for heading in [
            "# <%= current_page.data.title %>",
            "#  <%=current_page.data.title-%>",
            "# {{ page.title }}",
            "# {{- .Title -}}",
        ] {
            let body = format!("{heading}\n\nText.\n");
            let out = render(&body, &Fake, Some("Escalation"));
            assert_eq!(out.html(), "<p>Text.</p>\n", "{heading}");
            assert!(out.templates.is_empty(), "{heading}");
            assert_eq!(out.title_id.as_deref(), Some("escalation"), "{heading}");
            assert_eq!(first_h1(&body), None, "{heading}");
        }
        // Any other template in a heading stays, and is reported.
        let out = render("# <%= foo %>\n", &Fake, Some("Escalation"));
        assert!(out.html().contains("<h1"), "{}", out.html());
        assert_eq!(out.templates.len(), 1);
    }

    use super::*;

    /// Rewrites `x.md` to `x/` and records the href.
    pub(super) struct Fake;
    impl LinkResolver for Fake {
        type Target = ();
        fn resolve(&self, href: &str) -> (Option<String>, ()) {
            let (path, frag) = href
                .split_once('#')
                .map_or((href, None), |(p, f)| (p, Some(f)));
            let out = path.strip_suffix(".md").map(|s| match frag {
                Some(f) => format!("{s}/#{f}"),
                None => format!("{s}/"),
            });
            (out, ())
        }
    }

    pub(super) fn html(md: &str) -> String {
        render(md, &Fake, None).html().into_owned()
    }

    #[test]
    fn the_left_out_title_keeps_its_id() {
        let r = render("# Set up\n\ntext\n\n## Set up\n", &Fake, Some("Set up"));
        assert_eq!(r.title_id.as_deref(), Some("set-up"));
        assert_eq!(r.headings[0].id, "set-up-1");
        let r = render("# Set up {#start}\n", &Fake, Some("Set up"));
        assert_eq!(r.title_id.as_deref(), Some("start"));
        let r = render("# Other\n", &Fake, Some("Set up"));
        assert_eq!(r.title_id, None);
        // After a comment, an anchor and a logo, with an anchor of its own: still the title.
        let r = render(
            "<!-- markdownlint-disable MD033 -->\n<a name=\"top\"></a>\n\n![logo](logo.png)\n\n# <a id=\"readme-top\"></a> Set up\n\ntext\n",
            &Fake,
            Some("Set up"),
        );
        assert_eq!(r.title_id.as_deref(), Some("set-up"));
        assert!(!r.html().contains("<h1"), "{}", r.html());
        assert!(
            r.html().contains("<a id=\"readme-top\"></a>"),
            "{}",
            r.html()
        );
        assert!(r.html().contains("<img src=\"logo.png\""), "{}", r.html());
        assert_eq!(r.html_ids, ["top", "readme-top"]);
        // Prose before the heading: it is not the page's opening title.
        let r = render("Intro.\n\n# Set up\n", &Fake, Some("Set up"));
        assert!(r.html().contains("<h1 id=\"set-up\">"), "{}", r.html());
    }

    #[test]
    fn drops_only_the_matching_leading_title() {
        let r = render("# Title\n\ntext\n## Next\n", &Fake, Some("Title"));
        assert!(!r.html().contains("<h1"), "{}", r.html());
        assert_eq!(r.headings.len(), 1);
        let r = render("# Other\n\ntext\n", &Fake, Some("Title"));
        assert!(r.html().contains("<h1 id=\"other\">"), "{}", r.html());
        assert_eq!(
            first_h1("intro\n\n# The `x` title\n"),
            Some("The x title".into())
        );
        assert_eq!(first_h1("## only h2\n"), None);
    }

    #[test]
    fn gfm_extensions() {
        let out = html("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~\n\nNote[^1].\n\n[^1]: The note.\n");
        assert!(out.contains("<table>"));
        assert!(out.contains("type=\"checkbox\""));
        assert!(out.contains("<del>old</del>"));
        assert!(out.contains("footnote"));
    }

    #[test]
    fn pathological_nesting_does_not_crash() {
        let deep_quotes = ">".repeat(50_000) + " x\n";
        let _ = html(&deep_quotes);
        let deep_lists = (0..5_000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect::<String>();
        let _ = html(&deep_lists);
        let brackets = "[".repeat(50_000) + &"]".repeat(50_000);
        let _ = html(&brackets);
    }
}
