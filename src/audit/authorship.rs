//! The dossier's rows of human authorship evidence for each AI asset:
//! each kind of evidence (prompt, revisions, parameter changes, attempts
//! and selection, controls, edits) with how it is dated — contemporaneous
//! when a trusted timestamp dates it, else self-asserted — and what it
//! discloses.

use super::evidence::{AuthorshipItem, Evidence};
use super::graph::{AssetNode, Checked};

/// Dated by a trusted time, or by no one.
fn dating(when: Option<String>) -> (String, Option<String>) {
    match when {
        Some(t) => ("contemporaneous".into(), Some(t)),
        None => ("self-asserted".into(), None),
    }
}

fn item(what: &str, shows: String, when: Option<String>, disclosed: &str) -> AuthorshipItem {
    let (dated, when) = dating(when);
    AuthorshipItem {
        what: what.into(),
        shows,
        dated,
        when,
        disclosed: disclosed.into(),
    }
}

/// Fill each AI asset's authorship rows from its verdict (the record its
/// signature dates) and its journal's proof, when one was given.
pub(super) fn fill(assets: &mut [AssetNode], verdicts: &[Checked]) {
    for (v, _) in verdicts {
        let path = v.path.display().to_string();
        let Some(node) = assets.iter_mut().find(|a| a.path.as_deref() == Some(&path)) else {
            continue;
        };
        let (Some(record), Some(_)) = (&v.record, node.level) else {
            continue;
        };
        // What the stamp signed is dated by its signature's timestamp.
        let signed = v
            .timestamp
            .as_ref()
            .filter(|t| t.trusted)
            .map(|t| t.time.replacen('T', " ", 1));
        let ev = &node.evidence;
        let mut rows = Vec::new();
        let prompts = usize::from(record.prompt.is_some()) + record.prompts.len();
        if prompts > 0 {
            rows.push(item(
                "prompt",
                format!("{prompts} prompt(s) committed"),
                signed.clone(),
                "a salted commitment only: the text stays private until its reveal file is shown",
            ));
        }
        rows.extend(journal_rows(ev, record));
        if let Some(sel) = record.selection.as_ref().filter(|_| !ev.selection_proven) {
            rows.push(item(
                "attempts and selection",
                format!(
                    "chose {} of {} (declared by the operator, not evidenced)",
                    sel.chosen, sel.candidates
                ),
                None,
                "a number the operator typed",
            ));
        }
        if !ev.controls.is_empty() {
            rows.push(item("controls", ev.controls.join(", "), signed.clone(),
                "each control image's hash, signed as an ingredient; the images stay with the studio"));
        }
        if !ev.human_steps.is_empty() {
            rows.push(item(
                "edits",
                ev.human_steps.join(", "),
                signed,
                "the actions, signed by the editor",
            ));
        }
        node.evidence.authorship = rows;
    }
}

/// The journal's rows: proven (or not) when one was given, else the
/// stamp's summary, unchecked.
fn journal_rows(ev: &Evidence, record: &crate::record::GenerationRecord) -> Vec<AuthorshipItem> {
    let Some(summary) = &record.journal else {
        return Vec::new();
    };
    let Some(proof) = ev.journal_proof.as_deref() else {
        return vec![item(
            "attempts and selection",
            format!(
                "attempt {} of {} logged (journal not checked: give --journal J)",
                summary.chosen, summary.entries
            ),
            None,
            "the journal's summary, as the stamp signed it",
        )];
    };
    let when = proof
        .anchored_span()
        .filter(|_| proof.evidence.dating == "timestamped");
    let standing = proof.standing();
    let journal = if proof.proven {
        "journal proven"
    } else {
        "journal NOT proven"
    };
    vec![
        item(
            "prompt revisions",
            format!("{} revision(s) ({journal})", proof.prompt_revisions),
            when.clone(),
            "counts; each attempt's prompt is a commitment (`journal reveal --entry N` opens one)",
        ),
        item(
            "parameter changes",
            format!("{} change(s) ({journal})", proof.parameter_changes),
            when.clone(),
            "the parameters as logged, in the public journal",
        ),
        item(
            "attempts and selection",
            format!("chosen {} ({standing})", proof.counts()),
            when,
            "each output's SHA-256 and content code; the outputs stay with the operator",
        ),
    ]
}
