//! Verification: a media file becomes a [`Verdict`] — state, C2PA status
//! codes verbatim, the decoded generation record, and every ingredient's own
//! validation.
//!
//! The SDK's top-level `validation_state` stays `Trusted` when an ingredient
//! was tampered or untrusted (DESIGN.md; corpus `CIE-sig-CA.jpg`), so the
//! verdict walks ingredient results itself: an asset with a failing
//! ingredient is `invalid`, one with an untrusted ingredient at most `valid`.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use c2pa::status_tracker::LogKind;
use c2pa::validation_results::{validation_codes, ValidationState};
use c2pa::{Context, Reader};
use serde::Serialize;

use crate::fingerprint::{self, Fingerprint};
use crate::media::{self, framing, Embedded, Format};
use crate::record::{self, GenerationRecord};

/// Our own failure code: the record's operator is not the certificate's subject.
pub const OPERATOR_MISMATCH: &str = "credits.operator.mismatch";
/// Our own failure code: the file's container is not the one the signed
/// record names (a changed `ftyp` brand turning a MOV into an "MP4").
pub const CONTAINER_MISMATCH: &str = "credits.container.format";
/// The SDK's code for a signer that does not chain to a trust anchor.
pub const UNTRUSTED: &str = "signingCredential.untrusted";

/// The answer for one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Intact, and the signer chains to a trust anchor.
    Trusted,
    /// Intact, but the signer is not in the trust bundle.
    Valid,
    /// Something failed: hash, signature, ingredient, or the container.
    Invalid,
    /// No manifest: neither embedded nor in a sidecar.
    Unsigned,
    /// The manifest lives at a remote URL, which was not fetched.
    Remote,
    /// The file could not be read at all.
    Error,
    /// Unsigned or no longer matching its manifest, but perceptually the
    /// same footage as an asset in the provenance index. Never trusted.
    Recovered,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Trusted => "trusted",
            State::Valid => "valid",
            State::Invalid => "invalid",
            State::Unsigned => "unsigned",
            State::Remote => "remote manifest, not fetched",
            State::Error => "error",
            State::Recovered => "recovered",
        }
    }
}

/// What one of our own checks (a `credits.*` failure code) found, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: String,
    pub detail: String,
}

impl From<framing::Finding> for Finding {
    fn from(f: framing::Finding) -> Finding {
        Finding {
            code: f.code.into(),
            detail: f.detail,
        }
    }
}

/// C2PA status codes, spelled exactly as in the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Codes {
    pub failure: Vec<String>,
    pub informational: Vec<String>,
}

/// Who signed, per the signing certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Signer {
    pub common_name: Option<String>,
    pub issuer: Option<String>,
    pub serial: Option<String>,
    /// Signing time from an RFC 3161 timestamp, when present.
    pub time: Option<String>,
}

/// One `c2pa.actions` entry, as far as provenance cares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    pub action: String,
    /// IPTC digital source type, e.g. `…/trainedAlgorithmicMedia`.
    pub digital_source_type: Option<String>,
    /// The tool that performed it.
    pub software_agent: Option<String>,
}

impl Action {
    /// Whether its IPTC source type declares AI generation
    /// (`trainedAlgorithmicMedia` or `compositeWithTrainedAlgorithmicMedia`).
    pub fn declares_ai(&self) -> bool {
        self.digital_source_type.as_deref().is_some_and(|t| {
            t.ends_with("/trainedAlgorithmicMedia")
                || t.ends_with("/compositeWithTrainedAlgorithmicMedia")
        })
    }
}

/// One ingredient as recorded in the asset's manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IngredientVerdict {
    pub title: Option<String>,
    pub relationship: String,
    pub format: Option<String>,
    /// `unsigned` for a plain input with no manifest of its own.
    pub state: State,
    pub manifest_label: Option<String>,
    pub codes: Codes,
    pub record: Option<GenerationRecord>,
    /// This ingredient's own ingredients, when its manifest is in the store.
    pub ingredients: Vec<IngredientVerdict>,
}

