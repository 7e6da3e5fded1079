//! What a generator wrote into its own output — the prompt, the seed, the
//! model, the workflow — read so the operator need not type it again, and
//! removed from the signed file so the plaintext prompt is never published
//! under our signature (only its salted commitment is).
//!
//! - [`container`]: where the text sits in a frame (PNG text chunks, EXIF).
//! - [`movie`]: in an MP4/MOV `moov` (`mdta` keys, `ilst` items, QuickTime
//!   `udta` text), and removing it at the same length.
//! - [`id3`]: in an MP3's ID3v2 tag (`TXXX`, `COMM`).
//! - [`flac`]: in a FLAC file's Vorbis comments.
//! - Anything else with tags (WebM/Matroska, Ogg Opus): read through
//!   FFmpeg's demuxer ([`crate::media::tags`]); signed by sidecar, so never
//!   removed in place.
//! - [`parse`]: what each generator's text says.
//! - [`leaks`]: the committed text anywhere else in the file, and bytes
//!   after the image's end.

pub mod comfyui;
pub mod container;
pub mod flac;
pub mod id3;
pub mod leaks;
pub mod metadata;
pub mod movie;
pub mod parse;

use crate::media::Format;
pub use container::TextField;
pub use metadata::{GeneratorMetadata, GraphControl, PromptText};

/// The generator text of one file: what it says, and every field that
/// holds it (to remove).
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub metadata: Option<GeneratorMetadata>,
    pub fields: Vec<TextField>,
    /// Metadata that could not be read (a `moov` or value too large): a
    /// stamp cannot say it removed it.
    pub unread: Vec<String>,
}

impl Found {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Read a ComfyUI graph that saves several outputs again, for the one
    /// that wrote the file named `name`.
    pub fn for_file(&mut self, name: &str) {
        let Some(m) = self.metadata.as_mut() else {
            return;
        };
        let Some(graph) = m.graph.take() else { return };
        let workflow = m.workflow.clone().filter(|w| *w != graph);
        if let Some(again) = comfyui::comfyui_saved(&graph, workflow.as_deref(), Some(name)) {
            *m = GeneratorMetadata {
                graph: None,
                ..again
            };
        }
    }

    /// The keys of the fields found (`prompt`, `workflow`, `UserComment`…).
    pub fn keys(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.key.clone()).collect()
    }
}

/// PNG text keywords generators write.
const PNG_KEYS: [&str; 9] = [
    "prompt",
    "workflow",
    "parameters",
    "invokeai_metadata",
    "invokeai_workflow",
    "invokeai_graph",
    "sd-metadata",
    "Dream",
    "fooocus_scheme",
];

/// The generator metadata of the file at `path`: read whole when small
/// ([`crate::media::read_small`]) and of a format read from memory, an
/// MP4/MOV's `moov` when large, the tags FFmpeg reads from anything else
/// that has them.
pub fn read_path(path: &std::path::Path, format: Format) -> Found {
    let mut found = read_path_any(path, format);
    found.for_file(&crate::sys::path_text::file_title(path));
    found
}

/// What [`read_path`] reads, before a graph with several outputs is read
/// again for this file.
fn read_path_any(path: &std::path::Path, format: Format) -> Found {
    let Ok(file) = std::fs::File::open(path) else {
        return Found::default();
    };
    if from_memory(format) {
        if let Ok(Some(bytes)) = crate::media::read_small(&file) {
            return read(format, &bytes);
        }
    }
    match format {
        f if f.is_bmff_movie() => from_items(movie::read(&file)),
        f if tagged(f) => crate::media::tags::container_tags(path)
            .map(|tags| {
                from_tags(
                    tags.into_iter()
                        .map(|(key, text)| TextField {
                            key,
                            text,
                            span: 0..0,
                            whole_chunk: false,
                        })
                        .collect(),
                )
            })
            .unwrap_or_default(),
        _ => Found::default(),
    }
}

/// The generator metadata of the file at `path`, from `bytes` when they
/// are the whole file (and its format is read from memory).
pub fn read_either(format: Format, bytes: Option<&[u8]>, path: &std::path::Path) -> Found {
    match bytes {
        Some(b) if from_memory(format) => {
            let mut found = read(format, b);
            found.for_file(&crate::sys::path_text::file_title(path));
            found
        }
        _ => read_path(path, format),
    }
}

/// The generator metadata of a movie's `moov` (its bytes, at file offset
/// `base`), as a splice holds it, read for the file at `path`.
pub fn read_moov(moov: &[u8], base: u64, path: &std::path::Path) -> Found {
    let mut items = movie::Items::default();
    movie::items_of(moov, base as usize, &mut items);
    let mut found = from_items(items);
    found.for_file(&crate::sys::path_text::file_title(path));
    found
}

