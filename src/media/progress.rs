//! How far a long piece of work on one file has come, for whoever shows it.

/// Told (bytes of the file read, the file's size) as a decode goes on.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);
