//! Progress on a terminal (`indicatif`): files done of the total, or bytes
//! of a clip decoded for its fingerprint, with elapsed time and an estimate
//! of what is left, on standard error — drawn only when standard error is a
//! terminal (and, for files, when there is more than one).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar for `total` files, or nothing when nobody is watching.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// No bar at all.
    pub fn none() -> Progress {
        Progress { bar: None }
    }

    /// `verb` says what is being done (`stamping`, `verifying`).
    pub fn files(verb: &str, total: usize) -> Progress {
        if total < 2 || !std::io::stderr().is_terminal() {
            return Progress::none();
        }
        let style = ProgressStyle::with_template(
            "{prefix} {bar:30} {pos}/{len} files, {elapsed} elapsed, about {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
            .with_style(style)
            .with_prefix(verb.to_string());
        bar.enable_steady_tick(Duration::from_millis(250));
        Progress { bar: Some(bar) }
    }

    /// A bar for decoding one clip, in bytes of the file (about 25 s per
    /// GB); frames are not decoded in steps and never draw it.
    pub fn bytes(verb: &str, file: &std::path::Path) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress::none();
        }
        let style = ProgressStyle::with_template(
            "{prefix} {bar:30} {bytes}/{total_bytes}, {elapsed} elapsed, about {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        let name = credits::report::escape::path(file);
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
            .with_style(style)
            .with_prefix(format!("{verb} {name}"));
        Progress { bar: Some(bar) }
    }

    /// Record `done` of `total` bytes (for [`Progress::bytes`]).
    pub fn set_bytes(&self, done: u64, total: u64) {
        if let Some(bar) = &self.bar {
            if bar.length() != Some(total) {
                bar.set_length(total);
            }
            bar.set_position(done);
        }
    }

    /// Record that `done` files are finished.
    pub fn set(&self, done: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }

    /// Remove the bar before the report is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
