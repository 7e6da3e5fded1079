//! The creative journal: one entry per generation attempt, so iteration
//! and selection are evidenced, not declared. Each entry commits (salted,
//! as a stamp does) to its prompt, negative prompt and seed, and names its
//! output by SHA-256, its parameters and tool; entries are hash-chained
//! (each holds the SHA-256 of the line before it), so removing, editing or
//! reordering one breaks the chain.
//!
//! Each entry also names its output by its ISCC content code (the
//! perceptual fingerprint a stamp signs as a soft binding), when the
//! output could be decoded: the SHA-256 says which bytes were chosen, the
//! code finds the attempt again after a re-encode.
//!
//! Two files: the public journal `J` (JSON Lines: commitments, hashes,
//! counts — shareable) and the private part `J.private` (mode 0600: salts
//! and plaintext). Writes are appends of one whole line, synced; one that
//! fails part-way is taken back; a line cut short by a crash is reported
//! as torn and never read as an entry (the intact prefix still proves),
//! and no entry is appended after it.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::prove::commitment::{Field, Opening};
use crate::record::JournalSummary;

mod check;
mod evidence;
mod reveal;
mod seal;
pub use check::{check, JournalProof};
pub use evidence::{shows_selection, Context, Evidence};
pub use reveal::{open_entry, reveal_entry, EntryReveal};
pub use seal::{Seal, Sealer};

/// Journals larger than this are not read (a million attempts fit).
const MAX_JOURNAL: u64 = 1 << 30;
/// Held while an entry is appended.
static APPENDING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One attempt, as the public journal holds it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// 1, 2, 3… in order.
    pub n: u64,
    /// SHA-256 of the previous line (its bytes, without the newline).
    pub prev: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// The output's file name and SHA-256.
    pub output: String,
    pub sha256: String,
    /// The output's ISCC content code, when it could be decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// How many distinct prompts so far (1 for the first; +1 whenever the
    /// prompt text differs from the previous attempt's).
    pub prompt_revision: u64,
    /// Parameters as given (`steps`, `cfg`, `sampler`, `model`…).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub params: std::collections::BTreeMap<String, String>,
    /// The operator's signature (and the TSA's token) over the rest of
    /// the line; always its last member. Absent in journals written
    /// before entries were signed, or with `journal add --unsigned`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<Seal>,
}

/// One attempt's secrets, in the private part.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Secrets {
    pub n: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Opening>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<Opening>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<Opening>,
}

/// A journal as read: its intact entries with their lines, and what was
/// wrong after them.
#[derive(Debug, Default)]
pub struct Journal {
    pub entries: Vec<(Entry, Vec<u8>)>,
    /// Why reading stopped early (a torn last line, a line that is not an
    /// entry), if it did.
    pub torn: Option<String>,
}

/// What one attempt adds: the output and what made it.
#[derive(Debug, Clone, Default)]
pub struct Attempt {
    pub output: PathBuf,
    /// The output's SHA-256 (hex), as the caller hashed it.
    pub sha256: String,
    /// Its ISCC content code, as the caller computed it.
    pub fingerprint: Option<String>,
    pub tool: Option<String>,
    pub prompt: Option<String>,
    pub negative_prompt: Option<String>,
    pub seed: Option<String>,
    pub params: std::collections::BTreeMap<String, String>,
}

/// The private part beside journal `path`.
pub fn private_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".private");
    path.with_file_name(name)
}

/// SHA-256 of a line, hex.
pub fn line_hash(line: &[u8]) -> String {
    hex::encode(Sha256::digest(line))
}

/// Read the journal at `path` (a missing file is an empty journal).
pub fn read(path: &Path) -> Result<Journal> {
    let bytes = match read_bounded(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Journal::default()),
        Err(source) => {
            return Err(Error::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let mut journal = Journal::default();
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            journal.torn = Some(format!(
                "its last line ({} bytes) has no end: a write cut short",
                rest.len()
            ));
            break;
        };
        let line = &rest[..end];
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => journal.entries.push((entry, line.to_vec())),
            Err(e) => {
                journal.torn = Some(format!(
                    "line {} is not a journal entry ({e})",
                    journal.entries.len() + 1
                ));
                break;
            }
        }
        rest = &rest[end + 1..];
    }
    Ok(journal)
}

fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    File::open(path)?.take(MAX_JOURNAL).read_to_end(&mut out)?;
    Ok(out)
}

