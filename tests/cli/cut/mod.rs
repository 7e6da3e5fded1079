//! The cut: screen time over an editor's timeline.

mod animated;
pub mod timeline;
