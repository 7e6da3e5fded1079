//! Findings: each problem or fact worth a rights lawyer's attention,
//! pointing at the asset and the signed fact behind it, with a severity
//! (an error rejects the film under its policy).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::graph::{file_id, AssetNode, Checked, Edge, Graph, NodeKind, Origin};
use super::levels;
use super::model::{AuditFinding, Severity};
use crate::media::walk::{Companion, Walk};
use crate::record::disclosure::Oversight;
use crate::record::GenerationRecord;
use crate::verify::policy::Policy;
use crate::verify::{State, Verdict, MAX_CHAIN_DEPTH};

/// Findings as they are gathered.
#[derive(Default)]
struct Found(Vec<AuditFinding>);

impl Found {
    fn add(&mut self, asset: &str, severity: Severity, code: &str, message: String) {
        self.0.push(AuditFinding {
            asset: asset.to_string(),
            severity,
            code: code.into(),
            message,
        });
    }
}

/// Findings for every asset, each naming the signed fact behind it.
pub fn findings(graph: &Graph, verdicts: &[Checked], policy: &Policy) -> Vec<AuditFinding> {
    let mut out = Found::default();
    let nodes: BTreeMap<&str, &AssetNode> =
        graph.assets.iter().map(|a| (a.id.as_str(), a)).collect();
    for (v, _) in verdicts {
        asset_findings(v, &nodes, policy, &mut out);
    }
    for e in &graph.edges {
        edge_findings(graph, &nodes, e, &mut out);
    }
    label_findings(graph, &mut out);
    for id in &graph.too_deep {
        out.add(id, Severity::Error, "chain_too_deep", format!("the ingredient chain goes deeper than {MAX_CHAIN_DEPTH} manifests; the rest was not followed"));
    }
    for id in &graph.cycles {
        out.add(
            id,
            Severity::Error,
            "cycle",
            "the asset is its own ingredient through a chain of manifests".into(),
        );
    }
    out.0
}

/// What an audited file's node shows: an edit that changed nothing, an
/// AI asset with no human control.
fn node_findings(n: &AssetNode, name: &str, out: &mut Found) {
    if n.evidence.same_pixels_as_source {
        let claimed: Vec<&str> = n
            .actions
            .iter()
            .map(String::as_str)
            .filter(|a| levels::claims_change(a))
            .collect();
        if !claimed.is_empty() {
            out.add(name, Severity::Warning, "edit_without_change", format!(
                "signed as {} but its pixels are its source's: it carries the source's level and earns no share",
                claimed.join(", ")
            ));
        }
    }
    disclosure_findings(n, name, out);
    if n.origin == Origin::Ai && n.level == Some(0) {
        out.add(
            name,
            Severity::Info,
            "ai_autonomous",
            "AI-generated with no human control recorded (no prompt, controls, selection or edits)"
                .into(),
        );
    }
}

/// A `c2pa.ai-disclosure` that says other than the audit's evidence: a
/// level it does not support (more oversight than shown), or less than
/// the evidence shows.
fn disclosure_findings(n: &AssetNode, name: &str, out: &mut Found) {
    let (Some(said), Some(level)) = (n.oversight, n.level) else {
        return;
    };
    let shown = Oversight::of_level(level, n.evidence.selection_proven);
    if said == shown {
        return;
    }
    let hint = if said == Oversight::HumanValidated && n.evidence.journal.is_some() {
        " (its selection is credited only when the journal proves it: --journal J)"
    } else {
        ""
    };
    out.add(name, Severity::Warning, "ai_disclosure_disagrees", format!(
        "its c2pa.ai-disclosure declares humanOversightLevel {}; the audit's evidence (level {level}) supports {}{hint}",
        said.as_str(),
        shown.as_str()
    ));
}

