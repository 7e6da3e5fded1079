//! What an asset shows of human control, and — for the dossier — of human
//! authorship, row by row ([`AuthorshipItem`], filled by
//! `audit::authorship`).

use serde::{Deserialize, Serialize};

use crate::prove::journal::JournalProof;

/// The human-control evidence recorded for an asset.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Evidence {
    pub prompt_commitment: bool,
    pub controls: Vec<String>,
    /// `CHOSEN of CANDIDATES` (declared, `--selection`), or `RANK of
    /// DISTINCT attempts (journal, proven, …)` when a journal given to the
    /// audit proves it: the selection credited as human control.
    pub selection: Option<String>,
    /// What the asset's signed journal summary shows, and how it stood
    /// when proven (`--journal`); credited only as `selection`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    /// The selection is a journal's, proven (not declared).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub selection_proven: bool,
    pub human_steps: Vec<String>,
    /// For a transcode-like derivation: the source whose level it carries.
    pub inherited_from: Option<String>,
    /// Its signed pixel digest is its parent's: whatever its actions say,
    /// nothing visible changed.
    pub same_pixels_as_source: bool,
    /// The human authorship evidence, item by item (the dossier's rows).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authorship: Vec<AuthorshipItem>,
    /// The journal's proof, when one was given (`--journal`).
    #[serde(skip)]
    pub journal_proof: Option<Box<JournalProof>>,
}

/// One row of the human authorship evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorshipItem {
    /// `prompt`, `prompt revisions`, `parameter changes`, `attempts and
    /// selection`, `controls` or `edits`.
    pub what: String,
    /// What the evidence shows.
    pub shows: String,
    /// `contemporaneous` (a trusted timestamp dates it) or `self-asserted`.
    pub dated: String,
    /// The trusted time (or span) when contemporaneous.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// What it discloses, and what stays private.
    pub disclosed: String,
}
