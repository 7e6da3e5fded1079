//! The RFC 3161 timestamp of a claim signature (`sigTst2`, C2PA's v2
//! countersignature timestamp, or the older `sigTst`), judged against the
//! TSA roots alone (`--tsa-trust`) — never against the signer roots, as
//! C2PA keeps its own TSA trust list. A trusted timestamp fixes when the
//! signature existed: the certificate is judged at that time
//! ([`super::read`]), so the signature outlives the certificate.

use c2pa::crypto::cose::{parse_cose_sign1, CertificateTrustPolicy};
use c2pa::crypto::time_stamp;
use c2pa::status_tracker::StatusTracker;
use coset::cbor::Value;
use coset::SignatureContext;

use super::verdict::{Codes, Timestamp, Verdict, TRUSTED};
use crate::keys::cert;
use crate::media::jumbf;

/// The TSA roots of `--tsa-trust` as the SDK's trust policy, built once
/// per run; why not, when they do not parse.
pub struct TsaRoots(Result<CertificateTrustPolicy, String>);

impl TsaRoots {
    pub fn new(pem: &str) -> TsaRoots {
        let mut policy = CertificateTrustPolicy::new();
        TsaRoots(
            policy
                .add_trust_anchors(crate::keys::bundle::certificates_only(pem).as_bytes())
                .map(|()| policy)
                .map_err(|e| format!("the TSA roots do not parse ({e})")),
        )
    }
}

/// The timestamp of the manifest `label`'s claim signature in `store`, if
/// it carries one, judged against `tsa_roots`.
pub fn of_manifest(store: &[u8], label: &str, tsa_roots: Option<&TsaRoots>) -> Option<Timestamp> {
    let parts = jumbf::manifests(store);
    let parts = parts.iter().find(|p| p.label == label)?;
    let cose = parts.signature?;
    let mut log = StatusTracker::default();
    let sign1 = parse_cose_sign1(cose, parts.claim.unwrap_or_default(), &mut log).ok()?;
    let (value, v2) = sign1.unprotected.rest.iter().find_map(|(l, v)| match l {
        coset::Label::Text(t) if t == "sigTst2" => Some((v, true)),
        coset::Label::Text(t) if t == "sigTst" => Some((v, false)),
        _ => None,
    })?;
    let token = first_token(value)?;
    // What the TSA signed: for sigTst2 the claim signature (a CBOR byte
    // string), for sigTst the claim; either inside a CounterSignature
    // structure with the signature's protected header.
    let signed = if v2 {
        let mut out = Vec::new();
        coset::cbor::into_writer(&Value::Bytes(sign1.signature.clone()), &mut out).ok()?;
        out
    } else {
        parts.claim?.to_vec()
    };
    let tbs = coset::sig_structure_data(
        SignatureContext::CounterSignature,
        sign1.protected.clone(),
        None,
        &[],
        &signed,
    );
    Some(judge(token, &tbs, tsa_roots))
}

/// The COSE signature bytes of manifest `label`'s claim signature in
/// `store`: what a `c2pa.time-stamp` assertion's token covers.
pub fn claim_signature(store: &[u8], label: &str) -> Result<Vec<u8>, String> {
    let parts = jumbf::manifests(store);
    let parts = parts
        .iter()
        .find(|p| p.label == label)
        .ok_or_else(|| format!("the manifest {label} is not in the store"))?;
    let cose = parts
        .signature
        .ok_or_else(|| format!("the manifest {label} has no claim signature"))?;
    let mut log = StatusTracker::default();
    parse_cose_sign1(cose, parts.claim.unwrap_or_default(), &mut log)
        .map(|sign1| sign1.signature)
        .map_err(|e| format!("the claim signature does not parse ({e})"))
}

/// A `c2pa.time-stamp` assertion's token for a manifest (C2PA 2.2): over
/// that manifest's claim signature bytes, judged against `tsa_roots`.
pub fn of_assertion_token(
    token: &[u8],
    signature: &[u8],
    tsa_roots: Option<&TsaRoots>,
) -> Timestamp {
    judge(token, signature, tsa_roots)
}

/// The first token of a `{"tstTokens": [{"val": bstr}]}` container.
fn first_token(value: &Value) -> Option<&[u8]> {
    let tokens = map_get(value, "tstTokens")?.as_array()?;
    map_get(tokens.first()?, "val")?
        .as_bytes()
        .map(Vec::as_slice)
}

fn map_get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value
        .as_map()?
        .iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
}

