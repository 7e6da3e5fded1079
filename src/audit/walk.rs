//! Finding the media files of a film: directories walked without following
//! symlinks out of the root, without loops, to a bounded depth.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Deeper directories than this are reported, not walked.
pub const MAX_DEPTH: usize = 32;

const MEDIA_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "webp", "gif", "tif", "tiff", "avif", "heic", "heif", "mp4", "mov",
    "m4v", "wav", "mp3", "mkv", "webm", "exr",
];

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
            Ok(m) if m.is_dir() => {
                let canonical = root.canonicalize().unwrap_or_else(|_| root.clone());
                visit(root, &canonical, 0, &mut seen, &mut out);
            }
            Ok(_) => out.files.push(root.clone()),
            Err(e) => out.skipped.push((root.clone(), e.to_string())),
        }
    }
    out.files.sort();
    out.files.dedup();
    out
}

fn visit(dir: &Path, root: &Path, depth: usize, seen: &mut BTreeSet<PathBuf>, out: &mut Walk) {
    if depth > MAX_DEPTH {
        out.skipped
            .push((dir.to_path_buf(), format!("deeper than {MAX_DEPTH} levels")));
        return;
    }
    // A directory reached twice (bind mount, hard-linked tree) is walked once.
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if !seen.insert(canonical) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.skipped.push((dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            // Followed only when it points at a file inside the root.
            match path.canonicalize() {
                Ok(target) if target.starts_with(root) && target.is_file() => {
                    if is_media(&path) {
                        out.files.push(path);
                    }
                }
                Ok(target) if target.is_dir() => out
                    .skipped
                    .push((path, "symlinked directory not followed".into())),
                _ => out
                    .skipped
                    .push((path, "symlink leaving the audited tree".into())),
            }
        } else if meta.is_dir() {
            visit(&path, root, depth + 1, seen, out);
        } else if meta.is_file() && is_media(&path) {
            out.files.push(path);
        }
    }
}

/// Whether `path` names a media file (by extension).
pub fn is_media(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| MEDIA_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        .unwrap_or(false)
}
