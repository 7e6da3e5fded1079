//! Animated images are clips: the frame count and running time of an
//! animated WebP (`ANIM` + `ANMF` chunks), APNG (`acTL` + `fcTL`) or GIF
//! (graphic control extensions before each image descriptor), read from
//! the container's headers — nothing is decoded, and a still image is told
//! apart by its first chunks (a GIF by its single image); and the
//! fingerprint of an animation, its frames decoded one at a time
//! ([`sample`]) and hashed at the clip sampling rate.

use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::format::Format;

/// Frames and running time of an animated image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    pub frames: u64,
    /// Milliseconds, the sum of the frame delays.
    pub duration_ms: u64,
}

impl Timing {
    pub fn seconds(&self) -> f64 {
        self.duration_ms as f64 / 1000.0
    }

    /// Frames per second, when the running time is not zero.
    pub fn frame_rate(&self) -> Option<f64> {
        (self.duration_ms > 0).then(|| self.frames as f64 * 1000.0 / self.duration_ms as f64)
    }
}

/// [`timing`] of the file at `path`.
pub fn timing_of_file(format: Format, path: &Path) -> Option<Timing> {
    if !matches!(format, Format::WebP | Format::Png | Format::Gif) {
        return None;
    }
    let mut file = io::BufReader::new(std::fs::File::open(path).ok()?);
    timing(format, &mut file)
}

/// The timing of `r` (a whole file of `format`) when it is animated: more
/// than one frame. `None` for stills, other formats and anything malformed.
pub fn timing<R: Read + Seek>(format: Format, r: &mut R) -> Option<Timing> {
    let t = match format {
        Format::WebP => webp(r).ok()?,
        Format::Png => apng(r).ok()?,
        Format::Gif => gif(r).ok()?,
        _ => None,
    }?;
    (t.frames > 1).then_some(t)
}

fn skip<R: Read + Seek>(r: &mut R, n: u64) -> io::Result<()> {
    r.seek(SeekFrom::Current(
        i64::try_from(n).map_err(io::Error::other)?,
    ))
    .map(|_| ())
}

/// RIFF `WEBP`: a still starts with `VP8 `/`VP8L`, or a `VP8X` without
/// the animation flag; each `ANMF` chunk is a frame, its duration a 24-bit
/// LE value at offset 12 of its payload.
fn webp<R: Read + Seek>(r: &mut R) -> io::Result<Option<Timing>> {
    let mut head = [0u8; 12];
    r.read_exact(&mut head)?;
    if &head[..4] != b"RIFF" || &head[8..12] != b"WEBP" {
        return Ok(None);
    }
    let (mut frames, mut ms, mut first) = (0u64, 0u64, true);
    let mut chunk = [0u8; 8];
    while r.read_exact(&mut chunk).is_ok() {
        let size = u64::from(u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]));
        let mut used = 0;
        match &chunk[..4] {
            b"VP8 " | b"VP8L" if first => return Ok(None),
            b"VP8X" => {
                let mut flags = [0u8; 1];
                r.read_exact(&mut flags)?;
                used = 1;
                if flags[0] & 0x02 == 0 {
                    return Ok(None);
                }
            }
            b"ANMF" if size >= 16 => {
                let mut frame = [0u8; 16];
                r.read_exact(&mut frame)?;
                used = 16;
                frames += 1;
                ms += u64::from(frame[12]) | u64::from(frame[13]) << 8 | u64::from(frame[14]) << 16;
            }
            _ => {}
        }
        first = false;
        skip(r, size - used + (size & 1))?;
    }
    Ok(Some(Timing {
        frames,
        duration_ms: ms,
    }))
}

/// PNG: a still has no `acTL` before its first `IDAT`; each `fcTL` is a
/// frame, its delay `num/den` seconds (`den` 0 means 100).
fn apng<R: Read + Seek>(r: &mut R) -> io::Result<Option<Timing>> {
    let mut sig = [0u8; 8];
    r.read_exact(&mut sig)?;
    if &sig != b"\x89PNG\r\n\x1a\n" {
        return Ok(None);
    }
    let (mut frames, mut ms, mut animated) = (0u64, 0f64, false);
    let mut chunk = [0u8; 8];
    while r.read_exact(&mut chunk).is_ok() {
        let len = u64::from(u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]));
        let mut used = 0;
        match &chunk[4..8] {
            b"acTL" => animated = true,
            b"IDAT" if !animated => return Ok(None),
            b"fcTL" if len >= 26 => {
                let mut fc = [0u8; 26];
                r.read_exact(&mut fc)?;
                used = 26;
                let num = u16::from_be_bytes([fc[20], fc[21]]);
                let den = match u16::from_be_bytes([fc[22], fc[23]]) {
                    0 => 100,
                    d => d,
                };
                frames += 1;
                ms += f64::from(num) * 1000.0 / f64::from(den);
            }
            b"IEND" => break,
            _ => {}
        }
        skip(r, len - used + 4)?;
    }
    Ok(animated.then_some(Timing {
        frames,
        duration_ms: ms.round() as u64,
    }))
}

