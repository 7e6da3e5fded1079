//! Media: what a file is ([`Format`]), what is signed about it ([`probe`]:
//! clip [`facts`], the perceptual [`fingerprint`] and the ISCC code
//! ([`iscc`], frame signatures from `signature`)), and the container code
//! the rest of the crate needs — the pre-check before the SDK parses a file,
//! the fast splices (`png`, `bmff`), the bytes C2PA leaves unauthenticated
//! (`framing`, and a data hash's [`exclusions`]), sidecar paths.

pub mod walk;

pub mod animation;
#[cfg(feature = "video")]
pub mod audio;
pub mod bmff;
pub mod chunk_offsets;
pub mod exclusions;
pub mod facts;
#[cfg(feature = "video")]
mod filters;
pub mod fingerprint;
pub mod format;
mod framed;
pub mod framing;
pub mod iscc;
pub mod jumbf;
pub mod merkle;
pub mod phash;
pub mod png;
mod positional;
pub use positional::read_exact_at;
pub mod probe;
pub mod progress;
pub mod remux;
#[cfg(feature = "video")]
mod signature;
pub mod tags;
pub mod tiff;
#[cfg(feature = "video")]
pub mod video;

use std::io::Read;
use std::path::Path;

pub use facts::{AudioFacts, MediaFacts};
pub use format::Format;
pub use probe::{analyze, analyze_with_progress, audio_iscc, content_code, Sampling};

/// Files up to this size are read into memory once, so that the pre-check
/// and the SDK's many small reads and seeks (16,000 for a 4 MB PNG) hit
/// memory instead of the kernel.
pub const IN_MEMORY_LIMIT: u64 = 64 << 20;

/// The whole of `file` when it is at most [`IN_MEMORY_LIMIT`] bytes, with
/// the file left rewound either way.
pub fn read_small(file: &std::fs::File) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::{Read, Seek};
    let len = file.metadata()?.len();
    if len > IN_MEMORY_LIMIT {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(len as usize);
    let mut handle = file;
    handle.read_to_end(&mut bytes)?;
    handle.rewind()?;
    Ok(Some(bytes))
}

/// What the pre-check found embedded in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Embedded {
    /// No manifest store.
    Nothing,
    /// A manifest store within bounds (its bytes).
    Store(Vec<u8>),
    /// A store the SDK sees but cannot cleanly locate: the SDK reports why.
    Unlocatable,
}

impl Embedded {
    /// Whether the file carries an embedded manifest store at all.
    pub fn present(&self) -> bool {
        !matches!(self, Embedded::Nothing)
    }
}

/// Structural checks run before the C2PA SDK parses a file, for shapes it
/// handles too slowly or too greedily: TIFF directory bombs (`tiff`) and
/// manifest stores whose boxes or CBOR declare more bytes than they hold
/// (`jumbf`). Returns what the file carries. Leaves `file` rewound.
pub fn precheck<R>(file: &mut R, mime: &str) -> Result<Embedded, String>
where
    R: std::io::Read + std::io::Seek + Send,
{
    let verdict = tiff::check(file).and_then(|()| {
        file.rewind().map_err(|e| e.to_string())?;
        match c2pa::jumbf_io::load_jumbf_from_stream(mime, file) {
            Ok(store) => jumbf::check_store(&store)
                .map(|()| Embedded::Store(store))
                .map_err(|e| format!("malformed manifest store: {e}")),
            Err(c2pa::Error::JumbfNotFound | c2pa::Error::UnsupportedType) => Ok(Embedded::Nothing),
            Err(_) => Ok(Embedded::Unlocatable),
        }
    });
    file.rewind().map_err(|e| e.to_string())?;
    verdict
}

/// SHA-256 of a file's bytes, in lowercase hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The sidecar manifest path for `media`: the full file name plus `.c2pa`
/// (`clip.mkv` → `clip.mkv.c2pa`), so `clip.mkv` and `clip.webm` never share one.
pub fn sidecar_path(media: &Path) -> std::path::PathBuf {
    let mut name = media.file_name().unwrap_or_default().to_os_string();
    name.push(".c2pa");
    media.with_file_name(name)
}

/// Sidecar paths a reader should look for, in order: ours, then the SDK's
/// convention of replacing the extension (`clip.c2pa`).
pub fn sidecar_candidates(media: &Path) -> Vec<std::path::PathBuf> {
    let ours = sidecar_path(media);
    let sdk = media.with_extension("c2pa");
    if sdk == ours || sdk == media {
        vec![ours]
    } else {
        vec![ours, sdk]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_keeps_the_extension() {
        assert_eq!(
            sidecar_path(Path::new("/a/clip.mkv")),
            Path::new("/a/clip.mkv.c2pa")
        );
        assert_eq!(
            sidecar_candidates(Path::new("/a/clip.mkv"))[1],
            Path::new("/a/clip.c2pa")
        );
    }
}
