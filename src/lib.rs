//! `credits`: signed, verifiable C2PA provenance for AI-generated frames and clips.
//!
//! The library computes and returns data; it never prints, exits, or reads
//! argv or the environment. The `credits` binary renders and picks the exit
//! status. The layers and the data flow are in `docs/design.md`.
//!
//! - [`keys`]: the studio's CA, certificates, CRLs, chains, trust bundles.
//! - [`signer`]: signing identities — in process, an external command, a TSA.
//! - [`stamp`]: record + media → signed media (embedded or sidecar),
//!   atomically; batches, watched folders, timestamps added later.
//! - [`verify`]: media → [`verify::Verdict`]; the ingest policy.
//! - [`prove`]: prompt commitments, reveal files, the creative journal.
//! - [`record`]: the signed generation record and training declaration.
//! - [`audit`]: a film's asset chain, its cut and its shares.
//! - [`certify`]: an audit signed as a rights certificate (in-toto, DSSE).
//! - [`index`]: the provenance catalog (SQLite or PostgreSQL).
//! - [`media`]: formats, containers, fingerprints, walking folders.
//! - [`generator`]: what generators write into their outputs.
//! - [`timeline`]: edit decision lists and OpenTimelineIO cuts.
//! - [`report`]: verdicts and reports rendered for people and JSON.
//! - [`sys`]: atomic writes, worker pools, paths as text.
//! - [`c2pa_settings`]: the one place the C2PA SDK is configured.
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod audit;
pub mod c2pa_settings;
pub mod certify;
pub mod error;
pub mod generator;
pub mod index;
pub mod keys;
pub mod media;
pub mod prove;
pub mod record;
pub mod report;
pub mod signer;
pub mod stamp;
pub mod sys;
pub mod timeline;
pub mod verify;

pub use error::{CatalogFailure, Error, Result};
