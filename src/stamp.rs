//! Stamping: a generation record plus a media file becomes signed media —
//! the manifest embedded in a new copy, or a detached `FILE.c2pa` beside it.
//!
//! Nothing lost: the user's file is only ever read. Signed bytes go to a
//! temporary file in the target directory, which is synced and renamed into
//! place (`atomic.rs`); on any failure it is removed and the input is
//! byte-identical. We never call the SDK's `sign_file`, which leaves a 0-byte
//! file behind when it fails (DESIGN.md).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;

use crate::atomic::{self, Overwrite};
use crate::commitment::{Field, Opening, Reveal};
use crate::error::{Error, Result};
use crate::fingerprint::{self, Fingerprint};
use crate::keys::SigningIdentity;
use crate::media::{self, bmff, png, Format, Sampling};
use crate::record::{
    self, Commitment, Control, ControlKind, DeriveAction, GenerationRecord, License, Operator,
    Parameters, Role, Selection, Tool,
};
use crate::sdk;

/// IPTC digital source types (https://cv.iptc.org/newscodes/digitalsourcetype/).
const IPTC: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/";

/// Where the signed output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A new file with the input's name in this directory.
    OutDir(PathBuf),
    /// Replace the input itself (atomically).
    InPlace,
}

/// Where the manifest lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embedding {
    /// Embed when the format allows, otherwise write a sidecar.
    Auto,
    /// Always embed; fail on formats the SDK cannot write into.
    Embed,
    /// Always write a detached `FILE.c2pa`, leaving the media bytes untouched.
    Sidecar,
}

/// Everything asserted about a batch of outputs from one generation setup.
#[derive(Debug, Clone)]
pub struct StampRequest {
    pub tool: Tool,
    pub license: Option<License>,
    pub prompt: Option<String>,
    pub negative_prompt: Option<String>,
    pub seed: Option<String>,
    pub steps: Option<u32>,
    pub role: Role,
    pub controls: Vec<(ControlKind, PathBuf)>,
    /// The asset this one was made from (`parentOf`), at most one.
    pub parent: Option<PathBuf>,
    /// Assets composited into this one (`componentOf`).
    pub components: Vec<PathBuf>,
    pub selection: Option<Selection>,
    pub destination: Destination,
    pub embedding: Embedding,
    pub overwrite: Overwrite,
    /// Directory for prompt reveal files; beside the output when `None`.
    pub reveal_dir: Option<PathBuf>,
    /// PEM trust anchors used when reading ingredients' own manifests.
    pub trust_pem: Option<String>,
    /// `credits derive`: the step applied to the parent (and components)
    /// instead of a generation.
    pub derive: Option<DeriveAction>,
    /// When to sign a perceptual fingerprint (decodes the media); clip facts
    /// are probed either way.
    pub fingerprint: FingerprintPolicy,
    /// Leave an output alone when it already carries this same record
    /// (`--force` turns it off), so an interrupted batch can resume.
    pub skip_stamped: bool,
}

/// When a stamp decodes its media for a perceptual fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FingerprintPolicy {
    /// Frames, and clips up to [`LARGE_CLIP`]: decoding a master costs
    /// about 25 s per GB, twenty times the signing itself.
    Auto,
    Always,
    Never,
}

/// Clips above this size are not decoded for a fingerprint by default.
pub const LARGE_CLIP: u64 = 512 << 20;

/// What one stamp produced.
#[derive(Debug, Clone, Serialize)]
pub struct Stamped {
    pub input: PathBuf,
    /// The signed media (embedded) or the sidecar manifest store.
    pub output: PathBuf,
    /// The signed media itself (equal to `output` when embedded).
    pub media: PathBuf,
    pub embedded: bool,
    pub manifest_label: String,
    pub reveal: Option<PathBuf>,
    pub record: GenerationRecord,
    /// Things that did not stop the stamp but were left out of it.
    pub warnings: Vec<String>,
    /// The signed perceptual fingerprint, when the media could be decoded.
    #[serde(skip)]
    pub fingerprint: Option<Fingerprint>,
    /// The manifest store as written (JUMBF), for the provenance index.
    #[serde(skip)]
    pub manifest_store: Vec<u8>,
}