/// The verdict for one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub path: PathBuf,
    pub state: State,
    /// Where the manifest was read from: `embedded`, or the sidecar path.
    pub manifest_source: Option<String>,
    pub manifest_label: Option<String>,
    pub remote_url: Option<String>,
    pub format: String,
    pub signer: Option<Signer>,
    pub codes: Codes,
    /// Details of our own (`credits.*`) failure codes.
    pub findings: Vec<Finding>,
    pub actions: Vec<Action>,
    pub record: Option<GenerationRecord>,
    pub ingredients: Vec<IngredientVerdict>,
    /// Every failure found in the ingredient tree, as `TITLE: code`, so a
    /// script sees why an asset whose own codes are clean is not trusted.
    pub ingredient_failures: Vec<String>,
    /// Why the file could not be read or parsed, when it could not.
    pub error: Option<String>,
    /// The soft-binding fingerprint signed in the manifest, if any.
    pub soft_binding: Option<SoftBinding>,
    /// What the provenance index says this footage is (`verify --recover`).
    pub recovery: Option<crate::index::Recovery>,
}

/// Our perceptual fingerprint as read from the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SoftBinding {
    pub alg: String,
    pub samples: usize,
    #[serde(skip)]
    pub fingerprint: Fingerprint,
}

/// C2PA codes that mean the bytes no longer match the manifest's hard binding.
const HARD_BINDING_MISMATCH: &[&str] = &[
    "assertion.dataHash.mismatch",
    "assertion.bmffHash.mismatch",
    "assertion.boxesHash.mismatch",
    "assertion.collectionHash.mismatch",
];

impl Verdict {
    /// Whether provenance has to be recovered by fingerprint: the file is
    /// unsigned, or its bytes no longer match the manifest.
    pub fn needs_recovery(&self) -> bool {
        self.state == State::Unsigned
            || (self.state == State::Invalid
                && self
                    .codes
                    .failure
                    .iter()
                    .any(|c| HARD_BINDING_MISMATCH.contains(&c.as_str())))
    }
}

impl Verdict {
    fn new(path: &Path, format: &str, state: State) -> Verdict {
        Verdict {
            path: path.to_path_buf(),
            state,
            manifest_source: None,
            manifest_label: None,
            remote_url: None,
            format: format.to_string(),
            signer: None,
            codes: Codes::default(),
            findings: Vec::new(),
            actions: Vec::new(),
            record: None,
            ingredients: Vec::new(),
            ingredient_failures: Vec::new(),
            error: None,
            soft_binding: None,
            recovery: None,
        }
    }

    /// One of our own checks failed: its code (once) and what it found.
    fn add_finding(&mut self, f: Finding) {
        if !self.codes.failure.contains(&f.code) {
            self.codes.failure.push(f.code.clone());
        }
        self.findings.push(f);
    }

    /// The verdict for a file whose verification did not finish (its worker
    /// stopped): an error, never a pass.
    pub fn unfinished(path: &Path) -> Verdict {
        Verdict::failed(path, "", State::Error, "verification did not finish".into())
    }

    fn failed(path: &Path, format: &str, state: State, error: String) -> Verdict {
        let mut v = Verdict::new(path, format, state);
        v.error = Some(error);
        v
    }
}

/// The pre-check, the checks of the bytes C2PA leaves unauthenticated
/// around the store ([`framing`]), then the SDK's reader, on one stream;
/// `Err` carries the reason for refusing the file.
fn read_manifest<S: std::io::Read + std::io::Seek + Send + 'static>(
    ctx: &Arc<Context>,
    mime: &str,
    mut stream: S,
) -> std::result::Result<(c2pa::Result<Reader>, Vec<Finding>), String> {
    let findings = match media::precheck(&mut stream, mime)? {
        Embedded::Store(store) => {
            let found = framing::check(&mut stream, mime, &store).map_err(|e| e.to_string());
            stream.rewind().map_err(|e| e.to_string())?;
            found?.into_iter().map(Finding::from).collect()
        }
        _ => Vec::new(),
    };
    Ok((
        Reader::from_shared_context(ctx).with_stream(mime, stream),
        findings,
    ))
}

