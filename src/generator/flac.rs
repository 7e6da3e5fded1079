//! Generator text in a FLAC file's `VORBIS_COMMENT` block: libavformat's
//! flac muxer (and so PyAV and ComfyUI's `SaveAudio`) writes each metadata
//! key as a `KEY=value` comment (`prompt=…`, `workflow=…`). Comments are
//! found with the bytes they occupy; [`strip`] rewrites the block without
//! chosen ones and a `PADDING` block of the bytes saved after it, so the
//! file keeps its length and nothing after the block moves.

use std::ops::Range;

use super::container::TextField;

const VORBIS_COMMENT: u8 = 4;
const PADDING: u8 = 1;

/// Each metadata block: (type, is last, header start, body range).
fn blocks(bytes: &[u8]) -> Vec<(u8, bool, usize, Range<usize>)> {
    let mut out = Vec::new();
    if !bytes.starts_with(b"fLaC") {
        return out;
    }
    let mut at = 4;
    while at + 4 <= bytes.len() {
        let head = bytes[at];
        let len = usize::from(bytes[at + 1]) << 16
            | usize::from(bytes[at + 2]) << 8
            | usize::from(bytes[at + 3]);
        let body = at + 4..at + 4 + len;
        if body.end > bytes.len() {
            break;
        }
        let last = head & 0x80 != 0;
        out.push((head & 0x7f, last, at, body.clone()));
        if last {
            break;
        }
        at = body.end;
    }
    out
}

fn u32_le(bytes: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// The comments of a `VORBIS_COMMENT` body at `body`: each entry's span
/// (length field included) and text; `None` when malformed.
fn comments(bytes: &[u8], body: &Range<usize>) -> Option<Vec<(Range<usize>, String)>> {
    let vendor = u32_le(bytes, body.start)?;
    let mut at = body.start.checked_add(4 + vendor)?;
    let count = u32_le(bytes, at)?;
    at += 4;
    let mut out = Vec::new();
    for _ in 0..count {
        let len = u32_le(bytes, at)?;
        let end = at.checked_add(4 + len).filter(|&e| e <= body.end)?;
        out.push((
            at..end,
            String::from_utf8_lossy(&bytes[at + 4..end]).into_owned(),
        ));
        at = end;
    }
    Some(out)
}

/// The Vorbis comments of the file, as fields keyed by their name.
pub fn fields(bytes: &[u8]) -> Vec<TextField> {
    blocks(bytes)
        .into_iter()
        .filter(|b| b.0 == VORBIS_COMMENT)
        .filter_map(|(_, _, _, body)| comments(bytes, &body))
        .flatten()
        .map(|(span, text)| {
            let (key, value) = text.split_once('=').unwrap_or((&text, ""));
            TextField {
                key: key.to_string(),
                text: value.to_string(),
                span,
                whole_chunk: true,
            }
        })
        .collect()
}

/// `bytes` without the comments at `drop`, at the same length.
pub fn strip(bytes: &[u8], drop: &[Range<usize>]) -> Result<Vec<u8>, String> {
    let mut out = bytes.to_vec();
    for (kind, last, start, body) in blocks(bytes) {
        if kind != VORBIS_COMMENT {
            continue;
        }
        let all = comments(bytes, &body).ok_or("malformed FLAC comment block")?;
        let kept: Vec<&Range<usize>> = all
            .iter()
            .map(|(span, _)| span)
            .filter(|s| !drop.contains(s))
            .collect();
        if kept.len() == all.len() {
            continue;
        }
        let vendor_end = body.start + 4 + u32_le(bytes, body.start).unwrap_or_default();
        let mut block = bytes[body.start..vendor_end].to_vec();
        block.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        for span in kept {
            block.extend_from_slice(&bytes[span.clone()]);
        }
        let saved = body.len() - block.len();
        if saved < 4 {
            return Err("too few bytes saved for a FLAC padding block".into());
        }
        let mut rebuilt = header(VORBIS_COMMENT, false, block.len());
        rebuilt.extend_from_slice(&block);
        rebuilt.extend_from_slice(&header(PADDING, last, saved - 4));
        rebuilt.resize(body.end - start, 0);
        out[start..body.end].copy_from_slice(&rebuilt);
    }
    Ok(out)
}

fn header(kind: u8, last: bool, len: usize) -> Vec<u8> {
    vec![
        kind | if last { 0x80 } else { 0 },
        (len >> 16) as u8,
        (len >> 8) as u8,
        len as u8,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flac(comments: &[&str]) -> Vec<u8> {
        let mut body = 4u32.to_le_bytes().to_vec();
        body.extend_from_slice(b"Lavf");
        body.extend_from_slice(&(comments.len() as u32).to_le_bytes());
        for c in comments {
            body.extend_from_slice(&(c.len() as u32).to_le_bytes());
            body.extend_from_slice(c.as_bytes());
        }
        let mut v = b"fLaC".to_vec();
        v.extend(header(0, false, 34));
        v.extend_from_slice(&[0; 34]);
        v.extend(header(VORBIS_COMMENT, true, body.len()));
        v.extend(body);
        v.extend_from_slice(&[0xff, 0xf8, 1, 2]);
        v
    }

    #[test]
    fn comments_are_read_and_removed_at_the_same_length() {
        let file = flac(&["prompt={\"a\": 1}", "encoder=Lavf"]);
        let f = fields(&file);
        assert_eq!(
            (f[0].key.as_str(), f[0].text.as_str()),
            ("prompt", "{\"a\": 1}")
        );
        let stripped = strip(&file, &[f[0].span.clone()]).unwrap();
        assert_eq!(stripped.len(), file.len());
        let left = fields(&stripped);
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].key, "encoder");
        let b = blocks(&stripped);
        assert_eq!(b.last().map(|b| (b.0, b.1)), Some((PADDING, true)));
        assert!(stripped.ends_with(&[0xff, 0xf8, 1, 2]));
    }

    #[test]
    fn a_comment_claiming_more_than_its_block_is_malformed() {
        let mut file = flac(&["prompt=x"]);
        let n = file.len();
        file[n - 4 - 12..n - 4 - 8].copy_from_slice(&1000u32.to_le_bytes());
        assert!(fields(&file).is_empty());
        assert!(strip(&file, &[]).is_err());
    }
}
