//! The `credits` binary: parse, run, map the outcome to an exit status.
#![forbid(unsafe_code)]

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    commands::prepare_process();
    match commands::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            commands::report_error(&err);
            commands::Outcome::CouldNotRun.exit_code()
        }
    }
}
