//! The embedded catalog: one SQLite file, no server. WAL mode and a busy
//! timeout let several processes on one machine write at once; every write
//! is one `BEGIN IMMEDIATE` transaction.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

use super::bands::{self, Probe};
use super::catalog::{self, Admission, Catalog, Row, Stored, SCHEMA_VERSION, STORED_COLUMNS};
use super::entry::Entry;
use crate::error::{CatalogFailure, Error, Result};
use crate::media::fingerprint::Fingerprint;

const SCHEMA_2: &str = "
CREATE TABLE assets (
    id             INTEGER PRIMARY KEY,
    manifest_label TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    path           TEXT NOT NULL,
    signer         TEXT,
    record_json    TEXT,
    tool           TEXT,
    operator       TEXT,
    licence        TEXT,
    admission      TEXT NOT NULL,
    fingerprint    BLOB NOT NULL,
    manifest_store BLOB NOT NULL,
    iscc           TEXT,
    added_at       TEXT NOT NULL,
    UNIQUE (manifest_label, sha256)
);
CREATE INDEX assets_sha256 ON assets(sha256);
CREATE TABLE keys (
    asset INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    hash  INTEGER NOT NULL,
    b0    INTEGER NOT NULL,
    b1    INTEGER NOT NULL,
    b2    INTEGER NOT NULL,
    PRIMARY KEY (asset, hash)
) WITHOUT ROWID;
CREATE INDEX keys_b0 ON keys(b0, hash, asset);
CREATE INDEX keys_b1 ON keys(b1, hash, asset);
CREATE INDEX keys_b2 ON keys(b2, hash, asset);
CREATE TABLE credits_schema (version INTEGER NOT NULL, applied_at TEXT NOT NULL);
";

/// A catalog in a SQLite file.
pub struct Sqlite {
    conn: Connection,
    path: PathBuf,
}

