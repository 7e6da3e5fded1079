//! Who signs: an operator's certificate chain and the key that belongs to
//! it — a key file checked against the chain, or a command that signs with
//! a key held by a token (`--signer-cmd`, [`crate::signer::command`]).

pub mod command;
pub mod dsse;
pub mod tsa;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use c2pa::crypto::raw_signature::{self, RawSigner};
use ed25519_dalek::pkcs8::DecodePrivateKey;

use crate::error::{Error, Result};
use crate::keys::{cert_info, read_private, read_text};
use crate::signer::command::CommandSigner;
use crate::signer::tsa::{Timestamped, TsaClient};

/// Where the signing key is.
enum KeySource {
    /// A PKCS#8 key file's text.
    Pem(String),
    /// A command that signs on the key's behalf.
    Command(String),
}

/// A key and certificate chain that belong together, ready to sign.
pub struct SigningIdentity {
    key: KeySource,
    chain_pem: String,
    /// The end-entity certificate's Ed25519 public key.
    public_key: Vec<u8>,
    /// Operator name (certificate CN).
    pub name: String,
    /// Operator email (certificate SAN or emailAddress), when present.
    pub email: Option<String>,
    pub org: Option<String>,
    /// The TSA that timestamps claim signatures, and whether signing goes
    /// on without it when it fails.
    tsa: Option<(Arc<TsaClient>, bool)>,
}

impl std::fmt::Debug for SigningIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningIdentity")
            .field("name", &self.name)
            .field("email", &self.email)
            .field("org", &self.org)
            .finish_non_exhaustive()
    }
}

impl SigningIdentity {
    /// Load `key` and `chain`, refusing a key other users can read, a key
    /// that does not match the chain's first certificate, and an expired one.
    pub fn load(key: &Path, chain: &Path) -> Result<SigningIdentity> {
        let key_pem = read_private(key)?;
        let signing =
            ed25519_dalek::SigningKey::from_pkcs8_pem(&key_pem).map_err(|e| Error::BadKey {
                path: key.to_path_buf(),
                reason: e.to_string(),
            })?;
        let chain_pem = read_text(chain)?;
        let info = cert_info(chain, &chain_pem)?;
        if info.public_key != signing.verifying_key().to_bytes() {
            return Err(Error::KeyCertMismatch {
                key: key.to_path_buf(),
                chain: chain.to_path_buf(),
            });
        }
        if info.expired {
            return Err(Error::CertificateExpired {
                path: chain.to_path_buf(),
            });
        }
        Ok(SigningIdentity {
            key: KeySource::Pem(key_pem),
            chain_pem,
            public_key: info.public_key.clone(),
            email: info.email().map(str::to_string),
            name: info.common_name.unwrap_or_default(),
            org: info.org,
            tsa: None,
        })
    }

    /// Load `chain` for a key held by a token: `command` signs (see
    /// [`crate::signer::command`]). One probe signature is made and checked against
    /// the chain's certificate before anything is signed for real.
    pub fn with_command(command: &str, chain: &Path) -> Result<SigningIdentity> {
        let chain_pem = read_text(chain)?;
        let info = cert_info(chain, &chain_pem)?;
        if info.expired {
            return Err(Error::CertificateExpired {
                path: chain.to_path_buf(),
            });
        }
        let identity = SigningIdentity {
            key: KeySource::Command(command.to_string()),
            chain_pem,
            public_key: info.public_key.clone(),
            email: info.email().map(str::to_string),
            name: info.common_name.unwrap_or_default(),
            org: info.org,
            tsa: None,
        };
        identity.sign(b"credits: signer command probe")?;
        Ok(identity)
    }

    /// Sign `message` with the identity's Ed25519 key (a rights
    /// certificate's DSSE envelope, a signer command's probe).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        match &self.key {
            KeySource::Pem(pem) => {
                use ed25519_dalek::Signer;
                let key =
                    ed25519_dalek::SigningKey::from_pkcs8_pem(pem).map_err(|e| Error::BadKey {
                        path: PathBuf::from("(signing key)"),
                        reason: e.to_string(),
                    })?;
                Ok(key.sign(message).to_bytes().to_vec())
            }
            KeySource::Command(_) => self
                .command_signer()?
                .sign_checked(message)
                .map_err(|reason| Error::SignerCommand { reason }),
        }
    }

    fn command_signer(&self) -> Result<CommandSigner> {
        let KeySource::Command(command) = &self.key else {
            return Err(Error::SignerCommand {
                reason: "no signer command".into(),
            });
        };
        CommandSigner::new(command, self.chain_der()?, &self.public_key)
            .map_err(|reason| Error::SignerCommand { reason })
    }

    /// The chain's certificates as DER, end entity first.
    pub fn chain_der(&self) -> Result<Vec<Vec<u8>>> {
        crate::keys::pem::all_ders(&self.chain_pem).map_err(|reason| Error::BadKey {
            path: PathBuf::from("(certificate chain)"),
            reason,
        })
    }

    /// Timestamp every claim signature at `tsa`. One probe request is made
    /// first: a TSA that does not answer with a valid token is an error
    /// before anything is signed — unless `optional`, when `Ok(None)` says
    /// why signing goes on without timestamps.
    pub fn with_tsa(&mut self, tsa: TsaClient, optional: bool) -> Result<Option<String>> {
        match tsa.request(b"credits: time-stamp authority probe") {
            Ok(_) => {
                self.tsa = Some((Arc::new(tsa), optional));
                Ok(None)
            }
            Err(reason) if optional => Ok(Some(reason)),
            Err(reason) => Err(Error::Tsa { reason }),
        }
    }

    /// The TSA set by [`Self::with_tsa`], if any.
    pub fn tsa(&self) -> Option<&Arc<TsaClient>> {
        self.tsa.as_ref().map(|(tsa, _)| tsa)
    }

    /// The signer of C2PA claims: [`Self::raw_signer`], with a timestamp
    /// from the TSA when one is set.
    pub fn claim_signer(&self) -> Result<Box<dyn RawSigner + Send + Sync>> {
        let raw = self.raw_signer()?;
        Ok(match &self.tsa {
            Some((tsa, optional)) => Box::new(Timestamped::new(raw, Arc::clone(tsa), *optional)),
            None => raw,
        })
    }

    /// The raw Ed25519 signer for this identity (the key file's, or the
    /// signer command's; no timestamp authority: no network): it signs, as
    /// the operator's X.509 credential, the CAWG identity assertion
    /// (`stamp::identity`), and through [`Self::claim_signer`] the claim.
    pub fn raw_signer(&self) -> Result<Box<dyn RawSigner + Send + Sync>> {
        let KeySource::Pem(key_pem) = &self.key else {
            return Ok(Box::new(self.command_signer()?));
        };
        raw_signature::signer_from_cert_chain_and_private_key(
            self.chain_pem.as_bytes(),
            key_pem.as_bytes(),
            c2pa::SigningAlg::Ed25519,
            None,
        )
        .map_err(|e| Error::BadKey {
            path: PathBuf::from("(signing key)"),
            reason: e.to_string(),
        })
    }
}
