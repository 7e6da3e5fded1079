//! The cut: screen time over an editor's timeline.

pub mod timeline;
