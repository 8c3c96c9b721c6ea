//! Output: writing the site so that a failed or killed build never damages the previous one.
//!
//! The site is written into a staging folder beside the output folder and swapped in only when
//! complete (on Linux in one step, exchanging the two folders); dropping an uncommitted
//! [`Staging`] removes it. One build at a time writes into an output folder ([`OutputLock`]),
//! and each removes the staging folders of killed builds ([`remove_leftovers`]). We only ever
//! delete what we made: an existing output folder is replaced only if an earlier build marked
//! it as ours, a leftover only if it is named and marked as ours and its builder is gone, and
//! every path written is checked to stay inside the staging folder.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Marks a folder as written by handbook, so a later build may replace it.
pub const MARKER: &str = ".handbook-site";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write the site to {path}: {why}")]
    Refused { path: PathBuf, why: String },
    /// Another build held the output's lock for longer than the wait.
    #[error("another handbook build is writing to {path} (it holds {lock}); gave up after waiting {waited} s for it to finish")]
    Busy {
        path: PathBuf,
        lock: PathBuf,
        waited: u64,
    },
    /// The cause is said in the message, and so not also chained as a source, which would
    /// print it twice (`File exists: File exists`).
    #[error("{what} {path}: {cause}")]
    Io {
        what: &'static str,
        path: PathBuf,
        cause: io::Error,
    },
}

fn io_err<'p>(what: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> OutputError + 'p {
    move |cause| OutputError::Io {
        what,
        path: path.to_path_buf(),
        cause,
    }
}

/// Checks that `out` may be (re)placed by a build of the handbook at `root`.
///
/// Refuses the root itself, any folder that contains the root or the given protected folders
/// (content, data), a symlink, a file, and an existing non-empty folder without our marker.
pub fn check_output_dir(out: &Path, root: &Path, protected: &[PathBuf]) -> Result<(), OutputError> {
    let refuse = |why: String| {
        Err(OutputError::Refused {
            path: out.to_path_buf(),
            why,
        })
    };
    let abs_out = absolute(out);
    let canonical_root = root.canonicalize().unwrap_or_else(|_| absolute(root));
    for p in std::iter::once(&canonical_root).chain(protected) {
        let p = p.canonicalize().unwrap_or_else(|_| absolute(p));
        if p.starts_with(&abs_out) || resolved(&abs_out).is_some_and(|o| p.starts_with(o)) {
            return refuse(format!(
                "it is or contains {}, which the build reads",
                p.display()
            ));
        }
    }
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => refuse("it is a symlink".into()),
        Ok(m) if !m.is_dir() => refuse("it exists and is not a folder".into()),
        Ok(_) => {
            let mut entries = std::fs::read_dir(out).map_err(io_err("cannot read", out))?;
            if entries.next().is_some() && !out.join(MARKER).is_file() {
                return refuse(format!(
                    "it is not empty and was not written by handbook (it has no {MARKER} file); remove it or choose another --out"
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("cannot inspect", out)(e)),
    }
}

/// `path` made absolute lexically (without touching the file system), `..` resolved.
fn absolute(path: &Path) -> PathBuf {
    let base = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    crate::root::lexical(&base.join(path))
}

/// The canonical form of `path`'s nearest existing ancestor joined with the rest.
fn resolved(path: &Path) -> Option<PathBuf> {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut p = c;
            for r in rest.iter().rev() {
                p.push(r);
            }
            return Some(p);
        }
        rest.push(existing.file_name()?.to_os_string());
        existing = existing.parent()?;
    }
}

/// Where a rendered site goes: files by site path (`/`-separated, relative).
pub trait Sink: Sync {
    /// Writes the file at site path `rel`.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError>;
    /// Copies the file `from` (an asset under the root) to site path `rel`.
    fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError>;
}

/// Refuses a site path that is not plain and relative: nothing is written outside the site.
fn checked(rel: &str) -> Result<&Path, OutputError> {
    let p = Path::new(rel);
    if rel.is_empty()
        || rel.contains('\\')
        || p.components().any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(OutputError::Refused {
            path: PathBuf::from(rel),
            why: "the path is not a plain relative path inside the site".into(),
        });
    }
    Ok(p)
}

