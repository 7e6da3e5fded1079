//! Chunk offsets in a `moov` box (`stco`, `co64` in every track's sample
//! table), moved when bytes are inserted before the media data — the
//! splice's manifest box. What holds other absolute offsets (`saio`,
//! `iloc`) is refused, not patched.

/// Move every chunk offset at or after `from` by `delta`, in a `moov` box.
/// Refuses (with a reason) what it cannot patch safely.
pub fn patch_chunk_offsets(moov: &mut [u8], from: u64, delta: u64) -> Result<(), String> {
    let header = box_header(moov, 0).ok_or("malformed 'moov' header")?;
    walk(moov, header.1, moov.len(), from, delta, 0)
}

/// (size, header length) of the box at `at` within `buf`.
fn box_header(buf: &[u8], at: usize) -> Option<(usize, usize)> {
    let head = buf.get(at..at + 8)?;
    let small = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    match small {
        0 => Some((buf.len() - at, 8)),
        1 => {
            let large = buf.get(at + 8..at + 16)?;
            let size = u64::from_be_bytes(large.try_into().ok()?);
            Some((usize::try_from(size).ok()?, 16))
        }
        s => Some((s, 8)),
    }
}

/// Containers on the way to the chunk tables.
const CONTAINERS: [&[u8; 4]; 5] = [b"moov", b"trak", b"mdia", b"minf", b"stbl"];

fn walk(
    buf: &mut [u8],
    mut at: usize,
    end: usize,
    from: u64,
    delta: u64,
    depth: u32,
) -> Result<(), String> {
    if depth > 8 {
        return Err("'moov' nests too deeply".into());
    }
    while at < end {
        let (size, header) = box_header(&buf[..end], at).ok_or("malformed box inside 'moov'")?;
        if size < header || at + size > end {
            return Err("a box inside 'moov' overruns its parent".into());
        }
        let kind: [u8; 4] = buf[at + 4..at + 8].try_into().map_err(|_| "short box")?;
        let body = at + header;
        match &kind {
            k if CONTAINERS.contains(&k) => walk(buf, body, at + size, from, delta, depth + 1)?,
            b"stco" | b"co64" => {
                let table = &mut buf[body..at + size];
                patch_offset_table(table, &kind == b"co64", from, delta)?;
            }
            b"saio" | b"iloc" => {
                return Err(format!(
                    "'{}' holds absolute offsets this splice does not patch",
                    String::from_utf8_lossy(&kind)
                ))
            }
            _ => {}
        }
        at += size;
    }
    Ok(())
}

/// Move every chunk offset at or after `from` by `delta` in the body of an
/// `stco` (32-bit) or `co64` (64-bit) box.
fn patch_offset_table(body: &mut [u8], wide: bool, from: u64, delta: u64) -> Result<(), String> {
    let count = body
        .get(4..8)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .ok_or("truncated chunk offset table")?;
    let width = if wide { 8 } else { 4 };
    let table = 8;
    if count.checked_mul(width).map(|n| table + n) > Some(body.len()) {
        return Err("chunk offset table overruns its box".into());
    }
    for i in 0..count {
        let p = table + i * width;
        if wide {
            let v = u64::from_be_bytes(body[p..p + 8].try_into().map_err(|_| "short")?);
            if v >= from {
                let moved = v.checked_add(delta).ok_or("64-bit offset overflow")?;
                body[p..p + 8].copy_from_slice(&moved.to_be_bytes());
            }
        } else {
            let v = u64::from(u32::from_be_bytes(
                body[p..p + 4].try_into().map_err(|_| "short")?,
            ));
            if v >= from {
                let moved = u32::try_from(v + delta)
                    .map_err(|_| "32-bit chunk offsets would overflow ('stco')")?;
                body[p..p + 4].copy_from_slice(&moved.to_be_bytes());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    fn stco(offsets: &[u32]) -> Vec<u8> {
        let mut body = vec![0, 0, 0, 0];
        body.extend_from_slice(&(offsets.len() as u32).to_be_bytes());
        for o in offsets {
            body.extend_from_slice(&o.to_be_bytes());
        }
        bx(b"stco", &body)
    }

    fn moov_with(table: Vec<u8>) -> Vec<u8> {
        let stbl = bx(b"stbl", &table);
        let minf = bx(b"minf", &stbl);
        let mdia = bx(b"mdia", &minf);
        let trak = bx(b"trak", &mdia);
        bx(b"moov", &trak)
    }

    #[test]
    fn chunk_offsets_move_by_the_inserted_length() {
        let mut moov = moov_with(stco(&[10, 4000, 90000]));
        patch_chunk_offsets(&mut moov, 20, 1000).unwrap();
        let expect = moov_with(stco(&[10, 5000, 91000]));
        assert_eq!(moov, expect);
    }

    #[test]
    fn wide_chunk_offsets_move_too() {
        let co64 = |offsets: &[u64]| {
            let mut body = vec![0, 0, 0, 0];
            body.extend_from_slice(&(offsets.len() as u32).to_be_bytes());
            for o in offsets {
                body.extend_from_slice(&o.to_be_bytes());
            }
            bx(b"co64", &body)
        };
        let mut moov = moov_with(co64(&[5_000_000_000, 7]));
        patch_chunk_offsets(&mut moov, 100, 4096).unwrap();
        assert_eq!(moov, moov_with(co64(&[5_000_004_096, 7])));
    }

    #[test]
    fn overflowing_32_bit_offsets_are_refused() {
        let mut moov = moov_with(stco(&[u32::MAX - 10]));
        let e = patch_chunk_offsets(&mut moov, 0, 100).unwrap_err();
        assert!(e.contains("overflow"), "{e}");
    }

    #[test]
    fn truncated_tables_are_refused_not_read_past() {
        let mut table = stco(&[1, 2, 3]);
        table[12..16].copy_from_slice(&1000u32.to_be_bytes()); // claims 1000 entries
        let mut moov = moov_with(table);
        assert!(patch_chunk_offsets(&mut moov, 0, 1).is_err());
    }
}