fn from_items(items: movie::Items) -> Found {
    Found {
        unread: items.unread,
        ..from_tags(items.fields)
    }
}

/// Formats whose generator text [`read`] finds in the whole file's bytes.
fn from_memory(format: Format) -> bool {
    format.is_bmff_movie()
        || matches!(
            format,
            Format::Png | Format::Jpeg | Format::WebP | Format::Mp3 | Format::Flac
        )
}

/// Formats whose tags FFmpeg reads for us (signed by sidecar).
fn tagged(format: Format) -> bool {
    matches!(
        format,
        Format::Mkv | Format::WebM | Format::Avi | Format::Wav | Format::Ogg
    )
}

/// The generator metadata in `bytes` (a whole file of `format`).
pub fn read(format: Format, bytes: &[u8]) -> Found {
    match format {
        Format::Png => from_png(container::png_text(bytes)),
        Format::Jpeg => from_exif(container::jpeg_exif(bytes)),
        Format::WebP => from_exif(container::webp_exif(bytes)),
        Format::Mp3 => from_tags(id3::fields(bytes)),
        Format::Flac => from_tags(flac::fields(bytes)),
        f if f.is_bmff_movie() => from_items(movie::read_bytes(bytes)),
        _ => Found::default(),
    }
}

/// Container tags (MP4/MOV items, ID3 frames, Matroska tags, Vorbis
/// comments), keys compared without case:
/// - ComfyUI's `SaveVideo`, `SaveWEBM` and audio nodes: `prompt` (the API
///   graph) and `workflow`, each JSON;
/// - VideoHelperSuite: a `comment` (MOV: also `description`) holding
///   `{"prompt": "<API graph as a JSON string>", "workflow": {…}}`;
/// - A1111-style `parameters` text.
///
/// Every field holding one of them is a field to remove.
fn from_tags(all: Vec<TextField>) -> Found {
    let get = |k: &str| {
        all.iter()
            .find(|f| f.key.eq_ignore_ascii_case(k))
            .map(|f| f.text.as_str())
    };
    let vhs = |f: &TextField| {
        matches!(
            f.key.to_ascii_lowercase().as_str(),
            "comment" | "description"
        )
        .then(|| vhs_graphs(&f.text))
        .flatten()
    };
    let metadata = if let Some(m) = get("prompt").and_then(|p| comfyui::comfyui(p, get("workflow")))
    {
        Some(m)
    } else if let Some((prompt, workflow)) = all.iter().find_map(vhs) {
        comfyui::comfyui(&prompt, workflow.as_deref())
    } else {
        get("parameters").map(|p| parse::a1111(p, "AUTOMATIC1111"))
    };
    let generator_field =
        |f: &TextField| PNG_KEYS.iter().any(|k| f.key.eq_ignore_ascii_case(k)) || vhs(f).is_some();
    Found {
        metadata,
        fields: all.into_iter().filter(generator_field).collect(),
        unread: Vec::new(),
    }
}

/// VideoHelperSuite's comment: the API graph (a JSON string, or an object)
/// and the workflow.
fn vhs_graphs(text: &str) -> Option<(String, Option<String>)> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let as_text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let prompt = as_text(v.get("prompt")?);
    Some((prompt, v.get("workflow").map(as_text)))
}

fn from_png(all: Vec<TextField>) -> Found {
    let get = |k: &str| all.iter().find(|f| f.key == k).map(|f| f.text.as_str());
    let novelai = get("Software").is_some_and(|s| s.starts_with("NovelAI"));
    let midjourney = get("Description").is_some_and(|d| d.contains("Job ID:"));
    let metadata = if let Some(m) = get("prompt").and_then(|p| comfyui::comfyui(p, get("workflow")))
    {
        Some(m)
    } else if let Some(m) = get("invokeai_metadata")
        .and_then(|m| parse::invokeai(m, get("invokeai_workflow").or(get("invokeai_graph"))))
    {
        Some(m)
    } else if let Some(p) = get("parameters") {
        match get("fooocus_scheme") {
            Some("fooocus") => parse::fooocus(p),
            Some(_) => Some(parse::a1111(p, "Fooocus")),
            None => parse::fooocus(p).or_else(|| Some(parse::a1111(p, "AUTOMATIC1111"))),
        }
    } else if novelai {
        get("Comment").and_then(|c| parse::novelai(c, get("Source")))
    } else if midjourney {
        get("Description").map(midjourney_prompt)
    } else {
        None
    };
    let generator_field = |f: &TextField| {
        PNG_KEYS.contains(&f.key.as_str())
            || ((novelai || midjourney) && matches!(f.key.as_str(), "Description" | "Comment"))
    };
    Found {
        metadata,
        fields: all.into_iter().filter(generator_field).collect(),
        unread: Vec::new(),
    }
}

