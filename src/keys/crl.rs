//! The studio's certificate revocation list: `credits keys revoke` adds an
//! operator's certificate to an X.509 v2 CRL signed by the studio CA
//! (`DIR/crl.pem`, written atomically); `keys trust` puts it in the trust
//! bundle beside the CA certificate, and verification reads it from there —
//! offline, never fetched. A CRL whose signature does not verify with a CA
//! of the bundle is refused; one past its `nextUpdate` is reported stale.

use std::path::{Path, PathBuf};

use rcgen::{
    CertificateRevocationListParams, Issuer, KeyIdMethod, RevocationReason, RevokedCertParams,
    SerialNumber,
};
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use crate::error::{Error, Result};
use crate::keys::pem::ders as pem_ders;
use crate::keys::{self, StudioCa};
use crate::sys::atomic::{self, Overwrite};

/// The CRL's file in the CA directory.
pub const CRL_FILE: &str = "crl.pem";
/// How long a CRL is current: `keys revoke` (or `keys crl`) signs a fresh
/// one; verifiers report a CRL past this as stale.
pub const CURRENT_DAYS: i64 = 90;

/// Why a certificate was revoked (RFC 5280 CRLReason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The key may have been used by anyone: only signatures with a trusted
    /// timestamp before the revocation stand.
    KeyCompromise,
    /// The operator left or changed role.
    AffiliationChanged,
    /// A new certificate replaces this one.
    Superseded,
    /// The operator stopped signing.
    CessationOfOperation,
    /// Any other code a CRL may carry.
    Other,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::KeyCompromise => "key-compromise",
            Reason::AffiliationChanged => "affiliation-changed",
            Reason::Superseded => "superseded",
            Reason::CessationOfOperation => "cessation-of-operation",
            Reason::Other => "unspecified",
        }
    }

    fn code(self) -> RevocationReason {
        match self {
            Reason::KeyCompromise => RevocationReason::KeyCompromise,
            Reason::AffiliationChanged => RevocationReason::AffiliationChanged,
            Reason::Superseded => RevocationReason::Superseded,
            Reason::CessationOfOperation => RevocationReason::CessationOfOperation,
            Reason::Other => RevocationReason::Unspecified,
        }
    }

    fn from_code(code: u8) -> Reason {
        match code {
            1 => Reason::KeyCompromise,
            3 => Reason::AffiliationChanged,
            4 => Reason::Superseded,
            5 => Reason::CessationOfOperation,
            _ => Reason::Other,
        }
    }
}

/// One revoked certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    /// The serial number, big-endian, without leading zeros.
    pub serial: Vec<u8>,
    /// When it was revoked (Unix seconds).
    pub at: i64,
    pub reason: Reason,
}

/// A CRL read from a trust bundle, its signature checked.
#[derive(Debug, Clone)]
pub struct Crl {
    /// The issuer's DER-encoded name.
    issuer: Vec<u8>,
    /// Unix seconds of `nextUpdate`, when given.
    pub next_update: Option<i64>,
    pub entries: Vec<Revoked>,
}

impl Crl {
    /// Whether the CRL is past its `nextUpdate` at `now` (Unix seconds).
    pub fn stale_at(&self, now: i64) -> bool {
        self.next_update.is_some_and(|n| n < now)
    }
}

/// Where `cert` (DER) stands: the CRL of the CA that issued it, when the
/// bundle has one, and its entry on that list, when it is revoked.
pub fn status<'a>(crls: &'a [Crl], cert: &[u8]) -> Option<(&'a Crl, Option<&'a Revoked>)> {
    let (_, cert) = X509Certificate::from_der(cert).ok()?;
    let serial = trim(cert.raw_serial());
    let mine = || {
        crls.iter()
            .filter(|crl| crl.issuer == cert.issuer().as_raw())
    };
    let revoked = mine().find_map(|crl| {
        crl.entries
            .iter()
            .find(|r| r.serial == serial)
            .map(|r| (crl, Some(r)))
    });
    revoked.or_else(|| mine().next().map(|crl| (crl, None)))
}

fn trim(serial: &[u8]) -> Vec<u8> {
    let start = serial.iter().position(|&b| b != 0).unwrap_or(serial.len());
    serial[start..].to_vec()
}

/// The CRLs of a trust bundle (its `X509 CRL` blocks), each signed by a CA
/// certificate of the same bundle.
pub fn load(bundle: &str) -> std::result::Result<Vec<Crl>, String> {
    let anchors: Vec<Vec<u8>> = pem_ders(bundle, "CERTIFICATE");
    pem_ders(bundle, "X509 CRL")
        .iter()
        .map(|der| read_one(der, &anchors))
        .collect()
}

fn read_one(der: &[u8], anchors: &[Vec<u8>]) -> std::result::Result<Crl, String> {
    let (_, crl) = CertificateRevocationList::from_der(der)
        .map_err(|e| format!("a CRL in the trust bundle does not parse ({e})"))?;
    let signed = anchors.iter().any(|a| {
        X509Certificate::from_der(a).is_ok_and(|(_, ca)| {
            ca.subject().as_raw() == crl.issuer().as_raw()
                && crl.verify_signature(ca.public_key()).is_ok()
        })
    });
    if !signed {
        return Err(format!(
            "the CRL of {} is not signed by a CA certificate of the trust bundle",
            crl.issuer()
        ));
    }
    let entries = crl
        .iter_revoked_certificates()
        .map(|r| Revoked {
            serial: trim(r.raw_serial()),
            at: r.revocation_date.timestamp(),
            reason: r
                .reason_code()
                .map_or(Reason::Other, |(_, code)| Reason::from_code(code.0)),
        })
        .collect();
    Ok(Crl {
        issuer: crl.issuer().as_raw().to_vec(),
        next_update: crl.next_update().map(|t| t.timestamp()),
        entries,
    })
}

