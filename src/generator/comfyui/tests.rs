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

/// Each model's (name, role).
fn roles(m: &GeneratorMetadata) -> Vec<(&str, &str)> {
    m.models
        .iter()
        .map(|u| (u.name.as_str(), u.role.as_str()))
        .collect()
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
    let roles = roles(&m);
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
    let roles = roles(&m);
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

#[test]
fn several_texts_are_several_prompts_and_regions_stay_apart() {
    // SDXL: two encoder inputs with different text; GLIGEN box; an area.
    let g = graph(
        r#""10": {"class_type": "CLIPTextEncodeSDXL", "inputs": {"text_g": "a lighthouse, wide", "text_l": "film grain", "clip": ["4", 1]}},
           "11": {"class_type": "GLIGENTextBoxApply", "inputs": {"conditioning_to": ["13", 0], "clip": ["4", 1], "text": "a red sun", "width": 64, "height": 64, "x": 0, "y": 0}},
           "12": {"class_type": "ConditioningSetArea", "inputs": {"conditioning": ["14", 0], "width": 256, "height": 256, "x": 0, "y": 0, "strength": 1.0}},
           "13": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["10", 0], "conditioning_2": ["12", 0]}},
           "14": {"class_type": "CLIPTextEncode", "inputs": {"text": "a gull in the corner", "clip": ["4", 1]}},
           "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 7, "sampler_name": "euler",
                 "model": ["4", 0], "positive": ["11", 0], "negative": ["7", 0], "latent_image": ["5", 0]}}"#,
    );
    let m = comfyui(&g, None).unwrap();
    assert_eq!(m.prompt.as_deref(), Some("a lighthouse, wide"));
    let parts: Vec<(&str, &str, &str)> = m
        .prompts
        .iter()
        .map(|p| (p.part.as_str(), p.input.as_str(), p.text.as_str()))
        .collect();
    assert_eq!(
        parts,
        [
            ("secondary", "text_l", "film grain"),
            ("regional", "text", "a gull in the corner"),
            ("regional", "text", "a red sun"),
        ]
    );
}

#[test]
fn loaded_images_are_controls_of_the_kind_their_node_makes_them() {
    let g = graph(
        r#""10": {"class_type": "ControlNetApplyAdvanced", "inputs": {"positive": ["6", 0], "negative": ["7", 0], "control_net": ["11", 0], "image": ["12", 0]}},
           "11": {"class_type": "ControlNetLoader", "inputs": {"control_net_name": "control_v11f1p_sd15_depth.pth"}},
           "12": {"class_type": "LoadImage", "inputs": {"image": "depth.png"}},
           "15": {"class_type": "InpaintModelConditioning", "inputs": {"positive": ["10", 0], "negative": ["10", 1], "vae": ["4", 2], "pixels": ["16", 0], "mask": ["16", 1]}},
           "16": {"class_type": "LoadImage", "inputs": {"image": "room.png"}},
           "17": {"class_type": "Canny", "inputs": {"image": ["18", 0], "low_threshold": 0.4, "high_threshold": 0.8}},
           "18": {"class_type": "LoadImage", "inputs": {"image": "sketch.png"}},
           "19": {"class_type": "ControlNetApplyAdvanced", "inputs": {"positive": ["15", 0], "negative": ["15", 1], "control_net": ["20", 0], "image": ["17", 0]}},
           "20": {"class_type": "ControlNetLoader", "inputs": {"control_net_name": "union.safetensors"}},
           "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 7, "sampler_name": "euler",
                 "model": ["4", 0], "positive": ["19", 0], "negative": ["19", 1], "latent_image": ["15", 2]}},
           "40": {"class_type": "LoadImage", "inputs": {"image": "unused.png"}}"#,
    );
    let m = comfyui(&g, None).unwrap();
    let got: Vec<(&str, &str)> = m
        .controls
        .iter()
        .map(|c| (c.kind.as_str(), c.image.as_str()))
        .collect();
    for want in [
        ("depth_map", "depth.png"),
        ("source_image", "room.png"),
        ("inpaint_mask", "room.png"),
        ("edge_map", "sketch.png"),
    ] {
        assert!(got.contains(&want), "{want:?} in {got:?}");
    }
    assert!(!got.iter().any(|(_, n)| *n == "unused.png"), "{got:?}");
    assert_eq!(m.prompt.as_deref(), Some("a lighthouse"));
}