/// Sign `input` as described by `request`, with `identity`.
pub fn stamp_file(
    identity: &SigningIdentity,
    request: &StampRequest,
    input: &Path,
) -> Result<Stamped> {
    let format = Format::detect(input).map_err(|source| Error::Read {
        path: input.to_path_buf(),
        source,
    })?;
    let embedded = embeds(request, format);
    let (media_target, output) = targets(request, input, embedded);
    check_target(input, &output, request)?;
    let rerr = |source| Error::Read {
        path: input.to_path_buf(),
        source,
    };
    let mut source = File::open(input).map_err(rerr)?;
    // Frame fast path: a small input is read once (`media::read_small`).
    // Plain MP4/MOV take the splice below whatever their size.
    let in_memory = if embedded && format.is_bmff_movie() {
        None
    } else {
        media::read_small(&source).map_err(rerr)?
    };
    let malformed = |reason| Error::Malformed {
        path: input.to_path_buf(),
        reason,
    };
    // Re-stamping a signed file must not drop its history: the file itself
    // becomes the parent ingredient unless another parent was named.
    // A plain PNG (our own chunk walk finds no caBX) needs no SDK look.
    let png_at = match (&in_memory, embedded && format == Format::Png) {
        (Some(bytes), true) => png::insert_point(bytes).ok(),
        _ => None,
    };
    let has_manifest = match &in_memory {
        _ if png_at.is_some() => Ok(false),
        Some(bytes) => media::precheck(&mut std::io::Cursor::new(bytes.as_slice()), format.mime())
            .map(|e| e.present()),
        None => media::precheck(&mut source, format.mime()).map(|e| e.present()),
    }
    .map_err(malformed)?;

    let (mut record, reveal) = build_record(identity, request, input)?;
    let mut warnings = Vec::new();
    let sampling = match fingerprint_wanted(request.fingerprint, format, input) {
        Ok(true) => Sampling::Stamp,
        Ok(false) => Sampling::FactsOnly,
        Err(skipped) => {
            warnings.push(skipped);
            Sampling::FactsOnly
        }
    };
    let analysis = if sampling == Sampling::Stamp {
        crate::parallel::on_a_core(|| media::analyze(input, format, sampling))
    } else {
        media::analyze(input, format, sampling)
    };
    let fingerprint = match analysis {
        Ok(Some((mut facts, fp))) => {
            if format.is_bmff() {
                facts.ftyp_sha256 = bmff::ftyp_digest(&source).map_err(rerr)?;
            }
            record.media = Some(facts);
            (!fp.samples.is_empty()).then_some(fp)
        }
        Ok(None) => None,
        Err(e) => {
            warnings.push(format!(
                "{}: cannot decode the media ({e}); signed without clip facts or fingerprint",
                input.display()
            ));
            None
        }
    };
    let manifest_label = format!("urn:c2pa:{}", uuid_v4());
    let mut builder = sdk::signing_builder(request.trust_pem.as_deref(), identity.signer()?)?;
    let definition = json!({
        "title": file_title(&media_target),
        "format": format.mime(),
        "label": manifest_label,
        "claim_generator_info": [{"name": "credits", "version": env!("CARGO_PKG_VERSION")}],
    });
    builder = builder
        .with_definition(definition.to_string())
        .map_err(|e| sign_err(input, e))?;
    let parent = match &request.parent {
        Some(p) => Some(p.as_path()),
        None if has_manifest => Some(input),
        None => None,
    };
    let labels = add_ingredients(&mut builder, request, &record, parent)?;
    let actions = actions_assertion(request, &labels)?;
    builder
        .add_assertion("c2pa.actions.v2", &actions)
        .and_then(|b| b.add_assertion(record::LABEL, &record))
        .map_err(|e| sign_err(input, e))?;
    if let Some(fp) = &fingerprint {
        let step = if format.is_video() {
            1000 / u64::from(fingerprint::SAMPLES_PER_SECOND)
        } else {
            0
        };
        builder
            .add_assertion(fingerprint::LABEL, &fp.to_soft_binding(step))
            .map_err(|e| sign_err(input, e))?;
    }

    let signer = identity.signer()?;
    let reveal_target = reveal_path(request, &media_target);
    let mut temp = atomic::temp_beside(&output)?;
    let spliced_err = |e| match e {
        Spliced::Sdk(e) => embed_err(input, format, e),
        Spliced::Io(source) => Error::Write {
            path: output.clone(),
            source,
        },
    };
    let manifest_store = if let (Some(at), Some(bytes)) = (png_at, &in_memory) {
        sign_png_spliced(&mut builder, bytes, at, temp.as_file_mut()).map_err(spliced_err)?
    } else if let (true, Some(bytes)) = (embedded, &in_memory) {
        let mut signed = std::io::Cursor::new(Vec::with_capacity(bytes.len() + (64 << 10)));
        let store = builder
            .sign(
                signer.as_ref(),
                format.mime(),
                &mut std::io::Cursor::new(bytes.as_slice()),
                &mut signed,
            )
            .map_err(|e| embed_err(input, format, e))?;
        temp.write_all(signed.get_ref())
            .map_err(|source| Error::Write {
                path: output.clone(),
                source,
            })?;
        store
    } else if let Some(splice) = splice_for(embedded, has_manifest, format, &source, input)? {
        sign_spliced(&mut builder, &splice, &source, temp.as_file_mut(), format)
            .map_err(spliced_err)?
    } else if embedded {
        builder
            .sign(
                signer.as_ref(),
                format.mime(),
                &mut source,
                temp.as_file_mut(),
            )
            .map_err(|e| embed_err(input, format, e))?
    } else {
        builder.set_no_embed(true);
        // The SDK copies the source into `dest` for sidecars; an unlinked temp
        // file keeps that copy off the user's directory and out of memory.
        let mut scratch = tempfile::tempfile().map_err(|source| Error::Write {
            path: std::env::temp_dir(),
            source,
        })?;
        let store = builder
            .sign(signer.as_ref(), format.mime(), &mut source, &mut scratch)
            .map_err(|e| sign_err(input, e))?;
        temp.write_all(&store).map_err(|source| Error::Write {
            path: output.clone(),
            source,
        })?;
        store
    };

    // A sidecar written into --out DIR travels with a copy of its media, so
    // DIR holds complete deliverables that verify where they are.
    let media_copy = if !embedded && !same_file(input, &media_target) {
        Some(copy_media(input, &media_target, request.overwrite)?)
    } else {
        None
    };
    let reveal_written = match (&reveal, &reveal_target) {
        (Some(r), Some(path)) => {
            let text = serde_json::to_vec_pretty(r).unwrap_or_default();
            // A reveal file without its asset is left from an interrupted run
            // (the asset lands last), so it is replaced; an existing asset was
            // refused above unless replacing was asked for.
            atomic::write(path, &text, Overwrite::Replace, atomic::PRIVATE)?;
            Some(path.clone())
        }
        _ => None,
    };
    if let Err(e) = atomic::commit(temp, &output, request.overwrite, atomic::PUBLIC) {
        // Keep the pair consistent: no reveal file for an asset that was not written.
        for p in reveal_written.iter().chain(&media_copy) {
            let _ = std::fs::remove_file(p);
        }
        return Err(e);
    }
    Ok(Stamped {
        input: input.to_path_buf(),
        output,
        media: media_target,
        embedded,
        manifest_label,
        reveal: reveal_written,
        record,
        warnings,
        fingerprint,
        manifest_store,
    })
}

