//! The asset graph: files and manifest-only ingredients as nodes, ingredient
//! relations as edges, cycles (possible only in crafted manifests) and
//! chains too deep to follow. An ingredient is linked to a file only when
//! the content hash recorded for it matches the file's: a manifest label
//! alone is a claim any signer can copy onto another file.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::cycles;
use crate::record::{GenerationRecord, Role};
use crate::verify::policy;
use crate::verify::{IngredientVerdict, State, Verdict, MAX_CHAIN_DEPTH};

/// A verified file and the SHA-256 of its bytes.
pub type Checked = (Verdict, Option<String>);

pub use super::evidence::Evidence;

/// A node: a file in the tree, or an asset known only from a manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssetNode {
    pub id: String,
    pub kind: NodeKind,
    pub path: Option<String>,
    pub title: String,
    pub sha256: Option<String>,
    pub manifest_label: Option<String>,
    pub state: State,
    pub failures: Vec<String>,
    pub signer: Option<String>,
    /// The signing certificate's issuer and serial: whose work it is.
    pub certificate: Option<String>,
    /// The CAWG training-and-mining declaration, as `entry=use, …`.
    pub training_mining: Option<String>,
    /// The `c2pa.ai-disclosure` human oversight level it declares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oversight: Option<crate::record::disclosure::Oversight>,
    /// The file still carries its generator's plaintext metadata.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub generator_metadata: bool,
    pub tool: Option<String>,
    pub license: Option<String>,
    pub commercial_use: Option<bool>,
    pub operator: Option<String>,
    pub operator_id: Option<String>,
    pub role: Option<Role>,
    pub origin: Origin,
    /// Human-control level 0–3, for AI-generated assets.
    pub level: Option<u8>,
    pub evidence: Evidence,
    /// Seconds of footage, from the signed clip facts.
    pub seconds: Option<f64>,
    /// Other audited paths with byte-identical content and the same
    /// manifest: one asset, counted once.
    pub copies: Vec<String>,
    /// Not in the delivery, but in the catalog and verified (`--index`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog: Option<crate::index::Catalogued>,
    /// Why a catalog row claiming this asset did not verify: it stands in
    /// for nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog_unverified: Option<String>,
    /// The signed pixel digest (`media.pixels_sha256`).
    #[serde(skip)]
    pub(super) pixels: Option<String>,
    #[serde(skip)]
    pub(super) actions: Vec<String>,
}

impl AssetNode {
    pub fn is_file(&self) -> bool {
        self.kind == NodeKind::File
    }

    /// A signed file that does not say whether it may train models.
    pub fn training_mining_undeclared(&self) -> bool {
        self.is_file() && self.manifest_label.is_some() && self.training_mining.is_none()
    }
}

/// An ingredient relation: `from` was made using `to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub relationship: String,
    pub matched_by: MatchedBy,
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A file among the audited paths.
    File,
    /// A signed asset known only as an ingredient in a manifest.
    Manifest,
    /// An unsigned ingredient not found among the files.
    External,
}

/// Where an asset came from, as its manifest declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Its actions declare AI generation (IPTC source type).
    Ai,
    /// Signed, with no AI-generation claim.
    Human,
    /// Unsigned, or nothing to tell.
    Unknown,
}

/// How an edge's ingredient was found among the assets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The ingredient's manifest label and recorded content hash are an
    /// audited file's.
    LabelAndSha256,
    /// The content hash `stamp` recorded is an audited file's (an
    /// ingredient that was unsigned, or signed by sidecar).
    Sha256,
    /// Not found: the node exists only in the manifest.
    None,
}

/// The graph built from an audit's files.
pub struct Graph {
    pub assets: Vec<AssetNode>,
    pub edges: Vec<Edge>,
    pub cycles: Vec<String>,
    /// Nodes whose ingredient chain went deeper than [`MAX_CHAIN_DEPTH`].
    pub too_deep: Vec<String>,
    /// Ingredients whose manifest label a file claims, not linked to it
    /// because no content hash was recorded to confirm the claim.
    pub unconfirmed: Vec<Unconfirmed>,
}

/// An ingredient's manifest label found on a file, unconfirmed by content.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unconfirmed {
    pub from: String,
    pub title: String,
    pub relationship: String,
    pub claimant: String,
}