/// The token judged: the SDK's full check against the TSA roots alone
/// (signature, imprint, the timeStamping EKU, the chain at the stamped
/// time); only when that fails, its soundness alone, to show the time.
fn judge(token: &[u8], tbs: &[u8], tsa_roots: Option<&TsaRoots>) -> Timestamp {
    let tsa = tsa_name(token);
    let verify = |policy: &CertificateTrustPolicy, trust: bool| {
        let mut log = StatusTracker::default();
        time_stamp::verify_time_stamp(token, tbs, policy, &mut log, trust)
    };
    let trusted = match tsa_roots.map(|r| &r.0) {
        Some(Ok(policy)) => verify(policy, true)
            .map_err(|_| "the TSA does not chain to a root of --tsa-trust".to_string()),
        Some(Err(why)) => Err(why.clone()),
        None => Err("no TSA roots given (--tsa-trust)".into()),
    };
    let (info, untrusted_because) = match trusted {
        Ok(info) => (Some(info), None),
        Err(why) => match verify(&CertificateTrustPolicy::passthrough(), false) {
            Ok(info) => (Some(info), Some(why)),
            Err(e) => (None, Some(format!("the timestamp does not verify ({e})"))),
        },
    };
    let (time, unix) = match info {
        Some(info) => {
            let at: chrono::DateTime<chrono::Utc> = info.gen_time.into();
            (
                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                at.timestamp(),
            )
        }
        None => (String::new(), 0),
    };
    Timestamp {
        time,
        unix,
        tsa,
        trusted: untrusted_because.is_none(),
        untrusted_because,
        added_later: None,
    }
}

/// The TSA certificate's CN, with its O when the CN does not hold it.
fn tsa_name(token: &[u8]) -> String {
    time_stamp::tsa_signer_cert_der_from_token(token)
        .ok()
        .flatten()
        .and_then(|der| cert::facts(&der).ok())
        .and_then(|f| match (f.common_name, f.org) {
            (Some(cn), Some(o)) if !cn.contains(&o) => Some(format!("{cn} ({o})")),
            (Some(cn), _) => Some(cn),
            (None, o) => o,
        })
        .unwrap_or_else(|| "(unnamed TSA)".into())
}

/// The SDK's code for a certificate outside its validity.
pub const EXPIRED: &str = "signingCredential.expired";
/// Ours, informational: the certificate has expired, but a trusted
/// timestamp shows the signature was made while it was valid.
pub const SIGNED_WHILE_VALID: &str = "credits.timestamp.signed_while_valid";

/// Settle the certificate's validity by the timestamp, both ways: a
/// trusted timestamp within the certificate's validity (the chain judged
/// at that time against the signer roots) clears the SDK's
/// `signingCredential.expired`; a bundle signer's expired certificate
/// whose timestamp is untrusted is expired, even where the SDK took the
/// TSA's time. True when the expiry was cleared.
pub(super) fn settle_expiry(
    codes: &mut Codes,
    ts: Option<&Timestamp>,
    chain: &[Vec<u8>],
    signer_roots: Option<&str>,
) -> bool {
    let expired_now = chain
        .first()
        .is_some_and(|c| !crate::keys::chain::valid_now(c));
    match ts {
        Some(t) if t.trusted => {
            let at_time = crate::keys::chain::judge_at_unix(chain, signer_roots, t.unix);
            if codes.failure.iter().any(|c| c == EXPIRED)
                && at_time == crate::keys::chain::ChainState::Trusted
            {
                codes.failure.retain(|c| c != EXPIRED);
                codes.informational.push(SIGNED_WHILE_VALID.into());
                return true;
            }
        }
        // A signer of the bundle's whose certificate has expired, with no
        // timestamp we trust: expired, even where the SDK took the time of
        // a TSA outside --tsa-trust. (A signer outside the bundle is not
        // ours to re-judge: its verdict stays the SDK's, as other readers
        // give it.)
        _ if expired_now
            && !codes.failure.iter().any(|c| c == EXPIRED)
            && ts.is_some_and(|t| {
                crate::keys::chain::judge_at_unix(chain, signer_roots, t.unix)
                    == crate::keys::chain::ChainState::Trusted
            }) =>
        {
            codes.failure.push(EXPIRED.into());
        }
        _ => {}
    }
    false
}

/// Put our judgement of the TSA (against the TSA roots) in place of the
/// SDK's, which judged it against the signer roots: `timeStamp.trusted`
/// or `timeStamp.untrusted`, C2PA's own codes.
pub(super) fn restate_trust(codes: &mut Codes, ts: Option<&Timestamp>) {
    let Some(ts) = ts else { return };
    codes
        .informational
        .retain(|c| c != "timeStamp.untrusted" && c != "timeStamp.trusted");
    let code = if ts.trusted {
        "timeStamp.trusted"
    } else {
        "timeStamp.untrusted"
    };
    codes.informational.insert(0, code.into());
}

/// The CAWG code for an identity credential outside its validity.
const IDENTITY_EXPIRED: &str = "cawg.x509.signature.outside_validity";

/// Once the claim's expiry is settled by its trusted timestamp: an
/// identity assertion signed with the claim signer's own certificate is
/// covered by the claim (its hash is in it), so it existed at the
/// timestamp too — judged at that time, it is trusted.
pub(super) fn settle_identities(v: &mut Verdict) {
    let mut cleared = false;
    for id in &mut v.cawg_identity {
        if id.claim_signer && id.status == IDENTITY_EXPIRED {
            id.status = TRUSTED.into();
            cleared = true;
        }
    }
    if cleared && !v.cawg_identity.iter().any(|i| i.status == IDENTITY_EXPIRED) {
        v.codes.failure.retain(|c| c != IDENTITY_EXPIRED);
    }
}