/// Whether to decode for a fingerprint; `Err` says why `Auto` left it out.
fn fingerprint_wanted(
    policy: FingerprintPolicy,
    format: Format,
    input: &Path,
) -> std::result::Result<bool, String> {
    match policy {
        FingerprintPolicy::Always => Ok(true),
        FingerprintPolicy::Never => Ok(false),
        FingerprintPolicy::Auto => {
            let len = std::fs::metadata(input).map(|m| m.len()).unwrap_or(0);
            if format.is_video() && len > LARGE_CLIP {
                Err(format!(
                    "{}: no fingerprint signed for a {:.1} GB clip (decoding takes about 25 s per GB); \
                     pass --fingerprint to sign one, or run `credits index add` on the output later",
                    input.display(),
                    len as f64 / 1e9
                ))
            } else {
                Ok(true)
            }
        }
    }
}

/// The large-clip fast path applies: an embedded, first manifest in a
/// plain MP4/MOV (see `media::bmff`).
fn splice_for(
    embedded: bool,
    has_manifest: bool,
    format: Format,
    source: &File,
    input: &Path,
) -> Result<Option<bmff::Splice>> {
    if !embedded || has_manifest || !format.is_bmff_movie() {
        return Ok(None);
    }
    match bmff::shape(source) {
        Ok(bmff::Shape::Plain(splice)) => Ok(Some(splice)),
        // The SDK's own writer handles (or rejects) every other shape.
        Ok(bmff::Shape::Other(_)) => Ok(None),
        Err(source) => Err(Error::Read {
            path: input.to_path_buf(),
            source,
        }),
    }
}

