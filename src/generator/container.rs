//! Where generators put their text: PNG `tEXt`, `zTXt` and `iTXt` chunks
//! (PIL's `PngInfo.add_text`, what ComfyUI, A1111, InvokeAI and Fooocus
//! call) and ComfyUI's private `comf` chunks in an APNG, and the EXIF `UserComment` (tag 0x9286) of a JPEG's APP1 segment
//! or a WebP's `EXIF` chunk (A1111 through piexif, Fooocus through PIL).
//! Each field is found with the bytes it occupies, so it can be removed
//! (a PNG chunk) or blanked in place (an EXIF value: no offset moves).

use std::io::Read;
use std::ops::Range;

/// Decompressed text larger than this is not read (a ComfyUI workflow is
/// tens of KB; a zip bomb is not a workflow).
const MAX_TEXT: u64 = 16 << 20;

/// One text field a generator may have written.
#[derive(Debug, Clone, PartialEq)]
pub struct TextField {
    /// The PNG keyword, or `UserComment` / `Software` / `MakerNote`.
    pub key: String,
    pub text: String,
    /// The bytes that hold it: a whole PNG chunk (length to CRC), or an
    /// EXIF value's bytes.
    pub span: Range<usize>,
    /// Removed as a whole chunk (PNG), or blanked in place (EXIF).
    pub whole_chunk: bool,
}

/// The text chunks of a PNG (stops quietly at anything malformed).
pub fn png_text(bytes: &[u8]) -> Vec<TextField> {
    let mut out = Vec::new();
    let mut at = 8;
    while at + 12 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let kind = &bytes[at + 4..at + 8];
        let Some(end) = (at + 12).checked_add(len as usize) else {
            break;
        };
        if end > bytes.len() {
            break;
        }
        let data = &bytes[at + 8..end - 4];
        let field = match kind {
            b"tEXt" => text_chunk(data),
            b"zTXt" => ztxt_chunk(data),
            b"iTXt" => itxt_chunk(data),
            // ComfyUI's SaveAnimatedPNG: private `comf` chunks after the
            // image data, `key NUL json` (Latin-1), one per graph.
            b"comf" => text_chunk(data),
            b"IEND" => break,
            _ => None,
        };
        if let Some((key, text)) = field {
            out.push(TextField {
                key,
                text,
                span: at..end,
                whole_chunk: true,
            });
        }
        at = end;
    }
    out
}

/// `keyword NUL text`, Latin-1.
fn text_chunk(data: &[u8]) -> Option<(String, String)> {
    let nul = data.iter().position(|&b| b == 0)?;
    Some((latin1(&data[..nul]), latin1(&data[nul + 1..])))
}

/// `keyword NUL method(0) zlib-data`, Latin-1.
fn ztxt_chunk(data: &[u8]) -> Option<(String, String)> {
    let nul = data.iter().position(|&b| b == 0)?;
    let text = inflate(data.get(nul + 2..)?)?;
    Some((latin1(&data[..nul]), latin1(&text)))
}

/// `keyword NUL flag method language NUL translated NUL text`, UTF-8.
fn itxt_chunk(data: &[u8]) -> Option<(String, String)> {
    let nul = data.iter().position(|&b| b == 0)?;
    let compressed = *data.get(nul + 1)? == 1;
    let rest = data.get(nul + 3..)?;
    let lang_end = rest.iter().position(|&b| b == 0)?;
    let rest = &rest[lang_end + 1..];
    let translated_end = rest.iter().position(|&b| b == 0)?;
    let body = &rest[translated_end + 1..];
    let text = if compressed {
        inflate(body)?
    } else {
        body.to_vec()
    };
    Some((
        latin1(&data[..nul]),
        String::from_utf8_lossy(&text).into_owned(),
    ))
}

/// zlib data, decompressed up to [`MAX_TEXT`].
pub fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .take(MAX_TEXT)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// The EXIF block (a TIFF structure) of a JPEG (APP1 `Exif\0\0`) and its
/// offset in the file.
pub fn jpeg_exif(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let body = bytes.get(at + 4..at + 2 + len)?;
        if marker == 0xE1 && body.starts_with(b"Exif\0\0") {
            return Some((at + 10, &body[6..]));
        }
        at += 2 + len;
    }
    None
}

