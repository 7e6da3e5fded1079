//! The [`Stamper`]: built once per run (key, certificate chain, signer,
//! SDK context, the request's hashed controls and inputs) and shared by
//! every file of a `stamp`, `derive`, batch or `watch`. Stamping one file
//! reads as its steps: target, source, record, probe, compose, sign, commit.
//!
//! Nothing lost: the user's file is only ever read. Signed bytes go to a
//! temporary file in the target directory, which is synced and renamed into
//! place (`atomic.rs`); on any failure it is removed and the input is
//! byte-identical. We never call the SDK's `sign_file`, which leaves a 0-byte
//! file behind when it fails (`docs/design.md`, "SDK facts").

use std::borrow::Cow;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use c2pa::{Builder, Context};
use serde::Serialize;
use tempfile::NamedTempFile;

use crate::c2pa_settings;
use crate::error::{Error, Result};
use crate::media::fingerprint::Fingerprint;
use crate::media::progress::Progress;
use crate::media::MediaFacts;
use crate::media::{self, bmff, png, Format, Sampling};
use crate::record::GenerationRecord;
use crate::signer::SigningIdentity;
use crate::sys::atomic;

use super::claim::Template;
use super::generated::{self, FromGenerator};

use super::manifest::{self, embed_err, sign_err, Parts};
use super::recorder::{Recorded, Recorder, Signed};
use super::request::{Destination, FingerprintPolicy, Replacing, StampRequest, LARGE_CLIP};
use super::source::Source;
use super::splice::{self, Spliced};
use super::target::Target;
use super::warning::no_timestamp;
pub use super::warning::StampWarning;

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
    pub warnings: Vec<StampWarning>,
    /// The signed perceptual fingerprint, when the media could be decoded.
    #[serde(skip)]
    pub fingerprint: Option<Fingerprint>,
    /// The manifest store as written (JUMBF), for the provenance index.
    #[serde(skip)]
    pub manifest_store: Vec<u8>,
    /// What the generator wrote into the file, and whether it was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator: Option<FromGenerator>,
    /// What became of it in the catalog, when the run records into one.
    #[serde(skip)]
    pub recorded: Option<Recorded>,
}

/// Signs files for one request with one identity.
pub struct Stamper {
    identity: SigningIdentity,
    request: StampRequest,
    /// Signer and trust anchors (for ingredients' own manifests), shared by
    /// every builder and every resume check of the run.
    context: Arc<Context>,
    template: Template,
    /// The catalog each signed file is recorded in, with its rename.
    recorder: Option<Arc<dyn Recorder>>,
}

impl Stamper {
    /// Load everything a run needs once: the signer, the SDK context, and
    /// the hashes of every control and input.
    pub fn new(identity: SigningIdentity, request: StampRequest) -> Result<Stamper> {
        let template = Template::new(&identity, &request)?;
        let signer = super::identity::claim_signer(&identity, request.role)?;
        let context = c2pa_settings::signing_context(request.trust_pem.as_deref(), signer)?;
        Ok(Stamper {
            identity,
            request,
            context,
            template,
            recorder: None,
        })
    }

    /// Record every signed file in `recorder`, in step with its rename.
    pub fn record_into(&mut self, recorder: Arc<dyn Recorder>) {
        self.recorder = Some(recorder);
    }

    pub fn request(&self) -> &StampRequest {
        &self.request
    }

    pub fn identity(&self) -> &SigningIdentity {
        &self.identity
    }

    pub(super) fn recorder(&self) -> Option<&dyn Recorder> {
        self.recorder.as_deref()
    }

    /// The parent ingredient: the one asked for, or a signed input itself.
    fn parent<'a>(&'a self, input: &'a Path, has_manifest: bool) -> Option<&'a Path> {
        match &self.request.parent {
            Some(p) => Some(p.as_path()),
            None if has_manifest => Some(input),
            None => None,
        }
    }

    pub(super) fn context(&self) -> &Arc<Context> {
        &self.context
    }

    pub(super) fn template(&self) -> &Template {
        &self.template
    }

