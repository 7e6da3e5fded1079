//! The cut's data: shots on video and audio tracks, in seconds, and SMPTE
//! timecodes for showing them.

use serde::Serialize;

/// Picture or sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackKind {
    Video,
    Audio,
}

impl TrackKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackKind::Video => "video",
            TrackKind::Audio => "audio",
        }
    }
}

/// One use of a source on one track.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shot {
    /// The track's name (`V1`, `A2`, or the OTIO track's own name).
    pub track: String,
    pub kind: TrackKind,
    /// The clip's name in the timeline.
    pub name: String,
    /// The media reference as written (URL, path or clip name).
    pub reference: Option<String>,
    /// Record range on the timeline, seconds from its start timecode 0.
    pub record_in: f64,
    pub record_out: f64,
    /// Where in the source the shot starts, seconds.
    pub source_in: f64,
}

impl Shot {
    pub fn seconds(&self) -> f64 {
        (self.record_out - self.record_in).max(0.0)
    }
}

/// The cut's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineFormat {
    Otio,
    Cmx3600,
}

impl TimelineFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineFormat::Otio => "OpenTimelineIO",
            TimelineFormat::Cmx3600 => "CMX 3600 EDL",
        }
    }
}

/// An editor's cut.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub name: String,
    pub format: TimelineFormat,
    /// Frames per second for timecodes (the OTIO rate, or the EDL's as given).
    pub rate: f64,
    /// Shots in record order per track, tracks in file order.
    pub shots: Vec<Shot>,
    /// What the reader passed over (generators, effects), for the report.
    pub notes: Vec<String>,
}

/// `seconds` as SMPTE non-drop timecode `HH:MM:SS:FF` at `rate`.
pub fn timecode(seconds: f64, rate: f64) -> String {
    let fps = rate.round().max(1.0) as u64;
    let frames = (seconds.max(0.0) * rate).round() as u64;
    let (h, rest) = (frames / (3600 * fps), frames % (3600 * fps));
    let (m, rest) = (rest / (60 * fps), rest % (60 * fps));
    format!("{h:02}:{m:02}:{:02}:{:02}", rest / fps, rest % fps)
}

/// Round to the microsecond: sums of frame durations stay exact enough to
/// compare and to print to the millisecond.
pub(super) fn micro(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timecodes_count_frames() {
        assert_eq!(timecode(0.0, 24.0), "00:00:00:00");
        assert_eq!(timecode(192.0 + 5.0 / 24.0, 24.0), "00:03:12:05");
        assert_eq!(timecode(3600.48, 25.0), "01:00:00:12");
    }
}
