//! The bytes around an embedded manifest that C2PA leaves unauthenticated,
//! checked by `credits` so that a change there does not pass unnoticed.
//!
//! A hard binding (data hash, BMFF hash) leaves the manifest's own container
//! out of the hash, and the claim signature covers the claim, not the COSE
//! padding that reserves room for it. So the SDK still verifies a file whose
//! manifest padding, `caBX` CRC, APP11 sequence numbers or C2PA box header
//! were changed after signing. Nothing the manifest states changes, but a
//! verifier should not call such a file intact: these checks report it.
//!
//! What a conforming writer produces, and what is checked:
//! - COSE `pad`/`pad2` in the signature's unprotected header: zeros;
//! - PNG `caBX`: a correct CRC, zeros after the manifest store;
//! - JPEG APP11 (JPEG XT boxes): sequence numbers 1, 2, … per box instance,
//!   the box header repeated unchanged, the pieces adding up to the box;
//! - BMFF C2PA `uuid` box: version and flags 0, a Merkle offset only when
//!   it points at a C2PA `merkle` box, zeros after the manifest store.
//!
//! Left alone, because the specifications give them no fixed value: the
//! JPEG box instance number (any value, it only groups segments) and the
//! BMFF `ftyp`, `free` and `skip` boxes (excluded from BMFF hashes by the
//! C2PA specification; the brand's container is checked against the signed
//! record instead, in `verify`).

use std::io::{self, Read, Seek, SeekFrom};

use super::bmff;
use super::jumbf;

/// Non-zero bytes where a writer puts zeros: the COSE padding or the room
/// left after the manifest store in its container box.
pub const PADDING: &str = "credits.container.padding";
/// A container field around the manifest that does not hold what the
/// format requires: a chunk CRC, a segment sequence number, a box header.
pub const FRAMING: &str = "credits.container.framing";

/// One problem found around the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anomaly {
    /// [`PADDING`] or [`FRAMING`].
    pub code: &'static str,
    /// What is wrong, for people.
    pub detail: String,
}

impl Anomaly {
    fn padding(detail: impl Into<String>) -> Anomaly {
        Anomaly {
            code: PADDING,
            detail: detail.into(),
        }
    }
    fn framing(detail: impl Into<String>) -> Anomaly {
        Anomaly {
            code: FRAMING,
            detail: detail.into(),
        }
    }
}

/// Check the manifest store `store` (as the SDK located it) and the
/// container bytes around it in `file` (`mime`). The stream's position is
/// left anywhere; callers rewind.
pub fn check<R: Read + Seek>(file: &mut R, mime: &str, store: &[u8]) -> io::Result<Vec<Anomaly>> {
    let mut out = signature_padding(store);
    match mime {
        "image/png" => png(file, &mut out)?,
        "image/jpeg" => jpeg(file, &mut out)?,
        m if is_bmff(m) => bmff(file, &mut out)?,
        _ => {}
    }
    Ok(out)
}

fn is_bmff(mime: &str) -> bool {
    matches!(
        mime,
        "video/mp4"
            | "video/quicktime"
            | "video/x-m4v"
            | "audio/mp4"
            | "image/avif"
            | "image/heic"
            | "image/heif"
    )
}

/// The COSE padding of every signature in the store is zeros (for a store
/// on its own, as in a sidecar; [`check`] includes it).
pub fn signature_padding(store: &[u8]) -> Vec<Anomaly> {
    let mut out = Vec::new();
    jumbf::visit(store, &mut |label, kind, payload| {
        if label == "c2pa.signature" && &kind == b"cbor" {
            for (key, value) in jumbf::cose_unprotected(payload) {
                if (key == "pad" || key == "pad2") && value.iter().any(|&b| b != 0) {
                    out.push(Anomaly::padding(format!(
                        "the signature's COSE '{key}' holds non-zero bytes"
                    )));
                }
            }
        }
    });
    out
}

