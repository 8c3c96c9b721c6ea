//! Includes: text that several documents share, written once and spliced into each.
//!
//! Handbook's own include is mdBook's: `{{#include path}}`, `{{#include path:10:20}}` (lines),
//! `{{#include path:name}}` (the lines between `ANCHOR: name` and `ANCHOR_END: name`), also as
//! `{{#rustdoc_include ...}}`; `{{#title Text}}` titles the page. Other tools' includes are read
//! as their tools read them: Jekyll's `{% include name %}` (from `_includes/`) and
//! `{% include_relative path %}`, Middleman's `<%= partial "partials/intro" %>` (its file
//! `partials/_intro.html.md`), MkDocs' snippets, a line `--8<-- "path"`.
//!
//! Each document's body is expanded once, at load: the [`Included`] text is what every later
//! stage reads as the body, and its map of stretches takes any offset in it back to the file
//! it came from, so that a finding in included text is reported at the line of the included
//! file, and a link there resolves from the included file's folder. A missing file, a cycle,
//! nesting deeper than [`MAX_DEPTH`] and lines or an anchor the file lacks are diagnostics at
//! the include. Another tool's include whose file is not in the handbook is left as written
//! (its theme may well provide it): `template-syntax` reports it.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::config::Config;
use crate::diagnostic::{display_path, Diagnostic, LineIndex, Pos};
use crate::root::Root;
use crate::rules::Rule;

use super::{front_matter, markdown_stem, Document, Unpublished};

/// Includes nest at most this deep: a document including one that includes another... eight
/// levels is more than any handbook needs, and a bound on what one page can cost.
pub const MAX_DEPTH: usize = 8;

/// The most text one page's includes may add: a file included ten times by a file included
/// ten times... grows without bound, and a pull request may write such files.
const MAX_BYTES: usize = 8 << 20;

/// A body with its includes spliced in.
#[derive(Debug, Clone)]
pub struct Included {
    pub text: String,
    /// Where each stretch of `text` comes from, in order of `at`.
    stretches: Vec<Stretch>,
    /// The files spliced in, each once.
    parts: Vec<Part>,
    /// The title `{{#title ...}}` gives the page.
    pub title: Option<String>,
}

/// A stretch of the expanded text: from `at` on, it is the text of `part` (`None`: the
/// document's own body) from byte `from` on; a generated stretch (the indentation a snippet
/// adds) stands for the one byte `from`.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    at: usize,
    part: Option<usize>,
    from: usize,
    generated: bool,
}

/// A file spliced into a body.
#[derive(Debug, Clone)]
pub struct Part {
    /// Root-relative, for diagnostics.
    pub file: PathBuf,
    /// Its folder relative to the content folder, which its links are relative to; `None` when
    /// it is outside the content folder (its links are then read from the including page).
    pub dir: Option<String>,
    text: Arc<str>,
    lines: OnceLock<LineIndex>,
    /// Where its text starts (after a Markdown file's front matter).
    start: usize,
    /// Its lines from `start`, made the first time lines or an anchor are asked of it: a file
    /// included many times in one page is split once.
    spans: OnceLock<Vec<Range<usize>>>,
    /// Its `ANCHOR:` and `ANCHOR_END:` lines by name (indexes into `spans`), made once.
    anchors: OnceLock<Anchors>,
}

/// A file's anchors: where each opens and ends, and every marker line.
#[derive(Debug, Clone, Default)]
struct Anchors {
    open: HashMap<String, usize>,
    end: HashMap<String, usize>,
    markers: std::collections::HashSet<usize>,
}

/// Where a byte of an expanded body was written.
pub enum Origin<'a> {
    /// The document's own body, at this body offset.
    Body(usize),
    /// An included file (the `index`th of [`Included::parts`]), at offset `at` of its text.
    Part {
        index: usize,
        part: &'a Part,
        at: usize,
    },
}

impl Included {
    /// Where byte `at` of the expanded text was written.
    pub fn origin(&self, at: usize) -> Origin<'_> {
        let i = self
            .stretches
            .partition_point(|s| s.at <= at)
            .saturating_sub(1);
        let Some(s) = self.stretches.get(i) else {
            return Origin::Body(at);
        };
        let from = if s.generated {
            s.from
        } else {
            s.from + (at - s.at)
        };
        match s.part {
            None => Origin::Body(from),
            Some(index) => Origin::Part {
                index,
                part: &self.parts[index],
                at: from,
            },
        }
    }

    /// The files spliced in.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }
}

impl Part {
    /// The position of byte `offset` of this file.
    pub fn pos(&self, offset: usize) -> Pos {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .pos(&self.text, offset)
    }
}

/// What includes may read: the handbook's files, inside its root, and the documents already
/// read (by content-relative path), which are not read twice.
pub struct Library<'a> {
    pub root: &'a Root,
    pub config: &'a Config,
    /// The content folder, root-relative.
    pub content: PathBuf,
    pub documents: HashMap<&'a str, &'a Document>,
    pub unpublished: &'a Unpublished,
}

/// One document's includes expanded.
#[derive(Default)]
pub struct Expansion {
    pub included: Option<Included>,
    pub diagnostics: Vec<Diagnostic>,
    /// The files of the content folder it includes, by content-relative path: a document
    /// among them is not a page of its own, a partial (`_support.erb`) not a file of the site.
    pub used: Vec<String>,
}

