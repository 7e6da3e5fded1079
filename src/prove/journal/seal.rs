//! An entry's seal: the operator's signature over the entry as written,
//! with the certificate chain that names them, and — when the journal is
//! anchored — an RFC 3161 token over that signature. The entry holds the
//! SHA-256 of the line before it, so a token over entry N dates the whole
//! journal up to N: it existed when the TSA saw it.
//!
//! What is signed is the entry's own line without its seal (the seal is
//! the line's last member, written compact), in DSSE's pre-authentication
//! encoding under [`ENTRY_TYPE`]: the exact bytes, so a reader that does
//! not know a field still checks the signature.

use serde::{Deserialize, Serialize};

use super::Entry;
use crate::error::{Error, Result};
use crate::keys::cert::{self, CertFacts};
use crate::keys::chain::{self, ChainState};
use crate::signer::dsse;
use crate::signer::tsa::TsaClient;
use crate::signer::SigningIdentity;
use crate::verify::timestamp::{self, TsaRoots};
use crate::verify::Timestamp;

/// The type under which an entry is signed.
pub const ENTRY_TYPE: &str = "application/vnd.credits.journal-entry+json;version=1";

/// An entry's signature, chain and optional timestamp.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Seal {
    /// The signer's chain, end entity first, DER in base64.
    pub certificates: Vec<String>,
    /// Ed25519 over `PAE(ENTRY_TYPE, line without the seal)`, base64.
    pub sig: String,
    /// An RFC 3161 token over the signature's bytes, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

/// Who seals the entries of a `journal add` or a watcher, and where their
/// time is anchored.
pub struct Sealer<'a> {
    pub identity: &'a SigningIdentity,
    pub tsa: Option<&'a TsaClient>,
    /// Anchor at least every this many entries (1: each one).
    pub every: u64,
}

/// A seal opened: who signed, how their chain stands, and the token.
#[derive(Debug, Clone)]
pub struct Opened {
    pub signer: CertFacts,
    pub chain: ChainState,
    pub timestamp: Option<Timestamp>,
}

/// The bytes an entry's seal signs: its line without the seal.
fn unsealed(entry: &Entry) -> Result<Vec<u8>> {
    let mut bare = entry.clone();
    bare.seal = None;
    serde_json::to_vec(&bare).map_err(Error::Json)
}

/// Seal `entry` (whose `seal` is empty) with `sealer`; with `anchor`, ask
/// its TSA for a token over the signature. A TSA that does not answer
/// leaves the entry unanchored (the next anchored entry covers it): the
/// reason comes back beside the seal.
pub fn seal(entry: &Entry, sealer: &Sealer, anchor: bool) -> Result<(Seal, Option<String>)> {
    let body = unsealed(entry)?;
    let sig = sealer.identity.sign(&dsse::pae(ENTRY_TYPE, &body))?;
    let (timestamp, missed) = match sealer.tsa.filter(|_| anchor) {
        Some(tsa) => match tsa.request(&sig) {
            Ok(token) => (Some(dsse::b64(&token)), None),
            Err(why) => (None, Some(why)),
        },
        None => (None, None),
    };
    let certificates = sealer
        .identity
        .chain_der()?
        .iter()
        .map(|c| dsse::b64(c))
        .collect();
    let seal = Seal {
        certificates,
        sig: dsse::b64(&sig),
        timestamp,
    };
    Ok((seal, missed))
}

/// The line without its seal: the seal must be the line's last member,
/// written compact as [`seal`] writes it; then the rest is exactly what
/// was signed, whatever fields it holds.
fn signed_part(line: &[u8], seal: &Seal) -> std::result::Result<Vec<u8>, String> {
    let mut tail = b",\"seal\":".to_vec();
    tail.extend(serde_json::to_vec(seal).map_err(|e| e.to_string())?);
    tail.push(b'}');
    let Some(head) = line.strip_suffix(tail.as_slice()) else {
        return Err(
            "its seal is not the line's last member as written (edited after signing)".into(),
        );
    };
    let mut body = head.to_vec();
    body.push(b'}');
    Ok(body)
}

/// Open the seal of `entry`, read from `line`: `Ok(None)` when it has
/// none, `Err` when the seal is not a valid signature over the line.
pub fn open(
    entry: &Entry,
    line: &[u8],
    trust: Option<&str>,
    tsa_roots: Option<&TsaRoots>,
) -> std::result::Result<Option<Opened>, String> {
    let Some(seal) = &entry.seal else {
        return Ok(None);
    };
    let body = signed_part(line, seal)?;
    let chain_der: Vec<Vec<u8>> = seal
        .certificates
        .iter()
        .map(|c| dsse::unb64(c))
        .collect::<std::result::Result<_, _>>()?;
    let leaf = chain_der.first().ok_or("the seal carries no certificate")?;
    let signer = cert::facts(leaf)?;
    let sig = dsse::unb64(&seal.sig)?;
    chain::verify_ed25519(&signer.public_key, &dsse::pae(ENTRY_TYPE, &body), &sig)
        .map_err(|e| format!("its signature does not verify ({e})"))?;
    let timestamp = seal
        .timestamp
        .as_deref()
        .map(|t| dsse::unb64(t).map(|token| timestamp::of_assertion_token(&token, &sig, tsa_roots)))
        .transpose()?;
    let at = timestamp.as_ref().filter(|t| t.trusted).map(|t| t.unix);
    let chain = match at {
        Some(t) => chain::judge_at_unix(&chain_der, trust, t),
        None => chain::judge(&chain_der, trust),
    };
    Ok(Some(Opened {
        signer,
        chain,
        timestamp,
    }))
}
