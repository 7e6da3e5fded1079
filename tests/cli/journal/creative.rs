//! The creative journal (issue 15): attempts logged hash-chained, one of
//! them stamped with the journal's summary, proven against the journal —
//! and the proof fails when any entry is removed, edited or moved.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{credits, frame, json, Studio};

/// Five attempts (two prompts, a parameter change), the third stamped:
/// (journal, signed third attempt).
fn five_attempts(studio: &Studio) -> (PathBuf, PathBuf) {
    let dir = studio.subdir("renders");
    let journal = dir.join("journal.jsonl");
    for i in 1..=5 {
        frame(&dir.join(format!("a{i}.png")), i);
    }
    let add = |files: &[&str], prompt: &str, steps: &str| {
        let mut cmd = studio.journal_add(&journal);
        for f in files {
            cmd.arg(dir.join(f));
        }
        cmd.args(["--prompt", prompt, "--param", &format!("steps={steps}")])
            .assert()
            .success();
    };
    add(&["a1.png", "a2.png"], "a red door", "20");
    add(&["a3.png"], "a red door in the rain", "30");
    add(&["a4.png", "a5.png"], "a red door in the rain", "30");
    (
        journal.clone(),
        stamp_chosen(studio, &dir.join("a3.png"), "signed", &journal),
    )
}

/// `credits stamp FILE --journal J` into a new directory `out`: the output.
fn stamp_chosen(studio: &Studio, file: &Path, out: &str, journal: &Path) -> PathBuf {
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

fn prove(studio: &Studio, asset: &Path, journal: &Path) -> Output {
    credits()
        .arg("prove")
        .arg(asset)
        .arg("--journal")
        .arg(journal)
        .arg("--trust")
        .arg(&studio.trust)
        .output()
        .expect("run prove")
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_chosen_attempt_is_signed_with_the_journal_and_proven_against_it() {
    let studio = Studio::new("Northwind Pictures");
    let (journal, signed) = five_attempts(&studio);
    let v = studio.verdict(&signed);
    let j = &v["record"]["journal"];
    assert_eq!(j["entries"], 5, "{v}");
    assert_eq!(j["chosen"], 3, "{v}");
    assert_eq!(j["prompt_revisions"], 2, "{v}");
    assert_eq!(j["parameter_changes"], 1, "{v}");
    // Each attempt names its output by SHA-256 and by ISCC content code;
    // the chosen one's code is the one its stamp signed.
    let entries: Vec<serde_json::Value> = lines(&journal)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for e in &entries {
        assert!(
            e["fingerprint"].as_str().unwrap().starts_with("ISCC:"),
            "{e}"
        );
    }
    assert_eq!(entries[2]["fingerprint"], v["soft_binding"]["iscc"], "{v}");
    let o = prove(&studio, &signed, &journal);
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains("chosen 3 of 5 attempts (journal, proven, self-dated)"),
        "{said}"
    );
    // Unchecked, the journal's summary is said and not credited.
    let audit = credits()
        .arg("audit")
        .arg(signed.parent().unwrap())
        .arg("--trust")
        .arg(&studio.trust)
        .arg("--json")
        .output()
        .unwrap();
    let asset = &json(&audit)["assets"][0];
    assert_eq!(asset["evidence"]["selection"], serde_json::Value::Null);
    assert_eq!(
        asset["evidence"]["journal"],
        "attempt 3 of 5 logged (journal, not checked: no --journal given)",
        "{asset}"
    );
    assert_eq!(asset["level"], 0, "{asset}");
    // Given the journal, the audit proves it.
    let audit_with = |j: &Path| {
        json(
            &credits()
                .arg("audit")
                .arg(signed.parent().unwrap())
                .arg("--trust")
                .arg(&studio.trust)
                .arg("--journal")
                .arg(j)
                .arg("--json")
                .output()
                .unwrap(),
        )
    };
    // Given the journal, the audit proves it and credits the selection
    // as human control (level 2).
    let report = audit_with(&journal);
    let selection = &report["assets"][0]["evidence"]["selection"];
    assert_eq!(
        selection, "3 of 5 attempts (journal, proven, self-dated)",
        "{report}"
    );
    assert_eq!(report["assets"][0]["level"], 2, "{report}");
    assert!(
        said.contains("5 of 5 attempts' prompt commitments"),
        "{said}"
    );

    // The public part alone proves the counts, disclosing no prompt.
    let private = journal.with_file_name("journal.jsonl.private");
    let aside = journal.with_file_name("aside");
    std::fs::rename(&private, &aside).unwrap();
    let o = prove(&studio, &signed, &journal);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("no prompt disclosed"));
    std::fs::rename(&aside, &private).unwrap();

    // Removing, editing or moving any entry fails the proof.
    let original = lines(&journal);
    let removed: Vec<String> = original
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| l.clone())
        .collect();
    let mut edited = original.clone();
    edited[3] = edited[3].replace("\"steps\":\"30\"", "\"steps\":\"31\"");
    let mut moved = original.clone();
    moved.swap(0, 1);
    for (what, text) in [("removed", removed), ("edited", edited), ("moved", moved)] {
        std::fs::write(&journal, text.join("\n") + "\n").unwrap();
        let o = prove(&studio, &signed, &journal);
        let said = String::from_utf8_lossy(&o.stdout).into_owned();
        assert_eq!(o.status.code(), Some(1), "{what}: {said}");
        assert!(said.contains("NOT PROVEN"), "{what}: {said}");
        let report = audit_with(&journal);
        let asset = &report["assets"][0];
        assert_eq!(asset["evidence"]["selection"], serde_json::Value::Null);
        assert!(
            asset["evidence"]["journal"]
                .as_str()
                .unwrap()
                .contains("(journal, NOT proven"),
            "{what}: {asset}"
        );
        assert_eq!(asset["level"], 0, "{what}: {asset}");
        assert!(report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "journal_unproven"));
    }
}

