//! `credits index add`: which files were indexed, and which could not be.

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::document::Failure;
use super::escape::{path, term};
use crate::index::Added;

/// One file added to the index.
#[derive(Debug, Clone, Serialize)]
pub struct Indexed {
    pub file: PathBuf,
    pub added: Added,
    pub manifest_label: String,
    pub fingerprint_samples: usize,
}

/// Everything `index add` did.
#[derive(Debug, Clone, Serialize)]
pub struct IndexReport {
    pub index: PathBuf,
    pub indexed: Vec<Indexed>,
    pub failed: Vec<Failure>,
}

/// The report for people: a line per indexed file.
pub fn human(r: &IndexReport) -> String {
    let mut s = String::new();
    for i in &r.indexed {
        let how = match i.added {
            Added::New => "indexed",
            Added::Updated => "re-indexed",
        };
        let _ = writeln!(
            s,
            "{how} {} ({} fingerprint samples, {})",
            path(&i.file),
            i.fingerprint_samples,
            term(&i.manifest_label)
        );
    }
    s
}
