//! Words as search sees them: folded (lowercase, accents off: `Déploiement` and `deploiement`
//! are one word), split at anything that is not a letter or a digit, English words reduced to
//! their stem (`deploying` → `deploy`), and CJK text, which has no spaces, cut into single
//! characters and pairs so that any part of it can be found. The search script in the browser
//! must do exactly the same to a query.

use std::borrow::Cow;
use std::sync::Arc;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One word of a text, and where it starts (a byte offset, for snippets and headings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub offset: usize,
}

/// Lowercase, accents and other marks removed, ligatures and the letters NFKD keeps whole
/// spelled out in ASCII where English readers would type them so.
pub fn fold(word: &str) -> String {
    // Lowercase first (`İ` is `i` and a dot above, which then goes), and again after the
    // decomposition (`ℌ` decomposes to `H`): folding a folded word changes nothing.
    let lower = word.to_lowercase();
    let mut out = String::with_capacity(word.len());
    for c in lower.nfkd().filter(|&c| !is_combining_mark(c)) {
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether `c` is written without spaces between words (Chinese, Japanese, Korean).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B-F, compatibility supplement
}

/// The words of `text`, folded, in order, appended to `out`. An apostrophe inside a word is
/// dropped (`don't` → `dont`); a CJK run gives each character and each pair of neighbours.
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    words(text, |word, offset| {
        // A word of marks alone folds to nothing.
        let term = fold(word);
        if !term.is_empty() {
            out.push(Token { term, offset });
        }
        true
    });
}

