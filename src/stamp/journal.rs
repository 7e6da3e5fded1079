//! `stamp --journal`: the output must be one of the journal's attempts;
//! the record gets the journal's summary — selection and iteration
//! derived from it, not declared.

use std::path::Path;

use crate::error::{Error, Result};
use crate::prove::commitment::Reveal;
use crate::prove::journal;
use crate::record::{GenerationRecord, JournalSummary};

use super::request::StampRequest;

use super::stamper::Stamper;

impl Stamper {
    /// The record for one file (and its reveal), with the journal's
    /// summary when the run names a journal; `content_code` is the file's
    /// ISCC content code, for an attempt this stamp logs.
    pub(super) fn record_for(
        &self,
        request: &StampRequest,
        input: &Path,
        earlier: Option<&Reveal>,
        content_code: Option<&str>,
    ) -> Result<(GenerationRecord, Option<Reveal>)> {
        let graph = super::claim::graph_controls(request, self.template().controls.len())?;
        let (mut record, reveal) = self.template().record(request, input, earlier, &graph);
        record.journal = self.journal_of(request, input, content_code)?;
        Ok((record, reveal))
    }

    /// The journal's summary with `input` as the chosen attempt, when the
    /// run names a journal.
    fn journal_of(
        &self,
        request: &StampRequest,
        input: &Path,
        content_code: Option<&str>,
    ) -> Result<Option<JournalSummary>> {
        let Some(path) = &self.request().journal else {
            return Ok(None);
        };
        let refuse = |reason: String| Error::Journal {
            path: path.clone(),
            reason,
        };
        let sha = media_sha256(input)?;
        let mut found = journal::read(path)?;
        let logged = |j: &journal::Journal| j.entries.iter().any(|(e, _)| e.sha256 == sha);
        if request.log_attempts && found.torn.is_none() && !logged(&found) {
            journal::append(path, &attempt(request, input, &sha, content_code))?;
            found = journal::read(path)?;
        }
        if let Some(why) = &found.torn {
            return Err(refuse(format!(
                "{why}; a stamp does not summarise a damaged journal"
            )));
        }
        let chosen = found
            .entries
            .iter()
            .rev()
            .map(|(e, _)| e)
            .find(|e| e.sha256 == sha)
            .ok_or_else(|| {
                refuse(format!(
                    "{} is not one of its attempts (no entry has its SHA-256); log it with `credits journal add`",
                    input.display()
                ))
            })?;
        Ok(journal::summary(&found.entries, chosen))
    }
}

/// `input` (of SHA-256 `sha256`, ISCC `content_code`) as an attempt: what
/// this file's stamp says made it.
fn attempt(
    request: &StampRequest,
    input: &Path,
    sha256: &str,
    content_code: Option<&str>,
) -> journal::Attempt {
    journal::Attempt {
        output: input.to_path_buf(),
        sha256: sha256.to_string(),
        fingerprint: content_code.map(str::to_string),
        tool: Some(request.tool.name.clone()),
        prompt: request.prompt.clone(),
        negative_prompt: request.negative_prompt.clone(),
        seed: request.seed.clone(),
        params: request
            .generation
            .as_ref()
            .map(|g| g.params())
            .unwrap_or_default(),
    }
}

fn media_sha256(input: &Path) -> Result<String> {
    crate::media::sha256_file(input).map_err(|source| Error::Read {
        path: input.to_path_buf(),
        source,
    })
}
