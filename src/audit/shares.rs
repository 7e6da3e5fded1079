//! Contributions: each operator's work per role (assets, seconds of
//! footage) and weighted shares of the film, each with how it was computed.
//! Only what verified counts: trusted assets (or, with no trust bundle,
//! valid ones).

use std::collections::BTreeMap;

use super::graph::AssetNode;
use super::model::{Contribution, Share};
use super::rounding::{fmt_num, ratio, round};
use crate::record::Role;
use crate::verify::policy::Policy;
use crate::verify::State;

/// Per operator and role; shares weight each role, then split it by assets.
pub fn contributions(
    assets: &[AssetNode],
    policy: &Policy,
    anchored: bool,
) -> (Vec<Contribution>, Vec<Share>) {
    let contributions = tally(assets, anchored);
    let shares = shares(&contributions, policy);
    (contributions, shares)
}

/// Assets and seconds per operator and role, from what verified.
fn tally(assets: &[AssetNode], anchored: bool) -> Vec<Contribution> {
    let mut by: BTreeMap<(String, Role), Contribution> = BTreeMap::new();
    // A transcode, repackage or resize carries its source's level and earns
    // no share of its own; copies are one asset already.
    for a in assets
        .iter()
        .filter(|a| a.is_file() && a.evidence.inherited_from.is_none())
    {
        let counts = a.state == State::Trusted || (!anchored && a.state == State::Valid);
        let (Some(op), Some(role), true) = (&a.operator, a.role, counts) else {
            continue;
        };
        // Keyed by the certificate that signed: a record naming a
        // colleague's email cannot credit the colleague.
        let shown = a.operator_id.clone().unwrap_or_else(|| op.clone());
        let key = a.certificate.clone().unwrap_or_else(|| shown.clone());
        let c = by
            .entry((key.clone(), role))
            .or_insert_with(|| Contribution {
                certificate: key,
                operator: shown,
                name: op.clone(),
                role,
                assets: 0,
                seconds: 0.0,
            });
        c.assets += 1;
        c.seconds = round(c.seconds + a.seconds.unwrap_or(0.0), 3);
    }
    let mut out: Vec<Contribution> = by.into_values().collect();
    out.sort_by(|a, b| {
        (&a.operator, a.role, &a.certificate).cmp(&(&b.operator, b.role, &b.certificate))
    });
    out
}

/// Each role's weight split among its operators by their assets. Declared
/// weights keep their denominator: a role nobody filled leaves its weight
/// unassigned (a row of its own), never re-divided among the others.
fn shares(contributions: &[Contribution], policy: &Policy) -> Vec<Share> {
    let mut role_totals: BTreeMap<Role, usize> = BTreeMap::new();
    for c in contributions {
        *role_totals.entry(c.role).or_default() += c.assets;
    }
    let weight_total: f64 = if policy.role_weights.is_empty() {
        role_totals.keys().map(|r| policy.weight(*r)).sum()
    } else {
        policy.role_weights.values().sum()
    };
    let mut shares: BTreeMap<String, Share> = BTreeMap::new();
    for c in contributions {
        let w = policy.weight(c.role);
        let total = role_totals.get(&c.role).copied().unwrap_or(1);
        let part = ratio(w, weight_total) * c.assets as f64 / total as f64 * 100.0;
        let s = shares
            .entry(c.certificate.clone())
            .or_insert_with(|| Share {
                certificate: c.certificate.clone(),
                operator: c.operator.clone(),
                name: c.name.clone(),
                percent: 0.0,
                computation: String::new(),
                unassigned_role: None,
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
    let unassigned = unassigned(policy, &role_totals, weight_total);
    let mut named: Vec<Share> = shares.into_values().collect();
    named.sort_by(|a, b| (&a.operator, &a.certificate).cmp(&(&b.operator, &b.certificate)));
    named
        .into_iter()
        .chain(unassigned)
        .map(|mut s| {
            s.percent = round(s.percent, 2);
            s.computation = format!("{} = {:.2}%", s.computation, s.percent);
            s
        })
        .collect()
}

/// A row for each declared weight of a role nobody filled.
fn unassigned(policy: &Policy, filled: &BTreeMap<Role, usize>, weight_total: f64) -> Vec<Share> {
    policy
        .role_weights
        .iter()
        .filter(|(role, w)| **w > 0.0 && !filled.contains_key(role))
        .map(|(role, w)| Share {
            certificate: String::new(),
            operator: String::new(),
            name: format!("(unassigned: {role})"),
            percent: ratio(*w, weight_total) * 100.0,
            computation: format!(
                "{role} {}/{}: no counted asset in this role",
                fmt_num(*w),
                fmt_num(weight_total)
            ),
            unassigned_role: Some(*role),
        })
        .collect()
}
