//! ISO BMFF (MP4, MOV, M4V) layout for signing large clips at disk speed.
//!
//! The SDK's own writer reads a clip four times and writes it twice, in
//! 8 KiB calls, and hashes in 256 MiB buffers. For a plain (unfragmented)
//! file we do the same splice ourselves: the C2PA box goes right after
//! `ftyp` — where the SDK puts it — every chunk offset in `moov` moves by its
//! length, and the bytes are copied by the kernel while a second thread
//! reads the source once and computes the `c2pa.hash.bmff` (v2/v3) hash of
//! the output-to-be. Memory is one `moov` plus two 1 MiB buffers.
//!
//! Anything outside that plain shape (fragments, an existing manifest,
//! HEIF item offsets, sample-auxiliary offsets, offsets that would overflow)
//! is [`Shape::Other`], and the caller falls back to the SDK's writer.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

use sha2::{Digest, Sha256};

use super::chunk_offsets::patch_chunk_offsets;
use super::merkle;
use super::positional::{copy_range, read_exact_at};

/// The C2PA manifest store's `uuid` box identifier.
pub const C2PA_UUID: [u8; 16] = [
    0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81,
];

/// Top-level boxes a `c2pa.hash.bmff` hash must leave out (C2PA 2.2,
/// "BMFF-based hash"), besides the C2PA `uuid` box itself: `ftyp` and
/// `mfra`. The SDK's writer also excludes `free` and `skip`, which readers
/// report as `assertion.bmffHash.additionalExclusionsPresent`; our splice
/// hashes them (docs/attacks.md).
pub const EXCLUDED: [&[u8; 4]; 2] = [b"ftyp", b"mfra"];

/// A `moov` larger than this is not patched in memory.
const MOOV_LIMIT: u64 = 64 << 20;

/// Room left for the manifest box when checking 32-bit chunk offsets.
pub const MAX_MANIFEST_BOX: u64 = 64 << 20;

/// Read and copy granularity: one Merkle leaf.
const CHUNK: usize = merkle::LEAF as usize;

/// One top-level box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopBox {
    pub kind: [u8; 4],
    pub offset: u64,
    pub size: u64,
    /// A `uuid` box carrying a C2PA manifest store.
    pub c2pa: bool,
}

/// Whether a file can take the fast splice.
#[derive(Debug)]
pub enum Shape {
    /// Plain `ftyp … moov … mdat` (in either order).
    Plain(Splice),
    /// Anything else, with the reason (for logs and tests).
    Other(String),
}

/// The hard binding of a spliced movie: the flat hash, and each `mdat`'s
/// Merkle leaf hashes when its data is hashed in leaves.
#[derive(Debug)]
pub struct Hashes {
    pub flat: Vec<u8>,
    pub leaves: Option<Vec<Vec<Vec<u8>>>>,
}

/// A plan for inserting one box after `ftyp`.
#[derive(Debug)]
pub struct Splice {
    boxes: Vec<TopBox>,
    /// Index of `moov` in `boxes`, and its bytes.
    moov: usize,
    moov_bytes: Vec<u8>,
}

/// The top-level boxes of `file` (`len` bytes), which must tile it exactly.
pub fn top_level<R: Read + Seek>(file: &mut R, len: u64) -> io::Result<Vec<TopBox>> {
    let bad = |m: String| io::Error::new(io::ErrorKind::InvalidData, m);
    let mut boxes = Vec::new();
    let mut at = 0u64;
    while at < len {
        if len - at < 8 {
            return Err(bad(format!("{} stray bytes at offset {at}", len - at)));
        }
        let mut head = [0u8; 32];
        let n = (len - at).min(32) as usize;
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(&mut head[..n])?;
        let small = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
        let kind = [head[4], head[5], head[6], head[7]];
        let (size, header) = match small {
            0 => (len - at, 8),
            1 if n >= 16 => {
                let mut large = [0u8; 8];
                large.copy_from_slice(&head[8..16]);
                (u64::from_be_bytes(large), 16)
            }
            1 => return Err(bad(format!("truncated box header at offset {at}"))),
            s => (s, 8),
        };
        if size < header || size > len - at {
            return Err(bad(format!(
                "box '{}' at offset {at} claims {size} bytes; the file has {} left",
                String::from_utf8_lossy(&kind),
                len - at
            )));
        }
        let c2pa = &kind == b"uuid" && n >= header as usize + 16 && {
            let h = header as usize;
            head[h..h + 16] == C2PA_UUID
        };
        boxes.push(TopBox {
            kind,
            offset: at,
            size,
            c2pa,
        });
        at += size;
    }
    Ok(boxes)
}