#[test]
fn a_torn_journal_is_reported_and_its_intact_prefix_still_proves() {
    let studio = Studio::new("Northwind Pictures");
    let (journal, signed) = five_attempts(&studio);
    // A sixth attempt whose line a crash cut short. A SIGKILL cannot do
    // that on Linux (a line is one write of less than a page, and the
    // kernel stops a dying writer only between pages: the test above);
    // power loss on a file system without data journaling can, so the
    // cut is made here by hand.
    let dir = journal.parent().unwrap();
    frame(&dir.join("a6.png"), 6);
    studio
        .journal_add(&journal)
        .arg(dir.join("a6.png"))
        .assert()
        .success();
    let len = std::fs::metadata(&journal).unwrap().len();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&journal)
        .unwrap();
    f.set_len(len - 25).unwrap();
    let o = prove(&studio, &signed, &journal);
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(said.contains("torn"), "{said}");
    // Nothing is appended after a torn line, nor stamped from it.
    let o = studio
        .journal_add(&journal)
        .arg(dir.join("a6.png"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cut short"));
    assert_eq!(std::fs::metadata(&journal).unwrap().len(), len - 25);
}

#[test]
fn a_journal_add_killed_mid_batch_leaves_a_journal_that_proves_and_goes_on() {
    // A real SIGKILL while `journal add` logs a batch: every line in the
    // journal is whole (a line is one write of less than a page), the
    // stamp made earlier still proves, and the next append links on.
    let studio = Studio::new("Northwind Pictures");
    let (journal, signed) = five_attempts(&studio);
    let batch = studio.subdir("batch");
    let names: Vec<PathBuf> = (0..400)
        .map(|i| {
            let f = batch.join(format!("b{i:03}.png"));
            crate::support::small_frame(&f, 100 + i);
            f
        })
        .collect();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("credits"))
        .args(["journal", "add", "--journal"])
        .arg(&journal)
        .arg("--key")
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain)
        .args(&names)
        .args(["--prompt", "a red door at night"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while lines(&journal).len() < 25 && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    let logged = lines(&journal).len();
    assert!(
        (25..405).contains(&logged),
        "killed mid-batch: {logged} lines, {status:?}"
    );
    let o = prove(&studio, &signed, &journal);
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{said}");
    // The chain goes on from the last whole entry.
    let next = studio.subdir("next").join("n.png");
    frame(&next, 777);
    studio.journal_add(&journal).arg(&next).assert().success();
    let signed = stamp_chosen(&studio, &next, "signed-next", &journal);
    let o = prove(&studio, &signed, &journal);
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!("chosen {} of {} attempts", logged + 1, logged + 1)),
        "{said}"
    );
}

