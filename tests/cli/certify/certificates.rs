//! Rights certificates that cannot lie (issue 29, point 2): who may
//! certify, a certificate re-signed to say `accepted`, `--check DIR` that
//! reads DIR, a delivery grown after certification, a revoked certifier,
//! and a timestamped certificate that outlives its certifier.

use std::path::{Path, PathBuf};

use base64::Engine;

use crate::support::{credits, credits_later, frame, json, stderr, Studio};
use crate::tsa_server::{Mode, Tsa};

/// A delivery of two signed frames and one unsigned one (the policy
/// rejects it), certified by a certifier valid `days`.
struct Delivery {
    studio: Studio,
    dir: PathBuf,
    key: PathBuf,
    chain: PathBuf,
}

fn delivery(days: u32) -> Delivery {
    let studio = Studio::new("Northwind Pictures");
    let dir = studio.subdir("delivery");
    for (i, name) in ["a.png", "b.png"].iter().enumerate() {
        frame(&dir.join(name), i as u32 + 1);
        studio
            .stamp()
            .arg(dir.join(name))
            .arg("--in-place")
            .assert()
            .success();
    }
    frame(&dir.join("plain.png"), 9);
    let (key, chain) = studio.certifier("Dana Reyes", "dana@studio.test", days);
    Delivery {
        studio,
        dir,
        key,
        chain,
    }
}

impl Delivery {
    fn certify(&self, trust: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
        credits()
            .arg("certify")
            .arg(&self.dir)
            .arg("--trust")
            .arg(trust)
            .arg("--key")
            .arg(&self.key)
            .arg("--chain")
            .arg(&self.chain)
            .arg("--out")
            .arg(out)
            .arg("--allow-rejected")
            .args(extra)
            .output()
            .expect("run certify")
    }

    fn certified(&self) -> PathBuf {
        let out = self.studio.dir.path().join("rights.intoto.json");
        let made = self.certify(&self.studio.trust, &out, &[]);
        assert_eq!(made.status.code(), Some(1), "{}", stderr(&made));
        out
    }
}

