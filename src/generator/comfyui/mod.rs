//! ComfyUI's API prompt graph (`{id: {class_type, inputs}}`; `workflow` is
//! the editor's graph, whose types fill what the API graph lacks), read
//! the way the operator built it:
//!
//! - **From the output.** The node that saved the file (`SaveImage`,
//!   `SaveAnimatedWEBP`, `SaveVideo`, `VHS_VideoCombine`… — any `Save*` or
//!   `*Combine` node; where a graph has several, the one whose
//!   `filename_prefix` the file's name starts with), walked backwards: the
//!   sampler is the one nearest it, so a hires-fix or refiner pass names
//!   the sampler that made the saved picture.
//! - **Every prompt** ([`prompts`]): conditioning followed through any
//!   node to every text input of an encoder; the main prompt, and the
//!   others by part (`secondary`, `regional`).
//! - **Every model** ([`models`]) with its part, the main one named.
//! - **Every loaded image** ([`controls`]) with what it controls.
//! - Node classes not understood are named (`graph_unread`), never guessed.

mod controls;
mod graph;
mod models;
mod prompts;

use std::collections::HashSet;

use serde_json::Value;

use self::graph::{class, Graph};
use self::prompts::Reached;
use crate::generator::{GeneratorMetadata, PromptText};

/// Sampler nodes: the classic ones carry everything; the custom ones
/// (Flux and SD3 workflows) reach it through a guider, a noise node, a
/// sampler select and a scheduler.
const SAMPLERS: [&str; 4] = [
    "KSampler",
    "KSamplerAdvanced",
    "SamplerCustom",
    "SamplerCustomAdvanced",
];

/// The API graph `prompt` (and the editor's `workflow`, committed), read
/// for the graph's first output node.
pub fn comfyui(prompt: &str, workflow: Option<&str>) -> Option<GeneratorMetadata> {
    comfyui_saved(prompt, workflow, None)
}

/// The same, for the output node that saved the file named `saved`: the
/// one whose `filename_prefix` the name starts with, where a graph saves
/// several. Outputs it cannot tell apart are said in `graph_unread`.
pub fn comfyui_saved(
    prompt: &str,
    workflow: Option<&str>,
    saved: Option<&str>,
) -> Option<GeneratorMetadata> {
    let value: Value = serde_json::from_str(prompt).ok()?;
    let g = Graph {
        nodes: value.as_object()?,
        types: graph::editor_types(workflow),
    };
    let outputs = g.outputs();
    let (output, ambiguous) = choose_output(&g, &outputs, saved);
    let upstream = output.map(|o| g.upstream(o)).unwrap_or_default();
    let sampler = sampler(&g, &upstream)?;
    let mut read_by_type = HashSet::new();
    let texts = texts(&g, sampler, &upstream, &mut read_by_type);
    let mut meta = sampled(&g, sampler);
    meta.models = models::models(&g, &upstream, meta.model.as_deref());
    let names: Vec<&str> = meta.models.iter().map(|m| m.name.as_str()).collect();
    meta.controls = g.controls(&upstream, &names.join(" "));
    let mut graph_unread: Vec<String> = upstream
        .iter()
        .filter(|(id, n)| !models::understood(class(n)) && !read_by_type.contains(*id))
        .map(|(_, n)| class(n).to_string())
        .collect();
    graph_unread.sort();
    graph_unread.dedup();
    graph_unread.extend(ambiguous);
    Some(GeneratorMetadata {
        prompt: texts.0,
        negative_prompt: texts.1,
        prompts: texts.2,
        workflow: Some(workflow.unwrap_or(prompt).to_string()),
        graph_unread,
        graph: (outputs.len() > 1).then(|| prompt.to_string()),
        ..meta
    })
}

/// What the sampler that made the output says: seed, steps, sampler, CFG
/// (on it, or on its noise, sampler-select, scheduler and guider nodes),
/// and the checkpoint with the LoRAs on the way to it.
fn sampled<'a>(g: &Graph<'a>, sampler: &'a Value) -> GeneratorMetadata {
    let guider = g.linked(sampler, "guider");
    let sigmas = g.linked(sampler, "sigmas");
    let either = |key: &str| g.input(sampler, key).or_else(|| g.input(guider?, key));
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
    let (model, loras) = models::checkpoint(model, &|l| g.node(l));
    GeneratorMetadata {
        generator: "ComfyUI".into(),
        model,
        loras,
        seed,
        steps: steps.and_then(|s| s.parse().ok()),
        sampler: sampler_name,
        cfg: cfg.and_then(|c| c.parse().ok()),
        ..GeneratorMetadata::default()
    }
}

