//! The audit of an edit: each shot of the cut tied to the audited asset it
//! plays, judged by screen time. The timeline is read and its media
//! resolved before verification (media the walk did not list are verified
//! too); after the graph is built, every shot gets the asset's verdict,
//! level, tool, licence and people, and the policy's per-shot and
//! per-runtime rules are applied.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::cut_model::{CutReport, CutRequest, CutShot, TimelineSignature};
use super::graph::{AssetNode, Checked, Graph, Origin};
use super::model::{AuditFinding, Severity};
use super::screen;
use crate::error::{Error, Result};
use crate::media::walk::{Companion, Walk};
use crate::timeline::{self, resolve, Shot, Timeline, TrackKind};
use crate::verify::policy::Policy;
use crate::verify::{State, Verdict};

/// A timeline read, with each shot's media found on disk (or not).
pub struct Prepared {
    pub path: PathBuf,
    pub timeline: Timeline,
    pub media: Vec<Option<PathBuf>>,
}

/// Read the timeline and resolve its media references.
pub fn prepare(request: &CutRequest) -> Result<Prepared> {
    let timeline =
        timeline::load(&request.timeline, request.edl_rate).map_err(|e| Error::Timeline {
            reason: e.to_string(),
        })?;
    let dir = request
        .timeline
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let roots = resolve::Roots {
        timeline_dir: dir,
        media_root: request.media_root.as_deref(),
    };
    let media = timeline
        .shots
        .iter()
        .map(|s| {
            s.reference
                .as_deref()
                .and_then(|r| resolve::resolve(r, &roots))
        })
        .collect();
    Ok(Prepared {
        path: request.timeline.clone(),
        timeline,
        media,
    })
}

impl Prepared {
    /// Fold the cut into the walk: its media the walk did not list are
    /// audited too, and the timeline and its sidecar, met in the walked
    /// tree, are companions, not files passed over.
    pub fn absorb(&self, found: &mut Walk) {
        let timeline = canonical(&self.path);
        let sidecar = canonical(&PathBuf::from(format!("{}.c2pa", self.path.display())));
        let mut kept = Vec::new();
        for (path, why) in std::mem::take(&mut found.skipped) {
            let c = canonical(&path);
            if c == timeline {
                found.companions.push((path, Companion::Timeline));
            } else if c == sidecar {
                found.companions.push((
                    path,
                    Companion::Sidecar {
                        of: self.path.clone(),
                    },
                ));
            } else {
                kept.push((path, why));
            }
        }
        found.skipped = kept;
        let mut known: Vec<PathBuf> = found.files.iter().map(|f| canonical(f)).collect();
        for path in self.media.iter().flatten() {
            let c = canonical(path);
            if !known.contains(&c) {
                known.push(c);
                found
                    .found_by
                    .insert(path.clone(), "played in the cut (--timeline)".into());
                found.files.push(path.clone());
            }
        }
    }
}

/// What the report needs from the rest of the audit.
pub struct Context<'a> {
    pub graph: &'a Graph,
    pub verdicts: &'a [Checked],
    pub policy: &'a Policy,
    /// Whether a trust bundle was given (else valid signatures count).
    pub anchored: bool,
    pub timeline_verdict: &'a Verdict,
}

/// Judge every shot of the cut.
pub fn report(cut: &Prepared, cx: &Context) -> CutReport {
    let nodes = NodeIndex::new(cx);
    let mut judged = Vec::new();
    let mut used = Vec::new();
    let mut tallies: BTreeMap<TrackKind, screen::Tally> = BTreeMap::new();
    for (shot, path) in cut.timeline.shots.iter().zip(&cut.media) {
        let found = path.as_ref().and_then(|p| nodes.get(p));
        if let Some((node, _)) = found {
            used.push(node.id.clone());
        }
        let people = found.map(|(n, _)| nodes.people(n)).unwrap_or_default();
        let on = found.map(|(n, v)| (nodes.source(n), v));
        let audited = audited_shot(shot, on, cut.timeline.rate);
        tallies.entry(shot.kind).or_default().add(&audited, &people);
        let problems = screen::problems(&audited, on.map(|(_, v)| v), cx.policy);
        judged.push((audited, problems));
    }
    let video = tallies.remove(&TrackKind::Video).unwrap_or_default();
    let audio = tallies.remove(&TrackKind::Audio).unwrap_or_default();
    let (video, audio) = (video.summary(cx.policy), audio.summary(cx.policy));
    let (breaches, reasons) = screen::judge(&judged, &video, &audio, cx.policy);
    CutReport {
        timeline: crate::sys::path_text::path_text(&cut.path),
        name: cut.timeline.name.clone(),
        format: cut.timeline.format,
        rate: cut.timeline.rate,
        signed: signature(cx.timeline_verdict),
        video,
        audio,
        shots: judged.into_iter().map(|(s, _)| s).collect(),
        breaches,
        unused: unused(cx.graph, &used, &cut.path),
        reasons,
        notes: cut.timeline.notes.clone(),
    }
}

/// With `max_unsigned_seconds`, an unsigned file the cut plays is judged by
/// the cut's total of unsigned seconds, not rejected on its own.
pub fn tolerate_unsigned(report: &CutReport, policy: &Policy, findings: &mut [AuditFinding]) {
    if policy.max_unsigned_seconds.is_none() {
        return;
    }
    let played: Vec<&str> = report
        .shots
        .iter()
        .filter(|s| s.verdict == "unsigned")
        .filter_map(|s| s.path.as_deref())
        .collect();
    for f in findings
        .iter_mut()
        .filter(|f| f.code == "unsigned" && played.contains(&f.asset.as_str()))
    {
        f.severity = Severity::Warning;
        f.message
            .push_str(" (played in the cut: judged by max_unsigned_seconds)");
    }
}

