//! Idempotence: whether an output already carries the record a run would
//! sign, so an interrupted batch or a restarted watcher resumes instead of
//! signing everything again; and whether an input changed after its output
//! was signed, so a stale output is signed again.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::prove::commitment::{Field, Opening, Reveal};
use crate::record::GenerationRecord;
use crate::verify::{self, State};

use super::request::{Destination, StampRequest};
use super::stamper::Stamper;
use super::target::Target;

impl Stamper {
    /// The file a stamp of `input` into `destination` writes: the signed
    /// media, or its sidecar.
    pub fn output_of(&self, input: &Path, destination: &Destination) -> Result<PathBuf> {
        Ok(Target::of(self.request(), destination, input)?.output)
    }

    /// Whether `input`'s output already carries, intact, the record this
    /// run would sign (same tool, licence, operator, controls, inputs,
    /// selection; the same prompt and seed, opened by the reveal file
    /// beside it).
    pub fn already_stamped(&self, input: &Path, destination: &Destination) -> bool {
        let Ok(target) = Target::of(self.request(), destination, input) else {
            return false;
        };
        if !target.output.exists() || !target.media.exists() {
            return false;
        }
        let verifier = verify::Verifier::with_context(std::sync::Arc::clone(self.context()));
        let v = verify::verify_file(&verifier, &target.media);
        if !matches!(v.state, State::Trusted | State::Valid) {
            return false;
        }
        let Some(found) = v.record else {
            return false;
        };
        // What this run would sign for this file, its generator's
        // metadata included.
        let mut generated = crate::generator::read_path(input, target.format);
        if generated.metadata.is_none() && self.request().tool_from_files {
            generated.metadata = super::generated::upstream(input);
        }
        let (request, _) = super::generated::effective(self.request(), &generated);
        let request = request.as_ref();
        v.training_mining == request.training_mining
            && self.template().same_facts(request, &found)
            && secrets_match(request, &found, target.reveal(request).as_deref())
    }

    /// The input was written after its output was signed (an output is
    /// always younger than the input it was made from): the output is stale.
    pub fn modified_after_output(&self, input: &Path, destination: &Destination) -> bool {
        let Ok(output) = self.output_of(input, destination) else {
            return false;
        };
        if output == input {
            return false;
        }
        let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        matches!((mtime(input), mtime(&output)), (Some(i), Some(o)) if i > o)
    }
}

/// The record's commitments open with this request's prompt, negative
/// prompt and seed (through the reveal file), and it has no others.
fn secrets_match(request: &StampRequest, found: &GenerationRecord, reveal: Option<&Path>) -> bool {
    let reveal: Option<Reveal> = reveal
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_json::from_str(&t).ok());
    let opens = |field,
                 wanted: &Option<String>,
                 opening: Option<&Opening>,
                 signed: Option<&String>| match (wanted, signed) {
        (None, None) => true,
        (Some(text), Some(commitment)) => {
            opening.is_some_and(|o| o.opens(field, text) && &o.commitment == commitment)
        }
        _ => false,
    };
    let r = reveal.as_ref();
    opens(
        Field::Prompt,
        &request.prompt,
        r.and_then(|r| r.prompt.as_ref()),
        found.prompt.as_ref().map(|c| &c.commitment),
    ) && opens(
        Field::NegativePrompt,
        &request.negative_prompt,
        r.and_then(|r| r.negative_prompt.as_ref()),
        found.negative_prompt.as_ref().map(|c| &c.commitment),
    ) && opens(
        Field::Seed,
        &request.seed,
        r.and_then(|r| r.seed.as_ref()),
        found
            .parameters
            .as_ref()
            .and_then(|p| p.seed_commitment.as_ref()),
    )
}
