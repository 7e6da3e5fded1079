//! PNG layout for the frame fast path: where the C2PA `caBX` chunk goes
//! (right after `IHDR`, where the SDK puts it) and whether the file is
//! plain enough for us to insert it ourselves. The signed file is then one
//! write of three slices — head, manifest chunk, rest — and its data hash
//! is one SHA-256 pass over the input's bytes, instead of the SDK's copies
//! of the whole frame through intermediate buffers.

/// The PNG file signature.
const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// Where the manifest chunk goes in a plain PNG, or why the SDK's writer
/// should handle this file instead.
pub fn insert_point(bytes: &[u8]) -> Result<usize, String> {
    if bytes.get(..8) != Some(&SIGNATURE[..]) {
        return Err("not a PNG signature".into());
    }
    let mut at = 8usize;
    let mut after_ihdr = None;
    loop {
        let head = bytes
            .get(at..at + 8)
            .ok_or_else(|| format!("truncated chunk header at offset {at}"))?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = [head[4], head[5], head[6], head[7]];
        let end = at
            .checked_add(12)
            .and_then(|n| n.checked_add(len))
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| format!("chunk at offset {at} runs past the end of the file"))?;
        match &kind {
            b"IHDR" if at == 8 => after_ihdr = Some(end),
            b"IHDR" => return Err("IHDR is not the first chunk".into()),
            b"caBX" => return Err("already carries a C2PA manifest".into()),
            _ if after_ihdr.is_none() => return Err("IHDR is not the first chunk".into()),
            _ => {}
        }
        at = end;
        if &kind == b"IEND" {
            break;
        }
    }
    after_ihdr.ok_or_else(|| "no IHDR chunk".into())
}

/// The raw JUMBF manifest store inside a composed `caBX` chunk (as the
/// SDK's `placeholder`/`sign_embeddable` return it), without padding.
pub fn jumbf_of_chunk(chunk: &[u8]) -> Option<&[u8]> {
    let len = u32::from_be_bytes(chunk.get(..4)?.try_into().ok()?) as usize;
    let data = chunk.get(8..8 + len)?;
    data.get(..usize::try_from(super::jumbf::declared_len(data)?).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = (data.len() as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(data);
        v.extend_from_slice(&[0, 0, 0, 0]); // CRC, not checked here
        v
    }

    fn png(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut v = SIGNATURE.to_vec();
        for c in chunks {
            v.extend_from_slice(c);
        }
        v
    }

    #[test]
    fn the_manifest_goes_after_ihdr() {
        let bytes = png(&[
            chunk(b"IHDR", &[0; 13]),
            chunk(b"IDAT", &[1, 2, 3]),
            chunk(b"IEND", &[]),
        ]);
        assert_eq!(insert_point(&bytes), Ok(8 + 25));
    }

    #[test]
    fn truncated_signed_or_odd_files_go_to_the_sdk() {
        let whole = png(&[chunk(b"IHDR", &[0; 13]), chunk(b"IDAT", &[1; 40])]);
        assert!(insert_point(&whole[..50]).is_err(), "truncated");
        let signed = png(&[
            chunk(b"IHDR", &[0; 13]),
            chunk(b"caBX", &[1]),
            chunk(b"IEND", &[]),
        ]);
        assert!(insert_point(&signed).is_err(), "signed");
        let odd = png(&[
            chunk(b"tEXt", &[1]),
            chunk(b"IHDR", &[0; 13]),
            chunk(b"IEND", &[]),
        ]);
        assert!(insert_point(&odd).is_err(), "IHDR not first");
        assert!(insert_point(b"GIF89a").is_err());
    }
}
