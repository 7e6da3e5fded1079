//! Animated images are clips: the frame count and running time of an
//! animated WebP (`ANIM` + `ANMF` chunks) or APNG (`acTL` + `fcTL`), read
//! from the container's chunk headers — nothing is decoded, and a still
//! image is told apart by its first chunks. (GIF is not read: the `image`
//! crate is built without it, so a GIF has no media facts at all.)

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
    if !matches!(format, Format::WebP | Format::Png) {
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
}
