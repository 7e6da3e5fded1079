//! The C2PA 2.4 AI disclosure (`c2pa.ai-disclosure`): the digital source
//! type paired with a `contentProfile.humanOversightLevel` —
//! `fully_autonomous`, `prompt_guided` or `human_validated`. A stamp
//! writes it *derived from the evidence it signs*, never typed by the
//! operator (docs/journal.md has the mapping from our levels 0–3):
//!
//! - no prompt, no control, no selection: `fully_autonomous`;
//! - a prompt or controls (a person configured the generation, and no
//!   evidence shows they chose the result): `prompt_guided`;
//! - the output chosen among two or more distinct attempts the signer
//!   sealed in a creative journal, or composited by an editing,
//!   compositing or direction role placing components: `human_validated`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The assertion's label (C2PA 2.4, "AI Disclosure").
pub const LABEL: &str = "c2pa.ai-disclosure";

/// How much a person oversaw the generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Oversight {
    FullyAutonomous,
    PromptGuided,
    HumanValidated,
}

impl Oversight {
    pub fn as_str(self) -> &'static str {
        match self {
            Oversight::FullyAutonomous => "fully_autonomous",
            Oversight::PromptGuided => "prompt_guided",
            Oversight::HumanValidated => "human_validated",
        }
    }

    fn parse(text: &str) -> Option<Oversight> {
        [
            Oversight::FullyAutonomous,
            Oversight::PromptGuided,
            Oversight::HumanValidated,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }

    /// The level a stamp's evidence supports: `configured` when it commits
    /// to a prompt or names controls, `selected` when a sealed journal
    /// shows the output chosen among distinct attempts.
    pub fn derive(configured: bool, selected: bool) -> Oversight {
        match (configured, selected) {
            (_, true) => Oversight::HumanValidated,
            (true, false) => Oversight::PromptGuided,
            (false, false) => Oversight::FullyAutonomous,
        }
    }

    /// The level an audit's human-control level (0–3) supports, with
    /// `selected` when its level-2 evidence is a proven selection.
    pub fn of_level(level: u8, selected: bool) -> Oversight {
        match level {
            0 => Oversight::FullyAutonomous,
            2 if selected => Oversight::HumanValidated,
            1 | 2 => Oversight::PromptGuided,
            _ => Oversight::HumanValidated,
        }
    }
}

/// The disclosure as read from a manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AiDisclosure {
    pub human_oversight_level: Option<Oversight>,
    /// The level's text when it is not one of the three.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_level: Option<String>,
    pub digital_source_type: Option<String>,
}

/// The assertion's data for `level`, paired with `source_type` (an IPTC
/// digital source type URI).
pub fn to_assertion(level: Oversight, source_type: &str) -> Value {
    json!({
        "digitalSourceType": source_type,
        "contentProfile": { "humanOversightLevel": level.as_str() },
    })
}

/// Read the assertion's data back.
pub fn from_assertion(value: &Value) -> AiDisclosure {
    let text = value
        .get("contentProfile")
        .and_then(|p| p.get("humanOversightLevel"))
        .and_then(Value::as_str);
    let level = text.and_then(Oversight::parse);
    AiDisclosure {
        human_oversight_level: level,
        unknown_level: text.filter(|_| level.is_none()).map(str::to_string),
        digital_source_type: value
            .get("digitalSourceType")
            .and_then(Value::as_str)
            .map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_follows_the_evidence_and_reads_back() {
        assert_eq!(Oversight::derive(false, false), Oversight::FullyAutonomous);
        assert_eq!(Oversight::derive(true, false), Oversight::PromptGuided);
        assert_eq!(Oversight::derive(true, true), Oversight::HumanValidated);
        let v = to_assertion(Oversight::PromptGuided, "http://x/trainedAlgorithmicMedia");
        let back = from_assertion(&v);
        assert_eq!(back.human_oversight_level, Some(Oversight::PromptGuided));
        let odd = from_assertion(&json!({"contentProfile": {"humanOversightLevel": "\u{1b}[2J"}}));
        assert_eq!(odd.human_oversight_level, None);
        assert!(odd.unknown_level.is_some());
    }
}
