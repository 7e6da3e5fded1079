//! Ingredients re-judged: the SDK's top-level `validation_state` stays
//! `Trusted` when an ingredient was tampered or untrusted (`docs/design.md`; corpus
//! `CIE-sig-CA.jpg`), so the verdict walks ingredient results itself — an
//! asset with a failing ingredient is `invalid`, one with an untrusted
//! ingredient at most `valid`.

use std::collections::{HashMap, HashSet};

use c2pa::status_tracker::LogKind;
use c2pa::validation_results::{validation_codes, ValidationState};
use c2pa::Reader;

use super::decode::{decode_actions, decode_record};
use super::identity;
use super::revocation;
use super::timestamp;
use super::trust::Verifier;
use super::update;
use super::verdict::{
    trust_only, Codes, IngredientVerdict, State, Timestamp, RECORD_MALFORMED, UNTRUSTED,
};

/// The asset's state from the SDK's state, our own codes and the ingredients.
pub(super) fn combine(
    sdk: ValidationState,
    codes: &Codes,
    ingredients: &[IngredientVerdict],
) -> State {
    let mut state = match sdk {
        ValidationState::Trusted => State::Trusted,
        ValidationState::Valid => State::Valid,
        ValidationState::Invalid => State::Invalid,
    };
    if codes.failure.iter().any(|c| !trust_only(c)) {
        state = State::Invalid;
    } else if !codes.failure.is_empty() && state == State::Trusted {
        // A failure of ours that withholds trust (a stale CRL).
        state = State::Valid;
    }
    for ing in ingredients {
        state = worse(state, ing.state);
    }
    state
}

pub(super) fn active_codes(reader: &Reader) -> Codes {
    let mut codes = Codes::default();
    if let Some(results) = reader.validation_results() {
        if let Some(active) = results.active_manifest() {
            codes = codes_of(active);
        }
    } else if let Some(statuses) = reader.validation_status() {
        codes.failure = statuses
            .iter()
            .filter(|s| validation_codes::log_kind(s.code()) == LogKind::Failure)
            .map(|s| s.code().to_string())
            .collect();
    }
    codes
}

/// The failure and informational codes of one set of results.
fn codes_of(s: &c2pa::validation_results::StatusCodes) -> Codes {
    let names = |v: &[c2pa::validation_status::ValidationStatus]| {
        v.iter()
            .map(|c| identity::remap(c.code(), c.url().unwrap_or_default()))
            .collect()
    };
    Codes {
        failure: names(s.failure()),
        informational: names(s.informational()),
    }
}

/// Current validation deltas, keyed by ingredient assertion URI.
fn ingredient_deltas(reader: &Reader) -> HashMap<String, Codes> {
    let mut map = HashMap::new();
    let Some(deltas) = reader
        .validation_results()
        .and_then(|r| r.ingredient_deltas())
    else {
        return map;
    };
    for d in deltas {
        map.insert(
            d.ingredient_assertion_uri().to_string(),
            codes_of(d.validation_deltas()),
        );
    }
    map
}

/// How deep ingredient chains are followed; deeper links are reported,
/// not walked (also by the audit's graph).
pub const MAX_CHAIN_DEPTH: usize = 32;

/// Walks a manifest's ingredients, and theirs, once each.
pub(super) struct IngredientWalk<'a> {
    reader: &'a Reader,
    deltas: HashMap<String, Codes>,
    visiting: HashSet<String>,
    /// The store and the verifier, to judge each ingredient's signature at
    /// its own time ([`Self::at_their_time`]).
    time: Option<(&'a [u8], &'a Verifier)>,
}

