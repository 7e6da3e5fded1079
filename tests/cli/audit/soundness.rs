//! An accepted audit must mean the film is clear (issue 12): nothing that
//! was not checked may pass. Each test here failed on a882f0e.

use predicates::str::contains;

use crate::judge::finding_codes;
use crate::support::{credits, ffmpeg, frame, json, path_str, Studio};

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

/// Item 2: the walker chose files by extension, so a signed `.m4a` (a
/// non-commercial AI score), an `.avi`, an `.mxf`, an extensionless render
/// and a name with a trailing space were never looked at.
#[test]
fn audit_identifies_media_by_content_and_lists_every_file() {
    let studio = Studio::new("Northwind Pictures");
    let film = studio.subdir("film");
    let p = |name: &str| film.join(name);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=1",
        "-c:a",
        "aac",
        path_str(&p("score.m4a")),
    ]);
    studio
        .stamp()
        .arg(p("score.m4a"))
        .arg("--in-place")
        .args(["--license", "suno-free", "--commercial-use", "no"])
        .assert()
        .success();
    let testsrc = "testsrc=duration=1:size=64x48:rate=25";
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        testsrc,
        "-c:v",
        "mpeg4",
        path_str(&p("plate.avi")),
    ]);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        testsrc,
        "-c:v",
        "mpeg2video",
        path_str(&p("master.mxf")),
    ]);
    frame(&p("render.png"), 3);
    std::fs::rename(p("render.png"), p("render")).expect("rename");
    frame(&p("shot.png"), 4);
    std::fs::rename(p("shot.png"), p("shot.png ")).expect("rename");
    std::fs::write(p("notes.txt"), "call sheet\n").expect("write");
    let policy = studio.dir.path().join("policy.toml");
    std::fs::write(&policy, "commercial = true\n").expect("write");

    let audit = || {
        let mut cmd = credits();
        cmd.arg("audit")
            .arg(&film)
            .arg("--trust")
            .arg(&studio.trust)
            .arg("--policy")
            .arg(&policy);
        cmd
    };
    audit()
        .assert()
        .code(1)
        .stdout(contains("REJECTED  5 audited, 1 skipped"));
    let output = audit().args(["--format", "json"]).output().expect("audit");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let r = json(&output);
    let listed: Vec<(String, bool)> = r["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let path = f["path"].as_str().expect("path");
            let name = path.rsplit('/').next().expect("name").to_string();
            assert!(!f["reason"].as_str().expect("reason").is_empty(), "{f}");
            (name, f["audited"].as_bool().expect("audited"))
        })
        .collect();
    let expected: Vec<(String, bool)> = [
        ("master.mxf", true),
        ("notes.txt", false),
        ("plate.avi", true),
        ("render", true),
        ("score.m4a", true),
        ("shot.png ", true),
    ]
    .iter()
    .map(|(n, a)| (n.to_string(), *a))
    .collect();
    assert_eq!(listed, expected, "{r}");
    let codes = finding_codes(&r);
    assert!(
        codes.contains(&("score.m4a".into(), "non_commercial_tool".into())),
        "{codes:?}"
    );
    for unsigned in ["plate.avi", "master.mxf", "render", "shot.png "] {
        assert!(
            codes.contains(&(unsigned.into(), "unsigned".into())),
            "{unsigned}: {codes:?}"
        );
    }
    assert!(
        codes.contains(&("notes.txt".into(), "not_audited".into())),
        "{codes:?}"
    );
}
