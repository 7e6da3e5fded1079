//! Shares and human-control levels that cannot be inflated (issue 12,
//! items 7–9): copies count once, unchanged "edits" earn nothing, weights
//! keep their denominator. Each test here failed on a882f0e.

use std::path::{Path, PathBuf};

use crate::film::{self, Operator, RUNWAY};
use crate::judge::{audit_json, invalid_verdict, policy, sdk_ai_frame};
use crate::support::{clip, credits, frame, Studio};

/// `credits stamp FILE --in-place` as `who` under Runway's commercial
/// licence, `args` added (the film fixture's stamp).
fn stamp(who: &(PathBuf, PathBuf), file: &Path, args: &[&str]) {
    let who = Operator {
        key: &who.0,
        chain: &who.1,
    };
    film::stamp(&who, file, &[RUNWAY, args].concat());
}

/// The audit's JSON report of `dir` under the policy `text`.
fn audit(studio: &Studio, dir: &Path, text: &str) -> serde_json::Value {
    audit_json(studio, dir, &policy(studio, text)).1
}

/// (operator, percent) of every share.
fn shares(r: &serde_json::Value) -> Vec<(String, f64)> {
    r["shares"]
        .as_array()
        .expect("shares")
        .iter()
        .map(|s| {
            let who = s["operator"].as_str().expect("operator");
            let who = if who.is_empty() {
                s["name"].as_str().expect("name")
            } else {
                who
            };
            (who.to_string(), s["percent"].as_f64().expect("percent"))
        })
        .collect()
}

fn operators(studio: &Studio) -> ((PathBuf, PathBuf), (PathBuf, PathBuf)) {
    (
        (studio.key.clone(), studio.chain.clone()),
        studio.issue("Bob Diaz", "bob@studio.test"),
    )
}

/// Item 7: ten copies of one frame raised its operator's share to 10/11;
/// six copies of a controlled still cut the autonomous share to 1/7.
#[test]
fn identical_content_counts_once() {
    let studio = Studio::new("Northwind Pictures");
    let (alice, bob) = operators(&studio);
    let film = studio.subdir("film");
    frame(&film.join("a.png"), 1);
    stamp(&alice, &film.join("a.png"), &["--prompt", "a fox"]);
    frame(&film.join("b.png"), 2);
    stamp(&bob, &film.join("b.png"), &["--prompt", "a hare"]);
    for i in 1..10 {
        std::fs::copy(film.join("b.png"), film.join(format!("b{i}.png"))).expect("copy");
    }
    let r = audit(&studio, &film, "");
    assert_eq!(
        (
            r["summary"]["files"].as_u64(),
            r["summary"]["assets"].as_u64()
        ),
        (Some(11), Some(2)),
        "{r}"
    );
    assert_eq!(
        shares(&r),
        [
            ("alice@studio.test".to_string(), 50.0),
            ("bob@studio.test".to_string(), 50.0)
        ]
    );
    let b = r["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .find(|a| a["path"].as_str().is_some_and(|p| p.ends_with("/b.png")))
        .expect("b.png");
    assert_eq!(b["copies"].as_array().map(Vec::len), Some(9), "{b}");

    let stills = studio.subdir("stills");
    frame(&stills.join("x.png"), 3);
    stamp(&alice, &stills.join("x.png"), &[]);
    frame(&stills.join("y.png"), 4);
    stamp(&alice, &stills.join("y.png"), &["--prompt", "a gull"]);
    for i in 1..6 {
        std::fs::copy(stills.join("y.png"), stills.join(format!("y{i}.png"))).expect("copy");
    }
    let r = audit(&studio, &stills, "max_autonomous_share = 0.25\n");
    assert_eq!(r["autonomous_share"], 0.5, "{r}");
    assert_eq!(r["accepted"], false);
}

/// Item 8: a `derive` of an unchanged copy signed `color_graded` by a
/// director lifted the level to 3 and earned a share; a transcode earned
/// one too.
#[test]
fn an_edit_that_changed_nothing_earns_nothing() {
    let studio = Studio::new("Northwind Pictures");
    let (alice, bob) = operators(&studio);
    let film = studio.subdir("film");
    let shot = film.join("shot.png");
    frame(&shot, 5);
    stamp(&alice, &shot, &["--prompt", "a lighthouse"]);
    let graded = film.join("graded.png");
    std::fs::copy(&shot, &graded).expect("copy");
    credits()
        .arg("derive")
        .arg(&graded)
        .arg("--from")
        .arg(&shot)
        .args([
            "--action",
            "color_graded",
            "--role",
            "direction",
            "--tool",
            "Resolve",
        ])
        .args([
            "--license",
            "resolve-studio",
            "--commercial-use",
            "yes",
            "--key",
        ])
        .arg(&bob.0)
        .arg("--chain")
        .arg(&bob.1)
        .assert()
        .success();
    let r = audit(&studio, &film, "");
    let node = r["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .find(|a| {
            a["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("/graded.png"))
        })
        .expect("graded.png")
        .clone();
    assert_eq!(node["level"], 1, "{node}");
    assert_eq!(node["evidence"]["same_pixels_as_source"], true, "{node}");
    let findings: Vec<&str> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["asset"]
                .as_str()
                .is_some_and(|a| a.ends_with("/graded.png"))
        })
        .map(|f| f["code"].as_str().expect("code"))
        .collect();
    assert_eq!(findings, ["edit_without_change"], "{r}");
    assert_eq!(shares(&r), [("alice@studio.test".to_string(), 100.0)]);
}

