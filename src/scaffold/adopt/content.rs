//! Where the Markdown is: its files as the loader's walk sees them (extensions, compound ones
//! included), the content folder when no tool names one, and the other tool's own files and
//! folders under it, which are left out.

use std::collections::HashMap;
use std::path::Path;

use super::tool::Tool;

/// The Markdown flavours' extensions (MDX's too: it is read as Markdown).
const MARKDOWN: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn", "mdx"];

/// Top-level files of a repository that are about the repository, not handbook pages.
const REPO_FILES: &[&str] = &[
    "readme",
    "changelog",
    "license",
    "licence",
    "contributing",
    "code_of_conduct",
    "security",
    "support",
    "history",
    "authors",
    "notice",
];

pub(super) struct MarkdownFile {
    /// Path relative to the root, `/`-separated.
    pub(super) rel: String,
    pub(super) ext: String,
}

/// The Markdown extension of a file name, compound ones included (`html.md.erb`).
fn markdown_ext(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('.').collect();
    if parts.len() < 2 || parts[0].is_empty() {
        return None;
    }
    let i = (1..parts.len()).find(|&i| MARKDOWN.contains(&parts[i]))?;
    if !matches!(&parts[i + 1..], [] | ["erb"]) {
        return None;
    }
    let start = if i >= 2 && parts[i - 1] == "html" {
        i - 1
    } else {
        i
    };
    Some(parts[start..].join("."))
}

/// Every Markdown file under `dir/under`, as the loader's walk would see it.
pub(super) fn markdown_files(dir: &Path, under: &str) -> Vec<MarkdownFile> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir.join(under))
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || (e.file_type().is_dir()
                        && crate::load::SKIPPED_DIRS.contains(&name.as_ref())))
        });
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(ext) = entry.file_name().to_str().and_then(markdown_ext) else {
            continue;
        };
        let Some(rel) = entry.path().strip_prefix(dir).ok().and_then(|p| p.to_str()) else {
            continue;
        };
        out.push(MarkdownFile {
            rel: rel.replace('\\', "/"),
            ext,
        });
    }
    out
}

/// Where the Markdown lives when no tool says: the one top-level folder holding it all (bar the
/// repository's own README and friends) unless its pages link out of it (to `../README.md`:
/// then the README is the handbook's home page, as on GitHub), else the root.
pub(super) fn content_folder(
    read: &dyn Fn(&str) -> Option<String>,
    files: &[MarkdownFile],
) -> String {
    let folder = only_folder(files);
    if folder != "." && links_leave(read, files, &folder) {
        return ".".into();
    }
    folder
}

/// Whether a Markdown file under `folder` links to a path outside it.
fn links_leave(
    read: &dyn Fn(&str) -> Option<String>,
    files: &[MarkdownFile],
    folder: &str,
) -> bool {
    let prefix = format!("{folder}/");
    files
        .iter()
        .filter(|f| f.rel.starts_with(&prefix))
        .any(|f| {
            let Some(text) = read(&f.rel) else {
                return false;
            };
            // Folders between the file and the top of `folder`: a link may climb that many.
            let depth = f.rel[prefix.len()..].matches('/').count();
            text.split("](").skip(1).any(|rest| {
                let target = rest.trim_start_matches('<');
                let end = target
                    .find([')', ' ', '>', '#', '?'])
                    .unwrap_or(target.len());
                let target = &target[..end];
                if target.starts_with('/') || target.contains(':') {
                    return false;
                }
                let mut level = depth as i64;
                for seg in target.split('/') {
                    match seg {
                        ".." => level -= 1,
                        "" | "." => {}
                        _ => level += 1,
                    }
                    if level < 0 {
                        return true;
                    }
                }
                false
            })
        })
}

fn only_folder(files: &[MarkdownFile]) -> String {
    let mut by_folder: HashMap<&str, usize> = HashMap::new();
    let mut loose = 0;
    for f in files {
        match f.rel.split_once('/') {
            Some((top, _)) => *by_folder.entry(top).or_default() += 1,
            None => {
                let stem = f.rel.split('.').next().unwrap_or("").to_ascii_lowercase();
                if !REPO_FILES.contains(&stem.as_str()) {
                    loose += 1;
                }
            }
        }
    }
    match (by_folder.len(), loose) {
        (1, 0) => by_folder.into_keys().next().unwrap_or(".").to_string(),
        _ => ".".into(),
    }
}

