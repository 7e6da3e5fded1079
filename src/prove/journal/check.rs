//! A journal checked against the summary a stamp signed: its chain, its
//! counts and times, the chosen output, and every commitment the private
//! part opens.

use serde::Serialize;

use super::evidence::{self, Context, Evidence};
use super::{line_hash, summary, Entry, Journal, Secrets, GENESIS};
use crate::prove::commitment::Field;
use crate::record::JournalSummary;

/// How a journal stands against the summary a stamp signed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JournalProof {
    pub proven: bool,
    /// What does not hold, in words (empty when proven).
    pub problems: Vec<String>,
    pub entries: u64,
    pub chosen: u64,
    pub prompt_revisions: u64,
    pub parameter_changes: u64,
    pub first_at: String,
    pub last_at: String,
    /// Entries whose commitments the private part opened (when given).
    pub opened: Option<u64>,
    /// Why reading stopped early, if it did.
    pub torn: Option<String>,
    /// Who sealed the attempts, when a TSA saw them, how many are
    /// distinct.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// Check `journal` (and its private part, when given) against `signed`:
/// the chain of its first `signed.entries` entries, their head, counts and
/// times, the chosen output's hash; every commitment the private part
/// opens, and the prompt revisions its plaintext shows; and what its
/// entries are worth for the stamp `ctx` describes ([`evidence`]).
pub fn check(
    journal: &Journal,
    secrets: Option<&[Secrets]>,
    signed: &JournalSummary,
    ctx: &Context,
) -> JournalProof {
    let mut problems = Vec::new();
    let len = usize::try_from(signed.entries).unwrap_or(usize::MAX);
    let prefix = &journal.entries[..journal.entries.len().min(len)];
    if prefix.len() < len {
        problems.push(format!(
            "the signature covers {} attempts; the journal holds {} intact",
            signed.entries,
            prefix.len()
        ));
    }
    chain_problems(prefix, &mut problems);
    let chosen = prefix.iter().map(|(e, _)| e).find(|e| e.n == signed.chosen);
    match chosen.and_then(|c| summary(prefix, c)) {
        Some(found) if &found == signed => {}
        Some(found) => problems.push(format!(
            "the journal does not give what was signed: {}",
            differences(&found, signed).join(", ")
        )),
        None => problems.push(format!("attempt {} is not in the journal", signed.chosen)),
    }
    let opened = secrets.map(|s| open_all(prefix, s, &mut problems));
    let evidence = evidence::examine(prefix, signed.chosen, ctx, &mut problems);
    JournalProof {
        proven: problems.is_empty(),
        problems,
        entries: signed.entries,
        chosen: signed.chosen,
        prompt_revisions: signed.prompt_revisions,
        parameter_changes: signed.parameter_changes,
        first_at: signed.first_at.clone(),
        last_at: signed.last_at.clone(),
        opened,
        torn: journal.torn.clone(),
        evidence,
    }
}

/// Numbering, links and revision steps of `prefix`.
fn chain_problems(prefix: &[(Entry, Vec<u8>)], problems: &mut Vec<String>) {
    for (i, (e, _)) in prefix.iter().enumerate() {
        let want_prev = match i {
            0 => GENESIS.to_string(),
            _ => line_hash(&prefix[i - 1].1),
        };
        let prev_revision = if i == 0 {
            0
        } else {
            prefix[i - 1].0.prompt_revision
        };
        if e.n != i as u64 + 1 || e.prev != want_prev {
            problems.push(format!(
                "line {}: the chain breaks (an entry removed, edited or moved)",
                i + 1
            ));
            return;
        }
        if e.prompt_revision != prev_revision && e.prompt_revision != prev_revision + 1 {
            problems.push(format!(
                "line {}: prompt revisions do not count up by one",
                i + 1
            ));
        }
    }
}