/// The EXIF chunk of a WebP (RIFF `EXIF`) and its offset in the file.
pub fn webp_exif(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let len = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]])
            as usize;
        let body = bytes.get(at + 8..at.checked_add(8 + len)?)?;
        if &bytes[at..at + 4] == b"EXIF" {
            // Some writers keep the JPEG `Exif\0\0` prefix.
            let skip = if body.starts_with(b"Exif\0\0") { 6 } else { 0 };
            return Some((at + 8 + skip, &body[skip..]));
        }
        at += 8 + len + (len & 1);
    }
    None
}

/// EXIF tags generators write text into.
const USER_COMMENT: u16 = 0x9286;
const SOFTWARE: u16 = 0x0131;
const MAKER_NOTE: u16 = 0x927C;
const EXIF_IFD: u16 = 0x8769;

/// The generator text fields of an EXIF block at file offset `base`:
/// `UserComment` and `MakerNote` (IFD0 or the Exif IFD), `Software`, and
/// the IFD0 tags ComfyUI's `SaveAnimatedWEBP` writes its graphs into
/// (`Model` = `prompt:…`, then `Make`, `ImageDescription`, `DocumentName`
/// counting down = `workflow:…` and any other extra key).
pub fn exif_fields(base: usize, tiff: &[u8]) -> Vec<TextField> {
    let tags = [
        (USER_COMMENT, "UserComment"),
        (MAKER_NOTE, "MakerNote"),
        (SOFTWARE, "Software"),
        (0x0110, "Model"),
        (0x010f, "Make"),
        (0x010e, "ImageDescription"),
        (0x010d, "DocumentName"),
    ];
    exif_values(base, tiff, &tags, |tag, value| {
        if tag == USER_COMMENT {
            user_comment(value)
        } else {
            String::from_utf8_lossy(value)
                .trim_end_matches('\0')
                .to_string()
        }
    })
}

/// EXIF tags whose values readers show as text (ImageDescription, Artist,
/// Copyright, Windows' XP* tags, and the generator ones).
const TEXT_TAGS: [(u16, &str); 11] = [
    (0x010e, "ImageDescription"),
    (0x013b, "Artist"),
    (0x8298, "Copyright"),
    (0x9c9b, "XPTitle"),
    (0x9c9c, "XPComment"),
    (0x9c9d, "XPAuthor"),
    (0x9c9e, "XPKeywords"),
    (0x9c9f, "XPSubject"),
    (USER_COMMENT, "UserComment"),
    (MAKER_NOTE, "MakerNote"),
    (SOFTWARE, "Software"),
];

/// Every text value of an EXIF block at file offset `base` (IFD0 and the
/// Exif IFD), read as UTF-8 and as UTF-16 both ways, to blank in place.
pub fn exif_text(base: usize, tiff: &[u8]) -> Vec<TextField> {
    exif_values(base, tiff, &TEXT_TAGS, |_, value| {
        [
            String::from_utf8_lossy(value).into_owned(),
            utf16(value, true),
            utf16(value, false),
        ]
        .join("\n")
    })
}

/// The values of `tags` in IFD0 and the Exif IFD of an EXIF block at file
/// offset `base`, each read by `text(tag, value)`, with the bytes they
/// occupy.
fn exif_values(
    base: usize,
    tiff: &[u8],
    tags: &[(u16, &str)],
    text: impl Fn(u16, &[u8]) -> String,
) -> Vec<TextField> {
    let Some(reader) = Tiff::new(tiff) else {
        return Vec::new();
    };
    let ifd0 = reader.u32(4).map(|o| o as usize);
    let mut ifds: Vec<usize> = ifd0.into_iter().collect();
    if let Some(exif) = ifd0.and_then(|o| reader.tag(o, EXIF_IFD)) {
        ifds.push(exif.value_offset);
    }
    let mut out = Vec::new();
    for ifd in ifds {
        for &(tag, key) in tags {
            let Some(entry) = reader.tag(ifd, tag) else {
                continue;
            };
            let Some(value) = tiff.get(entry.data.clone()) else {
                continue;
            };
            out.push(TextField {
                key: key.into(),
                text: text(tag, value),
                span: base + entry.data.start..base + entry.data.end,
                whole_chunk: false,
            });
        }
    }
    out
}

