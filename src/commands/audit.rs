//! `credits audit`: verify a film's files in parallel, report, and exit 1
//! when the policy rejects the film.

use std::io::{IsTerminal, Write};

use credits::atomic::{self, Overwrite};
use credits::audit::{self, html, render, AuditRequest};
use credits::policy::Policy;
use credits::{sdk, Error};

use super::{load_trust, Outcome};
use crate::cli::{AuditArgs, ReportFormat};

pub fn run(args: AuditArgs) -> Result<Outcome, Error> {
    let policy = match &args.policy {
        Some(p) => Policy::load(p)?,
        None => Policy::default(),
    };
    let trust = load_trust(args.trust.as_deref())?;
    let ctx = sdk::shared_context(trust.as_deref())?;
    let terminal = std::io::stderr().is_terminal();
    let progress = move |done: usize, total: usize| {
        if terminal {
            eprint!("\rverifying {done}/{total}");
            if done == total {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        }
    };
    let report = audit::audit(
        &ctx,
        &AuditRequest {
            roots: &args.paths,
            trust_bundle: args.trust.clone(),
            policy,
            progress: &progress,
        },
    );
    let text = match args.format {
        ReportFormat::Human => render::human(&report),
        ReportFormat::Json => serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
        ReportFormat::Md => render::markdown(&report),
        ReportFormat::Html => html::html(&report),
    };
    match &args.out {
        Some(path) => {
            atomic::write(path, text.as_bytes(), Overwrite::Replace, atomic::PUBLIC)?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    let verdict = if report.accepted {
        "accepted"
    } else {
        "rejected"
    };
    eprintln!(
        "{} file(s): {verdict}; {} finding(s), {} reason(s)",
        report.summary.files,
        report.findings.len(),
        report.reasons.len()
    );
    Ok(if report.accepted {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}
