//! Command-line types of `credits timestamp`: evidence added to files
//! already signed.

use std::path::PathBuf;

use clap::Args;

use super::{KeyArgs, OutputArgs, TrustArgs};

#[derive(Debug, Args)]
pub struct TimestampArgs {
    /// Signed files to timestamp, in place; directories are walked. Files
    /// that already carry a timestamp are skipped.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The RFC 3161 Time-Stamp Authority (profile: `tsa_url`).
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Signer of the update manifest that carries the timestamp.
    #[command(flatten)]
    pub keys: KeyArgs,
    /// A profile giving `tsa_url` and `signer_cmd`.
    #[arg(long, value_name = "TOML")]
    pub profile: Option<PathBuf>,
    /// Judges each file before it is timestamped (a file that does not
    /// verify is refused); --tsa-trust says whether the new time is trusted.
    #[command(flatten)]
    pub trust: TrustArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}
