//! Creative journals given to the audit (`--journal J`): an asset whose
//! record carries a journal summary is proven against them, as `credits
//! prove --journal` does — its selection is then "proven"; given journals
//! that prove none of it leave it "not proven", said as a warning.

use std::path::PathBuf;

use super::graph::{AssetNode, Checked};
use super::model::{AuditFinding, Severity};
use crate::error::Result;
use crate::prove::journal::{self, Journal, Secrets};

/// Prove each journal-stamped asset against `paths`; the findings for
/// those no journal proves.
pub(super) fn prove(
    assets: &mut [AssetNode],
    verdicts: &[Checked],
    paths: &[PathBuf],
) -> Result<Vec<AuditFinding>> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let journals: Vec<(Journal, Option<Vec<Secrets>>)> = paths
        .iter()
        .map(|p| {
            let private = journal::private_path(p);
            let secrets = private.exists().then(|| journal::read_secrets(&private));
            journal::read(p).map(|j| (j, secrets))
        })
        .collect::<Result<_>>()?;
    let mut out = Vec::new();
    for (v, _) in verdicts {
        let Some(signed) = v.record.as_ref().and_then(|r| r.journal.as_ref()) else {
            continue;
        };
        let path = v.path.display().to_string();
        let Some(node) = assets.iter_mut().find(|a| a.path.as_deref() == Some(&path)) else {
            continue;
        };
        let proven = journals
            .iter()
            .any(|(j, s)| journal::check(j, s.as_deref(), signed).proven);
        let how = if proven { "proven" } else { "NOT proven" };
        node.evidence.selection = Some(format!(
            "{} of {} attempts (journal, {how})",
            signed.chosen, signed.entries
        ));
        if !proven {
            out.push(AuditFinding {
                asset: path,
                severity: Severity::Warning,
                code: "journal_unproven".into(),
                message: "stamped from a creative journal that none of the given journals proves (removed, edited or moved entries, or another journal)".into(),
            });
        }
    }
    Ok(out)
}
