//! Batch stamping: many inputs — files, or directories walked like an audit —
//! signed in one process on every core, the key loaded once. Each input gets
//! its own outcome, in input order; one failure never stops the others, and
//! inputs already stamped with the same record are skipped, so an
//! interrupted batch resumes where it stopped.

use std::path::{Path, PathBuf};

use crate::audit::walk;
use crate::error::{Error, Result};
use crate::keys::SigningIdentity;
use crate::parallel;
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

/// The job for `file` found under the directory `root`: with `--out DIR`,
/// its path relative to `root` is kept under DIR.
pub fn job_under(root: &Path, file: &Path, destination: &Destination) -> Result<Job> {
    Ok(Job {
        destination: mirrored(destination, root, file)?,
        input: file.to_path_buf(),
    })
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
    parallel::map_in_order(
        jobs,
        parallel::io_workers(),
        |job| one(identity, request, job),
        |job| {
            let source = std::io::Error::other("the worker stamping this file stopped");
            let error = Error::Write {
                path: job.input.clone(),
                source,
            };
            Outcome::Failed(job.input.clone(), error)
        },
        progress,
    )
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
