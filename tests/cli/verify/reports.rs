//! Every report (verify, stamp, derive, prove, audit, index) prints one JSON
//! document with the same `schema_version` under `--format json`, and
//! `--json` is the same thing (issue 11).

use std::path::Path;

use crate::support::{credits, frame, json, Studio};

fn schema_version(out: &std::process::Output) -> serde_json::Value {
    json(out)["schema_version"].clone()
}

#[test]
fn every_report_has_the_same_schema_version_in_json() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let input = src.join("a.png");
    frame(&input, 1);
    let run = |cmd: &mut assert_cmd::Command| cmd.output().expect("run");

    let stamp = run(studio
        .stamp()
        .arg(&input)
        .args(["--prompt", "a red fox", "--format", "json", "--out"])
        .arg(&out));
    let expected = schema_version(&stamp);
    assert!(expected.as_u64().is_some(), "stamp: {expected}");
    let signed = out.join("a.png");
    assert_eq!(json(&stamp)["stamped"][0]["output"], path_json(&signed));

    let verify = run(studio.verify().args(["--format", "json"]).arg(&signed));
    let alias = run(studio.verify().arg("--json").arg(&signed));
    let reveal = out.join("a.png.reveal.json");
    let prove = run(studio.prove(&signed, &reveal).args(["--format", "json"]));
    let index = run(credits()
        .args(["index", "add", "--format", "json", "--index"])
        .arg(studio.dir.path().join("studio.db"))
        .arg("--trust")
        .arg(&studio.trust)
        .arg(&signed));
    let audit = run(credits()
        .arg("audit")
        .arg(&out)
        .arg("--trust")
        .arg(&studio.trust)
        .args(["--format", "json"]));
    let derived = src.join("b.png");
    frame(&derived, 2);
    let derive = run(credits()
        .arg("derive")
        .arg(&derived)
        .arg("--from")
        .arg(&signed)
        .args(["--action", "resized", "--tool", "ImageMagick", "--json"])
        .arg("--key")
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain));
    for (name, out) in [
        ("verify", &verify),
        ("verify --json", &alias),
        ("prove", &prove),
        ("index add", &index),
        ("audit", &audit),
        ("derive", &derive),
    ] {
        assert_eq!(out.status.code(), Some(0), "{name}: {out:?}");
        assert_eq!(schema_version(out), expected, "{name}");
    }
    assert_eq!(json(&verify)["files"][0]["state"], "trusted");
    assert_eq!(json(&prove)["proven"], true);
    assert_eq!(json(&index)["indexed"][0]["added"], "new");
    assert_eq!(json(&audit)["accepted"], true);
}

#[test]
fn json_and_format_conflict_and_watch_takes_neither() {
    let studio = Studio::new("Northwind Pictures");
    credits()
        .args(["verify", "--json", "--format", "human", "x.png"])
        .assert()
        .code(2);
    let dir = studio.subdir("gen");
    credits()
        .arg("watch")
        .arg(&dir)
        .args(["--once", "--json", "--tool", "Runway", "--out"])
        .arg(studio.subdir("out"))
        .arg("--key")
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain)
        .assert()
        .code(2);
}

fn path_json(p: &Path) -> serde_json::Value {
    serde_json::Value::String(p.display().to_string())
}
