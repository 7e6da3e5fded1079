//! The texts behind a sampler's conditioning: every conditioning input is
//! followed (`conditioning`, `conditioning_to`, `conditioning_1`/`_2`,
//! `cond`…, and through a node with a positive/negative pair the one the
//! link's output index names — by the editor's output name where the
//! workflow gives it), to every text input of an encoder (`text`,
//! `text_g`, `t5xxl`, `clip_l`, `prompt`, `instruction`…, and any input
//! the workflow types `STRING` on a node whose output is `CONDITIONING`).
//! `ConditioningZeroOut` is no prompt; a GLIGEN box label and what passes
//! through `ConditioningSetArea*`/`ConditioningSetMask` are regional.

use std::collections::HashSet;

use serde_json::Value;

use super::graph::{class, link_id, output_index, Graph};

/// Inputs that carry conditioning, in the order they are followed (the
/// first that leads to text names the main prompt).
const CONDITIONING: [&str; 9] = [
    "conditioning_to",
    "conditioning",
    "conditioning_1",
    "conditioning_2",
    "conditioning_from",
    "cond",
    "cond1",
    "cond2",
    "base_cond",
];

/// A text encoder's inputs that hold the prompt, main first.
const TEXT: [&str; 12] = [
    "text",
    "text_g",
    "t5xxl",
    "clip_g",
    "llama",
    "prompt",
    "instruction",
    "user_prompt",
    "text_l",
    "clip_l",
    "tags",
    "lyrics",
];

/// One text reached: which input held it, and whether it conditions only a
/// region (a GLIGEN box, an area).
#[derive(Debug, Clone, PartialEq)]
pub struct Reached {
    pub text: String,
    pub input: String,
    pub regional: bool,
}

/// Most nodes one walk visits.
const MAX_DEPTH: u32 = 64;

impl<'a> Graph<'a> {
    /// Every distinct text behind a conditioning link, in the order
    /// followed; nothing for a zeroed conditioning. `read` collects the ids
    /// of nodes read through the editor's types alone.
    pub fn texts(&self, link: Option<&'a Value>, read: &mut HashSet<String>) -> Vec<Reached> {
        let mut out = Vec::new();
        if let Some(link) = link {
            self.walk(link, false, &mut HashSet::new(), 0, &mut out, read);
        }
        let mut seen = HashSet::new();
        out.retain(|r| seen.insert(r.text.trim().to_string()));
        out
    }

    fn walk(
        &self,
        link: &'a Value,
        regional: bool,
        seen: &mut HashSet<String>,
        depth: u32,
        out: &mut Vec<Reached>,
        read: &mut HashSet<String>,
    ) {
        let Some(id) = link_id(link) else { return };
        if depth > MAX_DEPTH || !seen.insert(format!("{id}/{}", output_index(link))) {
            return;
        }
        let Some(node) = self.nodes.get(&id) else {
            return;
        };
        let c = class(node);
        if c == "ConditioningZeroOut" {
            return;
        }
        let area = c.starts_with("ConditioningSetArea") || c.starts_with("ConditioningSetMask");
        let inner = regional || area;
        for key in self.followed(&id, node, output_index(link)) {
            if let Some(next) = self.input(node, &key).filter(|v| link_id(v).is_some()) {
                self.walk(next, inner, seen, depth + 1, out, read);
            }
        }
        let own_regional = regional || c.starts_with("GLIGEN");
        for key in self.text_inputs(&id, node, read) {
            if let Some(text) = self.value(node, &key).filter(|t| !t.trim().is_empty()) {
                out.push(Reached {
                    text,
                    input: key,
                    regional: own_regional,
                });
            }
        }
    }

    /// The conditioning inputs of `node` to follow for its output `index`:
    /// the pair input that output carries (`positive` for 0, `negative`
    /// for 1, or the editor's name for it), then the known ones, then any
    /// the editor types `CONDITIONING`.
    fn followed(&self, id: &str, node: &Value, index: u64) -> Vec<String> {
        let named = self
            .output_slot(id, index)
            .map(|(name, _)| name.to_ascii_lowercase())
            .filter(|n| n == "positive" || n == "negative");
        let pair = named.or(match index {
            0 => Some("positive".into()),
            1 => Some("negative".into()),
            _ => None,
        });
        let mut keys: Vec<String> = pair.into_iter().collect();
        keys.extend(CONDITIONING.iter().map(|k| k.to_string()));
        if let Some(inputs) = node.get("inputs").and_then(Value::as_object) {
            let typed = inputs.keys().filter(|k| {
                self.input_type(id, k) == Some("CONDITIONING")
                    && *k != "positive"
                    && *k != "negative"
            });
            keys.extend(typed.cloned());
        }
        let mut seen = HashSet::new();
        keys.retain(|k| seen.insert(k.clone()));
        keys
    }

    /// The inputs of `node` holding text: the known ones, and on a node
    /// the editor says outputs `CONDITIONING`, every input it types
    /// `STRING` (a custom encoder, read by type: noted in `read`).
    fn text_inputs(&self, id: &str, node: &Value, read: &mut HashSet<String>) -> Vec<String> {
        let mut keys: Vec<String> = TEXT.iter().map(|k| k.to_string()).collect();
        let encodes = self
            .types
            .get(id)
            .is_some_and(|t| t.outputs.iter().any(|(_, ty)| ty == "CONDITIONING"));
        if encodes {
            if let Some(inputs) = node.get("inputs").and_then(Value::as_object) {
                for k in inputs.keys() {
                    if self.input_type(id, k) == Some("STRING") && !keys.contains(k) {
                        keys.push(k.clone());
                        read.insert(id.to_string());
                    }
                }
            }
        }
        keys
    }
}
