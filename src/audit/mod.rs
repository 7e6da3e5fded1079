//! Auditing a film's asset chain: verify every file, build the asset graph,
//! and compute findings, human-control evidence and contributions.
//!
//! The library returns an [`AuditReport`] (our own serde types, sorted,
//! schema-versioned); `render` turns it into text, Markdown or HTML.

mod graph;
pub mod html;
pub mod render;
pub mod walk;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use c2pa::Context;
use serde::Serialize;

use crate::media;
use crate::policy::Policy;
use crate::record::Role;
use crate::verify::{self, State, Verdict};

pub use graph::{AssetNode, Edge, Evidence};

/// A verified file and the SHA-256 of its bytes.
pub(crate) type Checked = (Verdict, Option<String>);

/// The report's JSON schema version.
pub const SCHEMA_VERSION: u32 = 1;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Rejects the film under its policy.
    Error,
    Warning,
    Info,
}

/// One problem or fact worth a human's attention, pointing at the asset and
/// the signed fact behind it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub asset: String,
    pub severity: Severity,
    pub code: String,
    pub message: String,
}

/// Assets and footage seconds at one human-control level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelRow {
    pub level: u8,
    pub meaning: &'static str,
    pub assets: usize,
    pub asset_share: f64,
    pub seconds: f64,
    pub seconds_share: f64,
}

/// One operator's work in one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub operator: String,
    pub name: String,
    pub role: Role,
    pub assets: usize,
    pub seconds: f64,
}

/// One operator's weighted share of the film, with how it was computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub operator: String,
    pub name: String,
    pub percent: f64,
    pub computation: String,
}

/// Counts over the audited files.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub trusted: usize,
    pub valid_untrusted: usize,
    pub invalid: usize,
    pub unsigned: usize,
    pub other: usize,
    pub ai_generated: usize,
    pub human_made: usize,
    pub unknown_origin: usize,
    pub manifest_only_assets: usize,
}

/// Everything an audit found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    pub schema_version: u32,
    pub roots: Vec<String>,
    pub trust_bundle: Option<String>,
    pub policy: Policy,
    pub summary: Summary,
    pub assets: Vec<AssetNode>,
    pub edges: Vec<Edge>,
    pub findings: Vec<Finding>,
    pub levels: Vec<LevelRow>,
    /// Share of AI-generated assets with no recorded human control.
    pub autonomous_share: f64,
    pub contributions: Vec<Contribution>,
    pub shares: Vec<Share>,
    /// Whether the film passes its policy; if not, every reason.
    pub accepted: bool,
    pub reasons: Vec<String>,
    pub skipped: Vec<String>,
}

/// What to audit and against what.
pub struct AuditRequest<'a> {
    pub roots: &'a [PathBuf],
    pub trust_bundle: Option<PathBuf>,
    pub policy: Policy,
    /// Called with (done, total) as files are verified.
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
}

/// Audit the media under `request.roots`.
pub fn audit(ctx: &Arc<Context>, request: &AuditRequest) -> AuditReport {
    let found = walk::walk(request.roots);
    let verdicts = verify_all(ctx, &found.files, request.progress);
    let anchored = request.trust_bundle.is_some();
    let mut graph = graph::build(&verdicts);
    let mut findings = graph::findings(&graph, &verdicts, &request.policy);
    let levels = level_rows(&graph.assets);
    let ai: Vec<&AssetNode> = graph
        .assets
        .iter()
        .filter(|a| a.is_file() && a.origin == "ai")
        .collect();
    let autonomous = ai.iter().filter(|a| a.level == Some(0)).count();
    let autonomous_share = ratio(autonomous as f64, ai.len() as f64);
    let (contributions, shares) = contributions(&graph.assets, &request.policy, anchored);

    // Findings at error severity, plus the record requirements they do not cover.
    let mut reasons: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {} ({})", f.asset, f.message, f.code))
        .collect();
    reasons.extend(
        verdicts
            .iter()
            .flat_map(|(v, _)| request.policy.check_requirements(v)),
    );
    if let Some(max) = request.policy.max_autonomous_share {
        if autonomous_share > max {
            reasons.push(format!(
                "{autonomous} of {} AI-generated assets ({:.1}%) show no human control; the policy allows {:.1}%",
                ai.len(),
                autonomous_share * 100.0,
                max * 100.0
            ));
        }
    }
    reasons.sort();
    reasons.dedup();
    findings.sort();
    graph.assets.sort_by(|a, b| a.id.cmp(&b.id));
    graph.edges.sort();
    let summary = summary(&graph.assets);
    AuditReport {
        schema_version: SCHEMA_VERSION,
        roots: request
            .roots
            .iter()
            .map(|r| r.display().to_string())
            .collect(),
        trust_bundle: request
            .trust_bundle
            .as_ref()
            .map(|p| p.display().to_string()),
        policy: request.policy.clone(),
        summary,
        assets: graph.assets,
        edges: graph.edges,
        findings,
        levels,
        autonomous_share: round(autonomous_share, 4),
        contributions,
        shares,
        accepted: reasons.is_empty(),
        reasons,
        skipped: found
            .skipped
            .iter()
            .map(|(p, why)| format!("{}: {why}", p.display()))
            .collect(),
    }
}

