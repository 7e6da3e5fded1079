//! Batch stamping: many inputs — files, or directories walked — signed in
//! one process on every core with one [`Stamper`]. Each input gets its own
//! [`Done`], in input order; one failure never stops the others, and inputs
//! already stamped with the same record are skipped, so an interrupted
//! batch resumes where it stopped.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::media::progress::Progress;
use crate::media::walk;
use crate::stamp::{out_dir, Destination, Replacing, Resume, Stamped, Stamper};
use crate::sys::atomic::Overwrite;
use crate::sys::parallel;

/// One file to stamp and where its output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub input: PathBuf,
    pub destination: Destination,
    pub kind: JobKind,
    /// The directory the input was found under (walked or watched): the
    /// input must be a regular file inside it when it is opened.
    pub root: Option<PathBuf>,
}

/// Whether a job's output may already exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// The usual case: an output carrying the same record is kept.
    Fresh,
    /// The input changed after its output was signed: sign it again,
    /// replacing the stale output.
    Changed,
}

/// What happened to one input.
#[derive(Debug)]
pub enum Done {
    Stamped(Box<Stamped>),
    /// Its output already carries this record.
    Skipped(PathBuf),
    /// Found under a directory but not a regular file inside it when it was
    /// opened (a symlink, say): not signed, and why.
    PassedOver(PathBuf, String),
    Failed(PathBuf, Error),
}

/// Expand directories into their media files. With an output directory
/// (created when missing), a file found under a directory input keeps its
/// path relative to that input (`frames/a/b.png` → `DIR/a/b.png`).
pub fn plan(inputs: &[PathBuf], destination: &Destination) -> Result<Vec<Job>> {
    if let Destination::OutDir(dir) = destination {
        out_dir(dir)?;
    }
    let mut jobs = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            jobs.push(Job {
                input: input.clone(),
                destination: destination.clone(),
                kind: JobKind::Fresh,
                root: None,
            });
            continue;
        }
        let found = walk::walk(std::slice::from_ref(input));
        // Links the walk would not follow become jobs too: each is then
        // passed over with its note instead of vanishing.
        let links = found
            .skipped
            .iter()
            .map(|(p, _)| p)
            .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()));
        for file in found.files.iter().chain(links) {
            jobs.push(job_under(input, file, destination, JobKind::Fresh)?);
        }
    }
    Ok(jobs)
}

/// The job for `file` found under the directory `root`: with an output
/// directory, its path relative to `root` is kept under it.
pub fn job_under(
    root: &Path,
    file: &Path,
    destination: &Destination,
    kind: JobKind,
) -> Result<Job> {
    Ok(Job {
        destination: mirrored(destination, root, file)?,
        input: file.to_path_buf(),
        kind,
        root: Some(root.to_path_buf()),
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

/// Stamp every job on every core; `progress(done, total)` after each,
/// `decode` as a clip is decoded for its fingerprint.
pub fn run(
    stamper: &Stamper,
    jobs: &[Job],
    progress: &(dyn Fn(usize, usize) + Sync),
    decode: Progress,
) -> Vec<Done> {
    parallel::map_in_order(
        jobs,
        parallel::io_workers(),
        |job| one(stamper, job, decode),
        |job| {
            let source = std::io::Error::other("the worker stamping this file stopped");
            let error = Error::Write {
                path: job.input.clone(),
                source,
            };
            Done::Failed(job.input.clone(), error)
        },
        progress,
    )
}

fn one(stamper: &Stamper, job: &Job, decode: Progress) -> Done {
    let request = stamper.request();
    // A reveal file is replaced only under --force, or when `watch` re-signs
    // a render the generator rewrote (the content it proved is gone).
    let (overwrite, reveals, resume) = match job.kind {
        JobKind::Fresh if request.resume == Resume::SignAgain => {
            (request.overwrite, Overwrite::Replace, request.resume)
        }
        JobKind::Fresh => (request.overwrite, Overwrite::Never, request.resume),
        JobKind::Changed => (Overwrite::Replace, Overwrite::Replace, Resume::SignAgain),
    };
    let identity = match &job.root {
        Some(root) => match walk::confined(root, &job.input) {
            Ok(id) => Some(id),
            Err(why) => return Done::PassedOver(job.input.clone(), why),
        },
        None => None,
    };
    if resume == Resume::SkipStamped && stamper.already_stamped(&job.input, &job.destination) {
        return Done::Skipped(job.input.clone());
    }
    let done = stamper.stamp_file(
        &job.input,
        &job.destination,
        Replacing {
            output: overwrite,
            reveal: reveals,
        },
        decode,
    );
    // The file signed is the one checked: not swapped for another since.
    if let (Some(root), Some(id), Ok(_)) = (&job.root, identity, &done) {
        if walk::confined(root, &job.input).ok() != Some(id) {
            let source = std::io::Error::other(
                "the input was replaced while it was being signed; its output is not the file found",
            );
            return Done::Failed(
                job.input.clone(),
                Error::Read {
                    path: job.input.clone(),
                    source,
                },
            );
        }
    }
    match done {
        Ok(s) => Done::Stamped(Box::new(s)),
        Err(e) => Done::Failed(job.input.clone(), e),
    }
}