enum Spliced {
    Sdk(c2pa::Error),
    Io(std::io::Error),
}

/// Sign a plain BMFF movie with one read, one hash pass and one write:
/// reserve the manifest box, splice it in while hashing, then patch the
/// signed box over the placeholder (same length). Returns the raw JUMBF.
fn sign_spliced(
    builder: &mut c2pa::Builder,
    splice: &bmff::Splice,
    source: &File,
    temp: &mut File,
    format: Format,
) -> std::result::Result<Vec<u8>, Spliced> {
    use std::os::unix::fs::FileExt;
    let placeholder = builder.placeholder(format.mime()).map_err(Spliced::Sdk)?;
    if placeholder.len() as u64 > bmff::MAX_MANIFEST_BOX {
        return Err(Spliced::Sdk(c2pa::Error::BadParam(
            "manifest box larger than 64 MiB".into(),
        )));
    }
    let hash = splice
        .write(source, temp, &placeholder)
        .map_err(Spliced::Io)?;
    let mut binding = c2pa::assertions::BmffHash::new("jumbf manifest", "sha256", None);
    binding.set_default_exclusions();
    binding.set_hash(hash);
    let signed = sign_with_binding(
        builder,
        c2pa::assertions::BmffHash::LABEL,
        &binding,
        format,
        placeholder.len(),
    )?;
    temp.write_all_at(&signed, splice.insert_at())
        .map_err(Spliced::Io)?;
    let jumbf = bmff::jumbf_of_box(&signed).unwrap_or(&signed);
    Ok(jumbf.to_vec())
}

/// Sign a plain PNG held in memory: the `caBX` chunk goes after `IHDR` at
/// `at`, and since the data hash excludes exactly that chunk, it is the
/// SHA-256 of the input as read. One hash pass, one write of three slices.
fn sign_png_spliced(
    builder: &mut c2pa::Builder,
    bytes: &[u8],
    at: usize,
    temp: &mut File,
) -> std::result::Result<Vec<u8>, Spliced> {
    use sha2::Digest;
    let placeholder = builder
        .placeholder(Format::Png.mime())
        .map_err(Spliced::Sdk)?;
    let mut binding = c2pa::assertions::DataHash::new("jumbf manifest", "sha256");
    binding.add_exclusion(c2pa::HashRange::new(at as u64, placeholder.len() as u64));
    binding.set_hash(sha2::Sha256::digest(bytes).to_vec());
    let signed = sign_with_binding(
        builder,
        c2pa::assertions::DataHash::LABEL,
        &binding,
        Format::Png,
        placeholder.len(),
    )?;
    for part in [&bytes[..at], &signed, &bytes[at..]] {
        temp.write_all(part).map_err(Spliced::Io)?;
    }
    let jumbf = png::jumbf_of_chunk(&signed).unwrap_or(&signed);
    Ok(jumbf.to_vec())
}

/// Put the real hard binding in place of the placeholder's (same label) and
/// sign; the composed manifest must keep the placeholder's length.
fn sign_with_binding<T: Serialize>(
    builder: &mut c2pa::Builder,
    label_prefix: &str,
    binding: &T,
    format: Format,
    placeholder_len: usize,
) -> std::result::Result<Vec<u8>, Spliced> {
    let label = builder
        .definition
        .assertions
        .iter()
        .map(|a| a.label.clone())
        .find(|l| l.starts_with(label_prefix))
        .ok_or(Spliced::Sdk(c2pa::Error::NotFound))?;
    builder.definition.assertions.retain(|a| a.label != label);
    builder
        .add_assertion(label.as_str(), binding)
        .map_err(Spliced::Sdk)?;
    let signed = builder
        .sign_embeddable(format.mime())
        .map_err(Spliced::Sdk)?;
    if signed.len() != placeholder_len {
        return Err(Spliced::Sdk(c2pa::Error::BadParam(format!(
            "signed manifest is {} bytes, its placeholder {placeholder_len}",
            signed.len()
        ))));
    }
    Ok(signed)
}

