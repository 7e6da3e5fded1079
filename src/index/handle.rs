//! [`Index`]: the one handle the commands use. It opens either engine,
//! migrates the schema on first use, serialises the threads of one process
//! on its connection, and does the lookup the same way over both.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;

use super::bands;
use super::catalog::{Catalog, Counts, Migrated, Stored};
use super::entry::Entry;
use super::location::Location;
use super::{pg, sqlite};
use crate::error::Result;
use crate::media::fingerprint::{self, Fingerprint};
use crate::media::iscc;
use crate::verify::{Recovery, State};

/// Whether [`Index::add`] inserted or refreshed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Added {
    New,
    Updated,
}

/// An asset the catalog holds, as an audit reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalogued {
    pub manifest_label: String,
    pub sha256: String,
    pub path: String,
    pub signer: Option<String>,
    pub admission: String,
    pub added_at: String,
}

/// What `credits index stats` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub catalog: String,
    pub engine: &'static str,
    /// The catalog's own schema (not the report's `schema_version`).
    pub catalog_schema: u32,
    #[serde(flatten)]
    pub counts: Counts,
}

/// An open provenance catalog.
pub struct Index {
    catalog: Mutex<Box<dyn Catalog>>,
    location: Location,
}

/// An entry written in an open transaction, committed by
/// [`Pending::commit`] (after its file is renamed into place) and rolled
/// back if dropped: a catalog never holds an asset whose file never landed.
pub struct Pending<'a> {
    catalog: MutexGuard<'a, Box<dyn Catalog>>,
    added: Added,
    open: bool,
}

impl Pending<'_> {
    pub fn commit(mut self) -> Result<Added> {
        self.open = false;
        self.catalog.commit()?;
        Ok(self.added)
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if self.open {
            self.catalog.rollback();
        }
    }
}

impl Index {
    /// Open the catalog `spec` names (a PostgreSQL URL or a SQLite path),
    /// bringing its schema up to date.
    pub fn open(spec: &str) -> Result<Index> {
        Index::open_at(Location::parse(spec)).map(|(index, _)| index)
    }

    /// Open `location` and migrate it; say what the migration did.
    pub fn open_at(location: Location) -> Result<(Index, Migrated)> {
        let mut catalog: Box<dyn Catalog> = match &location {
            Location::Sqlite(path) => Box::new(sqlite::Sqlite::open(path)?),
            Location::Postgres(url) => Box::new(pg::Postgres::connect(&location, url)?),
        };
        let migrated = super::catalog::migrate(catalog.as_mut(), &location.to_string())?;
        let index = Index {
            catalog: Mutex::new(catalog),
            location,
        };
        Ok((index, migrated))
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    fn catalog(&self) -> MutexGuard<'_, Box<dyn Catalog>> {
        self.catalog.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Insert `entry`, or refresh the one with the same manifest label and
    /// content hash.
    pub fn add(&self, entry: &Entry) -> Result<Added> {
        self.begin(entry)?.commit()
    }

    /// Write `entry` in a transaction left open until [`Pending::commit`].
    pub fn begin(&self, entry: &Entry) -> Result<Pending<'_>> {
        let mut catalog = self.catalog();
        catalog.begin()?;
        let added = insert_or_roll_back(catalog.as_mut(), entry)?;
        Ok(Pending {
            catalog,
            added,
            open: true,
        })
    }

    /// Insert or refresh every entry in one transaction: all or none.
    pub fn add_all(&self, entries: &[Entry]) -> Result<Vec<Added>> {
        let mut catalog = self.catalog();
        catalog.begin()?;
        let mut added = Vec::with_capacity(entries.len());
        for entry in entries {
            added.push(insert_or_roll_back(catalog.as_mut(), entry)?);
        }
        catalog.commit()?;
        Ok(added)
    }

    /// The indexed asset `query` (every frame hashed) is, if any: candidates
    /// by band (`bands`), the best few aligned frame by frame.
    pub fn lookup(&self, query: &Fingerprint) -> Result<Option<Recovery>> {
        let probe = bands::Probe::of(query);
        let mut catalog = self.catalog();
        let ranked = probe.rank(catalog.hits(&probe)?);
        let candidates = catalog.assets(&ranked)?;
        drop(catalog);
        let mut best: Option<(fingerprint::Alignment, Stored)> = None;
        for stored in candidates {
            let Some(fp) = Fingerprint::from_bytes(&stored.fingerprint) else {
                continue;
            };
            let Some(a) = fingerprint::align(&fp, query) else {
                continue;
            };
            if !a.is_match(fp.samples.len()) {
                continue;
            }
            let better = best.as_ref().is_none_or(|(b, _)| {
                (a.matching, a.similarity.to_bits()) > (b.matching, b.similarity.to_bits())
            });
            if better {
                best = Some((a, stored));
            }
        }
        Ok(best.map(|(a, stored)| recovery(stored, &a, query)))
    }

    /// The manifest store kept for `manifest_label`.
    pub fn manifest_store(&self, manifest_label: &str) -> Result<Option<Vec<u8>>> {
        self.catalog().manifest_store(manifest_label)
    }

    /// The assets signed under `manifest_label`, one per content hash.
    pub fn by_label(&self, manifest_label: &str) -> Result<Vec<Catalogued>> {
        let found = self.catalog().by_label(manifest_label)?;
        Ok(found
            .into_iter()
            .map(|s| Catalogued {
                manifest_label: s.manifest_label,
                sha256: s.sha256,
                path: s.path,
                signer: s.signer,
                admission: s.admission,
                added_at: s.added_at,
            })
            .collect())
    }

    /// Counts per tool, operator, licence and admission verdict.
    pub fn stats(&self) -> Result<Stats> {
        let mut catalog = self.catalog();
        Ok(Stats {
            catalog: self.location.to_string(),
            engine: match self.location {
                Location::Sqlite(_) => "sqlite",
                Location::Postgres(_) => "postgresql",
            },
            catalog_schema: catalog.version()?,
            counts: super::catalog::counts(catalog.as_mut())?,
        })
    }
}

/// Insert `entry` in the open transaction; on failure roll it back.
fn insert_or_roll_back(catalog: &mut dyn Catalog, entry: &Entry) -> Result<Added> {
    match catalog.insert(&entry.row()) {
        Ok(true) => Ok(Added::New),
        Ok(false) => Ok(Added::Updated),
        Err(e) => {
            catalog.rollback();
            Err(e)
        }
    }
}

/// What the stored asset says about `query`, aligned as `a` says.
fn recovery(s: Stored, a: &fingerprint::Alignment, query: &Fingerprint) -> Recovery {
    Recovery {
        original: PathBuf::from(s.path),
        manifest_label: s.manifest_label,
        original_sha256: s.sha256,
        matched_samples: a.matching,
        compared_samples: a.overlapping,
        similarity: (a.similarity * 1000.0).round() / 1000.0,
        offset_s: a.offset_ms as f64 / 1000.0,
        signer: s.signer,
        // Judged again by `recover`, against today's anchors.
        signer_state: State::Invalid,
        issuer_fingerprint: None,
        record: s.record_json.and_then(|r| serde_json::from_str(&r).ok()),
        iscc_distance: s
            .iscc
            .zip(query.iscc.as_ref())
            .and_then(|(stored, found)| iscc::distance(&stored, found)),
        note: "bytes differ from the signed original (re-encoded, scaled, trimmed or edited)"
            .into(),
    }
}
