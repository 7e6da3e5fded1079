//! Batch stamping: many inputs — files, or directories walked like an audit —
//! signed in one process on every core, the key loaded once. Each input gets
//! its own outcome, in input order; one failure never stops the others, and
//! inputs already stamped with the same record are skipped, so an
//! interrupted batch resumes where it stopped.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::audit::walk;
use crate::error::{Error, Result};
use crate::keys::SigningIdentity;
use crate::stamp::{self, Destination, StampRequest, Stamped};

/// One file to stamp and where its output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub input: PathBuf,
    pub destination: Destination,
}

/// What happened to one input.
#[derive(Debug)]
pub enum Outcome {
    Stamped(Box<Stamped>),
    /// Its output already carries this record.
    Skipped(PathBuf),
    Failed(PathBuf, Error),
}

/// Expand directories into their media files. With `--out DIR`, a file
/// found under a directory input keeps its path relative to that input
/// (`frames/a/b.png` → `DIR/a/b.png`); subdirectories are created.
pub fn plan(inputs: &[PathBuf], destination: &Destination) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            jobs.push(Job {
                input: input.clone(),
                destination: destination.clone(),
            });
            continue;
        }
        for file in walk::walk(std::slice::from_ref(input)).files {
            jobs.push(Job {
                destination: mirrored(destination, input, &file)?,
                input: file,
            });
        }
    }
    Ok(jobs)
}

fn mirrored(destination: &Destination, root: &Path, file: &Path) -> Result<Destination> {
    let Destination::OutDir(out) = destination else {
        return Ok(Destination::InPlace);
    };
    let rel = file
        .parent()
        .and_then(|p| p.strip_prefix(root).ok())
        .unwrap_or(Path::new(""));
    if rel.as_os_str().is_empty() || !out.is_dir() {
        return Ok(destination.clone());
    }
    let dir = out.join(rel);
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
        path: dir.clone(),
        source,
    })?;
    Ok(Destination::OutDir(dir))
}

/// Stamp every job on every core; `progress(done, total)` after each.
pub fn run(
    identity: &SigningIdentity,
    request: &StampRequest,
    jobs: &[Job],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(jobs.len().max(1));
    let mut slots: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
    let finished: Vec<Vec<(usize, Outcome)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        mine.push((i, one(identity, request, job)));
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1, jobs.len());
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    for (i, outcome) in finished.into_iter().flatten() {
        slots[i] = Some(outcome);
    }
    slots
        .into_iter()
        .zip(jobs)
        .map(|(slot, job)| {
            slot.unwrap_or_else(|| {
                let error = Error::Write {
                    path: job.input.clone(),
                    source: std::io::Error::other("the worker stamping this file stopped"),
                };
                Outcome::Failed(job.input.clone(), error)
            })
        })
        .collect()
}

fn one(identity: &SigningIdentity, request: &StampRequest, job: &Job) -> Outcome {
    let mut request = request.clone();
    request.destination = job.destination.clone();
    if request.skip_stamped && stamp::already_stamped(identity, &request, &job.input) {
        return Outcome::Skipped(job.input.clone());
    }
    match stamp::stamp_file(identity, &request, &job.input) {
        Ok(s) => Outcome::Stamped(Box::new(s)),
        Err(e) => Outcome::Failed(job.input.clone(), e),
    }
}
