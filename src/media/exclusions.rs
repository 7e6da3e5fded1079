//! The byte ranges a data hash (`c2pa.hash.data`) leaves out, checked
//! against the file: each must hold the manifest store and nothing else.
//!
//! C2PA 2.2 (validating a data hash): "a validator shall ensure that the
//! data contained within the exclusion range consists only of a C2PA
//! Manifest Store and appropriate padding … If a validator encounters any
//! data that is not part of the C2PA Manifest Store or padding, then the
//! manifest shall be rejected with a failure code of
//! `assertion.dataHash.mismatch`." The C2PA SDK enforces this from 0.91; the
//! 0.90.22 that `credits` pins hashes whatever is not excluded and stops
//! there, so a signer that excludes bytes 0 to the end of the store (real
//! camera files do) leaves the JPEG's EXIF segment — make, model, capture
//! time — free to change.
//!
//! An exclusion passes when the bytes it names are, exactly:
//! - the manifest store itself (TIFF, MP3 and any format that stores it
//!   raw), or
//! - the store in its container framing: the run of APP11 segments of one
//!   JUMBF box instance (JPEG), the `caBX` chunk (PNG), the `C2PA` chunk
//!   (RIFF: WebP, WAV, AVI), the `C2PA_GIF` application extension (GIF), the
//!   C2PA `uuid` box (ISO BMFF) — with zeros after the store where the
//!   container reserves room;
//! - in a TIFF, the count field of the C2PA tag's directory entry, which the
//!   SDK leaves out so the store can grow.
//!
//! A manifest read from a sidecar is not in the file: any non-empty
//! exclusion there leaves file bytes unhashed and fails.

use std::io::{self, Read, Seek, SeekFrom};

use serde::Deserialize;

use super::framed::{self, Framed};
use super::{framing, jumbf};

/// Our finding's code beside `assertion.dataHash.mismatch`: names the
/// bytes a data hash leaves out that are not the manifest store.
pub const UNHASHED: &str = "credits.dataHash.unhashedBytes";

/// The C2PA status code for a data hash that does not hold.
pub const DATA_HASH_MISMATCH: &str = "assertion.dataHash.mismatch";

/// One excluded byte range, as the assertion states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Exclusion {
    pub start: u64,
    pub length: u64,
}

#[derive(Deserialize)]
struct DataHash {
    #[serde(default)]
    exclusions: Option<Vec<Exclusion>>,
}

/// The exclusions of every data hash in manifest `label` of `store`
/// (normally one; the SDK reports more than one hard binding itself).
/// `Err` when a data hash cannot be read.
pub fn of_manifest(store: &[u8], label: &str) -> Result<Vec<Exclusion>, String> {
    let mut out = Vec::new();
    for (name, cbor) in jumbf::assertions_like(store, label, "c2pa.hash.data") {
        let hash: DataHash = ciborium::de::from_reader(cbor)
            .map_err(|e| format!("the {name} assertion cannot be read: {e}"))?;
        out.extend(hash.exclusions.unwrap_or_default());
    }
    Ok(out)
}

/// Where the manifest is, for the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Embedded in the file checked.
    Embedded,
    /// Embedded, and since updated (a timestamp added later): the SDK
    /// widens the exclusion that starts where the store does to the store
    /// as it is now, so only where it starts must be right.
    Updated,
    /// Read from a sidecar: nothing in the file is the store.
    Sidecar,
}

/// Every exclusion of `exclusions` that leaves out more than the manifest
/// `store` (as read from the file) in its framing: what is wrong with it,
/// for people. `mime` is the file's type. The stream's position is left
/// anywhere.
pub fn check<R: Read + Seek>(
    file: &mut R,
    mime: &str,
    store: &[u8],
    exclusions: &[Exclusion],
    placement: Placement,
) -> io::Result<Vec<String>> {
    let len = file.seek(SeekFrom::End(0))?;
    let mut out = Vec::new();
    for x in exclusions.iter().filter(|x| x.length > 0) {
        let Some(end) = x.start.checked_add(x.length).filter(|&e| e <= len) else {
            out.push(format!(
                "the data hash excludes {} bytes at offset {}, past the end of the {len}-byte file",
                x.length, x.start
            ));
            continue;
        };
        if placement == Placement::Sidecar {
            out.push(format!(
                "the manifest is in a sidecar, yet its data hash leaves bytes {}..{end} of the file unhashed",
                x.start
            ));
            continue;
        }
        if holds_only_store(file, mime, store, *x, placement, len)? {
            continue;
        }
        out.push(format!(
            "the data hash leaves bytes {}..{end} ({} bytes) unhashed, and they are not only the manifest store{}",
            x.start,
            x.length,
            what_else(file, store, *x)?
        ));
    }
    Ok(out)
}

