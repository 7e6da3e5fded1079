//! What each generator's text says, read as the generator wrote it
//! (ComfyUI's graphs: [`super::comfyui`]): AUTOMATIC1111/Forge `parameters` (prompt, `Negative prompt:`, then
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
        graph_unread: Vec::new(),
        models: Vec::new(),
        prompts: Vec::new(),
        controls: Vec::new(),
        graph: None,
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
        graph_unread: Vec::new(),
        models: Vec::new(),
        prompts: Vec::new(),
        controls: Vec::new(),
        graph: None,
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
        graph_unread: Vec::new(),
        models: Vec::new(),
        prompts: Vec::new(),
        controls: Vec::new(),
        graph: None,
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
        graph_unread: Vec::new(),
        models: Vec::new(),
        prompts: Vec::new(),
        controls: Vec::new(),
        graph: None,
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
}
