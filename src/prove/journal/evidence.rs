//! What a journal's entries are worth as evidence, beyond its chain: who
//! sealed each attempt (only the stamp's signer's own are credited), when
//! a TSA saw them (contemporaneous, or only self-dated), whether their
//! times can be true (in order, not after the stamp was signed, not after
//! their own token), which attempts are really distinct (the same output
//! — by SHA-256, or by ISCC content code within [`SAME_CONTENT_BITS`] —
//! counts once), whether the chosen attempt's content is the stamped
//! file's, and how many outputs are still on disk (`--outputs DIR`).
//! See docs/journal.md for what each check answers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::seal::{self, Opened};
use super::Entry;
use crate::keys::chain::ChainState;
use crate::media::iscc;
use crate::verify::timestamp::TsaRoots;

/// Clocks disagree by this much (seconds) without it meaning anything.
pub const SKEW: i64 = 300;
/// An attempt counts as timestamped when a token dates it within this
/// many seconds of the time it gives (`journal add --tsa-every N` leaves
/// up to N−1 entries waiting for the next token).
pub const MAX_ANCHOR_LAG: i64 = 3600;
/// Two ISCC content codes this close (of 64 bits) are one output.
pub const SAME_CONTENT_BITS: u32 = 6;
/// Past this many distinct outputs, near-duplicates are no longer sought
/// (each new output is compared with every one before it).
const NEAR_SEARCH_LIMIT: usize = 20_000;

/// What the journal is judged against: the stamp it must support.
#[derive(Default)]
pub struct Context<'a> {
    /// The trust bundle (PEM) the entries' signers must chain to.
    pub trust: Option<&'a str>,
    pub tsa_roots: Option<&'a TsaRoots>,
    /// The stamp's signer: their certificate's issuer and serial.
    pub signer: Option<String>,
    /// When the stamp was signed (Unix seconds), and whether a trusted
    /// timestamp says so (else the record's own `generated_at`).
    pub signed_at: Option<i64>,
    pub signed_at_trusted: bool,
    /// The stamped file's ISCC content code (its signed soft binding).
    pub fingerprint: Option<String>,
    /// Where the attempts' files may still be (`prove --outputs DIR`).
    pub outputs: Option<&'a Path>,
}

/// Someone other than the stamp's signer who sealed attempts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OtherSigner {
    pub signer: String,
    pub attempts: u64,
}

/// The evidence a journal gives for the stamp's signer.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Evidence {
    /// Distinct attempts sealed by the stamp's signer: what is credited.
    pub distinct: u64,
    /// The chosen attempt's place among them (1 = the first).
    pub chosen_rank: Option<u64>,
    /// The signer's entries that repeat an earlier output.
    pub repeats: u64,
    /// Entries sealed by the stamp's signer, by others, by no one.
    pub signed: u64,
    pub unsigned: u64,
    pub others: Vec<OtherSigner>,
    /// `signed`, `partly signed` or `unsigned`.
    pub signature: String,
    /// Credited attempts a trusted token dates, and `timestamped`,
    /// `partly timestamped` or `self-dated`.
    pub timestamped: u64,
    pub dating: String,
    /// The first and last trusted token's time over credited attempts.
    pub anchored_from: Option<String>,
    pub anchored_to: Option<String>,
    /// Whether the chosen attempt's ISCC is the stamped file's (`None`:
    /// one of them has none, so it was not compared).
    pub chosen_content_matches: Option<bool>,
    /// With `--outputs DIR`: of the signer's logged outputs (distinct
    /// SHA-256s), how many are there.
    pub outputs_present: Option<u64>,
    pub outputs_logged: Option<u64>,
    /// What was not looked at, and why.
    pub notes: Vec<String>,
}

/// One entry as judged.
struct Judged<'a> {
    entry: &'a Entry,
    at: Option<i64>,
    opened: Option<Opened>,
    own: bool,
}

