//! Ingest policy as code: a TOML file used by `verify --policy` and
//! `audit --policy`. A rejection lists every reason; a policy file that does
//! not parse is an error naming the line at fault.
//!
//! ```toml
//! require_trusted = true
//! require_operator = true
//! require_prompt_commitment = false
//! require_timestamp = false
//! allowed_tools = ["Runway", "Kling", "ffmpeg"]
//! allowed_models = ["wan2.1_*", "sd_xl_*"]
//! denied_models = ["*nc*"]
//! commercial = true
//! max_autonomous_share = 0.25
//! max_autonomous_seconds_share = 0.25
//! require_training_mining_declared = true
//! # audit --journal: a journal-stamped asset's journal must prove,
//! # sealed by its signer (unsigned or unproven journals reject the film)
//! require_signed_journal = true
//! # audit --timeline only: judged on the cut's screen time
//! max_unsigned_seconds = 2.0
//! max_autonomous_runtime_share = 0.25
//! min_human_control_level = 1
//! [role_weights]
//! prompt_design = 40
//! control = 30
//! audio = 30
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::record::GenerationRecord;
use crate::record::Role;
use crate::verify::{IngredientVerdict, State, Verdict};

/// What a studio accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Every asset must verify `trusted` (not merely `valid`).
    pub require_trusted: bool,
    /// Every signed asset must name its operator.
    pub require_operator: bool,
    /// Every AI-generated asset must carry a prompt commitment.
    pub require_prompt_commitment: bool,
    /// Every signature must carry a trusted timestamp (survives certificate expiry).
    pub require_timestamp: bool,
    /// Tools allowed in the film; `None` allows any.
    pub allowed_tools: Option<Vec<String>>,
    /// Model files allowed (glob patterns, case-insensitive): every model a
    /// record names — its main one and each in `parameters.models` — must
    /// match one; `None` allows any.
    pub allowed_models: Option<Vec<String>>,
    /// Model files refused (glob patterns): any model a record names that
    /// matches one rejects the asset.
    pub denied_models: Vec<String>,
    /// The film is commercial: tools whose licence forbids it are rejected.
    pub commercial: bool,
    /// Largest share of assets (0–1) with no recorded human control.
    pub max_autonomous_share: Option<f64>,
    /// Largest share of AI-generated footage seconds (0–1) with no recorded
    /// human control.
    pub max_autonomous_seconds_share: Option<f64>,
    /// Weights per role for contribution shares; empty means equal weights.
    pub role_weights: BTreeMap<Role, f64>,
    /// Every signed asset must say whether it may train models (the CAWG
    /// training-and-mining assertion, `stamp --training-mining`).
    pub require_training_mining_declared: bool,
    /// Every asset stamped from a creative journal must be proven by a
    /// journal given to the audit (`--journal`), its attempts sealed by
    /// the asset's signer: an unsigned, unproven or missing journal
    /// rejects the film instead of only losing its selection credit.
    pub require_signed_journal: bool,
    /// `audit --timeline`: most seconds of unsigned shots in the cut
    /// (unset: any unsigned shot rejects it).
    pub max_unsigned_seconds: Option<f64>,
    /// `audit --timeline`: largest share (0–1) of the video or audio
    /// runtime that is AI-generated with no recorded human control.
    pub max_autonomous_runtime_share: Option<f64>,
    /// `audit --timeline`: the least human-control level (0–3) of each
    /// AI-generated shot.
    pub min_human_control_level: Option<u8>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            require_trusted: true,
            require_operator: false,
            require_prompt_commitment: false,
            require_timestamp: false,
            allowed_tools: None,
            allowed_models: None,
            denied_models: Vec::new(),
            commercial: false,
            max_autonomous_share: None,
            max_autonomous_seconds_share: None,
            role_weights: BTreeMap::new(),
            require_training_mining_declared: false,
            require_signed_journal: false,
            max_unsigned_seconds: None,
            max_autonomous_runtime_share: None,
            min_human_control_level: None,
        }
    }
}