/// The node id of an audited file.
pub fn file_id(v: &Verdict) -> String {
    format!("file:{}", v.path.display())
}

fn node_from_record(
    id: String,
    kind: NodeKind,
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
        certificate: None,
        training_mining: None,
        oversight: None,
        generator_metadata: false,
        tool: None,
        license: None,
        commercial_use: None,
        operator: None,
        operator_id: None,
        role: None,
        origin: Origin::Unknown,
        level: None,
        evidence: Evidence::default(),
        seconds: None,
        copies: Vec::new(),
        catalog: None,
        catalog_unverified: None,
        pixels: None,
        actions: Vec::new(),
    };
    if let Some(r) = record {
        from_record(&mut node, r);
    }
    node
}

/// What the generation record says about a node.
fn from_record(node: &mut AssetNode, r: &GenerationRecord) {
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
    node.pixels = r.media.as_ref().and_then(|m| m.pixels_sha256.clone());
    node.evidence.prompt_commitment = r.prompt.is_some();
    node.evidence.controls = r.controls.iter().map(|c| c.kind.to_string()).collect();
    node.evidence.selection = r
        .selection
        .as_ref()
        .filter(|s| s.candidates > 1 && s.candidates <= crate::record::MAX_CANDIDATES)
        .map(|s| format!("{} of {}", s.chosen, s.candidates));
}

/// Build the graph from verified files (with their SHA-256). Files with the
/// same content and manifest are one asset, its copies listed: ten copies
/// of a frame are not ten contributions.
pub fn build(verdicts: &[Checked]) -> Graph {
    let mut assets: Vec<AssetNode> = Vec::new();
    let mut distinct: Vec<&Verdict> = Vec::new();
    let mut seen: BTreeMap<(&str, Option<&str>), usize> = BTreeMap::new();
    for (v, sha) in verdicts {
        if let Some(sha) = sha {
            let key = (sha.as_str(), v.manifest_label.as_deref());
            if let Some(&i) = seen.get(&key) {
                let node: &mut AssetNode = &mut assets[i];
                node.copies.push(v.path.display().to_string());
                continue;
            }
            seen.insert(key, assets.len());
        }
        assets.push(file_node(v, sha));
        distinct.push(v);
    }
    let mut by_label: BTreeMap<String, Vec<(String, Option<String>)>> = BTreeMap::new();
    for (a, v) in assets.iter().zip(&distinct) {
        // A timestamp added later made the file's active manifest an
        // update: files derived since name that one as their ingredient.
        let update = v
            .timestamp
            .as_ref()
            .and_then(|t| t.added_later.as_ref())
            .map(|l| &l.manifest);
        for label in a.manifest_label.iter().chain(update) {
            let claim = (a.id.clone(), a.sha256.clone());
            by_label.entry(label.clone()).or_default().push(claim);
        }
    }
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
        unconfirmed: BTreeSet::new(),
    };
    for v in distinct {
        builder.link(&file_id(v), v.record.as_ref(), &v.ingredients, 0);
    }
    assets.extend(builder.extra.into_values());
    let edges: Vec<Edge> = builder.edges.into_iter().collect();
    let cycles = cycles::find(
        assets.iter().map(|a| a.id.as_str()),
        edges.iter().map(|e| (e.from.as_str(), e.to.as_str())),
    );
    Graph {
        assets,
        edges,
        cycles,
        too_deep: builder.too_deep.into_iter().collect(),
        unconfirmed: builder.unconfirmed.into_iter().collect(),
    }
}

/// The node of an audited file.
fn file_node(v: &Verdict, sha: &Option<String>) -> AssetNode {
    let title = v
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut n = node_from_record(file_id(v), NodeKind::File, title, v.record.as_ref());
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
    n.certificate = v.actor_certificate();
    n.training_mining = v.training_mining.as_ref().map(|t| t.to_string());
    n.oversight = v
        .ai_disclosure
        .as_ref()
        .and_then(|d| d.human_oversight_level);
    n.generator_metadata = v
        .codes
        .informational
        .iter()
        .any(|c| c == crate::verify::notes::GENERATOR_METADATA);
    n.actions = v.actions.iter().map(|a| a.action.clone()).collect();
    n.origin = if policy::is_ai(v) {
        Origin::Ai
    } else if v.state == State::Unsigned || v.manifest_label.is_none() {
        Origin::Unknown
    } else {
        Origin::Human
    };
    n
}

