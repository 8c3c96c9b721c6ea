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

/// Heading ids as GitHub makes them, unique within a page.
#[derive(Default)]
pub(super) struct HeadingIds {
    used: HashMap<String, u32>,
}

impl HeadingIds {
    /// GitHub's rule: lowercase; drop everything but letters, marks, numbers, spaces, hyphens
    /// and underscores; each space becomes a hyphen; repeats get `-1`, `-2`, ...
    pub(super) fn github(&mut self, text: &str) -> String {
        let base = github_slug(text);
        self.unique(base)
    }

    pub(super) fn explicit(&mut self, id: &str) -> String {
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
}
