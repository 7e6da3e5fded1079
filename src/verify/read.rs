//! Reading one file's manifest — embedded, or in a sidecar — through the
//! pre-check, our checks of the bytes C2PA leaves unauthenticated
//! ([`framing`]) and the SDK's reader, into a [`Verdict`].

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use c2pa::{Context, Reader};

use super::binding;
use super::decode::{
    decode_actions, decode_ai_disclosure, decode_record, decode_soft_binding,
    decode_training_mining,
};
use super::facts;
use super::identity;
use super::ingredients::{active_codes, collect_failures, combine_codes, IngredientWalk};
use super::notes;
use super::signing_time::{judge_later, judge_time, signature_time};
use super::trust::Verifier;
use super::update;
use super::verdict::{
    CawgIdentity, Codes, Finding, ManifestSource, Signer, State, Verdict, CONTAINER_MISMATCH,
    IDENTITY_MISMATCH, MEDIA_MISMATCH, MEDIA_UNCHECKED, OPERATOR_MISMATCH, RECORD_MALFORMED,
};
use crate::keys::cert;
use crate::media::{self, framing, Embedded, Format};
use crate::record::GenerationRecord;

/// The SDK's reader, our findings about the bytes around the store, and
/// the store itself (for the claim signature's timestamp).
type Opened = (c2pa::Result<Reader>, Vec<Finding>, Option<Vec<u8>>);

/// The pre-check, the checks of the bytes C2PA leaves unauthenticated
/// around the store ([`framing`]), then the SDK's reader, on one stream;
/// `Err` carries the reason for refusing the file.
fn read_manifest<S: std::io::Read + std::io::Seek + Send + 'static>(
    ctx: &Arc<Context>,
    mime: &str,
    mut stream: S,
) -> std::result::Result<Opened, String> {
    let (findings, store) = match media::precheck(&mut stream, mime)? {
        Embedded::Store(store) => {
            let found = framing::check(&mut stream, mime, &store).map_err(|e| e.to_string());
            stream.rewind().map_err(|e| e.to_string())?;
            (found?.into_iter().map(Finding::from).collect(), Some(store))
        }
        _ => (Vec::new(), None),
    };
    Ok((
        Reader::from_shared_context(ctx).with_stream(mime, stream),
        findings,
        store,
    ))
}

