//! The envelope every JSON report shares: one [`SCHEMA_VERSION`] beside the
//! report's own fields, rendered as one pretty document. A report that
//! cannot be serialised is an error, never half a document.

use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, Result};

/// The version of every JSON report's schema (`verify`, `stamp`, `prove`,
/// `audit`, `index`). Bump it when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a, T: Serialize> {
    schema_version: u32,
    #[serde(flatten)]
    body: &'a T,
}

/// `body` as one pretty JSON document (with a final newline), its fields
/// after `schema_version`.
pub fn json<T: Serialize>(body: &T) -> Result<String> {
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        body,
    };
    serde_json::to_string_pretty(&doc)
        .map(|s| s + "\n")
        .map_err(Error::Json)
}

/// One input that could not be handled, with what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub input: PathBuf,
    pub error: String,
    pub hint: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body whose serialisation fails, as a map with non-string keys does.
    struct Unserialisable;

    impl Serialize for Unserialisable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> std::result::Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("not representable"))
        }
    }

    #[derive(Serialize)]
    struct Body {
        files: Vec<u32>,
    }

    #[test]
    fn the_schema_version_comes_first() {
        let text = json(&Body { files: vec![1] }).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["schema_version"], SCHEMA_VERSION);
        assert!(text.trim_start().starts_with("{\n  \"schema_version\""));
    }

    #[test]
    fn a_body_that_cannot_be_serialised_is_an_error_not_half_a_document() {
        assert!(matches!(json(&Unserialisable), Err(Error::Json(_))));
    }
}
