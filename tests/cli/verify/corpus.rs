//! Files signed by other tools (fixtures/corpus, from the c2pa-rs test
//! fixtures) get the verdicts in fixtures/corpus/README.md.

use std::path::PathBuf;

use predicates::prelude::*;

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

/// Every corpus file: (name, verdict, a code or error text it must show).
/// Where 0.90.22 differs from INVENTORY.tsv (taken with 0.91.3), the reason
/// is in fixtures/corpus/README.md.
const GOLDEN: &[(&str, &str, &str)] = &[
    ("C.jpg", "trusted", ""),
    ("CA.jpg", "trusted", ""),
    ("CA_ct.jpg", "trusted", ""),
    ("CACA.jpg", "trusted", ""),
    (
        "CACAE-uri-CA.jpg",
        "invalid",
        "assertion.hashedURI.mismatch",
    ),
    ("CIE-sig-CA.jpg", "invalid", "claimSignature.mismatch"),
    ("E-sig-CA.jpg", "invalid", "claimSignature.mismatch"),
    ("XCA.jpg", "invalid", "assertion.dataHash.mismatch"),
    (
        "adobe-20220124-E-clm-CAICAI.jpg",
        "invalid",
        "ingredient.manifest.missing",
    ),
    ("legacy_ingredient_hash.jpg", "trusted", ""),
    ("legacy.mp4", "invalid", "claimSignature.mismatch"),
    ("video1.mp4", "valid", "signingCredential.untrusted"),
    ("ocsp.jpg", "valid", "signingCredential.untrusted"),
    ("dashinit.mp4", "invalid", "assertion.bmffHash.mismatch"),
    ("cloud.jpg", "remote", "https://"),
    ("libpng-test_with_url.png", "remote", "localhost"),
    ("no_alg.jpg", "invalid", "unknown algorithm"),
    ("prerelease.jpg", "invalid", "prerelease"),
    ("nested_moov_1000.mp4", "invalid", "nested"),
    ("sample3.invalid.wav", "invalid", "RIFF"),
    ("tiff_poc.tiff", "invalid", "TIFF structure too large"),
    ("riff_bomb_1000.wav", "unsigned", ""),
    ("id3v23_compression_underflow.mp3", "unsigned", ""),
    ("dash1.m4s", "unsigned", ""),
    ("IMG_0003.jpg", "unsigned", ""),
    ("no_manifest.jpg", "unsigned", ""),
    ("libpng-test.png", "unsigned", ""),
    ("sample1.png", "unsigned", ""),
    ("c.mov", "unsigned", ""),
    ("bad_path_archive.zip", "unsigned", ""),
    ("unsupported_type.txt", "unsigned", ""),
];

/// Address space and wall time each corpus file may take to verify.
const MEMORY_LIMIT: &str = "--as=1073741824";
const TIME_LIMIT_S: u64 = 10;

#[test]
fn golden_corpus_verdicts_within_time_and_memory_bounds() {
    let listed: std::collections::BTreeSet<String> = std::fs::read_dir(corpus(""))
        .expect("fixtures/corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| {
            !matches!(
                n.as_str(),
                "README.md" | "INVENTORY.tsv" | "test_anchors.pem"
            )
        })
        .collect();
    let golden: std::collections::BTreeSet<String> =
        GOLDEN.iter().map(|(n, _, _)| n.to_string()).collect();
    assert_eq!(listed, golden, "every corpus file has a golden verdict");

    let bin = assert_cmd::cargo::cargo_bin("credits");
    for (name, state, shows) in GOLDEN {
        let started = std::time::Instant::now();
        // prlimit caps the address space; timeout stops a hang (exit 124).
        let output = std::process::Command::new("timeout")
            .args([
                "-s",
                "KILL",
                &(TIME_LIMIT_S * 3).to_string(),
                "prlimit",
                MEMORY_LIMIT,
                "--",
            ])
            .arg(&bin)
            .args(["verify", "--json", "--trust"])
            .arg(corpus("test_anchors.pem"))
            .arg(corpus(name))
            .output()
            .expect("run timeout/prlimit");
        let elapsed = started.elapsed();
        assert!(
            elapsed.as_secs() < TIME_LIMIT_S,
            "{name}: {elapsed:?} (bound {TIME_LIMIT_S} s)"
        );
        let expected_exit = if *state == "trusted" { 0 } else { 1 };
        assert_eq!(
            output.status.code(),
            Some(expected_exit),
            "{name}: exit {:?}, stderr {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let v = json(&output)["files"][0].clone();
        assert_eq!(v["state"], *state, "{name}: {v}");
        let text = v.to_string();
        assert!(text.contains(shows), "{name} should show {shows:?}: {text}");
    }
}

