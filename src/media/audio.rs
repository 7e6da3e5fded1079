//! The ISCC Audio-Code of a sound file: a Chromaprint fingerprint (what
//! ISCC's reference SDK gets from `fpcalc -raw -signed -length 0`) through
//! `iscc-lib`. FFmpeg computes Chromaprint in its `chromaprint` muxer, so
//! the audio is decoded, converted to 16-bit mono or stereo by a filter
//! graph, and muxed into that muxer (`fp_format=raw`) writing to a private
//! temporary file, whose 32-bit values are the fingerprint — byte for byte
//! what `fpcalc -raw -signed` prints (checked by `scripts/interop.sh`).

use std::path::Path;

use ffmpeg::format::{sample::Type as SampleType, Sample};
use ffmpeg::media::Type;
use ffmpeg::ChannelLayout;
use ffmpeg_next as ffmpeg;

use super::{filters, iscc};

/// The Audio-Code of `path`'s best audio stream; `Ok(None)` when it has none.
pub fn audio_code(path: &Path) -> Result<Option<String>, String> {
    super::video::init();
    let err = |e: ffmpeg::Error| e.to_string();
    let mut ictx = ffmpeg::format::input(path).map_err(err)?;
    let Some(stream) = ictx.streams().best(Type::Audio) else {
        return Ok(None);
    };
    let index = stream.index();
    let ctx = ffmpeg::codec::context::Context::from_parameters(stream.parameters()).map_err(err)?;
    let mut decoder = ctx.decoder().audio().map_err(err)?;
    let layout = if decoder.channels() == 1 {
        ChannelLayout::MONO
    } else {
        ChannelLayout::STEREO
    };
    let mut graph = convert_graph(&decoder, layout)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let raw = dir.path().join("chromaprint.raw");
    let mut out = Muxer::new(&raw, decoder.rate(), layout)?;
    let mut frame = ffmpeg::frame::Audio::empty();
    for (s, packet) in ictx.packets() {
        if s.index() != index || decoder.send_packet(&packet).is_err() {
            continue;
        }
        while decoder.receive_frame(&mut frame).is_ok() {
            push(&mut graph, &frame, &mut out)?;
        }
    }
    let _ = decoder.send_eof();
    while decoder.receive_frame(&mut frame).is_ok() {
        push(&mut graph, &frame, &mut out)?;
    }
    filters::add(&mut graph, None);
    drain(&mut graph, &mut out)?;
    out.finish()?;
    let bytes = std::fs::read(&raw).map_err(|e| e.to_string())?;
    let values: Vec<i32> = bytes
        .chunks_exact(4)
        .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if values.is_empty() {
        return Ok(None);
    }
    Ok(iscc::audio_code(&values))
}

/// `abuffer → aformat (s16, mono or stereo) → abuffersink`.
fn convert_graph(
    decoder: &ffmpeg::decoder::Audio,
    layout: ChannelLayout,
) -> Result<ffmpeg::filter::Graph, String> {
    let in_layout = match decoder.channel_layout().bits() {
        0 => format!("channels={}", decoder.channels()),
        bits => format!("channel_layout=0x{bits:x}"),
    };
    let args = format!(
        "time_base=1/{rate}:sample_rate={rate}:sample_fmt={}:{in_layout}",
        decoder.format().name(),
        rate = decoder.rate().max(1),
    );
    let mono = layout == ChannelLayout::MONO;
    let spec = format!(
        "aformat=sample_fmts=s16:channel_layouts={}",
        if mono { "mono" } else { "stereo" }
    );
    filters::chain("abuffer", &args, "abuffersink", &spec)
}

/// Push one decoded frame (the graph takes its buffers) and mux what the
/// graph gives back.
fn push(
    graph: &mut ffmpeg::filter::Graph,
    frame: &ffmpeg::frame::Audio,
    out: &mut Muxer,
) -> Result<(), String> {
    if !filters::add(graph, Some(frame)) {
        return Err("the audio conversion refused a frame".into());
    }
    drain(graph, out)
}

fn drain(graph: &mut ffmpeg::filter::Graph, out: &mut Muxer) -> Result<(), String> {
    while let Some(converted) = filters::take(graph, ffmpeg::frame::Audio::empty) {
        out.write(&converted)?;
    }
    Ok(())
}

/// FFmpeg's `chromaprint` muxer over 16-bit PCM, writing the raw
/// fingerprint to a file.
struct Muxer {
    octx: ffmpeg::format::context::Output,
    channels: usize,
    samples: i64,
}

impl Muxer {
    fn new(path: &Path, rate: u32, layout: ChannelLayout) -> Result<Muxer, String> {
        let err = |e: ffmpeg::Error| e.to_string();
        let mut octx = ffmpeg::format::output_as(path, "chromaprint").map_err(err)?;
        let codec = ffmpeg::encoder::find(ffmpeg::codec::Id::PCM_S16LE).ok_or("no PCM encoder")?;
        let mut stream = octx.add_stream(codec).map_err(err)?;
        let ctx =
            ffmpeg::codec::context::Context::from_parameters(stream.parameters()).map_err(err)?;
        let mut encoder = ctx.encoder().audio().map_err(err)?;
        encoder.set_rate(rate as i32);
        encoder.set_channel_layout(layout);
        encoder.set_channels(layout.channels());
        encoder.set_format(Sample::I16(SampleType::Packed));
        encoder.set_time_base((1, rate as i32));
        stream.set_time_base((1, rate as i32));
        let encoder = encoder.open_as(codec).map_err(err)?;
        stream.set_parameters(&encoder);
        let mut options = ffmpeg::Dictionary::new();
        options.set("fp_format", "raw");
        octx.write_header_with(options).map_err(err)?;
        Ok(Muxer {
            octx,
            channels: layout.channels().max(1) as usize,
            samples: 0,
        })
    }

    fn write(&mut self, frame: &ffmpeg::frame::Audio) -> Result<(), String> {
        let n = frame.samples();
        let bytes = n * self.channels * 2;
        let data = frame.data(0);
        let mut packet = ffmpeg::Packet::copy(&data[..bytes.min(data.len())]);
        packet.set_stream(0);
        packet.set_pts(Some(self.samples));
        packet.set_dts(Some(self.samples));
        packet.set_duration(n as i64);
        self.samples += n as i64;
        packet.write(&mut self.octx).map_err(|e| e.to_string())?;
        Ok(())
    }

    fn finish(mut self) -> Result<(), String> {
        self.octx.write_trailer().map_err(|e| e.to_string())
    }
}
