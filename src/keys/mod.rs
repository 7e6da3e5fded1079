//! The studio's small PKI: an Ed25519 root CA, operator certificates that
//! pass the C2PA signing-certificate profile, key files, trust bundles, and
//! loading a signing identity safely.
//!
//! C2PA (spec 2.x, "Certificate profile") requires an end-entity X.509 v3
//! certificate with keyUsage digitalSignature, an allowed EKU, and an
//! AuthorityKeyIdentifier; `c2pa` 0.90.22 also fails every validation when
//! the subject has no `O=` (`docs/design.md`, "SDK facts"). There is no built-in key, ever.

pub mod bundle;
pub mod cert;
pub mod chain;
pub mod crl;
pub mod pem;

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};
use time::{Duration, OffsetDateTime};

use crate::error::{Error, Result};
use crate::sys::atomic::{self, Overwrite};

/// id-kp-documentSigning (RFC 9336), accepted by C2PA validators.
const EKU_DOCUMENT_SIGNING: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 36];

/// The certificatePolicies extension naming [`crate::keys::cert::CERTIFIER_POLICY`]:
/// SEQUENCE { PolicyInformation SEQUENCE { policyIdentifier } }.
fn certifier_policy() -> rcgen::CustomExtension {
    let oid = crate::keys::cert::CERTIFIER_POLICY_DER;
    let inner = [&[0x30, oid.len() as u8][..], &oid].concat();
    let content = [&[0x30, inner.len() as u8][..], &inner].concat();
    rcgen::CustomExtension::from_oid_content(CERTIFICATE_POLICIES, content)
}

/// id-ce-certificatePolicies.
const CERTIFICATE_POLICIES: &[u64] = &[2, 5, 29, 32];

/// What a studio certificate's holder may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    /// Sign media (`stamp`, `derive`, `watch`, `timestamp`).
    Operator,
    /// Sign media and rights certificates (`certify`).
    Certifier,
}
/// PKCS#9 emailAddress attribute.
const DN_EMAIL: &[u64] = &[1, 2, 840, 113549, 1, 9, 1];

const CA_KEY: &str = "ca.key";
const CA_CERT: &str = "ca.pem";

/// Files written by [`init_ca`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaFiles {
    pub key: PathBuf,
    pub certificate: PathBuf,
    pub org: String,
}

/// Files written by [`issue_operator`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct OperatorFiles {
    pub key: PathBuf,
    pub chain: PathBuf,
    pub name: String,
    pub email: String,
    pub org: String,
    pub not_after: String,
}

/// Create a self-signed Ed25519 studio root CA in `dir` (ca.key, ca.pem).
pub fn init_ca(dir: &Path, org: &str, years: u32) -> Result<CaFiles> {
    nonempty("organisation", org)?;
    let key_path = dir.join(CA_KEY);
    let cert_path = dir.join(CA_CERT);
    refuse_existing(&[&key_path, &cert_path])?;
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;

    let key = KeyPair::generate_for(&rcgen::PKCS_ED25519).map_err(Error::CertGen)?;
    let mut params = CertificateParams::default();
    params.distinguished_name = dn(&[
        (DnType::CommonName, &format!("{org} Root CA")),
        (DnType::OrganizationName, org),
    ]);
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.serial_number = Some(random_serial());
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::minutes(5);
    params.not_after = now + Duration::days(365 * i64::from(years));
    let cert = params.self_signed(&key).map_err(Error::CertGen)?;

    atomic::write(
        &key_path,
        key.serialize_pem().as_bytes(),
        Overwrite::Never,
        atomic::PRIVATE,
    )?;
    atomic::write(
        &cert_path,
        cert.pem().as_bytes(),
        Overwrite::Never,
        atomic::PUBLIC,
    )?;
    Ok(CaFiles {
        key: key_path,
        certificate: cert_path,
        org: org.to_string(),
    })
}

