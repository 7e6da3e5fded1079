//! The media facts a record signs, checked against the file: a record is
//! signed by whoever made it, so a 64×48 frame "lasting" 100,000 s is a
//! valid signature over a lie. Shares and screen time are computed from
//! these facts, so kind, size and duration must be what the file is.

use std::path::Path;

use crate::media::{self, Format, MediaFacts, Sampling};
use crate::record::GenerationRecord;

/// Seconds a signed duration may differ from the probed one (container
/// rounding), or 2% of it, whichever is more.
const DURATION_SLACK_S: f64 = 0.5;

/// Where the signed facts are not the file's; `Err` when the file's facts
/// could not be read to compare (the check did not happen).
pub(super) fn media_changes(
    path: &Path,
    format: Format,
    record: Option<&GenerationRecord>,
) -> Result<Vec<String>, String> {
    let Some(signed) = record.and_then(|r| r.media.as_ref()) else {
        return Ok(Vec::new());
    };
    match media::analyze(path, format, Sampling::Header)? {
        Some((probed, _)) => Ok(differences(signed, &probed)),
        // A build without FFmpeg reads no clip: the check did not happen.
        None if format.is_video() => Err("clip facts need the video feature".into()),
        None => Ok(vec![format!(
            "the record signs {} facts; a {} file has none",
            signed.kind,
            format.name()
        )]),
    }
}

fn differences(signed: &MediaFacts, probed: &MediaFacts) -> Vec<String> {
    let mut out = Vec::new();
    if signed.kind != probed.kind {
        out.push(format!(
            "the record signs a {}; the file is a {}",
            signed.kind, probed.kind
        ));
    }
    if (signed.width, signed.height) != (probed.width, probed.height) {
        out.push(format!(
            "the record signs {}×{}; the file is {}×{}",
            signed.width, signed.height, probed.width, probed.height
        ));
    }
    match (signed.duration_s, probed.duration_s) {
        (Some(s), Some(p)) if (s - p).abs() > DURATION_SLACK_S.max(0.02 * p) => {
            out.push(format!("the record signs {s} s; the file lasts {p} s"))
        }
        (Some(s), None) => out.push(format!("the record signs {s} s; the file has no duration")),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: &str, width: u32, duration_s: Option<f64>) -> MediaFacts {
        MediaFacts {
            kind: kind.into(),
            container: "png".into(),
            codec: None,
            width,
            height: 48,
            frame_rate: None,
            duration_s,
            frame_count: None,
            audio: Vec::new(),
            ftyp_sha256: None,
            pixels_sha256: None,
        }
    }

    #[test]
    fn an_impossible_duration_is_a_difference() {
        let frame = facts("frame", 64, None);
        assert!(differences(&frame, &frame).is_empty());
        let lie = facts("clip", 64, Some(100_000.0));
        assert_eq!(differences(&lie, &frame).len(), 2);
        let clip = facts("clip", 64, Some(10.0));
        assert!(differences(&facts("clip", 64, Some(10.2)), &clip).is_empty());
        assert_eq!(differences(&facts("clip", 64, Some(11.0)), &clip).len(), 1);
        assert_eq!(differences(&facts("clip", 32, Some(10.0)), &clip).len(), 1);
    }
}