/// A site held in memory, for `serve`: files by site path.
#[derive(Debug, Default)]
pub struct MemorySite {
    files: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
}

impl MemorySite {
    /// The files written, by site path.
    pub fn into_files(self) -> std::collections::HashMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySite {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        checked(rel)?;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(rel.to_string(), bytes.to_vec());
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let bytes = std::fs::read(from).map_err(io_err("cannot read", from))?;
        self.write(rel, &bytes)
    }
}

/// How long a build waits for another build into the same output folder to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(600);

/// A folder the new site is written into before it replaces the old one.
///
/// It lives beside the output as `.NAME.handbook-tmp-PID-START-N`: the builder's process id and
/// start time (so that a later build can tell that its builder is gone even once the id is
/// reused) and a number unique in the process. While it exists the builder holds the output's
/// [`OutputLock`]; leftovers of builds that were killed are removed by the next build into the
/// same output ([`remove_leftovers`]).
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
    /// Released after the staging folder is gone or in place.
    _lock: OutputLock,
}

/// How [`Staging::commit`] put the new site in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swap {
    /// There was no previous site: one rename.
    Moved,
    /// The folders were exchanged in one step (`renameat2(RENAME_EXCHANGE)`), then the old
    /// site removed: the output path always held a complete site.
    Exchanged,
    /// The exchange is not available here: the old site was renamed aside, then the new one
    /// into place (an instant without a site at the output path).
    Renamed,
}

impl Staging {
    /// Creates a fresh staging folder beside `out` (which must have passed
    /// [`check_output_dir`]). It first takes the output's lock, waiting up to [`LOCK_WAIT`] for
    /// another build into `out` to finish, then removes what killed builds left beside `out`.
    pub fn create(out: &Path) -> Result<Staging, OutputError> {
        Staging::create_waiting(out, LOCK_WAIT)
    }

    /// [`Staging::create`], waiting at most `wait` for the lock.
    pub fn create_waiting(out: &Path, wait: Duration) -> Result<Staging, OutputError> {
        let parent = parent_of(out);
        std::fs::create_dir_all(&parent).map_err(io_err("cannot create", &parent))?;
        let lock = OutputLock::acquire(out, wait)?;
        remove_leftovers(out);
        let me = Builder::this_process();
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = parent.join(format!(
            "{}{}-{}-{n}",
            leftover_prefix(out),
            me.pid,
            me.start
        ));
        // create_dir (not _all) fails if it exists: we never write into a folder we did not make.
        std::fs::create_dir(&dir).map_err(io_err("cannot create", &dir))?;
        let staging = Staging {
            dir,
            out: out.to_path_buf(),
            committed: false,
            _lock: lock,
        };
        std::fs::write(
            staging.dir.join(MARKER),
            "This folder was written by handbook; the next build replaces it.\n",
        )
        .map_err(io_err("cannot write", &staging.dir))?;
        Ok(staging)
    }

    /// Where `rel` (a `/`-separated site path) goes, refusing anything that would leave the folder.
    fn target(&self, rel: &str) -> Result<PathBuf, OutputError> {
        Ok(self.dir.join(checked(rel)?))
    }

    /// Puts the finished site in place of the old one, then removes the old one.
    ///
    /// On Linux the two folders are exchanged in one step, so that the output path holds a
    /// complete site at every instant, whenever the build is killed. Where the exchange is
    /// missing (another OS, a kernel before 3.15, a file system that refuses it) the old site
    /// is renamed aside and the new one into its place: two renames in one folder, with an
    /// instant between them when the output path is empty; a build killed in that instant
    /// leaves the previous site complete beside it (as `.NAME.handbook-tmp-…-old`) until the
    /// next build. Either way a failure leaves the previous site in place.
    pub fn commit(self) -> Result<Swap, OutputError> {
        self.commit_with(exchange)
    }

