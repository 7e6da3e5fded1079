//! Generator text in an MP3's ID3v2 tag: libavformat's mp3 muxer (and so
//! PyAV and ComfyUI's `SaveAudioMP3`) writes every metadata key it has no
//! frame for as a `TXXX` frame (description = key, value = text), and a
//! comment as `COMM`. Frames are found with the bytes they occupy;
//! [`strip`] rewrites the tag without chosen ones at the same length (the
//! frames after them move up, zero padding fills the end), so nothing
//! after the tag moves.

use std::ops::Range;

use super::container::{utf16, TextField};

/// The ID3v2 tag at the start of `bytes`: (version, frames start, tag end).
fn tag(bytes: &[u8]) -> Option<(u8, usize, usize)> {
    let head = bytes.get(..10)?;
    if &head[..3] != b"ID3" || !matches!(head[3], 3 | 4) {
        return None;
    }
    let size = syncsafe(&head[6..10])?;
    let end = 10usize.checked_add(size)?;
    (end <= bytes.len()).then_some((head[3], 10, end))
}

fn syncsafe(b: &[u8]) -> Option<usize> {
    if b.iter().any(|&x| x & 0x80 != 0) {
        return None;
    }
    Some(b.iter().fold(0usize, |n, &x| (n << 7) | usize::from(x)))
}

/// The tag's layout is one [`strip`] can rewrite: no unsynchronisation,
/// no extended header, no footer.
fn plain(bytes: &[u8]) -> bool {
    bytes.get(5).is_some_and(|flags| flags & 0xd0 == 0)
}

/// Each frame: id, whole span, body span.
fn frames(bytes: &[u8]) -> Vec<([u8; 4], Range<usize>, Range<usize>)> {
    let Some((version, mut at, end)) = tag(bytes).filter(|_| plain(bytes)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while at + 10 <= end && bytes[at] != 0 {
        let id: [u8; 4] = bytes[at..at + 4].try_into().unwrap_or_default();
        let size = if version == 4 {
            syncsafe(&bytes[at + 4..at + 8])
        } else {
            Some(u32::from_be_bytes(bytes[at + 4..at + 8].try_into().unwrap_or_default()) as usize)
        };
        let Some(body_end) = size
            .and_then(|s| (at + 10).checked_add(s))
            .filter(|&e| e <= end)
        else {
            break;
        };
        out.push((id, at..body_end, at + 10..body_end));
        at = body_end;
    }
    out
}

/// The `TXXX` and `COMM` frames of the tag, as text fields keyed by their
/// description (`prompt`, `workflow`) or `comment`.
pub fn fields(bytes: &[u8]) -> Vec<TextField> {
    frames(bytes)
        .into_iter()
        .filter_map(|(id, span, body)| {
            let body = &bytes[body];
            let (encoding, rest) = body.split_first()?;
            let rest = match &id {
                b"TXXX" => rest,
                b"COMM" => rest.get(3..)?,
                _ => return None,
            };
            let (description, value) = split_terminated(*encoding, rest);
            let key = match &id {
                b"COMM" => "comment".to_string(),
                _ => decode(*encoding, description),
            };
            Some(TextField {
                key,
                text: decode(*encoding, value),
                span,
                whole_chunk: true,
            })
        })
        .collect()
}

/// A terminated string and what follows it, in the frame's encoding.
fn split_terminated(encoding: u8, bytes: &[u8]) -> (&[u8], &[u8]) {
    if matches!(encoding, 1 | 2) {
        let nul = (0..bytes.len() / 2).find(|i| bytes[2 * i] == 0 && bytes[2 * i + 1] == 0);
        match nul {
            Some(i) => (&bytes[..2 * i], &bytes[2 * i + 2..]),
            None => (bytes, &[]),
        }
    } else {
        match bytes.iter().position(|&b| b == 0) {
            Some(i) => (&bytes[..i], &bytes[i + 1..]),
            None => (bytes, &[]),
        }
    }
}

fn decode(encoding: u8, bytes: &[u8]) -> String {
    let text = match encoding {
        0 => bytes.iter().map(|&b| char::from(b)).collect(),
        1 => match bytes {
            [0xff, 0xfe, rest @ ..] => utf16(rest, true),
            [0xfe, 0xff, rest @ ..] => utf16(rest, false),
            _ => utf16(bytes, true),
        },
        2 => utf16(bytes, false),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    };
    text.trim_end_matches('\0').to_string()
}

/// `bytes` without the frames at `drop`, the tag the same length.
pub fn strip(bytes: &[u8], drop: &[Range<usize>]) -> Result<Vec<u8>, String> {
    let (_, start, end) = tag(bytes).ok_or("no ID3v2 tag at the start of the file")?;
    if !plain(bytes) {
        return Err("the ID3v2 tag is unsynchronised or has an extended header or footer".into());
    }
    let mut out = bytes[..start].to_vec();
    for (_, span, _) in frames(bytes) {
        if !drop.contains(&span) {
            out.extend_from_slice(&bytes[span]);
        }
    }
    out.resize(end, 0);
    out.extend_from_slice(&bytes[end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txxx(key: &str, value: &str) -> Vec<u8> {
        let body = [&[3u8][..], key.as_bytes(), &[0], value.as_bytes()].concat();
        let n = body.len();
        let size = [
            (n >> 21) as u8 & 0x7f,
            (n >> 14) as u8 & 0x7f,
            (n >> 7) as u8 & 0x7f,
            n as u8 & 0x7f,
        ];
        [&b"TXXX"[..], &size, &[0, 0], &body].concat()
    }

    fn mp3(frames: &[Vec<u8>], padding: usize) -> Vec<u8> {
        let body: Vec<u8> = frames.concat();
        let n = body.len() + padding;
        let size = [
            (n >> 21) as u8 & 0x7f,
            (n >> 14) as u8 & 0x7f,
            (n >> 7) as u8 & 0x7f,
            n as u8 & 0x7f,
        ];
        let mut v = [&b"ID3\x04\x00\x00"[..], &size, &body].concat();
        v.resize(10 + n, 0);
        v.extend_from_slice(&[0xff, 0xfb, 0x90, 0x00]);
        v
    }

    #[test]
    fn txxx_frames_are_read_and_removed_in_place() {
        let file = mp3(&[txxx("prompt", "{\"a\": 1}"), txxx("encoder", "Lavf")], 10);
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
        assert!(stripped.ends_with(&[0xff, 0xfb, 0x90, 0x00]));
    }

    #[test]
    fn a_frame_claiming_more_than_the_tag_stops_the_walk() {
        let mut file = mp3(&[txxx("prompt", "x")], 0);
        file[14..18].copy_from_slice(&[0x7f, 0x7f, 0x7f, 0x7f]);
        assert!(fields(&file).is_empty());
    }
}
