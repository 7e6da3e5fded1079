//! ComfyUI's API prompt graph (`{id: {class_type, inputs}}`; `workflow` is
//! the editor's graph), read the way the operator built it:
//!
//! - **From the output.** The sampler is the one nearest the node that
//!   saved the file (`SaveImage`, `SaveAnimatedWEBP`, `SaveVideo`,
//!   `VHS_VideoCombine`… — any `Save*` or `*Combine` output node), walking
//!   the graph backwards, so a hires-fix or refiner pass names the sampler
//!   that made the saved picture, not the first one in the JSON.
//! - **Conditioning through any node.** From the sampler (or its guider)
//!   every conditioning input is followed — `conditioning`,
//!   `conditioning_to`, `conditioning_1`/`_2`, `cond`…, and through nodes
//!   that carry a positive/negative pair (`ControlNetApplyAdvanced`,
//!   `InpaintModelConditioning`, `InstructPixToPixConditioning`,
//!   `WanImageToVideo`…) the one the link's output index names — to a text
//!   encoder, whose text is read from any of its text inputs (`text`,
//!   `text_g`, `text_l`, `t5xxl`, `clip_l`, `prompt`, `instruction`…).
//!   `ConditioningZeroOut` is no prompt at all.
//! - **The model** through `ModelSampling*`, LoRA loaders and merges
//!   (`model1` first) to the checkpoint or UNet loader.

use std::collections::HashSet;

use serde_json::Value;

use super::GeneratorMetadata;

/// Sampler nodes: the classic ones carry everything; the custom ones
/// (Flux and SD3 workflows) reach it through a guider, a noise node, a
/// sampler select and a scheduler.
const SAMPLERS: [&str; 4] = [
    "KSampler",
    "KSamplerAdvanced",
    "SamplerCustom",
    "SamplerCustomAdvanced",
];

/// Inputs that carry conditioning, in the order they are followed (the
/// first that leads to text names the prompt).
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

/// A text encoder's inputs that hold the prompt.
const TEXT: [&str; 9] = [
    "text",
    "text_g",
    "text_l",
    "t5xxl",
    "clip_l",
    "prompt",
    "instruction",
    "llama",
    "user_prompt",
];

/// The API graph `prompt` (and the editor's `workflow`, committed).
pub fn comfyui(prompt: &str, workflow: Option<&str>) -> Option<GeneratorMetadata> {
    let graph: Value = serde_json::from_str(prompt).ok()?;
    let g = Graph {
        nodes: graph.as_object()?,
    };
    let upstream = g.upstream();
    let sampler = g.sampler(&upstream)?;
    let mut graph_unread: Vec<String> = upstream
        .iter()
        .map(|(_, n)| class(n).to_string())
        .filter(|c| !understood(c))
        .collect();
    graph_unread.sort();
    graph_unread.dedup();
    let guider = g.linked(sampler, "guider");
    let sigmas = g.linked(sampler, "sigmas");
    let either = |key: &str| g.input(sampler, key).or_else(|| g.input(guider?, key));
    let positive = either("positive")
        .or_else(|| g.input(guider?, "conditioning"))
        .or_else(|| g.input(guider?, "cond1"));
    let seed = g
        .value(sampler, "seed")
        .or_else(|| g.value(sampler, "noise_seed"))
        .or_else(|| g.value(g.linked(sampler, "noise")?, "noise_seed"));
    let steps = g
        .value(sampler, "steps")
        .or_else(|| g.value(sigmas?, "steps"));
    let sampler_name = g
        .value(sampler, "sampler_name")
        .or_else(|| g.value(g.linked(sampler, "sampler")?, "sampler_name"));
    let cfg = g.value(sampler, "cfg").or_else(|| g.value(guider?, "cfg"));
    let model = either("model").or_else(|| g.input(sigmas?, "model"));
    let (model, loras) = checkpoint(model, &|l| g.node(l));
    Some(GeneratorMetadata {
        generator: "ComfyUI".into(),
        tool_version: None,
        loras,
        prompt: g.text(positive),
        negative_prompt: g.text(either("negative")),
        seed,
        steps: steps.and_then(|s| s.parse().ok()),
        sampler: sampler_name,
        cfg: cfg.and_then(|c| c.parse().ok()),
        workflow: Some(workflow.unwrap_or(prompt).to_string()),
        source_type: None,
        models: models(&g, &upstream, model.as_deref()),
        model,
        graph_unread,
    })
}

/// Loader inputs naming a model file, and the part it plays.
const MODEL_FIELDS: [(&str, &str); 14] = [
    ("ckpt_name", "checkpoint"),
    ("unet_name", "checkpoint"),
    ("lora_name", "lora"),
    ("control_net_name", "controlnet"),
    ("vae_name", "vae"),
    ("clip_name", "text_encoder"),
    ("clip_name1", "text_encoder"),
    ("clip_name2", "text_encoder"),
    ("clip_name3", "text_encoder"),
    ("model_name", "upscale"),
    ("style_model_name", "style_model"),
    ("gligen_name", "gligen"),
    ("ipadapter_file", "ip_adapter"),
    ("clip_vision", "clip_vision"),
];

