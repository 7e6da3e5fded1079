//! `credits prove`: whether a reveal file opens an asset's commitments.

use std::fmt::Write;

use super::escape::{path, term};
use crate::prove::Proof;
use crate::verify::Signer;

/// The proof for people: the answer first, then each field.
pub fn human(proof: &Proof) -> String {
    let mut s = String::new();
    let head = if proof.proven { "PROVEN" } else { "NOT PROVEN" };
    let _ = writeln!(s, "{head}  {}", path(&proof.asset));
    let _ = writeln!(s, "  asset    {}", proof.asset_state.as_str());
    if let Some(signer) = &proof.signer {
        let _ = writeln!(s, "  signer   {}", term(&signer_line(signer)));
    }
    for f in &proof.fields {
        let m = if f.matches {
            "matches"
        } else {
            "does NOT match"
        };
        let _ = writeln!(s, "  {:<8} {m} the signed commitment", f.field);
    }
    if let Some(reason) = &proof.reason {
        let _ = writeln!(s, "  reason   {}", term(reason));
    }
    s
}

/// `Alice Chen <alice@…>, issued by Northwind Pictures (CA ab12:cd34:…)`:
/// the CA by name and fingerprint, so a foreign CA with the studio's name
/// is told apart.
pub fn signer_line(signer: &Signer) -> String {
    let mut line = signer
        .common_name
        .clone()
        .unwrap_or_else(|| "(no name)".into());
    if let Some(email) = &signer.email {
        line.push_str(&format!(" <{email}>"));
    }
    if let Some(issuer) = &signer.issuer {
        line.push_str(&format!(", issued by {issuer}"));
    }
    if let Some(fp) = &signer.issuer_fingerprint {
        line.push_str(&format!(" (CA {fp})"));
    }
    line
}
