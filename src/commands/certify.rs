//! `credits certify`: run the audit, then sign its result as a rights
//! certificate (an in-toto Statement in a DSSE envelope). A rejected audit
//! is not certified unless asked (`--allow-rejected`).

use credits::certify::{self, CertifyRequest};
use credits::report;
use credits::signer::SigningIdentity;
use credits::sys::atomic::{self, Overwrite};
use credits::Error;

use super::audit::{run_audit, verdict};
use super::{note, Outcome};
use crate::cli::CertifyArgs;

pub fn run(args: CertifyArgs) -> Result<Outcome, Error> {
    // The certifier's key first: a wrong key, or one that may not
    // certify (not a certifier's, untrusted, revoked), fails before a long
    // audit.
    let (identity, tsa) = certifier(&args)?;
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
    let now = credits::sys::time::now();
    let envelope = certify::certify(
        &report,
        &CertifyRequest {
            identity: &identity,
            roots: &args.inputs.paths,
            tsa: tsa.as_ref(),
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
    if tsa.is_none() {
        note(&format!(
            "warning: no timestamp: the certificate is valid only while the certifier's certificate is ({}); pass --tsa URL to keep it valid after",
            expiry(&identity)
        ));
    }
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

/// When the certifier's certificate expires, for people.
fn expiry(identity: &SigningIdentity) -> String {
    identity
        .chain_der()
        .ok()
        .and_then(|c| {
            c.first()
                .and_then(|leaf| credits::keys::cert::facts(leaf).ok())
        })
        .map(|f| format!("until {}", credits::sys::time::rfc3339_unix(f.not_after)))
        .unwrap_or_else(|| "its expiry unknown".into())
}

/// The certifier's identity, checked for the right to certify against
/// `--trust` (required), and the TSA client of `--tsa`.
fn certifier(
    args: &CertifyArgs,
) -> Result<(SigningIdentity, Option<credits::signer::tsa::TsaClient>), Error> {
    let identity = SigningIdentity::load(&args.key, &args.chain)?;
    let trust = super::load_trust(&args.inputs.trust)?;
    if trust.is_none() {
        return Err(Error::Usage {
            reason: "certify needs --trust: the audit and the certifier are judged against it"
                .into(),
        });
    }
    certify::may_certify(&identity, trust.as_deref())?;
    let tsa = args
        .tsa
        .as_deref()
        .map(|url| {
            credits::signer::tsa::TsaClient::new(url).map_err(|reason| Error::Tsa { reason })
        })
        .transpose()?;
    Ok((identity, tsa))
}
