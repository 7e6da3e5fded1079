//! Where a container holds a C2PA manifest store, read from an offset an
//! exclusion names: the container's whole size when its payload is exactly
//! the store and zeros after it (for [`super::exclusions`]). Payloads are
//! compared piece by piece, never collected.

use std::io::{self, Read, Seek};

use super::{bmff, framing};

/// A container that holds exactly the store (and zeros after it): its
/// whole size.
pub struct Framed {
    pub extent: u64,
    /// The size with the container's trailing pad byte (RIFF, odd sizes).
    pub padded: Option<u64>,
}

/// A container's payload, piece by piece, against the store and then
/// zeros: nothing is collected, so a container of any declared size costs
/// no more memory than its largest piece.
struct StoreMatch<'a> {
    store: &'a [u8],
    at: usize,
    ok: bool,
}

impl<'a> StoreMatch<'a> {
    fn new(store: &'a [u8]) -> StoreMatch<'a> {
        StoreMatch {
            store,
            at: 0,
            ok: true,
        }
    }

    fn feed(&mut self, piece: &[u8]) {
        let take = piece.len().min(self.store.len() - self.at);
        self.ok = self.ok
            && piece[..take] == self.store[self.at..self.at + take]
            && piece[take..].iter().all(|&b| b == 0);
        self.at += take;
    }

    fn matched(&self) -> bool {
        self.ok && self.at == self.store.len()
    }
}

/// Whether the `n` bytes at `at` are the store, then zeros (read in
/// pieces).
pub(super) fn contiguous<R: Read + Seek>(
    r: &mut R,
    at: u64,
    n: u64,
    store: &[u8],
) -> io::Result<bool> {
    let s = store.len() as u64;
    if n < s {
        return Ok(false);
    }
    let mut head = vec![0u8; store.len()];
    Ok(framing::read_at(r, at, &mut head)? && head == store && framing::zeros(r, at + s, n - s)?)
}

/// Bytes at `at` if the file has `n` of them there, bounded by `len`;
/// only for small reads (headers, segments of at most 64 KiB).
fn read_upto<R: Read + Seek>(r: &mut R, at: u64, n: u64, len: u64) -> io::Result<Option<Vec<u8>>> {
    if at.checked_add(n).is_none_or(|e| e > len) {
        return Ok(None);
    }
    framing::bytes_at(r, at, n)
}

/// JPEG: consecutive APP11 segments of one JUMBF box instance whose first
/// segment opens a C2PA store, their JUMBF matched against the store.
pub(super) fn jpeg_app11<R: Read + Seek>(
    r: &mut R,
    start: u64,
    len: u64,
    store: &[u8],
) -> io::Result<Option<Framed>> {
    let mut at = start;
    let mut payload = StoreMatch::new(store);
    let mut instance = None;
    while let Some(head) = read_upto(r, at, 4, len)? {
        if head[..2] != [0xff, 0xeb] {
            break;
        }
        let seg_len = u64::from(u16::from_be_bytes([head[2], head[3]]));
        let Some(seg) = seg_len.checked_sub(2).map(|n| read_upto(r, at + 4, n, len)) else {
            break;
        };
        let Some(seg) = seg? else { break };
        if seg.len() < 16 || &seg[..2] != b"JP" {
            break;
        }
        let en = [seg[2], seg[3]];
        let body = &seg[8..];
        match instance {
            None => {
                // LBox TBox 'jumb', then the description box whose UUID
                // starts 'c2pa' (the manifest store's).
                if body.get(16..20) != Some(b"c2pa") {
                    return Ok(None);
                }
                payload.feed(body);
                instance = Some(en);
            }
            Some(i) if i == en => {
                let header = if body[..4] == [0, 0, 0, 1] { 16 } else { 8 };
                payload.feed(body.get(header..).unwrap_or_default());
            }
            Some(_) => break,
        }
        at += 2 + seg_len;
    }
    Ok((instance.is_some() && payload.matched()).then_some(Framed {
        extent: at - start,
        padded: None,
    }))
}

/// PNG: one `caBX` chunk (length, type, data, CRC).
pub(super) fn png_chunk<R: Read + Seek>(
    r: &mut R,
    start: u64,
    len: u64,
    store: &[u8],
) -> io::Result<Option<Framed>> {
    let Some(head) = read_upto(r, start, 8, len)? else {
        return Ok(None);
    };
    if &head[4..8] != b"caBX" {
        return Ok(None);
    }
    let n = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
    let fits = start + 12 + n <= len;
    Ok(
        (fits && contiguous(r, start + 8, n, store)?).then_some(Framed {
            extent: 12 + n,
            padded: None,
        }),
    )
}

/// RIFF: one `C2PA` chunk (id, little-endian size, data); an odd-sized
/// chunk is followed by a pad byte, zero as padding is.
pub(super) fn riff_chunk<R: Read + Seek>(
    r: &mut R,
    start: u64,
    len: u64,
    store: &[u8],
) -> io::Result<Option<Framed>> {
    let Some(head) = read_upto(r, start, 8, len)? else {
        return Ok(None);
    };
    if &head[..4] != b"C2PA" {
        return Ok(None);
    }
    let n = u64::from(u32::from_le_bytes([head[4], head[5], head[6], head[7]]));
    let pad = n % 2;
    let fits = start + 8 + n + pad <= len;
    Ok(
        (fits && contiguous(r, start + 8, n + pad, store)?).then_some(Framed {
            extent: 8 + n,
            padded: (pad == 1).then_some(8 + n + 1),
        }),
    )
}

/// GIF: the `C2PA_GIF` application extension and its data sub-blocks, to
/// the block terminator.
pub(super) fn gif_extension<R: Read + Seek>(
    r: &mut R,
    start: u64,
    len: u64,
    store: &[u8],
) -> io::Result<Option<Framed>> {
    let Some(head) = read_upto(r, start, 14, len)? else {
        return Ok(None);
    };
    if head[..3] != [0x21, 0xff, 0x0b] || &head[3..14] != b"C2PA_GIF\x01\x00\x00" {
        return Ok(None);
    }
    let mut at = start + 14;
    let mut payload = StoreMatch::new(store);
    loop {
        let Some(n) = read_upto(r, at, 1, len)? else {
            return Ok(None);
        };
        at += 1;
        if n[0] == 0 {
            break;
        }
        let Some(block) = read_upto(r, at, u64::from(n[0]), len)? else {
            return Ok(None);
        };
        payload.feed(&block);
        at += u64::from(n[0]);
    }
    Ok(payload.matched().then_some(Framed {
        extent: at - start,
        padded: None,
    }))
}

/// ISO BMFF: one C2PA `uuid` box (size, type, UUID, version and flags,
/// purpose, the Merkle offset for a manifest, then the store).
pub(super) fn bmff_box<R: Read + Seek>(
    r: &mut R,
    start: u64,
    len: u64,
    store: &[u8],
) -> io::Result<Option<Framed>> {
    let Some(head) = read_upto(r, start, 16, len)? else {
        return Ok(None);
    };
    if &head[4..8] != b"uuid" {
        return Ok(None);
    }
    let (size, header) = match u32::from_be_bytes([head[0], head[1], head[2], head[3]]) {
        1 => (
            u64::from_be_bytes(head[8..16].try_into().unwrap_or([0; 8])),
            16,
        ),
        0 => (len - start, 8),
        s => (u64::from(s), 8),
    };
    if size < header + 20 || start.checked_add(size).is_none_or(|e| e > len) {
        return Ok(None);
    }
    // UUID, version and flags, then a NUL-terminated purpose of at most
    // a few bytes (`manifest` adds an 8-byte Merkle offset).
    let fixed = (size - header).min(20 + 64);
    let Some(body) = read_upto(r, start + header, fixed, len)? else {
        return Ok(None);
    };
    if body[..16] != bmff::C2PA_UUID || body[16..20] != [0, 0, 0, 0] {
        return Ok(None);
    }
    let Some(nul) = body[20..].iter().position(|&b| b == 0) else {
        return Ok(None);
    };
    let purpose = &body[20..20 + nul];
    let after = 20 + nul as u64 + if purpose == b"manifest" { 9 } else { 1 };
    let Some(payload_len) = (size - header).checked_sub(after) else {
        return Ok(None);
    };
    let at = start + header + after;
    Ok(contiguous(r, at, payload_len, store)?.then_some(Framed {
        extent: size,
        padded: None,
    }))
}

/// TIFF: a 4-byte (TIFF) or 8-byte (BigTIFF) field holding the store's
/// length — the C2PA tag's count, which the SDK excludes.
pub(super) fn tiff_count<R: Read + Seek>(
    r: &mut R,
    store: &[u8],
    start: u64,
    length: u64,
) -> io::Result<bool> {
    if !matches!(length, 4 | 8) {
        return Ok(false);
    }
    let (Some(header), Some(b)) = (
        framing::bytes_at(r, 0, 2)?,
        framing::bytes_at(r, start, length)?,
    ) else {
        return Ok(false);
    };
    let value = match (b.len(), header.as_slice()) {
        (4, b"II") => b.try_into().map(|a| u64::from(u32::from_le_bytes(a))),
        (4, b"MM") => b.try_into().map(|a| u64::from(u32::from_be_bytes(a))),
        (8, b"II") => b.try_into().map(u64::from_le_bytes),
        (8, b"MM") => b.try_into().map(u64::from_be_bytes),
        _ => return Ok(false),
    };
    Ok(value.is_ok_and(|v| v == store.len() as u64))
}