/// Examine the signed `prefix` of a journal whose chosen attempt is
/// `chosen`; what does not hold goes to `problems`.
pub fn examine(
    prefix: &[(Entry, Vec<u8>)],
    chosen: u64,
    ctx: &Context,
    problems: &mut Vec<String>,
) -> Evidence {
    let judged: Vec<Judged> = prefix
        .iter()
        .map(|(e, line)| judge(e, line, ctx, problems))
        .collect();
    let mut ev = Evidence::default();
    signers(&judged, chosen, &mut ev, problems);
    times(&judged, ctx, problems);
    anchors(&judged, ctx, &mut ev, problems);
    distinct(&judged, chosen, &mut ev);
    chosen_content(&judged, chosen, ctx, &mut ev, problems);
    if let Some(dir) = ctx.outputs {
        let (found, logged) = present(&judged, dir, &mut ev.notes);
        ev.outputs_present = Some(found);
        ev.outputs_logged = Some(logged);
    }
    ev
}

/// One entry's seal opened and its time read.
fn judge<'a>(e: &'a Entry, line: &[u8], ctx: &Context, problems: &mut Vec<String>) -> Judged<'a> {
    let at = OffsetDateTime::parse(&e.at, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp);
    if at.is_none() {
        problems.push(format!(
            "attempt {}: its time {:?} is not a time",
            e.n, e.at
        ));
    }
    let opened = match seal::open(e, line, ctx.trust, ctx.tsa_roots) {
        Ok(o) => o,
        Err(why) => {
            problems.push(format!("attempt {}: its seal does not hold: {why}", e.n));
            None
        }
    };
    if let (Some(o), Some(_)) = (&opened, ctx.trust) {
        if let ChainState::Untrusted(why) | ChainState::Invalid(why) = &o.chain {
            problems.push(format!(
                "attempt {}: sealed by {}, whose certificate is not trusted ({why})",
                e.n,
                who(o)
            ));
        }
    }
    let own = opened
        .as_ref()
        .is_some_and(|o| ctx.signer.as_deref() == Some(o.signer.identity().as_str()));
    Judged {
        entry: e,
        at,
        opened,
        own,
    }
}

fn who(o: &Opened) -> String {
    o.signer
        .common_name
        .clone()
        .unwrap_or_else(|| o.signer.identity())
}

/// Who sealed what: the signer's own attempts are credited, others' are
/// named and not; the chosen attempt must be the signer's own.
fn signers(judged: &[Judged], chosen: u64, ev: &mut Evidence, problems: &mut Vec<String>) {
    let mut others: BTreeMap<String, u64> = BTreeMap::new();
    for j in judged {
        match &j.opened {
            None => ev.unsigned += 1,
            Some(_) if j.own => ev.signed += 1,
            Some(o) => *others.entry(who(o)).or_default() += 1,
        }
    }
    ev.others = others
        .into_iter()
        .map(|(signer, attempts)| OtherSigner { signer, attempts })
        .collect();
    let total = judged.len() as u64;
    ev.signature = match ev.signed {
        0 if ev.others.is_empty() => "unsigned",
        n if n == total => "signed",
        _ => "partly signed",
    }
    .into();
    match judged.iter().find(|j| j.entry.n == chosen) {
        Some(j) if j.own => {}
        Some(j) => problems.push(match &j.opened {
            None => format!(
                "the chosen attempt {chosen} is unsigned: nothing shows who made it (journals are signed by `credits journal add --key`; this one predates that or was written by hand)"
            ),
            Some(o) => format!(
                "the chosen attempt {chosen} was sealed by {}, not by the stamp's signer",
                who(o)
            ),
        }),
        None => {}
    }
}

/// Times in order, none after the stamp was signed (the first of each
/// said).
fn times(judged: &[Judged], ctx: &Context, problems: &mut Vec<String>) {
    let mut last: Option<(u64, i64)> = None;
    let (mut backwards, mut late) = (false, false);
    for j in judged {
        let Some(at) = j.at else { continue };
        if let Some((n, before)) = last.filter(|(_, before)| at < *before && !backwards) {
            backwards = true;
            problems.push(format!(
                "attempt {} is dated {}, before attempt {n} ({}): times run backwards",
                j.entry.n,
                j.entry.at,
                crate::sys::time::rfc3339_unix(before)
            ));
        }
        if let Some(signed) = ctx.signed_at.filter(|s| at > s + SKEW && !late) {
            late = true;
            let how = if ctx.signed_at_trusted {
                "as its trusted timestamp says"
            } else {
                "as its record says"
            };
            problems.push(format!(
                "attempt {} is dated {}, after the stamp was signed ({}, {how}): it cannot be evidence for it",
                j.entry.n,
                j.entry.at,
                crate::sys::time::rfc3339_unix(signed)
            ));
        }
        last = Some((j.entry.n, at));
    }
}