impl Policy {
    /// Read and check a policy file.
    pub fn load(path: &Path) -> Result<Policy> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Policy::parse(&text).map_err(|reason| Error::BadPolicy {
            path: path.to_path_buf(),
            reason,
        })
    }

    /// Parse policy text; the error names the line at fault.
    pub fn parse(text: &str) -> std::result::Result<Policy, String> {
        let policy: Policy = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let msg = e.message().trim().to_string();
            match line {
                Some(l) => format!("line {l}: {msg}"),
                None => msg,
            }
        })?;
        for (key, limit) in [
            ("max_autonomous_share", policy.max_autonomous_share),
            (
                "max_autonomous_seconds_share",
                policy.max_autonomous_seconds_share,
            ),
            (
                "max_autonomous_runtime_share",
                policy.max_autonomous_runtime_share,
            ),
        ] {
            if let Some(m) = limit.filter(|m| !(0.0..=1.0).contains(m)) {
                return Err(format!("{key} must be between 0 and 1, got {m}"));
            }
        }
        if let Some(m) = policy
            .max_unsigned_seconds
            .filter(|m| !m.is_finite() || *m < 0.0)
        {
            return Err(format!(
                "max_unsigned_seconds must be a non-negative number, got {m}"
            ));
        }
        if let Some(l) = policy.min_human_control_level.filter(|l| *l > 3) {
            return Err(format!("min_human_control_level must be 0 to 3, got {l}"));
        }
        if let Some((role, w)) = policy
            .role_weights
            .iter()
            .find(|(_, w)| !w.is_finite() || **w < 0.0)
        {
            return Err(format!(
                "role_weights.{role} must be a non-negative number, got {w}"
            ));
        }
        Ok(policy)
    }

    /// The keys only a timeline audit can judge, that this policy sets.
    pub fn cut_keys(&self) -> Vec<&'static str> {
        [
            ("max_unsigned_seconds", self.max_unsigned_seconds.is_some()),
            (
                "max_autonomous_runtime_share",
                self.max_autonomous_runtime_share.is_some(),
            ),
            (
                "min_human_control_level",
                self.min_human_control_level.is_some(),
            ),
        ]
        .into_iter()
        .filter_map(|(k, set)| set.then_some(k))
        .collect()
    }

    /// The weight of `role` for contribution shares.
    pub fn weight(&self, role: Role) -> f64 {
        if self.role_weights.is_empty() {
            1.0
        } else {
            self.role_weights.get(&role).copied().unwrap_or(0.0)
        }
    }

    /// Why one verified asset is not acceptable (empty: accepted).
    pub fn check(&self, v: &Verdict) -> Vec<String> {
        let mut reasons = Vec::new();
        let path = v.path.display();
        match v.state {
            State::Trusted => {}
            State::Valid if !self.require_trusted => {}
            state => reasons.push(format!("{path}: verdict is {}", state.as_str())),
        }
        reasons.extend(self.chain_breaches(v).iter().map(Breach::line));
        reasons.extend(self.check_requirements(v));
        // The audit reports this one as a finding of its own.
        if self.require_training_mining_declared && v.training_mining_undeclared() {
            reasons.push(format!(
                "{path}: no training-and-mining declaration (cawg.training-mining)"
            ));
        }
        // The audit proves journals itself (`audit --journal`); verify has none.
        if self.require_signed_journal && v.record.as_ref().is_some_and(|r| r.journal.is_some()) {
            reasons.push(format!(
                "{path}: stamped from a creative journal, which verify cannot check (require_signed_journal): prove it with `credits prove --journal J` or `credits audit --journal J`"
            ));
        }
        reasons
    }

    /// The record requirements alone (operator, prompt commitment,
    /// timestamp): what an audit adds to its own findings.
    pub fn check_requirements(&self, v: &Verdict) -> Vec<String> {
        let mut reasons = Vec::new();
        let path = v.path.display();
        let Some(record) = &v.record else {
            if self.require_operator && !matches!(v.state, State::Unsigned) {
                reasons.push(format!("{path}: no generation record, so no operator"));
            }
            return reasons;
        };
        if self.require_operator && record.operator.name.trim().is_empty() {
            reasons.push(format!("{path}: no operator recorded"));
        }
        if self.require_prompt_commitment && record.prompt.is_none() && is_ai(v) {
            reasons.push(format!("{path}: AI-generated without a prompt commitment"));
        }
        if self.require_timestamp && v.signer.as_ref().and_then(|s| s.time.as_ref()).is_none() {
            reasons.push(format!(
                "{path}: no trusted timestamp (the signature becomes invalid when the certificate expires)"
            ));
        }
        reasons
    }
}

