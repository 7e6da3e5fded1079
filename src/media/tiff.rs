//! A bounded walk over a TIFF's IFD graph before the C2PA SDK sees it.
//!
//! The SDK (0.90.22) follows every SubIFD pointer as often as it is listed:
//! `tiff_poc.tiff` (38 KB, a chain of IFDs each pointing 5,000 times at one
//! sub-IFD) kept it busy 94 s at 1.1 GiB. We count IFD references — chain
//! links, SubIFDs, EXIF, GPS and interoperability pointers, repeats included
//! — and refuse a file past [`MAX_IFD_REFERENCES`] with a clear error.

use std::io::{Read, Seek, SeekFrom};

/// More IFD references than any real TIFF, DNG or camera raw carries.
pub const MAX_IFD_REFERENCES: usize = 4096;

/// Entries in one IFD beyond this are not a real image either.
const MAX_ENTRIES: u64 = 4096;

/// Entries examined over the whole walk: bounds its work (a fuzzed file of
/// 4096 references to 4096-entry directories took 7 s of small reads).
const MAX_TOTAL_ENTRIES: u64 = 1 << 16;

/// Tags whose values point at further IFDs.
const SUB_IFD_TAGS: [u16; 4] = [330, 34665, 34853, 40965];

struct Reader<'a, R> {
    file: &'a mut R,
    little: bool,
    big: bool,
    len: u64,
}

impl<R: Read + Seek> Reader<'_, R> {
    fn bytes<const N: usize>(&mut self, at: u64) -> Result<[u8; N], String> {
        if at.checked_add(N as u64).is_none_or(|end| end > self.len) {
            return Err(format!("offset {at} is outside the file"));
        }
        let mut b = [0u8; N];
        self.file
            .seek(SeekFrom::Start(at))
            .and_then(|_| self.file.read_exact(&mut b))
            .map_err(|e| e.to_string())?;
        Ok(b)
    }

    fn u16(&mut self, at: u64) -> Result<u64, String> {
        let b = self.bytes::<2>(at)?;
        Ok(u64::from(if self.little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }))
    }

    fn u32(&mut self, at: u64) -> Result<u64, String> {
        let b = self.bytes::<4>(at)?;
        Ok(u64::from(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }))
    }

    fn u64(&mut self, at: u64) -> Result<u64, String> {
        let b = self.bytes::<8>(at)?;
        Ok(if self.little {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        })
    }

    /// An offset-sized value (4 bytes, 8 in BigTIFF).
    fn offset(&mut self, at: u64) -> Result<u64, String> {
        if self.big {
            self.u64(at)
        } else {
            self.u32(at)
        }
    }
}

/// `Ok` when the IFD graph of this TIFF is within bounds (or the file is
/// not a TIFF at all); `Err` says what is wrong with it.
pub fn check<R: Read + Seek>(file: &mut R) -> Result<(), String> {
    let len = file.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
    file.rewind().map_err(|e| e.to_string())?;
    let mut head = [0u8; 4];
    if len < 8 || file.read_exact(&mut head).is_err() {
        return Ok(());
    }
    let little = match &head[..2] {
        b"II" => true,
        b"MM" => false,
        _ => return Ok(()),
    };
    let mut r = Reader {
        file,
        little,
        big: false,
        len,
    };
    let first = match r.u16(2)? {
        42 => r.u32(4)?,
        43 => {
            r.big = true;
            r.u64(8)?
        }
        _ => return Ok(()),
    };
    let mut walk = IfdWalk {
        r,
        pending: vec![first],
        references: 0,
        examined: 0,
    };
    while let Some(ifd) = walk.pending.pop() {
        if ifd != 0 {
            walk.directory(ifd)?;
        }
    }
    Ok(())
}

fn too_many_references() -> String {
    format!(
        "TIFF structure too large: more than {MAX_IFD_REFERENCES} image file directory references (a subfile bomb)"
    )
}

/// The directories still to visit, and the budgets spent so far.
struct IfdWalk<'a, R> {
    r: Reader<'a, R>,
    pending: Vec<u64>,
    references: usize,
    examined: u64,
}

