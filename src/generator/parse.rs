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

/// ComfyUI: the API prompt graph (`{id: {class_type, inputs}}`), from its
/// sampler node to the text encoders, seed, steps, sampler, CFG and the
/// checkpoint (through LoRA loaders). `workflow` is the editor's graph.
pub fn comfyui(prompt: &str, workflow: Option<&str>) -> Option<GeneratorMetadata> {
    let graph: Value = serde_json::from_str(prompt).ok()?;
    let nodes = graph.as_object()?;
    fn class(n: &Value) -> &str {
        n.get("class_type").and_then(Value::as_str).unwrap_or("")
    }
    let sampler = nodes
        .values()
        .find(|n| matches!(class(n), "KSampler" | "KSamplerAdvanced"))?;
    let inputs = sampler.get("inputs")?;
    let node = |link: &Value| -> Option<&Value> {
        let id = link.as_array()?.first()?;
        let key = match id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        nodes.get(&key)
    };
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let text_of = |link: Option<&Value>| -> Option<String> {
        let encoder = node(link?)?.get("inputs")?;
        let text = encoder.get("text").or_else(|| encoder.get("text_g"))?;
        scalar(text).or_else(|| {
            // A primitive or string node feeding the encoder.
            let source = node(text)?.get("inputs")?;
            ["text", "string", "value"]
                .iter()
                .find_map(|k| source.get(*k).and_then(scalar))
        })
    };
    let (model, loras) = checkpoint(inputs.get("model"), &node);
    Some(GeneratorMetadata {
        generator: "ComfyUI".into(),
        tool_version: None,
        model,
        loras,
        prompt: text_of(inputs.get("positive")),
        negative_prompt: text_of(inputs.get("negative")),
        seed: inputs
            .get("seed")
            .or_else(|| inputs.get("noise_seed"))
            .and_then(scalar),
        steps: inputs
            .get("steps")
            .and_then(Value::as_u64)
            .map(|s| s as u32),
        sampler: inputs
            .get("sampler_name")
            .and_then(Value::as_str)
            .map(str::to_string),
        cfg: inputs.get("cfg").and_then(Value::as_f64),
        workflow: Some(workflow.unwrap_or(prompt).to_string()),
    })
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
    fn a_graph_without_a_sampler_or_not_json_is_not_comfyui() {
        assert!(comfyui("{\"1\": {\"class_type\": \"SaveImage\"}}", None).is_none());
        assert!(comfyui("not json", None).is_none());
    }
}
