//! URLs: the one place that decides where a page lives and how one page links to another.
//!
//! A page's URL is a site-relative path in folder form (`sops/security-patching/`, the home page
//! is the empty path). Every link written into the site is relative to the page it appears on, so
//! the site works under any sub-path and from `file://`. Because browsers opening a folder from
//! disk show a listing rather than its `index.html`, links name the file unless `pretty_links`.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters escaped in the path part of an href we write.
const PATH_ESCAPE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// Turns one file or folder name into a URL segment: lowercase, spaces to hyphens, characters
/// that are unsafe in URLs or file names dropped. Letters (and their marks) of any script are
/// kept.
pub fn slug_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        // Combining marks are part of their letter: Devanagari loses a consonant cluster
        // without its virama, and a decomposed `é` its accent.
        if c.is_alphanumeric() || crate::markdown::is_mark(c) {
            out.extend(c.to_lowercase());
        } else if c == '-' || c == '_' || c == '.' {
            out.push(c);
        } else if c.is_whitespace() || c == '+' || c == ',' {
            out.push('-');
        }
        // Everything else (`?#%&:/\"'<>|*` and friends) is dropped.
    }
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if c == '-' && collapsed.ends_with('-') {
            continue;
        }
        collapsed.push(c);
    }
    let trimmed = collapsed.trim_matches(|c| c == '-' || c == '.');
    if trimmed.is_empty() {
        "page".to_string()
    } else if trimmed.is_ascii() {
        trimmed.to_string()
    } else {
        // Composed, last (what was dropped may have brought marks together): `café` typed on
        // Linux and `cafe\u{301}` as macOS names files are one URL, and a clash between the
        // two is reported, as it would be on a Mac.
        use unicode_normalization::UnicodeNormalization;
        trimmed.nfc().collect()
    }
}

/// Like [`slug_segment`] but for a file name whose extension must survive (`old.html`).
pub fn slug_segment_keep_ext(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            format!("{}.{}", slug_segment(stem), slug_segment(ext))
        }
        _ => slug_segment(name),
    }
}

/// The URL of a folder (a section): each segment slugged, ending with `/`; `""` for the root.
pub fn dir_url(dir: &str) -> String {
    let mut url = String::with_capacity(dir.len() + 1);
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        url.push_str(&slug_segment(seg));
        url.push('/');
    }
    url
}

/// The URL of a page: its folder's URL plus its own segment (`slug` overrides the file stem).
pub fn page_url(dir: &str, stem: &str, slug: Option<&str>) -> String {
    page_url_under(&dir_url(dir), stem, slug)
}

/// [`page_url`] in the folder whose URL ([`dir_url`]) is `dir_url`.
pub fn page_url_under(dir_url: &str, stem: &str, slug: Option<&str>) -> String {
    let segment = slug_segment(slug.unwrap_or(stem));
    let mut url = String::with_capacity(dir_url.len() + segment.len() + 1);
    url.push_str(dir_url);
    url.push_str(&segment);
    url.push('/');
    url
}

/// The URL of an asset: its folder's URL plus its file name as it is.
pub fn asset_url(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, name)) => format!("{}{name}", dir_url(dir)),
        None => path.to_string(),
    }
}

/// The output file for a URL: folder URLs get `index.html`.
pub fn output_file(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// A relative href from the page at folder URL `from` to the site path `to`.
///
/// `to` is a folder URL (a page) or a file path (an asset). With `pretty` false, folder targets
/// name their `index.html` so the link works from `file://`.
pub fn relative_href(from: &str, to: &str, pretty: bool) -> String {
    let to_is_dir = to.is_empty() || to.ends_with('/');
    let (mut from_segs, mut to_segs) = (Segments(from), Segments(to));
    // Up out of the folders `from` does not share with `to`, then down into `to`.
    let mut ups = 0;
    let mut down = None;
    for seg in from_segs.by_ref() {
        down = to_segs.next();
        if down != Some(seg) {
            ups = 1 + from_segs.count();
            break;
        }
        down = None;
    }
    let down = down.or_else(|| to_segs.next());
    let mut href = String::with_capacity(3 * ups + to.len() + 10);
    for _ in 0..ups {
        href.push_str("../");
    }
    for seg in down.into_iter().chain(to_segs) {
        push_encoded(&mut href, seg);
        href.push('/');
    }
    if !to_is_dir {
        href.pop();
    } else if !pretty {
        href.push_str("index.html");
    } else if href.is_empty() {
        href.push_str("./");
    }
    href
}

/// The folders of a site path, empty ones skipped: split by hand, as the paths are short and
/// this runs for every link of every page.
struct Segments<'a>(&'a str);

