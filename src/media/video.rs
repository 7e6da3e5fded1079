//! Clips through FFmpeg (`ffmpeg-next`): probe the container and streams,
//! and hash decoded frames for the fingerprint, in one demux/decode pass.
//!
//! On FFmpeg 5.1, MKV/WebM report no frame count and no stream duration:
//! we use the container duration and count decoded frames (issue "Clips").

use std::path::Path;
use std::sync::Once;

use ffmpeg::format::Pixel;
use ffmpeg::media::Type;
use ffmpeg_next as ffmpeg;
use sha2::{Digest, Sha256};

use super::facts::{AudioFacts, MediaFacts};
use super::fingerprint::{Fingerprint, Sample};
use super::phash;
use super::progress::Progress;
use super::signature::FrameSignatures;

/// Which decoded frames to hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sampling {
    /// The first frame at or after each 1/N second: what a stamp signs.
    PerSecond(u32),
    /// Every frame: what a recovery query needs to line up with samples.
    EveryFrame,
    /// No frame: nothing is decoded; packets are counted only when the
    /// container does not state the frame count.
    None,
    /// The container's header only: no packet is read (the frame count is
    /// left out when the header does not state it).
    Header,
}

/// Why a clip could not be analysed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct VideoError(String);

impl From<ffmpeg::Error> for VideoError {
    fn from(e: ffmpeg::Error) -> Self {
        VideoError(e.to_string())
    }
}

pub(super) fn init() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let _ = ffmpeg::init();
        // The library never prints: FFmpeg's own warnings stay silent.
        ffmpeg::util::log::set_level(ffmpeg::util::log::Level::Quiet);
    });
}

/// Probe `path` and hash its frames as `sampling` says.
pub fn analyze(
    path: &Path,
    container: &str,
    sampling: Sampling,
    progress: Progress,
) -> Result<(MediaFacts, Fingerprint), VideoError> {
    init();
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut ictx = open(path, sampling)?;
    let stream = ictx
        .streams()
        .best(Type::Video)
        .ok_or_else(|| VideoError("no video stream".into()))?;
    let probe = Probe {
        index: stream.index(),
        time_base: stream.time_base(),
        start: stream.start_time(),
        nb_frames: stream.frames(),
        rate: match stream.avg_frame_rate() {
            r if r.numerator() > 0 => r,
            _ => stream.rate(),
        },
        stream_duration: stream.duration(),
    };
    let mut decoder = video_decoder(&stream, sampling)?;
    let codec = decoder.id().name().to_string();
    let (width, height) = (decoder.width(), decoder.height());
    let audio = audio_facts(&ictx);
    let container_duration = ictx.duration();
    let hasher = read_frames(&mut ictx, &mut decoder, &probe, sampling, &|at| {
        progress(at.min(size), size)
    })?;
    progress(size, size);
    let duration_s = probe.duration_s(container_duration);
    let frames = hasher.frames;
    let facts = MediaFacts {
        kind: "clip".into(),
        container: container.to_string(),
        codec: Some(codec),
        width,
        height,
        frame_rate: (probe.rate.numerator() > 0).then(|| round3(f64::from(probe.rate))),
        duration_s: Some(round3(duration_s)),
        frame_count: match u64::try_from(probe.nb_frames) {
            Ok(n) if n > 0 => Some(n),
            _ if sampling == Sampling::Header => None,
            _ => Some(frames),
        },
        audio,
        ftyp_sha256: None,
        pixels_sha256: (hasher.exact && !hasher.samples.is_empty())
            .then(|| hex::encode(hasher.pixels.clone().finalize())),
    };
    let iscc = hasher.signatures.and_then(|s| s.finish());
    let samples = hasher.samples;
    Ok((facts, Fingerprint { samples, iscc }))
}

/// The stream's decoder; with decoder threads only when frames are
/// decoded (starting them costs tens of milliseconds a file that facts
/// alone do not need).
fn video_decoder(
    stream: &ffmpeg::format::stream::Stream,
    sampling: Sampling,
) -> Result<ffmpeg::decoder::Video, VideoError> {
    let mut ctx = ffmpeg::codec::context::Context::from_parameters(stream.parameters())?;
    if !matches!(sampling, Sampling::None | Sampling::Header) {
        ctx.set_threading(ffmpeg::codec::threading::Config::kind(
            ffmpeg::codec::threading::Type::Frame,
        ));
    }
    Ok(ctx.decoder().video()?)
}

/// Open the container. Facts only: the header says what we record, so
/// FFmpeg's stream probing (which decodes frames) gets the smallest budget.
fn open(path: &Path, sampling: Sampling) -> Result<ffmpeg::format::context::Input, VideoError> {
    Ok(if matches!(sampling, Sampling::None | Sampling::Header) {
        let mut options = ffmpeg::Dictionary::new();
        options.set("analyzeduration", "0");
        options.set("probesize", "32");
        ffmpeg::format::input_with_dictionary(&path, options)?
    } else {
        ffmpeg::format::input(&path)?
    })
}

