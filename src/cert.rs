//! What an X.509 certificate says about its holder, read with
//! `x509-parser`: name, organisation, email addresses (subject and SAN),
//! issuer and serial (the certificate's identity for contribution shares),
//! and a SHA-256 fingerprint (how people tell two CAs with one name apart).

use sha2::{Digest, Sha256};

/// Facts of one certificate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CertFacts {
    pub common_name: Option<String>,
    pub org: Option<String>,
    /// Every email address: the subject's emailAddress and SAN rfc822Names.
    pub emails: Vec<String>,
    pub issuer: String,
    /// Serial number, lowercase hex.
    pub serial: String,
    /// SHA-256 of the DER encoding, lowercase hex.
    pub sha256: String,
    #[serde(skip)]
    pub public_key: Vec<u8>,
    pub expired: bool,
}

impl CertFacts {
    /// The certificate's identity: issuer and serial, unique per CA.
    pub fn identity(&self) -> String {
        format!("{} #{}", self.issuer, self.serial)
    }

    /// The fingerprint shortened for people: `ab12:cd34:ef56:7890`.
    pub fn short_fingerprint(&self) -> String {
        let hex = &self.sha256[..self.sha256.len().min(16)];
        hex.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(":")
    }

    /// The preferred email: the SAN's when there is one.
    pub fn email(&self) -> Option<&str> {
        self.emails.last().map(String::as_str)
    }
}

/// Every certificate of a PEM chain, in order (end entity first).
pub fn chain(pem_text: &str) -> Result<Vec<CertFacts>, String> {
    let mut out = Vec::new();
    for pem in x509_parser::pem::Pem::iter_from_buffer(pem_text.as_bytes()) {
        let pem = pem.map_err(|e| e.to_string())?;
        out.push(facts(&pem.contents)?);
    }
    if out.is_empty() {
        return Err("no PEM block".into());
    }
    Ok(out)
}

/// Facts of one DER certificate.
pub fn facts(der: &[u8]) -> Result<CertFacts, String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).map_err(|e| e.to_string())?;
    let subject = cert.subject();
    let first = |it: &mut dyn Iterator<Item = &x509_parser::x509::AttributeTypeAndValue>| {
        it.next().and_then(|a| a.as_str().ok()).map(str::to_string)
    };
    let mut emails: Vec<String> = subject
        .iter_email()
        .filter_map(|a| a.as_str().ok().map(str::to_string))
        .collect();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for gn in &san.value.general_names {
            if let x509_parser::extensions::GeneralName::RFC822Name(e) = gn {
                emails.push(e.to_string());
            }
        }
    }
    let common_name = first(&mut subject.iter_common_name());
    let org = first(&mut subject.iter_organization());
    let facts = CertFacts {
        common_name,
        org,
        emails,
        issuer: cert.issuer().to_string(),
        serial: cert.raw_serial_as_string().replace(':', "").to_lowercase(),
        sha256: hex::encode(Sha256::digest(der)),
        public_key: cert.public_key().subject_public_key.data.to_vec(),
        expired: !cert.validity().is_valid(),
    };
    Ok(facts)
}
