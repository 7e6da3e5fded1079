//! Atomic output: write beside the target, fsync, rename — nothing lost.
//!
//! A user's file is never opened for writing. New bytes go to a temporary
//! file in the target's own directory (same filesystem, so the rename is
//! atomic); it is flushed and synced before it takes the target's name; the
//! directory is synced after. If anything fails, the temporary file is removed
//! when dropped and the target is untouched.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// What to do when the target already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse: `Error::OutputExists`.
    Never,
    /// Replace it atomically.
    Replace,
}

/// Bytes of the target's name kept in a temporary's name: a name near the
/// file system's 255-byte limit still gets a temporary beside it.
const TEMP_NAME_KEEP: usize = 32;

/// A temporary file beside `target`, to be committed with [`commit`]:
/// `.NAME.XXXXXX.credits-tmp`, NAME cut to its first 32 bytes.
pub fn temp_beside(target: &Path) -> Result<NamedTempFile> {
    let dir = parent_dir(target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut keep = name.len().min(TEMP_NAME_KEEP);
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    let prefix = format!(".{}.", &name[..keep]);
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".credits-tmp")
        .tempfile_in(dir)
        .map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })
}

/// Sync `temp` and give it the name `target` (with `mode`, on Unix).
pub fn commit(temp: NamedTempFile, target: &Path, overwrite: Overwrite, mode: u32) -> Result<()> {
    commit_around(temp, target, overwrite, mode, || (), |()| {})
}

/// [`commit`], calling `before` once the file is synced, just before the
/// rename, and `after` with what it returned right after the rename
/// (before the directory is synced): what must happen in step with the file
/// landing. If the rename fails, what `before` returned is dropped.
pub fn commit_around<B>(
    temp: NamedTempFile,
    target: &Path,
    overwrite: Overwrite,
    mode: u32,
    before: impl FnOnce() -> B,
    after: impl FnOnce(B),
) -> Result<()> {
    let werr = |source| Error::Write {
        path: target.to_path_buf(),
        source,
    };
    set_mode(temp.path(), mode).map_err(werr)?;
    temp.as_file().sync_all().map_err(werr)?;
    let begun = before();
    match overwrite {
        Overwrite::Replace => temp.persist(target).map_err(|e| werr(e.error))?,
        Overwrite::Never => temp.persist_noclobber(target).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Error::OutputExists {
                    path: target.to_path_buf(),
                }
            } else {
                werr(e.error)
            }
        })?,
    };
    after(begun);
    sync_dir(parent_dir(target));
    Ok(())
}

/// Write `bytes` to `target` atomically.
pub fn write(target: &Path, bytes: &[u8], overwrite: Overwrite, mode: u32) -> Result<()> {
    if overwrite == Overwrite::Never && target.exists() {
        return Err(Error::OutputExists {
            path: target.to_path_buf(),
        });
    }
    let mut temp = temp_beside(target)?;
    temp.write_all(bytes).map_err(|source| Error::Write {
        path: target.to_path_buf(),
        source,
    })?;
    commit(temp, target, overwrite, mode)
}

/// Create `dir` (and its parents) readable by its owner only, for secrets;
/// an existing directory is left as it is.
pub fn private_dir(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// The permission bits of `path` (so a signed copy keeps its input's),
/// or [`PUBLIC`] when they cannot be read.
pub fn mode_of(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(path) {
            return m.permissions().mode() & 0o777;
        }
    }
    PUBLIC
}

/// Mode for files anyone may read (signed media, certificates).
pub const PUBLIC: u32 = 0o644;
/// Mode for secrets (private keys, prompt reveal files).
pub const PRIVATE: u32 = 0o600;

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Best effort: a directory fsync makes the rename durable on ext4/xfs.
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The final path for an output named like `input` inside `dir`.
pub fn path_in(dir: &Path, input: &Path) -> PathBuf {
    dir.join(input.file_name().unwrap_or_default())
}
