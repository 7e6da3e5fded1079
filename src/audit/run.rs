//! One audit, as its steps: walk the paths, verify every file on every
//! core, build the asset graph, assign human-control levels, gather
//! findings, contributions and the policy's reasons.

use std::path::PathBuf;

use crate::verify::Verifier;

use super::cut_model::CutReport;
use super::graph::{self, AssetNode, Checked, Origin};
use super::levels::{self, LEVEL_MEANING};
use super::model::{AuditFinding, AuditReport, AuditRequest, LevelRow, Severity, Summary};
use super::rounding::{ratio, round};
use super::{authorship, catalogued, cut, findings, journals, revoked, shares};
use crate::error::{Error, Result};
use crate::media;
use crate::media::walk;
use crate::verify::policy::Policy;
use crate::verify::{self, State};

/// The cut's report, judged on the graph and verdicts of the audit.
fn cut_report(
    ctx: &Verifier,
    request: &AuditRequest,
    p: &cut::Prepared,
    graph: &graph::Graph,
    verdicts: &[Checked],
) -> CutReport {
    let timeline_verdict = verify::verify_file(ctx, &p.path);
    let cx = cut::Context {
        graph,
        verdicts,
        policy: &request.policy,
        anchored: request.trust_bundle.is_some(),
        timeline_verdict: &timeline_verdict,
    };
    cut::report(p, &cx)
}

/// Audit the media under `request.roots` (and, with a timeline, the media
/// its cut plays). A root that does not exist is an error: nothing was
/// asked of it that could be answered.
pub fn audit(ctx: &Verifier, request: &AuditRequest) -> Result<AuditReport> {
    let (found, prepared, verdicts) = gather(ctx, request)?;
    let mut graph = graph::build(&verdicts);
    if let Some(catalog) = request.catalog {
        catalogued::resolve(&mut graph, catalog, ctx)?;
    }
    let proven = journals::prove(&mut graph.assets, &verdicts, request, ctx)?;
    levels::assign_levels(&mut graph.assets, &graph.edges);
    authorship::fill(&mut graph.assets, &verdicts);
    let mut findings = findings::findings(&graph, &verdicts, &request.policy);
    findings.extend(proven);
    findings.extend(findings::coverage(request.roots, &found, &request.policy));
    let anchored = request.trust_bundle.is_some();
    let timeline = prepared.map(|p| cut_report(ctx, request, &p, &graph, &verdicts));
    let autonomy = Autonomy::of(&graph.assets);
    let (contributions, shares) = shares::contributions(&graph.assets, &request.policy, anchored);
    let reasons = film_reasons(
        &mut findings,
        &verdicts,
        request,
        &autonomy,
        timeline.as_ref(),
    );
    findings.sort();
    graph.assets.sort_by(|a, b| a.id.cmp(&b.id));
    graph.edges.sort();
    Ok(AuditReport {
        roots: request.roots.iter().map(|r| shown(r)).collect(),
        trust_bundle: request.trust_bundle.as_deref().map(shown),
        policy: request.policy.clone(),
        summary: summary(&graph.assets),
        levels: level_rows(&graph.assets),
        assets: graph.assets,
        edges: graph.edges,
        findings,
        autonomous_share: round(autonomy.share, 4),
        autonomous_seconds_share: round(autonomy.seconds_share, 4),
        contributions,
        shares,
        accepted: reasons.is_empty(),
        reasons,
        timeline,
        revoked: revoked::revoked(&verdicts),
        files: found.listing(),
        skipped: found
            .skipped
            .iter()
            .map(|(p, why)| format!("{}: {why}", p.display()))
            .collect(),
    })
}

fn shown(path: &std::path::Path) -> String {
    path.display().to_string()
}

/// How many AI-generated assets, and how many seconds of AI footage, show
/// no human control.
struct Autonomy {
    ai: usize,
    autonomous: usize,
    share: f64,
    ai_seconds: f64,
    autonomous_seconds: f64,
    seconds_share: f64,
}

impl Autonomy {
    fn of(assets: &[AssetNode]) -> Autonomy {
        let ai: Vec<&AssetNode> = assets
            .iter()
            .filter(|a| a.is_file() && a.origin == Origin::Ai)
            .collect();
        let autonomous: Vec<&&AssetNode> = ai.iter().filter(|a| a.level == Some(0)).collect();
        let seconds = |a: &&AssetNode| a.seconds.unwrap_or(0.0);
        let ai_seconds = ai.iter().map(seconds).fold(0.0, |a, b| a + b);
        let autonomous_seconds = autonomous
            .iter()
            .map(|a| seconds(a))
            .fold(0.0, |a, b| a + b);
        Autonomy {
            ai: ai.len(),
            autonomous: autonomous.len(),
            share: ratio(autonomous.len() as f64, ai.len() as f64),
            ai_seconds,
            autonomous_seconds,
            seconds_share: ratio(autonomous_seconds, ai_seconds),
        }
    }
}

