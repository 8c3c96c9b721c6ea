//! The one way handbook runs git: history for the review panel and `changed-since-review`
//! ([`crate::history`]), the repository's top for `codeowners`.

use std::path::Path;
use std::process::{Command, Stdio};

/// Variables by which a caller's environment points git at a repository or an index. A git
/// hook sets some of them for the repository it runs in (`GIT_DIR=.git`, relative to somewhere
/// else): the repository that matters is always the one around the handbook root.
const REPOSITORY_VARIABLES: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
];

/// `git -C ROOT` ready for its arguments: the repository around `root` whatever the
/// environment says, no prompt, no optional locks, no lazy fetch of a partial clone's missing
/// objects (one by one: history is not worth that), no file-system monitor hook, messages
/// untranslated, standard input closed.
pub fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(root)
        .args(["-c", "core.fsmonitor=false"])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    for var in REPOSITORY_VARIABLES {
        cmd.env_remove(var);
    }
    cmd
}
