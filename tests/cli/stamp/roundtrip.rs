//! Stamp then verify, per format: trusted with our CA, valid-but-failing
//! with an unrelated CA, invalid after one flipped media byte.

use crate::support::{flip_media_byte, json, media, Studio};

/// The prompt every round-trip file is stamped with.
const ROUNDTRIP_PROMPT: &[&str] = &["--prompt", "a lighthouse in a storm, 35mm"];

fn verify_json(studio: &Studio, file: &std::path::Path, code: i32) -> serde_json::Value {
    let output = studio
        .verify()
        .arg("--json")
        .arg(file)
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    json(&output)["files"][0].clone()
}

fn round_trip(name: &str, mismatch_code: &str, embedded: bool) {
    let studio = Studio::new("Northwind Pictures");
    let signed = studio.stamp_generated(name, ROUNDTRIP_PROMPT);
    assert!(signed.exists());
    assert_eq!(
        signed.with_file_name(format!("{name}.c2pa")).exists(),
        !embedded,
        "sidecar presence for {name}"
    );

    let v = verify_json(&studio, &signed, 0);
    assert_eq!(v["state"], "trusted");
    assert_eq!(v["record"]["tool"]["name"], "Runway");
    assert_eq!(v["record"]["operator"]["name"], "Alice Chen");
    assert_eq!(v["record"]["operator"]["id"], "alice@studio.test");
    assert_eq!(v["signer"]["common_name"], "Alice Chen");

    // Another studio's bundle: intact but not trusted -> exit 1, or 0 when allowed.
    let other = Studio::new("Other Studio");
    let v = verify_json(&other, &signed, 1);
    assert_eq!(v["state"], "valid");
    assert_eq!(v["codes"]["failure"][0], "signingCredential.untrusted");
    other
        .verify()
        .arg("--allow-untrusted")
        .arg(&signed)
        .assert()
        .code(0);

    flip_media_byte(&signed);
    let v = verify_json(&studio, &signed, 1);
    assert_eq!(v["state"], "invalid");
    let failures: Vec<&str> = v["codes"]["failure"]
        .as_array()
        .expect("failures")
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    assert!(failures.contains(&mismatch_code), "{name}: {failures:?}");
}

#[test]
fn png_round_trip() {
    round_trip("frame.png", "assertion.dataHash.mismatch", true);
}

#[test]
fn jpeg_round_trip() {
    round_trip("frame.jpg", "assertion.dataHash.mismatch", true);
}

#[test]
fn webp_round_trip() {
    round_trip("frame.webp", "assertion.dataHash.mismatch", true);
}

#[test]
fn mp4_round_trip() {
    round_trip("clip.mp4", "assertion.bmffHash.mismatch", true);
}

#[test]
fn mov_round_trip() {
    round_trip("clip.mov", "assertion.bmffHash.mismatch", true);
}

#[test]
fn mkv_round_trip_uses_a_sidecar() {
    round_trip("clip.mkv", "assertion.dataHash.mismatch", false);
}

#[test]
fn sidecar_flag_leaves_media_bytes_untouched() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let input = media(&src, "frame.png");
    let before = std::fs::read(&input).expect("read");
    studio
        .stamp()
        .arg(&input)
        .arg("--sidecar")
        .assert()
        .success();
    assert_eq!(std::fs::read(&input).expect("read"), before);
    assert!(src.join("frame.png.c2pa").exists());
    let v = verify_json(&studio, &input, 0);
    assert_eq!(v["state"], "trusted");
    assert!(v["manifest_source"]
        .as_str()
        .expect("source")
        .ends_with("frame.png.c2pa"));
}