/// Verify one file with a context from [`crate::sdk::shared_context`].
pub fn verify_file(ctx: &Arc<Context>, path: &Path) -> Verdict {
    let format = match Format::detect(path) {
        Ok(f) => f,
        Err(e) => return Verdict::failed(path, "", State::Error, e.to_string()),
    };
    let mime = format.mime();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return Verdict::failed(path, mime, State::Error, e.to_string()),
    };
    // Small files are read once; large ones are streamed.
    let read = match media::read_small(&file) {
        Ok(Some(bytes)) => read_manifest(ctx, mime, std::io::Cursor::new(bytes)),
        Ok(None) => read_manifest(ctx, mime, file),
        Err(e) => return Verdict::failed(path, mime, State::Error, e.to_string()),
    };
    let (read, findings) = match read {
        Ok(r) => r,
        Err(reason) => return Verdict::failed(path, mime, State::Invalid, reason),
    };
    match read {
        Ok(reader) => from_reader(path, format, "embedded".into(), &reader, findings),
        Err(c2pa::Error::JumbfNotFound | c2pa::Error::UnsupportedType) => {
            verify_sidecar(ctx, path, format)
        }
        Err(c2pa::Error::RemoteManifestUrl(url) | c2pa::Error::RemoteManifestFetch(url)) => {
            let mut v = Verdict::new(path, mime, State::Remote);
            v.remote_url = Some(url);
            v
        }
        Err(c2pa::Error::IoError(e)) => Verdict::failed(path, mime, State::Error, e.to_string()),
        Err(e) => Verdict::failed(path, mime, State::Invalid, e.to_string()),
    }
}

fn verify_sidecar(ctx: &Arc<Context>, path: &Path, format: Format) -> Verdict {
    let mime = format.mime();
    let Some(sidecar) = media::sidecar_candidates(path)
        .into_iter()
        .find(|p| p.is_file())
    else {
        return Verdict::new(path, mime, State::Unsigned);
    };
    let data = match std::fs::read(&sidecar) {
        Ok(d) => d,
        Err(e) => {
            return Verdict::failed(
                path,
                mime,
                State::Error,
                format!("{}: {e}", sidecar.display()),
            )
        }
    };
    if let Err(e) = media::jumbf::check_store(&data) {
        let reason = format!("{}: malformed manifest store: {e}", sidecar.display());
        return Verdict::failed(path, mime, State::Invalid, reason);
    }
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return Verdict::failed(path, mime, State::Error, e.to_string()),
    };
    let source = sidecar.display().to_string();
    match Reader::from_shared_context(ctx).with_manifest_data_and_stream(&data, mime, file) {
        Ok(reader) => {
            let findings = framing::signature_padding(&data);
            let findings = findings.into_iter().map(Finding::from).collect();
            from_reader(path, format, source, &reader, findings)
        }
        Err(e) => {
            let mut v = Verdict::failed(path, mime, State::Invalid, e.to_string());
            v.manifest_source = Some(source);
            v
        }
    }
}

fn from_reader(
    path: &Path,
    format: Format,
    source: String,
    reader: &Reader,
    findings: Vec<Finding>,
) -> Verdict {
    let mut v = Verdict::new(path, format.mime(), State::Invalid);
    v.manifest_source = Some(source);
    v.manifest_label = reader.active_label().map(str::to_string);
    v.codes = active_codes(reader);
    for f in findings {
        v.add_finding(f);
    }
    let Some(manifest) = reader.active_manifest() else {
        v.error = Some("the manifest store has no active manifest".into());
        return v;
    };
    v.signer = manifest.signature_info().map(|s| Signer {
        common_name: s.common_name.clone(),
        issuer: s.issuer.clone(),
        serial: s.cert_serial_number.clone(),
        time: s.time.clone(),
    });
    v.record = decode_record(manifest);
    v.actions = decode_actions(manifest);
    v.soft_binding = decode_soft_binding(manifest);
    if let (Some(rec), Some(signer)) = (&v.record, &v.signer) {
        if signer.common_name.as_deref() != Some(rec.operator.name.as_str()) {
            v.codes.failure.push(OPERATOR_MISMATCH.into());
        }
    }
    for detail in container_changes(path, format, v.record.as_ref()) {
        v.add_finding(Finding {
            code: CONTAINER_MISMATCH.into(),
            detail,
        });
    }
    if let Some(label) = reader.active_label() {
        let mut walk = IngredientWalk {
            reader,
            deltas: ingredient_deltas(reader),
            visiting: HashSet::new(),
        };
        v.ingredients = walk.ingredients_of(label, 0);
    }
    collect_failures(&v.ingredients, &mut v.ingredient_failures);
    v.state = combine(reader.validation_state(), &v.codes, &v.ingredients);
    v
}

