//! What an X.509 certificate says about its holder, read with
//! `x509-parser`: name, organisation, email addresses (subject and SAN),
//! issuer and serial (the certificate's identity for contribution shares),
//! and a SHA-256 fingerprint (how people tell two CAs with one name apart).

use sha2::{Digest, Sha256};

/// The certificate policy that makes a studio certificate a certifier's:
/// its holder may sign rights certificates (`credits certify`). An OID
/// under `2.25` (ITU-T X.667: derived from UUID
/// 5f3882a7-acf6-4f17-a645-2fb7dd2521ba, needing no registration), carried
/// in a certificatePolicies extension that only the studio CA can sign.
pub const CERTIFIER_POLICY: &str = "2.25.126570078221525763816463715630932369850";
/// [`CERTIFIER_POLICY`] as DER (tag 06, length 20, content).
pub(crate) const CERTIFIER_POLICY_DER: [u8; 22] = [
    0x06, 0x14, 0x69, 0x81, 0xbe, 0xb8, 0xc1, 0xa9, 0xf5, 0xcf, 0xb2, 0xbc, 0xaf, 0xa6, 0xa2, 0xcb,
    0xf6, 0xfd, 0xe9, 0x94, 0xc3, 0x3a,
];

/// Whether an OID's content bytes (after tag and length) are
/// [`CERTIFIER_POLICY`]'s (compared as bytes: its 128-bit arc is beyond
/// what the parser prints as text).
pub fn is_certifier_policy(oid: &[u8]) -> bool {
    oid == &CERTIFIER_POLICY_DER[2..]
}

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
    /// Issued as a certifier's (the certifier policy,
    /// [`CERTIFIER_POLICY`]): may sign rights certificates.
    pub certifier: bool,
    /// Validity, Unix seconds.
    #[serde(skip)]
    pub not_before: i64,
    #[serde(skip)]
    pub not_after: i64,
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
    let out = super::pem::all_ders(pem_text)?
        .iter()
        .map(|der| facts(der))
        .collect::<Result<Vec<_>, _>>()?;
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
        certifier: cert.iter_extensions().any(|e| match e.parsed_extension() {
            x509_parser::extensions::ParsedExtension::CertificatePolicies(p) => p
                .iter()
                .any(|i| is_certifier_policy(i.policy_id.as_bytes())),
            _ => false,
        }),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
    };
    Ok(facts)
}