/// The studio's CRL as `keys revoke` wrote it under `ca_dir`, its
/// signature checked against `ca_pem`; none before the first revocation.
pub(super) fn current(ca_dir: &Path, ca_pem: &str) -> Result<Option<String>> {
    Ok(read_crl(&ca_dir.join(CRL_FILE), ca_pem)?.map(|(text, _)| text))
}

/// What `keys revoke` did.
#[derive(Debug, Clone, Serialize)]
pub struct Revocation {
    pub crl: PathBuf,
    pub subject: String,
    pub serial: String,
    pub reason: Reason,
    /// RFC 3339.
    pub revoked_at: String,
    /// RFC 3339: when verifiers will call this CRL stale.
    pub next_update: String,
    /// Certificates on the list now.
    pub entries: usize,
}

/// Revoke the certificate that begins the PEM file `cert` (an operator's
/// chain) from the CA in `ca_dir`, as of `at` (default now).
pub fn revoke(
    ca_dir: &Path,
    cert: &Path,
    reason: Reason,
    at: Option<OffsetDateTime>,
) -> Result<Revocation> {
    let ca = StudioCa::load(ca_dir)?;
    let bad = |reason: String| Error::BadCertificate {
        path: cert.to_path_buf(),
        reason,
    };
    let text = keys::read_text(cert)?;
    let der = pem_ders(&text, "CERTIFICATE")
        .into_iter()
        .next()
        .ok_or_else(|| bad("no certificate in the file".into()))?;
    let (_, parsed) = X509Certificate::from_der(&der).map_err(|e| bad(e.to_string()))?;
    issued_by_studio(&parsed, &ca.pem).map_err(bad)?;
    let path = ca_dir.join(CRL_FILE);
    let mut entries: Vec<Revoked> = read_crl(&path, &ca.pem)?
        .into_iter()
        .flat_map(|(_, crls)| crls)
        .flat_map(|c| c.entries)
        .collect();
    let serial = trim(parsed.raw_serial());
    if let Some(r) = entries.iter().find(|r| r.serial == serial) {
        return Err(Error::Revocation {
            reason: format!(
                "{}: already revoked ({}) on {}",
                cert.display(),
                r.reason.as_str(),
                crate::sys::time::rfc3339_unix(r.at)
            ),
        });
    }
    let now = OffsetDateTime::now_utc();
    let at = at.unwrap_or(now);
    entries.push(Revoked {
        serial: serial.clone(),
        at: at.unix_timestamp(),
        reason,
    });
    let next = now + Duration::days(CURRENT_DAYS);
    let pem = sign(&ca, &entries, now, next)?;
    atomic::write(&path, pem.as_bytes(), Overwrite::Replace, atomic::PUBLIC)?;
    Ok(Revocation {
        crl: path,
        subject: parsed.subject().to_string(),
        serial: parsed.raw_serial_as_string(),
        reason,
        revoked_at: crate::sys::time::rfc3339_unix(at.unix_timestamp()),
        next_update: crate::sys::time::rfc3339_unix(next.unix_timestamp()),
        entries: entries.len(),
    })
}

/// `cert` was issued by the studio CA whose certificate is `ca_pem`.
fn issued_by_studio(cert: &X509Certificate, ca_pem: &str) -> std::result::Result<(), String> {
    let ca_der = pem_ders(ca_pem, "CERTIFICATE")
        .into_iter()
        .next()
        .unwrap_or_default();
    let (_, ca) = X509Certificate::from_der(&ca_der).map_err(|e| e.to_string())?;
    if cert.issuer().as_raw() != ca.subject().as_raw() {
        return Err(format!(
            "issued by {}, not by this studio CA ({})",
            cert.issuer(),
            ca.subject()
        ));
    }
    Ok(())
}

/// The CRL file at `path`, if there is one: its text and its lists, each
/// signature checked against the CA certificate `ca_pem`.
fn read_crl(path: &Path, ca_pem: &str) -> Result<Option<(String, Vec<Crl>)>> {
    if !path.exists() {
        return Ok(None);
    }
    let text = keys::read_text(path)?;
    let crls = load(&format!("{ca_pem}{text}")).map_err(|reason| Error::BadCertificate {
        path: path.to_path_buf(),
        reason,
    })?;
    Ok(Some((text, crls)))
}

fn sign(
    ca: &StudioCa,
    entries: &[Revoked],
    now: OffsetDateTime,
    next: OffsetDateTime,
) -> Result<String> {
    let issuer = Issuer::from_ca_cert_pem(&ca.pem, &ca.key).map_err(Error::CertGen)?;
    let revoked_certs = entries
        .iter()
        .map(|r| RevokedCertParams {
            serial_number: SerialNumber::from_slice(&r.serial),
            revocation_time: OffsetDateTime::from_unix_timestamp(r.at).unwrap_or(now),
            reason_code: Some(r.reason.code()),
            invalidity_date: None,
        })
        .collect();
    let params = CertificateRevocationListParams {
        this_update: now,
        next_update: next,
        crl_number: SerialNumber::from(now.unix_timestamp() as u64),
        issuing_distribution_point: None,
        revoked_certs,
        key_identifier_method: KeyIdMethod::Sha256,
    };
    let crl = params.signed_by(&issuer).map_err(Error::CertGen)?;
    crl.pem().map_err(Error::CertGen)
}
