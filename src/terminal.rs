//! Writing to the terminal, or to whatever reads the output. A closed pipe (`handbook check |
//! head -1`) is the reader's choice, not a failure: what is left is dropped quietly and the
//! command ends with the exit code it would have had (`println!` would panic there instead).

use std::io::{self, IsTerminal, Write};

/// Writes `text` to standard output. A closed pipe is not an error; any other failure (a full
/// disk behind a redirect) is.
pub fn out(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes `text` to standard error, which has no one to report its own failure to.
pub fn err(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Whether standard output (`stderr: false`) or error is a terminal that wants colour: not
/// when `NO_COLOR` is set to anything.
pub fn color(stderr: bool) -> bool {
    let terminal = if stderr {
        io::stderr().is_terminal()
    } else {
        io::stdout().is_terminal()
    };
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `println!` through [`out`]: returns `io::Result<()>`, `Ok` on a closed pipe.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::terminal::out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` through [`err`]: never fails, never panics.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::terminal::err(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `e` and its causes, `: `-separated, as anyhow's `{:#}` writes them.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
