//! The output folder: atomic replacement, refusal of dangerous targets, nothing touched outside.

use crate::harness::{HandbookTest, AS_OF};

#[test]
fn rebuild_replaces_the_previous_site_and_leaves_nothing_beside_it() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    std::fs::write(t.out("stale.html"), "old").unwrap();
    let t = t
        .remove("content/guides/first-week.md")
        .build()
        .assert_clean();
    assert!(!t.out("stale.html").exists());
    assert!(!t.out("guides/first-week/index.html").exists());
    let beside: Vec<_> = std::fs::read_dir(&t.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        beside
            .iter()
            .all(|n| !n.to_string_lossy().contains("handbook-tmp")),
        "{beside:?}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    let before = t.read("sops/code-review/index.html");
    // An invalid handbook.yaml stops the build before anything is written.
    let t = t.file("handbook.yaml", "title: [unclosed\n").build();
    assert!(t.build_error.is_some());
    assert_eq!(t.read("sops/code-review/index.html"), before);
}

#[test]
fn refuses_an_output_folder_that_holds_the_sources() {
    let t = HandbookTest::from_fixture("basic");
    for out in [".", "content", ".."] {
        let o = t.cli(&["build", "--as-of", AS_OF, "--out", out]);
        assert_eq!(o.status.code(), Some(2), "--out {out}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("refusing to write the site"), "{err}");
    }
    assert!(t.root.join("content/sops/code-review.md").exists());
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let t = HandbookTest::from_fixture("basic");
    let precious = t.outside().join("documents");
    std::fs::create_dir_all(&precious).unwrap();
    std::fs::write(precious.join("thesis.txt"), "years of work").unwrap();
    let o = t.cli(&[
        "build",
        "--as-of",
        AS_OF,
        "--out",
        precious.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("was not written by handbook"));
    assert_eq!(
        std::fs::read_to_string(precious.join("thesis.txt")).unwrap(),
        "years of work"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    let t = HandbookTest::from_fixture("basic");
    let secret = t.outside().join("secret.md");
    std::fs::write(&secret, "# Secret\nTOP-SECRET-TEXT\n").unwrap();
    std::os::unix::fs::symlink(&secret, t.root.join("content/leak.md")).unwrap();
    std::os::unix::fs::symlink(t.outside(), t.root.join("content/escape")).unwrap();
    let t = t.build().assert_ok();
    t.diagnostic("path-unsafe", "content/leak.md", 0, 0);
    assert!(!t.out("leak/index.html").exists());
    for entry in walkdir::WalkDir::new(t.root.join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&text).contains("TOP-SECRET-TEXT"),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn skips_hidden_and_vendored_folders() {
    HandbookTest::from_fixture("basic")
        .file("content/.git/notes.md", "# Git internals\n")
        .file("content/node_modules/pkg/README.md", "# A package\n")
        .file("content/.hidden.md", "# Hidden\n")
        .build()
        .assert_clean()
        .assert_missing("node_modules")
        .assert_missing(".git")
        .assert_lacks("index.html", "A package");
}

/// Every file of the site at `out`, by path relative to it, sorted.
fn site_files(out: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(out).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

/// The names beside the output folder that a build made: staging folders, old sites, locks.
fn beside_the_output(t: &HandbookTest) -> Vec<String> {
    std::fs::read_dir(&t.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect()
}

fn build_command(t: &HandbookTest) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"));
    cmd.args(["build", "--as-of", AS_OF, "--quiet"])
        .current_dir(&t.root)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    cmd
}

#[test]
fn builds_into_one_output_at_once_take_turns() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    let complete = site_files(&t.root.join("public"));
    assert!(complete.contains(&"index.html".to_string()), "{complete:?}");
    for _ in 0..2 {
        let builds: Vec<_> = (0..3).map(|_| build_command(&t).spawn().unwrap()).collect();
        for b in builds {
            let o = b.wait_with_output().unwrap();
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        assert_eq!(site_files(&t.root.join("public")), complete);
        assert_eq!(beside_the_output(&t), Vec::<String>::new());
    }
}

#[cfg(unix)]
#[test]
fn a_killed_build_leaves_the_previous_site_and_the_next_build_cleans_up() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    let complete = site_files(&t.root.join("public"));
    // Killed at moments from its start to its end: the output always holds a whole site.
    for delay in [0, 10, 30, 60, 100, 150, 250, 400, 700] {
        let mut build = build_command(&t).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = build.kill();
        build.wait().unwrap();
        assert_eq!(
            site_files(&t.root.join("public")),
            complete,
            "killed after {delay} ms"
        );
    }
    let o = build_command(&t).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(site_files(&t.root.join("public")), complete);
    assert_eq!(beside_the_output(&t), Vec::<String>::new());
}

/// `/proc/PID/stat`'s start time of process `pid` (field 22, counted after the command name).
#[cfg(target_os = "linux")]
fn start_time(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 1..];
    after.split_whitespace().nth(19).unwrap().parse().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn leftovers_of_killed_builds_are_removed_and_nothing_else() {
    let t = HandbookTest::from_fixture("basic").build().assert_clean();
    let mut child = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let (dead, dead_start) = (child.id(), start_time(child.id()));
    child.kill().unwrap();
    child.wait().unwrap();
    let me = std::process::id();
    let folder = |name: String, marker: bool| {
        let dir = t.root.join(name);
        std::fs::create_dir_all(dir.join("sops/backups")).unwrap();
        std::fs::write(dir.join("sops/backups/index.html"), "old").unwrap();
        if marker {
            std::fs::write(dir.join(".handbook-site"), "").unwrap();
        }
        dir
    };
    let gone = [
        folder(format!(".public.handbook-tmp-{dead}-{dead_start}-0"), true),
        folder(
            format!(".public.handbook-tmp-{dead}-{dead_start}-1-old"),
            true,
        ),
        // What builds before the start time was recorded left.
        folder(
            format!(".public.handbook-tmp-{dead}-1767225600000000000"),
            true,
        ),
    ];
    let kept = [
        // A build still running: this test.
        folder(
            format!(".public.handbook-tmp-{me}-{}-0", start_time(me)),
            true,
        ),
        // Named alike, but not ours.
        folder(format!(".public.handbook-tmp-{dead}-{dead_start}-2"), false),
        folder(".public.handbook-tmp-notes".to_string(), true),
        folder(format!(".docs.handbook-tmp-{dead}-{dead_start}-0"), true),
    ];
    let o = build_command(&t).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for g in &gone {
        assert!(!g.exists(), "{} is left", g.display());
    }
    for k in &kept {
        assert!(
            k.join("sops/backups/index.html").exists(),
            "{} was removed",
            k.display()
        );
    }
    t.assert_exists("index.html");
}