/// Midjourney's `Description`: the prompt, its parameters, `Job ID: …`.
fn midjourney_prompt(description: &str) -> GeneratorMetadata {
    let prompt = description
        .split("Job ID:")
        .next()
        .unwrap_or_default()
        .trim();
    GeneratorMetadata {
        generator: "Midjourney".into(),
        prompt: (!prompt.is_empty()).then(|| prompt.to_string()),
        ..GeneratorMetadata::default()
    }
}

fn from_exif(exif: Option<(usize, &[u8])>) -> Found {
    let Some((base, tiff)) = exif else {
        return Found::default();
    };
    let all = container::exif_fields(base, tiff);
    if let Some(found) = comfyui_exif(&all) {
        return found;
    }
    let get = |k: &str| all.iter().find(|f| f.key == k).map(|f| f.text.as_str());
    let fooocus = get("Software").is_some_and(|s| s.starts_with("Fooocus"))
        || matches!(get("MakerNote"), Some("fooocus" | "a1111"));
    let metadata = get("UserComment")
        .filter(|c| !c.trim().is_empty())
        .and_then(|c| {
            if fooocus && get("MakerNote") != Some("a1111") {
                parse::fooocus(c).or_else(|| Some(parse::a1111(c, "Fooocus")))
            } else if c.contains("Steps: ") {
                Some(parse::a1111(
                    c,
                    if fooocus { "Fooocus" } else { "AUTOMATIC1111" },
                ))
            } else {
                None
            }
        });
    let fields = all
        .into_iter()
        .filter(|f| match f.key.as_str() {
            "UserComment" => metadata.is_some(),
            "MakerNote" => matches!(f.text.as_str(), "fooocus" | "a1111"),
            _ => false,
        })
        .collect();
    Found {
        metadata,
        fields,
        unread: Vec::new(),
    }
}

/// ComfyUI's `SaveAnimatedWEBP` EXIF: `Model` = `prompt:` + the API graph,
/// the tags below it = `KEY:` + JSON for each extra key (`workflow:`…).
/// Every such tag is a field to remove.
fn comfyui_exif(all: &[TextField]) -> Option<Found> {
    const GRAPH_TAGS: [&str; 4] = ["Model", "Make", "ImageDescription", "DocumentName"];
    let in_graph_tag = |f: &&TextField| GRAPH_TAGS.contains(&f.key.as_str());
    let prompt = all
        .iter()
        .filter(in_graph_tag)
        .find_map(|f| f.text.strip_prefix("prompt:"))?;
    let workflow = all
        .iter()
        .filter(in_graph_tag)
        .find_map(|f| f.text.strip_prefix("workflow:"));
    let keyed = |f: &&TextField| {
        f.text.split_once(':').is_some_and(|(k, v)| {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && v.starts_with(['{', '[', '"'])
        })
    };
    Some(Found {
        metadata: comfyui::comfyui(prompt, workflow),
        fields: all
            .iter()
            .filter(in_graph_tag)
            .filter(keyed)
            .cloned()
            .collect(),
        unread: Vec::new(),
    })
}

/// `bytes` (a whole file of `format`) without the generator's fields: PNG
/// chunks removed, EXIF values blanked in place (zeros; no offset moves),
/// ID3 frames and FLAC comments removed within their tag or block (its
/// length kept).
pub fn scrub(format: Format, bytes: &[u8], found: &Found) -> Result<Vec<u8>, String> {
    let drop: Vec<_> = found.fields.iter().map(|f| f.span.clone()).collect();
    match format {
        Format::Mp3 => id3::strip(bytes, &drop),
        Format::Flac => flac::strip(bytes, &drop),
        _ => Ok(scrub_spans(bytes, found)),
    }
}

fn scrub_spans(bytes: &[u8], found: &Found) -> Vec<u8> {
    let mut spans: Vec<&TextField> = found.fields.iter().collect();
    spans.sort_by_key(|f| f.span.start);
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for f in spans {
        if f.span.start < at || f.span.end > bytes.len() {
            continue;
        }
        out.extend_from_slice(&bytes[at..f.span.start]);
        if !f.whole_chunk {
            out.resize(out.len() + f.span.len(), 0);
        }
        at = f.span.end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}
