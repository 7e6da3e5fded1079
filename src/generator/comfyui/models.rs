//! The models on the way to the output, and the node classes this reader
//! understands.

use std::collections::HashSet;

use serde_json::Value;

use super::graph::{class, link_id, Graph, Upstream};

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
pub fn models(
    g: &Graph,
    upstream: &[Upstream],
    main: Option<&str>,
) -> Vec<crate::record::ModelUse> {
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
const UNDERSTOOD: &[&str] = &[
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
    "DifferentialDiffusion",
    "ReferenceLatent",
    "FluxKontext",
    "StableCascade_",
    "QuadrupleCLIPLoader",
    "CLIPSet",
    "SetUnionControlNetType",
    "Canny",
    "Mask",
    "Hypernetwork",
    "SVD_",
    "VideoLinearCFGGuidance",
    "SplitSigmas",
    "CLIPVision",
];

pub fn understood(class: &str) -> bool {
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
                | "ImageToMask"
                | "GrowMask"
                | "InvertMask"
                | "FeatherMask"
                | "ThresholdMask"
        )
}

/// From a sampler's `model` input back through `ModelSampling*`, LoRA
/// loaders and merges (`model1` first) to the checkpoint (or UNet)
/// loader: its file name, and the LoRAs on the way.
pub fn checkpoint<'a>(
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