/// A licence, tool or AI-origin rule that an asset, or an ingredient
/// anywhere in its chain, breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breach {
    /// The asset, then each ingredient down to the one at fault.
    pub chain: Vec<String>,
    /// `non_commercial_tool`, `tool_not_allowed` or `no_record`.
    pub code: &'static str,
    pub message: String,
}

impl Breach {
    /// `proxy.mp4 ← clip1.mp4: tool "Suno" under licence …`.
    pub fn line(&self) -> String {
        format!("{}: {}", self.chain.join(" ← "), self.message)
    }
}

impl Policy {
    /// The licence, allowed-tool and AI-origin rules, applied to the asset
    /// and to every ingredient with a manifest (parents, components,
    /// controls), however deep: a transcode does not launder a licence.
    pub fn chain_breaches(&self, v: &Verdict) -> Vec<Breach> {
        let mut out = Vec::new();
        let chain = vec![v.path.display().to_string()];
        if v.manifest_label.is_some() {
            self.record_rules(&chain, v.record.as_ref(), is_ai(v), &mut out);
        }
        for ing in &v.ingredients {
            self.ingredient_rules(&chain, ing, &mut out);
        }
        out
    }

    fn ingredient_rules(&self, chain: &[String], ing: &IngredientVerdict, out: &mut Vec<Breach>) {
        let name = ing
            .title
            .clone()
            .or_else(|| ing.manifest_label.clone())
            .unwrap_or_else(|| "untitled ingredient".into());
        let chain = [chain, &[name]].concat();
        if ing.manifest_label.is_some() {
            self.record_rules(&chain, ing.record.as_ref(), ing.declares_ai, out);
        }
        for nested in &ing.ingredients {
            self.ingredient_rules(&chain, nested, out);
        }
    }

    fn record_rules(
        &self,
        chain: &[String],
        record: Option<&GenerationRecord>,
        ai: bool,
        out: &mut Vec<Breach>,
    ) {
        let mut breach = |code, message| {
            out.push(Breach {
                chain: chain.to_vec(),
                code,
                message,
            })
        };
        let Some(record) = record else {
            if ai && (self.allowed_tools.is_some() || self.commercial) {
                breach("no_record", format!(
                    "AI-generated with no readable {} record, so its tool and licence cannot be checked",
                    crate::record::LABEL
                ));
            }
            return;
        };
        let tool = &record.tool.name;
        if let Some(allowed) = &self.allowed_tools {
            if !allowed.iter().any(|t| t.eq_ignore_ascii_case(tool)) {
                breach(
                    "tool_not_allowed",
                    format!("tool {tool:?} is not on the allowed list"),
                );
            }
        }
        for (code, message) in self.model_breaches(record) {
            breach(code, message);
        }
        if let Some(l) = record
            .license
            .as_ref()
            .filter(|l| self.commercial && l.commercial_use == Some(false))
        {
            breach(
                "non_commercial_tool",
                format!(
                    "tool {tool:?} under licence {:?} does not allow commercial use",
                    l.id
                ),
            );
        }
    }
}

