//! A shot's media reference → a file on disk: a `file://` URL or a path
//! (relative to the timeline's folder), else the same name under the media
//! root. Nothing is fetched: other URL schemes do not resolve.

use std::path::{Path, PathBuf};

/// Where the cut's media may be.
pub struct Roots<'a> {
    /// The folder holding the timeline file.
    pub timeline_dir: &'a Path,
    /// `--media-root`, where media moved since the edit are looked up.
    pub media_root: Option<&'a Path>,
}

/// The first existing regular file `reference` names, if any.
pub fn resolve(reference: &str, roots: &Roots) -> Option<PathBuf> {
    let reference = reference.trim();
    if reference.is_empty() {
        return None;
    }
    let path = match reference.split_once("://") {
        Some(("file", _)) => url::Url::parse(reference).ok()?.to_file_path().ok()?,
        Some((scheme, _)) if scheme.bytes().all(|b| b.is_ascii_alphanumeric()) => return None,
        _ => PathBuf::from(reference),
    };
    // A Windows path from another machine: its file name still counts.
    let name = reference
        .rsplit(['/', '\\'])
        .next()
        .filter(|n| !n.is_empty())
        .map(PathBuf::from);
    let mut candidates = vec![];
    if path.is_absolute() {
        candidates.push(path.clone());
    } else {
        candidates.push(roots.timeline_dir.join(&path));
    }
    if let Some(root) = roots.media_root {
        if !path.is_absolute() {
            candidates.push(root.join(&path));
        }
        candidates.extend(name.map(|n| root.join(n)));
    }
    candidates.into_iter().find(|c| c.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_beside_the_timeline_then_under_the_media_root() {
        let dir = tempfile::tempdir().unwrap();
        let (cut, media) = (dir.path().join("cut"), dir.path().join("media"));
        std::fs::create_dir_all(&cut).unwrap();
        std::fs::create_dir_all(media.join("sub")).unwrap();
        std::fs::write(cut.join("a.mp4"), b"a").unwrap();
        std::fs::write(media.join("b.mp4"), b"b").unwrap();
        std::fs::write(media.join("sub/c.mp4"), b"c").unwrap();
        let roots = Roots {
            timeline_dir: &cut,
            media_root: Some(&media),
        };
        assert_eq!(resolve("a.mp4", &roots), Some(cut.join("a.mp4")));
        assert_eq!(resolve("/gone/b.mp4", &roots), Some(media.join("b.mp4")));
        assert_eq!(
            resolve("C:\\proj\\b.mp4", &roots),
            Some(media.join("b.mp4"))
        );
        assert_eq!(resolve("sub/c.mp4", &roots), Some(media.join("sub/c.mp4")));
        let url = url::Url::from_file_path(cut.join("a.mp4")).unwrap();
        assert_eq!(resolve(url.as_str(), &roots), Some(cut.join("a.mp4")));
        assert_eq!(resolve("https://cdn.test/b.mp4", &roots), None);
        assert_eq!(resolve("nowhere.mp4", &roots), None);
    }
}
