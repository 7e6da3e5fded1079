//! Command-line types (clap derive only). Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use credits::record::training::TrainingMining;
use credits::record::{ControlKind, DeriveAction, Role, Selection};

mod catalog;
mod evidence;
mod film;

pub use catalog::{catalog_spec, IndexCommand, CATALOG_ENV};
pub use evidence::{JournalAddArgs, JournalCommand, JournalRevealArgs, ProveArgs, TimestampArgs};
pub use film::{AuditArgs, AuditInputs, CertifyArgs, ReportFormat};

/// Signed, verifiable provenance for AI-generated frames and clips (C2PA).
///
/// Exit status: 0 success (every file trusted), 1 checked and failed
/// (a file is not trusted, a proof does not match), 2 could not run
/// (bad arguments, unreadable file, missing key).
#[derive(Debug, Parser)]
#[command(name = "credits", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the studio CA, issue operator certificates, export the trust bundle.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Sign generated frames or clips with a provenance manifest.
    Stamp(Box<StampArgs>),
    /// Stamp each new frame or clip in a generator's output folder once it
    /// is completely written; runs until SIGINT/SIGTERM.
    Watch(Box<WatchArgs>),
    /// Check files' manifests against the studio's trust bundle.
    Verify(VerifyArgs),
    /// Check a private reveal file against the prompt commitment in an asset.
    Prove(ProveArgs),
    /// Sign a file made from signed inputs (transcode, trim, grade…), carrying their chain.
    Derive(Box<DeriveArgs>),
    /// Add a trusted RFC 3161 timestamp to files signed without one (an
    /// offline render node's output), so they outlive their signer's
    /// certificate.
    Timestamp(Box<TimestampArgs>),
    /// Audit a film's asset chain: coverage, findings, human control, contributions.
    Audit(AuditArgs),
    /// Audit a film and sign the result as a rights certificate (in-toto
    /// Statement in a DSSE envelope); `credits verify` checks it.
    Certify(Box<CertifyArgs>),
    /// Log generation attempts in a creative journal (hash-chained), so a
    /// stamp can show the selection and iteration behind a shot.
    #[command(subcommand)]
    Journal(JournalCommand),
    /// The provenance catalog of stamped assets (SQLite file or PostgreSQL),
    /// for `verify --recover` and `audit --index`.
    #[command(subcommand)]
    Index(IndexCommand),
}

/// `keys issue --role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KeyRoleArg {
    Operator,
    Certifier,
}

/// The trust anchors: one flag, one meaning, wherever a manifest is judged.
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// PEM bundle of the studio's trusted root certificates (from `credits
    /// keys trust`). Signers that chain to one are `trusted`; without it no
    /// signer is.
    #[arg(long, value_name = "PEM")]
    pub trust: Option<PathBuf>,
    /// PEM bundle of trusted Time-Stamp Authority roots, judged apart from
    /// the signer roots: only a timestamp from one of these keeps a
    /// signature valid after its certificate expires.
    #[arg(long, value_name = "PEM")]
    pub tsa_trust: Option<PathBuf>,
    /// Take a CRL in the trust bundle that is past its `nextUpdate` as
    /// current. Without it such a CRL leaves every signer it covers
    /// untrusted: a stale list may hide newer revocations.
    #[arg(long)]
    pub allow_stale_crl: bool,
}

/// How a report is printed.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Report format: lines for people, or one JSON document with
    /// `schema_version`.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

impl OutputArgs {
    /// Whether JSON was asked for (`--format json` or `--json`).
    pub fn is_json(&self) -> bool {
        self.json || self.format == OutputFormat::Json
    }
}