/// The ASCII letters and digits, by byte: one load each, in the loop over every byte of the
/// handbook's text.
const ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// The length of the run of ASCII letters and digits `bytes` starts with: eight bytes at a
/// time, so that the end of a word is found without a branch per letter (their mispredictions
/// at the end of each word were most of the time spent reading a handbook's words).
fn word_run(bytes: &[u8]) -> usize {
    let mut n = 0;
    while let Some(chunk) = bytes.get(n..n + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let not_word = !word_bytes(x) & HIGH;
        if not_word != 0 {
            return n + (not_word.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + (bytes[n..].iter())
        .position(|&b| !ASCII_WORD[b as usize])
        .unwrap_or(bytes.len() - n)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES * 0x80;

/// The high bit of each byte of `x` that is an ASCII letter or digit, the others clear.
fn word_bytes(x: u64) -> u64 {
    // Bytes strictly between `lo` and `hi`, below 128 ("Bit Twiddling Hacks", `hasbetween`):
    // exact for each byte, as no step carries into the next.
    let between = |x: u64, lo: u8, hi: u8| {
        let low = x & (ONES * 127);
        (ONES * (127 + hi as u64)).wrapping_sub(low)
            & !x
            & low.wrapping_add(ONES * (127 - lo as u64))
            & HIGH
    };
    // Setting bit 5 makes capitals lowercase, and no other byte a letter.
    between(x, b'0' - 1, b'9' + 1) | between(x | (ONES * 0x20), b'a' - 1, b'z' + 1)
}

/// The words of `text` as written (apostrophes inside a word dropped, CJK cut into characters
/// and pairs), not yet folded, each with its byte offset: [`tokenize`] without the folding, for
/// callers that fold each distinct word once. `f` returns whether to go on.
pub fn words(text: &str, mut f: impl FnMut(&str, usize) -> bool) {
    // A word is a slice of `text` from `start` to `end` unless an apostrophe was skipped
    // inside it; then it is built in `joined`. Handbooks are mostly ASCII: runs of ASCII
    // letters and digits are taken a byte at a time, other characters decoded one by one.
    let bytes = text.as_bytes();
    let mut first = 0;
    let mut start = 0;
    let mut end = 0;
    let mut in_word = false;
    let mut joined = String::new();
    let mut cjk_prev: Option<(usize, char)> = None;
    let mut pair = String::new();
    let mut i = 0;
    macro_rules! flush {
        () => {
            if in_word {
                let go_on = if joined.is_empty() {
                    f(&text[start..end], first)
                } else {
                    joined.push_str(&text[start..end]);
                    let go_on = f(&joined, first);
                    joined.clear();
                    go_on
                };
                in_word = false;
                if !go_on {
                    return;
                }
            }
        };
    }
    while i < bytes.len() {
        let b = bytes[i];
        if ASCII_WORD[b as usize] {
            cjk_prev = None;
            if !in_word {
                in_word = true;
                first = i;
                start = i;
            }
            // The rest of the run, in a loop of its own that keeps everything in registers.
            i += 1 + word_run(&bytes[i + 1..]);
            end = i;
            continue;
        }
        if b.is_ascii() && b != b'\'' {
            // A space or a mark: the word, if any, ends. Most bytes outside words are these,
            // and need none of the questions below.
            cjk_prev = None;
            flush!();
            i += 1;
            continue;
        }
        let c = if b.is_ascii() {
            b as char
        } else {
            text[i..].chars().next().expect("i is at a char boundary")
        };
        let len = c.len_utf8();
        if is_cjk(c) {
            flush!();
            // A combining sound mark (U+3099) folds away.
            if !fold(c.encode_utf8(&mut [0; 4])).is_empty() {
                if let Some((j, p)) = cjk_prev {
                    pair.clear();
                    pair.push(p);
                    pair.push(c);
                    if !f(&pair, j) {
                        return;
                    }
                }
                if !f(c.encode_utf8(&mut [0; 4]), i) {
                    return;
                }
                cjk_prev = Some((i, c));
            }
            i += len;
            continue;
        }
        cjk_prev = None;
        if c.is_alphanumeric() {
            if !in_word {
                in_word = true;
                first = i;
                start = i;
            }
            i += len;
            end = i;
            continue;
        }
        if matches!(c, '\'' | '’')
            && in_word
            && text[i + len..]
                .chars()
                .next()
                .is_some_and(|n| n.is_alphanumeric() && !is_cjk(n))
        {
            // Inside a word: skip it and keep the word going.
            joined.push_str(&text[start..end]);
            start = i + len;
            end = start;
        } else {
            flush!();
        }
        i += len;
    }
    flush!();
    let _ = in_word;
}

/// The index term of a word as written: folded, then stemmed. [`Terms`] remembers them.
pub fn term(word: &str) -> String {
    let folded = fold(word);
    match stem(&folded) {
        Cow::Borrowed(_) => folded,
        Cow::Owned(s) => s,
    }
}

/// [`term`] for a stream of words, each distinct word folded and stemmed once: a handbook has
/// a few thousand distinct words in millions of places. Terms are numbered as they are met.
#[derive(Default)]
pub struct Terms {
    /// Words as written to the number of their term: those of sixteen bytes or fewer by their
    /// bytes as a number, the others by themselves.
    short: rustc_hash::FxHashMap<u128, u32>,
    words: rustc_hash::FxHashMap<String, u32>,
    /// Terms to their numbers: `deploying` and `deployed` are both `deploy`.
    numbers: rustc_hash::FxHashMap<Arc<str>, u32>,
    terms: Vec<Arc<str>>,
}

impl Terms {
    /// The number of the term of `word`, or `None` for a word of marks alone.
    pub fn of(&mut self, word: &str) -> Option<u32> {
        // Nearly all words are sixteen bytes or fewer: looked up as one number, not hashed
        // and compared as strings. (A word has no NUL byte, so the padding is unambiguous.)
        debug_assert!(!word.contains('\0'), "words() never yields a NUL");
        let short = short_key(word.as_bytes());
        let known = match short {
            Some(key) => self.short.get(&key),
            None => self.words.get(word),
        };
        let id = match known {
            Some(&id) => id,
            None => {
                let t = term(word);
                // A word of marks alone: remembered as such, so that the answer needs no look
                // at the terms (a second memory access for every word of the handbook).
                let id = if t.is_empty() {
                    Self::NOTHING
                } else {
                    let t: Arc<str> = t.into();
                    let next = self.terms.len() as u32;
                    let id = *self.numbers.entry(t.clone()).or_insert(next);
                    if id == next {
                        self.terms.push(t);
                    }
                    id
                };
                match short {
                    Some(key) => self.short.insert(key, id),
                    None => self.words.insert(word.to_string(), id),
                };
                id
            }
        };
        (id != Self::NOTHING).then_some(id)
    }

    /// The number of the words whose term is empty.
    const NOTHING: u32 = u32::MAX;

    /// The term numbered `id`.
    pub fn get(&self, id: u32) -> &Arc<str> {
        &self.terms[id as usize]
    }
}

/// The bytes of a word of sixteen bytes or fewer as one number, zero-padded (little-endian).
/// Read with two loads that may overlap rather than copied into a buffer: this runs for every
/// word of the handbook, and the copy's call and the load from what it stored were most of it.
fn short_key(b: &[u8]) -> Option<u128> {
    let n = b.len();
    let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
    let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes")) as u64;
    let (lo, hi) = match n {
        // The last eight bytes shifted down to leave bytes 8.. (none when n is 8).
        8..=16 => (
            u64_at(0),
            u64_at(n - 8).checked_shr(8 * (16 - n) as u32).unwrap_or(0),
        ),
        4..=7 => (u32_at(0) | (u32_at(n - 4) >> (8 * (8 - n))) << 32, 0),
        0..=3 => (b.iter().rev().fold(0, |k, &c| k << 8 | c as u64), 0),
        _ => return None,
    };
    Some(u128::from(lo) | u128::from(hi) << 64)
}

/// The English stem of a folded term: Snowball's English stemmer for words of letters from
/// three on; numbers, codes, short words and other scripts stay as they are.
pub fn stem(term: &str) -> Cow<'_, str> {
    thread_local! {
        static STEMMER: rust_stemmers::Stemmer =
            rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    }
    if term.len() < 3 || !term.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(term);
    }
    STEMMER.with(|s| match s.stem(term) {
        Cow::Borrowed(_) => Cow::Borrowed(term),
        Cow::Owned(o) => Cow::Owned(o),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokenize(text, &mut out);
        out.into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn word_runs_end_at_the_first_byte_that_is_not_an_ascii_letter_or_digit() {
        let slow = |b: &[u8]| b.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        for byte in 0..=255u8 {
            for at in 0..20 {
                let mut text = b"Abcdefghijklmnopqrstuvwxyz0123456789".to_vec();
                text[at] = byte;
                assert_eq!(word_run(&text), slow(&text), "byte {byte} at {at}");
                text.truncate(at + 1);
                assert_eq!(word_run(&text), slow(&text), "byte {byte} ending {at}");
            }
        }
        assert_eq!(word_run(b""), 0);
    }

    #[test]
    fn short_keys_are_the_bytes_zero_padded() {
        let text = b"abcdefghijklmnopq";
        for n in 0..=17 {
            let want = (n <= 16).then(|| {
                let mut bytes = [0u8; 16];
                bytes[..n].copy_from_slice(&text[..n]);
                u128::from_le_bytes(bytes)
            });
            assert_eq!(short_key(&text[..n]), want, "{n} bytes");
        }
        // Unlike bytes: every position counts.
        assert_ne!(short_key(b"abcdefghi"), short_key(b"abcdefghj"));
        assert_ne!(short_key(b"abcde"), short_key(b"abcdf"));
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Déploiement"), "deploiement");
        assert_eq!(fold("ÉCOLE"), "ecole");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Ærø"), "aero");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("ﬁle"), "file");
    }

    #[test]
    fn splits_words_and_keeps_offsets() {
        let mut out = Vec::new();
        tokenize("SOP-014: Don't patch\tservers (v2.1)", &mut out);
        let got: Vec<(&str, usize)> = out.iter().map(|t| (t.term.as_str(), t.offset)).collect();
        assert_eq!(
            got,
            [
                ("sop", 0),
                ("014", 4),
                ("dont", 9),
                ("patch", 15),
                ("servers", 21),
                ("v2", 30),
                ("1", 33)
            ]
        );
        assert_eq!(terms("'quoted' it's"), ["quoted", "its"]);
        assert!(terms("  -- ").is_empty());
    }

    #[test]
    fn cjk_is_cut_into_characters_and_pairs() {
        assert_eq!(
            terms("障害対応"),
            ["障", "障害", "害", "害対", "対", "対応", "応"]
        );
        assert_eq!(terms("SOP 障害"), ["sop", "障", "障害", "害"]);
    }

    #[test]
    fn words_of_one_term_share_its_number() {
        let mut terms = Terms::default();
        let a = terms.of("Patching").unwrap();
        assert_eq!(terms.of("patches"), Some(a));
        assert_eq!(terms.of("patch"), Some(a));
        assert_eq!(&**terms.get(a), "patch");
        assert_ne!(terms.of("patchwork"), Some(a));
        assert_eq!(terms.of("patching"), Some(a));
        assert_ne!(terms.of("patchin"), terms.of("patching"));
        let long = terms.of("Internationalizations").unwrap();
        assert_eq!(
            terms.of("internationalization"),
            Some(long),
            "longer than sixteen bytes"
        );
        assert_eq!(terms.of("Internationalise"), terms.of("internationalise"));
        assert_ne!(terms.of("internationalise"), Some(long), "sixteen bytes");
        // Words of sixteen bytes are keyed by all of them; seventeen by the word itself.
        let sixteen = terms.of("1234567890123456");
        assert_ne!(sixteen, terms.of("1234567890123457"));
        assert_ne!(sixteen, terms.of("12345678901234560"));
        assert_eq!(sixteen, terms.of("1234567890123456"));
        assert_eq!(terms.of("\u{301}"), None);
    }

    #[test]
    fn stems_english_words_only() {
        assert_eq!(stem("deploying"), "deploy");
        assert_eq!(stem("deployed"), "deploy");
        assert_eq!(stem("reviews"), "review");
        assert_eq!(stem("policies"), "polici");
        assert_eq!(stem("014"), "014");
        assert_eq!(stem("v2"), "v2");
        assert_eq!(stem("is"), "is");
        assert_eq!(stem("障害"), "障害");
    }

    /// The plain reading of [`words`], a character at a time, against which its byte-wise
    /// fast path is checked.
    fn words_char_by_char(text: &str, mut f: impl FnMut(&str, usize)) {
        // A word is a slice of `text` from `start` to `end` unless an apostrophe was skipped
        // inside it; then it is built in `joined`.
        let mut first = 0;
        let mut start = 0;
        let mut end = 0;
        let mut in_word = false;
        let mut joined = String::new();
        let mut cjk_prev: Option<(usize, char)> = None;
        let mut pair = String::new();
        let mut chars = text.char_indices().peekable();
        macro_rules! flush {
            () => {
                if in_word {
                    if joined.is_empty() {
                        f(&text[start..end], first);
                    } else {
                        joined.push_str(&text[start..end]);
                        f(&joined, first);
                        joined.clear();
                    }
                    in_word = false;
                }
            };
        }
        while let Some((i, c)) = chars.next() {
            if c.is_ascii() {
                cjk_prev = None;
                if c.is_ascii_alphanumeric() {
                    if !in_word {
                        in_word = true;
                        first = i;
                        start = i;
                    }
                    end = i + 1;
                    continue;
                }
            } else if is_cjk(c) {
                flush!();
                // A combining sound mark (U+3099) folds away.
                if fold(c.encode_utf8(&mut [0; 4])).is_empty() {
                    continue;
                }
                if let Some((j, p)) = cjk_prev {
                    pair.clear();
                    pair.push(p);
                    pair.push(c);
                    f(&pair, j);
                }
                f(c.encode_utf8(&mut [0; 4]), i);
                cjk_prev = Some((i, c));
                continue;
            } else {
                cjk_prev = None;
                if c.is_alphanumeric() {
                    if !in_word {
                        in_word = true;
                        first = i;
                        start = i;
                    }
                    end = i + c.len_utf8();
                    continue;
                }
            }
            if matches!(c, '\'' | '’')
                && in_word
                && chars
                    .peek()
                    .is_some_and(|&(_, n)| n.is_alphanumeric() && !is_cjk(n))
            {
                // Inside a word: skip it and keep the word going.
                joined.push_str(&text[start..end]);
                start = i + c.len_utf8();
                end = start;
            } else {
                flush!();
            }
        }
        flush!();
        let _ = in_word;
    }

    proptest::proptest! {
        #[test]
        fn words_byte_wise_match_words_char_by_char(
            text in "[a-zA-Z0-9 '’.\\-éÉß\u{301}\u{3099}障害対ー]{0,40}"
        ) {
            let mut fast = Vec::new();
            words(&text, |w, at| {
                fast.push((w.to_string(), at));
                true
            });
            let mut slow = Vec::new();
            words_char_by_char(&text, |w, at| slow.push((w.to_string(), at)));
            proptest::prop_assert_eq!(fast, slow);
        }
    }
}
