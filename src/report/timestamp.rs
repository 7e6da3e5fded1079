//! `credits timestamp`: which files got a trusted time, which already had
//! one, and which could not be timestamped.

use std::fmt::Write;

use serde::Serialize;

use super::document::Failure;
use super::escape::{path, term};
use crate::stamp::timestamping::Done;
use crate::verify::Timestamp;

/// Everything `timestamp` did.
#[derive(Debug, Serialize)]
pub struct TimestampReport {
    /// The TSA asked.
    pub tsa: String,
    pub files: Vec<Done>,
    pub failed: Vec<Failure>,
}

/// The report for people: a line per file.
pub fn human(r: &TimestampReport) -> String {
    let mut s = String::new();
    for d in &r.files {
        let _ = match d {
            Done::Timestamped {
                path: p, timestamp, ..
            } => writeln!(s, "timestamped {}: {}", path(p), when(timestamp)),
            Done::Skipped { path: p, timestamp } => writeln!(
                s,
                "skipped {}: already timestamped ({})",
                path(p),
                when(timestamp)
            ),
        };
    }
    s
}

/// The closing line (stderr).
pub fn summary(r: &TimestampReport) -> String {
    let count = |timestamped: bool| {
        r.files
            .iter()
            .filter(|d| matches!(d, Done::Timestamped { .. }) == timestamped)
            .count()
    };
    format!(
        "{} timestamped, {} already timestamped, {} failed",
        count(true),
        count(false),
        r.failed.len()
    )
}

/// The time and the TSA, and whether the TSA is trusted.
fn when(t: &Timestamp) -> String {
    let trust = match (&t.trusted, &t.untrusted_because) {
        (true, _) => "trusted TSA".to_string(),
        (false, Some(why)) => format!("TSA not trusted: {why}"),
        (false, None) => "TSA not trusted".to_string(),
    };
    format!("{} by {} ({})", term(&t.time), term(&t.tsa), term(&trust))
}
