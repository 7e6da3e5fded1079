//! Verifying a rights certificate: the envelope parses, its one signature
//! verifies over the DSSE encoding with the end-entity key of the chain it
//! carries, that chain is judged against the trust bundle, the payload is
//! an in-toto Statement with our predicate; with a folder, every subject's
//! bytes are hashed again. Nothing is accepted that was not checked.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::dsse::{self, Envelope};
use super::statement::{Statement, PREDICATE_TYPE, STATEMENT_TYPE};
use crate::cert::{self, CertFacts};
use crate::x509::{self, ChainState};

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

/// The subjects found again under a folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectCheck {
    pub dir: String,
    pub matched: usize,
    pub changed: Vec<String>,
    pub missing: Vec<String>,
}

/// What verifying a certificate found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertificateVerdict {
    pub path: String,
    pub state: CertState,
    /// Every reason it is not trusted.
    pub reasons: Vec<String>,
    pub certifier: Option<CertFacts>,
    /// The signed statement, once its signature verified.
    pub statement: Option<Statement>,
    pub check: Option<SubjectCheck>,
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

/// Verify the certificate at `path` against `trust` (PEM), and with
/// `check_dir`, its subjects' bytes. `Err` only when the file cannot be read.
pub fn verify(
    path: &Path,
    trust: Option<&str>,
    check_dir: Option<&Path>,
) -> std::io::Result<CertificateVerdict> {
    let size = std::fs::metadata(path)?.len();
    let mut v = CertificateVerdict {
        path: crate::text::path_text(path),
        state: CertState::Invalid,
        reasons: Vec::new(),
        certifier: None,
        statement: None,
        check: None,
    };
    if size > MAX_ENVELOPE_BYTES {
        v.reasons.push(format!("{size} bytes is not a certificate"));
        return Ok(v);
    }
    let bytes = std::fs::read(path)?;
    match open(&bytes, trust, &mut v) {
        Ok(state) => v.state = state,
        Err(reason) => {
            v.reasons.push(reason);
            return Ok(v);
        }
    }
    if let (Some(dir), Some(s)) = (check_dir, &v.statement) {
        let check = check_subjects(s, dir);
        if !check.changed.is_empty() || !check.missing.is_empty() {
            v.state = CertState::Invalid;
            v.reasons.push(format!(
                "{} subject(s) changed and {} missing under {}",
                check.changed.len(),
                check.missing.len(),
                check.dir
            ));
        }
        v.check = Some(check);
    }
    Ok(v)
}

/// The envelope's signature, chain and statement; `Err` when invalid.
fn open(
    bytes: &[u8],
    trust: Option<&str>,
    v: &mut CertificateVerdict,
) -> Result<CertState, String> {
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
    let chain: Vec<Vec<u8>> = match &sig.extension {
        Some(x) if x.kind == dsse::CHAIN_KIND => x
            .ext
            .certificates
            .iter()
            .map(|c| dsse::unb64(c))
            .collect::<Result<_, _>>()?,
        _ => return Err("the signature carries no certificate chain".into()),
    };
    let leaf = chain.first().ok_or("an empty certificate chain")?;
    let facts = cert::facts(leaf)?;
    let body = dsse::unb64(&env.payload)?;
    x509::verify_ed25519(
        &facts.public_key,
        &dsse::pae(&env.payload_type, &body),
        &dsse::unb64(&sig.sig)?,
    )
    .map_err(|e| format!("envelope signature: {e}"))?;
    v.certifier = Some(facts);
    let statement: Statement = serde_json::from_slice(&body)
        .map_err(|e| format!("the payload is not our in-toto statement: {e}"))?;
    if statement.statement_type != STATEMENT_TYPE || statement.predicate_type != PREDICATE_TYPE {
        return Err(format!(
            "statement {:?} with predicate {:?} is not a rights certificate",
            statement.statement_type, statement.predicate_type
        ));
    }
    v.statement = Some(statement);
    match x509::judge(&chain, trust) {
        ChainState::Trusted => Ok(CertState::Trusted),
        ChainState::Untrusted(why) => {
            v.reasons.push(format!("certifier not trusted: {why}"));
            Ok(CertState::Untrusted)
        }
        ChainState::Invalid(why) => Err(format!("certifier's chain: {why}")),
    }
}

/// Hash every subject again under `dir` (relative names are taken from
/// there; absolute names where they are).
fn check_subjects(s: &Statement, dir: &Path) -> SubjectCheck {
    let mut check = SubjectCheck {
        dir: crate::text::path_text(dir),
        matched: 0,
        changed: Vec::new(),
        missing: Vec::new(),
    };
    for subject in &s.subject {
        let name = PathBuf::from(&subject.name);
        let path = if name.is_absolute() {
            name
        } else {
            dir.join(name)
        };
        match crate::media::sha256_file(&path) {
            Ok(sha) if Some(sha.as_str()) == subject.sha256() => check.matched += 1,
            Ok(_) => check.changed.push(subject.name.clone()),
            Err(_) => check.missing.push(subject.name.clone()),
        }
    }
    check
}