/// The `import` and `export` statements of an MDX body: each from a line that starts with
/// `import ` or `export ` (outside fenced code) to the next blank line, as MDX reads them.
fn esm_lines(body: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut open: Option<usize> = None;
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let blank = line.trim().is_empty();
        if let Some(s) = open {
            if blank {
                out.push(s..start);
                open = None;
            }
            continue;
        }
        let trimmed = line.trim_start_matches(' ');
        let marker = trimmed
            .as_bytes()
            .first()
            .copied()
            .filter(|c| *c == b'`' || *c == b'~');
        if let Some(c) = marker {
            let n = trimmed.bytes().take_while(|b| *b == c).count();
            if n >= 3 {
                fence = match fence {
                    None => Some((c, n)),
                    Some((f, m)) if f == c && n >= m && trimmed[n..].trim().is_empty() => None,
                    keep => keep,
                };
                continue;
            }
        }
        if fence.is_none() && (line.starts_with("import ") || line.starts_with("export ")) {
            open = Some(start);
        }
    }
    if let Some(s) = open {
        out.push(s..body.len());
    }
    out
}

/// Whether a body may hold an include (or another tool's reference resolved on the disk, as
/// Hugo's `{{< ref >}}`): the cheap test before any is looked for.
pub fn may_include(body: &str) -> bool {
    // One pass over the `{` and `<` of the body rather than one per opener: every document
    // is asked, and few include anything.
    let b = body.as_bytes();
    memchr::memchr2_iter(b'{', b'<', b).any(|i| match (b[i], b.get(i + 1)) {
        (b'{', Some(b'{' | b'%')) | (b'<', Some(b'%')) => true,
        (b'<', _) => b[..i].ends_with(b"--8") && b[i + 1..].starts_with(b"--"),
        _ => false,
    })
}

/// `doc`'s body with its includes expanded; `included` is `None` when it has none.
pub fn expand(doc: &Document, library: &Library) -> Expansion {
    let body = doc.body_as_written();
    if !may_include(body) && !doc.is_mdx() {
        return Expansion::default();
    }
    let mut x = Expander {
        library,
        doc,
        out: Included {
            text: String::new(),
            stretches: Vec::new(),
            parts: Vec::new(),
            title: None,
        },
        changed: false,
        diagnostics: Vec::new(),
        used: Vec::new(),
        stack: vec![inside_root(&doc.file).unwrap_or_else(|| doc.file.clone())],
        budget: MAX_BYTES,
        reads: HashMap::new(),
        part_of: HashMap::new(),
    };
    let own = Source {
        part: None,
        base: 0,
        file: doc.file.clone(),
        dir: doc.path.rsplit_once('/').map_or("", |(d, _)| d).to_string(),
    };
    if doc.is_mdx() {
        // MDX's `import` and `export` lines are JavaScript for its build: left out.
        let mut kept = 0;
        for esm in esm_lines(body) {
            x.splice(
                &body[kept..esm.start],
                &Source {
                    base: kept,
                    ..own.clone()
                },
                "",
                0,
            );
            kept = esm.end;
            x.changed = true;
        }
        x.splice(&body[kept..], &Source { base: kept, ..own }, "", 0);
    } else {
        x.splice(body, &own, "", 0);
    }
    Expansion {
        included: x.changed.then_some(x.out),
        diagnostics: x.diagnostics,
        used: x.used,
    }
}

/// The text being scanned: which file it is, and where in that file it starts.
#[derive(Clone)]
struct Source {
    part: Option<usize>,
    /// Offset of the scanned text in its file (in the body, for the document's own).
    base: usize,
    /// Root-relative.
    file: PathBuf,
    /// Content-relative folder, for paths relative to the file.
    dir: String,
}

struct Expander<'a> {
    library: &'a Library<'a>,
    doc: &'a Document,
    out: Included,
    /// Whether anything was included or removed.
    changed: bool,
    diagnostics: Vec<Diagnostic>,
    used: Vec<String>,
    /// The files being expanded, outermost first: a file found here again is a cycle.
    stack: Vec<PathBuf>,
    budget: usize,
    /// Each file looked for, read once a page (`None`: it could not be).
    reads: HashMap<PathBuf, Option<Arc<str>>>,
    /// Each part's place in `out.parts`, by file.
    part_of: HashMap<PathBuf, usize>,
}

/// Which tool's include a directive is: a file of handbook's own that is missing is an
/// error; another tool's is left as written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Own,
    Foreign,
}

/// What an include names.
enum Lookup {
    /// A path relative to the including file (mdBook, `include_relative`).
    Relative(String),
    /// Jekyll's `_includes/` folder at the top of the content folder.
    JekyllIncludes(String),
    /// A Middleman partial: `_name` (or `name`) with a Markdown, ERB or HTML extension
    /// (`_intro.html.md`, `_support.erb`), beside the file or from the top of the content
    /// folder.
    Partial(String),
    /// An MkDocs snippet: from the handbook root (where mkdocs.yml is), then the content
    /// folder, then beside the file.
    Snippet(String),
}

/// Which lines of the file.
enum Select {
    All,
    /// 1-based, inclusive; `None` is open.
    Lines(Option<usize>, Option<usize>),
    Anchor(String),
}

/// One include found in the text.
struct Directive {
    range: Range<usize>,
    syntax: Syntax,
    action: Action,
}

