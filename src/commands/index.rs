//! `credits index add`: record signed assets in the provenance index.

use credits::index::{self, Index};
use credits::report::index::{IndexReport, Indexed};
use credits::report::{self, Failure};
use credits::Error;

use super::progress::Progress;
use super::{emit, hint, report_error, Outcome};
use crate::cli::IndexCommand;

pub fn run(cmd: IndexCommand) -> Result<Outcome, Error> {
    let IndexCommand::Add {
        files,
        index: db_path,
        trust,
        output,
    } = cmd;
    let ctx = super::verifier(&trust)?;
    let db = Index::open(&db_path)?;
    let mut report = IndexReport {
        index: db_path.clone(),
        indexed: Vec::new(),
        failed: Vec::new(),
    };
    let mut outcome = Outcome::Success;
    for file in &files {
        let progress = Progress::bytes("fingerprinting", file);
        let anchored = ctx.anchored();
        let entry = index::entry_from_file(&ctx, file, anchored, &|n, total| {
            progress.set_bytes(n, total)
        });
        progress.finish();
        match entry.and_then(|e| db.add(&e).map(|a| (e, a))) {
            Ok((entry, added)) => report.indexed.push(Indexed {
                file: file.clone(),
                added,
                manifest_label: entry.manifest_label,
                fingerprint_samples: entry.fingerprint.samples.len(),
            }),
            Err(e) => {
                report_error(&e);
                outcome = outcome.max(match e {
                    Error::NotIndexable { .. } => Outcome::Failed,
                    _ => Outcome::CouldNotRun,
                });
                report.failed.push(Failure {
                    input: file.clone(),
                    error: e.to_string(),
                    hint: hint(&e),
                });
            }
        }
    }
    if output.is_json() {
        emit(&report::json(&report)?)?;
    } else {
        emit(&report::index::human(&report))?;
    }
    Ok(outcome)
}
