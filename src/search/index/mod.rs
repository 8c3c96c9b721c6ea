//! The index: from the model's pages to the files under `search/`.
//!
//! Scoring is BM25F, worked out here, per word and page, as one number (an impact): the browser
//! adds impacts and never needs term frequencies or lengths. The files, each a classic script
//! that hands its data to `__handbookSearch` (so they load from `file://`), gzipped and in
//! base64 (see [`script`]):
//!
//! - `meta.js`: where every shard's words start, and the small tables records point into
//!   (kinds, owners, breadcrumbs).
//! - `t*.js`, shards of the dictionary, split by word: for each word its [`HEAD`] best pages
//!   with everything a result shows (title, link to the best heading, a snippet around the
//!   word), then every page that has it and its impact. A query loads the shard of each word
//!   (for the last word, taken as a prefix, up to three; for a slip, those of the words it
//!   may be).
//! - `d*.js`, records of pages by number, for results outside every word's heads.
//! - `words.js`: the words of five letters and more, for typo tolerance, loaded on a miss.
//! - `facets.js`: per page its kind, owner, team, tags and review dates, loaded to filter.
//!
//! Shards are packed to about [`PACK`] bytes, so a handbook of 10,000 pages makes tens of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use rustc_hash::FxHashMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde_json::{json, Value};

use super::tokenize::{words, Terms};
use crate::load::front_matter::Owned;
use crate::markdown::TextSection;
use crate::model::Status;
use crate::site::generated::Generated;
use crate::site::{Page, PageId, Site, HOME};

/// The body and headings are scored as one field, a heading's words counting three times;
/// BM25 saturates it (at most `K1 + 1` times the word's idf however often it occurs).
const W_HEADING: f32 = 3.0;
const W_BODY: f32 = 1.0;
/// The short fields are added on top, unsaturated, so that a page whose title or document id
/// has the word beats one that merely mentions it often: the best of these bonuses, in units
/// of idf, for a word in the document id, the title, the description or tags.
const B_ID: f32 = 3.0;
const B_TITLE: f32 = 1.5;
const B_META: f32 = 0.6;
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// How many best pages of each word carry their result data in the heads: a first screen.
pub const HEAD: usize = 10;
/// The search script: the query side of the tokenizer and stemmer, then the search itself.
const SCRIPT: [&str; 3] = [
    include_str!("tokenize.js"),
    include_str!("stem.js"),
    include_str!("search.js"),
];
/// A word's pages whose impacts its postings give exactly (see [`encode_postings`]).
const EXACT: usize = 128;
/// The size shards are packed to, before compression.
const PACK: usize = 96 * 1024;
/// How hard files are compressed (1 to 9): at 5 the index is 0.3% larger than at zlib's
/// default of 6 and compressed about a fifth faster (measured at 10,000 pages).
const GZIP_LEVEL: u32 = 5;
/// Pages analysed at once (see [`build`]).
const ANALYSE_AT_ONCE: usize = 2048;
/// Pages per file of records.
const RECORDS_PER_FILE: usize = 320;
/// Snippet length, in characters, around the word.
const SNIPPET: usize = 120;

/// The files of the index, paths relative to the site root.
pub struct Files {
    pub files: Vec<(String, String)>,
}

/// One searchable page.
struct Entry<'a> {
    page: &'a Page,
    sections: &'a [TextSection],
}

/// One word's weight in one page, and the section where it weighs most.
#[derive(Clone, Copy)]
struct Stat {
    weight: f32,
    /// The best bonus of the short fields the word is in.
    bonus: f32,
    /// The best section so far (0: before the first heading) and its weight.
    best: (u16, f32),
    /// The section being read and the word's weight in it so far.
    current: (u16, f32),
}

impl Stat {
    const NONE: u16 = u16::MAX;
    /// A word not (yet) in the page: every weight is above zero once it is.
    const UNSEEN: Stat = Stat {
        weight: 0.0,
        bonus: 0.0,
        best: (Stat::NONE, 0.0),
        current: (Stat::NONE, 0.0),
    };