/// Issue an operator certificate from the CA in `ca_dir`, writing
/// `SLUG.key` (0600) and `SLUG.chain.pem` (operator first, then the CA) in `out_dir`.
pub fn issue_operator(
    ca_dir: &Path,
    out_dir: &Path,
    name: &str,
    email: &str,
    days: u32,
    role: KeyRole,
) -> Result<OperatorFiles> {
    check_operator(name, email, days)?;
    let ca = StudioCa::load(ca_dir)?;
    let issuer = Issuer::from_ca_cert_pem(&ca.pem, &ca.key).map_err(Error::CertGen)?;

    let slug = slug(email);
    let key_path = out_dir.join(format!("{slug}.key"));
    let chain_path = out_dir.join(format!("{slug}.chain.pem"));
    refuse_existing(&[&key_path, &chain_path])?;

    let key = KeyPair::generate_for(&rcgen::PKCS_ED25519).map_err(Error::CertGen)?;
    let mut params = operator_params(name, email, &ca.org, days)?;
    if role == KeyRole::Certifier {
        params.custom_extensions.push(certifier_policy());
    }
    let cert = params.signed_by(&key, &issuer).map_err(Error::CertGen)?;

    std::fs::create_dir_all(out_dir).map_err(|source| Error::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let chain = format!("{}{}", cert.pem(), ca.pem);
    atomic::write(
        &key_path,
        pkcs8_v1_pem(&key)?.as_bytes(),
        Overwrite::Never,
        atomic::PRIVATE,
    )?;
    atomic::write(
        &chain_path,
        chain.as_bytes(),
        Overwrite::Never,
        atomic::PUBLIC,
    )?;
    Ok(OperatorFiles {
        key: key_path,
        chain: chain_path,
        name: name.to_string(),
        email: email.to_string(),
        org: ca.org,
        not_after: crate::sys::time::rfc3339(params.not_after),
    })
}

/// Refuse an operator certificate that could not be used or read.
fn check_operator(name: &str, email: &str, days: u32) -> Result<()> {
    nonempty("name", name)?;
    if !email.contains('@') || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::InvalidArgument {
            what: "email".into(),
            reason: format!("{email:?} is not an email address"),
        });
    }
    if days == 0 {
        return Err(Error::InvalidArgument {
            what: "validity in days".into(),
            reason: "must be at least 1".into(),
        });
    }
    Ok(())
}

/// The studio CA's key, certificate and organisation, read from its directory.
pub(crate) struct StudioCa {
    pub(crate) key: KeyPair,
    pub(crate) pem: String,
    pub(crate) org: String,
}

impl StudioCa {
    pub(crate) fn load(ca_dir: &Path) -> Result<StudioCa> {
        let ca_key_path = ca_dir.join(CA_KEY);
        let ca_cert_path = ca_dir.join(CA_CERT);
        if !ca_key_path.exists() || !ca_cert_path.exists() {
            return Err(Error::NoStudioCa {
                dir: ca_dir.to_path_buf(),
            });
        }
        let ca_key_pem = read_private(&ca_key_path)?;
        let key = KeyPair::from_pem(&ca_key_pem).map_err(|e| Error::BadKey {
            path: ca_key_path.clone(),
            reason: e.to_string(),
        })?;
        let pem = read_text(&ca_cert_path)?;
        let org = cert_info(&ca_cert_path, &pem)?
            .org
            .ok_or_else(|| Error::BadCertificate {
                path: ca_cert_path.clone(),
                reason: "the CA subject has no O= (organisation)".into(),
            })?;
        Ok(StudioCa { key, pem, org })
    }
}

