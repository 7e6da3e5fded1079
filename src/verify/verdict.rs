//! The verdict for one file and everything it carries: state, C2PA status
//! codes verbatim, our own findings, the decoded record, actions and soft
//! binding, every ingredient's own verdict, and what `--recover` found.

use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};

use crate::media::fingerprint::Fingerprint;
use crate::media::framing;
use crate::record::training::TrainingMining;
use crate::record::GenerationRecord;

/// Our own failure code: the record's operator is not the certificate's subject.
pub const OPERATOR_MISMATCH: &str = "credits.operator.mismatch";
/// Our own failure code: the file's container is not the one the signed
/// record names (a changed `ftyp` brand turning a MOV into an "MP4").
pub const CONTAINER_MISMATCH: &str = "credits.container.format";
/// Our own failure code: the media facts the record signs (kind, size,
/// duration) are not what the file is.
pub const MEDIA_MISMATCH: &str = "credits.media.mismatch";
/// Our own informational code: the signed media facts could not be
/// compared with the file (its facts did not read).
pub const MEDIA_UNCHECKED: &str = "credits.media.unchecked";
/// Our own failure code: the manifest carries a `film.credits.generation`
/// record that does not decode.
pub const RECORD_MALFORMED: &str = "credits.record.malformed";
/// The SDK's code for a signer that does not chain to a trust anchor.
pub const UNTRUSTED: &str = "signingCredential.untrusted";

/// Our own failure code: a CAWG identity's named actor is not the operator
/// the record names.
pub const IDENTITY_MISMATCH: &str = "credits.identity.mismatch";
/// The success code of a valid identity signature (CAWG 1.1, §8.2).
pub const WELL_FORMED: &str = "cawg.identity.well-formed";
/// Our summary of a well-formed identity whose credential chains to a
/// trust anchor (the CAWG spec's code; the SDK does not issue it yet).
pub const TRUSTED: &str = "cawg.identity.trusted";
/// An identity credential outside the trust anchors (c2pa-rs 0.91's code;
/// 0.90.22 reports `signingCredential.untrusted` under the assertion's URI).
pub const UNTRUSTED_CREDENTIAL: &str = "cawg.x509.credential.untrusted";

/// One identity assertion, as verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CawgIdentity {
    /// The assertion's label (`cawg.identity`, `cawg.identity__1`, …).
    pub label: String,
    /// The named actor (the credential's subject common name), when the
    /// credential is the claim signer's certificate.
    pub signer: Option<String>,
    pub email: Option<String>,
    /// Issuer and serial of the credential: whose work this is.
    pub certificate: Option<String>,
    /// Whether the credential is the claim's signing certificate.
    pub claim_signer: bool,
    /// CAWG named-actor roles (`cawg.creator`, `cawg.editor`, …).
    pub roles: Vec<String>,
    /// Labels of the assertions the actor signed over.
    pub referenced_assertions: Vec<String>,
    /// `cawg.identity.trusted`, `cawg.identity.well-formed`, or the first
    /// failure code the SDK reported for it.
    pub status: String,
}

impl CawgIdentity {
    /// Whether its signature held (trusted or merely well-formed).
    pub fn is_valid(&self) -> bool {
        self.status == TRUSTED || self.status == WELL_FORMED
    }
}

/// Ours: the signer's CRL is past its `nextUpdate`, so its revocation
/// status is unknown (a stale CRL replayed hides every newer revocation).
/// A failure that withholds trust (the verdict is `valid`, not `trusted`),
/// informational only when the user allows stale CRLs.
pub const STALE_CRL: &str = "credits.revocation.stale_crl";

/// Whether a failure code only says a signer is outside the trust anchors
/// (the claim's, or a CAWG identity credential's), or that its revocation
/// status is unknown (a stale CRL): `valid`, not `invalid`.
pub fn trust_only(code: &str) -> bool {
    code == UNTRUSTED || code == UNTRUSTED_CREDENTIAL || code == STALE_CRL
}

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

impl From<framing::Anomaly> for Finding {
    fn from(f: framing::Anomaly) -> Finding {
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
    /// The certificate's email address (SAN or subject), when it has one.
    pub email: Option<String>,
    pub issuer: Option<String>,
    pub serial: Option<String>,
    /// Issuer and serial: whose work this is, for contribution shares.
    pub certificate: Option<String>,
    /// Short SHA-256 fingerprint of the issuing CA's certificate, when the
    /// chain carries it (two CAs with one name are told apart by it).
    pub issuer_fingerprint: Option<String>,
    /// Signing time from an RFC 3161 timestamp, when present.
    pub time: Option<String>,
}

/// A claim signature's timestamp.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Timestamp {
    /// When the TSA saw the signature (RFC 3339, UTC).
    pub time: String,
    /// Unix seconds of `time`.
    #[serde(skip)]
    pub unix: i64,
    /// The TSA certificate's subject (CN, and O when present).
    pub tsa: String,
    /// Whether the TSA chains to a root of `--tsa-trust` and the token is
    /// sound; only then is `time` used.
    pub trusted: bool,
    /// Why it is not trusted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub untrusted_because: Option<String>,
    /// Added after signing, by an update manifest's `c2pa.time-stamp`
    /// assertion (`credits timestamp`), not carried by the signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added_later: Option<AddedLater>,
}