/// The trusted tokens, and which credited attempts they date.
fn anchors(judged: &[Judged], ctx: &Context, ev: &mut Evidence, problems: &mut Vec<String>) {
    let mut untrusted = BTreeSet::new();
    // The first trusted token at or after each entry, from the end.
    let mut next: Vec<Option<i64>> = vec![None; judged.len()];
    let mut after = None;
    for (i, j) in judged.iter().enumerate().rev() {
        if let Some(t) = j.opened.as_ref().and_then(|o| o.timestamp.as_ref()) {
            if t.time.is_empty() {
                problems.push(format!(
                    "attempt {}: its timestamp token is not over its signature (a token taken from another entry or journal)",
                    j.entry.n
                ));
            } else if !t.trusted {
                untrusted.insert(t.untrusted_because.clone().unwrap_or_default());
            } else {
                token_problems(j, t.unix, ctx, problems);
                after = Some(t.unix);
            }
        }
        next[i] = after;
    }
    let mut used = Vec::new();
    for (j, anchor) in judged.iter().zip(&next) {
        if let (true, Some(at), Some(anchor)) = (j.own, j.at, anchor) {
            if anchor - at <= MAX_ANCHOR_LAG {
                ev.timestamped += 1;
                used.push(*anchor);
            }
        }
    }
    ev.anchored_from = used
        .iter()
        .min()
        .map(|t| crate::sys::time::rfc3339_unix(*t));
    ev.anchored_to = used
        .iter()
        .max()
        .map(|t| crate::sys::time::rfc3339_unix(*t));
    ev.dating = match ev.timestamped {
        0 => "self-dated",
        n if n == ev.signed => "timestamped",
        _ => "partly timestamped",
    }
    .into();
    for why in untrusted {
        ev.notes.push(format!("timestamps not counted: {why}"));
    }
}

/// A trusted token must not be earlier than the time its entry gives, nor
/// later than the stamp that signed the journal holding it.
fn token_problems(j: &Judged, token: i64, ctx: &Context, problems: &mut Vec<String>) {
    let n = j.entry.n;
    if j.at.is_some_and(|at| at > token + SKEW) {
        problems.push(format!(
            "attempt {n} is dated {}, after its TSA saw it ({}): its time is not true",
            j.entry.at,
            crate::sys::time::rfc3339_unix(token)
        ));
    }
    if let Some(signed) = ctx
        .signed_at
        .filter(|s| ctx.signed_at_trusted && token > s + SKEW)
    {
        problems.push(format!(
            "attempt {n}'s TSA token ({}) is later than the stamp's trusted timestamp ({}): the journal was changed after the stamp",
            crate::sys::time::rfc3339_unix(token),
            crate::sys::time::rfc3339_unix(signed)
        ));
    }
}

/// The signer's attempts that are really distinct: an output seen before,
/// by its SHA-256 or a content code within [`SAME_CONTENT_BITS`], counts
/// once.
fn distinct(judged: &[Judged], chosen: u64, ev: &mut Evidence) {
    let mut hashes: BTreeMap<&str, u64> = BTreeMap::new();
    let mut codes: Vec<(&str, u64)> = Vec::new();
    let mut near_skipped = false;
    for j in judged.iter().filter(|j| j.own) {
        let e = j.entry;
        let seen = hashes.get(e.sha256.as_str()).copied().or_else(|| {
            let code = e.fingerprint.as_deref()?;
            if codes.len() > NEAR_SEARCH_LIMIT {
                near_skipped = true;
                return codes.iter().find(|(c, _)| *c == code).map(|(_, g)| *g);
            }
            codes
                .iter()
                .find(|(c, _)| iscc::distance(c, code).is_some_and(|d| d <= SAME_CONTENT_BITS))
                .map(|(_, g)| *g)
        });
        let group = seen.unwrap_or_else(|| {
            ev.distinct += 1;
            ev.distinct
        });
        if seen.is_some() {
            ev.repeats += 1;
        }
        hashes.entry(&e.sha256).or_insert(group);
        if let (Some(code), None) = (e.fingerprint.as_deref(), seen) {
            codes.push((code, group));
        }
        if e.n == chosen {
            ev.chosen_rank = Some(group);
        }
    }
    if near_skipped {
        ev.notes.push(format!(
            "past {NEAR_SEARCH_LIMIT} distinct outputs, only identical content codes were matched"
        ));
    }
}