pub(super) fn read_at<R: Read + Seek>(r: &mut R, at: u64, buf: &mut [u8]) -> io::Result<bool> {
    r.seek(SeekFrom::Start(at))?;
    match r.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// Read `n` bytes at `at`, or `None` when the file is shorter. `n` is
/// bounded by the caller against the stream's length.
pub(super) fn bytes_at<R: Read + Seek>(r: &mut R, at: u64, n: u64) -> io::Result<Option<Vec<u8>>> {
    let mut buf = vec![0u8; n as usize];
    Ok(read_at(r, at, &mut buf)?.then_some(buf))
}

/// Whether `n` bytes from `at` are all zero (read in pieces).
pub(super) fn zeros<R: Read + Seek>(r: &mut R, at: u64, n: u64) -> io::Result<bool> {
    let mut buf = vec![0u8; n.min(1 << 20) as usize];
    let mut done = 0;
    r.seek(SeekFrom::Start(at))?;
    while done < n {
        let take = (n - done).min(buf.len() as u64) as usize;
        r.read_exact(&mut buf[..take])?;
        if buf[..take].iter().any(|&b| b != 0) {
            return Ok(false);
        }
        done += take as u64;
    }
    Ok(true)
}

/// PNG: every `caBX` chunk has a correct CRC and zeros after its store.
fn png<R: Read + Seek>(r: &mut R, out: &mut Vec<Anomaly>) -> io::Result<()> {
    let len = r.seek(SeekFrom::End(0))?;
    let mut at = 8u64;
    let mut head = [0u8; 8];
    while read_at(r, at, &mut head)? {
        let n = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
        let end = at + 12 + n;
        if end > len {
            break; // the SDK reports a truncated file
        }
        if &head[4..8] == b"caBX" {
            let Some(chunk) = bytes_at(r, at + 4, n + 8)? else {
                break;
            };
            let (typed, crc) = chunk.split_at(4 + n as usize);
            if crc32fast::hash(typed) != u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]) {
                out.push(Anomaly::framing(
                    "the caBX chunk's CRC does not match its bytes",
                ));
            }
            let data = &typed[4..];
            if let Some(store) = jumbf::declared_len(data).filter(|&s| s <= n) {
                if data[store as usize..].iter().any(|&b| b != 0) {
                    out.push(Anomaly::padding(
                        "non-zero bytes after the manifest store in the caBX chunk",
                    ));
                }
            }
        }
        if &head[4..8] == b"IEND" {
            break;
        }
        at = end;
    }
    Ok(())
}

/// One JPEG XT box instance being reassembled from APP11 segments.
struct JpegBox {
    instance: u16,
    header: Vec<u8>,
    next_sequence: u32,
    /// JUMBF bytes seen so far (the header once, then each segment's data).
    bytes: u64,
    declared: u64,
}

/// JPEG: the APP11 segments of each JUMBF box are numbered 1, 2, …, repeat
/// the same box header, and add up to the box's length.
fn jpeg<R: Read + Seek>(r: &mut R, out: &mut Vec<Anomaly>) -> io::Result<()> {
    let mut at = 2u64;
    let mut boxes: Vec<JpegBox> = Vec::new();
    let mut m = [0u8; 4];
    while read_at(r, at, &mut m[..2])? {
        if m[0] != 0xff {
            break;
        }
        match m[1] {
            0xff => {
                at += 1; // fill byte
                continue;
            }
            0x01 | 0xd0..=0xd8 => {
                at += 2;
                continue;
            }
            0xda | 0xd9 => break, // image data or end: no APP11 after this
            _ => {}
        }
        if !read_at(r, at + 2, &mut m[2..4])? {
            break;
        }
        let seg_len = u64::from(u16::from_be_bytes([m[2], m[3]]));
        if m[1] == 0xeb && seg_len >= 2 {
            if let Some(seg) = bytes_at(r, at + 4, seg_len - 2)? {
                app11(&seg, &mut boxes, out);
            }
        }
        at += 2 + seg_len;
    }
    for b in boxes {
        if b.bytes != b.declared {
            out.push(Anomaly::framing(format!(
                "the APP11 segments of JUMBF box instance {} hold {} bytes; its header declares {}",
                b.instance, b.bytes, b.declared
            )));
        }
    }
    Ok(())
}

