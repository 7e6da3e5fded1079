//! Attacks on the evidence `credits` accepts (issue 29): a vendor's
//! catalog row that does not verify.

use std::path::Path;

use crate::support::{credits, frame, json, Studio};

/// A vendor's catalog is a file it can edit: a hand-inserted row (the
/// label and SHA-256 copied from the proxy's own ingredient reference, a
/// 1-byte manifest store, `admission = 'trusted'`), or one holding a real
/// manifest store signed outside the audit's trust, stands in for nothing
/// (issue 29, point 4).
#[test]
fn a_forged_catalog_row_does_not_stand_in_for_a_missing_source() {
    let studio = Studio::new("Northwind Pictures");
    let outsider = Studio::new("Elsewhere Inc");
    let (_, delivery) = studio.graded_delivery(12, &[]);
    let audit = |index: Option<&Path>| {
        let mut cmd = credits();
        cmd.arg("audit")
            .arg(&delivery)
            .arg("--trust")
            .arg(&studio.trust)
            .arg("--json");
        if let Some(i) = index {
            cmd.arg("--index").arg(i);
        }
        let out = cmd.output().expect("audit");
        (out.status.code(), json(&out))
    };
    let codes = |r: &serde_json::Value| -> Vec<String> {
        r["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["code"].as_str().expect("code").to_string())
            .collect()
    };
    let (rejected, without) = audit(None);
    assert!(
        codes(&without).contains(&"source_missing".into()),
        "{without}"
    );
    let node = without["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .find(|a| a["kind"] == "manifest")
        .expect("the plate, known from the manifest")
        .clone();
    let label = node["manifest_label"].as_str().expect("label").to_string();
    let sha = node["sha256"].as_str().unwrap_or_default().to_string();
    // A real manifest store with another label, signed outside the trust.
    let elsewhere = outsider.subdir("src").join("other.png");
    frame(&elsewhere, 13);
    let signed = outsider.stamp_out(&elsewhere);
    let outsider_store = c2pa::jumbf_io::load_jumbf_from_file(&signed).expect("store");
    for (name, store) in [("one-byte", vec![0u8]), ("outsider", outsider_store)] {
        let db = studio.dir.path().join(format!("vendor-{name}.db"));
        credits()
            .args(["index", "stats", "--index"])
            .arg(&db)
            .assert()
            .success();
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute(
            "INSERT INTO assets (manifest_label, sha256, path, signer, admission, fingerprint, manifest_store, added_at)
             VALUES (?1, ?2, '/vault/plate.png', 'Alice Chen', 'trusted', x'', ?3, '2026-01-01T00:00:00Z')",
            rusqlite::params![label, sha, store],
        )
        .expect("insert");
        drop(conn);
        let (code, with) = audit(Some(&db));
        let found = codes(&with);
        assert!(found.contains(&"source_missing".into()), "{name}: {with}");
        assert!(
            !found.contains(&"source_in_catalog".into()),
            "{name}: {with}"
        );
        assert!(
            found.contains(&"catalog_unverified".into()),
            "{name}: {with}"
        );
        assert_eq!(code, rejected, "{name}: the verdict is unchanged");
        assert_eq!(with["accepted"], without["accepted"], "{name}");
    }
}
