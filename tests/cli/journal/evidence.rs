//! The journal as evidence (issue 32): the four forgeries an operator
//! could try with the journal meant to bind them — padded, invented, out
//! of time, borrowed — each refused or counted as it is (the TSA's part:
//! `anchored.rs`).

use std::path::{Path, PathBuf};
use std::process::Output;

use sha2::{Digest, Sha256};

use crate::support::{credits, frame, json, small_frame, Studio};

/// `credits prove ASSET --journal J --trust <studio>` and `extra`.
pub(super) fn prove(
    studio: &Studio,
    asset: &Path,
    journal: &Path,
    extra: &[&str],
) -> (Output, String) {
    let o = credits()
        .arg("prove")
        .arg(asset)
        .arg("--journal")
        .arg(journal)
        .arg("--trust")
        .arg(&studio.trust)
        .args(extra)
        .output()
        .expect("run prove");
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    (o, said)
}

/// Stamp `file` from `journal` into the subdirectory `out`.
pub(super) fn stamp(studio: &Studio, file: &Path, journal: &Path, out: &str) -> PathBuf {
    let out = studio.subdir(out);
    studio
        .stamp()
        .arg(file)
        .arg("--out")
        .arg(&out)
        .arg("--journal")
        .arg(journal)
        .assert()
        .success();
    out.join(file.file_name().unwrap())
}

pub(super) fn audit_journal(studio: &Studio, dir: &Path, journal: &Path, extra: &[&str]) -> Output {
    credits()
        .arg("audit")
        .arg(dir)
        .arg("--trust")
        .arg(&studio.trust)
        .arg("--journal")
        .arg(journal)
        .arg("--json")
        .args(extra)
        .output()
        .unwrap()
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Write `entries` as a journal, each `prev` the SHA-256 of the line
/// before: what a forger with a text editor can always do.
fn write_chained(path: &Path, entries: &mut [serde_json::Value]) {
    let mut text = String::new();
    let mut prev = "0".repeat(64);
    for (i, e) in entries.iter_mut().enumerate() {
        e["n"] = (i as u64 + 1).into();
        e["prev"] = prev.clone().into();
        let line = serde_json::to_string(e).unwrap();
        prev = hex::encode(Sha256::digest(line.as_bytes()));
        text.push_str(&line);
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_padded_journal_counts_each_output_once() {
    // One real attempt, then the same junk frame logged 499 times (and a
    // copy re-saved with one pixel changed: another SHA-256, the same
    // content code).
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("renders");
    let journal = dir.join("j.jsonl");
    frame(&dir.join("real.png"), 1);
    frame(&dir.join("junk.png"), 2);
    let mut img = image::open(dir.join("junk.png")).unwrap().to_rgb8();
    img.put_pixel(0, 0, image::Rgb([1, 2, 3]));
    img.save(dir.join("junk-copy.png")).unwrap();
    studio
        .journal_add(&journal)
        .arg(dir.join("real.png"))
        .assert()
        .success();
    let mut add = studio.journal_add(&journal);
    for _ in 0..498 {
        add.arg(dir.join("junk.png"));
    }
    add.arg(dir.join("junk-copy.png")).assert().success();
    assert_eq!(lines(&journal).len(), 500);
    let signed = stamp(&studio, &dir.join("real.png"), &journal, "signed");
    let (o, said) = prove(&studio, &signed, &journal, &[]);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains("chosen 1 of 2 attempts (journal, proven, self-dated)"),
        "{said}"
    );
    assert!(said.contains("2 distinct, 498 repeat(s)"), "{said}");
    let report = json(&audit_journal(
        &studio,
        signed.parent().unwrap(),
        &journal,
        &[],
    ));
    assert_eq!(
        report["assets"][0]["evidence"]["selection"],
        "1 of 2 attempts (journal, proven, self-dated)",
        "{report}"
    );
}

#[test]
fn an_invented_journal_proves_nothing_and_missing_outputs_are_counted() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("renders");
    frame(&dir.join("real.png"), 1);
    // By hand: 499 outputs that never existed around the one real attempt
    // (logged unsigned), random hashes, invented times over 415 hours.
    let real = dir.join("real.jsonl");
    credits()
        .args(["journal", "add", "--unsigned", "--journal"])
        .arg(&real)
        .arg(dir.join("real.png"))
        .args(["--prompt", "a lighthouse"])
        .assert()
        .success();
    let mut entries = Vec::new();
    let start = 1_700_000_000i64;
    for i in 0..500u64 {
        let mut e = if i == 136 {
            lines(&real).remove(0)
        } else {
            serde_json::json!({
                "output": format!("gen_{i:05}.png"),
                "sha256": hex::encode(Sha256::digest(i.to_le_bytes())),
            })
        };
        let at = time::OffsetDateTime::from_unix_timestamp(start + i as i64 * 2990).unwrap();
        e["at"] = at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
            .into();
        e["prompt_revision"] = (1 + i * 120 / 500).into();
        entries.push(e);
    }
    let journal = dir.join("invented.jsonl");
    write_chained(&journal, &mut entries);
    let signed = stamp(&studio, &dir.join("real.png"), &journal, "signed");
    let (o, said) = prove(&studio, &signed, &journal, &[]);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("NOT PROVEN"), "{said}");
    assert!(said.contains("unsigned, self-dated"), "{said}");
    assert!(
        said.contains("the chosen attempt 137 is unsigned"),
        "{said}"
    );
    // The audit no longer credits it as selection (level 2).
    let report = json(&audit_journal(
        &studio,
        signed.parent().unwrap(),
        &journal,
        &[],
    ));
    let asset = &report["assets"][0];
    assert_eq!(
        asset["evidence"]["selection"],
        serde_json::Value::Null,
        "{asset}"
    );
    assert!(asset["level"].as_u64() < Some(2), "{asset}");
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "journal_unproven"
            && f["message"].as_str().unwrap().contains("unsigned")));

    // With a key, an operator can still seal outputs made only to pad
    // the count; the outputs folder shows which are gone.
    let sealed = dir.join("sealed.jsonl");
    let pad = studio.subdir("pad");
    let mut add = studio.journal_add(&sealed);
    for i in 0..20 {
        small_frame(&pad.join(format!("p{i}.png")), 100 + i);
        add.arg(pad.join(format!("p{i}.png")));
    }
    add.arg(dir.join("real.png")).assert().success();
    std::fs::remove_dir_all(&pad).unwrap();
    let signed = stamp(&studio, &dir.join("real.png"), &sealed, "signed-2");
    let outputs = dir.to_str().unwrap();
    let (o, said) = prove(&studio, &signed, &sealed, &["--outputs", outputs]);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains("1 of 21 logged outputs found on disk"),
        "{said}"
    );
    let (_, as_json) = prove(&studio, &signed, &sealed, &["--outputs", outputs, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&as_json).unwrap();
    assert_eq!(v["journal"]["outputs_present"], 1, "{v}");
    assert_eq!(v["journal"]["outputs_logged"], 21, "{v}");
}

