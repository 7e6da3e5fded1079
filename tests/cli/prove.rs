//! Prompt privacy: salted commitments, private reveal files, `credits prove`.

use std::os::unix::fs::PermissionsExt;

use crate::support::{json, media, Studio};

const PROMPT: &str = "a lighthouse in a storm, 35mm, golden hour";

fn stamp_with_prompt(studio: &Studio, name: &str) -> std::path::PathBuf {
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let input = media(&src, name);
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--prompt", PROMPT, "--seed", "99"])
        .assert()
        .success();
    out.join(name)
}

fn commitment(studio: &Studio, file: &std::path::Path) -> String {
    let output = studio
        .verify()
        .arg("--json")
        .arg(file)
        .output()
        .expect("run");
    json(&output)["files"][0]["record"]["prompt"]["commitment"]
        .as_str()
        .expect("commitment")
        .to_string()
}

#[test]
fn same_prompt_twice_gives_different_commitments() {
    let studio = Studio::new("Northwind Pictures");
    let a = stamp_with_prompt(&studio, "a.png");
    let b = stamp_with_prompt(&studio, "b.png");
    let (ca, cb) = (commitment(&studio, &a), commitment(&studio, &b));
    assert_eq!(ca.len(), 64);
    assert_ne!(ca, cb);
}

#[test]
fn prompt_is_never_embedded_and_reveal_is_private() {
    let studio = Studio::new("Northwind Pictures");
    let signed = stamp_with_prompt(&studio, "a.png");
    let bytes = std::fs::read(&signed).expect("read");
    assert!(!bytes.windows(PROMPT.len()).any(|w| w == PROMPT.as_bytes()));
    let reveal = signed.with_file_name("a.png.reveal.json");
    let mode = std::fs::metadata(&reveal)
        .expect("reveal")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&reveal).expect("reveal");
    assert!(text.contains(PROMPT));
}

#[test]
fn prove_passes_with_the_right_reveal_file() {
    let studio = Studio::new("Northwind Pictures");
    let signed = stamp_with_prompt(&studio, "a.png");
    crate::support::credits()
        .arg("prove")
        .arg(&signed)
        .arg("--reveal")
        .arg(signed.with_file_name("a.png.reveal.json"))
        .arg("--trust")
        .arg(&studio.trust)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("PROVEN"));
}

#[test]
fn prove_fails_with_a_wrong_prompt() {
    let studio = Studio::new("Northwind Pictures");
    let signed = stamp_with_prompt(&studio, "a.png");
    let reveal = signed.with_file_name("a.png.reveal.json");
    let text = std::fs::read_to_string(&reveal).expect("reveal");
    let forged = studio.dir.path().join("forged.json");
    std::fs::write(&forged, text.replace("lighthouse", "windmill")).expect("write");
    let output = crate::support::credits()
        .arg("prove")
        .arg(&signed)
        .arg("--reveal")
        .arg(&forged)
        .arg("--json")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let proof = json(&output);
    assert_eq!(proof["proven"], false);
    assert_eq!(proof["fields"][0]["field"], "prompt");
    assert_eq!(proof["fields"][0]["matches"], false);
    assert_eq!(proof["fields"][1]["field"], "seed");
    assert_eq!(proof["fields"][1]["matches"], true);
}

#[test]
fn reveal_of_another_asset_does_not_prove() {
    let studio = Studio::new("Northwind Pictures");
    let a = stamp_with_prompt(&studio, "a.png");
    let b = stamp_with_prompt(&studio, "b.png");
    crate::support::credits()
        .arg("prove")
        .arg(&a)
        .arg("--reveal")
        .arg(b.with_file_name("b.png.reveal.json"))
        .assert()
        .code(1);
}

#[test]
fn prove_on_an_unsigned_asset_fails_with_a_reason() {
    let studio = Studio::new("Northwind Pictures");
    let signed = stamp_with_prompt(&studio, "a.png");
    let unsigned = media(&studio.subdir("plain"), "plain.png");
    crate::support::credits()
        .arg("prove")
        .arg(&unsigned)
        .arg("--reveal")
        .arg(signed.with_file_name("a.png.reveal.json"))
        .assert()
        .code(1)
        .stdout(predicates::str::contains("no C2PA manifest"));
}

#[test]
fn prove_on_a_tampered_asset_fails() {
    let studio = Studio::new("Northwind Pictures");
    let signed = stamp_with_prompt(&studio, "a.png");
    crate::support::flip_media_byte(&signed);
    crate::support::credits()
        .arg("prove")
        .arg(&signed)
        .arg("--reveal")
        .arg(signed.with_file_name("a.png.reveal.json"))
        .assert()
        .code(1)
        .stdout(predicates::str::contains("not intact"));
}
