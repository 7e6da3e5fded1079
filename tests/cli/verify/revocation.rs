//! `keys revoke`: the studio's CRL in the trust bundle. A revoked
//! operator's signature stands only when a trusted timestamp shows it was
//! made before the revocation; a CRL not signed by the bundle's CA is
//! refused; a CRL past its nextUpdate is reported.

use std::path::{Path, PathBuf};

use crate::support::{
    credits, credits_later, frame, has_code, json, path_str as s, stderr, Studio,
};
use crate::tsa_server::{Mode, Tsa};

fn sign((key, chain): (&PathBuf, &PathBuf), input: &Path, out: &Path, tsa: Option<&str>) {
    let mut cmd = credits();
    cmd.arg("stamp")
        .arg(input)
        .arg("--key")
        .arg(key)
        .arg("--chain")
        .arg(chain)
        .args(["--tool", "Runway", "--out"])
        .arg(out);
    if let Some(url) = tsa {
        cmd.args(["--tsa", url]);
    }
    cmd.assert().success();
}

fn verdicts(trust: &Path, tsa_root: &Path, files: &[PathBuf]) -> (Option<i32>, serde_json::Value) {
    let o = credits()
        .args([
            "verify",
            "--json",
            "--trust",
            s(trust),
            "--tsa-trust",
            s(tsa_root),
        ])
        .args(files)
        .output()
        .unwrap();
    (o.status.code(), json(&o))
}

/// RFC 3339, `days` from now.
fn days_from_now(days: i64) -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(days))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

