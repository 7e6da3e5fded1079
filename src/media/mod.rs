//! Media formats: what a file is, and whether its manifest can live inside it.
//!
//! We sniff the first bytes (magic numbers, the MP4 `ftyp` brand) before
//! trusting the extension, because generators often write `.png` names on
//! JPEG data. Whether a format is embeddable follows what `c2pa` 0.90.22 can
//! write into (DESIGN.md); everything else gets a sidecar manifest.

pub mod bmff;
pub mod framing;
pub mod jumbf;
pub mod phash;
pub mod png;
pub mod tiff;
#[cfg(feature = "video")]
pub mod video;

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::fingerprint::Fingerprint;

/// Facts about the media signed into the record's `media` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaFacts {
    /// `clip` or `frame`.
    pub kind: String,
    /// Container or image format (`mp4`, `mov`, `mkv`, `png`, …).
    pub container: String,
    /// Video codec (clips) or pixel layout (frames).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audio: Vec<AudioFacts>,
    /// SHA-256 of an ISO BMFF file's `ftyp` box (brands), which C2PA's BMFF
    /// hash leaves out; `verify` compares it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ftyp_sha256: Option<String>,
}

/// One audio stream of a clip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioFacts {
    pub codec: String,
    pub channels: u32,
    pub sample_rate: u32,
}

/// Which frames of a clip to hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sampling {
    /// The fingerprint signed at stamp time (a fixed number per second).
    Stamp,
    /// Every frame: a recovery query.
    Query,
    /// Facts only, no fingerprint: nothing is decoded (stills: header only;
    /// clips: packets are counted, not decoded).
    FactsOnly,
}

/// Probe `path` and compute its fingerprint. `Ok(None)` when the format is
/// not a picture we can decode (or clips without the `video` feature).
pub fn analyze(
    path: &Path,
    format: Format,
    sampling: Sampling,
) -> Result<Option<(MediaFacts, Fingerprint)>, String> {
    if format.is_video() {
        return analyze_clip(path, format, sampling);
    }
    if !matches!(
        format,
        Format::Png | Format::Jpeg | Format::WebP | Format::Gif | Format::Tiff
    ) {
        return Ok(None);
    }
    let reader = image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| e.to_string())?;
    if sampling == Sampling::FactsOnly {
        let (width, height) = reader.into_dimensions().map_err(|e| e.to_string())?;
        let facts = frame_facts(format, None, width, height);
        return Ok(Some((
            facts,
            Fingerprint {
                samples: Vec::new(),
            },
        )));
    }
    let img = reader.decode().map_err(|e| e.to_string())?;
    let hash = phash::hash_image(&img).ok_or("the picture is empty")?;
    let layout = format!("{:?}", img.color()).to_lowercase();
    let facts = frame_facts(format, Some(layout), img.width(), img.height());
    let fp = Fingerprint {
        samples: vec![crate::fingerprint::Sample { t_ms: 0, hash }],
    };
    Ok(Some((facts, fp)))
}

fn frame_facts(format: Format, layout: Option<String>, width: u32, height: u32) -> MediaFacts {
    MediaFacts {
        kind: "frame".into(),
        container: format.name().into(),
        codec: layout,
        width,
        height,
        frame_rate: None,
        duration_s: None,
        frame_count: Some(1),
        audio: Vec::new(),
        ftyp_sha256: None,
    }
}

#[cfg(feature = "video")]
fn analyze_clip(
    path: &Path,
    format: Format,
    sampling: Sampling,
) -> Result<Option<(MediaFacts, Fingerprint)>, String> {
    let sampling = match sampling {
        Sampling::Stamp => video::Sampling::PerSecond(crate::fingerprint::SAMPLES_PER_SECOND),
        Sampling::Query => video::Sampling::EveryFrame,
        Sampling::FactsOnly => video::Sampling::None,
    };
    video::analyze(path, format.name(), sampling)
        .map(Some)
        .map_err(|e| e.to_string())
}

#[cfg(not(feature = "video"))]
fn analyze_clip(
    _: &Path,
    _: Format,
    _: Sampling,
) -> Result<Option<(MediaFacts, Fingerprint)>, String> {
    Ok(None)
}

/// A media container as far as provenance cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    WebP,
    Gif,
    Tiff,
    Avif,
    Heic,
    Mp4,
    Mov,
    M4v,
    Wav,
    Mp3,
    Mkv,
    WebM,
    Exr,
    /// Anything else: signed only as a sidecar over the whole file.
    Other,
}

impl Format {
    /// Identify `path` from its first bytes, falling back to its extension.
    pub fn detect(path: &Path) -> std::io::Result<Format> {
        let mut head = [0u8; 64];
        let mut file = std::fs::File::open(path)?;
        let mut n = 0;
        while n < head.len() {
            match file.read(&mut head[n..])? {
                0 => break,
                k => n += k,
            }
        }
        Ok(Self::from_magic(&head[..n]).unwrap_or_else(|| Self::from_extension(path)))
    }

