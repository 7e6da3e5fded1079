//! A journal anchored at a TSA (issue 32) reads `timestamped` in `prove`,
//! the audit and the rights certificate; one without reads `self-dated`;
//! a token moved from another entry is refused.

use super::evidence::{audit_journal, prove, stamp};
use crate::support::{credits, frame, json, Studio};
use crate::tsa_server::{Mode, Tsa};

#[test]
fn a_journal_anchored_at_a_tsa_reads_timestamped_and_a_moved_token_is_refused() {
    let studio = Studio::new("Northwind Pictures");
    let tsa = Tsa::start(&studio.subdir("tsa"), "Journal Time", Mode::Good);
    let root = tsa.root.to_str().unwrap().to_string();
    let dir = studio.subdir("renders");
    let journal = dir.join("j.jsonl");
    for i in 1..=3 {
        frame(&dir.join(format!("a{i}.png")), i);
    }
    studio
        .journal_add(&journal)
        .args(["--tsa", &tsa.url])
        .arg(dir.join("a1.png"))
        .arg(dir.join("a2.png"))
        .arg(dir.join("a3.png"))
        .assert()
        .success();
    let signed = stamp(&studio, &dir.join("a2.png"), &journal, "signed");
    let (o, said) = prove(&studio, &signed, &journal, &["--tsa-trust", &root]);
    assert_eq!(o.status.code(), Some(0), "{said}");
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert!(
        said.contains(&format!(
            "chosen 2 of 3 attempts (journal, proven, timestamped {today} "
        )),
        "{said}"
    );
    assert!(
        said.contains("3 of 3 sealed attempts dated by a trusted timestamp"),
        "{said}"
    );
    // The audit and its report say the same.
    let report = json(&audit_journal(
        &studio,
        signed.parent().unwrap(),
        &journal,
        &["--tsa-trust", &root],
    ));
    let selection = report["assets"][0]["evidence"]["selection"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        selection.contains("(journal, proven, timestamped "),
        "{report}"
    );
    let rows = report["assets"][0]["evidence"]["authorship"]
        .as_array()
        .unwrap();
    assert!(
        rows.iter()
            .any(|r| r["what"] == "attempts and selection" && r["dated"] == "contemporaneous"),
        "{report}"
    );
    // And the rights certificate, which carries the audit.
    let (ckey, cchain) = studio.certifier("Rosa Lind", "rosa@studio.test", 30);
    let cert = dir.join("film.intoto.json");
    credits()
        .arg("certify")
        .arg(signed.parent().unwrap())
        .arg("--trust")
        .arg(&studio.trust)
        .args(["--tsa-trust", &root, "--journal"])
        .arg(&journal)
        .arg("--key")
        .arg(&ckey)
        .arg("--chain")
        .arg(&cchain)
        .arg("--out")
        .arg(&cert)
        .arg("--allow-rejected")
        .assert()
        .success();
    let o = credits()
        .arg("verify")
        .arg(&cert)
        .arg("--trust")
        .arg(&studio.trust)
        .args(["--format", "html"])
        .output()
        .unwrap();
    let sheet = String::from_utf8_lossy(&o.stdout);
    assert!(sheet.contains("Human authorship evidence"), "{sheet}");
    assert!(
        sheet.contains("chosen 2 of 3 attempts (proven, timestamped "),
        "{sheet}"
    );
    assert!(sheet.contains("contemporaneous"), "{sheet}");
    // Without the TSA's root, the tokens count for nothing: self-dated.
    let (o, said) = prove(&studio, &signed, &journal, &[]);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(said.contains("(journal, proven, self-dated)"), "{said}");
    // A journal logged without --tsa is self-dated.
    let plain = dir.join("plain.jsonl");
    studio
        .journal_add(&plain)
        .arg(dir.join("a1.png"))
        .assert()
        .success();
    let signed_plain = stamp(&studio, &dir.join("a1.png"), &plain, "signed-plain");
    let (_, said) = prove(&studio, &signed_plain, &plain, &["--tsa-trust", &root]);
    assert!(said.contains("(journal, proven, self-dated)"), "{said}");

    // The last entry's token replaced by the first's: a token over
    // another entry (another head) is refused.
    let text = std::fs::read_to_string(&journal).unwrap();
    let mut rows: Vec<String> = text.lines().map(str::to_string).collect();
    let token = |row: &str| {
        let v: serde_json::Value = serde_json::from_str(row).unwrap();
        v["seal"]["timestamp"].as_str().unwrap().to_string()
    };
    let (first, last) = (token(&rows[0]), token(&rows[2]));
    rows[2] = rows[2].replace(&last, &first);
    std::fs::write(&journal, rows.join("\n") + "\n").unwrap();
    let signed = stamp(&studio, &dir.join("a3.png"), &journal, "signed-moved");
    let (o, said) = prove(&studio, &signed, &journal, &["--tsa-trust", &root]);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains("attempt 3: its timestamp token is not over its signature"),
        "{said}"
    );
}

#[test]
fn watch_seals_each_attempt_with_its_key_and_anchors_it_at_its_tsa() {
    let studio = Studio::new("Northwind Pictures");
    let tsa = Tsa::start(&studio.subdir("tsa"), "Watch Time", Mode::Good);
    let (gen, out) = (studio.subdir("gen"), studio.subdir("out"));
    let journal = studio.dir.path().join("watch.journal");
    for i in 0..3 {
        crate::support::small_frame(&gen.join(format!("f{i}.png")), i);
    }
    let mut cmd = studio.signing("watch", &gen, &out);
    cmd.args(["--once", "--settle-ms", "0", "--tsa", &tsa.url, "--journal"])
        .arg(&journal);
    assert_cmd::Command::from_std(cmd).assert().success();
    let text = std::fs::read_to_string(&journal).unwrap();
    let entries: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.len(), 3);
    for e in &entries {
        assert!(e["seal"]["sig"].is_string(), "{e}");
        assert!(e["seal"]["timestamp"].is_string(), "{e}");
    }
    let last = entries.iter().find(|e| e["n"] == 3).unwrap()["output"]
        .as_str()
        .unwrap()
        .to_string();
    let root = tsa.root.to_str().unwrap().to_string();
    let (o, said) = prove(&studio, &out.join(last), &journal, &["--tsa-trust", &root]);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(said.contains("(journal, proven, timestamped "), "{said}");
}
