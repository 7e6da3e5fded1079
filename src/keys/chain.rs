//! A certificate chain judged against a trust bundle outside C2PA (a
//! rights certificate's certifier; a claim signer at its timestamp's
//! time): each certificate within its validity, signed by the next
//! (x509-parser's signature check: Ed25519, ECDSA, RSA), issuers that are
//! CAs, and the last one an anchor or issued by one.

use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::time::ASN1Time;

/// Chains longer than this are refused.
const MAX_CHAIN: usize = 8;

/// How the chain stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainState {
    /// Chains to an anchor of the bundle.
    Trusted,
    /// Intact, but to no anchor of the bundle (or no bundle given).
    Untrusted(String),
    /// Malformed, expired or badly signed.
    Invalid(String),
}

/// Judge `chain` (DER, end entity first) against the PEM `anchors`, now.
pub fn judge(chain: &[Vec<u8>], anchors: Option<&str>) -> ChainState {
    judge_at(chain, anchors, ASN1Time::now())
}

/// Judge `chain` as of `at` (Unix seconds: a trusted timestamp's time).
pub fn judge_at_unix(chain: &[Vec<u8>], anchors: Option<&str>, at: i64) -> ChainState {
    match ASN1Time::from_timestamp(at) {
        Ok(t) => judge_at(chain, anchors, t),
        Err(e) => ChainState::Invalid(format!("time {at}: {e}")),
    }
}

fn judge_at(chain: &[Vec<u8>], anchors: Option<&str>, at: ASN1Time) -> ChainState {
    match walk(chain, anchors, at) {
        Ok(None) => ChainState::Trusted,
        Ok(Some(why)) => ChainState::Untrusted(why),
        Err(why) => ChainState::Invalid(why),
    }
}

/// `Ok(None)`: trusted; `Ok(Some(why))`: intact but untrusted.
fn walk(chain: &[Vec<u8>], anchors: Option<&str>, at: ASN1Time) -> Result<Option<String>, String> {
    if chain.is_empty() || chain.len() > MAX_CHAIN {
        return Err(format!("a chain of {} certificates", chain.len()));
    }
    let certs: Vec<X509Certificate> = chain
        .iter()
        .map(|der| parse(der))
        .collect::<Result<_, _>>()?;
    for (i, cert) in certs.iter().enumerate() {
        if !cert.validity().is_valid_at(at) {
            return Err(format!(
                "certificate {} ({}) is outside its validity period at {at}",
                i + 1,
                cert.subject()
            ));
        }
        if let Some(issuer) = certs.get(i + 1) {
            signed_by(cert, issuer)?;
        }
    }
    let anchor_ders = match anchors {
        Some(pem) => super::pem::ders(pem, "CERTIFICATE"),
        None => return Ok(Some("no trust bundle given".into())),
    };
    let Some(last) = certs.last() else {
        return Err("empty chain".into());
    };
    if chain.last().is_some_and(|der| anchor_ders.contains(der)) {
        return Ok(None);
    }
    for der in &anchor_ders {
        let Ok(anchor) = parse(der) else { continue };
        if anchor.subject().as_raw() == last.issuer().as_raw()
            && signed_by(last, &anchor).is_ok()
            && anchor.validity().is_valid_at(at)
        {
            return Ok(None);
        }
    }
    Ok(Some(format!(
        "issued by {}, which is not in the trust bundle",
        last.issuer()
    )))
}

fn parse(der: &[u8]) -> Result<X509Certificate<'_>, String> {
    let (rest, cert) =
        X509Certificate::from_der(der).map_err(|e| format!("not an X.509 certificate: {e}"))?;
    if !rest.is_empty() {
        return Err("trailing bytes after a certificate".into());
    }
    Ok(cert)
}

/// `cert` is signed by `issuer`'s key (x509-parser's `verify`: Ed25519,
/// ECDSA, RSA), and `issuer` is a CA.
fn signed_by(cert: &X509Certificate, issuer: &X509Certificate) -> Result<(), String> {
    if cert.issuer().as_raw() != issuer.subject().as_raw() {
        return Err(format!(
            "{} is not issued by {}",
            cert.subject(),
            issuer.subject()
        ));
    }
    let is_ca = issuer
        .basic_constraints()
        .ok()
        .flatten()
        .is_some_and(|b| b.value.ca);
    if !is_ca {
        return Err(format!(
            "{} signs certificates but is not a CA",
            issuer.subject()
        ));
    }
    cert.verify_signature(Some(issuer.public_key()))
        .map_err(|e| {
            format!(
                "{}: its signature by {} does not verify ({e})",
                cert.subject(),
                issuer.subject()
            )
        })
}

/// Verify an Ed25519 signature with a raw 32-byte public key.
pub fn verify_ed25519(key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), String> {
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| "the public key is not an Ed25519 key".to_string())?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(&key).map_err(|e| e.to_string())?;
    let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|e| e.to_string())?;
    key.verify_strict(message, &sig)
        .map_err(|_| "the signature does not verify".to_string())
}

/// Whether the certificate `der` is within its validity period now
/// (false for anything that does not parse).
pub fn valid_now(der: &[u8]) -> bool {
    parse(der).is_ok_and(|c| c.validity().is_valid())
}
