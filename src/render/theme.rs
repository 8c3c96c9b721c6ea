//! The theme: the built-in templates and assets embedded in the binary, the handbook's overrides
//! read from `themes/<theme>/` and `templates/`, and the Tera instance they compile into.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tera::Tera;

use crate::config::Config;
use crate::diagnostic::{display_path, Diagnostic};
use crate::root::Root;
use crate::rules::Rule;
use crate::team::TeamData;

use super::escape::escape_attr;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "home.html",
        include_str!("../../themes/default/templates/home.html"),
    ),
    (
        "person.html",
        include_str!("../../themes/default/templates/person.html"),
    ),
    (
        "team.html",
        include_str!("../../themes/default/templates/team.html"),
    ),
    (
        "role.html",
        include_str!("../../themes/default/templates/role.html"),
    ),
    (
        "rotation.html",
        include_str!("../../themes/default/templates/rotation.html"),
    ),
    (
        "tag.html",
        include_str!("../../themes/default/templates/tag.html"),
    ),
    (
        "list.html",
        include_str!("../../themes/default/templates/list.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "redirect.html",
        include_str!("../../themes/default/templates/redirect.html"),
    ),
];

const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "highlight.css",
        include_bytes!("../../themes/default/static/highlight.css"),
    ),
    (
        "handbook.js",
        include_bytes!("../../themes/default/static/handbook.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

/// The theme, loaded: templates compiled, static assets in memory.
pub struct Theme {
    tera: Tera,
    /// Whether `base.html` and `page.html` are the built-in ones, which `builtin.rs` renders
    /// without Tera.
    pub(super) builtin_page: bool,
    /// File name under `assets/` and its bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The built-in theme with the handbook's overrides applied.
    pub fn load(root: &Path, config: &Config) -> (Theme, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut sources: BTreeMap<String, (String, Option<String>)> =
            builtin_templates().map(|(n, s)| (n, (s, None))).collect();
        let mut assets: BTreeMap<String, Vec<u8>> = STATIC
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        let theme_dir = Path::new("themes").join(&config.theme);
        for dir in [theme_dir.join("templates"), config.templates_dir.clone()] {
            for (name, rel, bytes) in read_dir_inside(root, &dir, config, &mut diags) {
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        sources.insert(name, (text, Some(rel)));
                    }
                    Err(_) => diags.push(Diagnostic::error(
                        Rule::ThemeInvalid,
                        rel,
                        "the template is not valid UTF-8",
                    )),
                }
            }
        }
        let static_dir = theme_dir.join("static");
        for (name, _, bytes) in read_dir_inside(root, &static_dir, config, &mut diags) {
            assets.insert(name, bytes);
        }
        // The highlighting rules travel in style.css, so that a page links one stylesheet
        // (a second link is 70 bytes on each of 10,000 pages); highlight.css stays on its own
        // too, for a theme's base.html that links it.
        if let Some(highlight) = assets.get("highlight.css").cloned() {
            if let Some(style) = assets.get_mut("style.css") {
                style.extend_from_slice(b"\n");
                style.extend_from_slice(&highlight);
            }
        }
        let builtin_page = ["base.html", "page.html"].iter().all(|name| {
            sources
                .get(*name)
                .is_some_and(|(_, origin)| origin.is_none())
        });
        let tera = compile(&sources, &mut diags);
        (
            Theme {
                tera,
                builtin_page,
                assets,
            },
            diags,
        )
    }

    pub(super) fn render(&self, name: &str, ctx: &impl Serialize) -> Result<String, String> {
        let ctx = tera::Context::from_serialize(ctx).map_err(|e| error_chain(&e))?;
        self.tera.render(name, &ctx).map_err(|e| error_chain(&e))
    }
}

