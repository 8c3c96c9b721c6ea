//! `handbook schema`: the example handbook validates against the schemas it prints, and what
//! the loader refuses, the schemas refuse too.

use std::path::Path;

use serde_json::Value;

use crate::harness::HandbookTest;

/// A compiled schema printed by `handbook schema WHICH` for the handbook at `root`.
struct Schema {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Schema {
    fn of(t: &HandbookTest, which: &str, root: &Path) -> Schema {
        let o = t.cli(&["schema", which, "--root", root.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let json: Value = serde_json::from_slice(&o.stdout).expect("a schema is JSON");
        let url = format!("file:///{which}.json");
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.add_resource(&url, json).unwrap();
        let index = compiler
            .compile(&url, &mut schemas)
            .unwrap_or_else(|e| panic!("{which}: {e}"));
        Schema { schemas, index }
    }

    fn check(&self, yaml: &str) -> Result<(), String> {
        let value: Value = serde_yaml_ng::from_str(yaml).map_err(|e| e.to_string())?;
        self.schemas
            .validate(&value, self.index)
            .map_err(|e| format!("{e:#}"))
    }
}

fn front_matter(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let split = handbook::load::front_matter::split(&text);
    split.block.map(|b| b.text.to_string())
}

#[test]
fn the_example_handbook_validates_against_its_schemas() {
    let t = HandbookTest::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Schema::of(&t, "config", repo);
    let front = Schema::of(&t, "front-matter", repo);
    let team = Schema::of(&t, "team", repo);

    let text = std::fs::read_to_string(repo.join("handbook.yaml")).unwrap();
    config.check(&text).unwrap();

    let mut documents = 0;
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            if let Some(yaml) = front_matter(entry.path()) {
                front
                    .check(&yaml)
                    .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
                documents += 1;
            }
        }
    }
    assert!(documents > 20, "{documents}");

    for entry in std::fs::read_dir(repo.join("data")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        team.check(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn what_the_loader_refuses_the_schemas_refuse() {
    let t = HandbookTest::empty().file("handbook.yaml", "field_aliases:\n  doc_owner: owner\n");
    let root = t.root.clone();
    let config = Schema::of(&t, "config", &root);
    let front = Schema::of(&t, "front-matter", &root);
    let team = Schema::of(&t, "team", &root);

    config
        .check("title: X\ncontent: .\nexclude: [_site]\n")
        .unwrap();
    for bad in [
        "titel: X\n",
        "rules:\n  review-overdu: off\n",
        "default_review:\n  memo: 1 year\n",
        "field_aliases:\n  doc_owner: owners\n",
    ] {
        assert!(config.check(bad).is_err(), "{bad}");
        // The loader refuses each of them too.
        assert!(handbook::config::Config::parse(bad).is_err(), "{bad}");
    }

    // The handbook's own alias and other tools' names are fields; GOV.UK tech-docs' spelling
    // of an interval passes.
    front
        .check("title: X\ndoc_owner: ana\nlast_reviewed_on: 2026-01-01\nreview_in: 6 months\nlayout: page\n")
        .unwrap();
    for bad in [
        "review_every: often\n",
        "last_reviewed: 01/02/2026\n",
        "kind: memo\n",
        "status: shelved\n",
        "order: first\n",
        "tags: {a: 1}\n",
        "titel: X\n",
    ] {
        assert!(front.check(bad).is_err(), "{bad}");
    }

    // Every value the loader takes, the schemas take: a sample of each field's shape, and the
    // spellings the parser folds.
    let mut all = String::new();
    for (name, shape, _) in handbook::fields::FIELDS {
        all.push_str(&format!("{name}: {}\n", shape.sample_yaml()));
    }
    front.check(&all).unwrap_or_else(|e| panic!("{e}\n{all}"));
    front
        .check("kind: SOP\nstatus: Under Review\nowner:\napprover: ~\n")
        .unwrap();
    let entry = |fields: &[(&str, handbook::fields::Shape)]| {
        fields
            .iter()
            .map(|(name, shape)| format!("    {name}: {}\n", shape.sample_yaml()))
            .collect::<String>()
    };
    let every = format!(
        "people:\n  -\n{}teams:\n  -\n{}roles:\n  -\n{}",
        entry(handbook::fields::PERSON_FIELDS),
        entry(handbook::fields::TEAM_FIELDS),
        entry(handbook::fields::ROLE_FIELDS)
    );
    team.check(&every)
        .unwrap_or_else(|e| panic!("{e}\n{every}"));

    team.check("people:\n  - id: ana\n    name: Ana\n    github: ana-gh\n    joined: 2024-01-02\n")
        .unwrap();
    team.check("ana:\n  name: Ana\n").unwrap();
    team.check("- id: ana\n  name: Ana\n").unwrap();
    for bad in [
        "people:\n  - name: Ana\n",
        "people:\n  - id: ana\n    joined: 2024-1-2\n",
        "- name: Ana\n",
        "roles:\n  lead:\n    responsibilities: lead\n",
    ] {
        assert!(team.check(bad).is_err(), "{bad}");
    }
}
