//! Composing the manifest for one file: the claim's definition, the
//! ingredients (controls, parent, components), the `c2pa.actions.v2`
//! assertion, our record and the soft binding. Signing happens elsewhere
//! (`splice`, or the SDK's writer in `stamper`).

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use c2pa::{Builder, Context};
use serde_json::json;

use crate::error::{Error, Result};
use crate::media::fingerprint::{self, Fingerprint};
use crate::media::iscc;
use crate::media::{self, Format};
use crate::record::disclosure::{self, Oversight};
use crate::record::training;
use crate::record::{self, GenerationRecord, Relationship};

use super::claim::Template;
use super::request::StampRequest;
use crate::sys::path_text::file_title;

/// IPTC digital source types (https://cv.iptc.org/newscodes/digitalsourcetype/).
const IPTC: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/";

/// The C2PA specification version the manifests we sign follow.
pub const SPEC_VERSION: &str = "2.2.0";

/// What one file's manifest says, besides the record.
pub struct Parts<'a> {
    pub input: &'a Path,
    pub format: Format,
    /// The signed media's path, whose file name is the claim's title.
    pub media_target: &'a Path,
    pub manifest_label: &'a str,
    /// The parent ingredient: the request's, or the input itself when it is
    /// already signed (re-stamping must not drop its history).
    pub parent: Option<&'a Path>,
    pub record: &'a GenerationRecord,
    pub fingerprint: Option<&'a Fingerprint>,
    /// The human oversight the stamp's evidence supports.
    pub oversight: Oversight,
}

/// A builder holding the whole manifest for `parts`, ready to sign.
pub fn compose(
    context: &Arc<Context>,
    request: &StampRequest,
    template: &Template,
    parts: &Parts,
) -> Result<Builder> {
    let sign_err = |e| sign_err(parts.input, e);
    let definition = json!({
        "title": file_title(parts.media_target),
        "format": parts.format.mime(),
        "label": parts.manifest_label,
        "claim_generator_info": [{
            "name": "credits",
            "version": env!("CARGO_PKG_VERSION"),
            "specVersion": SPEC_VERSION,
        }],
    });
    let mut builder = Builder::from_shared_context(context)
        .with_definition(definition.to_string())
        .map_err(sign_err)?;
    let labels = add_ingredients(&mut builder, request, parts)?;
    let actions = actions_assertion(request, template, &labels);
    builder
        .add_assertion("c2pa.actions.v2", &actions)
        .and_then(|b| b.add_assertion(record::LABEL, parts.record))
        .map_err(sign_err)?;
    // The generation step's disclosure (a derivation is no generation).
    if request.derive.is_none() {
        let source = format!("{IPTC}{}", source_type(request, template));
        let disclosed = disclosure::to_assertion(parts.oversight, &source);
        builder
            .add_assertion(disclosure::LABEL, &disclosed)
            .map_err(sign_err)?;
    }
    if let Some(t) = &request.training_mining {
        builder
            .add_assertion(training::LABEL, &t.to_assertion())
            .map_err(sign_err)?;
    }
    if let Some(fp) = parts.fingerprint {
        // A frame's blocks have no time scope; a clip's cover one step each.
        let step = parts
            .format
            .is_video()
            .then(|| 1000 / u64::from(fingerprint::SAMPLES_PER_SECOND));
        // A sound has an ISCC code and no samples of ours.
        if !fp.samples.is_empty() {
            builder
                .add_assertion(fingerprint::LABEL, &fp.to_soft_binding(step))
                .map_err(sign_err)?;
        }
        if let Some(code) = &fp.iscc {
            builder
                .add_assertion(fingerprint::LABEL, &iscc::to_soft_binding(code))
                .map_err(sign_err)?;
        }
    }
    Ok(builder)
}

/// Labels of the ingredients added, by role in the actions.
struct IngredientLabels {
    parent: Option<String>,
    controls: Vec<String>,
    components: Vec<String>,
}

fn add_ingredients(
    builder: &mut Builder,
    request: &StampRequest,
    parts: &Parts,
) -> Result<IngredientLabels> {
    let mut labels = IngredientLabels {
        parent: None,
        controls: Vec::new(),
        components: Vec::new(),
    };
    let paths = request
        .controls
        .iter()
        .map(|(_, path)| Some(path.clone()))
        .chain(super::claim::graph_control_paths(request));
    for (path, control) in paths.zip(&parts.record.controls) {
        let (Some(label), Some(path)) = (&control.ingredient, path) else {
            continue;
        };
        // Two controls from one file share its ingredient.
        if !labels.controls.contains(label) {
            add_ingredient(builder, &path, Relationship::InputTo, label)?;
            labels.controls.push(label.clone());
        }
    }
    if let Some(path) = parts.parent {
        add_ingredient(builder, path, Relationship::ParentOf, "parent")?;
        labels.parent = Some("parent".into());
    }
    for (i, path) in request.components.iter().enumerate() {
        let label = format!("component-{i}");
        add_ingredient(builder, path, Relationship::ComponentOf, &label)?;
        labels.components.push(label);
    }
    Ok(labels)
}

