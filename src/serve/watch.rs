//! The watcher: a thread that turns bursts of file events into one rebuild each and publishes
//! every build.
//!
//! Folders, not files, are watched (atomic saves replace files): the root itself, the folders
//! the configuration names and every folder between (see [`Sources::folders`]). A watched
//! folder that is removed, renamed away or replaced (a `git checkout` that swaps directories)
//! loses its watch, and notify does not watch it again when it comes back: after each burst the
//! watches are made to match the folders as they are now (a folder whose identity changed, or
//! that an event says was moved, is watched afresh), before the build reads them. A change of
//! handbook.yaml reads the configuration again, so the watched folders follow it. Only changes
//! that can change the site rebuild ([`Sources::relevant`]), and never a write to serve's own
//! output (`handbook serve > serve.log` inside the content folder). A burst ends after 60 ms of
//! quiet, or 10 ms once it is one editor's save, finished (one file that was there, closed
//! after writing or renamed into place), so that a save reaches the browser without waiting
//! out the rest; a burst of several files or of new ones (a checkout) waits the full quiet.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::http::Shared;
use super::routes::Snapshot;
use super::session::{print_build, Session};
use super::sources::Sources;
use crate::config::Config;
use crate::errln;

/// Quiet time that ends a burst, and the longest a burst may delay a rebuild.
const SETTLE: Duration = Duration::from_millis(60);
/// Quiet time that ends a burst whose last event finished a save: a file closed after writing
/// or renamed into place (an editor's save ends so), when no more is likely to follow.
const SAVED: Duration = Duration::from_millis(10);
const LONGEST: Duration = Duration::from_secs(2);
/// Quiet time after in-place edits before the search index is built again.
const SEARCH_QUIET: Duration = Duration::from_millis(500);

/// Which file or folder a path is (device and inode): a folder removed and made again, or
/// another renamed into its place, is another folder to watch.
type FileId = (u64, u64);

/// The watcher, its events, and the folders it watches.
pub struct Watch {
    watcher: RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    /// Canonical: events name absolute paths under it.
    root: PathBuf,
    /// What the build reads, from the configuration last read successfully.
    sources: Sources,
    /// The folders watched, each with whether whole and which folder it was.
    watched: HashMap<PathBuf, (bool, FileId)>,
    /// Watched folders that an event says were removed, moved or replaced since.
    dirty: HashSet<PathBuf>,
    /// serve's own standard output and error, when they are files.
    own_output: Vec<FileId>,
}

/// The changes of one burst.
#[derive(Default)]
struct Burst {
    changed: Vec<PathBuf>,
    /// handbook.yaml changed, or events were lost: read the configuration again.
    reconfigure: bool,
    /// The last event of the burst that can change the site finished a save, and no other
    /// file of the burst is still being written.
    saved: bool,
    /// Files written to and not yet closed (a tool that writes several files, or one in
    /// several steps, is waited for).
    writing: HashSet<PathBuf>,
    /// Every file the burst touched, and whether it made one: only the save of one file that
    /// was there (an editor's) ends a burst early; a `git checkout` may pause between files.
    touched: HashSet<PathBuf>,
    created: bool,
}

impl Burst {
    /// Notes what an event that can change the site did to `path`, which its `index`-th path.
    fn note(&mut self, kind: &EventKind, index: usize, path: &Path) {
        use notify::event::{CreateKind, DataChange};
        let done = match kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            // Renamed into place; a file renamed away (`x.md` to `x.md~`, an editor's backup
            // before it writes the new one) finishes nothing.
            EventKind::Modify(ModifyKind::Name(RenameMode::To)) => true,
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => index == 1,
            _ => false,
        };
        let writes = matches!(
            kind,
            EventKind::Create(CreateKind::File | CreateKind::Any)
                | EventKind::Modify(
                    ModifyKind::Data(DataChange::Any | DataChange::Content | DataChange::Size)
                        | ModifyKind::Any
                )
        );
        if writes {
            self.writing.insert(path.to_path_buf());
        } else if done || matches!(kind, EventKind::Remove(_)) {
            self.writing.remove(path);
        }
        self.created |= matches!(kind, EventKind::Create(_));
        self.touched.insert(path.to_path_buf());
        self.saved = done && self.writing.is_empty() && !self.created && self.touched.len() == 1;
    }
}