/// `bytes` read as UTF-16 code units, little- or big-endian (a trailing odd
/// byte dropped, unpaired surrogates replaced).
pub fn utf16(bytes: &[u8], little_endian: bool) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| {
            if little_endian {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    String::from_utf16_lossy(&units)
}

/// A `UserComment`: an 8-byte character code, then the text (piexif's
/// `UNICODE` is UTF-16 big-endian; some writers use little-endian).
fn user_comment(value: &[u8]) -> String {
    let (code, body) = value.split_at(value.len().min(8));
    let text = match code {
        b"UNICODE\0" => {
            let (be, le) = (utf16(body, false), utf16(body, true));
            let odd = |s: &str| s.chars().filter(|c| !c.is_ascii()).count();
            if odd(&le) < odd(&be) {
                le
            } else {
                be
            }
        }
        b"ASCII\0\0\0" | [0, 0, 0, 0, 0, 0, 0, 0] => String::from_utf8_lossy(body).into_owned(),
        _ => String::from_utf8_lossy(value).into_owned(),
    };
    text.trim_end_matches('\0').to_string()
}

/// One IFD entry: where its value's bytes are, and its offset value.
struct Entry {
    data: Range<usize>,
    value_offset: usize,
}

/// A TIFF structure's byte order and bytes.
struct Tiff<'a> {
    bytes: &'a [u8],
    little: bool,
}

impl<'a> Tiff<'a> {
    fn new(bytes: &'a [u8]) -> Option<Tiff<'a>> {
        let little = match bytes.get(..2)? {
            b"II" => true,
            b"MM" => false,
            _ => return None,
        };
        Some(Tiff { bytes, little })
    }

    fn u16(&self, at: usize) -> Option<u16> {
        let b = self.bytes.get(at..at + 2)?;
        Some(if self.little {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        })
    }

    fn u32(&self, at: usize) -> Option<u32> {
        let b = self.bytes.get(at..at + 4)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    /// The entry for `tag` in the IFD at `ifd`.
    fn tag(&self, ifd: usize, tag: u16) -> Option<Entry> {
        let count = usize::from(self.u16(ifd)?);
        (0..count.min(1024)).find_map(|i| {
            let at = ifd + 2 + i * 12;
            (self.u16(at)? == tag).then_some(())?;
            let size = match self.u16(at + 2)? {
                1 | 2 | 6 | 7 => 1,
                3 | 8 => 2,
                4 | 9 | 11 | 13 => 4,
                5 | 10 | 12 => 8,
                _ => return None,
            };
            let len = size * self.u32(at + 4)? as usize;
            let value_offset = self.u32(at + 8)? as usize;
            let start = if len <= 4 { at + 8 } else { value_offset };
            let end = start.checked_add(len)?;
            (end <= self.bytes.len()).then_some(Entry {
                data: start..end,
                value_offset,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0; 4]);
        out
    }

    #[test]
    fn reads_text_ztxt_and_itxt_chunks_with_their_spans() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        let t = png.len();
        png.extend(chunk(b"tEXt", b"prompt\0{\"1\": {}}"));
        let mut z = b"workflow\0\0".to_vec();
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut enc, b"{\"nodes\": []}").unwrap();
        z.extend(enc.finish().unwrap());
        png.extend(chunk(b"zTXt", &z));
        png.extend(chunk(b"iTXt", "parameters\0\0\0\0\0a caf\u{e9}".as_bytes()));
        png.extend(chunk(b"IEND", &[]));
        let fields = png_text(&png);
        let keys: Vec<_> = fields
            .iter()
            .map(|f| (f.key.as_str(), f.text.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("prompt", "{\"1\": {}}"),
                ("workflow", "{\"nodes\": []}"),
                ("parameters", "a caf\u{e9}")
            ]
        );
        assert_eq!(fields[0].span.start, t);
        assert_eq!(&png[fields[0].span.clone()][4..8], b"tEXt");
    }

    #[test]
    fn a_truncated_png_yields_what_was_read() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"tEXt", b"prompt\0x"));
        png.extend_from_slice(&[0, 0, 0, 50, b't', b'E', b'X', b't', 1, 2]);
        assert_eq!(png_text(&png).len(), 1);
    }

    #[test]
    fn user_comment_in_both_byte_orders() {
        let mut be = b"UNICODE\0".to_vec();
        for u in "a cat".encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(user_comment(&be), "a cat");
        let mut le = b"UNICODE\0".to_vec();
        for u in "a cat".encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        assert_eq!(user_comment(&le), "a cat");
        assert_eq!(user_comment(b"ASCII\0\0\0a dog"), "a dog");
    }
}