#[test]
fn record_carries_controls_selection_and_ingredients() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let input = media(&src, "shot.png");
    let first = media(&src, "first.png");
    let face = media(&src, "face.jpg");
    let path = src.join("motion.json");
    std::fs::write(&path, r#"{"strokes":[[0,0],[10,12]]}"#).expect("write");
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg(format!("--control=first_frame={}", first.display()))
        .arg(format!("--control=face_reference={}", face.display()))
        .arg(format!("--control=motion_brush={}", path.display()))
        .args([
            "--selection",
            "3/48",
            "--role",
            "control",
            "--license",
            "kling-pro",
        ])
        .args(["--commercial-use", "yes", "--seed", "1234", "--steps", "30"])
        .assert()
        .success();
    let v = verify_json(&studio, &out.join("shot.png"), 0);
    let r = &v["record"];
    assert_eq!(r["schema"], 1);
    assert_eq!(r["operator"]["role"], "control");
    assert_eq!(r["selection"]["candidates"], 48);
    assert_eq!(r["selection"]["chosen"], 3);
    assert_eq!(r["license"]["commercial_use"], true);
    assert_eq!(r["parameters"]["steps"], 30);
    assert_eq!(
        r["parameters"]["seed_commitment"].as_str().map(str::len),
        Some(64)
    );
    let kinds: Vec<&str> = r["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["first_frame", "face_reference", "motion_brush"]);
    // Media controls are inputTo ingredients; the motion path is a hash only.
    assert_eq!(r["controls"][2]["ingredient"], serde_json::Value::Null);
    let ingredients = v["ingredients"].as_array().expect("ingredients");
    assert_eq!(ingredients.len(), 2);
    assert!(ingredients.iter().all(|i| i["relationship"] == "inputTo"));
    assert_eq!(v["actions"][0]["action"], "c2pa.created");
    assert!(v["actions"][0]["digital_source_type"]
        .as_str()
        .expect("dst")
        .ends_with("/trainedAlgorithmicMedia"));
    assert_eq!(v["actions"][0]["software_agent"], "Runway");
}

#[test]
fn human_made_component_makes_a_composite() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let input = media(&src, "final.png");
    let plate = media(&src, "plate.jpg");
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--ingredient")
        .arg(&plate)
        .args(["--role", "compositing"])
        .assert()
        .success();
    let v = verify_json(&studio, &out.join("final.png"), 0);
    assert!(v["actions"][0]["digital_source_type"]
        .as_str()
        .expect("dst")
        .ends_with("/compositeWithTrainedAlgorithmicMedia"));
    assert_eq!(v["actions"][1]["action"], "c2pa.placed");
    assert_eq!(v["ingredients"][0]["relationship"], "componentOf");
    assert_eq!(v["ingredients"][0]["state"], "unsigned");
}

#[test]
fn signed_parent_chain_is_shown_with_its_record() {
    let studio = Studio::new("Northwind Pictures");
    let first = studio.stamp_generated("shot.png", ROUNDTRIP_PROMPT);
    let src = studio.subdir("src2");
    let out = studio.subdir("out2");
    let input = media(&src, "shot.png");
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--parent")
        .arg(&first)
        .args(["--role", "editing"])
        .assert()
        .success();
    let v = verify_json(&studio, &out.join("shot.png"), 0);
    assert_eq!(v["state"], "trusted");
    let parent = &v["ingredients"][0];
    assert_eq!(parent["relationship"], "parentOf");
    assert_eq!(parent["state"], "trusted");
    assert_eq!(parent["record"]["operator"]["role"], "prompt_design");
    assert_eq!(v["actions"][0]["action"], "c2pa.opened");
    assert_eq!(v["actions"][1]["action"], "c2pa.edited");
}

#[test]
fn sdk_reader_trusts_what_we_sign() {
    // An independent reader: the c2pa crate configured here, not through credits.
    let studio = Studio::new("Northwind Pictures");
    let signed = studio.stamp_generated("frame.jpg", ROUNDTRIP_PROMPT);
    let anchors = std::fs::read_to_string(&studio.trust).expect("trust");
    // The operator's CAWG identity is judged against CAWG anchors of its
    // own: the studio CA is both.
    let settings = serde_json::json!({
        "trust": {"trust_anchors": anchors},
        "cawg_trust": {"trust_anchors": anchors},
    })
    .to_string();
    let ctx = c2pa::Context::new()
        .with_settings(settings.as_str())
        .expect("settings");
    let reader = c2pa::Reader::from_context(ctx)
        .with_file(&signed)
        .expect("read");
    assert_eq!(
        reader.validation_state(),
        c2pa::validation_results::ValidationState::Trusted
    );
    let manifest = reader.active_manifest().expect("manifest");
    let record: serde_json::Value = manifest
        .find_assertion("film.credits.generation")
        .expect("record");
    assert_eq!(record["operator"]["name"], "Alice Chen");
}

#[test]
fn restamping_a_signed_file_keeps_it_as_parent() {
    let studio = Studio::new("Northwind Pictures");
    let first = studio.stamp_generated("frame.png", ROUNDTRIP_PROMPT);
    let out = studio.subdir("graded");
    studio
        .stamp()
        .arg(&first)
        .arg("--out")
        .arg(&out)
        .args(["--role", "editing"])
        .assert()
        .success();
    let v = verify_json(&studio, &out.join("frame.png"), 0);
    assert_eq!(v["ingredients"][0]["relationship"], "parentOf");
    assert_eq!(v["ingredients"][0]["state"], "trusted");
    assert_eq!(
        v["ingredients"][0]["record"]["operator"]["role"],
        "prompt_design"
    );
}
