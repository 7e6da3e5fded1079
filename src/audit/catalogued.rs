//! `audit --index`: ingredients that are not under the audited paths,
//! looked up in the provenance catalog by manifest label and, when the
//! manifest recorded one, content hash.
//!
//! A catalog is a file anyone with write access can edit, so a row is
//! evidence only when what it holds verifies now: its stored manifest store
//! is well-formed, its active manifest is the ingredient's (label), it
//! binds content (one hard binding), and its signature is `trusted`
//! against the audit's own `--trust` (signature, chain, CRL). The row's
//! `admission` column and signer text are never believed. A row that fails
//! is reported (`catalog_unverified`) and stands in for nothing.

use super::graph::{Graph, NodeKind};
use crate::error::Result;
use crate::index::{Catalogued, Index};
use crate::media::{jumbf, Format};
use crate::verify::{self, State, Verifier};

/// Mark each manifest-only ingredient the catalog holds, verified.
pub fn resolve(graph: &mut Graph, catalog: &Index, verifier: &Verifier) -> Result<()> {
    for node in &mut graph.assets {
        if node.kind != NodeKind::Manifest {
            continue;
        }
        let Some(label) = &node.manifest_label else {
            continue;
        };
        let found = catalog.by_label(label)?;
        let Some(row) = found
            .into_iter()
            .find(|c| node.sha256.as_ref().is_none_or(|sha| *sha == c.sha256))
        else {
            continue;
        };
        let store = catalog.manifest_store(&row.manifest_label)?;
        match check_row(&row, store.as_deref(), label, verifier) {
            Ok(signer) => {
                node.catalog = Some(Catalogued {
                    signer: Some(signer),
                    ..row
                })
            }
            Err(why) => {
                node.catalog_unverified = Some(format!(
                    "catalog row {} ({}) does not verify: {why}",
                    row.path, row.manifest_label
                ))
            }
        }
    }
    Ok(())
}

/// Whether a catalog row's stored manifest store stands for the
/// ingredient `label`: the signer's name when it does, why not otherwise.
fn check_row(
    row: &Catalogued,
    store: Option<&[u8]>,
    label: &str,
    verifier: &Verifier,
) -> std::result::Result<String, String> {
    let store = store.ok_or("it holds no manifest store")?;
    jumbf::check_store(store).map_err(|e| format!("its manifest store is malformed: {e}"))?;
    let manifests = jumbf::manifests(store);
    let active = manifests
        .last()
        .ok_or("its manifest store holds no manifest")?;
    if active.label != label {
        return Err(format!(
            "its manifest store's active manifest is {}, not the ingredient's {label}",
            active.label
        ));
    }
    let bindings = ["c2pa.hash.data", "c2pa.hash.bmff", "c2pa.hash.boxes"]
        .iter()
        .map(|b| jumbf::assertions_like(store, label, b).len())
        .sum::<usize>();
    if bindings != 1 {
        return Err(format!(
            "its manifest has {bindings} hard bindings, where one binds the content"
        ));
    }
    let format = Format::from_extension(std::path::Path::new(&row.path));
    let (state, signer) = verify::store_signature(verifier, store, format);
    match state {
        State::Trusted => Ok(signer
            .and_then(|s| s.common_name)
            .unwrap_or_else(|| "?".into())),
        other => Err(format!(
            "its signature is {} against this audit's trust bundle",
            other.as_str()
        )),
    }
}
