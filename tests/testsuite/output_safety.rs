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
