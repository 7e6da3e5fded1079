//! What each generator's text says, read as the generator wrote it:
//! ComfyUI's API prompt graph (`prompt`; `workflow` is the editor graph),
//! AUTOMATIC1111/Forge `parameters` (prompt, `Negative prompt:`, then
//! `Steps: …, Sampler: …, CFG scale: …, Seed: …, Model: …`), InvokeAI's
//! `invokeai_metadata` JSON, Fooocus's `parameters` JSON (scheme
//! `fooocus`; scheme `a1111` is A1111 text), NovelAI's `Comment` JSON.

use serde_json::Value;

use super::GeneratorMetadata;

/// A1111/Forge (and Fooocus's a1111 scheme) `parameters` text.
pub fn a1111(text: &str, generator: &str) -> GeneratorMetadata {
    let mut lines: Vec<&str> = text.lines().collect();
    let settings = match lines.last() {
        Some(last) if last.contains("Steps: ") => lines.pop().map(settings_of).unwrap_or_default(),
        _ => Vec::new(),
    };
    let body = lines.join("\n");
    let (prompt, negative) = match body.split_once("Negative prompt:") {
        Some((p, n)) => (p.trim(), Some(n.trim().to_string())),
        None => (body.trim(), None),
    };
    let get = |k: &str| {
        settings
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    GeneratorMetadata {
        generator: generator.into(),
        tool_version: get("Version"),
        model: get("Model"),
        loras: get("Lora hashes")
            .map(|l| {
                l.split(", ")
                    .filter_map(|e| e.split(':').next())
                    .map(|n| n.trim().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        prompt: (!prompt.is_empty()).then(|| prompt.to_string()),
        negative_prompt: negative.filter(|n| !n.is_empty()),
        seed: get("Seed"),
        steps: get("Steps").and_then(|s| s.parse().ok()),
        sampler: get("Sampler"),
        cfg: get("CFG scale").and_then(|s| s.parse().ok()),
        workflow: None,
        source_type: None,
    }
}

/// `Key: value, Key: "quoted, value", …` into pairs.
fn settings_of(line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = line.trim();
    while let Some((key, after)) = rest.split_once(": ") {
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], quoted[end + 1..].trim_start_matches(", ")),
                None => (quoted, ""),
            }
        } else {
            match after.split_once(", ") {
                Some((v, n)) => (v, n),
                None => (after, ""),
            }
        };
        out.push((key.trim().to_string(), value.trim().to_string()));
        rest = next;
    }
    out
}

/// ComfyUI's sampler nodes: the classic ones carry everything; the custom
/// ones (Flux and SD3 workflows) reach it through a guider, a noise node,
/// a sampler select and a scheduler.
const SAMPLERS: [&str; 4] = [
    "KSampler",
    "KSamplerAdvanced",
    "SamplerCustom",
    "SamplerCustomAdvanced",
];

