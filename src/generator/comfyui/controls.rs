//! The images an operator fed the graph (`LoadImage`, `LoadImageMask`) and
//! what each one controls, from the node that takes it: a ControlNet's
//! image (its kind from the preprocessor or the ControlNet model's name:
//! depth, pose, edges), an inpaint mask, the picture an edit or inpaint
//! starts from, a style reference (CLIP vision, IP-Adapter, Redux), a
//! video's first or last frame.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::Value;

use super::graph::{class, link_id, output_index, Graph, Upstream};
use crate::generator::GraphControl;
use crate::record::ControlKind;

/// Most nodes walked from one loaded image.
const MAX_WALK: usize = 256;

/// The kind a name suggests (a preprocessor class, a model file): by its
/// words (`control_v11f1p_sd15_depth`, `DWPreprocessor`-style `OpenPose…`),
/// a short one only whole (`hed`, not `patched`).
fn kind_of_name(name: &str) -> Option<ControlKind> {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let any = |long: &[&str], short: &[&str]| {
        words
            .iter()
            .any(|w| long.iter().any(|l| w.starts_with(l) || w.ends_with(l)) || short.contains(w))
    };
    if any(&["depth", "zoe", "midas"], &[]) {
        Some(ControlKind::DepthMap)
    } else if any(&["pose"], &[]) {
        Some(ControlKind::Pose)
    } else if any(
        &["canny", "lineart", "scribble", "softedge", "edge", "sketch"],
        &["hed", "mlsd", "pidi"],
    ) {
        Some(ControlKind::EdgeMap)
    } else if any(&["inpaint"], &[]) {
        Some(ControlKind::SourceImage)
    } else {
        None
    }
}

/// What a node taking the image in `input` makes of it (`mask`: the image
/// arrived as a mask); `None` to look further downstream.
fn taken(
    g: &Graph,
    node: &Value,
    input: &str,
    mask: bool,
    hint: Option<ControlKind>,
    models: &str,
) -> Option<ControlKind> {
    let c = class(node);
    if input == "mask" || (mask && c != "ImageToMask" && c != "MaskToImage") {
        return Some(ControlKind::InpaintMask);
    }
    match (c, input) {
        (_, "start_image") | (_, "first_frame") => Some(ControlKind::FirstFrame),
        (_, "end_image") | (_, "last_frame") => Some(ControlKind::LastFrame),
        _ if c.starts_with("ControlNetApply") || c.starts_with("ACN_") => {
            let model = g
                .linked(node, "control_net")
                .and_then(|n| g.input(n, "control_net_name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            Some(
                hint.or_else(|| kind_of_name(model))
                    .unwrap_or(ControlKind::ControlImage),
            )
        }
        ("InstructPixToPixConditioning", "pixels") => Some(
            hint.or_else(|| kind_of_name(models))
                .unwrap_or(ControlKind::SourceImage),
        ),
        ("CLIPVisionEncode", _) => Some(ControlKind::StyleReference),
        _ if c.starts_with("IPAdapter") => Some(if c.contains("Face") {
            ControlKind::FaceReference
        } else {
            ControlKind::StyleReference
        }),
        _ if c.starts_with("LTXVImgToVideo") || c.starts_with("LTXVAddGuide") => {
            Some(ControlKind::FirstFrame)
        }
        _ if c.starts_with("VAEEncode")
            || c.starts_with("InpaintModelConditioning")
            || c.starts_with("TextEncodeQwenImageEdit")
            || c.starts_with("StableCascade_StageC_VAEEncode") =>
        {
            Some(ControlKind::SourceImage)
        }
        _ => None,
    }
}

impl<'a> Graph<'a> {
    /// Every image loaded on the way to the output and what it controls,
    /// once per (kind, image); a first or last frame is not also counted
    /// as the style reference its CLIP vision encoding is. `models`: the
    /// model files' names, which may say what an edit model's image is
    /// (`flux1-depth-dev-lora`).
    pub fn controls(&self, upstream: &[Upstream<'a>], models: &str) -> Vec<GraphControl> {
        let within: HashSet<&str> = upstream.iter().map(|(id, _)| *id).collect();
        // Who takes each node's outputs: id → (taker id, input, output index).
        let mut takers: HashMap<String, Vec<(&str, &str, u64)>> = HashMap::new();
        for &(id, node) in upstream {
            for (key, v) in node
                .get("inputs")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(from) = link_id(v) {
                    takers
                        .entry(from)
                        .or_default()
                        .push((id, key, output_index(v)));
                }
            }
        }
        let mut out: Vec<GraphControl> = Vec::new();
        for &(id, node) in upstream {
            if !class(node).starts_with("LoadImage") {
                continue;
            }
            let Some(image) = self.input(node, "image").and_then(Value::as_str) else {
                continue;
            };
            let mask_loader = class(node).starts_with("LoadImageMask");
            let mut kinds = self.kinds_from(id, mask_loader, &takers, &within, models);
            if kinds
                .iter()
                .any(|k| matches!(k, ControlKind::FirstFrame | ControlKind::LastFrame))
            {
                kinds.retain(|k| *k != ControlKind::StyleReference);
            }
            for kind in kinds {
                let c = GraphControl {
                    kind,
                    image: image.to_string(),
                };
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        out
    }

    /// Walk downstream from a loader to the nodes that say what its image
    /// is; an image that reaches none is the picture the output starts from.
    fn kinds_from(
        &self,
        loader: &str,
        mask_loader: bool,
        takers: &HashMap<String, Vec<(&str, &str, u64)>>,
        within: &HashSet<&str>,
        models: &str,
    ) -> Vec<ControlKind> {
        let mut queue = VecDeque::from([(loader.to_string(), mask_loader, None, true)]);
        let (mut seen, mut kinds) = (HashSet::new(), Vec::new());
        while let Some((at, mask, hint, first)) = queue.pop_front() {
            if seen.len() > MAX_WALK || !seen.insert((at.clone(), mask)) {
                continue;
            }
            for &(taker, input, index) in takers.get(&at).into_iter().flatten() {
                let Some(node) = self.nodes.get(taker).filter(|_| within.contains(taker)) else {
                    continue;
                };
                // A loader's second output is its mask.
                let mask = mask || (first && index == 1);
                match taken(self, node, input, mask, hint, models) {
                    Some(kind) => kinds.push(kind),
                    None => {
                        let hint = hint.or_else(|| kind_of_name(class(node)));
                        let mask = mask || class(node) == "ImageToMask";
                        queue.push_back((taker.to_string(), mask, hint, false));
                    }
                }
            }
        }
        if kinds.is_empty() {
            kinds.push(if mask_loader {
                ControlKind::InpaintMask
            } else {
                ControlKind::SourceImage
            });
        }
        kinds
    }
}
