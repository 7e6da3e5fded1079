//! The steps `stamp`, `derive` and `watch` share: flags into the library's
//! request, the run's [`Stamper`], and each file's result into the report
//! (warnings and errors on stderr, the index updated).

use std::path::PathBuf;

use credits::stamp::batch::{self, Done};
use credits::sys::atomic::Overwrite;
use std::sync::Arc;

use credits::index::Index;
use credits::report::{self, stamp::StampReport, Failure};
use credits::signer::SigningIdentity;
use credits::stamp::profile::Profile;
use credits::stamp::recorder::{Begun, Landing, Recorded, Recorder};
use credits::stamp::{
    Destination, Embedding, FingerprintPolicy, Output, Overrides, Resume, StampRequest, Stamper,
    Text,
};
use credits::Error;

use super::progress::Progress;
use super::{emit, hint, load_trust, note, report_error, Outcome};
use crate::cli::{catalog_spec, KeyArgs, OutputArgs, SignerArgs, StampOptions, YesNo};

/// The run's stamper for a generation (`stamp`, `watch`): the profile,
/// read once, gives the request's defaults and the signer's.
/// `log_attempts`: each output is logged in the `--journal` as it is
/// stamped (`watch`), not required to be there already (`stamp`).
pub fn generation_stamper(o: &StampOptions, log_attempts: bool) -> Result<Stamper, Error> {
    let profile = match &o.profile {
        Some(p) => credits::stamp::profile::Profile::load(p)?,
        None => credits::stamp::profile::Profile::default(),
    };
    let mut request = generation(o, profile.clone())?;
    request.log_attempts = log_attempts;
    stamper(&o.signer, request, Some(&profile))
}

/// The generation request: the profile, overridden by the flags.
fn generation(o: &StampOptions, profile: Profile) -> Result<StampRequest, Error> {
    let text = |inline: &Option<String>, file: &Option<PathBuf>| match (inline, file) {
        (Some(t), _) => Some(Text::Inline(t.clone())),
        (None, Some(p)) => Some(Text::File(p.clone())),
        (None, None) => None,
    };
    let flags = Overrides {
        tool: o.tool.clone(),
        tool_version: o.tool_version.clone(),
        vendor: o.vendor.clone(),
        model: o.model.clone(),
        license: o.license.clone(),
        commercial_use: o.commercial_use.map(|c| matches!(c, YesNo::Yes)),
        license_url: o.license_url.clone(),
        prompt: text(&o.prompt, &o.prompt_file),
        negative_prompt: text(&o.negative_prompt, &o.negative_prompt_file),
        seed: o.seed.clone(),
        steps: o.steps,
        role: o.role,
        controls: o.controls.clone(),
        controls_dir: o.controls_dir.clone(),
        parent: o.parent.clone(),
        components: o.ingredients.clone(),
        selection: o.selection.clone(),
        reveal_dir: o.reveal_dir.clone(),
        training_mining: o.training_mining.clone(),
        keep_generator_metadata: o.keep_generator_metadata,
        journal: o.journal.clone(),
    };
    let destination = match (&o.out, o.in_place, o.sidecar) {
        (Some(dir), _, _) => Destination::OutDir(dir.clone()),
        (None, true, _) | (None, false, true) => Destination::InPlace,
        (None, false, false) => return Err(Error::NoDestination),
    };
    let embedding = match (o.sidecar, o.embed) {
        (true, _) => Embedding::Sidecar,
        (false, true) => Embedding::Embed,
        (false, false) => Embedding::Auto,
    };
    let replace = o.force || o.in_place;
    let output = output(&o.signer, destination, embedding, replace, o.force)?;
    StampRequest::generation(profile, flags, output)
}

/// Where and how outputs are written, from the signer's flags.
pub fn output(
    signer: &SignerArgs,
    destination: Destination,
    embedding: Embedding,
    replace: bool,
    force: bool,
) -> Result<Output, Error> {
    if signer.trust.tsa_trust.is_some() {
        return Err(Error::Usage {
            reason: "--tsa-trust judges timestamps when verifying (verify, audit, prove, index add); signing takes --tsa URL".into(),
        });
    }
    Ok(Output {
        destination,
        embedding,
        overwrite: if replace {
            Overwrite::Replace
        } else {
            Overwrite::Never
        },
        trust_pem: load_trust(&signer.trust)?,
        fingerprint: fingerprint_policy(signer),
        resume: if force {
            Resume::SignAgain
        } else {
            Resume::SkipStamped
        },
    })
}

/// When to decode for a fingerprint: indexing needs one.
fn fingerprint_policy(signer: &SignerArgs) -> FingerprintPolicy {
    match (
        signer.no_fingerprint,
        signer.fingerprint || catalog_spec(&signer.index).is_some(),
    ) {
        (true, _) => FingerprintPolicy::Never,
        (false, true) => FingerprintPolicy::Always,
        (false, false) => FingerprintPolicy::Auto,
    }
}

/// The run's stamper; the key (or the signer command, by one probe
/// signature) is checked against its certificate before any output is
/// opened. A profile may name the signer command and the TSA.
pub fn stamper(
    signer: &SignerArgs,
    request: StampRequest,
    profile: Option<&Profile>,
) -> Result<Stamper, Error> {
    let none = Profile::default();
    let profile = profile.unwrap_or(&none);
    let mut identity = identity(&signer.keys, profile)?;
    if let Some(url) = signer.tsa.as_ref().or(profile.tsa_url.as_ref()) {
        let client =
            credits::signer::tsa::TsaClient::new(url).map_err(|reason| Error::Tsa { reason })?;
        if let Some(reason) = identity.with_tsa(client, signer.tsa_optional)? {
            note(&format!(
                "warning: {reason}; --tsa-optional: signing without timestamps"
            ));
        }
    } else if signer.tsa_optional {
        return Err(Error::Usage {
            reason: "--tsa-optional needs --tsa URL (or a profile's tsa_url)".into(),
        });
    }
    Stamper::new(identity, request)
}