#[test]
fn hostile_containers_are_refused_by_stamp_with_a_clear_error() {
    let studio = crate::support::Studio::new("Northwind Pictures");
    let out = studio.subdir("out");
    for name in [
        "tiff_poc.tiff",
        "nested_moov_1000.mp4",
        "riff_bomb_1000.wav",
        "sample3.invalid.wav",
    ] {
        let started = std::time::Instant::now();
        studio
            .stamp()
            .arg(corpus(name))
            .arg("--out")
            .arg(&out)
            .timeout(std::time::Duration::from_secs(TIME_LIMIT_S * 3))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "error: {}",
                corpus(name).display()
            )))
            .stderr(predicates::str::contains("panicked").not());
        assert!(started.elapsed().as_secs() < TIME_LIMIT_S, "{name}");
    }
    assert!(crate::support::listing(&out).is_empty(), "nothing written");
}

/// States and codes of a whole-corpus verify run, by file.
fn corpus_summary(output: &std::process::Output) -> Vec<(String, String, String)> {
    json(output)["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["path"].to_string(),
                f["state"].to_string(),
                format!("{} {} {}", f["codes"], f["ingredient_failures"], f["error"]),
            )
        })
        .collect()
}

#[test]
fn verify_needs_no_network_results_unchanged_without_one() {
    let files: Vec<PathBuf> = GOLDEN.iter().map(|(n, _, _)| corpus(n)).collect();
    let bin = assert_cmd::cargo::cargo_bin("credits");
    let with_net = std::process::Command::new(&bin)
        .args(["verify", "--json", "--trust"])
        .arg(corpus("test_anchors.pem"))
        .args(&files)
        .output()
        .expect("run");
    // A new network namespace has no interfaces at all (root is available
    // where the tests run; see scripts/test.sh).
    let without = std::process::Command::new("unshare")
        .arg("-n")
        .arg(&bin)
        .args(["verify", "--json", "--trust"])
        .arg(corpus("test_anchors.pem"))
        .args(&files)
        .output()
        .expect("unshare is installed (util-linux)");
    assert!(
        !String::from_utf8_lossy(&without.stderr).contains("unshare:"),
        "unshare -n failed: {}",
        String::from_utf8_lossy(&without.stderr)
    );
    assert_eq!(with_net.status.code(), without.status.code());
    assert_eq!(corpus_summary(&with_net), corpus_summary(&without));
    assert_eq!(corpus_summary(&without).len(), GOLDEN.len());
}

#[test]
fn fuzz_regression_cbor_length_bomb_is_refused_in_bounded_memory() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz/cbor-length-oom.png");
    let output = std::process::Command::new("prlimit")
        .args([MEMORY_LIMIT, "--"])
        .arg(assert_cmd::cargo::cargo_bin("credits"))
        .args(["verify", "--json"])
        .arg(&file)
        .output()
        .expect("prlimit");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let v = json(&output)["files"][0].clone();
    assert_eq!(v["state"], "invalid");
    assert!(v["error"]
        .as_str()
        .expect("error")
        .contains("CBOR string declares 2476251793 bytes"));
}

#[test]
fn fuzz_regression_tiff_directory_flood_is_refused_quickly() {
    let file =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz/tiff-entries-slow.tif");
    let started = std::time::Instant::now();
    let output = credits()
        .args(["verify", "--json"])
        .arg(&file)
        .output()
        .expect("run");
    assert!(started.elapsed().as_secs() < 3, "{:?}", started.elapsed());
    let v = json(&output)["files"][0].clone();
    assert_eq!(v["state"], "invalid");
    assert!(v["error"]
        .as_str()
        .expect("error")
        .contains("TIFF structure too large"));
}
