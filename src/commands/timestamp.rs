//! `credits timestamp`: a trusted time for files signed without one.

use credits::media::walk;
use credits::report::timestamp::{self, TimestampReport};
use credits::report::{self, Failure};
use credits::signer::tsa::TsaClient;
use credits::stamp::profile::Profile;
use credits::stamp::timestamping::{Done, Timestamper};
use credits::sys::parallel;
use credits::Error;

use super::progress::Progress;
use super::signing::identity;
use super::{emit, hint, note, report_error, verifier, Outcome};
use crate::cli::TimestampArgs;

pub fn run(args: TimestampArgs) -> Result<Outcome, Error> {
    let profile = match &args.profile {
        Some(p) => Profile::load(p)?,
        None => Profile::default(),
    };
    let url = args
        .tsa
        .clone()
        .or(profile.tsa_url.clone())
        .ok_or_else(|| Error::Usage {
            reason: "credits timestamp needs --tsa URL (or a profile's tsa_url)".into(),
        })?;
    let mut signer = identity(&args.keys, &profile)?;
    let client = TsaClient::new(&url).map_err(|reason| Error::Tsa { reason })?;
    signer.with_tsa(client, false)?;
    let timestamper = Timestamper::new(&signer, verifier(&args.trust)?)?;
    let walked = walk::walk(&args.paths);
    // Passed over inside a directory (not media, a symlink out): said, not
    // failed; a path named on the command line that cannot be read: exit 2.
    let mut outcome = Outcome::Success;
    for (path, why) in &walked.skipped {
        let named = args.paths.contains(path);
        let level = if named { "error" } else { "warning" };
        note(&format!("{level}: {}: {}", path.display(), why));
        if named {
            outcome = Outcome::CouldNotRun;
        }
    }
    let progress = Progress::files("timestamping", walked.files.len());
    let results = parallel::map_in_order(
        &walked.files,
        parallel::io_workers(),
        |f| timestamper.timestamp_file(f),
        |f| {
            Err(Error::NotTimestampable {
                path: f.clone(),
                reason: "interrupted by an internal error; the file is unchanged".into(),
            })
        },
        &|n, _| progress.set(n),
    );
    progress.finish();
    let report = collect(url, &walked.files, results, &mut outcome);
    render(&report, args.output.is_json())?;
    Ok(outcome)
}

fn render(report: &TimestampReport, json: bool) -> Result<(), Error> {
    if json {
        emit(&report::json(report)?)?;
    } else {
        emit(&timestamp::human(report))?;
        note(&timestamp::summary(report));
    }
    if report.files.is_empty() && report.failed.is_empty() {
        note("warning: no media files found in the inputs");
    }
    Ok(())
}

/// The report of every file's result; a failure raises `outcome`: refused
/// after a look (exit 1), or could not work (exit 2).
fn collect(
    tsa: String,
    files: &[std::path::PathBuf],
    results: Vec<Result<Done, Error>>,
    outcome: &mut Outcome,
) -> TimestampReport {
    let mut report = TimestampReport {
        tsa,
        files: Vec::new(),
        failed: Vec::new(),
    };
    for (file, result) in files.iter().zip(results) {
        match result {
            Ok(done) => report.files.push(done),
            Err(e) => {
                report_error(&e);
                *outcome = (*outcome).max(match e {
                    Error::NotTimestampable { .. } => Outcome::Failed,
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
    report
}