/// The chosen attempt's content code against the stamped file's.
fn chosen_content(
    judged: &[Judged],
    chosen: u64,
    ctx: &Context,
    ev: &mut Evidence,
    problems: &mut Vec<String>,
) {
    let Some(entry) = judged.iter().find(|j| j.entry.n == chosen).map(|j| j.entry) else {
        return;
    };
    match (entry.fingerprint.as_deref(), ctx.fingerprint.as_deref()) {
        (Some(logged), Some(stamped)) => {
            let same = iscc::distance(logged, stamped).is_some_and(|d| d <= SAME_CONTENT_BITS);
            ev.chosen_content_matches = Some(same);
            if !same {
                problems.push(format!(
                    "the chosen attempt's content ({logged}) is not the stamped file's ({stamped})"
                ));
            }
        }
        (None, _) => ev.notes.push(format!(
            "the chosen attempt {chosen} names no content code (its output could not be decoded), so its content was compared by SHA-256 alone"
        )),
        (Some(_), None) => ev.notes.push(
            "the stamped file carries no content code, so the chosen attempt's content was compared by SHA-256 alone".into(),
        ),
    }
}

/// How many of the signer's logged outputs are under `dir` (any name, any
/// depth: matched by SHA-256), of how many.
fn present(judged: &[Judged], dir: &Path, notes: &mut Vec<String>) -> (u64, u64) {
    let mut found = BTreeSet::new();
    let mut unread = 0;
    for item in walkdir::WalkDir::new(dir).follow_links(false) {
        match item {
            Ok(f) if f.file_type().is_file() => match crate::media::sha256_file(f.path()) {
                Ok(sha) => {
                    found.insert(sha);
                }
                Err(_) => unread += 1,
            },
            Ok(_) => {}
            Err(_) => unread += 1,
        }
    }
    if unread > 0 {
        notes.push(format!(
            "{unread} file(s) under the outputs folder could not be read"
        ));
    }
    let own: BTreeSet<&str> = judged
        .iter()
        .filter(|j| j.own)
        .map(|j| j.entry.sha256.as_str())
        .collect();
    let there = own.iter().filter(|s| found.contains(**s)).count() as u64;
    (there, own.len() as u64)
}

/// Whether `prefix` shows the signer choosing attempt `chosen` among two
/// or more distinct outputs: its seal is theirs, and so is the seal of
/// one other attempt whose output is not the chosen one's (another
/// SHA-256, and no content code within [`SAME_CONTENT_BITS`]). What a
/// stamp needs to derive its AI disclosure, at the cost of a seal or two
/// — not the whole journal's, which `prove` and the audit judge.
pub fn shows_selection(prefix: &[(Entry, Vec<u8>)], chosen: u64, ctx: &Context) -> bool {
    let own = |(e, line): &(Entry, Vec<u8>)| {
        seal::open(e, line, ctx.trust, ctx.tsa_roots)
            .ok()
            .flatten()
            .is_some_and(|o| ctx.signer.as_deref() == Some(o.signer.identity().as_str()))
    };
    let Some(pick) = prefix
        .iter()
        .find(|(e, _)| e.n == chosen)
        .filter(|p| own(p))
    else {
        return false;
    };
    let same = |e: &Entry| {
        e.sha256 == pick.0.sha256
            || matches!((&e.fingerprint, &pick.0.fingerprint), (Some(a), Some(b))
                if iscc::distance(a, b).is_some_and(|d| d <= SAME_CONTENT_BITS))
    };
    prefix
        .iter()
        .any(|p| p.0.n != chosen && !same(&p.0) && own(p))
}
