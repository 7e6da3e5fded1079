//! Whether an asset may train models: the CAWG training-and-data-mining
//! assertion (`cawg.training-mining`), with one use (`allowed`,
//! `notAllowed`, `constrained`) for each of its four entries —
//! `cawg.ai_training`, `cawg.ai_generative_training`, `cawg.data_mining`
//! and `cawg.ai_inference`.
//!
//! On the command line and in profiles: one use for every entry
//! (`notAllowed`), or entries named without their prefix
//! (`ai_training=notAllowed,ai_inference=allowed`).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;

/// The assertion's label.
pub const LABEL: &str = "cawg.training-mining";

/// The entries, in the order the CAWG specification lists them.
pub const ENTRIES: [&str; 4] = [
    "cawg.ai_training",
    "cawg.ai_generative_training",
    "cawg.data_mining",
    "cawg.ai_inference",
];

crate::record::closed_enum!(
    /// What an entry permits.
    Use {
        Allowed => "allowed",
        NotAllowed => "notAllowed",
        Constrained => "constrained",
    }
);

/// A declaration: the use of each entry it names (at least one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingMining {
    /// Entry label (`cawg.ai_training`, …) → use.
    pub entries: BTreeMap<String, Use>,
}

impl TrainingMining {
    /// The assertion body.
    pub fn to_assertion(&self) -> serde_json::Value {
        let entries: serde_json::Map<_, _> = self
            .entries
            .iter()
            .map(|(k, u)| (k.clone(), json!({"use": u.as_str()})))
            .collect();
        json!({ "entries": entries })
    }

    /// Read a declaration back from an assertion body: the entries it
    /// names with a use we know; `None` when there is none.
    pub fn from_assertion(value: &serde_json::Value) -> Option<TrainingMining> {
        let entries: BTreeMap<String, Use> = value
            .get("entries")?
            .as_object()?
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.get("use")?.as_str()?.parse().ok()?)))
            .collect();
        (!entries.is_empty()).then_some(TrainingMining { entries })
    }
}

impl FromStr for TrainingMining {
    type Err = String;
    fn from_str(s: &str) -> Result<TrainingMining, String> {
        if !s.contains('=') {
            let u: Use = s.trim().parse()?;
            let entries = ENTRIES.iter().map(|e| (e.to_string(), u)).collect();
            return Ok(TrainingMining { entries });
        }
        let mut entries = BTreeMap::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?}: expected ENTRY=USE"))?;
            let label = format!("cawg.{}", name.trim().trim_start_matches("cawg."));
            if !ENTRIES.contains(&label.as_str()) {
                let names: Vec<_> = ENTRIES.iter().map(|e| &e[5..]).collect();
                return Err(format!("{name:?} is not an entry: {}", names.join(", ")));
            }
            entries.insert(label, value.trim().parse()?);
        }
        if entries.is_empty() {
            return Err("no entry given".into());
        }
        Ok(TrainingMining { entries })
    }
}

impl fmt::Display for TrainingMining {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .entries
            .iter()
            .map(|(k, u)| format!("{}={}", k.trim_start_matches("cawg."), u.as_str()))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

impl<'de> Deserialize<'de> for TrainingMining {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TrainingMining, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_use_covers_every_entry() {
        let t: TrainingMining = "notAllowed".parse().unwrap();
        assert_eq!(t.entries.len(), 4);
        assert!(t.entries.values().all(|u| *u == Use::NotAllowed));
        assert_eq!(TrainingMining::from_assertion(&t.to_assertion()), Some(t));
    }

    #[test]
    fn entries_can_be_named() {
        let t: TrainingMining = "ai_training=notAllowed, cawg.ai_inference=allowed"
            .parse()
            .unwrap();
        assert_eq!(t.entries["cawg.ai_training"], Use::NotAllowed);
        assert_eq!(t.entries["cawg.ai_inference"], Use::Allowed);
        assert_eq!(
            t.to_string(),
            "ai_inference=allowed, ai_training=notAllowed"
        );
    }

    #[test]
    fn unknown_entries_and_uses_are_refused() {
        assert!("maybe".parse::<TrainingMining>().is_err());
        assert!("ai_dreaming=allowed".parse::<TrainingMining>().is_err());
        assert!("ai_training=sometimes".parse::<TrainingMining>().is_err());
        assert!(",".parse::<TrainingMining>().is_err());
    }
}