/// SHA-256 (hex) of the `ftyp` box opening `file`, if it opens with one of
/// a sane size (the brands: outside every C2PA hash, so the signed record
/// carries this digest).
pub fn ftyp_digest(file: &File) -> io::Result<Option<String>> {
    let mut head = [0u8; 8];
    if read_exact_at(file, &mut head, 0).is_err() || &head[4..8] != b"ftyp" {
        return Ok(None);
    }
    let size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    if !(8..=4096).contains(&size) {
        return Ok(None);
    }
    let mut ftyp = vec![0u8; size];
    if read_exact_at(file, &mut ftyp, 0).is_err() {
        return Ok(None);
    }
    Ok(Some(hex::encode(Sha256::digest(&ftyp))))
}

/// Decide whether `file` takes the fast splice, and prepare it.
pub fn shape(file: &File) -> io::Result<Shape> {
    let len = file.metadata()?.len();
    let boxes = match top_level(&mut &*file, len) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(Shape::Other(e.to_string())),
        Err(e) => return Err(e),
    };
    let other = |why: &str| Ok(Shape::Other(why.to_string()));
    if boxes.first().map(|b| &b.kind) != Some(b"ftyp") {
        return other("the file does not start with 'ftyp'");
    }
    if boxes.iter().any(|b| b.c2pa) {
        return other("the file already carries a C2PA manifest store");
    }
    for kind in [b"moof", b"mfra", b"sidx", b"meta", b"ssix"] {
        if boxes.iter().any(|b| &b.kind == kind) {
            return Ok(Shape::Other(format!(
                "top-level '{}' box (fragmented or item-based file)",
                String::from_utf8_lossy(kind)
            )));
        }
    }
    let moovs: Vec<usize> = (0..boxes.len())
        .filter(|&i| &boxes[i].kind == b"moov")
        .collect();
    let [moov] = moovs[..] else {
        return other("not exactly one 'moov' box");
    };
    if boxes[moov].size > MOOV_LIMIT {
        return other("'moov' is larger than 64 MiB");
    }
    let mut moov_bytes = vec![0u8; boxes[moov].size as usize];
    read_exact_at(file, &mut moov_bytes, boxes[moov].offset)?;
    // Check the chunk tables once now, so a later patch cannot fail halfway.
    let insert_at = boxes[0].size;
    if let Err(why) = patch_chunk_offsets(&mut moov_bytes.clone(), insert_at, MAX_MANIFEST_BOX) {
        return Ok(Shape::Other(why));
    }
    Ok(Shape::Plain(Splice {
        boxes,
        moov,
        moov_bytes,
    }))
}

impl Splice {
    /// The `moov` box as it will be written (before its offsets move).
    pub fn moov(&self) -> &[u8] {
        &self.moov_bytes
    }

    /// Where `moov` is in the source.
    pub fn moov_offset(&self) -> u64 {
        self.boxes[self.moov].offset
    }

    /// Write `moov` instead: the same length, rewritten only in its
    /// `udta`/`meta` (`generator::movie::strip`), which the chunk-offset
    /// walk checked in [`shape`] never enters — so that check still holds.
    pub fn set_moov(&mut self, moov: Vec<u8>) -> Result<(), String> {
        if moov.len() != self.moov_bytes.len() {
            return Err("a rewritten 'moov' must keep its length".into());
        }
        self.moov_bytes = moov;
        Ok(())
    }

    /// (offset, size) of every top-level box but `ftyp`, `moov` and `mdat`.
    pub fn other_boxes(&self) -> Vec<(u64, u64)> {
        self.boxes
            .iter()
            .filter(|b| ![b"ftyp", b"moov", b"mdat"].contains(&&b.kind))
            .map(|b| (b.offset, b.size))
            .collect()
    }

    /// Where the manifest box goes: right after `ftyp`.
    pub fn insert_at(&self) -> u64 {
        self.boxes[0].size
    }

    /// The leaves of each `mdat` (in file order) when its media data is
    /// hashed as Merkle trees: a clip of at least [`merkle::MIN_MEDIA`]
    /// bytes of media data, every `mdat` longer than its head.
    pub fn leaf_counts(&self) -> Option<Vec<u64>> {
        let mdats: Vec<u64> = self
            .boxes
            .iter()
            .filter(|b| &b.kind == b"mdat")
            .map(|b| b.size)
            .collect();
        let merkle = mdats.iter().sum::<u64>() >= merkle::MIN_MEDIA
            && mdats.iter().all(|&s| s > merkle::MDAT_HEAD);
        merkle.then(|| mdats.into_iter().map(merkle::leaf_count).collect())
    }

