//! Screen time: a cut's seconds per verdict, human-control level, tool and
//! licence, and person and role (role weight × seconds), for video and for
//! audio apart; and the policy's per-shot and per-runtime rules with the
//! record timecodes of every shot that breaks them.

use std::collections::BTreeMap;

use super::cut_model::{AssetRow, CutShot, KindSummary, PersonRow, ShotBreach, ToolRow};
use super::graph::AssetNode;
use super::rounding::{ratio, round};
use crate::record::Role;
use crate::verify::policy::Policy;
use crate::verify::{State, Verdict};

/// One person's verified work in one role, as the certificate keys it.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub certificate: String,
    pub operator: String,
    pub name: String,
    pub role: Role,
}

impl Person {
    /// The person behind `n`, if their work counts: verified (trusted, or
    /// valid when no trust bundle was given), not a carry-only transcode.
    pub fn of(n: &AssetNode, anchored: bool) -> Option<Person> {
        let counts = n.state == State::Trusted || (!anchored && n.state == State::Valid);
        if !counts || n.evidence.inherited_from.is_some() {
            return None;
        }
        let (name, role) = (n.operator.clone()?, n.role?);
        let operator = n.operator_id.clone().unwrap_or_else(|| name.clone());
        Some(Person {
            certificate: n.certificate.clone().unwrap_or_else(|| operator.clone()),
            operator,
            name,
            role,
        })
    }
}

/// Seconds tallied over one kind of track.
#[derive(Debug, Default)]
pub struct Tally {
    runtime: f64,
    by_verdict: BTreeMap<&'static str, f64>,
    by_control: BTreeMap<String, f64>,
    by_tool: BTreeMap<(String, String), f64>,
    by_person: BTreeMap<(String, Role), (Person, f64)>,
    by_asset: BTreeMap<String, AssetRow>,
}

impl Tally {
    pub fn add(&mut self, shot: &CutShot, people: &[Person]) {
        let s = shot.seconds;
        self.runtime += s;
        *self.by_verdict.entry(shot.verdict).or_default() += s;
        *self.by_control.entry(shot.control.clone()).or_default() += s;
        if shot.verdict != "missing" {
            let key = (
                shot.tool.clone().unwrap_or_else(|| "(no record)".into()),
                shot.license.clone().unwrap_or_else(|| "(no record)".into()),
            );
            *self.by_tool.entry(key).or_default() += s;
        }
        let asset = shot
            .path
            .clone()
            .or_else(|| shot.reference.clone())
            .unwrap_or_else(|| shot.name.clone());
        let row = self
            .by_asset
            .entry(asset.clone())
            .or_insert_with(|| AssetRow {
                asset,
                shots: 0,
                seconds: 0.0,
                uses: Vec::new(),
            });
        row.shots += 1;
        row.seconds += s;
        row.uses
            .push(format!("{}–{}", shot.record_in, shot.record_out));
        for p in people {
            let key = (p.certificate.clone(), p.role);
            self.by_person
                .entry(key)
                .or_insert_with(|| (p.clone(), 0.0))
                .1 += s;
        }
    }

    pub fn summary(self, policy: &Policy) -> KindSummary {
        let autonomous = self.by_control.get("level_0").copied().unwrap_or(0.0);
        let mut by_person: Vec<PersonRow> = self
            .by_person
            .into_values()
            .map(|(p, seconds)| PersonRow {
                weight: policy.weight(p.role),
                weighted_seconds: round(policy.weight(p.role) * seconds, 3),
                seconds: round(seconds, 3),
                certificate: p.certificate,
                operator: p.operator,
                name: p.name,
                role: p.role,
            })
            .collect();
        by_person.sort_by(|a, b| (&a.operator, a.role).cmp(&(&b.operator, b.role)));
        KindSummary {
            runtime_seconds: round(self.runtime, 3),
            by_verdict: rounded(self.by_verdict.into_iter().map(|(k, v)| (k.to_string(), v))),
            by_control: rounded(self.by_control.into_iter()),
            by_tool: self
                .by_tool
                .into_iter()
                .map(|((tool, license), s)| ToolRow {
                    tool,
                    license,
                    seconds: round(s, 3),
                })
                .collect(),
            by_person,
            by_asset: self
                .by_asset
                .into_values()
                .map(|mut a| {
                    a.seconds = round(a.seconds, 3);
                    a
                })
                .collect(),
            autonomous_seconds: round(autonomous, 3),
            autonomous_share: round(ratio(autonomous, self.runtime), 4),
        }
    }
}

