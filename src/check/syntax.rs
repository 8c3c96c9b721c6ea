//! `template-syntax`: another tool's template tags left in the prose (a Hugo shortcode, a
//! Liquid `{% include %}`, an ERB `<%= partial %>`). They are shown as literal text, never run;
//! the warning says where, so that the author replaces them with Markdown.

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use crate::site::Site;

/// The longest tag quoted in a message; longer ones end in an ellipsis.
const QUOTE: usize = 60;

pub fn check(site: &Site) -> Vec<Diagnostic> {
    site.pages
        .par_iter()
        .filter_map(|p| Some((p.doc.as_ref()?, p.body.as_ref()?)))
        .flat_map_iter(|(doc, body)| {
            body.templates.iter().map(move |t| {
                let tag = t.text.as_str();
                // Written in the document's file, or in a file it includes.
                let (file, pos) = doc.body_place(t.range.start);
                let quoted = match tag.char_indices().nth(QUOTE) {
                    Some((cut, _)) => format!("{}…", &tag[..cut]),
                    None => tag.to_string(),
                };
                Diagnostic::warning(
                    Rule::TemplateSyntax,
                    file,
                    format!(
                        "`{quoted}` is {}; it is shown as written, not run",
                        t.dialect
                    ),
                )
                .at(pos)
                .with_help(
                    "write it as Markdown, or put it in `backticks` if it is meant to be shown",
                )
            })
        })
        .collect()
}
