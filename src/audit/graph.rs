//! The asset graph: files and manifest-only ingredients as nodes, ingredient
//! relations as edges (matched by manifest label, then by content hash), and
//! what can be read off it: origin, human-control level, findings.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Checked, Finding, Severity};
use crate::policy::{self, Policy};
use crate::record::{GenerationRecord, Role};
use crate::verify::{IngredientVerdict, State, Verdict};

/// What each human-control level means (evidence, not a legal verdict).
pub const LEVEL_MEANING: [&str; 4] = [
    "none: no operator input recorded (AI-autonomous)",
    "prompt only",
    "prompt plus controls or selection among candidates",
    "plus human editing or compositing steps",
];

/// How deep manifest-only ingredient chains are followed.
const MAX_DEPTH: usize = 32;

/// Actions that carry footage forward without a creative choice: a derived
/// file keeps its source's level.
const CARRY_ACTIONS: &[&str] = &[
    "c2pa.transcoded",
    "c2pa.repackaged",
    "c2pa.converted",
    "c2pa.resized",
];
/// Actions that are human editing when a human role signs them.
const HUMAN_ACTIONS: &[&str] = &[
    "c2pa.placed",
    "c2pa.edited",
    "c2pa.color_adjustments",
    "c2pa.cropped",
    "c2pa.filtered",
    "c2pa.drawing",
];
const HUMAN_ROLES: &[Role] = &[Role::Editing, Role::Compositing, Role::Direction];

/// The human-control evidence recorded for an asset.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Evidence {
    pub prompt_commitment: bool,
    pub controls: Vec<String>,
    /// `CHOSEN of CANDIDATES`, when more than one candidate was generated.
    pub selection: Option<String>,
    pub human_steps: Vec<String>,
    /// For a transcode-like derivation: the source whose level it carries.
    pub inherited_from: Option<String>,
}

/// A node: a file in the tree, or an asset known only from a manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssetNode {
    pub id: String,
    /// `file`, `manifest` (signed, known only as an ingredient) or
    /// `external` (unsigned ingredient not found among the files).
    pub kind: &'static str,
    pub path: Option<String>,
    pub title: String,
    pub sha256: Option<String>,
    pub manifest_label: Option<String>,
    pub state: State,
    pub failures: Vec<String>,
    pub signer: Option<String>,
    pub tool: Option<String>,
    pub license: Option<String>,
    pub commercial_use: Option<bool>,
    pub operator: Option<String>,
    pub operator_id: Option<String>,
    pub role: Option<Role>,
    /// `ai`, `human` or `unknown`.
    pub origin: String,
    /// Human-control level 0–3, for AI-generated assets.
    pub level: Option<u8>,
    pub evidence: Evidence,
    /// Seconds of footage, from the signed clip facts.
    pub seconds: Option<f64>,
    #[serde(skip)]
    actions: Vec<String>,
}

impl AssetNode {
    pub fn is_file(&self) -> bool {
        self.kind == "file"
    }
}

/// An ingredient relation: `from` was made using `to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub relationship: String,
    /// `manifest_label`, `sha256`, or `none` (the node exists only in the manifest).
    pub matched_by: String,
}

pub struct Graph {
    pub assets: Vec<AssetNode>,
    pub edges: Vec<Edge>,
    pub cycles: Vec<String>,
    /// Nodes whose ingredient chain went deeper than [`MAX_DEPTH`].
    pub too_deep: Vec<String>,
}

fn file_id(v: &Verdict) -> String {
    format!("file:{}", v.path.display())
}

