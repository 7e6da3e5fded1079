//! The hard binding's byte ranges judged against the file: a data hash
//! may leave out only the manifest store ([`crate::media::exclusions`]).

use std::fs::File;
use std::path::Path;

use super::verdict::{Finding, ManifestSource, Verdict};
use crate::media::exclusions::{self, Placement};

/// The data hash's exclusions against the file: each must hold only the
/// manifest store in its framing ([`exclusions`]); anything else is
/// `assertion.dataHash.mismatch`, as C2PA 2.2 requires and our pinned SDK
/// does not check.
pub(super) fn check_exclusions(v: &mut Verdict, path: &Path, store: Option<&[u8]>, updated: bool) {
    let (Some(store), Some(label)) = (store, v.manifest_label.clone()) else {
        return;
    };
    let placement = match (&v.manifest_source, updated) {
        (Some(ManifestSource::Sidecar(_)), _) => Placement::Sidecar,
        (_, true) => Placement::Updated,
        _ => Placement::Embedded,
    };
    let found = exclusions::of_manifest(store, &label).and_then(|list| {
        let mut file = File::open(path).map_err(|e| e.to_string())?;
        exclusions::check(&mut file, &v.format, store, &list, placement).map_err(|e| e.to_string())
    });
    let details = match found {
        Ok(details) => details,
        Err(e) => vec![format!(
            "the data hash's exclusions could not be checked: {e}"
        )],
    };
    for detail in details {
        if !v
            .codes
            .failure
            .iter()
            .any(|c| c == exclusions::DATA_HASH_MISMATCH)
        {
            v.codes.failure.push(exclusions::DATA_HASH_MISMATCH.into());
        }
        v.add_finding(Finding {
            code: exclusions::UNHASHED.into(),
            detail,
        });
    }
}
