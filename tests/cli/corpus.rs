//! Files signed by other tools (fixtures/corpus, from the c2pa-rs test
//! fixtures) get the verdicts in fixtures/corpus/README.md.

use std::path::PathBuf;

use crate::support::{credits, json};

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/corpus")
        .join(name)
}

/// Verify one corpus file against the SDK's test anchors.
fn verdict(name: &str) -> serde_json::Value {
    let output = credits()
        .arg("verify")
        .arg("--json")
        .arg("--trust")
        .arg(corpus("test_anchors.pem"))
        .arg(corpus(name))
        .output()
        .expect("run");
    let doc = json(&output);
    let v = doc["files"][0].clone();
    let expected = if v["state"] == "trusted" { 0 } else { 1 };
    assert_eq!(output.status.code(), Some(expected), "{name}: {v}");
    v
}

fn failures(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn c_jpg_is_trusted() {
    assert_eq!(verdict("C.jpg")["state"], "trusted");
}

#[test]
fn caca_chain_is_trusted_when_its_ingredient_is() {
    let v = verdict("CACA.jpg");
    assert_eq!(v["state"], "trusted");
    assert_eq!(v["ingredients"][0]["state"], "trusted");
}

#[test]
fn xca_pixels_altered_is_invalid_with_data_hash_mismatch() {
    let v = verdict("XCA.jpg");
    assert_eq!(v["state"], "invalid");
    assert_eq!(
        failures(&v["codes"], "failure"),
        ["assertion.dataHash.mismatch"]
    );
}

#[test]
fn e_sig_ca_bad_signature_is_invalid_with_claim_signature_mismatch() {
    let v = verdict("E-sig-CA.jpg");
    assert_eq!(v["state"], "invalid");
    assert_eq!(
        failures(&v["codes"], "failure"),
        ["claimSignature.mismatch"]
    );
}

#[test]
fn cie_sig_ca_with_a_bad_ingredient_is_not_trusted() {
    let v = verdict("CIE-sig-CA.jpg");
    assert_eq!(v["state"], "invalid");
    assert_eq!(
        failures(&v, "ingredient_failures"),
        ["E-sig-CA.jpg: claimSignature.mismatch"]
    );
}

#[test]
fn cacae_with_a_tampered_nested_ingredient_is_not_trusted() {
    let v = verdict("CACAE-uri-CA.jpg");
    assert_eq!(v["state"], "invalid");
    assert!(failures(&v, "ingredient_failures")
        .iter()
        .any(|f| f.ends_with("assertion.hashedURI.mismatch")));
}

#[test]
fn no_manifest_jpg_is_unsigned() {
    assert_eq!(verdict("no_manifest.jpg")["state"], "unsigned");
}

#[test]
fn cloud_jpg_is_reported_as_remote_and_not_fetched() {
    let v = verdict("cloud.jpg");
    assert_eq!(v["state"], "remote");
    assert!(v["remote_url"]
        .as_str()
        .expect("url")
        .starts_with("https://"));
}

#[test]
fn localhost_manifest_url_is_never_fetched() {
    let v = verdict("libpng-test_with_url.png");
    assert_eq!(v["state"], "remote");
    assert!(v["remote_url"].as_str().expect("url").contains("localhost"));
}

#[test]
fn nested_moov_is_a_clear_error_without_a_crash() {
    let v = verdict("nested_moov_1000.mp4");
    assert_eq!(v["state"], "invalid");
    assert!(v["error"].as_str().expect("error").contains("nested"));
}
