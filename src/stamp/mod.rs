//! Stamping: a generation record plus a media file becomes signed media —
//! the manifest embedded in a new copy, or a detached `FILE.c2pa` beside it.
//!
//! - [`request`]: what a run asserts and where it writes (profile + the
//!   operator's values, or a derivation step).
//! - [`stamper`]: the [`Stamper`], built once per run, and one file's steps.
//! - `identity`: the claim signer that adds the operator's CAWG identity.
//! - `claim`: the record, from a per-run template (hashed controls, inputs).
//! - `manifest`: ingredients, actions and assertions composed for the SDK.
//! - `splice`: the PNG and MP4/MOV fast paths.
//! - `target`: where one stamp writes, and what it refuses to replace.
//! - `resume`: whether an output already carries this record.
//! - `land`: the output renamed into place, its catalog entry with it.
//! - [`recorder`]: the catalog write that commits with the rename.

pub mod batch;
pub mod profile;
pub mod timestamping;
pub mod watch;

mod claim;
mod generated;
mod identity;
mod journal;
mod land;
mod manifest;
pub mod recorder;
pub mod request;
mod resume;
mod source;
mod splice;
pub mod stamper;
mod target;
mod warning;

pub use crate::sys::path_text::file_title;
pub use generated::FromGenerator;
pub use manifest::SPEC_VERSION;
pub use request::{
    Derivation, Destination, Embedding, FingerprintPolicy, Output, Overrides, Replacing, Resume,
    StampRequest, Text, LARGE_CLIP,
};
pub use stamper::{StampWarning, Stamped, Stamper};
pub use target::out_dir;
