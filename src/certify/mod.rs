//! Rights certificates: an audit's result signed as an in-toto Statement v1
//! in a DSSE envelope, by the certifier's Ed25519 key with its chain; and
//! their verification (signature, chain against the trust bundle, and the
//! subjects' bytes on disk).
//!
//! - `dsse`: the envelope and what is signed.
//! - `statement`: the Statement and our predicate.
//! - `x509`: the certifier's chain against the trust bundle.
//! - `check`: verifying a certificate.

mod check;
mod dsse;
mod statement;

use std::path::{Path, PathBuf};

pub use check::{is_envelope, verify, CertState, CertificateVerdict, SubjectCheck};
pub use statement::{
    Certifier, Digested, Predicate, Statement, Subject, PREDICATE_TYPE, STATEMENT_TYPE,
};

use sha2::Digest;

use crate::audit::AuditReport;
use crate::error::{Error, Result};
use crate::signer::SigningIdentity;

/// What a certificate is made from, beside the audit report.
pub struct CertifyRequest<'a> {
    pub identity: &'a SigningIdentity,
    pub policy: Option<&'a Path>,
    pub trust_bundle: Option<&'a Path>,
    pub timeline: Option<&'a Path>,
    pub report_schema_version: u32,
    /// RFC 3339, UTC.
    pub now: String,
}

/// Sign `report` as a rights certificate: the DSSE envelope as JSON.
pub fn certify(report: &AuditReport, request: &CertifyRequest) -> Result<String> {
    let digested = |p: Option<&Path>| -> Result<Option<Digested>> {
        p.map(|p| {
            Ok(Digested {
                path: crate::text::path_text(p),
                sha256: sha256_of(p)?,
            })
        })
        .transpose()
    };
    let id = request.identity;
    let statement = Statement {
        statement_type: STATEMENT_TYPE.into(),
        subject: subjects(report, request.timeline)?,
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
            report_schema_version: request.report_schema_version,
            report: serde_json::to_value(report).map_err(Error::Json)?,
        },
    };
    let body = serde_json::to_vec(&statement).map_err(Error::Json)?;
    let sig = id.sign(&dsse::pae(dsse::PAYLOAD_TYPE, &body))?;
    let envelope = envelope(&body, &sig, &id.chain_der()?);
    serde_json::to_string_pretty(&envelope)
        .map(|s| s + "\n")
        .map_err(Error::Json)
}

/// The signed statement in its envelope, with the signer's chain.
fn envelope(body: &[u8], sig: &[u8], chain: &[Vec<u8>]) -> dsse::Envelope {
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
                },
            }),
        }],
    }
}

/// Every audited file (copies too), the timeline, and the sidecar
/// manifests of any of them, by SHA-256, sorted.
fn subjects(report: &AuditReport, timeline: Option<&Path>) -> Result<Vec<Subject>> {
    let mut out = Vec::new();
    for a in report.assets.iter().filter(|a| a.is_file()) {
        let Some(path) = &a.path else { continue };
        let sha = match &a.sha256 {
            Some(s) => s.clone(),
            None => sha256_of(Path::new(path))?,
        };
        for name in std::iter::once(path).chain(&a.copies) {
            out.push(subject(name.clone(), sha.clone()));
        }
    }
    if let Some(t) = timeline {
        out.push(subject(crate::text::path_text(t), sha256_of(t)?));
    }
    // A sidecar manifest is the evidence of its file: bound too.
    let mut sidecars = Vec::new();
    for s in &out {
        let sidecar = PathBuf::from(format!("{}.c2pa", s.name));
        if sidecar.is_file() {
            sidecars.push(subject(format!("{}.c2pa", s.name), sha256_of(&sidecar)?));
        }
    }
    out.extend(sidecars);
    out.sort();
    out.dedup();
    Ok(out)
}

fn subject(name: String, sha256: String) -> Subject {
    Subject {
        name,
        digest: [("sha256".to_string(), sha256)].into_iter().collect(),
    }
}

fn sha256_of(path: &Path) -> Result<String> {
    crate::media::sha256_file(path).map_err(|source| Error::Read {
        path: PathBuf::from(path),
        source,
    })
}
