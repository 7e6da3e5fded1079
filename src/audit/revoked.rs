//! Revoked signers in an audit: for each certificate on the studio's CRL,
//! which audited files were signed before its revocation (by a trusted
//! timestamp: they stand) and which were not (invalid).

use serde::Serialize;

use super::graph::Checked;
use crate::keys::crl::Reason;

/// One revoked certificate and the files on each side of its date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevokedSigner {
    /// The signer's name (certificate CN).
    pub signer: String,
    /// The certificate's issuer and serial.
    pub certificate: String,
    pub reason: Reason,
    /// RFC 3339.
    pub revoked_at: String,
    /// Files a trusted timestamp shows were signed before the revocation.
    pub signed_before: Vec<String>,
    /// Files with no trusted timestamp before it: invalid.
    pub not_before: Vec<String>,
}

/// The revoked signers among `verdicts`, by certificate.
pub fn revoked(verdicts: &[Checked]) -> Vec<RevokedSigner> {
    let mut out: Vec<RevokedSigner> = Vec::new();
    for (v, _) in verdicts {
        let Some(r) = &v.revocation else { continue };
        let signer = v.signer.clone().unwrap_or_default();
        let certificate = signer.certificate.clone().unwrap_or_default();
        let at = match out.iter().position(|s| s.certificate == certificate) {
            Some(i) => i,
            None => {
                out.push(RevokedSigner {
                    signer: signer.common_name.clone().unwrap_or_default(),
                    certificate,
                    reason: r.reason,
                    revoked_at: r.revoked_at.clone(),
                    signed_before: Vec::new(),
                    not_before: Vec::new(),
                });
                out.len() - 1
            }
        };
        let path = v.path.display().to_string();
        if r.signed_before {
            out[at].signed_before.push(path);
        } else {
            out[at].not_before.push(path);
        }
    }
    for s in &mut out {
        s.signed_before.sort();
        s.not_before.sort();
    }
    out.sort_by(|a, b| a.certificate.cmp(&b.certificate));
    out
}