enum Action {
    Include {
        lookup: Lookup,
        select: Select,
        /// Parameters another tool would pass (`{% include x.md type="note" %}`), ignored.
        ignored: Option<String>,
        /// Indentation put before every included line (a snippet's).
        indent: String,
    },
    Title(String),
    /// Another tool's tag that makes part of a URL, replaced by what it makes: Jekyll's
    /// `{% link x.md %}` (`/x.md`), `{{ site.baseurl }}` (nothing: the site's links are
    /// relative), `{{ "/x" | relative_url }}` (`/x`).
    Replace(String),
    /// Hugo's `{{< ref "x.md" >}}`: the path, which Hugo looks for beside the page, then from
    /// the top of the content folder.
    HugoRef(String),
    /// Handbook's own directive that cannot be read: shown as written, and why reported.
    Malformed(&'static str),
    /// `\{{#include x}}`: the text without its backslash.
    Escaped,
}

impl Expander<'_> {
    /// Copies `text` (of `src`, from `src.base`) to the output, its includes expanded, each line
    /// after the first given `indent`.
    fn splice(&mut self, text: &str, src: &Source, indent: &str, depth: usize) {
        let mut copied = 0;
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let lo = line_start;
            line_start += line.len();
            let mut at = 0;
            while let Some((d, next)) = find_directive(line, at) {
                let range = lo + d.range.start..lo + d.range.end;
                self.copy(&text[copied..range.start], src, copied, indent);
                copied = range.end;
                at = next;
                self.apply(d, &text[range.clone()], range.start, src, indent, depth);
                if at >= line.len() {
                    break;
                }
            }
        }
        self.copy(&text[copied..], src, copied, indent);
    }

    /// Copies `piece`, which starts at byte `offset` of the scanned text.
    fn copy(&mut self, piece: &str, src: &Source, offset: usize, indent: &str) {
        if piece.is_empty() {
            return;
        }
        if indent.is_empty() {
            self.push(piece, src, offset, false);
            return;
        }
        let mut at = offset;
        for line in piece.split_inclusive('\n') {
            // Each included line but the first (which follows the snippet line's own
            // indentation) is indented as the snippet line is.
            if self.out.text.ends_with('\n') {
                self.push(indent, src, at, true);
            }
            self.push(line, src, at, false);
            at += line.len();
        }
    }

    fn push(&mut self, piece: &str, src: &Source, offset: usize, generated: bool) {
        self.out.stretches.push(Stretch {
            at: self.out.text.len(),
            part: src.part,
            from: src.base + offset,
            generated,
        });
        self.out.text.push_str(piece);
    }

    /// The diagnostic of a problem at byte `offset` of the scanned text.
    fn problem(
        &mut self,
        src: &Source,
        offset: usize,
        warning: bool,
        rule: Rule,
        msg: String,
    ) -> &mut Diagnostic {
        let pos = match src.part {
            None => self.doc.body_pos(src.base + offset),
            Some(p) => self.out.parts[p].pos(src.base + offset),
        };
        let d = if warning {
            Diagnostic::warning(rule, &src.file, msg)
        } else {
            Diagnostic::error(rule, &src.file, msg)
        };
        self.diagnostics.push(d.at(pos));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn apply(
        &mut self,
        d: Directive,
        written: &str,
        offset: usize,
        src: &Source,
        indent: &str,
        depth: usize,
    ) {
        self.changed = true;
        let (lookup, select, ignored, own_indent) = match d.action {
            Action::Escaped => {
                self.copy(&written[1..], src, offset + 1, indent);
                return;
            }
            Action::Malformed(why) => {
                self.copy(written, src, offset, indent);
                self.problem(src, offset, false, Rule::IncludeInvalid, why.to_string());
                return;
            }
            Action::Replace(text) => {
                if !text.is_empty() {
                    self.push(&text, src, offset, true);
                }
                return;
            }
            Action::HugoRef(path) => {
                let made = self.hugo_ref(&path, src);
                self.push(&made, src, offset, true);
                return;
            }
            Action::Title(title) => {
                if src.part.is_none() {
                    self.out.title = Some(title);
                }
                return;
            }
            Action::Include {
                lookup,
                select,
                ignored,
                indent,
            } => (lookup, select, ignored, indent),
        };
        let foreign = d.syntax == Syntax::Foreign;
        let Some((file, text)) = self.find(&lookup, src) else {
            if foreign {
                // Left as written: the other tool's theme may hold it; `template-syntax`
                // reports a tag, a snippet line is shown as it is.
                self.copy(written, src, offset, indent);
                if matches!(lookup, Lookup::Snippet(_)) {
                    let name = lookup.name().to_string();
                    self.problem(src, offset, true, Rule::IncludeInvalid, format!("the snippet `{name}` is not in the handbook; the line is shown as written"))
                        .help = Some("snippets are looked for from the handbook root, the content folder and this file's folder".into());
                }
                return;
            }
            let name = lookup.name().to_string();
            let why = match self.refusal(&lookup, src) {
                Some(why) => why,
                None => format!("`{name}` does not exist"),
            };
            self.problem(
                src,
                offset,
                false,
                Rule::IncludeInvalid,
                format!("cannot include: {why}"),
            )
            .help = Some(format!(
                "the path is relative to this file's folder ({})",
                src.file.parent().map_or_else(String::new, display_path)
            ));
            return;
        };
        if let Some(params) = ignored {
            self.problem(
                src,
                offset,
                true,
                Rule::TemplateSyntax,
                format!("the include's parameters (`{params}`) are ignored: the file is included as it is"),
            )
            .help = Some("write the text the parameters would give in the included file, or in this one".into());
        }
        let shown = display_path(&file);
        if depth + 1 > MAX_DEPTH {
            self.problem(
                src,
                offset,
                false,
                Rule::IncludeInvalid,
                format!("cannot include `{shown}`: includes nest deeper than {MAX_DEPTH}"),
            )
            .help = Some("include the innermost file from a shallower one".into());
            return;
        }
        if let Some(at) = self.stack.iter().position(|f| *f == file) {
            let ring: Vec<String> = self.stack[at..]
                .iter()
                .map(|f| display_path(f))
                .chain([shown.clone()])
                .collect();
            self.problem(
                src,
                offset,
                false,
                Rule::IncludeInvalid,
                format!("`{shown}` includes itself: {}", ring.join(" → ")),
            )
            .help = Some("remove one include of the ring".into());
            return;
        }
        let part = self.part(&file, text);
        let ranges = match self.out.parts[part].select(&select) {
            Ok(r) => r,
            Err(why) => {
                self.problem(
                    src,
                    offset,
                    false,
                    Rule::IncludeInvalid,
                    format!("cannot include from `{shown}`: {why}"),
                );
                return;
            }
        };
        // What it adds: its text, and the indentation given to each of its lines.
        let text = Arc::clone(&self.out.parts[part].text);
        let indent = format!("{indent}{own_indent}");
        let lines: usize = (ranges.iter())
            .map(|r| memchr::memchr_iter(b'\n', text[r.clone()].as_bytes()).count() + 1)
            .sum();
        let size: usize = ranges.iter().map(|r| r.len()).sum::<usize>() + lines * indent.len();
        if size > self.budget {
            self.problem(
                src,
                offset,
                false,
                Rule::IncludeInvalid,
                format!(
                    "cannot include `{shown}`: the page's includes would add more than {} MiB",
                    MAX_BYTES >> 20
                ),
            )
            .help = Some("include fewer files, or each fewer times".into());
            self.budget = 0;
            return;
        }
        self.budget -= size;
        // Included: a document of the content folder it is is text of this page, not a page.
        if let Some(r) = file
            .strip_prefix(&self.library.content)
            .ok()
            .and_then(|r| r.to_str())
        {
            self.used.push(r.to_string());
        }
        let inner = Source {
            part: Some(part),
            base: 0,
            dir: self.out.parts[part]
                .dir
                .clone()
                .unwrap_or_else(|| src.dir.clone()),
            file: file.clone(),
        };
        self.stack.push(file);
        for r in ranges {
            let piece = Source {
                base: r.start,
                ..inner.clone()
            };
            self.splice(&text[r], &piece, &indent, depth + 1);
        }
        self.stack.pop();
    }

    /// The link a Hugo `ref` makes: `path` as written when it names a file beside the page
    /// (or is absolute), else from the top of the content folder, as Hugo looks.
    fn hugo_ref(&self, path: &str, src: &Source) -> String {
        let file = path.split('#').next().unwrap_or(path);
        if path.starts_with('/') || file.is_empty() {
            return path.to_string();
        }
        let lib = self.library;
        let exists = |rel: &Path| {
            inside_root(rel).is_some_and(|rel| {
                let content = rel.strip_prefix(&lib.content).ok().and_then(|r| r.to_str());
                content.is_some_and(|c| lib.documents.contains_key(c))
                    || std::fs::symlink_metadata(lib.root.path().join(&rel))
                        .is_ok_and(|m| m.is_file())
            })
        };
        let beside = lib.content.join(&src.dir).join(file);
        if !exists(&beside) && exists(&lib.content.join(file)) {
            return format!("/{path}");
        }
        path.to_string()
    }

    /// The part for `file`, added the first time it is included.
    fn part(&mut self, file: &Path, text: Arc<str>) -> usize {
        if let Some(&i) = self.part_of.get(file) {
            return i;
        }
        let dir = file
            .strip_prefix(&self.library.content)
            .ok()
            .map(|rel| rel.parent().map_or_else(String::new, display_path));
        let start = body_start(file, &text, self.library.config);
        self.out.parts.push(Part {
            file: file.to_path_buf(),
            dir,
            text,
            lines: OnceLock::new(),
            start,
            spans: OnceLock::new(),
            anchors: OnceLock::new(),
        });
        self.part_of
            .insert(file.to_path_buf(), self.out.parts.len() - 1);
        self.out.parts.len() - 1
    }

    /// The file an include names, root-relative, with its text.
    fn find(&mut self, lookup: &Lookup, src: &Source) -> Option<(PathBuf, Arc<str>)> {
        let lib = self.library;
        let content = &lib.content;
        let beside = content.join(&src.dir);
        let candidates: Vec<PathBuf> = match lookup {
            Lookup::Relative(p) => vec![beside.join(p)],
            Lookup::JekyllIncludes(p) => vec![content.join("_includes").join(p)],
            Lookup::Snippet(p) => vec![PathBuf::from(p), content.join(p), beside.join(p)],
            Lookup::Partial(name) => {
                let (folder, stem) = name
                    .rsplit_once('/')
                    .map_or(("", name.as_str()), |(f, s)| (f, s));
                let mut out = Vec::new();
                for base in [&beside, content] {
                    for prefix in ["_", ""] {
                        // Middleman names a Markdown partial `_intro.html.md` as often as
                        // `_intro.md`.
                        let exts = (lib.config.markdown_extensions.iter().map(String::as_str))
                            .chain(["md.erb", "erb", "html"]);
                        for ext in exts {
                            for html in ["", "html."] {
                                let name = format!("{prefix}{stem}.{html}{ext}");
                                out.push(base.join(folder).join(name));
                            }
                        }
                    }
                }
                out
            }
        };
        candidates.into_iter().find_map(|c| {
            let rel = inside_root(&c)?;
            let text = self.read(&rel)?;
            Some((rel, text))
        })
    }

    /// Why the file an own include names cannot be read, when it is not simply missing.
    fn refusal(&self, lookup: &Lookup, src: &Source) -> Option<String> {
        let Lookup::Relative(p) = lookup else {
            return None;
        };
        let path = self.library.content.join(&src.dir).join(p);
        let Some(rel) = inside_root(&path) else {
            return Some(format!("`{p}` leads outside the handbook root"));
        };
        if Root::is_hidden(&rel) {
            return Some(format!("`{p}` is hidden; hidden files are never included"));
        }
        if self.library.unpublished.refuses(&display_path(&rel)) {
            return Some(format!(
                "`{p}` is in the output folder or the team data, which are never included"
            ));
        }
        None
    }

    /// The text of root-relative `rel`: a document already read, or the file, read inside
    /// the root (never a hidden file, the team data or the output).
    fn read(&mut self, rel: &Path) -> Option<Arc<str>> {
        if let Some(done) = self.reads.get(rel) {
            return done.clone();
        }
        let text = self.read_once(rel);
        self.reads.insert(rel.to_path_buf(), text.clone());
        text
    }

    fn read_once(&self, rel: &Path) -> Option<Arc<str>> {
        let lib = self.library;
        if let Some(doc) = rel
            .strip_prefix(&lib.content)
            .ok()
            .and_then(|r| r.to_str())
            .and_then(|r| lib.documents.get(r))
        {
            return Some(Arc::from(doc.text.as_str()));
        }
        if Root::is_hidden(rel) || lib.unpublished.refuses(&display_path(rel)) {
            return None;
        }
        // Where it leads once symlinks are followed must be readable too: a symlink to the
        // team data or the output, inside the root, is refused as they are.
        let target = lib.root.resolve(&lib.root.path().join(rel))?;
        if Root::is_hidden(&target) || lib.unpublished.refuses(&display_path(&target)) {
            return None;
        }
        let bytes = lib.root.read(rel).ok()?;
        Some(Arc::from(crate::text::decode(bytes).text))
    }
}