impl<'a> Iterator for Segments<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.0.trim_start_matches('/');
        let end = s.bytes().position(|b| b == b'/').unwrap_or(s.len());
        let (seg, rest) = s.split_at(end);
        self.0 = rest;
        (!seg.is_empty()).then_some(seg)
    }
}

/// `seg` percent-encoded, appended to `out`; copied as it is when it has nothing to encode.
fn push_encoded(out: &mut String, seg: &str) {
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
    if seg.bytes().all(plain) {
        out.push_str(seg);
    } else {
        out.extend(utf8_percent_encode(seg, PATH_ESCAPE));
    }
}

/// [`relative_href`] between two page URLs already percent-encoded (and HTML-escaped, which
/// keeps segments apart just as well), appended to `out`: the sidebar's fifty links a page.
pub fn push_relative_href(out: &mut String, from: &str, to: &str, pretty: bool) {
    let mut from_segs = from.split('/').filter(|s| !s.is_empty());
    let mut rest = to.trim_start_matches('/');
    let mut ups = 0;
    while let Some(seg) = from_segs.next() {
        match rest.strip_prefix(seg).and_then(|r| r.strip_prefix('/')) {
            Some(r) => rest = r,
            None => {
                ups = 1 + from_segs.by_ref().count();
                break;
            }
        }
    }
    let start = out.len();
    for _ in 0..ups {
        out.push_str("../");
    }
    out.push_str(rest);
    if !pretty {
        out.push_str("index.html");
    } else if out.len() == start {
        out.push_str("./");
    }
}

/// The prefix that leads from the page at folder URL `from` back to the site root (`../../`),
/// `./` at the root itself. Templates write `{{ root }}` before site paths.
pub fn root_prefix(from: &str) -> String {
    let depth = from.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// Escapes a site path for use in an href (segments percent-encoded, `/` kept).
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH_ESCAPE).to_string()
}

/// The parts of a link as written in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind<'a> {
    /// Has a scheme (`https:`, `mailto:`) or is protocol-relative: not ours to check or rewrite.
    External,
    /// Only a fragment: `#heading`.
    Fragment(&'a str),
    /// A path inside the content folder, percent-decoded and normalised against the linking
    /// file's folder, plus the fragment if any.
    Internal {
        path: String,
        fragment: Option<&'a str>,
    },
    /// A relative path that climbs `ups` folders above the content folder, then goes down
    /// `path`: a file beside the content folder (or outside the handbook; the caller knows
    /// how deep the content folder lies).
    Above {
        ups: usize,
        path: String,
        fragment: Option<&'a str>,
    },
    /// `[text]()`: no target at all.
    Empty,
    /// A path that is otherwise unusable.
    Invalid(&'static str),
}

/// Classifies and normalises `href` written in the file at content-relative folder `from_dir`.
pub fn classify_link<'a>(href: &'a str, from_dir: &str) -> LinkKind<'a> {
    let href = href.trim();
    if href.is_empty() {
        return LinkKind::Empty;
    }
    // Zola's internal links, `@/section/page.md`, start at the content folder as `/` does.
    let href = match href.strip_prefix('@') {
        Some(rest) if rest.starts_with('/') => rest,
        _ => href,
    };
    if href.starts_with("//") || has_scheme(href) {
        return LinkKind::External;
    }
    if let Some(f) = href.strip_prefix('#') {
        return LinkKind::Fragment(f);
    }
    // Links are short: their parts are found byte by byte here, not by `memchr` calls that
    // cost more to set up than the search (this runs for every link of every page).
    let (before_fragment, fragment) = match href.bytes().position(|b| b == b'#') {
        Some(at) => (&href[..at], Some(&href[at + 1..])),
        None => (href, None),
    };
    let path_part = match before_fragment.bytes().position(|b| b == b'?') {
        Some(at) => &before_fragment[..at],
        None => before_fragment,
    };
    if path_part.is_empty() {
        // `?query` only, or `?query#frag`: the same page.
        return LinkKind::Fragment(fragment.unwrap_or(""));
    }
    // Most paths have nothing to decode: the decoder's byte-at-a-time pass is skipped for them.
    let decoded = match path_part.contains('%') {
        true => percent_encoding::percent_decode_str(path_part).decode_utf8_lossy(),
        false => std::borrow::Cow::Borrowed(path_part),
    };
    if decoded.bytes().any(|b| b == b'\\' || b == 0) {
        return LinkKind::Invalid(if decoded.contains('\\') {
            "the link contains a backslash; use `/` between folders"
        } else {
            "the link contains a NUL character"
        });
    }
    let (base, rest) = match decoded.strip_prefix('/') {
        Some(rest) => ("", rest),
        None => (from_dir, decoded.as_ref()),
    };
    // The folders of `base`, then each step of `rest`, made in the one string returned.
    let mut path = String::with_capacity(base.len() + rest.len() + 1);
    let push = |path: &mut String, seg: &str| {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(seg);
    };
    for seg in Segments(base) {
        push(&mut path, seg);
    }
    let mut ups = 0;
    for seg in Segments(rest) {
        match seg {
            "." => {}
            ".." if path.is_empty() => ups += 1,
            ".." => path.truncate(path.bytes().rposition(|b| b == b'/').unwrap_or(0)),
            s => push(&mut path, s),
        }
    }
    if rest.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    if ups > 0 {
        return LinkKind::Above {
            ups,
            path,
            fragment,
        };
    }
    LinkKind::Internal { path, fragment }
}