/// Append `attempt` to the journal at `path` (and its secrets to the
/// private part): the entry, hash-chained to the last one, sealed by
/// `sealer` when given — anchored at its TSA when `flush` (the last entry
/// of a batch) or when `sealer.every` entries have gone unanchored. Also
/// why the TSA did not anchor it, when it was asked and did not.
pub fn append(
    path: &Path,
    attempt: &Attempt,
    sealer: Option<&Sealer>,
    flush: bool,
) -> Result<(Entry, Option<String>)> {
    // One appender at a time in this process (watch stamps on every core):
    // each reads the last entry and links to it.
    let _one = APPENDING.lock().unwrap_or_else(|p| p.into_inner());
    let journal = read(path)?;
    if let Some(why) = &journal.torn {
        return Err(Error::Journal {
            path: path.to_path_buf(),
            reason: format!("{why}; nothing is appended after it"),
        });
    }
    let last = journal.entries.last();
    let open = |field, text: &Option<String>| text.as_deref().map(|t| Opening::new(field, t));
    let secrets = Secrets {
        n: last.map_or(1, |(e, _)| e.n + 1),
        prompt: open(Field::Prompt, &attempt.prompt),
        negative_prompt: open(Field::NegativePrompt, &attempt.negative_prompt),
        seed: open(Field::Seed, &attempt.seed),
    };
    let mut entry = next_entry(path, last, attempt, &secrets);
    let mut missed = None;
    if let Some(sealer) = sealer {
        let anchor = flush || unanchored(&journal) + 1 >= sealer.every.max(1);
        let (seal, why) = seal::seal(&entry, sealer, anchor)?;
        entry.seal = Some(seal);
        missed = why;
    }
    // The secrets first: a crash between the two leaves a private line
    // with no entry, which the next append supersedes.
    append_line(
        &private_path(path),
        &serde_json::to_vec(&secrets).map_err(Error::Json)?,
        0o600,
    )?;
    append_line(
        path,
        &serde_json::to_vec(&entry).map_err(Error::Json)?,
        0o644,
    )?;
    Ok((entry, missed))
}

/// The entry after `last` for `attempt`, committing to `secrets`, unsealed.
fn next_entry(
    path: &Path,
    last: Option<&(Entry, Vec<u8>)>,
    attempt: &Attempt,
    secrets: &Secrets,
) -> Entry {
    let previous_prompt = last.and_then(|(e, _)| last_prompt(path, e.n));
    let revision = match last {
        None => u64::from(attempt.prompt.is_some()),
        Some((e, _)) if attempt.prompt.is_some() && attempt.prompt != previous_prompt => {
            e.prompt_revision + 1
        }
        Some((e, _)) => e.prompt_revision,
    };
    let commitment = |o: &Option<Opening>| o.as_ref().map(|o| o.commitment.clone());
    Entry {
        n: secrets.n,
        prev: last.map_or_else(|| GENESIS.to_string(), |(_, l)| line_hash(l)),
        at: crate::sys::time::now(),
        output: attempt
            .output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: attempt.sha256.clone(),
        fingerprint: attempt.fingerprint.clone(),
        tool: attempt.tool.clone(),
        prompt: commitment(&secrets.prompt),
        negative_prompt: commitment(&secrets.negative_prompt),
        seed: commitment(&secrets.seed),
        prompt_revision: revision,
        params: attempt.params.clone(),
        seal: None,
    }
}

/// Entries since the last one a TSA anchored.
fn unanchored(journal: &Journal) -> u64 {
    journal
        .entries
        .iter()
        .rev()
        .take_while(|(e, _)| e.seal.as_ref().is_none_or(|s| s.timestamp.is_none()))
        .count() as u64
}

/// The prompt of attempt `n`, from the private part.
fn last_prompt(path: &Path, n: u64) -> Option<String> {
    read_secrets(&private_path(path))
        .into_iter()
        .rev()
        .find(|s| s.n == n)
        .and_then(|s| s.prompt.map(|o| o.text))
}

/// The private part's intact lines (a torn last one is left out).
pub fn read_secrets(path: &Path) -> Vec<Secrets> {
    let Ok(bytes) = read_bounded(path) else {
        return Vec::new();
    };
    bytes
        .split(|&b| b == b'\n')
        .filter_map(|l| serde_json::from_slice(l).ok())
        .collect()
}

/// One line appended whole and synced; a file created with `mode`.
fn append_line(path: &Path, line: &[u8], mode: u32) -> Result<()> {
    let werr = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut options = OpenOptions::new();
    options.append(true).create(true).read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    let mut file = options.open(path).map_err(werr)?;
    // A private part whose last line was cut short gets a fresh line.
    let len = file.seek(SeekFrom::End(0)).map_err(werr)?;
    let mut buf = Vec::with_capacity(line.len() + 2);
    if len > 0 {
        let mut last = [0u8];
        file.seek(SeekFrom::End(-1)).map_err(werr)?;
        file.read_exact(&mut last).map_err(werr)?;
        if last[0] != b'\n' {
            buf.push(b'\n');
        }
    }
    buf.extend_from_slice(line);
    buf.push(b'\n');
    // A write that fails part-way (a full disk, a size limit) is taken
    // back: the file keeps its intact lines, never a torn one of ours.
    if let Err(e) = file.write_all(&buf).and_then(|()| file.sync_data()) {
        let _ = file.set_len(len).and_then(|()| file.sync_data());
        return Err(werr(e));
    }
    Ok(())
}

/// What a stamp signs about the journal: the chain's head and counts over
/// its first `len` entries, with `chosen` the attempt that was kept.
pub fn summary(entries: &[(Entry, Vec<u8>)], chosen: &Entry) -> Option<JournalSummary> {
    let (last, line) = entries.last()?;
    let changes = entries
        .windows(2)
        .filter(|w| w[0].0.params != w[1].0.params)
        .count() as u64;
    Some(JournalSummary {
        head: line_hash(line),
        entries: last.n,
        chosen: chosen.n,
        chosen_sha256: chosen.sha256.clone(),
        prompt_revisions: last.prompt_revision,
        parameter_changes: changes,
        first_at: entries[0].0.at.clone(),
        last_at: last.at.clone(),
    })
}
