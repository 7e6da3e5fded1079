//! What a stamp asserts and where it writes: the [`StampRequest`], merged
//! from a tool profile and the operator's own values (which win field by
//! field), or made for a derivation step ([`Derivation`]).
//!
//! Text that ends up in the signed record is checked here: a control
//! character in a tool name or licence would travel into every reader's
//! terminal, so it is refused before anything is signed.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::record::training::TrainingMining;
use crate::record::{ControlKind, DeriveAction, License, Role, Selection, Tool};
use crate::stamp::profile::Profile;
use crate::sys::atomic::Overwrite;

/// Where the signed output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A new file with the input's name in this directory.
    OutDir(PathBuf),
    /// Replace the input itself (atomically).
    InPlace,
}

/// Where the manifest lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embedding {
    /// Embed when the format allows, otherwise write a sidecar.
    Auto,
    /// Always embed; fail on formats the SDK cannot write into.
    Embed,
    /// Always write a detached `FILE.c2pa`, leaving the media bytes untouched.
    Sidecar,
}

/// When a stamp decodes its media for a perceptual fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FingerprintPolicy {
    /// Frames, and clips up to [`LARGE_CLIP`]: decoding a master costs
    /// about 25 s per GB, twenty times the signing itself.
    Auto,
    Always,
    Never,
}

/// Clips above this size are not decoded for a fingerprint by default.
pub const LARGE_CLIP: u64 = 512 << 20;

/// Whether an output already carrying the same record is left alone, so an
/// interrupted batch resumes where it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    SkipStamped,
    SignAgain,
}

/// Everything asserted about a batch of outputs from one generation setup.
#[derive(Debug, Clone)]
pub struct StampRequest {
    pub tool: Tool,
    pub license: Option<License>,
    pub prompt: Option<String>,
    pub negative_prompt: Option<String>,
    pub seed: Option<String>,
    pub steps: Option<u32>,
    pub role: Role,
    pub controls: Vec<(ControlKind, PathBuf)>,
    /// The asset this one was made from (`parentOf`), at most one.
    pub parent: Option<PathBuf>,
    /// Assets composited into this one (`componentOf`).
    pub components: Vec<PathBuf>,
    pub selection: Option<Selection>,
    pub destination: Destination,
    pub embedding: Embedding,
    pub overwrite: Overwrite,
    /// Directory for prompt reveal files; beside the output when `None`.
    pub reveal_dir: Option<PathBuf>,
    /// PEM trust anchors used when reading ingredients' own manifests.
    pub trust_pem: Option<String>,
    /// A derivation step applied to the parent (and components) instead of
    /// a generation.
    pub derive: Option<DeriveAction>,
    /// When to sign a perceptual fingerprint (decodes the media); clip facts
    /// are probed either way.
    pub fingerprint: FingerprintPolicy,
    pub resume: Resume,
    /// The CAWG training-and-mining declaration, when one is made.
    pub training_mining: Option<TrainingMining>,
    /// Leave the generator's own metadata (its plaintext prompt) in the
    /// signed file (`--keep-generator-metadata`); removed by default.
    pub keep_generator_metadata: bool,
    /// The creative journal each output must be one of (`--journal`).
    pub journal: Option<PathBuf>,
    /// Log each output in the journal as an attempt when it is not there
    /// yet (`watch --journal`), instead of refusing it.
    pub log_attempts: bool,
    /// Where the images a generator's graph loads are (`--controls-dir`).
    pub controls_dir: Option<PathBuf>,
    /// What one file's generator wrote beyond prompt and seed (sampler,
    /// CFG, LoRAs), set per file ([`super::generated`]).
    pub generation: Option<crate::generator::GeneratorMetadata>,
    /// No tool was named: it comes from each file's generator metadata,
    /// and a file without any is refused.
    pub tool_from_files: bool,
}

/// The operator's own values for a generation, each overriding the profile.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub tool: Option<String>,
    pub tool_version: Option<String>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub license: Option<String>,
    pub commercial_use: Option<bool>,
    pub license_url: Option<String>,
    pub prompt: Option<Text>,
    pub negative_prompt: Option<Text>,
    pub seed: Option<String>,
    pub steps: Option<u32>,
    pub role: Option<Role>,
    pub controls: Vec<(ControlKind, PathBuf)>,
    pub controls_dir: Option<PathBuf>,
    pub parent: Option<PathBuf>,
    pub components: Vec<PathBuf>,
    pub selection: Option<Selection>,
    pub reveal_dir: Option<PathBuf>,
    pub training_mining: Option<TrainingMining>,
    pub keep_generator_metadata: bool,
    pub journal: Option<PathBuf>,
}

/// A secret given inline, or the file that holds it.
#[derive(Debug, Clone)]
pub enum Text {
    Inline(String),
    File(PathBuf),
}

/// Where the outputs go and how, the same for generations and derivations.
#[derive(Debug, Clone)]
pub struct Output {
    pub destination: Destination,
    pub embedding: Embedding,
    pub overwrite: Overwrite,
    pub trust_pem: Option<String>,
    pub fingerprint: FingerprintPolicy,
    pub resume: Resume,
}

