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

mod html;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::utils::TextMergeWithOffset;
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};
use serde::Serialize;

/// Resolves a link target written in the document to the href to write, and whatever the caller
/// wants remembered about it (for link checking).
pub trait LinkResolver {
    type Target;
    /// Returns the href to write (`None` keeps the original) and the caller's target record.
    fn resolve(&self, href: &str) -> (Option<String>, Self::Target);
}

/// A heading with its anchor id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link or image found in the body.
#[derive(Debug, Clone)]
pub struct LinkRef<T> {
    pub href: String,
    /// Byte offset of the link in the body.
    pub offset: usize,
    pub is_image: bool,
    pub target: T,
}

/// The rendered body of one document.
#[derive(Debug, Clone)]
pub struct Rendered<T> {
    pub html: String,
    /// Every heading, in order (the leading title heading excluded when it was removed).
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef<T>>,
    /// The text split at headings, for search (empty when the site has no search).
    pub text: Vec<TextSection>,
    /// Another tool's template syntax left in the prose (`{{< ref >}}`, `{% include %}`,
    /// `<%= partial %>`): shown as the literal text it is, and reported.
    pub templates: Vec<TemplateSyntax>,
    /// Anchors written in raw HTML (`<h3 id="x">`, `<a name="x">`), which links may target as
    /// they may a heading (GitHub keeps them too).
    pub html_ids: Vec<String>,
    /// The id of the leading `# Heading` that was left out because it is the page's title:
    /// the page's own `<h1>` carries it, so that links to it work as they do on GitHub.
    pub title_id: Option<String>,
    /// `<!-- handbook-ignore RULE -->` comments, which silence findings where they stand.
    pub directives: Vec<Directive>,
}

/// A `<!-- handbook-ignore RULE... -->` comment (silences the rules on the next line),
/// `<!-- handbook-ignore-line RULE... -->` (on its own line) or
/// `<!-- handbook-ignore-file RULE... -->` (in the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Byte offset of the comment in the body.
    pub offset: usize,
    /// Byte offset just past the comment's `-->`: a comment over several lines silences the
    /// line after its end.
    pub end: usize,
    /// Where it silences.
    pub scope: Scope,
    /// The rule names as written.
    pub rules: Vec<String>,
}

impl Directive {
    /// The directive a comment's text (between `<!--` and `-->`) makes, if any.
    pub fn parse(comment: &str, offset: usize, end: usize) -> Option<Directive> {
        let text = comment.trim();
        // Any case: `HANDBOOK-IGNORE` is no less meant.
        let prefix = |p: &str| {
            text.get(..p.len())
                .filter(|t| t.eq_ignore_ascii_case(p))
                .map(|_| &text[p.len()..])
        };
        let (scope, rest) = if let Some(rest) = prefix("handbook-ignore-line") {
            (Scope::Line, rest)
        } else if let Some(rest) = prefix("handbook-ignore-file") {
            (Scope::File, rest)
        } else {
            (Scope::NextLine, prefix("handbook-ignore")?)
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            return None; // `handbook-ignored`, some other word
        }
        let rules = rest
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        Some(Directive {
            offset,
            end,
            scope,
            rules,
        })
    }
}

/// Where a `handbook-ignore` comment silences its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The line after the comment's end (`handbook-ignore`).
    NextLine,
    /// The comment's own line (`handbook-ignore-line`).
    Line,
    /// The whole file (`handbook-ignore-file`): findings about the document itself, reported
    /// at its first line, have no other line to be silenced on.
    File,
}

/// A piece of template syntax in the prose, by byte range in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSyntax {
    pub range: Range<usize>,
    /// Whose syntax it looks like.
    pub dialect: &'static str,
}

/// Template tags of other tools in `text` (prose, not code), each closed on the same line:
/// `(range, dialect)`. An unclosed `{%` or `<%` is ordinary text.
pub fn template_syntax(text: &str) -> Vec<(Range<usize>, &'static str)> {
    const TAGS: [(&str, &str, &str); 5] = [
        ("{{<", ">}}", "a Hugo shortcode"),
        ("{{%", "%}}", "a Hugo shortcode"),
        ("{%", "%}", "a Liquid or Jinja tag"),
        ("<%", "%>", "an ERB tag"),
        ("{{", "}}", "a template expression"),
    ];
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut at = 0;
        // Where each closer was last seen missing from the rest of the line: a line of many
        // openers and no closer is then searched once per closer, not once per opener.
        let mut missing = [usize::MAX; TAGS.len()];
        while let Some(i) = memchr::memchr2(b'{', b'<', &line.as_bytes()[at..]) {
            let start = at + i;
            let rest = &line[start..];
            let tag = TAGS
                .iter()
                .enumerate()
                .find_map(|(k, &(open, close, dialect))| {
                    let inner = rest.strip_prefix(open)?;
                    if start >= missing[k] {
                        return None;
                    }
                    match inner.find(close) {
                        Some(end) => Some((open.len() + end + close.len(), dialect)),
                        None => {
                            missing[k] = start;
                            None
                        }
                    }
                });
            match tag {
                Some((len, dialect)) => {
                    found.push((line_start + start..line_start + start + len, dialect));
                    at = start + len;
                }
                None => at = start + 1,
            }
        }
        line_start += line.len();
    }
    found
}

impl<T> Rendered<T> {
    /// The headings for an on-page table of contents: levels 2 and 3.
    pub fn toc(&self) -> impl Iterator<Item = &Heading> {
        self.headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
    }
}

fn options() -> Options {
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
                return Some(text.trim().to_string()).filter(|t| !t.is_empty())
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
    render_with(body, resolver, drop_leading_h1, true)
}

