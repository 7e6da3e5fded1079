//! Paths as text in reports. A Unix file name is bytes; one that is not
//! UTF-8 is written with each invalid byte as `\xNN` — the same in JSON and
//! on a terminal — instead of failing the whole report (serde refuses such
//! a path) or collapsing bytes into U+FFFD.

use std::path::Path;

use serde::Serializer;

/// `path` as text: valid UTF-8 as is, every other byte as `\xNN`.
pub fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// A path's file name, as ingredient titles, the record's inputs and a
/// generator's output names give it.
pub fn file_title(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Serialize a path as [`path_text`] (`#[serde(serialize_with)]`).
pub fn serialize_path<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path_text(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn invalid_bytes_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"shot\xff\xfe-\xc3\xa9.png"));
        assert_eq!(path_text(p), "shot\\xff\\xfe-é.png");
    }
}
