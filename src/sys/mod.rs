//! What the rest of the crate needs from the system, owning no domain:
//!
//! - [`atomic`]: writes that never damage a user's file (temp beside the
//!   target, fsync, rename).
//! - [`parallel`]: worker pools with results in input order.
//! - [`path_text`]: paths as text in reports.
//! - [`time`]: times as RFC 3339, never empty.

pub mod atomic;
pub mod parallel;
pub mod path_text;
pub mod time;
