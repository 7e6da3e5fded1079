//! What did not stop a stamp but was left out of it, or is worth saying:
//! each warning names its file and what to do.

use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};

/// Something left out of a stamp that did not stop it.
#[derive(Debug, Clone, PartialEq)]
pub enum StampWarning {
    /// A clip over [`LARGE_CLIP`] was signed without a fingerprint.
    LargeClipNoFingerprint { path: PathBuf, bytes: u64 },
    /// The media could not be decoded: no clip facts, no fingerprint.
    Undecodable { path: PathBuf, reason: String },
    /// The TSA failed and the timestamp was optional (`--tsa-optional`).
    NoTimestamp { path: PathBuf, reason: String },
    /// The generator's plaintext metadata stays in the signed media:
    /// kept on request, or in media a sidecar leaves untouched.
    GeneratorMetadataPublic {
        path: PathBuf,
        fields: Vec<String>,
        sidecar: bool,
    },
    /// A flag said otherwise than the generator's metadata (flag used).
    GeneratorOverridden { path: PathBuf, fields: Vec<String> },
}

/// The warning for a signature the TSA failed to timestamp (optional).
pub(super) fn no_timestamp(input: &Path) -> Option<StampWarning> {
    crate::signer::tsa::take_missed().map(|reason| StampWarning::NoTimestamp {
        path: input.to_path_buf(),
        reason,
    })
}

impl std::fmt::Display for StampWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StampWarning::LargeClipNoFingerprint { path, bytes } => write!(
                f,
                "{}: no fingerprint signed for a {:.1} GB clip (decoding takes about 25 s per GB)",
                path.display(),
                *bytes as f64 / 1e9
            ),
            StampWarning::Undecodable { path, reason } => write!(
                f,
                "{}: cannot decode the media ({reason}); signed without clip facts or fingerprint",
                path.display()
            ),
            StampWarning::GeneratorMetadataPublic {
                path,
                fields,
                sidecar,
            } => {
                write!(
                    f,
                    "{}: the generator's metadata ({}) {}: its plaintext prompt is public to anyone with the file",
                    path.display(),
                    fields.join(", "),
                    if *sidecar {
                        "stays in the media (a sidecar leaves the media untouched)"
                    } else {
                        "is kept in the signed file (--keep-generator-metadata)"
                    }
                )?;
                if *sidecar {
                    write!(
                        f,
                        "; to deliver it without, copy its streams without metadata (ffmpeg -i IN -map_metadata -1 -c copy OUT, lossless) and stamp that copy"
                    )?;
                }
                Ok(())
            }
            StampWarning::GeneratorOverridden { path, fields } => write!(
                f,
                "{}: {} given by flag differs from the generator's metadata in the file; the flag's value is signed",
                path.display(),
                fields.join(", ")
            ),
            StampWarning::NoTimestamp { path, reason } => write!(
                f,
                "{}: signed without a timestamp ({reason}); the signature holds only while the certificate is valid",
                path.display()
            ),
        }
    }
}

impl Serialize for StampWarning {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}
