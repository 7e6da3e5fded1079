//! A catalog told of each signed file in step with its rename into place:
//! the entry is written in a transaction before the rename and committed
//! right after it, so a process killed at any point leaves no entry for a
//! file that did not land. Two stores cannot change in one step: a kill
//! between a rename and its commit (one file per worker at most) leaves
//! that file landed without its entry, which `credits index add` replays.
//! A catalog that cannot be written
//! never stops the stamp: the signed file is kept and the failure is
//! reported for that file (`Recorded::Failed`).

use std::path::Path;
use std::sync::Arc;

use crate::error::Error;
use crate::media::fingerprint::Fingerprint;
use crate::record::GenerationRecord;

/// A signed asset about to be renamed into place.
pub struct Landing<'a> {
    /// Where the signed media will be.
    pub media: &'a Path,
    /// Where its final bytes are now (the temporary file, when embedded).
    pub bytes: &'a Path,
    pub manifest_label: &'a str,
    pub record: &'a GenerationRecord,
    pub fingerprint: Option<&'a Fingerprint>,
    pub manifest_store: &'a [u8],
    pub signer: &'a str,
}

/// What was signed, for the catalog.
pub(crate) struct Signed<'a> {
    pub manifest_label: &'a str,
    pub record: &'a GenerationRecord,
    pub fingerprint: Option<&'a Fingerprint>,
    pub manifest_store: &'a [u8],
}

/// What became of a signed file in the catalog.
#[derive(Debug, Clone)]
pub enum Recorded {
    New,
    Updated,
    /// No perceptual fingerprint (a format we cannot decode): not recorded.
    NoFingerprint,
    /// The catalog could not be written; the signed file is kept.
    Failed(Arc<Error>),
}

/// A write begun before the rename.
pub enum Begun<'a> {
    Open(Box<dyn Landed + 'a>),
    Done(Recorded),
}

/// An open catalog write: committed after the rename, rolled back if
/// dropped (the rename failed).
pub trait Landed {
    fn commit(self: Box<Self>) -> Recorded;
}

/// A catalog a [`Stamper`](super::Stamper) records into.
pub trait Recorder: Send + Sync {
    fn begin<'a>(&'a self, landing: &Landing) -> Begun<'a>;
}

/// The end of a write begun with [`Recorder::begin`].
pub fn finish(begun: Begun) -> Recorded {
    match begun {
        Begun::Open(write) => write.commit(),
        Begun::Done(recorded) => recorded,
    }
}
