//! What a file is, from its first bytes (magic numbers, the MP4 `ftyp`
//! brand) before its extension, because generators often write `.png` names
//! on JPEG data; and whether `c2pa` 0.90.22 can embed a manifest in it
//! (`docs/design.md`, "SDK facts") or it gets a sidecar.

use std::io::Read;
use std::path::Path;

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
    /// MPEG-4 audio (`ftyp` brand `M4A `/`M4B `): BMFF without a picture.
    M4a,
    Avi,
    Wav,
    Mp3,
    /// FLAC (ComfyUI's `SaveAudio`): the manifest in an APPLICATION block.
    Flac,
    /// Ogg (Opus, Vorbis: ComfyUI's `SaveAudioOpus`): signed by sidecar.
    Ogg,
    Mkv,
    WebM,
    Exr,
    /// SMPTE MXF (broadcast masters): no C2PA embedding, signed by sidecar.
    Mxf,
    /// Anything else: signed only as a sidecar over the whole file.
    Other,
}

impl Format {
    /// Identify `path` from its first bytes, falling back to its extension.
    pub fn detect(path: &Path) -> std::io::Result<Format> {
        Ok(Self::sniff(path)?.unwrap_or_else(|| Self::from_extension(path)))
    }

    /// The format `path`'s first bytes show, if they show one.
    pub fn sniff(path: &Path) -> std::io::Result<Option<Format>> {
        let mut head = [0u8; 64];
        let mut file = std::fs::File::open(path)?;
        let mut n = 0;
        while n < head.len() {
            match file.read(&mut head[n..])? {
                0 => break,
                k => n += k,
            }
        }
        Ok(Self::from_magic(&head[..n]))
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
        if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"AVI " {
            return Some(Format::Avi);
        }
        // The MXF header partition pack key (SMPTE 377M).
        if b.starts_with(&[
            0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D, 0x01, 0x02,
        ]) {
            return Some(Format::Mxf);
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
        if b.starts_with(b"fLaC") {
            return Some(Format::Flac);
        }
        if b.starts_with(b"OggS") {
            return Some(Format::Ogg);
        }
        if b.len() >= 12 && &b[4..8] == b"ftyp" {
            return Some(match &b[8..12] {
                b"qt  " => Format::Mov,
                b"M4V " | b"M4VH" | b"M4VP" => Format::M4v,
                b"M4A " | b"M4B " => Format::M4a,
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

    /// The format an extension names (case-insensitive); `Other` for none.
    pub fn from_extension(path: &Path) -> Format {
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
            "m4a" | "m4b" => Format::M4a,
            "avi" => Format::Avi,
            "wav" => Format::Wav,
            "mp3" => Format::Mp3,
            "flac" => Format::Flac,
            "ogg" | "oga" | "opus" => Format::Ogg,
            "mkv" => Format::Mkv,
            "webm" => Format::WebM,
            "exr" => Format::Exr,
            "mxf" => Format::Mxf,
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
            Format::M4a => "m4a",
            Format::Avi => "avi",
            Format::Wav => "wav",
            Format::Mp3 => "mp3",
            Format::Flac => "flac",
            Format::Ogg => "ogg",
            Format::Mkv => "mkv",
            Format::WebM => "webm",
            Format::Exr => "exr",
            Format::Mxf => "mxf",
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
            Format::M4a => "audio/mp4",
            Format::Avi => "video/avi",
            Format::Wav => "audio/wav",
            Format::Mp3 => "audio/mpeg",
            Format::Flac => "audio/flac",
            Format::Ogg => "audio/ogg",
            Format::Mkv => "video/x-matroska",
            Format::WebM => "video/webm",
            Format::Exr => "image/x-exr",
            Format::Mxf => "application/mxf",
            Format::Other => "application/octet-stream",
        }
    }

    /// Whether the manifest can be embedded in the file itself.
    pub fn embeddable(self) -> bool {
        !matches!(
            self,
            Format::Mkv | Format::WebM | Format::Ogg | Format::Exr | Format::Mxf | Format::Other
        )
    }

    /// Whether the file is ISO BMFF (MP4, MOV, M4V, AVIF, HEIC).
    pub fn is_bmff(self) -> bool {
        self.is_bmff_movie() || matches!(self, Format::Avif | Format::Heic)
    }

    /// Whether the file is an ISO BMFF movie (MP4, MOV, M4V, M4A): `moov`
    /// and `mdat`, hashed and spliced alike.
    pub fn is_bmff_movie(self) -> bool {
        matches!(self, Format::Mp4 | Format::Mov | Format::M4v | Format::M4a)
    }

    /// Whether the format is a moving picture (clip facts, BMFF hashing).
    pub fn is_video(self) -> bool {
        matches!(
            self,
            Format::Mp4
                | Format::Mov
                | Format::M4v
                | Format::Avi
                | Format::Mkv
                | Format::WebM
                | Format::Mxf
        )
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
        assert_eq!(
            Format::from_magic(b"\0\0\0\x20ftypM4A \0\0\0\0"),
            Some(Format::M4a)
        );
        assert_eq!(
            Format::from_magic(b"RIFF\0\0\0\0AVI LIST"),
            Some(Format::Avi)
        );
        assert_eq!(
            Format::from_magic(b"\x06\x0e\x2b\x34\x02\x05\x01\x01\x0d\x01\x02\x01\x01\x02"),
            Some(Format::Mxf)
        );
        assert_eq!(Format::from_magic(b"hello"), None);
    }
}
