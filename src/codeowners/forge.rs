//! The forge that reads CODEOWNERS (GitHub or GitLab): which field of a person holds the handle,
//! what a well-formed handle is, and the folders the forge reads the file from.

use std::str::FromStr;

/// The forge that reads the file: it decides which handle of a person is used and which
/// handles are well formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Forge {
    Github,
    Gitlab,
}

impl FromStr for Forge {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "github" => Ok(Forge::Github),
            "gitlab" => Ok(Forge::Gitlab),
            _ => Err(format!("`{s}` is not a forge: use github or gitlab")),
        }
    }
}

impl Forge {
    /// `github` or `gitlab`: also the name of the person's field that holds the handle.
    pub fn as_str(self) -> &'static str {
        match self {
            Forge::Github => "github",
            Forge::Gitlab => "gitlab",
        }
    }

    pub(super) fn label(self) -> &'static str {
        match self {
            Forge::Github => "GitHub",
            Forge::Gitlab => "GitLab",
        }
    }

    /// The folders, relative to the repository root, the forge reads CODEOWNERS from.
    pub(super) fn folders(self) -> [&'static str; 3] {
        match self {
            Forge::Github => [".github", "", "docs"],
            Forge::Gitlab => ["", "docs", ".gitlab"],
        }
    }

    /// The `@handle` CODEOWNERS needs for a handle as the team data writes it: with or without
    /// its `@`, a user or an `org/team` (GitLab: `group/subgroup/...`). `Err` says why the
    /// forge would not accept it.
    pub fn handle(self, raw: &str) -> Result<String, String> {
        let trimmed = raw.trim();
        let name = trimmed.strip_prefix('@').unwrap_or(trimmed);
        if name.is_empty() {
            return Err("is empty".into());
        }
        if name.chars().any(char::is_whitespace) {
            return Err("contains whitespace".into());
        }
        // GitHub: a user or organisation (letters, digits, `-`; `_` in the user names of
        // managed enterprises), then a team slug (also `_`). GitLab also allows `.`, and nests
        // groups.
        let allowed = |c: char| {
            c.is_ascii_alphanumeric() || c == '-' || c == '_' || (self == Forge::Gitlab && c == '.')
        };
        if let Some(bad) = name.chars().find(|&c| c != '/' && !allowed(c)) {
            return Err(format!(
                "contains `{}`, which {} does not accept in a handle",
                bad.escape_debug(),
                self.label()
            ));
        }
        let parts = name.split('/').count();
        if name.split('/').any(str::is_empty) || (self == Forge::Github && parts > 2) {
            let shape = match self {
                Forge::Github => "`user` or `org/team`",
                Forge::Gitlab => "`user` or `group/subgroup`",
            };
            return Err(format!("is not of the form {shape}"));
        }
        Ok(format!("@{name}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_normalised_and_bad_ones_refused() {
        let gh = |s: &str| Forge::Github.handle(s);
        assert_eq!(gh("ana").unwrap(), "@ana");
        assert_eq!(gh("@ana").unwrap(), "@ana");
        assert_eq!(gh(" @Ana-Lima ").unwrap(), "@Ana-Lima");
        assert_eq!(
            gh("northwind/platform_team").unwrap(),
            "@northwind/platform_team"
        );
        assert_eq!(gh("@northwind/sre").unwrap(), "@northwind/sre");
        assert!(gh("ana lima").unwrap_err().contains("whitespace"));
        assert!(gh("").unwrap_err().contains("empty"));
        assert!(gh("@").unwrap_err().contains("empty"));
        assert!(gh("@@ana").unwrap_err().contains("`@`"));
        assert!(gh("ana@example.com").unwrap_err().contains("`@`"));
        assert!(gh("ana.lima").unwrap_err().contains("`.`"));
        assert!(gh("a/b/c").unwrap_err().contains("org/team"));
        assert!(gh("org/").unwrap_err().contains("org/team"));
        assert!(gh("ana\n").is_ok(), "surrounding whitespace is trimmed");
        assert!(gh("an\na").unwrap_err().contains("whitespace"));
        let gl = |s: &str| Forge::Gitlab.handle(s);
        assert_eq!(gl("ana.lima").unwrap(), "@ana.lima");
        assert_eq!(gl("@group/sub/team").unwrap(), "@group/sub/team");
        assert!(gl("ana#1").unwrap_err().contains("GitLab"));
    }
}
