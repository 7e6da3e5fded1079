//! Licences, tools and records judged along the whole ingredient chain
//! (issue 12, items 3–4). Each test here failed on a882f0e.

use std::path::{Path, PathBuf};

use predicates::str::contains;

use crate::judge::{audit_json, file_name, finding_codes, invalid_verdict, policy, sdk_ai_frame};
use crate::support::{clip, credits, ffmpeg, frame, json, path_str, Studio};

/// `credits derive OUTPUT --from SOURCE --action transcoded` as ffmpeg
/// under a commercial licence.
fn derive(studio: &Studio, output: &Path, source: &Path) {
    credits()
        .arg("derive")
        .arg(output)
        .arg("--from")
        .arg(source)
        .args(["--action", "transcoded", "--tool", "ffmpeg"])
        .args(["--license", "LGPL-2.1", "--commercial-use", "yes", "--key"])
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain)
        .assert()
        .success();
}

/// Item 3: a proxy transcoded from a non-commercial clip passed
/// `verify --policy` (commercial = true), trusted, exit 0.
#[test]
fn a_licence_is_judged_along_the_whole_chain() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let clip1 = src.join("clip1.mp4");
    clip(&clip1);
    studio
        .stamp()
        .arg(&clip1)
        .arg("--in-place")
        .args(["--license", "runway-free", "--commercial-use", "no"])
        .assert()
        .success();
    let delivery = studio.subdir("delivery");
    let proxy = delivery.join("proxy.mp4");
    ffmpeg(&[
        "-i",
        path_str(&clip1),
        "-vf",
        "scale=160:90",
        "-c:v",
        "libx264",
        path_str(&proxy),
    ]);
    derive(&studio, &proxy, &clip1);
    let graded = delivery.join("graded.mp4");
    ffmpeg(&[
        "-i",
        path_str(&proxy),
        "-vf",
        "eq=contrast=1.2",
        "-c:v",
        "libx264",
        path_str(&graded),
    ]);
    derive(&studio, &graded, &proxy);
    let commercial = policy(&studio, "commercial = true\n");

    let expected = "proxy.mp4 ← clip1.mp4: tool \"Runway\" under licence \"runway-free\" does not allow commercial use";
    studio
        .verify()
        .arg("--policy")
        .arg(&commercial)
        .arg(&proxy)
        .assert()
        .code(1)
        .stdout(contains("TRUSTED"))
        .stderr(contains(expected));
    studio
        .verify()
        .arg("--policy")
        .arg(&commercial)
        .arg(&graded)
        .assert()
        .code(1)
        .stderr(contains(
            "graded.mp4 ← proxy.mp4 ← clip1.mp4: tool \"Runway\"",
        ));

    let (code, r) = audit_json(&studio, &delivery, &commercial);
    assert_eq!(code, 1, "{r}");
    let breaches: Vec<&str> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "non_commercial_tool" && f["severity"] == "error")
        .map(|f| f["message"].as_str().expect("message"))
        .collect();
    assert_eq!(breaches.len(), 2, "{r}");
    assert!(
        breaches.iter().any(|m| m.ends_with(expected)),
        "{breaches:?}"
    );
}

/// A frame signed by the studio's operator with the SDK directly, declaring
/// AI generation, with `record` (none when `None`).
fn ai_frame(studio: &Studio, dir: &Path, name: &str, record: Option<serde_json::Value>) -> PathBuf {
    let path = dir.join(name);
    let who = (studio.key.as_path(), studio.chain.as_path());
    sdk_ai_frame(who, &path, name.len() as u32, record, None);
    path
}