impl Probe {
    /// The container's duration, else the stream's, in seconds.
    fn duration_s(&self, container_duration: i64) -> f64 {
        if container_duration > 0 {
            container_duration as f64 / f64::from(ffmpeg::ffi::AV_TIME_BASE)
        } else if self.stream_duration > 0 {
            self.stream_duration as f64 * f64::from(self.time_base)
        } else {
            0.0
        }
    }
}

/// What the video stream's header says.
struct Probe {
    index: usize,
    time_base: ffmpeg::Rational,
    start: i64,
    nb_frames: i64,
    rate: ffmpeg::Rational,
    stream_duration: i64,
}

/// Demux (and, unless facts only, decode and hash) the video stream.
fn read_frames(
    ictx: &mut ffmpeg::format::context::Input,
    decoder: &mut ffmpeg::decoder::Video,
    probe: &Probe,
    sampling: Sampling,
    progress: &dyn Fn(u64),
) -> Result<FrameHasher, VideoError> {
    let mut hasher = FrameHasher::new(sampling, probe.time_base, probe.start);
    let mut decoded = ffmpeg::frame::Video::empty();
    // Facts only, and the container states its frame count: the header is
    // all we need (a 1 GB master is not read through for a number).
    let packets_needed = match sampling {
        Sampling::Header => false,
        Sampling::None => probe.nb_frames <= 0,
        _ => true,
    };
    for (n, (s, packet)) in ictx.packets().take_while(|_| packets_needed).enumerate() {
        if n % 256 == 0 {
            progress(u64::try_from(packet.position()).unwrap_or(0));
        }
        if s.index() != probe.index {
            continue;
        }
        if matches!(sampling, Sampling::None | Sampling::Header) {
            hasher.frames += 1;
            continue;
        }
        // A corrupt packet is skipped, as a player would; the rest still counts.
        if decoder.send_packet(&packet).is_err() {
            continue;
        }
        while decoder.receive_frame(&mut decoded).is_ok() {
            hasher.push(&mut decoded)?;
        }
    }
    let _ = decoder.send_eof();
    while decoder.receive_frame(&mut decoded).is_ok() {
        hasher.push(&mut decoded)?;
    }
    Ok(hasher)
}

fn audio_facts(ictx: &ffmpeg::format::context::Input) -> Vec<AudioFacts> {
    ictx.streams()
        .filter(|s| s.parameters().medium() == Type::Audio)
        .filter_map(|s| {
            let ctx = ffmpeg::codec::context::Context::from_parameters(s.parameters()).ok()?;
            let audio = ctx.decoder().audio().ok()?;
            Some(AudioFacts {
                codec: audio.id().name().to_string(),
                channels: u32::from(audio.channels()),
                sample_rate: audio.rate(),
            })
        })
        .collect()
}

/// Turns decoded frames into timed hashes.
struct FrameHasher {
    sampling: Sampling,
    time_base: ffmpeg::Rational,
    start: Option<i64>,
    next_ms: u64,
    frames: u64,
    samples: Vec<Sample>,
    /// SHA-256 over every plane of the sampled frames, while `exact`.
    pixels: Sha256,
    exact: bool,
    gray: Option<(Pixel, u32, u32, ffmpeg::software::scaling::Context)>,
    /// MPEG-7 frame signatures for the ISCC Video-Code, when a stamp's
    /// fingerprint is decoded (every frame goes through them).
    signatures: Option<FrameSignatures>,
    /// Whether the signature graph was tried (made on the first frame).
    signatures_tried: bool,
}

impl FrameHasher {
    fn new(sampling: Sampling, time_base: ffmpeg::Rational, start: i64) -> FrameHasher {
        FrameHasher {
            sampling,
            time_base,
            start: (start != ffmpeg::ffi::AV_NOPTS_VALUE).then_some(start),
            next_ms: 0,
            frames: 0,
            samples: Vec::new(),
            pixels: Sha256::new(),
            exact: true,
            gray: None,
            signatures: None,
            signatures_tried: false,
        }
    }

    /// Hash `frame` if it is due, then hand it to the signature graph,
    /// which takes its buffers.
    fn push(&mut self, frame: &mut ffmpeg::frame::Video) -> Result<(), VideoError> {
        self.frames += 1;
        // The best-effort timestamp, which the signature graph reads as pts.
        let best = frame.timestamp().or(frame.pts());
        frame.set_pts(best);
        let ts = best.unwrap_or(0);
        let origin = *self.start.get_or_insert(ts);
        let t_ms =
            ((ts - origin).max(0) as f64 * f64::from(self.time_base) * 1000.0).round() as u64;
        let wanted = match self.sampling {
            Sampling::None | Sampling::Header => false,
            Sampling::EveryFrame => true,
            Sampling::PerSecond(n) => {
                let due = t_ms >= self.next_ms;
                if due {
                    let step = 1000 / u64::from(n.max(1));
                    self.next_ms = (t_ms / step + 1) * step;
                }
                due
            }
        };
        if wanted {
            if let Some(hash) = self.hash(frame)? {
                self.samples.push(Sample { t_ms, hash });
                self.digest(frame);
            }
        }
        // Last: the filter graph takes the frame's buffers (FFmpeg's
        // av_buffersrc_add_frame leaves the frame empty).
        self.signature(frame);
        Ok(())
    }