#[test]
fn the_save_node_is_the_one_whose_prefix_names_the_file() {
    let g = graph(
        r#""3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 8, "sampler_name": "euler",
                 "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
           "20": {"class_type": "KSampler", "inputs": {"seed": 2, "steps": 12, "cfg": 8, "sampler_name": "dpmpp_2m",
                 "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["3", 0]}},
           "30": {"class_type": "VAEDecode", "inputs": {"samples": ["20", 0], "vae": ["4", 2]}},
           "31": {"class_type": "SaveImage", "inputs": {"filename_prefix": "hires/final", "images": ["30", 0]}}"#,
    )
    .replace(
        r#""images": ["8", 0]"#,
        r#""filename_prefix": "first", "images": ["8", 0]"#,
    );
    let m = comfyui_saved(&g, None, Some("final_00001_.png")).unwrap();
    assert_eq!(m.seed.as_deref(), Some("2"));
    assert!(m.graph_unread.is_empty(), "{:?}", m.graph_unread);
    let m = comfyui_saved(&g, None, Some("first_00001_.png")).unwrap();
    assert_eq!(m.seed.as_deref(), Some("1"));
    // A renamed file: the first output, and the record says it could not tell.
    let m = comfyui_saved(&g, None, Some("renamed.png")).unwrap();
    assert!(
        m.graph_unread.iter().any(|u| u.contains("2 save nodes")),
        "{:?}",
        m.graph_unread
    );
    assert!(m.graph.is_some(), "kept to read again for another file");
}

#[test]
fn the_workflow_types_read_a_custom_encoder() {
    let g = graph(
        r#""10": {"class_type": "MyStyledEncoder", "inputs": {"clip": ["4", 1], "scene": "a lighthouse in fog", "style": "noir"}},
           "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 7, "sampler_name": "euler",
                 "model": ["4", 0], "positive": ["10", 0], "negative": ["7", 0], "latent_image": ["5", 0]}}"#,
    );
    let untyped = comfyui(&g, None).unwrap();
    assert_eq!(untyped.prompt, None);
    assert_eq!(untyped.graph_unread, ["MyStyledEncoder"]);
    let workflow = r#"{"nodes": [{"id": 10, "type": "MyStyledEncoder",
        "inputs": [{"name": "clip", "type": "CLIP", "link": 1}, {"name": "scene", "type": "STRING", "widget": {"name": "scene"}},
                   {"name": "style", "type": "COMBO", "widget": {"name": "style"}}],
        "outputs": [{"name": "CONDITIONING", "type": "CONDITIONING", "links": [2]}]}]}"#;
    let typed = comfyui(&g, Some(workflow)).unwrap();
    assert_eq!(typed.prompt.as_deref(), Some("a lighthouse in fog"));
    assert!(typed.graph_unread.is_empty(), "{:?}", typed.graph_unread);
}

/// `want[key]` as strings, each item's first `n` strings when the items
/// are arrays.
fn strings(want: &Value, key: &str, n: usize) -> Vec<Vec<String>> {
    let items = want
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    items
        .map(|v| match v.as_array() {
            Some(a) => a
                .iter()
                .take(n)
                .filter_map(|x| x.as_str())
                .map(str::to_string)
                .collect(),
            None => v.as_str().map(str::to_string).into_iter().collect(),
        })
        .collect()
}

/// Every text the operator wrote is committed: main, negative, or another.
fn assert_every_text_committed(file: &str, m: &GeneratorMetadata, want: &Value) {
    let texts: Vec<String> = strings(want, "texts", 1).concat();
    let at = |key: &str, default: u64| want.get(key).map_or(Some(default), Value::as_u64);
    let main = &texts[at("main", 0).unwrap() as usize];
    assert_eq!(m.prompt.as_ref(), Some(main), "{file}");
    let negative = at("negative", 1).map(|i| &texts[i as usize]);
    assert_eq!(m.negative_prompt.as_ref(), negative, "{file}");
    let committed: Vec<&String> = m
        .prompt
        .iter()
        .chain(&m.negative_prompt)
        .chain(m.prompts.iter().map(|p| &p.text))
        .collect();
    for t in &texts {
        assert!(committed.contains(&t), "{file}: {t:?} not in {committed:?}");
    }
    let regional = m.prompts.iter().filter(|p| p.part == "regional").count() as u64;
    let want_regional = want.get("regional").and_then(Value::as_u64).unwrap_or(0);
    assert_eq!(regional, want_regional, "{file}: {:?}", m.prompts);
}

/// The family fixtures (`scripts/make-comfyui-graphs.py`), read from the
/// files as a stamp reads them: what `expected.json` says each graph holds.
#[test]
fn every_family_fixture_reads_the_way_its_graph_was_built() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/generators/comfyui-graphs");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let expected = expected.as_object().unwrap();
    assert!(expected.len() >= 24, "{}", expected.len());
    for (file, want) in expected {
        let mut found = crate::generator::read_path(&dir.join(file), crate::media::Format::Png);
        found.for_file(file);
        let m = found.metadata.unwrap_or_else(|| panic!("{file}: not read"));
        assert_every_text_committed(file, &m, want);
        for pair in strings(want, "models", 2) {
            assert!(
                m.models
                    .iter()
                    .any(|u| u.name == pair[0] && u.role == pair[1]),
                "{file}: {pair:?} in {:?}",
                m.models
            );
        }
        let controls: Vec<Vec<String>> = m
            .controls
            .iter()
            .map(|c| vec![c.kind.to_string(), c.image.clone()])
            .collect();
        assert_eq!(controls, strings(want, "controls", 2), "{file}");
        assert_eq!(
            m.graph_unread,
            strings(want, "unread", 1).concat(),
            "{file}"
        );
        let facts = [
            ("seed", m.seed.clone()),
            ("steps", m.steps.map(|s| s.to_string())),
            ("sampler", m.sampler.clone()),
        ];
        for (key, got) in facts {
            if let Some(v) = want.get(key) {
                let v = v
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string());
                assert_eq!(got, Some(v), "{file}: {key}");
            }
        }
    }
}