/// The container label (an MP4 `ftyp` box: brands) is outside every C2PA
/// hash; the signed record says which container was signed and, for ISO
/// BMFF, the digest of its `ftyp` box.
fn container_changes(
    path: &Path,
    format: Format,
    record: Option<&GenerationRecord>,
) -> Vec<String> {
    let Some(signed) = record.and_then(|r| r.media.as_ref()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if format.embeddable() && signed.container != format.name() {
        out.push(format!(
            "the signed record says {}; the file reads as {}",
            signed.container,
            format.name()
        ));
    }
    if let Some(want) = &signed.ftyp_sha256 {
        let got = File::open(path).and_then(|f| media::bmff::ftyp_digest(&f));
        if got.ok().flatten().as_ref() != Some(want) {
            out.push("the ftyp box (brands) is not the one signed".into());
        }
    }
    out
}

/// The asset's state from the SDK's state, our own codes and the ingredients.
fn combine(sdk: ValidationState, codes: &Codes, ingredients: &[IngredientVerdict]) -> State {
    let mut state = match sdk {
        ValidationState::Trusted => State::Trusted,
        ValidationState::Valid => State::Valid,
        ValidationState::Invalid => State::Invalid,
    };
    if codes.failure.iter().any(|c| c != UNTRUSTED) {
        state = State::Invalid;
    }
    for ing in ingredients {
        state = worse(state, ing.state);
    }
    state
}

fn active_codes(reader: &Reader) -> Codes {
    let mut codes = Codes::default();
    if let Some(results) = reader.validation_results() {
        if let Some(active) = results.active_manifest() {
            codes = codes_of(active);
        }
    } else if let Some(statuses) = reader.validation_status() {
        codes.failure = statuses
            .iter()
            .filter(|s| validation_codes::log_kind(s.code()) == LogKind::Failure)
            .map(|s| s.code().to_string())
            .collect();
    }
    codes
}

/// The failure and informational codes of one set of results.
fn codes_of(s: &c2pa::validation_results::StatusCodes) -> Codes {
    let names = |v: &[c2pa::validation_status::ValidationStatus]| {
        v.iter().map(|c| c.code().to_string()).collect()
    };
    Codes {
        failure: names(s.failure()),
        informational: names(s.informational()),
    }
}

/// Current validation deltas, keyed by ingredient assertion URI.
fn ingredient_deltas(reader: &Reader) -> HashMap<String, Codes> {
    let mut map = HashMap::new();
    let Some(deltas) = reader
        .validation_results()
        .and_then(|r| r.ingredient_deltas())
    else {
        return map;
    };
    for d in deltas {
        map.insert(
            d.ingredient_assertion_uri().to_string(),
            codes_of(d.validation_deltas()),
        );
    }
    map
}

/// How deep ingredient chains are followed; deeper links are reported, not walked.
const MAX_DEPTH: usize = 32;

/// Walks a manifest's ingredients, and theirs, once each.
struct IngredientWalk<'a> {
    reader: &'a Reader,
    deltas: HashMap<String, Codes>,
    visiting: HashSet<String>,
}

impl IngredientWalk<'_> {
    fn ingredients_of(&mut self, manifest_label: &str, depth: usize) -> Vec<IngredientVerdict> {
        let Some(manifest) = self.reader.get_manifest(manifest_label) else {
            return Vec::new();
        };
        if depth >= MAX_DEPTH || !self.visiting.insert(manifest_label.to_string()) {
            return Vec::new();
        }
        let out = manifest
            .ingredients()
            .iter()
            .map(|ing| self.verdict(manifest_label, ing, depth))
            .collect();
        self.visiting.remove(manifest_label);
        out
    }

    fn verdict(
        &mut self,
        parent_label: &str,
        ing: &c2pa::Ingredient,
        depth: usize,
    ) -> IngredientVerdict {
        // What was recorded when the ingredient was added. Trust verdicts are
        // the stamper's opinion and are re-judged below; integrity failures stand.
        let recorded = recorded_codes(ing);
        let current = ing
            .label()
            .map(|l| format!("self#jumbf=/c2pa/{parent_label}/c2pa.assertions/{l}"))
            .and_then(|uri| self.deltas.get(&uri).cloned());
        let mut codes = Codes::default();
        codes
            .failure
            .extend(recorded.failure.iter().filter(|c| *c != UNTRUSTED).cloned());
        codes
            .informational
            .extend(recorded.informational.iter().cloned());
        let untrusted = match &current {
            Some(now) => {
                codes.failure.extend(now.failure.iter().cloned());
                codes
                    .informational
                    .extend(now.informational.iter().cloned());
                now.failure.iter().any(|c| c == UNTRUSTED)
            }
            None => recorded.failure.iter().any(|c| c == UNTRUSTED),
        };
        if untrusted && !codes.failure.iter().any(|c| c == UNTRUSTED) {
            codes.failure.push(UNTRUSTED.into());
        }
        sort_dedup(&mut codes);
        let manifest_label = ing.active_manifest().map(str::to_string);
        let nested = match &manifest_label {
            Some(l) => self.ingredients_of(l, depth + 1),
            None => Vec::new(),
        };
        let state = if manifest_label.is_none() {
            State::Unsigned
        } else {
            combine_codes(&codes, &nested)
        };
        let record = manifest_label
            .as_deref()
            .and_then(|l| self.reader.get_manifest(l))
            .and_then(decode_record);
        IngredientVerdict {
            title: ing.title().map(str::to_string),
            relationship: serde_json::to_value(ing.relationship())
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            format: ing.format().map(str::to_string),
            state,
            manifest_label,
            codes,
            record,
            ingredients: nested,
        }
    }
}