/// Compiles the templates; an override that does not compile is replaced by the built-in one.
fn compile(
    sources: &BTreeMap<String, (String, Option<String>)>,
    diags: &mut Vec<Diagnostic>,
) -> Tera {
    let builtin = |name: &str| builtin_templates().find(|(n, _)| n == name).map(|(_, s)| s);
    let mut set: Vec<(String, String)> = sources
        .iter()
        .map(|(n, (s, _))| (n.clone(), s.clone()))
        .collect();
    // Each round replaces one failing override by its built-in, so this ends.
    let mut replaced: Vec<&String> = Vec::new();
    loop {
        let error = match new_tera(set.clone()) {
            Ok(tera) => return tera,
            Err(e) => e,
        };
        // The culprit: the override Tera's error names ("Failed to parse 'x.html'"); else one
        // not yet replaced that fails on its own with the built-ins. Testing alone first would
        // blame an override that only needs another (`extends "layout.html"`, a new file).
        let message = error_chain(&error);
        let named = sources.iter().find(|(name, (_, origin))| {
            origin.is_some() && !replaced.contains(name) && message.contains(&format!("'{name}'"))
        });
        let culprit = named.or_else(|| {
            sources.iter().find(|(name, (text, origin))| {
                origin.is_some() && !replaced.contains(name) && {
                    let mut alone: Vec<(String, String)> =
                        builtin_templates().filter(|(n, _)| n != *name).collect();
                    alone.push((name.to_string(), text.clone()));
                    new_tera(alone).is_err()
                }
            })
        });
        let Some((name, (_, origin))) = culprit else {
            // The overrides compile one by one but not together: use the built-in theme.
            diags.push(
                Diagnostic::error(
                    Rule::ThemeInvalid,
                    "templates",
                    format!(
                        "the theme's templates do not compile together: {}",
                        error_chain(&error)
                    ),
                )
                .with_help("the built-in templates are used instead"),
            );
            return new_tera(builtin_templates().collect())
                .expect("the built-in templates compile (a unit test proves it)");
        };
        diags.push(
            Diagnostic::error(
                Rule::ThemeInvalid,
                origin.clone().unwrap_or_default(),
                format!("template does not compile: {}", error_chain(&error)),
            )
            .with_help("the built-in template is used instead"),
        );
        replaced.push(name);
        set.retain(|(n, _)| n != name);
        if let Some(b) = builtin(name) {
            set.push((name.clone(), b));
        }
    }
}

/// The built-in templates, `(name, source)`.
fn builtin_templates() -> impl Iterator<Item = (String, String)> {
    TEMPLATES
        .iter()
        .map(|(name, source)| (name.to_string(), source.to_string()))
}

/// A template without the indentation of its lines: it makes a template readable but would be
/// sent with every page (3 MB over 10,000 pages), and spaces after a line break change nothing
/// in HTML, except inside `<pre>` and `<textarea>` (and, for a theme's own inline code, in a
/// `<script>`'s or `<style>`'s strings), whose lines are kept as written.
fn dedent(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    // The end tag awaited: inside a `<pre>` or `<textarea>`, until it closes.
    let mut verbatim: Option<&str> = None;
    for line in source.split_inclusive('\n') {
        out.push_str(match verbatim {
            Some(_) => line,
            None => line.trim_start_matches([' ', '\t']),
        });
        let lower = line.to_ascii_lowercase();
        let mut rest = lower.as_str();
        while let Some(at) = rest.find('<') {
            rest = &rest[at..];
            verbatim = match verbatim {
                None => ["pre", "textarea", "script", "style"]
                    .into_iter()
                    .find(|name| is_tag(&rest[1..], name)),
                Some(name) => {
                    (!rest.strip_prefix("</").is_some_and(|r| is_tag(r, name))).then_some(name)
                }
            };
            rest = &rest[1..];
        }
    }
    out
}

/// Whether `text` starts with the tag name `name`, whole (`pre`, not `preview`).
fn is_tag(text: &str, name: &str) -> bool {
    text.strip_prefix(name).is_some_and(|after| {
        after.is_empty()
            || after.starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace())
    })
}

/// A Tera without access to the environment. Templates are the handbook's, and a pull
/// request can change them: they must not publish the build's environment (CI secrets), so
/// Tera's `get_env` is replaced by one that refuses.
pub fn tera_without_env() -> Tera {
    let mut tera = Tera::default();
    tera.register_function(
        "get_env",
        |_: &std::collections::HashMap<String, serde_json::Value>| -> tera::Result<serde_json::Value> {
            Err(tera::Error::msg(
                "`get_env` is not available: a template cannot read the environment",
            ))
        },
    );
    tera
}

/// A Tera instance with our escaping, from `(name, source)` pairs, each without its
/// indentation ([`dedent`]).
fn new_tera(templates: Vec<(String, String)>) -> Result<Tera, tera::Error> {
    let dedented = (templates.iter())
        .map(|(name, source)| (name.clone(), dedent(source)))
        .collect();
    // An error is reported against the templates as written: its columns are the file's.
    tera_of(dedented).map_err(|e| tera_of(templates).err().unwrap_or(e))
}

fn tera_of(templates: Vec<(String, String)>) -> Result<Tera, tera::Error> {
    let mut tera = tera_without_env();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_attr);
    tera.add_raw_templates(templates)?;
    Ok(tera)
}

