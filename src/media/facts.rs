//! The clip or frame facts a stamp signs in the record's `media` section.

use serde::{Deserialize, Serialize};

/// Facts about the media signed into the record's `media` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaFacts {
    /// `clip` or `frame`.
    pub kind: String,
    /// Container or image format (`mp4`, `mov`, `mkv`, `png`, …).
    pub container: String,
    /// Video codec (clips) or pixel layout (frames).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audio: Vec<AudioFacts>,
    /// SHA-256 of an ISO BMFF file's `ftyp` box (brands), which C2PA's BMFF
    /// hash leaves out; `verify` compares it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ftyp_sha256: Option<String>,
    /// SHA-256 of the decoded pixels (a frame: every channel) or of the
    /// frames sampled for the fingerprint (a clip: every plane): the same
    /// for a byte copy or a remux, different for any edit of what is seen
    /// in those samples. `audit` compares a derived asset's with its
    /// parent's (`edit_without_change`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pixels_sha256: Option<String>,
}

/// One audio stream of a clip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioFacts {
    pub codec: String,
    pub channels: u32,
    pub sample_rate: u32,
}
