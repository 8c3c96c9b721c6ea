//! Property tests of the parsers that see raw user input: front matter, Markdown links, URL
//! paths. They must never panic, and what they produce must stay inside the handbook.

use std::path::Path;

use handbook::load::front_matter::{split, FieldAliases, FrontMatter};
use handbook::load::normalize_line_breaks;
use handbook::markdown;
use handbook::site::url::{
    classify_link, encode_path, push_relative_href, relative_href, slug_segment, LinkKind,
};
use proptest::prelude::*;

/// Text that looks like front matter often enough to reach the interesting paths.
fn front_matter_like() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("---".to_string()),
        Just("...".to_string()),
        Just("+++".to_string()),
        "[a-z_.]{1,12} = [ -~]{0,20}",
        "\\[{1,2}[a-z.]{0,8}\\]{0,2}",
        "[a-z_]{1,12}: [ -~]{0,20}",
        "  - [ -~]{0,10}",
        "[a-z]{1,8}: \\[[a-z, ]{0,12}\\]?",
        "[ -~\u{e9}\u{feff}\r\t]{0,30}",
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn front_matter_never_panics_and_positions_are_in_the_file(text in front_matter_like()) {
        // As the loader does before parsing.
        let text = normalize_line_breaks(text);
        let s = split(&text);
        prop_assert!(s.body_offset <= text.len());
        prop_assert!(text.is_char_boundary(s.body_offset));
        if let Some(block) = s.block {
            let mut diags = Vec::new();
            let _ = FrontMatter::parse(&block, &FieldAliases::default(), Path::new("x.md"), &mut diags);
            let lines = text.lines().count() as u32 + 1;
            for d in diags {
                prop_assert!(d.line >= 1 && d.line <= lines, "{} outside {} lines", d, lines);
            }
        }
    }

    #[test]
    fn internal_links_never_leave_the_root(
        href in "[a-z./%#?\\\\ 2e5cC:-]{0,24}",
        from in "([a-z]{1,5}/){0,3}[a-z]{0,5}",
    ) {
        if let LinkKind::Internal { path, .. } = classify_link(&href, &from) {
            prop_assert!(!path.starts_with('/'), "{path}");
            prop_assert!(!path.split('/').any(|s| s == ".." || s == "."), "{path}");
            prop_assert!(!path.contains('\\'), "{path}");
        }
    }

    #[test]
    fn slugs_are_safe_single_segments(name in "\\PC{0,30}") {
        let s = slug_segment(&name);
        prop_assert!(!s.is_empty());
        prop_assert!(!s.contains(['/', '\\', '?', '#', '%', '"', '<', '>', ' ']), "{s:?}");
        prop_assert!(s != "." && s != "..");
        prop_assert_eq!(slug_segment(&s), s.clone(), "slugging is idempotent");
    }

    #[test]
    fn relative_hrefs_resolve_to_their_target(
        from in prop::collection::vec("[a-z]{1,4}", 0..4),
        to in prop::collection::vec("[a-z]{1,4}", 0..4),
        pretty: bool,
    ) {
        let from_url: String = from.iter().map(|s| format!("{s}/")).collect();
        let to_url: String = to.iter().map(|s| format!("{s}/")).collect();
        let href = relative_href(&from_url, &to_url, pretty);
        // Resolve the href the way a browser would, from the page's folder.
        let mut segs: Vec<&str> = from.iter().map(String::as_str).collect();
        for part in href.split('/') {
            match part {
                ".." => { prop_assert!(segs.pop().is_some(), "{href} climbs above the root"); }
                "" | "." | "index.html" => {}
                p => segs.push(p),
            }
        }
        prop_assert_eq!(segs.join("/"), to.join("/"), "{}", href);
    }

    #[test]
    fn hrefs_between_encoded_urls_match_relative_hrefs(
        // Few letters, so that paths share folders often; `é` and ` ` are percent-encoded.
        from in prop::collection::vec("[ab é]{1,2}", 0..4),
        to in prop::collection::vec("[ab é]{1,2}", 0..4),
        pretty: bool,
    ) {
        let url = |segs: &[String]| -> String { segs.iter().map(|s| format!("{s}/")).collect() };
        let (from_url, to_url) = (url(&from), url(&to));
        let mut href = String::from("<kept>");
        push_relative_href(&mut href, &encode_path(&from_url), &encode_path(&to_url), pretty);
        prop_assert_eq!(&href["<kept>".len()..], relative_href(&from_url, &to_url, pretty));
    }

    #[test]
    fn tokens_are_folded_words_at_char_boundaries(text in "\\PC{0,80}") {
        let mut tokens = Vec::new();
        handbook::search::tokenize::tokenize(&text, &mut tokens);
        for t in &tokens {
            prop_assert!(!t.term.is_empty());
            prop_assert!(text.is_char_boundary(t.offset));
            // Folding is stable: the script may fold a query twice.
            prop_assert_eq!(handbook::search::tokenize::fold(&t.term), t.term.clone());
        }
    }

    #[test]
    fn markdown_never_panics(body in "[ -~\n#>*`\\[\\]()!|-]{0,200}") {
        struct Keep;
        impl markdown::LinkResolver for Keep {
            type Target = ();
            fn resolve(&self, _: &str) -> (Option<String>, ()) { (None, ()) }
        }
        let r = markdown::render(&body, &Keep, Some("T"));
        for l in r.links {
            prop_assert!(l.offset <= body.len());
        }
    }
}