/// ComfyUI: the API prompt graph (`{id: {class_type, inputs}}`), from its
/// sampler node to the text encoders, seed, steps, sampler, CFG and the
/// checkpoint (through LoRA loaders). `workflow` is the editor's graph.
pub fn comfyui(prompt: &str, workflow: Option<&str>) -> Option<GeneratorMetadata> {
    let graph: Value = serde_json::from_str(prompt).ok()?;
    let g = Graph {
        nodes: graph.as_object()?,
    };
    let sampler = g.nodes.values().find(|n| {
        let class = n.get("class_type").and_then(Value::as_str).unwrap_or("");
        SAMPLERS.contains(&class)
    })?;
    let guider = g.linked(sampler, "guider");
    let sigmas = g.linked(sampler, "sigmas");
    let either = |key: &str| g.input(sampler, key).or_else(|| g.input(guider?, key));
    let positive = either("positive").or_else(|| g.input(guider?, "conditioning"));
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

impl<'a> Graph<'a> {
    /// The node a link points to.
    fn node(&self, link: &Value) -> Option<&'a Value> {
        let key = match link.as_array()?.first()? {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        self.nodes.get(&key)
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

    /// The text behind a conditioning link: through guidance and combine
    /// nodes to the text encoder.
    fn text(&self, mut link: Option<&'a Value>) -> Option<String> {
        for _ in 0..16 {
            let node = self.node(link?)?;
            for key in ["text", "text_g", "t5xxl", "clip_l"] {
                if let Some(text) = self.value(node, key) {
                    return Some(text);
                }
            }
            link = self
                .input(node, "conditioning")
                .or_else(|| self.input(node, "conditioning_1"));
        }
        None
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// From a sampler's `model` input back through LoRA loaders to the
/// checkpoint (or UNet) loader: its file name, and the LoRAs on the way.
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
        link = ins.and_then(|i| i.get("model"));
    }
    (None, loras)
}

/// InvokeAI's `invokeai_metadata` JSON; `graph` is its workflow or graph.
pub fn invokeai(metadata: &str, graph: Option<&str>) -> Option<GeneratorMetadata> {
    let m: Value = serde_json::from_str(metadata).ok()?;
    let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    let model = m.get("model").and_then(|v| {
        v.get("name")
            .or_else(|| v.get("model_name"))
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let loras = m
        .get("loras")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|l| {
                    let model = l.get("model").or_else(|| l.get("lora"))?;
                    model
                        .get("name")
                        .or_else(|| model.get("model_name"))?
                        .as_str()
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    Some(GeneratorMetadata {
        generator: "InvokeAI".into(),
        tool_version: text("app_version"),
        model,
        loras,
        prompt: text("positive_prompt"),
        negative_prompt: text("negative_prompt").filter(|n| !n.is_empty()),
        seed: m
            .get("seed")
            .map(|s| s.to_string().trim_matches('"').to_string()),
        steps: m.get("steps").and_then(Value::as_u64).map(|s| s as u32),
        sampler: text("scheduler"),
        cfg: m.get("cfg_scale").and_then(Value::as_f64),
        workflow: graph.map(str::to_string),
        source_type: None,
    })
}

/// Fooocus's `parameters` JSON (scheme `fooocus`).
pub fn fooocus(json: &str) -> Option<GeneratorMetadata> {
    let m: Value = serde_json::from_str(json).ok()?;
    let text = |k: &str| {
        m.get(k).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let loras = m
        .get("loras")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|l| l.get(0)?.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Some(GeneratorMetadata {
        generator: "Fooocus".into(),
        tool_version: text("version"),
        model: text("base_model"),
        loras,
        prompt: text("prompt"),
        negative_prompt: text("negative_prompt").filter(|n| !n.is_empty()),
        seed: text("seed"),
        steps: m.get("steps").and_then(Value::as_u64).map(|s| s as u32),
        sampler: text("sampler"),
        cfg: text("guidance_scale").and_then(|g| g.parse().ok()),
        workflow: None,
        source_type: None,
    })
}

/// NovelAI's `Comment` JSON (`prompt`, `uc`, `seed`, `steps`, `scale`,
/// `sampler`), with `Source` naming the model.
pub fn novelai(comment: &str, source: Option<&str>) -> Option<GeneratorMetadata> {
    let m: Value = serde_json::from_str(comment).ok()?;
    let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    Some(GeneratorMetadata {
        generator: "NovelAI".into(),
        tool_version: None,
        model: source.map(str::to_string),
        loras: Vec::new(),
        prompt: text("prompt"),
        negative_prompt: text("uc").filter(|n| !n.is_empty()),
        seed: m.get("seed").map(Value::to_string),
        steps: m.get("steps").and_then(Value::as_u64).map(|s| s as u32),
        sampler: text("sampler"),
        cfg: m.get("scale").and_then(Value::as_f64),
        workflow: None,
        source_type: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1111_parameters() {
        let text = "a lighthouse at dusk, (long lens:1.2)\nNegative prompt: blurry, text\n\
            Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 1234567, Size: 1024x576, \
            Model hash: 31e35c80fc, Model: sd_xl_base_1.0, Lora hashes: \"film: 1a2b, grain: 3c4d\", Version: v1.7.0";
        let m = a1111(text, "AUTOMATIC1111");
        assert_eq!(
            m.prompt.as_deref(),
            Some("a lighthouse at dusk, (long lens:1.2)")
        );
        assert_eq!(m.negative_prompt.as_deref(), Some("blurry, text"));
        assert_eq!(m.steps, Some(30));
        assert_eq!(m.seed.as_deref(), Some("1234567"));
        assert_eq!(m.sampler.as_deref(), Some("DPM++ 2M Karras"));
        assert_eq!(m.cfg, Some(6.5));
        assert_eq!(m.model.as_deref(), Some("sd_xl_base_1.0"));
        assert_eq!(m.tool_version.as_deref(), Some("v1.7.0"));
        assert_eq!(m.loras, ["film", "grain"]);
    }

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
}
