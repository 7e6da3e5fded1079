//! Reports: our own `Serialize` types for what each command found, one
//! [`SCHEMA_VERSION`] for all of them, and their renderers — human text,
//! JSON, Markdown, HTML. The one place untrusted text is escaped for a
//! terminal ([`escape`]). Commands compute, then render here, then decide
//! the exit status.
//!
//! - [`document`]: the JSON envelope and [`SCHEMA_VERSION`].
//! - [`escape`]: untrusted text made inert for a terminal.
//! - [`verify`], [`stamp`], [`prove`], [`index`], [`timestamp`]: each
//!   command's report.
//! - [`audit`] (human, Markdown) and [`html`]: the audit's renderings;
//!   [`cut`]: the timeline's section in each.
//! - [`rights`]: a verified rights certificate, and its HTML rights sheet.

pub mod audit;
pub mod authorship;
pub mod cut;
pub mod document;
pub mod escape;
pub mod html;
pub mod index;
pub mod prove;
pub mod rights;
pub mod stamp;
pub mod timestamp;
pub mod verify;

pub use document::{json, Failure, SCHEMA_VERSION};
