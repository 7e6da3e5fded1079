//! Cycles in the asset graph: nodes on a loop of ingredient edges, which
//! only a crafted manifest can make.

use std::collections::{BTreeMap, BTreeSet};

/// Nodes on a cycle of ingredient edges (possible only in crafted manifests).
pub(super) fn find<'a>(
    nodes: impl Iterator<Item = &'a str>,
    edges: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges {
        out.entry(from).or_default().push(to);
    }
    let mut on_cycle = BTreeSet::new();
    for start in nodes {
        // Iterative DFS from each node looking for a path back to it.
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
