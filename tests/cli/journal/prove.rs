//! Prompt privacy: salted commitments, private reveal files, `credits prove`.

use std::os::unix::fs::PermissionsExt;

use crate::support::{json, media, Studio};

const PROMPT: &str = "a lighthouse in a storm, 35mm, golden hour";

fn stamp_with_prompt(studio: &Studio, name: &str) -> std::path::PathBuf {
    studio.stamp_generated(name, &["--prompt", PROMPT, "--seed", "99"])
}

fn commitment(studio: &Studio, file: &std::path::Path) -> String {
    studio.verdict(file)["record"]["prompt"]["commitment"]
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

/// Likely prompts an attacker might try: variations of the real one among
/// common generation prompts.
fn dictionary() -> Vec<String> {
    let subjects = [
        "a lighthouse",
        "a castle",
        "a forest",
        "a city",
        "a robot",
        "a portrait",
    ];
    let moods = [
        "in a storm",
        "at dawn",
        "at night",
        "in fog",
        "in the rain",
        "",
    ];
    let styles = ["35mm", "cinematic", "anime", "oil painting", "8k", ""];
    let lights = ["golden hour", "volumetric light", "neon", ""];
    let mut words = Vec::new();
    for s in subjects {
        for m in moods {
            for st in styles {
                for l in lights {
                    let parts: Vec<&str> = [s, m].into_iter().filter(|p| !p.is_empty()).collect();
                    let tail: Vec<&str> = [st, l].into_iter().filter(|p| !p.is_empty()).collect();
                    let mut text = parts.join(" ");
                    if !tail.is_empty() {
                        text = format!("{text}, {}", tail.join(", "));
                    }
                    words.push(text);
                }
            }
        }
    }
    words
}

#[test]
fn a_prompt_dictionary_cannot_be_matched_without_the_salt() {
    use credits::prove::commitment::{commit, Field};
    use sha2::{Digest, Sha256};
    let studio = Studio::new("Northwind Pictures");
    let signed = stamp_with_prompt(&studio, "a.png");
    let target = commitment(&studio, &signed);
    let words = dictionary();
    assert!(
        words.iter().any(|w| w == PROMPT),
        "the real prompt is in the dictionary"
    );
    // Without the salt: plain hashes, and our scheme under guessed salts.
    let guesses = [
        [0u8; 32],
        [0xff; 32],
        *b"credits/prompt/v1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    ];
    for w in &words {
        assert_ne!(hex::encode(Sha256::digest(w.as_bytes())), target);
        for salt in &guesses {
            assert_ne!(commit(Field::Prompt, salt, w), target, "matched {w:?}");
        }
    }
    // With the salt from the private reveal file, the same search finds it —
    // the salt alone is what protects the prompt.
    let reveal: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(signed.with_file_name("a.png.reveal.json")).expect("reveal"),
    )
    .expect("json");
    let salt: [u8; 32] = hex::decode(reveal["prompt"]["salt"].as_str().expect("salt"))
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    let found: Vec<&String> = words
        .iter()
        .filter(|w| commit(Field::Prompt, &salt, w) == target)
        .collect();
    assert_eq!(found, [&PROMPT.to_string()]);
}
