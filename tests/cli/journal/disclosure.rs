//! The C2PA 2.4 AI disclosure (`c2pa.ai-disclosure`, issue 32): its
//! human oversight level derived from the evidence a stamp signs — never
//! typed — shown by `verify`, and weighed by the audit against its own.

use std::path::Path;

use super::evidence::{audit_journal, stamp};
use crate::support::{credits, frame, json, Studio};

#[test]
fn the_ai_disclosure_is_derived_from_the_evidence() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("renders");
    for i in 1..=3 {
        frame(&dir.join(format!("a{i}.png")), i);
    }
    let level = |file: &Path| {
        studio.verdict(file)["ai_disclosure"]["human_oversight_level"]
            .as_str()
            .unwrap_or("none")
            .to_string()
    };
    // Nothing a person did is recorded: fully autonomous.
    let plain = studio.stamp_out(&dir.join("a1.png"));
    assert_eq!(level(&plain), "fully_autonomous");
    // A prompt: prompt-guided.
    let prompted = studio.stamp_out_with(&dir.join("a2.png"), &["--prompt", "a red door"]);
    assert_eq!(level(&prompted), "prompt_guided");
    // Chosen among two sealed attempts: human-validated.
    let journal = dir.join("j.jsonl");
    studio
        .journal_add(&journal)
        .arg(dir.join("a1.png"))
        .arg(dir.join("a3.png"))
        .assert()
        .success();
    let chosen = stamp(&studio, &dir.join("a3.png"), &journal, "chosen");
    assert_eq!(level(&chosen), "human_validated");
    // The same choice from an unsigned journal shows no selection.
    let unsigned = dir.join("u.jsonl");
    credits()
        .args(["journal", "add", "--unsigned", "--journal"])
        .arg(&unsigned)
        .arg(dir.join("a1.png"))
        .arg(dir.join("a3.png"))
        .assert()
        .success();
    let from_unsigned = stamp(&studio, &dir.join("a3.png"), &unsigned, "from-unsigned");
    assert_eq!(level(&from_unsigned), "fully_autonomous");
    // verify shows it; the audit says where it and the evidence disagree:
    // unproven (no --journal), the selection is not credited.
    let said = String::from_utf8_lossy(&studio.verify().arg(&chosen).output().unwrap().stdout)
        .into_owned();
    assert!(
        said.contains("oversight human_validated (c2pa.ai-disclosure"),
        "{said}"
    );
    let report = studio.audit(chosen.parent().unwrap());
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"ai_disclosure_disagrees"), "{report}");
    let report = json(&audit_journal(
        &studio,
        chosen.parent().unwrap(),
        &journal,
        &[],
    ));
    assert_eq!(report["assets"][0]["level"], 2, "{report}");
    assert!(
        !report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "ai_disclosure_disagrees"),
        "{report}"
    );
}

#[test]
fn journal_reveal_opens_exactly_one_entry() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("renders");
    let journal = dir.join("j.jsonl");
    let prompts = [
        "a red door",
        "a red door in the rain",
        "a blue door at night",
    ];
    for (i, p) in prompts.iter().enumerate() {
        let f = dir.join(format!("a{i}.png"));
        frame(&f, i as u32 + 1);
        studio
            .journal_add(&journal)
            .arg(&f)
            .args(["--prompt", p])
            .assert()
            .success();
    }
    let signed = stamp(&studio, &dir.join("a1.png"), &journal, "signed");
    let o = credits()
        .args(["journal", "reveal"])
        .arg(&journal)
        .args(["--entry", "3"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let reveal = dir.join("j.jsonl.entry-3.reveal.json");
    let text = std::fs::read_to_string(&reveal).unwrap();
    assert!(text.contains(prompts[2]), "{text}");
    assert!(
        !text.contains(prompts[0]) && !text.contains("in the rain"),
        "{text}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&reveal).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Shown to a court with the public journal only.
    let private = dir.join("j.jsonl.private");
    std::fs::rename(&private, dir.join("kept-apart")).unwrap();
    let prove = |r: &Path| {
        credits()
            .arg("prove")
            .arg(&signed)
            .arg("--journal")
            .arg(&journal)
            .arg("--reveal")
            .arg(r)
            .arg("--trust")
            .arg(&studio.trust)
            .arg("--json")
            .output()
            .unwrap()
    };
    let o = prove(&reveal);
    let v = json(&o);
    assert_eq!(o.status.code(), Some(0), "{v}");
    assert_eq!(
        v["fields"],
        serde_json::json!([{"field": "attempt 3 prompt", "matches": true}]),
        "{v}"
    );
    assert_eq!(v["journal"]["opened"], serde_json::Value::Null, "{v}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        !out.contains(prompts[0]) && !out.contains(prompts[1]),
        "{out}"
    );
    // A changed text does not open it.
    let forged = dir.join("forged.json");
    std::fs::write(&forged, text.replace("a blue door", "a green door")).unwrap();
    let o = prove(&forged);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["fields"][0]["matches"], false);
    // No such attempt, and an existing file is never replaced: exit 2.
    std::fs::rename(dir.join("kept-apart"), &private).unwrap();
    for args in [["--entry", "9"], ["--entry", "3"]] {
        let o = credits()
            .args(["journal", "reveal"])
            .arg(&journal)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
    assert_eq!(std::fs::read_to_string(&reveal).unwrap(), text);
}
