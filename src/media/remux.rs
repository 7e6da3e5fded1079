//! A lossless copy of a clip or sound without its metadata tags: every
//! audio, video and subtitle stream's packets copied as they are into the
//! same container format (`ffmpeg -i IN -map_metadata -1 -c copy OUT`),
//! no container or stream tag carried over. For the formats a C2PA
//! manifest cannot go into (WebM, Matroska, FLAC, Opus…), whose
//! generator text cannot be removed in place.

use std::path::Path;

use super::Format;

/// The libavformat muxer that writes `format` again (an Ogg file named
/// `.opus` by the Opus muxer), if there is one.
pub fn muxer_for(format: Format, path: &Path) -> Option<&'static str> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    Some(match format {
        Format::WebM => "webm",
        Format::Mkv => "matroska",
        Format::Avi => "avi",
        Format::Wav => "wav",
        Format::Mp3 => "mp3",
        Format::Mp4 | Format::M4v => "mp4",
        Format::Mov => "mov",
        Format::Flac => "flac",
        Format::Ogg if ext.as_deref() == Some("opus") => "opus",
        Format::Ogg => "ogg",
        _ => return None,
    })
}

/// Copy `input` to `output` (written whole, by `muxer`) without tags.
#[cfg(feature = "video")]
pub fn without_tags(input: &Path, output: &Path, muxer: &str) -> Result<(), String> {
    use ffmpeg_next::{codec, encoder, format, media};
    super::video::init();
    let err = |e: ffmpeg_next::Error| e.to_string();
    let mut ictx = format::input(&input).map_err(err)?;
    let mut octx = format::output_as(&output, muxer).map_err(err)?;
    let mut mapping = Vec::new();
    for ist in ictx.streams() {
        let medium = ist.parameters().medium();
        if !matches!(
            medium,
            media::Type::Audio | media::Type::Video | media::Type::Subtitle
        ) {
            mapping.push(None);
            continue;
        }
        let mut ost = octx
            .add_stream(encoder::find(codec::Id::None))
            .map_err(err)?;
        ost.set_parameters(ist.parameters());
        ost.set_time_base(ist.time_base());
        mapping.push(Some((ost.index(), ist.time_base())));
    }
    if mapping.iter().all(Option::is_none) {
        return Err("no audio, video or subtitle stream to copy".into());
    }
    octx.write_header().map_err(err)?;
    for (stream, mut packet) in ictx.packets() {
        let Some(Some((index, from))) = mapping.get(stream.index()).copied() else {
            continue;
        };
        let to = octx
            .stream(index)
            .ok_or("output stream missing")?
            .time_base();
        packet.rescale_ts(from, to);
        packet.set_position(-1);
        packet.set_stream(index);
        packet.write_interleaved(&mut octx).map_err(err)?;
    }
    octx.write_trailer().map_err(err)
}

#[cfg(not(feature = "video"))]
pub fn without_tags(_input: &Path, _output: &Path, _muxer: &str) -> Result<(), String> {
    Err("this build has no FFmpeg to copy the streams with".into())
}