impl Watch {
    /// Watches the handbook at `root`; fails when a folder that exists cannot be watched.
    pub fn begin(root: &Path) -> notify::Result<Watch> {
        let (tx, events) = mpsc::channel();
        let watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        let root = root.canonicalize()?;
        let config = Config::load(&root).unwrap_or_default();
        let mut watch = Watch {
            watcher,
            events,
            sources: Sources::new(&root, &config),
            root,
            watched: HashMap::new(),
            dirty: HashSet::new(),
            own_output: own_output(),
        };
        match watch.resync().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(watch),
        }
    }

    /// Makes the watches match the folders to watch as they are now: lets go of those no
    /// longer wanted, gone, replaced or possibly replaced, and watches those that exist and are
    /// not watched (parents first). Returns what could not be watched.
    fn resync(&mut self) -> Vec<notify::Error> {
        let wanted = self.sources.folders();
        let stale: Vec<PathBuf> = (self.watched.iter())
            .filter(|(path, &(whole, id))| {
                self.dirty.contains(*path)
                    || !wanted.iter().any(|(p, w)| p == *path && *w == whole)
                    || folder_id(path) != Some(id)
            })
            .map(|(path, _)| path.clone())
            .collect();
        for path in stale {
            self.watched.remove(&path);
            // notify may have dropped it already (a removal it saw): nothing to undo then.
            let _ = self.watcher.unwatch(&path);
        }
        self.dirty.clear();
        let mut errors = Vec::new();
        for (path, whole) in wanted {
            if self.watched.contains_key(&path) {
                continue;
            }
            let Some(id) = folder_id(&path) else {
                continue;
            };
            let mode = match whole {
                true => RecursiveMode::Recursive,
                false => RecursiveMode::NonRecursive,
            };
            match self.watcher.watch(&path, mode) {
                Ok(()) => {
                    self.watched.insert(path, (whole, id));
                }
                // Gone again since: its return will be an event of its parent's.
                Err(e) if matches!(e.kind, notify::ErrorKind::PathNotFound) => {}
                Err(e) => errors.push(e),
            }
        }
        errors
    }

    /// Watches the files the pages include from outside the watched folders (a listing, a
    /// snippet), as the last build found them.
    fn follow_includes(&mut self, session: &Session) {
        self.sources.set_included(&session.included_files());
        for e in self.resync() {
            errln!("warning: cannot watch a folder: {e}");
        }
    }

    /// Rebuilds on each burst of changes and publishes every build, until the process ends.
    pub fn run(mut self, mut session: Session, shared: Arc<Shared>) {
        std::thread::spawn(move || {
            let mut number = 1;
            self.follow_includes(&session);
            // When the search index, older than the pages after in-place edits, is due
            // to be built again: a quiet moment after the last of them.
            let mut search_due: Option<Instant> = None;
            loop {
                let event = if let Some(due) = search_due {
                    let wait = due.saturating_duration_since(Instant::now());
                    match self.events.recv_timeout(wait) {
                        Ok(event) => event,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            search_due = None;
                            let refreshed =
                                catch_unwind(AssertUnwindSafe(|| session.refresh_search()));
                            match refreshed {
                                Ok(true) => shared.swap_search(session.files()),
                                Ok(false) => {}
                                Err(_) => errln!(
                                    "error: the search index failed to build (the last one \
                                     stays served)"
                                ),
                            }
                            continue;
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                } else {
                    match self.events.recv() {
                        Ok(event) => event,
                        Err(_) => return,
                    }
                };
                let mut burst = Burst::default();
                self.take(event, &mut burst);
                if burst.changed.is_empty() {
                    continue;
                }
                let first = Instant::now();
                while first.elapsed() < LONGEST {
                    let quiet = if burst.saved { SAVED } else { SETTLE };
                    match self.events.recv_timeout(quiet) {
                        Ok(e) => self.take(e, &mut burst),
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
                let mut changed = burst.changed;
                changed.sort();
                changed.dedup();
                if burst.reconfigure {
                    // An invalid handbook.yaml keeps the folders of the last valid one: the
                    // build fails and says why.
                    if let Ok(config) = Config::load(&self.root) {
                        self.sources = Sources::new(&self.root, &config);
                    }
                }
                // Before the build: what it reads is then either read by it or seen changing.
                for e in self.resync() {
                    errln!("warning: cannot watch a folder: {e}");
                }
                let started = Instant::now();
                // A bug must not end the watching: the old site stays served and the next
                // change brings a full build.
                let result = catch_unwind(AssertUnwindSafe(|| session.update(&changed)))
                    .unwrap_or_else(|_| {
                        Err(crate::Error::Serve("the build failed unexpectedly".into()))
                    });
                match result {
                    Ok(in_place) => {
                        number += 1;
                        self.follow_includes(&session);
                        let took = started.elapsed();
                        // The browser first; the terminal (every error, maybe thousands) after.
                        shared.publish(session.snapshot(number));
                        print_build(
                            session.diagnostics(),
                            number,
                            took,
                            in_place,
                            &changed,
                            &self.root,
                        );
                        // After an in-place edit the search index follows, in the same
                        // build, once the edits pause: on a large handbook it takes longer
                        // than the pages. (A save that lands while it is built waits; a
                        // page that loaded part of the old index may load the rest from the
                        // new one.)
                        search_due = in_place.then(|| Instant::now() + SEARCH_QUIET);
                    }
                    Err(e) => {
                        // The last good build's index stays: the session has no model now.
                        search_due = None;
                        errln!(
                            "error: {} (still serving build {number})",
                            crate::terminal::chain(&e)
                        );
                        // The same build number: pages show the failure without reloading.
                        let last = shared.current();
                        shared.publish(Snapshot {
                            build: number,
                            files: last.files.clone(),
                            errors: last.errors.clone(),
                            failure: Some(e.to_string()),
                        });
                    }
                }
            }
        });
    }

    /// Adds the paths of `event` that can change the site to the burst, and marks the watched
    /// folders it may have removed or replaced. An error, or the watcher's word that events
    /// were lost, stands for a change of everything: the configuration read again, every
    /// folder watched afresh, a full build.
    fn take(&mut self, event: notify::Result<notify::Event>, burst: &mut Burst) {
        let event = match event {
            Ok(e) if !e.need_rescan() && !matches!(e.kind, EventKind::Other) => e,
            _ => {
                self.dirty.extend(self.watched.keys().cloned());
                burst.reconfigure = true;
                burst.changed.push(self.root.clone());
                return;
            }
        };
        if !changes(&event.kind) {
            return;
        }
        let moves = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        for (index, path) in event.paths.into_iter().enumerate() {
            if moves {
                let below = self.watched.keys().filter(|w| w.starts_with(&path));
                self.dirty.extend(below.cloned());
            }
            if self.sources.is_config(&path) {
                burst.reconfigure = true;
            }
            if self.sources.relevant(&path) && !self.is_own_output(&path) {
                burst.note(&event.kind, index, &path);
                burst.changed.push(path);
            }
        }
    }

    /// Whether `path` is serve's own output: a write to it must not start a build, which
    /// writes to it (`handbook serve > serve.log` with the content folder at the root).
    fn is_own_output(&self, path: &Path) -> bool {
        !self.own_output.is_empty()
            && std::fs::metadata(path).is_ok_and(|m| self.own_output.contains(&file_id(&m)))
    }
}

/// Writes, creations, removals and renames; not reads (the build's own, which would rebuild
/// forever) nor metadata such as access times.
fn changes(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(m) => !matches!(m, ModifyKind::Metadata(_)),
        // A file closed after writing (opened to be truncated, maybe not written again).
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        _ => false,
    }
}

/// Which folder is at `path`, if one is.
fn folder_id(path: &Path) -> Option<FileId> {
    std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_dir())
        .map(|m| file_id(&m))
}

