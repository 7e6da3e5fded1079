//! One probe of a file for what a stamp signs about the media itself: its
//! facts and the perceptual fingerprint (FFmpeg for clips, the `image`
//! crate for frames).

use std::path::Path;

use sha2::Digest;

use super::facts::MediaFacts;
use super::fingerprint::{Fingerprint, Sample};
use super::format::Format;
use super::phash;
use super::progress::Progress;
#[cfg(feature = "video")]
use super::video;

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
    /// What headers say (kind, size, duration), for checking signed facts:
    /// no packet of a clip is read, whatever its size.
    Header,
}

/// Probe `path` and compute its fingerprint. `Ok(None)` when the format is
/// not a picture we can decode (or clips without the `video` feature).
pub fn analyze(
    path: &Path,
    format: Format,
    sampling: Sampling,
) -> Result<Option<(MediaFacts, Fingerprint)>, String> {
    analyze_with_progress(path, format, sampling, &|_, _| {})
}

/// [`analyze`], telling `progress` how far a clip's decode has come
/// (decoding costs about 25 s per GB).
pub fn analyze_with_progress(
    path: &Path,
    format: Format,
    sampling: Sampling,
    progress: Progress,
) -> Result<Option<(MediaFacts, Fingerprint)>, String> {
    if format.is_video() {
        return analyze_clip(path, format, sampling, progress);
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
    if matches!(sampling, Sampling::FactsOnly | Sampling::Header) {
        let (width, height) = reader.into_dimensions().map_err(|e| e.to_string())?;
        let mut facts = frame_facts(format, None, width, height);
        animated(&mut facts, path, format);
        return Ok(Some((
            facts,
            Fingerprint {
                samples: Vec::new(),
                iscc: None,
            },
        )));
    }
    let img = reader.decode().map_err(|e| e.to_string())?;
    // One grey conversion for both the fingerprint and the ISCC Image-Code.
    let luma = img.to_luma8();
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    let hash = phash::hash_luma(luma.as_raw(), w, h, w).ok_or("the picture is empty")?;
    let layout = format!("{:?}", img.color()).to_lowercase();
    let mut facts = frame_facts(format, Some(layout), img.width(), img.height());
    let mut pixels = sha2::Sha256::new();
    pixels.update(img.width().to_be_bytes());
    pixels.update(img.height().to_be_bytes());
    pixels.update(img.as_bytes());
    facts.pixels_sha256 = Some(hex::encode(pixels.finalize()));
    let samples = if animated(&mut facts, path, format) {
        // An animation: its frames over time, like any clip's; its ISCC
        // code the first frame's Image-Code, as for the image file it is.
        let step = 1000 / u64::from(super::fingerprint::SAMPLES_PER_SECOND);
        let every = (sampling == Sampling::Stamp).then_some(step);
        super::animation::sample(path, format, every)?
    } else {
        vec![Sample { t_ms: 0, hash }]
    };
    let fp = Fingerprint {
        samples,
        iscc: super::iscc::image_code(luma.as_raw(), w, h, w),
    };
    Ok(Some((facts, fp)))
}

/// The asset's ISCC content code — Image-, Video- or Audio-Code, as a
/// stamp signs it — or `None` when it does not decode.
pub fn content_code(path: &Path, format: Format) -> Option<String> {
    match analyze(path, format, Sampling::Stamp) {
        Ok(Some((_, fp))) => fp.iscc,
        Ok(None) => audio_iscc(path, format),
        Err(_) => None,
    }
}

/// The ISCC Audio-Code of a sound file (WAV, MP3, M4A, FLAC, Ogg), when
/// it decodes.
#[cfg(feature = "video")]
pub fn audio_iscc(path: &Path, format: Format) -> Option<String> {
    if !matches!(
        format,
        Format::Wav | Format::Mp3 | Format::M4a | Format::Flac | Format::Ogg
    ) {
        return None;
    }
    super::audio::audio_code(path).ok().flatten()
}

/// Without FFmpeg, sounds are not decoded: no Audio-Code.
#[cfg(not(feature = "video"))]
pub fn audio_iscc(_: &Path, _: Format) -> Option<String> {
    None
}

/// An animated image (WebP, APNG, GIF) is a clip: its frame count, rate
/// and running time from its headers ([`super::animation`]). Whether it is.
fn animated(facts: &mut MediaFacts, path: &Path, format: Format) -> bool {
    let Some(t) = super::animation::timing_of_file(format, path) else {
        return false;
    };
    facts.kind = "clip".into();
    facts.frame_count = Some(t.frames);
    facts.duration_s = Some(t.seconds());
    facts.frame_rate = t.frame_rate().map(|r| (r * 1000.0).round() / 1000.0);
    true
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
        pixels_sha256: None,
    }
}

#[cfg(feature = "video")]
fn analyze_clip(
    path: &Path,
    format: Format,
    sampling: Sampling,
    progress: Progress,
) -> Result<Option<(MediaFacts, Fingerprint)>, String> {
    let sampling = match sampling {
        Sampling::Stamp => video::Sampling::PerSecond(super::fingerprint::SAMPLES_PER_SECOND),
        Sampling::Query => video::Sampling::EveryFrame,
        Sampling::FactsOnly => video::Sampling::None,
        Sampling::Header => video::Sampling::Header,
    };
    video::analyze(path, format.name(), sampling, progress)
        .map(Some)
        .map_err(|e| e.to_string())
}

#[cfg(not(feature = "video"))]
fn analyze_clip(
    _: &Path,
    _: Format,
    _: Sampling,
    _: Progress,
) -> Result<Option<(MediaFacts, Fingerprint)>, String> {
    Ok(None)
}
