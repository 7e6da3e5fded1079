//! `credits watch`: stamp a generator's output folder as files complete,
//! one line per file, until SIGINT/SIGTERM.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use credits::batch::Outcome as Done;
use credits::keys::SigningIdentity;
use credits::watch::{self, Options, Report};
use credits::Error;

use super::stamp::{add_to_index, print_stamped, request};
use super::{report_error, Outcome};
use crate::cli::WatchArgs;

pub fn run(args: WatchArgs) -> Result<Outcome, Error> {
    let options = &args.options;
    let mut request = request(options)?;
    request.skip_stamped = !options.force;
    let identity = SigningIdentity::load(&options.signer.key, &options.signer.chain)?;
    let index = options
        .signer
        .index
        .as_deref()
        .map(credits::index::Index::open)
        .transpose()?;
    // The first SIGINT/SIGTERM asks for a clean stop after the batch in
    // hand; a second one ends the process at once (outputs are still whole:
    // each is renamed into place, and leftovers are cleaned at next start).
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let sig = |source| Error::Watch {
            dir: args.dir.clone(),
            source,
        };
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))
            .map_err(sig)?;
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(sig)?;
    }
    let watch_options = Options {
        root: args.dir.clone(),
        settle: Duration::from_millis(args.settle_ms),
        once: args.once,
    };
    let mut on = |report: Report| match report {
        Report::Started { backlog, cleaned } => {
            if cleaned > 0 {
                eprintln!("removed {cleaned} temporary file(s) left by an interrupted run");
            }
            if !args.once {
                eprintln!(
                    "watching {} ({backlog} file(s) already there); Ctrl-C stops after the file in hand",
                    args.dir.display()
                );
            }
        }
        Report::Changed(input) => {
            eprintln!(
                "{} changed after it was signed; signing it again",
                input.display()
            );
        }
        Report::Done(Done::Stamped(s)) => {
            for w in &s.warnings {
                eprintln!("warning: {w}");
            }
            if let Some(index) = &index {
                add_to_index(index, &s, &identity.name);
            }
            print_stamped(&s);
        }
        Report::Done(Done::Skipped(input)) => {
            println!(
                "skipped {} (already stamped with this record)",
                input.display()
            );
        }
        Report::Done(Done::Failed(_, e)) => report_error(&e),
    };
    let tally = watch::run(&identity, &request, &watch_options, &stop, &mut on)?;
    eprintln!(
        "stopped: {} signed, {} skipped, {} failed",
        tally.stamped, tally.skipped, tally.failed
    );
    Ok(if tally.failed == 0 {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}