fn node_from_record(
    id: String,
    kind: &'static str,
    title: String,
    record: Option<&GenerationRecord>,
) -> AssetNode {
    let mut node = AssetNode {
        id,
        kind,
        path: None,
        title,
        sha256: None,
        manifest_label: None,
        state: State::Unsigned,
        failures: Vec::new(),
        signer: None,
        tool: None,
        license: None,
        commercial_use: None,
        operator: None,
        operator_id: None,
        role: None,
        origin: "unknown".into(),
        level: None,
        evidence: Evidence::default(),
        seconds: None,
        actions: Vec::new(),
    };
    if let Some(r) = record {
        node.tool = Some(r.tool.name.clone());
        node.license = r.license.as_ref().map(|l| l.id.clone());
        node.commercial_use = r.license.as_ref().and_then(|l| l.commercial_use);
        node.operator = Some(r.operator.name.clone()).filter(|n| !n.trim().is_empty());
        node.operator_id = r.operator.id.clone();
        node.role = Some(r.operator.role);
        node.seconds = r
            .media
            .as_ref()
            .and_then(|m| m.duration_s)
            .filter(|_| r.media.as_ref().is_some_and(|m| m.kind == "clip"));
        node.evidence.prompt_commitment = r.prompt.is_some();
        node.evidence.controls = r.controls.iter().map(|c| c.kind.to_string()).collect();
        node.evidence.selection = r
            .selection
            .as_ref()
            .filter(|s| s.candidates > 1)
            .map(|s| format!("{} of {}", s.chosen, s.candidates));
    }
    node
}

/// Build the graph from verified files (with their SHA-256).
pub fn build(verdicts: &[Checked]) -> Graph {
    let mut assets: Vec<AssetNode> = verdicts
        .iter()
        .map(|(v, sha)| {
            let title = v
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut n = node_from_record(file_id(v), "file", title, v.record.as_ref());
            n.path = Some(v.path.display().to_string());
            n.sha256 = sha.clone();
            n.manifest_label = v.manifest_label.clone();
            n.state = v.state;
            n.failures = v.codes.failure.clone();
            n.failures.extend(
                v.ingredient_failures
                    .iter()
                    .map(|f| format!("ingredient {f}")),
            );
            n.signer = v.signer.as_ref().and_then(|s| s.common_name.clone());
            n.actions = v.actions.iter().map(|a| a.action.clone()).collect();
            n.origin = if policy::is_ai(v) {
                "ai"
            } else if v.state == State::Unsigned || v.manifest_label.is_none() {
                "unknown"
            } else {
                "human"
            }
            .into();
            n
        })
        .collect();
    let by_label: BTreeMap<String, String> = assets
        .iter()
        .filter_map(|a| Some((a.manifest_label.clone()?, a.id.clone())))
        .collect();
    let by_sha: BTreeMap<String, String> = assets
        .iter()
        .filter_map(|a| Some((a.sha256.clone()?, a.id.clone())))
        .collect();

    let mut builder = Builder {
        by_label,
        by_sha,
        extra: BTreeMap::new(),
        edges: BTreeSet::new(),
        too_deep: BTreeSet::new(),
    };
    for (v, _) in verdicts {
        builder.link(&file_id(v), v.record.as_ref(), &v.ingredients, 0);
    }
    assets.extend(builder.extra.into_values());
    let edges: Vec<Edge> = builder.edges.into_iter().collect();
    let cycles = find_cycles(&assets, &edges);
    assign_levels(&mut assets, &edges);
    Graph {
        assets,
        edges,
        cycles,
        too_deep: builder.too_deep.into_iter().collect(),
    }
}

struct Builder {
    by_label: BTreeMap<String, String>,
    by_sha: BTreeMap<String, String>,
    extra: BTreeMap<String, AssetNode>,
    edges: BTreeSet<Edge>,
    too_deep: BTreeSet<String>,
}