impl Lookup {
    fn name(&self) -> &str {
        match self {
            Lookup::Relative(p)
            | Lookup::JekyllIncludes(p)
            | Lookup::Partial(p)
            | Lookup::Snippet(p) => p,
        }
    }
}

/// `path` (root-relative, as joined) with `.` and `..` settled, when it stays inside the root
/// and is not absolute.
fn inside_root(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Where the text of an included file starts: after its front matter, for a Markdown file.
fn body_start(file: &Path, text: &str, config: &Config) -> usize {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match markdown_stem(name, &config.markdown_extensions) {
        Some(_) => front_matter::split(text).body_offset,
        None => 0,
    }
}

impl Part {
    /// Its lines from where its text starts.
    fn spans(&self) -> &[Range<usize>] {
        self.spans.get_or_init(|| {
            let mut at = self.start;
            (self.text[self.start..].split_inclusive('\n'))
                .map(|l| {
                    at += l.len();
                    at - l.len()..at
                })
                .collect()
        })
    }

    fn anchors(&self) -> &Anchors {
        self.anchors.get_or_init(|| {
            let mut a = Anchors::default();
            for (i, r) in self.spans().iter().enumerate() {
                let line = &self.text[r.clone()];
                for (what, into) in [("ANCHOR:", &mut a.open), ("ANCHOR_END:", &mut a.end)] {
                    if let Some(name) = marker_name(line, what) {
                        a.markers.insert(i);
                        into.entry(name.to_string()).or_insert(i);
                    }
                }
            }
            a
        })
    }

    /// The byte ranges of its text that `select` takes.
    fn select(&self, select: &Select) -> Result<Vec<Range<usize>>, String> {
        let spans = self.spans();
        let n = spans.len();
        match select {
            Select::All => Ok(std::iter::once(self.start..self.text.len()).collect()),
            Select::Lines(from, to) => {
                if *from == Some(0) || *to == Some(0) {
                    return Err("lines are counted from 1".into());
                }
                let first = from.unwrap_or(1);
                let last = to.unwrap_or(n).min(n);
                if first > n {
                    return Err(format!(
                        "it has {n} line{}; line {first} is not in it",
                        crate::diagnostic::plural(n as i64)
                    ));
                }
                if first > last {
                    return Err(format!("the lines {first} to {last} are none"));
                }
                Ok(std::iter::once(spans[first - 1].start..spans[last - 1].end).collect())
            }
            Select::Anchor(name) => {
                let anchors = self.anchors();
                let Some(&open) = anchors.open.get(name) else {
                    return Err(format!("it has no `ANCHOR: {name}` line"));
                };
                let end = (anchors.end.get(name).copied())
                    .filter(|&e| e > open)
                    .unwrap_or(n);
                let mut out: Vec<Range<usize>> = Vec::new();
                for (i, r) in spans.iter().enumerate().take(end).skip(open + 1) {
                    if anchors.markers.contains(&i) {
                        continue;
                    }
                    match out.last_mut() {
                        Some(last) if last.end == r.start => last.end = r.end,
                        _ => out.push(r.clone()),
                    }
                }
                Ok(out)
            }
        }
    }
}

/// The anchor a line marks with `what` (`ANCHOR:`, `ANCHOR_END:`), as mdBook reads it: the
/// word after the marker.
fn marker_name<'l>(line: &'l str, what: &str) -> Option<&'l str> {
    let at = line.find(what)?;
    let rest = line[at + what.len()..].trim_start();
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (len > 0).then(|| &rest[..len])
}

