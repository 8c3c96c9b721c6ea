//! `handbook acknowledge`: a person's record of having read documents, appended to the team
//! data's acknowledgements file for a pull request. The file's other text is kept byte for
//! byte (comments, order, style); it is written atomically, and never through a symlink.

use std::path::{Path, PathBuf};

use crate::dates::Day;
use crate::root::Root;
use crate::site::reading::acknowledgement_fresh;
use crate::site::{PageId, Site};

/// What was asked: who read which documents (ids or paths from the root), and when.
pub struct Request<'a> {
    pub person: &'a str,
    pub documents: &'a [String],
    pub date: Day,
}

/// What was done.
#[derive(Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The file written, relative to the root.
    pub file: PathBuf,
    /// The records added, as written.
    pub added: Vec<String>,
    /// The documents already acknowledged so (in their version in force, or on that date).
    pub already: Vec<String>,
}

/// Why nothing was recorded.
#[derive(Debug, thiserror::Error)]
pub enum AcknowledgeError {
    #[error("`{0}` is not in the team data{1}")]
    UnknownPerson(String, String),
    #[error("`{0}` is no document of the handbook (an id, or a path from the root){1}")]
    UnknownDocument(String, String),
    #[error("{0}: `acknowledgements:` is written in flow style (`[...]`); write it as a list of `- ` items, and run this again")]
    FlowList(PathBuf),
    #[error("{0}: the records cannot be appended without changing how the file reads ({1}); add them by hand:\n{2}")]
    WouldChange(PathBuf, String, String),
    #[error("{0} is in the future: record a reading once it is done")]
    Future(Day),
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Appends the records `request` asks for to the acknowledgements file of the handbook at
/// `root` (the file that holds records already, else `acknowledgements.yaml` in the data
/// folder, or the one data file `data:` names), each of a document's version in force.
pub fn acknowledge(
    root: &Path,
    site: &Site,
    request: &Request,
) -> Result<Recorded, AcknowledgeError> {
    let team = &site.team;
    if team.person(request.person).is_none() {
        let ids = team.people.iter().map(|p| p.id.as_str());
        let hint = crate::suggest::closest(request.person, ids)
            .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
        return Err(AcknowledgeError::UnknownPerson(request.person.into(), hint));
    }
    if request.date > Day::today() {
        return Err(AcknowledgeError::Future(request.date));
    }
    let mut pages: Vec<(PageId, &str)> = Vec::new();
    for name in request.documents {
        let Some(page) = site.document_named(name.trim()) else {
            let names = (site.pages.iter())
                .filter_map(|p| p.doc.as_ref()?.front.id.as_ref())
                .map(|i| i.value.as_str());
            let hint = crate::suggest::closest(name, names)
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            return Err(AcknowledgeError::UnknownDocument(name.clone(), hint));
        };
        pages.push((page, name.trim()));
    }
    let file = match team.acknowledgements.first() {
        Some(a) => a.source.file.clone(),
        None if root.join(&site.config.data_dir).is_file() => site.config.data_dir.clone(),
        None => site.config.data_dir.join("acknowledgements.yaml"),
    };
    let mut out = Recorded {
        file: file.clone(),
        added: Vec::new(),
        already: Vec::new(),
    };
    let record_page = &site.reading().ack_page;
    let mut seen: Vec<PageId> = Vec::new();
    for (page, name) in pages {
        let doc = site.pages[page].doc.as_ref().expect("a document");
        let version = doc.front.version.as_deref().map(str::trim);
        // Already acknowledged: a record of the text in force that still counts on the day
        // (one that has lapsed under `reacknowledge_every` is renewed by a new record).
        let known = team.acknowledgements.iter().enumerate().any(|(i, a)| {
            a.person == request.person
                && record_page[i] == Some(page)
                && a.date.is_some_and(|d| d <= request.date)
                && site.acknowledges_text_in_force(page, a)
                && acknowledgement_fresh(site.config.reacknowledge_every, a, request.date)
        });
        let label = doc.front.id.as_ref().map_or(name, |i| i.value.as_str());
        // The same document named twice on the command line (however spelt) is one record.
        if seen.contains(&page) {
            continue;
        }
        seen.push(page);
        if known {
            out.already.push(label.to_string());
            continue;
        }
        let document = scalar(label);
        let mut record = format!("{{person: {}, document: {document}", scalar(request.person));
        if let Some(v) = version {
            record.push_str(&format!(", version: {}", crate::yaml::quoted(v)));
        }
        record.push_str(&format!(", date: {}}}", request.date));
        out.added.push(record);
    }
    if out.added.is_empty() {
        return Ok(out);
    }
    let boundary = Root::new(root).map_err(|source| AcknowledgeError::Write {
        path: file.clone(),
        source,
    })?;
    let write_err = |source| AcknowledgeError::Write {
        path: file.clone(),
        source,
    };
    match boundary.read(&file) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| write_err(std::io::Error::other("the file is not valid UTF-8")))?;
            let new = append_records(&text, &out.added)
                .ok_or_else(|| AcknowledgeError::FlowList(file.clone()))?;
            reads_as_before_and_more(&file, &text, &new, &out.added)?;
            // Written where it is, never through a symlink (the loader reads none that leads
            // out, nor to a hidden file), nor over a file made read-only.
            let path = root.join(&file);
            let link = std::fs::symlink_metadata(&path).map_err(write_err)?;
            if link.file_type().is_symlink() {
                return Err(write_err(std::io::Error::other(
                    "it is a symlink; write the record in the file it leads to",
                )));
            }
            if link.permissions().readonly() {
                return Err(write_err(std::io::Error::other("the file is read-only")));
            }
            crate::output::replace_file(&path, new.as_bytes()).map_err(write_err)?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let new = append_records("", &out.added).expect("a new file has no flow list");
            boundary
                .create_new(&file, new.as_bytes())
                .map_err(write_err)?;
        }
        Err(e) => return Err(write_err(e)),
    }
    Ok(out)
}

