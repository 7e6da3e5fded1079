//! `credits watch`: the sidecar process a generation box runs beside its
//! generator. Each new frame or clip under the watched directory is stamped
//! once it is completely written, with the same request for all.
//!
//! Events come from `notify` (inotify on Linux, where this is tested; the
//! platform's own API elsewhere). Complete means: closed after writing
//! (`IN_CLOSE_WRITE`) or renamed into place (`IN_MOVED_TO`), then left alone
//! for `settle`; a writer that
//! opens the file again restarts the wait. Files found by a scan — the
//! backlog at start, a new subdirectory, an event-queue overflow — count as
//! complete once their size and modification time hold and are older than
//! `settle`.
//!
//! Restarts: the backlog is stamped first, and an output that already
//! carries the same record is skipped (`Stamper::already_stamped`) unless its
//! input was modified after it, so every input is stamped once. A lock file
//! keeps a second watcher off the same outputs, and temporary files left by
//! a killed run (`.NAME.*.credits-tmp`) are removed at start. The caller sets
//! `stop` (on SIGINT/SIGTERM); the batch in hand is finished first, and
//! every output is renamed into place whole, so none is ever partial.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, TryRecvError};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecursiveMode, Watcher as _};

use crate::error::{Error, Result};
use crate::media::walk;
use crate::stamp::batch::{self, Done, JobKind};
use crate::stamp::{out_dir, Destination, Stamper};

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
    Done(Done),
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

/// File-system events, as `notify` delivers them.
struct Events {
    watcher: notify::RecommendedWatcher,
    rx: Receiver<notify::Result<Event>>,
    /// Directories watched (each without its subdirectories: we add those
    /// ourselves, skipping hidden ones and the output directory).
    dirs: HashSet<PathBuf>,
}

struct Watcher {
    root: PathBuf,
    /// The output directory when it lies inside the watched tree (ignored).
    out_inside: Option<PathBuf>,
    /// `None` with `--once`: nothing is watched.
    events: Option<Events>,
    pending: BTreeMap<PathBuf, State>,
    /// Our own in-place outputs, whose rename into place is not news.
    ours: HashSet<PathBuf>,
    settle: Duration,
}

/// Watch `options.root` and stamp what completes there until `stop` is set
/// (or, with `once`, until the backlog is done). `report` hears every step.
pub fn run(
    stamper: &Stamper,
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
    let out_dir = match &stamper.request().destination {
        Destination::OutDir(dir) => {
            out_dir(dir)?;
            dir.canonicalize().map_err(|e| werr(dir, e))?
        }
        Destination::InPlace => root.clone(),
    };
    let _lock = lock(&out_dir)?;
    let cleaned = clean_temporaries(&out_dir);
    let events = match options.once {
        true => None,
        false => Some(Events::new().map_err(|e| werr(&root, e))?),
    };
    let mut w = Watcher {
        out_inside: (out_dir != root && out_dir.starts_with(&root)).then(|| out_dir.clone()),
        root: root.clone(),
        events,
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
        w.stamp(stamper, ready, report, &mut tally);
    }
    Ok(tally)
}

impl Events {
    fn new() -> std::io::Result<Events> {
        let (tx, rx) = channel();
        let watcher = notify::recommended_watcher(tx).map_err(notify_io)?;
        Ok(Events {
            watcher,
            rx,
            dirs: HashSet::new(),
        })
    }

    /// Watch `dir` itself (once); `Ok(false)` when it is gone already.
    fn add(&mut self, dir: &Path) -> std::io::Result<bool> {
        if self.dirs.contains(dir) {
            return Ok(true);
        }
        match self.watcher.watch(dir, RecursiveMode::NonRecursive) {
            Ok(()) => {
                self.dirs.insert(dir.to_path_buf());
                Ok(true)
            }
            Err(e) => match notify_io(e) {
                e if e.kind() == ErrorKind::NotFound => Ok(false),
                e => Err(e),
            },
        }
    }
}

