//! `credits stamp`: build one request from flags and profile, sign each input.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use credits::atomic::Overwrite;
use credits::batch;
use credits::index::{self, Index};
use credits::keys::SigningIdentity;
use credits::profile::Profile;
use credits::record::{License, Role, Tool};
use credits::stamp::{Destination, Embedding, StampRequest, Stamped};
use credits::Error;
use serde::Serialize;

use super::{load_trust, print_json, report_error, Outcome};
use crate::cli::{StampArgs, StampOptions, YesNo};

#[derive(Serialize)]
struct StampReport<'a> {
    schema_version: u32,
    stamped: &'a [Stamped],
    skipped: &'a [PathBuf],
    failed: Vec<Failure>,
}

#[derive(Serialize)]
struct Failure {
    input: PathBuf,
    error: String,
    hint: Option<String>,
}

pub fn run(args: StampArgs) -> Result<Outcome, Error> {
    let options = &args.options;
    let request = request(options)?;
    // The key is checked against its certificate before any output is opened.
    let identity = SigningIdentity::load(&options.signer.key, &options.signer.chain)?;
    sign_all(
        &identity,
        &request,
        &args.inputs,
        options.signer.index.as_deref(),
        options.signer.json,
    )
}

/// Sign every input with one request, on every core; a failing input never
/// stops the others. Reports come in input order once all are done.
pub fn sign_all(
    identity: &SigningIdentity,
    request: &StampRequest,
    inputs: &[PathBuf],
    index: Option<&Path>,
    json: bool,
) -> Result<Outcome, Error> {
    let index = index.map(Index::open).transpose()?;
    let jobs = batch::plan(inputs, &request.destination)?;
    let terminal = std::io::stderr().is_terminal() && jobs.len() > 1;
    let progress = move |done: usize, total: usize| {
        if terminal {
            eprint!("\rstamping {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    };
    let mut stamped = Vec::new();
    let mut skipped = Vec::new();
    let mut failed = Vec::new();
    for outcome in batch::run(identity, request, &jobs, &progress) {
        match outcome {
            batch::Outcome::Stamped(s) => {
                for w in &s.warnings {
                    eprintln!("warning: {w}");
                }
                if let Some(index) = &index {
                    add_to_index(index, &s, &identity.name);
                }
                if !json {
                    print_stamped(&s);
                }
                stamped.push(*s);
            }
            batch::Outcome::Skipped(input) => {
                if !json {
                    println!(
                        "skipped {} (already stamped with this record; --force re-signs)",
                        input.display()
                    );
                }
                skipped.push(input);
            }
            batch::Outcome::Failed(input, e) => {
                report_error(&e);
                failed.push(Failure {
                    input,
                    error: e.to_string(),
                    hint: e.hint(),
                });
            }
        }
    }
    if jobs.is_empty() {
        eprintln!("warning: no media files found in the inputs");
    }
    let all_done = failed.is_empty();
    if json {
        print_json(&StampReport {
            schema_version: 1,
            stamped: &stamped,
            skipped: &skipped,
            failed,
        });
    } else {
        eprintln!(
            "{} signed, {} skipped, {} failed",
            stamped.len(),
            skipped.len(),
            failed.len()
        );
    }
    // The worst result decides: some inputs failed while others were signed
    // is 1; nothing could be signed at all is 2 (could not run).
    Ok(if all_done {
        Outcome::Success
    } else if stamped.is_empty() && skipped.is_empty() {
        Outcome::CouldNotRun
    } else {
        Outcome::Failed
    })
}

/// Index a fresh stamp; a file with no fingerprint is reported, not fatal.
pub(super) fn add_to_index(index: &Index, s: &Stamped, signer: &str) {
    match index::entry_from_stamped(s, signer) {
        Some(entry) => {
            if let Err(e) = index.add(&entry) {
                report_error(&e);
            }
        }
        None => eprintln!(
            "warning: {}: no perceptual fingerprint for this format; not indexed",
            s.media.display()
        ),
    }
}

pub(super) fn print_stamped(s: &Stamped) {
    let how = if s.embedded { "embedded" } else { "sidecar" };
    println!(
        "signed {} -> {} ({how})",
        s.input.display(),
        s.output.display()
    );
    if let Some(r) = &s.reveal {
        println!(
            "  reveal file {} (private: keep it to prove the prompt)",
            r.display()
        );
    }
}

/// Merge the profile and the flags (flags win) into one request.
pub(super) fn request(args: &StampOptions) -> Result<StampRequest, Error> {
    let profile = match &args.profile {
        Some(p) => Profile::load(p)?,
        None => Profile::default(),
    };
    let base = profile.tool.unwrap_or_default();
    let tool = Tool {
        name: args.tool.clone().unwrap_or(base.name),
        version: args.tool_version.clone().or(base.version),
        vendor: args.vendor.clone().or(base.vendor),
        model: args.model.clone().or(base.model),
    };
    if tool.name.trim().is_empty() {
        return Err(Error::InvalidArgument {
            what: "--tool".into(),
            reason: "the generating tool must be named (--tool NAME, or [tool] name in --profile)"
                .into(),
        });
    }
    let license = match (&args.license, profile.license) {
        (Some(id), base) => Some(License {
            id: id.clone(),
            commercial_use: None,
            terms_url: base.and_then(|b| b.terms_url),
        }),
        (None, base) => base,
    }
    .map(|mut l| {
        if let Some(c) = args.commercial_use {
            l.commercial_use = Some(matches!(c, YesNo::Yes));
        }
        if let Some(u) = &args.license_url {
            l.terms_url = Some(u.clone());
        }
        l
    });
    let destination = match (&args.out, args.in_place, args.sidecar) {
        (Some(dir), _, _) => Destination::OutDir(dir.clone()),
        (None, true, _) | (None, false, true) => Destination::InPlace,
        (None, false, false) => {
            return Err(Error::InvalidArgument {
                what: "output".into(),
                reason: "say where signed files go: --out DIR, --in-place, or --sidecar".into(),
            })
        }
    };
    Ok(StampRequest {
        tool,
        license,
        prompt: text_arg(&args.prompt, &args.prompt_file)?,
        negative_prompt: text_arg(&args.negative_prompt, &args.negative_prompt_file)?,
        seed: args.seed.clone(),
        steps: args.steps,
        role: args.role.or(profile.role).unwrap_or(Role::PromptDesign),
        controls: args.controls.clone(),
        parent: args.parent.clone(),
        components: args.ingredients.clone(),
        selection: args.selection.clone(),
        destination,
        embedding: if args.sidecar {
            Embedding::Sidecar
        } else if args.embed {
            Embedding::Embed
        } else {
            Embedding::Auto
        },
        overwrite: if args.force || args.in_place {
            Overwrite::Replace
        } else {
            Overwrite::Never
        },
        reveal_dir: args.reveal_dir.clone(),
        trust_pem: load_trust(args.signer.trust.as_deref())?,
        derive: None,
        fingerprint: args.signer.fingerprint_policy(),
        skip_stamped: !args.force,
    })
}

fn text_arg(inline: &Option<String>, file: &Option<PathBuf>) -> Result<Option<String>, Error> {
    match (inline, file) {
        (Some(t), _) => Ok(Some(t.clone())),
        (None, Some(p)) => read_text(p).map(Some),
        (None, None) => Ok(None),
    }
}

fn read_text(path: &Path) -> Result<String, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // A trailing newline from an editor is not part of the prompt.
    Ok(text.strip_suffix('\n').unwrap_or(&text).to_string())
}
