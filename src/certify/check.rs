//! Verifying a rights certificate: the envelope parses, its one signature
//! verifies over the DSSE encoding with the end-entity key of the chain it
//! carries, its timestamp (if any) is judged against the TSA roots, the
//! certifier against the trust bundle ([`super::certifier`]: role, chain at
//! the signing time, CRL), the payload is an in-toto Statement with our
//! predicate whose verdict, reasons and shares are its own report's
//! ([`super::consistency`]); with a folder, every subject's bytes are
//! hashed again and the certified roots walked for files it does not cover
//! ([`super::subjects`]). Nothing is accepted that was not checked.

use std::path::Path;

use serde::Serialize;

use super::certifier::{self, Judge};
use super::consistency;
use super::statement::{Statement, PREDICATE_TYPE, STATEMENT_TYPE};
use super::subjects::{self, SubjectCheck};
use crate::keys::cert::{self, CertFacts};
use crate::keys::chain::ChainState;
use crate::signer::dsse::{self, Envelope};
use crate::verify::Timestamp;

/// Envelopes larger than this are refused (a certificate is kilobytes to
/// a few megabytes of report).
const MAX_ENVELOPE_BYTES: u64 = 256 << 20;

/// How a certificate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertState {
    /// Signed by a certifier chaining to the trust bundle, subjects intact.
    Trusted,
    /// The signature holds, but the certifier is not trusted.
    Untrusted,
    /// Malformed, badly signed, or its subjects changed.
    Invalid,
}

/// What verifying a certificate found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertificateVerdict {
    pub path: String,
    pub state: CertState,
    /// Every reason it is not trusted.
    pub reasons: Vec<String>,
    pub certifier: Option<CertFacts>,
    /// The RFC 3161 timestamp over the signature, when it carries one.
    pub timestamp: Option<Timestamp>,
    /// The signed statement, once its signature verified.
    pub statement: Option<Statement>,
    pub check: Option<SubjectCheck>,
}

impl CertificateVerdict {
    /// The film's verdict as a trusted certificate states it: `Some(true)`
    /// accepted, `Some(false)` rejected, `None` when the certificate is not
    /// trusted (its word counts for nothing).
    pub fn film_accepted(&self) -> Option<bool> {
        let s = self.statement.as_ref()?;
        (self.state == CertState::Trusted).then(|| s.predicate.verdict == "accepted")
    }
}

/// Whether `path` holds a DSSE envelope: a JSON object with `payloadType`,
/// `payload` and `signatures` (media never start with `{`).
pub fn is_envelope(path: &Path) -> bool {
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = [0u8; 64];
    let n = std::io::Read::read(&mut f, &mut head).unwrap_or(0);
    let json_like = head[..n].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let small = std::fs::metadata(path).is_ok_and(|m| m.len() <= MAX_ENVELOPE_BYTES);
    if !json_like || !small {
        return false;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes).is_ok_and(|v| {
        ["payloadType", "payload", "signatures"]
            .iter()
            .all(|k| v.get(k).is_some())
    })
}

