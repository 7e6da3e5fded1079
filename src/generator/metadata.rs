//! What a generator's metadata says about one output, as the readers
//! ([`super::parse`], [`super::comfyui`]) return it.

use serde::Serialize;

use crate::record::ControlKind;

/// What a generator's own metadata says about one output.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GeneratorMetadata {
    /// Whose layout it is: `ComfyUI`, `AUTOMATIC1111`, `InvokeAI`,
    /// `Fooocus`, `NovelAI`, `Midjourney`.
    pub generator: String,
    pub tool_version: Option<String>,
    /// The model or checkpoint.
    pub model: Option<String>,
    pub loras: Vec<String>,
    pub prompt: Option<String>,
    pub negative_prompt: Option<String>,
    pub seed: Option<String>,
    pub steps: Option<u32>,
    pub sampler: Option<String>,
    pub cfg: Option<f64>,
    /// The workflow graph as written (JSON), the operator's design:
    /// committed, never published.
    pub workflow: Option<String>,
    /// The IPTC digital source type an upstream C2PA manifest declares, as
    /// its term (`trainedAlgorithmicMedia`…); generators' text never says one.
    pub source_type: Option<String>,
    /// Node classes of a ComfyUI graph on the way to the output that were
    /// not understood (custom nodes): what the record could not read.
    pub graph_unread: Vec<String>,
    /// Every model file on the way to the output, with its part.
    pub models: Vec<crate::record::ModelUse>,
    /// Prompts beyond the main one (another encoder input, a combined
    /// encoder, a regional prompt): committed each, never published.
    pub prompts: Vec<PromptText>,
    /// The images the graph loaded, and what each controls.
    pub controls: Vec<GraphControl>,
    /// The API graph, kept when it saves several outputs, to read again
    /// for the one that wrote a given file (`Found::for_file`).
    #[serde(skip)]
    pub graph: Option<String>,
}

/// A prompt beyond the main one, and its part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromptText {
    /// `secondary`, `regional`, `earlier_pass`, and the same with
    /// `negative_` for the negative side.
    pub part: String,
    /// The encoder input that held it (`clip_l`, `text`…).
    pub input: String,
    pub text: String,
}

/// One image the graph loaded and what it controls.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GraphControl {
    pub kind: ControlKind,
    /// The file name the loader names (relative to ComfyUI's input folder).
    pub image: String,
}

impl GeneratorMetadata {
    /// The generation parameters it names, as a journal entry keeps them
    /// (`model`, `steps`, `sampler`, `cfg`).
    pub fn params(&self) -> std::collections::BTreeMap<String, String> {
        [
            ("model", self.model.clone()),
            ("steps", self.steps.map(|s| s.to_string())),
            ("sampler", self.sampler.clone()),
            ("cfg", self.cfg.map(|c| c.to_string())),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v?)))
        .collect()
    }
}