fn add_ingredient(
    builder: &mut Builder,
    path: &Path,
    relationship: Relationship,
    label: &str,
) -> Result<()> {
    let rerr = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let format = Format::detect(path).map_err(rerr)?;
    let mut file = File::open(path).map_err(rerr)?;
    media::precheck(&mut file, format.mime()).map_err(|reason| Error::Malformed {
        path: path.to_path_buf(),
        reason,
    })?;
    // The same title as the record's `inputs`, which audits match on.
    let json = json!({
        "title": file_title(path),
        "relationship": relationship.as_str(),
        "label": label,
    });
    builder
        .add_ingredient_from_stream(json.to_string(), format.mime(), &mut file)
        .map_err(|source| Error::Ingredient {
            path: path.to_path_buf(),
            source: Box::new(source),
        })?;
    Ok(())
}

/// `c2pa.actions.v2`. A generation is `c2pa.created` (or `c2pa.opened` +
/// `c2pa.edited` from a parent) with the IPTC source type and the tool as
/// software agent; a derivation is `c2pa.opened` + its own action. Each
/// component adds `c2pa.placed`.
fn actions_assertion(
    request: &StampRequest,
    template: &Template,
    labels: &IngredientLabels,
) -> serde_json::Value {
    let mut agent = json!({"name": request.tool.name});
    if let Some(v) = &request.tool.version {
        agent["version"] = json!(v);
    }
    let step = match request.derive {
        Some(derive) => {
            let mut step = json!({
                "action": derive.c2pa_action(),
                "softwareAgent": agent,
                "description": derive.as_str(),
            });
            if let Some(parent) = &labels.parent {
                step["parameters"] = json!({"ingredientIds": [parent]});
            }
            step
        }
        None => generation_action(request, template, labels, agent),
    };
    let mut actions = Vec::new();
    if let Some(parent) = &labels.parent {
        actions.push(json!({"action": "c2pa.opened", "parameters": {"ingredientIds": [parent]}}));
    }
    actions.push(step);
    for c in &labels.components {
        actions.push(json!({"action": "c2pa.placed", "parameters": {"ingredientIds": [c]}}));
    }
    // A stamp or derivation lists every action it took.
    json!({ "actions": actions, "allActionsIncluded": true })
}

/// The generation step: created (or edited from a parent) by the tool,
/// with the IPTC source type: a composite when a human-made component is
/// placed; else the one an upstream manifest declared, when the tool was
/// taken from it; else AI generation.
fn generation_action(
    request: &StampRequest,
    template: &Template,
    labels: &IngredientLabels,
    agent: serde_json::Value,
) -> serde_json::Value {
    let mut step = json!({
        "action": if labels.parent.is_some() { "c2pa.edited" } else { "c2pa.created" },
        "digitalSourceType": format!("{IPTC}{}", source_type(request, template)),
        "softwareAgent": agent,
    });
    if !labels.controls.is_empty() {
        step["parameters"] = json!({"ingredientIds": labels.controls});
    }
    step
}

/// The generation's IPTC source type: a composite when a human-made
/// component is placed; else the one an upstream manifest declared; else
/// AI generation.
fn source_type<'a>(request: &'a StampRequest, template: &Template) -> &'a str {
    let upstream = request
        .generation
        .as_ref()
        .and_then(|g| g.source_type.as_deref());
    match upstream {
        _ if template.human_components => "compositeWithTrainedAlgorithmicMedia",
        Some(term) => term,
        None => "trainedAlgorithmicMedia",
    }
}

/// The term of an IPTC digital source type URI (`trainedAlgorithmicMedia`
/// of `…/digitalsourcetype/trainedAlgorithmicMedia`, http or https), if it
/// is one: a plain word under IPTC's vocabulary, so nothing else an
/// upstream manifest says is copied into our action.
pub fn iptc_term(uri: &str) -> Option<&str> {
    let rest = uri
        .strip_prefix("http://")
        .or_else(|| uri.strip_prefix("https://"))?;
    let term = rest.strip_prefix(&IPTC["http://".len()..])?;
    (!term.is_empty() && term.len() <= 64 && term.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(term)
}

pub fn sign_err(path: &Path, source: c2pa::Error) -> Error {
    Error::Sign {
        path: path.to_path_buf(),
        source: Box::new(source),
    }
}

/// A signing failure, or the format the SDK cannot embed into.
pub fn embed_err(path: &Path, format: Format, source: c2pa::Error) -> Error {
    match source {
        c2pa::Error::UnsupportedType => Error::CannotEmbed {
            path: path.to_path_buf(),
            format: format.mime().to_string(),
        },
        source => sign_err(path, source),
    }
}
