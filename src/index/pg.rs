//! The shared catalog: a PostgreSQL database many machines write to. Each
//! write is one transaction; an insert keyed by manifest label and content
//! hash (`ON CONFLICT`) makes concurrent and repeated writes idempotent, and
//! schema migrations take an advisory lock so two first users do not race.

use postgres::error::SqlState;
use postgres::{Client, NoTls};

use super::bands::{self, Probe};
use super::catalog::{self, Catalog, Row, Stored, SCHEMA_VERSION, STORED_COLUMNS};
use super::location::Location;
use crate::error::{CatalogFailure, Error, Result};

const SCHEMA_2: &str = "
CREATE TABLE assets (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    manifest_label TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    path           TEXT NOT NULL,
    signer         TEXT,
    record_json    TEXT,
    tool           TEXT,
    operator       TEXT,
    licence        TEXT,
    admission      TEXT NOT NULL,
    fingerprint    BYTEA NOT NULL,
    manifest_store BYTEA NOT NULL,
    iscc           TEXT,
    added_at       TEXT NOT NULL,
    UNIQUE (manifest_label, sha256)
);
CREATE INDEX assets_sha256 ON assets(sha256);
CREATE TABLE keys (
    asset BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    hash  BIGINT NOT NULL,
    b0    INTEGER NOT NULL,
    b1    INTEGER NOT NULL,
    b2    INTEGER NOT NULL,
    PRIMARY KEY (asset, hash)
);
CREATE INDEX keys_b0 ON keys(b0) INCLUDE (hash, asset);
CREATE INDEX keys_b1 ON keys(b1) INCLUDE (hash, asset);
CREATE INDEX keys_b2 ON keys(b2) INCLUDE (hash, asset);
";

/// The advisory lock key migrations hold ("credits" in ASCII).
const MIGRATION_LOCK: i64 = 0x63_72_65_64_69_74_73;

/// A catalog on a PostgreSQL server.
pub struct Postgres {
    client: Client,
    shown: String,
}

