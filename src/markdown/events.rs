//! The event walk: pulldown-cmark's events of one body rewritten on their way to its HTML
//! writer (headings with their ids, code blocks, callouts, footnotes, links resolved and
//! collected, raw HTML read), and the plain text of each section kept for search.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd,
};
use pulldown_cmark_escape::escape_html;

use super::admonitions::Expanded;
use super::anchors::{HeadingIdStyle, HeadingIds};
use super::autolink::{autolink, may_contain_url};
use super::directives::Directive;
use super::rendered::{Heading, Html, LinkRef, LinkResolver, Rendered, TextSection};
use super::template_syntax::{template_syntax, TemplateSyntax};
use super::{highlight, html};

/// One body's walk: the HTML written so far and what was found on the way.
pub(super) struct Renderer<'r, R: LinkResolver> {
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
    /// Inside a table: its source and its code spans. Its template tags are looked for in its
    /// source as a whole when it ends (a cell's `|` splits `<%= a | b %>` into pieces no cell
    /// holds whole), code spans left out.
    table: Option<(Range<usize>, Vec<Range<usize>>)>,
    /// The map from the text parsed back to the body, when admonitions were rewritten.
    pub(super) to_body: Option<&'r Expanded>,
    /// An MDX page: JSX components in raw HTML are shown as text, and reported.
    pub(super) jsx: bool,
    /// Whether the HTML is written and kept (`Options::html`).
    pub(super) write_html: bool,
    /// Whether it is kept compressed (`Options::squeeze`).
    pub(super) squeeze: bool,
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

impl<'r, R: LinkResolver> Renderer<'r, R> {
    pub(super) fn new(
        resolver: &'r R,
        body: &'r str,
        keep_text: bool,
        write_html: bool,
        heading_ids: HeadingIdStyle,
    ) -> Self {
        let html_room = if write_html {
            body.len() + body.len() / 2
        } else {
            0
        };
        Renderer {
            resolver,
            html: String::with_capacity(html_room),
            headings: Vec::new(),
            links: Vec::new(),
            ids: HeadingIds::new(heading_ids),
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
            table: None,
            to_body: None,
            jsx: false,
            write_html,
            squeeze: false,
        }
    }

    /// What the walk made of the body.
    pub(super) fn finish(mut self) -> Rendered<R::Target> {
        // Held for the search index as long as the model lives, the HTML until its page is
        // written: no spare capacity (at 100,000 pages, 300 MB of the peak). A copy of its own
        // length, not `shrink_to_fit`, which the allocator does in place (keeping the capacity)
        // when the text is over half of it.
        for section in &mut self.text {
            section.text = section.text.as_str().to_owned();
        }
        let html = match (self.write_html, self.squeeze) {
            (true, true) => Html::squeezed(&self.html),
            (true, false) => Html::Plain(self.html.as_str().to_owned()),
            (false, _) => Html::Plain(String::new()),
        };
        Rendered {
            html,
            headings: self.headings,
            links: self.links,
            text: self.text,
            templates: self.templates,
            html_ids: self.html_ids,
            title_id: self.title_id,
            directives: self.directives,
        }
    }

