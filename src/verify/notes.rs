//! Informational codes the SDK we build on (c2pa 0.90.22) does not issue
//! but newer readers do, so that `credits verify` says what it did not
//! check or what a conformance checker would remark on. They never change
//! a verdict.

use c2pa::{Manifest, Reader};

use crate::media::bmff::C2PA_UUID;

/// The signer's revocation status was not asked (OCSP is never fetched:
/// verification is offline) and no stapled response answered it.
pub const OCSP_SKIPPED: &str = "signingCredential.ocsp.skipped";
/// The BMFF hash excludes boxes beyond what C2PA 2.2 requires.
pub const BMFF_ADDITIONAL: &str = "assertion.bmffHash.additionalExclusionsPresent";

/// Informational codes for the active manifest that the SDK's results for
/// it (of any kind) do not already carry.
pub fn informational(reader: &Reader) -> Vec<String> {
    let Some(manifest) = reader.active_manifest() else {
        return Vec::new();
    };
    let active = reader
        .validation_results()
        .and_then(|r| r.active_manifest());
    let sdk_codes: Vec<&str> = active
        .map(|a| {
            a.success()
                .iter()
                .chain(a.informational())
                .chain(a.failure())
                .map(|s| s.code())
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    if !sdk_codes
        .iter()
        .any(|c| c.starts_with("signingCredential.ocsp."))
    {
        out.push(OCSP_SKIPPED.to_string());
    }
    if !sdk_codes.contains(&BMFF_ADDITIONAL) && additional_exclusions(manifest) {
        out.push(BMFF_ADDITIONAL.to_string());
    }
    out
}

/// Whether the manifest's BMFF hash excludes anything but the C2PA `uuid`
/// box (matched by its identifier at offset 8), `ftyp` and `mfra`.
fn additional_exclusions(manifest: &Manifest) -> bool {
    let Some(value) = manifest
        .assertions()
        .iter()
        .find(|a| a.label().starts_with("c2pa.hash.bmff"))
        .and_then(|a| a.value().ok())
    else {
        return false;
    };
    let Some(exclusions) = value.get("exclusions").and_then(|e| e.as_array()) else {
        return false;
    };
    exclusions.iter().any(|e| !required(e))
}

fn required(exclusion: &serde_json::Value) -> bool {
    let only_xpath = |e: &serde_json::Value| e.as_object().is_some_and(|o| o.len() == 1);
    match exclusion.get("xpath").and_then(|x| x.as_str()) {
        Some("/ftyp" | "/mfra") => only_xpath(exclusion),
        Some("/uuid") => {
            let data = exclusion.get("data").and_then(|d| d.as_array());
            let is_c2pa = |d: &serde_json::Value| {
                d.get("offset").and_then(|o| o.as_u64()) == Some(8)
                    && d.get("value").and_then(|v| v.as_array()).is_some_and(|v| {
                        v.iter()
                            .map(|b| b.as_u64())
                            .eq(C2PA_UUID.iter().map(|&b| Some(u64::from(b))))
                    })
            };
            exclusion.as_object().is_some_and(|o| o.len() == 2)
                && data.is_some_and(|d| d.len() == 1 && is_c2pa(&d[0]))
        }
        _ => false,
    }
}

/// Ours: a signed asset that still carries its generator's plaintext
/// metadata (ComfyUI's prompt graph, A1111's parameters…) — its prompt is
/// public to anyone with the file, whatever the manifest commits to.
pub const GENERATOR_METADATA: &str = "credits.privacy.generator_metadata";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_c2pa_uuid_ftyp_and_mfra_are_required() {
        let uuid: Vec<u8> = C2PA_UUID.to_vec();
        assert!(required(
            &json!({"xpath": "/uuid", "data": [{"offset": 8, "value": uuid}]})
        ));
        assert!(required(&json!({"xpath": "/ftyp"})));
        assert!(required(&json!({"xpath": "/mfra"})));
        assert!(!required(&json!({"xpath": "/free"})));
        assert!(!required(&json!({"xpath": "/skip"})));
        assert!(!required(&json!({"xpath": "/uuid"})));
        assert!(!required(
            &json!({"xpath": "/uuid", "data": [{"offset": 8, "value": [0, 1]}]})
        ));
        assert!(!required(&json!({"xpath": "/ftyp", "length": 4})));
    }
}