/// The main prompt, the main negative, and every other text: the
/// sampler's own, then those of earlier passes (a hires fix's first
/// prompt, a refiner's base), which shaped the output too.
fn texts<'a>(
    g: &Graph<'a>,
    sampler: &'a Value,
    upstream: &[graph::Upstream<'a>],
    read_by_type: &mut HashSet<String>,
) -> (Option<String>, Option<String>, Vec<PromptText>) {
    let (positive, negative) = conditioning(g, sampler);
    let (prompt, mut prompts) = split(g.texts(positive, read_by_type), "");
    let (negative, negatives) = split(g.texts(negative, read_by_type), "negative_");
    prompts.extend(negatives);
    let mut known: HashSet<String> = prompt.iter().chain(&negative).cloned().collect();
    known.extend(prompts.iter().map(|p| p.text.clone()));
    let earlier = upstream
        .iter()
        .map(|(_, n)| *n)
        .filter(|n| SAMPLERS.contains(&class(n)) && !std::ptr::eq(*n, sampler));
    for other in earlier {
        let (pos, neg) = conditioning(g, other);
        for (link, part) in [(pos, "earlier_pass"), (neg, "negative_earlier_pass")] {
            for t in g.texts(link, read_by_type) {
                if known.insert(t.text.clone()) {
                    prompts.push(PromptText {
                        part: part.into(),
                        input: t.input,
                        text: t.text,
                    });
                }
            }
        }
    }
    (prompt, negative, prompts)
}

/// The main text (the first not regional, else the first) and the others,
/// each with its part: `regional`, or `secondary` (another encoder input
/// or a combined encoder); `prefix` marks the negative side's.
fn split(texts: Vec<Reached>, prefix: &str) -> (Option<String>, Vec<PromptText>) {
    let main = texts
        .iter()
        .position(|t| !t.regional)
        .or((!texts.is_empty()).then_some(0));
    let mut main_text = None;
    let mut rest = Vec::new();
    for (i, t) in texts.into_iter().enumerate() {
        if Some(i) == main {
            main_text = Some(t.text);
        } else {
            let part = if t.regional { "regional" } else { "secondary" };
            rest.push(PromptText {
                part: format!("{prefix}{part}"),
                input: t.input,
                text: t.text,
            });
        }
    }
    (main_text, rest)
}

/// The output node that saved `saved` (by its `filename_prefix`), else the
/// first; and, where several could have, what the record cannot tell.
fn choose_output<'a>(
    g: &Graph<'a>,
    outputs: &[&'a String],
    saved: Option<&str>,
) -> (Option<&'a String>, Option<String>) {
    if outputs.len() <= 1 {
        return (outputs.first().copied(), None);
    }
    let prefix = |id: &str| {
        let p = g.input(&g.nodes[id], "filename_prefix")?.as_str()?;
        let base = p.rsplit(['/', '\\']).next()?;
        (!base.is_empty() && !base.contains('%')).then(|| format!("{base}_"))
    };
    let matching: Vec<&String> = match saved {
        Some(name) => outputs
            .iter()
            .copied()
            .filter(|id| prefix(id).is_some_and(|p| name.starts_with(&p)))
            .collect(),
        None => Vec::new(),
    };
    if matching.len() == 1 {
        return (Some(matching[0]), None);
    }
    let among = if matching.is_empty() {
        outputs.to_vec()
    } else {
        matching
    };
    let classes: Vec<&str> = among
        .iter()
        .map(|id| class(&g.nodes[id.as_str()]))
        .collect();
    let note = format!(
        "output: {} save nodes ({}) could have written this file; read the first",
        among.len(),
        classes.join(", ")
    );
    (Some(among[0]), Some(note))
}

/// A sampler's positive and negative conditioning links (on the sampler,
/// or on its guider: `conditioning`, `cond1`).
fn conditioning<'a>(g: &Graph<'a>, sampler: &'a Value) -> (Option<&'a Value>, Option<&'a Value>) {
    let guider = g.linked(sampler, "guider");
    let either = |key: &str| g.input(sampler, key).or_else(|| g.input(guider?, key));
    let positive = either("positive")
        .or_else(|| g.input(guider?, "conditioning"))
        .or_else(|| g.input(guider?, "cond1"));
    (positive, either("negative"))
}

/// The sampler nearest the output node; without one, the first sampler.
fn sampler<'a>(g: &Graph<'a>, upstream: &[graph::Upstream<'a>]) -> Option<&'a Value> {
    let is_sampler = |n: &&Value| SAMPLERS.contains(&class(n));
    upstream
        .iter()
        .map(|(_, n)| *n)
        .find(is_sampler)
        .or_else(|| {
            g.ids()
                .into_iter()
                .map(|id| &g.nodes[id.as_str()])
                .find(is_sampler)
        })
}

#[cfg(test)]
mod tests;