/// The first include in `line` from byte `from`, and where scanning goes on after it.
/// A snippet takes a whole line: the lines scanned always start at a line's start.
fn find_directive(line: &str, from: usize) -> Option<(Directive, usize)> {
    if from == 0 {
        if let Some(d) = snippet(line) {
            let end = d.range.end;
            return Some((d, end));
        }
    }
    let bytes = line.as_bytes();
    let mut i = from;
    while i + 1 < bytes.len() {
        let found = match (bytes[i], bytes[i + 1]) {
            (b'{', b'{') => mdbook(line, i).or_else(|| url_tag(line, i)),
            (b'{', b'%') => liquid(line, i)
                .filter(|d| !matches!(d.action, Action::Replace(_)) || in_link_target(line, i)),
            (b'<', b'%') => erb(line, i),
            _ => None,
        };
        if let Some(d) = found {
            let end = d.range.end;
            return Some((d, end));
        }
        i += 1;
    }
    None
}

/// `{{#include path:sel}}`, `{{#rustdoc_include ...}}`, `{{#title ...}}` at `at` (or escaped,
/// `\{{#...}}`, one byte before it).
fn mdbook(line: &str, at: usize) -> Option<Directive> {
    let rest = &line[at + 2..];
    let hash = at + 2 + (rest.len() - rest.trim_start().len());
    let inner = line[hash..].strip_prefix('#')?;
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, args) = inner.split_at(name_len);
    let close = find_close(args, "}}")?;
    let args = &args[..close];
    if name.is_empty() {
        return None;
    }
    let end = hash + 1 + name_len + close + 2;
    let escaped = at > 0 && line.as_bytes()[at - 1] == b'\\';
    let action = match name {
        _ if escaped => Action::Escaped,
        "include" | "rustdoc_include" => {
            let Some((path, select)) = selector(args.trim()) else {
                return Some(Directive {
                    range: at..end,
                    syntax: Syntax::Own,
                    action: Action::Malformed("this include names no file"),
                });
            };
            Action::Include {
                lookup: Lookup::Relative(path.to_string()),
                select,
                ignored: None,
                indent: String::new(),
            }
        }
        "title" if args.trim().is_empty() => Action::Malformed("`{{#title}}` names no title"),
        "title" => Action::Title(args.trim().to_string()),
        _ => return None,
    };
    let start = if escaped { at - 1 } else { at };
    Some(Directive {
        range: start..end,
        syntax: Syntax::Own,
        action,
    })
}

