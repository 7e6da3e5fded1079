//! ComfyUI graphs read the way the operator built them (issue 31): one
//! PNG per model family and workflow shape (`fixtures/generators/
//! comfyui-graphs`, written by `scripts/make-comfyui-graphs.py` the way
//! SaveImage writes, graphs copied by structure from ComfyUI's examples),
//! stamped with no tool or prompt flags and `--controls-dir` at the images
//! the graphs load: every prompt the operator wrote is committed (the
//! main one, the others by part) and opened by the reveal, none is left
//! in the signed file; every model and control image is recorded; the
//! audit gives no prompted render level 0, and a control image lifts the
//! level as `--control` does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::generators::{holds, stamp_plain};
use crate::support::{json, stderr, Studio};

fn graphs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/generators/comfyui-graphs")
}

fn expected() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(graphs().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

/// Every text a reveal opens: the prompt, the negative, the others.
fn revealed(reveal: &Value) -> Vec<String> {
    let main = ["prompt", "negative_prompt"]
        .iter()
        .filter_map(|k| reveal[k]["text"].as_str().map(str::to_string));
    let others = reveal["prompts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["text"].as_str().unwrap().to_string());
    main.chain(others).collect()
}

#[test]
fn every_family_commits_every_prompt_model_and_control_and_audits_above_level_0() {
    let studio = Studio::new("Northwind Pictures");
    let out = studio.subdir("out");
    let expected = expected();
    assert!(expected.len() >= 24, "{} fixtures", expected.len());
    let inputs: Vec<PathBuf> = expected.keys().map(|f| graphs().join(f)).collect();
    let controls_dir = graphs().join("input");
    let mut args: Vec<&str> = inputs.iter().map(|p| p.to_str().unwrap()).collect();
    args.extend(["--controls-dir", controls_dir.to_str().unwrap()]);
    let (first, rest) = args.split_first().unwrap();
    let run = stamp_plain(&studio, Path::new(first), &out, rest);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let report = json(&run);
    let stamped = report["stamped"].as_array().unwrap();
    assert_eq!(stamped.len(), expected.len(), "{report:#}");
    for st in stamped {
        let file = Path::new(st["input"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let want = &expected[&file];
        let texts: Vec<&str> = want["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let record = &st["record"];
        assert_eq!(record["tool"]["name"], "ComfyUI", "{file}");
        assert!(
            record["prompt"]["commitment"].is_string(),
            "{file}: {record:#}"
        );
        // Every text committed: one commitment each, opened by the reveal.
        let reveal: Value =
            serde_json::from_str(&std::fs::read_to_string(st["reveal"].as_str().unwrap()).unwrap())
                .unwrap();
        let opened = revealed(&reveal);
        for t in &texts {
            assert!(
                opened.iter().any(|o| o == t),
                "{file}: {t:?} not revealed: {opened:?}"
            );
        }
        let commitments = record["prompt"].is_object() as usize
            + record["negative_prompt"].is_object() as usize
            + record["prompts"].as_array().map_or(0, Vec::len);
        assert_eq!(commitments, opened.len(), "{file}: {record:#}");
        let parts = record["prompts"].as_array().into_iter().flatten();
        let regional = parts.filter(|p| p["part"] == "regional").count() as u64;
        assert_eq!(regional, want["regional"].as_u64().unwrap_or(0), "{file}");
        if want.get("negative").is_some_and(Value::is_null) {
            assert!(
                record["negative_prompt"].is_null(),
                "{file}: no negative = positive"
            );
        }
        // No text left in the signed file.
        let signed = std::fs::read(st["output"].as_str().unwrap()).unwrap();
        for t in &texts {
            assert!(!holds(&signed, t), "{file}: the signed file holds {t:?}");
        }
        // Every model with its part; every control with its hash.
        let models = record["parameters"]["models"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for pair in want["models"].as_array().unwrap() {
            assert!(
                models
                    .iter()
                    .any(|m| m["name"] == pair[0] && m["role"] == pair[1]),
                "{file}: {pair} in {models:?}"
            );
        }
        let controls = record["controls"].as_array().cloned().unwrap_or_default();
        let want_controls = want["controls"].as_array().cloned().unwrap_or_default();
        assert_eq!(controls.len(), want_controls.len(), "{file}: {controls:?}");
        for (got, c) in controls.iter().zip(&want_controls) {
            assert_eq!((&got["kind"], &got["image"]), (&c[0], &c[1]), "{file}");
            let image = controls_dir.join(c[1].as_str().unwrap());
            if c[2] == true {
                assert_eq!(got["sha256"], sha256(&image), "{file}");
                assert!(got["ingredient"].is_string(), "{file}: {got}");
            } else {
                assert!(!image.exists() && got["sha256"].is_null(), "{file}: {got}");
            }
        }
        let unread = &record["parameters"]["graph_unread"];
        match want.get("unread") {
            Some(u) => assert_eq!(unread, u, "{file}"),
            None => assert!(unread.is_null(), "{file}: {unread}"),
        }
        for key in ["steps", "sampler"] {
            if let Some(v) = want.get(key) {
                assert_eq!(&record["parameters"][key], v, "{file}");
            }
        }
    }
    // The audit: no prompted render is AI-autonomous; a control lifts it.
    let audit = studio.audit(&out);
    let files: Vec<&Value> = audit["assets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "file")
        .collect();
    assert_eq!(files.len(), expected.len(), "{audit:#}");
    for a in files {
        let title = a["title"].as_str().unwrap();
        let controlled = expected[title].get("controls").is_some();
        assert_eq!(a["level"], if controlled { 2 } else { 1 }, "{title}: {a:#}");
    }
}

#[test]
fn a_graph_control_counts_as_the_same_control_given_by_flag() {
    let studio = Studio::new("Northwind Pictures");
    let depth = graphs().join("input/depth.png");
    let file = graphs().join("flux-depth-lora_00001_.png");
    let level = |out: &Path, extra: &[&str]| {
        let run = stamp_plain(&studio, &file, out, extra);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        let audit = studio.audit(out);
        let asset = audit["assets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["kind"] == "file")
            .cloned()
            .unwrap();
        (
            asset["level"].clone(),
            asset["evidence"]["controls"].clone(),
        )
    };
    let dir = graphs().join("input");
    let from_graph = level(
        &studio.subdir("graph"),
        &["--controls-dir", dir.to_str().unwrap()],
    );
    let flag = format!("depth_map={}", depth.display());
    let by_flag = level(&studio.subdir("flag"), &["--control", &flag]);
    assert_eq!(from_graph.0, 2);
    assert_eq!(by_flag.0, 2);
    assert!(from_graph
        .1
        .as_array()
        .unwrap()
        .contains(&"depth_map".into()));
    // Without the folder the control is named, not hashed, and verify says so.
    let out = studio.subdir("named");
    let run = stamp_plain(&studio, &file, &out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let control = &json(&run)["stamped"][0]["record"]["controls"][0];
    assert_eq!(control["image"], "depth.png", "{control}");
    assert!(control["sha256"].is_null(), "{control}");
    let shown = studio
        .verify()
        .arg(out.join("flux-depth-lora_00001_.png"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&shown.stdout);
    assert!(
        said.contains("control   depth_map (depth.png, from the graph, named only"),
        "{said}"
    );
}

#[test]
fn a_reveal_of_several_prompts_proves_each_and_a_changed_one_does_not() {
    let studio = Studio::new("Northwind Pictures");
    let out = studio.subdir("out");
    let file = graphs().join("gligen_00001_.png");
    let run = stamp_plain(&studio, &file, &out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let reveal = PathBuf::from(json(&run)["stamped"][0]["reveal"].as_str().unwrap());
    let signed = out.join("gligen_00001_.png");
    let prove = |reveal: &Path| {
        studio
            .prove(&signed, reveal)
            .arg("--json")
            .output()
            .unwrap()
    };
    let ok = prove(&reveal);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let fields: Vec<String> = json(&ok)["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert!(
        fields.contains(&"prompts[1] (regional)".to_string()),
        "{fields:?}"
    );
    // A box label changed in the reveal: that field fails, the proof fails.
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&reveal).unwrap()).unwrap();
    v["prompts"][1]["text"] = "a rising moon".into();
    let forged = studio.subdir("forged").join("r.json");
    std::fs::write(&forged, v.to_string()).unwrap();
    let bad = prove(&forged);
    assert_ne!(bad.status.code(), Some(0));
    let bad = json(&bad);
    let failed: Vec<&Value> = bad["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["matches"] == false)
        .collect();
    assert_eq!(failed.len(), 1, "{bad:#}");
    assert_eq!(failed[0]["field"], "prompts[1] (regional)");
}

#[test]
fn a_licence_policy_judges_every_model_of_the_graph() {
    let studio = Studio::new("Northwind Pictures");
    let out = studio.subdir("out");
    let file = graphs().join("model-merging_00001_.png");
    let run = stamp_plain(&studio, &file, &out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let policy = studio.subdir("policy").join("film-policy.toml");
    let check = |toml: &str| {
        std::fs::write(&policy, toml).unwrap();
        studio
            .verify()
            .arg(out.join("model-merging_00001_.png"))
            .arg("--policy")
            .arg(&policy)
            .output()
            .unwrap()
    };
    // The merge's second source is what the policy denies.
    let denied = check("denied_models = [\"anything-v3*\"]\n");
    let said = String::from_utf8_lossy(&denied.stdout);
    assert_eq!(denied.status.code(), Some(1), "{said}");
    assert!(
        said.contains("\"Anything-V3.0.ckpt\" (merge_source) is on the denied list"),
        "{said}"
    );
    let allowed = check("allowed_models = [\"v1-5-*\", \"Anything-V3.0.ckpt\"]\n");
    assert_eq!(
        allowed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&allowed.stdout)
    );
}