impl<R: Read + Seek> IfdWalk<'_, R> {
    /// Visit the directory at `ifd`: queue its sub-IFDs and the next one.
    fn directory(&mut self, ifd: u64) -> Result<(), String> {
        let big = self.r.big;
        let (count_size, entry_size) = if big { (8, 20) } else { (2, 12) };
        self.references += 1;
        if self.references > MAX_IFD_REFERENCES {
            return Err(too_many_references());
        }
        let entries = if big {
            self.r.u64(ifd)?
        } else {
            self.r.u16(ifd)?
        };
        if entries > MAX_ENTRIES {
            return Err(format!(
                "TIFF directory at offset {ifd} claims {entries} entries"
            ));
        }
        self.examined += entries;
        if self.examined > MAX_TOTAL_ENTRIES {
            return Err(format!(
                "TIFF structure too large: more than {MAX_TOTAL_ENTRIES} directory entries in all"
            ));
        }
        for i in 0..entries {
            self.entry(ifd + count_size + i * entry_size)?;
        }
        let next_at = ifd + count_size + entries * entry_size;
        let next = self.r.offset(next_at)?;
        self.pending.push(next);
        Ok(())
    }

    /// Queue the directories a sub-IFD entry at `at` points to.
    fn entry(&mut self, at: u64) -> Result<(), String> {
        let big = self.r.big;
        let tag = self.r.u16(at)?;
        if !SUB_IFD_TAGS.contains(&(tag as u16)) {
            return Ok(());
        }
        let kind = self.r.u16(at + 2)?;
        let count = if big {
            self.r.u64(at + 4)?
        } else {
            self.r.u32(at + 4)?
        };
        let value_at = at + if big { 12 } else { 8 };
        let width = match kind {
            16 | 18 => 8, // LONG8, IFD8
            _ => 4,       // LONG, IFD
        };
        let inline = count * width <= if big { 8 } else { 4 };
        let base = if inline {
            value_at
        } else {
            self.r.offset(value_at)?
        };
        for k in 0..count {
            if self.references + self.pending.len() > MAX_IFD_REFERENCES {
                return Err(too_many_references());
            }
            let p = base + k * width;
            let sub = if width == 8 {
                self.r.u64(p)?
            } else {
                self.r.u32(p)?
            };
            self.pending.push(sub);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;
    use std::io::Write;

    /// (tag, type, count, value)
    type Entry = (u16, u16, u32, u32);

    /// A little-endian TIFF with IFDs (offset, entries, next) in 64 KiB.
    fn tiff(ifds: &[(u32, Vec<Entry>, u32)]) -> File {
        let mut bytes = vec![0u8; 64 * 1024];
        bytes[..4].copy_from_slice(b"II*\0");
        bytes[4..8].copy_from_slice(&ifds[0].0.to_le_bytes());
        for (at, entries, next) in ifds {
            let mut p = *at as usize;
            bytes[p..p + 2].copy_from_slice(&(entries.len() as u16).to_le_bytes());
            p += 2;
            for (tag, kind, count, value) in entries {
                bytes[p..p + 2].copy_from_slice(&tag.to_le_bytes());
                bytes[p + 2..p + 4].copy_from_slice(&kind.to_le_bytes());
                bytes[p + 4..p + 8].copy_from_slice(&count.to_le_bytes());
                bytes[p + 8..p + 12].copy_from_slice(&value.to_le_bytes());
                p += 12;
            }
            bytes[p..p + 4].copy_from_slice(&next.to_le_bytes());
        }
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&bytes).unwrap();
        f.rewind().unwrap();
        f
    }

    #[test]
    fn an_ordinary_tiff_passes() {
        let mut f = tiff(&[
            (100, vec![(256, 4, 1, 64), (34665, 4, 1, 200)], 0),
            (200, vec![], 0),
        ]);
        assert_eq!(check(&mut f), Ok(()));
    }

    #[test]
    fn a_subifd_bomb_is_refused() {
        // One IFD listing the same sub-IFD 5,000 times (pointers at 1000).
        let mut f = tiff(&[(100, vec![(330, 4, 5000, 1000)], 0), (200, vec![], 0)]);
        let e = check(&mut f).unwrap_err();
        assert!(e.contains("too large"), "{e}");
    }

    #[test]
    fn a_looping_chain_is_refused() {
        let mut f = tiff(&[(100, vec![], 200), (200, vec![], 100)]);
        assert!(check(&mut f).is_err());
    }

    #[test]
    fn other_files_are_not_its_business() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(b"\x89PNG\r\n\x1a\n....").unwrap();
        f.rewind().unwrap();
        assert_eq!(check(&mut f), Ok(()));
    }
}
