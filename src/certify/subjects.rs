//! A certificate's subjects: every file met under the audited roots (and
//! the timeline, and sidecar manifests), by SHA-256, named relative to one
//! base folder — never an absolute machine path, never `..` — so that
//! `verify --check DIR` finds them under DIR, wherever the delivery was
//! copied; and, under DIR, every file of the certified roots that the
//! certificate does not cover (a grown delivery) reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::statement::{Statement, Subject};
use crate::audit::AuditReport;
use crate::error::{Error, Result};

/// Files deeper than this under a certified root are not walked (and said).
const MAX_DEPTH: usize = 32;

/// The folder subjects are named from: the deepest folder holding every
/// root (a folder root itself when it is the only input) and the timeline.
/// Folders and files are taken with their links resolved.
pub fn base(roots: &[PathBuf], timeline: Option<&Path>) -> Result<PathBuf> {
    let mut dirs = Vec::new();
    for p in roots.iter().map(PathBuf::as_path).chain(timeline) {
        let abs = std::fs::canonicalize(p).map_err(|source| Error::Read {
            path: p.to_path_buf(),
            source,
        })?;
        let dir = if abs.is_dir() {
            abs
        } else {
            abs.parent().map(Path::to_path_buf).unwrap_or(abs)
        };
        dirs.push(dir);
    }
    let mut common = dirs.first().cloned().unwrap_or_default();
    for d in &dirs[1..] {
        while !d.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    Ok(common)
}

/// `path` (as the audit met it) named relative to `base`.
pub fn name(base: &Path, path: &Path) -> Result<String> {
    let abs = std::fs::canonicalize(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let rel = abs.strip_prefix(base).map_err(|_| Error::Usage {
        reason: format!(
            "{} is outside {}, the folder the certificate names files from",
            path.display(),
            base.display()
        ),
    })?;
    Ok(slashed(rel))
}

fn slashed(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .components()
        .map(|c| crate::sys::path_text::path_text(Path::new(c.as_os_str())))
        .collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// Every audited file (copies too), every other file the walk met, the
/// timeline, and the sidecar manifests of any of them, sorted; and the
/// roots, named from `base`.
pub fn collect(
    report: &AuditReport,
    roots: &[PathBuf],
    timeline: Option<&Path>,
    base: &Path,
) -> Result<(Vec<Subject>, Vec<String>)> {
    // Each path with the SHA-256 the audit already took, when it took one:
    // audited media (and their copies) are not hashed a second time.
    let mut paths: BTreeMap<PathBuf, Option<String>> = BTreeMap::new();
    for a in report.assets.iter().filter(|a| a.is_file()) {
        for p in a.path.iter().chain(&a.copies) {
            paths.insert(PathBuf::from(p), a.sha256.clone());
        }
    }
    for f in &report.files {
        let p = PathBuf::from(&f.path);
        if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) {
            paths.entry(p).or_insert(None);
        }
    }
    if let Some(t) = timeline {
        paths.entry(t.to_path_buf()).or_insert(None);
    }
    let sidecars: Vec<PathBuf> = paths
        .keys()
        .map(|p| crate::media::sidecar_path(p))
        .filter(|s| s.is_file())
        .collect();
    for s in sidecars {
        paths.entry(s).or_insert(None);
    }
    let mut out = Vec::new();
    for (p, sha) in &paths {
        let sha = match sha {
            Some(sha) => sha.clone(),
            None => sha256_of(p)?,
        };
        out.push(Subject {
            name: name(base, p)?,
            digest: [("sha256".to_string(), sha)].into_iter().collect(),
        });
    }
    out.sort();
    out.dedup();
    let roots = roots
        .iter()
        .map(|r| name(base, r))
        .collect::<Result<Vec<_>>>()?;
    Ok((out, roots))
}

pub fn sha256_of(path: &Path) -> Result<String> {
    crate::media::sha256_file(path).map_err(|source| Error::Read {
        path: PathBuf::from(path),
        source,
    })
}

/// The subjects found again under a folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectCheck {
    pub dir: String,
    pub matched: usize,
    pub changed: Vec<String>,
    pub missing: Vec<String>,
    /// Files under the certified roots that the certificate does not cover.
    pub uncovered: Vec<String>,
    /// Names that are not a path inside DIR (absolute, or with `..`).
    pub outside: Vec<String>,
}

impl SubjectCheck {
    /// Whether everything under DIR is as certified.
    pub fn intact(&self) -> bool {
        self.changed.is_empty()
            && self.missing.is_empty()
            && self.uncovered.is_empty()
            && self.outside.is_empty()
    }
}

/// Whether `name` is a relative path that stays inside its folder.
fn inside(name: &str) -> bool {
    let p = Path::new(name);
    !name.is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Hash every subject again under `dir`, then walk the certified roots
/// under `dir` for files the certificate does not cover (`certificate`,
/// the file being verified, apart).
pub fn check(s: &Statement, dir: &Path, certificate: &Path) -> SubjectCheck {
    let mut check = SubjectCheck {
        dir: crate::sys::path_text::path_text(dir),
        matched: 0,
        changed: Vec::new(),
        missing: Vec::new(),
        uncovered: Vec::new(),
        outside: Vec::new(),
    };
    for subject in &s.subject {
        if !inside(&subject.name) {
            check.outside.push(subject.name.clone());
            continue;
        }
        match crate::media::sha256_file(&dir.join(&subject.name)) {
            Ok(sha) if Some(sha.as_str()) == subject.sha256() => check.matched += 1,
            Ok(_) => check.changed.push(subject.name.clone()),
            Err(_) => check.missing.push(subject.name.clone()),
        }
    }
    let covered: BTreeSet<&str> = s.subject.iter().map(|x| x.name.as_str()).collect();
    let me = std::fs::canonicalize(certificate).ok();
    for root in s.predicate.roots.iter().filter(|r| inside(r)) {
        let walk = walkdir::WalkDir::new(dir.join(root))
            .follow_links(false)
            .max_depth(MAX_DEPTH)
            .sort_by_file_name();
        for entry in walk.into_iter().flatten() {
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let rel = slashed(rel);
            let is_me = || me.is_some() && std::fs::canonicalize(entry.path()).ok() == me;
            if !covered.contains(rel.as_str()) && !is_me() {
                check.uncovered.push(rel);
            }
        }
    }
    check
}
