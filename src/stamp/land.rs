//! One stamp's last step: the media copy and reveal file written, the
//! output renamed into place, and its catalog entry committed with the
//! rename (`recorder`).

use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::recorder::{self, Landing, Recorded, Signed};
use super::request::Replacing;
use super::stamper::{write_err, Stamper};
use super::target::{copy_media, same_file, Target};
use crate::error::Result;
use crate::prove::commitment::Reveal;
use crate::sys::atomic;

/// The reveal file to write, and where.
type RevealToWrite<'a> = (Option<&'a Reveal>, Option<PathBuf>);

impl Stamper {
    /// Write the media copy (sidecars into `--out`: the input, or the
    /// copy without its tags made for it) and the reveal file, then rename
    /// the output into place, its catalog entry committed with the rename;
    /// on failure remove what was written so no reveal file or copy is
    /// left without its asset.
    pub(super) fn commit(
        &self,
        input: &Path,
        target: &Target,
        ((reveal, reveal_path), remuxed): (RevealToWrite, Option<NamedTempFile>),
        temp: NamedTempFile,
        replacing: Replacing,
        signed: &Signed,
    ) -> Result<(Option<PathBuf>, Option<Recorded>)> {
        let media_copy = land_media(input, target, remuxed, replacing)?;
        let reveal_written = match (reveal, reveal_path) {
            (Some(r), Some(path)) => {
                let text = serde_json::to_vec_pretty(r).map_err(|e| write_err(&path, e.into()))?;
                // An existing reveal file was refused earlier unless
                // replacing was asked for; one appearing since is kept.
                atomic::private_dir(path.parent().unwrap_or(Path::new(".")))?;
                atomic::write(&path, &text, replacing.reveal, atomic::PRIVATE)?;
                Some(path)
            }
            _ => None,
        };
        // The signed file (or sidecar) keeps the input's permissions.
        let mode = atomic::mode_of(input);
        let temp_path = temp.path().to_path_buf();
        let landing = Landing {
            media: &target.media,
            bytes: if target.embedded {
                &temp_path
            } else {
                &target.media
            },
            manifest_label: signed.manifest_label,
            record: signed.record,
            fingerprint: signed.fingerprint,
            manifest_store: signed.manifest_store,
            signer: &self.identity().name,
        };
        // The entry is written (not yet committed) once the file is synced,
        // and committed right after the rename.
        let begin = || self.recorder().map(|r| r.begin(&landing));
        let mut recorded = None;
        let after = |begun: Option<_>| recorded = begun.map(recorder::finish);
        if let Err(e) =
            atomic::commit_around(temp, &target.output, replacing.output, mode, begin, after)
        {
            for p in reveal_written.iter().chain(&media_copy) {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
        Ok((reveal_written, recorded))
    }
}

/// A sidecar written into an output directory travels with a copy of its
/// media (or the copy made without its tags), so the directory holds
/// complete deliverables: where it landed.
fn land_media(
    input: &Path,
    target: &Target,
    remuxed: Option<NamedTempFile>,
    replacing: Replacing,
) -> Result<Option<PathBuf>> {
    match remuxed {
        Some(copy) => {
            let mode = atomic::mode_of(input);
            atomic::commit(copy, &target.media, replacing.output, mode)?;
            Ok(Some(target.media.clone()))
        }
        None if !target.embedded && !same_file(input, &target.media) => {
            Ok(Some(copy_media(input, &target.media, replacing.output)?))
        }
        None => Ok(None),
    }
}
