//! The record a stamp signs, built from a request: the parts that are the
//! same for every file of a run ([`Template`]: tool, licence, operator, the
//! hashed controls and inputs) are computed once; each file then gets its
//! own salted commitments, private reveal and timestamp.

use std::path::Path;

use crate::error::{Error, Result};
use crate::media::{self, Format};
use crate::prove::commitment::{Field, Opening, PartOpening, Reveal};
use crate::record::{
    self, Commitment, Control, GenerationRecord, Input, Operator, Parameters, Relationship,
};
use crate::signer::SigningIdentity;
use crate::sys::path_text::file_title;
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
        graph_controls: &[Control],
    ) -> (GenerationRecord, Option<Reveal>) {
        let found = request.generation.as_ref();
        let reveal = reveal_for(request, input, earlier);
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
            prompts: reveal.prompts.iter().map(PartOpening::public).collect(),
            parameters: (parameters != Parameters::default()).then_some(parameters),
            workflow: public(&reveal.workflow),
            operator: self.operator.clone(),
            controls: self
                .controls
                .iter()
                .chain(graph_controls)
                .cloned()
                .collect(),
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
        let Ok(graph) = graph_controls(request, self.controls.len()) else {
            return false;
        };
        let controls: Vec<&Control> = self.controls.iter().chain(&graph).collect();
        found.tool == request.tool
            && found.license == request.license
            && found.operator == self.operator
            && found.controls.iter().collect::<Vec<_>>() == controls
            && found.inputs == self.inputs
            && found.selection == request.selection
            && found.parameters.as_ref().and_then(|p| p.steps) == request.steps
    }
}

/// The reveal for one file: every secret opened with a fresh salt, or the
/// `earlier` reveal's where it opens the same text.
fn reveal_for(request: &StampRequest, input: &Path, earlier: Option<&Reveal>) -> Reveal {
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
    Reveal {
        schema_version: Reveal::SCHEMA_VERSION,
        asset: file_title(input),
        prompt: open(Field::Prompt, &request.prompt),
        negative_prompt: open(Field::NegativePrompt, &request.negative_prompt),
        seed: open(Field::Seed, &request.seed),
        workflow: open(Field::Workflow, &found.and_then(|g| g.workflow.clone())),
        prompts: part_openings(found, earlier),
    }
}

/// Every control, hashed; a media control also becomes an `inputTo`
/// ingredient labelled `control-N`.
fn controls(request: &StampRequest) -> Result<Vec<Control>> {
    let mut out = Vec::new();
    for (i, (kind, path)) in request.controls.iter().enumerate() {
        let (sha256, ingredient) = hashed(path, i)?;
        out.push(Control {
            kind: *kind,
            ingredient,
            sha256: Some(sha256),
            image: None,
        });
    }
    Ok(out)
}

/// A control file's SHA-256, and its ingredient label (the `i`th
/// control's) when it is media.
fn hashed(path: &Path, i: usize) -> Result<(String, Option<String>)> {
    let rerr = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let format = Format::detect(path).map_err(rerr)?;
    let sha256 = media::sha256_file(path).map_err(rerr)?;
    Ok((sha256, (format != Format::Other).then(|| control_label(i))))
}

/// The controls one file's generator graph names, after the run's own
/// `first` ones: an image found under `--controls-dir` hashed (and, when
/// media, an ingredient), else named by its file name only.
pub fn graph_controls(request: &StampRequest, first: usize) -> Result<Vec<Control>> {
    let named = request.generation.iter().flat_map(|g| &g.controls);
    let paths = graph_control_paths(request);
    let mut out: Vec<Control> = Vec::new();
    for (i, (c, path)) in named.zip(&paths).enumerate() {
        // One image loaded for two parts (an inpaint's picture and its
        // mask) is hashed once and is one ingredient.
        let earlier = paths[..i].iter().position(|p| p.is_some() && p == path);
        let (sha256, ingredient) = match (earlier, path) {
            (Some(j), _) => (out[j].sha256.clone(), out[j].ingredient.clone()),
            (None, Some(p)) => {
                let (sha, label) = hashed(p, first + i)?;
                (Some(sha), label)
            }
            (None, None) => (None, None),
        };
        out.push(Control {
            kind: c.kind,
            ingredient,
            sha256,
            image: Some(c.image.clone()),
        });
    }
    Ok(out)
}

/// Where each image the generator's graph loads is under `--controls-dir`
/// (`None`: no folder given, a name that climbs out of it, no such file).
pub fn graph_control_paths(request: &StampRequest) -> Vec<Option<std::path::PathBuf>> {
    let named = request.generation.iter().flat_map(|g| &g.controls);
    named
        .map(|c| {
            let dir = request.controls_dir.as_ref()?;
            // ComfyUI may annotate a name with its folder: `x.png [input]`.
            let name = c.image.strip_suffix(" [input]").unwrap_or(&c.image);
            let rel = Path::new(name);
            let plain = rel
                .components()
                .all(|p| matches!(p, std::path::Component::Normal(_)));
            let path = dir.join(rel);
            (plain && path.is_file()).then_some(path)
        })
        .collect()
}

/// The openings of the prompts beyond the main one, each reusing the
/// `earlier` reveal's salt where it opens the same text in the same part.
fn part_openings(
    found: Option<&crate::generator::GeneratorMetadata>,
    earlier: Option<&Reveal>,
) -> Vec<PartOpening> {
    let texts = found.into_iter().flat_map(|g| &g.prompts);
    texts
        .enumerate()
        .map(|(i, t)| {
            let kept = earlier
                .and_then(|r| r.prompts.get(i))
                .filter(|o| o.part == t.part && o.input == t.input && o.opening.text == t.text);
            kept.cloned().unwrap_or_else(|| PartOpening {
                part: t.part.clone(),
                input: t.input.clone(),
                opening: Opening::new(Field::Prompt, &t.text),
            })
        })
        .collect()
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