/// Files that claim one manifest label with different content, and labels
/// claimed without a content hash to confirm them.
fn label_findings(graph: &Graph, out: &mut Found) {
    let mut claims: BTreeMap<&str, Vec<&AssetNode>> = BTreeMap::new();
    for a in graph.assets.iter().filter(|a| a.is_file()) {
        if let Some(label) = &a.manifest_label {
            claims.entry(label).or_default().push(a);
        }
    }
    for (label, files) in claims {
        let contents: BTreeSet<&Option<String>> = files.iter().map(|f| &f.sha256).collect();
        if contents.len() < 2 {
            continue;
        }
        let names: Vec<&str> = files.iter().filter_map(|f| f.path.as_deref()).collect();
        for f in &files {
            out.add(f.path.as_deref().unwrap_or(&f.id), Severity::Error, "duplicate_label", format!(
                "{} files with different content carry manifest label {label}: {}; at most one is that asset",
                files.len(), names.join(", ")
            ));
        }
    }
    for u in &graph.unconfirmed {
        let from = u.from.strip_prefix("file:").unwrap_or(&u.from);
        let claimant = u.claimant.strip_prefix("file:").unwrap_or(&u.claimant);
        out.add(from, Severity::Warning, "source_unconfirmed", format!(
            "its {} {:?} has the manifest label of {claimant}, but no content hash was recorded to confirm it is that file; judged from its manifest alone",
            u.relationship, u.title
        ));
    }
}

/// One verified file's own findings: its state, licences, policy breaches
/// and what its node in the graph shows.
fn asset_findings(
    v: &Verdict,
    nodes: &BTreeMap<&str, &AssetNode>,
    policy: &Policy,
    out: &mut Found,
) {
    let name = v.path.display().to_string();
    state_findings(v, &name, policy, out);
    if v.codes
        .failure
        .iter()
        .any(|c| c == "signingCredential.expired")
        && v.signer.as_ref().and_then(|s| s.time.as_ref()).is_none()
    {
        out.add(
            &name,
            Severity::Error,
            "expired_no_timestamp",
            "the signing certificate expired and the signature has no trusted timestamp".into(),
        );
    }
    if let Some(r) = &v.record {
        licence_findings(&name, r, policy, out);
    }
    // Listed in the report either way (summary and assets); a finding
    // when the policy requires a declaration.
    if policy.require_training_mining_declared && v.training_mining_undeclared() {
        out.add(
            &name,
            Severity::Error,
            "training_mining_undeclared",
            "no CAWG training-and-mining declaration: whether it may train models is not said"
                .into(),
        );
    }
    // The policy's rules, for the asset and along its chain: one
    // source for `verify --policy` and the audit.
    for b in policy.chain_breaches(v) {
        let message = if b.chain.len() > 1 {
            b.line()
        } else {
            b.message
        };
        out.add(&name, Severity::Error, b.code, message);
    }
    if let Some(n) = nodes.get(file_id(v).as_str()) {
        node_findings(n, &name, out);
    }
}

/// Nothing unchecked passes (issue 12): every path the walk passed over,
/// and an audit that found no file at all, reject the film when the policy
/// requires trusted provenance; a reveal file in the delivery is noted.
pub fn coverage(roots: &[PathBuf], found: &Walk, policy: &Policy) -> Vec<AuditFinding> {
    let mut out = Found::default();
    let severity = if policy.require_trusted {
        Severity::Error
    } else {
        Severity::Warning
    };
    for (path, why) in &found.skipped {
        let message = format!("not audited: {why}");
        out.add(
            &path.display().to_string(),
            severity,
            "not_audited",
            message,
        );
    }
    for (path, companion) in &found.companions {
        if matches!(companion, Companion::Reveal { .. }) {
            out.add(
                &path.display().to_string(),
                Severity::Warning,
                "reveal_in_delivery",
                "a prompt reveal file is in the audited tree: it discloses the prompt the manifest only commits to".into(),
            );
        }
    }
    if found.files.is_empty() {
        let roots: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
        out.add(
            &roots.join(", "),
            Severity::Error,
            "nothing_audited",
            "no media file was found, so nothing was checked".into(),
        );
    }
    out.0
}

