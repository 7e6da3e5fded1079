//! The trust bundle, in one place: written by `keys trust` (the studio's
//! root and, once `keys revoke` has made one, its CRL), read by every
//! verifier (which must find a certificate in it), and split into the
//! signer roots the SDK anchors on.

use std::path::Path;

use super::pem;
use crate::error::{Error, Result};

/// The trust bundle of the studio CA in `ca_dir`: the root CA's PEM, and
/// the studio's CRL when `keys revoke` has written one (its signature
/// checked first).
pub fn of_ca(ca_dir: &Path) -> Result<String> {
    let mut text = super::ca_certificate(ca_dir)?;
    if let Some(crl) = super::crl::current(ca_dir, &text)? {
        text.push_str(&crl);
    }
    Ok(text)
}

/// Load a PEM trust bundle for verification; it must hold a certificate.
pub fn load(path: &Path) -> Result<String> {
    let text = super::read_text(path)?;
    if pem::ders(&text, "CERTIFICATE").is_empty() {
        return Err(Error::EmptyTrustBundle {
            path: path.to_path_buf(),
        });
    }
    Ok(text)
}

/// The `CERTIFICATE` blocks of a trust bundle (it also holds the studio's
/// CRL), re-encoded: the signer roots.
pub fn certificates_only(text: &str) -> String {
    pem::ders(text, "CERTIFICATE")
        .iter()
        .map(|der| pem::encode("CERTIFICATE", der))
        .collect()
}