    /// [`Staging::commit`] with the exchange given, so that tests can make it fail.
    fn commit_with(
        mut self,
        exchange: impl FnOnce(&Path, &Path) -> io::Result<()>,
    ) -> Result<Swap, OutputError> {
        let out = self.out.clone();
        if std::fs::symlink_metadata(&out).is_err() {
            // Nothing to replace: one rename, which fails rather than replace anything that
            // appeared meanwhile but an empty folder.
            std::fs::rename(&self.dir, &out).map_err(io_err("cannot move into place", &out))?;
            self.committed = true;
            return Ok(Swap::Moved);
        }
        match exchange(&self.dir, &out) {
            Ok(()) => {
                // The staging path now holds the previous site.
                self.committed = true;
                remove_ours(&self.dir)
                    .map_err(io_err("cannot remove the previous site at", &self.dir))?;
                Ok(Swap::Exchanged)
            }
            Err(e) if exchange_unsupported(&e) => self.rename_twice().map(|()| Swap::Renamed),
            // Dropping the staging folder keeps the previous site.
            Err(e) => Err(io_err("cannot swap the new site into", &out)(e)),
        }
    }

    /// The fallback of [`Staging::commit`]: the old site aside, the new one into place.
    fn rename_twice(&mut self) -> Result<(), OutputError> {
        let mut old = self.dir.clone().into_os_string();
        old.push("-old");
        let old = PathBuf::from(old);
        std::fs::rename(&self.out, &old).map_err(io_err("cannot move aside", &self.out))?;
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            // Put the previous site back.
            let _ = std::fs::rename(&old, &self.out);
            return Err(io_err("cannot move into place", &self.out)(e));
        }
        self.committed = true;
        remove_ours(&old).map_err(io_err("cannot remove the previous site at", &old))
    }
}

/// Replaces (or creates) the file `path` with `bytes` in one step: they are written to a new
/// file beside it (`.NAME.handbook-tmp-PID-N`, with the old file's permissions), flushed to
/// disk, then renamed over it, so that a reader or a crash sees the old text or the new,
/// never a part. The folder must exist.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map_or("file".into(), |n| n.to_string_lossy());
    let tmp = parent_of(path).join(format!(
        ".{name}.handbook-tmp-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        // `create_new`: never into a file (or through a symlink) that is already there.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Removes a staging or old folder of ours, its [`MARKER`] last: a build killed while removing
/// one leaves a folder that still says it is ours, or an empty one, and the next build removes
/// either ([`remove_leftovers`]); with the marker gone first, a half-removed site would be
/// left for good, as nothing unmarked is ever removed.
fn remove_ours(dir: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        // The entry's own type: a symlink is removed, never followed.
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    match std::fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(dir)
}

/// The folder `out` is in.
fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `out`'s name, as the names of the files beside it that are ours start with it.
fn out_name(out: &Path) -> String {
    out.file_name()
        .map_or("site".into(), |n| n.to_string_lossy().into_owned())
}

/// `.NAME.handbook-tmp-`: the start of the name of every staging or old folder of `out`.
fn leftover_prefix(out: &Path) -> String {
    format!(".{}.handbook-tmp-", out_name(out))
}

/// Exchanges two paths in one step: `renameat2(RENAME_EXCHANGE)`.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated strings that live across the call; relative paths
    // are taken from the current folder, as `std::fs::rename` takes them. The system call
    // itself rather than a C library's wrapper, which older ones (glibc before 2.28) lack.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// No exchange in one step here: [`Staging::commit`] falls back to two renames.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether a failed exchange means that it is not available (old kernel, a file system
/// without it), rather than that the folders cannot be moved.
fn exchange_unsupported(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(unix)]
    if let Some(code) = e.raw_os_error() {
        return [libc::EINVAL, libc::ENOSYS, libc::EOPNOTSUPP, libc::ENOTSUP].contains(&code);
    }
    false
}

/// The process that made a staging folder, as its name records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Builder {
    pid: u32,
    /// When the process started (Linux: clock ticks since boot, from `/proc/PID/stat`); 0
    /// where that is unknown.
    start: u64,
}

impl Builder {
    fn this_process() -> Builder {
        let pid = std::process::id();
        Builder {
            pid,
            start: process_start(pid).unwrap_or(0),
        }
    }

    /// Reads the builder from the part of a staging folder's name after the prefix:
    /// `PID-START-N` (`-old` after it for the previous site of the fallback swap), or
    /// `PID-NANOS` as builds before the start time was recorded named them.
    fn from_name(rest: &str) -> Option<Builder> {
        let rest = rest.strip_suffix("-old").unwrap_or(rest);
        let parts: Vec<&str> = rest.split('-').collect();
        if parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let pid = parts.first()?.parse().ok()?;
        match parts.len() {
            3 => Some(Builder {
                pid,
                start: parts[1].parse().ok()?,
            }),
            2 => Some(Builder { pid, start: 0 }),
            _ => None,
        }
    }

