//! `stamp --journal`: the output must be one of the journal's attempts;
//! the record gets the journal's summary — selection and iteration
//! derived from it, not declared.

use std::path::Path;

use crate::error::{Error, Result};
use crate::media::MediaFacts;
use crate::prove::commitment::Reveal;
use crate::prove::journal;
use crate::record::disclosure::Oversight;
use crate::record::{GenerationRecord, JournalSummary};

use super::request::StampRequest;

use super::stamper::Stamper;

impl Stamper {
    /// The record for one file (with its media facts) and its reveal, with the journal's
    /// summary when the run names a journal; `content_code` is the file's
    /// ISCC content code, for an attempt this stamp logs. Also the human
    /// oversight its evidence supports ([`Oversight::derive`]).
    pub(super) fn record_for(
        &self,
        request: &StampRequest,
        (input, facts): (&Path, Option<MediaFacts>),
        earlier: Option<&Reveal>,
        content_code: Option<&str>,
    ) -> Result<(GenerationRecord, Option<Reveal>, Oversight)> {
        let graph = super::claim::graph_controls(request, self.template().controls.len())?;
        let (mut record, reveal) = self.template().record(request, input, earlier, &graph);
        record.media = facts;
        let (summary, selected) = match self.journal_of(request, input, content_code)? {
            Some((summary, selected)) => (Some(summary), selected),
            None => (None, false),
        };
        record.journal = summary;
        let configured =
            record.prompt.is_some() || !record.prompts.is_empty() || !record.controls.is_empty();
        // Components placed by an editor: the editing is a person's.
        let edited = !request.components.is_empty() && request.role.edits();
        Ok((
            record,
            reveal,
            Oversight::derive(configured, selected || edited),
        ))
    }

    /// The journal's summary with `input` as the chosen attempt, when the
    /// run names a journal; and whether it shows a selection: the chosen
    /// one of two or more distinct attempts sealed by this stamp's signer.
    fn journal_of(
        &self,
        request: &StampRequest,
        input: &Path,
        content_code: Option<&str>,
    ) -> Result<Option<(JournalSummary, bool)>> {
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
            // Sealed by the stamp's own signer, anchored at its TSA.
            let identity = self.identity();
            let sealer = journal::Sealer {
                identity,
                tsa: identity.tsa().map(|t| t.as_ref()),
                every: 1,
            };
            let attempt = attempt(request, input, &sha, content_code);
            journal::append(path, &attempt, Some(&sealer), true)?;
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
        let Some(summary) = journal::summary(&found.entries, chosen) else {
            return Ok(None);
        };
        let selected = self.selected(&found, &summary)?;
        Ok(Some((summary, selected)))
    }

    /// Whether `found` shows this stamp's signer choosing among two or
    /// more distinct attempts ([`journal::shows_selection`]: a seal or two
    /// opened per stamp, not the whole journal, which grows with a watch).
    fn selected(&self, found: &journal::Journal, summary: &JournalSummary) -> Result<bool> {
        let chain = self.identity().chain_der()?;
        let signer = chain
            .first()
            .and_then(|leaf| crate::keys::cert::facts(leaf).ok())
            .map(|f| f.identity());
        let ctx = journal::Context {
            signer,
            ..journal::Context::default()
        };
        let len = usize::try_from(summary.entries).unwrap_or(usize::MAX);
        let prefix = &found.entries[..found.entries.len().min(len)];
        Ok(journal::shows_selection(prefix, summary.chosen, &ctx))
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
