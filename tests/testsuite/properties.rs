//! Property tests of the parsers that see raw user input: front matter, team data, Markdown
//! links, URL paths. They must never panic, and what they produce must stay inside the handbook:
//! every position inside the file, and what is read of a broken file a part of what the file
//! would give fixed.

use std::path::Path;

use handbook::diagnostic::Diagnostic;
use handbook::fields::FieldAliases;
use handbook::load::front_matter::{split, FrontMatter};
use handbook::markdown;
use handbook::site::url::{
    classify_link, encode_path, push_relative_href, relative_href, slug_segment, LinkKind,
};
use handbook::team::TeamData;
use handbook::text::normalize_line_breaks;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Lines of keys at a few indentations, list items and YAML's punctuation: handbook.yaml, front
/// matter or team data with mistakes of every kind.
fn yaml_soup() -> impl Strategy<Value = String> {
    const SOUP: &str = "[a-c:'\"#,|>&*!?{}\\[\\] =\t\r\u{e9}\u{65e5}-]";
    let re = |pattern: String| prop::string::string_regex(&pattern).expect("a valid pattern");
    let line = prop_oneof![
        re(format!("[a-c]{{1,3}}: {SOUP}{{0,10}}")),
        re(format!(" {{1,4}}[a-c]{{1,2}}: {SOUP}{{0,8}}")),
        re(format!(" {{0,4}}- ([a-c]{{1,2}}: )?{SOUP}{{0,8}}")),
        re(format!(
            "(people|teams|rules|default_review|title):( {SOUP}{{0,6}})?"
        )),
        re(format!("{SOUP}{{0,12}}")),
    ];
    prop::collection::vec(line, 0..16).prop_map(|lines| lines.join("\n"))
}

/// A file or folder name as people write them: any script, accents precomposed or not,
/// dots, spaces and punctuation; never `/`, NUL, or a leading dot (hidden, so not published).
fn file_name() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z0-9 ._-]",
        "[éüÜïßçøÅ]",
        "[\u{0301}\u{0308}]",
        "[日本語手順書]",
        "[Привет]",
        "[🙂🚀]",
        "[&#%?()\\[\\]'+,;=@]",
        "\\PC",
    ];
    prop::collection::vec(piece, 1..10)
        .prop_map(|p| p.concat())
        .prop_filter("a plain, visible name", |n| {
            !n.starts_with('.') && !n.contains(['/', '\\', '\0']) && !n.trim().is_empty()
        })
}

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

/// A resolver that leaves every link as written.
struct Keep;