    /// Whether the builder may still be running. Unsure means yes: a folder is removed only
    /// when its builder is certainly gone.
    fn running(self) -> bool {
        // Not a process id (0 and negative ones name process groups to `kill`).
        if self.pid == 0 || i32::try_from(self.pid).is_err() {
            return true;
        }
        match proc_stat(self.pid) {
            // The id is in use: by our builder unless that process started at another time.
            Some(Some(stat)) => self.start == 0 || start_time(&stat) == Some(self.start),
            Some(None) => false,
            None => process_exists(self.pid),
        }
    }
}

/// `/proc/PID/stat`: `Some(None)` when there is no such process, `None` without `/proc`.
#[cfg(target_os = "linux")]
fn proc_stat(pid: u32) -> Option<Option<String>> {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => Some(Some(stat)),
        Err(_) if Path::new("/proc/self/stat").exists() => Some(None),
        Err(_) => None,
    }
}

#[cfg(not(target_os = "linux"))]
fn proc_stat(_: u32) -> Option<Option<String>> {
    None
}

/// Whether process `pid` exists (it may be another one than the builder, if the id was reused).
#[cfg(unix)]
fn process_exists(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 is not sent; `kill` only says whether the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_exists(_: u32) -> bool {
    true
}

/// When process `pid` started (clock ticks since boot), where `/proc` says.
fn process_start(pid: u32) -> Option<u64> {
    start_time(&proc_stat(pid)??)
}

/// Field 22 of `/proc/PID/stat`, the start time. The command name (field 2) is in
/// parentheses and may hold spaces and parentheses itself: the fields are counted after its
/// last `)`.
fn start_time(stat: &str) -> Option<u64> {
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(19)?.parse().ok()
}

/// Removes the staging and old folders beside `out` that builds into it left when they were
/// killed: folders named `.NAME.handbook-tmp-PID-…` whose builder is gone, holding our
/// [`MARKER`] (or nothing). Nothing else is touched: not a symlink, not a file, not a folder
/// without the marker, not one of a build still running. Returns what it removed; what it
/// cannot remove it leaves.
pub fn remove_leftovers(out: &Path) -> Vec<PathBuf> {
    let prefix = leftover_prefix(out);
    let Ok(entries) = std::fs::read_dir(parent_of(out)) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some(builder) = Builder::from_name(rest) else {
            continue;
        };
        let path = entry.path();
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !is_dir || builder.running() {
            continue;
        }
        let marked = std::fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file());
        let gone = if marked {
            remove_ours(&path).is_ok()
        } else {
            // A folder killed before its marker was written is empty; anything else is not ours.
            std::fs::remove_dir(&path).is_ok()
        };
        if gone {
            removed.push(path);
        }
    }
    removed
}