/// Verify one file with a context from [`crate::c2pa_settings::shared_context`].
pub fn verify_file(verifier: &Verifier, path: &Path) -> Verdict {
    let ctx = verifier.context();
    let format = match Format::detect(path) {
        Ok(f) => f,
        Err(e) => return Verdict::failed(path, "", State::Error, e.to_string()),
    };
    let mime = format.mime();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return Verdict::failed(path, mime, State::Error, e.to_string()),
    };
    // Small files are read once — for the manifest and for any generator
    // text left in them; large ones are streamed.
    let (read, generator_text) = match media::read_small(&file) {
        Ok(Some(bytes)) => {
            let text = !crate::generator::read_either(format, Some(&bytes), path).is_empty();
            (read_manifest(ctx, mime, std::io::Cursor::new(bytes)), text)
        }
        Ok(None) => {
            let text = !crate::generator::read_path(path, format).is_empty();
            (read_manifest(ctx, mime, file), text)
        }
        Err(e) => return Verdict::failed(path, mime, State::Error, e.to_string()),
    };
    let (read, findings, store) = match read {
        Ok(r) => r,
        Err(reason) => return Verdict::failed(path, mime, State::Invalid, reason),
    };
    match read {
        Ok(reader) => {
            let read = Read {
                path,
                format,
                source: ManifestSource::Embedded,
                verifier,
                store: store.as_deref(),
                generator_text,
            };
            from_reader(read, &reader, findings)
        }
        Err(c2pa::Error::JumbfNotFound | c2pa::Error::UnsupportedType) => {
            verify_sidecar(verifier, path, format, generator_text)
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

fn verify_sidecar(
    verifier: &Verifier,
    path: &Path,
    format: Format,
    generator_text: bool,
) -> Verdict {
    let ctx = verifier.context();
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
    let source = ManifestSource::Sidecar(sidecar.clone());
    match Reader::from_shared_context(ctx).with_manifest_data_and_stream(&data, mime, file) {
        Ok(reader) => {
            let findings = framing::signature_padding(&data);
            let findings = findings.into_iter().map(Finding::from).collect();
            let read = Read {
                path,
                format,
                source,
                verifier,
                store: Some(&data),
                generator_text,
            };
            from_reader(read, &reader, findings)
        }
        Err(e) => {
            let mut v = Verdict::failed(path, mime, State::Invalid, e.to_string());
            v.manifest_source = Some(source);
            v
        }
    }
}

/// What is known of one read besides the SDK's reader.
struct Read<'a> {
    path: &'a Path,
    format: Format,
    source: ManifestSource,
    /// Signer and TSA roots (without signer roots nothing is trusted,
    /// claim signer or identity).
    verifier: &'a Verifier,
    /// The manifest store's bytes, for the claim signature's timestamp.
    store: Option<&'a [u8]>,
    /// The media still carries its generator's plaintext metadata.
    generator_text: bool,
}

fn from_reader(read: Read, reader: &Reader, findings: Vec<Finding>) -> Verdict {
    let Read {
        path,
        format,
        source,
        verifier,
        store,
        generator_text,
    } = read;
    let anchored = verifier.anchored();
    let mut v = Verdict::new(path, format.mime(), State::Invalid);
    v.manifest_source = Some(source);
    v.manifest_label = reader.active_label().map(str::to_string);
    v.codes = active_codes(reader);
    v.codes.informational.extend(notes::informational(reader));
    for f in findings {
        v.add_finding(f);
    }
    let Some(active) = reader.active_manifest() else {
        v.error = Some("the manifest store has no active manifest".into());
        return v;
    };
    // A timestamp added later is transparent: the asset is the manifest
    // it timestamps.
    let later = v
        .manifest_label
        .as_deref()
        .and_then(|l| update::of(reader, l, store));
    let manifest = later.as_ref().map_or(active, |l| l.subject);
    if let Some(l) = &later {
        v.manifest_label = Some(l.subject_label.clone());
    }
    describe(&mut v, manifest);
    binding::check_exclusions(&mut v, path, store, later.is_some());
    check_identity(&mut v, reader, manifest, anchored);
    check_media(&mut v, path, format);
    if generator_text {
        v.codes.informational.push(notes::GENERATOR_METADATA.into());
    }
    for detail in container_changes(path, format, v.record.as_ref()) {
        v.add_finding(Finding {
            code: CONTAINER_MISMATCH.into(),
            detail,
        });
    }
    let mut walk = IngredientWalk::new(reader).at_their_time(store, verifier);
    if let Some(label) = &v.manifest_label {
        v.ingredients = walk.ingredients_of(label, 0);
    }
    collect_failures(&v.ingredients, &mut v.ingredient_failures);
    match later {
        Some(later) => {
            let subject_codes = walk.effective_codes(&later.update_label, later.parent);
            judge_later(&mut v, active, &later, subject_codes, verifier, store);
        }
        None => judge_time(&mut v, reader, active, verifier, store),
    }
    v
}

/// What the manifest says: its signer, our record (and whether its
/// operator is the certificate's holder), actions, fingerprint, training
/// declaration.
fn describe(v: &mut Verdict, manifest: &c2pa::Manifest) {
    let chain = signing_chain(manifest);
    v.signer = signer_of(manifest, &chain);
    match decode_record(manifest) {
        Ok(record) => v.record = record,
        Err(detail) => v.add_finding(Finding {
            code: RECORD_MALFORMED.into(),
            detail,
        }),
    }
    v.actions = decode_actions(manifest);
    v.soft_binding = decode_soft_binding(manifest);
    v.training_mining = decode_training_mining(manifest);
    v.ai_disclosure = decode_ai_disclosure(manifest);
    if let (Some(rec), Some(signer)) = (&v.record, &v.signer) {
        for detail in operator_changes(rec, signer, chain.first()) {
            v.add_finding(Finding {
                code: OPERATOR_MISMATCH.into(),
                detail,
            });
        }
    }
}

/// The record's media facts against the file's.
fn check_media(v: &mut Verdict, path: &Path, format: Format) {
    match facts::media_changes(path, format, v.record.as_ref()) {
        Ok(changes) => {
            for detail in changes {
                v.add_finding(Finding {
                    code: MEDIA_MISMATCH.into(),
                    detail,
                });
            }
        }
        // Said, never silently skipped; the hard binding still holds.
        Err(_) => v.codes.informational.push(MEDIA_UNCHECKED.into()),
    }
}

/// The signing certificate chain, end entity first.
fn signing_chain(manifest: &c2pa::Manifest) -> Vec<cert::CertFacts> {
    manifest
        .signature_info()
        .and_then(|s| cert::chain(s.cert_chain()).ok())
        .unwrap_or_default()
}

fn signer_of(manifest: &c2pa::Manifest, chain: &[cert::CertFacts]) -> Option<Signer> {
    manifest.signature_info().map(|s| Signer {
        common_name: s.common_name.clone(),
        email: chain.first().and_then(|c| c.email()).map(str::to_string),
        issuer: s.issuer.clone(),
        serial: s.cert_serial_number.clone(),
        certificate: chain.first().map(cert::CertFacts::identity),
        issuer_fingerprint: chain.get(1).map(cert::CertFacts::short_fingerprint),
        time: s.time.clone(),
    })
}

/// A stored manifest store's signature judged against `ctx`'s trust
/// anchors, with `path` (whose bytes may differ: recovered footage) as the
/// asset: `trusted`, `valid` (signed, outside the anchors) or `invalid`
/// from the signature, certificate and timestamp codes alone — the hard
/// binding is not asked — and who signed.
pub fn signature_only(
    verifier: &Verifier,
    store: &[u8],
    path: &Path,
    format: Format,
) -> (State, Option<Signer>) {
    let Ok(file) = File::open(path) else {
        return (State::Error, None);
    };
    signature_against(verifier, store, format, file)
}

/// A stored manifest store's signature judged with no asset at all (a
/// catalog row standing in for a missing ingredient): as
/// [`signature_only`], the hard binding not asked.
pub fn store_signature(
    verifier: &Verifier,
    store: &[u8],
    format: Format,
) -> (State, Option<Signer>) {
    signature_against(verifier, store, format, std::io::Cursor::new(Vec::new()))
}

fn signature_against<S: std::io::Read + std::io::Seek + Send + 'static>(
    verifier: &Verifier,
    store: &[u8],
    format: Format,
    asset: S,
) -> (State, Option<Signer>) {
    let reader = match Reader::from_shared_context(verifier.context())
        .with_manifest_data_and_stream(store, format.mime(), asset)
    {
        Ok(r) => r,
        Err(_) => return (State::Invalid, None),
    };
    let (Some(manifest), Some(label)) = (reader.active_manifest(), reader.active_label()) else {
        return (State::Invalid, None);
    };
    let later = update::of(&reader, label, Some(store));
    let subject = later.as_ref().map_or(manifest, |l| l.subject);
    let signer = signer_of(subject, &signing_chain(subject));
    let about_signature = |c: &String| {
        c.starts_with("signingCredential.")
            || c.starts_with("claimSignature.")
            || c.starts_with("timeStamp.")
    };
    let only_signature = |codes: Codes| Codes {
        failure: codes.failure.into_iter().filter(about_signature).collect(),
        informational: Vec::new(),
    };
    let mut signature_codes = only_signature(active_codes(&reader));
    signature_time(
        &mut signature_codes,
        Some(store),
        Some(label),
        manifest,
        verifier,
    );
    if let Some(later) = &later {
        let walk = IngredientWalk::new(&reader);
        let subject_codes = only_signature(walk.effective_codes(label, later.parent));
        later.judge(&mut signature_codes, subject_codes, verifier);
    }
    let state = combine_codes(&signature_codes, &[]);
    (state, signer)
}