/// Formats every report has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct DeriveArgs {
    /// The file produced from the inputs (by ffmpeg, an editor, …).
    pub output: PathBuf,
    /// A signed input it was made from: the first is the parent (`parentOf`),
    /// any others are components (`componentOf`). Repeatable.
    #[arg(long = "from", required = true, value_name = "INPUT")]
    pub from: Vec<PathBuf>,
    /// What was done: transcoded, trimmed, edited, color_graded, resized,
    /// cropped, filtered, converted, repackaged.
    #[arg(long, value_parser = parse_derive_action)]
    pub action: DeriveAction,
    /// The tool that did it (e.g. "ffmpeg 5.1", "DaVinci Resolve 19").
    #[arg(long)]
    pub tool: String,
    #[arg(long)]
    pub tool_version: Option<String>,
    /// Licence identifier of the tool used for this step.
    #[arg(long)]
    pub license: Option<String>,
    /// Whether that licence allows commercial use.
    #[arg(long, value_enum, requires = "license")]
    pub commercial_use: Option<YesNo>,
    /// The signer's role in this step.
    #[arg(long, value_parser = parse_role, default_value = "editing")]
    pub role: Role,
    /// Write the signed file into this directory instead of signing OUTPUT in place.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write a detached OUTPUT.c2pa manifest; media bytes untouched.
    #[arg(long)]
    pub sidecar: bool,
    /// Replace an existing output in --out.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub signer: SignerArgs,
    #[command(flatten)]
    pub output_args: OutputArgs,
}

/// Who signs: a key file, or a command holding the key in a token, with
/// the certificate chain (`stamp`, `derive`, `watch`, `timestamp`).
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// Operator's private key (PKCS#8 PEM, mode 0600), from `credits keys issue`.
    #[arg(long, conflicts_with = "signer_cmd")]
    pub key: Option<PathBuf>,
    /// Sign with a key that stays in a token: CMD gets the bytes on stdin and
    /// prints the raw Ed25519 signature on stdout (profile: `signer_cmd`).
    #[arg(long, value_name = "CMD")]
    pub signer_cmd: Option<String>,
    /// Operator's certificate chain (PEM, operator first).
    #[arg(long)]
    pub chain: PathBuf,
}

/// Flags shared by the commands that sign: who signs, and what goes with it.
#[derive(Debug, Args)]
pub struct SignerArgs {
    #[command(flatten)]
    pub keys: KeyArgs,
    /// Timestamp every signature at this RFC 3161 Time-Stamp Authority
    /// (profile: `tsa_url`): the signature then outlives the certificate.
    /// A TSA that fails stops the run before anything is written.
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// With --tsa: when the TSA fails, sign without a timestamp and say so.
    #[arg(long)]
    pub tsa_optional: bool,
    /// Judges the inputs' own manifests (ingredients).
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Record each signed output in this catalog: postgres://user@host/db
    /// (shared) or a SQLite file; implies --fingerprint. Default:
    /// $CREDITS_INDEX.
    #[arg(long, value_name = "CATALOG", conflicts_with = "no_fingerprint")]
    pub index: Option<String>,
    /// Do not sign a perceptual fingerprint (no decoding; clip facts are
    /// still probed). Such files cannot be recovered after a re-encode.
    #[arg(long, conflicts_with = "fingerprint")]
    pub no_fingerprint: bool,
    /// Sign a fingerprint even for clips over 512 MiB, which by default are
    /// not decoded (about 25 s per GB).
    #[arg(long)]
    pub fingerprint: bool,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create an Ed25519 studio root CA in DIR (ca.key, ca.pem).
    Init {
        /// The studio's name, written as O= in every certificate.
        #[arg(long)]
        org: String,
        /// Directory for the CA files (created if missing).
        #[arg(long)]
        dir: PathBuf,
        /// Validity of the root certificate, in years.
        #[arg(long, default_value_t = 10)]
        years: u32,
    },
    /// Issue an operator's signing certificate and key from the CA in DIR.
    Issue {
        /// Directory holding the studio CA.
        #[arg(long)]
        dir: PathBuf,
        /// The operator's full name (certificate CN).
        #[arg(long)]
        name: String,
        /// The operator's email (certificate SAN); also names the files.
        #[arg(long)]
        email: String,
        /// Validity in days.
        #[arg(long, default_value_t = 365)]
        days: u32,
        /// Where to write EMAIL.key and EMAIL.chain.pem (default: DIR).
        #[arg(long)]
        out: Option<PathBuf>,
        /// What the holder may sign: media (`operator`), or media and
        /// rights certificates (`certifier`, for `credits certify`).
        #[arg(long, value_enum, default_value = "operator")]
        role: KeyRoleArg,
    },
    /// Print (or write) the trust bundle verifiers load with --trust.
    Trust {
        /// Directory holding the studio CA.
        #[arg(long)]
        dir: PathBuf,
        /// Write the bundle to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Revoke an operator's certificate: add it to the studio's CRL
    /// (DIR/crl.pem, signed by the CA). Run `keys trust` again and hand the
    /// new bundle to verifiers: signatures made (by a trusted timestamp)
    /// before the revocation stand; any other becomes invalid.
    Revoke {
        /// Directory holding the studio CA.
        #[arg(long)]
        dir: PathBuf,
        /// The operator's email: revokes DIR/EMAIL.chain.pem.
        #[arg(long, required_unless_present = "cert", conflicts_with = "cert")]
        email: Option<String>,
        /// The certificate (or chain, operator first) to revoke, when it is
        /// not DIR/EMAIL.chain.pem.
        #[arg(long, value_name = "PEM")]
        cert: Option<PathBuf>,
        /// Why (RFC 5280 reason code).
        #[arg(long, value_enum)]
        reason: RevokeReason,
        /// When the certificate stopped being good, RFC 3339 (default:
        /// now); e.g. the day the operator left.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
    },
}

/// Why a certificate is revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RevokeReason {
    /// The key may be in other hands: only signatures timestamped before
    /// the revocation stand.
    KeyCompromise,
    /// The operator left the studio or changed role.
    AffiliationChanged,
    /// A new certificate replaces this one.
    Superseded,
    /// The operator stopped signing.
    CessationOfOperation,
}

