//! `credits journal add`: one sealed entry per generation attempt.

use credits::media::Format;
use credits::prove::journal::{self, Attempt, Sealer};
use credits::signer::tsa::TsaClient;
use credits::signer::SigningIdentity;
use credits::stamp::profile::Profile;
use credits::{generator, Error};

use super::{emit, note, Outcome};
use credits::sys::atomic::{self, Overwrite};

use crate::cli::{JournalAddArgs, JournalCommand, JournalRevealArgs, KeyArgs};

pub fn run(cmd: JournalCommand) -> Result<Outcome, Error> {
    match cmd {
        JournalCommand::Add(args) => add(*args),
        JournalCommand::Reveal(args) => reveal(args),
    }
}

/// `journal reveal J --entry N`: one attempt's opening, written privately.
fn reveal(args: JournalRevealArgs) -> Result<Outcome, Error> {
    let opened = journal::reveal_entry(&args.journal, args.entry)?;
    let out = args.out.clone().unwrap_or_else(|| {
        let mut name = args.journal.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".entry-{}.reveal.json", args.entry));
        args.journal.with_file_name(name)
    });
    let text = serde_json::to_string_pretty(&opened).map_err(Error::Json)? + "\n";
    atomic::write(&out, text.as_bytes(), Overwrite::Never, 0o600)?;
    emit(&format!("{}\n", credits::report::escape::path(&out)))?;
    note(&format!(
        "attempt {} opened in {} (keep it private; prove it with `credits prove ASSET --journal {} --reveal {}`)",
        args.entry,
        out.display(),
        args.journal.display(),
        out.display()
    ));
    Ok(Outcome::Success)
}

fn add(args: JournalAddArgs) -> Result<Outcome, Error> {
    let prompt = match (&args.prompt, &args.prompt_file) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(path)) => {
            Some(std::fs::read_to_string(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?)
        }
        (None, None) => None,
    };
    let (identity, tsa) = sealing(&args)?;
    let sealer = identity.as_ref().map(|identity| Sealer {
        identity,
        tsa: tsa.as_ref(),
        every: args.tsa_every,
    });
    let mut added = Vec::new();
    let mut missed = None;
    for (i, file) in args.files.iter().enumerate() {
        let attempt = attempt(&args, file, prompt.clone())?;
        let last = i + 1 == args.files.len();
        let (entry, why) = journal::append(&args.journal, &attempt, sealer.as_ref(), last)?;
        missed = why.or(missed);
        added.push(entry);
    }
    if let Some(why) = missed {
        note(&format!(
            "warning: the TSA did not answer ({why}); the entries are sealed but not yet anchored — the next `journal add --tsa` anchors them"
        ));
    }
    render(&args, &added)?;
    Ok(Outcome::Success)
}

/// Who seals the entries and which TSA anchors them: from the flags, then
/// the profile. Without a key, only `--unsigned` logs.
fn sealing(args: &JournalAddArgs) -> Result<(Option<SigningIdentity>, Option<TsaClient>), Error> {
    let profile = match &args.profile {
        Some(p) => Profile::load(p)?,
        None => Profile::default(),
    };
    if args.unsigned {
        return Ok((None, None));
    }
    let Some(chain) = &args.chain else {
        return Err(Error::Usage {
            reason: "journal add seals each entry with the operator's key: pass --key KEY --chain CHAIN (or --signer-cmd CMD --chain CHAIN); --unsigned logs entries that prove no selection".into(),
        });
    };
    let keys = KeyArgs {
        key: args.key.clone(),
        signer_cmd: args.signer_cmd.clone(),
        chain: chain.clone(),
    };
    let identity = super::signing::identity(&keys, &profile)?;
    let tsa = args
        .tsa
        .as_ref()
        .or(profile.tsa_url.as_ref())
        .map(|url| TsaClient::new(url).map_err(|reason| Error::Tsa { reason }))
        .transpose()?;
    Ok((Some(identity), tsa))
}

fn render(args: &JournalAddArgs, added: &[journal::Entry]) -> Result<(), Error> {
    if args.output.is_json() {
        return emit(&credits::report::json(&added)?);
    }
    let lines: String = added
        .iter()
        .map(|e| {
            let how = match &e.seal {
                Some(s) if s.timestamp.is_some() => "sealed, timestamped",
                Some(_) => "sealed",
                None => "UNSIGNED",
            };
            format!(
                "logged attempt {} {} (prompt revision {}; {how})\n",
                e.n,
                credits::report::escape::term(&e.output),
                e.prompt_revision
            )
        })
        .collect();
    emit(&lines)?;
    note(&format!(
        "{} attempt(s) logged in {}",
        added.len(),
        args.journal.display()
    ));
    if args.unsigned {
        note("warning: the entries are unsigned: they show a chain of attempts but not who made them, so they prove no selection (seal them with --key and --chain)");
    }
    Ok(())
}

/// One attempt: the flags, with what the file's generator wrote filling
/// what they do not say.
fn attempt(
    args: &JournalAddArgs,
    file: &std::path::Path,
    prompt: Option<String>,
) -> Result<Attempt, Error> {
    let sha256 = credits::media::sha256_file(file).map_err(|source| Error::Read {
        path: file.to_path_buf(),
        source,
    })?;
    let format = Format::detect(file).ok();
    let found = format
        .map(|format| generator::read_path(file, format))
        .unwrap_or_default()
        .metadata
        .unwrap_or_default();
    // The flags' parameters, then what the generator wrote.
    let mut params = found.params();
    params.extend(args.params.iter().cloned());
    let generator = (!found.generator.is_empty()).then(|| found.generator.clone());
    Ok(Attempt {
        output: file.to_path_buf(),
        sha256,
        fingerprint: format.and_then(|format| credits::media::content_code(file, format)),
        tool: args.tool.clone().or(generator),
        prompt: prompt.or(found.prompt),
        negative_prompt: args.negative_prompt.clone().or(found.negative_prompt),
        seed: args.seed.clone().or(found.seed),
        params,
    })
}