fn audited_shot(shot: &Shot, on: Option<(&AssetNode, &Verdict)>, rate: f64) -> CutShot {
    let (verdict, control) = match on {
        None => ("missing", "missing".to_string()),
        Some((source, v)) => (verdict_of(v.state), control_of(source)),
    };
    CutShot {
        track: shot.track.clone(),
        kind: shot.kind,
        record_in: timeline::timecode(shot.record_in, rate),
        record_out: timeline::timecode(shot.record_out, rate),
        seconds: super::rounding::round(shot.seconds(), 3),
        name: shot.name.clone(),
        reference: shot.reference.clone(),
        path: on.map(|(_, v)| crate::sys::path_text::path_text(&v.path)),
        verdict,
        control,
        tool: on.and_then(|(s, _)| s.tool.clone()),
        license: on.and_then(|(s, _)| s.license.clone()),
    }
}

/// A verdict state as the cut report names it.
pub fn verdict_of(state: State) -> &'static str {
    match state {
        State::Trusted => "trusted",
        State::Valid => "untrusted",
        State::Invalid => "invalid",
        State::Unsigned => "unsigned",
        _ => "unreadable",
    }
}

/// The human-control class of the asset a shot shows.
fn control_of(source: &AssetNode) -> String {
    match (source.origin, source.level) {
        (Origin::Ai, Some(l)) => format!("level_{l}"),
        (Origin::Ai, None) => "level_0".into(),
        (Origin::Human, _) => "human".into(),
        (Origin::Unknown, _) => "unknown".into(),
    }
}

fn signature(v: &Verdict) -> TimelineSignature {
    TimelineSignature {
        verdict: verdict_of(v.state),
        signer: v.signer.as_ref().and_then(|s| s.common_name.clone()),
        operator: v
            .record
            .as_ref()
            .map(|r| r.operator.name.clone())
            .filter(|n| !n.trim().is_empty()),
        role: v.record.as_ref().map(|r| r.operator.role),
    }
}

/// Audited files no shot plays (the timeline file itself aside).
fn unused(graph: &Graph, used: &[String], timeline: &Path) -> Vec<String> {
    let timeline = canonical(timeline);
    let mut out: Vec<String> = graph
        .assets
        .iter()
        .filter(|a| a.is_file() && !used.contains(&a.id))
        .filter_map(|a| a.path.clone())
        .filter(|p| canonical(Path::new(p)) != timeline)
        .collect();
    out.sort();
    out
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Audited files by canonical path, and the graph around them.
pub struct NodeIndex<'a> {
    by_path: BTreeMap<PathBuf, (&'a AssetNode, &'a Verdict)>,
    by_id: BTreeMap<&'a str, &'a AssetNode>,
    graph: &'a Graph,
    anchored: bool,
}

impl<'a> NodeIndex<'a> {
    fn new(cx: &Context<'a>) -> NodeIndex<'a> {
        let by_id: BTreeMap<&str, &AssetNode> =
            cx.graph.assets.iter().map(|a| (a.id.as_str(), a)).collect();
        let mut by_path = BTreeMap::new();
        for (v, _) in cx.verdicts {
            let id = super::graph::file_id(v);
            // A copy's verdict maps to the asset it is a copy of.
            let node = by_id.get(id.as_str()).copied().or_else(|| {
                let shown = v.path.display().to_string();
                cx.graph.assets.iter().find(|a| a.copies.contains(&shown))
            });
            if let Some(n) = node {
                by_path.insert(canonical(&v.path), (n, v));
            }
        }
        NodeIndex {
            by_path,
            by_id,
            graph: cx.graph,
            anchored: cx.anchored,
        }
    }

    fn get(&self, path: &Path) -> Option<(&'a AssetNode, &'a Verdict)> {
        self.by_path.get(&canonical(path)).copied()
    }

    /// The asset whose footage a transcode-like derivative carries.
    pub fn source(&self, node: &'a AssetNode) -> &'a AssetNode {
        let mut at = node;
        for _ in 0..crate::verify::MAX_CHAIN_DEPTH {
            match at
                .evidence
                .inherited_from
                .as_deref()
                .and_then(|id| self.by_id.get(id))
            {
                Some(up) => at = up,
                None => break,
            }
        }
        at
    }

    /// Everyone whose verified work the asset shows: its own operator and
    /// those of its parents and components, however deep (controls fed
    /// into a generation are not on screen; carry-only transcodes earn
    /// nothing of their own).
    fn people(&self, node: &'a AssetNode) -> Vec<screen::Person> {
        let mut seen = vec![node.id.as_str()];
        let mut queue = vec![node];
        let mut out: Vec<screen::Person> = Vec::new();
        while let Some(n) = queue.pop() {
            if let Some(p) = screen::Person::of(n, self.anchored) {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            for e in self.graph.edges.iter().filter(|e| e.from == n.id) {
                if e.relationship == "inputTo" || seen.contains(&e.to.as_str()) {
                    continue;
                }
                if let Some(to) = self.by_id.get(e.to.as_str()) {
                    seen.push(&to.id);
                    queue.push(to);
                }
            }
        }
        out
    }
}