/// GIF: each image descriptor (`0x2C`) is a frame, shown for the delay
/// (hundredths of a second) of the graphic control extension before it.
fn gif<R: Read + Seek>(r: &mut R) -> io::Result<Option<Timing>> {
    let mut head = [0u8; 13];
    r.read_exact(&mut head)?;
    if !matches!(&head[..6], b"GIF87a" | b"GIF89a") {
        return Ok(None);
    }
    if head[10] & 0x80 != 0 {
        skip(r, 3 << ((head[10] & 7) + 1))?;
    }
    let (mut frames, mut ms, mut delay) = (0u64, 0u64, 0u64);
    let mut byte = [0u8; 1];
    while r.read_exact(&mut byte).is_ok() {
        match byte[0] {
            0x21 => {
                let mut ext = [0u8; 2];
                r.read_exact(&mut ext)?;
                if ext == [0xf9, 4] {
                    let mut gce = [0u8; 5];
                    r.read_exact(&mut gce)?;
                    delay = u64::from(u16::from_le_bytes([gce[1], gce[2]]));
                    // gce[4] is the block terminator.
                } else {
                    skip(r, u64::from(ext[1]))?;
                    skip_blocks(r)?;
                }
            }
            0x2c => {
                frames += 1;
                ms += delay * 10;
                delay = 0;
                let mut desc = [0u8; 9];
                r.read_exact(&mut desc)?;
                if desc[8] & 0x80 != 0 {
                    skip(r, 3 << ((desc[8] & 7) + 1))?;
                }
                skip(r, 1)?; // LZW minimum code size
                skip_blocks(r)?;
            }
            0x3b => break,
            _ => return Ok(None),
        }
    }
    Ok(Some(Timing {
        frames,
        duration_ms: ms,
    }))
}

/// Past a chain of GIF sub-blocks (each a length byte and its data), to
/// the zero-length terminator.
fn skip_blocks<R: Read + Seek>(r: &mut R) -> io::Result<()> {
    let mut len = [0u8; 1];
    loop {
        r.read_exact(&mut len)?;
        if len[0] == 0 {
            return Ok(());
        }
        skip(r, u64::from(len[0]))?;
    }
}

/// The fingerprint samples of an animation: every frame decoded in turn
/// (one in memory at a time), and hashed — the first frame at or after
/// every `step_ms` of its running time, or every frame when `step_ms` is
/// `None`.
pub fn sample(
    path: &Path,
    format: Format,
    step_ms: Option<u64>,
) -> Result<Vec<super::fingerprint::Sample>, String> {
    use image::AnimationDecoder;
    let file = io::BufReader::new(std::fs::File::open(path).map_err(|e| e.to_string())?);
    let err = |e: image::ImageError| e.to_string();
    let frames = match format {
        Format::WebP => image::codecs::webp::WebPDecoder::new(file)
            .map_err(err)?
            .into_frames(),
        Format::Png => image::codecs::png::PngDecoder::new(file)
            .map_err(err)?
            .apng()
            .map_err(err)?
            .into_frames(),
        Format::Gif => image::codecs::gif::GifDecoder::new(file)
            .map_err(err)?
            .into_frames(),
        _ => return Ok(Vec::new()),
    };
    let (mut t, mut next, mut out) = (0u64, 0u64, Vec::new());
    for frame in frames {
        let frame = frame.map_err(err)?;
        let (num, den) = frame.delay().numer_denom_ms();
        // As a clip's decode samples (`video`): the first frame at or after
        // each due time, at its own start time.
        let wanted = match step_ms {
            None => true,
            Some(step) if t >= next => {
                next = (t / step.max(1) + 1) * step.max(1);
                true
            }
            Some(_) => false,
        };
        if wanted {
            let luma = image::DynamicImage::ImageRgba8(frame.into_buffer()).to_luma8();
            let (w, h) = (luma.width() as usize, luma.height() as usize);
            let hash = super::phash::hash_luma(luma.as_raw(), w, h, w).ok_or("an empty frame")?;
            out.push(super::fingerprint::Sample { t_ms: t, hash });
        }
        t += u64::from(num) / u64::from(den.max(1));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn riff(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
        let mut body = b"WEBP".to_vec();
        for (id, data) in chunks {
            body.extend_from_slice(*id);
            body.extend_from_slice(&(data.len() as u32).to_le_bytes());
            body.extend_from_slice(data);
            if data.len() % 2 == 1 {
                body.push(0);
            }
        }
        [
            b"RIFF".as_slice(),
            &(body.len() as u32).to_le_bytes(),
            &body,
        ]
        .concat()
    }

    #[test]
    fn animated_webp_frames_and_delays() {
        let frame = |ms: u32| {
            let mut d = vec![0u8; 16];
            d[12..15].copy_from_slice(&ms.to_le_bytes()[..3]);
            d
        };
        let mut vp8x = vec![0u8; 10];
        vp8x[0] = 0x02;
        let anim = riff(&[
            (b"VP8X", vp8x),
            (b"ANIM", vec![0; 6]),
            (b"ANMF", frame(100)),
            (b"ANMF", frame(150)),
        ]);
        let t = timing(Format::WebP, &mut Cursor::new(anim)).unwrap();
        assert_eq!((t.frames, t.duration_ms), (2, 250));
        let still = riff(&[(b"VP8 ", vec![0; 10])]);
        assert_eq!(timing(Format::WebP, &mut Cursor::new(still)), None);
    }

    #[test]
    fn gif_frames_and_delays() {
        let mut g = b"GIF89a".to_vec();
        g.extend_from_slice(&[1, 0, 1, 0, 0, 0, 0]); // 1x1, no global table
        for _ in 0..3 {
            g.extend_from_slice(&[0x21, 0xf9, 4, 0, 5, 0, 0, 0]); // 50 ms
            g.extend_from_slice(&[0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4c, 0x01, 0]);
        }
        g.push(0x3b);
        let t = timing(Format::Gif, &mut Cursor::new(g)).unwrap();
        assert_eq!((t.frames, t.duration_ms), (3, 150));
    }
}