fn verify(trust: &Path, cert: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = credits()
        .arg("verify")
        .arg(cert)
        .arg("--trust")
        .arg(trust)
        .arg("--json")
        .args(extra)
        .output()
        .expect("run verify");
    (out.status.code(), json(&out)["certificates"][0].clone())
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// The envelope at `cert` with its statement passed through `edit` and
/// signed again with `key`, carrying `chain`.
fn resign(
    cert: &Path,
    key: &Path,
    chain: &Path,
    edit: impl Fn(&mut serde_json::Value),
) -> serde_json::Value {
    use ed25519_dalek::pkcs8::DecodePrivateKey;
    use ed25519_dalek::Signer;
    let mut env: serde_json::Value =
        serde_json::from_slice(&std::fs::read(cert).expect("read")).expect("json");
    let body = b64()
        .decode(env["payload"].as_str().expect("payload"))
        .expect("base64");
    let mut statement: serde_json::Value = serde_json::from_slice(&body).expect("statement");
    edit(&mut statement);
    let body = serde_json::to_vec(&statement).expect("json");
    let kind = "application/vnd.in-toto+json";
    let mut pae = format!("DSSEv1 {} {kind} {} ", kind.len(), body.len()).into_bytes();
    pae.extend_from_slice(&body);
    let signing =
        ed25519_dalek::SigningKey::from_pkcs8_pem(&std::fs::read_to_string(key).expect("key"))
            .expect("pkcs8");
    let sig = signing.sign(&pae).to_bytes();
    let pem = std::fs::read(chain).expect("chain");
    let ders: Vec<String> = x509_parser::pem::Pem::iter_from_buffer(&pem)
        .map(|p| b64().encode(p.expect("pem").contents))
        .collect();
    env["payload"] = b64().encode(&body).into();
    env["signatures"][0]["sig"] = b64().encode(sig).into();
    env["signatures"][0]["extension"]["ext"]["certificates"] = ders.into();
    env
}

#[test]
fn a_certificate_re_signed_to_say_accepted_is_invalid() {
    let d = delivery(365);
    let cert = d.certified();
    let (code, v) = verify(&d.studio.trust, &cert, &[]);
    assert_eq!(
        (code, v["state"].as_str()),
        (Some(1), Some("trusted")),
        "{v:#}"
    );
    assert_eq!(v["statement"]["predicate"]["verdict"], "rejected");
    let forged = d.studio.dir.path().join("forged.intoto.json");
    // The certifier's own key, lying about its own report.
    let accepted = |s: &mut serde_json::Value| {
        s["predicate"]["verdict"] = "accepted".into();
        s["predicate"]["reasons"] = serde_json::json!([]);
    };
    let env = resign(&cert, &d.key, &d.chain, accepted);
    std::fs::write(&forged, env.to_string()).expect("write");
    let (code, v) = verify(&d.studio.trust, &forged, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(v["state"], "invalid", "{v:#}");
    assert!(
        v["reasons"]
            .to_string()
            .contains("its own report is rejected"),
        "{v:#}"
    );
    // ... and the report rewritten to match: its error findings remain.
    let env = resign(&cert, &d.key, &d.chain, |s| {
        accepted(s);
        s["predicate"]["report"]["accepted"] = true.into();
        s["predicate"]["report"]["reasons"] = serde_json::json!([]);
    });
    std::fs::write(&forged, env.to_string()).expect("write");
    let (_, v) = verify(&d.studio.trust, &forged, &[]);
    assert_eq!(v["state"], "invalid", "{v:#}");
    assert!(
        v["reasons"]
            .to_string()
            .contains("error finding is missing"),
        "{v:#}"
    );
    // An operator of the studio (a valid key, no authority), unchanged
    // statement: not trusted as a certifier.
    let env = resign(&cert, &d.studio.key, &d.studio.chain, |_| {});
    std::fs::write(&forged, env.to_string()).expect("write");
    let (code, v) = verify(&d.studio.trust, &forged, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(v["state"], "untrusted", "{v:#}");
    assert!(
        v["reasons"]
            .to_string()
            .contains("not issued to a certifier"),
        "{v:#}"
    );
}

#[test]
fn check_dir_reads_dir_and_a_grown_delivery_fails() {
    let d = delivery(365);
    let cert = d.certified();
    let (_, v) = verify(&d.studio.trust, &cert, &[]);
    for s in v["statement"]["subject"].as_array().expect("subjects") {
        let name = s["name"].as_str().expect("name");
        assert!(!name.starts_with('/') && !name.contains(".."), "{name}");
    }
    // A copy elsewhere: it is the copy that is read.
    let copy = d.studio.subdir("copy");
    for f in std::fs::read_dir(&d.dir).expect("ls").flatten() {
        std::fs::copy(f.path(), copy.join(f.file_name())).expect("copy");
    }
    let (_, v) = verify(
        &d.studio.trust,
        &cert,
        &["--check", copy.to_str().expect("utf-8")],
    );
    assert_eq!(v["state"], "trusted", "{v:#}");
    assert_eq!(v["check"]["matched"], 3, "{v:#}");
    crate::support::flip_media_byte(&copy.join("b.png"));
    let (_, v) = verify(
        &d.studio.trust,
        &cert,
        &["--check", copy.to_str().expect("utf-8")],
    );
    assert_eq!(v["state"], "invalid", "{v:#}");
    assert_eq!(v["check"]["changed"], serde_json::json!(["b.png"]), "{v:#}");
    let (_, v) = verify(
        &d.studio.trust,
        &cert,
        &["--check", d.dir.to_str().expect("utf-8")],
    );
    assert_eq!(v["state"], "trusted", "the original is intact: {v:#}");
    // An unsigned file added after certification.
    frame(&d.dir.join("extra.png"), 33);
    let out = credits()
        .arg("verify")
        .arg(&cert)
        .arg("--trust")
        .arg(&d.studio.trust)
        .arg("--check")
        .arg(&d.dir)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("INVALID") && text.contains("uncovered  extra.png"),
        "{text}"
    );
}

#[test]
fn a_revoked_certifier_cannot_certify_and_its_certificates_fall() {
    let d = delivery(365);
    let cert = d.certified();
    d.studio.revoke("dana@studio.test", "key-compromise", None);
    let trust = d.studio.bundle("trust-now.pem");
    let again = d.certify(&trust, &d.studio.dir.path().join("again.json"), &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("revoked (key-compromise)"),
        "{}",
        stderr(&again)
    );
    let (code, v) = verify(&trust, &cert, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(v["state"], "invalid", "{v:#}");
    assert!(v["reasons"].to_string().contains("revoked"), "{v:#}");
}

#[test]
fn a_timestamped_certificate_outlives_its_certifier() {
    let d = delivery(30);
    let tsa = Tsa::start(&d.studio.subdir("tsa"), "Test Time", Mode::Good);
    let stamped = d.studio.dir.path().join("stamped.intoto.json");
    let made = d.certify(&d.studio.trust, &stamped, &["--tsa", &tsa.url]);
    assert_eq!(made.status.code(), Some(1), "{}", stderr(&made));
    assert!(!stderr(&made).contains("no timestamp"), "{}", stderr(&made));
    let bare = d.certified();
    // Made without --tsa: said, with the certificate's expiry.
    let made = d.certify(&d.studio.trust, &d.studio.dir.path().join("b.json"), &[]);
    assert!(
        stderr(&made).contains("warning: no timestamp"),
        "{}",
        stderr(&made)
    );
    let later = |cert: &Path, tsa_trust: bool| {
        let mut cmd = credits_later(60);
        cmd.args(["verify", "--json", "--trust"])
            .arg(&d.studio.trust)
            .arg(cert);
        if tsa_trust {
            cmd.arg("--tsa-trust").arg(&tsa.root);
        }
        let out = cmd.output().expect("run faketime");
        json(&out)["certificates"][0].clone()
    };
    let v = later(&stamped, true);
    assert_eq!(v["state"], "trusted", "{v:#}");
    assert_eq!(v["timestamp"]["trusted"], true, "{v:#}");
    let v = later(&stamped, false);
    assert_eq!(
        v["state"], "invalid",
        "a timestamp not judged trusted: {v:#}"
    );
    let v = later(&bare, true);
    assert_eq!(v["state"], "invalid", "{v:#}");
    assert!(
        v["reasons"].to_string().contains("no trusted timestamp"),
        "{v:#}"
    );
}
