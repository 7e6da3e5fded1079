//! One function per subcommand: call the library, render, return an outcome.
//! Reports go to stdout; progress, warnings and hints go to stderr.

mod audit;
mod derive;
mod index;
mod keys;
mod prove;
mod stamp;
mod verify;
mod watch;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// How a command ended; decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// 0: everything passed.
    Success,
    /// 1: checked, and something did not pass.
    Failed,
    /// 2: could not run (bad arguments, unreadable file, missing key).
    CouldNotRun,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(match self {
            Outcome::Success => 0,
            Outcome::Failed => 1,
            Outcome::CouldNotRun => 2,
        })
    }
}

pub fn run(cli: Cli) -> Result<Outcome, credits::Error> {
    match cli.command {
        Command::Keys(cmd) => keys::run(cmd),
        Command::Stamp(args) => stamp::run(*args),
        Command::Watch(args) => watch::run(*args),
        Command::Verify(args) => verify::run(args),
        Command::Prove(args) => prove::run(args),
        Command::Derive(args) => derive::run(*args),
        Command::Audit(args) => audit::run(args),
        Command::Index(cmd) => index::run(cmd),
    }
}

/// Process-wide set-up before any command runs. A file-size limit
/// (`RLIMIT_FSIZE`, as a full disk would) must surface as a write error
/// (EFBIG) that removes the temporary file and says so, not as SIGXFSZ
/// killing the process mid-write: the signal gets a handler that does
/// nothing else.
pub fn prepare_process() {
    let ignored = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, ignored);
}

/// Print `error: …` with its causes, then a `hint: …` when one is known.
pub fn report_error(err: &credits::Error) {
    let mut line = format!("error: {err}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        line.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    eprintln!("{line}");
    if let Some(hint) = err.hint() {
        eprintln!("hint: {hint}");
    }
}

/// Serialize `value` as one pretty JSON document on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: cannot render JSON: {e}"),
    }
}

/// Read a trust bundle if one was given.
pub fn load_trust(path: Option<&std::path::Path>) -> Result<Option<String>, credits::Error> {
    path.map(credits::keys::load_trust_bundle).transpose()
}
