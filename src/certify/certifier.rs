//! Who may certify, and whether they still could when they did: the
//! certifier's certificate must carry the certifier policy (issued by
//! `credits keys issue --role certifier`), chain to the trust bundle at
//! the signing time — a trusted timestamp's, else now — and not be revoked
//! in the bundle's CRL before it; a CRL past its `nextUpdate` leaves the
//! certifier untrusted unless allowed.

use crate::keys::cert::CertFacts;
use crate::keys::chain::ChainState;
use crate::keys::crl;
use crate::verify::revocation;
use crate::verify::timestamp::TsaRoots;
use crate::verify::{Codes, Timestamp};

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

/// Judge the certifier of `chain` (end entity first, `facts` its first),
/// signed at the trusted `timestamp`'s time when there is one.
pub fn judge(
    chain: &[Vec<u8>],
    facts: &CertFacts,
    timestamp: Option<&Timestamp>,
    j: &Judge,
) -> ChainState {
    let at = timestamp.filter(|t| t.trusted).map(|t| t.unix);
    let state = match at {
        Some(t) => crate::keys::chain::judge_at_unix(chain, j.trust, t),
        None => crate::keys::chain::judge(chain, j.trust),
    };
    match state {
        ChainState::Trusted => {}
        ChainState::Invalid(why) if at.is_none() && facts.expired => {
            return ChainState::Invalid(format!(
                "{why}; the certificate carries no trusted timestamp to show it was signed while valid"
            ))
        }
        other => return other,
    }
    if !facts.certifier {
        return ChainState::Untrusted(
            "its certificate was not issued to a certifier (credits keys issue --role certifier)"
                .into(),
        );
    }
    against_crl(chain, timestamp, j)
}

/// The certifier against the bundle's CRL, by the rule every signer is
/// judged by ([`revocation::settle`]): revoked stands only with a trusted
/// timestamp before the revocation; a stale CRL withholds trust unless
/// allowed.
fn against_crl(chain: &[Vec<u8>], timestamp: Option<&Timestamp>, j: &Judge) -> ChainState {
    let Some(trust) = j.trust else {
        return ChainState::Trusted;
    };
    let crls = match crl::load(trust) {
        Ok(c) => c,
        Err(why) => return ChainState::Invalid(format!("the trust bundle's CRL: {why}")),
    };
    let mut codes = Codes::default();
    let revoked = revocation::settle(&mut codes, timestamp, chain, &crls, j.allow_stale_crl);
    let failed = |code: &str| codes.failure.iter().any(|c| c == code);
    match revoked {
        Some(r) if failed(revocation::REVOKED) => ChainState::Invalid(format!(
            "the certifier's certificate was revoked ({}) on {}, and no trusted timestamp shows the certificate was signed before",
            r.reason.as_str(),
            r.revoked_at
        )),
        _ if failed(revocation::STALE_CRL) => ChainState::Untrusted(
            "the CRL in the trust bundle is past its nextUpdate, so the certifier's revocation status is unknown (--allow-stale-crl takes it as current)"
                .into(),
        ),
        _ => ChainState::Trusted,
    }
}