/// Walk the roots, read the cut, and verify every file either names.
fn gather(
    ctx: &Verifier,
    request: &AuditRequest,
) -> Result<(walk::Walk, Option<cut::Prepared>, Vec<Checked>)> {
    for root in request.roots {
        std::fs::symlink_metadata(root).map_err(|source| Error::Read {
            path: root.clone(),
            source,
        })?;
    }
    let prepared = request.timeline.as_ref().map(cut::prepare).transpose()?;
    let mut found = walk::walk(request.roots);
    if let Some(p) = &prepared {
        p.absorb(&mut found);
    }
    let verdicts = verify_all(ctx, &found.files, request.progress);
    Ok((found, prepared, verdicts))
}

/// The reasons of the folder's audit, then the cut's (or, with no cut,
/// the cut-only policy keys nobody judged).
fn film_reasons(
    findings: &mut [AuditFinding],
    verdicts: &[Checked],
    request: &AuditRequest,
    autonomy: &Autonomy,
    timeline: Option<&CutReport>,
) -> Vec<String> {
    if let Some(t) = timeline {
        cut::tolerate_unsigned(t, &request.policy, findings);
    }
    let mut out = reasons(findings, verdicts, &request.policy, autonomy);
    match timeline {
        Some(t) => out.extend(t.reasons.iter().cloned()),
        None => out.extend(request.policy.cut_keys().iter().map(|k| {
            format!("the policy sets {k}, which only an audit with --timeline can judge")
        })),
    }
    out
}

/// Why the policy rejects the film: findings at error severity, plus the
/// record requirements and the autonomy limit they do not cover.
fn reasons(
    findings: &[AuditFinding],
    verdicts: &[Checked],
    policy: &Policy,
    autonomy: &Autonomy,
) -> Vec<String> {
    let mut reasons: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {} ({})", f.asset, f.message, f.code))
        .collect();
    reasons.extend(
        verdicts
            .iter()
            .flat_map(|(v, _)| policy.check_requirements(v)),
    );
    if let Some(max) = policy.max_autonomous_seconds_share {
        if autonomy.seconds_share > max {
            reasons.push(format!(
                "{:.2} s of {:.2} s of AI-generated footage ({:.1}%) show no human control; the policy allows {:.1}%",
                autonomy.autonomous_seconds,
                autonomy.ai_seconds,
                autonomy.seconds_share * 100.0,
                max * 100.0
            ));
        }
    }
    if let Some(max) = policy.max_autonomous_share {
        if autonomy.share > max {
            reasons.push(format!(
                "{} of {} AI-generated assets ({:.1}%) show no human control; the policy allows {:.1}%",
                autonomy.autonomous,
                autonomy.ai,
                autonomy.share * 100.0,
                max * 100.0
            ));
        }
    }
    reasons.sort();
    reasons.dedup();
    reasons
}

/// Verify files on every core (with their SHA-256); results keep the input order.
fn verify_all(
    ctx: &Verifier,
    files: &[PathBuf],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<Checked> {
    crate::sys::parallel::map_in_order(
        files,
        crate::sys::parallel::cores(),
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
        .filter(|a| a.is_file() && a.origin == Origin::Ai)
        .collect();
    // fold, not sum: an empty f64 sum is -0.0.
    let total_seconds = ai.iter().fold(0.0, |t, a| t + a.seconds.unwrap_or(0.0));
    (0..=3u8)
        .map(|level| {
            let at: Vec<&&AssetNode> = ai.iter().filter(|a| a.level == Some(level)).collect();
            let seconds = at.iter().fold(0.0, |t, a| t + a.seconds.unwrap_or(0.0));
            LevelRow {
                level,
                meaning: LEVEL_MEANING[usize::from(level)],
                assets: at.len(),
                asset_share: round(ratio(at.len() as f64, ai.len() as f64), 4),
                seconds: round(seconds, 3),
                seconds_share: round(ratio(seconds, total_seconds), 4),
            }
        })
        .collect()
}

fn summary(assets: &[AssetNode]) -> Summary {
    let mut s = Summary::default();
    for a in assets {
        if !a.is_file() {
            s.manifest_only_assets += 1;
            continue;
        }
        // Files are counted with their copies; assets once.
        let n = 1 + a.copies.len();
        s.files += n;
        s.assets += 1;
        if a.training_mining_undeclared() {
            s.training_mining_undeclared += n;
        }
        if a.generator_metadata {
            s.generator_metadata += n;
        }
        match a.state {
            State::Trusted => s.trusted += n,
            State::Valid => s.valid_untrusted += n,
            State::Invalid => s.invalid += n,
            State::Unsigned => s.unsigned += n,
            _ => s.other += n,
        }
        match a.origin {
            Origin::Ai => s.ai_generated += n,
            Origin::Human => s.human_made += n,
            Origin::Unknown => s.unknown_origin += n,
        }
    }
    s
}
