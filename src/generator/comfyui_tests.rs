//! Graphs shaped like ComfyUI's example workflows.
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
    let roles: Vec<(&str, &str)> = m
        .models
        .iter()
        .map(|u| (u.name.as_str(), u.role.as_str()))
        .collect();
    assert!(roles.contains(&("second.safetensors", "base")), "{roles:?}");
    assert!(
        roles.contains(&("base.safetensors", "merge_source")),
        "{roles:?}"
    );
}

#[test]
fn every_model_on_the_way_to_the_output_is_named_with_its_part() {
    let g = graph(
        r#""10": {"class_type": "ControlNetApplyAdvanced", "inputs": {"positive": ["6", 0], "negative": ["7", 0], "control_net": ["11", 0], "image": ["12", 0]}},
           "11": {"class_type": "ControlNetLoader", "inputs": {"control_net_name": "control_v11p_sd15_canny.pth"}},
           "12": {"class_type": "LoadImage", "inputs": {"image": "edges.png"}},
           "13": {"class_type": "LoraLoader", "inputs": {"lora_name": "grain.safetensors", "model": ["4", 0], "clip": ["4", 1]}},
           "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 7, "sampler_name": "euler",
                 "model": ["13", 0], "positive": ["10", 0], "negative": ["10", 1], "latent_image": ["5", 0]}},
           "50": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "unused.safetensors"}}"#,
    );
    let m = comfyui(&g, None).unwrap();
    let roles: Vec<(&str, &str)> = m
        .models
        .iter()
        .map(|u| (u.name.as_str(), u.role.as_str()))
        .collect();
    for want in [
        ("base.safetensors", "base"),
        ("grain.safetensors", "lora"),
        ("control_v11p_sd15_canny.pth", "controlnet"),
    ] {
        assert!(roles.contains(&want), "{want:?} in {roles:?}");
    }
    assert!(
        !roles.iter().any(|(n, _)| *n == "unused.safetensors"),
        "{roles:?}"
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

#[test]
fn a_custom_node_on_the_way_to_the_output_is_named_not_guessed() {
    let g = graph(
        r#""10": {"class_type": "FancyPromptEnhancer", "inputs": {"conditioning": ["6", 0], "style": "noir"}},
           "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 7, "sampler_name": "euler",
                 "model": ["4", 0], "positive": ["10", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
           "40": {"class_type": "UnrelatedCustomNode", "inputs": {}}"#,
    );
    let m = comfyui(&g, None).unwrap();
    assert_eq!(
        m.graph_unread,
        ["FancyPromptEnhancer"],
        "only what the output depends on"
    );
    let plain = comfyui(&graph(r#""3": {"class_type": "KSampler", "inputs": {"positive": ["6", 0], "negative": ["7", 0], "model": ["4", 0]}}"#), None).unwrap();
    assert!(plain.graph_unread.is_empty(), "{:?}", plain.graph_unread);
}