impl Builder {
    /// Add edges from `from` to each of its ingredients, creating nodes for
    /// ingredients that are not files in the tree.
    fn link(
        &mut self,
        from: &str,
        record: Option<&GenerationRecord>,
        ingredients: &[IngredientVerdict],
        depth: usize,
    ) {
        if depth >= MAX_DEPTH {
            if !ingredients.is_empty() {
                self.too_deep.insert(from.to_string());
            }
            return;
        }
        let mut controls = record
            .map(|r| {
                r.controls
                    .iter()
                    .filter(|c| c.ingredient.is_some())
                    .map(|c| c.sha256.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter();
        for ing in ingredients {
            let title = ing.title.clone().unwrap_or_else(|| "(untitled)".into());
            // The content hash we recorded when stamping, if this ingredient is ours.
            let sha = if ing.relationship == "inputTo" {
                controls.next()
            } else {
                record.and_then(|r| {
                    r.inputs
                        .iter()
                        .find(|i| i.title == title && i.relationship == ing.relationship)
                        .map(|i| i.sha256.clone())
                })
            };
            let by_label = ing
                .manifest_label
                .as_ref()
                .and_then(|l| self.by_label.get(l));
            let by_sha = sha.as_ref().and_then(|s| self.by_sha.get(s));
            let (to, matched_by) = match (by_label, by_sha) {
                (Some(id), _) => (id.clone(), "manifest_label"),
                (None, Some(id)) => (id.clone(), "sha256"),
                (None, None) => (self.outside_node(from, ing, &title, sha, depth), "none"),
            };
            self.edges.insert(Edge {
                from: from.to_string(),
                to,
                relationship: ing.relationship.clone(),
                matched_by: matched_by.into(),
            });
        }
    }

    /// A node for an ingredient that is not among the files.
    fn outside_node(
        &mut self,
        from: &str,
        ing: &IngredientVerdict,
        title: &str,
        sha: Option<String>,
        depth: usize,
    ) -> String {
        let (id, kind) = match &ing.manifest_label {
            Some(label) => (format!("manifest:{label}"), "manifest"),
            None => (format!("external:{from}/{title}"), "external"),
        };
        if !self.extra.contains_key(&id) {
            let mut n = node_from_record(id.clone(), kind, title.to_string(), ing.record.as_ref());
            n.manifest_label = ing.manifest_label.clone();
            n.sha256 = sha;
            n.state = ing.state;
            n.failures = ing.codes.failure.clone();
            n.origin = if ing.record.is_some() {
                "ai"
            } else {
                "unknown"
            }
            .into();
            self.extra.insert(id.clone(), n);
            if ing.manifest_label.is_some() {
                self.link(&id, ing.record.as_ref(), &ing.ingredients, depth + 1);
            }
        }
        id
    }
}

/// Nodes on a cycle of ingredient edges (possible only in crafted manifests).
fn find_cycles(assets: &[AssetNode], edges: &[Edge]) -> Vec<String> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in edges {
        out.entry(e.from.as_str()).or_default().push(e.to.as_str());
    }
    let mut on_cycle = BTreeSet::new();
    for a in assets {
        // Iterative DFS from each node looking for a path back to it.
        let start = a.id.as_str();
        let mut stack: Vec<&str> = out.get(start).cloned().unwrap_or_default();
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == start {
                on_cycle.insert(start.to_string());
                break;
            }
            if seen.insert(n) {
                stack.extend(out.get(n).cloned().unwrap_or_default());
            }
        }
    }
    on_cycle.into_iter().collect()
}

/// Human-control level per AI asset, sources before what was made of them.
fn assign_levels(assets: &mut [AssetNode], edges: &[Edge]) {
    let index: BTreeMap<String, usize> = assets
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let mut parents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in edges.iter().filter(|e| e.relationship == "parentOf") {
        parents
            .entry(e.from.as_str())
            .or_default()
            .push(e.to.as_str());
    }
    let order = topological(assets, edges);
    for i in order {
        let parent = parents
            .get(assets[i].id.as_str())
            .and_then(|p| p.first())
            .and_then(|p| index.get(*p).copied());
        let carries = assets[i]
            .actions
            .iter()
            .any(|a| CARRY_ACTIONS.contains(&a.as_str()));
        let human_role = assets[i].role.is_some_and(|r| HUMAN_ROLES.contains(&r));
        let steps: Vec<String> = assets[i]
            .actions
            .iter()
            .filter(|a| human_role && HUMAN_ACTIONS.contains(&a.as_str()))
            .cloned()
            .collect();
        let (origin, inherited, parent_level) = match parent {
            Some(p) if carries || !steps.is_empty() => (
                assets[p].origin.clone(),
                Some(assets[p].id.clone()),
                assets[p].level,
            ),
            _ => (assets[i].origin.clone(), None, None),
        };
        let a = &mut assets[i];
        a.origin = origin;
        a.evidence.human_steps = steps;
        if a.origin != "ai" {
            continue;
        }
        let own = if a.operator.is_none() {
            0
        } else if !a.evidence.human_steps.is_empty() {
            3
        } else if !a.evidence.controls.is_empty() || a.evidence.selection.is_some() {
            2
        } else if a.evidence.prompt_commitment {
            1
        } else {
            0
        };
        if carries {
            a.evidence.inherited_from = inherited;
        }
        a.level = Some(own.max(parent_level.unwrap_or(0)));
    }
}

/// Node indices with every ingredient before what uses it; nodes on a
/// cycle come last in input order.
fn topological(assets: &[AssetNode], edges: &[Edge]) -> Vec<usize> {
    let index: BTreeMap<&str, usize> = assets
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut pending: Vec<usize> = vec![0; assets.len()];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); assets.len()];
    for e in edges {
        if let (Some(&from), Some(&to)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            pending[from] += 1;
            users[to].push(from);
        }
    }
    let mut ready: Vec<usize> = (0..assets.len())
        .filter(|&i| pending[i] == 0)
        .rev()
        .collect();
    let mut order = Vec::with_capacity(assets.len());
    while let Some(i) = ready.pop() {
        order.push(i);
        for &u in &users[i] {
            pending[u] -= 1;
            if pending[u] == 0 {
                ready.push(u);
            }
        }
    }
    let placed: BTreeSet<usize> = order.iter().copied().collect();
    order.extend((0..assets.len()).filter(|i| !placed.contains(i)));
    order
}