/// An ingredient's state from its effective codes and its own ingredients.
fn combine_codes(codes: &Codes, nested: &[IngredientVerdict]) -> State {
    let mut state = if codes.failure.iter().any(|c| c != UNTRUSTED) {
        State::Invalid
    } else if codes.failure.is_empty() {
        State::Trusted
    } else {
        State::Valid
    };
    for n in nested {
        state = worse(state, n.state);
    }
    state
}

/// The validation recorded in the ingredient assertion when it was added.
fn recorded_codes(ing: &c2pa::Ingredient) -> Codes {
    let mut codes = Codes::default();
    let statuses: Vec<&c2pa::validation_status::ValidationStatus> =
        match ing.validation_results().and_then(|r| r.active_manifest()) {
            Some(r) => r
                .failure()
                .iter()
                .chain(r.informational())
                .chain(r.success())
                .collect(),
            None => ing.validation_status().unwrap_or_default().iter().collect(),
        };
    for s in statuses {
        // Classify by code: kinds are not kept when statuses are deserialized.
        match validation_codes::log_kind(s.code()) {
            LogKind::Failure => codes.failure.push(s.code().to_string()),
            LogKind::Informational => codes.informational.push(s.code().to_string()),
            _ => {}
        }
    }
    codes
}

fn collect_failures(ingredients: &[IngredientVerdict], out: &mut Vec<String>) {
    for ing in ingredients {
        let title = ing.title.as_deref().unwrap_or("(untitled)");
        out.extend(ing.codes.failure.iter().map(|c| format!("{title}: {c}")));
        collect_failures(&ing.ingredients, out);
    }
}

fn sort_dedup(codes: &mut Codes) {
    codes.failure.sort();
    codes.failure.dedup();
    codes.informational.sort();
    codes.informational.dedup();
}

/// The worse of an asset's state and one of its ingredients' states.
fn worse(state: State, ingredient: State) -> State {
    match ingredient {
        State::Invalid | State::Error | State::Remote => State::Invalid,
        State::Valid if state == State::Trusted => State::Valid,
        _ => state,
    }
}

/// The actions of a manifest's `c2pa.actions` assertions, in order.
pub fn decode_actions(manifest: &c2pa::Manifest) -> Vec<Action> {
    let mut out = Vec::new();
    for assertion in manifest.assertions() {
        if !assertion.label().starts_with("c2pa.actions") {
            continue;
        }
        let Ok(value) = assertion.value() else {
            continue;
        };
        let Some(actions) = value.get("actions").and_then(|a| a.as_array()) else {
            continue;
        };
        for a in actions {
            let text =
                |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
            let agent = a.get("softwareAgent");
            out.push(Action {
                action: text(a.get("action")).unwrap_or_default(),
                digital_source_type: text(a.get("digitalSourceType")),
                software_agent: text(agent.and_then(|g| g.get("name"))).or_else(|| text(agent)),
            });
        }
    }
    out
}

fn decode_soft_binding(manifest: &c2pa::Manifest) -> Option<SoftBinding> {
    manifest
        .assertions()
        .iter()
        .filter(|a| a.label() == fingerprint::LABEL)
        .filter_map(|a| a.value().ok())
        .find_map(Fingerprint::from_soft_binding)
        .map(|fp| SoftBinding {
            alg: fingerprint::ALG.to_string(),
            samples: fp.samples.len(),
            fingerprint: fp,
        })
}

fn decode_record(manifest: &c2pa::Manifest) -> Option<GenerationRecord> {
    manifest
        .find_assertion::<GenerationRecord>(record::LABEL)
        .ok()
}