/// Every model file the output depends on, once each: the main
/// checkpoint `base`, another one `merge_source` when a `ModelMerge*`
/// takes it, else `refiner` (a second pass, an SDXL refiner, Cascade's
/// second stage).
fn models(g: &Graph, upstream: &[Upstream], main: Option<&str>) -> Vec<crate::record::ModelUse> {
    let merged: HashSet<String> = upstream
        .iter()
        .map(|(_, n)| *n)
        .filter(|n| class(n).starts_with("ModelMerge"))
        .flat_map(|n| ["model1", "model2"].map(|k| g.input(n, k).and_then(link_id)))
        .flatten()
        .collect();
    let mut out: Vec<crate::record::ModelUse> = Vec::new();
    for &(id, node) in upstream {
        for (field, part) in MODEL_FIELDS {
            let Some(name) = g.input(node, field).and_then(Value::as_str) else {
                continue;
            };
            let role = match part {
                "checkpoint" if Some(name) == main => "base",
                "checkpoint" if merged.contains(id) => "merge_source",
                "checkpoint" => "refiner",
                other => other,
            };
            if !out.iter().any(|m| m.name == name && m.role == role) {
                out.push(crate::record::ModelUse {
                    name: name.to_string(),
                    role: role.to_string(),
                });
            }
        }
    }
    out
}

/// Node classes this reader knows the meaning of (core ComfyUI and the
/// video nodes): loaders, encoders, conditioning, samplers, latent and
/// image plumbing, savers. Anything else on the way to the output is
/// named in `graph_unread`, never guessed at.
const UNDERSTOOD: [&str; 40] = [
    "KSampler",
    "Sampler",
    "BasicGuider",
    "CFGGuider",
    "DualCFGGuider",
    "BasicScheduler",
    "KarrasScheduler",
    "RandomNoise",
    "DisableNoise",
    "CLIPTextEncode",
    "TextEncode",
    "Conditioning",
    "ControlNet",
    "Inpaint",
    "InstructPixToPix",
    "GLIGEN",
    "unCLIP",
    "StyleModel",
    "FluxGuidance",
    "Checkpoint",
    "ImageOnlyCheckpoint",
    "UNETLoader",
    "CLIPLoader",
    "DualCLIPLoader",
    "TripleCLIPLoader",
    "CLIPVision",
    "VAE",
    "Lora",
    "LoRA",
    "ModelSampling",
    "ModelMerge",
    "Empty",
    "Latent",
    "Load",
    "Save",
    "Preview",
    "Image",
    "Primitive",
    "Upscale",
    "VHS_",
];

fn understood(class: &str) -> bool {
    const VIDEO: [&str; 6] = [
        "WanImageToVideo",
        "WanFirstLastFrameToVideo",
        "CreateVideo",
        "HunyuanImageToVideo",
        "LTXV",
        "CosmosImageToVideo",
    ];
    UNDERSTOOD
        .iter()
        .chain(&VIDEO)
        .any(|p| class.starts_with(p))
        || matches!(
            class,
            "String"
                | "Int"
                | "Float"
                | "Note"
                | "Reroute"
                | "SetLatentNoiseMask"
                | "RepeatLatentBatch"
        )
}

/// A node the output depends on: its id and the node.
type Upstream<'a> = (&'a str, &'a Value);

/// A ComfyUI API graph: nodes by id, inputs either values or links
/// (`[node id, output index]`).
struct Graph<'a> {
    nodes: &'a serde_json::Map<String, Value>,
}

fn class(node: &Value) -> &str {
    node.get("class_type").and_then(Value::as_str).unwrap_or("")
}

/// A node that writes the file: `SaveImage`, `SaveVideo`, `SaveWEBM`,
/// `SaveAnimatedWEBP`, `VHS_VideoCombine`, `SaveAudio`…
fn is_output(node: &Value) -> bool {
    let c = class(node);
    c.starts_with("Save") || c.ends_with("VideoCombine")
}

