//! The library's error type: what went wrong, about which thing.
//!
//! A verdict is not an error — `verify` returns `Ok` with an `invalid` verdict.
//! Errors are for work that could not be done: a key that cannot be read, an
//! output that would be overwritten, a file the C2PA SDK cannot sign. Each
//! variant names the path or label it is about, as data.
//! The binary says what to do next (`hint: …`, naming its flags); the
//! library only says what happened.

use std::path::PathBuf;

/// Everything that can stop a `credits` operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} already exists")]
    OutputExists { path: PathBuf },
    #[error("the reveal file {path} already exists: it is the only proof of an earlier prompt")]
    RevealExists { path: PathBuf },
    #[error("{path} already exists and was not overwritten")]
    WouldOverwriteKey { path: PathBuf },
    #[error("private key {path} is readable by other users (mode {mode:o})")]
    KeyPermissions { path: PathBuf, mode: u32 },
    #[error("{path} is not an Ed25519 PKCS#8 private key: {reason}")]
    BadKey { path: PathBuf, reason: String },
    #[error("{path} holds no usable certificate: {reason}")]
    BadCertificate { path: PathBuf, reason: String },
    #[error("the operator certificate in {path} has expired")]
    CertificateExpired { path: PathBuf },
    #[error("private key {key} does not match the certificate in {chain}")]
    KeyCertMismatch { key: PathBuf, chain: PathBuf },
    #[error("no studio CA in {dir}")]
    NoStudioCa { dir: PathBuf },
    #[error("certificate generation failed")]
    CertGen(#[source] rcgen::Error),
    #[error("{what} is not valid: {reason}")]
    InvalidArgument { what: String, reason: String },
    #[error("the generating tool is not named")]
    NoTool,
    #[error("{path}: {reason}")]
    PromptInOutput { path: PathBuf, reason: String },
    #[error("no destination for the signed files")]
    NoDestination,
    #[error("the {field} {value:?} contains a control character")]
    ControlCharacter { field: &'static str, value: String },
    #[error("{path} would replace the input")]
    OutputIsInput { path: PathBuf },
    #[error("{path} is not a directory")]
    NotADirectory { path: PathBuf },
    #[error("cannot render the report as JSON")]
    Json(#[source] serde_json::Error),
    #[error("profile {path} is not valid: {reason}")]
    BadProfile { path: PathBuf, reason: String },
    #[error("reveal file {path} is not valid: {reason}")]
    BadReveal { path: PathBuf, reason: String },
    #[error("{path}: the C2PA SDK cannot embed a manifest in this format ({format})")]
    CannotEmbed { path: PathBuf, format: String },
    #[error("{path}: signing failed")]
    Sign {
        path: PathBuf,
        #[source]
        source: Box<c2pa::Error>,
    },
    #[error("{path}: cannot use as an ingredient")]
    Ingredient {
        path: PathBuf,
        #[source]
        source: Box<c2pa::Error>,
    },
    #[error("C2PA settings rejected")]
    Settings(#[source] Box<c2pa::Error>),
    #[error("catalog {catalog}: {reason}")]
    Catalog {
        /// The catalog as the user named it, any password hidden.
        catalog: String,
        failure: CatalogFailure,
        reason: String,
    },
    #[error("{path} cannot be indexed: {reason}")]
    NotIndexable { path: PathBuf, reason: String },
    #[error("{path}: cannot decode the media: {reason}")]
    Decode { path: PathBuf, reason: String },
    #[error("policy {path} is not valid: {reason}")]
    BadPolicy { path: PathBuf, reason: String },
    #[error("trust bundle {path} holds no PEM certificate")]
    EmptyTrustBundle { path: PathBuf },
    #[error("{path} is malformed: {reason}")]
    Malformed { path: PathBuf, reason: String },
    #[error("{reason}")]
    Usage { reason: String },
    #[error("revocation list: {reason}")]
    Revocation { reason: String },
    #[error("journal {path}: {reason}")]
    Journal { path: PathBuf, reason: String },
    #[error("{path} cannot be timestamped: {reason}")]
    NotTimestampable { path: PathBuf, reason: String },
    #[error("time-stamp authority: {reason}")]
    Tsa { reason: String },
    #[error("signer command: {reason}")]
    SignerCommand { reason: String },
    #[error("timeline {reason}")]
    Timeline { reason: String },
    #[error("another `credits watch` is already writing into {dir}")]
    WatchBusy { dir: PathBuf },
    #[error("cannot watch {dir}")]
    Watch {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Whether a write failed because it did not fit: ENOSPC, EFBIG, EDQUOT
    /// (a full disk, a file-size limit, a quota).
    pub fn is_out_of_space(&self) -> bool {
        match self {
            Error::Write { source, .. } => {
                matches!(source.raw_os_error(), Some(27 | 28 | 122))
                    || source.kind() == std::io::ErrorKind::StorageFull
            }
            _ => false,
        }
    }
}

/// What went wrong with a provenance catalog, for the hint a user needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogFailure {
    /// The server could not be reached (host, port, network).
    Connect,
    /// The server refused the user or password.
    Auth,
    /// The catalog's schema is newer than this credits, or not a catalog.
    Schema,
    /// A statement failed on a reachable catalog.
    Query,
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