impl StampRequest {
    /// A generation: `profile` defaults, overridden by `flags`.
    pub fn generation(profile: Profile, flags: Overrides, output: Output) -> Result<StampRequest> {
        let base = profile.tool.unwrap_or_default();
        let tool = Tool {
            name: flags.tool.unwrap_or(base.name),
            version: flags.tool_version.or(base.version),
            vendor: flags.vendor.or(base.vendor),
            model: flags.model.or(base.model),
        };
        let license = match (flags.license, profile.license) {
            (Some(id), base) => Some(License {
                id,
                commercial_use: None,
                terms_url: base.and_then(|b| b.terms_url),
            }),
            (None, base) => base,
        }
        .map(|mut l| {
            l.commercial_use = flags.commercial_use.or(l.commercial_use);
            l.terms_url = flags.license_url.clone().or(l.terms_url);
            l
        });
        let role = flags.role.or(profile.role).unwrap_or(Role::PromptDesign);
        let mut request = StampRequest::plain(tool, license, role, output);
        request.prompt = flags.prompt.map(read_text).transpose()?;
        request.negative_prompt = flags.negative_prompt.map(read_text).transpose()?;
        request.seed = flags.seed;
        request.steps = flags.steps;
        request.controls = flags.controls;
        request.controls_dir = flags.controls_dir;
        request.parent = flags.parent;
        request.components = flags.components;
        request.selection = flags.selection;
        request.reveal_dir = flags.reveal_dir;
        request.training_mining = flags.training_mining.or(profile.training_mining);
        request.keep_generator_metadata = flags.keep_generator_metadata;
        request.journal = flags.journal;
        // No tool named: each file's generator metadata must name it.
        request.tool_from_files = request.tool.name.trim().is_empty();
        request.check_text()?;
        Ok(request)
    }

    /// A request that asserts only the tool, licence and role.
    fn plain(tool: Tool, license: Option<License>, role: Role, output: Output) -> StampRequest {
        StampRequest {
            tool,
            license,
            prompt: None,
            negative_prompt: None,
            seed: None,
            steps: None,
            role,
            controls: Vec::new(),
            controls_dir: None,
            parent: None,
            components: Vec::new(),
            selection: None,
            destination: output.destination,
            embedding: output.embedding,
            overwrite: output.overwrite,
            reveal_dir: None,
            trust_pem: output.trust_pem,
            derive: None,
            fingerprint: output.fingerprint,
            resume: output.resume,
            training_mining: None,
            keep_generator_metadata: false,
            journal: None,
            log_attempts: false,
            generation: None,
            tool_from_files: false,
        }
    }

    /// Refuse what cannot be signed: no tool name, or recorded text with
    /// control characters (they would reach every reader's terminal).
    fn check_text(&self) -> Result<()> {
        if self.tool.name.trim().is_empty() && !self.tool_from_files {
            return Err(Error::NoTool);
        }
        let license = self.license.as_ref();
        let fields = [
            ("tool", Some(&self.tool.name)),
            ("tool version", self.tool.version.as_ref()),
            ("vendor", self.tool.vendor.as_ref()),
            ("model", self.tool.model.as_ref()),
            ("licence", license.map(|l| &l.id)),
            ("licence URL", license.and_then(|l| l.terms_url.as_ref())),
        ];
        for (field, value) in fields {
            if let Some(value) = value.filter(|v| v.chars().any(char::is_control)) {
                return Err(Error::ControlCharacter {
                    field,
                    value: value.clone(),
                });
            }
        }
        Ok(())
    }
}

/// A derivation: a file made from signed inputs by one step (transcode,
/// trim, grade…), signed with each input as an ingredient.
#[derive(Debug, Clone)]
pub struct Derivation {
    /// The inputs: the first is the parent, others are components.
    pub from: Vec<PathBuf>,
    pub action: DeriveAction,
    pub tool: Tool,
    pub license: Option<License>,
    pub role: Role,
}

impl Derivation {
    /// The request that signs the step's output.
    pub fn request(self, output: Output) -> Result<StampRequest> {
        let (parent, components) = match self.from.split_first() {
            Some((p, rest)) => (Some(p.clone()), rest.to_vec()),
            None => (None, Vec::new()),
        };
        let mut request = StampRequest::plain(self.tool, self.license, self.role, output);
        request.parent = parent;
        request.components = components;
        request.derive = Some(self.action);
        request.check_text()?;
        Ok(request)
    }
}

fn read_text(text: Text) -> Result<String> {
    match text {
        Text::Inline(t) => Ok(t),
        Text::File(path) => read_file_text(&path),
    }
}

fn read_file_text(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // A trailing newline from an editor is not part of the prompt.
    Ok(text.strip_suffix('\n').unwrap_or(&text).to_string())
}

/// What one file's outputs may replace: the signed output, and its private
/// reveal file (kept unless re-signing, so its openings stay the proof).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replacing {
    pub output: Overwrite,
    pub reveal: Overwrite,
}

impl Replacing {
    /// The same, but the reveal file replaced when `earlier`: an earlier
    /// reveal is written again with the same openings.
    pub fn rewriting_reveal(self, earlier: bool) -> Replacing {
        if earlier {
            Replacing {
                reveal: Overwrite::Replace,
                ..self
            }
        } else {
            self
        }
    }
}
