//! `credits keys`: the CA, operator certificates, and key hygiene.

use std::os::unix::fs::PermissionsExt;

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{credits, media, sdk_sign, Studio};

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

/// An operator certificate from the studio's CA valid over [from, until]:
/// (key path, chain path).
fn operator_valid(
    studio: &Studio,
    from: time::OffsetDateTime,
    until: time::OffsetDateTime,
) -> (std::path::PathBuf, std::path::PathBuf) {
    use rcgen::{CertificateParams, DnType, Issuer, KeyPair, KeyUsagePurpose};
    let ca = studio.dir.path().join("ca");
    let ca_key = KeyPair::from_pem(&std::fs::read_to_string(ca.join("ca.key")).expect("ca key"))
        .expect("ca key");
    let ca_pem = std::fs::read_to_string(ca.join("ca.pem")).expect("ca pem");
    let issuer = Issuer::from_ca_cert_pem(&ca_pem, &ca_key).expect("issuer");
    let key = KeyPair::generate_for(&rcgen::PKCS_ED25519).expect("key");
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, "Old Operator");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Northwind Pictures");
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::EmailProtection];
    params.use_authority_key_identifier_extension = true;
    params.not_before = from;
    params.not_after = until;
    let cert = params.signed_by(&key, &issuer).expect("sign");
    let key_path = studio.dir.path().join("old.key");
    let chain_path = studio.dir.path().join("old.chain.pem");
    std::fs::write(&key_path, key.serialize_pem()).expect("key");
    std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::fs::write(&chain_path, format!("{}{}", cert.pem(), ca_pem)).expect("chain");
    (key_path, chain_path)
}

#[test]
fn an_expired_certificate_is_refused_at_signing() {
    let studio = Studio::new("Northwind Pictures");
    let (key, chain) = operator_valid(
        &studio,
        time::macros::datetime!(2020-01-01 0:00 UTC),
        time::macros::datetime!(2021-01-01 0:00 UTC),
    );
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let input = media(&src, "frame.png");
    credits()
        .arg("stamp")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--key")
        .arg(&key)
        .arg("--chain")
        .arg(&chain)
        .args(["--tool", "Runway"])
        .assert()
        .code(2)
        .stderr(contains("expired"))
        .stderr(contains("PRIVATE KEY").not());
    assert!(crate::support::listing(&out).is_empty());
}

#[test]
fn a_manifest_signed_without_timestamp_by_a_since_expired_certificate_is_invalid() {
    let studio = Studio::new("Northwind Pictures");
    // Valid for one more day: signed now, expired when verified two days
    // on (libfaketime, no waiting).
    let now = time::OffsetDateTime::now_utc();
    let (key, chain) = operator_valid(
        &studio,
        now - time::Duration::hours(1),
        now + time::Duration::days(1),
    );
    let src = studio.subdir("src");
    let input = media(&src, "frame.png");
    let signed = src.join("signed.png");
    // Signed by another tool (the c2pa SDK directly; credits itself would
    // warn), without an RFC 3161 timestamp.
    let definition = serde_json::json!({
        "claim_generator_info": [{"name": "other-tool"}],
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [{
            "action": "c2pa.created",
            "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
        }]}}],
    });
    sdk_sign(&key, &chain, &input, &signed, &definition);
    let later = crate::support::credits_later(2)
        .arg("verify")
        .arg("--trust")
        .arg(&studio.trust)
        .arg(&signed)
        .output()
        .expect("run faketime (installed by scripts/setup.sh)");
    assert_eq!(later.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&later.stdout);
    assert!(
        stdout.contains("INVALID") && stdout.contains("signingCredential.expired"),
        "{stdout}"
    );
    assert!(crate::support::stderr(&later).contains("timestamp"));
    // The same file today, before the expiry, is trusted.
    studio.verify().arg(&signed).assert().success();
}
