//! One catalog entry as the library hands it over, and the row it becomes.

use std::path::PathBuf;

use super::bands;
use super::catalog::{now, Admission, Row};
use crate::media::fingerprint::Fingerprint;
use crate::record::GenerationRecord;

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
    pub admission: Admission,
}

impl Entry {
    pub(super) fn row(&self) -> Row<'_> {
        let record = self.record.as_ref();
        Row {
            manifest_label: &self.manifest_label,
            sha256: &self.sha256,
            path: self.path.to_string_lossy().into_owned(),
            signer: self.signer.as_deref(),
            record_json: record.and_then(|r| serde_json::to_string(r).ok()),
            tool: record.map(|r| r.tool.name.as_str()),
            operator: record.map(|r| r.operator.name.as_str()),
            licence: record
                .and_then(|r| r.license.as_ref())
                .map(|l| l.id.as_str()),
            admission: self.admission.as_str(),
            fingerprint: self.fingerprint.to_bytes(),
            manifest_store: &self.manifest_store,
            iscc: self.fingerprint.iscc.as_deref(),
            added_at: now(),
            keys: bands::keys(&self.fingerprint),
        }
    }
}
