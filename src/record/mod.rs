//! The generation record: the rights facts we sign into every asset as the
//! `film.credits.generation` assertion (`docs/design.md`, "The signed record").
//!
//! The body carries its own `schema` number. Roles and control kinds are
//! closed enums so a typo cannot become a new role; a later schema version
//! may add to them.

pub mod disclosure;
pub mod training;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::media::MediaFacts;

/// The C2PA assertion label of our record.
pub const LABEL: &str = "film.credits.generation";
/// The record schema this build writes.
pub const SCHEMA: u32 = 1;

/// Everything `credits stamp` asserts about how an asset was generated.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GenerationRecord {
    pub schema: u32,
    pub tool: Tool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<License>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Commitment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<Commitment>,
    /// Prompts beyond the main one (`prompt`): another encoder input, a
    /// combined encoder, a regional (GLIGEN box, area) prompt — each
    /// committed, with its part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<PartCommitment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Parameters>,
    /// The generator's workflow graph, committed (never published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<Commitment>,
    pub operator: Operator,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
    /// Parent and component inputs, with their content hashes, so an audit
    /// can find them among files even when they carry no manifest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<Selection>,
    /// Selection and iteration, derived from the creative journal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<JournalSummary>,
    /// Probed facts about the signed media (clip or frame), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<MediaFacts>,
    pub generated_at: String,
}

/// What the creative journal showed when the asset was stamped
/// (`stamp --journal`): selection and iteration derived, not declared.
/// `credits prove --journal` checks a journal against it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct JournalSummary {
    /// SHA-256 of the journal's last line then: the chain's head.
    pub head: String,
    /// Attempts logged.
    pub entries: u64,
    /// The attempt this asset is (1-based).
    pub chosen: u64,
    /// SHA-256 of the chosen output as generated (before signing).
    pub chosen_sha256: String,
    /// Distinct prompts, in order.
    pub prompt_revisions: u64,
    /// Attempts whose parameters differ from the one before.
    pub parameter_changes: u64,
    pub first_at: String,
    pub last_at: String,
}

/// The generator: tool, version, vendor, model.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Tool {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// The licence under which the tool's output was produced.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct License {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commercial_use: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_url: Option<String>,
}

/// A salted commitment (see `commitment.rs`); the secret stays in the reveal file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Commitment {
    pub scheme: String,
    pub commitment: String,
}

/// A commitment to one of several prompts, and its part.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PartCommitment {
    /// `secondary` (another encoder input, a combined encoder),
    /// `regional` (a GLIGEN box, an area), `earlier_pass` (a first pass's
    /// sampler), and the same with `negative_` for the negative side.
    pub part: String,
    /// The generator's name for where the text sat (`clip_l`, `text`…).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub input: String,
    pub scheme: String,
    pub commitment: String,
}

/// Generation parameters; the seed is committed, not disclosed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Parameters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_commitment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
    /// The sampler (and scheduler) as the generator names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampler: Option<String>,
    /// Classifier-free guidance scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfg: Option<f64>,
    /// LoRA (or other adapter) models applied, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub loras: Vec<String>,
    /// Parts of the generator's graph on the way to the output that were
    /// not understood (ComfyUI custom node classes): nothing above was
    /// read from them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub graph_unread: Vec<String>,
    /// Every model file the generator's graph used to make the output,
    /// with its part (`base`, `refiner`, `merge_source`, `lora`,
    /// `controlnet`, `vae`, `text_encoder`, `upscale`…): what a licence
    /// policy judges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<ModelUse>,
}

/// One model file a generation used, and its part in it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ModelUse {
    pub name: String,
    pub role: String,
}

/// The human who operated the tool. Name and id are copied from the signing
/// certificate, never typed in; `verify` checks they still match it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Operator {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub role: Role,
}

/// A multimodal control that constrained the output.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Control {
    pub kind: ControlKind,
    /// Label of the C2PA ingredient holding the control file, when it is media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingredient: Option<String>,
    /// SHA-256 of the control file's bytes; absent when the control was
    /// read from the generator's graph and its file was not at hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The file name the generator's graph loaded it by (ComfyUI's
    /// `LoadImage`), when the control was read from the graph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// A parent or component input of the asset.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Input {
    /// The ingredient's title (file name).
    pub title: String,
    /// `parentOf` or `componentOf`.
    pub relationship: String,
    pub sha256: String,
}

/// How an ingredient relates to the asset (C2PA 2.x, "Ingredient").
/// Records keep it as text: a foreign record may carry another value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    ParentOf,
    ComponentOf,
    InputTo,
}

impl Relationship {
    /// The spelling in C2PA ingredients and in our record.
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::ParentOf => "parentOf",
            Relationship::ComponentOf => "componentOf",
            Relationship::InputTo => "inputTo",
        }
    }
}

/// The most candidates a selection may claim: more than anyone reviews,
/// and a bound on what a record can assert (an audit ignores larger ones).
pub const MAX_CANDIDATES: u32 = 100_000;

