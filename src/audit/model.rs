//! The audit's data: the report and everything in it (our own serde
//! types, sorted deterministically), and what an audit is asked.

use std::path::PathBuf;

use serde::Serialize;

use super::cut_model::{CutReport, CutRequest};
use super::graph::{AssetNode, Edge};
use crate::media::walk::Listed;
use crate::record::Role;
use crate::verify::policy::Policy;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Rejects the film under its policy.
    Error,
    Warning,
    Info,
}

/// One problem or fact worth a human's attention, pointing at the asset and
/// the signed fact behind it (distinct from `verify::Finding`, one of our
/// own checks on one file's bytes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AuditFinding {
    pub asset: String,
    pub severity: Severity,
    pub code: String,
    pub message: String,
}

/// Assets and footage seconds at one human-control level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelRow {
    pub level: u8,
    pub meaning: &'static str,
    pub assets: usize,
    pub asset_share: f64,
    pub seconds: f64,
    pub seconds_share: f64,
}

/// One operator's work in one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The signing certificate (issuer and serial) the work is keyed by.
    pub certificate: String,
    /// The operator's email (checked against the certificate), for people.
    pub operator: String,
    pub name: String,
    pub role: Role,
    pub assets: usize,
    pub seconds: f64,
}

/// One operator's weighted share of the film, with how it was computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// The signing certificate (issuer and serial) the share is keyed by.
    pub certificate: String,
    pub operator: String,
    pub name: String,
    pub percent: f64,
    pub computation: String,
    /// For the weight of a role nobody filled: that role (no operator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unassigned_role: Option<Role>,
}

/// Counts over the audited files.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Files audited, copies included.
    pub files: usize,
    /// Distinct assets among them: identical content and manifest once.
    pub assets: usize,
    pub trusted: usize,
    pub valid_untrusted: usize,
    pub invalid: usize,
    pub unsigned: usize,
    pub other: usize,
    pub ai_generated: usize,
    pub human_made: usize,
    pub unknown_origin: usize,
    pub manifest_only_assets: usize,
    /// Signed files with no CAWG training-and-mining declaration.
    pub training_mining_undeclared: usize,
    /// Signed files still carrying their generator's plaintext metadata.
    pub generator_metadata: usize,
}

/// Everything an audit found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    pub roots: Vec<String>,
    pub trust_bundle: Option<String>,
    pub policy: Policy,
    pub summary: Summary,
    pub assets: Vec<AssetNode>,
    pub edges: Vec<Edge>,
    pub findings: Vec<AuditFinding>,
    pub levels: Vec<LevelRow>,
    /// Share of AI-generated assets with no recorded human control.
    pub autonomous_share: f64,
    /// Share of AI-generated footage seconds with no recorded human control.
    pub autonomous_seconds_share: f64,
    pub contributions: Vec<Contribution>,
    pub shares: Vec<Share>,
    /// Whether the film passes its policy; if not, every reason.
    pub accepted: bool,
    pub reasons: Vec<String>,
    /// The cut by screen time, for `audit --timeline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<CutReport>,
    /// Signers on the studio's CRL, with the files signed before and not
    /// before each revocation.
    pub revoked: Vec<super::revoked::RevokedSigner>,
    /// Every path the walk met: audited or not, and why.
    pub files: Vec<Listed>,
    pub skipped: Vec<String>,
}

/// What to audit and against what.
pub struct AuditRequest<'a> {
    pub roots: &'a [PathBuf],
    pub trust_bundle: Option<PathBuf>,
    pub policy: Policy,
    /// The editor's cut, when the audit is of a timeline.
    pub timeline: Option<CutRequest>,
    /// Creative journals to prove journal-stamped assets against.
    pub journals: &'a [PathBuf],
    /// Called with (done, total) as files are verified.
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
    /// Where ingredients not among the files are looked up (`--index`).
    pub catalog: Option<&'a crate::index::Index>,
}
