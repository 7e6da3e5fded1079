//! The shared provenance catalog on SQLite and PostgreSQL.

mod shared;
