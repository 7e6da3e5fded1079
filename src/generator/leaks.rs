//! The committed prompt must never ship in plaintext: after the
//! generator's own fields are removed, the bytes to be signed are searched
//! for what the record commits to — prompt, negative prompt, workflow — in
//! any other field a reader shows (a PNG `Title`/`Description`/`Comment`
//! chunk, compressed or not; a JPEG COM segment, XMP `dc:description`,
//! EXIF `ImageDescription`), in UTF-8 and UTF-16. A field that holds one is
//! removed; text anywhere else refuses the stamp. Bytes a reader would
//! find after the image's end (after PNG `IEND`, after JPEG `EOI`) are
//! dropped before that, never signed as they are.

use std::ops::Range;

use super::container::{self, TextField};
use crate::media::Format;

/// Secrets shorter than this are not searched for: a 3-letter prompt
/// occurs in any image by chance.
pub const MIN_SECRET: usize = 8;

/// What the search found.
#[derive(Debug, Default)]
pub struct Leaks {
    /// Fields holding a secret, to remove (PNG chunks, JPEG segments) or
    /// blank in place (EXIF values).
    pub fields: Vec<TextField>,
    /// Where a secret remains that no field explains: byte offset and the
    /// secret's name.
    pub elsewhere: Vec<(usize, &'static str)>,
}

/// Where the image ends: the bytes after it (a second text chunk after
/// `IEND`, data after `EOI`) are not part of it.
pub fn image_end(format: Format, bytes: &[u8]) -> Option<usize> {
    match format {
        Format::Png => png_end(bytes),
        Format::Jpeg => jpeg_end(bytes),
        _ => None,
    }
}

fn png_end(bytes: &[u8]) -> Option<usize> {
    let mut at = 8;
    while at + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        let end = (at + 12).checked_add(len)?;
        if &bytes[at + 4..at + 8] == b"IEND" {
            return (end <= bytes.len()).then_some(end);
        }
        at = end;
    }
    None
}

