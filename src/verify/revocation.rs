//! A claim signer judged against the studio's CRL (from the trust bundle):
//! a revoked certificate's signatures stand only when a trusted timestamp
//! shows they were made before the revocation; any other is `invalid`
//! with `signingCredential.revoked`. With `key-compromise` the same rule
//! is the whole point: without a trusted time, anyone may have signed.

use super::verdict::{Codes, Revocation, Timestamp};
use crate::keys::crl::{self, Crl};

/// C2PA's code for a revoked signing certificate.
pub const REVOKED: &str = "signingCredential.revoked";
/// Ours, informational: revoked, but signed (by a trusted timestamp)
/// before the revocation.
pub const SIGNED_BEFORE: &str = "credits.revocation.signed_before";
pub use super::verdict::STALE_CRL;

/// Judge the end-entity certificate `chain[0]` against `crls`: the codes
/// it earns, and the revocation when it is on a list. A CRL past its
/// `nextUpdate` is [`STALE_CRL`], a failure unless `allow_stale`.
pub fn settle(
    codes: &mut Codes,
    ts: Option<&Timestamp>,
    chain: &[Vec<u8>],
    crls: &[Crl],
    allow_stale: bool,
) -> Option<Revocation> {
    let cert = chain.first()?;
    let (list, entry) = crl::status(crls, cert)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if list.stale_at(now) {
        let kind = if allow_stale {
            &mut codes.informational
        } else {
            &mut codes.failure
        };
        if !kind.iter().any(|c| c == STALE_CRL) {
            kind.push(STALE_CRL.into());
        }
    }
    let revoked = entry?;
    let signed_before = ts.is_some_and(|t| t.trusted && t.unix < revoked.at);
    if signed_before {
        codes.informational.push(SIGNED_BEFORE.into());
    } else if !codes.failure.iter().any(|c| c == REVOKED) {
        codes.failure.push(REVOKED.into());
    }
    Some(Revocation {
        reason: revoked.reason,
        revoked_at: crate::sys::time::rfc3339_unix(revoked.at),
        at: revoked.at,
        signed_before,
    })
}