/// Refuses a new text of a data file unless it reads as the old one did plus `added` records:
/// the same findings, and that many more acknowledgements. Appending works on lines; this
/// makes sure no file it does not understand (a key quoted or after a byte-order mark, a
/// mapping where a list was expected) is turned into one that reads otherwise.
fn reads_as_before_and_more(
    file: &Path,
    old: &str,
    new: &str,
    records: &[String],
) -> Result<(), AcknowledgeError> {
    let added = records.len();
    let read = |text: &str| {
        let mut data = crate::team::TeamData::default();
        let mut diags = Vec::new();
        data.add_file(file, text, crate::team::is_people_file(file), &mut diags);
        (data.acknowledgements.len(), diags)
    };
    let (before, old_findings) = read(old);
    let (after, new_findings) = read(new);
    if after == before + added && new_findings.len() <= old_findings.len() {
        return Ok(());
    }
    let why = match new_findings
        .iter()
        .find(|d| !old_findings.iter().any(|o| o.message == d.message))
    {
        Some(d) => format!("it would read: {}", d.message),
        None => format!("{after} records would read, not {}", before + added),
    };
    let lines: Vec<String> = records.iter().map(|r| format!("  - {r}")).collect();
    Err(AcknowledgeError::WouldChange(
        file.to_path_buf(),
        why,
        lines.join("\n"),
    ))
}

/// `s` as a YAML scalar in a flow mapping: plain when it reads back as the same string (an id,
/// a path), else quoted (a version `3` stays the string `"3"`).
fn scalar(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    match plain {
        true => s.to_string(),
        false => crate::yaml::quoted(s),
    }
}