/// A Liquid or Hugo tag at `at` that makes (part of) a URL: `{{ site.baseurl }}`,
/// `{{ site.url }}`, `{{ "/x" | relative_url }}` (or `absolute_url`), `{{< ref "x.md" >}}`,
/// `{{< relref "x.md" >}}` (also `{{% %}}`).
fn url_tag(line: &str, at: usize) -> Option<Directive> {
    if !in_link_target(line, at) {
        return None;
    }
    let rest = &line[at + 2..];
    let (open, close) = match rest.as_bytes().first() {
        Some(b'<') => ("<", ">}}"),
        Some(b'%') => ("%", "%}}"),
        _ => ("", "}}"),
    };
    let body = &rest[open.len()..];
    let end = find_close(body, close)?;
    let inner = body[..end]
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim();
    let range = at..at + 2 + open.len() + end + close.len();
    let quoted = |s: &str| -> Option<String> {
        let s = s.trim();
        let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let inner = s[1..].strip_suffix(q)?;
        (!inner.contains(['"', '\'', '{', '}'])).then(|| inner.to_string())
    };
    let made = if open.is_empty() {
        match inner {
            "site.baseurl" | "site.url" => String::new(),
            _ => {
                let (value, filter) = inner.split_once('|')?;
                if !matches!(filter.trim(), "relative_url" | "absolute_url") {
                    return None;
                }
                quoted(value)?
            }
        }
    } else {
        let (name, arg) = inner.split_once(char::is_whitespace)?;
        if !matches!(name, "ref" | "relref") {
            return None;
        }
        return Some(Directive {
            range,
            syntax: Syntax::Foreign,
            action: Action::HugoRef(quoted(arg)?),
        });
    };
    Some(Directive {
        range,
        syntax: Syntax::Foreign,
        action: Action::Replace(made),
    })
}

/// Whether a tag at `at` starts a link's target: `[text](` or `<a href="` just before it, or
/// another tag that does (`{{ site.baseurl }}{% link x.md %}`). In prose such a tag prints a
/// URL as text, which is left as written (and reported) rather than guessed.
fn in_link_target(line: &str, at: usize) -> bool {
    let mut at = at;
    // A few tags in a row at most: each step looks one tag further left.
    for _ in 0..4 {
        let before = &line[..at];
        let starts = ["](", "](<", "=\"", "='"];
        if starts.iter().any(|s| before.ends_with(s)) {
            return true;
        }
        let Some(rest) = before
            .strip_suffix("}}")
            .or_else(|| before.strip_suffix("%}"))
        else {
            return false;
        };
        // The tag before, looked for close by: a long line of tags is not searched over
        // and over from each.
        let near = floor_boundary(rest, rest.len().saturating_sub(MAX_TAG));
        let window = &rest[near..];
        match window.rfind("{{").max(window.rfind("{%")).map(|o| near + o) {
            Some(open) => at = open,
            None => return false,
        }
    }
    false
}

/// The longest tag read: a path, a few parameters. Its closer is looked for no further, so
/// that a line of many openers is scanned in linear time.
const MAX_TAG: usize = 1024;

