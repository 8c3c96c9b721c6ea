//! The index: from the model's pages to the files under `search/`.
//!
//! Scoring is BM25F, worked out in [`scoring`], per word and page, as one number (an impact):
//! the browser adds impacts and never needs term frequencies or lengths. The files, each a
//! classic script that hands its data to `__handbookSearch` (so they load from `file://`),
//! gzipped and in base64 (see [`encoding`]):
//!
//! - `meta.js`: where every shard's words start, and the small tables records point into
//!   (kinds, owners, breadcrumbs).
//! - `t*.js`, shards of the dictionary, split by word: for each word its [`HEAD`] best pages
//!   with everything a result shows (title, link to the best heading, a snippet around the
//!   word: [`heads`](mod@heads)), then every page that has it and its impact. A query loads
//!   the shard of each word (for the last word, taken as a prefix, up to three; for a slip,
//!   those of the words it may be).
//! - `d*.js`, records of pages by number ([`records`]), for results outside every word's heads.
//! - `words.js`: the words of five letters and more, for typo tolerance, loaded on a miss.
//! - `facets.js`: per page its kind, owner, team, tags and review dates, loaded to filter.
//!
//! Shards are packed to about [`encoding::PACK`] bytes, so a handbook of 10,000 pages makes
//! tens of them. [`build`] runs the stages in that order: score, records, heads, files, each
//! reading the pages as `entry.rs`'s `Entry` (a page and its text sections).

mod encoding;
mod entry;
mod heads;
mod records;
mod scoring;

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::markdown::TextSection;
use crate::model::Status;
use crate::site::Generated;
use crate::site::{Site, HOME};
use encoding::{term_item, Item, Packer};
use entry::Entry;
use heads::heads;
use heads::HEAD;
use records::{Tables, RECORDS_PER_FILE};

/// The files of the index, paths relative to the site root.
pub struct Files {
    pub files: Vec<(String, String)>,
}

/// Builds the index of `site`'s published pages, drafts left out.
pub fn build(site: &Site) -> Files {
    build_with(site, None)
}

/// [`build`] from the bodies' text taken out of the model (`texts[page id]`, a build that
/// frees as it goes): freed as soon as the snippets are cut, while the pages are still written.
pub fn build_taking(site: &Site, texts: Vec<Vec<TextSection>>) -> Files {
    build_with(site, Some(texts))
}

fn build_with(site: &Site, texts: Option<Vec<Vec<TextSection>>>) -> Files {
    let entries: Vec<Entry> = site
        .pages
        .par_iter()
        .filter(|p| p.published && p.status() != Status::Draft && (p.id != HOME || p.doc.is_some()))
        // Lists of other pages (tags, documents by kind) would only compete with what they
        // list; people, teams and roles are answers of their own.
        .filter(
            |p| !matches!(p.generated, Some(g) if g.is_index() || matches!(g, Generated::Tag(_))),
        )
        .map(|page| Entry {
            page,
            sections: match &texts {
                Some(texts) => texts.get(page.id).map_or(&[], Vec::as_slice),
                None => page.body.as_ref().map_or(&[], |b| b.text.as_slice()),
            },
        })
        .collect();
    let n = entries.len();
    let (terms, readers) = scoring::score(site, &entries);

    let tables = Tables::new(site, &entries);
    let records: Vec<String> = (0..n)
        .into_par_iter()
        .map(|i| tables.record(site, &entries[i], i).to_string())
        .collect();
    let heads = heads(&entries, &terms, &readers);
    // The text is read no more once the snippets are cut.
    drop(entries);
    drop(texts);
    let mut out = Packer::default();
    let mut meta = serde_json::Map::new();
    meta.insert("pages".into(), json!(n));
    meta.insert("head".into(), json!(HEAD));
    // Links name `index.html` unless the site is served with pretty links, as the pages' do.
    meta.insert("pretty".into(), json!(site.config.pretty_links));

    let items: Vec<Item> = terms
        .par_iter()
        .zip(&heads)
        .map(|((term, postings), head)| term_item(term, postings, head, n))
        .collect();
    // The words a one-letter slip in a word of five letters or more can reach.
    let long: Vec<&str> = terms
        .iter()
        .map(|(t, _)| t.as_str())
        .filter(|t| t.chars().count() >= 4)
        .collect();
    out.file("words", serde_json::to_string(&long).expect("strings"));
    // Each stage's output is dropped once the next has read it: at 100,000 pages the
    // postings, heads and records are each a tenth of a build's peak.
    drop(long);
    drop((heads, readers, terms));
    meta.insert("t".into(), out.pack("t", items, &records));

    for (n, chunk) in records.chunks(RECORDS_PER_FILE).enumerate() {
        out.file(&format!("d{n}"), format!("[{}]", chunk.join(",")));
    }
    drop(records);
    meta.insert("d".into(), json!(RECORDS_PER_FILE));
    out.file("facets", tables.facets().to_string());

    meta.insert(
        "kinds".into(),
        json!(tables.kinds.iter().map(|k| [k.0, k.1]).collect::<Vec<_>>()),
    );
    meta.insert("owners".into(), json!(tables.owners.names));
    meta.insert("teams".into(), json!(tables.teams.names));
    meta.insert("tags".into(), json!(tables.tags.names));
    meta.insert("crumbs".into(), json!(tables.crumbs));
    out.file("meta", Value::Object(meta).to_string());
    Files {
        files: out.into_scripts(),
    }
}
