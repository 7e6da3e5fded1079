//! MPEG-7 video frame signatures from FFmpeg's `signature` filter, for the
//! ISCC Video-Code (`media::iscc`): decoded frames go into an in-process
//! filter graph `buffer → fps=fps=5 → signature=format=xml → buffersink`
//! (what ISCC's reference SDK runs on the command line), fed by the decode
//! the fingerprint already does. The filter writes its XML when the graph
//! is freed; it goes to a private temporary directory and is read back.

use std::path::PathBuf;

use ffmpeg::filter::Graph;
use ffmpeg_next as ffmpeg;

use super::{filters, iscc};

/// A signature graph for frames of one size and pixel format.
pub struct FrameSignatures {
    graph: Graph,
    dir: tempfile::TempDir,
    geometry: (u32, u32, ffmpeg::format::Pixel),
    /// Set when a frame could not be pushed: no code, rather than a wrong one.
    broken: bool,
}

impl FrameSignatures {
    /// A graph for frames like `first`, whose timestamps are in `time_base`.
    pub fn new(
        first: &ffmpeg::frame::Video,
        time_base: ffmpeg::Rational,
    ) -> Result<FrameSignatures, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let xml = dir.path().join("signature.xml");
        let xml = xml
            .to_str()
            .filter(|p| !p.contains([':', '\\', '\'', ',', ';', '[', ']']));
        let xml = xml.ok_or("the temporary directory's path cannot be given to FFmpeg")?;
        let pix: ffmpeg::ffi::AVPixelFormat = first.format().into();
        let args = format!(
            "video_size={}x{}:pix_fmt={}:time_base={}/{}:pixel_aspect=1/1",
            first.width(),
            first.height(),
            pix as i32,
            time_base.numerator(),
            time_base.denominator().max(1)
        );
        let spec = format!("fps=fps=5,signature=format=xml:filename={xml}");
        let graph = filters::chain("buffer", &args, "buffersink", &spec)?;
        Ok(FrameSignatures {
            graph,
            dir,
            geometry: (first.width(), first.height(), first.format()),
            broken: false,
        })
    }

    /// Push one decoded frame (its `pts` set) and drain what passes through.
    pub fn push(&mut self, frame: &ffmpeg::frame::Video) {
        if self.broken || (frame.width(), frame.height(), frame.format()) != self.geometry {
            self.broken = true;
            return;
        }
        self.broken |= !filters::add(&mut self.graph, Some(frame));
        self.drain();
    }

    /// Pass on what went through: the signature filter keeps what it needs.
    fn drain(&mut self) {
        while filters::take(&mut self.graph, ffmpeg::frame::Video::empty).is_some() {}
    }

    /// Close the graph, read the signatures it wrote, and make the code.
    pub fn finish(mut self) -> Option<String> {
        filters::add(&mut self.graph, None);
        self.drain();
        let FrameSignatures {
            graph, dir, broken, ..
        } = self;
        // The filter writes its file when it is freed.
        drop(graph);
        if broken {
            return None;
        }
        let path: PathBuf = dir.path().join("signature.xml");
        let xml = std::fs::read_to_string(path).ok()?;
        iscc::video_code(&iscc::parse_signatures(&xml))
    }
}
