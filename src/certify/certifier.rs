//! Who may certify, and whether they still could when they did: the
//! certifier's certificate must carry the certifier policy (issued by
//! `credits keys issue --role certifier`), chain to the trust bundle at
//! the signing time — a trusted timestamp's, else now — and not be revoked
//! in the bundle's CRL before it; a CRL past its `nextUpdate` leaves the
//! certifier untrusted unless allowed.

use crate::keys::cert::CertFacts;
use crate::keys::chain::ChainState;
use crate::keys::crl;
use crate::verify::timestamp::TsaRoots;
use crate::verify::Timestamp;

/// What a certificate's certifier is judged against.
#[derive(Clone, Copy, Default)]
pub struct Judge<'a> {
    /// The trust bundle (PEM: roots, and the studio's CRL).
    pub trust: Option<&'a str>,
    /// `--tsa-trust`: the roots a certificate's timestamp must chain to.
    pub tsa_roots: Option<&'a TsaRoots>,
    /// `--allow-stale-crl`.
    pub allow_stale_crl: bool,
}

/// How the certifier stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Trusted,
    /// Intact, but not trusted as a certifier: why.
    Untrusted(String),
    /// Its chain is broken, expired without a trusted timestamp, or it was
    /// revoked before it signed: why.
    Invalid(String),
}

/// Judge the certifier of `chain` (end entity first, `facts` its first),
/// signed at the trusted `timestamp`'s time when there is one.
pub fn judge(
    chain: &[Vec<u8>],
    facts: &CertFacts,
    timestamp: Option<&Timestamp>,
    j: &Judge,
) -> Standing {
    let at = timestamp.filter(|t| t.trusted).map(|t| t.unix);
    let state = match at {
        Some(t) => crate::keys::chain::judge_at_unix(chain, j.trust, t),
        None => crate::keys::chain::judge(chain, j.trust),
    };
    match state {
        ChainState::Trusted => {}
        ChainState::Untrusted(why) => return Standing::Untrusted(why),
        ChainState::Invalid(why) if at.is_none() && facts.expired => {
            return Standing::Invalid(format!(
                "{why}; the certificate carries no trusted timestamp to show it was signed while valid"
            ))
        }
        ChainState::Invalid(why) => return Standing::Invalid(why),
    }
    if !facts.certifier {
        return Standing::Untrusted(
            "its certificate was not issued to a certifier (credits keys issue --role certifier)"
                .into(),
        );
    }
    revocation(chain, at, j)
}

/// The certifier against the bundle's CRL.
fn revocation(chain: &[Vec<u8>], at: Option<i64>, j: &Judge) -> Standing {
    let Some(trust) = j.trust else {
        return Standing::Trusted;
    };
    let crls = match crl::load(trust) {
        Ok(c) => c,
        Err(why) => return Standing::Invalid(format!("the trust bundle's CRL: {why}")),
    };
    let Some((list, entry)) = chain.first().and_then(|leaf| crl::status(&crls, leaf)) else {
        return Standing::Trusted;
    };
    if let Some(r) = entry {
        if at.is_some_and(|t| t < r.at) {
            return Standing::Trusted;
        }
        return Standing::Invalid(format!(
            "the certifier's certificate was revoked ({}) on {}, and no trusted timestamp shows the certificate was signed before",
            r.reason.as_str(),
            crate::sys::time::rfc3339_unix(r.at)
        ));
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if list.stale_at(now) && !j.allow_stale_crl {
        return Standing::Untrusted(
            "the CRL in the trust bundle is past its nextUpdate, so the certifier's revocation status is unknown (--allow-stale-crl takes it as current)"
                .into(),
        );
    }
    Standing::Trusted
}
