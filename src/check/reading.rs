//! Required reading: `acknowledgement-missing` (one finding per document, naming everyone late
//! to acknowledge its version in force) and `acknowledgement-unknown` (a record or selector that
//! names nothing), from the facts [`Site::reading`] works out.

use std::path::Path;

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Diagnostic, Pos};
use crate::rules::Rule;
use crate::site::reading::{Standing, Unknown};
use crate::site::Site;

/// How many late readers one finding names; the rest are counted.
const NAMED: usize = 50;

pub fn check(site: &Site) -> Vec<Diagnostic> {
    let reading = site.reading();
    let team = &site.team;
    let mut out = Vec::new();
    let mut at = 0;
    while at < reading.duties.len() {
        let page = reading.duties[at].page;
        let duties = reading.of_page(page);
        at += duties.len();
        let late: Vec<_> = duties
            .iter()
            .filter(|d| d.standing == Standing::Late)
            .collect();
        if late.is_empty() {
            continue;
        }
        let doc = site.pages[page]
            .doc
            .as_ref()
            .expect("duties are of documents");
        let version = match &doc.front.version {
            Some(v) => format!("version {v}"),
            None => "the text".to_string(),
        };
        let names: Vec<String> = (late.iter().take(NAMED))
            .map(|d| {
                let p = &team.people[d.person];
                let mut s = format!("{} (`{}`", p.name, p.id);
                if let Some(role) = &p.role {
                    s.push_str(&format!(", {role}"));
                }
                match d.due {
                    Some(due) => s.push_str(&format!(", due {due}")),
                    None => s.push_str(", no date to count from"),
                }
                match (&d.read_version, d.acknowledged) {
                    (Some(v), _) => s.push_str(&format!(", read version {v}")),
                    // Of the text in force, but before it took effect or too long ago.
                    (None, Some(on)) => s.push_str(&format!(", last acknowledged {on}")),
                    (None, None) => {}
                }
                s.push(')');
                s
            })
            .collect();
        let more = match late.len().saturating_sub(NAMED) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        out.push(
            Diagnostic::warning(
                Rule::AcknowledgementMissing,
                &doc.file,
                format!(
                    "{} of {} required readers are late to acknowledge {version} in force: {}{more}",
                    late.len(),
                    duties.len(),
                    names.join(", ")
                ),
            )
            .at(Pos::new(1, 1))
            .with_help("each reader records it with `handbook acknowledge PERSON DOCUMENT`"),
        );
    }
    for unknown in &reading.unknown {
        out.push(match unknown {
            Unknown::Person(i) => {
                let a = &team.acknowledgements[*i];
                let mut msg = format!("`{}` is not in the team data", a.person);
                let ids = team.people.iter().map(|p| p.id.as_str());
                if let Some(s) = crate::suggest::closest(&a.person, ids) {
                    msg.push_str(&format!("; did you mean `{s}`?"));
                }
                Diagnostic::error(Rule::AcknowledgementUnknown, &a.source.file, msg)
                    .at(a.source.at("person"))
            }
            Unknown::Document(i) => {
                let a = &team.acknowledgements[*i];
                Diagnostic::error(
                    Rule::AcknowledgementUnknown,
                    &a.source.file,
                    format!("`{}` is no document of the handbook", a.document),
                )
                .at(a.source.at("document"))
                .with_help("name a document by its `id`, or by its path from the handbook root (`content/sops/x.md`)")
            }
            Unknown::Version(i) => {
                let a = &team.acknowledgements[*i];
                let page = reading.ack_page[*i].map(|p| &site.pages[p]);
                let in_force = page
                    .and_then(|p| p.doc.as_ref())
                    .and_then(|d| d.front.version.as_deref())
                    .unwrap_or_default();
                Diagnostic::error(
                    Rule::AcknowledgementUnknown,
                    &a.source.file,
                    format!(
                        "version `{}` of `{}` is later than its version in force, {in_force}",
                        a.version.as_deref().unwrap_or_default(),
                        a.document
                    ),
                )
                .at(a.source.at("version"))
                .with_help("record the version in force: `handbook acknowledge` writes it")
            }
            Unknown::Group(key) => {
                let mut msg = format!(
                    "required reading for `{key}`: that is neither `everyone` nor a team id"
                );
                let names = std::iter::once("everyone")
                    .chain(team.teams.iter().map(|t| t.id.as_str()))
                    .chain(team.people.iter().filter_map(|p| p.team.as_deref()));
                if let Some(s) = crate::suggest::closest(key, names) {
                    msg.push_str(&format!("; did you mean `{s}`?"));
                }
                Diagnostic::error(Rule::AcknowledgementUnknown, Path::new(CONFIG_FILE), msg)
                    .with_help("key required reading by `everyone` or a team id; a role's goes in its `required_reading` in the team data")
            }
            Unknown::Selector {
                role,
                key,
                selector,
                why,
            } => {
                let msg = format!("required reading `{selector}` of `{key}`: {why}");
                match role {
                    Some(r) => {
                        let source = &team.roles[*r].source;
                        Diagnostic::error(Rule::AcknowledgementUnknown, &source.file, msg)
                            .at(source.at("required_reading"))
                    }
                    None => Diagnostic::error(
                        Rule::AcknowledgementUnknown,
                        Path::new(CONFIG_FILE),
                        msg,
                    ),
                }
                .with_help("a document id, a path from the root, `kind:policy` or `tag:security`")
            }
        });
    }
    out
}
