//! Heads: each word's best pages with what their results show (the heading of the section the
//! word weighs most in, and a snippet of text around the word), written beside the word.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::entry::Entry;
use super::scoring::{Posting, Readers};
use crate::search::tokenize::words;

/// How many best pages of each word carry their result data in the heads: a first screen.
pub const HEAD: usize = 10;
/// Snippet length, in characters, around the word.
const SNIPPET: usize = 120;

/// One of a word's best pages, with what its result shows.
pub(super) struct Head {
    pub(super) entry: u32,
    pub(super) impact: f32,
    /// The heading of the section the word weighs most in (none: the top of the page).
    pub(super) heading: Option<(String, String)>,
    pub(super) snippet: String,
}

/// Each word's [`HEAD`] best pages, best first, with their snippets.
pub(super) fn heads(
    entries: &[Entry],
    terms: &[(String, Vec<Posting>)],
    readers: &Readers,
) -> Vec<Vec<Head>> {
    let best: Vec<Vec<(u32, f32, u16)>> = terms
        .par_iter()
        .map(|(_, postings)| {
            let mut top: Vec<(u32, f32, u16)> = postings
                .iter()
                .map(|p| (p.entry, p.impact, p.section))
                .collect();
            let by_impact =
                |a: &(u32, f32, u16), b: &(u32, f32, u16)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            if top.len() > HEAD {
                top.select_nth_unstable_by(HEAD - 1, by_impact);
                top.truncate(HEAD);
                // All of a common word's pages were copied: give the room back now.
                top.shrink_to_fit();
            }
            top.sort_unstable_by(by_impact);
            top
        })
        .collect();
    // Snippets page by page, so that each page's text is walked once for all its words.
    let mut wanted: Vec<Vec<(usize, usize, u16)>> = vec![Vec::new(); entries.len()];
    for (t, top) in best.iter().enumerate() {
        for (k, &(entry, _, section)) in top.iter().enumerate() {
            wanted[entry as usize].push((t, k, section));
        }
    }
    type Cut = (usize, usize, Option<(String, String)>, String);
    let cut: Vec<Vec<Cut>> = wanted
        .into_par_iter()
        .enumerate()
        .map(|(entry, mut want)| {
            let e = &entries[entry];
            let (_, mut reader) = readers.mine();
            let cache = &mut reader.terms;
            want.sort_unstable_by_key(|w| w.2);
            let mut out = Vec::with_capacity(want.len());
            for group in want.chunk_by(|a, b| a.2 == b.2) {
                let section = group[0].2;
                // Where each word first occurs in the section: read until all are found.
                let mut at: Vec<Option<usize>> = vec![None; group.len()];
                let slot: FxHashMap<&str, usize> = (group.iter().enumerate())
                    .map(|(i, w)| (terms[w.0].0.as_str(), i))
                    .collect();
                let mut missing = group.len();
                if let Some(sec) = e.sections.get(section as usize) {
                    words(&sec.text, |word, offset| {
                        if let Some(id) = cache.of(word) {
                            if let Some(&i) = slot.get(&**cache.get(id)) {
                                if at[i].is_none() {
                                    at[i] = Some(offset);
                                    missing -= 1;
                                }
                            }
                        }
                        missing > 0
                    });
                }
                for (&(t, k, _), at) in group.iter().zip(at) {
                    let (heading, snippet) = snippet(e, section, at);
                    out.push((t, k, heading, snippet));
                }
            }
            out
        })
        .collect();
    let mut heads: Vec<Vec<Head>> = best
        .iter()
        .map(|top| {
            top.iter()
                .map(|&(entry, impact, _)| Head {
                    entry,
                    impact,
                    heading: None,
                    snippet: String::new(),
                })
                .collect()
        })
        .collect();
    for (t, k, heading, snippet) in cut.into_iter().flatten() {
        heads[t][k].heading = heading;
        heads[t][k].snippet = snippet;
    }
    heads
}

/// The heading (text, id) of `section` of the page and a stretch of its text around byte
/// `at`, where the word first occurs (the start of the section when it occurs only in the
/// heading).
fn snippet(e: &Entry, section: u16, at: Option<usize>) -> (Option<(String, String)>, String) {
    let lead = || e.sections.iter().find(|s| !s.text.trim().is_empty());
    let Some(sec) = e.sections.get(section as usize) else {
        return (None, lead().map_or(String::new(), |s| window(&s.text, 0)));
    };
    let heading = sec.heading.as_ref().map(|h| (h.text.clone(), h.id.clone()));
    let text = if sec.text.trim().is_empty() && section == 0 {
        // Nothing before the first heading: the page's first words stand for it.
        lead().map_or("", |s| &s.text)
    } else {
        &sec.text
    };
    (heading, window(text, at.unwrap_or(0)))
}

/// About [`SNIPPET`] characters of `text` from a little before byte `at`, cut at spaces, with
/// an ellipsis where text was left out.
fn window(text: &str, at: usize) -> String {
    const BEFORE: usize = 40;
    // `at` comes from another pass over the text; never cut inside a character.
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut start = text[..at]
        .char_indices()
        .rev()
        .nth(BEFORE - 1)
        .map_or(0, |(i, _)| i);
    if start > 0 {
        // Forward to the start of a word.
        start = text[start..at].find(' ').map_or(at, |sp| start + sp + 1);
    }
    let rest = &text[start..];
    let mut end = rest
        .char_indices()
        .nth(SNIPPET)
        .map_or(rest.len(), |(i, _)| i);
    if end < rest.len() {
        if let Some(sp) = rest[..end].rfind(' ').filter(|&sp| sp > 0) {
            end = sp;
        }
    }
    let mut out = String::with_capacity(end + 8);
    if start > 0 {
        out.push('…');
    }
    out.push_str(rest[..end].trim());
    if end < rest.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_start_at_a_word_before_the_match_and_mark_cuts() {
        let text = "one two three four five six seven eight nine ten eleven twelve thirteen \
                    fourteen fifteen sixteen seventeen target word and then a long tail of \
                    words that goes on well past the length of one snippet, on and on and on";
        let at = text.find("target").unwrap();
        let s = window(text, at);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("target word"), "{s}");
        assert!(!s.starts_with("…een"), "starts at a word: {s}");
        assert!(s.chars().count() <= SNIPPET + 2, "{s}");
        assert_eq!(window("short text", 0), "short text");
        assert_eq!(window("", 0), "");
    }

    #[test]
    fn snippets_of_text_without_spaces_cut_at_characters() {
        // Japanese has no spaces between words; every offset, even inside a character, is
        // a place a snippet may be asked for.
        let text = "障害対応手順：まず当番に連絡し、影響範囲を確認してから復旧作業を開始します。"
            .repeat(4);
        for at in 0..=text.len() + 2 {
            let s = window(&text, at);
            assert!(s.chars().count() <= SNIPPET + 2, "{s}");
        }
        let at = text.find("影響").unwrap();
        assert!(window(&text, at).contains("影響範囲"));
    }
}
