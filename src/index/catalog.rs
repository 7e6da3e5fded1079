//! The catalog as a storage engine sees it: one trait, implemented by the
//! embedded SQLite file (`sqlite`) and the shared PostgreSQL server
//! (`pg`). The lookup logic, the entry's shape and the stats' meaning live
//! above it (`index`), so both engines answer the same questions the same
//! way.

use serde::Serialize;

use super::bands::Probe;
use crate::error::{CatalogFailure, Error, Result};

/// The schema this credits writes. 1: the single `assets` table keyed by
/// manifest label (SQLite only, before the catalog could be shared);
/// 2: assets keyed by manifest label and content hash, with the
/// record's tool, operator and licence, the admission verdict, and band
/// keys for indexed similarity search.
pub const SCHEMA_VERSION: u32 = 2;

/// How an asset came into the catalog: what was checked before it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Admission {
    /// Signed by this credits itself (`stamp`, `derive`, `watch`).
    Stamped,
    /// Verified intact and chained to the given trust anchors (`index add --trust`).
    Trusted,
    /// Verified intact, no trust anchors given (`index add`).
    Valid,
    /// Carried over from a schema 1 catalog, which did not record it.
    Unrecorded,
}

impl Admission {
    pub fn as_str(self) -> &'static str {
        match self {
            Admission::Stamped => "stamped",
            Admission::Trusted => "trusted",
            Admission::Valid => "valid",
            Admission::Unrecorded => "unrecorded",
        }
    }
}

/// One asset as written: every column, already rendered.
pub struct Row<'a> {
    pub manifest_label: &'a str,
    pub sha256: &'a str,
    pub path: String,
    pub signer: Option<&'a str>,
    pub record_json: Option<String>,
    pub tool: Option<&'a str>,
    pub operator: Option<&'a str>,
    pub licence: Option<&'a str>,
    pub admission: &'static str,
    pub fingerprint: Vec<u8>,
    pub manifest_store: &'a [u8],
    pub iscc: Option<&'a str>,
    pub added_at: String,
    /// The band keys (`bands::keys`).
    pub keys: Vec<u64>,
}

/// One asset as read back (its manifest store fetched apart, on demand).
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub manifest_label: String,
    pub sha256: String,
    pub path: String,
    pub signer: Option<String>,
    pub record_json: Option<String>,
    pub admission: String,
    pub fingerprint: Vec<u8>,
    pub iscc: Option<String>,
    pub added_at: String,
}

/// A schema migration done (or found unneeded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Migrated {
    /// The version found; 0 for a new, empty catalog.
    pub from: u32,
    pub to: u32,
}

/// Counts of what a catalog holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub assets: u64,
    pub key_samples: u64,
    /// (value, assets) per column, most first; `None` values as "(none)".
    pub by_tool: Vec<(String, u64)>,
    pub by_operator: Vec<(String, u64)>,
    pub by_licence: Vec<(String, u64)>,
    pub by_admission: Vec<(String, u64)>,
}

/// The columns [`Counts`] groups by, in its order.
pub const GROUPED: [&str; 4] = ["tool", "operator", "licence", "admission"];

/// A storage engine holding a catalog.
pub trait Catalog: Send {
    /// The schema version the catalog holds (0: none yet).
    fn version(&mut self) -> Result<u32>;
    /// Open the transaction a migration runs in, holding off other
    /// migrators until it ends.
    fn begin_migration(&mut self) -> Result<()>;
    /// Within that transaction: bring the schema from version `from` to
    /// [`SCHEMA_VERSION`] and record it in `credits_schema`.
    fn upgrade(&mut self, from: u32) -> Result<()>;
    /// Open a write transaction; nothing written in it is visible to
    /// others until [`Catalog::commit`].
    fn begin(&mut self) -> Result<()>;
    /// Insert `row` in the open transaction, or refresh the asset with the
    /// same manifest label and content hash; whether it was new.
    fn insert(&mut self, row: &Row) -> Result<bool>;
    fn commit(&mut self) -> Result<()>;
    /// Undo an open write transaction (nothing if none is open).
    fn rollback(&mut self);
    /// (asset id, key hash) for each stored key sharing a band with `probe`.
    fn hits(&mut self, probe: &Probe) -> Result<Vec<(i64, u64)>>;
    /// The assets with these ids.
    fn assets(&mut self, ids: &[i64]) -> Result<Vec<Stored>>;
    /// The assets with this manifest label (one per content hash).
    fn by_label(&mut self, label: &str) -> Result<Vec<Stored>>;
    /// The manifest store kept for `label`.
    fn manifest_store(&mut self, label: &str) -> Result<Option<Vec<u8>>>;
    /// The one number `sql` answers.
    fn count(&mut self, sql: &str) -> Result<u64>;
    /// The (text, count) rows `sql` answers.
    fn tally(&mut self, sql: &str) -> Result<Vec<(String, u64)>>;
}

/// Bring `catalog` (shown as `shown`) to [`SCHEMA_VERSION`] in one
/// transaction. A current catalog is not written (a read-only role can
/// look up); a newer one is refused.
pub fn migrate(catalog: &mut dyn Catalog, shown: &str) -> Result<Migrated> {
    let found = catalog.version()?;
    if found >= SCHEMA_VERSION {
        return match found {
            SCHEMA_VERSION => Ok(Migrated {
                from: found,
                to: found,
            }),
            _ => Err(newer(shown, found)),
        };
    }
    catalog.begin_migration()?;
    match upgrade_within(catalog, shown) {
        Ok(m) => catalog.commit().map(|()| m),
        Err(e) => {
            catalog.rollback();
            Err(e)
        }
    }
}

/// The migration, inside its transaction: the version read again, since
/// another migrator may have finished first.
fn upgrade_within(catalog: &mut dyn Catalog, shown: &str) -> Result<Migrated> {
    let from = catalog.version()?;
    if from > SCHEMA_VERSION {
        return Err(newer(shown, from));
    }
    if from < SCHEMA_VERSION {
        catalog.upgrade(from)?;
    }
    Ok(Migrated {
        from,
        to: SCHEMA_VERSION,
    })
}

/// What `catalog` holds: assets, keys, and assets per [`GROUPED`] column.
pub fn counts(catalog: &mut dyn Catalog) -> Result<Counts> {
    let mut grouped = Vec::new();
    for column in GROUPED {
        grouped.push(catalog.tally(&format!(
            "SELECT COALESCE({column}, '(none)'), COUNT(*) FROM assets GROUP BY 1 ORDER BY 2 DESC, 1"
        ))?);
    }
    let mut grouped = grouped.into_iter();
    let mut next = || grouped.next().unwrap_or_default();
    Ok(Counts {
        assets: catalog.count("SELECT COUNT(*) FROM assets")?,
        key_samples: catalog.count("SELECT COUNT(*) FROM keys")?,
        by_tool: next(),
        by_operator: next(),
        by_licence: next(),
        by_admission: next(),
    })
}

/// The columns a lookup reads, in [`Stored`]'s order.
pub const STORED_COLUMNS: &str =
    "id, manifest_label, sha256, path, signer, record_json, admission, fingerprint, iscc, added_at";

/// Now, as the catalog stores times.
pub fn now() -> String {
    crate::sys::time::now()
}

/// The refusal of a catalog made by a newer credits.
pub fn newer(catalog: &str, found: u32) -> Error {
    Error::Catalog {
        catalog: catalog.to_string(),
        failure: CatalogFailure::Schema,
        reason: format!(
            "its schema is version {found}, newer than this credits knows ({SCHEMA_VERSION})"
        ),
    }
}