/// The signing identity of `keys`, checked against its certificate.
pub fn identity(keys: &KeyArgs, profile: &Profile) -> Result<SigningIdentity, Error> {
    let command = match keys.key {
        Some(_) => None,
        None => keys.signer_cmd.as_ref().or(profile.signer_cmd.as_ref()),
    };
    match (&keys.key, command) {
        (Some(key), _) => SigningIdentity::load(key, &keys.chain),
        (None, Some(cmd)) => SigningIdentity::with_command(cmd, &keys.chain),
        (None, None) => Err(Error::Usage {
            reason: "no signing key: pass --key KEY, or --signer-cmd CMD for a key held by a token"
                .into(),
        }),
    }
}

/// Record every file `stamper` signs in the catalog `--index` (or
/// `$CREDITS_INDEX`) names, opened and migrated now. A catalog that cannot
/// be opened does not stop the run: every file is signed, and each is
/// reported as not recorded (exit 1), to be replayed with `index add`.
pub fn record_into_catalog(stamper: &mut Stamper, signer: &SignerArgs) {
    let Some(spec) = catalog_spec(&signer.index) else {
        return;
    };
    match Index::open(&spec) {
        Ok(index) => stamper.record_into(Arc::new(index)),
        Err(e) => {
            report_error(&e);
            note("warning: signing anyway; the files will not be in the catalog until `credits index add` records them");
            stamper.record_into(Arc::new(Unreachable(Arc::new(e))));
        }
    }
}

/// A catalog that could not be opened: each file's write fails with why.
struct Unreachable(Arc<Error>);

impl Recorder for Unreachable {
    fn begin<'a>(&'a self, _: &Landing) -> Begun<'a> {
        Begun::Done(Recorded::Failed(Arc::clone(&self.0)))
    }
}

/// Sign every input on every core; a failing input never stops the others.
pub fn sign_all(
    stamper: &Stamper,
    inputs: &[PathBuf],
    output: &OutputArgs,
) -> Result<Outcome, Error> {
    let jobs = batch::plan(inputs, &stamper.request().destination)?;
    let progress = Progress::files("stamping", jobs.len());
    // One file: how far its decode for a fingerprint has come (a master
    // takes about 25 s per GB); many files: how many are done.
    let decode = match &jobs[..] {
        [one] => Progress::bytes("fingerprinting", &one.input),
        _ => Progress::none(),
    };
    let done = batch::run(stamper, &jobs, &|n, _| progress.set(n), &|n, total| {
        decode.set_bytes(n, total)
    });
    decode.finish();
    progress.finish();
    let mut report = StampReport::default();
    for d in done {
        record(d, &mut report);
    }
    if jobs.is_empty() {
        note("warning: no media files found in the inputs");
    }
    if output.is_json() {
        emit(&report::json(&report)?)?;
    } else {
        emit(&report::stamp::human(&report))?;
        note(&report::stamp::summary(&report));
    }
    // The worst result decides: some inputs failed while others were signed
    // is 1; nothing could be signed at all is 2 (could not run).
    Ok(if report.failed.is_empty() {
        Outcome::Success
    } else if report.stamped.is_empty() && report.skipped.is_empty() {
        Outcome::CouldNotRun
    } else {
        Outcome::Failed
    })
}

/// One file's result into `report`: warnings and errors said on stderr;
/// a signed file the catalog could not record is also a failure of its
/// own (the signed file is kept; `credits index add` records it later),
/// and the answer is then true.
pub fn record(done: Done, report: &mut StampReport) -> bool {
    let mut unrecorded = false;
    match done {
        Done::Stamped(s) => {
            warn(&s);
            match &s.recorded {
                Some(Recorded::Failed(e)) => {
                    unrecorded = true;
                    report_error(e);
                    report.failed.push(Failure {
                        input: s.media.clone(),
                        error: format!("signed, but not recorded in the catalog: {e}"),
                        hint: Some(format!(
                            "the signed file is kept; record it later with `credits index add --index CATALOG {}`",
                            s.media.display()
                        )),
                    });
                }
                Some(Recorded::NoFingerprint) => note(&format!(
                    "warning: {}: no perceptual fingerprint for this format; not indexed",
                    s.media.display()
                )),
                _ => {}
            }
            report.stamped.push(*s);
        }
        Done::Skipped(input) => report.skipped.push(input),
        Done::PassedOver(path, reason) => {
            note(&format!(
                "note: {}: {reason}; not signed",
                credits::report::escape::path(&path)
            ));
            report
                .passed_over
                .push(credits::report::stamp::PassedOver { path, reason });
        }
        Done::Failed(input, e) => {
            report_error(&e);
            report.failed.push(Failure {
                input,
                error: e.to_string(),
                hint: hint(&e),
            });
        }
    }
    unrecorded
}

/// Each warning of a stamp, with what to do about a missing fingerprint.
fn warn(s: &credits::stamp::Stamped) {
    for w in &s.warnings {
        note(&format!("warning: {w}"));
        if let credits::stamp::StampWarning::LargeClipNoFingerprint { .. } = w {
            note("hint: pass --fingerprint to sign one, or run `credits index add` on the output later");
        }
    }
}
