//! Human-control levels (evidence, not a legal verdict): what each AI
//! asset's record and actions show of a person's control, carried through
//! transcodes from the source they were made from.

use std::collections::{BTreeMap, BTreeSet};

use super::graph::{AssetNode, Edge, Origin};
use crate::record::Role;

/// What each human-control level means (evidence, not a legal verdict).
pub const LEVEL_MEANING: [&str; 4] = [
    "none: no operator input recorded (AI-autonomous)",
    "prompt only",
    "prompt plus controls or selection among candidates",
    "plus human editing or compositing steps",
];

/// Actions that carry footage forward without a creative choice: a derived
/// file keeps its source's level.
const CARRY_ACTIONS: &[&str] = &[
    "c2pa.transcoded",
    "c2pa.repackaged",
    "c2pa.converted",
    "c2pa.resized",
];
/// Whether an action claims a change (anything but opening or carrying).
pub fn claims_change(action: &str) -> bool {
    action != "c2pa.opened" && !CARRY_ACTIONS.contains(&action)
}

/// Actions that are human editing when a human role signs them.
const HUMAN_ACTIONS: &[&str] = &[
    "c2pa.placed",
    "c2pa.edited",
    "c2pa.color_adjustments",
    "c2pa.cropped",
    "c2pa.filtered",
    "c2pa.drawing",
];

/// Human-control level per AI asset, sources before what was made of them.
pub fn assign_levels(assets: &mut [AssetNode], edges: &[Edge]) {
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
        // An "edit" whose signed pixels are its parent's changed nothing.
        let unchanged = parent
            .is_some_and(|p| assets[i].pixels.is_some() && assets[i].pixels == assets[p].pixels);
        let carries = unchanged
            || assets[i]
                .actions
                .iter()
                .any(|a| CARRY_ACTIONS.contains(&a.as_str()));
        let human_role = assets[i].role.is_some_and(Role::edits);
        let steps: Vec<String> = assets[i]
            .actions
            .iter()
            .filter(|a| !unchanged && human_role && HUMAN_ACTIONS.contains(&a.as_str()))
            .cloned()
            .collect();
        let (origin, inherited, parent_level) = match parent {
            Some(p) if carries || !steps.is_empty() => (
                assets[p].origin,
                Some(assets[p].id.clone()),
                assets[p].level,
            ),
            _ => (assets[i].origin, None, None),
        };
        let a = &mut assets[i];
        a.evidence.same_pixels_as_source = unchanged;
        a.origin = origin;
        a.evidence.human_steps = steps;
        if a.origin != Origin::Ai {
            continue;
        }
        if carries {
            a.evidence.inherited_from = inherited;
        }
        a.level = Some(own_level(a).max(parent_level.unwrap_or(0)));
    }
}

/// The level an AI asset's own record and steps show.
fn own_level(a: &AssetNode) -> u8 {
    if a.operator.is_none() {
        0
    } else if !a.evidence.human_steps.is_empty() {
        3
    } else if !a.evidence.controls.is_empty() || a.evidence.selection.is_some() {
        2
    } else if a.evidence.prompt_commitment {
        1
    } else {
        0
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
