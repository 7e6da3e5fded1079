//! `credits journal add`: one entry per generation attempt.

use credits::media::Format;
use credits::prove::journal::{self, Attempt};
use credits::{generator, Error};

use super::{emit, note, Outcome};
use crate::cli::{JournalAddArgs, JournalCommand};

pub fn run(cmd: JournalCommand) -> Result<Outcome, Error> {
    let JournalCommand::Add(args) = cmd;
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
    let mut added = Vec::new();
    for file in &args.files {
        let attempt = attempt(&args, file, prompt.clone())?;
        added.push(journal::append(&args.journal, &attempt)?);
    }
    if args.output.is_json() {
        emit(&credits::report::json(&added)?)?;
    } else {
        let lines: String = added
            .iter()
            .map(|e| {
                format!(
                    "logged attempt {} {} (prompt revision {})\n",
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
    }
    Ok(Outcome::Success)
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