/// Verify files on every core (with their SHA-256); results keep the input order.
fn verify_all(
    ctx: &Arc<Context>,
    files: &[PathBuf],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<Checked> {
    crate::parallel::map_in_order(
        files,
        crate::parallel::cores(),
        |path| {
            (
                verify::verify_file(ctx, path),
                media::sha256_file(path).ok(),
            )
        },
        |path| {
            let mut v = verify::verify_file(ctx, path);
            v.error
                .get_or_insert_with(|| "verification worker failed".into());
            (v, None)
        },
        progress,
    )
}

fn level_rows(assets: &[AssetNode]) -> Vec<LevelRow> {
    let ai: Vec<&AssetNode> = assets
        .iter()
        .filter(|a| a.is_file() && a.origin == "ai")
        .collect();
    // fold, not sum: an empty f64 sum is -0.0.
    let total_seconds = ai.iter().fold(0.0, |t, a| t + a.seconds.unwrap_or(0.0));
    (0..=3u8)
        .map(|level| {
            let at: Vec<&&AssetNode> = ai.iter().filter(|a| a.level == Some(level)).collect();
            let seconds = at.iter().fold(0.0, |t, a| t + a.seconds.unwrap_or(0.0));
            LevelRow {
                level,
                meaning: graph::LEVEL_MEANING[usize::from(level)],
                assets: at.len(),
                asset_share: round(ratio(at.len() as f64, ai.len() as f64), 4),
                seconds: round(seconds, 3),
                seconds_share: round(ratio(seconds, total_seconds), 4),
            }
        })
        .collect()
}

/// Per operator and role; shares weight each role, then split it by assets.
fn contributions(
    assets: &[AssetNode],
    policy: &Policy,
    anchored: bool,
) -> (Vec<Contribution>, Vec<Share>) {
    let mut by: BTreeMap<(String, Role), Contribution> = BTreeMap::new();
    for a in assets.iter().filter(|a| a.is_file()) {
        let counts = a.state == State::Trusted || (!anchored && a.state == State::Valid);
        let (Some(op), Some(role), true) = (&a.operator, a.role, counts) else {
            continue;
        };
        let key = a.operator_id.clone().unwrap_or_else(|| op.clone());
        let c = by
            .entry((key.clone(), role))
            .or_insert_with(|| Contribution {
                operator: key,
                name: op.clone(),
                role,
                assets: 0,
                seconds: 0.0,
            });
        c.assets += 1;
        c.seconds = round(c.seconds + a.seconds.unwrap_or(0.0), 3);
    }
    let contributions: Vec<Contribution> = by.into_values().collect();
    let mut role_totals: BTreeMap<Role, usize> = BTreeMap::new();
    for c in &contributions {
        *role_totals.entry(c.role).or_default() += c.assets;
    }
    let weight_total: f64 = role_totals.keys().map(|r| policy.weight(*r)).sum();
    let mut shares: BTreeMap<String, Share> = BTreeMap::new();
    for c in &contributions {
        let w = policy.weight(c.role);
        let total = role_totals.get(&c.role).copied().unwrap_or(1);
        let part = ratio(w, weight_total) * c.assets as f64 / total as f64 * 100.0;
        let s = shares.entry(c.operator.clone()).or_insert_with(|| Share {
            operator: c.operator.clone(),
            name: c.name.clone(),
            percent: 0.0,
            computation: String::new(),
        });
        s.percent += part;
        if !s.computation.is_empty() {
            s.computation.push_str(" + ");
        }
        s.computation.push_str(&format!(
            "{} {}/{} × {}/{} assets",
            c.role,
            fmt_num(w),
            fmt_num(weight_total),
            c.assets,
            total
        ));
    }
    let shares = shares
        .into_values()
        .map(|mut s| {
            s.percent = round(s.percent, 2);
            s.computation = format!("{} = {:.2}%", s.computation, s.percent);
            s
        })
        .collect();
    (contributions, shares)
}

fn summary(assets: &[AssetNode]) -> Summary {
    let mut s = Summary::default();
    for a in assets {
        if !a.is_file() {
            s.manifest_only_assets += 1;
            continue;
        }
        s.files += 1;
        match a.state {
            State::Trusted => s.trusted += 1,
            State::Valid => s.valid_untrusted += 1,
            State::Invalid => s.invalid += 1,
            State::Unsigned => s.unsigned += 1,
            _ => s.other += 1,
        }
        match a.origin.as_str() {
            "ai" => s.ai_generated += 1,
            "human" => s.human_made += 1,
            _ => s.unknown_origin += 1,
        }
    }
    s
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}
