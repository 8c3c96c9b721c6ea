//! Scoring: the weights of the fields, each page's words read into postings, and the BM25F
//! impact of each word in each page, the one number per word and page the browser adds up.

use std::sync::{Arc, Mutex, MutexGuard};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::entry::Entry;
use crate::search::tokenize::{words, Terms};
use crate::site::Generated;
use crate::site::Site;

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

/// Pages analysed at once (see [`score`]).
const ANALYSE_AT_ONCE: usize = 2048;

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
pub(super) struct Reader {
    pub(super) terms: Terms,
    /// Per term number, its stat in the page being read; `touched` lists the ones in use.
    stats: Vec<Stat>,
    touched: Vec<u32>,
}

/// One reader per thread of the pool, locked by its thread while it reads a page and by the
/// merge to name a term it has not met (one lock at a time, and no rayon call under a lock).
pub(super) struct Readers(Vec<Mutex<Reader>>);

impl Readers {
    fn new() -> Readers {
        Readers(
            (0..rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
        )
    }

    /// The calling thread's reader and its number.
    pub(super) fn mine(&self) -> (usize, MutexGuard<'_, Reader>) {
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
pub(super) struct Posting {
    pub(super) entry: u32,
    /// The word's weight in the body while pages are read; then its impact.
    pub(super) impact: f32,
    /// The section where it weighs most.
    pub(super) section: u16,
    /// The best of the short fields it is in, as an index into [`BONUS`].
    pub(super) bonus: u8,
}

/// The bonuses of the short fields, by [`Posting::bonus`].
const BONUS: [f32; 4] = [0.0, B_META, B_TITLE, B_ID];

fn bonus_code(bonus: f32) -> u8 {
    BONUS.iter().rposition(|&b| b <= bonus).unwrap_or(0) as u8
}

/// Every word of `entries` with its postings, in page order, their weights made BM25 impacts;
/// sorted by word. The readers are returned too: their word caches serve the snippets.
pub(super) fn score(site: &Site, entries: &[Entry]) -> (Vec<(String, Vec<Posting>)>, Readers) {
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
    (terms, readers)
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
