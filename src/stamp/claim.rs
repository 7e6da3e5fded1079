//! The record a stamp signs, built from a request: the parts that are the
//! same for every file of a run ([`Template`]: tool, licence, operator, the
//! hashed controls and inputs) are computed once; each file then gets its
//! own salted commitments, private reveal and timestamp.

use std::path::Path;

use crate::error::{Error, Result};
use crate::media::{self, Format};
use crate::prove::commitment::{Field, Opening, Reveal};
use crate::record::{
    self, Commitment, Control, GenerationRecord, Input, Operator, Parameters, Relationship,
};
use crate::signer::SigningIdentity;
use crate::verify;

use super::request::StampRequest;

/// What every file of one run asserts alike.
#[derive(Debug, Clone)]
pub struct Template {
    pub operator: Operator,
    pub controls: Vec<Control>,
    pub inputs: Vec<Input>,
    /// Whether any component carries no AI-generation claim (human-made).
    pub human_components: bool,
}

impl Template {
    /// Hash every control and input once for the whole run.
    pub fn new(identity: &SigningIdentity, request: &StampRequest) -> Result<Template> {
        Ok(Template {
            operator: Operator {
                name: identity.name.clone(),
                id: identity.email.clone(),
                role: request.role,
            },
            controls: controls(request)?,
            inputs: inputs(request)?,
            human_components: request
                .components
                .iter()
                .any(|p| !verify::declares_ai_generation(p)),
        })
    }

    /// The record for one file and the private reveal that opens its
    /// commitments: fresh salts for every file, or those of the `earlier`
    /// reveal file at the same path when it opens the same secrets.
    pub fn record(
        &self,
        request: &StampRequest,
        input: &Path,
        earlier: Option<&Reveal>,
    ) -> (GenerationRecord, Option<Reveal>) {
        let open = |field, text: &Option<String>| {
            let kept = earlier.and_then(|r| match field {
                Field::Prompt => r.prompt.clone(),
                Field::NegativePrompt => r.negative_prompt.clone(),
                Field::Seed => r.seed.clone(),
                Field::Workflow => r.workflow.clone(),
            });
            text.as_deref().map(|t| {
                kept.filter(|o| o.text == t)
                    .unwrap_or_else(|| Opening::new(field, t))
            })
        };
        let found = request.generation.as_ref();
        let reveal = Reveal {
            schema_version: Reveal::SCHEMA_VERSION,
            asset: file_title(input),
            prompt: open(Field::Prompt, &request.prompt),
            negative_prompt: open(Field::NegativePrompt, &request.negative_prompt),
            seed: open(Field::Seed, &request.seed),
            workflow: open(Field::Workflow, &found.and_then(|g| g.workflow.clone())),
        };
        let public = |o: &Option<Opening>| {
            o.as_ref().map(|o| Commitment {
                scheme: o.scheme.clone(),
                commitment: o.commitment.clone(),
            })
        };
        let parameters = parameters(request, found, &reveal);
        let record = GenerationRecord {
            schema: record::SCHEMA,
            tool: request.tool.clone(),
            license: request.license.clone(),
            prompt: public(&reveal.prompt),
            negative_prompt: public(&reveal.negative_prompt),
            parameters: (parameters != Parameters::default()).then_some(parameters),
            workflow: public(&reveal.workflow),
            operator: self.operator.clone(),
            controls: self.controls.clone(),
            inputs: self.inputs.clone(),
            selection: request.selection.clone(),
            journal: None,
            media: None,
            generated_at: crate::sys::time::now(),
        };
        let reveal = (!reveal.is_empty()).then_some(reveal);
        (record, reveal)
    }

    /// Whether a record found in an output asserts what this run would
    /// (same tool, licence, operator, controls, inputs, selection, steps).
    /// The commitments are compared through the reveal file, elsewhere.
    pub fn same_facts(&self, request: &StampRequest, found: &GenerationRecord) -> bool {
        found.tool == request.tool
            && found.license == request.license
            && found.operator == self.operator
            && found.controls == self.controls
            && found.inputs == self.inputs
            && found.selection == request.selection
            && found.parameters.as_ref().and_then(|p| p.steps) == request.steps
    }
}

/// Every control, hashed; a media control also becomes an `inputTo`
/// ingredient labelled `control-N`.
fn controls(request: &StampRequest) -> Result<Vec<Control>> {
    let rerr = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Read { path, source }
    };
    let mut out = Vec::new();
    for (i, (kind, path)) in request.controls.iter().enumerate() {
        let format = Format::detect(path).map_err(rerr(path))?;
        out.push(Control {
            kind: *kind,
            ingredient: (format != Format::Other).then(|| control_label(i)),
            sha256: media::sha256_file(path).map_err(rerr(path))?,
        });
    }
    Ok(out)
}

/// The parent and components, hashed, for the record.
fn inputs(request: &StampRequest) -> Result<Vec<Input>> {
    let parent = request.parent.iter().map(|p| (p, Relationship::ParentOf));
    let components = request
        .components
        .iter()
        .map(|p| (p, Relationship::ComponentOf));
    parent
        .chain(components)
        .map(|(path, relationship)| {
            Ok(Input {
                title: file_title(path),
                relationship: relationship.as_str().to_string(),
                sha256: media::sha256_file(path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?,
            })
        })
        .collect()
}

/// A path's file name, as ingredient titles and the record's inputs give it.
pub fn file_title(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The ingredient label of the `i`th control.
pub fn control_label(i: usize) -> String {
    format!("control-{i}")
}

/// The generation parameters a record signs: the seed's commitment, and
/// what the run or the generator's metadata says.
fn parameters(
    request: &StampRequest,
    found: Option<&crate::generator::GeneratorMetadata>,
    reveal: &Reveal,
) -> Parameters {
    Parameters {
        seed_commitment: reveal.seed.as_ref().map(|s| s.commitment.clone()),
        steps: request.steps,
        sampler: found.and_then(|g| g.sampler.clone()),
        cfg: found.and_then(|g| g.cfg),
        loras: found.map(|g| g.loras.clone()).unwrap_or_default(),
        graph_unread: found.map(|g| g.graph_unread.clone()).unwrap_or_default(),
        models: found.map(|g| g.models.clone()).unwrap_or_default(),
    }
}
