//! Adversarial cases: data-hash exclusions, forged catalog rows, closed pipes.

mod exclusions;
mod forged_catalog;
mod pipes;