impl markdown::LinkResolver for Keep {
    type Target = ();
    fn resolve(&self, _: &str) -> (Option<String>, ()) {
        (None, ())
    }
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
            check_positions(&text, &diags)?;
        }
    }

    #[test]
    fn front_matter_salvage_keeps_a_part_of_what_the_fixed_block_gives(
        entries in prop::collection::vec((0..5usize, "[a-zé日]{1,6}"), 1..7),
        victim in any::<prop::sample::Index>(),
        corruption in 0..4usize,
        toml in any::<bool>(),
    ) {
        let victim = victim.index(entries.len());
        let good = front_block(&entries, None, toml);
        let bad = front_block(&entries, Some((victim, corruption)), toml);
        let (fixed, fixed_diags) = parse_front(&good);
        prop_assert!(
            fixed_diags.iter().all(|d| d.rule == "front-matter-unknown-field"),
            "{good}\n{fixed_diags:?}"
        );
        let (read, diags) = parse_front(&bad);
        check_positions(&bad, &diags)?;
        let victim_key = format!("k{victim}");
        for (key, value) in &read.extra {
            prop_assert!(fixed.extra.contains_key(key), "{key} is not in\n{good}\nbut read from\n{bad}");
            if *key != victim_key {
                prop_assert_eq!(value, &fixed.extra[key], "{}\n{}", key, bad);
            }
        }
    }

    #[test]
    fn team_data_salvage_reads_every_entry_but_the_broken_one(
        names in prop::collection::vec("[A-Za-zé日]{1,8}", 1..8),
        victim in any::<prop::sample::Index>(),
        corruption in 0..4usize,
        map_form in any::<bool>(),
    ) {
        let victim = victim.index(names.len());
        let mut text = String::from("people:\n");
        let mut id_lines = Vec::new();
        for (i, name) in names.iter().enumerate() {
            id_lines.push(text.lines().count() as u32 + 1);
            let broken = i == victim;
            let name = match (broken, corruption) {
                (true, 0) => format!("\"{name}"),
                (true, 1) => format!("[{name}"),
                // A key written twice: the entry is kept, with its last value.
                (true, 2) => format!("x\n    name: '{name}'"),
                // Quoted: `true` or `null` would not be a name.
                _ => format!("'{name}'"),
            };
            match (map_form, broken && corruption == 3) {
                (true, true) => text.push_str(&format!("  p{i}:\n\tname: {name}\n")),
                (true, false) => text.push_str(&format!("  p{i}:\n    name: {name}\n")),
                // An item without the space after its `-`.
                (false, true) => text.push_str(&format!("  -id: p{i}\n    name: {name}\n")),
                (false, false) => text.push_str(&format!("  - id: p{i}\n    name: {name}\n")),
            }
        }
        text.push_str("teams:\n  - id: ops\n");
        let mut data = TeamData::default();
        let mut diags = Vec::new();
        data.add_file(Path::new("data/team.yaml"), &text, false, &mut diags);
        check_positions(&text, &diags)?;
        let kept = corruption == 2;
        prop_assert_eq!(data.person(&format!("p{victim}")).is_some(), kept, "{}", text);
        prop_assert!(data.team("ops").is_some(), "{text}");
        for (i, name) in names.iter().enumerate().filter(|(i, _)| kept || *i != victim) {
            let p = data.person(&format!("p{i}"));
            prop_assert!(p.is_some(), "p{} lost from\n{}\n{:?}", i, text, diags);
            let p = p.unwrap();
            prop_assert_eq!(&p.name, name);
            prop_assert_eq!((p.source.pos.line, p.source.pos.column), (id_lines[i], 3), "{}", text);
        }
        prop_assert!(diags.iter().all(|d| d.rule == "team-data-invalid"));
        prop_assert_eq!(diags.len(), 1, "{}\n{:?}", text, diags);
        // The error at the victim's entry; the duplicate (a warning) at its second key.
        let d = &diags[0];
        prop_assert!(d.line > id_lines[victim] - usize::from(corruption == 3) as u32, "{}\n{:?}", text, d);
        prop_assert!(id_lines.get(victim + 1).is_none_or(|&next| d.line < next), "{}\n{:?}", text, d);
        prop_assert_eq!(d.severity.to_string(), if kept { "warning" } else { "error" });
    }

    #[test]
    fn yaml_syntax_soup_never_panics_and_stays_in_the_file(text in yaml_soup()) {
        let text = normalize_line_breaks(text);
        // As handbook.yaml: an error is a diagnostic at a place in the file.
        if let Err(e) = handbook::config::Config::parse(&text) {
            check_positions(&text, std::slice::from_ref(&e.0))?;
        }
        // As front matter, in both syntaxes.
        for (open, close) in [("---", "---"), ("+++", "+++")] {
            let doc = format!("{open}\n{text}\n{close}\n");
            if let Some(block) = split(&doc).block {
                let mut diags = Vec::new();
                FrontMatter::parse(&block, &FieldAliases::default(), Path::new("x.md"), &mut diags);
                check_positions(&doc, &diags)?;
            }
        }
        // As team data.
        let mut diags = Vec::new();
        TeamData::default().add_file(Path::new("data/team.yaml"), &text, true, &mut diags);
        check_positions(&text, &diags)?;
    }

    #[test]
    fn internal_links_never_leave_the_root(
        href in "[a-z./%#?\\\\ 2e5cC:-]{0,24}",
        from in "([a-z]{1,5}/){0,3}[a-z]{0,5}",
    ) {
        match classify_link(&href, &from) {
            LinkKind::Internal { path, .. } | LinkKind::Above { path, .. } => {
                prop_assert!(!path.starts_with('/'), "{path}");
                prop_assert!(!path.split('/').any(|s| s == ".." || s == "."), "{path}");
                prop_assert!(!path.contains('\\'), "{path}");
            }
            _ => {}
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
    fn raw_html_links_are_found_inside_the_body(
        body in prop::collection::vec(prop_oneof![
            Just("<a href=\"".to_string()),
            Just("<img src='".to_string()),
            Just(" srcset=\"".to_string()),
            Just("<video poster=".to_string()),
            Just("<!--".to_string()),
            Just("-->".to_string()),
            Just("<script>".to_string()),
            Just("\"".to_string()),
            Just(">".to_string()),
            Just("\n\n".to_string()),
            Just(", ".to_string()),
            Just("&amp;".to_string()),
            "[a-zé日 ./#:-]{0,6}",
        ], 0..24).prop_map(|p| p.concat()),
    ) {
        struct Rewrite;
        impl markdown::LinkResolver for Rewrite {
            type Target = ();
            fn resolve(&self, href: &str) -> (Option<String>, ()) {
                (Some(format!("x/{href}\"<")), ())
            }
        }
        let r = markdown::render(&body, &Rewrite, None);
        for l in &r.links {
            prop_assert!(l.offset <= body.len());
            prop_assert!(body.is_char_boundary(l.offset));
        }
        // Whatever the resolver returns is escaped: no attribute is ever closed by it.
        prop_assert!(!r.html().contains("\"<\""), "{}", r.html());
    }

    /// Admonitions of other tools, however written, nested or broken off: rendering never
    /// panics, and every link found points into the body, at the link as written.
    #[test]
    fn admonitions_keep_links_at_their_place(
        body in prop::collection::vec(prop_oneof![
            Just("!!! note \"T\"\n".to_string()),
            Just("??? tip\n".to_string()),
            Just("???+ danger \"\"\n".to_string()),
            Just(":::warning[X]\n".to_string()),
            Just("::::info Y\n".to_string()),
            Just(":::\n".to_string()),
            Just("::::\n".to_string()),
            Just("    ".to_string()),
            Just("\t".to_string()),
            Just("```\n".to_string()),
            Just("\n".to_string()),
            Just("[a](é.md)".to_string()),
            "[a-zé日 ]{0,6}",
        ], 0..30).prop_map(|p| p.concat()),
    ) {
        let r = markdown::render(&body, &Keep, Some("T"));
        for l in &r.links {
            prop_assert!(l.offset <= body.len());
            prop_assert!(body.is_char_boundary(l.offset));
            prop_assert!(body[l.offset..].starts_with("[a](é.md)"), "{:?} at {}", body, l.offset);
        }
    }

    #[test]
    fn markdown_never_panics(body in "[ -~\n#>*`\\[\\]()!|-]{0,200}") {
        let r = markdown::render(&body, &Keep, Some("T"));
        for l in r.links {
            prop_assert!(l.offset <= body.len());
        }
    }
}

proptest! {
    // Each case builds a small handbook: fewer cases, each worth more.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any file name, with any of the Markdown extensions (compound ones too) or another,
    /// goes through the walk, the URLs, link resolution and the build without a panic; a
    /// link to each document by its file name reaches it; `new` takes any title.
    #[test]
    fn any_file_name_builds_and_links_resolve(
        names in prop::collection::vec((file_name(), 0..6usize), 1..5),
        folder in file_name(),
        title in "\\PC{1,40}",
    ) {
        use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
        const EXTENSIONS: [&str; 6] = ["md", "markdown", "html.md.erb", "MD", "pdf", ""];
        let t = crate::harness::HandbookTest::empty()
            .file("handbook.yaml", "markdown_extensions: [md, markdown, html.md.erb]\n");
        let mut files = Vec::new();
        for (i, (name, ext)) in names.iter().enumerate() {
            let ext = EXTENSIONS[*ext];
            let file = if ext.is_empty() { name.clone() } else { format!("{name}.{ext}") };
            // Every other file in a folder of its own, named as freely (but a file and the
            // folder cannot both be `🙂`: the first to be written wins).
            let rel = if i % 2 == 1 { format!("{folder}/{file}") } else { file };
            let inside = |f: &String| f.starts_with(&format!("{folder}/"));
            let clash = match rel == folder {
                true => files.iter().any(inside),
                false => inside(&rel) && files.contains(&folder),
            };
            if !files.contains(&rel) && !clash {
                files.push(rel);
            }
        }
        // The first document links to every file by its path, percent-encoded.
        let links: String = files
            .iter()
            .map(|f| {
                let href: Vec<String> = f.split('/').map(|s| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()).collect();
                format!("- [x](/{})\n", href.join("/"))
            })
            .collect();
        let mut t = t;
        for (i, f) in files.iter().enumerate() {
            let body = if i == 0 { format!("# Ünïcode {f}\n\n{links}") } else { format!("# {f}\n") };
            t = t.file(&format!("content/{f}"), body);
        }
        let options = handbook::Options {
            as_of: "2026-11-23".parse().unwrap(),
            ..handbook::Options::default()
        };
        let mut hb = handbook::Handbook::load(&t.root, &options).expect("loads");
        let sink = handbook::output::MemorySite::default();
        hb.render(&sink).expect("renders");
        let broken: Vec<_> = hb.diagnostics.iter().filter(|d| d.rule == "link-broken").collect();
        // A link to a file that is not a document is to an asset; both are published.
        prop_assert!(broken.is_empty(), "{broken:?}");
        for page in hb.site.published() {
            prop_assert!(!page.url.split('/').any(|s| s == "." || s == ".."), "{}", page.url);
        }
        let written = sink.into_files();
        prop_assert!(written.contains_key("index.html"));

        let req = handbook::scaffold::NewDocument {
            kind: handbook::model::Kind::Sop,
            title: &title,
            owner: None,
            folder: None,
            today: options.as_of,
        };
        if let Ok(path) = handbook::scaffold::new_document(&t.root, &req) {
            prop_assert!(path.starts_with(t.root.join("content")), "{}", path.display());
            prop_assert!(path.is_file());
            prop_assert!(handbook::Handbook::load(&t.root, &options).is_ok());
        }
    }
}

/// Every diagnostic points at a line of `text` and at most one past the end of that line.
fn check_positions(text: &str, diags: &[Diagnostic]) -> Result<(), TestCaseError> {
    let lines: Vec<&str> = text.lines().collect();
    for d in diags {
        prop_assert!(
            d.line >= 1 && d.line as usize <= lines.len().max(1),
            "{} outside {} lines",
            d,
            lines.len()
        );
        let width = lines
            .get(d.line as usize - 1)
            .map_or(0, |l| l.trim_end_matches('\r').chars().count());
        prop_assert!(
            d.column as usize <= width + 1,
            "{} past the end of its line ({} characters)",
            d,
            width
        );
    }
    Ok(())
}

/// A front matter block of keys `k0`, `k1`, ... (unknown fields: kept whole for templates),
/// each with a value in one of five forms; `corrupt` breaks one entry: a closing character
/// dropped, the key given again later, an unclosed bracket after the value, or the key's line
/// cut short.
fn front_block(entries: &[(usize, String)], corrupt: Option<(usize, usize)>, toml: bool) -> String {
    let mut text = String::from(if toml { "+++\n" } else { "---\n" });
    for (i, (form, word)) in entries.iter().enumerate() {
        let mut entry = match (toml, form) {
            (false, 0) => format!("k{i}: {word}"),
            (false, 1) => format!("k{i}: [{word}, x]"),
            (false, 2) => format!("k{i}: \"{word}\""),
            (false, 3) => format!("k{i}:\n  - {word}\n  - x"),
            (false, _) => format!("k{i}: {{a: {word}}}"),
            (true, 0) => format!("k{i} = \"{word}\""),
            (true, 1) => format!("k{i} = [\"{word}\", \"x\"]"),
            (true, 2) => format!("k{i} = '{word}'"),
            (true, 3) => format!("k{i} = [\n  \"{word}\",\n  \"x\",\n]"),
            (true, _) => format!("k{i} = {{a = \"{word}\"}}"),
        };
        if let Some((_, how)) = corrupt.filter(|(v, _)| *v == i) {
            let first_end = entry.find('\n').unwrap_or(entry.len());
            match how {
                0 => {
                    let last = entry[..first_end].chars().last().map_or(0, char::len_utf8);
                    entry.remove(first_end - last);
                }
                1 => {}
                2 => entry.insert_str(first_end, " ["),
                _ => entry.truncate(first_end.min(entry.find([':', '=']).unwrap_or(0))),
            }
        }
        text.push_str(&entry);
        text.push('\n');
    }
    if let Some((victim, 1)) = corrupt {
        text.push_str(&if toml {
            format!("k{victim} = \"dup\"\n")
        } else {
            format!("k{victim}: dup\n")
        });
    }
    text.push_str(if toml { "+++\nbody\n" } else { "---\nbody\n" });
    text
}

fn parse_front(text: &str) -> (FrontMatter, Vec<Diagnostic>) {
    let block = split(text).block.expect("a closed block");
    let mut diags = Vec::new();
    let fm = FrontMatter::parse(
        &block,
        &FieldAliases::default(),
        Path::new("x.md"),
        &mut diags,
    );
    (fm, diags)
}
