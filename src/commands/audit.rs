//! `credits audit`: verify a film's files in parallel, report, and exit 1
//! when the policy rejects the film.

use credits::atomic::{self, Overwrite};
use credits::audit::{self, AuditRequest, CutRequest};
use credits::policy::Policy;
use credits::report;
use credits::{sdk, Error};

use super::progress::Progress;
use super::{emit, load_trust, note, Outcome};
use crate::cli::{AuditArgs, ReportFormat};

pub fn run(args: AuditArgs) -> Result<Outcome, Error> {
    let trust = load_trust(&args.trust)?;
    let ctx = sdk::shared_context(trust.as_deref())?;
    let progress = std::sync::OnceLock::new();
    let on_progress = |done: usize, total: usize| {
        progress
            .get_or_init(|| Progress::files("verifying", total))
            .set(done)
    };
    let report = audit::audit(
        &ctx,
        &AuditRequest {
            roots: &args.paths,
            trust_bundle: args.trust.trust.clone(),
            policy: load_policy(&args)?,
            timeline: cut_request(&args),
            progress: &on_progress,
        },
    )?;
    if let Some(p) = progress.get() {
        p.finish();
    }
    let text = match args.format() {
        ReportFormat::Human => report::audit::human(&report),
        ReportFormat::Json => report::json(&report)?,
        ReportFormat::Md => report::audit::markdown(&report),
        ReportFormat::Html => report::html::html(&report),
    };
    match &args.out {
        Some(path) => {
            atomic::write(path, text.as_bytes(), Overwrite::Replace, atomic::PUBLIC)?;
            note(&format!("wrote {}", path.display()));
        }
        None => emit(&text)?,
    }
    let verdict = if report.accepted {
        "accepted"
    } else {
        "rejected"
    };
    note(&format!(
        "{} audited, {} skipped: {verdict}; {} finding(s), {} reason(s)",
        report.summary.files,
        report.skipped.len(),
        report.findings.len(),
        report.reasons.len()
    ));
    Ok(if report.accepted {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

fn load_policy(args: &AuditArgs) -> Result<Policy, Error> {
    match &args.policy {
        Some(p) => Policy::load(p),
        None => Ok(Policy::default()),
    }
}

fn cut_request(args: &AuditArgs) -> Option<CutRequest> {
    args.timeline.as_ref().map(|t| CutRequest {
        timeline: t.clone(),
        media_root: args.media_root.clone(),
        edl_rate: args.timeline_rate,
    })
}
