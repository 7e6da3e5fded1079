//! `credits watch`: the sidecar process a generation box runs beside its
//! generator. Each new frame or clip under the watched directory is stamped
//! once it is completely written, with the same request for all.
//!
//! Complete means: closed after writing (inotify `IN_CLOSE_WRITE`) or renamed
//! into place (`IN_MOVED_TO`), then left alone for `settle`; a writer that
//! opens the file again restarts the wait. Files found by a scan — the
//! backlog at start, a new subdirectory, an event-queue overflow — count as
//! complete once their size and modification time hold and are older than
//! `settle`.
//!
//! Restarts: the backlog is stamped first, and an output that already
//! carries the same record is skipped (`stamp::already_stamped`) unless its
//! input was modified after it, so every input is stamped once. A lock file
//! keeps a second watcher off the same outputs, and temporary files left by
//! a killed run (`.NAME.*.credits-tmp`) are removed at start. The caller sets
//! `stop` (on SIGINT/SIGTERM); the batch in hand is finished first, and
//! every output is renamed into place whole, so none is ever partial.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask};

use crate::audit::walk;
use crate::batch::{self, Outcome};
use crate::error::{Error, Result};
use crate::keys::SigningIdentity;
use crate::stamp::{self, Destination, StampRequest};

/// How long to sleep when there is nothing to do.
const POLL: Duration = Duration::from_millis(50);

/// Files stamped together (on every core) between checks of `stop`.
const BATCH: usize = 32;

/// Name of the lock file in the output directory.
pub const LOCK_FILE: &str = ".credits-watch.lock";

/// What to watch and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub settle: Duration,
    /// Stamp the backlog, then return instead of watching.
    pub once: bool,
}

/// What the watcher reports as it goes.
#[derive(Debug)]
pub enum Report {
    /// Watching began: media files already present, stale temporaries removed.
    Started { backlog: usize, cleaned: usize },
    /// An input changed after its output was signed; it is signed again.
    Changed(PathBuf),
    /// One file handled.
    Done(Outcome),
}

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub stamped: usize,
    pub skipped: usize,
    pub failed: usize,
}

#[derive(Debug, Clone, Copy)]
enum State {
    /// Found by a scan: complete once size and time hold and are old enough.
    Scanned {
        size: u64,
        mtime: Option<SystemTime>,
    },
    /// Open for writing: waits for a close.
    Writing,
    /// Closed after writing, or renamed into place, at this instant.
    Closed(Instant),
}

struct Watcher {
    root: PathBuf,
    /// The output directory when it lies inside the watched tree (ignored).
    out_inside: Option<PathBuf>,
    inotify: Option<Inotify>,
    dirs: HashMap<WatchDescriptor, PathBuf>,
    pending: BTreeMap<PathBuf, State>,
    /// Our own in-place outputs, whose rename into place is not news.
    ours: HashSet<PathBuf>,
    settle: Duration,
}

/// Watch `options.root` and stamp what completes there until `stop` is set
/// (or, with `once`, until the backlog is done). `report` hears every step.
pub fn run(
    identity: &SigningIdentity,
    request: &StampRequest,
    options: &Options,
    stop: &AtomicBool,
    report: &mut dyn FnMut(Report),
) -> Result<Tally> {
    let werr = |dir: &Path, source| Error::Watch {
        dir: dir.to_path_buf(),
        source,
    };
    let root = options
        .root
        .canonicalize()
        .map_err(|e| werr(&options.root, e))?;
    if !root.is_dir() {
        let e = std::io::Error::new(ErrorKind::NotADirectory, "not a directory");
        return Err(werr(&options.root, e));
    }
    let out_dir = match &request.destination {
        Destination::OutDir(dir) => dir.canonicalize().map_err(|e| werr(dir, e))?,
        Destination::InPlace => root.clone(),
    };
    let _lock = lock(&out_dir)?;
    let cleaned = clean_temporaries(&out_dir);
    let mut w = Watcher {
        out_inside: (out_dir != root && out_dir.starts_with(&root)).then(|| out_dir.clone()),
        root: root.clone(),
        inotify: if options.once {
            None
        } else {
            Some(Inotify::init().map_err(|e| werr(&root, e))?)
        },
        dirs: HashMap::new(),
        pending: BTreeMap::new(),
        ours: HashSet::new(),
        settle: options.settle,
    };
    w.add_tree(&root, 0)?;
    report(Report::Started {
        backlog: w.pending.len(),
        cleaned,
    });
    let mut tally = Tally::default();
    while !stop.load(Ordering::SeqCst) {
        w.read_events()?;
        let ready = w.take_ready();
        if ready.is_empty() {
            if options.once && w.pending.is_empty() {
                break;
            }
            std::thread::sleep(POLL);
            continue;
        }
        w.stamp(identity, request, ready, report, &mut tally);
    }
    Ok(tally)
}

