//! The provenance catalog: every stamped asset's fingerprint, manifest
//! store, record and path, so footage whose bytes changed can be traced
//! back to what was signed, and an audit can find an ingredient that is not
//! in the delivery.
//!
//! - [`location`]: a PostgreSQL URL or a SQLite path.
//! - [`catalog`]: the storage trait both engines implement (`sqlite`, `pg`),
//!   the schema version and the stats' counts.
//! - [`bands`]: indexed similarity search (multi-index hashing).
//! - `entry`: one entry, and the row it becomes.
//! - `handle`: [`Index`], the one handle the commands use, over either engine.
//! - `entries`: entries from stamps and signed files; `verify --recover`.

pub mod bands;
pub mod catalog;
mod entries;
mod entry;
mod handle;
pub mod location;
mod pg;
mod sqlite;

pub use catalog::{Admission, Counts, Migrated, SCHEMA_VERSION};
pub use entries::{entry_from_file, recover};
pub use entry::Entry;
pub use handle::{Added, Catalogued, Index, Pending, Stats};
pub use location::Location;
