//! `credits audit`: verify a film's files in parallel, report, and exit 1
//! when the policy rejects the film.

use credits::audit::{self, AuditReport, AuditRequest, CutRequest};
use credits::report;
use credits::sys::atomic::{self, Overwrite};
use credits::verify::policy::Policy;
use credits::Error;

use super::progress::Progress;
use super::{emit, note, Outcome};
use crate::cli::{AuditArgs, AuditInputs, ReportFormat};

pub fn run(args: AuditArgs) -> Result<Outcome, Error> {
    let report = run_audit(&args.inputs)?;
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
    note(&format!(
        "{} audited, {} skipped: {}; {} finding(s), {} reason(s)",
        report.summary.files,
        report.skipped.len(),
        verdict(&report),
        report.findings.len(),
        report.reasons.len()
    ));
    Ok(if report.accepted {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

pub fn verdict(report: &AuditReport) -> &'static str {
    if report.accepted {
        "accepted"
    } else {
        "rejected"
    }
}

/// The audit `audit` and `certify` run, with progress on the terminal.
pub fn run_audit(inputs: &AuditInputs) -> Result<AuditReport, Error> {
    let ctx = super::verifier(&inputs.trust)?;
    let catalog = crate::cli::catalog_spec(&inputs.index)
        .map(|spec| credits::index::Index::open(&spec))
        .transpose()?;
    let progress = std::sync::OnceLock::new();
    let on_progress = |done: usize, total: usize| {
        progress
            .get_or_init(|| Progress::files("verifying", total))
            .set(done)
    };
    let report = audit::audit(
        &ctx,
        &AuditRequest {
            roots: &inputs.paths,
            trust_bundle: inputs.trust.trust.clone(),
            policy: load_policy(inputs)?,
            timeline: cut_request(inputs),
            journals: &inputs.journals,
            progress: &on_progress,
            catalog: catalog.as_ref(),
        },
    )?;
    if let Some(p) = progress.get() {
        p.finish();
    }
    Ok(report)
}

fn load_policy(inputs: &AuditInputs) -> Result<Policy, Error> {
    match &inputs.policy {
        Some(p) => Policy::load(p),
        None => Ok(Policy::default()),
    }
}

fn cut_request(inputs: &AuditInputs) -> Option<CutRequest> {
    inputs.timeline.as_ref().map(|t| CutRequest {
        timeline: t.clone(),
        media_root: inputs.media_root.clone(),
        edl_rate: inputs.timeline_rate,
    })
}