/// `text` with `records` appended to its top-level `acknowledgements:` list (added at its end
/// when it has none), everything else as it was; `None` when the list is written in flow
/// style with items (`[{...}]`), which cannot be appended to without rewriting it.
pub fn append_records(text: &str, records: &[String]) -> Option<String> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // The key at the top level, however written (quoted, after a byte-order mark).
    fn after_key(line: &str) -> Option<&str> {
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        [
            "acknowledgements:",
            "\"acknowledgements\":",
            "'acknowledgements':",
        ]
        .iter()
        .find_map(|k| line.strip_prefix(k))
    }
    let key = lines.iter().position(|l| {
        after_key(l).is_some_and(|rest| {
            rest.trim().is_empty() || rest.trim() == "[]" || rest.trim_start().starts_with('#')
        })
    });
    let Some(key) = key else {
        if lines.iter().any(|l| after_key(l).is_some()) {
            return None;
        }
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str(&format!("acknowledgements:{eol}"));
        for r in records {
            out.push_str(&format!("  - {r}{eol}"));
        }
        return Some(out);
    };
    // The list's lines: indented ones, items at the key's column, blanks and comments; it ends
    // at its last line that is not blank or a comment.
    let mut last = key;
    let mut indent: Option<String> = None;
    for (i, line) in lines.iter().enumerate().skip(key + 1) {
        let body = line.trim_start_matches(' ');
        let blank = body.trim().is_empty() || body.starts_with('#');
        let within = line.starts_with(' ') || line.starts_with("- ") || line.trim_end() == "-";
        if blank {
            continue;
        }
        if !within {
            break;
        }
        if indent.is_none() && body.starts_with('-') {
            indent = Some(line[..line.len() - body.len()].to_string());
        }
        last = i;
    }
    let indent = indent.unwrap_or_else(|| "  ".into());
    let mut out = String::with_capacity(text.len() + records.len() * 80);
    for (i, line) in lines.iter().enumerate() {
        if i == key && line.trim_end().ends_with("[]") {
            // `acknowledgements: []`, empty: the key alone, the items under it.
            let key = line.trim_end();
            out.push_str(key[..key.len() - 2].trim_end());
            out.push_str(eol);
        } else {
            out.push_str(line);
        }
        if i == last {
            if !line.ends_with('\n') {
                out.push_str(eol);
            }
            for r in records {
                out.push_str(&format!("{indent}- {r}{eol}"));
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::append_records;

    #[test]
    fn records_go_at_the_end_of_the_list_and_nothing_else_moves() {
        let r = vec!["{person: dana, document: POL-001, date: 2026-12-05}".to_string()];
        let text = "# Who read what.\nacknowledgements:   # oldest first\n    - {person: eli, document: POL-001, date: 2026-01-02}\n    # eli again\n    - person: eli\n      document: x\n\nroles: []\n";
        let out = append_records(text, &r).unwrap();
        assert_eq!(
            out,
            "# Who read what.\nacknowledgements:   # oldest first\n    - {person: eli, document: POL-001, date: 2026-01-02}\n    # eli again\n    - person: eli\n      document: x\n    - {person: dana, document: POL-001, date: 2026-12-05}\n\nroles: []\n"
        );
        assert_eq!(
            append_records("people: []", &r).unwrap(),
            format!("people: []\nacknowledgements:\n  - {}\n", r[0])
        );
        assert_eq!(
            append_records("acknowledgements: []\r\n", &r).unwrap(),
            format!("acknowledgements:\r\n  - {}\r\n", r[0])
        );
        assert_eq!(
            append_records("acknowledgements: [{person: a}]\n", &r),
            None
        );
        assert_eq!(
            append_records("\u{feff}\"acknowledgements\": []\n", &r).unwrap(),
            format!("\u{feff}\"acknowledgements\":\n  - {}\n", r[0])
        );
        let top = "acknowledgements:\n- {person: eli}\n";
        assert_eq!(
            append_records(top, &r).unwrap(),
            format!("{top}- {}\n", r[0])
        );
    }
}
