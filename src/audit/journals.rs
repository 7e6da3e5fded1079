//! Creative journals given to the audit (`--journal J`): an asset whose
//! record carries a journal summary is proven against them, as `credits
//! prove --journal` does. Only a proven journal — sealed by the asset's
//! signer — credits its selection (level 2); one that proves nothing, or
//! a summary no journal was given for, is said and not credited, and
//! under `require_signed_journal` rejects the film.

use super::graph::{AssetNode, Checked};
use super::model::{AuditFinding, AuditRequest, Severity};
use crate::error::Result;
use crate::prove::journal::{self, Journal, JournalProof, Secrets};
use crate::verify::Verifier;

/// Prove each journal-stamped asset against `paths`; the findings for
/// those no journal proves.
pub(super) fn prove(
    assets: &mut [AssetNode],
    verdicts: &[Checked],
    request: &AuditRequest,
    verifier: &Verifier,
) -> Result<Vec<AuditFinding>> {
    let policy = &request.policy;
    let journals: Vec<(Journal, Option<Vec<Secrets>>)> = request
        .journals
        .iter()
        .map(|p| {
            let private = journal::private_path(p);
            let secrets = private.exists().then(|| journal::read_secrets(&private));
            journal::read(p).map(|j| (j, secrets))
        })
        .collect::<Result<_>>()?;
    let severity = if policy.require_signed_journal {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut out = Vec::new();
    for (v, _) in verdicts {
        let Some(signed) = v.record.as_ref().and_then(|r| r.journal.as_ref()) else {
            continue;
        };
        let path = v.path.display().to_string();
        let Some(node) = assets.iter_mut().find(|a| a.path.as_deref() == Some(&path)) else {
            continue;
        };
        let ctx = crate::prove::journal_context(v, verifier, None);
        let best = journals
            .iter()
            .map(|(j, s)| journal::check(j, s.as_deref(), signed, &ctx))
            .min_by_key(|p| (!p.proven, p.problems.len()));
        let Some(proof) = best else {
            node.evidence.journal = Some(format!(
                "attempt {} of {} logged (journal, not checked: no --journal given)",
                signed.chosen, signed.entries
            ));
            if policy.require_signed_journal {
                out.push(finding(&path, severity, "journal_unchecked", "stamped from a creative journal, but no journal was given to prove it (--journal J)".into()));
            }
            continue;
        };
        credit(node, &proof);
        if !proof.proven {
            out.push(finding(
                &path,
                severity,
                "journal_unproven",
                unproven(&proof),
            ));
        }
    }
    Ok(out)
}

/// The asset's journal evidence: credited as selection only when proven.
fn credit(node: &mut AssetNode, proof: &JournalProof) {
    let line = format!("{} (journal, {})", proof.counts(), proof.standing());
    node.evidence.selection = None;
    if proof.proven && proof.evidence.distinct > 1 {
        node.evidence.selection = Some(line.clone());
        node.evidence.selection_proven = true;
    }
    node.evidence.journal = Some(line);
    node.evidence.journal_proof = Some(Box::new(proof.clone()));
}

fn unproven(proof: &JournalProof) -> String {
    let why = proof
        .problems
        .first()
        .cloned()
        .unwrap_or_else(|| "it does not prove".into());
    format!("stamped from a creative journal that none of the given journals proves: {why}")
}

fn finding(asset: &str, severity: Severity, code: &str, message: String) -> AuditFinding {
    AuditFinding {
        asset: asset.to_string(),
        severity,
        code: code.into(),
        message,
    }
}
