//! `credits stamp`, `derive` and `watch`: what was signed, skipped or
//! failed, and the human lines for it (one per file, as a pipeline log).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::document::Failure;
use super::escape::{path, term};
use crate::stamp::Stamped;

/// Everything a stamp run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StampReport {
    pub stamped: Vec<Stamped>,
    pub skipped: Vec<PathBuf>,
    /// Found under a directory but not signed: a symlink, or anything that
    /// is not a regular file inside it.
    pub passed_over: Vec<PassedOver>,
    pub failed: Vec<Failure>,
}

/// A file found but not signed, and why.
#[derive(Debug, Clone, Serialize)]
pub struct PassedOver {
    pub path: PathBuf,
    pub reason: String,
}

/// The report for people: a line (or two) per signed or skipped file.
pub fn human(r: &StampReport) -> String {
    let mut s = String::new();
    for stamped in &r.stamped {
        s.push_str(&stamped_lines(stamped));
    }
    for input in &r.skipped {
        s.push_str(&skipped_line(input));
    }
    for p in &r.passed_over {
        s.push_str(&passed_over_line(p));
    }
    s
}

/// A file found but not signed: `passed over PATH: why`.
pub fn passed_over_line(p: &PassedOver) -> String {
    format!("passed over {}: {}\n", path(&p.path), term(&p.reason))
}

/// `signed IN -> OUT (embedded)`, and where the private reveal file went.
pub fn stamped_lines(st: &Stamped) -> String {
    let how = if st.embedded { "embedded" } else { "sidecar" };
    let mut s = format!(
        "signed {} -> {} ({how})\n",
        path(&st.input),
        path(&st.output)
    );
    if let Some(g) = &st.generator {
        let who = g
            .generator
            .as_deref()
            .unwrap_or("an unrecognised generator");
        let done = match (g.removed, st.embedded) {
            (true, true) => "removed from the signed file (the record commits to them)",
            (true, false) => "removed: the media beside the sidecar is a copy of its streams without tags (the record commits to them)",
            (false, _) => "left in the signed file",
        };
        let _ = writeln!(
            s,
            "  generator {}: {} {done}",
            term(who),
            term(&g.fields.join(", "))
        );
    }
    if let Some(r) = &st.reveal {
        let _ = writeln!(
            s,
            "  reveal file {} (private: keep it to prove the prompt)",
            path(r)
        );
    }
    s
}

/// An input whose output already carries this record.
pub fn skipped_line(input: &Path) -> String {
    format!(
        "skipped {} (already stamped with this record; --force re-signs)\n",
        path(input)
    )
}

/// The closing count, for standard error.
pub fn summary(r: &StampReport) -> String {
    format!(
        "{} signed, {} skipped, {} failed",
        r.stamped.len(),
        r.skipped.len(),
        r.failed.len()
    )
}