/// The segments up to the first scan, then the entropy-coded data to the
/// `EOI` marker (a marker in the scan is `FF` followed by anything but
/// `00` and the restart markers).
fn jpeg_end(bytes: &[u8]) -> Option<usize> {
    let mut at = 2;
    loop {
        if bytes.get(at)? != &0xff {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == 0xd9 {
            return Some(at + 2);
        }
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        at += 2 + len;
        if marker == 0xda {
            break;
        }
    }
    while at + 1 < bytes.len() {
        if bytes[at] == 0xff {
            match bytes[at + 1] {
                0xd9 => return Some(at + 2),
                0x00 | 0xd0..=0xd7 | 0xff => {}
                // Another segment (progressive scans, DHT): skip it whole.
                _ => {
                    let len = usize::from(u16::from_be_bytes([
                        *bytes.get(at + 2)?,
                        *bytes.get(at + 3)?,
                    ]));
                    at += 2 + len;
                    continue;
                }
            }
        }
        at += 1;
    }
    None
}

/// Search `bytes` (a whole file of `format`, generator fields already
/// removed) for `secrets` (name, text).
pub fn find<S: AsRef<str>>(format: Format, bytes: &[u8], secrets: &[(&'static str, S)]) -> Leaks {
    let secrets: Vec<(&'static str, &str)> = secrets
        .iter()
        .map(|(k, s)| (*k, s.as_ref()))
        .filter(|(_, s)| s.trim().len() >= MIN_SECRET)
        .collect();
    let mut leaks = Leaks::default();
    if secrets.is_empty() {
        return leaks;
    }
    let fields = match format {
        Format::Png => container::png_text(bytes),
        Format::Jpeg => jpeg_fields(bytes),
        _ => Vec::new(),
    };
    leaks.fields = holding(&fields, &secrets);
    let removed: Vec<Range<usize>> = leaks.fields.iter().map(|f| f.span.clone()).collect();
    for (name, secret) in &secrets {
        for needle in encodings(secret.trim()) {
            let outside = memchr::memmem::find_iter(bytes, &needle)
                .find(|at| !removed.iter().any(|r| r.contains(at)));
            if let Some(at) = outside {
                leaks.elsewhere.push((at, name));
            }
        }
    }
    leaks
}

/// The fields among `fields` whose text holds one of `secrets` (those of
/// at least [`MIN_SECRET`] bytes).
pub fn holding<S: AsRef<str>>(
    fields: &[TextField],
    secrets: &[(&'static str, S)],
) -> Vec<TextField> {
    let holds = |text: &str| {
        secrets
            .iter()
            .map(|(_, s)| s.as_ref().trim())
            .any(|s| s.len() >= MIN_SECRET && text.contains(s))
    };
    fields.iter().filter(|f| holds(&f.text)).cloned().collect()
}

/// A secret as UTF-8, UTF-16LE and UTF-16BE bytes.
fn encodings(secret: &str) -> [Vec<u8>; 3] {
    let units: Vec<u16> = secret.encode_utf16().collect();
    [
        secret.as_bytes().to_vec(),
        units.iter().flat_map(|u| u.to_le_bytes()).collect(),
        units.iter().flat_map(|u| u.to_be_bytes()).collect(),
    ]
}

/// The JPEG segments before the first scan that readers show as text: COM
/// and every APPn other than EXIF (XMP, IPTC, …) as whole segments, and
/// the EXIF block's text values in place.
fn jpeg_fields(bytes: &[u8]) -> Vec<TextField> {
    let mut out = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xff {
        let marker = bytes[at + 1];
        if marker == 0xda || marker == 0xd9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let Some(body) = bytes.get(at + 4..at + 2 + len) else {
            break;
        };
        let exif = marker == 0xe1 && body.starts_with(b"Exif\0\0");
        if exif {
            out.extend(container::exif_text(at + 10, &body[6..]));
        } else if marker == 0xfe || (0xe0..=0xef).contains(&marker) && marker != 0xeb {
            out.push(TextField {
                key: segment_name(marker, body),
                text: text_of(body),
                span: at..at + 2 + len,
                whole_chunk: true,
            });
        }
        at += 2 + len;
    }
    out
}

fn segment_name(marker: u8, body: &[u8]) -> String {
    match marker {
        0xfe => "COM".into(),
        0xe1 if body.starts_with(b"http://ns.adobe.com/xap/1.0/") => "XMP".into(),
        m => format!("APP{}", m - 0xe0),
    }
}

/// A segment's bytes as text: UTF-8 (lossy) and its UTF-16 readings, so a
/// search finds a secret in either.
fn text_of(body: &[u8]) -> String {
    let odd = body.get(1..).unwrap_or_default();
    [
        String::from_utf8_lossy(body).into_owned(),
        container::utf16(body, true),
        container::utf16(body, false),
        container::utf16(odd, true),
        container::utf16(odd, false),
    ]
    .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_with(chunks: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in chunks {
            v.extend_from_slice(&(data.len() as u32).to_be_bytes());
            v.extend_from_slice(*kind);
            v.extend_from_slice(data);
            v.extend_from_slice(&[0; 4]);
        }
        v
    }

    #[test]
    fn png_end_is_after_iend() {
        let png = png_with(&[(b"IHDR", &[0; 13]), (b"IEND", b"")]);
        let n = png.len();
        let mut tail = png.clone();
        tail.extend_from_slice(b"\0\0\0\x05tEXtprompt");
        assert_eq!(image_end(Format::Png, &tail), Some(n));
    }

    #[test]
    fn a_title_chunk_holding_the_prompt_is_found() {
        let png = png_with(&[
            (b"IHDR", &[0; 13]),
            (b"tEXt", b"Title\0a castle at dawn, oil"),
            (b"IEND", b""),
        ]);
        let leaks = find(Format::Png, &png, &[("prompt", "a castle at dawn")]);
        assert_eq!(leaks.fields.len(), 1);
        assert_eq!(leaks.fields[0].key, "Title");
        assert!(leaks.elsewhere.is_empty());
        let utf16: Vec<u8> = "a castle at dawn"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let raw = png_with(&[(b"IHDR", &[0; 13]), (b"abCd", &utf16), (b"IEND", b"")]);
        let leaks = find(Format::Png, &raw, &[("prompt", "a castle at dawn")]);
        assert_eq!(leaks.elsewhere.len(), 1, "UTF-16 in an unknown chunk");
        let short = find(Format::Png, &png, &[("prompt", "castle")]);
        assert!(short.fields.is_empty(), "too short to search");
    }

    #[test]
    fn jpeg_end_is_after_eoi() {
        let jpeg = [
            &[0xff, 0xd8][..],
            &[0xff, 0xda, 0, 2],
            &[1, 2, 0xff, 0x00, 3, 0xff, 0xd0, 4],
            &[0xff, 0xd9],
            b"trailing prompt",
        ]
        .concat();
        assert_eq!(image_end(Format::Jpeg, &jpeg), Some(jpeg.len() - 15));
    }
}