    pub(super) fn run<'a>(&mut self, events: impl Iterator<Item = (Event<'a>, Range<usize>)>) {
        let mut events = events;
        // Events are passed through to pulldown-cmark's HTML writer in batches; we intercept
        // headings, code blocks, callouts, links and bare URLs.
        let mut batch: Vec<Event<'a>> = Vec::new();
        let mut link_depth = 0usize;
        // The number of the footnote definition being written (they do not nest).
        let mut footnote = 0;
        // The table being written: its columns' alignment, whether in its head, the column.
        let mut columns: Vec<Alignment> = Vec::new();
        let mut in_head = false;
        let mut column = 0;
        while let Some((event, range)) = events.next() {
            // Code blocks are consumed below and inline code is `Event::Code`: only prose.
            match (&event, &mut self.table) {
                (Event::Text(_), None) => self.find_templates(range.clone(), &[]),
                (Event::Start(Tag::Table(_)), _) => self.table = Some((range.clone(), Vec::new())),
                (Event::Code(_), Some((_, code))) => code.push(range.clone()),
                (Event::End(TagEnd::Table), _) => {
                    if let Some((table, code)) = self.table.take() {
                        self.find_templates(table, &code);
                    }
                }
                _ => {}
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
                    if self.write_html {
                        highlight::code_block(&mut self.html, lang, &code);
                    }
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
                // A column's alignment as GitHub writes it (`<td align="right">`) rather than
                // pulldown-cmark's `style="text-align: right"`: half the bytes, on every cell
                // of every aligned column.
                Event::Start(Tag::Table(ref aligns)) => {
                    columns.clone_from(aligns);
                    batch.push(event);
                }
                Event::Start(Tag::TableHead) => {
                    (in_head, column) = (true, 0);
                    batch.push(event);
                }
                Event::End(TagEnd::TableHead) => {
                    in_head = false;
                    batch.push(event);
                }
                Event::Start(Tag::TableRow) => {
                    column = 0;
                    batch.push(event);
                }
                Event::Start(Tag::TableCell) => {
                    let align = match columns.get(column) {
                        Some(Alignment::Left) => " align=\"left\"",
                        Some(Alignment::Center) => " align=\"center\"",
                        Some(Alignment::Right) => " align=\"right\"",
                        Some(Alignment::None) | None => "",
                    };
                    let cell = if in_head { "th" } else { "td" };
                    batch.push(Event::InlineHtml(format!("<{cell}{align}>").into()));
                    column += 1;
                }
                Event::End(TagEnd::TableCell) => {
                    let end = if in_head { "</th>" } else { "</td>" };
                    batch.push(Event::InlineHtml(end.into()));
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

    /// Records the template tags in `range` of the body, but for those in a `code` span.
    fn find_templates(&mut self, range: Range<usize>, code: &[Range<usize>]) {
        let Some(source) = self.body.get(range.clone()) else {
            return;
        };
        for (found, dialect) in template_syntax(source) {
            let at = range.start + found.start..range.start + found.end;
            if code.iter().any(|c| c.start < at.end && at.start < c.end) {
                continue;
            }
            self.templates.push(TemplateSyntax {
                range: at,
                text: String::new(),
                dialect,
            });
        }
    }

    fn flush(&mut self, batch: &mut Vec<Event<'_>>) {
        if !self.write_html {
            batch.clear();
        } else if !batch.is_empty() {
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
        let at = self.to_body.map_or(offset, |e| e.original(offset));
        let (rewritten, target) = self.resolver.resolve_at(href, at);
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
    pub(super) fn title_heading(&mut self, heading: &[(Event<'_>, Range<usize>)], text: &str) {
        let explicit = match heading.first() {
            Some((Event::Start(Tag::Heading { id, .. }), _)) => id.clone(),
            _ => None,
        };
        self.title_id = Some(match explicit {
            Some(id) => self.ids.explicit(&id),
            None => self.ids.slug(text),
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
        // Template tags in raw HTML (`<td><%= x %></td>`), where the table's own scan has not
        // found them already.
        if self.table.is_none() {
            for (found, dialect) in template_syntax(&html) {
                self.templates.push(TemplateSyntax {
                    range: in_body(found.start)..in_body(found.end),
                    text: String::new(),
                    dialect,
                });
            }
        }
        let mut urls = Vec::new();
        // JSX components of an MDX page, shown as the text they are; each reported once, at
        // its opening tag.
        let mut jsx: Vec<(Range<usize>, bool)> = Vec::new();
        html::scan(&html, |item| match item {
            html::Item::Url {
                range,
                url,
                embedded,
                quote,
            } => urls.push((range, url.into_owned(), embedded, quote)),
            html::Item::Tag { name, range, end }
                if self.jsx && name.starts_with(|c: char| c.is_ascii_uppercase()) =>
            {
                jsx.push((range, end));
            }
            html::Item::Anchor(id) => self.html_ids.push(id.into_owned()),
            html::Item::Comment { start, end, text } => {
                let directive = Directive::parse(text, in_body(start), in_body(end));
                self.directives.extend(directive);
            }
            html::Item::Tag { name, end, .. } if name.eq_ignore_ascii_case("a") => {
                self.html_anchors = match end {
                    true => self.html_anchors.saturating_sub(1),
                    false => self.html_anchors + 1,
                };
            }
            html::Item::Tag { .. } => {}
        });
        // What the HTML becomes: each URL resolved, each JSX component escaped.
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        for (range, url, embedded, quote) in urls {
            let Some(href) = self.resolve(&url, in_body(range.start), embedded) else {
                continue;
            };
            let mut value = String::new();
            if quote.is_none() {
                value.push('"');
            }
            html::escape_attribute(&mut value, &href);
            if quote.is_none() {
                value.push('"');
            }
            edits.push((range, value));
        }
        for (range, end) in jsx {
            if !end {
                self.templates.push(TemplateSyntax {
                    range: in_body(range.start)..in_body(range.end),
                    text: String::new(),
                    dialect: "a JSX component (MDX)",
                });
            }
            // The URLs of its attributes are text too.
            edits.retain(|(r, _)| r.start < range.start || r.end > range.end);
            edits.push((range.clone(), super::escape(&html[range])));
        }
        if edits.is_empty() {
            return html;
        }
        edits.sort_by_key(|(r, _)| r.start);
        let mut out = String::with_capacity(html.len() + 16);
        let mut copied = 0;
        for (range, value) in edits {
            out.push_str(&html[copied..range.start]);
            out.push_str(&value);
            copied = range.end;
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
            None => self.ids.slug(&text),
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
        // No "#" link here: the theme's script adds one to each heading that has an id, rather
        // than every heading of every page carrying it.
        let _ = writeln!(self.html, "</h{n}>");
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

#[cfg(test)]
mod tests {
    use crate::markdown::render;
    use crate::markdown::tests::{html, Fake};

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
        assert!(r.html().contains("<a href=\"a/#x\">a</a>"), "{}", r.html());
        assert!(r.html().contains("<img src=\"b/\">"), "{}", r.html());
        assert!(
            r.html()
                .contains("srcset=\"c/ 1x, https://x.example/d.png 2x\">\n<video poster='e/'>"),
            "{}",
            r.html()
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
    fn links_are_resolved_and_recorded() {
        let r = render(
            "See [a](a.md#x) and ![i](img.png).\n\n## [In](b.md) heading\n",
            &Fake,
            None,
        );
        assert!(r.html().contains("<a href=\"a/#x\">a</a>"), "{}", r.html());
        assert!(
            r.html().contains("<img src=\"img.png\" alt=\"i\""),
            "{}",
            r.html()
        );
        assert!(r.html().contains("<a href=\"b/\">In</a>"), "{}", r.html());
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
}
