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
    let sampler = g.sampler()?;
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
        model,
        loras,
        prompt: g.text(positive),
        negative_prompt: g.text(either("negative")),
        seed,
        steps: steps.and_then(|s| s.parse().ok()),
        sampler: sampler_name,
        cfg: cfg.and_then(|c| c.parse().ok()),
        workflow: Some(workflow.unwrap_or(prompt).to_string()),
        source_type: None,
    })
}

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
    /// The sampler nearest an output node (breadth first, backwards);
    /// without an output node, the first sampler.
    fn sampler(&self) -> Option<&'a Value> {
        let is_sampler = |n: &Value| SAMPLERS.contains(&class(n));
        let mut ids: Vec<&String> = self.nodes.keys().collect();
        ids.sort_by_key(|id| (id.parse::<u64>().unwrap_or(u64::MAX), id.as_str()));
        for id in ids.iter().filter(|id| is_output(&self.nodes[id.as_str()])) {
            let mut queue = std::collections::VecDeque::from([id.to_string()]);
            let mut seen = HashSet::new();
            while let Some(at) = queue.pop_front() {
                if seen.len() > 4096 || !seen.insert(at.clone()) {
                    continue;
                }
                let Some(node) = self.nodes.get(&at) else {
                    continue;
                };
                if is_sampler(node) {
                    return Some(node);
                }
                let inputs = node.get("inputs").and_then(Value::as_object);
                for v in inputs.into_iter().flat_map(|i| i.values()) {
                    if let Some(next) = link_id(v) {
                        queue.push_back(next);
                    }
                }
            }
        }
        ids.into_iter()
            .map(|id| &self.nodes[id.as_str()])
            .find(|n| is_sampler(n))
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
mod tests {
    use super::*;

