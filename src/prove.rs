//! Proving a prompt: a reveal file opened against an asset's signed commitments.
//!
//! The asset must verify as intact: `trusted` when trust anchors are given
//! (a foreign CA's signature proves nothing to the studio), `trusted` or
//! `valid` without them. A commitment read from a tampered manifest proves
//! nothing.

use std::path::{Path, PathBuf};

use crate::verify::Verifier;
use serde::Serialize;

use crate::commitment::{Field, Opening, Reveal};
use crate::error::{Error, Result};
use crate::record::GenerationRecord;
use crate::verify::{self, Signer, State};

/// One committed field and whether the reveal opens it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldProof {
    pub field: &'static str,
    pub matches: bool,
}

/// The result of `prove`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Proof {
    pub asset: PathBuf,
    pub reveal: PathBuf,
    pub asset_state: State,
    /// Who signed the asset and which CA issued the certificate.
    pub signer: Option<Signer>,
    pub fields: Vec<FieldProof>,
    /// True when the asset is intact and every revealed field matches.
    pub proven: bool,
    /// Why nothing could be compared, when nothing could.
    pub reason: Option<String>,
}

/// Check `reveal_path` against the commitments signed into `asset`;
/// `anchored` when `ctx` holds the studio's trust anchors.
pub fn prove(ctx: &Verifier, asset: &Path, reveal_path: &Path, anchored: bool) -> Result<Proof> {
    let reveal = read_reveal(reveal_path)?;
    let verdict = verify::verify_file(ctx, asset);
    if verdict.state == State::Error {
        return Err(Error::Read {
            path: asset.to_path_buf(),
            source: std::io::Error::other(verdict.error.unwrap_or_default()),
        });
    }
    let mut proof = Proof {
        asset: asset.to_path_buf(),
        reveal: reveal_path.to_path_buf(),
        asset_state: verdict.state,
        signer: verdict.signer.clone(),
        fields: Vec::new(),
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
    proof.fields = field_proofs(&reveal, record);
    let intact = matches!(verdict.state, State::Trusted | State::Valid);
    proof.reason = if !intact {
        Some("the asset is not intact, so its commitments prove nothing".to_string())
    } else if anchored && verdict.state != State::Trusted {
        Some("the asset's signer does not chain to the given trust anchors, so its commitments prove nothing to them".to_string())
    } else if proof.fields.is_empty() {
        Some("the reveal file opens no commitment signed in this asset".to_string())
    } else {
        None
    };
    proof.proven = proof.reason.is_none() && proof.fields.iter().all(|f| f.matches);
    Ok(proof)
}

fn read_reveal(path: &Path) -> Result<Reveal> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| Error::BadReveal {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
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
                    field: name,
                    matches: opening.recompute(field).as_ref() == commitment,
                })
            },
        )
        .collect()
}
