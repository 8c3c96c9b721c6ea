//! The command line: build summary and exit codes, how a command that cannot run says why, init,
//! new.

use std::path::Path;
use std::process::Output;

use crate::harness::{HandbookTest, AS_OF};

#[test]
fn build_prints_a_summary_and_exits_zero() {
    let t = HandbookTest::from_fixture("basic");
    let o = t.cli(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    // 9 from content; 6 from the team data (team, people, ana, bo, roles, lead); 3 for the
    // tags (index, security, patching); 3 for the documents index (index, sop, page).
    assert!(out.starts_with("Built 21 pages"), "{out}");
    assert!(t.out("index.html").exists());
}

#[test]
fn timings_name_each_phase() {
    let t = HandbookTest::from_fixture("basic");
    let o = t.cli(&["build", "--as-of", AS_OF, "--quiet", "--timings"]);
    assert!(o.status.success());
    assert!(o.stdout.is_empty(), "--quiet drops the summary");
    let err = String::from_utf8_lossy(&o.stderr);
    let phases: Vec<&str> = err
        .lines()
        .filter_map(|l| l.split_once(" ms  ").map(|(_, phase)| phase))
        .collect();
    assert_eq!(
        phases,
        [
            "load",
            "model",
            "markdown",
            "check",
            "prepare",
            "render+write pages, search index",
            "(of which search index)",
            "write other files",
            "commit"
        ],
        "{err}"
    );
    // `check` times the phases it shares with `build`, and the writing of its report.
    let o = t.cli(&["check", "--as-of", AS_OF, "--format", "json", "--timings"]);
    let err = String::from_utf8_lossy(&o.stderr);
    let phases: Vec<&str> = err
        .lines()
        .filter_map(|l| l.split_once(" ms  ").map(|(_, phase)| phase))
        .collect();
    assert_eq!(
        phases,
        ["load", "model", "markdown", "check", "report"],
        "{err}"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).expect("stdout is the report");
    assert!(report["diagnostics"].is_array(), "{report}");
}

#[test]
fn bad_arguments_and_config_exit_two() {
    let t = HandbookTest::from_fixture("basic");
    assert_eq!(
        t.cli(&["build", "--as-of", "2026-02-30"]).status.code(),
        Some(2)
    );
    assert_eq!(
        t.cli(&["build", "--root", "no/such/dir"]).status.code(),
        Some(2)
    );
    let t = t.file("handbook.yaml", "due_soon: whenever\n");
    let o = t.cli(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("handbook.yaml:1:11"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `handbook check` in `dir` (a folder inside the handbook, say).
fn check_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["check", "--as-of", AS_OF])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn an_invalid_handbook_yaml_is_printed_once_at_its_line_with_a_did_you_mean() {
    let t = HandbookTest::empty().file("handbook.yaml", "title: Ops\ntitel: Ops\n");
    let o = t.cli(&["check", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error[config-invalid]: unknown key `titel`
 --> handbook.yaml:2:1
  |
2 | titel: Ops
  | ^
  |
  = help: did you mean `title`?
"
    );
    assert!(o.stdout.is_empty());
    // The clean twin runs.
    let t = t.file("handbook.yaml", "title: Ops\n");
    assert_eq!(t.cli(&["check", "--as-of", AS_OF]).status.code(), Some(0));
}

#[test]
fn a_nested_handbook_yaml_error_points_at_its_key() {
    let t = HandbookTest::empty().file(
        "handbook.yaml",
        "title: Ops\ndefault_review:\n  sopp: 2 years\n",
    );
    let o = t.cli(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.starts_with("error[config-invalid]: default_review.sopp: unknown kind `sopp`"),
        "{err}"
    );
    assert!(
        err.contains(" --> handbook.yaml:3:3\n  |\n3 |   sopp: 2 years\n  |   ^"),
        "{err}"
    );
    assert_eq!(err.matches("unknown kind").count(), 1, "{err}");
    // From elsewhere, the file is named by its path and still shown.
    let o = check_in(&t.outside(), &["--root", "hb"]);
    assert!(
        stderr(&o).contains(" --> hb/handbook.yaml:3:3\n"),
        "{}",
        stderr(&o)
    );
    let t = t.file(
        "handbook.yaml",
        "title: Ops\ndefault_review:\n  sop: 2 years\n",
    );
    assert_eq!(t.cli(&["build", "--as-of", AS_OF]).status.code(), Some(0));
}

#[test]
fn a_handbook_yaml_value_of_the_wrong_type_is_said_in_words() {
    let t = HandbookTest::empty()
        .file(
            "handbook.yaml",
            "title: Ops\nmarkdown_extensions: {md: true}\n",
        )
        .file("content/a.md", "# A\n");
    let o = t.cli(&["check", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error[config-invalid]: `markdown_extensions` takes a list, e.g. `[md, markdown]`, not a mapping
 --> handbook.yaml:2:22
  |
2 | markdown_extensions: {md: true}
  |                      ^
  |
"
    );
    // A nested one at its own key's value; the whole file not a mapping at its top.
    let t = t.file("handbook.yaml", "rules:\n  link-broken: [off]\n");
    let err = stderr(&t.cli(&["check", "--as-of", AS_OF]));
    assert!(
        err.starts_with("error[config-invalid]: `rules.link-broken` takes a level (`error`, `warning` or `off`), or a level per kind, e.g. `{sop: off}`, not a list\n --> handbook.yaml:2:16\n"),
        "{err}"
    );
    let t = t.file("handbook.yaml", "just a title\n");
    let err = stderr(&t.cli(&["check", "--as-of", AS_OF]));
    assert!(
        err.starts_with("error[config-invalid]: handbook.yaml must be a mapping of `key: value` lines, e.g. `title: Ops handbook`\n --> handbook.yaml:1:1\n"),
        "{err}"
    );
    assert!(!err.contains("RawConfig"), "{err}");
    // The clean twin: a list written as its one value is a list of one.
    let t = t
        .file("handbook.yaml", "title: Ops\nmarkdown_extensions: md\n")
        .file("content/b.markdown", "# B\n");
    let o = t.cli(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(t.out("a/index.html").is_file());
    assert!(!t.out("b/index.html").exists());
}

#[test]
fn run_in_a_subfolder_it_names_the_handbook_root() {
    let t = HandbookTest::empty()
        .file("handbook.yaml", "title: Ops\n")
        .file("content/sops/a.md", "# A\n");
    let root = t.root.canonicalize().unwrap();
    let hint = format!("help: run it from {0} or pass --root {0}\n", root.display());
    for dir in ["content", "content/sops"] {
        let o = check_in(&t.root.join(dir), &[]);
        assert_eq!(o.status.code(), Some(2), "{dir}");
        let err = stderr(&o);
        assert!(
            err.starts_with("error: cannot load the handbook at .: the content folder ./content does not exist\n"),
            "{err}"
        );
        assert!(err.ends_with(&hint), "{dir}: {err}");
    }
    // The same without a handbook.yaml: the folder holding `content/` is the root.
    let t = t.remove("handbook.yaml");
    assert!(stderr(&check_in(&t.root.join("content/sops"), &[])).ends_with(&hint));
    // From the root, or with --root, it runs.
    assert_eq!(check_in(&t.root, &[]).status.code(), Some(0));
    let o = check_in(
        &t.root.join("content/sops"),
        &["--root", root.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn init_writes_a_handbook_that_builds_and_keeps_existing_files() {
    let t = HandbookTest::empty().file("handbook.yaml", "title: Mine\n");
    let o = t.cli(&["init", ".", "--as-of", "2026-11-20"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("kept  ./handbook.yaml"));
    assert_eq!(
        std::fs::read_to_string(t.root.join("handbook.yaml")).unwrap(),
        "title: Mine\n"
    );
    let text = std::fs::read_to_string(t.root.join("content/sops/example-procedure.md")).unwrap();
    assert!(text.contains("last_reviewed: 2026-11-20"), "{text}");
    let t = t.build().assert_clean();
    t.assert_contains("sops/example-procedure/index.html", "Example procedure");
}

#[test]
fn new_writes_from_the_archetype_and_never_overwrites() {
    let t = HandbookTest::from_fixture("basic");
    let o = t.cli(&[
        "new",
        "sop",
        "Firewall Changes",
        "--owner",
        "ana",
        "--as-of",
        "2026-11-20",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(t.root.join("content/sops/firewall-changes.md")).unwrap();
    assert!(text.contains("id: SOP-003"), "{text}");
    assert!(text.contains("owner: ana"));
    assert!(text.contains("2026-11-20"), "{text}");
    for heading in ["## Purpose", "## Scope", "## Procedure"] {
        assert!(text.contains(heading), "{heading}");
    }
    let again = t.cli(&["new", "sop", "Firewall Changes"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(t.root.join("content/sops/firewall-changes.md")).unwrap(),
        text
    );
}

#[test]
fn new_uses_the_handbooks_archetype() {
    let t = HandbookTest::from_fixture("basic").file(
        "archetypes/policy.md",
        "---\ntitle: {{ title }}\nkind: policy\n---\nHOUSE STYLE\n",
    );
    assert!(t.cli(&["new", "policy", "Travel"]).status.success());
    let text = std::fs::read_to_string(t.root.join("content/policies/travel.md")).unwrap();
    assert_eq!(text, "---\ntitle: Travel\nkind: policy\n---\nHOUSE STYLE\n");
}

#[test]
fn completions_cover_the_subcommands() {
    let t = HandbookTest::empty();
    for shell in ["bash", "zsh", "fish"] {
        let o = t.cli(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&o.stdout);
        for word in ["build", "check", "serve", "as-of"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    assert_eq!(t.cli(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_pre_commit_hook_runs_check() {
    let hooks = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    let hooks: serde_yaml_ng::Value = serde_yaml_ng::from_str(&hooks).unwrap();
    let hook = &hooks[0];
    assert_eq!(hook["id"].as_str(), Some("handbook-check"));
    assert_eq!(hook["entry"].as_str(), Some("handbook check"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert_eq!(hook["pass_filenames"].as_bool(), Some(false));
}

/// Runs `handbook ARGS` in `t`'s root with its standard output (and error, when `both`)
/// closed before it writes anything, as `| head -1` leaves it once `head` has its line.
fn with_closed_output(t: &HandbookTest, args: &[&str], both: bool) -> Output {
    use std::process::Stdio;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .current_dir(&t.root)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    if both {
        drop(child.stderr.take());
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_output_quietly_with_the_commands_exit_code() {
    let t = HandbookTest::from_fixture("basic").file(
        "content/broken.md",
        "---\ntitle: Broken\n---\n[gone](missing.md)\n",
    );
    let from = HandbookTest::empty().file("docs/index.md", "# Home\n");
    let from_root = from.root.display().to_string();
    let cases: &[(&HandbookTest, &[&str], Option<i32>)] = &[
        (&t, &["check", "--as-of", AS_OF], Some(1)),
        (
            &t,
            &["check", "--as-of", AS_OF, "--format", "json"],
            Some(1),
        ),
        (&t, &["report", "--as-of", AS_OF], Some(0)),
        (
            &t,
            &["report", "--as-of", AS_OF, "--format", "ics"],
            Some(0),
        ),
        (&t, &["schema", "front-matter"], Some(0)),
        (&t, &["codeowners", "--check"], Some(1)),
        (&t, &["build", "--as-of", AS_OF], Some(0)),
        (&t, &["completions", "bash"], Some(0)),
        (
            &from,
            &["init", "--from", &from_root, "--as-of", AS_OF],
            Some(0),
        ),
    ];
    for (t, args, code) in cases {
        for both in [false, true] {
            // `init --from` never replaces a handbook.yaml: the first run's goes.
            let _ = std::fs::remove_file(from.root.join("handbook.yaml"));
            let o = with_closed_output(t, args, both);
            let err = stderr(&o);
            assert_eq!(
                o.status.code(),
                *code,
                "{args:?} (stderr closed: {both}): {err}"
            );
            assert!(
                !err.contains("panicked") && !err.contains("Broken pipe"),
                "{args:?}: {err}"
            );
        }
    }
    for (title, both) in [("Piped", false), ("Piped again", true)] {
        let o = with_closed_output(&t, &["new", "sop", title, "--as-of", AS_OF], both);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    // Nothing was lost that was not to be printed: the site and the documents are there.
    assert!(t.out("index.html").is_file());
    assert!(t.root.join("content/sops/piped.md").is_file());
    assert!(t.root.join("content/sops/piped-again.md").is_file());
    assert!(from.root.join("handbook.yaml").is_file());
}
