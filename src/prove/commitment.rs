//! Salted commitments to private generation inputs (prompt, negative prompt,
//! seed), and the reveal file that opens them.
//!
//! Scheme `credits-salted-sha256-v1` (`docs/design.md`, "Prompt commitment"):
//! `SHA-256(domain || 0x00 || salt || NFC(text))`, with a fresh 32-byte salt
//! per value per asset. The domain is `credits/prompt/v1` for prompts and a
//! sibling tag for the other fields, so a commitment to a seed can never be
//! passed off as one to a prompt. A bare hash of a short prompt falls to a
//! dictionary; the salt is what makes the commitment hiding.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// The scheme name written beside every commitment.
pub const SCHEME: &str = "credits-salted-sha256-v1";

/// Which private input a commitment covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Prompt,
    NegativePrompt,
    Seed,
    /// A generator's workflow graph (ComfyUI's, InvokeAI's): the
    /// operator's design, as written.
    Workflow,
}

impl Field {
    fn domain(self) -> &'static [u8] {
        match self {
            Field::Prompt => b"credits/prompt/v1",
            Field::NegativePrompt => b"credits/negative_prompt/v1",
            Field::Seed => b"credits/seed/v1",
            Field::Workflow => b"credits/workflow/v1",
        }
    }
}

/// The commitment to `text` under `salt`, as lowercase hex.
pub fn commit(field: Field, salt: &[u8; 32], text: &str) -> String {
    let mut h = Sha256::new();
    h.update(field.domain());
    h.update([0u8]);
    h.update(salt);
    let normalized: String = text.nfc().collect();
    h.update(normalized.as_bytes());
    hex::encode(h.finalize())
}

/// A fresh random salt.
pub fn fresh_salt() -> [u8; 32] {
    let mut salt = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    salt
}

/// One opened commitment: the secret, its salt, and the commitment they give.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Opening {
    pub scheme: String,
    /// Hex-encoded 32-byte salt.
    pub salt: String,
    pub text: String,
    pub commitment: String,
}

impl Opening {
    /// Commit to `text` with a fresh salt.
    pub fn new(field: Field, text: &str) -> Opening {
        let salt = fresh_salt();
        Opening {
            scheme: SCHEME.to_string(),
            salt: hex::encode(salt),
            text: text.to_string(),
            commitment: commit(field, &salt, text),
        }
    }

    /// Whether this opening holds `text` and its salt and text give its
    /// commitment.
    pub fn opens(&self, field: Field, text: &str) -> bool {
        self.text == text && self.recompute(field).as_ref() == Some(&self.commitment)
    }

    /// Recompute the commitment from this opening's salt and text; `None`
    /// when the salt is not 32 bytes of hex or the scheme is unknown.
    pub fn recompute(&self, field: Field) -> Option<String> {
        if self.scheme != SCHEME {
            return None;
        }
        let salt: [u8; 32] = hex::decode(&self.salt).ok()?.try_into().ok()?;
        Some(commit(field, &salt, &self.text))
    }
}

/// The private file an operator keeps to prove later what they prompted.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Reveal {
    pub schema_version: u32,
    /// File name of the asset this reveal belongs to.
    pub asset: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Opening>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<Opening>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<Opening>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<Opening>,
    /// The prompts beyond the main one, each with its part, in the
    /// record's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<PartOpening>,
}

/// The opening of one of several prompts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PartOpening {
    pub part: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub input: String,
    #[serde(flatten)]
    pub opening: Opening,
}

impl PartOpening {
    /// The commitment a record signs for it.
    pub fn public(&self) -> crate::record::PartCommitment {
        crate::record::PartCommitment {
            part: self.part.clone(),
            input: self.input.clone(),
            scheme: self.opening.scheme.clone(),
            commitment: self.opening.commitment.clone(),
        }
    }
}

impl Reveal {
    pub const SCHEMA_VERSION: u32 = 1;

    /// Whether this reveal opens exactly these secrets — each present one
    /// with its text and a commitment that recomputes, no other — so a new
    /// signature reusing its salts leaves it as the proof of both.
    pub fn opens_exactly(
        &self,
        prompt: Option<&str>,
        negative_prompt: Option<&str>,
        seed: Option<&str>,
    ) -> bool {
        let same = |field, opening: &Option<Opening>, text: Option<&str>| match (opening, text) {
            (None, None) => true,
            (Some(o), Some(t)) => o.opens(field, t),
            _ => false,
        };
        same(Field::Prompt, &self.prompt, prompt)
            && same(
                Field::NegativePrompt,
                &self.negative_prompt,
                negative_prompt,
            )
            && same(Field::Seed, &self.seed, seed)
    }

    /// Whether there is anything to reveal.
    pub fn is_empty(&self) -> bool {
        self.prompt.is_none()
            && self.negative_prompt.is_none()
            && self.seed.is_none()
            && self.workflow.is_none()
            && self.prompts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_prompt_two_salts_two_commitments() {
        let a = Opening::new(Field::Prompt, "a red fox at dawn");
        let b = Opening::new(Field::Prompt, "a red fox at dawn");
        assert_ne!(a.commitment, b.commitment);
        assert_eq!(a.recompute(Field::Prompt).as_deref(), Some(&*a.commitment));
    }

    #[test]
    fn nfc_makes_composed_and_decomposed_equal() {
        let salt = [7u8; 32];
        assert_eq!(
            commit(Field::Prompt, &salt, "caf\u{e9}"),
            commit(Field::Prompt, &salt, "cafe\u{301}")
        );
    }

    #[test]
    fn domain_separates_fields() {
        let salt = [1u8; 32];
        assert_ne!(
            commit(Field::Prompt, &salt, "42"),
            commit(Field::Seed, &salt, "42")
        );
    }

    #[test]
    fn known_vector() {
        // SHA-256("credits/prompt/v1" || 0x00 || 32 zero bytes || "fox")
        let mut h = Sha256::new();
        h.update(b"credits/prompt/v1\0");
        h.update([0u8; 32]);
        h.update(b"fox");
        assert_eq!(
            commit(Field::Prompt, &[0u8; 32], "fox"),
            hex::encode(h.finalize())
        );
    }
}