fn app11(seg: &[u8], boxes: &mut Vec<JpegBox>, out: &mut Vec<Anomaly>) {
    // CI "JP", En (instance), Z (sequence), then LBox TBox [XLBox] data.
    if seg.get(..2) != Some(b"JP") || seg.len() < 16 {
        return;
    }
    let instance = u16::from_be_bytes([seg[2], seg[3]]);
    let sequence = u32::from_be_bytes([seg[4], seg[5], seg[6], seg[7]]);
    let body = &seg[8..];
    let header_len = if body[..4] == [0, 0, 0, 1] { 16 } else { 8 };
    let Some(header) = body.get(..header_len) else {
        out.push(Anomaly::framing(
            "an APP11 segment too short for its box header",
        ));
        return;
    };
    match boxes.iter_mut().find(|b| b.instance == instance) {
        None => {
            if sequence != 1 {
                out.push(Anomaly::framing(format!(
                    "JUMBF box instance {instance} starts at APP11 sequence number {sequence}, not 1"
                )));
            }
            boxes.push(JpegBox {
                instance,
                header: header.to_vec(),
                next_sequence: sequence.wrapping_add(1),
                bytes: body.len() as u64,
                declared: jumbf::declared_len(body).unwrap_or(body.len() as u64),
            });
        }
        Some(b) => {
            if sequence != b.next_sequence {
                out.push(Anomaly::framing(format!(
                    "JUMBF box instance {instance}: APP11 sequence number {sequence} where {} was due",
                    b.next_sequence
                )));
            }
            if header != b.header.as_slice() {
                out.push(Anomaly::framing(format!(
                    "JUMBF box instance {instance}: an APP11 segment repeats a different box header"
                )));
            }
            b.next_sequence = sequence.wrapping_add(1);
            b.bytes += (body.len() - header_len) as u64;
        }
    }
}

/// BMFF: each top-level C2PA `uuid` box has version and flags 0, a Merkle
/// offset of 0 or of a top-level C2PA `merkle` box (C2PA 2.2: the first
/// auxiliary box; a Merkle tree whose root the hash assertion holds needs
/// none), and zeros after its store.
fn bmff<R: Read + Seek>(r: &mut R, out: &mut Vec<Anomaly>) -> io::Result<()> {
    let len = r.seek(SeekFrom::End(0))?;
    // A box structure that does not tile the file: the SDK reports it.
    let Ok(boxes) = bmff::top_level(r, len) else {
        return Ok(());
    };
    let mut heads = Vec::new();
    for b in boxes.iter().filter(|b| b.c2pa) {
        let mut head = [0u8; 64];
        let n = b.size.min(64) as usize;
        read_at(r, b.offset, &mut head[..n])?;
        let header = if head[..4] == [0, 0, 0, 1] { 16 } else { 8 };
        heads.push((b, head, n, header + 16));
    }
    let merkle_boxes: Vec<u64> = heads
        .iter()
        .filter(|(_, head, n, p)| head[..*n].get(p + 4..p + 11) == Some(b"merkle\0"))
        .map(|(b, ..)| b.offset)
        .collect();
    for (b, head, n, p) in &heads {
        c2pa_box(r, &head[..*n], b.offset, b.size, *p, &merkle_boxes, out)?;
    }
    Ok(())
}

