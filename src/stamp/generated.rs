//! The generator's own metadata in a stamp: what ComfyUI, A1111, InvokeAI,
//! Fooocus, NovelAI or Midjourney wrote into the file fills what the
//! operator did not say (flags win; a flag that contradicts the file is
//! reported), and is removed from the signed output — before hashing, in
//! the same single write — so the plaintext prompt is never published
//! under our signature: only its salted commitment is, and the plaintext
//! goes to the reveal file. `--keep-generator-metadata` keeps it, warned.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;

use crate::generator::{self, Found, GeneratorMetadata};
use crate::media::Format;
use crate::record::Tool;

use super::request::StampRequest;
use super::warning::StampWarning;

/// What the generator's metadata came to in one stamp.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FromGenerator {
    /// Whose layout was recognised, if any.
    pub generator: Option<String>,
    /// The fields found (`prompt`, `workflow`, `parameters`, `UserComment`…).
    pub fields: Vec<String>,
    /// Whether they were removed from the signed file.
    pub removed: bool,
    /// What the file said that a flag overrode (`prompt`, `seed`, …).
    pub overridden: Vec<String>,
}

/// The request for one file: the run's, with what the generator wrote
/// where the run says nothing; and the fields a flag overrode.
pub fn effective<'a>(
    request: &'a StampRequest,
    found: &Found,
) -> (Cow<'a, StampRequest>, Vec<String>) {
    let Some(meta) = &found.metadata else {
        return (Cow::Borrowed(request), Vec::new());
    };
    if request.derive.is_some() {
        return (Cow::Borrowed(request), Vec::new());
    }
    let mut r = request.clone();
    let mut overridden = Vec::new();
    if r.tool.name.trim().is_empty() {
        r.tool = Tool {
            name: meta.generator.clone(),
            version: meta.tool_version.clone(),
            vendor: None,
            model: meta.model.clone(),
        };
    } else if r.tool.model.is_none() {
        r.tool.model = meta.model.clone();
    } else if meta.model.is_some() && r.tool.model != meta.model {
        overridden.push("model".into());
    }
    fill(&mut r.prompt, &meta.prompt, "prompt", &mut overridden);
    fill(
        &mut r.negative_prompt,
        &meta.negative_prompt,
        "negative prompt",
        &mut overridden,
    );
    fill(&mut r.seed, &meta.seed, "seed", &mut overridden);
    match (r.steps, meta.steps) {
        (None, found) => r.steps = found,
        (Some(a), Some(b)) if a != b => overridden.push("steps".into()),
        _ => {}
    }
    r.generation = Some(generation_facts(meta));
    (Cow::Owned(r), overridden)
}

/// `slot` from the file when the run gave none; a different value given
/// is noted as overriding the file.
fn fill(slot: &mut Option<String>, found: &Option<String>, name: &str, out: &mut Vec<String>) {
    match (&*slot, found) {
        (None, Some(v)) => *slot = Some(v.clone()),
        (Some(given), Some(v)) if given.trim() != v.trim() => out.push(name.into()),
        _ => {}
    }
}

/// The facts beyond prompt and seed a stamp records from the generator.
fn generation_facts(meta: &GeneratorMetadata) -> GeneratorMetadata {
    GeneratorMetadata {
        prompt: None,
        negative_prompt: None,
        seed: None,
        ..meta.clone()
    }
}

/// What was found and (unless `keep`) removed, for the report.
pub fn summary(found: &Found, keep: bool, overridden: Vec<String>) -> FromGenerator {
    FromGenerator {
        generator: found.metadata.as_ref().map(|m| m.generator.clone()),
        fields: found.keys(),
        removed: !keep && !found.is_empty(),
        overridden,
    }
}

/// The way out when a movie's generator text cannot be removed (or read)
/// in the one write: what a refusal tells the user to do next.
pub const REMUX_FIRST: &str = "remux it without metadata first (ffmpeg -i IN -map_metadata -1 -c copy OUT) or pass --keep-generator-metadata";

/// The text a stamp commits to and must not publish: prompt, negative
/// prompt, the generator's other prompts, the workflow (name and text).
pub fn secrets(request: &StampRequest, found: &Found) -> Vec<(&'static str, String)> {
    let workflow = found.metadata.as_ref().and_then(|m| m.workflow.clone());
    let others = found.metadata.iter().flat_map(|m| &m.prompts);
    [
        ("prompt", request.prompt.clone()),
        ("negative prompt", request.negative_prompt.clone()),
        ("workflow", workflow),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k, v?)))
    .chain(others.map(|p| ("prompt", p.text.clone())))
    .collect()
}