struct Builder {
    /// Files by the manifest label they carry, with their content hash.
    by_label: BTreeMap<String, Vec<(String, Option<String>)>>,
    by_sha: BTreeMap<String, String>,
    extra: BTreeMap<String, AssetNode>,
    edges: BTreeSet<Edge>,
    too_deep: BTreeSet<String>,
    unconfirmed: BTreeSet<Unconfirmed>,
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
        if depth >= MAX_CHAIN_DEPTH {
            if !ingredients.is_empty() {
                self.too_deep.insert(from.to_string());
            }
            return;
        }
        let mut controls = record
            .map(|r| {
                // One ingredient per label, in the record's order.
                let mut labels = std::collections::HashSet::new();
                r.controls
                    .iter()
                    .filter(|c| c.ingredient.as_ref().is_some_and(|l| labels.insert(l)))
                    .map(|c| c.sha256.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter();
        for ing in ingredients {
            let title = ing.title.clone().unwrap_or_else(|| "(untitled)".into());
            // The content hash we recorded when stamping, if this ingredient is ours.
            let sha = if ing.relationship == "inputTo" {
                controls.next().flatten()
            } else {
                record.and_then(|r| {
                    r.inputs
                        .iter()
                        .find(|i| i.title == title && i.relationship == ing.relationship)
                        .map(|i| i.sha256.clone())
                })
            };
            let (to, matched_by) = match self.matching_file(ing, sha.as_deref()) {
                Some(found) => found,
                None => {
                    self.note_unconfirmed(from, ing, &title, sha.is_some());
                    let to = self.outside_node(from, ing, &title, sha, depth);
                    (to, MatchedBy::None)
                }
            };
            self.edges.insert(Edge {
                from: from.to_string(),
                to,
                relationship: ing.relationship.clone(),
                matched_by,
            });
        }
    }

    /// The file this ingredient is: its manifest label and the content hash
    /// recorded for it both match, or (an ingredient without a manifest of
    /// its own) the hash alone does.
    fn matching_file(
        &self,
        ing: &IngredientVerdict,
        sha: Option<&str>,
    ) -> Option<(String, MatchedBy)> {
        let sha = sha?;
        if let Some((id, _)) = self
            .claimants(ing)
            .iter()
            .find(|(_, file_sha)| file_sha.as_deref() == Some(sha))
        {
            return Some((id.clone(), MatchedBy::LabelAndSha256));
        }
        let id = self.by_sha.get(sha)?;
        Some((id.clone(), MatchedBy::Sha256))
    }

    /// The files carrying this ingredient's manifest label, with their hash.
    fn claimants(&self, ing: &IngredientVerdict) -> &[(String, Option<String>)] {
        ing.manifest_label
            .as_ref()
            .and_then(|l| self.by_label.get(l))
            .map_or(&[], Vec::as_slice)
    }

    /// A file carries this ingredient's manifest label, but no hash was
    /// recorded to tell whether it is the ingredient's content.
    fn note_unconfirmed(&mut self, from: &str, ing: &IngredientVerdict, title: &str, hashed: bool) {
        if hashed {
            return;
        }
        let found: Vec<Unconfirmed> = self
            .claimants(ing)
            .iter()
            .map(|(id, _)| Unconfirmed {
                from: from.to_string(),
                title: title.to_string(),
                relationship: ing.relationship.clone(),
                claimant: id.clone(),
            })
            .collect();
        self.unconfirmed.extend(found);
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
            Some(label) => (format!("manifest:{label}"), NodeKind::Manifest),
            None => (format!("external:{from}/{title}"), NodeKind::External),
        };
        if !self.extra.contains_key(&id) {
            let mut n = node_from_record(id.clone(), kind, title.to_string(), ing.record.as_ref());
            n.manifest_label = ing.manifest_label.clone();
            n.sha256 = sha;
            n.state = ing.state;
            n.failures = ing.codes.failure.clone();
            n.origin = if ing.record.is_some() {
                Origin::Ai
            } else {
                Origin::Unknown
            };
            self.extra.insert(id.clone(), n);
            if ing.manifest_label.is_some() {
                self.link(&id, ing.record.as_ref(), &ing.ingredients, depth + 1);
            }
        }
        id
    }
}
