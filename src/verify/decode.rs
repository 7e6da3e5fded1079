//! Decoding what a manifest asserts, as our own types: its actions, our
//! generation record, our soft binding. Decoding is not validating: the
//! callers say whether the manifest held.

use std::path::Path;

use crate::c2pa_settings;
use crate::media::fingerprint::{self, Fingerprint};
use crate::media::iscc;
use crate::record::disclosure::{self, AiDisclosure};
use crate::record::training::{self, TrainingMining};
use crate::record::{self, GenerationRecord};

use super::verdict::{Action, SoftBinding};

/// The actions of a manifest's `c2pa.actions` assertions, in order.
pub fn decode_actions(manifest: &c2pa::Manifest) -> Vec<Action> {
    let mut out = Vec::new();
    for assertion in manifest.assertions() {
        if !assertion.label().starts_with("c2pa.actions") {
            continue;
        }
        let Ok(value) = assertion.value() else {
            continue;
        };
        let Some(actions) = value.get("actions").and_then(|a| a.as_array()) else {
            continue;
        };
        for a in actions {
            let text =
                |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
            let agent = a.get("softwareAgent");
            out.push(Action {
                action: text(a.get("action")).unwrap_or_default(),
                digital_source_type: text(a.get("digitalSourceType")),
                software_agent: text(agent.and_then(|g| g.get("name"))).or_else(|| text(agent)),
            });
        }
    }
    out
}

/// Our fingerprint, with the ISCC code beside it when the manifest carries
/// one (each is its own `c2pa.soft-binding` assertion).
pub(super) fn decode_soft_binding(manifest: &c2pa::Manifest) -> Option<SoftBinding> {
    let bindings: Vec<&serde_json::Value> = manifest
        .assertions()
        .iter()
        .filter(|a| a.label().starts_with(fingerprint::LABEL))
        .filter_map(|a| a.value().ok())
        .collect();
    let iscc = bindings.iter().find_map(|b| iscc::from_soft_binding(b));
    let ours = bindings
        .iter()
        .find_map(|b| Fingerprint::from_soft_binding(b));
    // A sound carries the ISCC code alone.
    let alg = if ours.is_some() {
        fingerprint::ALG
    } else {
        iscc::ALG
    };
    let mut fp = ours.or_else(|| {
        iscc.as_ref().map(|_| Fingerprint {
            samples: Vec::new(),
            iscc: None,
        })
    })?;
    fp.iscc = iscc.clone();
    Some(SoftBinding {
        alg: alg.to_string(),
        samples: fp.samples.len(),
        iscc,
        fingerprint: fp,
    })
}

/// Our generation record, when the manifest carries one. A record that is
/// there but does not decode (an unknown role, a missing field, a second
/// instance) is an error with the reason, never dropped as if absent.
pub(super) fn decode_record(manifest: &c2pa::Manifest) -> Result<Option<GenerationRecord>, String> {
    let present = manifest
        .assertions()
        .iter()
        .any(|a| a.label().starts_with(record::LABEL));
    if !present {
        return Ok(None);
    }
    manifest
        .find_assertion::<GenerationRecord>(record::LABEL)
        .map(Some)
        .map_err(|e| format!("the {} record does not decode: {e}", record::LABEL))
}

/// Whether the asset at `path` (or its sidecar) claims AI generation in its
/// actions' IPTC source type. A claim only: it is not validated here.
pub fn declares_ai_generation(path: &Path) -> bool {
    let Some(reader) = c2pa_settings::parse_only_reader(path) else {
        return false;
    };
    reader
        .active_manifest()
        .is_some_and(|m| decode_actions(m).iter().any(|a| a.declares_ai()))
}

/// The manifest's CAWG training-and-mining declaration, if it makes one.
pub fn decode_training_mining(manifest: &c2pa::Manifest) -> Option<TrainingMining> {
    manifest
        .assertions()
        .iter()
        .find(|a| a.label() == training::LABEL)
        .and_then(|a| a.value().ok())
        .and_then(TrainingMining::from_assertion)
}

/// The manifest's `c2pa.ai-disclosure` assertion, if it makes one.
pub fn decode_ai_disclosure(manifest: &c2pa::Manifest) -> Option<AiDisclosure> {
    manifest
        .assertions()
        .iter()
        .find(|a| a.label() == disclosure::LABEL)
        .and_then(|a| a.value().ok())
        .map(disclosure::from_assertion)
}