/// [`render`], keeping the text for search only when `keep_text` (a site without search has no
/// use for it: the sections' text is then left empty).
pub fn render_with<R: LinkResolver>(
    body: &str,
    resolver: &R,
    drop_leading_h1: Option<&str>,
    keep_text: bool,
) -> Rendered<R::Target> {
    let mut r = Renderer {
        resolver,
        html: String::with_capacity(body.len() + body.len() / 2),
        headings: Vec::new(),
        links: Vec::new(),
        ids: HeadingIds::default(),
        footnotes: Footnotes::default(),
        text: vec![TextSection {
            heading: None,
            text: String::new(),
        }],
        in_heading: false,
        keep_text,
        body,
        templates: Vec::new(),
        html_ids: Vec::new(),
        title_id: None,
        directives: Vec::new(),
        html_anchors: 0,
    };
    let mut events =
        TextMergeWithOffset::new(Parser::new_ext(body, options()).into_offset_iter()).peekable();

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
        if text.trim() != title.trim() {
            r.run(buffered.into_iter());
        } else {
            r.title_heading(&buffered, &text);
        }
        r.run(events);
    } else {
        r.run(leading.into_iter().chain(events));
    }
    // Held for the search index as long as the model lives: no spare capacity.
    for section in &mut r.text {
        section.text.shrink_to_fit();
    }
    Rendered {
        html: r.html,
        headings: r.headings,
        links: r.links,
        text: r.text,
        templates: r.templates,
        html_ids: r.html_ids,
        title_id: r.title_id,
        directives: r.directives,
    }
}

/// The anchors of a page of HTML: its `id`s and `<a name>`s, as a browser finds them.
pub fn anchors(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    html::scan(page, |item| {
        if let html::Item::Anchor(id) = item {
            out.push(id.into_owned());
        }
    });
    out
}

/// One stretch of a document's text as search reads it: what comes before the first heading
/// (`heading: None`) or under one heading, up to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSection {
    pub heading: Option<Heading>,
    /// The plain text: paragraphs, list items, table cells, code, image descriptions; blocks
    /// separated by a space, markup and raw HTML left out.
    pub text: String,
}

struct Renderer<'r, R: LinkResolver> {
    resolver: &'r R,
    html: String,
    headings: Vec<Heading>,
    links: Vec<LinkRef<R::Target>>,
    ids: HeadingIds,
    footnotes: Footnotes,
    text: Vec<TextSection>,
    /// Rendering a heading's content: its text is the heading's, not the section's.
    in_heading: bool,
    /// Whether sections keep their text, for search.
    keep_text: bool,
    body: &'r str,
    templates: Vec<TemplateSyntax>,
    html_ids: Vec<String>,
    title_id: Option<String>,
    directives: Vec<Directive>,
    /// Raw `<a>` elements open around the text (`<a href="...">ops@example.org</a>`): no
    /// autolink inside them, as a link inside a link is not HTML.
    html_anchors: usize,
}

/// Footnote numbers, in order of first appearance (reference or definition), as GitHub shows
/// them. Their ids (`fn:1`, `fnref:1`, as kramdown writes them) contain a colon, which heading
/// slugs never do, so the two cannot clash.
#[derive(Default)]
struct Footnotes {
    numbers: HashMap<String, usize>,
    /// Footnotes whose first reference has been written (it carries the `fnref:` id).
    referenced: std::collections::HashSet<usize>,
}

impl Footnotes {
    fn number(&mut self, name: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(name.to_string()).or_insert(next)
    }

    fn reference(&mut self, name: &str) -> String {
        let n = self.number(name);
        let id = if self.referenced.insert(n) {
            format!(" id=\"fnref:{n}\"")
        } else {
            String::new()
        };
        format!("<sup class=\"footnote-ref\"><a href=\"#fn:{n}\"{id}>{n}</a></sup>")
    }

    fn definition_start(n: usize) -> String {
        format!("<div class=\"footnote-definition\" id=\"fn:{n}\"><sup class=\"footnote-definition-label\">{n}</sup>\n")
    }

    fn definition_end(&self, n: usize) -> String {
        if self.referenced.contains(&n) {
            format!("<a class=\"footnote-backref\" href=\"#fnref:{n}\" aria-label=\"Back to reference {n}\">↩</a></div>\n")
        } else {
            "</div>\n".to_string()
        }
    }
}