/// Hold the lock file in `dir` for as long as the returned handle lives.
fn lock(dir: &Path) -> Result<File> {
    let path = dir.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::WatchBusy {
            dir: dir.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(Error::Write { path, source }),
    }
}

/// Remove temporaries a killed run left under `dir` (ours by name; no other
/// watcher writes here while we hold the lock). Returns how many.
fn clean_temporaries(dir: &Path) -> usize {
    let mut removed = 0;
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if kind.is_dir() && depth < walk::MAX_DEPTH {
                stack.push((entry.path(), depth + 1));
            } else if kind.is_file()
                && name.starts_with('.')
                && name.ends_with(".credits-tmp")
                && std::fs::remove_file(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

impl Watcher {
    /// Watch `dir` and its subdirectories; their media files join the
    /// backlog as scanned.
    fn add_tree(&mut self, dir: &Path, depth: usize) -> Result<()> {
        if depth > walk::MAX_DEPTH || self.ignored_dir(dir) {
            return Ok(());
        }
        if let Some(inotify) = &mut self.inotify {
            let mask = WatchMask::CREATE
                | WatchMask::MODIFY
                | WatchMask::CLOSE_WRITE
                | WatchMask::MOVED_TO
                | WatchMask::MOVED_FROM
                | WatchMask::DELETE
                | WatchMask::ONLYDIR
                | WatchMask::DONT_FOLLOW;
            match inotify.watches().add(dir, mask) {
                Ok(wd) => {
                    self.dirs.insert(wd, dir.to_path_buf());
                }
                // Gone again before we got to it.
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
                Err(source) => {
                    return Err(Error::Watch {
                        dir: dir.to_path_buf(),
                        source,
                    })
                }
            }
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                self.add_tree(&path, depth + 1)?;
            } else if meta.is_file() && self.wanted(&path) {
                self.pending.entry(path).or_insert(State::Scanned {
                    size: meta.len(),
                    mtime: meta.modified().ok(),
                });
            }
        }
        Ok(())
    }

    fn ignored_dir(&self, dir: &Path) -> bool {
        let hidden = dir != self.root && is_hidden(dir);
        hidden
            || self
                .out_inside
                .as_deref()
                .is_some_and(|o| dir.starts_with(o))
    }

    /// A media file of the generator's, not one of ours.
    fn wanted(&self, path: &Path) -> bool {
        walk::is_media(path)
            && !is_hidden(path)
            && !self
                .out_inside
                .as_deref()
                .is_some_and(|o| path.starts_with(o))
    }

    /// Drain the inotify queue into `pending`.
    fn read_events(&mut self) -> Result<()> {
        let mut buf = [0u8; 64 << 10];
        loop {
            let Some(inotify) = &mut self.inotify else {
                return Ok(());
            };
            let events: Vec<(WatchDescriptor, EventMask, Option<PathBuf>)> =
                match inotify.read_events(&mut buf) {
                    Ok(events) => events
                        .map(|e| (e.wd, e.mask, e.name.map(PathBuf::from)))
                        .collect(),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                    Err(source) => {
                        return Err(Error::Watch {
                            dir: self.root.clone(),
                            source,
                        })
                    }
                };
            for (wd, mask, name) in events {
                self.event(wd, mask, name)?;
            }
        }
    }

    fn event(&mut self, wd: WatchDescriptor, mask: EventMask, name: Option<PathBuf>) -> Result<()> {
        if mask.contains(EventMask::Q_OVERFLOW) {
            // Events were lost: look at everything again (re-adding a
            // watched directory returns its existing descriptor).
            let root = self.root.clone();
            return self.add_tree(&root, 0);
        }
        if mask.contains(EventMask::IGNORED) {
            self.dirs.remove(&wd);
            return Ok(());
        }
        let (Some(dir), Some(name)) = (self.dirs.get(&wd), name) else {
            return Ok(());
        };
        let path = dir.join(name);
        if mask.contains(EventMask::ISDIR) {
            if mask.intersects(EventMask::CREATE | EventMask::MOVED_TO) {
                let depth = path
                    .strip_prefix(&self.root)
                    .map(|r| r.components().count())
                    .unwrap_or(0);
                self.add_tree(&path, depth)?;
            }
            return Ok(());
        }
        if !self.wanted(&path) {
            return Ok(());
        }
        if mask.intersects(EventMask::DELETE | EventMask::MOVED_FROM) {
            self.pending.remove(&path);
        } else if mask.intersects(EventMask::CLOSE_WRITE | EventMask::MOVED_TO) {
            if mask.contains(EventMask::MOVED_TO) && self.ours.remove(&path) {
                return Ok(());
            }
            self.pending.insert(path, State::Closed(Instant::now()));
        } else if mask.intersects(EventMask::CREATE | EventMask::MODIFY) {
            self.pending.insert(path, State::Writing);
        }
        Ok(())
    }

    /// Up to `BATCH` complete files, removed from `pending`.
    fn take_ready(&mut self) -> Vec<PathBuf> {
        let now = SystemTime::now();
        let mut ready = Vec::new();
        let mut gone = Vec::new();
        for (path, state) in self.pending.iter_mut() {
            if ready.len() == BATCH {
                break;
            }
            let meta = match std::fs::metadata(path) {
                Ok(m) => m,
                Err(_) => {
                    gone.push(path.clone());
                    continue;
                }
            };
            let complete = match *state {
                State::Writing => false,
                State::Closed(at) => at.elapsed() >= self.settle,
                State::Scanned { size, mtime } => {
                    let (s, m) = (meta.len(), meta.modified().ok());
                    if (s, m) != (size, mtime) {
                        *state = State::Scanned { size: s, mtime: m };
                        false
                    } else {
                        m.and_then(|m| now.duration_since(m).ok())
                            .is_some_and(|age| age >= self.settle)
                    }
                }
            };
            if complete {
                if meta.len() == 0 {
                    // Created, not yet written: the next write brings it back.
                    gone.push(path.clone());
                } else {
                    ready.push(path.clone());
                }
            }
        }
        for path in gone.iter().chain(&ready) {
            self.pending.remove(path);
        }
        ready
    }

    fn stamp(
        &mut self,
        identity: &SigningIdentity,
        request: &StampRequest,
        ready: Vec<PathBuf>,
        report: &mut dyn FnMut(Report),
        tally: &mut Tally,
    ) {
        let mut fresh = Vec::new();
        let mut changed = Vec::new();
        for input in ready {
            match batch::job_under(&self.root, &input, &request.destination) {
                Ok(job) if modified_after_output(request, &job) => changed.push(job),
                Ok(job) => fresh.push(job),
                Err(e) => {
                    tally.failed += 1;
                    report(Report::Done(Outcome::Failed(input, e)));
                }
            }
        }
        let mut again = request.clone();
        again.overwrite = crate::atomic::Overwrite::Replace;
        again.skip_stamped = false;
        for job in &changed {
            report(Report::Changed(job.input.clone()));
        }
        let quiet = |_: usize, _: usize| {};
        let outcomes = batch::run(identity, request, &fresh, &quiet)
            .into_iter()
            .chain(batch::run(identity, &again, &changed, &quiet));
        for outcome in outcomes {
            match &outcome {
                Outcome::Stamped(s) => {
                    tally.stamped += 1;
                    if s.media.starts_with(&self.root) {
                        self.ours.insert(s.media.clone());
                    }
                }
                Outcome::Skipped(_) => tally.skipped += 1,
                Outcome::Failed(..) => tally.failed += 1,
            }
            report(Report::Done(outcome));
        }
    }
}

/// The input was written after its output was signed (an output is always
/// younger than the input it was made from), so the output is stale.
fn modified_after_output(request: &StampRequest, job: &batch::Job) -> bool {
    let mut r = request.clone();
    r.destination = job.destination.clone();
    let Ok(output) = stamp::output_of(&r, &job.input) else {
        return false;
    };
    if output == job.input {
        return false;
    }
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((mtime(&job.input), mtime(&output)), (Some(i), Some(o)) if i > o)
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}
