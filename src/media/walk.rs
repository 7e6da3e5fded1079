//! Finding the media files under the paths a user names (`audit`, batch
//! `stamp`): directories walked with `walkdir`, sorted, without following
//! symlinks out of the root, each directory once, to a bounded depth. A
//! file is media by its content (magic bytes), whatever its name says — an
//! `.m4a`, an extensionless render, `shot.png ` with a trailing space —
//! and by its name only when the content is unrecognised (so a truncated
//! `.png` is still checked, and fails). Every regular file is accounted
//! for: media, a companion of a media file (its sidecar manifest, its
//! reveal file), or passed over with the reason — never dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use walkdir::WalkDir;

use crate::media::{self, Format};

/// Deeper directories than this are reported, not walked.
pub const MAX_DIR_DEPTH: usize = 32;

/// Media files found, their companions, and what was skipped and why.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    /// Why each of `files` was taken as media.
    pub found_by: BTreeMap<PathBuf, String>,
    /// Files that belong to a media file rather than standing alone.
    pub companions: Vec<(PathBuf, Companion)>,
    pub skipped: Vec<(PathBuf, String)>,
    /// Regular files that are not media, until companions are told apart.
    others: Vec<PathBuf>,
}

/// What a companion file is to its media file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Companion {
    /// Its sidecar manifest, read with it.
    Sidecar { of: PathBuf },
    /// Its private prompt reveal file.
    Reveal { of: PathBuf },
    /// The cut an audit judges (`--timeline`), read as the timeline.
    Timeline,
}

impl Companion {
    fn reason(&self) -> String {
        match self {
            Companion::Sidecar { of } => {
                format!("sidecar manifest of {}, read with it", of.display())
            }
            Companion::Reveal { of } => {
                format!("prompt reveal file of {}: private, not media", of.display())
            }
            Companion::Timeline => "the timeline (--timeline), read as the cut".into(),
        }
    }
}

/// One path the walk met, whether it is checked, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Listed {
    pub path: String,
    pub audited: bool,
    pub reason: String,
}

impl Walk {
    /// Every path met, sorted: the media checked, the companions read
    /// with them, the rest with why it was not checked.
    pub fn listing(&self) -> Vec<Listed> {
        let entry = |path: &Path, audited: bool, reason: &str| Listed {
            path: path.display().to_string(),
            audited,
            reason: reason.to_string(),
        };
        let mut out: Vec<Listed> = self
            .files
            .iter()
            .map(|f| {
                entry(
                    f,
                    true,
                    self.found_by
                        .get(f)
                        .map_or("named on the command line", |r| r),
                )
            })
            .chain(
                self.companions
                    .iter()
                    .map(|(p, c)| entry(p, true, &c.reason())),
            )
            .chain(self.skipped.iter().map(|(p, why)| entry(p, false, why)))
            .collect();
        out.sort();
        out
    }
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
    companions(&mut out);
    out
}

/// Tell the companions of media files (`clip.mkv.c2pa`, `clip.c2pa`,
/// `shot.png.reveal.json`) from files that are simply not media.
fn companions(out: &mut Walk) {
    let mut owner: BTreeMap<PathBuf, Companion> = BTreeMap::new();
    for file in &out.files {
        for sidecar in media::sidecar_candidates(file) {
            owner.insert(sidecar, Companion::Sidecar { of: file.clone() });
        }
        let mut reveal = file.file_name().unwrap_or_default().to_os_string();
        reveal.push(".reveal.json");
        owner.insert(
            file.with_file_name(reveal),
            Companion::Reveal { of: file.clone() },
        );
    }
    for path in std::mem::take(&mut out.others) {
        match owner.remove(&path) {
            Some(companion) => out.companions.push((path, companion)),
            None => out
                .skipped
                .push((path, "not a media file (content not recognised)".into())),
        }
    }
}

/// Whether `path` is media, by content first, then by name.
fn classify(path: &Path, out: &mut Walk) {
    match Format::sniff(path) {
        Ok(Some(format)) => {
            let why = format!("media: {} by content", format.name());
            out.found_by.insert(path.to_path_buf(), why);
            out.files.push(path.to_path_buf());
        }
        Ok(None) if Format::from_extension(path) != Format::Other => {
            let why = "named as media; content not recognised, checked anyway".to_string();
            out.found_by.insert(path.to_path_buf(), why);
            out.files.push(path.to_path_buf());
        }
        Ok(None) => out.others.push(path.to_path_buf()),
        Err(e) => out
            .skipped
            .push((path.to_path_buf(), format!("unreadable: {e}"))),
    }
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
        } else if kind.is_file() {
            classify(path, out);
        } else if entry.depth() > 0 {
            let why = "not a regular file (device, socket or pipe)".to_string();
            out.skipped.push((path.to_path_buf(), why));
        }
    }
}

/// A symlink is followed only when it points at a file inside the root.
fn symlink(path: &Path, root: &Path, out: &mut Walk) {
    match path.canonicalize() {
        Ok(target) if target.starts_with(root) && target.is_file() => classify(path, out),
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

/// Whether `path` names a media file by its extension (the formats
/// [`Format`] knows): for `watch`, which sees files before their bytes.
pub fn is_media(path: &Path) -> bool {
    Format::from_extension(path) != Format::Other
}

/// A file's identity: device and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    dev: u64,
    ino: u64,
}

/// Whether `path` is a regular file inside `root` right now: opened
/// without following a symlink (`O_NOFOLLOW`; `O_NONBLOCK`, so a FIFO
/// cannot hang the open), its directory inside `root` once both are
/// resolved. Its identity, or why it is passed over.
#[cfg(unix)]
pub fn confined(root: &Path, path: &Path) -> Result<Identity, String> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let link = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if link.file_type().is_symlink() {
        return Err("a symbolic link: only regular files inside the folder are signed".into());
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => {
                "a symbolic link: only regular files inside the folder are signed".to_string()
            }
            _ => e.to_string(),
        })?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    inside(root, path)?;
    Ok(Identity {
        dev: meta.dev(),
        ino: meta.ino(),
    })
}

/// Elsewhere: a regular file (not a link) whose folder is inside `root`.
#[cfg(not(unix))]
pub fn confined(root: &Path, path: &Path) -> Result<Identity, String> {
    let link = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if !link.is_file() {
        return Err("not a regular file (a link, say)".into());
    }
    inside(root, path)?;
    Ok(Identity { dev: 0, ino: 0 })
}

/// Whether `path`'s folder is inside `root` once both are resolved.
fn inside(root: &Path, path: &Path) -> Result<(), String> {
    let inside = match (
        path.parent().map(std::fs::canonicalize),
        std::fs::canonicalize(root),
    ) {
        (Some(Ok(dir)), Ok(root)) => dir.starts_with(root),
        _ => false,
    };
    if inside {
        Ok(())
    } else {
        Err(format!(
            "outside {} once its folders' links are resolved",
            root.display()
        ))
    }
}