/// Where `close` is in the first [`MAX_TAG`] bytes of `text`.
fn find_close(text: &str, close: &str) -> Option<usize> {
    let limit = text.len().min(MAX_TAG);
    memchr::memmem::find(&text.as_bytes()[..limit], close.as_bytes())
}

/// The largest character boundary of `text` at or below `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A path with mdBook's selection after it: `:10`, `:10:20`, `:10:`, `::20` or `:anchor`.
fn selector(arg: &str) -> Option<(&str, Select)> {
    let mut parts = arg.splitn(3, ':');
    let path = parts.next()?.trim();
    if path.is_empty() {
        return None;
    }
    let number = |s: &str| s.trim().parse::<usize>().ok();
    let select = match (parts.next(), parts.next()) {
        (None, _) => Select::All,
        (Some(a), None) => match number(a) {
            Some(n) => Select::Lines(Some(n), Some(n)),
            None if a.trim().is_empty() => Select::All,
            None => Select::Anchor(a.trim().to_string()),
        },
        (Some(a), Some(b)) => Select::Lines(number(a), number(b)),
    };
    Some((path, select))
}

/// `{% include name params %}` or `{% include_relative path %}` at `at` (Liquid's `{%-` and
/// `-%}` too).
fn liquid(line: &str, at: usize) -> Option<Directive> {
    let rest = &line[at + 2..];
    let close = find_close(rest, "%}")?;
    let inner = rest[..close]
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim();
    let (tag, args) = inner.split_once(char::is_whitespace)?;
    let args = args.trim();
    let (name, params) = args
        .split_once(char::is_whitespace)
        .map_or((args, ""), |(n, p)| (n, p.trim()));
    // A name made by Liquid (`{{ page.partial }}`) is not known before Liquid runs.
    if name.is_empty() || name.contains(['{', '}', '"', '\'']) {
        return None;
    }
    let range = at..at + 2 + close + 2;
    let lookup = match tag {
        "include" => Lookup::JekyllIncludes(name.to_string()),
        "include_relative" => Lookup::Relative(name.to_string()),
        // `{% link processes/review.md %}`: the page's URL, from the top of the site; the
        // link it stands in resolves (or is reported) as any root-relative link.
        "link" if params.is_empty() => {
            return Some(Directive {
                range,
                syntax: Syntax::Foreign,
                action: Action::Replace(format!("/{}", name.trim_start_matches('/'))),
            });
        }
        _ => return None,
    };
    Some(Directive {
        range,
        syntax: Syntax::Foreign,
        action: Action::Include {
            lookup,
            select: Select::All,
            ignored: (!params.is_empty()).then(|| params.to_string()),
            indent: String::new(),
        },
    })
}

/// `<%= partial "name" %>`, `<%= partial("name") %>`, `<%= partial :name %>` at `at`.
fn erb(line: &str, at: usize) -> Option<Directive> {
    let rest = line[at..].strip_prefix("<%=")?;
    let close = find_close(rest, "%>")?;
    let inner = rest[..close].trim_end_matches('-').trim();
    let call = inner.strip_prefix("partial")?;
    let call = call
        .strip_prefix('(')
        .map_or(call, |c| c.strip_suffix(')').unwrap_or(c))
        .trim();
    let (name, params) = if let Some(sym) = call.strip_prefix(':') {
        let len = sym
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(sym.len());
        (&sym[..len], sym[len..].trim())
    } else {
        let quote = call.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let body = &call[1..];
        let end = body.find(quote)?;
        (&body[..end], body[end + 1..].trim())
    };
    if name.is_empty() || name.contains("#{") {
        return None;
    }
    let params = params.trim_start_matches(',').trim();
    Some(Directive {
        range: at..at + 3 + close + 2,
        syntax: Syntax::Foreign,
        action: Action::Include {
            lookup: Lookup::Partial(name.to_string()),
            select: Select::All,
            ignored: (!params.is_empty()).then(|| params.to_string()),
            indent: String::new(),
        },
    })
}

