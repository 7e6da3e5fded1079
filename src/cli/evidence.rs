//! Command-line types of `credits timestamp`: evidence added to files
//! already signed.

use std::path::PathBuf;

use clap::{Args, Subcommand};

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

#[derive(Debug, Args)]
pub struct ProveArgs {
    /// The stamped asset.
    pub file: PathBuf,
    /// The private reveal file written by `credits stamp`.
    #[arg(long, required_unless_present = "journal")]
    pub reveal: Option<PathBuf>,
    /// The creative journal the asset was stamped from: its chain, counts
    /// and chosen output checked against the signed summary; with the
    /// private part beside it (J.private) every prompt commitment opened.
    #[arg(long, value_name = "J")]
    pub journal: Option<PathBuf>,
    /// With --journal: the folder where the attempts' outputs were kept.
    /// Every file under it is hashed, and the report says how many of the
    /// journal's outputs are still there.
    #[arg(long, value_name = "DIR", requires = "journal")]
    pub outputs: Option<PathBuf>,
    #[command(flatten)]
    pub trust: TrustArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Log one generation attempt per FILE: its SHA-256, salted commitments
    /// to prompt, negative prompt and seed (plaintext to J.private, mode
    /// 0600), parameters and tool; what the file's generator wrote fills
    /// what the flags do not say.
    Add(Box<JournalAddArgs>),
    /// Write the opening (salts and plaintext) of one attempt, so its
    /// prompt can be shown without the others: `credits prove ASSET
    /// --journal J --reveal FILE` checks it against that entry.
    Reveal(JournalRevealArgs),
}

#[derive(Debug, Args)]
pub struct JournalRevealArgs {
    /// The journal (its private part J.private must be beside it).
    #[arg(value_name = "J")]
    pub journal: PathBuf,
    /// The attempt to open (its `n`).
    #[arg(long, value_name = "N")]
    pub entry: u64,
    /// Where to write it (mode 0600; default: J.entry-N.reveal.json beside
    /// the journal). An existing file is not replaced.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct JournalAddArgs {
    /// The generated outputs, in the order they were made.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The journal (created if missing; its private part is J.private).
    #[arg(long, value_name = "J")]
    pub journal: PathBuf,
    #[arg(long)]
    pub tool: Option<String>,
    #[arg(long, conflicts_with = "prompt_file")]
    pub prompt: Option<String>,
    #[arg(long)]
    pub prompt_file: Option<PathBuf>,
    #[arg(long)]
    pub negative_prompt: Option<String>,
    #[arg(long)]
    pub seed: Option<String>,
    /// A parameter as KEY=VALUE (steps=30, cfg=6.5…). Repeatable.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,
    /// The operator's private key: each entry is sealed with it, binding
    /// the operator's certificate (--chain), so the attempts are theirs.
    #[arg(long, conflicts_with = "signer_cmd", requires = "chain")]
    pub key: Option<PathBuf>,
    /// Seal with a key held by a token (profile: `signer_cmd`).
    #[arg(long, value_name = "CMD", requires = "chain")]
    pub signer_cmd: Option<String>,
    /// The operator's certificate chain (PEM, operator first).
    #[arg(long)]
    pub chain: Option<PathBuf>,
    /// A profile giving `signer_cmd` and `tsa_url`.
    #[arg(long, value_name = "TOML")]
    pub profile: Option<PathBuf>,
    /// Anchor the journal at this RFC 3161 Time-Stamp Authority as it
    /// grows (profile: `tsa_url`): a token over the last entry of every
    /// `journal add`, so its attempts are dated by the TSA, not by the
    /// operator's clock. A TSA that does not answer leaves the entries
    /// unanchored until the next token, and says so.
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// With --tsa: anchor at least every N entries within one batch too
    /// (default 1: every entry).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub tsa_every: u64,
    /// Log without sealing (no key at hand): such entries prove no
    /// selection — nothing shows who made them.
    #[arg(long, conflicts_with_all = ["key", "signer_cmd", "tsa"])]
    pub unsigned: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got {s:?}")),
    }
}
