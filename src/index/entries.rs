//! What goes into the catalog and what comes out of it for a verdict: the
//! entry for a freshly stamped asset or a signed file on disk, and
//! `verify --recover`.

use std::fs::File;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use super::catalog::Admission;
use super::entry::Entry;
use super::handle::{Added, Index, Pending};
use crate::error::{Error, Result};
use crate::media::fingerprint::Fingerprint;
use crate::media::progress::Progress;
use crate::media::{self, Format, Sampling};
use crate::stamp::recorder::{Begun, Landed, Landing, Recorded, Recorder};
use crate::verify::{self, ManifestSource, State, Verdict, Verifier};

/// The entry for an asset about to land: its final path, the hash of
/// its final bytes.
fn entry_from_landing(landing: &Landing, fingerprint: &Fingerprint) -> Result<Entry> {
    let sha256 = media::sha256_file(landing.bytes).map_err(|source| Error::Read {
        path: landing.bytes.to_path_buf(),
        source,
    })?;
    let path = match (landing.media.parent(), landing.media.file_name()) {
        (Some(dir), Some(name)) => absolute(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
        .join(name),
        _ => landing.media.to_path_buf(),
    };
    Ok(Entry {
        path,
        sha256,
        manifest_label: landing.manifest_label.to_string(),
        signer: Some(landing.signer.to_string()),
        record: Some(landing.record.clone()),
        fingerprint: fingerprint.clone(),
        manifest_store: landing.manifest_store.to_vec(),
        admission: Admission::Stamped,
    })
}

/// A stamp's catalog: each signed file's entry written before its rename,
/// committed after.
impl Recorder for Index {
    fn begin<'a>(&'a self, landing: &Landing) -> Begun<'a> {
        let failed = |e| Begun::Done(Recorded::Failed(Arc::new(e)));
        let Some(fingerprint) = landing.fingerprint else {
            return Begun::Done(Recorded::NoFingerprint);
        };
        match entry_from_landing(landing, fingerprint).and_then(|e| Index::begin(self, &e)) {
            Ok(pending) => Begun::Open(Box::new(pending)),
            Err(e) => failed(e),
        }
    }
}

impl Landed for Pending<'_> {
    fn commit(self: Box<Self>) -> Recorded {
        match Pending::commit(*self) {
            Ok(Added::New) => Recorded::New,
            Ok(Added::Updated) => Recorded::Updated,
            Err(e) => Recorded::Failed(Arc::new(e)),
        }
    }
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
        admission: if v.state == State::Trusted {
            Admission::Trusted
        } else {
            Admission::Valid
        },
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
