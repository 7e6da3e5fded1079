//! The library's error type: what went wrong, about which thing.
//!
//! A verdict is not an error — `verify` returns `Ok` with an `invalid` verdict.
//! Errors are for work that could not be done: a key that cannot be read, an
//! output that would be overwritten, a file the C2PA SDK cannot sign. Each
//! variant names the path or label it is about; [`Error::hint`] says what to
//! do next, so the binary can print `hint: …` beside `error: …`.

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
    #[error("{path} already exists and was not overwritten")]
    WouldOverwriteKey { path: PathBuf },
    #[error("private key {path} is readable by other users (mode {mode:o})")]
    KeyPermissions { path: PathBuf, mode: u32 },
    #[error("{path} is not an Ed25519 PKCS#8 private key: {reason}")]
    BadKey { path: PathBuf, reason: String },
    #[error("{path} holds no usable certificate: {reason}")]
    BadCertificate { path: PathBuf, reason: String },
    #[error("private key {key} does not match the certificate in {chain}")]
    KeyCertMismatch { key: PathBuf, chain: PathBuf },
    #[error("no studio CA in {dir}")]
    NoStudioCa { dir: PathBuf },
    #[error("certificate generation failed")]
    CertGen(#[source] rcgen::Error),
    #[error("{what} is not valid: {reason}")]
    InvalidArgument { what: String, reason: String },
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
    #[error("provenance index {path}")]
    Index {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
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
    /// One line saying what the user can do about this error, when we know.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Error::OutputExists { .. } => {
                "pass --force to replace it, or --out DIR to write elsewhere".into()
            }
            Error::WouldOverwriteKey { .. } => {
                "keys are never overwritten; choose another --dir or move the old files away".into()
            }
            Error::KeyPermissions { path, .. } => {
                format!("run `chmod 600 {}`", path.display())
            }
            Error::KeyCertMismatch { .. } => {
                "pass the key and chain written together by `credits keys issue`".into()
            }
            Error::NoStudioCa { dir } => format!(
                "run `credits keys init --org \"Studio\" --dir {}` first",
                dir.display()
            ),
            Error::CannotEmbed { .. } => {
                "pass --sidecar to write a detached FILE.c2pa manifest instead".into()
            }
            Error::EmptyTrustBundle { .. } => {
                "write one with `credits keys trust --dir CA_DIR --out trust.pem`".into()
            }
            Error::NotIndexable { .. } => {
                "only signed, intact assets are indexed; stamp it first".into()
            }
            Error::Write { source, .. } if is_space_error(source) => {
                "the disk is full or a file-size limit applies (nothing was replaced); free space and run again".into()
            }
            Error::WatchBusy { .. } => {
                "stop the other watcher first, or give this one another --out DIR".into()
            }
            Error::Watch { .. } => {
                "check the directory exists; with many subdirectories raise fs.inotify.max_user_watches".into()
            }
            _ => return None,
        })
    }
}

/// ENOSPC, EFBIG, EDQUOT: the write did not fit.
fn is_space_error(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(27 | 28 | 122)) || e.kind() == std::io::ErrorKind::StorageFull
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