    fn unseen(&self) -> bool {
        self.weight == 0.0 && self.bonus == 0.0
    }

    /// Counts an occurrence in `section` of the body, or in a short field of `weight`'s bonus.
    fn add(&mut self, weight: f32, section: Option<u16>) {
        let Some(sec) = section else {
            self.bonus = self.bonus.max(weight);
            return;
        };
        self.weight += weight;
        if self.current.0 != sec {
            self.settle();
            self.current = (sec, 0.0);
        }
        self.current.1 += weight;
    }

    fn settle(&mut self) {
        if self.current.0 != Self::NONE && self.current.1 > self.best.1 {
            self.best = self.current;
        }
    }

    fn section(mut self) -> u16 {
        self.settle();
        if self.best.0 == Self::NONE {
            0
        } else {
            self.best.0
        }
    }
}

/// One thread's tools for reading pages, kept for the whole build so that each distinct word
/// is folded and stemmed once per thread, not once per page or per rayon job.
#[derive(Default)]
struct Reader {
    terms: Terms,
    /// Per term number, its stat in the page being read; `touched` lists the ones in use.
    stats: Vec<Stat>,
    touched: Vec<u32>,
}

/// One reader per thread of the pool, locked by its thread while it reads a page and by the
/// merge to name a term it has not met (one lock at a time, and no rayon call under a lock).
struct Readers(Vec<Mutex<Reader>>);