/// Item 4: a record that did not decode was dropped (the asset trusted,
/// passing `allowed_tools`); an AI asset without a record passed too.
#[test]
fn an_undecodable_record_is_invalid_and_a_missing_one_rejects() {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("in");
    let unknown_role = ai_frame(
        &studio,
        &dir,
        "role.png",
        Some(serde_json::json!({
            "schema": 1,
            "tool": {"name": "Runway"},
            "license": {"id": "runway-pro", "commercial_use": true},
            "operator": {"name": "Alice Chen", "id": "alice@studio.test", "role": "puppeteer"},
            "generated_at": "2026-11-28T00:00:00Z",
        })),
    );
    let no_tool = ai_frame(
        &studio,
        &dir,
        "tool.png",
        Some(serde_json::json!({
            "schema": 1,
            "operator": {"name": "Alice Chen", "id": "alice@studio.test", "role": "prompt_design"},
            "generated_at": "2026-11-28T00:00:00Z",
        })),
    );
    for (file, why) in [(&unknown_role, "puppeteer"), (&no_tool, "tool")] {
        let v = &invalid_verdict(&studio, file);
        let finding = &v["findings"][0];
        assert_eq!(finding["code"], "credits.record.malformed", "{v}");
        assert!(
            finding["detail"].as_str().is_some_and(|d| d.contains(why)),
            "{v}"
        );
    }

    let bare = ai_frame(&studio, &dir, "bare.png", None);
    studio
        .verify()
        .arg(&bare)
        .assert()
        .code(0)
        .stdout(contains("TRUSTED"));
    let tools = policy(&studio, "allowed_tools = [\"Runway\"]\n");
    studio
        .verify()
        .arg("--policy")
        .arg(&tools)
        .arg(&bare)
        .assert()
        .code(1)
        .stderr(contains(
            "AI-generated with no readable film.credits.generation record",
        ));
    std::fs::remove_file(&unknown_role).expect("remove");
    std::fs::remove_file(&no_tool).expect("remove");
    let (code, r) = audit_json(&studio, &dir, &tools);
    assert_eq!(code, 1, "{r}");
    assert!(
        r["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["code"] == "no_record" && f["severity"] == "error"),
        "{r}"
    );
}

/// Item 5: audit linked an ingredient to a file by manifest label alone,
/// so an insider's file carrying the label of a non-commercial source
/// stood in for it, hid its licence and took its credit.
#[test]
fn a_link_needs_the_label_and_the_content() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let real = src.join("clip1.png");
    frame(&real, 1);
    studio
        .stamp()
        .arg(&real)
        .arg("--in-place")
        .args(["--license", "runway-free", "--commercial-use", "no"])
        .assert()
        .success();
    let output = studio
        .verify()
        .arg("--json")
        .arg(&real)
        .output()
        .expect("verify");
    let label = json(&output)["files"][0]["manifest_label"]
        .as_str()
        .expect("label")
        .to_string();
    let delivery = studio.subdir("delivery");
    let proxy = delivery.join("proxy.png");
    frame(&proxy, 2);
    derive(&studio, &proxy, &real);
    // The insider's stand-in: other pixels, the source's manifest label,
    // a commercial licence.
    let (key, chain) = studio.issue("Mallory Ortiz", "mallory@studio.test");
    let record = serde_json::json!({
        "schema": 1,
        "tool": {"name": "Runway"},
        "license": {"id": "runway-pro", "commercial_use": true},
        "operator": {"name": "Mallory Ortiz", "id": "mallory@studio.test", "role": "prompt_design"},
        "generated_at": "2026-11-28T00:00:00Z",
    });
    let fake = delivery.join("clip1-stand-in.png");
    sdk_ai_frame((&key, &chain), &fake, 3, Some(record), Some(&label));
    let commercial = policy(&studio, "commercial = true\n");
    let audit = || {
        let (code, r) = audit_json(&studio, &delivery, &commercial);
        assert_eq!(code, 1, "{r}");
        r
    };
    let r = audit();
    let edges = edges_from(&r, "proxy.png");
    assert!(
        edges.iter().all(|(to, _)| to != "clip1-stand-in.png"),
        "{edges:?}"
    );
    let found = finding_codes(&r);
    assert!(
        found.contains(&("proxy.png".into(), "source_differs".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("proxy.png".into(), "non_commercial_tool".into())),
        "{found:?}"
    );

    // With the real source delivered too, the link is to it, and two files
    // claiming one label are a finding.
    std::fs::copy(&real, delivery.join("clip1.png")).expect("copy");
    let r = audit();
    assert_eq!(
        edges_from(&r, "proxy.png"),
        [("clip1.png".to_string(), "label_and_sha256".to_string())]
    );
    let found = finding_codes(&r);
    for name in ["clip1.png", "clip1-stand-in.png"] {
        assert!(
            found.contains(&(name.into(), "duplicate_label".into())),
            "{found:?}"
        );
    }
}

/// (target file name, matched_by) of the edges from the file `name`.
fn edges_from(r: &serde_json::Value, name: &str) -> Vec<(String, String)> {
    r["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| {
            e["from"]
                .as_str()
                .is_some_and(|f| f.ends_with(&format!("/{name}")))
        })
        .map(|e| {
            let to = e["to"].as_str().expect("to");
            let to = file_name(to);
            (
                to,
                e["matched_by"].as_str().expect("matched_by").to_string(),
            )
        })
        .collect()
}