impl<R: LinkResolver> Renderer<'_, R> {
    fn run<'a>(&mut self, events: impl Iterator<Item = (Event<'a>, Range<usize>)>) {
        let mut events = events;
        // Events are passed through to pulldown-cmark's HTML writer in batches; we intercept
        // headings, code blocks, callouts, links and bare URLs.
        let mut batch: Vec<Event<'a>> = Vec::new();
        let mut link_depth = 0usize;
        // The number of the footnote definition being written (they do not nest).
        let mut footnote = 0;
        while let Some((event, range)) = events.next() {
            // Code blocks are consumed below and inline code is `Event::Code`: only prose.
            if let Event::Text(_) = &event {
                if let Some(source) = self.body.get(range.clone()) {
                    for (found, dialect) in template_syntax(source) {
                        let at = range.start;
                        self.templates.push(TemplateSyntax {
                            range: at + found.start..at + found.end,
                            dialect,
                        });
                    }
                }
            }
            if self.keep_text && !self.in_heading {
                let text = &mut self.text.last_mut().expect("never empty").text;
                match &event {
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    Event::SoftBreak | Event::HardBreak => space(text),
                    // Blocks, not inline markup: `**on**-call` is one word.
                    Event::End(end) if is_block(end) => space(text),
                    _ => {}
                }
            }
            match event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    self.flush(&mut batch);
                    let mut inner = Vec::new();
                    for (ev, range) in events.by_ref() {
                        if matches!(ev, Event::End(TagEnd::Heading(_))) {
                            break;
                        }
                        inner.push((ev, range));
                    }
                    self.heading(level, id, classes, attrs, inner);
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    self.flush(&mut batch);
                    let mut code = String::new();
                    for (ev, _) in events.by_ref() {
                        match ev {
                            Event::Text(t) => code.push_str(&t),
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    let lang = match &kind {
                        CodeBlockKind::Fenced(info) => {
                            info.split([' ', ',', '{']).next().unwrap_or("")
                        }
                        CodeBlockKind::Indented => "",
                    };
                    highlight::code_block(&mut self.html, lang, &code);
                    if self.keep_text {
                        let text = &mut self.text.last_mut().expect("never empty").text;
                        text.push_str(&code);
                        space(text);
                    }
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let (class, label) = callout(kind);
                    batch.push(Event::Html(
                        format!(
                            "<div class=\"callout callout-{class}\" role=\"note\" aria-label=\"{label}\"><p class=\"callout-title\">{label}</p>\n"
                        )
                        .into(),
                    ));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    batch.push(Event::Html("</div>\n".into()))
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    link_depth += 1;
                    let dest = if link_type == LinkType::Email {
                        // `<ops@example.org>`: the writer adds `mailto:`; it is not a path.
                        let mailto = format!("mailto:{dest_url}");
                        self.resolve(&mailto, range.start, false);
                        dest_url
                    } else {
                        self.link(dest_url, range.start, false)
                    };
                    batch.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    }));
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    link_depth += 1;
                    let dest = self.link(dest_url, range.start, true);
                    batch.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    }));
                }
                // pulldown-cmark's writer numbers footnotes per call and names them `id="1"`,
                // which can clash with heading ids; they are written here instead.
                Event::FootnoteReference(name) => {
                    batch.push(Event::InlineHtml(self.footnotes.reference(&name).into()));
                }
                Event::Start(Tag::FootnoteDefinition(name)) => {
                    footnote = self.footnotes.number(&name);
                    batch.push(Event::Html(Footnotes::definition_start(footnote).into()));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    let end = self.footnotes.definition_end(footnote);
                    batch.push(Event::Html(end.into()));
                }
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    link_depth = link_depth.saturating_sub(1);
                    batch.push(event);
                }
                Event::Text(text)
                    if link_depth == 0 && self.html_anchors == 0 && may_contain_url(&text) =>
                {
                    autolink(text, &mut batch);
                }
                Event::Start(Tag::HtmlBlock) => {
                    // A block of HTML comes a line at a time; a tag may span lines.
                    let mut html = String::new();
                    let mut segments = Vec::new();
                    for (ev, range) in events.by_ref() {
                        match ev {
                            Event::Html(t) | Event::Text(t) => {
                                segments.push((html.len(), range));
                                html.push_str(&t);
                            }
                            Event::End(TagEnd::HtmlBlock) => break,
                            _ => {}
                        }
                    }
                    let html = self.raw_html(html.into(), &segments);
                    batch.push(Event::Html(html));
                    if self.keep_text {
                        space(&mut self.text.last_mut().expect("never empty").text);
                    }
                }
                Event::Html(html) => {
                    let html = self.raw_html(html, &[(0, range)]);
                    batch.push(Event::Html(html));
                }
                Event::InlineHtml(html) => {
                    let html = self.raw_html(html, &[(0, range)]);
                    batch.push(Event::InlineHtml(html));
                }
                other => batch.push(other),
            }
        }
        self.flush(&mut batch);
    }

    fn flush(&mut self, batch: &mut Vec<Event<'_>>) {
        if !batch.is_empty() {
            pulldown_cmark::html::push_html(&mut self.html, batch.drain(..));
        }
    }

    fn link<'a>(&mut self, dest: CowStr<'a>, offset: usize, is_image: bool) -> CowStr<'a> {
        match self.resolve(&dest, offset, is_image) {
            Some(href) => href.into(),
            None => dest,
        }
    }

    /// Resolves `href`, written at byte `offset` of the body, records it, and returns the
    /// href to write instead, if any.
    fn resolve(&mut self, href: &str, offset: usize, is_image: bool) -> Option<String> {
        let (rewritten, target) = self.resolver.resolve(href);
        self.links.push(LinkRef {
            href: href.to_string(),
            offset,
            is_image,
            target,
        });
        rewritten
    }

    /// The leading `# Heading` left out because it is the page's title (`text`): its id is
    /// taken, as GitHub takes it (a later `## Title` is `title-1`), for the page's `<h1>`; the
    /// anchors written in it (`# <a id="top"></a> Runbook`) stay where it stood.
    fn title_heading(&mut self, heading: &[(Event<'_>, Range<usize>)], text: &str) {
        let explicit = match heading.first() {
            Some((Event::Start(Tag::Heading { id, .. }), _)) => id.clone(),
            _ => None,
        };
        self.title_id = Some(match explicit {
            Some(id) => self.ids.explicit(&id),
            None => self.ids.github(text),
        });
        for (event, _) in heading {
            if let Event::InlineHtml(html) = event {
                html::scan(html, |item| {
                    if let html::Item::Anchor(id) = item {
                        self.html.push_str("<a id=\"");
                        html::escape_attribute(&mut self.html, &id);
                        self.html.push_str("\"></a>\n");
                        self.html_ids.push(id.into_owned());
                    }
                });
            }
        }
    }

    /// Raw HTML: its links resolved, recorded and rewritten as Markdown's are (the rest of
    /// the text byte for byte), its anchors and `handbook-ignore` comments recorded.
    /// `segments` says which range of the body each piece comes from: `(offset in html,
    /// range in body)`.
    fn raw_html<'a>(&mut self, html: CowStr<'a>, segments: &[(usize, Range<usize>)]) -> CowStr<'a> {
        let body = self.body;
        let maps: Vec<(usize, SourceMap)> = segments
            .iter()
            .enumerate()
            .map(|(i, (start, range))| {
                let end = segments.get(i + 1).map_or(html.len(), |(h, _)| *h);
                (
                    *start,
                    SourceMap::new(body, &html[*start..end], range.clone()),
                )
            })
            .collect();
        let in_body = |at: usize| {
            let i = maps.partition_point(|(h, _)| *h <= at).saturating_sub(1);
            match maps.get(i) {
                Some((start, map)) => map.offset(at - start),
                None => at,
            }
        };
        let mut urls = Vec::new();
        html::scan(&html, |item| match item {
            html::Item::Url {
                range,
                url,
                embedded,
                quote,
            } => urls.push((range, url.into_owned(), embedded, quote)),
            html::Item::Anchor(id) => self.html_ids.push(id.into_owned()),
            html::Item::Comment { start, end, text } => {
                let directive = Directive::parse(text, in_body(start), in_body(end));
                self.directives.extend(directive);
            }
            html::Item::Tag { name, end } if name.eq_ignore_ascii_case("a") => {
                self.html_anchors = match end {
                    true => self.html_anchors.saturating_sub(1),
                    false => self.html_anchors + 1,
                };
            }
            html::Item::Tag { .. } => {}
        });
        let mut out = String::new();
        let mut copied = 0;
        for (range, url, embedded, quote) in urls {
            let Some(href) = self.resolve(&url, in_body(range.start), embedded) else {
                continue;
            };
            if out.is_empty() {
                out.reserve(html.len() + 16);
            }
            out.push_str(&html[copied..range.start]);
            if quote.is_none() {
                out.push('"');
            }
            html::escape_attribute(&mut out, &href);
            if quote.is_none() {
                out.push('"');
            }
            copied = range.end;
        }
        if copied == 0 {
            return html;
        }
        out.push_str(&html[copied..]);
        out.into()
    }

    fn heading<'a>(
        &mut self,
        level: HeadingLevel,
        explicit_id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        inner: Vec<(Event<'a>, Range<usize>)>,
    ) {
        let mut text = String::new();
        for (ev, _) in &inner {
            if let Event::Text(t) | Event::Code(t) = ev {
                text.push_str(t);
            }
        }
        let id = match explicit_id {
            Some(id) => self.ids.explicit(&id),
            None => self.ids.github(&text),
        };
        let n = level as u8;
        let _ = write!(self.html, "<h{n} id=\"");
        let _ = escape_html(&mut self.html, &id);
        self.html.push('"');
        if !classes.is_empty() {
            self.html.push_str(" class=\"");
            let _ = escape_html(&mut self.html, &classes.join(" "));
            self.html.push('"');
        }
        for (k, v) in &attrs {
            self.html.push(' ');
            let _ = escape_html(&mut self.html, k);
            if let Some(v) = v {
                self.html.push_str("=\"");
                let _ = escape_html(&mut self.html, v);
                self.html.push('"');
            }
        }
        self.html.push('>');
        // Render the heading's inline content with the same rules as the rest (links inside
        // headings are resolved too).
        let saved = std::mem::take(&mut self.html);
        self.in_heading = true;
        self.run(inner.into_iter());
        self.in_heading = false;
        let inner_html = std::mem::replace(&mut self.html, saved);
        self.html.push_str(inner_html.trim_end());
        self.html.push_str("<a class=\"heading-anchor\" href=\"#");
        let _ = escape_href(&mut self.html, &id);
        let _ = writeln!(
            self.html,
            "\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>"
        );
        let heading = Heading {
            level: n,
            id,
            text: text.trim().to_string(),
        };
        self.text.push(TextSection {
            heading: Some(heading.clone()),
            text: String::new(),
        });
        self.headings.push(heading);
    }
}

