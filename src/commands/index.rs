//! `credits index add | migrate | stats`: record signed assets in the
//! provenance catalog, bring its schema up to date, count what it holds.

use credits::index::{self, Index, Location};
use credits::report::index::{IndexReport, Indexed, MigrateReport};
use credits::report::{self, Failure};
use credits::Error;

use super::progress::Progress;
use super::{emit, hint, report_error, Outcome};
use crate::cli::{catalog_spec, IndexCommand, OutputArgs, CATALOG_ENV};

pub fn run(cmd: IndexCommand) -> Result<Outcome, Error> {
    match cmd {
        IndexCommand::Add {
            files,
            index,
            trust,
            output,
        } => add(&files, &spec(&index)?, &trust, &output),
        IndexCommand::Migrate { index, output } => {
            let (db, migrated) = Index::open_at(Location::parse(&spec(&index)?))?;
            let report = MigrateReport {
                index: db.location().to_string(),
                migrated,
            };
            render(&output, &report, report::index::migrated_human)
        }
        IndexCommand::Stats { index, output } => {
            let stats = Index::open(&spec(&index)?)?.stats()?;
            render(&output, &stats, report::index::stats_human)
        }
    }
}

/// The catalog `--index` or `$CREDITS_INDEX` names; a usage error if neither.
pub fn spec(flag: &Option<String>) -> Result<String, Error> {
    catalog_spec(flag).ok_or_else(|| Error::Usage {
        reason: format!(
            "no catalog: pass --index postgres://user@host/db or --index FILE.db, or set {CATALOG_ENV}"
        ),
    })
}

fn render<T: serde::Serialize>(
    output: &OutputArgs,
    body: &T,
    human: fn(&T) -> String,
) -> Result<Outcome, Error> {
    if output.is_json() {
        emit(&report::json(body)?)?;
    } else {
        emit(&human(body))?;
    }
    Ok(Outcome::Success)
}

fn add(
    files: &[std::path::PathBuf],
    spec: &str,
    trust: &crate::cli::TrustArgs,
    output: &OutputArgs,
) -> Result<Outcome, Error> {
    let ctx = super::verifier(trust)?;
    let db = Index::open(spec)?;
    let mut report = IndexReport {
        index: db.location().to_string(),
        indexed: Vec::new(),
        failed: Vec::new(),
    };
    let mut outcome = Outcome::Success;
    for file in files {
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
    render(output, &report, report::index::human)?;
    Ok(outcome)
}
