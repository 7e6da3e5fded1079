//! `credits certify` and `credits verify CERT`: the audit of a cut signed as
//! an in-toto Statement in a DSSE envelope, read back by us and by a
//! generic DSSE reader (securesystemslib), tampered with, checked against
//! the files on disk, and signed by a foreign CA.

use std::path::Path;
use std::process::Command as StdCommand;

use crate::cut::timeline::{cut, reference_python, Cut};
use crate::support::{credits, json, Studio};

/// `credits certify media --timeline cut/cut.otio …` run from the studio
/// folder, so subjects are named relative to it.
fn certify(cut: &Cut, key: &Path, chain: &Path, extra: &[&str]) -> std::process::Output {
    certify_with(cut, &cut.studio.trust, key, chain, extra)
}

/// [`certify`] judged against the bundle `trust`.
fn certify_with(
    cut: &Cut,
    trust: &Path,
    key: &Path,
    chain: &Path,
    extra: &[&str],
) -> std::process::Output {
    credits()
        .current_dir(cut.studio.dir.path())
        .args(["certify", "media", "--timeline", "cut/cut.otio", "--trust"])
        .arg(trust)
        .arg("--policy")
        .arg(&cut.policy)
        .arg("--key")
        .arg(key)
        .arg("--chain")
        .arg(chain)
        .args(["--out", "rights.intoto.json"])
        .args(extra)
        .output()
        .expect("run certify")
}

fn verify(cut: &Cut, cert: &Path, extra: &[&str]) -> std::process::Output {
    credits()
        .arg("verify")
        .arg(cert)
        .arg("--trust")
        .arg(&cut.studio.trust)
        .args(extra)
        .output()
        .expect("run verify")
}

#[test]
fn a_certified_cut_verifies_and_tampering_is_caught() {
    let cut = cut();
    let dir = cut.studio.dir.path();
    let cert = dir.join("rights.intoto.json");
    let (key, chain) = cut.studio.certifier("Dana Reyes", "dana@studio.test", 365);
    // An operator's key may not certify.
    let operator = certify(
        &cut,
        &cut.studio.key,
        &cut.studio.chain,
        &["--allow-rejected"],
    );
    assert_eq!(operator.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&operator.stderr).contains("not issued to a certifier"),
        "{}",
        String::from_utf8_lossy(&operator.stderr)
    );
    assert!(!cert.exists());
    // The cut breaks its policy: nothing is certified unless asked.
    let refused = certify(&cut, &key, &chain, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(!cert.exists());
    let made = certify(&cut, &key, &chain, &["--allow-rejected"]);
    assert_eq!(
        made.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(cert.exists());

    // Genuine and intact, of a rejected film: exit 1, and the first word
    // says so, so `verify && deliver` ships nothing.
    let ok = verify(
        &cut,
        &cert,
        &["--json", "--check", &dir.display().to_string()],
    );
    assert_eq!(
        ok.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let v = &json(&ok)["certificates"][0];
    assert_eq!(v["state"], "trusted", "{v:#}");
    assert_eq!(v["statement"]["predicate"]["verdict"], "rejected");
    assert_eq!(v["certifier"]["common_name"], "Dana Reyes");
    assert_eq!(v["certifier"]["certifier"], true);
    let human = verify(&cut, &cert, &[]);
    assert!(String::from_utf8_lossy(&human.stdout).starts_with("REJECTED  "));
    let subjects: Vec<&str> = v["statement"]["subject"]
        .as_array()
        .expect("subjects")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(
        subjects.contains(&"cut/cut.otio") && subjects.contains(&"media/a.mp4"),
        "{subjects:?}"
    );
    assert_eq!(v["check"]["matched"], subjects.len());
    let breaches = &v["statement"]["predicate"]["report"]["timeline"]["breaches"];
    assert_eq!(breaches.as_array().map(Vec::len), Some(4));

    // A generic DSSE reader verifies the signature and reads the statement.
    let py = StdCommand::new(reference_python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-rights.py"))
        .arg(&cert)
        .output()
        .expect("run check-rights.py");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let said = String::from_utf8_lossy(&py.stdout);
    assert!(
        said.starts_with(&format!("rejected {} ", subjects.len())),
        "{said}"
    );

    // One changed byte inside the signed payload.
    let text = std::fs::read_to_string(&cert).expect("read cert");
    let at = text.find("\"payload\": \"").expect("payload") + 40;
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let forged = dir.join("forged.intoto.json");
    std::fs::write(&forged, &bytes).expect("write forged");
    let out = verify(&cut, &forged, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("INVALID"));

    // A second signature; a payload swapped for another statement.
    let mut env: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cert).expect("read")).expect("json");
    let sig = env["signatures"][0].clone();
    env["signatures"]
        .as_array_mut()
        .expect("signatures")
        .push(sig);
    std::fs::write(&forged, env.to_string()).expect("write");
    let out = verify(&cut, &forged, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("2 signatures; a rights certificate has exactly one"));
    env["signatures"].as_array_mut().expect("signatures").pop();
    env["payload"] = serde_json::Value::String(
        "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==".into(),
    );
    std::fs::write(&forged, env.to_string()).expect("write");
    let out = verify(&cut, &forged, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("the signature does not verify"));

    // A subject changed on disk.
    crate::support::flip_media_byte(&cut.media.join("b.mp4"));
    let out = verify(&cut, &cert, &["--check", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("changed    media/b.mp4"), "{text}");

    // The rights sheet: one page, no script, nothing fetched.
    let html = verify(&cut, &cert, &["--format", "html"]);
    let page = String::from_utf8_lossy(&html.stdout);
    assert!(
        page.contains("Rights sheet") && page.contains("00:00:12:12"),
        "{page}"
    );
    for banned in ["<script", "src=", "href=", "url(", "@import"] {
        assert!(!page.contains(banned), "the sheet holds {banned}");
    }
}

#[test]
fn a_certificate_from_a_foreign_ca_is_not_trusted() {
    let cut = cut();
    let rogue = Studio::new("Rogue Studio");
    let (key, chain) = rogue.certifier("Rex Rogue", "rex@rogue.test", 365);
    let made = certify_with(&cut, &rogue.trust, &key, &chain, &["--allow-rejected"]);
    assert!(
        made.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let out = verify(&cut, &cut.studio.dir.path().join("rights.intoto.json"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("UNTRUSTED") && text.contains("not in the trust bundle"),
        "{text}"
    );
}