/// Where the bytes of a piece of raw HTML lie in the body, given the body's range the piece
/// came from. Continuation lines of an inline tag, and the lines of an HTML block in a list or
/// a quote, reach the piece without their container's indentation or `>`: each line of the
/// piece is the end of its line in the source. Made once per piece, linear in it.
struct SourceMap {
    /// Where each line of the piece starts in the piece, and in the body.
    lines: Vec<(usize, usize)>,
}

impl SourceMap {
    fn new(body: &str, piece: &str, range: Range<usize>) -> SourceMap {
        let whole = vec![(0, range.start)];
        let Some(source) = body.get(range.clone()) else {
            return SourceMap { lines: whole };
        };
        // The piece is its source less container prefixes: as long, it is the source itself.
        if source.len() == piece.len() {
            return SourceMap { lines: whole };
        }
        let mut lines = Vec::new();
        let (mut in_piece, mut in_source) = (0, range.start);
        for (piece_line, source_line) in piece
            .split_inclusive('\n')
            .zip(source.split_inclusive('\n'))
        {
            let content = |l: &str| l.trim_end_matches(['\n', '\r']).len();
            let pad = content(source_line).saturating_sub(content(piece_line));
            lines.push((in_piece, in_source + pad));
            in_piece += piece_line.len();
            in_source += source_line.len();
        }
        if lines.is_empty() {
            lines = whole;
        }
        SourceMap { lines }
    }

    /// The body offset of byte `at` of the piece.
    fn offset(&self, at: usize) -> usize {
        let i = self
            .lines
            .partition_point(|&(p, _)| p <= at)
            .saturating_sub(1);
        let (piece, source) = self.lines[i];
        source + (at - piece)
    }
}

/// Whether `end` closes a block rather than inline markup.
fn is_block(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// Separates blocks in search text.
fn space(text: &mut String) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
}

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

fn may_contain_url(text: &str) -> bool {
    text.contains("://") || text.contains("www.") || text.contains('@')
}

