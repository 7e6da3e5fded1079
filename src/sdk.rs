//! The one place that configures the `c2pa` SDK: settings for an offline,
//! studio-anchored reader and builder.
//!
//! Remote manifests and OCSP are never fetched (the crate is built without
//! its HTTP features as well). Trust anchors replace the SDK's defaults, so
//! only the studio's own bundle decides what is `trusted`.

use std::path::Path;
use std::sync::Arc;

use c2pa::{Builder, Context, Reader};
use serde_json::json;

use crate::error::{Error, Result};

/// A context for reading or signing, anchored on `trust_pem` when given.
pub fn context(trust_pem: Option<&str>) -> Result<Context> {
    let mut settings = json!({
        "verify": {
            "remote_manifest_fetch": false,
            "ocsp_fetch": false,
            "verify_after_reading": true,
        },
    });
    if let Some(pem) = trust_pem {
        settings["trust"] = json!({ "trust_anchors": pem });
    }
    Context::new()
        .with_settings(settings.to_string().as_str())
        .map_err(|e| Error::Settings(Box::new(e)))
}

/// A shared context, for reading many files with one configuration.
pub fn shared_context(trust_pem: Option<&str>) -> Result<Arc<Context>> {
    Ok(context(trust_pem)?.into_shared())
}

/// A builder whose ingredients are validated against `trust_pem`.
pub fn builder(trust_pem: Option<&str>) -> Result<Builder> {
    Ok(Builder::from_context(context(trust_pem)?))
}

/// Whether `path` carries an embedded C2PA manifest store (valid or not).
/// Parses only: no validation, no hashing.
pub fn has_embedded_manifest(path: &Path, mime: &str) -> bool {
    match std::fs::File::open(path) {
        Ok(file) => stream_has_embedded_manifest(file, mime),
        Err(_) => false,
    }
}

/// [`has_embedded_manifest`] for bytes already in hand.
pub fn stream_has_embedded_manifest(
    stream: impl std::io::Read + std::io::Seek + Send,
    mime: &str,
) -> bool {
    let file = stream;
    let settings =
        json!({"verify": {"verify_after_reading": false, "remote_manifest_fetch": false}});
    let Ok(ctx) = Context::new().with_settings(settings.to_string().as_str()) else {
        return false;
    };
    !matches!(
        Reader::from_context(ctx).with_stream(mime, file),
        Err(c2pa::Error::JumbfNotFound | c2pa::Error::UnsupportedType)
    )
}

/// Whether the asset at `path` carries a manifest whose actions declare AI
/// generation (IPTC trainedAlgorithmicMedia or a composite with it).
pub fn declares_ai_generation(path: &Path, trust_pem: Option<&str>) -> bool {
    let Ok(ctx) = context(trust_pem) else {
        return false;
    };
    let Ok(reader) = Reader::from_context(ctx).with_file(path) else {
        return false;
    };
    let Some(manifest) = reader.active_manifest() else {
        return false;
    };
    manifest.assertions().iter().any(|a| {
        a.label().starts_with("c2pa.actions")
            && a.value()
                .map(|v| {
                    v.to_string().contains("TrainedAlgorithmicMedia")
                        || v.to_string().contains("trainedAlgorithmicMedia")
                })
                .unwrap_or(false)
    })
}