/// Item 9: role weights were re-divided over the roles present (one role
/// filled of three took 100%), and the autonomy limit counted assets only.
#[test]
fn weights_keep_their_denominator_and_autonomy_counts_seconds() {
    let studio = Studio::new("Northwind Pictures");
    let (alice, _) = operators(&studio);
    let film = studio.subdir("film");
    let shot = film.join("shot.mp4");
    clip(&shot);
    stamp(&alice, &shot, &[]);
    for seed in 1..4 {
        let still = film.join(format!("still{seed}.png"));
        frame(&still, seed);
        stamp(&alice, &still, &["--prompt", "a heron"]);
    }
    let policy = "max_autonomous_share = 0.5\nmax_autonomous_seconds_share = 0.5\n\
                  [role_weights]\nprompt_design = 40\ncontrol = 30\naudio = 30\n";
    let r = audit(&studio, &film, policy);
    assert_eq!(
        shares(&r),
        [
            ("alice@studio.test".to_string(), 40.0),
            ("(unassigned: control)".to_string(), 30.0),
            ("(unassigned: audio)".to_string(), 30.0),
        ]
    );
    assert_eq!(r["autonomous_share"], 0.25, "{r}");
    assert_eq!(r["autonomous_seconds_share"], 1.0, "{r}");
    assert_eq!(r["accepted"], false);
    let reasons = r["reasons"].to_string();
    assert!(
        reasons.contains("of AI-generated footage (100.0%) show no human control"),
        "{reasons}"
    );
    assert!(
        !reasons.contains("AI-generated assets (25.0%)"),
        "{reasons}"
    );
}

/// Item 6: a record naming a colleague's email (with the signer's own
/// name) credited the colleague; a 64×36 frame "lasting" 100,000 s was
/// trusted and its seconds counted.
#[test]
fn the_operator_and_the_media_facts_are_checked() {
    let studio = Studio::new("Northwind Pictures");
    let (alice, bob) = operators(&studio);
    let film = studio.subdir("film");
    let record = |name: &str, email: &str, media: serde_json::Value| {
        serde_json::json!({
            "schema": 1,
            "tool": {"name": "Runway"},
            "license": {"id": "runway-pro", "commercial_use": true},
            "operator": {"name": name, "id": email, "role": "prompt_design"},
            "media": media,
            "generated_at": "2026-11-28T00:00:00Z",
        })
    };
    let frame_facts =
        serde_json::json!({"kind": "frame", "container": "png", "width": 64, "height": 36});
    let borrowed = film.join("borrowed.png");
    let bob_keys = (bob.0.as_path(), bob.1.as_path());
    sdk_ai_frame(
        bob_keys,
        &borrowed,
        1,
        Some(record("Bob Diaz", "alice@studio.test", frame_facts)),
        None,
    );
    let long = film.join("long.png");
    let clip_facts = serde_json::json!({
        "kind": "clip", "container": "png", "width": 64, "height": 36, "duration_s": 100000.0,
    });
    sdk_ai_frame(
        bob_keys,
        &long,
        2,
        Some(record("Bob Diaz", "bob@studio.test", clip_facts)),
        None,
    );
    for (file, code, detail) in [
        (&borrowed, "credits.operator.mismatch", "alice@studio.test"),
        (&long, "credits.media.mismatch", "100000"),
    ] {
        let v = &invalid_verdict(&studio, file);
        let found = v["findings"].as_array().expect("findings");
        assert!(
            found
                .iter()
                .any(|f| f["code"] == code
                    && f["detail"].as_str().is_some_and(|d| d.contains(detail))),
            "{v}"
        );
    }

    // What does count is keyed by the certificate, shown with name and email.
    let shot = film.join("shot.png");
    frame(&shot, 3);
    stamp(&alice, &shot, &["--prompt", "a wren"]);
    let r = audit(&studio, &film, "require_trusted = false\n");
    assert_eq!(
        shares(&r),
        [("alice@studio.test".to_string(), 100.0)],
        "{r}"
    );
    let share = &r["shares"][0];
    assert_eq!(share["name"], "Alice Chen");
    let certificate = share["certificate"].as_str().expect("certificate");
    assert!(
        certificate.contains("Northwind Pictures") && certificate.contains(" #"),
        "{certificate}"
    );
}
