//! Auditing a film's asset chain: verify every file, build the asset graph,
//! and compute findings, human-control evidence and contributions. The
//! library returns an [`AuditReport`]; `report` puts its schema version on
//! it and renders it as text, Markdown or HTML.
//!
//! - [`model`]: the report's types and the request.
//! - `run`: one audit, as its steps.
//! - [`graph`]: assets and ingredient edges.
//! - `levels`: human-control levels (evidence, not a legal verdict).
//! - `findings`: what needs a person's attention, with severities.
//! - `shares`: contributions per operator and role.
//! - [`cut`]: `--timeline`: each shot of an edit tied to its asset;
//!   [`cut_model`]: its report's types.
//! - [`revoked`]: revoked signers, and the files on each side of the date.
//! - [`screen`]: the cut's screen time per verdict, level, tool, person.
//! - `catalogued`: ingredients found in the catalog, not in the delivery,
//!   their rows verified.
//! - `cycles`: nodes on a loop of ingredient edges.

mod authorship;
mod catalogued;
pub mod cut;
pub mod cut_model;
mod cycles;
mod evidence;
mod findings;
pub mod graph;
mod journals;
mod levels;
pub mod model;
pub mod revoked;
mod rounding;
mod run;
pub mod screen;
mod shares;

pub use cut_model::{CutReport, CutRequest};
pub use evidence::AuthorshipItem;
pub use graph::{AssetNode, Edge, Evidence, MatchedBy, NodeKind, Origin};
pub use model::{
    AuditFinding, AuditReport, AuditRequest, Contribution, LevelRow, Severity, Share, Summary,
};
pub use run::audit;
