//! The local provenance index (SQLite): every stamped asset's fingerprint,
//! manifest store, record and path, so footage whose bytes changed can be
//! traced back to what was signed.
//!
//! Lookup compares a query fingerprint (every frame) with each indexed
//! fingerprint (`fingerprint::align`) after a cheap prefilter on a handful of
//! query frames; a studio's index holds thousands of assets, not millions.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::verify::Verifier;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::media::fingerprint::{self, Fingerprint};
use crate::media::progress::Progress;
use crate::media::{self, Format, Sampling};
use crate::record::GenerationRecord;
use crate::stamp::Stamped;
use crate::verify::{self, ManifestSource, Recovery, State, Verdict};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS assets (
    manifest_label TEXT PRIMARY KEY,
    path           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    signer         TEXT,
    record_json    TEXT,
    fingerprint    BLOB NOT NULL,
    manifest_store BLOB NOT NULL,
    added_at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS assets_sha256 ON assets(sha256);
";

/// One indexed asset.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    pub sha256: String,
    pub manifest_label: String,
    pub signer: Option<String>,
    pub record: Option<GenerationRecord>,
    pub fingerprint: Fingerprint,
    /// The manifest store (JUMBF), as a `.c2pa` sidecar would hold it.
    pub manifest_store: Vec<u8>,
}

/// One stored asset, as a lookup reads it.
struct Row {
    label: String,
    path: String,
    sha256: String,
    signer: Option<String>,
    record: Option<String>,
    fingerprint: Vec<u8>,
    iscc: Option<String>,
}

impl Row {
    /// What the stored asset says about `query`, aligned as `a` says.
    fn recovery(self, a: &fingerprint::Alignment, query: &Fingerprint) -> Recovery {
        Recovery {
            original: PathBuf::from(self.path),
            manifest_label: self.label,
            original_sha256: self.sha256,
            matched_samples: a.matching,
            compared_samples: a.overlapping,
            similarity: (a.similarity * 1000.0).round() / 1000.0,
            offset_s: a.offset_ms as f64 / 1000.0,
            signer: self.signer,
            // Judged again by `recover`, against today's anchors.
            signer_state: State::Invalid,
            issuer_fingerprint: None,
            record: self.record.and_then(|r| serde_json::from_str(&r).ok()),
            iscc_distance: self
                .iscc
                .zip(query.iscc.as_ref())
                .and_then(|(stored, found)| media::iscc::distance(&stored, found)),
            note: "bytes differ from the signed original (re-encoded, scaled, trimmed or edited)"
                .into(),
        }
    }
}

/// Whether [`Index::add`] inserted or replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Added {
    New,
    Updated,
}

/// An open provenance index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
}