/// The other tool's folders and files under the content folder: its output, layouts and
/// config. A folder is left out only when it holds no Markdown.
pub(super) fn excluded(
    dir: &Path,
    tool: Option<Tool>,
    content: &str,
    files: &[MarkdownFile],
) -> Vec<String> {
    let base = dir.join(content);
    let prefix = prefix_of(content);
    let (folders, config_files) = tool.map_or((&[][..], &[][..]), Tool::own_files);
    let mut out: Vec<String> = folders
        .iter()
        .filter(|name| base.join(name).is_dir())
        .filter(|name| {
            let inside = format!("{prefix}{name}/");
            !files.iter().any(|f| f.rel.starts_with(&inside))
        })
        .map(|name| name.to_string())
        .collect();
    out.extend(
        config_files
            .iter()
            .filter(|name| base.join(name).is_file())
            .map(|name| name.to_string()),
    );
    out
}

/// What Middleman's `ignore` lines in `config.rb` leave out of a tech-docs site, as paths under
/// the content folder (its `source/`) that `exclude:` can take: `ignore "templates/*"` is the
/// folder, `ignore "old.html"` the page made from `old.html.md.erb`; a pattern with other
/// wildcards, or a regular expression, cannot be said as a path and is passed over.
pub(super) fn middleman_ignores(config_rb: &str, source: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for line in config_rb.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("ignore") else {
            continue;
        };
        let rest = rest
            .trim_start_matches(['(', ' '])
            .trim_end_matches([')', ' ']);
        let quoted = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .or_else(|| rest.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')));
        let Some(pattern) = quoted else { continue };
        let pattern = pattern.trim_start_matches('/');
        let path = pattern
            .strip_suffix("/**/*")
            .or_else(|| pattern.strip_suffix("/**"))
            .or_else(|| pattern.strip_suffix("/*"))
            .unwrap_or(pattern);
        if path.is_empty() || path.contains(['*', '?', '[', '{']) || !inside_root(path) {
            continue;
        }
        // A page is named by its output: `old.html` comes from `old.html.md.erb` or kin.
        let found = [path.to_string()]
            .into_iter()
            .chain(["md.erb", "md", "erb", "html.md.erb", "html.md"].map(|e| format!("{path}.{e}")))
            .find(|p| source.join(p).exists());
        if let Some(p) = found {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// `content/` for a content folder `content`, nothing for the root.
pub(super) fn prefix_of(content: &str) -> String {
    if content == "." {
        String::new()
    } else {
        format!("{content}/")
    }
}

/// A folder a tool's config names for the content, usable only inside the root.
pub(super) fn inside_root(path: &str) -> bool {
    !path.starts_with('/') && !path.contains(':') && !path.split('/').any(|c| c == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_extensions_compound_and_plain() {
        assert_eq!(markdown_ext("a.md").as_deref(), Some("md"));
        assert_eq!(
            markdown_ext("Deploy.HTML.md.erb").as_deref(),
            Some("html.md.erb")
        );
        assert_eq!(
            markdown_ext("notes.v2.markdown").as_deref(),
            Some("markdown")
        );
        assert_eq!(markdown_ext("x.html.md").as_deref(), Some("html.md"));
        assert_eq!(markdown_ext("page.mdx").as_deref(), Some("mdx"));
        assert_eq!(markdown_ext("a.md.bak"), None);
        assert_eq!(markdown_ext("md"), None);
        assert_eq!(markdown_ext("layout.html.erb"), None);
    }

    fn file(rel: &str) -> MarkdownFile {
        MarkdownFile {
            rel: rel.into(),
            ext: "md".into(),
        }
    }

    #[test]
    fn the_content_folder_is_the_one_folder_holding_the_markdown() {
        let docs = [file("README.md"), file("docs/a.md"), file("docs/x/b.md")];
        assert_eq!(only_folder(&docs), "docs");
        let spread = [file("docs/a.md"), file("guides/b.md")];
        assert_eq!(only_folder(&spread), ".");
        let loose = [file("oncall.md"), file("docs/a.md")];
        assert_eq!(only_folder(&loose), ".");
    }
}
