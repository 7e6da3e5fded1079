//! One function per subcommand: call the library, render through
//! `credits::report`, return an outcome. Reports go to stdout; progress,
//! warnings, errors and hints go to stderr, escaped like every untrusted
//! string.

mod audit;
mod certify;
mod derive;
mod hint;
mod index;
mod journal;
mod keys;
mod progress;
mod prove;
mod rights;
mod signing;
mod stamp;
mod timestamp;
mod verify;
mod watch;

use std::io::Write;
use std::process::ExitCode;

use credits::report::escape::term;

use crate::cli::{Cli, Command};

pub use hint::hint;

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
        Command::Timestamp(args) => timestamp::run(*args),
        Command::Audit(args) => audit::run(args),
        Command::Certify(args) => certify::run(*args),
        Command::Journal(cmd) => journal::run(cmd),
        Command::Index(cmd) => index::run(cmd),
    }
}

/// Process-wide set-up before any command runs. A file-size limit
/// (`RLIMIT_FSIZE`, as a full disk would) must surface as a write error
/// (EFBIG) that removes the temporary file and says so, not as SIGXFSZ
/// killing the process mid-write: the signal gets a handler that does
/// nothing else.
pub fn prepare_process() {
    #[cfg(unix)]
    {
        let ignored = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, ignored);
    }
}

/// Print `error: …` with its causes, then a `hint: …` when one is known.
pub fn report_error(err: &credits::Error) {
    let mut line = format!("error: {err}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        line.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let mut text = format!("{}\n", term(&line));
    if let Some(hint) = hint(err) {
        text.push_str(&format!("hint: {}\n", term(&hint)));
    }
    to_stderr(&text);
}

/// A line on standard error (a warning, a count, a `wrote …`), escaped.
pub fn note(line: &str) {
    to_stderr(&format!("{}\n", term(line)));
}

/// Write to standard error; a closed pipe ends the process quietly
/// ([`closed_pipe`]), any other failure is dropped (there is nowhere left
/// to say it).
fn to_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    if let Err(e) = err.write_all(text.as_bytes()).and_then(|()| err.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            closed_pipe();
        }
    }
}

/// The reader of our output has gone (`credits audit --json | head`):
/// stop quietly with the status a shell shows for a process ended by
/// SIGPIPE (128 + 13), as other Unix tools do. Every file we write is
/// already committed or still a temporary beside its target, never a
/// half-written user file.
pub fn closed_pipe() -> ! {
    std::process::exit(141)
}

/// Write a rendered report to standard output. A closed pipe (`| head`)
/// ends the process quietly ([`closed_pipe`]); any other write failure is
/// an error.
pub fn emit(text: &str) -> Result<(), credits::Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => closed_pipe(),
        Err(e) => Err(credits::Error::Write {
            path: "(standard output)".into(),
            source: e,
        }),
        Ok(()) => Ok(()),
    }
}

/// What verification judges against: the trust bundle's signer roots (and
/// the studio's CRL in it), the TSA roots of `--tsa-trust`.
pub fn verifier(args: &crate::cli::TrustArgs) -> Result<credits::verify::Verifier, credits::Error> {
    let tsa = args
        .tsa_trust
        .as_deref()
        .map(credits::keys::bundle::load)
        .transpose()?;
    Ok(
        credits::verify::Verifier::new(load_trust(args)?.as_deref(), tsa.as_deref())?
            .allowing_stale_crls(args.allow_stale_crl),
    )
}

/// Read a trust bundle if one was given.
pub fn load_trust(args: &crate::cli::TrustArgs) -> Result<Option<String>, credits::Error> {
    args.trust
        .as_deref()
        .map(credits::keys::bundle::load)
        .transpose()
}