/// The update manifest that added a timestamp after signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddedLater {
    /// The update manifest's label (the file's active manifest).
    pub manifest: String,
    /// Who signed it (certificate CN).
    pub signer: Option<String>,
    /// The failure codes of its own signature (empty when it holds).
    pub failures: Vec<String>,
}

/// A revoked signer, as the verdict shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revocation {
    pub reason: crate::keys::crl::Reason,
    /// RFC 3339.
    pub revoked_at: String,
    /// Unix seconds of `revoked_at`.
    #[serde(skip)]
    pub at: i64,
    /// A trusted timestamp shows the signature was made before it.
    pub signed_before: bool,
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
    /// Whether its manifest's actions declare AI generation.
    pub declares_ai: bool,
    /// This ingredient's own ingredients, when its manifest is in the store.
    pub ingredients: Vec<IngredientVerdict>,
}

/// The verdict for one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    #[serde(serialize_with = "crate::sys::path_text::serialize_path")]
    pub path: PathBuf,
    pub state: State,
    /// Where the manifest was read from: `embedded`, or the sidecar path.
    pub manifest_source: Option<ManifestSource>,
    pub manifest_label: Option<String>,
    pub remote_url: Option<String>,
    pub format: String,
    pub signer: Option<Signer>,
    /// The CAWG identity assertions: the named actors, their roles, and
    /// whether their signatures held.
    pub cawg_identity: Vec<CawgIdentity>,
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
    /// The CAWG training-and-mining declaration, if the manifest makes one.
    pub training_mining: Option<TrainingMining>,
    /// The C2PA AI disclosure (`c2pa.ai-disclosure`), if the manifest
    /// makes one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai_disclosure: Option<crate::record::disclosure::AiDisclosure>,
    /// What the provenance index says this footage is (`verify --recover`).
    pub recovery: Option<Recovery>,
    /// The claim signature's RFC 3161 timestamp, judged against the TSA
    /// roots (`--tsa-trust`).
    pub timestamp: Option<Timestamp>,
    /// The signer's certificate on the studio's CRL.
    pub revocation: Option<Revocation>,
}

/// Our perceptual fingerprint as read from the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SoftBinding {
    pub alg: String,
    pub samples: usize,
    /// The ISCC content code signed beside it (`io.iscc.v0`), if any.
    pub iscc: Option<String>,
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
    /// Whose work this is: the credential of a valid CAWG identity
    /// assertion (the named actor), else the claim's signing certificate.
    pub fn actor_certificate(&self) -> Option<String> {
        self.cawg_identity
            .iter()
            .find(|i| i.is_valid())
            .and_then(|i| i.certificate.clone())
            .or_else(|| self.signer.as_ref().and_then(|s| s.certificate.clone()))
    }

    /// Signed, but not saying whether it may train models.
    pub fn training_mining_undeclared(&self) -> bool {
        self.manifest_label.is_some() && self.training_mining.is_none()
    }

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
    pub(super) fn new(path: &Path, format: &str, state: State) -> Verdict {
        Verdict {
            path: path.to_path_buf(),
            state,
            manifest_source: None,
            manifest_label: None,
            remote_url: None,
            format: format.to_string(),
            signer: None,
            cawg_identity: Vec::new(),
            codes: Codes::default(),
            findings: Vec::new(),
            actions: Vec::new(),
            record: None,
            ingredients: Vec::new(),
            ingredient_failures: Vec::new(),
            error: None,
            soft_binding: None,
            training_mining: None,
            ai_disclosure: None,
            recovery: None,
            timestamp: None,
            revocation: None,
        }
    }

    /// One of our own checks failed: its code (once) and what it found.
    pub(super) fn add_finding(&mut self, f: Finding) {
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

    pub(super) fn failed(path: &Path, format: &str, state: State, error: String) -> Verdict {
        let mut v = Verdict::new(path, format, state);
        v.error = Some(error);
        v
    }
}

/// Where a manifest was read from. In JSON: `"embedded"`, or the sidecar's
/// path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestSource {
    Embedded,
    Sidecar(PathBuf),
}

impl Serialize for ManifestSource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ManifestSource::Embedded => s.serialize_str("embedded"),
            ManifestSource::Sidecar(p) => s.serialize_str(&crate::sys::path_text::path_text(p)),
        }
    }
}

impl std::fmt::Display for ManifestSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ManifestSource::Embedded => f.write_str("embedded"),
            ManifestSource::Sidecar(p) => write!(f, "{}", p.display()),
        }
    }
}

/// The indexed asset a file was recognised as (`verify --recover`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recovery {
    /// Where the original was when it was indexed.
    #[serde(serialize_with = "crate::sys::path_text::serialize_path")]
    pub original: PathBuf,
    pub manifest_label: String,
    pub original_sha256: String,
    /// Sampled frames of the original that matched / fell inside the file.
    pub matched_samples: usize,
    pub compared_samples: usize,
    pub similarity: f64,
    /// Where in the original the file starts, in seconds.
    pub offset_s: f64,
    pub signer: Option<String>,
    /// The indexed manifest's signature judged against today's trust
    /// anchors: `trusted`, `valid` (outside them) or `invalid`.
    pub signer_state: State,
    /// Short fingerprint of the CA that issued the original's certificate.
    pub issuer_fingerprint: Option<String>,
    pub record: Option<GenerationRecord>,
    /// Bits (of 64) between the original's ISCC code and the file's, when
    /// both have one: the standard code's opinion, beside the samples'.
    pub iscc_distance: Option<u32>,
    pub note: String,
}
