//! Proving a prompt: a reveal file opened against an asset's signed commitments.
//!
//! The asset must verify as intact: `trusted` when trust anchors are given
//! (a foreign CA's signature proves nothing to the studio), `trusted` or
//! `valid` without them. A commitment read from a tampered manifest proves
//! nothing.

pub mod commitment;
pub mod journal;

use std::path::{Path, PathBuf};

use crate::verify::Verifier;
use serde::Serialize;

use self::journal::JournalProof;
use crate::error::{Error, Result};
use crate::prove::commitment::{Field, Opening, Reveal};
use crate::record::GenerationRecord;
use crate::verify::{self, Signer, State};

/// One committed field and whether the reveal opens it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldProof {
    /// `prompt`, `negative_prompt`, `seed`, `workflow`, or one of several
    /// prompts as `prompts[N] (PART)`.
    pub field: String,
    pub matches: bool,
}

/// The result of `prove`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Proof {
    pub asset: PathBuf,
    pub reveal: Option<PathBuf>,
    pub asset_state: State,
    /// Who signed the asset and which CA issued the certificate.
    pub signer: Option<Signer>,
    pub fields: Vec<FieldProof>,
    /// The creative journal against the signed summary (`--journal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub journal: Option<JournalProof>,
    /// True when the asset is intact and every revealed field matches
    /// (and the journal, when given, proves).
    pub proven: bool,
    /// Why nothing could be compared, when nothing could.
    pub reason: Option<String>,
}

/// What to check an asset against: a reveal file, a journal, or both;
/// and where the journal's outputs may still be.
pub struct Evidence<'a> {
    pub reveal: Option<&'a Path>,
    pub journal: Option<&'a Path>,
    pub outputs: Option<&'a Path>,
}

/// Check `evidence` against the commitments and journal summary signed
/// into `asset`; `anchored` when `ctx` holds the studio's trust anchors.
pub fn prove(ctx: &Verifier, asset: &Path, evidence: Evidence, anchored: bool) -> Result<Proof> {
    let revealed = evidence.reveal.map(read_reveal).transpose()?;
    let verdict = verify::verify_file(ctx, asset);
    if verdict.state == State::Error {
        return Err(Error::Read {
            path: asset.to_path_buf(),
            source: std::io::Error::other(verdict.error.unwrap_or_default()),
        });
    }
    let mut proof = Proof {
        asset: asset.to_path_buf(),
        reveal: evidence.reveal.map(Path::to_path_buf),
        asset_state: verdict.state,
        signer: verdict.signer.clone(),
        fields: Vec::new(),
        journal: None,
        proven: false,
        reason: None,
    };
    let Some(record) = verdict.record.as_ref() else {
        proof.reason = Some(
            match verdict.state {
                State::Unsigned => "the asset carries no C2PA manifest",
                State::Remote => "the asset's manifest is remote and was not fetched",
                _ => "the asset's manifest holds no film.credits.generation record",
            }
            .to_string(),
        );
        return Ok(proof);
    };
    if let Some(Revealed::Asset(reveal)) = &revealed {
        proof.fields = field_proofs(reveal, record);
    }
    if let Some(path) = evidence.journal {
        let jctx = journal_context(&verdict, ctx, evidence.outputs);
        let found = journal::read(path)?;
        proof.journal = journal_proof(path, &found, record, &jctx);
        if let Some(Revealed::Entry(r)) = &revealed {
            proof.fields = journal::open_entry(&found, r)
                .into_iter()
                .map(|(field, matches)| FieldProof { field, matches })
                .collect();
        }
    }
    proof.reason = reason(&verdict, anchored, &proof, evidence.journal.is_some());
    proof.proven = proof.reason.is_none()
        && proof.fields.iter().all(|f| f.matches)
        && proof.journal.as_ref().is_none_or(|j| j.proven);
    Ok(proof)
}

/// Why the proof cannot stand, whatever the fields say.
fn reason(
    verdict: &verify::Verdict,
    anchored: bool,
    proof: &Proof,
    journal: bool,
) -> Option<String> {
    let intact = matches!(verdict.state, State::Trusted | State::Valid);
    if !intact {
        Some("the asset is not intact, so its commitments prove nothing".to_string())
    } else if anchored && verdict.state != State::Trusted {
        Some("the asset's signer does not chain to the given trust anchors, so its commitments prove nothing to them".to_string())
    } else if proof.reveal.is_some() && proof.fields.is_empty() {
        Some(if journal {
            "the reveal file opens no commitment signed in this asset or its journal"
        } else {
            "the reveal file opens no commitment signed in this asset (an attempt's reveal needs --journal J)"
        }.to_string())
    } else if journal && proof.journal.is_none() {
        Some(
            "the asset was not stamped from a journal (its record has no journal summary)"
                .to_string(),
        )
    } else {
        None
    }
}

