//! `credits watch`: stamp a generator's output folder as files complete,
//! one line per file, until SIGINT/SIGTERM.

use std::cell::Cell;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use credits::report::stamp::{passed_over_line, skipped_line, stamped_lines, StampReport};
use credits::stamp::watch::{self, Options, Report};
use credits::Error;

use super::{emit, note, report_error, signing, Outcome};
use crate::cli::WatchArgs;

pub fn run(args: WatchArgs) -> Result<Outcome, Error> {
    let options = &args.options;
    let mut stamper = signing::generation_stamper(options, true)?;
    signing::record_into_catalog(&mut stamper, &options.signer);
    let stop = stop_on_signals(&args)?;
    let watch_options = Options {
        root: args.dir.clone(),
        settle: Duration::from_millis(args.settle_ms),
        once: args.once,
    };
    let unrecorded = Cell::new(0usize);
    let mut on = |report: Report| said(&args, &unrecorded, report);
    let tally = watch::run(&stamper, &watch_options, &stop, &mut on)?;
    note(&format!(
        "stopped: {} signed, {} skipped, {} failed",
        tally.stamped, tally.skipped, tally.failed
    ));
    if unrecorded.get() > 0 {
        note(&format!(
            "{} signed file(s) not recorded in the catalog; run `credits index add` on them",
            unrecorded.get()
        ));
    }
    Ok(if tally.failed == 0 && unrecorded.get() == 0 {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

/// The first SIGINT/SIGTERM asks for a clean stop after the batch in
/// hand; a second one ends the process at once (outputs are still whole:
/// each is renamed into place, and leftovers are cleaned at next start).
fn stop_on_signals(args: &WatchArgs) -> Result<Arc<AtomicBool>, Error> {
    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let sig = |source| Error::Watch {
            dir: args.dir.clone(),
            source,
        };
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))
            .map_err(sig)?;
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(sig)?;
    }
    #[cfg(not(unix))]
    let _ = args;
    Ok(stop)
}

/// One step of the watcher, said as it happens.
fn said(args: &WatchArgs, unrecorded: &Cell<usize>, r: Report) {
    match r {
        Report::Started { backlog, cleaned } => {
            if cleaned > 0 {
                note(&format!(
                    "removed {cleaned} temporary file(s) left by an interrupted run"
                ));
            }
            if !args.once {
                note(&format!(
                    "watching {} ({backlog} file(s) already there); Ctrl-C stops after the file in hand",
                    args.dir.display()
                ));
            }
        }
        Report::Changed(input) => note(&format!(
            "{} changed after it was signed; signing it again",
            input.display()
        )),
        Report::Done(done) => {
            let mut one = StampReport::default();
            if signing::record(done, &mut one) {
                unrecorded.set(unrecorded.get() + 1);
            }
            let lines: String = one
                .stamped
                .iter()
                .map(stamped_lines)
                .chain(one.skipped.iter().map(|p| skipped_line(p)))
                .chain(one.passed_over.iter().map(passed_over_line))
                .collect();
            if let Err(e) = emit(&lines) {
                report_error(&e);
            }
        }
    }
}
