//! The one place that configures the `c2pa` SDK: settings for an offline,
//! studio-anchored reader and builder.
//!
//! Remote manifests and OCSP are never fetched (the crate is built without
//! its HTTP features as well). Trust anchors replace the SDK's defaults, so
//! only the studio's own bundle decides what is `trusted`.

use std::path::Path;
use std::sync::Arc;

pub use c2pa::Context;
use c2pa::Reader;
use serde_json::json;

use crate::error::{Error, Result};

/// Base labels of the assertions `credits` authors itself, which a claim
/// lists among its *created* assertions (C2PA 2.2, "Created and gathered
/// assertions"): the hard binding (always, by the SDK), the actions — whose
/// inception action must sit in the first created actions assertion — the
/// ingredients, our record, the soft bindings, the AI disclosure and the
/// training-and-mining declaration. The operator's `cawg.identity` is the named actor's own
/// signature, gathered, as the SDK adds it.
pub const CREATED: [&str; 6] = [
    "c2pa.actions",
    crate::record::disclosure::LABEL,
    "c2pa.ingredient",
    crate::record::LABEL,
    "c2pa.soft-binding",
    "cawg.training-mining",
];

/// A context for reading or signing, anchored on `trust_pem` when given.
pub fn context(trust_pem: Option<&str>) -> Result<Context> {
    let mut settings = json!({
        "builder": { "created_assertion_labels": CREATED },
        // CAWG identity credentials are judged against the same anchors as
        // claim signers; without anchors a valid identity is well-formed,
        // never trusted.
        "cawg_trust": { "verify_trust_list": trust_pem.is_some() },
        // The SDK keeps a whole intermediate copy of the asset in memory
        // below this size (default 512 MiB); above it, a temporary file.
        "core": { "backing_store_memory_threshold_in_mb": 64 },
        "verify": {
            "remote_manifest_fetch": false,
            "ocsp_fetch": false,
            "verify_after_reading": true,
        },
    });
    if let Some(pem) = trust_pem {
        // The bundle's certificates: its CRL is read by `verify::Verifier`.
        let pem = crate::keys::bundle::certificates_only(pem);
        settings["trust"] = json!({ "trust_anchors": pem });
        settings["cawg_trust"]["trust_anchors"] = json!(pem);
    }
    Context::new()
        .with_settings(settings.to_string().as_str())
        .map_err(|e| Error::Settings(Box::new(e)))
}

/// A shared context, for reading many files with one configuration.
pub fn shared_context(trust_pem: Option<&str>) -> Result<Arc<Context>> {
    Ok(context(trust_pem)?.into_shared())
}

/// A shared context holding `signer`, whose builders validate ingredients
/// against `trust_pem`: built once per run, for the SDK's caller-owned I/O
/// workflow (`placeholder` / `sign_embeddable`) and for `Builder::sign`.
pub fn signing_context(
    trust_pem: Option<&str>,
    signer: Box<dyn c2pa::Signer + Send + Sync>,
) -> Result<Arc<Context>> {
    Ok(context(trust_pem)?.with_signer(signer).into_shared())
}

/// A context that parses manifests without validating them (no hashing):
/// for questions about what a file claims, not whether the claim holds.
fn parse_only_context() -> Option<Context> {
    let settings =
        json!({"verify": {"verify_after_reading": false, "remote_manifest_fetch": false}});
    Context::new()
        .with_settings(settings.to_string().as_str())
        .ok()
}

/// The manifest store of `path` (or its sidecar), parsed, not validated.
pub fn parse_only_reader(path: &Path) -> Option<Reader> {
    Reader::from_context(parse_only_context()?)
        .with_file(path)
        .ok()
}
