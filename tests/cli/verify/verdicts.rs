//! `credits verify`: exit status, JSON shape, sidecars, unreadable files.

use predicates::str::contains;

use crate::support::{json, media, Studio};

#[test]
fn json_is_one_versioned_document() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let input = media(&src, "frame.png");
    studio.stamp_out(&input);
    let output = studio
        .verify()
        .arg("--json")
        .arg(out.join("frame.png"))
        .arg(&input)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1), "the unsigned input fails");
    let doc = json(&output);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["files"][0]["state"], "trusted");
    assert_eq!(doc["files"][1]["state"], "unsigned");
}

#[test]
fn unreadable_file_is_reported_and_the_run_continues() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let input = media(&src, "frame.png");
    studio.stamp_out(&input);
    studio
        .verify()
        .arg(src.join("does-not-exist.png"))
        .arg(out.join("frame.png"))
        .assert()
        .code(2)
        .stdout(contains("ERROR"))
        .stdout(contains("TRUSTED"));
}

#[test]
fn verdict_comes_first_in_human_output() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let input = media(&src, "frame.png");
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--license", "runway-pro", "--commercial-use", "no"])
        .assert()
        .success();
    let output = studio
        .verify()
        .arg(out.join("frame.png"))
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("TRUSTED"), "{text}");
    assert!(text.contains("operator  Alice Chen <alice@studio.test>, role prompt_design"));
    assert!(text.contains("commercial use: NO"));
}

#[test]
fn missing_trust_bundle_is_an_error_not_a_verdict() {
    let studio = Studio::new("Northwind Pictures");
    crate::support::credits()
        .arg("verify")
        .arg("--trust")
        .arg(studio.dir.path().join("nope.pem"))
        .arg(&studio.chain)
        .assert()
        .code(2)
        .stderr(contains("nope.pem"));
}
