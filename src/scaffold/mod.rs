//! `handbook init` and `handbook new`: starting a handbook and a document.
//!
//! Neither ever overwrites a file, and neither writes or reads outside the handbook: every
//! file is created and read through [`Root`], which refuses `..`, absolute paths and symlinks
//! that lead out of the root. `handbook init --from`, which fits a handbook.yaml to a folder
//! written for another tool, is [`adopt`].

pub mod acknowledge;
pub mod adopt;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::dates::Day;
use crate::model::Kind;
use crate::root::Root;
use crate::site::url::slug_segment;

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} already exists; it is left as it is")]
    Exists(PathBuf),
    #[error("cannot write {path}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("archetype {path}: {message}")]
    Archetype { path: PathBuf, message: String },
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    #[error("{what} {path} is not a folder inside the content folder (no `..`, not absolute)")]
    Folder { what: &'static str, path: PathBuf },
}

/// Creates `rel` under `root` with `text`, refusing to replace an existing file or to leave
/// the root.
fn create_new(root: &Root, rel: &Path, text: &str) -> Result<PathBuf, ScaffoldError> {
    let path = root.path().join(rel);
    root.create_new(rel, text.as_bytes())
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.clone()),
            _ => ScaffoldError::Io { path, source },
        })
}

/// The root at `dir`, which must exist.
fn root_at(dir: &Path) -> Result<Root, ScaffoldError> {
    Root::new(dir).map_err(|source| ScaffoldError::Io {
        path: dir.into(),
        source,
    })
}

/// What `init` did with each starter file.
#[derive(Debug)]
pub struct InitReport {
    pub written: Vec<PathBuf>,
    pub kept: Vec<PathBuf>,
}

/// Writes a small starter handbook into `dir`, keeping any file that already exists.
pub fn init(dir: &Path, today: Day) -> Result<InitReport, ScaffoldError> {
    let files: [(&str, String); 5] = [
        ("handbook.yaml", INIT_CONFIG.to_string()),
        ("content/_index.md", INIT_HOME.to_string()),
        ("content/sops/_index.md", INIT_SOPS.to_string()),
        (
            "content/sops/example-procedure.md",
            INIT_SOP.replace("TODAY", &today.to_string()),
        ),
        (
            "data/team.yaml",
            INIT_TEAM.replace("TODAY", &today.to_string()),
        ),
    ];
    let mut report = InitReport {
        written: Vec::new(),
        kept: Vec::new(),
    };
    // The folder is the operator's choice; what goes in it stays in it.
    std::fs::create_dir_all(dir).map_err(|source| ScaffoldError::Io {
        path: dir.into(),
        source,
    })?;
    let root = root_at(dir)?;
    for (rel, text) in files {
        match create_new(&root, Path::new(rel), &text) {
            Ok(path) => report.written.push(path),
            Err(ScaffoldError::Exists(p)) => report.kept.push(p),
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}

/// The folder, under content/, where new documents of a kind go.
pub fn default_folder(kind: Kind) -> &'static str {
    match kind {
        Kind::Sop => "sops",
        Kind::Policy => "policies",
        Kind::Guide => "guides",
        Kind::Runbook => "runbooks",
        Kind::Checklist => "checklists",
        Kind::Role => "roles",
        Kind::Page => "",
    }
}

/// Document-number prefix of a governed kind.
fn id_prefix(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Sop => Some("SOP"),
        Kind::Policy => Some("POL"),
        Kind::Runbook => Some("RB"),
        Kind::Checklist => Some("CL"),
        _ => None,
    }
}

/// The next free number for `prefix` among `ids` (`SOP-014` after `SOP-013`).
pub fn next_id<'a>(prefix: &str, ids: impl IntoIterator<Item = &'a str>) -> String {
    let max = ids
        .into_iter()
        .filter_map(|id| {
            id.strip_prefix(prefix)?
                .strip_prefix('-')?
                .parse::<u32>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    format!("{prefix}-{:03}", max + 1)
}

/// A request for `handbook new`.
pub struct NewDocument<'a> {
    pub kind: Kind,
    pub title: &'a str,
    pub owner: Option<&'a str>,
    /// Folder under content/; the kind's default when `None`.
    pub folder: Option<&'a str>,
    pub today: Day,
}

/// Writes a new document from its kind's archetype and returns its path.
pub fn new_document(root: &Path, req: &NewDocument) -> Result<PathBuf, ScaffoldError> {
    let config = Config::load(root)?;
    let handbook = root_at(root)?;
    let folder = req.folder.unwrap_or(default_folder(req.kind));
    // `--dir` is a folder inside the content folder: `/etc` or `../x` would write elsewhere.
    let plain = |p: &Path| {
        p.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
    };
    if !plain(Path::new(folder)) {
        return Err(ScaffoldError::Folder {
            what: "--dir",
            path: folder.into(),
        });
    }
    let slug = slug_segment(req.title);
    let mut rel = config.content_dir.clone();
    if !folder.is_empty() {
        rel.push(folder);
    }
    rel.push(format!("{slug}.md"));

    let id = match id_prefix(req.kind) {
        Some(prefix) => {
            let loaded = crate::load::load(root, &config, &[]).ok();
            let ids: Vec<String> = loaded
                .iter()
                .flat_map(|l| l.documents.iter())
                .filter_map(|d| d.front.id.as_ref().map(|s| s.value.clone()))
                .collect();
            Some(next_id(prefix, ids.iter().map(String::as_str)))
        }
        None => None,
    };
    let archetype = Path::new("archetypes").join(format!("{}.md", req.kind));
    let (template, origin) = match handbook.read_text(&archetype) {
        Some(t) => (t, root.join(&archetype)),
        None => (
            builtin_archetype(req.kind).to_string(),
            PathBuf::from("(built-in archetype)"),
        ),
    };
    let mut ctx = tera::Context::new();
    ctx.insert("title", req.title);
    ctx.insert("kind", req.kind.as_str());
    ctx.insert("owner", &req.owner.unwrap_or(""));
    ctx.insert("date", &req.today.to_string());
    ctx.insert("id", &id.unwrap_or_default());
    ctx.insert("slug", &slug);
    let text = crate::render::tera_without_env()
        .render_str(&template, &ctx)
        .map_err(|e| ScaffoldError::Archetype {
            path: origin,
            message: e.source().map_or(e.to_string(), |s| s.to_string()),
        })?;
    create_new(&handbook, &rel, &text)
}

use std::error::Error as _;

/// The built-in archetype of each kind: front matter filled in, the kind's headings in place.
pub fn builtin_archetype(kind: Kind) -> &'static str {
    match kind {
        Kind::Sop => ARCH_SOP,
        Kind::Policy => ARCH_POLICY,
        Kind::Runbook => ARCH_RUNBOOK,
        Kind::Checklist => ARCH_CHECKLIST,
        Kind::Role => ARCH_ROLE,
        Kind::Guide | Kind::Page => ARCH_GUIDE,
    }
}