#[test]
fn an_append_that_cannot_finish_its_line_is_taken_back() {
    // A file-size limit (as a full disk would) stops the write part-way:
    // the append fails with the disk hint and the journal keeps no torn
    // line — it is byte for byte what it was, and still proves.
    let studio = Studio::new("Northwind Pictures");
    let (journal, signed) = five_attempts(&studio);
    let before = std::fs::read(&journal).unwrap();
    let private_len = std::fs::metadata(journal.with_extension("jsonl.private"))
        .unwrap()
        .len();
    let limit = before.len() as u64 + 40;
    // The private line (no prompt: a few bytes) fits under the limit.
    assert!(private_len + 64 < limit, "{private_len} vs {limit}");
    let dir = journal.parent().unwrap();
    frame(&dir.join("a6.png"), 6);
    let o = std::process::Command::new("prlimit")
        .arg(format!("--fsize={limit}"))
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin("credits"))
        .args(["journal", "add", "--journal"])
        .arg(&journal)
        .arg("--key")
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain)
        .arg(dir.join("a6.png"))
        .output()
        .expect("prlimit");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("the disk is full"), "{err}");
    assert_eq!(std::fs::read(&journal).unwrap(), before);
    let o = prove(&studio, &signed, &journal);
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(!said.contains("torn"), "{said}");
}

#[test]
fn an_output_not_in_the_journal_is_not_stamped_from_it() {
    let studio = Studio::new("Northwind Pictures");
    let (journal, _) = five_attempts(&studio);
    let stranger = studio.subdir("other").join("x.png");
    frame(&stranger, 9);
    let out = studio.subdir("signed-2");
    let o = studio
        .stamp()
        .arg(&stranger)
        .arg("--out")
        .arg(&out)
        .arg("--journal")
        .arg(&journal)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let report = json(&o);
    assert!(report["failed"][0]["error"]
        .as_str()
        .unwrap()
        .contains("not one of its attempts"));
    assert!(!out.join("x.png").exists());
}

#[test]
fn watch_logs_every_output_once_across_a_restart() {
    let studio = Studio::new("Northwind Pictures");
    let gen = studio.subdir("gen");
    let out = studio.subdir("out");
    let journal = studio.dir.path().join("watch.journal");
    let once = || {
        let mut cmd = studio.signing("watch", &gen, &out);
        cmd.args(["--once", "--settle-ms", "0", "--journal"])
            .arg(&journal);
        assert_cmd::Command::from_std(cmd).assert().success();
    };
    for i in 0..12 {
        crate::support::small_frame(&gen.join(format!("f{i:02}.png")), i);
    }
    once();
    // The watcher stops; the generator goes on; the watcher starts again.
    for i in 12..20 {
        crate::support::small_frame(&gen.join(format!("f{i:02}.png")), i);
    }
    once();
    once();
    let entries = lines(&journal);
    assert_eq!(entries.len(), 20, "{entries:#?}");
    let mut hashes: Vec<String> = entries
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["sha256"].to_string())
        .collect();
    hashes.sort();
    hashes.dedup();
    assert_eq!(hashes.len(), 20, "each output once");
    // The watcher logs the content code its stamp computed.
    for l in &entries {
        let e: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(
            e["fingerprint"].as_str().unwrap().starts_with("ISCC:"),
            "{e}"
        );
    }
    // Every output's record names its own attempt (outputs are stamped
    // on every core, so in no fixed order); the last logged proves.
    let mut chosen = Vec::new();
    let mut last = None;
    for i in 0..20 {
        let file = out.join(format!("f{i:02}.png"));
        let j = studio.verdict(&file)["record"]["journal"].clone();
        // Other outputs may be logged between this one's entry and its
        // stamp: the summary covers the journal as it then was.
        assert!(
            j["chosen"].as_u64() <= j["entries"].as_u64(),
            "{file:?}: {j}"
        );
        chosen.push(j["chosen"].as_u64().unwrap());
        if j["chosen"] == 20 {
            assert_eq!(j["entries"], 20, "{j}");
            last = Some(file);
        }
    }
    chosen.sort();
    assert_eq!(chosen, (1..=20).collect::<Vec<u64>>());
    let last = last.unwrap();
    let o = prove(&studio, &last, &journal);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
