//! "Did you mean" suggestions for misspelt field names and ids.

/// The candidate closest to `word` by edit distance, if it is close enough to be a plausible typo.
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let chars = word.chars().count();
    let limit = (chars / 3).max(1) + usize::from(word.len() > 8);
    candidates
        .into_iter()
        .filter_map(|c| {
            // The same word in other letter case (`LGARCIA` for `lgarcia`) is the likeliest
            // of all, however many letters differ.
            if c.len() == word.len() && c.eq_ignore_ascii_case(word) {
                return Some((0, c));
            }
            let prefix = c.starts_with(word) || word.starts_with(c);
            // Lengths further apart than the limit are at least that many edits apart: no
            // need to count them (a page of thousands of ids is searched for each miss).
            if !prefix && c.chars().count().abs_diff(chars) > limit {
                return None;
            }
            let d = edit_distance(word, c);
            (d <= limit || prefix).then_some((d, c))
        })
        .min_by_key(|&(d, c)| (d, c.len()))
        .map(|(_, c)| c)
}

/// Edit distance over characters, where a character inserted, removed or replaced, or two
/// neighbours swapped (`titel` for `title`, the commonest typo), is one edit (Levenshtein with
/// transpositions, "optimal string alignment"). O(len(a) * len(b)) time, O(len(b)) space.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: the one before the previous is where a swap comes from.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 0..a.len() {
        cur[0] = i + 1;
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut d = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                d = d.min(before[j - 1] + 1);
            }
            cur[j + 1] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let fields = ["last_reviewed", "review_every", "owner", "title"];
        assert_eq!(closest("last_review", fields), Some("last_reviewed"));
        assert_eq!(closest("ownr", fields), Some("owner"));
        assert_eq!(closest("colour", fields), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        // A swap of neighbours is one edit.
        assert_eq!(edit_distance("titel", "title"), 1);
        assert_eq!(edit_distance("mian", "main"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(closest("titel", ["title", "theme"]), Some("title"));
        assert_eq!(closest("LGARCIA", ["lgarcia", "garcia"]), Some("lgarcia"));
    }
}