/// The lock one build into an output folder holds from its staging folder's creation until the
/// site is in place: `.NAME.handbook-lock` beside the output, locked with `flock`, which the
/// system releases when the process ends however it ends. The file is removed on release
/// (a build that finds the file it locked removed or replaced locks the new one instead).
/// Where `flock` is missing (not Unix) builds are not serialised.
#[derive(Debug)]
pub struct OutputLock {
    #[cfg(unix)]
    file: std::fs::File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock of `out`, waiting at most `wait` for the build that holds it.
    pub fn acquire(out: &Path, wait: Duration) -> Result<OutputLock, OutputError> {
        let path = parent_of(out).join(format!(".{}.handbook-lock", out_name(out)));
        let deadline = std::time::Instant::now() + wait;
        loop {
            if let Some(lock) = OutputLock::try_lock(&path)? {
                return Ok(lock);
            }
            if std::time::Instant::now() >= deadline {
                return Err(OutputError::Busy {
                    path: out.to_path_buf(),
                    lock: path,
                    waited: wait.as_secs(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// One attempt: `None` when another process holds the lock.
    #[cfg(unix)]
    fn try_lock(path: &Path) -> Result<Option<OutputLock>, OutputError> {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
        // Never through a symlink, and never blocking on a FIFO planted under the name.
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
            .map_err(io_err("cannot open the lock", path))?;
        let meta = file.metadata().map_err(io_err("cannot inspect", path))?;
        if !meta.is_file() {
            return Err(OutputError::Refused {
                path: path.to_path_buf(),
                why: "it is the output's lock file, but it is not a file".into(),
            });
        }
        loop {
            // SAFETY: flock on a descriptor `file` owns for the duration of the call.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                break;
            }
            let e = io::Error::last_os_error();
            match e.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EWOULDBLOCK) => return Ok(None),
                _ => return Err(io_err("cannot lock", path)(e)),
            }
        }
        // The holder before us removes the file as it releases it: if the name is no longer
        // the file we locked, lock whatever is there now.
        let current = std::fs::symlink_metadata(path);
        if current.is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino()) {
            Ok(Some(OutputLock {
                file,
                path: path.to_path_buf(),
            }))
        } else {
            OutputLock::try_lock(path)
        }
    }

    #[cfg(not(unix))]
    fn try_lock(path: &Path) -> Result<Option<OutputLock>, OutputError> {
        Ok(Some(OutputLock {
            path: path.to_path_buf(),
        }))
    }

    /// Removes the lock file if it is still the one locked (the lock itself goes with the
    /// descriptor, after): a build waiting on it then finds it removed and locks a new one.
    #[cfg(unix)]
    fn remove_file(&self) {
        use std::os::unix::fs::MetadataExt;
        let ours = (self.file.metadata().ok())
            .zip(std::fs::symlink_metadata(&self.path).ok())
            .is_some_and(|(a, b)| a.dev() == b.dev() && a.ino() == b.ino());
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }

    #[cfg(not(unix))]
    fn remove_file(&self) {}
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        self.remove_file();
    }
}

impl Sink for Staging {
    /// Writes the file at site path `rel`, creating folders as needed.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let target = self.target(rel)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        std::fs::write(&target, bytes).map_err(io_err("cannot write", &target))
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let target = self.target(rel)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        std::fs::copy(from, &target)
            .map(drop)
            .map_err(io_err("cannot copy", from))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_ours(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::create(&tmp.path().join("public")).unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", "", "a\\..\\x", "./a"] {
            assert!(staging.write(bad, b"x").is_err(), "{bad}");
        }
        staging.write("a/b/index.html", b"ok").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("public/a/b/index.html")).unwrap(),
            "ok"
        );
        // Only the output folder is left behind.
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["public"]);
    }

    #[test]
    fn dropping_keeps_the_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"v1").unwrap();
        s.commit().unwrap();
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"v2").unwrap();
        drop(s);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v1"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_foreign_and_enclosing_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hb");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let foreign = tmp.path().join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("mine.txt"), "precious").unwrap();
        assert!(check_output_dir(&foreign, &root, &[]).is_err());
        assert!(check_output_dir(&root, &root, &[]).is_err());
        assert!(check_output_dir(tmp.path(), &root, &[]).is_err());
        assert!(check_output_dir(&root.join("content"), &root, &[root.join("content")]).is_err());
        assert!(check_output_dir(&root.join("public"), &root, &[root.join("content")]).is_ok());
        std::fs::write(foreign.join(MARKER), "").unwrap();
        assert!(check_output_dir(&foreign, &root, &[]).is_ok());
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A site with `index.html` saying `text`, published at `out` with `exchange`.
    fn publish(
        out: &Path,
        text: &str,
        exchange: impl FnOnce(&Path, &Path) -> io::Result<()>,
    ) -> Result<Swap, OutputError> {
        let s = Staging::create(out).unwrap();
        s.write("index.html", text.as_bytes()).unwrap();
        s.write("sub/page.html", text.as_bytes()).unwrap();
        s.commit_with(exchange)
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_exchange_swaps_two_folders_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("f"), "a").unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("f"), "b").unwrap();
        match exchange(&a, &b) {
            Err(e) if exchange_unsupported(&e) => {
                eprintln!("this file system cannot exchange folders ({e}): not tested here");
            }
            other => {
                other.unwrap();
                assert_eq!(std::fs::read_to_string(a.join("f")).unwrap(), "b");
                assert_eq!(std::fs::read_to_string(b.join("f")).unwrap(), "a");
            }
        }
    }

    #[test]
    fn commit_exchanges_the_sites_and_removes_the_old_one() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        assert_eq!(publish(&out, "v1", exchange).unwrap(), Swap::Moved);
        // Whether this system and file system can exchange folders at all.
        let probe = (tmp.path().join("p1"), tmp.path().join("p2"));
        std::fs::create_dir(&probe.0).unwrap();
        std::fs::create_dir(&probe.1).unwrap();
        let supported = exchange(&probe.0, &probe.1).is_ok();
        std::fs::remove_dir(&probe.0).unwrap();
        std::fs::remove_dir(&probe.1).unwrap();
        let swap = publish(&out, "v2", exchange).unwrap();
        let expected = if supported {
            Swap::Exchanged
        } else {
            Swap::Renamed
        };
        assert_eq!(swap, expected);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v2"
        );
        assert_eq!(names(tmp.path()), ["public"]);

        // The same with an exchange that does what renameat2 does, wherever this runs.
        let swap = publish(&out, "v3", |a, b| {
            let c = a.with_extension("x");
            std::fs::rename(a, &c)?;
            std::fs::rename(b, a)?;
            std::fs::rename(&c, b)
        });
        assert_eq!(swap.unwrap(), Swap::Exchanged);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v3"
        );
        assert_eq!(names(tmp.path()), ["public"]);
    }

    #[test]
    fn without_the_exchange_it_falls_back_to_two_renames() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        publish(&out, "v1", exchange).unwrap();
        #[cfg(unix)]
        let unsupported = [libc::EINVAL, libc::ENOSYS];
        #[cfg(not(unix))]
        let unsupported: [i32; 0] = [];
        for (i, code) in unsupported.into_iter().enumerate() {
            let text = format!("v{}", i + 2);
            let swap = publish(&out, &text, |_, _| Err(io::Error::from_raw_os_error(code)));
            assert_eq!(swap.unwrap(), Swap::Renamed);
            assert_eq!(
                std::fs::read_to_string(out.join("index.html")).unwrap(),
                text
            );
            assert_eq!(names(tmp.path()), ["public"]);
        }
        let swap = publish(&out, "v9", |_, _| Err(io::ErrorKind::Unsupported.into()));
        assert_eq!(swap.unwrap(), Swap::Renamed);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v9"
        );

        // Any other failure is a failure: the previous site stays, the staging folder goes.
        let failed = publish(&out, "v10", |_, _| {
            Err(io::Error::from(io::ErrorKind::PermissionDenied))
        });
        assert!(failed.is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v9"
        );
        assert_eq!(names(tmp.path()), ["public"]);
    }

    /// A folder beside `out` named as builder `b`'s staging folder, with `marker` or not.
    fn leftover(out: &Path, b: Builder, suffix: &str, marker: bool) -> PathBuf {
        let dir = parent_of(out).join(format!(
            "{}{}-{}{suffix}",
            leftover_prefix(out),
            b.pid,
            b.start
        ));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("assets/style.css"), "x").unwrap();
        if marker {
            std::fs::write(dir.join(MARKER), "").unwrap();
        }
        dir
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn leftovers_of_gone_builders_are_removed_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        publish(&out, "v1", exchange).unwrap();
        let me = Builder::this_process();
        assert!(me.start > 0 && me.running());
        // A process that has ended: its id is free (or reused by a process started later).
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let gone = Builder {
            pid: child.id(),
            start: process_start(child.id()).unwrap(),
        };
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!gone.running());
        // This process's id with another start time: the id was reused.
        let reused = Builder {
            start: me.start + 1,
            ..me
        };
        assert!(!reused.running());

        let dead = leftover(&out, gone, "-0", true);
        let dead_old = leftover(&out, gone, "-1-old", true);
        let dead_reused = leftover(&out, reused, "-0", true);
        let legacy =
            parent_of(&out).join(format!("{}{}-123456789", leftover_prefix(&out), gone.pid));
        std::fs::create_dir(&legacy).unwrap();
        std::fs::write(legacy.join(MARKER), "").unwrap();
        let empty = parent_of(&out).join(format!(
            "{}{}-{}-7",
            leftover_prefix(&out),
            gone.pid,
            gone.start
        ));
        std::fs::create_dir(&empty).unwrap();
        let live = leftover(&out, me, "-99", true);
        let unmarked = leftover(&out, gone, "-2", false);
        let other_output = leftover(&tmp.path().join("site"), gone, "-3", true);
        let odd_name = tmp.path().join(".public.handbook-tmp-keep-me");
        std::fs::create_dir(&odd_name).unwrap();
        std::fs::write(odd_name.join(MARKER), "").unwrap();
        let file = parent_of(&out).join(format!("{}{}-1-4", leftover_prefix(&out), gone.pid));
        std::fs::write(&file, "a file").unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join(MARKER), "").unwrap();
        let link = parent_of(&out).join(format!("{}{}-1-5", leftover_prefix(&out), gone.pid));
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();

        let mut removed = remove_leftovers(&out);
        removed.sort();
        let mut expected = vec![dead, dead_old, dead_reused, legacy, empty];
        expected.sort();
        assert_eq!(removed, expected);
        for kept in [
            &live,
            &unmarked,
            &other_output,
            &odd_name,
            &file,
            &link,
            &elsewhere,
        ] {
            assert!(
                std::fs::symlink_metadata(kept).is_ok(),
                "{}",
                kept.display()
            );
        }
        assert!(elsewhere.join(MARKER).exists());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v1"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_is_replaced_whole_with_its_permissions_and_nothing_beside_it() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("CODEOWNERS");
        replace_file(&file, b"one\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace_file(&file, b"two\n").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "two\n");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(names(tmp.path()), ["CODEOWNERS"]);
        // A missing folder is an error, and leaves nothing.
        assert!(replace_file(&tmp.path().join("no/such"), b"x").is_err());
        assert_eq!(names(tmp.path()), ["CODEOWNERS"]);
    }

    #[test]
    fn start_times_are_read_after_the_command_name() {
        let stat =
            "4242 (a) b) (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 50";
        assert_eq!(start_time(stat), Some(987654));
        assert_eq!(start_time("4242 (x"), None);
        assert_eq!(
            Builder::from_name("12-34-5"),
            Some(Builder { pid: 12, start: 34 })
        );
        assert_eq!(
            Builder::from_name("12-34-5-old"),
            Some(Builder { pid: 12, start: 34 })
        );
        assert_eq!(
            Builder::from_name("12-999"),
            Some(Builder { pid: 12, start: 0 })
        );
        for odd in ["", "12", "a-1-2", "1--2", "1-2-3-4", "+1-2-3", "1-2-3-new"] {
            assert_eq!(Builder::from_name(odd), None, "{odd}");
        }
        // Not process ids: kept whatever the system says.
        assert!(Builder { pid: 0, start: 0 }.running());
        assert!(Builder {
            pid: u32::MAX,
            start: 0
        }
        .running());
    }

    #[cfg(unix)]
    #[test]
    fn a_second_build_waits_for_the_lock_then_gives_up() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::create(&out).unwrap();
        let lock = tmp.path().join(".public.handbook-lock");
        assert!(lock.is_file());
        let started = std::time::Instant::now();
        let second = Staging::create_waiting(&out, Duration::from_millis(200));
        assert!(started.elapsed() >= Duration::from_millis(200));
        let err = second.unwrap_err().to_string();
        assert!(
            err.contains("another handbook build is writing to"),
            "{err}"
        );
        // The waiting build took nothing, left nothing.
        assert_eq!(names(tmp.path()).len(), 2, "{:?}", names(tmp.path()));

        // Released when the first is done (or dropped): the file goes with it.
        let waiter = {
            let out = out.clone();
            std::thread::spawn(move || {
                let s = Staging::create_waiting(&out, Duration::from_secs(30)).unwrap();
                s.write("index.html", b"second").unwrap();
                s.commit().unwrap();
            })
        };
        std::thread::sleep(Duration::from_millis(100));
        first.write("index.html", b"first").unwrap();
        first.commit().unwrap();
        waiter.join().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "second"
        );
        assert_eq!(names(tmp.path()), ["public"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_lock_is_never_taken_through_a_symlink() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("precious");
        std::fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, tmp.path().join(".public.handbook-lock")).unwrap();
        assert!(Staging::create(&tmp.path().join("public")).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert!(
            std::fs::symlink_metadata(tmp.path().join(".public.handbook-lock"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
