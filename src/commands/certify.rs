//! `credits certify`: run the audit, then sign its result as a rights
//! certificate (an in-toto Statement in a DSSE envelope). A rejected audit
//! is not certified unless asked (`--allow-rejected`).

use credits::atomic::{self, Overwrite};
use credits::certify::{self, CertifyRequest};
use credits::report;
use credits::signer::SigningIdentity;
use credits::Error;

use super::audit::{run_audit, verdict};
use super::{note, Outcome};
use crate::cli::CertifyArgs;

pub fn run(args: CertifyArgs) -> Result<Outcome, Error> {
    // The certifier's key first: a wrong key fails before a long audit.
    let identity = SigningIdentity::load(&args.key, &args.chain)?;
    if !args.force && args.out.exists() {
        return Err(Error::OutputExists {
            path: args.out.clone(),
        });
    }
    let report = run_audit(&args.inputs)?;
    if !report.accepted && !args.allow_rejected {
        for r in &report.reasons {
            note(&format!("reject: {}", report::escape::term(r)));
        }
        note(&format!(
            "the audit rejects the film ({} reason(s)); nothing certified. Fix them, or pass --allow-rejected to certify the rejection",
            report.reasons.len()
        ));
        return Ok(Outcome::Failed);
    }
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let envelope = certify::certify(
        &report,
        &CertifyRequest {
            identity: &identity,
            policy: args.inputs.policy.as_deref(),
            trust_bundle: args.inputs.trust.trust.as_deref(),
            timeline: args.inputs.timeline.as_deref(),
            report_schema_version: report::SCHEMA_VERSION,
            now,
        },
    )?;
    let overwrite = if args.force {
        Overwrite::Replace
    } else {
        Overwrite::Never
    };
    atomic::write(&args.out, envelope.as_bytes(), overwrite, atomic::PUBLIC)?;
    note(&format!(
        "certified {} ({} file(s) audited) as {}: wrote {}",
        verdict(&report),
        report.summary.files,
        identity.name,
        args.out.display()
    ));
    Ok(if report.accepted {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}
