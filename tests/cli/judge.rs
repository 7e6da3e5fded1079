//! Helpers for the soundness tests (issue 12): an audit's JSON under a
//! policy, its findings by file name, and frames signed by the c2pa SDK
//! directly (another tool, free to write what `credits` would refuse).

use std::path::{Path, PathBuf};

use crate::support::{credits, json, sdk_sign, small_frame, Studio};

/// IPTC digital source type for AI generation.
pub const AI: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

/// Write `text` as the studio's `policy.toml`; its path.
pub fn policy(studio: &Studio, text: &str) -> PathBuf {
    let path = studio.dir.path().join("policy.toml");
    std::fs::write(&path, text).expect("write");
    path
}

/// `credits audit DIR --trust <studio> --policy P --format json`: exit code
/// (never 2: the audit ran) and report.
pub fn audit_json(studio: &Studio, dir: &Path, policy: &Path) -> (i32, serde_json::Value) {
    let output = credits()
        .arg("audit")
        .arg(dir)
        .arg("--trust")
        .arg(&studio.trust)
        .arg("--policy")
        .arg(policy)
        .args(["--format", "json"])
        .output()
        .expect("audit");
    let code = output.status.code().expect("exit code");
    assert!(code < 2, "{output:?}");
    (code, json(&output))
}

/// `credits verify --json FILE` against the studio's anchors, which must
/// exit 1 with `file` invalid; its verdict.
pub fn invalid_verdict(studio: &Studio, file: &Path) -> serde_json::Value {
    let output = studio
        .verify()
        .arg("--json")
        .arg(file)
        .output()
        .expect("verify");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let v = json(&output)["files"][0].clone();
    assert_eq!(v["state"], "invalid", "{v}");
    v
}

/// The last component of a path in a report.
pub fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// (file name, code) of every finding in an audit report.
pub fn finding_codes(r: &serde_json::Value) -> Vec<(String, String)> {
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let asset = file_name(f["asset"].as_str().expect("asset"));
            (asset, f["code"].as_str().expect("code").to_string())
        })
        .collect()
}

/// A small frame at `path` signed by the SDK as `key`/`chain`, declaring
/// AI generation, with `record` as its `film.credits.generation` assertion
/// (none when `None`) and, when given, a preset manifest `label`.
pub fn sdk_ai_frame(
    (key, chain): (&Path, &Path),
    path: &Path,
    seed: u32,
    record: Option<serde_json::Value>,
    label: Option<&str>,
) {
    let plain = path.with_extension("plain.png");
    small_frame(&plain, seed);
    let mut assertions = vec![
        serde_json::json!({"label": "c2pa.actions.v2", "data": {"actions": [{
            "action": "c2pa.created",
            "digitalSourceType": AI,
            "softwareAgent": {"name": "Runway"},
        }]}}),
    ];
    if let Some(record) = record {
        assertions.push(serde_json::json!({"label": "film.credits.generation", "data": record}));
    }
    let mut definition = serde_json::json!({
        "claim_generator_info": [{"name": "other-tool"}],
        "assertions": assertions,
    });
    if let Some(label) = label {
        definition["label"] = label.into();
    }
    sdk_sign(key, chain, &plain, path, &definition);
    std::fs::remove_file(&plain).expect("remove");
}
