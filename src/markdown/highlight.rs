//! Build-time syntax highlighting, as CSS classes so that the theme's stylesheet colours them
//! for light and dark schemes alike: shell, YAML, Python and JSON by the lexers of
//! [`super::lexers`], every other language by syntect with bat's grammars.
//!
//! syntect's own classed output writes one nested span per scope with every scope
//! segment as a class (`meta function-call arguments shell`), which made code the bulk of
//! many pages. Instead, a theme maps scope selectors to a dozen tokens, and each run of text
//! gets at most one span, its class a short name after Pygments' (`<span class="s">` for a
//! string; our tokens are coarser than its, so `m` is any constant): there are 100,000 of them
//! on a 10,000-page handbook, and `hl-string` cost 0.7 MB more.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use pulldown_cmark_escape::{escape_html, escape_html_body_text};

use super::lexers;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use syntect::easy::HighlightLines;
use syntect::highlighting::{
    Color, ScopeSelectors, StyleModifier, Theme, ThemeItem, ThemeSettings,
};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Tokens: their name, their class (after Pygments' short names) and the scopes they cover.
/// Where selectors compete, syntect picks the most specific, so `keyword.operator` beats
/// `keyword`. Index 0 is plain text: no span.
const CLASSES: &[(&str, &str, &str)] = &[
    ("", "", "source, text, punctuation, keyword.operator, variable.other.member, variable.other.property, variable.other.object, meta.function-call.arguments"),
    ("comment", "c", "comment, punctuation.definition.comment"),
    ("keyword", "k", "keyword, storage, variable.language"),
    ("string", "s", "string, punctuation.definition.string, markup.raw"),
    ("constant", "m", "constant, support.type, support.class, support.constant, entity.other.attribute-name, string constant.character.escape"),
    ("function", "nf", "entity.name, entity.name.function, variable.function, support.function"),
    ("type", "nc", "entity.name.type, entity.name.class, entity.name.struct, entity.name.enum, entity.name.trait, entity.name.namespace, entity.other.inherited-class"),
    ("variable", "nv", "variable, variable.parameter, punctuation.definition.variable, punctuation.definition.parameter, markup.list punctuation"),
    ("tag", "nt", "entity.name.tag, entity.name.key, meta.mapping.key string, support.type.property-name, string.regexp, markup.quote"),
    ("heading", "gh", "markup.heading, markup.heading entity.name, meta.diff.range, meta.diff.header"),
    ("bold", "gs", "markup.bold"),
    ("italic", "ge", "markup.italic"),
    ("link", "na", "markup.underline, markup.underline.link"),
    ("inserted", "gi", "markup.inserted"),
    ("deleted", "gd", "markup.deleted"),
    ("invalid", "err", "invalid, invalid.illegal, invalid.deprecated"),
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
            .map(|(i, (_, _, selectors))| ThemeItem {
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

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    // bat's grammars (two-face): syntect's own set lacks PowerShell, HCL, Dockerfile, nginx,
    // INI and TOML, which runbooks are written in.
    SET.get_or_init(two_face::syntax::extra_newlines)
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

pub(super) fn code_block(out: &mut String, lang: &str, code: &str) {
    let lang = lang.trim().to_ascii_lowercase();
    out.push_str("<pre class=\"code\"");
    if !lang.is_empty() {
        out.push_str(" data-lang=\"");
        let _ = escape_html(&mut *out, &lang);
        out.push('"');
    }
    out.push_str("><code>");
    if let Some(lex) = lexers::for_language(&lang) {
        // Hand-written, and fast enough not to need the cache.
        let mut spans = Spans::new(out);
        lex(code, &mut |class, text| spans.push(class, text));
        spans.finish();
    } else {
        let syntax = if lang.is_empty() || lang == "text" || lang == "plain" {
            None
        } else {
            syntaxes().find_syntax_by_token(alias(&lang))
        };
        match syntax.and_then(|syntax| cached(syntax, code)) {
            Some(html) => out.push_str(&html),
            None => {
                let _ = escape_html_body_text(&mut *out, code);
            }
        }
    }
    out.push_str("</code></pre>\n");
}

/// Writes runs of classed text as HTML: one span per run of a class, the whitespace between
/// two runs of one class inside their span.
struct Spans<'o> {
    html: &'o mut String,
    /// The class of the open span (0: none).
    open: usize,
    /// Whitespace not yet written: it joins the open span only if the same class follows.
    blank: String,
}

impl<'o> Spans<'o> {
    fn new(html: &'o mut String) -> Spans<'o> {
        Spans {
            html,
            open: 0,
            blank: String::new(),
        }
    }

    fn push(&mut self, class: usize, text: &str) {
        if text.trim().is_empty() {
            self.blank.push_str(text);
            return;
        }
        let class = class.min(CLASSES.len() - 1);
        if class != self.open {
            if self.open != 0 {
                self.html.push_str("</span>");
            }
            self.html.push_str(&self.blank);
            if class != 0 {
                let _ = write!(self.html, "<span class=\"{}\">", CLASSES[class].1);
            }
            self.open = class;
        } else {
            self.html.push_str(&self.blank);
        }
        self.blank.clear();
        let _ = escape_html_body_text(&mut *self.html, text);
    }

    fn finish(self) {
        if self.open != 0 {
            self.html.push_str("</span>");
        }
        self.html.push_str(&self.blank);
    }
}

fn highlight(syntax: &SyntaxReference, code: &str) -> Option<String> {
    let mut lines = HighlightLines::new(syntax, theme());
    let mut html = String::with_capacity(code.len() * 2);
    let mut spans = Spans::new(&mut html);
    for line in LinesWithEndings::from(code) {
        for (style, text) in lines.highlight_line(line, syntaxes()).ok()? {
            spans.push(usize::from(style.foreground.r), text);
        }
    }
    spans.finish();
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

#[cfg(test)]
mod tests {
    use crate::markdown::tests::html;

    #[test]
    fn code_is_highlighted_and_escaped() {
        let out = html("```bash\necho \"<hi>\" | grep x\n```\n");
        assert!(
            out.contains("<pre class=\"code\" data-lang=\"bash\"><code><span class=\"nf\">echo"),
            "{out}"
        );
        assert!(out.contains("&lt;hi&gt;"), "{out}");
        // A console session: the command after the prompt, the output as printed.
        let out = html("```console\n$ ls -l\ntotal 0\n```\n");
        assert!(
            out.contains("<code>$ <span class=\"nf\">ls</span> <span class=\"nv\">-l</span>\ntotal 0\n</code>"),
            "{out}"
        );
        let out = html("```nosuchlang\n<b>\n```\n");
        assert!(
            out.contains(
                "<pre class=\"code\" data-lang=\"nosuchlang\"><code>&lt;b&gt;\n</code></pre>"
            ),
            "{out}"
        );
    }
}

#[cfg(test)]
mod classes {
    use super::{lexers, CLASSES};

    /// The lexers' class numbers name the classes the grammars' theme gives.
    #[test]
    fn the_lexers_classes_are_the_themes() {
        for (index, name) in [
            (lexers::PLAIN, ""),
            (lexers::COMMENT, "comment"),
            (lexers::KEYWORD, "keyword"),
            (lexers::STRING, "string"),
            (lexers::CONSTANT, "constant"),
            (lexers::FUNCTION, "function"),
            (lexers::TYPE, "type"),
            (lexers::VARIABLE, "variable"),
            (lexers::TAG, "tag"),
        ] {
            assert_eq!(CLASSES[index].0, name);
        }
    }
}

#[cfg(test)]
mod languages {
    use super::{alias, syntaxes};
    use crate::markdown::tests::html;

    /// The languages runbooks are written in, by the names people put after the fence.
    #[test]
    fn runbook_languages_are_highlighted() {
        for lang in [
            "powershell",
            "ps1",
            "bash",
            "sh",
            "yaml",
            "yml",
            "json",
            "sql",
            "dockerfile",
            "hcl",
            "terraform",
            "tf",
            "python",
            "go",
            "ini",
            "toml",
            "nginx",
            "diff",
        ] {
            assert!(
                syntaxes().find_syntax_by_token(alias(lang)).is_some(),
                "no grammar for `{lang}`"
            );
        }
        let out = html("```powershell\nGet-Service -Name \"Spooler\"\n```\n");
        assert!(out.contains("<span class=\""), "{out}");
    }
}
