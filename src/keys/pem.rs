//! The one PEM reader: the DER contents of a PEM text's blocks, by label,
//! and those blocks written back as PEM.

use base64::Engine;

/// The DER contents of the PEM blocks labelled `label` (`CERTIFICATE`,
/// `X509 CRL`) in `pem`, in order; anything malformed is passed over.
pub fn ders(pem: &str, label: &str) -> Vec<Vec<u8>> {
    x509_parser::pem::Pem::iter_from_buffer(pem.as_bytes())
        .filter_map(Result::ok)
        .filter(|p| p.label == label)
        .map(|p| p.contents)
        .collect()
}

/// The DER contents of every PEM block in `pem`, in order; the first
/// malformed one is an error.
pub fn all_ders(pem: &str) -> Result<Vec<Vec<u8>>, String> {
    x509_parser::pem::Pem::iter_from_buffer(pem.as_bytes())
        .map(|p| p.map(|p| p.contents).map_err(|e| e.to_string()))
        .collect()
}

/// `der` as one PEM block labelled `label` (base64 in 64-column lines).
pub fn encode(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_round_trip_by_label() {
        let text = [encode("CERTIFICATE", b"one"), encode("X509 CRL", b"two")].concat();
        assert_eq!(ders(&text, "CERTIFICATE"), vec![b"one".to_vec()]);
        assert_eq!(ders(&text, "X509 CRL"), vec![b"two".to_vec()]);
        assert_eq!(all_ders(&text).unwrap().len(), 2);
    }
}
