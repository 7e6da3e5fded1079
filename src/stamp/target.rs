//! Where one stamp writes: the signed media's path, the file written (the
//! media itself, or its sidecar), the reveal file, and the refusals that keep
//! a user's files safe (never replace the input or an existing output
//! unasked).

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::media::{self, Format};
use crate::prove::commitment::Reveal;
use crate::sys::atomic::{self, Overwrite};

use super::request::{Destination, Embedding, Replacing, StampRequest};

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
            // In place through a symlink: the file it points to is signed,
            // the link left as it is (never replaced by a signed copy).
            Destination::InPlace if input.is_symlink() => {
                input.canonicalize().map_err(|source| Error::Read {
                    path: input.to_path_buf(),
                    source,
                })?
            }
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

    /// The private reveal file beside the media, when the request commits
    /// to any secret. Under a reveal directory the media's path is mirrored
    /// (relative to the working directory, or from the root when outside
    /// it), so `s1/frame.png` and `s2/frame.png` keep one reveal file each.
    pub fn reveal(&self, request: &StampRequest) -> Option<PathBuf> {
        let workflow = request
            .generation
            .as_ref()
            .and_then(|g| g.workflow.as_ref());
        if request.prompt.is_none()
            && request.negative_prompt.is_none()
            && request.seed.is_none()
            && workflow.is_none()
        {
            return None;
        }
        let mut name = self.media.file_name().unwrap_or_default().to_os_string();
        name.push(".reveal.json");
        let beside = self.media.with_file_name(name);
        Some(match &request.reveal_dir {
            Some(dir) => dir.join(mirrored(&beside)),
            None => beside,
        })
    }

    /// Refuse outputs that would replace the input, an existing file or a
    /// reveal file unasked (a reveal file is the only way to prove its
    /// prompt again); create the output directory when it is missing. The
    /// reveal file found there that opens the same secrets, to be reused,
    /// when replacing it was not asked.
    pub fn check(
        &self,
        request: &StampRequest,
        input: &Path,
        destination: &Destination,
        replacing: Replacing,
    ) -> Result<Option<Reveal>> {
        let earlier = match replacing.reveal {
            Overwrite::Never => self.reusable_reveal(request)?,
            Overwrite::Replace => None,
        };
        let same = same_file(input, &self.output);
        if same && *destination != Destination::InPlace {
            return Err(Error::OutputIsInput {
                path: self.output.clone(),
            });
        }
        if replacing.output == Overwrite::Never && self.output.exists() && !same {
            return Err(Error::OutputExists {
                path: self.output.clone(),
            });
        }
        if let Destination::OutDir(dir) = destination {
            out_dir(dir)?;
        }
        Ok(earlier)
    }
}

impl Target {
    /// The reveal file already at this target's reveal path, when it opens
    /// exactly this request's secrets (an interrupted run, or a re-sign):
    /// signing with its salts keeps it the proof of every asset it opens.
    /// Any other file there is refused — it may be the only proof of an
    /// earlier prompt.
    fn reusable_reveal(&self, request: &StampRequest) -> Result<Option<Reveal>> {
        let Some(path) = self.reveal(request) else {
            return Ok(None);
        };
        if path.symlink_metadata().is_err() {
            return Ok(None);
        }
        let found: Option<Reveal> = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        match found {
            Some(r)
                if r.opens_exactly(
                    request.prompt.as_deref(),
                    request.negative_prompt.as_deref(),
                    request.seed.as_deref(),
                ) =>
            {
                Ok(Some(r))
            }
            _ => Err(Error::RevealExists { path }),
        }
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

/// `path` as a relative path to mirror under another directory: relative
/// to the working directory when under it, else from the root; `..` is
/// resolved lexically so nothing climbs out.
fn mirrored(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in absolute.components() {
        match c {
            Component::Normal(p) => parts.push(p),
            Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    let clean: PathBuf = parts.iter().collect();
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| d.strip_prefix("/").map(Path::to_path_buf).ok());
    match cwd.as_deref().and_then(|d| clean.strip_prefix(d).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => clean,
    }
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
    atomic::commit(temp, target, overwrite, atomic::mode_of(input))?;
    Ok(target.to_path_buf())
}
