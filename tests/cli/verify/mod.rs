//! Verification: verdicts, conformance, files made by others, tampering, timestamps, revocation, reports, escaping.

mod conformance;
mod corpus;
mod escaping;
mod later;
mod reports;
mod revocation;
mod tamper;
mod timestamps;
mod verdicts;
