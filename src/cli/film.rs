//! Command-line types of the film-level commands: `audit` and `certify`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::TrustArgs;

/// What an audit looks at and judges against (`audit`, `certify`).
#[derive(Debug, Args)]
pub struct AuditInputs {
    /// Directories (walked; symlinks out of the tree are not followed) or files.
    #[arg(required_unless_present = "timeline", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The editor's cut (.otio or CMX 3600 .edl): judge the film by screen
    /// time; the media it plays are audited too.
    #[arg(long, value_name = "CUT")]
    pub timeline: Option<PathBuf>,
    /// Where the cut's media are looked up by name when the timeline's paths
    /// do not exist (and where an EDL's clip names are).
    #[arg(long, value_name = "DIR", requires = "timeline")]
    pub media_root: Option<PathBuf>,
    /// Frames per second of an EDL's timecodes (an EDL does not say).
    #[arg(
        long,
        value_name = "FPS",
        default_value_t = 24.0,
        requires = "timeline"
    )]
    pub timeline_rate: f64,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Ingest policy (TOML): requirements, allowed tools, role weights.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// A creative journal to prove journal-stamped assets against (their
    /// selection then reads "proven"). Repeatable.
    #[arg(long = "journal", value_name = "J")]
    pub journals: Vec<PathBuf>,
    /// Look up ingredients that are not under the audited paths in this
    /// catalog (postgres://user@host/db or a SQLite file); found ones are
    /// reported as in the catalog, not in the delivery.
    #[arg(long, value_name = "CATALOG")]
    pub index: Option<String>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub inputs: AuditInputs,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CertifyArgs {
    #[command(flatten)]
    pub inputs: AuditInputs,
    /// The certifier's private key (from `credits keys issue`).
    #[arg(long)]
    pub key: PathBuf,
    /// The certifier's certificate chain.
    #[arg(long)]
    pub chain: PathBuf,
    /// Where to write the certificate (a DSSE envelope, atomically).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Certify a rejected audit too (the verdict inside says rejected).
    #[arg(long)]
    pub allow_rejected: bool,
    /// RFC 3161 Time-Stamp Authority to timestamp the signature: the
    /// certificate then stays valid after the certifier's certificate
    /// expires, and its signing time is known against a revocation.
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Replace --out if it exists.
    #[arg(long)]
    pub force: bool,
}

impl AuditArgs {
    /// The format asked for, `--json` included.
    pub fn format(&self) -> ReportFormat {
        if self.json {
            ReportFormat::Json
        } else {
            self.format
        }
    }
}

/// How an audit report is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
    Md,
    Html,
}