/// Whether exclusion `x` is exactly the store, raw or framed.
fn holds_only_store<R: Read + Seek>(
    file: &mut R,
    mime: &str,
    store: &[u8],
    x: Exclusion,
    placement: Placement,
    len: u64,
) -> io::Result<bool> {
    let exact = |extent: u64| match placement {
        Placement::Updated => true,
        _ => x.length == extent,
    };
    if x.length == store.len() as u64 && framed::contiguous(file, x.start, x.length, store)? {
        return Ok(true);
    }
    let framed = match mime {
        "image/jpeg" => framed::jpeg_app11(file, x.start, len, store)?,
        "image/png" => framed::png_chunk(file, x.start, len, store)?,
        "image/webp" | "audio/wav" | "audio/x-wav" | "audio/vnd.wave" | "video/avi"
        | "video/x-msvideo" => framed::riff_chunk(file, x.start, len, store)?,
        "image/gif" => framed::gif_extension(file, x.start, len, store)?,
        "image/tiff" => framed::tiff_count(file, store, x.start, x.length)?.then_some(Framed {
            extent: x.length,
            padded: None,
        }),
        _ => framed::bmff_box(file, x.start, len, store)?,
    };
    Ok(framed.is_some_and(|f| exact(f.extent) || f.padded.is_some_and(exact)))
}

/// A hint of what else the range holds: printable text found in it (EXIF
/// make and model, say), shortened.
fn what_else<R: Read + Seek>(r: &mut R, store: &[u8], x: Exclusion) -> io::Result<String> {
    let head = framing::bytes_at(r, x.start, x.length.min(4096))?.unwrap_or_default();
    let mut head = head.as_slice();
    let prefix = store.get(..store.len().min(32)).unwrap_or_default();
    if let Some(at) = (!prefix.is_empty())
        .then(|| memchr::memmem::find(head, prefix))
        .flatten()
    {
        head = &head[..at];
    }
    let words: Vec<String> = head
        .split(|b| !(0x20..0x7f).contains(b))
        .filter(|w| w.len() >= 4)
        .take(6)
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    Ok(if words.is_empty() {
        String::new()
    } else {
        format!(" (they hold {})", words.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    const STORE: [u8; 24] = [
        0, 0, 0, 24, b'j', b'u', b'm', b'b', 0, 0, 0, 16, b'j', b'u', b'm', b'd', b'c', b'2', b'p',
        b'a', 0, 0, 0, 0,
    ];

    fn app11(body: &[u8]) -> Vec<u8> {
        let mut v = vec![0xff, 0xeb];
        v.extend_from_slice(&((body.len() + 10) as u16).to_be_bytes());
        v.extend_from_slice(b"JP\0\x01\0\0\0\x01");
        v.extend_from_slice(body);
        v
    }

    fn jpeg() -> (Vec<u8>, u64, u64) {
        let exif = [0xff, 0xe1, 0, 8, b'E', b'x', b'i', b'f', 0, 0];
        let seg = app11(&STORE);
        let mut file = vec![0xff, 0xd8];
        file.extend_from_slice(&exif);
        let at = file.len() as u64;
        file.extend_from_slice(&seg);
        file.extend_from_slice(&[0xff, 0xd9]);
        (file, at, seg.len() as u64)
    }

    fn problems(file: &[u8], mime: &str, x: Exclusion) -> usize {
        check(
            &mut Cursor::new(file),
            mime,
            &STORE,
            &[x],
            Placement::Embedded,
        )
        .unwrap()
        .len()
    }

    #[test]
    fn jpeg_app11_run_passes_and_anything_wider_fails() {
        let (file, at, n) = jpeg();
        let x = |start, length| Exclusion { start, length };
        assert_eq!(problems(&file, "image/jpeg", x(at, n)), 0);
        assert_eq!(problems(&file, "image/jpeg", x(0, at + n)), 1);
        assert_eq!(problems(&file, "image/jpeg", x(at, n + 2)), 1);
        assert_eq!(
            problems(&file, "image/jpeg", x(at + 12, 24)),
            0,
            "the raw store"
        );
        assert_eq!(
            problems(&file, "image/jpeg", x(at, 0)),
            0,
            "nothing excluded"
        );
        assert_eq!(
            problems(&file, "image/jpeg", x(at, 1 << 40)),
            1,
            "past the end"
        );
        let sidecar = check(
            &mut Cursor::new(&file),
            "image/jpeg",
            &STORE,
            &[x(at, n)],
            Placement::Sidecar,
        )
        .unwrap();
        assert_eq!(sidecar.len(), 1);
    }

    #[test]
    fn png_chunk_with_zero_padding() {
        let mut data = STORE.to_vec();
        data.extend_from_slice(&[0; 4]);
        let mut file = b"\x89PNG\r\n\x1a\n".to_vec();
        let at = file.len() as u64;
        file.extend_from_slice(&(data.len() as u32).to_be_bytes());
        file.extend_from_slice(b"caBX");
        file.extend_from_slice(&data);
        file.extend_from_slice(&[0; 4]);
        let x = Exclusion {
            start: at,
            length: 12 + data.len() as u64,
        };
        assert_eq!(problems(&file, "image/png", x), 0);
        file[at as usize + 8 + 25] = b'X';
        assert_eq!(problems(&file, "image/png", x), 1, "text in the padding");
    }
}