    /// Feed the ISCC frame-signature graph (a stamp's decode, or a recovery
    /// query's); a graph
    /// that cannot be made leaves the clip without an ISCC code.
    fn signature(&mut self, frame: &ffmpeg::frame::Video) {
        if !matches!(self.sampling, Sampling::PerSecond(_) | Sampling::EveryFrame) {
            return;
        }
        if !self.signatures_tried {
            self.signatures_tried = true;
            self.signatures = FrameSignatures::new(frame, self.time_base).ok();
        }
        if let Some(s) = self.signatures.as_mut() {
            s.push(frame);
        }
    }

    /// Add the frame's pixels, plane by plane and row by row (without the
    /// stride's padding), to the pixel digest. Formats whose row width is
    /// not known here leave the clip without a digest.
    fn digest(&mut self, frame: &ffmpeg::frame::Video) {
        let interleaved = matches!(frame.format(), Pixel::NV12 | Pixel::NV21);
        let bytes_per_sample = |plane: usize| {
            // Interleaved chroma: two bytes per chroma position.
            let pairs = if interleaved && plane > 0 { 2 } else { 1 };
            luma_bytes(frame.format()).map(|b| b * pairs)
        };
        for plane in 0..frame.planes() {
            let Some(bytes) = bytes_per_sample(plane) else {
                self.exact = false;
                return;
            };
            let (data, stride) = (frame.data(plane), frame.stride(plane));
            let row = (frame.plane_width(plane) as usize * bytes).min(stride);
            for y in 0..frame.plane_height(plane) as usize {
                if let Some(bytes) = data.get(y * stride..y * stride + row) {
                    self.pixels.update(bytes);
                }
            }
        }
    }

    fn hash(&mut self, frame: &ffmpeg::frame::Video) -> Result<Option<phash::Hash>, VideoError> {
        let (w, h) = (frame.width() as usize, frame.height() as usize);
        match (luma_bytes(frame.format()), frame.format()) {
            // 8-bit planar YUV and NV12/21: plane 0 is the luma itself.
            (Some(1), _) => Ok(phash::hash_luma(frame.data(0), w, h, frame.stride(0))),
            // 10-bit little-endian luma: keep the top 8 bits.
            (Some(2), _) => {
                let (data, stride) = (frame.data(0), frame.stride(0));
                let mut plane = vec![0u8; w * h];
                for y in 0..h {
                    for x in 0..w {
                        let i = y * stride + 2 * x;
                        let v = u16::from_le_bytes([data[i], data[i + 1]]);
                        plane[y * w + x] = (v >> 2).min(255) as u8;
                    }
                }
                Ok(phash::hash_luma(&plane, w, h, w))
            }
            (_, other) => {
                let stale = !matches!(&self.gray, Some((p, gw, gh, _)) if *p == other && *gw == frame.width() && *gh == frame.height());
                if stale {
                    let ctx = ffmpeg::software::scaling::Context::get(
                        other,
                        frame.width(),
                        frame.height(),
                        Pixel::GRAY8,
                        frame.width(),
                        frame.height(),
                        ffmpeg::software::scaling::Flags::POINT,
                    )?;
                    self.gray = Some((other, frame.width(), frame.height(), ctx));
                }
                let Some((_, _, _, scaler)) = self.gray.as_mut() else {
                    return Ok(None);
                };
                let mut gray = ffmpeg::frame::Video::empty();
                scaler.run(frame, &mut gray)?;
                Ok(phash::hash_luma(gray.data(0), w, h, gray.stride(0)))
            }
        }
    }
}

/// Bytes per luma sample of the formats read directly (8-bit planar YUV,
/// NV12/21 and gray: 1; 10-bit little-endian planar YUV: 2); `None` for
/// formats that are converted.
fn luma_bytes(format: Pixel) -> Option<usize> {
    match format {
        Pixel::YUV420P
        | Pixel::YUVJ420P
        | Pixel::YUV422P
        | Pixel::YUVJ422P
        | Pixel::YUV444P
        | Pixel::YUVJ444P
        | Pixel::NV12
        | Pixel::NV21
        | Pixel::GRAY8 => Some(1),
        Pixel::YUV420P10LE | Pixel::YUV422P10LE | Pixel::YUV444P10LE => Some(2),
        _ => None,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