#[derive(Debug, Args)]
pub struct StampArgs {
    /// Files to sign, or directories whose media files are all signed
    /// (with --out, their relative paths are kept).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub options: StampOptions,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The generator's output directory (watched with its subdirectories).
    pub dir: PathBuf,
    /// A file counts as complete once it was closed after writing (or, for
    /// files found at start, once its size and time stop changing) and then
    /// left alone this long.
    #[arg(long, value_name = "MS", default_value_t = 500)]
    pub settle_ms: u64,
    /// Stamp what is already there, then exit (no watching).
    #[arg(long)]
    pub once: bool,
    #[command(flatten)]
    pub options: StampOptions,
}

/// What goes into every stamp: tool, licence, prompt, controls, destination.
#[derive(Debug, Args)]
pub struct StampOptions {
    /// TOML file with the tool's defaults (tool, license, role); flags override it.
    #[arg(long)]
    pub profile: Option<PathBuf>,

    /// Name of the generating tool (e.g. "Runway"). Without it (and without
    /// a profile's), the tool is read from each file's generator metadata
    /// (ComfyUI, A1111, InvokeAI, Fooocus…).
    #[arg(long)]
    pub tool: Option<String>,

    /// The creative journal this output was logged in (`credits journal
    /// add`): the record gets the attempts, the one chosen, the prompt
    /// revisions — selection and iteration derived, not declared. `watch`
    /// logs each output in it as an attempt.
    #[arg(long, value_name = "J")]
    pub journal: Option<PathBuf>,

    /// Leave the generator's own metadata (ComfyUI's prompt graph, A1111's
    /// parameters…) in the signed file: its plaintext prompt becomes public.
    /// By default it is removed, and only its commitment is signed.
    #[arg(long)]
    pub keep_generator_metadata: bool,
    #[arg(long)]
    pub tool_version: Option<String>,
    #[arg(long)]
    pub vendor: Option<String>,
    /// Model name or version used by the tool.
    #[arg(long)]
    pub model: Option<String>,
    /// Licence identifier under which the tool's output was made.
    #[arg(long)]
    pub license: Option<String>,
    /// Whether that licence allows commercial use.
    #[arg(long, value_enum)]
    pub commercial_use: Option<YesNo>,
    /// URL of the licence terms.
    #[arg(long)]
    pub license_url: Option<String>,

