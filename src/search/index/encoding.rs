//! Encoding: how words, postings and records are written into the files the browser loads
//! (varints and bitmaps in URL-safe characters, shards packed by size, each file a gzipped,
//! base64, stamped classic script), and the search script as shipped.

use std::fmt::Write as _;

use rayon::prelude::*;
use serde_json::{json, Value};

use super::heads::Head;
use super::scoring::Posting;

/// The search script: the query side of the tokenizer and stemmer, then the search itself.
const SCRIPT: [&str; 3] = [
    include_str!("../tokenize.js"),
    include_str!("../stem.js"),
    include_str!("../search.js"),
];
/// A word's pages whose impacts its postings give exactly (see [`encode_postings`]).
const EXACT: usize = 128;
/// The size shards are packed to, before compression: a first query loads one per word, so
/// smaller is lighter (48 KB: two- and three-word queries under 150 KB at 10,000 pages), and
/// more files, each repeating the records its words need.
pub(super) const PACK: usize = 48 * 1024;
/// How hard files are compressed (1 to 9): at 5 the index is 0.3% larger than at zlib's
/// default of 6 and compressed about a fifth faster (measured at 10,000 pages).
const GZIP_LEVEL: u32 = 5;

/// One word's data for a file, and the pages whose records it needs beside it.
pub(super) struct Item {
    key: String,
    json: String,
    entries: Vec<u32>,
}

/// One word's data in its shard: `[term, pages, highest impact, heads, members, levels]`,
/// then for a common word `positions, shared level` (see [`encode_postings`]); each head row is
/// `[page, impact, heading text, heading id, snippet]`.
pub(super) fn term_item(term: &str, postings: &[Posting], head: &[Head], pages: usize) -> Item {
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

pub(super) fn encode_all(values: impl Iterator<Item = u64>) -> String {
    let mut out = String::new();
    for v in values {
        push_varint(&mut out, v);
    }
    out
}

/// Packs items into files of about [`PACK`] bytes, each with the records its items need.
#[derive(Default)]
pub(super) struct Packer {
    /// Each file's name and data, as JSON.
    files: Vec<(String, String)>,
}

impl Packer {
    /// Writes `items` (sorted by key) to files `{prefix}0`, `{prefix}1`, ... and returns the
    /// first key of each, for the search script to find the file of a word.
    pub(super) fn pack(&mut self, prefix: &str, items: Vec<Item>, records: &[String]) -> Value {
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

    pub(super) fn file(&mut self, name: &str, data: String) {
        self.files.push((name.to_string(), data));
    }

    /// The files as shipped: each packed file a script stamped with the index, then the search
    /// script itself.
    pub(super) fn into_scripts(self) -> Vec<(String, String)> {
        // Every file carries the stamp of this index, so that the script can tell when the files
        // it has loaded come from two builds (a preview server swapping the index in, a host half
        // way through an upload, a browser cache) and load them again.
        let stamp = {
            use std::hash::{Hash, Hasher};
            let mut hasher = rustc_hash::FxHasher::default();
            self.files.hash(&mut hasher);
            format!("{:x}", hasher.finish())
        };
        let mut files: Vec<(String, String)> = self
            .files
            .into_par_iter()
            .map(|(name, data)| script(&name, &stamp, &data))
            .collect();
        files.push(("search/search.js".into(), shipped(&SCRIPT.concat())));
        files
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
}