#[cfg(unix)]
fn file_id(m: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> FileId {
    (0, 0)
}

/// serve's standard output and error, those that are files.
#[cfg(unix)]
fn own_output() -> Vec<FileId> {
    use std::os::fd::AsFd;
    [
        std::io::stdout().as_fd().try_clone_to_owned(),
        std::io::stderr().as_fd().try_clone_to_owned(),
    ]
    .into_iter()
    .filter_map(Result::ok)
    .filter_map(|fd| std::fs::File::from(fd).metadata().ok())
    .filter(|m| m.is_file())
    .map(|m| file_id(&m))
    .collect()
}

#[cfg(not(unix))]
fn own_output() -> Vec<FileId> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange};

    fn saved_after(events: &[(EventKind, usize, &str)]) -> bool {
        let mut burst = Burst::default();
        for (kind, index, path) in events {
            burst.note(kind, *index, Path::new(path));
        }
        burst.saved
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));
    const CREATE: EventKind = EventKind::Create(CreateKind::File);
    const RENAMED: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::Both));

    /// A save ends a burst early only when it is finished: the one file written is closed
    /// (or renamed into place), and the last event finished it.
    #[test]
    fn a_burst_is_saved_once_its_one_file_is_closed() {
        assert!(saved_after(&[(WRITE, 0, "x.md"), (CLOSE, 0, "x.md")]));
        assert!(!saved_after(&[(WRITE, 0, "x.md")]));
        // Two files (a checkout, a formatter): the full quiet, however they were closed.
        assert!(!saved_after(&[
            (WRITE, 0, "a.md"),
            (WRITE, 0, "b.md"),
            (CLOSE, 0, "a.md")
        ]));
        assert!(!saved_after(&[
            (WRITE, 0, "a.md"),
            (CLOSE, 0, "a.md"),
            (WRITE, 0, "b.md"),
            (CLOSE, 0, "b.md")
        ]));
        // An atomic save: a temporary (not watched) renamed over the file.
        assert!(saved_after(&[(RENAMED, 1, "x.md")]));
        assert!(saved_after(&[(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            0,
            "x.md"
        )]));
        // An editor that first renames the file away (its backup): the rename finishes
        // nothing; the file made anew waits the full quiet, as every new file does (a
        // checkout making files may pause between them).
        assert!(!saved_after(&[(RENAMED, 0, "x.md")]));
        assert!(!saved_after(&[
            (RENAMED, 0, "x.md"),
            (CREATE, 0, "x.md"),
            (WRITE, 0, "x.md"),
            (CLOSE, 0, "x.md")
        ]));
    }
}
