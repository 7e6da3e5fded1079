//! Selective disclosure: the opening of one attempt (`credits journal
//! reveal J --entry N`), so one prompt can be shown — to a court, a
//! client — without the others. `prove ASSET --journal J --reveal R`
//! checks it against that entry's commitments in the journal the asset's
//! stamp proves, and opens nothing else.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{private_path, read, read_secrets, Journal};
use crate::error::{Error, Result};
use crate::prove::commitment::{Field, Opening};

/// One attempt's openings, as `journal reveal` writes them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EntryReveal {
    pub schema_version: u32,
    /// The journal's file name.
    pub journal: String,
    /// The attempt (`n`) and its output's SHA-256.
    pub entry: u64,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Opening>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<Opening>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<Opening>,
}

/// The opening of attempt `n` of the journal at `path`, from its private
/// part.
pub fn reveal_entry(path: &Path, n: u64) -> Result<EntryReveal> {
    let fail = |reason: String| Error::Journal {
        path: path.to_path_buf(),
        reason,
    };
    let journal = read(path)?;
    let Some((entry, _)) = journal.entries.iter().find(|(e, _)| e.n == n) else {
        return Err(fail(format!(
            "it has no attempt {n} (it holds {} intact)",
            journal.entries.len()
        )));
    };
    let private = private_path(path);
    let secrets = read_secrets(&private);
    let Some(s) = secrets.iter().rev().find(|s| s.n == n) else {
        return Err(fail(format!(
            "attempt {n} is not in its private part {} (the salts and plaintext are kept there)",
            private.display()
        )));
    };
    Ok(EntryReveal {
        schema_version: 1,
        journal: crate::sys::path_text::file_title(path),
        entry: n,
        sha256: entry.sha256.clone(),
        prompt: s.prompt.clone(),
        negative_prompt: s.negative_prompt.clone(),
        seed: s.seed.clone(),
    })
}

/// Each field `r` opens, named `attempt N FIELD`, and whether it opens
/// that entry's commitment in `journal`.
pub fn open_entry(journal: &Journal, r: &EntryReveal) -> Vec<(String, bool)> {
    let entry = journal
        .entries
        .iter()
        .map(|(e, _)| e)
        .find(|e| e.n == r.entry && e.sha256 == r.sha256);
    [
        ("prompt", Field::Prompt, &r.prompt),
        ("negative_prompt", Field::NegativePrompt, &r.negative_prompt),
        ("seed", Field::Seed, &r.seed),
    ]
    .into_iter()
    .filter_map(|(name, field, opening)| {
        let opening = opening.as_ref()?;
        let signed = entry.and_then(|e| match field {
            Field::Prompt => e.prompt.as_ref(),
            Field::NegativePrompt => e.negative_prompt.as_ref(),
            _ => e.seed.as_ref(),
        });
        let matches = signed.is_some() && opening.recompute(field).as_ref() == signed;
        Some((format!("attempt {} {name}", r.entry), matches))
    })
    .collect()
}
