//! `credits prove`: whether a reveal file opens an asset's commitments.

use std::fmt::Write;

use super::escape::{path, term};
use crate::prove::Proof;

/// The proof for people: the answer first, then each field.
pub fn human(proof: &Proof) -> String {
    let mut s = String::new();
    let head = if proof.proven { "PROVEN" } else { "NOT PROVEN" };
    let _ = writeln!(s, "{head}  {}", path(&proof.asset));
    let _ = writeln!(s, "  asset    {}", proof.asset_state.as_str());
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