    #[test]
    fn comfyui_graph_from_sampler_to_checkpoint() {
        let prompt = r#"{
          "3": {"class_type": "KSampler", "inputs": {"seed": 42, "steps": 20, "cfg": 8.0,
                "sampler_name": "euler", "scheduler": "normal", "denoise": 1.0,
                "model": ["10", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
          "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v1-5-pruned.safetensors"}},
          "10": {"class_type": "LoraLoader", "inputs": {"lora_name": "film.safetensors", "model": ["4", 0], "clip": ["4", 1]}},
          "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse", "clip": ["10", 1]}},
          "7": {"class_type": "CLIPTextEncode", "inputs": {"text": ["8", 0], "clip": ["10", 1]}},
          "8": {"class_type": "PrimitiveString", "inputs": {"value": "blurry"}}
        }"#;
        let m = comfyui(prompt, Some("{\"nodes\": []}")).unwrap();
        assert_eq!(m.prompt.as_deref(), Some("a lighthouse"));
        assert_eq!(m.negative_prompt.as_deref(), Some("blurry"));
        assert_eq!(m.seed.as_deref(), Some("42"));
        assert_eq!(m.steps, Some(20));
        assert_eq!(m.cfg, Some(8.0));
        assert_eq!(m.model.as_deref(), Some("v1-5-pruned.safetensors"));
        assert_eq!(m.loras, ["film.safetensors"]);
        assert_eq!(m.workflow.as_deref(), Some("{\"nodes\": []}"));
    }

    #[test]
    fn comfyui_flux_graph_through_guider_noise_and_scheduler() {
        let prompt = r#"{
          "13": {"class_type": "SamplerCustomAdvanced", "inputs": {"noise": ["25", 0],
                 "guider": ["22", 0], "sampler": ["16", 0], "sigmas": ["17", 0], "latent_image": ["27", 0]}},
          "25": {"class_type": "RandomNoise", "inputs": {"noise_seed": 219670278747233}},
          "22": {"class_type": "BasicGuider", "inputs": {"model": ["30", 0], "conditioning": ["26", 0]}},
          "26": {"class_type": "FluxGuidance", "inputs": {"guidance": 3.5, "conditioning": ["6", 0]}},
          "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse", "clip": ["11", 0]}},
          "16": {"class_type": "KSamplerSelect", "inputs": {"sampler_name": "euler"}},
          "17": {"class_type": "BasicScheduler", "inputs": {"scheduler": "simple", "steps": 25,
                 "denoise": 1.0, "model": ["30", 0]}},
          "30": {"class_type": "ModelSamplingFlux", "inputs": {"model": ["12", 0]}},
          "12": {"class_type": "UNETLoader", "inputs": {"unet_name": "flux1-dev.safetensors"}}
        }"#;
        let m = comfyui(prompt, None).unwrap();
        assert_eq!(m.prompt.as_deref(), Some("a lighthouse"));
        assert_eq!(m.negative_prompt, None);
        assert_eq!(m.seed.as_deref(), Some("219670278747233"));
        assert_eq!(m.steps, Some(25));
        assert_eq!(m.sampler.as_deref(), Some("euler"));
        assert_eq!(m.model.as_deref(), Some("flux1-dev.safetensors"));
    }

    #[test]
    fn a_graph_without_a_sampler_or_not_json_is_not_comfyui() {
        assert!(comfyui("{\"1\": {\"class_type\": \"SaveImage\"}}", None).is_none());
        assert!(comfyui("not json", None).is_none());
    }

    /// A graph as the ComfyUI examples build it: `nodes` plus the text
    /// encoders, sampler and save node every test shares.
    fn graph(extra: &str) -> String {
        format!(
            r#"{{
          "4": {{"class_type": "CheckpointLoaderSimple", "inputs": {{"ckpt_name": "base.safetensors"}}}},
          "6": {{"class_type": "CLIPTextEncode", "inputs": {{"text": "a lighthouse", "clip": ["4", 1]}}}},
          "7": {{"class_type": "CLIPTextEncode", "inputs": {{"text": "blurry", "clip": ["4", 1]}}}},
          "8": {{"class_type": "VAEDecode", "inputs": {{"samples": ["3", 0], "vae": ["4", 2]}}}},
          "9": {{"class_type": "SaveImage", "inputs": {{"images": ["8", 0]}}}},
          {extra}
        }}"#
        )
    }

    #[test]
    fn prompts_reach_the_sampler_through_control_and_edit_nodes() {
        for (name, apply) in [
            (
                "ControlNetApplyAdvanced",
                r#""positive": ["6", 0], "negative": ["7", 0], "control_net": ["11", 0], "image": ["12", 0], "strength": 1.0"#,
            ),
            (
                "InpaintModelConditioning",
                r#""positive": ["6", 0], "negative": ["7", 0], "vae": ["4", 2], "pixels": ["12", 0], "mask": ["12", 1]"#,
            ),
            (
                "InstructPixToPixConditioning",
                r#""positive": ["6", 0], "negative": ["7", 0], "vae": ["4", 2], "pixels": ["12", 0]"#,
            ),
        ] {
            let g = graph(&format!(
                r#""10": {{"class_type": "{name}", "inputs": {{{apply}}}}},
                "3": {{"class_type": "KSampler", "inputs": {{"seed": 1, "steps": 20, "cfg": 7, "sampler_name": "euler",
                      "model": ["4", 0], "positive": ["10", 0], "negative": ["10", 1], "latent_image": ["10", 2]}}}}"#
            ));
            let m = comfyui(&g, None).unwrap();
            assert_eq!(m.prompt.as_deref(), Some("a lighthouse"), "{name}");
            assert_eq!(m.negative_prompt.as_deref(), Some("blurry"), "{name}");
        }
    }

    #[test]
    fn an_encoder_prompt_input_a_zeroed_negative_and_a_gligen_box() {
        // Qwen image edit: the text in `prompt`; the negative zeroed out.
        let g = graph(
            r#""10": {"class_type": "TextEncodeQwenImageEdit", "inputs": {"clip": ["4", 1], "prompt": "make it night", "vae": ["4", 2]}},
               "11": {"class_type": "ConditioningZeroOut", "inputs": {"conditioning": ["10", 0]}},
               "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 2.5, "sampler_name": "euler",
                     "model": ["4", 0], "positive": ["10", 0], "negative": ["11", 0], "latent_image": ["5", 0]}}"#,
        );
        let m = comfyui(&g, None).unwrap();
        assert_eq!(m.prompt.as_deref(), Some("make it night"));
        assert_eq!(
            m.negative_prompt, None,
            "a zeroed conditioning is no negative"
        );
        // SD3: the negative combines a zeroed range and the negative text.
        let g = graph(
            r#""11": {"class_type": "ConditioningZeroOut", "inputs": {"conditioning": ["7", 0]}},
               "12": {"class_type": "ConditioningSetTimestepRange", "inputs": {"conditioning": ["11", 0], "start": 0.1, "end": 1.0}},
               "13": {"class_type": "ConditioningSetTimestepRange", "inputs": {"conditioning": ["7", 0], "start": 0.0, "end": 0.1}},
               "14": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["12", 0], "conditioning_2": ["13", 0]}},
               "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 28, "cfg": 4.5, "sampler_name": "dpmpp_2m",
                     "model": ["4", 0], "positive": ["6", 0], "negative": ["14", 0], "latent_image": ["5", 0]}}"#,
        );
        assert_eq!(
            comfyui(&g, None).unwrap().negative_prompt.as_deref(),
            Some("blurry")
        );
        // GLIGEN: the box label is not the prompt; `conditioning_to` is.
        let g = graph(
            r#""10": {"class_type": "GLIGENTextBoxApply", "inputs": {"conditioning_to": ["6", 0], "clip": ["4", 1],
                      "gligen_textbox_model": ["15", 0], "text": "sun", "width": 64, "height": 64, "x": 0, "y": 0}},
               "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 7, "sampler_name": "euler",
                     "model": ["4", 0], "positive": ["10", 0], "negative": ["7", 0], "latent_image": ["5", 0]}}"#,
        );
        assert_eq!(
            comfyui(&g, None).unwrap().prompt.as_deref(),
            Some("a lighthouse")
        );
    }

    #[test]
    fn the_sampler_is_the_one_that_made_the_saved_image() {
        // Hires fix: the first pass (id 3, first in the JSON) is upscaled
        // and sampled again by node 20, whose output is saved.
        let g = graph(
            r#""3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 8, "sampler_name": "euler",
                     "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
               "19": {"class_type": "LatentUpscale", "inputs": {"samples": ["3", 0], "width": 1536, "height": 1536}},
               "20": {"class_type": "KSampler", "inputs": {"seed": 2, "steps": 14, "cfg": 8, "sampler_name": "dpmpp_2m",
                     "model": ["21", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["19", 0]}},
               "21": {"class_type": "ModelMergeSimple", "inputs": {"model1": ["22", 0], "model2": ["4", 0], "ratio": 0.5}},
               "22": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "second.safetensors"}},
               "30": {"class_type": "VAEDecode", "inputs": {"samples": ["20", 0], "vae": ["4", 2]}},
               "31": {"class_type": "SaveImage", "inputs": {"images": ["30", 0]}}"#,
        )
        .replace(r#""9": {"class_type": "SaveImage", "inputs": {"images": ["8", 0]}},"#, "");
        let m = comfyui(&g, None).unwrap();
        assert_eq!((m.seed.as_deref(), m.steps), (Some("2"), Some(14)));
        assert_eq!(m.sampler.as_deref(), Some("dpmpp_2m"));
        assert_eq!(
            m.model.as_deref(),
            Some("second.safetensors"),
            "a merge's first source"
        );
    }

    #[test]
    fn cycles_and_deep_chains_end() {
        let g = r#"{
          "1": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["2", 0], "conditioning_2": ["1", 0]}},
          "2": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["1", 0]}},
          "3": {"class_type": "KSampler", "inputs": {"positive": ["1", 0], "negative": ["2", 0], "model": ["3", 0]}},
          "9": {"class_type": "SaveImage", "inputs": {"images": ["3", 0]}}
        }"#;
        let m = comfyui(g, None).unwrap();
        assert_eq!((m.prompt, m.model), (None, None));
    }
}