/// A line `--8<-- "path"` (indented or not; `path:10:20` takes lines).
fn snippet(line: &str) -> Option<Directive> {
    let body = line.trim_end_matches(['\n', '\r']);
    let trimmed = body.trim_start();
    let indent = &body[..body.len() - trimmed.len()];
    let arg = trimmed.strip_prefix("--8<--")?.trim();
    let quote = arg.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = arg[1..].strip_suffix(quote)?;
    let (path, select) = selector(inner)?;
    Some(Directive {
        range: indent.len()..body.len(),
        syntax: Syntax::Foreign,
        action: Action::Include {
            lookup: Lookup::Snippet(path.to_string()),
            select,
            ignored: None,
            indent: indent.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expands `body` (of `content/sops/page.md`) with `files` (content-relative path, text)
    /// as the other documents, in a root on the disk that holds nothing else.
    #[test]
    fn may_include_is_any_opener_of_an_include() {
        let naive = |b: &str| ["{{", "{%", "<%", "--8<--"].iter().any(|o| b.contains(o));
        for body in [
            "",
            "{",
            "{ {",
            "a {{b",
            "{%",
            "x <% y",
            "<",
            "< %",
            "--8<--\"x.md\"",
            "-8<--",
            "--8<-",
            "--8 <--",
            "a\n--8<-- \"f\"",
            "<{{",
            "{<%",
            "text } }} %}",
        ] {
            assert_eq!(may_include(body), naive(body), "{body:?}");
        }
    }

    fn expand_with(body: &str, files: &[(&str, &str)]) -> (Document, Expansion) {
        let dir = tempfile::tempdir().unwrap();
        let root = Root::new(dir.path()).unwrap();
        let config = Config::default();
        let docs: Vec<Document> = files
            .iter()
            .map(|(p, t)| Document::from_text(p, t, &config))
            .collect();
        let library = Library {
            root: &root,
            config: &config,
            content: crate::root::lexical(&config.content_dir),
            documents: docs.iter().map(|d| (d.path.as_str(), d)).collect(),
            unpublished: &Unpublished::default(),
        };
        let doc = Document::from_text("sops/page.md", body, &config);
        let x = expand(&doc, &library);
        (doc, x)
    }

    #[test]
    fn offsets_go_back_to_the_file_they_were_written_in() {
        let body = "Intro.\n{{#include ../shared/a.md}}\nAfter [x](y.md).\n";
        let shared = "---\ntitle: A\n---\nShared [link](z.md).\n";
        let (mut doc, x) = expand_with(body, &[("shared/a.md", shared)]);
        assert!(x.diagnostics.is_empty());
        doc.included = x.included.map(Box::new);
        let text = doc.body().to_string();
        assert_eq!(text, "Intro.\nShared [link](z.md).\n\nAfter [x](y.md).\n");
        let at = text.find("[link]").unwrap();
        let (file, pos) = doc.body_place(at);
        assert_eq!(file, Path::new("content/shared/a.md"));
        assert_eq!((pos.line, pos.column), (4, 8));
        assert_eq!(doc.link_dir(at), "shared");
        let at = text.find("[x]").unwrap();
        let (file, pos) = doc.body_place(at);
        assert_eq!(file, Path::new("content/sops/page.md"));
        assert_eq!((pos.line, pos.column), (3, 7));
        assert_eq!(doc.link_dir(at), "sops");
    }

    #[test]
    fn directives_are_read_as_their_tools_write_them() {
        let d = |line: &str| find_directive(line, 0).map(|(d, _)| d.range);
        assert_eq!(d("{{#include a.md}}"), Some(0..17));
        assert_eq!(d("x {{ #include a.md:3:4 }} y"), Some(2..25));
        assert_eq!(d("\\{{#include a.md}}"), Some(0..18));
        assert_eq!(d("{{#playground a.rs}}"), None);
        assert_eq!(d("{{ page.title }}"), None);
        assert_eq!(d("{%- include note.md x=1 -%}"), Some(0..27));
        assert_eq!(d("{% include {{ page.note }} %}"), None);
        // URL tags only where a link's target starts: in prose they print text.
        assert_eq!(d("{% link a.md %}"), None);
        assert_eq!(d("[x]({% link a.md %})"), Some(4..19));
        assert_eq!(d("[x]({{ site.baseurl }}/a.html)"), Some(4..22));
        assert_eq!(d("<a href=\"{{ '/a/' | relative_url }}\">"), Some(9..35));
        assert_eq!(d("[x]({{ '/a/' | upcase }})"), None);
        assert_eq!(d("[x]({{< ref \"a.md\" >}})"), Some(4..22));
        assert_eq!(d("see {{< ref \"a.md\" >}}"), None);
        let chained = "[x]({{ site.baseurl }}{% link a.md %})";
        assert_eq!(
            find_directive(chained, 22).map(|(d, _)| d.range),
            Some(22..37)
        );
        assert_eq!(d("<%= partial(:intro) %>"), Some(0..22));
        assert_eq!(
            d("<%= partial 'partials/intro', locals: { a: 1 } -%>"),
            Some(0..50)
        );
        assert_eq!(d("<%= link_to 'x' %>"), None);
        assert_eq!(d("    --8<-- \"a.md\"\n"), Some(4..17));
        assert_eq!(d("--8<-- a.md\n"), None);
        let sel = |a: &str| match selector(a).unwrap().1 {
            Select::All => "all".to_string(),
            Select::Lines(a, b) => format!("{a:?}-{b:?}"),
            Select::Anchor(n) => n,
        };
        assert_eq!(sel("a.rs"), "all");
        assert_eq!(sel("a.rs:3"), "Some(3)-Some(3)");
        assert_eq!(sel("a.rs:3:"), "Some(3)-None");
        assert_eq!(sel("a.rs::9"), "None-Some(9)");
        assert_eq!(sel("a.rs:setup"), "setup");
    }

    proptest::proptest! {
        /// Whatever the text, expansion ends, and every byte of the result maps back into
        /// the file it came from.
        #[test]
        fn any_text_expands_and_maps_back(pieces in proptest::collection::vec(0usize..14, 0..40)) {
            const PIECES: [&str; 14] = [
                "{{#include ", "a.md", "b.md", ":", "1", "}}", "\n", "\\", "{% include ",
                " %}", "<%= partial \"", "\" %>", "    --8<-- \"", "é",
            ];
            let body: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let a = "A [x](y.md)\n{{#include b.md}}\n";
            let b = "B\n{{#include a.md:2}}\n";
            let (mut doc, x) = expand_with(&body, &[("sops/a.md", a), ("sops/b.md", b)]);
            doc.included = x.included.map(Box::new);
            let text = doc.body().to_string();
            for at in 0..=text.len() {
                let (file, pos) = doc.body_place(at);
                proptest::prop_assert!(pos.line >= 1);
                let source = match file.to_str().unwrap() {
                    "content/sops/page.md" => body.as_str(),
                    "content/sops/a.md" => a,
                    "content/sops/b.md" => b,
                    other => panic!("{other}"),
                };
                proptest::prop_assert!(pos.line as usize <= source.split('\n').count());
            }
        }
    }
}
