//! Verification, the base layer every judgement builds on: a media file
//! becomes a [`Verdict`] — state, C2PA status codes verbatim, our own
//! findings, the decoded generation record, and every ingredient's own
//! validation, re-judged.
//!
//! - [`verdict`]: the types of a verdict.
//! - [`read`]: one file's manifest (embedded or sidecar) read and judged.
//! - [`ingredients`]: the ingredient tree walked and re-judged.
//! - `binding`: a data hash's exclusions against the file.
//! - [`decode`]: what a manifest asserts, decoded into our types.
//! - [`identity`]: the CAWG identity assertions and their validation.
//! - `facts`: the signed media facts checked against the file.
//! - `notes`: informational codes newer readers issue and our SDK does not.
//! - [`timestamp`]: a claim signature's RFC 3161 timestamp, judged
//!   against the TSA roots alone.
//! - [`revocation`]: the signer against the studio's CRL.
//! - `trust`: the [`Verifier`] — signer roots, TSA roots, revocations.

pub mod policy;

mod binding;
pub mod decode;
mod facts;
pub mod identity;
mod ingredients;
pub mod notes;
mod read;
pub mod revocation;
mod signing_time;
pub mod timestamp;
mod trust;
mod update;
pub mod verdict;

pub use decode::{declares_ai_generation, decode_actions};
pub use ingredients::MAX_CHAIN_DEPTH;
pub use read::{signature_only, store_signature, verify_file};
pub use trust::Verifier;
pub use verdict::{
    Action, AddedLater, CawgIdentity, Codes, Finding, IngredientVerdict, ManifestSource, Recovery,
    Revocation, Signer, SoftBinding, State, Timestamp, Verdict, CONTAINER_MISMATCH, MEDIA_MISMATCH,
    OPERATOR_MISMATCH, RECORD_MALFORMED, UNTRUSTED,
};
