//! `credits keys`: the CA, operator certificates, and key hygiene.

use std::os::unix::fs::PermissionsExt;

use predicates::str::contains;

use crate::support::{credits, media, Studio};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
}

#[test]
fn private_keys_are_written_0600() {
    let studio = Studio::new("Northwind Pictures");
    assert_eq!(mode(&studio.key), 0o600);
    assert_eq!(mode(&studio.dir.path().join("ca/ca.key")), 0o600);
}

#[test]
fn operator_certificate_meets_the_c2pa_profile() {
    use x509_parser::prelude::*;
    let studio = Studio::new("Northwind Pictures");
    let chain = std::fs::read(&studio.chain).expect("chain");
    let pems: Vec<_> = Pem::iter_from_buffer(&chain)
        .map(|p| p.expect("pem"))
        .collect();
    assert_eq!(pems.len(), 2, "operator certificate then CA");
    let cert = pems[0].parse_x509().expect("x509");
    assert_eq!(cert.version(), X509Version::V3);
    let org: Vec<_> = cert.subject().iter_organization().collect();
    assert_eq!(org[0].as_str().expect("O"), "Northwind Pictures");
    let cn: Vec<_> = cert.subject().iter_common_name().collect();
    assert_eq!(cn[0].as_str().expect("CN"), "Alice Chen");
    assert!(!cert.is_ca());
    let ku = cert.key_usage().expect("ku").expect("keyUsage present");
    assert!(ku.value.digital_signature());
    let eku = cert
        .extended_key_usage()
        .expect("eku")
        .expect("EKU present");
    assert!(eku.value.email_protection);
    let doc_signing =
        x509_parser::oid_registry::Oid::from(&[1, 3, 6, 1, 5, 5, 7, 3, 36]).expect("oid");
    assert!(eku.value.other.contains(&doc_signing));
    assert!(cert
        .extensions()
        .iter()
        .any(|e| e.oid == x509_parser::oid_registry::OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER));
    let ca = pems[1].parse_x509().expect("ca");
    assert!(ca.is_ca());
    assert_eq!(cert.issuer(), ca.subject());
}

#[test]
fn group_readable_key_is_refused() {
    let studio = Studio::new("Northwind Pictures");
    std::fs::set_permissions(&studio.key, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let src = studio.subdir("src");
    let input = media(&src, "frame.png");
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(studio.subdir("out"))
        .assert()
        .code(2)
        .stderr(contains("readable by other users"))
        .stderr(contains("chmod 600"));
}

#[test]
fn key_not_matching_its_certificate_is_refused_before_any_output() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let input = media(&src, "frame.png");
    credits()
        .arg("stamp")
        .arg(&input)
        .arg("--key")
        .arg(studio.dir.path().join("ca/ca.key"))
        .arg("--chain")
        .arg(&studio.chain)
        .args(["--tool", "Runway", "--prompt", "x", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("does not match the certificate"));
    assert!(crate::support::listing(&out).is_empty());
}

#[test]
fn keys_are_never_overwritten() {
    let studio = Studio::new("Northwind Pictures");
    let before = std::fs::read(studio.dir.path().join("ca/ca.key")).expect("key");
    credits()
        .args(["keys", "init", "--org", "Again", "--dir"])
        .arg(studio.dir.path().join("ca"))
        .assert()
        .code(2)
        .stderr(contains("already exists"));
    assert_eq!(
        std::fs::read(studio.dir.path().join("ca/ca.key")).expect("key"),
        before
    );
}

#[test]
fn issue_without_a_ca_says_how_to_make_one() {
    let dir = tempfile::tempdir().expect("tmp");
    credits()
        .args([
            "keys",
            "issue",
            "--name",
            "Bo",
            "--email",
            "bo@x.test",
            "--dir",
        ])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("hint: run `credits keys init"));
}
