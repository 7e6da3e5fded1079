//! `credits index add`: record signed assets in the provenance index.

use credits::index::{self, Added, Index};
use credits::{sdk, Error};

use super::{load_trust, report_error, Outcome};
use crate::cli::IndexCommand;

pub fn run(cmd: IndexCommand) -> Result<Outcome, Error> {
    match cmd {
        IndexCommand::Add {
            files,
            index,
            trust,
        } => {
            let trust = load_trust(trust.as_deref())?;
            let ctx = sdk::shared_context(trust.as_deref())?;
            let db = Index::open(&index)?;
            let mut outcome = Outcome::Success;
            for file in &files {
                match index::entry_from_file(&ctx, file).and_then(|e| db.add(&e).map(|a| (e, a))) {
                    Ok((entry, added)) => {
                        let how = match added {
                            Added::New => "indexed",
                            Added::Updated => "re-indexed",
                        };
                        println!(
                            "{how} {} ({} fingerprint samples, {})",
                            file.display(),
                            entry.fingerprint.samples.len(),
                            entry.manifest_label
                        );
                    }
                    Err(e) => {
                        report_error(&e);
                        outcome = outcome.max(match e {
                            Error::NotIndexable { .. } => Outcome::Failed,
                            _ => Outcome::CouldNotRun,
                        });
                    }
                }
            }
            Ok(outcome)
        }
    }
}
