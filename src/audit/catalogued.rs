//! `audit --index`: ingredients that are not under the audited paths,
//! looked up in the provenance catalog by manifest label and, when the
//! manifest recorded one, content hash.

use super::graph::{Graph, NodeKind};
use crate::error::Result;
use crate::index::Index;

/// Mark each manifest-only ingredient the catalog holds.
pub fn resolve(graph: &mut Graph, catalog: &Index) -> Result<()> {
    for node in &mut graph.assets {
        if node.kind != NodeKind::Manifest {
            continue;
        }
        let Some(label) = &node.manifest_label else {
            continue;
        };
        let found = catalog.by_label(label)?;
        node.catalog = found
            .into_iter()
            .find(|c| node.sha256.as_ref().is_none_or(|sha| *sha == c.sha256));
    }
    Ok(())
}