    /// Write `src` with `manifest_box` spliced in to `dst` (from its
    /// current position 0), hashing the output-to-be on a second thread.
    pub fn write(&self, src: &File, dst: &mut File, manifest_box: &[u8]) -> io::Result<Hashes> {
        let delta = manifest_box.len() as u64;
        let mut moov = self.moov_bytes.clone();
        patch_chunk_offsets(&mut moov, self.insert_at(), delta)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        std::thread::scope(|s| {
            let hasher = s.spawn(|| self.hash(src, delta, &moov));
            let copied = self.copy(src, dst, manifest_box, &moov);
            let hashed = hasher
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("hashing thread failed")));
            copied.and(hashed)
        })
    }

    fn copy(&self, src: &File, dst: &mut File, manifest_box: &[u8], moov: &[u8]) -> io::Result<()> {
        for (i, b) in self.boxes.iter().enumerate() {
            if i == self.moov {
                dst.write_all(moov)?;
            } else {
                copy_range(src, b.offset, b.size, dst)?;
            }
            if i == 0 {
                dst.write_all(manifest_box)?;
            }
        }
        dst.flush()
    }

    /// The BMFF v2/v3 hash of the output: every top-level box not in
    /// [`EXCLUDED`], each preceded by its output offset (u64 BE) — of an
    /// `mdat` only its head when its data goes into Merkle leaves.
    fn hash(&self, src: &File, delta: u64, moov: &[u8]) -> io::Result<Hashes> {
        let merkle = self.leaf_counts().is_some();
        let mut sha = Sha256::new();
        let mut leaves = Vec::new();
        let mut buf = vec![0u8; CHUNK];
        for (i, b) in self.boxes.iter().enumerate() {
            if EXCLUDED.contains(&&b.kind) {
                continue;
            }
            let out_offset = if i == 0 { b.offset } else { b.offset + delta };
            sha.update(out_offset.to_be_bytes());
            if i == self.moov {
                sha.update(moov);
                continue;
            }
            let (mut at, end) = (b.offset, b.offset + b.size);
            let in_leaves = merkle && &b.kind == b"mdat";
            if in_leaves {
                let head = &mut buf[..merkle::MDAT_HEAD as usize];
                read_exact_at(src, head, at)?;
                sha.update(head);
                at += merkle::MDAT_HEAD;
            }
            let mut box_leaves = Vec::new();
            while at < end {
                let n = ((end - at) as usize).min(CHUNK);
                read_exact_at(src, &mut buf[..n], at)?;
                if in_leaves {
                    box_leaves.push(Sha256::digest(&buf[..n]).to_vec());
                } else {
                    sha.update(&buf[..n]);
                }
                at += n as u64;
            }
            if in_leaves {
                leaves.push(box_leaves);
            }
        }
        Ok(Hashes {
            flat: sha.finalize().to_vec(),
            leaves: merkle.then_some(leaves),
        })
    }
}

/// The raw JUMBF manifest store inside a composed C2PA `uuid` box (as
/// returned by the SDK's `placeholder`/`sign_embeddable`), without padding.
pub fn jumbf_of_box(composed: &[u8]) -> Option<&[u8]> {
    // size(4) 'uuid'(4) id(16) version+flags(4) purpose\0 merkle-offset(8)
    let purpose = composed.get(28..)?;
    let nul = purpose.iter().position(|&b| b == 0)?;
    let jumbf = composed.get(28 + nul + 1 + 8..)?;
    jumbf.get(..usize::try_from(super::jumbf::declared_len(jumbf)?).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_found_inside_a_composed_box() {
        let jumbf = {
            let mut j = 12u32.to_be_bytes().to_vec();
            j.extend_from_slice(b"jumb\x01\x02\x03\x04");
            j
        };
        let mut composed = vec![0u8; 4];
        composed.extend_from_slice(b"uuid");
        composed.extend_from_slice(&C2PA_UUID);
        composed.extend_from_slice(&[0, 0, 0, 0]);
        composed.extend_from_slice(b"manifest\0");
        composed.extend_from_slice(&[0u8; 8]);
        composed.extend_from_slice(&jumbf);
        composed.extend_from_slice(&[0u8; 20]); // padding
        assert_eq!(jumbf_of_box(&composed), Some(jumbf.as_slice()));
    }
}
