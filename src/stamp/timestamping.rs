//! `credits timestamp`: a trusted time for files signed without one — an
//! offline render node's output, once a Time-Stamp Authority is in reach.
//!
//! C2PA 2.2 ("Time-stamp assertion"): an update manifest carrying a
//! `c2pa.time-stamp` assertion, a map from a manifest's label to an RFC 3161
//! token over that manifest's claim signature (the COSE signature bytes).
//! The SDK 0.90.22 builds update manifests (`BuilderIntent::Update`: the
//! file itself as the `parentOf` ingredient, `c2pa.opened`, no hard
//! binding) and uses the assertion's token when it validates the earlier
//! signature. Its `Builder::add_timestamp` fetches the token through the
//! SDK's HTTP feature, which stays off (see [`crate::signer::tsa`]); the token is
//! fetched here and the assertion added as data. The update manifest's own
//! signature carries a token from the same TSA, so it outlives its signer
//! too.
//!
//! The file is verified first: a timestamp vouches that the signature
//! existed, so a file whose manifest fails (tampered, expired, revoked) is
//! refused, and one that already carries a timestamp is skipped. The new
//! file is written beside the old one and renamed over it ([`atomic`]).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use c2pa::assertions::TimeStamp;
use c2pa::identity::builder::IdentityAssertionSigner;
use c2pa::{Builder, BuilderIntent, Context};
use serde::Serialize;
use serde_json::json;

use crate::c2pa_settings;
use crate::error::{Error, Result};
use crate::media::{self, Embedded, Format};
use crate::signer::tsa::TsaClient;
use crate::signer::SigningIdentity;
use crate::sys::atomic::{self, Overwrite};
use crate::verify::{self, State, Timestamp, Verdict, Verifier};

/// What one file's timestamping came to.
#[derive(Debug, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Done {
    /// An update manifest with the token was added.
    Timestamped {
        path: PathBuf,
        /// The manifest whose signature the token covers.
        manifest: String,
        timestamp: Timestamp,
    },
    /// Left as it was: it already carries a timestamp.
    Skipped { path: PathBuf, timestamp: Timestamp },
}

/// Timestamps files with one signer and one TSA, for a run.
pub struct Timestamper {
    /// Holds the signer of the update manifests (itself timestamped).
    context: Arc<Context>,
    tsa: Arc<TsaClient>,
    /// Judges each file before it is timestamped.
    verifier: Verifier,
}

impl Timestamper {
    /// `identity`'s claim signatures carry its TSA's tokens (set by
    /// [`SigningIdentity::with_tsa`], which asked the TSA once); `verifier`
    /// judges the files, and its signer roots the file as the update's
    /// ingredient.
    pub fn new(identity: &SigningIdentity, verifier: Verifier) -> Result<Timestamper> {
        let tsa = identity.tsa().cloned().ok_or_else(|| Error::Usage {
            reason: "timestamping needs a TSA (--tsa URL)".into(),
        })?;
        let signer = IdentityAssertionSigner::new(identity.claim_signer()?);
        let context = c2pa_settings::signing_context(verifier.signer_roots(), Box::new(signer))?;
        Ok(Timestamper {
            context,
            tsa,
            verifier,
        })
    }

    /// Timestamp the manifest of `path`, in place.
    pub fn timestamp_file(&self, path: &Path) -> Result<Done> {
        let refuse = |reason: String| Error::NotTimestampable {
            path: path.to_path_buf(),
            reason,
        };
        let verdict = verify::verify_file(&self.verifier, path);
        match &verdict.timestamp {
            // A token that verifies, from whichever TSA: already done.
            Some(ts) if !ts.time.is_empty() => {
                return Ok(Done::Skipped {
                    path: path.to_path_buf(),
                    timestamp: ts.clone(),
                })
            }
            Some(ts) => {
                return Err(refuse(format!(
                    "it carries a timestamp that does not verify ({}); a second one is not stacked on it",
                    ts.untrusted_because.as_deref().unwrap_or("unreadable")
                )))
            }
            None => {}
        }
        check_verdict(&verdict).map_err(refuse)?;
        let format = Format::detect(path).map_err(|e| refuse(e.to_string()))?;
        let store = embedded_store(path, format).map_err(refuse)?;
        let label = verdict
            .manifest_label
            .clone()
            .ok_or_else(|| refuse("no active manifest".into()))?;
        let signature = verify::timestamp::claim_signature(&store, &label).map_err(refuse)?;
        let reply = self
            .tsa
            .request(&signature)
            .map_err(|reason| Error::Tsa { reason })?;
        let token = token_of(&reply).map_err(|reason| Error::Tsa { reason })?;
        let timestamp =
            verify::timestamp::of_assertion_token(&token, &signature, self.verifier.tsa_roots());
        self.write_update(path, format, &label, &token)?;
        Ok(Done::Timestamped {
            path: path.to_path_buf(),
            manifest: label,
            timestamp,
        })
    }

