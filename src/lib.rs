//! `credits`: signed, verifiable C2PA provenance for AI-generated frames and clips.
//!
//! The library computes and returns data; it never prints, exits, or reads
//! argv or the environment. The `credits` binary renders and picks the exit
//! status. See `DESIGN.md` in the workspace for the architecture.
//!
//! - [`keys`]: the studio's CA, operator certificates, trust bundles.
//! - [`stamp`]: record + media → signed media (embedded or sidecar), atomically.
//! - [`verify`]: media → [`verify::Verdict`].
//! - [`prove`]: a prompt reveal file checked against an asset.
//! - [`certify`]: an audit signed as a rights certificate (in-toto, DSSE).
//! - [`timestamping`]: a trusted time added to files signed without one.
//! - [`watch`]: a generator's output folder, stamped as files complete.
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod atomic;
pub mod audit;
pub mod batch;
pub mod cert;
pub mod certify;
pub mod commitment;
pub mod crl;
pub mod error;
pub mod generator;
pub mod index;
pub mod journal;
pub mod keys;
pub mod media;
pub mod parallel;
pub mod policy;
pub mod profile;
pub mod prove;
pub mod record;
pub mod report;
pub mod sdk;
pub mod signer;
pub mod stamp;
pub mod text;
pub mod timeline;
pub mod timestamping;
pub mod token;
pub mod training;
pub mod tsa;
pub mod verify;
pub mod walk;
pub mod watch;
pub mod x509;

pub use error::{CatalogFailure, Error, Result};