impl Postgres {
    pub fn connect(location: &Location, url: &str) -> Result<Postgres> {
        let shown = location.to_string();
        let mut config: postgres::Config = url.parse().map_err(|e| Error::Catalog {
            catalog: shown.clone(),
            failure: CatalogFailure::Connect,
            reason: format!("not a PostgreSQL URL: {e}"),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        config.application_name("credits");
        let server = location.server().unwrap_or_else(|| "the server".into());
        let client = config.connect(NoTls).map_err(|e| {
            let mut err = failed(&shown, &e);
            if let Error::Catalog {
                reason, failure, ..
            } = &mut err
            {
                if *failure == CatalogFailure::Connect {
                    *reason = format!("cannot connect to {server}: {reason}");
                }
            }
            err
        })?;
        Ok(Postgres { client, shown })
    }

    fn err(&self, e: postgres::Error) -> Error {
        failed(&self.shown, &e)
    }

    fn stored(
        &mut self,
        sql: &str,
        args: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Stored>> {
        let rows = self
            .client
            .query(sql, args)
            .map_err(|e| failed(&self.shown, &e))?;
        Ok(rows
            .iter()
            .map(|r| Stored {
                id: r.get(0),
                manifest_label: r.get(1),
                sha256: r.get(2),
                path: r.get(3),
                signer: r.get(4),
                record_json: r.get(5),
                admission: r.get(6),
                fingerprint: r.get(7),
                iscc: r.get(8),
                added_at: r.get(9),
            })
            .collect())
    }

    fn upsert(&mut self, row: &Row) -> Result<bool> {
        let got = self
            .client
            .query_one(
                "INSERT INTO assets (manifest_label, sha256, path, signer, record_json, tool,
                 operator, licence, admission, fingerprint, manifest_store, iscc, added_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 ON CONFLICT (manifest_label, sha256) DO UPDATE SET path = EXCLUDED.path,
                 signer = EXCLUDED.signer, record_json = EXCLUDED.record_json,
                 tool = EXCLUDED.tool, operator = EXCLUDED.operator, licence = EXCLUDED.licence,
                 admission = EXCLUDED.admission, fingerprint = EXCLUDED.fingerprint,
                 manifest_store = EXCLUDED.manifest_store, iscc = EXCLUDED.iscc,
                 added_at = EXCLUDED.added_at
                 RETURNING id, (xmax = 0) AS inserted",
                &[
                    &row.manifest_label,
                    &row.sha256,
                    &row.path,
                    &row.signer,
                    &row.record_json,
                    &row.tool,
                    &row.operator,
                    &row.licence,
                    &row.admission,
                    &row.fingerprint,
                    &row.manifest_store,
                    &row.iscc,
                    &row.added_at,
                ],
            )
            .map_err(|e| self.err(e))?;
        let (id, inserted): (i64, bool) = (got.get(0), got.get(1));
        if !inserted {
            self.client
                .execute("DELETE FROM keys WHERE asset = $1", &[&id])
                .map_err(|e| self.err(e))?;
        }
        let (mut hashes, mut b) = (Vec::new(), [Vec::new(), Vec::new(), Vec::new()]);
        for &key in &row.keys {
            hashes.push(key as i64);
            for (band, value) in bands::bands(key).into_iter().enumerate() {
                b[band].push(value);
            }
        }
        self.client
            .execute(
                "INSERT INTO keys (asset, hash, b0, b1, b2)
                 SELECT $1, * FROM unnest($2::BIGINT[], $3::INTEGER[], $4::INTEGER[], $5::INTEGER[])
                 ON CONFLICT DO NOTHING",
                &[&id, &hashes, &b[0], &b[1], &b[2]],
            )
            .map_err(|e| self.err(e))?;
        Ok(inserted)
    }
}

impl Catalog for Postgres {
    fn version(&mut self) -> Result<u32> {
        let exists: bool = self
            .client
            .query_one("SELECT to_regclass('credits_schema') IS NOT NULL", &[])
            .map_err(|e| self.err(e))?
            .get(0);
        if !exists {
            return Ok(0);
        }
        let v: Option<i32> = self
            .client
            .query_one("SELECT MAX(version) FROM credits_schema", &[])
            .map_err(|e| self.err(e))?
            .get(0);
        Ok(v.unwrap_or(0) as u32)
    }

    fn begin_migration(&mut self) -> Result<()> {
        // The version table first, outside the transaction, so readers of
        // a new database see version 0 rather than an error.
        self.client
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS credits_schema (version INTEGER NOT NULL, applied_at TEXT NOT NULL)",
            )
            .or_else(|e| match e.code() {
                // Two first users at once: the other one created it.
                Some(c) if *c == SqlState::UNIQUE_VIOLATION => Ok(()),
                _ => Err(e),
            })
            .map_err(|e| self.err(e))?;
        self.begin()?;
        self.client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn upgrade(&mut self, _from: u32) -> Result<()> {
        // PostgreSQL catalogs start at schema 2: only creation so far.
        self.client
            .batch_execute(SCHEMA_2)
            .map_err(|e| self.err(e))?;
        self.client
            .execute(
                "INSERT INTO credits_schema (version, applied_at) VALUES ($1, $2)",
                &[&(SCHEMA_VERSION as i32), &catalog::now()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn begin(&mut self) -> Result<()> {
        self.client.batch_execute("BEGIN").map_err(|e| self.err(e))
    }

    fn insert(&mut self, row: &Row) -> Result<bool> {
        self.upsert(row)
    }

    fn commit(&mut self) -> Result<()> {
        self.client.batch_execute("COMMIT").map_err(|e| self.err(e))
    }

    fn rollback(&mut self) {
        let _ = self.client.batch_execute("ROLLBACK");
    }

    fn hits(&mut self, probe: &Probe) -> Result<Vec<(i64, u64)>> {
        let [v0, v1, v2] = [0, 1, 2].map(|b| probe.values(b));
        // Index probes whatever the statistics say: a catalog just filled
        // (autovacuum not yet run) would otherwise be scanned whole.
        let mut tx = self
            .client
            .transaction()
            .map_err(|e| failed(&self.shown, &e))?;
        tx.batch_execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0",
        )
        .map_err(|e| failed(&self.shown, &e))?;
        let rows = tx
            .query(
                "SELECT asset, hash FROM keys WHERE b0 = ANY($1)
                 UNION ALL SELECT asset, hash FROM keys WHERE b1 = ANY($2)
                 UNION ALL SELECT asset, hash FROM keys WHERE b2 = ANY($3)",
                &[&v0, &v1, &v2],
            )
            .map_err(|e| failed(&self.shown, &e))?;
        tx.commit().map_err(|e| failed(&self.shown, &e))?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<_, i64>(0), r.get::<_, i64>(1) as u64))
            .collect())
    }

    fn assets(&mut self, ids: &[i64]) -> Result<Vec<Stored>> {
        let sql = format!("SELECT {STORED_COLUMNS} FROM assets WHERE id = ANY($1) ORDER BY id");
        let ids = ids.to_vec();
        self.stored(&sql, &[&ids])
    }

    fn by_label(&mut self, label: &str) -> Result<Vec<Stored>> {
        let sql =
            format!("SELECT {STORED_COLUMNS} FROM assets WHERE manifest_label = $1 ORDER BY id");
        self.stored(&sql, &[&label])
    }

    fn manifest_store(&mut self, label: &str) -> Result<Option<Vec<u8>>> {
        let row = self
            .client
            .query_opt(
                "SELECT manifest_store FROM assets WHERE manifest_label = $1 ORDER BY id LIMIT 1",
                &[&label],
            )
            .map_err(|e| self.err(e))?;
        Ok(row.map(|r| r.get(0)))
    }

    fn count(&mut self, sql: &str) -> Result<u64> {
        let row = self.client.query_one(sql, &[]).map_err(|e| self.err(e))?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    fn tally(&mut self, sql: &str) -> Result<Vec<(String, u64)>> {
        let rows = self.client.query(sql, &[]).map_err(|e| self.err(e))?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64))
            .collect())
    }
}

/// A PostgreSQL failure as the catalog error it is: unreachable, refused
/// credentials, or a failed statement.
fn failed(shown: &str, e: &postgres::Error) -> Error {
    let failure = match e.code() {
        Some(c)
            if *c == SqlState::INVALID_PASSWORD
                || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
        {
            CatalogFailure::Auth
        }
        Some(c) if *c == SqlState::INVALID_CATALOG_NAME => CatalogFailure::Connect,
        Some(_) => CatalogFailure::Query,
        None if e.is_closed() || e.as_db_error().is_none() => CatalogFailure::Connect,
        None => CatalogFailure::Query,
    };
    let reason = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut s = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(inner) = source {
                s = format!("{s}: {inner}");
                source = inner.source();
            }
            s
        }
    };
    Error::Catalog {
        catalog: shown.to_string(),
        failure,
        reason,
    }
}
