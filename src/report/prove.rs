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
    if let Some(j) = &proof.journal {
        journal_lines(&mut s, j, proof.fields.is_empty());
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

/// `chosen 3 of 5 attempts; 2 prompt revisions; …; 0 h 4 min`, what was
/// opened, and what does not hold.
fn journal_lines(s: &mut String, j: &crate::prove::journal::JournalProof, nothing_revealed: bool) {
    let minutes = span_minutes(&j.first_at, &j.last_at);
    let _ = writeln!(
        s,
        "  journal  chosen {} (journal, {}); {} prompt revision(s); {} parameter change(s); {} h {} min",
        j.counts(),
        j.standing(),
        j.prompt_revisions,
        j.parameter_changes,
        minutes / 60,
        minutes % 60
    );
    evidence_lines(s, j);
    match j.opened {
        Some(n) => {
            let _ = writeln!(
                s,
                "  opened   {n} of {} attempts' prompt commitments (private part)",
                j.entries
            );
        }
        None => {
            let disclosed = if nothing_revealed {
                " (no prompt disclosed)"
            } else {
                "; only what the reveal file opens is disclosed"
            };
            let _ = writeln!(
                s,
                "  opened   none of the private part: counts proven without it{disclosed}"
            );
        }
    }
    for p in &j.problems {
        let _ = writeln!(s, "  problem  {}", term(p));
    }
    if let Some(t) = &j.torn {
        let _ = writeln!(s, "  torn     {} (the intact prefix was read)", term(t));
    }
}

/// Who sealed the attempts, how many are distinct, how they are dated.
fn evidence_lines(s: &mut String, j: &crate::prove::journal::JournalProof) {
    let e = &j.evidence;
    let _ = writeln!(
        s,
        "  attempts {} logged: {} sealed by the stamp's signer ({} distinct, {} repeat(s)), {} unsigned",
        j.entries, e.signed, e.distinct, e.repeats, e.unsigned
    );
    for o in &e.others {
        let _ = writeln!(
            s,
            "  others   {} attempt(s) sealed by {} (not credited to the stamp's signer)",
            o.attempts,
            term(&o.signer)
        );
    }
    let dating = match e.dating.as_str() {
        "self-dated" => {
            "self-dated: no trusted timestamp dates the attempts (journal add --tsa URL)"
                .to_string()
        }
        _ => format!(
            "{} of {} sealed attempts dated by a trusted timestamp",
            e.timestamped, e.signed
        ),
    };
    let _ = writeln!(s, "  dated    {dating}");
    if let (Some(n), Some(of)) = (e.outputs_present, e.outputs_logged) {
        let _ = writeln!(s, "  outputs  {n} of {of} logged outputs found on disk");
    }
    for n in &e.notes {
        let _ = writeln!(s, "  note     {}", term(n));
    }
}

/// Whole minutes between two RFC 3339 times (0 when either does not parse).
fn span_minutes(first: &str, last: &str) -> i64 {
    let parse = |t: &str| {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
    };
    match (parse(first), parse(last)) {
        (Some(a), Some(b)) => (b - a).whole_minutes().max(0),
        _ => 0,
    }
}