const ARCH_SOP: &str = "---
title: \"{{ title }}\"
kind: {{ kind }}
id: {{ id }}
version: \"0.1\"
owner: {{ owner }}
approver:
reviewers: []
status: draft
last_reviewed: {{ date }}
review_every: 1 year
effective:
tags: []
---

## Purpose

Why this procedure exists and what goes wrong without it.

## Scope

Which systems, teams and situations it covers, and which it does not.

## Procedure

### 1. First step

What to do, who does it, and how to tell it worked.

## Records

What evidence is kept, and where.
";

const ARCH_POLICY: &str = "---
title: \"{{ title }}\"
kind: policy
id: {{ id }}
version: \"0.1\"
owner: {{ owner }}
approver:
status: draft
last_reviewed: {{ date }}
review_every: 1 year
effective:
tags: []
---

## Purpose

## Scope

## Policy

## Exceptions

How to request an exception, and who approves it.
";

const ARCH_RUNBOOK: &str = "---
title: \"{{ title }}\"
kind: runbook
id: {{ id }}
version: \"0.1\"
owner: {{ owner }}
approver:
status: draft
last_reviewed: {{ date }}
review_every: 6 months
tags: []
---

## Symptoms

## Diagnosis

## Resolution

## Escalation
";

const ARCH_CHECKLIST: &str = "---
title: \"{{ title }}\"
kind: checklist
id: {{ id }}
version: \"0.1\"
owner: {{ owner }}
approver:
status: draft
last_reviewed: {{ date }}
review_every: 1 year
tags: []
---

## Checklist

- [ ] First item
";

const ARCH_ROLE: &str = "---
title: \"{{ title }}\"
kind: role
role: {{ slug }}
owner: {{ owner }}
last_reviewed: {{ date }}
review_every: 1 year
---

## Mission

## How the role works

## How success is measured
";

const ARCH_GUIDE: &str = "---
title: \"{{ title }}\"
kind: {{ kind }}
owner: {{ owner }}
last_reviewed: {{ date }}
review_every: 1 year
tags: []
---

Introduce the topic here.
";

const INIT_CONFIG: &str = "# Settings of this handbook; every key is optional.
title: Team Handbook
# base_url: https://intranet.example.com/handbook/
# edit_url: https://git.example.com/team/handbook/edit/main/
default_review:
  sop: 1 year
  policy: 1 year
due_soon: 30 days
";

const INIT_HOME: &str = "---
title: Team Handbook
---

How this team works: our standard operating procedures, policies and guides.
";

const INIT_SOPS: &str = "---
title: Standard operating procedures
order: 1
description: Step-by-step procedures for recurring work.
---
";

const INIT_SOP: &str = "---
title: Example procedure
kind: sop
id: SOP-001
version: \"1.0\"
owner: alex
approver: sam
status: active
last_reviewed: TODAY
review_every: 1 year
tags: [example]
---

## Purpose

Shows how a procedure is written. Replace it with your first real one.

## Scope

Everyone on the team.

## Procedure

1. Write the steps.
2. Ask the approver to review them.
";

const INIT_TEAM: &str = "people:
  - id: alex
    name: Alex Example
    email: alex@example.com
    role: manager
    team: ops
    joined: TODAY
  - id: sam
    name: Sam Example
    email: sam@example.com
    role: manager
    team: ops
    joined: TODAY
teams:
  - id: ops
    name: Operations
    lead: alex
roles:
  - id: manager
    title: Manager
    responsibilities:
      - Keep the procedures current
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_ids() {
        assert_eq!(
            next_id("SOP", ["SOP-001", "SOP-013", "POL-020", "SOP-x"]),
            "SOP-014"
        );
        assert_eq!(next_id("RB", []), "RB-001");
    }

    #[test]
    fn archetypes_render() {
        for kind in Kind::ALL {
            let mut ctx = tera::Context::new();
            for k in ["title", "kind", "owner", "date", "id", "slug"] {
                ctx.insert(k, "x");
            }
            tera::Tera::one_off(builtin_archetype(kind), &ctx, false).unwrap();
        }
    }
}