    /// The prompt (committed with a fresh salt, never embedded).
    #[arg(long, conflicts_with = "prompt_file")]
    pub prompt: Option<String>,
    /// Read the prompt from this file.
    #[arg(long)]
    pub prompt_file: Option<PathBuf>,
    /// The negative prompt (committed like the prompt).
    #[arg(long, conflicts_with = "negative_prompt_file")]
    pub negative_prompt: Option<String>,
    #[arg(long)]
    pub negative_prompt_file: Option<PathBuf>,
    /// The generation seed (committed, not disclosed).
    #[arg(long)]
    pub seed: Option<String>,
    /// Number of sampling steps.
    #[arg(long)]
    pub steps: Option<u32>,
    /// The operator's role in this generation.
    #[arg(long, value_parser = parse_role)]
    pub role: Option<Role>,
    /// A control input, KIND=PATH (first_frame, last_frame, motion_brush, face_reference, style_reference,
    /// camera_path, inpaint_mask, depth_map, pose, edge_map, control_image, source_image); repeatable.
    #[arg(long = "control", value_name = "KIND=PATH", value_parser = parse_control)]
    pub controls: Vec<(ControlKind, PathBuf)>,
    /// ComfyUI's `input` folder: each image a graph loads is hashed from here like a --control file.
    #[arg(long, value_name = "DIR")]
    pub controls_dir: Option<PathBuf>,
    /// The asset this output was made from (`parentOf` ingredient).
    #[arg(long)]
    pub parent: Option<PathBuf>,
    /// An asset composited into this output (`componentOf`). Repeatable.
    #[arg(long = "ingredient", value_name = "PATH")]
    pub ingredients: Vec<PathBuf>,
    /// Selection among candidates, CHOSEN/CANDIDATES (e.g. 1/48).
    #[arg(long)]
    pub selection: Option<Selection>,
    /// Whether the output may train models: the CAWG training-and-mining
    /// assertion. One use for every entry (allowed, notAllowed,
    /// constrained) or ENTRY=USE pairs (ai_training, ai_generative_training,
    /// data_mining, ai_inference), e.g. ai_training=notAllowed,ai_inference=allowed.
    /// Default: the profile's `training_mining`, else no declaration.
    #[arg(long, value_name = "USE|ENTRY=USE,…")]
    pub training_mining: Option<TrainingMining>,

    /// Write signed files into this directory (same file names; created
    /// when missing).
    #[arg(long, conflicts_with = "in_place")]
    pub out: Option<PathBuf>,
    /// Sign the input files where they are (replaced atomically).
    #[arg(long)]
    pub in_place: bool,
    /// Write a detached FILE.c2pa manifest beside the media; media bytes untouched.
    #[arg(long, conflicts_with = "embed")]
    pub sidecar: bool,
    /// Require embedding; fail on formats that cannot hold a manifest.
    #[arg(long)]
    pub embed: bool,
    /// Replace existing outputs.
    #[arg(long)]
    pub force: bool,
    /// Directory for the private prompt reveal files (default: beside the output).
    #[arg(long)]
    pub reveal_dir: Option<PathBuf>,
    #[command(flatten)]
    pub signer: SignerArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Files to verify (sidecars FILE.c2pa are found automatically).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Accept `valid` (intact, signer unknown) as passing.
    #[arg(long)]
    pub allow_untrusted: bool,
    /// For unsigned files, or files whose bytes no longer match their
    /// manifest, look them up by perceptual fingerprint in the catalog.
    #[arg(long)]
    pub recover: bool,
    /// The catalog for --recover: postgres://user@host/db or a SQLite
    /// file. Default: $CREDITS_INDEX.
    #[arg(long, value_name = "CATALOG")]
    pub index: Option<String>,
    /// Ingest policy (TOML); a file it rejects fails with every reason listed.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// For a rights certificate: hash its subjects again under DIR.
    #[arg(long, value_name = "DIR")]
    pub check: Option<PathBuf>,
    /// Report format (html: a rights certificate's one-page rights sheet).
    #[arg(long, value_enum, default_value = "human")]
    pub format: VerifyFormat,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

/// How `verify` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    Human,
    Json,
    Html,
}

impl VerifyArgs {
    /// The format asked for, `--json` included.
    pub fn format(&self) -> VerifyFormat {
        if self.json {
            VerifyFormat::Json
        } else {
            self.format
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

fn parse_derive_action(s: &str) -> Result<DeriveAction, String> {
    s.parse()
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

fn parse_control(s: &str) -> Result<(ControlKind, PathBuf), String> {
    let (kind, path) = s
        .split_once('=')
        .ok_or_else(|| format!("expected KIND=PATH, got {s:?}"))?;
    if path.is_empty() {
        return Err(format!("no path after {kind}="));
    }
    Ok((kind.parse()?, PathBuf::from(path)))
}
