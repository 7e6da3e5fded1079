//! Linear FFmpeg filter graphs — one source, a chain, one sink — as the
//! ISCC codes use them: frame signatures for clips (`signature`) and 16-bit
//! PCM for Chromaprint (`audio`).

use std::ops::DerefMut;

use ffmpeg::filter::Graph;
use ffmpeg_next as ffmpeg;

/// `source` (made with `args`) → `spec` → `sink`, validated; the source is
/// named `in`, the sink `out`.
pub fn chain(source: &str, args: &str, sink: &str, spec: &str) -> Result<Graph, String> {
    let err = |e: ffmpeg::Error| e.to_string();
    let find = |name: &str| ffmpeg::filter::find(name).ok_or(format!("no {name} filter"));
    let mut graph = Graph::new();
    graph.add(&find(source)?, "in", args).map_err(err)?;
    graph.add(&find(sink)?, "out", "").map_err(err)?;
    graph
        .output("in", 0)
        .and_then(|p| p.input("out", 0))
        .and_then(|p| p.parse(spec))
        .map_err(err)?;
    graph.validate().map_err(err)?;
    Ok(graph)
}

/// Give the source a frame (it takes the frame's buffers), or with `None`
/// the end of the stream; whether it was taken.
pub fn add(graph: &mut Graph, frame: Option<&ffmpeg::Frame>) -> bool {
    let Some(mut source) = graph.get("in") else {
        return false;
    };
    match frame {
        Some(f) => source.source().add(f).is_ok(),
        None => source.source().flush().is_ok(),
    }
}

/// The next frame out of the sink, if one is ready. A fresh frame each
/// time: FFmpeg moves its output in without releasing what the frame held,
/// so reusing one would leak every frame.
pub fn take<F: DerefMut<Target = ffmpeg::Frame>>(graph: &mut Graph, empty: fn() -> F) -> Option<F> {
    let mut sink = graph.get("out")?;
    let mut frame = empty();
    sink.sink().frame(&mut frame).ok()?;
    Some(frame)
}
