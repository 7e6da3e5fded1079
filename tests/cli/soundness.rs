//! An accepted audit must mean the film is clear (issue 12): nothing that
//! was not checked may pass. Each test here failed on a882f0e.

use predicates::str::contains;

use crate::support::{credits, frame, json, Studio};

/// Item 1: `credits audit does-not-exist/` printed `ACCEPTED 0 file(s)`
/// and exited 0.
#[test]
fn auditing_a_missing_path_could_not_run() {
    let studio = Studio::new("Northwind Pictures");
    credits()
        .arg("audit")
        .arg(studio.dir.path().join("does-not-exist"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("error: cannot read"))
        .stderr(contains("does-not-exist"));
}

/// Item 1: an empty directory was accepted with nothing checked.
#[test]
fn an_audit_that_found_nothing_rejects() {
    let studio = Studio::new("Northwind Pictures");
    let empty = studio.subdir("empty");
    credits()
        .arg("audit")
        .arg(&empty)
        .assert()
        .code(1)
        .stdout(contains("REJECTED  0 audited, 0 skipped"))
        .stdout(contains("nothing_audited"));
}

/// Item 1: a tree whose entries were all skipped (a symlink out of the
/// tree) was accepted; a skipped path next to a trusted file was too.
#[test]
fn every_skipped_path_rejects_and_is_listed_by_name() {
    let studio = Studio::new("Northwind Pictures");
    let outside = studio.subdir("outside");
    frame(&outside.join("secret.png"), 1);
    let tree = studio.subdir("tree");
    let escape = tree.join("escape.png");
    std::os::unix::fs::symlink(outside.join("secret.png"), &escape).expect("symlink");
    credits()
        .arg("audit")
        .arg(&tree)
        .assert()
        .code(1)
        .stdout(contains("REJECTED  0 audited, 1 skipped"))
        .stdout(contains("not_audited"))
        .stdout(contains("escape.png"));

    let input = studio.subdir("src").join("shot.png");
    frame(&input, 2);
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&tree)
        .assert()
        .success();
    let output = credits()
        .arg("audit")
        .arg(&tree)
        .arg("--trust")
        .arg(&studio.trust)
        .args(["--format", "json"])
        .output()
        .expect("audit");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let r = json(&output);
    assert_eq!(r["summary"]["files"], 1);
    assert_eq!(r["summary"]["trusted"], 1);
    assert_eq!(r["accepted"], false);
    let not_audited: Vec<&serde_json::Value> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "not_audited")
        .collect();
    assert_eq!(not_audited.len(), 1, "{r}");
    assert!(not_audited[0]["asset"]
        .as_str()
        .is_some_and(|a| a.ends_with("escape.png")));
}
