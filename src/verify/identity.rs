//! The CAWG identity assertions of a manifest (`cawg.identity`, Identity
//! Assertion 1.x): who the named actor is, in which role, and what the
//! SDK's validation of the `cawg.x509.cose` signature said.
//!
//! The SDK validates each identity assertion while reading (setting
//! `core.decode_identity_assertions`, on by default) and replaces the
//! assertion's value with a summary of the credential: the signer payload
//! and the certificate's facts. Its codes sit among the active manifest's
//! results under the assertion's URI. c2pa 0.90.22 reports a valid
//! signature as `cawg.identity.well-formed` and never `cawg.identity.trusted`
//! (a TO DO upstream); with trust anchors the credential's chain is judged
//! against them as well, and an identity whose chain held and whose
//! signature is well-formed is reported here as `cawg.identity.trusted`.
//!
//! The SDK's summary names the credential by issuer organisation and serial
//! number only (0.90.22 fills neither the common name nor the chain), so the
//! named actor is matched to the claim's signing certificate by those two:
//! `credits` signs both with the operator's one certificate. An identity
//! whose credential is another certificate is reported by issuer and serial
//! and fails as `credits.identity.mismatch` — the claim's operator is not
//! the actor it names.

use super::verdict::{
    trust_only, CawgIdentity, Signer, TRUSTED, UNTRUSTED_CREDENTIAL, WELL_FORMED,
};

/// Whether `label` is a CAWG identity assertion's (`cawg.identity`, or a
/// further instance `cawg.identity__N`).
fn is_identity(label: &str) -> bool {
    label == "cawg.identity" || label.starts_with("cawg.identity__")
}

/// Whether `url` is a CAWG identity assertion's.
pub fn is_identity_url(url: &str) -> bool {
    is_identity(url.rsplit('/').next().unwrap_or(url))
}

/// The code a status at an identity assertion carries: c2pa 0.90.22 logs
/// the X.509 checks of a `cawg.x509.cose` signature with the claim
/// signature's codes; the CAWG spec (and c2pa-rs 0.91) name them apart.
/// An invalid credential keeps `signingCredential.invalid`: it is not
/// merely outside the anchors.
pub fn remap(code: &str, url: &str) -> String {
    if !is_identity_url(url) {
        return code.to_string();
    }
    match code {
        "algorithm.unsupported" => "cawg.x509.algorithm.unsupported",
        "signingCredential.trusted" => "cawg.x509.credential.trusted",
        "signingCredential.untrusted" => UNTRUSTED_CREDENTIAL,
        "signingCredential.expired" => "cawg.x509.signature.outside_validity",
        "claimSignature.mismatch" => "cawg.x509.signature.mismatch",
        other => other,
    }
    .to_string()
}

/// Codes of one assertion URI, as success and failure lists.
struct UriCodes {
    success: Vec<String>,
    failure: Vec<String>,
}

fn codes_at(reader: &c2pa::Reader, manifest_label: &str, label: &str) -> UriCodes {
    // The SDK names the manifest in the URL; a URL without one (relative)
    // is the active manifest's.
    let suffix = format!("/{label}");
    let of_manifest = |u: &str| u.contains(&format!("/{manifest_label}/")) || !u.contains("/c2pa/");
    let mut out = UriCodes {
        success: Vec::new(),
        failure: Vec::new(),
    };
    let Some(active) = reader
        .validation_results()
        .and_then(|r| r.active_manifest())
    else {
        return out;
    };
    let at = |s: &&c2pa::validation_status::ValidationStatus| {
        s.url()
            .is_some_and(|u| u.ends_with(&suffix) && of_manifest(u))
    };
    let code = |s: &c2pa::validation_status::ValidationStatus| {
        remap(s.code(), s.url().unwrap_or_default())
    };
    out.success = active.success().iter().filter(at).map(code).collect();
    out.failure = active.failure().iter().filter(at).map(code).collect();
    out
}

/// Every identity assertion of `manifest` (labelled `manifest_label`: the
/// active one, or the one a timestamp update is transparent to), its
/// credential matched against the claim's `signer`; `anchored` says
/// whether trust anchors were configured (without them nothing is trusted).
pub fn identities(
    reader: &c2pa::Reader,
    manifest_label: &str,
    manifest: &c2pa::Manifest,
    signer: Option<&Signer>,
    anchored: bool,
) -> Vec<CawgIdentity> {
    manifest
        .assertions()
        .iter()
        .filter(|a| is_identity(a.label()))
        .map(|a| {
            let value = a.value().unwrap_or(&serde_json::Value::Null);
            let codes = codes_at(reader, manifest_label, a.label());
            let mut id = one(a.label(), value, &codes, anchored);
            name_actor(&mut id, value, signer);
            id
        })
        .collect()
}

fn one(label: &str, value: &serde_json::Value, codes: &UriCodes, anchored: bool) -> CawgIdentity {
    let payload = value.get("signer_payload");
    let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let referenced = payload
        .and_then(|p| p.get("referenced_assertions"))
        .and_then(|r| r.as_array())
        .map(|r| {
            r.iter()
                .filter_map(|h| h.get("url")?.as_str())
                .map(|u| u.rsplit('/').next().unwrap_or(u).to_string())
                .collect()
        })
        .unwrap_or_default();
    // Present only when the SDK validated the signature.
    let info = value.get("signature_info");
    let well_formed = codes.success.iter().any(|c| c == WELL_FORMED) && info.is_some();
    // What broke says more than who is not trusted, and a CAWG code more
    // than a general one.
    let broke = |c: &&String| !trust_only(c);
    let failure = codes
        .failure
        .iter()
        .filter(broke)
        .find(|c| c.starts_with("cawg."))
        .or(codes.failure.iter().find(broke))
        .or(codes.failure.first());
    let status = match failure {
        Some(code) => code.clone(),
        None if well_formed && anchored => TRUSTED.to_string(),
        None if well_formed => WELL_FORMED.to_string(),
        None => "cawg.identity.unvalidated".to_string(),
    };
    CawgIdentity {
        label: label.to_string(),
        signer: None,
        email: None,
        certificate: None,
        claim_signer: false,
        roles: strings(payload.and_then(|p| p.get("role"))),
        referenced_assertions: referenced,
        status,
    }
}

/// Name the actor from the claim's signing certificate when the identity's
/// credential is that certificate (same issuer organisation and serial).
fn name_actor(id: &mut CawgIdentity, value: &serde_json::Value, signer: Option<&Signer>) {
    let Some(info) = value.get("signature_info") else {
        return;
    };
    let text = |k: &str| info.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let (issuer, serial) = (text("issuer"), text("cert_serial_number"));
    match signer {
        Some(s) if s.serial.is_some() && s.serial == serial && s.issuer == issuer => {
            id.signer = s.common_name.clone();
            id.email = s.email.clone();
            id.certificate = s.certificate.clone();
            id.claim_signer = true;
        }
        _ => {
            id.certificate = Some(format!(
                "{} #{}",
                issuer.as_deref().unwrap_or("?"),
                serial.as_deref().unwrap_or("?")
            ));
        }
    }
}