/// Splits text around bare URLs and e-mail addresses (GFM's autolink extension) and links
/// them. As GitHub does: a URL needs a scheme (`https://`) or to start with `www.` (a file name
/// such as `values.yaml` is not a link), and an address is one link however it is written
/// (`bob.smith+ops@example.org`). Text without any is passed on untouched.
fn autolink<'a>(text: CowStr<'a>, out: &mut Vec<Event<'a>>) {
    // Addresses and URLs with a scheme first, so that a `www.` pass over what is left cannot
    // take the local part of an address for a host name.
    let mut with_scheme = linkify::LinkFinder::new();
    with_scheme.kinds(&[linkify::LinkKind::Url, linkify::LinkKind::Email]);
    with_scheme.url_must_have_scheme(true);
    let mut www = linkify::LinkFinder::new();
    www.kinds(&[linkify::LinkKind::Url]);
    www.url_must_have_scheme(false);
    let mut found: Vec<(Range<usize>, String)> = Vec::new();
    for span in with_scheme.spans(&text) {
        let (s, at) = (span.as_str(), span.start());
        match span.kind() {
            Some(linkify::LinkKind::Email) => found.push((at..span.end(), format!("mailto:{s}"))),
            Some(_) => found.push((at..span.end(), s.to_string())),
            None => {
                for inner in www.spans(s) {
                    let host = inner.as_str();
                    let starts_www = host
                        .get(..4)
                        .is_some_and(|p| p.eq_ignore_ascii_case("www."));
                    // GitHub links `www.` only at the start of a word.
                    let word_start = s[..inner.start()]
                        .chars()
                        .next_back()
                        .is_none_or(|c| c.is_whitespace() || "*_~(".contains(c));
                    if inner.kind().is_some() && starts_www && word_start {
                        let range = at + inner.start()..at + inner.end();
                        found.push((range, format!("https://{host}")));
                    }
                }
            }
        }
    }
    if found.is_empty() {
        out.push(Event::Text(text));
        return;
    }
    let mut copied = 0;
    for (range, dest) in found {
        if range.start > copied {
            out.push(Event::Text(text[copied..range.start].to_string().into()));
        }
        out.push(Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Autolink,
            dest_url: dest.into(),
            title: "".into(),
            id: "".into(),
        }));
        out.push(Event::Text(text[range.clone()].to_string().into()));
        out.push(Event::End(TagEnd::Link));
        copied = range.end;
    }
    if copied < text.len() {
        out.push(Event::Text(text[copied..].to_string().into()));
    }
}

/// Heading ids as GitHub makes them, unique within a page.
#[derive(Default)]
struct HeadingIds {
    used: HashMap<String, u32>,
}

impl HeadingIds {
    /// GitHub's rule: lowercase; drop everything but letters, marks, numbers, spaces, hyphens
    /// and underscores; each space becomes a hyphen; repeats get `-1`, `-2`, ...
    fn github(&mut self, text: &str) -> String {
        let base = github_slug(text);
        self.unique(base)
    }

    fn explicit(&mut self, id: &str) -> String {
        self.unique(id.to_string())
    }

    fn unique(&mut self, base: String) -> String {
        let mut id = base.clone();
        if let Some(n) = self.used.get(&base).copied() {
            let mut n = n;
            loop {
                n += 1;
                id = format!("{base}-{n}");
                if !self.used.contains_key(&id) {
                    break;
                }
            }
            self.used.insert(base, n);
        }
        self.used.insert(id.clone(), 0);
        id
    }
}

/// The GitHub heading slug of `text` (without de-duplication).
pub fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c == ' ' {
            out.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' || is_mark(c) {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Combining marks (every script's: Devanagari's virama, Thai's vowel signs, accents written
/// apart), which GitHub keeps.
pub fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// Escapes text for HTML element content.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let _ = escape_html_body_text(&mut s, text);
    s
}

mod highlight {
    //! Build-time syntax highlighting with syntect, as CSS classes so that the theme's
    //! stylesheet colours them for light and dark schemes alike.
    //!
    //! syntect's own classed output writes one nested span per scope with every scope
    //! segment as a class (`hl-meta hl-function-call hl-arguments hl-shell`), which made code
    //! the bulk of many pages. Instead, a theme maps scope selectors to a dozen token classes,
    //! and each run of text gets at most one span (`<span class="hl-string">`).

    use super::*;
    use std::str::FromStr;
    use std::sync::{Arc, Mutex};
    use syntect::easy::HighlightLines;
    use syntect::highlighting::{
        Color, ScopeSelectors, StyleModifier, Theme, ThemeItem, ThemeSettings,
    };
    use syntect::parsing::{SyntaxReference, SyntaxSet};
    use syntect::util::LinesWithEndings;

    /// Token classes (written as `hl-NAME`) and the scopes they cover. Where selectors
    /// compete, syntect picks the most specific, so `keyword.operator` beats `keyword`.
    /// Index 0 is plain text: no span.
    const CLASSES: &[(&str, &str)] = &[
        ("", "source, text, punctuation, keyword.operator, variable.other.member, variable.other.property, variable.other.object, meta.function-call.arguments"),
        ("comment", "comment, punctuation.definition.comment"),
        ("keyword", "keyword, storage, variable.language"),
        ("string", "string, punctuation.definition.string, markup.raw"),
        ("constant", "constant, support.type, support.class, support.constant, entity.other.attribute-name, string constant.character.escape"),
        ("function", "entity.name, entity.name.function, variable.function, support.function"),
        ("type", "entity.name.type, entity.name.class, entity.name.struct, entity.name.enum, entity.name.trait, entity.name.namespace, entity.other.inherited-class"),
        ("variable", "variable, variable.parameter, punctuation.definition.variable, punctuation.definition.parameter, markup.list punctuation"),
        ("tag", "entity.name.tag, entity.name.key, meta.mapping.key string, support.type.property-name, string.regexp, markup.quote"),
        ("heading", "markup.heading, markup.heading entity.name, meta.diff.range, meta.diff.header"),
        ("bold", "markup.bold"),
        ("italic", "markup.italic"),
        ("link", "markup.underline, markup.underline.link"),
        ("inserted", "markup.inserted"),
        ("deleted", "markup.deleted"),
        ("invalid", "invalid, invalid.illegal, invalid.deprecated"),
    ];

