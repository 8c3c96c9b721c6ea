//! What the command was asked to do (root, `--file`, `--forge`) and the command line that
//! repeats it, for `--check`'s message.

use std::path::{Path, PathBuf};

use super::forge::Forge;

/// What the command was asked to do.
#[derive(Debug, Clone)]
pub struct Request {
    /// The handbook root.
    pub root: PathBuf,
    /// `--file` (relative to the current directory), else looked for under the root.
    pub file: Option<PathBuf>,
    /// `--forge`, else GitLab when the file is under `.gitlab/`, GitHub otherwise.
    pub forge: Option<Forge>,
}

impl Request {
    /// The command line that writes what `--check` expects (for its message).
    pub fn command_line(&self) -> String {
        let mut cmd = String::from("handbook codeowners");
        if self.root != Path::new(".") {
            cmd.push_str(" --root ");
            cmd.push_str(&shell_word(&self.root.to_string_lossy()));
        }
        if let Some(file) = &self.file {
            cmd.push_str(" --file ");
            cmd.push_str(&shell_word(&file.to_string_lossy()));
        }
        if let Some(forge) = self.forge {
            cmd.push_str(" --forge ");
            cmd.push_str(forge.as_str());
        }
        cmd
    }
}

/// `word` quoted for a POSIX shell when it needs to be.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:@%+=,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fix_command_repeats_the_options_given() {
        let r = Request {
            root: ".".into(),
            file: None,
            forge: None,
        };
        assert_eq!(r.command_line(), "handbook codeowners");
        let r = Request {
            root: "my handbook".into(),
            file: Some("docs/CODEOWNERS".into()),
            forge: Some(Forge::Gitlab),
        };
        assert_eq!(
            r.command_line(),
            "handbook codeowners --root 'my handbook' --file docs/CODEOWNERS --forge gitlab"
        );
    }
}