impl<'a> IngredientWalk<'a> {
    pub fn new(reader: &'a Reader) -> IngredientWalk<'a> {
        IngredientWalk {
            reader,
            deltas: ingredient_deltas(reader),
            visiting: HashSet::new(),
            time: None,
        }
    }

    /// Judge each ingredient's signature as the asset's own is: its
    /// timestamp against the TSA roots (the SDK judged it against the
    /// signer roots), its certificate's expiry at that time, its signer
    /// against the studio's CRL.
    pub fn at_their_time(mut self, store: Option<&'a [u8]>, verifier: &'a Verifier) -> Self {
        self.time = store.map(|s| (s, verifier));
        self
    }

    /// The verdicts of the ingredients of the manifest `manifest_label`.
    pub fn ingredients_of(&mut self, manifest_label: &str, depth: usize) -> Vec<IngredientVerdict> {
        let Some(manifest) = self.reader.get_manifest(manifest_label) else {
            return Vec::new();
        };
        if depth >= MAX_CHAIN_DEPTH || !self.visiting.insert(manifest_label.to_string()) {
            return Vec::new();
        }
        let out = manifest
            .ingredients()
            .iter()
            .map(|ing| self.verdict(manifest_label, ing, depth))
            .collect();
        self.visiting.remove(manifest_label);
        out
    }

    fn verdict(
        &mut self,
        parent_label: &str,
        ing: &c2pa::Ingredient,
        depth: usize,
    ) -> IngredientVerdict {
        let mut codes = self.effective_codes(parent_label, ing);
        let manifest_label = ing.active_manifest().map(str::to_string);
        let manifest = manifest_label
            .as_deref()
            .and_then(|l| self.reader.get_manifest(l));
        if let (Some((store, verifier)), Some(label), Some(m)) =
            (self.time, manifest_label.as_deref(), manifest)
        {
            // Its own timestamp, or one its parent update added later.
            let stamp = timestamp::of_manifest(store, label, verifier.tsa_roots()).or_else(|| {
                update::of(self.reader, parent_label, Some(store))
                    .filter(|later| later.subject_label == label)
                    .map(|later| later.timestamp(verifier, Vec::new()))
            });
            settle_time(&mut codes, stamp, m, verifier);
        }
        let record = match manifest.map(decode_record) {
            Some(Err(_)) => {
                codes.failure.push(RECORD_MALFORMED.into());
                None
            }
            Some(Ok(record)) => record,
            None => None,
        };
        let declares_ai =
            manifest.is_some_and(|m| decode_actions(m).iter().any(|a| a.declares_ai()));
        let nested = match &manifest_label {
            Some(l) => self.ingredients_of(l, depth + 1),
            None => Vec::new(),
        };
        let state = if manifest_label.is_none() {
            State::Unsigned
        } else {
            combine_codes(&codes, &nested)
        };
        IngredientVerdict {
            title: ing.title().map(str::to_string),
            relationship: serde_json::to_value(ing.relationship())
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            format: ing.format().map(str::to_string),
            state,
            manifest_label,
            codes,
            record,
            declares_ai,
            ingredients: nested,
        }
    }

    /// What was recorded when the ingredient was added, with the current
    /// validation deltas. Trust verdicts are the stamper's opinion and are
    /// re-judged; integrity failures stand.
    pub fn effective_codes(&self, parent_label: &str, ing: &c2pa::Ingredient) -> Codes {
        let recorded = recorded_codes(ing);
        let current = ing
            .label()
            .map(|l| format!("self#jumbf=/c2pa/{parent_label}/c2pa.assertions/{l}"))
            .and_then(|uri| self.deltas.get(&uri));
        let mut codes = Codes::default();
        codes
            .failure
            .extend(recorded.failure.iter().filter(|c| !trust_only(c)).cloned());
        codes
            .informational
            .extend(recorded.informational.iter().cloned());
        let untrusted = match current {
            Some(now) => {
                codes.failure.extend(now.failure.iter().cloned());
                codes
                    .informational
                    .extend(now.informational.iter().cloned());
                now.failure.iter().any(|c| c == UNTRUSTED)
            }
            None => recorded.failure.iter().any(|c| c == UNTRUSTED),
        };
        if untrusted && !codes.failure.iter().any(|c| c == UNTRUSTED) {
            codes.failure.push(UNTRUSTED.into());
        }
        sort_dedup(&mut codes);
        codes
    }
}

/// An ingredient manifest's signature judged at its time (see
/// [`IngredientWalk::at_their_time`]): `codes` settled.
fn settle_time(
    codes: &mut Codes,
    stamp: Option<Timestamp>,
    manifest: &c2pa::Manifest,
    verifier: &Verifier,
) {
    let chain = manifest
        .signature_info()
        .map(|info| crate::keys::pem::ders(info.cert_chain(), "CERTIFICATE"))
        .unwrap_or_default();
    timestamp::restate_trust(codes, stamp.as_ref());
    timestamp::settle_expiry(codes, stamp.as_ref(), &chain, verifier.signer_roots());
    revocation::settle(
        codes,
        stamp.as_ref(),
        &chain,
        verifier.crls(),
        verifier.stale_crls_allowed(),
    );
}

/// An ingredient's state from its effective codes and its own ingredients.
pub(super) fn combine_codes(codes: &Codes, nested: &[IngredientVerdict]) -> State {
    let mut state = if codes.failure.iter().any(|c| !trust_only(c)) {
        State::Invalid
    } else if codes.failure.is_empty() {
        State::Trusted
    } else {
        State::Valid
    };
    for n in nested {
        state = worse(state, n.state);
    }
    state
}

/// The validation recorded in the ingredient assertion when it was added.
fn recorded_codes(ing: &c2pa::Ingredient) -> Codes {
    let mut codes = Codes::default();
    let statuses: Vec<&c2pa::validation_status::ValidationStatus> =
        match ing.validation_results().and_then(|r| r.active_manifest()) {
            Some(r) => r
                .failure()
                .iter()
                .chain(r.informational())
                .chain(r.success())
                .collect(),
            None => ing.validation_status().unwrap_or_default().iter().collect(),
        };
    for s in statuses {
        // Classify by code: kinds are not kept when statuses are deserialized.
        match validation_codes::log_kind(s.code()) {
            LogKind::Failure => codes.failure.push(s.code().to_string()),
            LogKind::Informational => codes.informational.push(s.code().to_string()),
            _ => {}
        }
    }
    codes
}

pub(super) fn collect_failures(ingredients: &[IngredientVerdict], out: &mut Vec<String>) {
    for ing in ingredients {
        let title = ing.title.as_deref().unwrap_or("(untitled)");
        out.extend(ing.codes.failure.iter().map(|c| format!("{title}: {c}")));
        collect_failures(&ing.ingredients, out);
    }
}

fn sort_dedup(codes: &mut Codes) {
    codes.failure.sort();
    codes.failure.dedup();
    codes.informational.sort();
    codes.informational.dedup();
}

/// The worse of an asset's state and one of its ingredients' states.
fn worse(state: State, ingredient: State) -> State {
    match ingredient {
        State::Invalid | State::Error | State::Remote => State::Invalid,
        State::Valid if state == State::Trusted => State::Valid,
        _ => state,
    }
}
