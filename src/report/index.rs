//! `credits index add`: which files were indexed, and which could not be;
//! `index stats` and `index migrate`.

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::document::Failure;
use super::escape::{path, term};
use crate::index::{Added, Migrated, Stats};

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
    /// The catalog, any password hidden.
    pub index: String,
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

/// What `index migrate` did.
#[derive(Debug, Clone, Serialize)]
pub struct MigrateReport {
    pub index: String,
    #[serde(flatten)]
    pub migrated: Migrated,
}

/// The migration for people: one line.
pub fn migrated_human(r: &MigrateReport) -> String {
    let m = r.migrated;
    let what = match m.from {
        0 => format!("created at schema version {}", m.to),
        v if v == m.to => format!("already at schema version {v}"),
        v => format!("upgraded from schema version {v} to {}", m.to),
    };
    format!("{}: {what}\n", term(&r.index))
}

/// The catalog's counts for people: a table per grouping.
pub fn stats_human(st: &Stats) -> String {
    let c = &st.counts;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "catalog {} ({}, schema version {})",
        term(&st.catalog),
        st.engine,
        st.catalog_schema
    );
    let _ = writeln!(s, "{} assets, {} key samples", c.assets, c.key_samples);
    for (title, rows) in [
        ("tool", &c.by_tool),
        ("operator", &c.by_operator),
        ("licence", &c.by_licence),
        ("admitted as", &c.by_admission),
    ] {
        let _ = writeln!(s, "\nby {title}:");
        let width = rows
            .iter()
            .map(|(v, _)| v.chars().count())
            .max()
            .unwrap_or(0);
        for (value, n) in rows {
            let shown = term(value);
            let _ = writeln!(s, "  {shown:<width$}  {n:>8}");
        }
    }
    s
}
