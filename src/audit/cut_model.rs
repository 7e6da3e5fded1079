//! The data of a cut's audit: what is asked, each shot as judged, screen
//! time per kind of track, and the report.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::record::Role;
use crate::timeline::{TimelineFormat, TrackKind};

/// The cut an audit is asked about.
#[derive(Debug, Clone)]
pub struct CutRequest {
    pub timeline: PathBuf,
    /// Where media moved since the edit are looked up by name.
    pub media_root: Option<PathBuf>,
    /// Frames per second of an EDL's timecodes.
    pub edl_rate: f64,
}

/// One shot as audited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutShot {
    pub track: String,
    pub kind: TrackKind,
    pub record_in: String,
    pub record_out: String,
    pub seconds: f64,
    pub name: String,
    pub reference: Option<String>,
    /// The audited file it plays; none when the media is missing.
    pub path: Option<String>,
    /// `trusted`, `untrusted`, `invalid`, `unsigned`, `unreadable`, `missing`.
    pub verdict: &'static str,
    /// `level_0`…`level_3` (AI), `human`, `unknown` or `missing`.
    pub control: String,
    pub tool: Option<String>,
    pub license: Option<String>,
}

/// A shot that breaks the policy, with its record timecodes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ShotBreach {
    pub record_in: String,
    pub record_out: String,
    pub asset: String,
    pub code: String,
    /// `00:03:12:05–00:03:15:00 plate_07.mov unsigned`.
    pub line: String,
}

/// Who signed the timeline itself (the editor's selection and arrangement).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineSignature {
    pub verdict: &'static str,
    pub signer: Option<String>,
    pub operator: Option<String>,
    pub role: Option<Role>,
}

/// The audit of one cut.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutReport {
    pub timeline: String,
    pub name: String,
    pub format: TimelineFormat,
    pub rate: f64,
    pub signed: TimelineSignature,
    pub video: KindSummary,
    pub audio: KindSummary,
    pub shots: Vec<CutShot>,
    pub breaches: Vec<ShotBreach>,
    /// Audited files the cut does not use: no share of its runtime.
    pub unused: Vec<String>,
    /// Why the policy rejects the cut (the per-shot breaches included).
    pub reasons: Vec<String>,
    /// What the timeline reader passed over.
    pub notes: Vec<String>,
}

/// One asset's screen time: the sum of the ranges the cut uses of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetRow {
    /// The audited file, or the reference of missing media.
    pub asset: String,
    pub shots: usize,
    pub seconds: f64,
    /// Record timecodes of each use, `in–out`.
    pub uses: Vec<String>,
}

/// One tool under one licence on screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolRow {
    pub tool: String,
    pub license: String,
    pub seconds: f64,
}

/// One person in one role on screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    pub certificate: String,
    pub operator: String,
    pub name: String,
    pub role: Role,
    pub seconds: f64,
    /// The role's weight in the policy (1 when it sets none).
    pub weight: f64,
    pub weighted_seconds: f64,
}

/// Screen time of one kind of track (video or audio), summed over tracks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KindSummary {
    pub runtime_seconds: f64,
    /// `trusted`, `untrusted`, `invalid`, `unsigned`, `unreadable`, `missing`.
    pub by_verdict: BTreeMap<String, f64>,
    /// `level_0`…`level_3` (AI-generated), `human`, `unknown`, `missing`.
    pub by_control: BTreeMap<String, f64>,
    pub by_tool: Vec<ToolRow>,
    pub by_person: Vec<PersonRow>,
    /// Screen time per asset (a clip used twice counts both uses).
    #[serde(default)]
    pub by_asset: Vec<AssetRow>,
    /// AI-generated seconds with no recorded human control.
    pub autonomous_seconds: f64,
    /// Their share of this kind's runtime.
    pub autonomous_share: f64,
}
