//! Finding the media files under the paths a user names (`audit`, batch
//! `stamp`, `watch`): directories walked with `walkdir`, sorted, without
//! following symlinks out of the root, each directory once, to a bounded
//! depth. What is passed over is returned with the reason, never dropped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::media::Format;

/// Deeper directories than this are reported, not walked.
pub const MAX_DIR_DEPTH: usize = 32;

/// Media files found, and what was skipped and why.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<(PathBuf, String)>,
}

/// Collect media files under `roots` (files given directly are taken as is).
pub fn walk(roots: &[PathBuf]) -> Walk {
    let mut out = Walk::default();
    let mut seen = BTreeSet::new();
    for root in roots {
        match std::fs::symlink_metadata(root) {
            Ok(m) if m.is_dir() => walk_dir(root, &mut seen, &mut out),
            Ok(_) => out.files.push(root.clone()),
            Err(e) => out.skipped.push((root.clone(), e.to_string())),
        }
    }
    out.files.sort();
    out.files.dedup();
    out
}

fn walk_dir(root: &Path, seen: &mut BTreeSet<PathBuf>, out: &mut Walk) {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut entries = WalkDir::new(root)
        .follow_links(false)
        .max_depth(MAX_DIR_DEPTH + 1)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                out.skipped.push((path, e.to_string()));
                continue;
            }
        };
        let path = entry.path();
        let kind = entry.file_type();
        if kind.is_dir() {
            if entry.depth() > MAX_DIR_DEPTH {
                let why = format!("deeper than {MAX_DIR_DEPTH} levels");
                out.skipped.push((path.to_path_buf(), why));
                continue;
            }
            // A directory reached twice (bind mount, hard-linked tree) is walked once.
            let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
            if !seen.insert(canonical) {
                entries.skip_current_dir();
            }
        } else if kind.is_symlink() {
            symlink(path, &canonical_root, out);
        } else if kind.is_file() && is_media(path) {
            out.files.push(path.to_path_buf());
        }
    }
}

/// A symlink is followed only when it points at a file inside the root.
fn symlink(path: &Path, root: &Path, out: &mut Walk) {
    match path.canonicalize() {
        Ok(target) if target.starts_with(root) && target.is_file() => {
            if is_media(path) {
                out.files.push(path.to_path_buf());
            }
        }
        Ok(target) if target.is_dir() => out.skipped.push((
            path.to_path_buf(),
            "symlinked directory not followed".into(),
        )),
        _ => out.skipped.push((
            path.to_path_buf(),
            "symlink leaving the audited tree".into(),
        )),
    }
}

/// Whether `path` names a media file (by extension: the formats
/// [`Format`] knows).
pub fn is_media(path: &Path) -> bool {
    Format::from_extension(path) != Format::Other
}
