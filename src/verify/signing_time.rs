//! When a claim signature was made, and what that settles: its RFC 3161
//! timestamp (in the signature, or added later by an update manifest)
//! judged against the TSA roots, the certificate's expiry judged at that
//! time, and the signer against the studio's CRL — the verdict's state.

use c2pa::Reader;

use super::ingredients::{combine, combine_codes};
use super::revocation;
use super::timestamp;
use super::trust::Verifier;
use super::update;
use super::verdict::{Codes, Verdict};

/// The verdict of a file whose timestamp was added later: the update
/// manifest's own signature (its codes, its timestamp) and the subject's
/// (judged at the assertion's time) must both hold.
pub(super) fn judge_later(
    v: &mut Verdict,
    update: &c2pa::Manifest,
    later: &update::Later,
    subject_codes: Codes,
    verifier: &Verifier,
    store: Option<&[u8]>,
) {
    let own = signature_time(
        &mut v.codes,
        store,
        Some(&later.update_label),
        update,
        verifier,
    );
    let judged = later.judge(&mut v.codes, subject_codes, verifier);
    v.timestamp = Some(judged.timestamp);
    v.revocation = judged.revocation.or(own.revocation);
    if judged.settled && verifier.anchored() {
        timestamp::settle_identities(v);
    }
    // Both manifests' codes are here: the SDK's overall state is not used.
    v.state = combine_codes(&v.codes, &v.ingredients);
}

/// The claim signature's timestamp and the signer's revocation: the
/// certificate judged at the trusted time, and the verdict's state.
pub(super) fn judge_time(
    v: &mut Verdict,
    reader: &Reader,
    manifest: &c2pa::Manifest,
    verifier: &Verifier,
    store: Option<&[u8]>,
) {
    let label = v.manifest_label.clone();
    let time = signature_time(&mut v.codes, store, label.as_deref(), manifest, verifier);
    let settled = time.settled;
    v.timestamp = time.timestamp;
    v.revocation = time.revocation;
    if settled && verifier.anchored() {
        timestamp::settle_identities(v);
    }
    v.state = if settled {
        // The SDK judged the certificate now; its verdict is replaced.
        combine_codes(&v.codes, &v.ingredients)
    } else {
        combine(reader.validation_state(), &v.codes, &v.ingredients)
    };
}

/// What the claim signature's time settled.
pub(super) struct SignatureTime {
    timestamp: Option<super::verdict::Timestamp>,
    /// A trusted timestamp cleared the certificate's expiry.
    settled: bool,
    revocation: Option<super::verdict::Revocation>,
}

/// The claim signature's timestamp (judged against the TSA roots; the SDK's
/// `timeStamp.*` code restated), the certificate's expiry settled by it,
/// and the signer against the studio's CRL: `codes` updated.
pub(super) fn signature_time(
    codes: &mut Codes,
    store: Option<&[u8]>,
    label: Option<&str>,
    manifest: &c2pa::Manifest,
    verifier: &Verifier,
) -> SignatureTime {
    let stamp = store
        .zip(label)
        .and_then(|(store, label)| timestamp::of_manifest(store, label, verifier.tsa_roots()));
    timestamp::restate_trust(codes, stamp.as_ref());
    let chain = chain_der(manifest);
    let settled = timestamp::settle_expiry(codes, stamp.as_ref(), &chain, verifier.signer_roots());
    let revocation = revocation::settle(
        codes,
        stamp.as_ref(),
        &chain,
        verifier.crls(),
        verifier.stale_crls_allowed(),
    );
    SignatureTime {
        timestamp: stamp,
        settled,
        revocation,
    }
}

/// The signing certificate chain as DER, end entity first.
fn chain_der(manifest: &c2pa::Manifest) -> Vec<Vec<u8>> {
    let Some(info) = manifest.signature_info() else {
        return Vec::new();
    };
    crate::keys::pem::ders(info.cert_chain(), "CERTIFICATE")
}