/// What the file's verdict says, unless it is trusted.
fn state_findings(v: &Verdict, name: &str, policy: &Policy, out: &mut Found) {
    match v.state {
        State::Unsigned => out.add(
            name,
            Severity::Error,
            "unsigned",
            "no C2PA manifest, embedded or sidecar".into(),
        ),
        State::Remote => out.add(
            name,
            Severity::Error,
            "remote_manifest",
            "the manifest is remote and was not fetched".into(),
        ),
        State::Error => out.add(
            name,
            Severity::Error,
            "unreadable",
            v.error.clone().unwrap_or_default(),
        ),
        State::Invalid => {
            let mut what: Vec<String> = v.codes.failure.clone();
            what.extend(v.error.clone());
            if !what.is_empty() {
                out.add(name, Severity::Error, "invalid", what.join(", "));
            }
            for f in &v.ingredient_failures {
                out.add(name, Severity::Error, "ingredient_failure", f.clone());
            }
        }
        State::Valid => {
            let signer = v.signer.as_ref();
            let severity = if policy.require_trusted {
                Severity::Error
            } else {
                Severity::Warning
            };
            out.add(
                name,
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
}

/// A file's parent or component that is not among the audited files, or
/// is there with another manifest or content.
fn edge_findings(graph: &Graph, nodes: &BTreeMap<&str, &AssetNode>, e: &Edge, out: &mut Found) {
    let Some(to) = nodes.get(e.to.as_str()) else {
        return;
    };
    let from_node = nodes.get(e.from.as_str());
    if !from_node.is_some_and(|n| n.is_file()) || e.relationship == "inputTo" {
        return;
    }
    let from = from_node
        .and_then(|n| n.path.clone())
        .unwrap_or_else(|| e.from.clone());
    let label = to.manifest_label.as_deref().unwrap_or("?");
    match to.kind {
        NodeKind::Manifest => {
            if graph
                .unconfirmed
                .iter()
                .any(|u| u.from == e.from && u.title == to.title)
            {
                return;
            }
            // A file claiming the ingredient's manifest label or its name.
            let twin = graph.assets.iter().find(|a| {
                a.is_file() && (a.manifest_label == to.manifest_label || a.title == to.title)
            });
            if twin.is_none() && catalog_finding(out, &from, e, to, label) {
                return;
            }
            match twin {
                Some(t) => out.add(&from, Severity::Error, "source_differs", format!(
                    "its {} {:?} (manifest {label}) does not match {} in the tree, which has another manifest or content",
                    e.relationship, to.title, t.path.as_deref().unwrap_or("?")
                )),
                None => out.add(&from, Severity::Error, "source_missing", format!(
                    "its {} {:?} (manifest {label}) is not among the audited files",
                    e.relationship, to.title
                )),
            }
        }
        NodeKind::External => out.add(
            &from,
            Severity::Warning,
            "input_not_found",
            format!(
                "its unsigned {} {:?} is not among the audited files",
                e.relationship, to.title
            ),
        ),
        NodeKind::File => {}
    }
}

/// What the policy does not reject but a rights lawyer should see: a
/// licence that is unknown, or non-commercial in a non-commercial film
/// (the breaches themselves come from [`Policy::chain_breaches`]).
fn licence_findings(name: &str, r: &GenerationRecord, policy: &Policy, out: &mut Found) {
    let tool = &r.tool.name;
    match &r.license {
        None => out.add(
            name,
            Severity::Warning,
            "unknown_licence",
            format!("tool {tool:?}: no licence recorded"),
        ),
        Some(l) => match l.commercial_use {
            Some(false) if !policy.commercial => out.add(
                name,
                Severity::Info,
                "non_commercial_tool",
                format!(
                    "tool {tool:?} under licence {:?} does not allow commercial use",
                    l.id
                ),
            ),
            None => out.add(
                name,
                Severity::Warning,
                "unknown_licence",
                format!(
                    "licence {:?} of tool {tool:?} does not say whether commercial use is allowed",
                    l.id
                ),
            ),
            Some(_) => {}
        },
    }
}

/// What the catalog says of a manifest-only ingredient missing from the
/// delivery: found and verified (a warning that stands in for
/// `source_missing`: true), or a row that does not verify (a warning of its
/// own; `source_missing` still follows: false).
fn catalog_finding(out: &mut Found, from: &str, e: &Edge, to: &AssetNode, label: &str) -> bool {
    if let Some(why) = &to.catalog_unverified {
        out.add(
            from,
            Severity::Warning,
            "catalog_unverified",
            format!(
                "its {} {:?} (manifest {label}): {why}; it is not taken as the source",
                e.relationship, to.title
            ),
        );
    }
    let Some(c) = &to.catalog else {
        return false;
    };
    out.add(from, Severity::Warning, "source_in_catalog", format!(
        "its {} {:?} (manifest {label}) is in the catalog, not in the delivery: {} signed by {} (verified now), added on {}",
        e.relationship, to.title, c.path, c.signer.as_deref().unwrap_or("?"), c.added_at
    ));
    true
}