#[test]
fn attempts_out_of_time_do_not_prove() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("renders");
    frame(&dir.join("a.png"), 1);
    frame(&dir.join("b.png"), 2);
    // `journal add` with the clock moved by `offset` (libfaketime).
    let add_later = |journal: &Path, file: &str, offset: &str| {
        let o = std::process::Command::new("faketime")
            .args(["-f", offset])
            .arg(assert_cmd::cargo::cargo_bin("credits"))
            .args(["journal", "add", "--journal"])
            .arg(journal)
            .arg("--key")
            .arg(&studio.key)
            .arg("--chain")
            .arg(&studio.chain)
            .arg(dir.join(file))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    // Dated six months after the stamp that summarises them.
    let late = dir.join("late.jsonl");
    add_later(&late, "a.png", "+180d");
    let signed = stamp(&studio, &dir.join("a.png"), &late, "signed-late");
    let (o, said) = prove(&studio, &signed, &late, &[]);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("after the stamp was signed"), "{said}");
    // Times that run backwards.
    let back = dir.join("back.jsonl");
    add_later(&back, "a.png", "+1d");
    studio
        .journal_add(&back)
        .arg(dir.join("b.png"))
        .assert()
        .success();
    let signed = stamp(&studio, &dir.join("b.png"), &back, "signed-back");
    let (o, said) = prove(&studio, &signed, &back, &[]);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("times run backwards"), "{said}");
}