/// Verify the certificate at `path` against `judge` (trust bundle, TSA
/// roots), and with `check_dir`, its subjects' bytes and what else lies
/// under its roots there. `Err` only when the file cannot be read.
pub fn verify(
    path: &Path,
    judge: &Judge,
    check_dir: Option<&Path>,
) -> std::io::Result<CertificateVerdict> {
    let size = std::fs::metadata(path)?.len();
    let mut v = CertificateVerdict {
        path: crate::sys::path_text::path_text(path),
        state: CertState::Invalid,
        reasons: Vec::new(),
        certifier: None,
        timestamp: None,
        statement: None,
        check: None,
    };
    if size > MAX_ENVELOPE_BYTES {
        v.reasons.push(format!("{size} bytes is not a certificate"));
        return Ok(v);
    }
    let bytes = std::fs::read(path)?;
    match open(&bytes, judge, &mut v) {
        Ok(state) => v.state = state,
        Err(reason) => {
            v.reasons.push(reason);
            return Ok(v);
        }
    }
    if let Some(s) = &v.statement {
        let problems = consistency::problems(s);
        if !problems.is_empty() {
            v.state = CertState::Invalid;
            v.reasons.extend(problems);
        }
    }
    if let (Some(dir), Some(s)) = (check_dir, &v.statement) {
        let check = subjects::check(s, dir, path);
        if !check.intact() {
            v.state = CertState::Invalid;
            v.reasons.push(format!(
                "under {}: {} subject(s) changed, {} missing, {} named outside the folder, {} file(s) the certificate does not cover",
                check.dir,
                check.changed.len(),
                check.missing.len(),
                check.outside.len(),
                check.uncovered.len()
            ));
        }
        if s.predicate.roots.is_empty() {
            v.state = CertState::Invalid;
            v.reasons.push(
                "the certificate names no audited roots, so what else lies under them cannot be checked (certify it again)".into(),
            );
        }
        v.check = Some(check);
    }
    Ok(v)
}

/// The envelope's signature, chain and statement; `Err` when invalid.
fn open(bytes: &[u8], judge: &Judge, v: &mut CertificateVerdict) -> Result<CertState, String> {
    let env: Envelope =
        serde_json::from_slice(bytes).map_err(|e| format!("not a DSSE envelope: {e}"))?;
    if env.payload_type != dsse::PAYLOAD_TYPE {
        return Err(format!(
            "payload type {:?} is not an in-toto statement",
            env.payload_type
        ));
    }
    let [sig] = env.signatures.as_slice() else {
        return Err(format!(
            "{} signatures; a rights certificate has exactly one",
            env.signatures.len()
        ));
    };
    let Some(ext) = sig
        .extension
        .as_ref()
        .filter(|x| x.kind == dsse::CHAIN_KIND)
    else {
        return Err("the signature carries no certificate chain".into());
    };
    let chain: Vec<Vec<u8>> = ext
        .ext
        .certificates
        .iter()
        .map(|c| dsse::unb64(c))
        .collect::<Result<_, _>>()?;
    let leaf = chain.first().ok_or("an empty certificate chain")?;
    let facts = cert::facts(leaf)?;
    let body = dsse::unb64(&env.payload)?;
    let signature = dsse::unb64(&sig.sig)?;
    crate::keys::chain::verify_ed25519(
        &facts.public_key,
        &dsse::pae(&env.payload_type, &body),
        &signature,
    )
    .map_err(|e| format!("envelope signature: {e}"))?;
    if let Some(token) = &ext.ext.timestamp {
        let token = dsse::unb64(token)?;
        v.timestamp = Some(crate::verify::timestamp::of_assertion_token(
            &token,
            &signature,
            judge.tsa_roots,
        ));
    }
    v.statement = Some(statement_of(&body)?);
    let standing = certifier::judge(&chain, &facts, v.timestamp.as_ref(), judge);
    v.certifier = Some(facts);
    match standing {
        ChainState::Trusted => Ok(CertState::Trusted),
        ChainState::Untrusted(why) => {
            v.reasons.push(format!("certifier not trusted: {why}"));
            Ok(CertState::Untrusted)
        }
        ChainState::Invalid(why) => Err(format!("certifier: {why}")),
    }
}

/// The payload as our in-toto statement.
fn statement_of(body: &[u8]) -> Result<Statement, String> {
    let statement: Statement = serde_json::from_slice(body)
        .map_err(|e| format!("the payload is not our in-toto statement: {e}"))?;
    if statement.statement_type != STATEMENT_TYPE || statement.predicate_type != PREDICATE_TYPE {
        return Err(format!(
            "statement {:?} with predicate {:?} is not a rights certificate",
            statement.statement_type, statement.predicate_type
        ));
    }
    Ok(statement)
}