    /// Sign `input` into `destination`, replacing an existing output and
    /// reveal file as `replacing` says; `decode` hears how far a
    /// clip's fingerprint decode has come.
    pub fn stamp_file(
        &self,
        input: &Path,
        destination: &Destination,
        replacing: Replacing,
        decode: Progress,
    ) -> Result<Stamped> {
        let target = Target::of(&self.request, destination, input)?;
        let mut source = Source::open(input, &target)?;
        let mut warnings = Vec::new();
        let (request, generator) = self.for_file(input, &target, &mut source, &mut warnings)?;
        let earlier = target.check(&request, input, destination, replacing)?;
        source.remux(input, &target)?;
        let (facts, fingerprint) = self.probe(input, &target, &source, &mut warnings, decode)?;
        let code = fingerprint.as_ref().and_then(|f| f.iscc.as_deref());
        let (record, reveal, oversight) =
            self.record_for(&request, (input, facts), earlier.as_ref(), code)?;
        // The earlier reveal is written again with the same openings.
        let replacing = replacing.rewriting_reveal(earlier.is_some());
        let manifest_label = format!("urn:c2pa:{}", uuid_v4());
        let parts = Parts {
            input,
            format: target.format,
            media_target: &target.media,
            manifest_label: &manifest_label,
            parent: self.parent(input, source.has_manifest),
            record: &record,
            fingerprint: fingerprint.as_ref(),
            oversight,
        };
        let mut builder = manifest::compose(&self.context, &request, &self.template, &parts)?;
        let mut temp = atomic::temp_beside(&target.output)?;
        crate::signer::tsa::take_missed();
        let manifest_store = self.sign(&mut builder, input, &target, &mut source, &mut temp)?;
        warnings.extend(no_timestamp(input));
        let reveal = (reveal.as_ref(), target.reveal(&request));
        let signed = Signed {
            manifest_label: &manifest_label,
            record: &record,
            fingerprint: fingerprint.as_ref(),
            manifest_store: &manifest_store,
        };
        let media = source.remuxed.take();
        let (reveal, recorded) =
            self.commit(input, &target, (reveal, media), temp, replacing, &signed)?;
        Ok(Stamped {
            input: input.to_path_buf(),
            output: target.output,
            media: target.media,
            embedded: target.embedded,
            manifest_label,
            reveal,
            record,
            warnings,
            fingerprint,
            manifest_store,
            generator,
            recorded,
        })
    }

