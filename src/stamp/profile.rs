//! Tool profiles: a small TOML file with a generator's defaults (tool, model,
//! licence, role), so a pipeline stamps with one short line.
//!
//! ```toml
//! [tool]
//! name = "Kling"
//! version = "2.1"
//! vendor = "Kuaishou"
//! model = "kling-v2-1-master"
//!
//! [license]
//! id = "kling-commercial-2025"
//! commercial_use = true
//! terms_url = "https://example.com/terms"
//!
//! role = "prompt_design"
//! training_mining = "notAllowed"
//! ```
//!
//! Command-line flags override the profile field by field.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::record::training::TrainingMining;
use crate::record::{License, Role, Tool};

/// Defaults for a generator.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub tool: Option<Tool>,
    #[serde(default)]
    pub license: Option<License>,
    /// The CAWG training-and-mining declaration: `"notAllowed"`, or
    /// `"ai_training=notAllowed,ai_inference=allowed"`.
    #[serde(default)]
    pub training_mining: Option<TrainingMining>,
    /// The command that signs with a key held by a token (`--signer-cmd`).
    #[serde(default)]
    pub signer_cmd: Option<String>,
    /// The RFC 3161 Time-Stamp Authority of every claim signature (`--tsa`).
    #[serde(default)]
    pub tsa_url: Option<String>,
}

impl Profile {
    /// Read and check a profile file; errors name the line at fault.
    pub fn load(path: &Path) -> Result<Profile> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| Error::BadProfile {
            path: path.to_path_buf(),
            reason: e.to_string().trim().replace('\n', " "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_profile() {
        let p: Profile = toml::from_str(
            "role = \"control\"\n[tool]\nname = \"Kling\"\nmodel = \"v2\"\n[license]\nid = \"x\"\ncommercial_use = false\n",
        )
        .unwrap();
        assert_eq!(p.role, Some(Role::Control));
        assert_eq!(p.tool.unwrap().model.as_deref(), Some("v2"));
        assert_eq!(p.license.unwrap().commercial_use, Some(false));
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<Profile>("colour = 1").is_err());
    }
}
