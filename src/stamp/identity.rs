//! The operator as a CAWG identity assertion (`cawg.identity`, Identity
//! Assertion 1.x, signature type `cawg.x509.cose`): the claim signer is the
//! SDK's `IdentityAssertionSigner`, which signs the claim with the
//! operator's key and adds one identity assertion signed with the same key
//! and certificate. Its `signer_payload.referenced_assertions` cover the hard
//! binding (always, by the SDK), the actions and our record; its `role` is
//! the CAWG role of the operator's role.

use c2pa::identity::builder::{IdentityAssertionBuilder, IdentityAssertionSigner};
use c2pa::identity::x509::X509CredentialHolder;

use crate::error::Result;
use crate::keys::SigningIdentity;
use crate::record::{self, Role};

/// Labels of the assertions the identity assertion references, besides the
/// hard binding.
pub const REFERENCED: [&str; 2] = ["c2pa.actions.v2", record::LABEL];

/// A claim signer that also signs the operator's identity assertion.
pub fn claim_signer(
    identity: &SigningIdentity,
    role: Role,
) -> Result<Box<dyn c2pa::Signer + Send + Sync>> {
    let mut signer = IdentityAssertionSigner::new(identity.raw_signer()?);
    let mut assertion = IdentityAssertionBuilder::for_credential_holder(
        X509CredentialHolder::from_raw_signer(identity.raw_signer()?),
    );
    assertion.add_referenced_assertions(&REFERENCED);
    assertion.add_roles(&[role.cawg_role()]);
    signer.add_identity_assertion(assertion);
    Ok(Box::new(signer))
}