/// A movie's `moov` in `splice` without the generator items at `drop` and
/// any other item holding a secret; refused when a secret is still in
/// `moov` or in another box outside the media data.
pub fn strip_movie(
    splice: &mut crate::media::bmff::Splice,
    file: &std::fs::File,
    drop: &[std::ops::Range<usize>],
    secrets: &[(&'static str, String)],
) -> std::result::Result<(), String> {
    let base = splice.moov_offset() as usize;
    // One rewrite: the generator's items and any other item holding a secret.
    let mut items = generator::movie::Items::default();
    generator::movie::items_of(splice.moov(), base, &mut items);
    let mut spans = drop.to_vec();
    spans.extend(
        generator::leaks::holding(&items.fields, secrets)
            .into_iter()
            .map(|f| f.span),
    );
    let moov = generator::movie::strip(splice.moov(), base, &spans)?;
    let search = |bytes: &[u8], at: u64| {
        generator::leaks::find(Format::Mp4, bytes, secrets)
            .elsewhere
            .first()
            .map(|(off, name)| format!(
                "the committed {name} appears in plaintext at byte {}, outside any item that can be removed",
                at + *off as u64
            ))
    };
    if let Some(why) = search(&moov, base as u64) {
        return Err(why);
    }
    for (offset, size) in splice.other_boxes() {
        if size > generator::movie::MOOV_LIMIT {
            return Err(format!(
                "a {} MB box at byte {offset} cannot be searched for the committed text; remux the file first",
                size >> 20
            ));
        }
        let mut bytes = vec![0u8; size as usize];
        crate::media::read_exact_at(file, &mut bytes, offset).map_err(|e| e.to_string())?;
        if let Some(why) = search(&bytes, offset) {
            return Err(why);
        }
    }
    splice.set_moov(moov)
}

/// What to warn about: flags that overrode the file, and generator text
/// left public (kept on request, or in media a sidecar leaves untouched).
pub fn warnings(
    input: &Path,
    found: &Found,
    overridden: &[String],
    keep: bool,
    sidecar: bool,
) -> Vec<StampWarning> {
    let mut out = Vec::new();
    if !overridden.is_empty() {
        out.push(StampWarning::GeneratorOverridden {
            path: input.to_path_buf(),
            fields: overridden.to_vec(),
        });
    }
    if keep && !found.is_empty() {
        out.push(StampWarning::GeneratorMetadataPublic {
            path: input.to_path_buf(),
            fields: found.keys(),
            sidecar,
        });
    }
    out
}

/// The generator an upstream C2PA manifest names — a file that arrives
/// signed by Adobe Firefly, OpenAI, Google… (it stays the parent
/// ingredient): the software agent of its AI-generation action (IPTC
/// `trainedAlgorithmicMedia`…), else of its first action, else its claim
/// generator; and the IPTC source type it declares (the AI action's, else
/// the first one given). Parsed, not judged: the ingredient's own verdict
/// says whether to believe it.
pub fn upstream(input: &Path) -> Option<GeneratorMetadata> {
    let reader = crate::c2pa_settings::parse_only_reader(input)?;
    let manifest = reader.active_manifest()?;
    let actions = crate::verify::decode_actions(manifest);
    // What the AI-generation action says, else the first action that says it.
    let declared = |field: fn(&crate::verify::Action) -> Option<String>| {
        actions
            .iter()
            .filter(|a| a.declares_ai())
            .chain(&actions)
            .find_map(field)
    };
    let agent = declared(|a| a.software_agent.clone());
    let source_type = declared(|a| {
        a.digital_source_type
            .as_deref()
            .and_then(super::manifest::iptc_term)
            .map(str::to_string)
    });
    let claim_generator = manifest
        .claim_generator_info
        .as_ref()
        .and_then(|g| g.first())
        .map(|g| (g.name.clone(), g.version.clone()));
    let (generator, tool_version) = match (agent, claim_generator) {
        (Some(agent), _) => (agent, None),
        (None, Some((name, version))) => (name, version),
        (None, None) => return None,
    };
    Some(GeneratorMetadata {
        generator,
        tool_version,
        source_type,
        ..GeneratorMetadata::default()
    })
}

/// The committed text kept out of the signed bytes beyond the generator's
/// own fields ([`generator::leaks`]): bytes after the image's end dropped,
/// other fields holding the prompt, negative prompt or workflow removed,
/// and named in `summary`. Whether the bytes changed, or why the file
/// cannot be signed.
pub fn seal(
    bytes: &mut Vec<u8>,
    format: Format,
    request: &StampRequest,
    found: &Found,
    summary: &mut Option<FromGenerator>,
) -> std::result::Result<bool, String> {
    let mut removed = Vec::new();
    if let Some(end) = generator::leaks::image_end(format, bytes).filter(|&e| e < bytes.len()) {
        removed.push(format!("{} bytes after the image's end", bytes.len() - end));
        bytes.truncate(end);
    }
    let leaks = generator::leaks::find(format, bytes, &secrets(request, found));
    if let Some((at, name)) = leaks.elsewhere.first() {
        return Err(format!(
            "the committed {name} appears in plaintext at byte {at}, outside any field that can be removed"
        ));
    }
    if !leaks.fields.is_empty() {
        removed.extend(leaks.fields.iter().map(|f| f.key.clone()));
        let strip = Found {
            fields: leaks.fields,
            ..Found::default()
        };
        *bytes = generator::scrub(format, bytes, &strip)?;
    }
    if removed.is_empty() {
        return Ok(false);
    }
    let s = summary.get_or_insert_with(FromGenerator::default);
    s.fields.extend(removed);
    s.removed = true;
    Ok(true)
}
