//! ISCC content codes (ISO 24138:2024) through `iscc-lib`: the soft binding
//! other C2PA resolvers know (`io.iscc.v0` on the C2PA soft-binding
//! algorithm list), beside our own per-sample fingerprint.
//!
//! - A frame gets an ISCC **Image-Code**: its luma, resized to 32×32
//!   (bicubic), through `gen_image_code_v0`. ISCC's reference SDK also
//!   transposes by EXIF orientation, flattens alpha onto white and trims
//!   uniform borders before that; we do not, so our code for such a picture
//!   may differ from theirs while staying stable for ours.
//! - A clip gets an ISCC **Video-Code** from MPEG-7 frame signatures, as the
//!   reference SDK computes them (`fps=fps=5,signature=format=xml`): the
//!   frames the fingerprint decode already produces are pushed through
//!   FFmpeg's `signature` filter in an in-process filter graph (one decode
//!   for both codes), whose XML the filter writes when the graph closes.

use iscc_lib::{gen_audio_code_v0, gen_image_code_v0, gen_video_code_v0};

/// The C2PA soft-binding algorithm name of ISCC.
pub const ALG: &str = "io.iscc.v0";

/// Bits of a content code (ISCC's default).
const BITS: u32 = 64;

/// The Image-Code of a picture's luma plane (`stride` bytes a row).
pub fn image_code(luma: &[u8], width: usize, height: usize, stride: usize) -> Option<String> {
    if width == 0 || height == 0 || stride < width || luma.len() < stride * (height - 1) + width {
        return None;
    }
    let mut plane = Vec::with_capacity(width * height);
    for y in 0..height {
        plane.extend_from_slice(&luma[y * stride..y * stride + width]);
    }
    let img = image::GrayImage::from_raw(width as u32, height as u32, plane)?;
    let small = image::imageops::resize(&img, 32, 32, image::imageops::FilterType::CatmullRom);
    gen_image_code_v0(small.as_raw(), BITS).ok().map(|r| r.iscc)
}

/// The Audio-Code of a Chromaprint fingerprint (`fpcalc -raw -signed`).
pub fn audio_code(chromaprint: &[i32]) -> Option<String> {
    gen_audio_code_v0(chromaprint, BITS).ok().map(|r| r.iscc)
}

/// The Video-Code of MPEG-7 frame signatures (380 values each).
pub fn video_code(signatures: &[Vec<i32>]) -> Option<String> {
    gen_video_code_v0(signatures, BITS).ok().map(|r| r.iscc)
}

/// The soft-binding assertion body for an ISCC code.
pub fn to_soft_binding(code: &str) -> serde_json::Value {
    serde_json::json!({
        "alg": ALG,
        "name": "ISCC content code (ISO 24138:2024)",
        "blocks": [{"scope": {}, "value": code}],
    })
}

/// The ISCC code of a soft-binding assertion body, if it is one.
pub fn from_soft_binding(value: &serde_json::Value) -> Option<String> {
    if value.get("alg")?.as_str()? != ALG {
        return None;
    }
    let code = value.get("blocks")?.get(0)?.get("value")?.as_str()?;
    iscc_lib::iscc_decode(code).ok()?;
    Some(code.to_string())
}

/// Bits that differ between the bodies of two codes of one kind; `None`
/// when either does not decode or their kinds differ.
pub fn distance(a: &str, b: &str) -> Option<u32> {
    let (ma, sa, va, la, da) = iscc_lib::iscc_decode(a).ok()?;
    let (mb, sb, vb, lb, db) = iscc_lib::iscc_decode(b).ok()?;
    if (ma, sa, va, la) != (mb, sb, vb, lb) || da.len() != db.len() {
        return None;
    }
    Some(da.iter().zip(&db).map(|(x, y)| (x ^ y).count_ones()).sum())
}

/// The frame signatures in the `signature` filter's XML output: each
/// `<FrameSignature>` element's whitespace-separated integers.
pub fn parse_signatures(xml: &str) -> Vec<Vec<i32>> {
    const OPEN: &str = "<FrameSignature>";
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(OPEN) {
        let body = &rest[start + OPEN.len()..];
        let Some(end) = body.find("</FrameSignature>") else {
            break;
        };
        let values: Option<Vec<i32>> = body[..end]
            .split_whitespace()
            .map(|v| v.parse().ok())
            .collect();
        if let Some(v) = values.filter(|v| v.len() == 380) {
            out.push(v);
        }
        rest = &body[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iscc_lib_passes_the_iso_conformance_vectors() {
        // The vectors that ship with iscc-lib (tests/data.json, embedded):
        // every code type this build enables, Image and Video included.
        assert!(iscc_lib::conformance_selftest());
    }

    #[test]
    fn image_codes_are_stable_and_near_for_near_pictures() {
        let (w, h) = (160, 90);
        let picture: Vec<u8> = (0..w * h)
            .map(|i| (((i % w) * 255 / w) ^ ((i / w) * 2)) as u8)
            .collect();
        let a = image_code(&picture, w, h, w).unwrap();
        assert_eq!(a, image_code(&picture, w, h, w).unwrap());
        assert!(a.starts_with("ISCC:EE"), "{a}");
        let brighter: Vec<u8> = picture.iter().map(|p| p.saturating_add(6)).collect();
        let b = image_code(&brighter, w, h, w).unwrap();
        assert!(distance(&a, &b).unwrap() <= 4, "{a} {b}");
        assert!(image_code(&picture, w, h, w - 1).is_none());
        assert_eq!(
            from_soft_binding(&to_soft_binding(&a)).as_deref(),
            Some(a.as_str())
        );
    }

    #[test]
    fn signatures_are_read_from_the_filter_xml() {
        let sig = |v: i32| vec![v.to_string(); 380].join(" ");
        let xml = format!(
            "<x><FrameSignature>{}</FrameSignature><FrameSignature>{}</FrameSignature>\
             <FrameSignature>1 2</FrameSignature></x>",
            sig(0),
            sig(1)
        );
        let s = parse_signatures(&xml);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1][379], 1);
        assert!(video_code(&s).unwrap().starts_with("ISCC:EM"));
        assert!(video_code(&[]).is_none());
    }
}