#[test]
fn a_borrowed_journal_does_not_prove_and_a_shared_one_credits_each_their_own() {
    let studio = Studio::new("Northwind Pictures");
    let (bob_key, bob_chain) = studio.issue("Bob Ray", "bob@studio.test");
    let dir = studio.subdir("renders");
    for i in 1..=4 {
        frame(&dir.join(format!("f{i}.png")), i);
    }
    let bob_add = |journal: &Path, file: &str| {
        credits()
            .args(["journal", "add", "--journal"])
            .arg(journal)
            .arg("--key")
            .arg(&bob_key)
            .arg("--chain")
            .arg(&bob_chain)
            .arg(dir.join(file))
            .assert()
            .success();
    };
    // Bob's journal, Alice's stamp.
    let bobs = dir.join("bob.jsonl");
    bob_add(&bobs, "f1.png");
    bob_add(&bobs, "f2.png");
    let signed = stamp(&studio, &dir.join("f2.png"), &bobs, "signed-borrowed");
    let (o, said) = prove(&studio, &signed, &bobs, &[]);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains("was sealed by Bob Ray, not by the stamp's signer"),
        "{said}"
    );
    // A journal the two share: Alice is credited with her own attempts.
    let shared = dir.join("shared.jsonl");
    bob_add(&shared, "f1.png");
    studio
        .journal_add(&shared)
        .arg(dir.join("f2.png"))
        .assert()
        .success();
    bob_add(&shared, "f3.png");
    studio
        .journal_add(&shared)
        .arg(dir.join("f4.png"))
        .assert()
        .success();
    let signed = stamp(&studio, &dir.join("f4.png"), &shared, "signed-shared");
    let (o, said) = prove(&studio, &signed, &shared, &[]);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains("chosen 2 of 2 attempts (journal, proven, partly signed"),
        "{said}"
    );
    assert!(
        said.contains("2 attempt(s) sealed by Bob Ray (not credited"),
        "{said}"
    );
}

#[test]
fn an_old_unsigned_journal_still_reads_and_a_policy_can_require_signed_ones() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("renders");
    let journal = dir.join("old.jsonl");
    frame(&dir.join("a.png"), 1);
    frame(&dir.join("b.png"), 2);
    credits()
        .args(["journal", "add", "--unsigned", "--journal"])
        .arg(&journal)
        .arg(dir.join("a.png"))
        .arg(dir.join("b.png"))
        .assert()
        .success();
    let signed = stamp(&studio, &dir.join("b.png"), &journal, "signed");
    let (o, said) = prove(&studio, &signed, &journal, &[]);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains("(journal, NOT proven, unsigned, self-dated)"),
        "{said}"
    );
    // The audit warns; under require_signed_journal it rejects the film.
    let o = audit_journal(&studio, signed.parent().unwrap(), &journal, &[]);
    assert_eq!(o.status.code(), Some(0));
    let policy = dir.join("policy.toml");
    std::fs::write(&policy, "require_signed_journal = true\n").unwrap();
    let o = audit_journal(
        &studio,
        signed.parent().unwrap(),
        &journal,
        &["--policy", policy.to_str().unwrap()],
    );
    let report = json(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(
        report["reasons"][0]
            .as_str()
            .unwrap()
            .contains("journal_unproven"),
        "{report}"
    );
    // Without the journal, the policy cannot be met either.
    let o = credits()
        .arg("audit")
        .arg(signed.parent().unwrap())
        .arg("--trust")
        .arg(&studio.trust)
        .args(["--policy", policy.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(json(&o)["reasons"][0]
        .as_str()
        .unwrap()
        .contains("journal_unchecked"));
    // Nor by verify, which has no journal to check.
    let o = studio
        .verify()
        .arg(&signed)
        .args(["--policy", policy.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("require_signed_journal"));
}

#[test]
fn journal_add_without_a_key_says_how_to_seal() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("renders");
    frame(&dir.join("a.png"), 1);
    let o = credits()
        .args(["journal", "add", "--journal"])
        .arg(dir.join("j.jsonl"))
        .arg(dir.join("a.png"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--key KEY --chain CHAIN"), "{err}");
    assert!(!dir.join("j.jsonl").exists());
}