impl Sqlite {
    pub fn open(path: &Path) -> Result<Sqlite> {
        let conn = Connection::open(path).map_err(|e| failed(path, e))?;
        let db = Sqlite {
            conn,
            path: path.to_path_buf(),
        };
        db.conn
            .busy_timeout(Duration::from_secs(60))
            .map_err(|e| db.err(e))?;
        // WAL: readers never wait for a writer, writers queue on the lock.
        db.conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0))
            .map_err(|e| db.err(e))?;
        db.conn
            .execute_batch("PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144")
            .map_err(|e| db.err(e))?;
        Ok(db)
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        failed(&self.path, e)
    }

    fn has_table(&self, name: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                params![name],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| self.err(e))
    }

    /// Schema 1 → 2 inside the open transaction: rows re-keyed, their
    /// record's columns and band keys filled in.
    fn upgrade_from_1(&mut self) -> Result<()> {
        let has_iscc = self.conn.prepare("SELECT iscc FROM assets LIMIT 0").is_ok();
        let iscc = if has_iscc { "iscc" } else { "NULL" };
        self.conn
            .execute_batch(
                "ALTER TABLE assets RENAME TO assets_v1; DROP INDEX IF EXISTS assets_sha256;",
            )
            .map_err(|e| self.err(e))?;
        self.conn.execute_batch(SCHEMA_2).map_err(|e| self.err(e))?;
        let old: Vec<Entry> = {
            let sql = format!(
                "SELECT manifest_label, path, sha256, signer, record_json, fingerprint, manifest_store, {iscc} FROM assets_v1"
            );
            let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
            let rows = stmt
                .query_map([], |r| {
                    let fp: Vec<u8> = r.get(5)?;
                    let mut fingerprint = Fingerprint::from_bytes(&fp).unwrap_or(Fingerprint {
                        samples: Vec::new(),
                        iscc: None,
                    });
                    fingerprint.iscc = r.get(7)?;
                    let record: Option<String> = r.get(4)?;
                    Ok(Entry {
                        manifest_label: r.get(0)?,
                        path: PathBuf::from(r.get::<_, String>(1)?),
                        sha256: r.get(2)?,
                        signer: r.get(3)?,
                        record: record.and_then(|r| serde_json::from_str(&r).ok()),
                        fingerprint,
                        manifest_store: r.get(6)?,
                        admission: Admission::Unrecorded,
                    })
                })
                .map_err(|e| self.err(e))?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(|e| self.err(e))?
        };
        for entry in &old {
            self.upsert(&entry.row())?;
        }
        self.conn
            .execute_batch("DROP TABLE assets_v1")
            .map_err(|e| self.err(e))
    }

    /// Insert or refresh `row` and its keys (inside a transaction).
    fn upsert(&mut self, row: &Row) -> Result<bool> {
        let existing: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM assets WHERE manifest_label = ?1 AND sha256 = ?2",
                params![row.manifest_label, row.sha256],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let values = params![
            row.manifest_label,
            row.sha256,
            row.path,
            row.signer,
            row.record_json,
            row.tool,
            row.operator,
            row.licence,
            row.admission,
            row.fingerprint,
            row.manifest_store,
            row.iscc,
            row.added_at,
        ];
        let id = match existing {
            Some(id) => {
                self.conn
                    .execute(
                        "UPDATE assets SET manifest_label = ?1, sha256 = ?2, path = ?3, signer = ?4,
                         record_json = ?5, tool = ?6, operator = ?7, licence = ?8, admission = ?9,
                         fingerprint = ?10, manifest_store = ?11, iscc = ?12, added_at = ?13
                         WHERE id = ?14",
                        params_from_iter(values.iter().copied().chain([&id as &dyn rusqlite::ToSql])),
                    )
                    .map_err(|e| self.err(e))?;
                self.conn
                    .execute("DELETE FROM keys WHERE asset = ?1", params![id])
                    .map_err(|e| self.err(e))?;
                id
            }
            None => {
                self.conn
                    .execute(
                        "INSERT INTO assets (manifest_label, sha256, path, signer, record_json, tool,
                         operator, licence, admission, fingerprint, manifest_store, iscc, added_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                        values,
                    )
                    .map_err(|e| self.err(e))?;
                self.conn.last_insert_rowid()
            }
        };
        self.insert_keys(id, &row.keys)?;
        Ok(existing.is_none())
    }

    /// The band keys of asset `id`.
    fn insert_keys(&self, id: i64, keys: &[u64]) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO keys (asset, hash, b0, b1, b2) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(|e| failed(&self.path, e))?;
        for &key in keys {
            let [b0, b1, b2] = bands::bands(key);
            stmt.execute(params![id, key as i64, b0, b1, b2])
                .map_err(|e| failed(&self.path, e))?;
        }
        Ok(())
    }

    fn stored(&self, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Stored>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(args, |r| {
                Ok(Stored {
                    id: r.get(0)?,
                    manifest_label: r.get(1)?,
                    sha256: r.get(2)?,
                    path: r.get(3)?,
                    signer: r.get(4)?,
                    record_json: r.get(5)?,
                    admission: r.get(6)?,
                    fingerprint: r.get(7)?,
                    iscc: r.get(8)?,
                    added_at: r.get(9)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }
}

impl Catalog for Sqlite {
    fn version(&mut self) -> Result<u32> {
        if self.has_table("credits_schema")? {
            let v: Option<i64> = self
                .conn
                .query_row("SELECT MAX(version) FROM credits_schema", [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            return Ok(v.unwrap_or(0) as u32);
        }
        Ok(if self.has_table("assets")? { 1 } else { 0 })
    }

    fn begin_migration(&mut self) -> Result<()> {
        self.begin()
    }

    fn upgrade(&mut self, from: u32) -> Result<()> {
        match from {
            0 => self.conn.execute_batch(SCHEMA_2).map_err(|e| self.err(e))?,
            _ => self.upgrade_from_1()?,
        }
        self.conn
            .execute(
                "INSERT INTO credits_schema (version, applied_at) VALUES (?1, ?2)",
                params![SCHEMA_VERSION, catalog::now()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn begin(&mut self) -> Result<()> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))
    }

    fn insert(&mut self, row: &Row) -> Result<bool> {
        self.upsert(row)
    }

    fn commit(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))
    }

    fn rollback(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    fn hits(&mut self, probe: &Probe) -> Result<Vec<(i64, u64)>> {
        let mut out = Vec::new();
        for (band, column) in ["b0", "b1", "b2"].iter().enumerate() {
            let sql = format!("SELECT asset, hash FROM keys WHERE {column} = ?1");
            let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
            for value in probe.values(band) {
                let rows = stmt
                    .query_map(params![value], |r| {
                        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u64))
                    })
                    .map_err(|e| failed(&self.path, e))?;
                for row in rows {
                    out.push(row.map_err(|e| failed(&self.path, e))?);
                }
            }
        }
        Ok(out)
    }

    fn assets(&mut self, ids: &[i64]) -> Result<Vec<Stored>> {
        let sql = format!("SELECT {STORED_COLUMNS} FROM assets WHERE id = ?1");
        let mut out = Vec::new();
        for id in ids {
            out.extend(self.stored(&sql, &[id])?);
        }
        Ok(out)
    }

    fn by_label(&mut self, label: &str) -> Result<Vec<Stored>> {
        let sql =
            format!("SELECT {STORED_COLUMNS} FROM assets WHERE manifest_label = ?1 ORDER BY id");
        self.stored(&sql, &[&label])
    }

    fn manifest_store(&mut self, label: &str) -> Result<Option<Vec<u8>>> {
        self.conn
            .query_row(
                "SELECT manifest_store FROM assets WHERE manifest_label = ?1 ORDER BY id LIMIT 1",
                params![label],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    fn count(&mut self, sql: &str) -> Result<u64> {
        self.conn
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    fn tally(&mut self, sql: &str) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
            .map_err(|e| failed(&self.path, e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| failed(&self.path, e))
    }
}

/// A SQLite failure as the catalog error it is.
fn failed(path: &Path, e: rusqlite::Error) -> Error {
    let failure = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => CatalogFailure::Schema,
        Some(rusqlite::ErrorCode::CannotOpen) => CatalogFailure::Connect,
        _ => CatalogFailure::Query,
    };
    Error::Catalog {
        catalog: path.display().to_string(),
        failure,
        reason: e.to_string(),
    }
}