fn has_scheme(href: &str) -> bool {
    let b = href.as_bytes();
    let scheme = (b.iter())
        .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')))
        .unwrap_or(b.len());
    // A single letter before a colon is a Windows drive, not a scheme.
    scheme > 1 && b[0].is_ascii_alphabetic() && b.get(scheme) == Some(&b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_is_two_or_more_scheme_characters_led_by_a_letter_then_a_colon() {
        for (href, scheme) in [
            ("https://x.example", true),
            ("mailto:a@b.c", true),
            ("x+y.z-1:q", true),
            ("c:/windows", false),
            ("a/b:c", false),
            ("1a:b", false),
            ("é:b", false),
            (":x", false),
            ("ab", false),
            ("", false),
        ] {
            assert_eq!(has_scheme(href), scheme, "{href}");
        }
    }

    /// The former `relative_href`, by iterators: the reference for the one split by hand.
    fn relative_href_by_iterators(from: &str, to: &str, pretty: bool) -> String {
        let to_is_dir = to.is_empty() || to.ends_with('/');
        let mut from_segs = from.split('/').filter(|s| !s.is_empty());
        let mut to_segs = to.split('/').filter(|s| !s.is_empty()).peekable();
        let mut ups = 0;
        while let Some(seg) = from_segs.next() {
            if to_segs.peek() == Some(&seg) {
                to_segs.next();
            } else {
                ups = 1 + from_segs.by_ref().count();
                break;
            }
        }
        let mut href = "../".repeat(ups);
        for seg in to_segs {
            href.extend(utf8_percent_encode(seg, PATH_ESCAPE));
            href.push('/');
        }
        if !to_is_dir {
            href.pop();
        } else if !pretty {
            href.push_str("index.html");
        } else if href.is_empty() {
            href.push_str("./");
        }
        href
    }

    proptest::proptest! {
        #[test]
        fn hrefs_split_by_hand_are_those_of_the_iterators(
            from in "(/|a|b|x y|é|%)*",
            to in "(/|a|b|x y|é|%|\\.png)*",
            pretty: bool,
        ) {
            proptest::prop_assert_eq!(
                relative_href(&from, &to, pretty),
                relative_href_by_iterators(&from, &to, pretty)
            );
        }
    }

    proptest::proptest! {
        /// Steps are taken as a list of folders would take them: `..` leaves the last folder
        /// (or climbs above the content folder), `.` and empty steps stay.
        #[test]
        fn a_link_is_normalised_as_its_steps_say(
            base in proptest::collection::vec("[a.]{0,2}", 0..4),
            rest in proptest::collection::vec(proptest::sample::select(vec!["a", "b", "..", ".", ""]), 1..7),
        ) {
            let (base, rest) = (base.join("/"), rest.join("/"));
            if rest.is_empty() || rest.starts_with('/') {
                // No link, or one from the content folder's top: other cases.
                return Ok(());
            }
            let mut segs: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
            let mut ups = 0;
            for seg in rest.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => if segs.pop().is_none() { ups += 1 },
                    s => segs.push(s),
                }
            }
            let mut path = segs.join("/");
            if rest.ends_with('/') && !path.is_empty() {
                path.push('/');
            }
            let want = match ups {
                0 => LinkKind::Internal { path, fragment: None },
                ups => LinkKind::Above { ups, path, fragment: None },
            };
            proptest::prop_assert_eq!(classify_link(&rest, &base), want, "{} from {}", rest, base);
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slug_segment("security-patching"), "security-patching");
        assert_eq!(slug_segment("On Call  Rota"), "on-call-rota");
        assert_eq!(slug_segment("Déploiement"), "déploiement");
        assert_eq!(slug_segment("what?#%"), "what");
        assert_eq!(slug_segment("..."), "page");
        assert_eq!(slug_segment("v1.2"), "v1.2");
        // Any script keeps its letters; only separators and unsafe characters change.
        assert_eq!(slug_segment("障害 対応？"), "障害-対応");
        assert_eq!(slug_segment("Привет, Мир"), "привет-мир");
        assert_eq!(slug_segment("सुरक्षा नीति"), "सुरक्षा-नीति");
        assert_eq!(slug_segment("🙂🚀"), "page");
        assert_eq!(slug_segment("Cafe\u{301}"), "café");
    }

    #[test]
    fn urls() {
        assert_eq!(
            page_url("sops", "security-patching", None),
            "sops/security-patching/"
        );
        assert_eq!(page_url("", "a", Some("b")), "b/");
        assert_eq!(dir_url("Team Docs/On Call"), "team-docs/on-call/");
        assert_eq!(
            asset_url("Team Docs/Floor Plan.pdf"),
            "team-docs/Floor Plan.pdf"
        );
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("a/b/"), "a/b/index.html");
        assert_eq!(output_file("a/b.png"), "a/b.png");
    }

    #[test]
    fn relative_hrefs() {
        assert_eq!(
            relative_href("sops/a/", "sops/security-patching/", false),
            "../security-patching/index.html"
        );
        assert_eq!(
            relative_href("sops/a/", "sops/security-patching/", true),
            "../security-patching/"
        );
        assert_eq!(relative_href("", "sops/", false), "sops/index.html");
        assert_eq!(relative_href("a/b/", "", false), "../../index.html");
        assert_eq!(relative_href("a/b/", "", true), "../../");
        assert_eq!(relative_href("", "", true), "./");
        assert_eq!(relative_href("a/b/", "a/b/", false), "index.html");
        assert_eq!(relative_href("a/b/", "a/x y.png", false), "../x%20y.png");
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("a/b/"), "../../");
    }

    #[test]
    fn classifies_links() {
        use LinkKind::*;
        assert_eq!(classify_link("https://x.example/a", "sops"), External);
        assert_eq!(classify_link("mailto:a@b.c", "sops"), External);
        assert_eq!(classify_link("//cdn.example/x", "sops"), External);
        assert_eq!(classify_link("#top", "sops"), Fragment("top"));
        assert_eq!(
            classify_link("../runbooks/x.md#step-1", "sops"),
            Internal {
                path: "runbooks/x.md".into(),
                fragment: Some("step-1")
            }
        );
        assert_eq!(
            classify_link("/a/./b%20c.md?x=1", "sops"),
            Internal {
                path: "a/b c.md".into(),
                fragment: None
            }
        );
        assert_eq!(
            classify_link("../security/", "a"),
            Internal {
                path: "security/".into(),
                fragment: None
            }
        );
        assert_eq!(
            classify_link("../../x.md#y", "a"),
            Above {
                ups: 1,
                path: "x.md".into(),
                fragment: Some("y")
            }
        );
        assert_eq!(
            classify_link("%2e%2e/%2e%2e/etc/passwd", "a"),
            Above {
                ups: 1,
                path: "etc/passwd".into(),
                fragment: None
            }
        );
        assert_eq!(classify_link("  ", "a"), Empty);
        assert!(matches!(classify_link("..\\x.md", "a"), Invalid(_)));
        assert_eq!(
            classify_link("C:/x.md", ""),
            Internal {
                path: "C:/x.md".into(),
                fragment: None
            }
        );
    }
}
