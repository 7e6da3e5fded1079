//! An update manifest that only adds a timestamp — C2PA 2.2's
//! `c2pa.time-stamp` assertion, written by `credits timestamp` (or another
//! tool) for a file signed without one — is transparent to the verdict:
//! the asset's record, signer, actions and ingredients are those of the
//! manifest it timestamps (its `parentOf` ingredient), whose signature is
//! judged at the assertion token's time against the TSA roots; the update
//! manifest's own signature must hold as well (its codes stay in the
//! verdict). Anything more in the update — another assertion, another
//! action, a second ingredient, a token for some other manifest — and it is
//! an ordinary manifest, judged as the active one.

use c2pa::{Manifest, Reader};
use coset::cbor::Value;

use super::decode::decode_actions;
use super::revocation;
use super::timestamp;
use super::trust::Verifier;
use super::verdict::{AddedLater, Codes, Revocation, Timestamp};
use crate::media::jumbf;

/// The assertion's label (C2PA 2.2, "Time-stamp assertion").
pub const LABEL: &str = "c2pa.time-stamp";

/// A timestamp-only update manifest and the manifest it timestamps.
pub(super) struct Later<'a> {
    pub update_label: String,
    pub subject_label: String,
    pub subject: &'a Manifest,
    pub parent: &'a c2pa::Ingredient,
    /// The assertion's token for the subject, and the subject's claim
    /// signature bytes it covers.
    token: Vec<u8>,
    signature: Vec<u8>,
    /// The update manifest's signer (CN).
    update_signer: Option<String>,
}

/// The manifest `label` as a timestamp-only update, if it is one.
pub(super) fn of<'a>(reader: &'a Reader, label: &str, store: Option<&[u8]>) -> Option<Later<'a>> {
    let update = reader.get_manifest(label)?;
    let only_timestamp = update.assertions().iter().all(|a| {
        a.label() == LABEL || a.label() == "c2pa.actions" || a.label() == "c2pa.actions.v2"
    });
    let opened_only = decode_actions(update)
        .iter()
        .all(|a| a.action == "c2pa.opened");
    let has_timestamp = update.assertions().iter().any(|a| a.label() == LABEL);
    let [parent] = update.ingredients() else {
        return None;
    };
    let is_parent = matches!(parent.relationship(), c2pa::Relationship::ParentOf);
    if !(only_timestamp && opened_only && has_timestamp && is_parent) {
        return None;
    }
    let subject_label = parent.active_manifest()?.to_string();
    let subject = reader.get_manifest(&subject_label)?;
    let store = store?;
    let token = token_for(jumbf::assertion(store, label, LABEL)?, &subject_label)?;
    let signature = timestamp::claim_signature(store, &subject_label).ok()?;
    Some(Later {
        update_label: label.to_string(),
        subject_label,
        subject,
        parent,
        token,
        signature,
        update_signer: update.signature_info().and_then(|s| s.common_name.clone()),
    })
}

/// The token a `c2pa.time-stamp` map (manifest label → token bytes) holds
/// for `label`.
fn token_for(cbor: &[u8], label: &str) -> Option<Vec<u8>> {
    let value: Value = coset::cbor::from_reader(cbor).ok()?;
    value
        .as_map()?
        .iter()
        .find(|(k, _)| k.as_text() == Some(label))
        .and_then(|(_, v)| v.as_bytes().cloned())
}

/// What the subject's signature came to at the assertion's time.
pub(super) struct Judged {
    pub timestamp: Timestamp,
    pub revocation: Option<Revocation>,
    /// The token cleared the subject's certificate expiry.
    pub settled: bool,
}

impl Later<'_> {
    /// Judge the subject's signature: its codes (`subject_codes`, from
    /// the update's ingredient) settled by the assertion's token and the
    /// studio's CRL, then added to `codes` (the update's own, judged).
    pub fn judge(
        &self,
        codes: &mut Codes,
        mut subject_codes: Codes,
        verifier: &Verifier,
    ) -> Judged {
        let stamp = self.timestamp(verifier, codes.failure.clone());
        timestamp::restate_trust(&mut subject_codes, Some(&stamp));
        let chain = self
            .subject
            .signature_info()
            .map(|info| crate::keys::pem::ders(info.cert_chain(), "CERTIFICATE"))
            .unwrap_or_default();
        let settled = timestamp::settle_expiry(
            &mut subject_codes,
            Some(&stamp),
            &chain,
            verifier.signer_roots(),
        );
        let revocation = revocation::settle(
            &mut subject_codes,
            Some(&stamp),
            &chain,
            verifier.crls(),
            verifier.stale_crls_allowed(),
        );
        merge(codes, subject_codes);
        Judged {
            timestamp: stamp,
            revocation,
            settled,
        }
    }
}

impl Later<'_> {
    /// The assertion's token judged against the TSA roots; `failures`,
    /// the update's own signature's.
    pub fn timestamp(&self, verifier: &Verifier, failures: Vec<String>) -> Timestamp {
        let mut stamp =
            timestamp::of_assertion_token(&self.token, &self.signature, verifier.tsa_roots());
        stamp.added_later = Some(AddedLater {
            manifest: self.update_label.clone(),
            signer: self.update_signer.clone(),
            failures,
        });
        stamp
    }
}

/// `extra`'s codes added to `codes`, each once.
fn merge(codes: &mut Codes, extra: Codes) {
    for c in extra.failure {
        if !codes.failure.contains(&c) {
            codes.failure.push(c);
        }
    }
    for c in extra.informational {
        if !codes.informational.contains(&c) {
            codes.informational.push(c);
        }
    }
}
