//! `credits verify CERT.intoto.json`: a rights certificate's signature,
//! certifier and (with `--check DIR`) subjects. Exit 0 only when trusted,
//! intact and the film accepted; 1 when the certificate is not trusted or
//! the film it certifies was rejected. `--format html` renders the
//! one-page rights sheet.

use credits::certify::{self, CertState};
use credits::report;
use credits::Error;

use super::{emit, load_trust, note, Outcome};
use crate::cli::{VerifyArgs, VerifyFormat};

pub fn run(args: &VerifyArgs) -> Result<Outcome, Error> {
    let trust = load_trust(&args.trust)?;
    let tsa_roots = args
        .trust
        .tsa_trust
        .as_deref()
        .map(credits::keys::bundle::load)
        .transpose()?
        .map(|pem| credits::verify::timestamp::TsaRoots::new(&pem));
    let judge = certify::Judge {
        trust: trust.as_deref(),
        tsa_roots: tsa_roots.as_ref(),
        allow_stale_crl: args.trust.allow_stale_crl,
    };
    if args.format() == VerifyFormat::Html && args.files.len() != 1 {
        return Err(Error::Usage {
            reason: "--format html renders one rights certificate at a time".into(),
        });
    }
    let mut verdicts = Vec::new();
    for path in &args.files {
        let v =
            certify::verify(path, &judge, args.check.as_deref()).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
        verdicts.push(v);
    }
    match args.format() {
        VerifyFormat::Json => emit(&report::json(&report::rights::RightsReport {
            certificates: &verdicts,
        })?)?,
        VerifyFormat::Human => emit(&report::rights::human(&verdicts))?,
        VerifyFormat::Html => emit(&report::rights::sheet(&verdicts[0]))?,
    }
    let bad = verdicts
        .iter()
        .filter(|v| v.state != CertState::Trusted)
        .count();
    let rejected = verdicts
        .iter()
        .filter(|v| v.film_accepted() == Some(false))
        .count();
    note(&format!(
        "{} certificate(s): {} trusted, {bad} not; {rejected} of a rejected film",
        verdicts.len(),
        verdicts.len() - bad
    ));
    if args.trust.trust.is_none() {
        note("hint: no --trust bundle given, so no certifier can be trusted; pass --trust studio.pem");
    }
    Ok(if bad == 0 && rejected == 0 {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}
