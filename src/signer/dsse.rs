//! The Dead Simple Signing Envelope (DSSE 1.1, the envelope in-toto and
//! Sigstore use): a base64 payload, its type, and signatures over the
//! pre-authentication encoding `DSSEv1 len(type) type len(body) body`.
//! The signer's X.509 chain rides in a signature extension (DSSE 1.1
//! "signature extensions"; readers ignore fields they do not know).

use base64::Engine;
use serde::{Deserialize, Serialize};

/// The in-toto Statement's media type.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// Our extension's kind: the signer's chain, end entity first, DER in
/// base64, and optionally a timestamp over the signature.
pub const CHAIN_KIND: &str = "application/vnd.credits.x509-chain+json;version=1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// First, so a reader sniffing the file's head sees it.
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    pub payload: String,
    pub signatures: Vec<Signature>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// SHA-256 of the signer's certificate (a hint, never trusted).
    #[serde(default)]
    pub keyid: String,
    pub sig: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Extension>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub kind: String,
    pub ext: ChainExt,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainExt {
    pub certificates: Vec<String>,
    /// An RFC 3161 `TimeStampResp` (base64) over the signature's bytes
    /// (`certify --tsa URL`): when it was signed, as a TSA says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

/// DSSE's pre-authentication encoding: what is signed.
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Standard or URL-safe base64, as DSSE allows.
pub fn unb64(text: &str) -> Result<Vec<u8>, String> {
    let e = &base64::engine::general_purpose::STANDARD;
    e.decode(text)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(text))
        .map_err(|err| format!("not base64: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_specification_example() {
        // DSSE protocol.md: PAE("http://example.com/HelloWorld", "hello world").
        let got = pae("http://example.com/HelloWorld", b"hello world");
        assert_eq!(
            got,
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }
}
