//! Rights certificates: an audit's result signed as an in-toto Statement v1
//! in a DSSE envelope, by the certifier's Ed25519 key with its chain; and
//! their verification (signature, chain against the trust bundle, and the
//! subjects' bytes on disk).
//!
//! - `statement`: the Statement and our predicate.
//! - `subjects`: what a certificate covers, named from one base folder,
//!   and `--check DIR` against it.
//! - `certifier`: who may certify, at the signing time.
//! - `consistency`: the statement against its own report.
//! - `check`: verifying a certificate.

mod certifier;
mod check;
mod consistency;
mod statement;
mod subjects;

use std::path::{Path, PathBuf};

use crate::keys::chain::ChainState;
pub use certifier::Judge;
pub use check::{is_envelope, verify, CertState, CertificateVerdict};
pub use statement::{
    Certifier, Digested, Predicate, Statement, Subject, PREDICATE_TYPE, STATEMENT_TYPE,
};
pub use subjects::SubjectCheck;

use sha2::Digest;

use crate::audit::AuditReport;
use crate::error::{Error, Result};
use crate::signer::dsse;
use crate::signer::SigningIdentity;

/// What a certificate is made from, beside the audit report.
pub struct CertifyRequest<'a> {
    pub identity: &'a SigningIdentity,
    /// The audited roots, as given.
    pub roots: &'a [PathBuf],
    /// The TSA that timestamps the signature (`certify --tsa`).
    pub tsa: Option<&'a crate::signer::tsa::TsaClient>,
    pub policy: Option<&'a Path>,
    pub trust_bundle: Option<&'a Path>,
    pub timeline: Option<&'a Path>,
    pub report_schema_version: u32,
    /// RFC 3339, UTC.
    pub now: String,
}

/// Whether the certifier may certify now: issued as a certifier, chaining
/// to `trust`, not revoked in its CRL. Why not, otherwise.
pub fn may_certify(identity: &SigningIdentity, trust: Option<&str>) -> Result<()> {
    let refuse = |reason: String| Error::Usage {
        reason: format!("{} may not certify: {reason}", identity.name),
    };
    let chain = identity.chain_der()?;
    let leaf = chain
        .first()
        .ok_or_else(|| refuse("an empty chain".into()))?;
    let facts = crate::keys::cert::facts(leaf).map_err(refuse)?;
    let judge = Judge {
        trust,
        ..Judge::default()
    };
    match certifier::judge(&chain, &facts, None, &judge) {
        ChainState::Trusted => Ok(()),
        ChainState::Untrusted(why) | ChainState::Invalid(why) => Err(refuse(why)),
    }
}

/// Sign `report` as a rights certificate: the DSSE envelope as JSON.
pub fn certify(report: &AuditReport, request: &CertifyRequest) -> Result<String> {
    let base = subjects::base(request.roots, request.timeline)?;
    let digested = |p: Option<&Path>| -> Result<Option<Digested>> {
        p.map(|p| {
            Ok(Digested {
                path: subjects::name(&base, p)
                    .unwrap_or_else(|_| crate::sys::path_text::path_text(p)),
                sha256: subjects::sha256_of(p)?,
            })
        })
        .transpose()
    };
    let id = request.identity;
    let (subject, roots) = subjects::collect(report, request.roots, request.timeline, &base)?;
    let statement = Statement {
        statement_type: STATEMENT_TYPE.into(),
        subject,
        predicate_type: PREDICATE_TYPE.into(),
        predicate: Predicate {
            verdict: if report.accepted {
                "accepted"
            } else {
                "rejected"
            }
            .into(),
            reasons: report.reasons.clone(),
            certified_at: request.now.clone(),
            credits_version: env!("CARGO_PKG_VERSION").into(),
            certifier: Certifier {
                name: id.name.clone(),
                email: id.email.clone(),
                organization: id.org.clone(),
            },
            policy: digested(request.policy)?,
            trust_bundle: digested(request.trust_bundle)?,
            timeline: digested(request.timeline)?,
            roots,
            report_schema_version: request.report_schema_version,
            report: serde_json::to_value(report).map_err(Error::Json)?,
        },
    };
    let body = serde_json::to_vec(&statement).map_err(Error::Json)?;
    let sig = id.sign(&dsse::pae(dsse::PAYLOAD_TYPE, &body))?;
    let timestamp = match request.tsa {
        Some(tsa) => Some(tsa.request(&sig).map_err(|reason| Error::Tsa { reason })?),
        None => None,
    };
    let envelope = envelope(&body, &sig, &id.chain_der()?, timestamp.as_deref());
    serde_json::to_string_pretty(&envelope)
        .map(|s| s + "\n")
        .map_err(Error::Json)
}

/// The signed statement in its envelope, with the signer's chain.
fn envelope(
    body: &[u8],
    sig: &[u8],
    chain: &[Vec<u8>],
    timestamp: Option<&[u8]>,
) -> dsse::Envelope {
    dsse::Envelope {
        payload_type: dsse::PAYLOAD_TYPE.into(),
        payload: dsse::b64(body),
        signatures: vec![dsse::Signature {
            keyid: chain
                .first()
                .map(|c| hex::encode(sha2::Sha256::digest(c)))
                .unwrap_or_default(),
            sig: dsse::b64(sig),
            extension: Some(dsse::Extension {
                kind: dsse::CHAIN_KIND.into(),
                ext: dsse::ChainExt {
                    certificates: chain.iter().map(|c| dsse::b64(c)).collect(),
                    timestamp: timestamp.map(dsse::b64),
                },
            }),
        }],
    }
}