/// Open every commitment of `prefix` with `secrets`; count the entries
/// opened, and check the revisions against the plaintext.
fn open_all(prefix: &[(Entry, Vec<u8>)], secrets: &[Secrets], problems: &mut Vec<String>) -> u64 {
    let mut opened = 0;
    let mut revisions = 0;
    let mut previous: Option<String> = None;
    for (e, _) in prefix {
        let Some(s) = secrets.iter().rev().find(|s| s.n == e.n) else {
            problems.push(format!("attempt {}: not in the private part", e.n));
            continue;
        };
        let pairs = [
            (Field::Prompt, &s.prompt, &e.prompt),
            (
                Field::NegativePrompt,
                &s.negative_prompt,
                &e.negative_prompt,
            ),
            (Field::Seed, &s.seed, &e.seed),
        ];
        let all = pairs.iter().all(|(field, opening, commitment)| {
            opening.as_ref().and_then(|o| o.recompute(*field)) == **commitment
        });
        if !all {
            problems.push(format!(
                "attempt {}: the private part does not open its commitments",
                e.n
            ));
            continue;
        }
        opened += 1;
        let text = s.prompt.as_ref().map(|o| o.text.clone());
        if text.is_some() && text != previous {
            revisions += 1;
            previous = text;
        }
        if revisions != e.prompt_revision
            && !problems.iter().any(|p| p.contains("prompt revisions"))
        {
            problems.push(format!(
                "attempt {}: the plaintext shows {revisions} prompt revisions, the entry says {}",
                e.n, e.prompt_revision
            ));
        }
    }
    opened
}

/// The fields of two summaries that differ, by name.
fn differences(found: &JournalSummary, signed: &JournalSummary) -> Vec<String> {
    let (f, s) = (found, signed);
    [
        ("head", f.head.clone(), s.head.clone()),
        (
            "chosen output",
            f.chosen_sha256.clone(),
            s.chosen_sha256.clone(),
        ),
        (
            "prompt revisions",
            f.prompt_revisions.to_string(),
            s.prompt_revisions.to_string(),
        ),
        (
            "parameter changes",
            f.parameter_changes.to_string(),
            s.parameter_changes.to_string(),
        ),
        ("first attempt", f.first_at.clone(), s.first_at.clone()),
        ("last attempt", f.last_at.clone(), s.last_at.clone()),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(name, a, b)| format!("{name} {a} (signed {b})"))
    .collect()
}

impl JournalProof {
    /// `3 of 5 attempts`: the chosen attempt's place among the distinct
    /// attempts credited to the stamp's signer.
    pub fn counts(&self) -> String {
        let e = &self.evidence;
        match e.chosen_rank {
            Some(rank) => format!("{rank} of {} attempts", e.distinct),
            None => format!("attempt {} of {} logged", self.chosen, self.entries),
        }
    }

    /// `proven, timestamped 2026-12-07 10:02–10:41`, `proven, self-dated`,
    /// `NOT proven, unsigned, self-dated`.
    pub fn standing(&self) -> String {
        let e = &self.evidence;
        let mut parts = vec![if self.proven { "proven" } else { "NOT proven" }.to_string()];
        if e.signature != "signed" {
            parts.push(e.signature.clone());
        }
        parts.push(match self.anchored_span() {
            Some(span) => format!("{} {span}", e.dating),
            None => e.dating.clone(),
        });
        parts.join(", ")
    }

    /// `2026-12-07 10:02–10:41`: the trusted tokens' span over the
    /// credited attempts, unless they are self-dated.
    pub fn anchored_span(&self) -> Option<String> {
        let e = &self.evidence;
        match (&e.anchored_from, &e.anchored_to) {
            (Some(from), Some(to)) if e.dating != "self-dated" => Some(span(from, to)),
            _ => None,
        }
    }
}

/// `2026-12-07 10:02–10:41` (or both dates when they differ).
fn span(from: &str, to: &str) -> String {
    let at = |t: &str| {
        let (d, time) = t.split_once('T').unwrap_or((t, ""));
        (d.to_string(), time.get(..5).unwrap_or(time).to_string())
    };
    let ((d1, t1), (d2, t2)) = (at(from), at(to));
    if d1 == d2 {
        format!("{d1} {t1}–{t2}")
    } else {
        format!("{d1} {t1} – {d2} {t2}")
    }
}
