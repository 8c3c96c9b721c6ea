//! Anchors: heading ids as GitHub makes them (slugs, made unique within a page), the table of
//! contents, and the anchors of a rendered page.

use std::collections::HashMap;

use super::html;
use super::rendered::{Heading, Rendered};

impl<T> Rendered<T> {
    /// The headings for an on-page table of contents: levels 2 and 3.
    pub fn toc(&self) -> impl Iterator<Item = &Heading> {
        self.headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
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

/// Whose rule makes heading ids (`heading_ids:` in handbook.yaml), so that anchors valid on a
/// site built by that tool stay valid here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HeadingIdStyle {
    /// GitHub's (and Jekyll's GFM input, Hugo's, Docusaurus'): `what-were-fixing`.
    #[default]
    Github,
    /// Redcarpet's, as GOV.UK tech-docs (Middleman) makes them: `what-we-39-re-fixing`.
    Redcarpet,
    /// Python-Markdown's `toc` extension, as MkDocs makes them: `what-were-fixing`, repeats
    /// `_1`.
    PythonMarkdown,
    /// kramdown's own (Jekyll with `input: kramdown`): no leading non-letters, ASCII only.
    Kramdown,
}

/// Heading ids in a tool's style, unique within a page.
#[derive(Default)]
pub(super) struct HeadingIds {
    used: HashMap<String, u32>,
    style: HeadingIdStyle,
}

impl HeadingIds {
    pub(super) fn new(style: HeadingIdStyle) -> HeadingIds {
        HeadingIds {
            used: HashMap::new(),
            style,
        }
    }

    /// The id of a heading of `text` (its plain text), in the style chosen; repeats get
    /// `-1`, `-2`, ... (Python-Markdown's `_1`, `_2`).
    pub(super) fn slug(&mut self, text: &str) -> String {
        let base = match self.style {
            HeadingIdStyle::Github => github_slug(text),
            HeadingIdStyle::Redcarpet => redcarpet_slug(text),
            HeadingIdStyle::PythonMarkdown => python_markdown_slug(text),
            HeadingIdStyle::Kramdown => kramdown_slug(text),
        };
        self.unique(base)
    }

    pub(super) fn explicit(&mut self, id: &str) -> String {
        self.unique(id.to_string())
    }

    fn unique(&mut self, base: String) -> String {
        let sep = match self.style {
            HeadingIdStyle::PythonMarkdown => '_',
            _ => '-',
        };
        let mut id = base.clone();
        if let Some(n) = self.used.get(&base).copied() {
            let mut n = n;
            loop {
                n += 1;
                id = format!("{base}{sep}{n}");
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

/// Redcarpet's anchor (`with_toc_data`), made from the heading's HTML-escaped text: letters
/// and digits of ASCII lowercased; every run of anything else (`'` is `&#39;` by then, so its
/// digits stay) one hyphen, none at either end.
pub fn redcarpet_slug(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.trim().chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    let mut out = String::with_capacity(escaped.len());
    let mut gap = false;
    for c in escaped.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// Python-Markdown's `slugify`: accents dropped (NFKD, then ASCII only), anything but word
/// characters, spaces and hyphens removed, lowercased, runs of spaces and hyphens one hyphen.
pub fn python_markdown_slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let ascii: String = text.nfkd().filter(char::is_ascii).collect();
    let kept: String = ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || c.is_ascii_whitespace())
        .collect();
    let mut out = String::with_capacity(kept.len());
    let mut gap = false;
    for c in kept.trim().to_lowercase().chars() {
        if c == '-' || c.is_ascii_whitespace() {
            gap = true;
        } else {
            if gap {
                out.push('-');
            }
            gap = false;
            out.push(c);
        }
    }
    out
}

/// kramdown's own ids: leading characters up to the first ASCII letter dropped, anything but
/// ASCII letters, digits, spaces and hyphens removed, spaces hyphens, lowercased; `section`
/// when nothing is left.
pub fn kramdown_slug(text: &str) -> String {
    let from = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let out: String = text[from..]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    if out.is_empty() {
        "section".to_string()
    } else {
        out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render;
    use crate::markdown::tests::Fake;

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
    fn other_tools_heading_ids() {
        assert_eq!(redcarpet_slug("What we're fixing"), "what-we-39-re-fixing");
        assert_eq!(redcarpet_slug("Step 3: Escalate!"), "step-3-escalate");
        assert_eq!(redcarpet_slug("C++ & \"Rust\""), "c-amp-quot-rust-quot");
        assert_eq!(
            python_markdown_slug("What we're fixing"),
            "what-were-fixing"
        );
        assert_eq!(
            python_markdown_slug("Déploiement -- rapide"),
            "deploiement-rapide"
        );
        assert_eq!(kramdown_slug("3. What we're fixing"), "what-were-fixing");
        assert_eq!(kramdown_slug("123"), "section");
        let mut ids = HeadingIds::new(HeadingIdStyle::PythonMarkdown);
        let got: Vec<String> = ["Setup", "Setup", "Setup"]
            .iter()
            .map(|t| ids.slug(t))
            .collect();
        assert_eq!(got, ["setup", "setup_1", "setup_2"]);
    }

    #[test]
    fn explicit_heading_ids() {
        let r = render("## Scope {#custom}\n", &Fake, None);
        assert_eq!(r.headings[0].id, "custom");
        assert!(
            r.html().starts_with("<h2 id=\"custom\">Scope</h2>"),
            "{}",
            r.html()
        );
    }
}