/// Selection among candidates: the operator chose `chosen` of `candidates`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Selection {
    pub candidates: u32,
    pub chosen: u32,
}

impl FromStr for Selection {
    type Err = String;
    /// Parses `CHOSEN/CANDIDATES`, e.g. `1/48`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (a, b) = s
            .split_once('/')
            .ok_or_else(|| format!("expected CHOSEN/CANDIDATES like 1/48, got {s:?}"))?;
        let chosen: u32 = a
            .trim()
            .parse()
            .map_err(|_| format!("{a:?} is not a count"))?;
        let candidates: u32 = b
            .trim()
            .parse()
            .map_err(|_| format!("{b:?} is not a count"))?;
        if chosen == 0 || chosen > candidates {
            return Err(format!(
                "chose {chosen} of {candidates}: need 1 <= CHOSEN <= CANDIDATES"
            ));
        }
        if candidates > MAX_CANDIDATES {
            return Err(format!(
                "{candidates} candidates is more than anyone reviews: at most {MAX_CANDIDATES}"
            ));
        }
        Ok(Selection { candidates, chosen })
    }
}

macro_rules! closed_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The name used in the record and on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| {
                        let names: Vec<_> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        format!("unknown {} {s:?}; one of: {}", stringify!($name), names.join(", "))
                    })
            }
        }
    };
}

/// A closed set of names (roles, controls, derivations, CAWG uses): one
/// spelling for serde, the command line and messages.
pub(crate) use closed_enum;

closed_enum!(
    /// What kind of creative control the operator exercised.
    Role {
        PromptDesign => "prompt_design",
        Control => "control",
        Selection => "selection",
        Editing => "editing",
        Compositing => "compositing",
        Audio => "audio",
        Direction => "direction",
    }
);

impl Role {
    /// The CAWG identity assertion's named-actor role (Identity Assertion
    /// 1.1, "Named actor roles") for this kind of creative control. Ours is
    /// finer and stays in the record; this is what other tools show.
    pub fn cawg_role(self) -> &'static str {
        match self {
            Role::PromptDesign | Role::Control | Role::Audio | Role::Direction => "cawg.creator",
            Role::Editing | Role::Compositing => "cawg.editor",
            Role::Selection => "cawg.contributor",
        }
    }

    /// A role whose placing, cutting or grading is human editing (the
    /// audit's level 3, `human_validated` in the AI disclosure).
    pub fn edits(self) -> bool {
        matches!(self, Role::Editing | Role::Compositing | Role::Direction)
    }
}

closed_enum!(
    /// A processing step applied to signed inputs by `credits derive`.
    DeriveAction {
        Transcoded => "transcoded",
        Trimmed => "trimmed",
        Edited => "edited",
        ColorGraded => "color_graded",
        Resized => "resized",
        Cropped => "cropped",
        Filtered => "filtered",
        Converted => "converted",
        Repackaged => "repackaged",
    }
);

impl DeriveAction {
    /// The C2PA action label (spec 2.x, "Actions"). Trimming has no label of
    /// its own in the spec this SDK implements, so it is `c2pa.edited`
    /// described as trimmed.
    pub fn c2pa_action(self) -> &'static str {
        match self {
            DeriveAction::Transcoded => "c2pa.transcoded",
            DeriveAction::Trimmed | DeriveAction::Edited => "c2pa.edited",
            DeriveAction::ColorGraded => "c2pa.color_adjustments",
            DeriveAction::Resized => "c2pa.resized",
            DeriveAction::Cropped => "c2pa.cropped",
            DeriveAction::Filtered => "c2pa.filtered",
            DeriveAction::Converted => "c2pa.converted",
            DeriveAction::Repackaged => "c2pa.repackaged",
        }
    }
}

closed_enum!(
    /// What kind of input constrained the generation.
    ControlKind {
        FirstFrame => "first_frame",
        LastFrame => "last_frame",
        MotionBrush => "motion_brush",
        FaceReference => "face_reference",
        StyleReference => "style_reference",
        CameraPath => "camera_path",
        InpaintMask => "inpaint_mask",
        DepthMap => "depth_map",
        Pose => "pose",
        EdgeMap => "edge_map",
        ControlImage => "control_image",
        SourceImage => "source_image",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_parses_and_rejects() {
        assert_eq!(
            "1/48".parse::<Selection>(),
            Ok(Selection {
                candidates: 48,
                chosen: 1
            })
        );
        assert!("0/4".parse::<Selection>().is_err());
        assert!("5/4".parse::<Selection>().is_err());
        assert!("x".parse::<Selection>().is_err());
    }

    #[test]
    fn roles_round_trip_as_snake_case() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(*r));
            assert_eq!(serde_json::to_string(r).unwrap(), format!("\"{r}\""));
        }
        assert!("producer".parse::<Role>().is_err());
    }
}
