//! What can stop the command (broken markers, a file that cannot be read or written, a path that
//! leads out of the handbook), as opposed to a block that is out of date.

use std::path::{Path, PathBuf};

/// Why the command could not run (as opposed to a block that is out of date).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The markers are broken: an unmatched BEGIN or END, or two blocks.
    #[error("{}:{line}: {message}", file.display())]
    Markers {
        file: PathBuf,
        line: usize,
        message: String,
    },
    #[error("cannot {action} {}: {error}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{} is a symbolic link; handbook replaces only a plain file (give the file it points to with --file)", .0.display())]
    Symlink(PathBuf),
    #[error("{} is not a file", .0.display())]
    NotAFile(PathBuf),
    #[error("{} is not UTF-8 text", .0.display())]
    NotText(PathBuf),
    #[error("{} leads outside the handbook root through a symlink; nothing was written (give the file with --file to write there)", .0.display())]
    Outside(PathBuf),
}

pub(super) fn io_err<'p>(
    action: &'static str,
    path: &'p Path,
) -> impl FnOnce(std::io::Error) -> Error + 'p {
    move |error| Error::Io {
        action,
        path: path.to_path_buf(),
        error,
    }
}