impl Readers {
    fn new() -> Readers {
        Readers(
            (0..rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
        )
    }

    /// The calling thread's reader and its number.
    fn mine(&self) -> (usize, MutexGuard<'_, Reader>) {
        let i = rayon::current_thread_index().unwrap_or(0) % self.0.len();
        (i, self.0[i].lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The postings of the pages read so far, by the index's own term numbers.
#[derive(Default)]
struct Merged {
    /// Each page's length in words.
    lens: Vec<u32>,
    names: Vec<Arc<str>>,
    number: FxHashMap<Arc<str>, u32>,
    /// Per reader, its term numbers' numbers here (`u32::MAX`: not met yet).
    global: Vec<Vec<u32>>,
    by_term: Vec<Vec<Posting>>,
}

impl Merged {
    /// Adds the analyses of the next pages, in page order.
    fn add(&mut self, analyses: Vec<Analysis>, readers: &Readers) {
        self.global.resize(readers.0.len(), Vec::new());
        for a in analyses {
            let entry = self.lens.len() as u32;
            self.lens.push(a.len);
            let global = &mut self.global[a.reader];
            for (local, posting) in a.terms {
                let local = local as usize;
                if global.len() <= local {
                    global.resize(local + 1, u32::MAX);
                }
                if global[local] == u32::MAX {
                    let reader = readers.0[a.reader]
                        .lock()
                        .unwrap_or_else(|e| e.into_inner());
                    let name = reader.terms.get(local as u32);
                    let next = self.names.len() as u32;
                    global[local] = *self.number.entry(name.clone()).or_insert(next);
                    if global[local] == next {
                        self.names.push(name.clone());
                        self.by_term.push(Vec::new());
                    }
                }
                self.by_term[global[local] as usize].push(Posting { entry, ..posting });
            }
        }
    }
}

struct Analysis {
    /// The reader that read the page: its term numbers are the reader's.
    reader: usize,
    /// Each word's number and its posting (its `entry` unset).
    terms: Vec<(u32, Posting)>,
    len: u32,
}

/// A word in a page. Twelve bytes: a 100,000-page handbook has tens of millions.
#[derive(Clone, Copy)]
struct Posting {
    entry: u32,
    /// The word's weight in the body while pages are read; then its impact.
    impact: f32,
    /// The section where it weighs most.
    section: u16,
    /// The best of the short fields it is in, as an index into [`BONUS`].
    bonus: u8,
}

/// The bonuses of the short fields, by [`Posting::bonus`].
const BONUS: [f32; 4] = [0.0, B_META, B_TITLE, B_ID];

fn bonus_code(bonus: f32) -> u8 {
    BONUS.iter().rposition(|&b| b <= bonus).unwrap_or(0) as u8
}

/// Builds the index of `site`'s published pages, drafts left out.
pub fn build(site: &Site) -> Files {
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
            sections: page.body.as_ref().map_or(&[], |b| b.text.as_slice()),
        })
        .collect();
    // Postings per word, in page order. Pages are analysed a slice at a time so that only two
    // slices' word lists are held beside the postings; each reader's term numbers are mapped
    // to the index's own as they are met.
    let n = entries.len();
    let readers = Readers::new();
    let mut merged = Merged {
        lens: Vec::with_capacity(n),
        ..Merged::default()
    };
    let mut pending: Vec<Analysis> = Vec::new();
    for slice in entries.chunks(ANALYSE_AT_ONCE) {
        // The slice before is merged while this one is read.
        let (analyses, ()) = rayon::join(
            || {
                slice
                    .par_iter()
                    .map(|e| analyze(site, e, &readers))
                    .collect()
            },
            || merged.add(std::mem::take(&mut pending), &readers),
        );
        pending = analyses;
    }
    merged.add(pending, &readers);
    let Merged {
        lens,
        names,
        by_term,
        ..
    } = merged;
    // BM25 impacts.
    let avg_len = lens.iter().map(|&l| l as f64).sum::<f64>() / n.max(1) as f64;
    let avg_len = (avg_len as f32).max(1.0);
    let mut terms: Vec<(String, Vec<Posting>)> = names
        .into_par_iter()
        .zip(by_term)
        .map(|(term, mut postings)| {
            let df = postings.len() as f32;
            let idf = (1.0 + (n as f32 - df + 0.5) / (df + 0.5)).ln();
            for p in &mut postings {
                let norm = 1.0 - B + B * lens[p.entry as usize] as f32 / avg_len;
                let body = p.impact * (K1 + 1.0) / (p.impact + K1 * norm);
                p.impact = idf * (body + BONUS[p.bonus as usize]);
            }
            postings.shrink_to_fit();
            (term.to_string(), postings)
        })
        .collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let tables = Tables::new(site, &entries);
    let records: Vec<String> = (0..n)
        .into_par_iter()
        .map(|i| tables.record(site, &entries[i], i).to_string())
        .collect();
    let heads = heads(&entries, &terms, &readers);
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
    meta.insert("t".into(), out.pack("t", items, &records));

    for (n, chunk) in records.chunks(RECORDS_PER_FILE).enumerate() {
        out.file(&format!("d{n}"), format!("[{}]", chunk.join(",")));
    }
    meta.insert("d".into(), json!(RECORDS_PER_FILE));

    // The words a one-letter slip in a word of five letters or more can reach.
    let long: Vec<&str> = terms
        .iter()
        .map(|(t, _)| t.as_str())
        .filter(|t| t.chars().count() >= 4)
        .collect();
    out.file("words", serde_json::to_string(&long).expect("strings"));
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
    // Every file carries the stamp of this index, so that the script can tell when the files
    // it has loaded come from two builds (a preview server swapping the index in, a host half
    // way through an upload, a browser cache) and load them again.
    let stamp = {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        out.files.hash(&mut hasher);
        format!("{:x}", hasher.finish())
    };
    let mut files: Vec<(String, String)> = out
        .files
        .into_par_iter()
        .map(|(name, data)| script(&name, &stamp, &data))
        .collect();
    files.push(("search/search.js".into(), shipped(&SCRIPT.concat())));
    Files { files }
}

/// The words of one page, their weights and best sections.
fn analyze(site: &Site, e: &Entry, readers: &Readers) -> Analysis {
    let (me, mut reader) = readers.mine();
    let Reader {
        terms,
        stats,
        touched,
    } = &mut *reader;
    let mut len = 0u32;
    let mut add = |text: &str, weight: f32, section: Option<u16>| {
        words(text, |word, _| {
            let Some(term) = terms.of(word) else {
                return true;
            };
            if section.is_some() {
                len += 1;
            }
            let t = term as usize;
            if stats.len() <= t {
                stats.resize(t + 1, Stat::UNSEEN);
            }
            if stats[t].unseen() {
                touched.push(term);
            }
            stats[t].add(weight, section);
            true
        });
    };
    let page = e.page;
    add(&page.title, B_TITLE, None);
    if let Some(doc) = &page.doc {
        if let Some(id) = &doc.front.id {
            add(&id.value, B_ID, None);
        }
        if let Some(d) = &doc.front.description {
            add(d, B_META, None);
        }
        for tag in &doc.front.tags {
            add(tag, B_META, None);
        }
    }
    if let Some(Generated::Person(i)) = page.generated {
        let person = &site.team.people[i];
        add(&person.id, B_ID, None);
        if let Some(role) = person.role.as_deref() {
            add(
                site.team.role(role).map_or(role, |r| r.title.as_str()),
                B_META,
                None,
            );
        }
    }
    for (i, section) in e.sections.iter().enumerate() {
        let i = Some(i.min(Stat::NONE as usize - 1) as u16);
        if let Some(h) = &section.heading {
            add(&h.text, W_HEADING, i);
        }
        add(&section.text, W_BODY, i);
    }
    let terms = touched
        .drain(..)
        .map(|t| {
            let s = std::mem::replace(&mut stats[t as usize], Stat::UNSEEN);
            let posting = Posting {
                entry: 0,
                impact: s.weight,
                section: s.section(),
                bonus: bonus_code(s.bonus),
            };
            (t, posting)
        })
        .collect();
    Analysis {
        reader: me,
        terms,
        len,
    }
}

/// The small tables records point into, and each page's facet values.
struct Tables {
    kinds: Vec<(&'static str, &'static str)>,
    owners: Names,
    teams: Names,
    tags: Names,
    /// Breadcrumb sections: title, parent (-1: top level) and URL (see [`url_part`]).
    crumbs: Vec<(String, i64, String)>,
    crumb_of: HashMap<PageId, i64>,
    /// Per page, in page order.
    facets: Vec<Facets>,
}

#[derive(Default)]
struct Facets {
    kind: usize,
    /// Indexes into `owners` and `teams`, one more than the index (0: none).
    owner: usize,
    team: usize,
    tags: Vec<usize>,
    crumb: i64,
    /// Review dates as days since 1970, one more (0: none).
    next: u64,
    soon: u64,
}

#[derive(Default)]
struct Names {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Names {
    /// One more than the index of `name`, added if new.
    fn of(&mut self, name: &str) -> usize {
        let next = self.names.len();
        let i = *self.index.entry(name.to_string()).or_insert(next);
        if i == next {
            self.names.push(name.to_string());
        }
        i + 1
    }
}

/// What a result is called: a document's kind, or what a generated page shows.
fn kind_of(page: &Page) -> (&'static str, &'static str) {
    match page.generated {
        Some(Generated::Person(_)) => ("person", "Person"),
        Some(Generated::Team(_)) => ("team", "Team"),
        Some(Generated::Role(_)) if page.doc.is_none() => ("role", "Role"),
        Some(Generated::Tag(_)) => ("tag", "Tag"),
        Some(_) => ("page", "Page"),
        None => (page.kind().as_str(), page.kind().label()),
    }
}

impl Tables {
    fn new(site: &Site, entries: &[Entry]) -> Tables {
        let mut t = Tables {
            kinds: Vec::new(),
            owners: Names::default(),
            teams: Names::default(),
            tags: Names::default(),
            crumbs: Vec::new(),
            crumb_of: HashMap::new(),
            facets: Vec::with_capacity(entries.len()),
        };
        for e in entries {
            let mut f = Facets::default();
            let kind = kind_of(e.page);
            f.kind = match t.kinds.iter().position(|k| *k == kind) {
                Some(i) => i,
                None => {
                    t.kinds.push(kind);
                    t.kinds.len() - 1
                }
            };
            if let Some(doc) = &e.page.doc {
                match doc.front.owned_by() {
                    Some(Owned::Person(id)) => {
                        let person = site.team.person(id);
                        f.owner = t.owners.of(person.map_or(id, |p| p.name.as_str()));
                        if let Some(team) = person.and_then(|p| p.team.as_deref()) {
                            f.team = t
                                .teams
                                .of(site.team.team(team).map_or(team, |t| t.name.as_str()));
                        }
                    }
                    // Named as the pages name it, so it cannot pass for a person.
                    Some(Owned::Channel(c)) => {
                        f.owner = t.owners.of(&format!("{c} (chat channel)"))
                    }
                    None => {}
                }
                f.tags = doc.front.tags.iter().map(|tag| t.tags.of(tag)).collect();
            }
            f.crumb = e.page.parent.map_or(-1, |parent| t.crumb(site, parent));
            if let Some(review) = &e.page.review {
                f.next = review.next.map_or(0, day_number);
                f.soon = review.due_soon_from.map_or(0, day_number);
            }
            t.facets.push(f);
        }
        t
    }

    fn crumb(&mut self, site: &Site, page: PageId) -> i64 {
        if page == HOME {
            return -1;
        }
        if let Some(&i) = self.crumb_of.get(&page) {
            return i;
        }
        let p = &site.pages[page];
        let parent = p.parent.map_or(-1, |parent| self.crumb(site, parent));
        self.crumbs
            .push((p.title.clone(), parent, url_part(site, p)));
        let i = (self.crumbs.len() - 1) as i64;
        self.crumb_of.insert(page, i);
        i
    }

    /// What a result shows of page `i`: `[title, url (see [`url_part`]), kind, owner (0:
    /// none), crumb (-1: top), doc id, next review (days since 1970, plus one; 0: none), days
    /// it is due soon before that, retired]`.
    fn record(&self, site: &Site, e: &Entry, i: usize) -> Value {
        let page = e.page;
        let f = &self.facets[i];
        json!([
            page.title,
            url_part(site, page),
            f.kind,
            f.owner,
            f.crumb,
            page.doc
                .as_ref()
                .and_then(|d| d.front.id.as_ref())
                .map_or("", |id| id.value.as_str()),
            f.next,
            f.next.saturating_sub(f.soon.max(1)) * u64::from(f.soon > 0),
            u8::from(page.status() == Status::Retired),
        ])
    }

    /// Per page, in page order, as varint strings: kind, owner and team (0: none), tags (a
    /// count, then each), and the review dates as days since 1970 (0: none); `retired` lists
    /// retired pages.
    fn facets(&self) -> Value {
        json!({
            "kind": encode_all(self.facets.iter().map(|f| f.kind as u64)),
            "owner": encode_all(self.facets.iter().map(|f| f.owner as u64)),
            "team": encode_all(self.facets.iter().map(|f| f.team as u64)),
            "tags": encode_all(self.facets.iter().flat_map(|f| {
                std::iter::once(f.tags.len() as u64).chain(f.tags.iter().map(|&t| t as u64))
            })),
            "next": encode_all(self.facets.iter().map(|f| f.next)),
            "soon": encode_all(self.facets.iter().map(|f| f.soon)),
        })
    }
}

/// A page's URL as records keep it: `""` when it is its parent's URL and the slug of its
/// title (most pages: the script's `slug` makes the same), the last segment when only that
/// differs, else the whole URL after a `/`.
fn url_part(site: &Site, page: &Page) -> String {
    let parent = page.parent.map_or("", |p| site.pages[p].url.as_str());
    match page
        .url
        .strip_prefix(parent)
        .and_then(|s| s.strip_suffix('/'))
    {
        Some(segment) if !segment.contains('/') => {
            if segment == slug(&page.title) {
                String::new()
            } else {
                segment.to_string()
            }
        }
        _ => format!("/{}", page.url),
    }
}

/// ASCII letters and digits lowercased, runs of anything else one hyphen, none at the ends;
/// the search script's `slug` is the same.
fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Days since 1970-01-01, plus one, so that 0 can mean no date.
fn day_number(day: crate::dates::Day) -> u64 {
    let epoch = crate::dates::Day::new(1970, 1, 1).expect("a valid date");
    (epoch.days_until(day).max(0) + 1) as u64
}

/// One of a word's best pages, with what its result shows.
struct Head {
    entry: u32,
    impact: f32,
    /// The heading of the section the word weighs most in (none: the top of the page).
    heading: Option<(String, String)>,
    snippet: String,
}

/// Each word's [`HEAD`] best pages, best first, with their snippets.
fn heads(entries: &[Entry], terms: &[(String, Vec<Posting>)], readers: &Readers) -> Vec<Vec<Head>> {
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

/// One word's data for a file, and the pages whose records it needs beside it.
struct Item {
    key: String,
    json: String,
    entries: Vec<u32>,
}

/// One word's data in its shard: `[term, pages, highest impact, heads, members, levels]`,
/// then for a common word `positions, shared level` (see [`encode_postings`]); each head row is
/// `[page, impact, heading text, heading id, snippet]`.
fn term_item(term: &str, postings: &[Posting], head: &[Head], pages: usize) -> Item {
    let max = postings.iter().map(|p| p.impact).fold(0.0, f32::max);
    let mut item = vec![json!(term), json!(postings.len()), json!(round(max))];
    item.push(Value::Array(
        head.iter()
            .map(|h| {
                let (text, id) = h.heading.clone().unwrap_or_default();
                json!([h.entry, round(h.impact), text, id, h.snippet])
            })
            .collect(),
    ));
    item.extend(encode_postings(postings, max, pages));
    Item {
        key: term.to_string(),
        json: Value::Array(item).to_string(),
        entries: head.iter().map(|h| h.entry).collect(),
    }
}

/// A word's postings: which pages (gaps as varints, or a bitmap when that is shorter) and
/// their impacts as levels from 1 to 31 of the word's highest. A common word's impacts are
/// written for its [`EXACT`] best pages only (their positions among its pages as gaps, then
/// their levels); its other pages share the level of their mean. A common word weighs little
/// beside the rarer words of a query, and its levels would otherwise be most of the index.
fn encode_postings(postings: &[Posting], max: f32, pages: usize) -> Vec<Value> {
    let level = |impact: f32| {
        if max > 0.0 {
            ((impact / max) * 31.0).ceil().clamp(1.0, 31.0) as usize
        } else {
            1
        }
    };
    let mut gaps = String::new();
    let mut last = 0u64;
    for (i, p) in postings.iter().enumerate() {
        let gap = if i == 0 {
            p.entry as u64
        } else {
            p.entry as u64 - last
        };
        push_varint(&mut gaps, gap);
        last = p.entry as u64;
    }
    let bitmap_len = pages.div_ceil(6) + 1;
    let members = if bitmap_len < gaps.len() {
        let mut bits = vec![0u8; pages.div_ceil(6)];
        for p in postings {
            bits[p.entry as usize / 6] |= 1 << (p.entry % 6);
        }
        let mut out = String::with_capacity(bitmap_len);
        out.push('!');
        out.extend(bits.into_iter().map(|b| ALPHABET[b as usize] as char));
        out
    } else {
        gaps
    };
    let levels = |of: &mut dyn Iterator<Item = &Posting>| -> String {
        of.map(|p| ALPHABET[level(p.impact)] as char).collect()
    };
    if postings.len() <= EXACT {
        return vec![json!(members), json!(levels(&mut postings.iter()))];
    }
    let mut best: Vec<usize> = (0..postings.len()).collect();
    best.select_nth_unstable_by(EXACT - 1, |&a, &b| {
        postings[b]
            .impact
            .total_cmp(&postings[a].impact)
            .then(a.cmp(&b))
    });
    best.truncate(EXACT);
    best.sort_unstable();
    let positions = encode_all(
        best.iter()
            .scan(0, |last, &i| Some((i - std::mem::replace(last, i)) as u64)),
    );
    let mut exact = vec![false; postings.len()];
    for &i in &best {
        exact[i] = true;
    }
    let rest: f64 = (postings.iter().zip(&exact))
        .filter(|(_, &e)| !e)
        .map(|(p, _)| f64::from(p.impact))
        .sum();
    let rest = level((rest / (postings.len() - EXACT) as f64) as f32);
    vec![
        json!(members),
        json!(levels(&mut best.iter().map(|&i| &postings[i]))),
        json!(positions),
        json!(rest),
    ]
}

fn round(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// The 64 characters of varints and bitmaps, none of which needs escaping in a JSON string.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `v` in five-bit groups, low first; the sixth bit marks that more follow.
fn push_varint(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(ALPHABET[(32 | (v & 31)) as usize] as char);
        v >>= 5;
    }
    out.push(ALPHABET[v as usize] as char);
}

fn encode_all(values: impl Iterator<Item = u64>) -> String {
    let mut out = String::new();
    for v in values {
        push_varint(&mut out, v);
    }
    out
}

/// Packs items into files of about [`PACK`] bytes, each with the records its items need.
#[derive(Default)]
struct Packer {
    /// Each file's name and data, as JSON.
    files: Vec<(String, String)>,
}

impl Packer {
    /// Writes `items` (sorted by key) to files `{prefix}0`, `{prefix}1`, ... and returns the
    /// first key of each, for the search script to find the file of a word.
    fn pack(&mut self, prefix: &str, items: Vec<Item>, records: &[String]) -> Value {
        let mut firsts = Vec::new();
        let mut body = String::new();
        let mut recs = String::new();
        let mut seen = std::collections::HashSet::new();
        let mut n = 0;
        let mut flush = |body: &mut String, recs: &mut String, files: &mut Vec<_>| {
            files.push((
                format!("{prefix}{n}"),
                format!("{{\"t\":[{body}],\"r\":{{{recs}}}}}"),
            ));
            n += 1;
            body.clear();
            recs.clear();
        };
        for item in items {
            if body.len() + recs.len() >= PACK {
                flush(&mut body, &mut recs, &mut self.files);
                seen.clear();
            }
            if body.is_empty() {
                firsts.push(item.key.clone());
            } else {
                body.push(',');
            }
            body.push_str(&item.json);
            for e in item.entries {
                if seen.insert(e) {
                    if !recs.is_empty() {
                        recs.push(',');
                    }
                    let _ = write!(recs, "\"{e}\":{}", records[e as usize]);
                }
            }
        }
        if !body.is_empty() {
            flush(&mut body, &mut recs, &mut self.files);
        }
        json!(firsts)
    }

    fn file(&mut self, name: &str, data: String) {
        self.files.push((name.to_string(), data));
    }
}

/// The search script as shipped: without its comment lines and indentation, which are a
/// quarter of it, and which every first query would load. Lines stay lines, so the script
/// means the same (its sources have no multi-line strings or block comments).
fn shipped(script: &str) -> String {
    let mut out = String::with_capacity(script.len());
    for line in script.lines().map(str::trim) {
        if !line.is_empty() && !line.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A classic script handing `data` and the index's `stamp` to the search script: loadable from
/// `file://`, where `fetch` is refused. The data is gzipped (to a third: titles, snippets and
/// headings repeat words) and written in base64, which the script decodes and inflates with
/// the browser's own `DecompressionStream`.
fn script(name: &str, stamp: &str, data: &str) -> (String, String) {
    use base64::Engine as _;
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::new(GZIP_LEVEL),
    );
    gz.write_all(data.as_bytes()).expect("writing to memory");
    let packed = gz.finish().expect("writing to memory");
    let text = base64::engine::general_purpose::STANDARD.encode(packed);
    (
        format!("search/{name}.js"),
        format!("__handbookSearch({name:?},{stamp:?},\"{text}\");\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let (mut v, mut shift) = (0u64, 0);
        for c in s.bytes() {
            let d = ALPHABET.iter().position(|&a| a == c).unwrap() as u64;
            v |= (d & 31) << shift;
            if d & 32 != 0 {
                shift += 5;
            } else {
                out.push(v);
                (v, shift) = (0, 0);
            }
        }
        out
    }

    #[test]
    fn varints_round_trip_in_url_safe_characters() {
        let values = [0, 1, 31, 32, 1023, 1024, 20_000, u32::MAX as u64];
        let s = encode_all(values.iter().copied());
        assert_eq!(decode(&s), values);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(
            encode_all([5].into_iter()),
            "F",
            "small values take one character"
        );
    }

    #[test]
    fn postings_choose_the_shorter_of_gaps_and_bitmap() {
        let posting = |entry| Posting {
            entry,
            impact: 1.0 + entry as f32,
            section: 0,
            bonus: 0,
        };
        let sparse: Vec<Posting> = [3, 900].into_iter().map(posting).collect();
        let max = |ps: &[Posting]| ps.iter().map(|p| p.impact).fold(0.0, f32::max);
        let v = encode_postings(&sparse, max(&sparse), 1000);
        assert_eq!(decode(v[0].as_str().unwrap()), [3, 897]);
        assert_eq!(v[1], "Bf", "levels of the highest impact (901): 1 and 31");

        let dense: Vec<Posting> = (0..1000).step_by(2).map(posting).collect();
        let v = encode_postings(&dense, max(&dense), 1000);
        let bitmap = v[0].as_str().unwrap();
        assert_eq!(bitmap.len(), 1 + 167, "a marker and 6 pages a character");
        // Pages 0, 2, 4 set: bits 0, 2, 4 of the first character.
        assert_eq!(bitmap.as_bytes()[1], ALPHABET[0b10101]);

        // A common word: levels for its best pages (the last 128, here), at their positions
        // among its pages, and one shared level for the others, their mean.
        assert_eq!(v[1].as_str().unwrap().len(), EXACT);
        let positions = decode(v[2].as_str().unwrap());
        assert_eq!(positions[0], 500 - EXACT as u64);
        assert!(positions[1..].iter().all(|&g| g == 1));
        // Impacts are 1 + entry for entries 0, 2, ..., 998: the others share their mean, as a
        // level of the highest (999).
        let mean = (0..372).map(|i| 1.0 + 2.0 * i as f32).sum::<f32>() / 372.0;
        assert_eq!(v[3], ((mean / 999.0) * 31.0).ceil() as u64);
        assert_eq!(v[1].as_str().unwrap().as_bytes()[EXACT - 1], ALPHABET[31]);
    }

    #[test]
    fn index_files_are_scripts_handing_over_gzipped_json() {
        let data = json!({"t": [["deploy", 2, 1.5, []]], "r": {"3": ["Déploiement <b>", ""]}});
        let (path, text) = script("t0", "5eed", &data.to_string());
        assert_eq!(path, "search/t0.js");
        let inner = text
            .strip_prefix("__handbookSearch(\"t0\",\"5eed\",\"")
            .and_then(|t| t.strip_suffix("\");\n"))
            .expect(&text);
        assert!(inner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)));
        use base64::Engine as _;
        use std::io::Read as _;
        let packed = base64::engine::general_purpose::STANDARD
            .decode(inner)
            .unwrap();
        let mut json = String::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_string(&mut json)
            .unwrap();
        assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), data);
    }

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

    #[test]
    fn the_script_ships_without_comments_and_indentation() {
        let source = SCRIPT.concat();
        let shipped = shipped(&source);
        assert!(
            shipped.len() < source.len() * 4 / 5,
            "{} of {}",
            shipped.len(),
            source.len()
        );
        assert!(!shipped.contains("\n//") && !shipped.contains("\n "));
        let code = |s: &str| -> Vec<String> {
            s.lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty() && !l.starts_with("//"))
                .collect()
        };
        assert_eq!(
            code(&shipped),
            code(&source),
            "every line of code is kept, in order"
        );
        assert!(
            code(&source)
                .iter()
                .all(|l| !l.contains("/*") && !l.contains('`')),
            "no block comments or template strings, which cutting lines could change"
        );
    }

    #[test]
    fn slugs_are_ascii_words_joined_by_hyphens() {
        assert_eq!(slug("On-Call Rotation"), "on-call-rotation");
        assert_eq!(slug("  SOP: 24/7 Support! "), "sop-24-7-support");
        assert_eq!(
            slug("Déploiement"),
            "d-ploiement",
            "the script does the same"
        );
    }
}