fn rounded(it: impl Iterator<Item = (String, f64)>) -> BTreeMap<String, f64> {
    it.map(|(k, v)| (k, round(v, 3))).collect()
}

/// What is wrong with one shot under the policy, unsigned aside (judged
/// on the cut's total): (code, what).
pub fn problems(shot: &CutShot, v: Option<&Verdict>, policy: &Policy) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    match shot.verdict {
        "missing" => out.push((
            "media_missing".into(),
            format!(
                "missing (reference {:?} not found)",
                shot.reference.as_deref().unwrap_or("")
            ),
        )),
        "trusted" | "unsigned" => {}
        "untrusted" if !policy.require_trusted => {}
        "untrusted" => out.push((
            "untrusted_signer".into(),
            "signed by an untrusted certificate".into(),
        )),
        other => out.push((other.to_string(), other.to_string())),
    }
    if let Some(v) = v {
        for b in policy.chain_breaches(v) {
            // The shot names the asset; the chain below it shows the source.
            let below: Vec<&str> = b.chain.iter().skip(1).map(String::as_str).collect();
            let what = match below.is_empty() {
                true => b.message.clone(),
                false => format!("← {}: {}", below.join(" ← "), b.message),
            };
            out.push((b.code.to_string(), what));
        }
    }
    if let (Some(min), Some(level)) = (policy.min_human_control_level, level(&shot.control)) {
        if level < min {
            out.push((
                "below_min_human_control_level".into(),
                format!("AI-generated at human-control level {level}; the policy asks for {min} or more"),
            ));
        }
    }
    out
}

fn level(control: &str) -> Option<u8> {
    control.strip_prefix("level_")?.parse().ok()
}

/// Every shot that breaks the policy, and the reasons for the cut.
pub fn judge(
    judged: &[(CutShot, Vec<(String, String)>)],
    video: &KindSummary,
    audio: &KindSummary,
    policy: &Policy,
) -> (Vec<ShotBreach>, Vec<String>) {
    let unsigned: f64 = [video, audio]
        .iter()
        .map(|k| k.by_verdict.get("unsigned").copied().unwrap_or(0.0))
        .sum();
    let mut reasons = Vec::new();
    let unsigned_breaks = match policy.max_unsigned_seconds {
        None => true,
        Some(max) if unsigned > max => {
            reasons.push(format!(
                "{unsigned:.3} s of unsigned shots; the policy allows {max} s"
            ));
            true
        }
        Some(_) => false,
    };
    let mut breaches = Vec::new();
    for (shot, problems) in judged {
        let unsigned = (shot.verdict == "unsigned" && unsigned_breaks)
            .then(|| ("unsigned".to_string(), "unsigned".to_string()));
        for (code, what) in problems.iter().cloned().chain(unsigned) {
            breaches.push(breach(shot, code, &what));
        }
    }
    breaches
        .sort_by(|a, b| (&a.record_in, &a.asset, &a.code).cmp(&(&b.record_in, &b.asset, &b.code)));
    breaches.dedup();
    if let Some(max) = policy.max_autonomous_runtime_share {
        for (kind, k) in [("video", video), ("audio", audio)] {
            if k.autonomous_share > max {
                reasons.push(format!(
                    "{:.3} s of {:.3} s of {kind} ({:.1}%) is AI-generated with no human control; the policy allows {:.1}%",
                    k.autonomous_seconds, k.runtime_seconds, k.autonomous_share * 100.0, max * 100.0
                ));
            }
        }
    }
    reasons.extend(breaches.iter().map(|b| b.line.clone()));
    (breaches, reasons)
}

fn breach(shot: &CutShot, code: String, what: &str) -> ShotBreach {
    let asset = shot
        .path
        .as_deref()
        .or(shot.reference.as_deref())
        .unwrap_or(&shot.name);
    let file = asset.rsplit(['/', '\\']).next().unwrap_or(asset);
    ShotBreach {
        line: format!("{}–{} {file} {what}", shot.record_in, shot.record_out),
        record_in: shot.record_in.clone(),
        record_out: shot.record_out.clone(),
        asset: asset.to_string(),
        code,
    }
}