impl Policy {
    /// Every model the record names against `allowed_models` and
    /// `denied_models`.
    fn model_breaches(&self, record: &GenerationRecord) -> Vec<(&'static str, String)> {
        let opts = glob::MatchOptions {
            case_sensitive: false,
            ..glob::MatchOptions::new()
        };
        let matches = |patterns: &[String], name: &str| {
            patterns.iter().any(|p| {
                glob::Pattern::new(p)
                    .map_or(p.eq_ignore_ascii_case(name), |g| g.matches_with(name, opts))
            })
        };
        let mut names: Vec<(&str, &str)> = record
            .tool
            .model
            .iter()
            .map(|m| (m.as_str(), "main"))
            .collect();
        for m in record.parameters.iter().flat_map(|p| &p.models) {
            if !names.iter().any(|(n, _)| *n == m.name) {
                names.push((m.name.as_str(), m.role.as_str()));
            }
        }
        let mut out = Vec::new();
        for (name, role) in names {
            if matches(&self.denied_models, name) {
                out.push((
                    "model_denied",
                    format!("model {name:?} ({role}) is on the denied list"),
                ));
            } else if let Some(allowed) =
                self.allowed_models.as_deref().filter(|a| !matches(a, name))
            {
                let _ = allowed;
                out.push((
                    "model_not_allowed",
                    format!("model {name:?} ({role}) is not on the allowed list"),
                ));
            }
        }
        out
    }
}

/// Whether the asset's actions declare AI generation (IPTC source type).
pub fn is_ai(v: &Verdict) -> bool {
    v.actions.iter().any(|a| a.declares_ai())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_weights_and_flags() {
        let p =
            Policy::parse("commercial = true\n[role_weights]\nprompt_design = 40\naudio = 30\n")
                .unwrap();
        assert!(p.commercial && p.require_trusted);
        assert_eq!(p.weight(Role::PromptDesign), 40.0);
        assert_eq!(p.weight(Role::Editing), 0.0);
        assert_eq!(Policy::default().weight(Role::Editing), 1.0);
    }

    #[test]
    fn errors_name_the_line() {
        let e = Policy::parse("commercial = true\nrequire_trusted = \"maybe\"\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        let e = Policy::parse("commercial = true\n\ncolour = 3\n").unwrap_err();
        assert!(e.starts_with("line 3:"), "{e}");
        let e = Policy::parse("[role_weights]\nproducer = 1\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
    }

    #[test]
    fn every_model_a_record_names_is_judged_by_the_model_globs() {
        let record: GenerationRecord = serde_json::from_value(serde_json::json!({
            "schema": 1,
            "tool": {"name": "ComfyUI", "model": "wan2.1_t2v_1.3B_fp16.safetensors"},
            "parameters": {"models": [
                {"name": "wan2.1_t2v_1.3B_fp16.safetensors", "role": "base"},
                {"name": "grain_NC.safetensors", "role": "lora"},
                {"name": "umt5_xxl.safetensors", "role": "text_encoder"}
            ]},
            "operator": {"name": "A", "role": "prompt_design"},
            "generated_at": "2026-12-07T00:00:00Z"
        }))
        .unwrap();
        let p = Policy::parse(
            "allowed_models = [\"WAN2.1_*\", \"*.safetensors\"]\ndenied_models = [\"*_nc*\"]\n",
        )
        .unwrap();
        let codes: Vec<_> = p.model_breaches(&record);
        assert_eq!(codes.len(), 1, "{codes:?}");
        assert_eq!(codes[0].0, "model_denied");
        assert!(
            codes[0].1.contains("grain_NC.safetensors\" (lora)"),
            "{codes:?}"
        );
        let only_wan = Policy::parse("allowed_models = [\"wan2.1_*\"]\n").unwrap();
        let codes = only_wan.model_breaches(&record);
        assert_eq!(
            codes.iter().filter(|c| c.0 == "model_not_allowed").count(),
            2,
            "{codes:?}"
        );
    }

    #[test]
    fn out_of_range_share_is_refused() {
        assert!(Policy::parse("max_autonomous_share = 1.5").is_err());
    }
}
