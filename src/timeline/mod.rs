//! An editor's cut as data: the shots of each video and audio track, each
//! with the source it plays (as the timeline names it), the source range
//! and the record range on the timeline, in seconds.
//!
//! - `otio`: OpenTimelineIO JSON (`.otio`), nested stacks and transitions.
//! - `edl`: CMX 3600 edit decision lists (`.edl`), dissolves included.
//! - [`resolve`]: a shot's media reference → a file on disk.
//!
//! Both readers give the same shots for the same cut: a transition's
//! overlap belongs to the incoming shot, as an EDL writes it (the outgoing
//! shot ends where the dissolve starts).

mod edl;
mod model;
mod otio;
pub mod resolve;

use std::path::{Path, PathBuf};

pub use model::{timecode, Shot, Timeline, TimelineFormat, TrackKind};

/// Timelines larger than this are refused (an edit is kilobytes).
const MAX_TIMELINE_BYTES: u64 = 64 << 20;

/// Why a timeline could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TimelineError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Parse { path: PathBuf, reason: String },
}

/// Read the cut at `path`: `.otio` (or JSON text) as OpenTimelineIO,
/// anything else as a CMX 3600 EDL timed at `edl_rate` frames per second.
pub fn load(path: &Path, edl_rate: f64) -> Result<Timeline, TimelineError> {
    let read_err = |source| TimelineError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_TIMELINE_BYTES {
        return Err(TimelineError::Parse {
            path: path.to_path_buf(),
            reason: format!("{size} bytes is not a timeline (limit {MAX_TIMELINE_BYTES})"),
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let text = String::from_utf8_lossy(&bytes);
    let is_otio = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("otio"))
        || text.trim_start().starts_with('{');
    let parsed = if is_otio {
        otio::parse(&text)
    } else {
        edl::parse(&text, edl_rate)
    };
    parsed.map_err(|reason| TimelineError::Parse {
        path: path.to_path_buf(),
        reason,
    })
}
