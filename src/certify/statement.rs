//! The in-toto Statement v1 a rights certificate signs: subjects (every
//! audited file and the timeline, by SHA-256) and our predicate (the
//! schema-versioned audit report, what it was judged against, by whom and
//! when).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// The predicate's type: this document's schema.
pub const PREDICATE_TYPE: &str = "https://credits.film/attestation/rights-certificate/v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    #[serde(rename = "_type")]
    pub statement_type: String,
    pub subject: Vec<Subject>,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    pub predicate: Predicate,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Subject {
    /// The path as the audit was given it.
    pub name: String,
    pub digest: BTreeMap<String, String>,
}

impl Subject {
    pub fn sha256(&self) -> Option<&str> {
        self.digest.get("sha256").map(String::as_str)
    }
}

/// A file an audit was judged against, by content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digested {
    pub path: String,
    pub sha256: String,
}

/// Who certified, from the certificate that signs the envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certifier {
    pub name: String,
    pub email: Option<String>,
    pub organization: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Predicate {
    /// `accepted` or `rejected` (only with `certify --allow-rejected`).
    pub verdict: String,
    /// Why the policy rejects it, when it does.
    pub reasons: Vec<String>,
    /// RFC 3339, UTC.
    pub certified_at: String,
    pub credits_version: String,
    pub certifier: Certifier,
    pub policy: Option<Digested>,
    pub trust_bundle: Option<Digested>,
    pub timeline: Option<Digested>,
    /// The audited roots, named like the subjects: `verify --check DIR`
    /// walks them under DIR for files the certificate does not cover.
    #[serde(default)]
    pub roots: Vec<String>,
    /// `schema_version` of the report below.
    pub report_schema_version: u32,
    /// The audit report as `credits audit --json` writes it.
    pub report: serde_json::Value,
}
