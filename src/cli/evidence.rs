//! Command-line types of `credits timestamp`: evidence added to files
//! already signed.

use std::path::PathBuf;

use clap::Args;

use super::{OutputArgs, TrustArgs};

#[derive(Debug, Args)]
pub struct TimestampArgs {
    /// Signed files to timestamp, in place; directories are walked. Files
    /// that already carry a timestamp are skipped.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The RFC 3161 Time-Stamp Authority (profile: `tsa_url`).
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Signer of the update manifest that carries the timestamp: a private
    /// key (PKCS#8 PEM, mode 0600)…
    #[arg(long, conflicts_with = "signer_cmd")]
    pub key: Option<PathBuf>,
    /// …or a command holding the key in a token (profile: `signer_cmd`).
    #[arg(long, value_name = "CMD")]
    pub signer_cmd: Option<String>,
    /// The signer's certificate chain (PEM, signer first).
    #[arg(long)]
    pub chain: PathBuf,
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
