//! The operator as a CAWG identity assertion (`cawg.identity`, Identity
//! Assertion 1.x, signature type `cawg.x509.cose`): the claim signer is the
//! SDK's `IdentityAssertionSigner`, which signs the claim with the
//! operator's key and adds one identity assertion signed with the same key
//! and certificate. Its `signer_payload.referenced_assertions` cover the hard
//! binding (always, by the SDK), the actions and our record; its `role` is
//! the CAWG role of the operator's role.

use c2pa::identity::builder::{
    CredentialHolder, IdentityAssertionBuilder, IdentityAssertionSigner, IdentityBuilderError,
};
use c2pa::identity::x509::X509CredentialHolder;
use c2pa::identity::SignerPayload;

use crate::error::{Error, Result};
use crate::record::{self, Role};
use crate::signer::SigningIdentity;

/// Labels of the assertions the identity assertion references, besides the
/// hard binding.
pub const REFERENCED: [&str; 2] = ["c2pa.actions.v2", record::LABEL];

/// A claim signer that also signs the operator's identity assertion.
pub fn claim_signer(
    identity: &SigningIdentity,
    role: Role,
) -> Result<Box<dyn c2pa::Signer + Send + Sync>> {
    let mut signer = IdentityAssertionSigner::new(identity.claim_signer()?);
    let mut assertion = IdentityAssertionBuilder::for_credential_holder(Credential::new(identity)?);
    assertion.add_referenced_assertions(&REFERENCED);
    assertion.add_roles(&[role.cawg_role()]);
    signer.add_identity_assertion(assertion);
    Ok(Box::new(signer))
}

/// The operator's X.509 credential, reserving what its identity assertion
/// needs: the SDK's holder reserves the raw signer's size, which includes
/// 10 000 bytes for a timestamp token the identity signature never carries
/// — 12 KB of zeros in every signed frame.
struct Credential {
    holder: X509CredentialHolder,
    reserve: usize,
}

/// Room for the COSE structure, the signature, the signer payload (three
/// referenced assertions, a role) and the CBOR around them.
const OVERHEAD: usize = 2048;

impl Credential {
    fn new(identity: &SigningIdentity) -> Result<Credential> {
        let raw = identity.raw_signer()?;
        let chain = raw.cert_chain().map_err(|e| Error::BadKey {
            path: "(signing key)".into(),
            reason: e.to_string(),
        })?;
        Ok(Credential {
            reserve: chain.iter().map(Vec::len).sum::<usize>() + OVERHEAD,
            holder: X509CredentialHolder::from_raw_signer(raw),
        })
    }
}

impl CredentialHolder for Credential {
    fn sig_type(&self) -> &'static str {
        self.holder.sig_type()
    }

    fn reserve_size(&self) -> usize {
        self.reserve
    }

    fn sign(&self, payload: &SignerPayload) -> std::result::Result<Vec<u8>, IdentityBuilderError> {
        self.holder.sign(payload)
    }
}
