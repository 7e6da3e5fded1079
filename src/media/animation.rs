//! Animated images are clips: the frame count and running time of an
//! animated WebP (`ANIM` + `ANMF` chunks), APNG (`acTL` + `fcTL`) or GIF
//! (image descriptors and their graphic-control delays), read from the
//! container's own headers — nothing is decoded. A still image has none.

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

/// Animated images larger than this are not read for their timing.
const MAX_BYTES: u64 = 64 << 20;

/// [`timing`] of the file at `path` (read whole, up to 64 MiB).
pub fn timing_of_file(format: Format, path: &std::path::Path) -> Option<Timing> {
    if !matches!(format, Format::WebP | Format::Png | Format::Gif) {
        return None;
    }
    let len = std::fs::metadata(path).ok()?.len();
    if len > MAX_BYTES {
        return None;
    }
    timing(format, &std::fs::read(path).ok()?)
}

/// The timing of `bytes` (a whole file of `format`) when it is animated:
/// more than one frame. `None` for stills and anything malformed.
pub fn timing(format: Format, bytes: &[u8]) -> Option<Timing> {
    let t = match format {
        Format::WebP => webp(bytes),
        Format::Png => apng(bytes),
        Format::Gif => gif(bytes),
        _ => None,
    }?;
    (t.frames > 1).then_some(t)
}

fn le24(b: &[u8]) -> u64 {
    u64::from(b[0]) | u64::from(b[1]) << 8 | u64::from(b[2]) << 16
}

/// RIFF `WEBP`: each `ANMF` chunk is a frame, its duration a 24-bit LE
/// value at offset 12 of its payload (only with an `ANIM` chunk).
fn webp(bytes: &[u8]) -> Option<Timing> {
    if bytes.get(..4)? != b"RIFF" || bytes.get(8..12)? != b"WEBP" {
        return None;
    }
    let (mut at, mut frames, mut ms, mut animated) = (12usize, 0u64, 0u64, false);
    while at + 8 <= bytes.len() {
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().ok()?) as usize;
        let payload = bytes.get(at + 8..at.checked_add(8 + size)?)?;
        match &bytes[at..at + 4] {
            b"ANIM" => animated = true,
            b"ANMF" => {
                frames += 1;
                ms += le24(payload.get(12..15)?);
            }
            _ => {}
        }
        at += 8 + size + (size & 1);
    }
    animated.then_some(Timing {
        frames,
        duration_ms: ms,
    })
}

/// PNG with `acTL`: each `fcTL` is a frame, its delay `num/den` seconds
/// (`den` 0 means 100).
fn apng(bytes: &[u8]) -> Option<Timing> {
    if bytes.get(..8)? != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let (mut at, mut frames, mut ms, mut animated) = (8usize, 0u64, 0f64, false);
    while at + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        let data = bytes.get(at + 8..at.checked_add(8 + len)?)?;
        match &bytes[at + 4..at + 8] {
            b"acTL" => animated = true,
            b"fcTL" => {
                let num = u16::from_be_bytes(data.get(20..22)?.try_into().ok()?);
                let den = u16::from_be_bytes(data.get(22..24)?.try_into().ok()?);
                let den = if den == 0 { 100 } else { den };
                frames += 1;
                ms += f64::from(num) * 1000.0 / f64::from(den);
            }
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    animated.then_some(Timing {
        frames,
        duration_ms: ms.round() as u64,
    })
}

/// GIF: each image descriptor is a frame; a graphic control extension
/// before it gives its delay in hundredths of a second.
fn gif(bytes: &[u8]) -> Option<Timing> {
    if !matches!(bytes.get(..6)?, b"GIF87a" | b"GIF89a") {
        return None;
    }
    let packed = *bytes.get(10)?;
    let mut at = 13usize;
    if packed & 0x80 != 0 {
        at += 3 << ((packed & 7) + 1);
    }
    let (mut frames, mut ms, mut delay) = (0u64, 0u64, 0u64);
    while let Some(&b) = bytes.get(at) {
        match b {
            0x21 => {
                let label = *bytes.get(at + 1)?;
                if label == 0xf9 && bytes.get(at + 2) == Some(&4) {
                    delay = u64::from(u16::from_le_bytes(
                        bytes.get(at + 4..at + 6)?.try_into().ok()?,
                    ));
                }
                at = skip_blocks(bytes, at + 2)?;
            }
            0x2c => {
                frames += 1;
                ms += delay * 10;
                delay = 0;
                let local = *bytes.get(at + 9)?;
                at += 10;
                if local & 0x80 != 0 {
                    at += 3 << ((local & 7) + 1);
                }
                at = skip_blocks(bytes, at + 1)?; // LZW minimum code size, then data
            }
            0x3b => break,
            _ => return None,
        }
    }
    Some(Timing {
        frames,
        duration_ms: ms,
    })
}

/// The offset after a run of GIF data sub-blocks starting at `at`.
fn skip_blocks(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let n = usize::from(*bytes.get(at)?);
        at += 1 + n;
        if n == 0 {
            return Some(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let anim = riff(&[
            (b"ANIM", vec![0; 6]),
            (b"ANMF", frame(100)),
            (b"ANMF", frame(150)),
        ]);
        let t = timing(Format::WebP, &anim).unwrap();
        assert_eq!((t.frames, t.duration_ms), (2, 250));
        assert_eq!(timing(Format::WebP, &riff(&[(b"VP8 ", vec![0; 10])])), None);
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
        let t = timing(Format::Gif, &g).unwrap();
        assert_eq!((t.frames, t.duration_ms), (3, 150));
    }
}
