//! `credits verify`: a verdict per file; exit 0 only when every file passes.

use credits::certify;
use credits::index::{self, Index};
use credits::report::{self, verify::VerifyReport};
use credits::sys::parallel;
use credits::verify::policy::Policy;
use credits::verify::{self, State, Verdict};
use credits::Error;

use super::progress::Progress;
use super::{emit, note, report_error, verifier, Outcome};
use crate::cli::{VerifyArgs, VerifyFormat};

pub fn run(args: VerifyArgs) -> Result<Outcome, Error> {
    if certificates(&args)? {
        return super::rights::run(&args);
    }
    let policy = args.policy.as_deref().map(Policy::load).transpose()?;
    let ctx = verifier(&args.trust)?;
    let progress = Progress::files("verifying", args.files.len());
    let mut verdicts: Vec<Verdict> = parallel::map_in_order(
        &args.files,
        parallel::cores(),
        |f| verify::verify_file(&ctx, f),
        |f| Verdict::unfinished(f),
        &|n, _| progress.set(n),
    );
    progress.finish();
    if args.recover {
        let index = Index::open(&super::index::spec(&args.index)?)?;
        for v in &mut verdicts {
            let progress = Progress::bytes("fingerprinting", &v.path);
            let result = index::recover(&ctx, &index, v, &|n, total| progress.set_bytes(n, total));
            progress.finish();
            if let Err(e) = result {
                report_error(&e);
            }
        }
    }
    let policy_reasons = policy
        .as_ref()
        .map(|p| verdicts.iter().flat_map(|v| p.check(v)).collect::<Vec<_>>());
    let report = VerifyReport {
        trust_bundle: args.trust.trust.clone(),
        files: verdicts,
        policy_reasons,
    };
    if args.format() == VerifyFormat::Json {
        emit(&report::json(&report)?)?;
    } else {
        emit(&report::verify::human(&report))?;
    }
    summarize(&report.files, args.trust.trust.is_some());
    let outcome = outcome(&report.files, args.allow_untrusted);
    let Some(reasons) = &report.policy_reasons else {
        return Ok(outcome);
    };
    for r in reasons {
        note(&format!("policy: {r}"));
    }
    Ok(match outcome {
        Outcome::CouldNotRun => outcome,
        _ if reasons.is_empty() => Outcome::Success,
        _ => Outcome::Failed,
    })
}

/// Whether the files are rights certificates (all of them), not media.
fn certificates(args: &VerifyArgs) -> Result<bool, Error> {
    let n = args
        .files
        .iter()
        .filter(|f| certify::is_envelope(f))
        .count();
    if n == args.files.len() {
        return Ok(true);
    }
    if n > 0 || args.check.is_some() || args.format() == VerifyFormat::Html {
        return Err(Error::Usage {
            reason: "--check and --format html are for rights certificates; verify certificates and media in separate runs".into(),
        });
    }
    Ok(false)
}

fn outcome(verdicts: &[Verdict], allow_untrusted: bool) -> Outcome {
    verdicts
        .iter()
        .map(|v| match v.state {
            State::Trusted => Outcome::Success,
            State::Valid if allow_untrusted => Outcome::Success,
            State::Error => Outcome::CouldNotRun,
            _ => Outcome::Failed,
        })
        .max()
        .unwrap_or(Outcome::Success)
}

/// Counts per state, then a hint for each kind of failure seen.
fn summarize(verdicts: &[Verdict], anchored: bool) {
    let count = |s: State| verdicts.iter().filter(|v| v.state == s).count();
    let mut parts = Vec::new();
    for s in [
        State::Trusted,
        State::Valid,
        State::Invalid,
        State::Unsigned,
        State::Remote,
        State::Recovered,
        State::Error,
    ] {
        let n = count(s);
        if n > 0 {
            parts.push(format!("{n} {}", s.as_str()));
        }
    }
    note(&format!("{} file(s): {}", verdicts.len(), parts.join(", ")));
    let failing = |prefix: &str| {
        verdicts
            .iter()
            .any(|v| v.codes.failure.iter().any(|c| c.starts_with(prefix)))
    };
    let lapsed = verdicts.iter().any(|v| {
        v.codes
            .failure
            .iter()
            .any(|c| c == "signingCredential.expired")
            && v.timestamp.as_ref().is_none_or(|t| !t.trusted)
    });
    if lapsed {
        note(
            "hint: signed without a trusted timestamp, so the signature lapsed when the certificate expired; \
             manifests carrying an RFC 3161 timestamp from a TSA in --tsa-trust stay valid after expiry (stamp with --tsa URL)",
        );
    }
    if failing("credits.container.") {
        note(
            "hint: bytes around the manifest that C2PA does not hash were changed after signing; the signed content may be intact, but the file is not the one signed: take it from its source again",
        );
    }
    if failing(credits::verify::revocation::STALE_CRL) {
        note(
            "hint: the CRL in the trust bundle is past its nextUpdate, so a newer revocation may be missing: \
             rebuild the bundle with a current CRL (credits keys revoke, then credits keys trust), \
             or pass --allow-stale-crl to take this one as current",
        );
    }
    if !anchored && count(State::Valid) > 0 {
        note("hint: no --trust bundle given, so no signer can be trusted; pass --trust studio.pem");
    }
}