/// Findings for every asset, each naming the signed fact behind it.
pub fn findings(graph: &Graph, verdicts: &[Checked], policy: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |asset: &str, severity, code: &str, message: String| {
        out.push(Finding {
            asset: asset.to_string(),
            severity,
            code: code.into(),
            message,
        })
    };
    let nodes: BTreeMap<&str, &AssetNode> =
        graph.assets.iter().map(|a| (a.id.as_str(), a)).collect();
    for (v, _) in verdicts {
        let id = file_id(v);
        let name = v.path.display().to_string();
        match v.state {
            State::Unsigned => add(
                &name,
                Severity::Error,
                "unsigned",
                "no C2PA manifest, embedded or sidecar".into(),
            ),
            State::Remote => add(
                &name,
                Severity::Error,
                "remote_manifest",
                "the manifest is remote and was not fetched".into(),
            ),
            State::Error => add(
                &name,
                Severity::Error,
                "unreadable",
                v.error.clone().unwrap_or_default(),
            ),
            State::Invalid => {
                let mut what: Vec<String> = v.codes.failure.clone();
                what.extend(v.error.clone());
                if !what.is_empty() {
                    add(&name, Severity::Error, "invalid", what.join(", "));
                }
                for f in &v.ingredient_failures {
                    add(&name, Severity::Error, "ingredient_failure", f.clone());
                }
            }
            State::Valid => {
                let signer = v.signer.as_ref();
                let severity = if policy.require_trusted {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                add(
                    &name,
                    severity,
                    "untrusted_signer",
                    format!(
                        "signed by {} (issued by {}), which does not chain to the trust bundle",
                        signer.and_then(|s| s.common_name.as_deref()).unwrap_or("?"),
                        signer.and_then(|s| s.issuer.as_deref()).unwrap_or("?")
                    ),
                );
            }
            State::Trusted | State::Recovered => {}
        }
        if v.codes
            .failure
            .iter()
            .any(|c| c == "signingCredential.expired")
            && v.signer.as_ref().and_then(|s| s.time.as_ref()).is_none()
        {
            add(
                &name,
                Severity::Error,
                "expired_no_timestamp",
                "the signing certificate expired and the signature has no trusted timestamp".into(),
            );
        }
        if let Some(r) = &v.record {
            licence_findings(&name, r, policy, &mut add);
        }
        if let Some(node) = nodes.get(id.as_str()) {
            if node.origin == "ai" && node.level == Some(0) {
                add(&name, Severity::Info, "ai_autonomous", "AI-generated with no human control recorded (no prompt, controls, selection or edits)".into());
            }
        }
    }
    for e in &graph.edges {
        let Some(to) = nodes.get(e.to.as_str()) else {
            continue;
        };
        let from = nodes
            .get(e.from.as_str())
            .and_then(|n| n.path.clone())
            .unwrap_or_else(|| e.from.clone());
        if !nodes.get(e.from.as_str()).is_some_and(|n| n.is_file()) || e.relationship == "inputTo" {
            continue;
        }
        if to.kind == "manifest" {
            let twin = graph
                .assets
                .iter()
                .find(|a| a.is_file() && a.title == to.title);
            match twin {
                Some(t) => add(&from, Severity::Error, "source_differs", format!(
                    "its {} {:?} (manifest {}) does not match {} in the tree, which has another manifest or content",
                    e.relationship, to.title, to.manifest_label.as_deref().unwrap_or("?"), t.path.as_deref().unwrap_or("?")
                )),
                None => add(&from, Severity::Error, "source_missing", format!(
                    "its {} {:?} (manifest {}) is not among the audited files",
                    e.relationship, to.title, to.manifest_label.as_deref().unwrap_or("?")
                )),
            }
        } else if to.kind == "external" {
            add(
                &from,
                Severity::Warning,
                "input_not_found",
                format!(
                    "its unsigned {} {:?} is not among the audited files",
                    e.relationship, to.title
                ),
            );
        }
    }
    for id in &graph.too_deep {
        add(id, Severity::Error, "chain_too_deep", format!("the ingredient chain goes deeper than {MAX_DEPTH} manifests; the rest was not followed"));
    }
    for id in &graph.cycles {
        add(
            id,
            Severity::Error,
            "cycle",
            "the asset is its own ingredient through a chain of manifests".into(),
        );
    }
    out
}

fn licence_findings(
    name: &str,
    r: &GenerationRecord,
    policy: &Policy,
    add: &mut impl FnMut(&str, Severity, &str, String),
) {
    let tool = &r.tool.name;
    match &r.license {
        None => add(name, Severity::Warning, "unknown_licence", format!("tool {tool:?}: no licence recorded")),
        Some(l) => match l.commercial_use {
            Some(false) if policy.commercial => add(name, Severity::Error, "non_commercial_tool", format!(
                "tool {tool:?} under licence {:?} does not allow commercial use, and the film is commercial", l.id
            )),
            Some(false) => add(name, Severity::Info, "non_commercial_tool", format!(
                "tool {tool:?} under licence {:?} does not allow commercial use", l.id
            )),
            None => add(name, Severity::Warning, "unknown_licence", format!(
                "licence {:?} of tool {tool:?} does not say whether commercial use is allowed", l.id
            )),
            Some(true) => {}
        },
    }
    if let Some(allowed) = &policy.allowed_tools {
        if !allowed.iter().any(|t| t.eq_ignore_ascii_case(tool)) {
            add(
                name,
                Severity::Error,
                "tool_not_allowed",
                format!("tool {tool:?} is not on the policy's allowed list"),
            );
        }
    }
}