/// The certificate profile C2PA validators require of a signer
/// (`docs/design.md`): end entity, digitalSignature, an EKU, AKI, and O=.
fn operator_params(name: &str, email: &str, org: &str, days: u32) -> Result<CertificateParams> {
    let mut params = CertificateParams::default();
    params.distinguished_name = dn(&[
        (DnType::CommonName, name),
        (DnType::OrganizationName, org),
        (DnType::CustomDnType(DN_EMAIL.to_vec()), email),
    ]);
    let rfc822 = email.to_string().try_into().map_err(Error::CertGen)?;
    params.subject_alt_names = vec![SanType::Rfc822Name(rfc822)];
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::EmailProtection,
        ExtendedKeyUsagePurpose::Other(EKU_DOCUMENT_SIGNING.to_vec()),
    ];
    params.use_authority_key_identifier_extension = true;
    params.serial_number = Some(random_serial());
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::minutes(5);
    params.not_after = now + Duration::days(i64::from(days));
    Ok(params)
}

/// The root CA certificate (PEM) of the studio CA in `ca_dir`; the trust
/// bundle adds the studio's CRL ([`crate::keys::crl::trust_bundle`]).
pub fn ca_certificate(ca_dir: &Path) -> Result<String> {
    let path = ca_dir.join(CA_CERT);
    if !path.exists() {
        return Err(Error::NoStudioCa {
            dir: ca_dir.to_path_buf(),
        });
    }
    let pem = read_text(&path)?;
    cert_info(&path, &pem)?;
    Ok(pem)
}

/// Facts of the first certificate in a PEM text.
pub(crate) fn cert_info(path: &Path, pem_text: &str) -> Result<crate::keys::cert::CertFacts> {
    let mut chain = crate::keys::cert::chain(pem_text).map_err(|reason| Error::BadCertificate {
        path: path.to_path_buf(),
        reason,
    })?;
    Ok(chain.remove(0))
}

/// An Ed25519 key as PKCS#8 v1 PEM (RFC 8410: the seed alone). rcgen
/// writes v2 with the public key, which OpenSSL 3.0 cannot read — and an
/// operator's key is what gets moved into a token with OpenSSL's tools.
fn pkcs8_v1_pem(key: &KeyPair) -> Result<String> {
    use base64::Engine;
    use ed25519_dalek::pkcs8::DecodePrivateKey;
    let signing = ed25519_dalek::SigningKey::from_pkcs8_der(&key.serialize_der()).map_err(|e| {
        Error::BadKey {
            path: PathBuf::from("(new key)"),
            reason: e.to_string(),
        }
    })?;
    // SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend_from_slice(&signing.to_bytes());
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    Ok(format!(
        "-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n"
    ))
}

/// Keys and certificates are never overwritten.
fn refuse_existing(paths: &[&PathBuf]) -> Result<()> {
    match paths.iter().find(|p| p.exists()) {
        Some(p) => Err(Error::WouldOverwriteKey {
            path: p.to_path_buf(),
        }),
        None => Ok(()),
    }
}

pub(crate) fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Read a private key, refusing one that group or others can read.
pub(crate) fn read_private(path: &Path) -> Result<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(Error::KeyPermissions {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    read_text(path)
}

fn dn(parts: &[(DnType, &str)]) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    for (ty, value) in parts {
        dn.push(ty.clone(), *value);
    }
    dn
}

fn random_serial() -> SerialNumber {
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] &= 0x7F; // positive INTEGER
    bytes[0] |= 0x01; // and no leading zero to strip
    SerialNumber::from_slice(&bytes)
}

/// A name written into certificates: not empty, and no control character
/// (it is shown to every reader of what the operator signs).
fn nonempty(what: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::InvalidArgument {
            what: what.into(),
            reason: "must not be empty".into(),
        });
    }
    if value.chars().any(char::is_control) {
        return Err(Error::ControlCharacter {
            field: what,
            value: value.to_string(),
        });
    }
    Ok(())
}

/// A file-name-safe form of an email address.
pub fn slug(email: &str) -> String {
    email
        .to_ascii_lowercase()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' | '-' | '_' | '@' => c,
            _ => '_',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_keeps_email_readable() {
        assert_eq!(
            slug("Alice.Chen@Studio.example"),
            "alice.chen@studio.example"
        );
        assert_eq!(slug("a/b@c"), "a_b@c");
    }
}