/// Whether this request puts the manifest inside a file of this format.
fn embeds(request: &StampRequest, format: Format) -> bool {
    match request.embedding {
        Embedding::Sidecar => false,
        Embedding::Embed => true,
        Embedding::Auto => format.embeddable(),
    }
}

/// The signed media's path and the output written (itself, or its sidecar).
fn targets(request: &StampRequest, input: &Path, embedded: bool) -> (PathBuf, PathBuf) {
    let media_target = match &request.destination {
        Destination::InPlace => input.to_path_buf(),
        Destination::OutDir(dir) => atomic::path_in(dir, input),
    };
    let output = if embedded {
        media_target.clone()
    } else {
        media::sidecar_path(&media_target)
    };
    (media_target, output)
}

/// The file a stamp of `input` writes: the signed media, or its sidecar.
pub fn output_of(request: &StampRequest, input: &Path) -> Result<PathBuf> {
    let format = Format::detect(input).map_err(|source| Error::Read {
        path: input.to_path_buf(),
        source,
    })?;
    Ok(targets(request, input, embeds(request, format)).1)
}

/// Whether `input`'s output already carries the record this request would
/// sign (same tool, licence, operator, controls, inputs, selection; the same
/// prompt and seed, opened by the reveal file beside it), intact.
pub fn already_stamped(identity: &SigningIdentity, request: &StampRequest, input: &Path) -> bool {
    let Ok(format) = Format::detect(input) else {
        return false;
    };
    let embedded = embeds(request, format);
    let (media_target, output) = targets(request, input, embedded);
    if !output.exists() || !media_target.exists() {
        return false;
    }
    let Ok(ctx) = sdk::shared_context(request.trust_pem.as_deref()) else {
        return false;
    };
    let v = crate::verify::verify_file(&ctx, &media_target);
    if !matches!(
        v.state,
        crate::verify::State::Trusted | crate::verify::State::Valid
    ) {
        return false;
    }
    let (Some(found), Ok((wanted, _))) = (v.record, build_record(identity, request, input)) else {
        return false;
    };
    let same_facts = found.tool == wanted.tool
        && found.license == wanted.license
        && found.operator == wanted.operator
        && found.controls == wanted.controls
        && found.inputs == wanted.inputs
        && found.selection == wanted.selection
        && found.parameters.as_ref().and_then(|p| p.steps) == request.steps;
    same_facts
        && secrets_match(
            request,
            &found,
            reveal_path(request, &media_target).as_deref(),
        )
}

/// The record's commitments open with this request's prompt, negative
/// prompt and seed (through the reveal file), and it has no others.
fn secrets_match(request: &StampRequest, found: &GenerationRecord, reveal: Option<&Path>) -> bool {
    let reveal: Option<Reveal> = reveal
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_json::from_str(&t).ok());
    let opens = |field,
                 wanted: &Option<String>,
                 opening: Option<&Opening>,
                 signed: Option<&String>| match (wanted, signed) {
        (None, None) => true,
        (Some(text), Some(commitment)) => opening
            .is_some_and(|o| &o.text == text && o.recompute(field).as_ref() == Some(commitment)),
        _ => false,
    };
    let r = reveal.as_ref();
    opens(
        Field::Prompt,
        &request.prompt,
        r.and_then(|r| r.prompt.as_ref()),
        found.prompt.as_ref().map(|c| &c.commitment),
    ) && opens(
        Field::NegativePrompt,
        &request.negative_prompt,
        r.and_then(|r| r.negative_prompt.as_ref()),
        found.negative_prompt.as_ref().map(|c| &c.commitment),
    ) && opens(
        Field::Seed,
        &request.seed,
        r.and_then(|r| r.seed.as_ref()),
        found
            .parameters
            .as_ref()
            .and_then(|p| p.seed_commitment.as_ref()),
    )
}