    /// The classes as a syntect theme: each rule's foreground colour carries its class index.
    fn theme() -> &'static Theme {
        static THEME: OnceLock<Theme> = OnceLock::new();
        THEME.get_or_init(|| Theme {
            settings: ThemeSettings {
                foreground: Some(class_colour(0)),
                ..ThemeSettings::default()
            },
            scopes: CLASSES
                .iter()
                .enumerate()
                .map(|(i, (_, selectors))| ThemeItem {
                    scope: ScopeSelectors::from_str(selectors).expect("built-in selectors parse"),
                    style: StyleModifier {
                        foreground: Some(class_colour(i)),
                        ..StyleModifier::default()
                    },
                })
                .collect(),
            ..Theme::default()
        })
    }

    fn class_colour(index: usize) -> Color {
        Color {
            r: index as u8,
            g: 0,
            b: 0,
            a: 0xff,
        }
    }

    pub fn syntaxes() -> &'static SyntaxSet {
        static SET: OnceLock<SyntaxSet> = OnceLock::new();
        SET.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    /// Common names that syntect's bundled grammars know under another token.
    fn alias(lang: &str) -> &str {
        match lang {
            "sh" | "shell" | "zsh" | "console" => "bash",
            "yml" => "yaml",
            "py" => "python",
            "js" | "javascript" => "js",
            "rs" => "rust",
            "golang" => "go",
            other => other,
        }
    }

    pub fn code_block(out: &mut String, lang: &str, code: &str) {
        let lang = lang.trim().to_ascii_lowercase();
        let set = syntaxes();
        let syntax = if lang.is_empty() || lang == "text" || lang == "plain" {
            None
        } else {
            set.find_syntax_by_token(alias(&lang))
        };
        out.push_str("<pre class=\"code\"");
        if !lang.is_empty() {
            out.push_str(" data-lang=\"");
            let _ = escape_html(&mut *out, &lang);
            out.push('"');
        }
        out.push_str("><code>");
        match syntax.and_then(|syntax| cached(syntax, code)) {
            Some(html) => out.push_str(&html),
            None => {
                let _ = escape_html_body_text(&mut *out, code);
            }
        }
        out.push_str("</code></pre>\n");
    }

    fn highlight(syntax: &SyntaxReference, code: &str) -> Option<String> {
        let mut lines = HighlightLines::new(syntax, theme());
        let mut html = String::with_capacity(code.len() * 2);
        // The class of the open span (0: none), so that runs of one class share a span, and
        // whitespace not yet written: it joins the open span only if the same class follows.
        let mut open = 0;
        let mut blank = String::new();
        for line in LinesWithEndings::from(code) {
            for (style, text) in lines.highlight_line(line, syntaxes()).ok()? {
                if text.trim().is_empty() {
                    blank.push_str(text);
                    continue;
                }
                let class = usize::from(style.foreground.r).min(CLASSES.len() - 1);
                if class != open {
                    if open != 0 {
                        html.push_str("</span>");
                    }
                    html.push_str(&blank);
                    if class != 0 {
                        let _ = write!(html, "<span class=\"hl-{}\">", CLASSES[class].0);
                    }
                    open = class;
                } else {
                    html.push_str(&blank);
                }
                blank.clear();
                let _ = escape_html_body_text(&mut html, text);
            }
        }
        if open != 0 {
            html.push_str("</span>");
        }
        html.push_str(&blank);
        Some(html)
    }

    /// Highlighted blocks by grammar and code. syntect parses about 20,000 lines a second, and
    /// handbooks repeat their snippets (the same `ssh`, `kubectl` or `openssl` line in many
    /// procedures), so each distinct block is highlighted once per process: once per build,
    /// and across rebuilds under `serve`. Bounded: past the limit the cache starts afresh.
    #[derive(Default)]
    struct Cache {
        blocks: HashMap<(usize, Box<str>), Arc<str>>,
        bytes: usize,
    }

    const CACHE_LIMIT_BYTES: usize = 64 << 20;

    fn cached(syntax: &SyntaxReference, code: &str) -> Option<Arc<str>> {
        static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
        let cache = CACHE.get_or_init(Mutex::default);
        // A panic while the lock is held cannot leave the map inconsistent: keep using it.
        let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
        // Grammars are told apart by their address in the process-wide syntax set.
        let key = (std::ptr::from_ref(syntax) as usize, Box::<str>::from(code));
        if let Some(hit) = lock().blocks.get(&key) {
            return Some(hit.clone());
        }
        // Highlight outside the lock; two threads may race on one block, which is harmless.
        let html: Arc<str> = highlight(syntax, code)?.into();
        let size = key.1.len() + html.len();
        let mut cache = lock();
        if cache.bytes + size > CACHE_LIMIT_BYTES {
            *cache = Cache::default();
        }
        cache.bytes += size;
        cache.blocks.insert(key, html.clone());
        Some(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rewrites `x.md` to `x/` and records the href.
    struct Fake;
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

    fn html(md: &str) -> String {
        render(md, &Fake, None).html
    }

    #[test]
    fn template_tags_in_prose_are_found_and_shown_literally() {
        let md =
            "See {{< ref \"a.md\" >}} and {% include note.html %}.\n\n<%= partial \"x\" %>\n\n\
                  `{% in code %}` and 50{% off, {{ site.title }}\n\n```\n{{< in a block >}}\n```\n";
        let r = render(md, &Fake, None);
        let found: Vec<_> = r
            .templates
            .iter()
            .map(|t| (&md[t.range.clone()], t.dialect))
            .collect();
        assert_eq!(
            found,
            [
                ("{{< ref \"a.md\" >}}", "a Hugo shortcode"),
                ("{% include note.html %}", "a Liquid or Jinja tag"),
                ("<%= partial \"x\" %>", "an ERB tag"),
                ("{{ site.title }}", "a template expression"),
            ]
        );
        assert!(
            r.html.contains("See {{&lt; ref \"a.md\" &gt;}}"),
            "{}",
            r.html
        );
        assert!(r.html.contains("&lt;%= partial"), "{}", r.html);
        assert!(template_syntax("{% not closed\n%}").is_empty());
    }

    #[test]
    fn ids_written_in_html_are_anchors() {
        let r = render(
            "<h3 ID=\"extend\">x</h3>\n\nText <a name='old'></a> and <span id=bare>y</span>.\n\n\
             <div\n  data-id=\"no\"\n  id=\"diagram\">\n<input name=\"email\">\n<!-- <a id=\"x\"> -->\n</div>\n\n\
             `<a id=\"code\">`\n",
            &Fake,
            None,
        );
        assert_eq!(r.html_ids, ["extend", "old", "bare", "diagram"]);
    }

    #[test]
    fn links_in_raw_html_are_resolved_rewritten_and_recorded() {
        let md = "Inline <a href=\"a.md#x\">a</a> and <img src=b.md>.\n\n\
                  <p>\n<img alt=\"A\"\n  srcset=\"c.md 1x, https://x.example/d.png 2x\">\n\
                  <video poster='e.md'></video></p>\n";
        let r = render(md, &Fake, None);
        assert!(r.html.contains("<a href=\"a/#x\">a</a>"), "{}", r.html);
        assert!(r.html.contains("<img src=\"b/\">"), "{}", r.html);
        assert!(
            r.html
                .contains("srcset=\"c/ 1x, https://x.example/d.png 2x\">\n<video poster='e/'>"),
            "{}",
            r.html
        );
        let found: Vec<_> = r
            .links
            .iter()
            .map(|l| {
                (
                    l.href.as_str(),
                    &md[l.offset..l.offset + l.href.len()],
                    l.is_image,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("a.md#x", "a.md#x", false),
                ("b.md", "b.md", true),
                ("c.md", "c.md", true),
                ("https://x.example/d.png", "https://x.example/d.png", true),
                ("e.md", "e.md", true),
            ]
        );
    }

    #[test]
    fn e_mail_addresses_are_mailto_links() {
        let r = render(
            "Write to <ops@example.org> or dana@example.org, not @dana.\n",
            &Fake,
            None,
        );
        assert!(
            r.html
                .contains("<a href=\"mailto:ops@example.org\">ops@example.org</a>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<a href=\"mailto:dana@example.org\">dana@example.org</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("not @dana."), "{}", r.html);
        let hrefs: Vec<_> = r.links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(hrefs, ["mailto:ops@example.org"]);
    }

    #[test]
    fn autolinks_leave_prose_alone() {
        // Text with an `@` or `://` but no address or URL is passed on once, as written.
        let out = html("Ping @alice in #ops. Meet @ 9. Do not add www. to the host.\n");
        assert_eq!(
            out,
            "<p>Ping @alice in #ops. Meet @ 9. Do not add www. to the host.</p>\n"
        );
        // File names are not hosts; one address however it is written.
        let out = html(
            "Edit values.yaml, then mail bob.smith+ops@example.co.uk or see https://x.example/a.\n",
        );
        assert!(out.contains("Edit values.yaml, then mail <a href=\"mailto:bob.smith+ops@example.co.uk\">bob.smith+ops@example.co.uk</a> or see <a href=\"https://x.example/a\">https://x.example/a</a>."), "{out}");
        // No link inside a raw `<a>`: a link in a link is not HTML.
        let out = html("Contact <a href=\"mailto:ops@example.org\">ops@example.org</a> now.\n");
        assert_eq!(out.matches("<a ").count(), 1, "{out}");
        // `www.` only at the start of a word.
        let out = html("See www.example.org/x and xwww.example.org.\n");
        assert!(
            out.contains(
                "<a href=\"https://www.example.org/x\">www.example.org/x</a> and xwww.example.org."
            ),
            "{out}"
        );
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
        assert!(!r.html.contains("<h1"), "{}", r.html);
        assert!(r.html.contains("<a id=\"readme-top\"></a>"), "{}", r.html);
        assert!(r.html.contains("<img src=\"logo.png\""), "{}", r.html);
        assert_eq!(r.html_ids, ["top", "readme-top"]);
        // Prose before the heading: it is not the page's opening title.
        let r = render("Intro.\n\n# Set up\n", &Fake, Some("Set up"));
        assert!(r.html.contains("<h1 id=\"set-up\">"), "{}", r.html);
    }

    #[test]
    fn ignore_directives() {
        let md = "<!-- handbook-ignore link-broken, anchor-broken -->\n[x](y.md) <!-- handbook-ignore-line link-case -->\n\n\
                  <!-- handbook-ignored -->\n\n```\n<!-- handbook-ignore link-broken -->\n```\n\n\
                  <!--\n  HANDBOOK-IGNORE-FILE owner-missing\n-->\n";
        let r = render(md, &Fake, None);
        let got: Vec<_> = r
            .directives
            .iter()
            .map(|d| (&md[d.offset..d.end], d.scope, d.rules.join(",")))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "<!-- handbook-ignore link-broken, anchor-broken -->",
                    Scope::NextLine,
                    "link-broken,anchor-broken".to_string()
                ),
                (
                    "<!-- handbook-ignore-line link-case -->",
                    Scope::Line,
                    "link-case".to_string()
                ),
                (
                    "<!--\n  HANDBOOK-IGNORE-FILE owner-missing\n-->",
                    Scope::File,
                    "owner-missing".to_string()
                ),
            ]
        );
    }

    #[test]
    fn github_heading_ids() {
        assert_eq!(
            github_slug("Step 3: Escalate to the On-Call lead!"),
            "step-3-escalate-to-the-on-call-lead"
        );
        assert_eq!(github_slug("C++ & Rust"), "c--rust");
        assert_eq!(github_slug("Déploiement  rapide"), "déploiement--rapide");
        assert_eq!(github_slug("snake_case `code`"), "snake_case-code");
        assert_eq!(github_slug("手順 1: 連絡"), "手順-1-連絡");
        assert_eq!(github_slug("Настройка сервера"), "настройка-сервера");
        assert_eq!(github_slug("सुरक्षा नीति"), "सुरक्षा-नीति");
        assert_eq!(github_slug("ความปลอดภัย ระบบ"), "ความปลอดภัย-ระบบ");
        let r = render(
            "# A\n## Purpose\n## Purpose\n## Purpose-1\n## Purpose\n",
            &Fake,
            None,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["a", "purpose", "purpose-1", "purpose-1-1", "purpose-2"]
        );
    }

    #[test]
    fn explicit_heading_ids() {
        let r = render("## Scope {#custom}\n", &Fake, None);
        assert_eq!(r.headings[0].id, "custom");
        assert!(
            r.html
                .starts_with("<h2 id=\"custom\">Scope<a class=\"heading-anchor\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn drops_only_the_matching_leading_title() {
        let r = render("# Title\n\ntext\n## Next\n", &Fake, Some("Title"));
        assert!(!r.html.contains("<h1"), "{}", r.html);
        assert_eq!(r.headings.len(), 1);
        let r = render("# Other\n\ntext\n", &Fake, Some("Title"));
        assert!(r.html.contains("<h1 id=\"other\">"), "{}", r.html);
        assert_eq!(
            first_h1("intro\n\n# The `x` title\n"),
            Some("The x title".into())
        );
        assert_eq!(first_h1("## only h2\n"), None);
    }

    #[test]
    fn links_are_resolved_and_recorded() {
        let r = render(
            "See [a](a.md#x) and ![i](img.png).\n\n## [In](b.md) heading\n",
            &Fake,
            None,
        );
        assert!(r.html.contains("<a href=\"a/#x\">a</a>"), "{}", r.html);
        assert!(
            r.html.contains("<img src=\"img.png\" alt=\"i\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"b/\">In</a>"), "{}", r.html);
        let hrefs: Vec<_> = r
            .links
            .iter()
            .map(|l| (l.href.as_str(), l.offset, l.is_image))
            .collect();
        assert_eq!(
            hrefs,
            [
                ("a.md#x", 4, false),
                ("img.png", 20, true),
                ("b.md", 39, false)
            ]
        );
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
    fn footnotes_are_numbered_across_the_page_with_ids_apart_from_headings() {
        let out = html("# 1\n\nA[^a] and B[^b] and A again[^a].\n\n## Notes\n\n```\ncode\n```\n\n[^b]: Bee.\n[^a]: Ay.\n[^unused]: Never referenced.\n");
        assert!(
            out.contains(
                r##"A<sup class="footnote-ref"><a href="#fn:1" id="fnref:1">1</a></sup>"##
            ),
            "{out}"
        );
        assert!(
            out.contains(
                r##"B<sup class="footnote-ref"><a href="#fn:2" id="fnref:2">2</a></sup>"##
            ),
            "{out}"
        );
        assert!(
            out.contains(r##"again<sup class="footnote-ref"><a href="#fn:1">1</a></sup>"##),
            "{out}"
        );
        assert!(out.contains(r#"<div class="footnote-definition" id="fn:2"><sup class="footnote-definition-label">2</sup>"#), "{out}");
        assert!(out.contains(r##"<a class="footnote-backref" href="#fnref:1" aria-label="Back to reference 1">↩</a></div>"##), "{out}");
        assert!(out.contains(r#"<div class="footnote-definition" id="fn:3"><sup class="footnote-definition-label">3</sup>"#), "{out}");
        assert_eq!(
            out.matches(r#" id="1""#).count(),
            1,
            "only the heading: {out}"
        );
    }

    #[test]
    fn callouts() {
        let out = html("> [!WARNING]\n> Do not reboot the primary.\n");
        assert!(out.contains("<div class=\"callout callout-warning\" role=\"note\" aria-label=\"Warning\"><p class=\"callout-title\">Warning</p>"), "{out}");
        assert!(out.contains("Do not reboot the primary."));
        assert!(out.trim_end().ends_with("</div>"), "{out}");
        // A plain quote stays a quote.
        assert!(html("> quoted\n").contains("<blockquote>"));
    }

    #[test]
    fn bare_urls_become_links_but_not_inside_links_or_code() {
        let out = html("Visit https://example.com/x_y. Or www.example.org!\n\n[https://a.example](https://b.example)\n\n`https://c.example`\n");
        assert!(
            out.contains("<a href=\"https://example.com/x_y\">https://example.com/x_y</a>."),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"https://www.example.org\">www.example.org</a>"),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"https://b.example\">https://a.example</a>"),
            "{out}"
        );
        assert!(out.contains("<code>https://c.example</code>"), "{out}");
    }

    #[test]
    fn code_is_highlighted_and_escaped() {
        let out = html("```bash\necho \"<hi>\" | grep x\n```\n");
        assert!(
            out.contains(
                "<pre class=\"code\" data-lang=\"bash\"><code><span class=\"hl-function\">echo"
            ),
            "{out}"
        );
        assert!(out.contains("&lt;hi&gt;"), "{out}");
        let out = html("```nosuchlang\n<b>\n```\n");
        assert!(
            out.contains(
                "<pre class=\"code\" data-lang=\"nosuchlang\"><code>&lt;b&gt;\n</code></pre>"
            ),
            "{out}"
        );
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
