//! Where one stamp writes: the signed media's path, the file written (the
//! media itself, or its sidecar), the reveal file, and the refusals that keep
//! a user's files safe (never replace the input or an existing output
//! unasked).

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::atomic::{self, Overwrite};
use crate::error::{Error, Result};
use crate::media::{self, Format};

use super::request::{Destination, Embedding, StampRequest};

/// The paths one stamp of `input` involves.
#[derive(Debug, Clone)]
pub struct Target {
    pub format: Format,
    /// Whether the manifest goes inside the media.
    pub embedded: bool,
    /// The signed media's path.
    pub media: PathBuf,
    /// The file written: the media itself, or its sidecar.
    pub output: PathBuf,
}

impl Target {
    /// Where a stamp of `input` goes under `request` into `destination`.
    pub fn of(request: &StampRequest, destination: &Destination, input: &Path) -> Result<Target> {
        let format = Format::detect(input).map_err(|source| Error::Read {
            path: input.to_path_buf(),
            source,
        })?;
        let embedded = match request.embedding {
            Embedding::Sidecar => false,
            Embedding::Embed => true,
            Embedding::Auto => format.embeddable(),
        };
        let media = match destination {
            Destination::InPlace => input.to_path_buf(),
            Destination::OutDir(dir) => atomic::path_in(dir, input),
        };
        let output = if embedded {
            media.clone()
        } else {
            media::sidecar_path(&media)
        };
        Ok(Target {
            format,
            embedded,
            media,
            output,
        })
    }

    /// The private reveal file beside the media (or in the reveal
    /// directory), when the request commits to any secret.
    pub fn reveal(&self, request: &StampRequest) -> Option<PathBuf> {
        if request.prompt.is_none() && request.negative_prompt.is_none() && request.seed.is_none() {
            return None;
        }
        let mut name = self.media.file_name().unwrap_or_default().to_os_string();
        name.push(".reveal.json");
        Some(match &request.reveal_dir {
            Some(dir) => dir.join(name),
            None => self.media.with_file_name(name),
        })
    }

    /// Refuse outputs that would replace the input or an existing file
    /// unasked; create the output directory when it is missing.
    pub fn check(
        &self,
        input: &Path,
        destination: &Destination,
        overwrite: Overwrite,
    ) -> Result<()> {
        let same = same_file(input, &self.output);
        if same && *destination != Destination::InPlace {
            return Err(Error::OutputIsInput {
                path: self.output.clone(),
            });
        }
        if overwrite == Overwrite::Never && self.output.exists() && !same {
            return Err(Error::OutputExists {
                path: self.output.clone(),
            });
        }
        if let Destination::OutDir(dir) = destination {
            out_dir(dir)?;
        }
        Ok(())
    }
}

/// The output directory, created when missing; an existing non-directory
/// is refused.
pub fn out_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if dir.exists() {
        return Err(Error::NotADirectory {
            path: dir.to_path_buf(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Copy `input` to `target` atomically (temp beside the target, fsync, rename).
pub fn copy_media(input: &Path, target: &Path, overwrite: Overwrite) -> Result<PathBuf> {
    if overwrite == Overwrite::Never && target.exists() {
        return Err(Error::OutputExists {
            path: target.to_path_buf(),
        });
    }
    let mut temp = atomic::temp_beside(target)?;
    let mut src = File::open(input).map_err(|source| Error::Read {
        path: input.to_path_buf(),
        source,
    })?;
    std::io::copy(&mut src, temp.as_file_mut()).map_err(|source| Error::Write {
        path: target.to_path_buf(),
        source,
    })?;
    atomic::commit(temp, target, overwrite, atomic::PUBLIC)?;
    Ok(target.to_path_buf())
}