    /// The update manifest holding `token` for `label`, signed into a copy
    /// of `path` beside it and renamed over it.
    fn write_update(&self, path: &Path, format: Format, label: &str, token: &[u8]) -> Result<()> {
        let sign_err = |source| Error::Sign {
            path: path.to_path_buf(),
            source: Box::new(source),
        };
        let definition = json!({
            "title": crate::stamp::file_title(path),
            "format": format.mime(),
            "claim_generator_info": [{
                "name": "credits",
                "version": env!("CARGO_PKG_VERSION"),
                "specVersion": crate::stamp::SPEC_VERSION,
            }],
        });
        let mut builder = Builder::from_shared_context(&self.context)
            .with_definition(definition.to_string())
            .map_err(sign_err)?;
        builder.set_intent(BuilderIntent::Update);
        let open = || {
            File::open(path).map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })
        };
        // The file itself is the parent; an update opens it and does
        // nothing else (C2PA 2.2: its only action), and says so.
        let parent = json!({
            "title": crate::stamp::file_title(path),
            "relationship": "parentOf",
            "label": "parent",
        });
        builder
            .add_ingredient_from_stream(parent.to_string(), format.mime(), &mut open()?)
            .map_err(sign_err)?;
        let actions = json!({
            "actions": [{"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}}],
            "allActionsIncluded": true,
        });
        let mut assertion = TimeStamp::new();
        assertion.add_timestamp(label, token);
        builder
            .add_assertion("c2pa.actions.v2", &actions)
            .and_then(|b| b.add_assertion(TimeStamp::LABEL, &assertion))
            .map_err(sign_err)?;
        let mut source = open()?;
        let mut temp = atomic::temp_beside(path)?;
        let signer = self.context.signer().map_err(sign_err)?;
        builder
            .sign(signer, format.mime(), &mut source, temp.as_file_mut())
            .map_err(sign_err)?;
        self.check_written(temp.path(), label)
            .map_err(|reason| Error::NotTimestampable {
                path: path.to_path_buf(),
                reason,
            })?;
        atomic::commit(temp, path, Overwrite::Replace, atomic::mode_of(path))
    }

    /// The written file, before it replaces the original, read back: still
    /// the manifest `label`, intact, with the timestamp. The SDK writes an
    /// update manifest into every format, but in some (WebP, WAV, MP3 in
    /// 0.90.22) the larger store moves bytes the earlier hard binding
    /// covers, and the earlier signature would break.
    fn check_written(&self, written: &Path, label: &str) -> std::result::Result<(), String> {
        let v = verify::verify_file(&self.verifier, written);
        let timestamped = v
            .timestamp
            .as_ref()
            .is_some_and(|t| t.added_later.is_some());
        let intact = matches!(v.state, State::Trusted | State::Valid);
        if intact && timestamped && v.manifest_label.as_deref() == Some(label) {
            return Ok(());
        }
        Err(format!(
            "adding the timestamp would break the file's manifest ({}): \
             the SDK cannot update this format in place; sign it again with --tsa URL",
            v.error
                .clone()
                .unwrap_or_else(|| v.codes.failure.join(", "))
        ))
    }
}

/// Why a file's verdict forbids a timestamp, if it does.
fn check_verdict(v: &Verdict) -> std::result::Result<(), String> {
    let failing = || v.codes.failure.join(", ");
    match v.state {
        State::Trusted | State::Valid => Ok(()),
        State::Unsigned => {
            Err("it is not signed: stamp it first (credits stamp … --tsa URL)".into())
        }
        State::Invalid
            if v.codes
                .failure
                .iter()
                .any(|c| c == verify::timestamp::EXPIRED) =>
        {
            Err(
                "the signer's certificate has expired: a timestamp made now cannot show the \
             signature was made while it was valid"
                    .into(),
            )
        }
        State::Invalid if v.revocation.is_some() => Err(
            "the signer's certificate is revoked: a timestamp made now is after the revocation"
                .into(),
        ),
        State::Invalid => Err(format!(
            "it does not verify ({}): a timestamp would vouch for a broken manifest",
            v.error.clone().unwrap_or_else(failing)
        )),
        State::Remote => Err("its manifest is remote, not in the file".into()),
        State::Recovered => Err("its manifest was recovered, not read from the file".into()),
        State::Error => Err(v.error.clone().unwrap_or_else(failing)),
    }
}

/// The manifest store embedded in `path`; sidecars are not updated here.
fn embedded_store(path: &Path, format: Format) -> std::result::Result<Vec<u8>, String> {
    let mut file = File::open(path).map_err(|e| e.to_string())?;
    match media::precheck(&mut file, format.mime())? {
        Embedded::Store(store) => Ok(store),
        _ => Err(
            "its manifest is not embedded (a sidecar): sign it again with --tsa to timestamp it"
                .into(),
        ),
    }
}

/// The `timeStampToken` of an RFC 3161 `TimeStampResp`
/// (`SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo }`), as
/// DER — what the assertion holds. Read with asn1-rs (x509-parser's).
fn token_of(reply: &[u8]) -> std::result::Result<Vec<u8>, String> {
    use x509_parser::asn1_rs::{Any, FromDer};
    let bad = |_| "the TSA's answer holds no timestamp token".to_string();
    let (_, response) = Any::from_der(reply).map_err(bad)?;
    let (after_status, _) = Any::from_der(response.data).map_err(bad)?;
    let (rest, _) = Any::from_der(after_status).map_err(bad)?;
    Ok(after_status[..after_status.len() - rest.len()].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_the_second_element_of_the_reply() {
        // SEQUENCE { SEQUENCE { INTEGER 0 }, SEQUENCE { OCTET STRING 'ab' } }
        let reply = [
            0x30, 0x0b, 0x30, 0x03, 0x02, 0x01, 0x00, 0x30, 0x04, 0x04, 0x02, b'a', b'b',
        ];
        assert_eq!(
            token_of(&reply).unwrap(),
            vec![0x30, 0x04, 0x04, 0x02, b'a', b'b']
        );
    }

    #[test]
    fn a_reply_without_token_or_cut_short_is_refused() {
        assert!(token_of(&[0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02]).is_err());
        assert!(token_of(&[0x30, 0x0b, 0x30, 0x03, 0x02]).is_err());
        assert!(token_of(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(token_of(&[]).is_err());
    }
}