    fn from_magic(b: &[u8]) -> Option<Format> {
        if b.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(Format::Png);
        }
        if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(Format::Jpeg);
        }
        if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
            return Some(Format::WebP);
        }
        if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WAVE" {
            return Some(Format::Wav);
        }
        if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
            return Some(Format::Gif);
        }
        if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
            return Some(Format::Tiff);
        }
        if b.starts_with(&[0x76, 0x2F, 0x31, 0x01]) {
            return Some(Format::Exr);
        }
        if b.starts_with(b"ID3") {
            return Some(Format::Mp3);
        }
        if b.len() >= 12 && &b[4..8] == b"ftyp" {
            return Some(match &b[8..12] {
                b"qt  " => Format::Mov,
                b"M4V " | b"M4VH" | b"M4VP" => Format::M4v,
                b"avif" | b"avis" => Format::Avif,
                b"heic" | b"heix" | b"mif1" | b"msf1" => Format::Heic,
                _ => Format::Mp4,
            });
        }
        if b.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
            // EBML: Matroska and WebM share the header; the DocType tells them apart.
            let is_webm = b.windows(4).any(|w| w == b"webm");
            return Some(if is_webm { Format::WebM } else { Format::Mkv });
        }
        None
    }

    fn from_extension(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "png" => Format::Png,
            "jpg" | "jpeg" => Format::Jpeg,
            "webp" => Format::WebP,
            "gif" => Format::Gif,
            "tif" | "tiff" => Format::Tiff,
            "avif" => Format::Avif,
            "heic" | "heif" => Format::Heic,
            "mp4" => Format::Mp4,
            "mov" => Format::Mov,
            "m4v" => Format::M4v,
            "wav" => Format::Wav,
            "mp3" => Format::Mp3,
            "mkv" => Format::Mkv,
            "webm" => Format::WebM,
            "exr" => Format::Exr,
            _ => Format::Other,
        }
    }

    /// Short name for reports (`png`, `mp4`, `mkv`, …).
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::WebP => "webp",
            Format::Gif => "gif",
            Format::Tiff => "tiff",
            Format::Avif => "avif",
            Format::Heic => "heic",
            Format::Mp4 => "mp4",
            Format::Mov => "mov",
            Format::M4v => "m4v",
            Format::Wav => "wav",
            Format::Mp3 => "mp3",
            Format::Mkv => "mkv",
            Format::WebM => "webm",
            Format::Exr => "exr",
            Format::Other => "other",
        }
    }

    /// The MIME type handed to the C2PA SDK and written in the manifest.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::WebP => "image/webp",
            Format::Gif => "image/gif",
            Format::Tiff => "image/tiff",
            Format::Avif => "image/avif",
            Format::Heic => "image/heic",
            Format::Mp4 => "video/mp4",
            Format::Mov => "video/quicktime",
            Format::M4v => "video/x-m4v",
            Format::Wav => "audio/wav",
            Format::Mp3 => "audio/mpeg",
            Format::Mkv => "video/x-matroska",
            Format::WebM => "video/webm",
            Format::Exr => "image/x-exr",
            Format::Other => "application/octet-stream",
        }
    }

    /// Whether the manifest can be embedded in the file itself.
    pub fn embeddable(self) -> bool {
        !matches!(
            self,
            Format::Mkv | Format::WebM | Format::Exr | Format::Other
        )
    }

    /// Whether the file is ISO BMFF (MP4, MOV, M4V, AVIF, HEIC).
    pub fn is_bmff(self) -> bool {
        self.is_bmff_movie() || matches!(self, Format::Avif | Format::Heic)
    }

    /// Whether the file is an ISO BMFF movie (MP4, MOV, M4V).
    pub fn is_bmff_movie(self) -> bool {
        matches!(self, Format::Mp4 | Format::Mov | Format::M4v)
    }

    /// Whether the format is a moving picture (clip facts, BMFF hashing).
    pub fn is_video(self) -> bool {
        matches!(
            self,
            Format::Mp4 | Format::Mov | Format::M4v | Format::Mkv | Format::WebM
        )
    }
}

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
    fn magic_beats_extension() {
        assert_eq!(Format::from_magic(b"\xFF\xD8\xFF\xE0"), Some(Format::Jpeg));
        assert_eq!(
            Format::from_magic(b"\0\0\0\x14ftypqt  \0\0\0\0"),
            Some(Format::Mov)
        );
        assert_eq!(
            Format::from_magic(b"\0\0\0\x20ftypisom\0\0\0\0"),
            Some(Format::Mp4)
        );
        assert_eq!(Format::from_magic(b"hello"), None);
    }

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