impl<'a> Graph<'a> {
    /// Node ids in a stable order (numeric ids by number).
    fn ids(&self) -> Vec<&'a String> {
        let mut ids: Vec<&String> = self.nodes.keys().collect();
        ids.sort_by_key(|id| (id.parse::<u64>().unwrap_or(u64::MAX), id.as_str()));
        ids
    }

    /// Every node the first output node depends on, nearest first
    /// (breadth first, backwards); empty without an output node.
    fn upstream(&self) -> Vec<Upstream<'a>> {
        let Some(output) = self
            .ids()
            .into_iter()
            .find(|id| is_output(&self.nodes[id.as_str()]))
        else {
            return Vec::new();
        };
        let mut queue = std::collections::VecDeque::from([output.to_string()]);
        let (mut seen, mut out) = (HashSet::new(), Vec::new());
        while let Some(at) = queue.pop_front() {
            if seen.len() > 4096 || !seen.insert(at.clone()) {
                continue;
            }
            let Some((id, node)) = self.nodes.get_key_value(&at) else {
                continue;
            };
            out.push((id.as_str(), node));
            let inputs = node.get("inputs").and_then(Value::as_object);
            queue.extend(
                inputs
                    .into_iter()
                    .flat_map(|i| i.values())
                    .filter_map(link_id),
            );
        }
        out
    }

    /// The sampler nearest the output node; without one, the first sampler.
    fn sampler(&self, upstream: &[Upstream<'a>]) -> Option<&'a Value> {
        let is_sampler = |n: &&Value| SAMPLERS.contains(&class(n));
        upstream
            .iter()
            .map(|(_, n)| *n)
            .find(is_sampler)
            .or_else(|| {
                self.ids()
                    .into_iter()
                    .map(|id| &self.nodes[id.as_str()])
                    .find(is_sampler)
            })
    }

    /// The node a link points to.
    fn node(&self, link: &Value) -> Option<&'a Value> {
        self.nodes.get(&link_id(link)?)
    }

    fn input(&self, node: &'a Value, key: &str) -> Option<&'a Value> {
        node.get("inputs")?.get(key)
    }

    /// The node linked from `node`'s input `key`.
    fn linked(&self, node: &'a Value, key: &str) -> Option<&'a Value> {
        self.node(self.input(node, key)?)
    }

    /// An input's value, or the value of the primitive node feeding it.
    fn value(&self, node: &'a Value, key: &str) -> Option<String> {
        let v = self.input(node, key)?;
        scalar(v).or_else(|| {
            let source = self.node(v)?;
            [
                "value",
                "string",
                "text",
                "seed",
                "noise_seed",
                "int",
                "float",
            ]
            .iter()
            .find_map(|k| self.input(source, k).and_then(scalar))
        })
    }

    /// The text behind a conditioning link, or `None` (no text reached, or
    /// a zeroed conditioning).
    fn text(&self, link: Option<&'a Value>) -> Option<String> {
        self.text_from(link?, &mut HashSet::new(), 0)
            .filter(|t| !t.trim().is_empty())
    }

    fn text_from(&self, link: &'a Value, seen: &mut HashSet<String>, depth: u32) -> Option<String> {
        let id = link_id(link)?;
        if depth > 64 || !seen.insert(format!("{id}/{}", output_index(link))) {
            return None;
        }
        let node = self.nodes.get(&id)?;
        if class(node) == "ConditioningZeroOut" {
            return None;
        }
        // A node with a positive/negative pair: its first output carries
        // the positive, its second the negative.
        let pair = match output_index(link) {
            0 => "positive",
            1 => "negative",
            _ => "",
        };
        let follow = std::iter::once(pair).chain(CONDITIONING);
        for key in follow {
            if let Some(next) = self.input(node, key).filter(|v| link_id(v).is_some()) {
                if let Some(text) = self.text_from(next, seen, depth + 1) {
                    return Some(text);
                }
            }
        }
        TEXT.iter()
            .find_map(|k| self.value(node, k).filter(|t| !t.trim().is_empty()))
    }
}

/// The node id a link (`[id, output]`) points to.
fn link_id(link: &Value) -> Option<String> {
    let arr = link.as_array()?;
    if arr.len() != 2 || !arr[1].is_u64() {
        return None;
    }
    match &arr[0] {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn output_index(link: &Value) -> u64 {
    link.as_array()
        .and_then(|a| a.get(1))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// From a sampler's `model` input back through `ModelSampling*`, LoRA
/// loaders and merges (`model1` first) to the checkpoint (or UNet)
/// loader: its file name, and the LoRAs on the way.
fn checkpoint<'a>(
    mut link: Option<&'a Value>,
    node: &impl Fn(&'a Value) -> Option<&'a Value>,
) -> (Option<String>, Vec<String>) {
    let mut loras = Vec::new();
    for _ in 0..32 {
        let Some(n) = link.and_then(node) else { break };
        let ins = n.get("inputs");
        let field = |k: &str| ins.and_then(|i| i.get(k)).and_then(Value::as_str);
        if let Some(name) = field("ckpt_name").or(field("unet_name")) {
            return (Some(name.to_string()), loras);
        }
        if let Some(name) = field("lora_name") {
            loras.push(name.to_string());
        }
        link = ins.and_then(|i| i.get("model").or_else(|| i.get("model1")));
    }
    (None, loras)
}

#[cfg(test)]
#[path = "comfyui_tests.rs"]
mod tests;