fn c2pa_box<R: Read + Seek>(
    r: &mut R,
    head: &[u8],
    at: u64,
    size: u64,
    mut p: usize,
    merkle_boxes: &[u64],
    out: &mut Vec<Anomaly>,
) -> io::Result<()> {
    let Some(version_flags) = head.get(p..p + 4) else {
        return Ok(());
    };
    if version_flags != [0, 0, 0, 0] {
        out.push(Anomaly::framing(
            "the C2PA box's version and flags are not zero",
        ));
    }
    p += 4;
    let Some(nul) = head[p..].iter().position(|&b| b == 0) else {
        return Ok(()); // purpose longer than the look-ahead: not ours to judge
    };
    let purpose = &head[p..p + nul];
    p += nul + 1;
    if purpose == b"merkle" {
        return Ok(());
    }
    let Some(offset) = head.get(p..p + 8) else {
        return Ok(());
    };
    let merkle_offset = u64::from_be_bytes(offset.try_into().unwrap_or([0; 8]));
    if merkle_offset != 0 && !merkle_boxes.contains(&merkle_offset) {
        out.push(Anomaly::framing(format!(
            "the C2PA box gives a Merkle offset ({merkle_offset}) where no C2PA 'merkle' box starts"
        )));
    }
    p += 8;
    let start = at + p as u64;
    let Some(stored) = head.get(p..).and_then(jumbf::declared_len) else {
        return Ok(());
    };
    let end = at + size;
    if start + stored < end && !zeros(r, start + stored, end - start - stored)? {
        out.push(Anomaly::padding(
            "non-zero bytes after the manifest store in the C2PA box",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn png_with(data: &[u8], crc_ok: bool) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
        v.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut typed = b"caBX".to_vec();
        typed.extend_from_slice(data);
        let crc = crc32fast::hash(&typed) ^ u32::from(!crc_ok);
        v.extend_from_slice(&typed);
        v.extend_from_slice(&crc.to_be_bytes());
        v.extend_from_slice(&[0, 0, 0, 0]);
        v.extend_from_slice(b"IEND");
        v.extend_from_slice(&crc32fast::hash(b"IEND").to_be_bytes());
        v
    }

    fn codes(bytes: &[u8], mime: &str) -> Vec<&'static str> {
        check(&mut Cursor::new(bytes), mime, &[])
            .unwrap()
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    const STORE: [u8; 8] = [0, 0, 0, 8, b'j', b'u', b'm', b'b'];

    #[test]
    fn png_crc_and_padding() {
        let mut data = STORE.to_vec();
        data.extend_from_slice(&[0; 8]);
        assert!(codes(&png_with(&data, true), "image/png").is_empty());
        assert_eq!(codes(&png_with(&data, false), "image/png"), [FRAMING]);
        data[12] = 1;
        assert_eq!(codes(&png_with(&data, true), "image/png"), [PADDING]);
    }

    fn app11(instance: u16, sequence: u32, body: &[u8]) -> Vec<u8> {
        let mut v = vec![0xff, 0xeb];
        v.extend_from_slice(&((body.len() + 10) as u16).to_be_bytes());
        v.extend_from_slice(b"JP");
        v.extend_from_slice(&instance.to_be_bytes());
        v.extend_from_slice(&sequence.to_be_bytes());
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn jpeg_segments_in_order() {
        // A 20-byte box split over two segments: header + 4, header + 8.
        let header = [0, 0, 0, 20, b'j', b'u', b'm', b'b'];
        let one = [&header[..], &[1, 2, 3, 4]].concat();
        let two = [&header[..], &[5, 6, 7, 8, 9, 10, 11, 12]].concat();
        let jpeg = |z1: u32, z2: u32| {
            [
                &[0xff, 0xd8][..],
                &app11(7, z1, &one),
                &app11(7, z2, &two),
                &[0xff, 0xd9],
            ]
            .concat()
        };
        assert!(codes(&jpeg(1, 2), "image/jpeg").is_empty());
        assert_eq!(codes(&jpeg(1, 3), "image/jpeg"), [FRAMING]);
        assert_eq!(codes(&jpeg(2, 3), "image/jpeg"), [FRAMING]);
    }

    fn c2pa_box(version: u8, merkle: u64, pad: &[u8]) -> Vec<u8> {
        let mut body = bmff::C2PA_UUID.to_vec();
        body.extend_from_slice(&[version, 0, 0, 0]);
        body.extend_from_slice(b"manifest\0");
        body.extend_from_slice(&merkle.to_be_bytes());
        body.extend_from_slice(&STORE);
        body.extend_from_slice(pad);
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(b"uuid");
        v.extend_from_slice(&body);
        let mut file = vec![0, 0, 0, 16, b'f', b't', b'y', b'p'];
        file.extend_from_slice(b"isom\0\0\0\0");
        file.extend_from_slice(&v);
        file
    }

    #[test]
    fn bmff_box_header_and_padding() {
        assert!(codes(&c2pa_box(0, 0, &[0; 9]), "video/mp4").is_empty());
        assert_eq!(codes(&c2pa_box(1, 0, &[0; 9]), "video/mp4"), [FRAMING]);
        assert_eq!(codes(&c2pa_box(0, 77, &[0; 9]), "video/mp4"), [FRAMING]);
        assert_eq!(codes(&c2pa_box(0, 0, &[0, 3]), "video/mp4"), [PADDING]);
    }
}