#[test]
fn a_revoked_signer_stands_only_where_a_trusted_timestamp_comes_first() {
    let studio = Studio::new("Northwind Pictures");
    // Two TSAs: one on time, one whose clock runs two days ahead (a
    // signature timestamped "after" the revocation, without waiting).
    let tsa = Tsa::start(&studio.subdir("tsa"), "Test Time", Mode::Good);
    let ahead = Tsa::start(&studio.subdir("ahead"), "Later Time", Mode::Ahead(2));
    let roots = studio.dir.path().join("tsa-roots.pem");
    let both = [&tsa.root, &ahead.root].map(|p| std::fs::read_to_string(p).unwrap());
    std::fs::write(&roots, both.concat()).unwrap();
    let (bob_key, bob_chain) = studio.issue("Bob Diaz", "bob@studio.test");
    let dir = studio.subdir("in");
    let out = studio.subdir("out");
    let names = ["before.png", "after.png", "bare.png", "bob.png"];
    for (i, name) in names.iter().enumerate() {
        frame(&dir.join(name), i as u32 + 1);
    }
    let alice = (&studio.key, &studio.chain);
    sign(alice, &dir.join("before.png"), &out, Some(&tsa.url));
    sign(alice, &dir.join("after.png"), &out, Some(&ahead.url));
    sign(alice, &dir.join("bare.png"), &out, None);
    sign(
        (&bob_key, &bob_chain),
        &dir.join("bob.png"),
        &out,
        Some(&tsa.url),
    );
    // Alice leaves tomorrow; Bob's key was stolen in 2020.
    studio.revoke(
        "alice@studio.test",
        "affiliation-changed",
        Some(&days_from_now(1)),
    );
    studio.revoke(
        "bob@studio.test",
        "key-compromise",
        Some("2020-01-01T00:00:00Z"),
    );
    let trust = studio.bundle("trust-revoked.pem");
    let text = std::fs::read_to_string(&trust).unwrap();
    assert!(text.contains("BEGIN X509 CRL"), "{text}");

    let files: Vec<PathBuf> = names.iter().map(|n| out.join(n)).collect();
    let (code, report) = verdicts(&trust, &roots, &files);
    assert_eq!(code, Some(1), "{report}");
    let v = |i: usize| &report["files"][i];
    assert_eq!(v(0)["state"], "trusted", "{}", v(0));
    assert_eq!(
        v(0)["revocation"]["reason"],
        "affiliation-changed",
        "{}",
        v(0)
    );
    assert_eq!(v(0)["revocation"]["signed_before"], true, "{}", v(0));
    assert!(has_code(
        v(0),
        "informational",
        "credits.revocation.signed_before"
    ));
    for i in 1..4 {
        assert_eq!(v(i)["state"], "invalid", "{}", v(i));
        assert!(
            has_code(v(i), "failure", "signingCredential.revoked"),
            "{}",
            v(i)
        );
        assert_eq!(v(i)["revocation"]["signed_before"], false, "{}", v(i));
    }
    assert_eq!(v(1)["timestamp"]["trusted"], true, "{}", v(1));
    assert_eq!(v(3)["revocation"]["reason"], "key-compromise", "{}", v(3));
    // The old bundle, without the CRL, knows nothing of it.
    let (code, _) = verdicts(&studio.trust, &roots, &files);
    assert_eq!(code, Some(0));
    let human = credits()
        .args(["verify", "--trust", s(&trust), "--tsa-trust", s(&roots)])
        .arg(&files[0])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("revoked   affiliation-changed") && human.contains("signature stands"),
        "{human}"
    );

    // 100 days on, the CRL (current for 90) is stale: the revocation
    // status is unknown, so the signer is not trusted (exit 1) unless the
    // user takes the stale list as current.
    let later = |extra: &[&str]| {
        credits_later(100)
            .args([
                "verify",
                "--json",
                "--trust",
                s(&trust),
                "--tsa-trust",
                s(&roots),
            ])
            .args(extra)
            .arg(&files[0])
            .output()
            .unwrap()
    };
    let stale = later(&[]);
    assert_eq!(stale.status.code(), Some(1), "{}", stderr(&stale));
    let v = &json(&stale)["files"][0];
    assert_eq!(v["state"], "valid", "{v}");
    assert!(
        has_code(v, "failure", "credits.revocation.stale_crl"),
        "{v}"
    );
    assert!(
        stderr(&stale).contains("--allow-stale-crl"),
        "{}",
        stderr(&stale)
    );
    let allowed = later(&["--allow-stale-crl"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
    let v = &json(&allowed)["files"][0];
    assert_eq!(v["state"], "trusted", "{v}");
    assert!(
        has_code(v, "informational", "credits.revocation.stale_crl"),
        "{v}"
    );
}

#[test]
fn a_crl_from_another_ca_is_refused() {
    let studio = Studio::new("Northwind Pictures");
    let other = Studio::new("Southwind Pictures");
    other.revoke(
        "alice@studio.test",
        "superseded",
        Some("2026-01-01T00:00:00Z"),
    );
    let crl = std::fs::read_to_string(other.dir.path().join("ca/crl.pem")).unwrap();
    let mixed = studio.dir.path().join("mixed.pem");
    let mut text = std::fs::read_to_string(&studio.trust).unwrap();
    text.push_str(&crl);
    std::fs::write(&mixed, text).unwrap();
    let dir = studio.subdir("in");
    frame(&dir.join("f.png"), 9);
    let signed = studio.stamp_out(&dir.join("f.png"));
    let o = credits()
        .args(["verify", "--trust", s(&mixed)])
        .arg(&signed)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not signed by a CA certificate"), "{err}");
    // Revoking a certificate of another CA is refused too.
    let o = credits()
        .args(["keys", "revoke", "--dir"])
        .arg(studio.dir.path().join("ca"))
        .arg("--cert")
        .arg(other.dir.path().join("ca/alice@studio.test.chain.pem"))
        .args(["--reason", "superseded"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not by this studio CA"));
}

#[test]
fn the_audit_lists_revoked_signers_and_each_side_of_the_date() {
    let studio = Studio::new("Northwind Pictures");
    let tsa = Tsa::start(&studio.subdir("tsa"), "Test Time", Mode::Good);
    let dir = studio.subdir("in");
    let out = studio.subdir("out");
    frame(&dir.join("before.png"), 1);
    frame(&dir.join("bare.png"), 2);
    sign(
        (&studio.key, &studio.chain),
        &dir.join("before.png"),
        &out,
        Some(&tsa.url),
    );
    sign(
        (&studio.key, &studio.chain),
        &dir.join("bare.png"),
        &out,
        None,
    );
    studio.revoke(
        "alice@studio.test",
        "affiliation-changed",
        Some(&days_from_now(1)),
    );
    let trust = studio.bundle("trust-revoked.pem");
    let o = credits()
        .args([
            "audit",
            "--json",
            "--trust",
            s(&trust),
            "--tsa-trust",
            s(&tsa.root),
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report = json(&o);
    let rv = &report["revoked"][0];
    assert_eq!(rv["signer"], "Alice Chen", "{report}");
    assert_eq!(rv["reason"], "affiliation-changed", "{rv}");
    let side = |k: &str| {
        rv[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(
        side("signed_before").len() == 1 && side("signed_before")[0].ends_with("before.png"),
        "{rv}"
    );
    assert!(
        side("not_before").len() == 1 && side("not_before")[0].ends_with("bare.png"),
        "{rv}"
    );
    assert_eq!(report["accepted"], false);
}