/// A `notify` error as the I/O error it carries, or one saying what it is.
fn notify_io(e: notify::Error) -> std::io::Error {
    match e.kind {
        notify::ErrorKind::Io(io) => io,
        notify::ErrorKind::PathNotFound => ErrorKind::NotFound.into(),
        other => std::io::Error::other(format!("{other:?}")),
    }
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
            if kind.is_dir() && depth < walk::MAX_DIR_DEPTH {
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
        if depth > walk::MAX_DIR_DEPTH || self.ignored_dir(dir) {
            return Ok(());
        }
        if let Some(events) = &mut self.events {
            let watched = events.add(dir).map_err(|source| Error::Watch {
                dir: dir.to_path_buf(),
                source,
            })?;
            if !watched {
                // Gone again before we got to it.
                return Ok(());
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

    /// Drain the event queue into `pending`.
    fn read_events(&mut self) -> Result<()> {
        loop {
            let Some(events) = &self.events else {
                return Ok(());
            };
            let event = match events.rx.try_recv() {
                Ok(Ok(event)) => event,
                Ok(Err(e)) => {
                    return Err(Error::Watch {
                        dir: self.root.clone(),
                        source: notify_io(e),
                    })
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return Ok(()),
            };
            self.event(event)?;
        }
    }

    fn event(&mut self, event: Event) -> Result<()> {
        if event.need_rescan() {
            // Events were lost: look at everything again.
            let root = self.root.clone();
            return self.add_tree(&root, 0);
        }
        for path in &event.paths {
            self.path_event(&event.kind, path)?;
        }
        Ok(())
    }

    fn path_event(&mut self, kind: &EventKind, path: &Path) -> Result<()> {
        let renamed_in = matches!(kind, EventKind::Modify(ModifyKind::Name(RenameMode::To)));
        if matches!(kind, EventKind::Create(CreateKind::Folder)) || (renamed_in && path.is_dir()) {
            let depth = path
                .strip_prefix(&self.root)
                .map(|r| r.components().count())
                .unwrap_or(0);
            return self.add_tree(path, depth);
        }
        if !self.wanted(path) {
            return Ok(());
        }
        match kind {
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From)) => {
                self.pending.remove(path);
            }
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                self.pending
                    .insert(path.to_path_buf(), State::Closed(Instant::now()));
            }
            // Our own in-place output renamed into place is not news.
            _ if renamed_in && self.ours.remove(path) => {}
            _ if renamed_in => {
                self.pending
                    .insert(path.to_path_buf(), State::Closed(Instant::now()));
            }
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
                self.pending.insert(path.to_path_buf(), State::Writing);
            }
            // Opening, reading, attribute changes, the paired rename event.
            _ => {}
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
        stamper: &Stamper,
        ready: Vec<PathBuf>,
        report: &mut dyn FnMut(Report),
        tally: &mut Tally,
    ) {
        let destination = &stamper.request().destination;
        let mut jobs = Vec::new();
        for input in ready {
            match batch::job_under(&self.root, &input, destination, JobKind::Fresh) {
                Ok(mut job) => {
                    if stamper.modified_after_output(&job.input, &job.destination) {
                        job.kind = JobKind::Changed;
                        report(Report::Changed(job.input.clone()));
                    }
                    jobs.push(job);
                }
                Err(e) => {
                    tally.failed += 1;
                    report(Report::Done(Done::Failed(input, e)));
                }
            }
        }
        // Fresh files first, then those signed again.
        jobs.sort_by_key(|j| j.kind == JobKind::Changed);
        for done in batch::run(stamper, &jobs, &|_, _| {}, &|_, _| {}) {
            match &done {
                Done::Stamped(s) => {
                    tally.stamped += 1;
                    if s.media.starts_with(&self.root) {
                        self.ours.insert(s.media.clone());
                    }
                }
                Done::Skipped(_) | Done::PassedOver(..) => tally.skipped += 1,
                Done::Failed(..) => tally.failed += 1,
            }
            report(Report::Done(done));
        }
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}