/// Refuse outputs that would replace the input or an existing file unasked.
fn check_target(input: &Path, output: &Path, request: &StampRequest) -> Result<()> {
    let same = same_file(input, output);
    if same && request.destination != Destination::InPlace {
        return Err(Error::InvalidArgument {
            what: "--out".into(),
            reason: format!(
                "{} would replace the input; pass --in-place to sign it where it is",
                output.display()
            ),
        });
    }
    if request.overwrite == Overwrite::Never && output.exists() && !same {
        return Err(Error::OutputExists {
            path: output.to_path_buf(),
        });
    }
    if let Destination::OutDir(dir) = &request.destination {
        if !dir.is_dir() {
            return Err(Error::InvalidArgument {
                what: "--out".into(),
                reason: format!("{} is not a directory", dir.display()),
            });
        }
    }
    Ok(())
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn reveal_path(request: &StampRequest, media_target: &Path) -> Option<PathBuf> {
    if request.prompt.is_none() && request.negative_prompt.is_none() && request.seed.is_none() {
        return None;
    }
    let mut name = media_target.file_name().unwrap_or_default().to_os_string();
    name.push(".reveal.json");
    Some(match &request.reveal_dir {
        Some(dir) => dir.join(name),
        None => media_target.with_file_name(name),
    })
}

/// The signed record and the private reveal that opens its commitments.
fn build_record(
    identity: &SigningIdentity,
    request: &StampRequest,
    input: &Path,
) -> Result<(GenerationRecord, Option<Reveal>)> {
    let open = |field, text: &Option<String>| text.as_deref().map(|t| Opening::new(field, t));
    let reveal = Reveal {
        schema_version: Reveal::SCHEMA_VERSION,
        asset: file_title(input),
        prompt: open(Field::Prompt, &request.prompt),
        negative_prompt: open(Field::NegativePrompt, &request.negative_prompt),
        seed: open(Field::Seed, &request.seed),
    };
    let public = |o: &Option<Opening>| {
        o.as_ref().map(|o| Commitment {
            scheme: o.scheme.clone(),
            commitment: o.commitment.clone(),
        })
    };
    let parameters = Parameters {
        seed_commitment: reveal.seed.as_ref().map(|s| s.commitment.clone()),
        steps: request.steps,
    };
    let mut controls = Vec::new();
    for (i, (kind, path)) in request.controls.iter().enumerate() {
        let ingredient = Format::detect(path)
            .map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?
            .ne(&Format::Other)
            .then(|| control_label(i));
        controls.push(Control {
            kind: *kind,
            ingredient,
            sha256: media::sha256_file(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?,
        });
    }
    let record = GenerationRecord {
        schema: record::SCHEMA,
        tool: request.tool.clone(),
        license: request.license.clone(),
        prompt: public(&reveal.prompt),
        negative_prompt: public(&reveal.negative_prompt),
        parameters: (parameters != Parameters::default()).then_some(parameters),
        operator: Operator {
            name: identity.name.clone(),
            id: identity.email.clone(),
            role: request.role,
        },
        controls,
        inputs: inputs(request)?,
        selection: request.selection.clone(),
        media: None,
        generated_at: crate::keys::rfc3339(time::OffsetDateTime::now_utc()),
    };
    let reveal = (!reveal.is_empty()).then_some(reveal);
    Ok((record, reveal))
}

/// The parent and components, hashed, for the record.
fn inputs(request: &StampRequest) -> Result<Vec<record::Input>> {
    let parent = request.parent.iter().map(|p| (p, "parentOf"));
    let components = request.components.iter().map(|p| (p, "componentOf"));
    parent
        .chain(components)
        .map(|(path, relationship)| {
            Ok(record::Input {
                title: file_title(path),
                relationship: relationship.to_string(),
                sha256: media::sha256_file(path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?,
            })
        })
        .collect()
}

/// A path's file name, as ingredient titles and the record's inputs give it.
fn file_title(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn control_label(i: usize) -> String {
    format!("control-{i}")
}

/// Labels of the ingredients added, by role in the actions.
struct IngredientLabels {
    parent: Option<String>,
    controls: Vec<String>,
    components: Vec<String>,
    /// Whether any component carries no AI-generation claim (human-made).
    human_components: bool,
}

fn add_ingredients(
    builder: &mut c2pa::Builder,
    request: &StampRequest,
    record: &GenerationRecord,
    parent: Option<&Path>,
) -> Result<IngredientLabels> {
    let mut labels = IngredientLabels {
        parent: None,
        controls: Vec::new(),
        components: Vec::new(),
        human_components: false,
    };
    for ((_, path), control) in request.controls.iter().zip(&record.controls) {
        if let Some(label) = &control.ingredient {
            add_ingredient(builder, path, "inputTo", label)?;
            labels.controls.push(label.clone());
        }
    }
    if let Some(path) = parent {
        add_ingredient(builder, path, "parentOf", "parent")?;
        labels.parent = Some("parent".into());
    }
    for (i, path) in request.components.iter().enumerate() {
        let label = format!("component-{i}");
        add_ingredient(builder, path, "componentOf", &label)?;
        labels.components.push(label);
        if !sdk::declares_ai_generation(path) {
            labels.human_components = true;
        }
    }
    Ok(labels)
}

fn add_ingredient(
    builder: &mut c2pa::Builder,
    path: &Path,
    relationship: &str,
    label: &str,
) -> Result<()> {
    let rerr = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let format = Format::detect(path).map_err(rerr)?;
    let mut file = File::open(path).map_err(rerr)?;
    media::precheck(&mut file, format.mime()).map_err(|reason| Error::Malformed {
        path: path.to_path_buf(),
        reason,
    })?;
    // The same title as the record's `inputs`, which audits match on.
    let json = json!({"title": file_title(path), "relationship": relationship, "label": label});
    builder
        .add_ingredient_from_stream(json.to_string(), format.mime(), &mut file)
        .map_err(|source| Error::Ingredient {
            path: path.to_path_buf(),
            source: Box::new(source),
        })?;
    Ok(())
}

/// `c2pa.actions.v2`. A generation is `c2pa.created` (or `c2pa.opened` +
/// `c2pa.edited` from a parent) with the IPTC source type and the tool as
/// software agent; a derivation is `c2pa.opened` + its own action. Each
/// component adds `c2pa.placed`.
fn actions_assertion(
    request: &StampRequest,
    labels: &IngredientLabels,
) -> Result<serde_json::Value> {
    let mut agent = json!({"name": request.tool.name});
    if let Some(v) = &request.tool.version {
        agent["version"] = json!(v);
    }
    let mut step = match request.derive {
        Some(derive) => {
            let mut step = json!({
                "action": derive.c2pa_action(),
                "softwareAgent": agent,
                "description": derive.as_str(),
            });
            if let Some(parent) = &labels.parent {
                step["parameters"] = json!({"ingredientIds": [parent]});
            }
            step
        }
        None => {
            let source_type = if labels.human_components {
                "compositeWithTrainedAlgorithmicMedia"
            } else {
                "trainedAlgorithmicMedia"
            };
            let mut step = json!({
                "action": if labels.parent.is_some() { "c2pa.edited" } else { "c2pa.created" },
                "digitalSourceType": format!("{IPTC}{source_type}"),
                "softwareAgent": agent,
            });
            if !labels.controls.is_empty() {
                step["parameters"] = json!({"ingredientIds": labels.controls});
            }
            step
        }
    };
    let mut actions = Vec::new();
    if let Some(parent) = &labels.parent {
        actions.push(json!({"action": "c2pa.opened", "parameters": {"ingredientIds": [parent]}}));
    }
    actions.push(step.take());
    for c in &labels.components {
        actions.push(json!({"action": "c2pa.placed", "parameters": {"ingredientIds": [c]}}));
    }
    Ok(json!({ "actions": actions }))
}

/// A random (version 4) UUID for the manifest label.
fn uuid_v4() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0F) | 0x40;
    b[8] = (b[8] & 0x3F) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Copy `input` to `target` atomically (temp beside the target, fsync, rename).
fn copy_media(input: &Path, target: &Path, overwrite: Overwrite) -> Result<PathBuf> {
    if overwrite == Overwrite::Never && target.exists() {
        return Err(Error::OutputExists {
            path: target.to_path_buf(),
        });
    }
    let mut temp = atomic::temp_beside(target)?;
    let mut src = File::open(input).map_err(|source| Error::Read {
        path: input.to_path_buf(),
        source,
    })?;
    std::io::copy(&mut src, temp.as_file_mut()).map_err(|source| Error::Write {
        path: target.to_path_buf(),
        source,
    })?;
    atomic::commit(temp, target, overwrite, atomic::PUBLIC)?;
    Ok(target.to_path_buf())
}

fn sign_err(path: &Path, source: c2pa::Error) -> Error {
    Error::Sign {
        path: path.to_path_buf(),
        source: Box::new(source),
    }
}

fn embed_err(path: &Path, format: Format, source: c2pa::Error) -> Error {
    match source {
        c2pa::Error::UnsupportedType => Error::CannotEmbed {
            path: path.to_path_buf(),
            format: format.mime().to_string(),
        },
        source => sign_err(path, source),
    }
}