impl Index {
    /// Open (creating if needed) the index at `path`.
    pub fn open(path: &Path) -> Result<Index> {
        let err = |source| Error::Index {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.execute_batch(SCHEMA).map_err(err)?;
        // Indexes made before issue 13 gain the ISCC column in place (one
        // atomic statement); their entries have no code.
        if conn.prepare("SELECT iscc FROM assets LIMIT 0").is_err() {
            conn.execute_batch("ALTER TABLE assets ADD COLUMN iscc TEXT")
                .map_err(err)?;
        }
        Ok(Index {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn err(&self, source: rusqlite::Error) -> Error {
        Error::Index {
            path: self.path.clone(),
            source,
        }
    }

    /// Insert `entry`, or replace the one with the same manifest label.
    pub fn add(&self, entry: &Entry) -> Result<Added> {
        let exists: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 FROM assets WHERE manifest_label = ?1",
                params![entry.manifest_label],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let record = entry
            .record
            .as_ref()
            .and_then(|r| serde_json::to_string(r).ok());
        self.conn
            .execute(
                "INSERT OR REPLACE INTO assets
                 (manifest_label, path, sha256, signer, record_json, fingerprint, manifest_store, added_at, iscc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    entry.manifest_label,
                    entry.path.to_string_lossy(),
                    entry.sha256,
                    entry.signer,
                    record,
                    entry.fingerprint.to_bytes(),
                    entry.manifest_store,
                    crate::keys::rfc3339(time::OffsetDateTime::now_utc()),
                    entry.fingerprint.iscc,
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(if exists.is_some() {
            Added::Updated
        } else {
            Added::New
        })
    }

    /// The indexed asset `query` (every frame hashed) is, if any.
    pub fn lookup(&self, query: &Fingerprint) -> Result<Option<Recovery>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT manifest_label, path, sha256, signer, record_json, fingerprint, iscc FROM assets",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Row {
                    label: r.get(0)?,
                    path: r.get(1)?,
                    sha256: r.get(2)?,
                    signer: r.get(3)?,
                    record: r.get(4)?,
                    fingerprint: r.get(5)?,
                    iscc: r.get(6)?,
                })
            })
            .map_err(|e| self.err(e))?;
        let probes = probe_frames(query);
        let mut best: Option<(fingerprint::Alignment, Row)> = None;
        for row in rows {
            let row = row.map_err(|e| self.err(e))?;
            let Some(stored) = Fingerprint::from_bytes(&row.fingerprint) else {
                continue;
            };
            if !prefilter(&stored, &probes) {
                continue;
            }
            let Some(a) = fingerprint::align(&stored, query) else {
                continue;
            };
            if !a.is_match(stored.samples.len()) {
                continue;
            }
            let better = best.as_ref().is_none_or(|(b, _)| {
                (a.matching, a.similarity.to_bits()) > (b.matching, b.similarity.to_bits())
            });
            if better {
                best = Some((a, row));
            }
        }
        Ok(best.map(|(a, row)| row.recovery(&a, query)))
    }

    /// The manifest store kept for `manifest_label`.
    pub fn manifest_store(&self, manifest_label: &str) -> Result<Option<Vec<u8>>> {
        self.conn
            .query_row(
                "SELECT manifest_store FROM assets WHERE manifest_label = ?1",
                params![manifest_label],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }
}

/// Up to 16 query frames spread over the file, for the prefilter.
fn probe_frames(query: &Fingerprint) -> Vec<u64> {
    let n = query.samples.len();
    let step = (n / 16).max(1);
    query.samples.iter().step_by(step).map(|s| s.hash).collect()
}

/// Whether any probe frame is close to any stored sample.
fn prefilter(stored: &Fingerprint, probes: &[u64]) -> bool {
    stored.samples.iter().any(|s| {
        probes
            .iter()
            .any(|&p| media::phash::distance(s.hash, p) <= fingerprint::FRAME_THRESHOLD)
    })
}

/// The index entry for an asset just stamped.
pub fn entry_from_stamped(stamped: &Stamped, signer: &str) -> Option<Entry> {
    Some(Entry {
        path: absolute(&stamped.media),
        sha256: media::sha256_file(&stamped.media).ok()?,
        manifest_label: stamped.manifest_label.clone(),
        signer: Some(signer.to_string()),
        record: Some(stamped.record.clone()),
        fingerprint: stamped.fingerprint.clone()?,
        manifest_store: stamped.manifest_store.clone(),
    })
}

/// The index entry for a signed file on disk: it must verify as intact.
/// `progress` hears how far a fingerprint decode has come.
pub fn entry_from_file(
    ctx: &Verifier,
    path: &Path,
    anchored: bool,
    progress: Progress,
) -> Result<Entry> {
    let not = |reason: String| Error::NotIndexable {
        path: path.to_path_buf(),
        reason,
    };
    let v = verify::verify_file(ctx, path);
    match v.state {
        State::Trusted => {}
        State::Valid if !anchored => {}
        State::Valid => {
            let why = "its signer does not chain to the given trust anchors".to_string();
            return Err(not(why));
        }
        state => return Err(not(format!("it verifies as {}", state.as_str()))),
    }
    let fingerprint = match &v.soft_binding {
        Some(sb) => sb.fingerprint.clone(),
        None => {
            let format = Format::detect(path).map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
            media::analyze_with_progress(path, format, Sampling::Stamp, progress)
                .map_err(|reason| Error::Decode {
                    path: path.to_path_buf(),
                    reason,
                })?
                .ok_or_else(|| not("no perceptual fingerprint for this format".into()))?
                .1
        }
    };
    Ok(Entry {
        path: absolute(path),
        sha256: media::sha256_file(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?,
        manifest_label: v
            .manifest_label
            .clone()
            .ok_or_else(|| not("no manifest label".into()))?,
        signer: v.signer.as_ref().and_then(|s| s.common_name.clone()),
        record: v.record.clone(),
        fingerprint,
        manifest_store: manifest_store(path, &v)?,
    })
}

/// The path as stored: absolute, so the index means the same from anywhere.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The manifest store bytes: the sidecar file, or the JUMBF embedded in the asset.
fn manifest_store(path: &Path, v: &Verdict) -> Result<Vec<u8>> {
    let read_err = |p: &Path, source| Error::Read {
        path: p.to_path_buf(),
        source,
    };
    match &v.manifest_source {
        Some(ManifestSource::Embedded) | None => {
            let mut file = File::open(path).map_err(|e| read_err(path, e))?;
            c2pa::jumbf_io::load_jumbf_from_stream(&v.format, &mut file).map_err(|e| {
                Error::NotIndexable {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                }
            })
        }
        Some(ManifestSource::Sidecar(sidecar)) => {
            std::fs::read(sidecar).map_err(|e| read_err(sidecar, e))
        }
    }
}

/// `verify --recover`: when `verdict` needs it, look the file up by
/// fingerprint (every frame decoded; `progress` hears how far) and turn the
/// verdict into `recovered` on a match.
pub fn recover(
    ctx: &Verifier,
    index: &Index,
    verdict: &mut Verdict,
    progress: Progress,
) -> Result<()> {
    if !verdict.needs_recovery() {
        return Ok(());
    }
    let format = Format::detect(&verdict.path).map_err(|source| Error::Read {
        path: verdict.path.clone(),
        source,
    })?;
    let query = match media::analyze_with_progress(&verdict.path, format, Sampling::Query, progress)
    {
        Ok(Some((_, fp))) => fp,
        Ok(None) => return Ok(()),
        Err(reason) => {
            return Err(Error::Decode {
                path: verdict.path.clone(),
                reason,
            })
        }
    };
    if let Some(mut found) = index.lookup(&query)? {
        if let Some(store) = index.manifest_store(&found.manifest_label)? {
            let (state, signer) = verify::signature_only(ctx, &store, &verdict.path, format);
            found.signer_state = state;
            found.issuer_fingerprint = signer.and_then(|s| s.issuer_fingerprint);
        }
        verdict.state = State::Recovered;
        verdict.recovery = Some(found);
    }
    Ok(())
}
