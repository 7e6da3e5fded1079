//! `credits index …` and the `--index` flag every command that records or
//! looks up assets shares.

use std::path::PathBuf;

use clap::Subcommand;

use super::{OutputArgs, TrustArgs};

/// The environment variable naming the catalog when `--index` is not given.
pub const CATALOG_ENV: &str = "CREDITS_INDEX";

/// `--index`, or else `$CREDITS_INDEX` (empty means unset).
pub fn catalog_spec(flag: &Option<String>) -> Option<String> {
    flag.clone().or_else(|| {
        std::env::var(CATALOG_ENV)
            .ok()
            .filter(|s| !s.trim().is_empty())
    })
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Add signed, intact assets (fingerprint, manifest store, record,
    /// path); replays what a stamp could not record.
    Add {
        /// Signed files to index.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The catalog: postgres://user@host[:port]/db (shared) or a SQLite
        /// file (created if missing). Default: $CREDITS_INDEX.
        #[arg(long, value_name = "CATALOG")]
        index: Option<String>,
        #[command(flatten)]
        trust: TrustArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Bring a catalog's schema up to date (done on first use too); say
    /// which version it had.
    Migrate {
        /// The catalog: postgres://user@host[:port]/db or a SQLite file.
        /// Default: $CREDITS_INDEX.
        #[arg(long, value_name = "CATALOG")]
        index: Option<String>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Count the catalog's assets per tool, operator, licence and the
    /// verdict under which each was admitted.
    Stats {
        /// The catalog: postgres://user@host[:port]/db or a SQLite file.
        /// Default: $CREDITS_INDEX.
        #[arg(long, value_name = "CATALOG")]
        index: Option<String>,
        #[command(flatten)]
        output: OutputArgs,
    },
}