/// The journal at `path` (and its private part, when there) against the
/// record's signed summary.
fn journal_proof(
    path: &Path,
    found: &journal::Journal,
    record: &GenerationRecord,
    ctx: &journal::Context,
) -> Option<JournalProof> {
    let signed = record.journal.as_ref()?;
    let private = journal::private_path(path);
    let secrets = private.exists().then(|| journal::read_secrets(&private));
    Some(journal::check(found, secrets.as_deref(), signed, ctx))
}

/// What a journal is judged against for the asset `verdict` describes:
/// the verifier's anchors, the asset's signer, when it was signed (its
/// trusted timestamp, else its record's time) and its content code.
pub fn journal_context<'a>(
    verdict: &verify::Verdict,
    verifier: &'a Verifier,
    outputs: Option<&'a Path>,
) -> journal::Context<'a> {
    let trusted = verdict.timestamp.as_ref().filter(|t| t.trusted);
    let recorded = verdict.record.as_ref().and_then(|r| {
        time::OffsetDateTime::parse(
            &r.generated_at,
            &time::format_description::well_known::Rfc3339,
        )
        .ok()
    });
    journal::Context {
        trust: verifier.signer_roots(),
        tsa_roots: verifier.tsa_roots(),
        signer: verdict.signer.as_ref().and_then(|s| s.certificate.clone()),
        signed_at: trusted
            .map(|t| t.unix)
            .or_else(|| recorded.map(time::OffsetDateTime::unix_timestamp)),
        signed_at_trusted: trusted.is_some(),
        fingerprint: verdict.soft_binding.as_ref().and_then(|b| b.iscc.clone()),
        outputs,
    }
}

/// A reveal file: an asset's (`stamp` wrote it) or one journal attempt's
/// (`journal reveal --entry`).
enum Revealed {
    Asset(Reveal),
    Entry(journal::EntryReveal),
}

fn read_reveal(path: &Path) -> Result<Revealed> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let bad = |e: serde_json::Error| Error::BadReveal {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(bad)?;
    if value.get("entry").is_some() {
        return serde_json::from_value(value)
            .map(Revealed::Entry)
            .map_err(bad);
    }
    serde_json::from_value(value)
        .map(Revealed::Asset)
        .map_err(bad)
}

/// Each field the reveal opens, and whether it opens the signed commitment.
fn field_proofs(reveal: &Reveal, record: &GenerationRecord) -> Vec<FieldProof> {
    let signed = [
        (
            "prompt",
            Field::Prompt,
            &reveal.prompt,
            record.prompt.as_ref().map(|c| &c.commitment),
        ),
        (
            "negative_prompt",
            Field::NegativePrompt,
            &reveal.negative_prompt,
            record.negative_prompt.as_ref().map(|c| &c.commitment),
        ),
        (
            "seed",
            Field::Seed,
            &reveal.seed,
            record
                .parameters
                .as_ref()
                .and_then(|p| p.seed_commitment.as_ref()),
        ),
        (
            "workflow",
            Field::Workflow,
            &reveal.workflow,
            record.workflow.as_ref().map(|c| &c.commitment),
        ),
    ];
    signed
        .into_iter()
        .filter_map(
            |(name, field, opening, commitment): (_, _, &Option<Opening>, _)| {
                let opening = opening.as_ref()?;
                Some(FieldProof {
                    field: name.to_string(),
                    matches: opening.recompute(field).as_ref() == commitment,
                })
            },
        )
        .chain(reveal.prompts.iter().enumerate().map(|(i, p)| {
            // The same place in the record, and the same part there.
            let signed = record
                .prompts
                .get(i)
                .filter(|c| c.part == p.part && c.input == p.input);
            FieldProof {
                field: format!("prompts[{i}] ({})", p.part),
                matches: signed.is_some_and(|c| {
                    p.opening.recompute(Field::Prompt).as_ref() == Some(&c.commitment)
                }),
            }
        }))
        .collect()
}
