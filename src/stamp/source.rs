//! The input of one stamp as it is read: the file opened once, small
//! files held in memory, the PNG fast path's insert point, whether a
//! manifest is already there, and the generator's fields taken out of the
//! bytes to be signed (or handed to the movie splice).

use std::fs::File;
use std::path::Path;

use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::media::{self, png, Format};

use super::generated::{self, FromGenerator};
use super::splice;
use super::target::{same_file, Target};
use super::warning::StampWarning;

/// The input as opened for one stamp.
pub(super) struct Source {
    pub(super) file: File,
    /// The whole input when small (`media::read_small`): read once.
    pub(super) in_memory: Option<Vec<u8>>,
    /// Where a plain PNG's manifest chunk goes (the PNG fast path).
    pub(super) png_at: Option<usize>,
    /// Whether the input already carries a manifest store.
    pub(super) has_manifest: bool,
    /// An embedded MP4/MOV's splice, planned once (its `moov` read once,
    /// for the generator's items and for the signature); why it does not
    /// apply; `None` for anything else.
    pub(super) splice: Option<std::result::Result<crate::media::bmff::Splice, String>>,
    /// An MP4/MOV's generator items to leave out of the signed `moov`
    /// (their file spans), and the committed text to search it for.
    pub(super) movie_strip: Option<splice::MovieStrip>,
    /// A sidecar's media carries generator text: deliver a copy without
    /// its tags ([`Source::remux`]) instead of the input as it is.
    pub(super) remux_wanted: bool,
    /// That copy, beside the delivered media, once made: what is signed.
    pub(super) remuxed: Option<NamedTempFile>,
}

impl Source {
    /// Open the input once; small files are read into memory (frame fast
    /// path), plain MP4/MOV take the splice whatever their size.
    pub(super) fn open(input: &Path, target: &Target) -> Result<Source> {
        let rerr = |source| Error::Read {
            path: input.to_path_buf(),
            source,
        };
        let mut file = File::open(input).map_err(rerr)?;
        let format = target.format;
        let in_memory = if target.embedded && format.is_bmff_movie() {
            None
        } else {
            media::read_small(&file).map_err(rerr)?
        };
        // A plain PNG (our own chunk walk finds no caBX) needs no SDK look.
        let png_at = match (&in_memory, target.embedded && format == Format::Png) {
            (Some(bytes), true) => png::insert_point(bytes).ok(),
            _ => None,
        };
        let has_manifest = match &in_memory {
            _ if png_at.is_some() => Ok(false),
            Some(bytes) => {
                media::precheck(&mut std::io::Cursor::new(bytes.as_slice()), format.mime())
                    .map(|e| e.present())
            }
            None => media::precheck(&mut file, format.mime()).map(|e| e.present()),
        }
        .map_err(|reason| Error::Malformed {
            path: input.to_path_buf(),
            reason,
        })?;
        let splice = splice::splice_for(target.embedded, has_manifest, format, &file, input)?;
        Ok(Source {
            file,
            in_memory,
            png_at,
            has_manifest,
            splice,
            movie_strip: None,
            remux_wanted: false,
            remuxed: None,
        })
    }
}

impl Source {
    /// The generator's metadata in the input: from the planned splice's
    /// `moov`, the bytes in memory, or the file.
    pub(super) fn generator_text(&self, input: &Path, format: Format) -> crate::generator::Found {
        match &self.splice {
            Some(Ok(splice)) => {
                crate::generator::read_moov(splice.moov(), splice.moov_offset(), input)
            }
            _ => crate::generator::read_either(format, self.in_memory.as_deref(), input),
        }
    }

    /// Remove the generator's fields from the bytes to be signed (unless
    /// kept, or the media is left untouched by a sidecar), and say so; an
    /// MP4/MOV's are removed by the splice, in its one write.
    pub(super) fn scrub(
        &mut self,
        input: &Path,
        target: &Target,
        found: &crate::generator::Found,
        overridden: Vec<String>,
        warnings: &mut Vec<StampWarning>,
        keep: bool,
    ) -> Result<Option<FromGenerator>> {
        // A sidecar delivered into --out goes with a copy of its media: one
        // without the tags that hold the generator's text.
        if !keep && !target.embedded && !found.is_empty() && !same_file(input, &target.media) {
            self.remux_wanted = true;
            warnings.extend(generated::warnings(input, found, &overridden, false, false));
            return Ok(Some(generated::summary(found, false, overridden)));
        }
        let keep = keep || !target.embedded;
        warnings.extend(generated::warnings(
            input,
            found,
            &overridden,
            keep,
            !target.embedded,
        ));
        let refuse = |reason: String| Error::PromptInOutput {
            path: input.to_path_buf(),
            reason,
        };
        if found.is_empty() {
            return Ok(None);
        }
        if target.format.is_bmff_movie() && self.in_memory.is_none() {
            if !keep {
                self.movie_strip = Some(splice::MovieStrip {
                    drop: found.fields.iter().map(|f| f.span.clone()).collect(),
                    secrets: Vec::new(),
                });
            }
            return Ok(Some(generated::summary(found, keep, overridden)));
        }
        let Some(bytes) = self.in_memory.as_mut().filter(|_| !keep) else {
            return Ok(Some(generated::summary(found, true, overridden)));
        };
        *bytes = crate::generator::scrub(target.format, bytes, found).map_err(|why| {
            refuse(format!(
                "{why}; pass --keep-generator-metadata to sign it as it is"
            ))
        })?;
        if target.format == Format::Png {
            self.png_at = png::insert_point(bytes).ok();
        }
        Ok(Some(generated::summary(found, false, overridden)))
    }

    /// Make the copy [`Source::scrub`] asked for: the streams copied
    /// losslessly without tags into a temp file beside the delivered
    /// media, which is then what is signed (and landed by the commit).
    pub(super) fn remux(&mut self, input: &Path, target: &Target) -> Result<()> {
        if !self.remux_wanted {
            return Ok(());
        }
        let refuse = |why: String| {
            Error::PromptInOutput {
            path: input.to_path_buf(),
            reason: format!(
                "its generator metadata stays in media a sidecar leaves untouched, and a copy without it could not be made ({why}); pass --keep-generator-metadata to deliver it as it is"
            ),
        }
        };
        let muxer = media::remux::muxer_for(target.format, input)
            .ok_or_else(|| refuse("no muxer writes this format again".into()))?;
        let temp = crate::sys::atomic::temp_beside(&target.media)?;
        media::remux::without_tags(input, temp.path(), muxer).map_err(refuse)?;
        self.file = File::open(temp.path()).map_err(|source| Error::Read {
            path: temp.path().to_path_buf(),
            source,
        })?;
        self.in_memory = None;
        self.remuxed = Some(temp);
        Ok(())
    }
}