    /// The request for this file — its generator's metadata filling what
    /// the run does not say — and the source without that metadata.
    fn for_file<'a>(
        &'a self,
        input: &Path,
        target: &Target,
        source: &mut Source,
        warnings: &mut Vec<StampWarning>,
    ) -> Result<(Cow<'a, StampRequest>, Option<FromGenerator>)> {
        let mut found = source.generator_text(input, target.format);
        if found.metadata.is_none() && source.has_manifest && self.request.tool_from_files {
            found.metadata = generated::upstream(input);
        }
        let (request, overridden) = generated::effective(&self.request, &found);
        if let (false, Some(why)) = (request.keep_generator_metadata, found.unread.first()) {
            return Err(Error::PromptInOutput {
                path: input.to_path_buf(),
                reason: format!(
                    "its metadata cannot be read to remove a generator's prompt ({why}); {}",
                    generated::REMUX_FIRST
                ),
            });
        }
        if request.tool.name.trim().is_empty() {
            return Err(Error::NoTool);
        }
        let keep = request.keep_generator_metadata;
        let mut generator = source.scrub(input, target, &found, overridden, warnings, keep)?;
        if let Some(strip) = source.movie_strip.as_mut() {
            strip.secrets = generated::secrets(&request, &found);
        }
        if let Some(bytes) = source
            .in_memory
            .as_mut()
            .filter(|_| !keep && target.embedded)
        {
            let sealed = generated::seal(bytes, target.format, &request, &found, &mut generator)
                .map_err(|reason| Error::PromptInOutput {
                    path: input.to_path_buf(),
                    reason,
                })?;
            if sealed && target.format == Format::Png {
                source.png_at = png::insert_point(bytes).ok();
            }
        }
        Ok((request, generator))
    }

    /// Clip or frame facts for the record, and the fingerprint to sign.
    fn probe(
        &self,
        input: &Path,
        target: &Target,
        source: &Source,
        warnings: &mut Vec<StampWarning>,
        decode: Progress,
    ) -> Result<(Option<MediaFacts>, Option<Fingerprint>)> {
        let format = target.format;
        let sampling = match fingerprint_wanted(self.request.fingerprint, format, input) {
            Ok(true) => Sampling::Stamp,
            Ok(false) => Sampling::FactsOnly,
            Err(skipped) => {
                warnings.push(skipped);
                Sampling::FactsOnly
            }
        };
        let analyze = || media::analyze_with_progress(input, format, sampling, decode);
        let analysis = if sampling == Sampling::Stamp {
            crate::sys::parallel::on_a_core(analyze)
        } else {
            analyze()
        };
        match analysis {
            Ok(Some((mut facts, fp))) => {
                if format.is_bmff() {
                    facts.ftyp_sha256 =
                        bmff::ftyp_digest(&source.file).map_err(|source| Error::Read {
                            path: input.to_path_buf(),
                            source,
                        })?;
                }
                Ok((Some(facts), (!fp.samples.is_empty()).then_some(fp)))
            }
            // A sound: no samples of ours, its ISCC Audio-Code alone.
            Ok(None) if sampling == Sampling::Stamp => Ok((
                None,
                media::audio_iscc(input, format).map(|code| Fingerprint {
                    samples: Vec::new(),
                    iscc: Some(code),
                }),
            )),
            Ok(None) => Ok((None, None)),
            Err(reason) => {
                warnings.push(StampWarning::Undecodable {
                    path: input.to_path_buf(),
                    reason,
                });
                Ok((None, None))
            }
        }
    }

    /// Sign into `temp` by the fastest route that applies; returns the
    /// manifest store (JUMBF) as written.
    fn sign(
        &self,
        builder: &mut Builder,
        input: &Path,
        target: &Target,
        source: &mut Source,
        temp: &mut NamedTempFile,
    ) -> Result<Vec<u8>> {
        let format = target.format;
        let spliced_err = |e| match e {
            Spliced::Sdk(e) => embed_err(input, format, e),
            Spliced::Io(source) => write_err(&target.output, source),
        };
        if let (Some(at), Some(bytes)) = (source.png_at, &source.in_memory) {
            return splice::sign_png_spliced(builder, bytes, at, temp.as_file_mut())
                .map_err(spliced_err);
        }
        let signer = self.context.signer().map_err(|e| sign_err(input, e))?;
        if let (true, Some(bytes)) = (target.embedded, &source.in_memory) {
            let mut signed = std::io::Cursor::new(Vec::with_capacity(bytes.len() + (64 << 10)));
            let mut reader = std::io::Cursor::new(bytes.as_slice());
            let store = builder
                .sign(signer, format.mime(), &mut reader, &mut signed)
                .map_err(|e| embed_err(input, format, e))?;
            temp.write_all(signed.get_ref())
                .map_err(|e| write_err(&target.output, e))?;
            return Ok(store);
        }
        let planned = source.splice.take();
        let splice = splice::prepared(planned, source.movie_strip.as_ref(), &source.file).map_err(
            |reason| Error::PromptInOutput {
                path: input.to_path_buf(),
                reason,
            },
        )?;
        if let Some(splice) = splice {
            return splice::sign_spliced(
                builder,
                &splice,
                &source.file,
                temp.as_file_mut(),
                format,
            )
            .map_err(spliced_err);
        }
        if target.embedded {
            return builder
                .sign(signer, format.mime(), &mut source.file, temp.as_file_mut())
                .map_err(|e| embed_err(input, format, e));
        }
        sign_sidecar(builder, signer, input, target, &mut source.file, temp)
    }
}

/// A detached manifest store for `input`, written to `temp`.
fn sign_sidecar(
    builder: &mut Builder,
    signer: &dyn c2pa::Signer,
    input: &Path,
    target: &Target,
    source: &mut File,
    temp: &mut NamedTempFile,
) -> Result<Vec<u8>> {
    builder.set_no_embed(true);
    // The SDK copies the source into `dest` for sidecars; an unlinked temp
    // file keeps that copy off the user's directory and out of memory.
    let mut scratch = tempfile::tempfile().map_err(|e| write_err(&std::env::temp_dir(), e))?;
    let store = builder
        .sign(signer, target.format.mime(), source, &mut scratch)
        .map_err(|e| sign_err(input, e))?;
    temp.write_all(&store)
        .map_err(|e| write_err(&target.output, e))?;
    Ok(store)
}

/// Whether to decode for a fingerprint; `Err` says why `Auto` left it out.
fn fingerprint_wanted(
    policy: FingerprintPolicy,
    format: Format,
    input: &Path,
) -> std::result::Result<bool, StampWarning> {
    match policy {
        FingerprintPolicy::Always => Ok(true),
        FingerprintPolicy::Never => Ok(false),
        FingerprintPolicy::Auto => {
            let bytes = std::fs::metadata(input).map(|m| m.len()).unwrap_or(0);
            if format.is_video() && bytes > LARGE_CLIP {
                Err(StampWarning::LargeClipNoFingerprint {
                    path: input.to_path_buf(),
                    bytes,
                })
            } else {
                Ok(true)
            }
        }
    }
}

pub(super) fn write_err(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
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
