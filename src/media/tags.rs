//! The metadata tags FFmpeg's demuxer reads from a container and its
//! streams (Matroska/WebM tags, FLAC and Opus Vorbis comments…), for the
//! formats whose layout we do not walk ourselves.

use std::path::Path;

/// (key, value) of every container and stream tag of `path`, or `None`
/// when FFmpeg cannot open it (or is not built in).
#[cfg(feature = "video")]
pub fn container_tags(path: &Path) -> Option<Vec<(String, String)>> {
    super::video::init();
    let mut options = ffmpeg_next::Dictionary::new();
    options.set("analyzeduration", "0");
    options.set("probesize", "32");
    let ictx = ffmpeg_next::format::input_with_dictionary(&path, options).ok()?;
    let mut out: Vec<(String, String)> = ictx
        .metadata()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for stream in ictx.streams() {
        out.extend(
            stream
                .metadata()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
    }
    Some(out)
}

#[cfg(not(feature = "video"))]
pub fn container_tags(_path: &Path) -> Option<Vec<(String, String)>> {
    None
}