/// The files a build writes beside the pages, the assets and the search index: `404.html`,
/// `reviews.ics`, each on-call rotation's `oncall/<id>.ics`, `sitemap.xml` (with an absolute
/// base URL) and the theme's `assets/`. Links to them are links to the site
/// (`[calendar](/reviews.ics)`). Reads names only.
pub fn generated_files(root: &Path, config: &Config, team: &TeamData) -> Vec<String> {
    let mut files = vec!["404.html".to_string(), "reviews.ics".to_string()];
    let mut calendars: Vec<String> = team
        .rotations
        .iter()
        .map(|r| oncall_calendar_file(&r.id))
        .collect();
    calendars.sort();
    calendars.dedup();
    files.extend(calendars);
    if config.base_url.as_ref().is_some_and(|b| b.origin.is_some()) {
        files.push("sitemap.xml".to_string());
    }
    let mut names: Vec<String> = STATIC.iter().map(|(n, _)| n.to_string()).collect();
    let theme = root.join("themes").join(&config.theme).join("static");
    if let Ok(entries) = std::fs::read_dir(theme) {
        names.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.')),
        );
    }
    names.sort();
    names.dedup();
    files.extend(names.into_iter().map(|n| format!("assets/{n}")));
    files
}

/// Where the calendar of rotation `id` is published.
pub fn oncall_calendar_file(id: &str) -> String {
    format!("oncall/{}.ics", crate::site::url::slug_segment(id))
}

/// Files directly in `root/dir`, refusing a symlink that resolves outside the root or to
/// what the site never publishes: a hidden file (`.env`, `.git/config`) or the team data.
fn read_dir_inside(
    root: &Path,
    dir: &Path,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let Ok(boundary) = Root::new(root) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = display_path(&dir.join(&name));
        let refuse = |why: &str| Diagnostic::error(Rule::PathUnsafe, &rel, why.to_string());
        match boundary.resolve(&entry.path()) {
            None if entry.path().exists() => {
                diags.push(refuse(
                    "this symlink points outside the handbook root; it is skipped",
                ));
                continue;
            }
            None => continue,
            Some(target) if Root::is_hidden(&target) || target.starts_with(&config.data_dir) => {
                diags.push(refuse(
                    "this symlink leads to a hidden file or the team data, which the site never publishes; it is skipped",
                ));
                continue;
            }
            Some(_) if !entry.path().is_file() => continue,
            Some(_) => {}
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => out.push((name, rel, bytes)),
            Err(e) => diags.push(Diagnostic::error(
                Rule::ThemeInvalid,
                rel,
                format!("cannot read: {e}"),
            )),
        }
    }
    out.sort();
    out
}

/// Tera errors keep the useful part in their source chain.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        cur = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_goes_but_not_inside_pre_or_textarea() {
        assert_eq!(
            dedent("<ul>\n  <li>a</li>\n\t<li>b</li>\n</ul>"),
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
        );
        assert_eq!(
            dedent("  <PRE>x\n  y\n  z</pre>\n  <p>\n  <textarea>\n  t\n  </textarea>\n  w"),
            "<PRE>x\n  y\n  z</pre>\n<p>\n<textarea>\n  t\n  </textarea>\nw"
        );
        assert_eq!(
            dedent("<pre>one</pre> <pre>two\n  kept</pre>\n  gone"),
            "<pre>one</pre> <pre>two\n  kept</pre>\ngone"
        );
        // Each element closes on its own end tag; other names that begin alike are not it.
        assert_eq!(
            dedent("<textarea>\n  a\n  <pre>x</pre>\n  b</textarea>\n  c"),
            "<textarea>\n  a\n  <pre>x</pre>\n  b</textarea>\nc"
        );
        assert_eq!(
            dedent(
                "<script>\n  const s = `a\n    b`;\n</script>\n  <style>\n  p { }\n</style>\n  d"
            ),
            "<script>\n  const s = `a\n    b`;\n</script>\n<style>\n  p { }\n</style>\nd"
        );
        assert_eq!(
            dedent("<preview>\n  a\n  <pre\n  class=x>\n  b\n</pre >\n  c"),
            "<preview>\na\n<pre\n  class=x>\n  b\n</pre >\nc"
        );
    }

    #[test]
    fn built_in_templates_compile() {
        let mut diags = Vec::new();
        let sources = builtin_templates().map(|(n, s)| (n, (s, None))).collect();
        let _ = compile(&sources, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
    }
}
