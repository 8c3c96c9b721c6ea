//! What a rendered body is ([`Rendered`]: its HTML, headings, links, text for search) and the
//! [`LinkResolver`] through which the caller says where links lead.

use std::borrow::Cow;

use serde::Serialize;

use super::directives::Directive;
use super::template_syntax::TemplateSyntax;
use crate::packed::Packed;

/// Resolves a link target written in the document to the href to write, and whatever the caller
/// wants remembered about it (for link checking).
pub trait LinkResolver {
    type Target;
    /// Returns the href to write (`None` keeps the original) and the caller's target record.
    fn resolve(&self, href: &str) -> (Option<String>, Self::Target);

    /// [`LinkResolver::resolve`] for a link written at byte `at` of the body: where the body
    /// splices in another file, its links are relative to that file.
    fn resolve_at(&self, href: &str, at: usize) -> (Option<String>, Self::Target) {
        let _ = at;
        self.resolve(href)
    }
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
    /// The body as HTML (see [`Rendered::html`]).
    pub(crate) html: Html,
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

/// A body's HTML, deflated by [`Rendered::pack`] in a model held for long.
#[derive(Debug, Clone)]
pub enum Html {
    Plain(String),
    Packed(Packed),
    /// lz4: what a large build holds until the page is written (`Options::squeeze`).
    Squeezed(Box<[u8]>),
}

impl Html {
    /// The HTML as text.
    pub fn into_text(self) -> String {
        match self {
            Html::Plain(html) => html,
            Html::Packed(packed) => packed.text().into_owned(),
            Html::Squeezed(bytes) => unsqueeze(&bytes),
        }
    }

    pub(crate) fn squeezed(html: &str) -> Html {
        Html::Squeezed(lz4_flex::compress_prepend_size(html.as_bytes()).into_boxed_slice())
    }
}

/// The text of `Html::Squeezed` bytes, which our own compressor wrote from a `String`.
fn unsqueeze(bytes: &[u8]) -> String {
    let bytes = lz4_flex::decompress_size_prepended(bytes).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl<T> Rendered<T> {
    /// The body as HTML.
    pub fn html(&self) -> Cow<'_, str> {
        match &self.html {
            Html::Plain(html) => Cow::Borrowed(html),
            Html::Packed(packed) => packed.text(),
            Html::Squeezed(bytes) => Cow::Owned(unsqueeze(bytes)),
        }
    }

    /// Takes the HTML out as it is held, leaving none: for a build, which writes each page once
    /// and frees its body's HTML as it goes ([`Html::into_text`] as the page is written).
    pub fn take_html(&mut self) -> Html {
        std::mem::replace(&mut self.html, Html::Plain(String::new()))
    }

    /// Whether two bodies' HTML is the same.
    pub fn same_html<U>(&self, other: &Rendered<U>) -> bool {
        match (&self.html, &other.html) {
            (Html::Packed(a), Html::Packed(b)) => a == b,
            _ => self.html() == other.html(),
        }
    }

    /// Deflates the HTML: `serve` holds the model for as long as it runs, and the bodies'
    /// HTML is a third of it (93 MB at 10,000 pages), read again only for a page rendered again.
    pub fn pack(&mut self) {
        if let Html::Plain(html) = &mut self.html {
            self.html = Html::Packed(Packed::new(std::mem::take(html).into_bytes()));
        }
    }

    /// Moves every offset recorded (links, template tags, `handbook-ignore` comments) through
    /// `original`: from a rewritten text back to the body as written.
    pub(super) fn map_offsets(&mut self, original: impl Fn(usize) -> usize) {
        for link in &mut self.links {
            link.offset = original(link.offset);
        }
        for t in &mut self.templates {
            t.range = original(t.range.start)..original(t.range.end);
        }
        for d in &mut self.directives {
            d.offset = original(d.offset);
            d.end = original(d.end);
        }
    }
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