/// Where the record's operator is not the certificate's holder: the name
/// (CN) and, when the record names one, the email address.
fn operator_changes(
    rec: &GenerationRecord,
    signer: &Signer,
    cert: Option<&cert::CertFacts>,
) -> Vec<String> {
    let mut out = Vec::new();
    if signer.common_name.as_deref() != Some(rec.operator.name.as_str()) {
        out.push(format!(
            "the record names operator {:?}; the certificate is {:?}",
            rec.operator.name,
            signer.common_name.as_deref().unwrap_or("")
        ));
    }
    if let Some(id) = rec.operator.id.as_deref().filter(|id| id.contains('@')) {
        let emails = cert.map(|c| c.emails.as_slice()).unwrap_or_default();
        if !emails.iter().any(|e| e.eq_ignore_ascii_case(id)) {
            out.push(format!(
                "the record names {id:?}; the certificate's email is {:?}",
                emails.join(", ")
            ));
        }
    }
    out
}

/// The CAWG identity assertions, and whether they name the record's operator.
fn check_identity(v: &mut Verdict, reader: &Reader, manifest: &c2pa::Manifest, anchored: bool) {
    let label = v.manifest_label.as_deref().unwrap_or_default();
    v.cawg_identity = identity::identities(reader, label, manifest, v.signer.as_ref(), anchored);
    let Some(rec) = &v.record else {
        return;
    };
    for detail in identity_changes(rec, &v.cawg_identity) {
        v.add_finding(Finding {
            code: IDENTITY_MISMATCH.into(),
            detail,
        });
    }
}

/// Where a valid identity assertion's named actor is not the operator the
/// record names (name, and the email address when the record gives one).
fn identity_changes(rec: &GenerationRecord, identities: &[CawgIdentity]) -> Vec<String> {
    let mut out = Vec::new();
    for id in identities.iter().filter(|i| i.is_valid()) {
        if !id.claim_signer {
            out.push(format!(
                "{} is signed by certificate {}, not the claim's signer",
                id.label,
                id.certificate.as_deref().unwrap_or("?")
            ));
            continue;
        }
        let email = rec.operator.id.as_deref().filter(|e| e.contains('@'));
        let same_name = id.signer.as_deref() == Some(rec.operator.name.as_str());
        let same_email = email.is_none_or(|e| {
            id.email
                .as_deref()
                .is_some_and(|got| got.eq_ignore_ascii_case(e))
        });
        if !(same_name && same_email) {
            out.push(format!(
                "{} names {:?} <{}>; the record's operator is {:?}",
                id.label,
                id.signer.as_deref().unwrap_or(""),
                id.email.as_deref().unwrap_or(""),
                rec.operator.name
            ));
        }
    }
    out
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
