//! Integration tests: they run the built `credits` binary on real files.
//!
//! Frames are generated with the `image` crate, clips with the `ffmpeg` CLI
//! (installed by `scripts/setup.sh`), keys with `credits keys` per test.
//! Files made by others come from `fixtures/corpus` (see its README).

mod attacks;
mod audit;
mod catalog;
mod certificates;
mod chain;
mod clips;
mod conformance;
mod corpus;
mod crash;
mod cut;
mod engines;
mod escaping;
mod exclusions;
mod film;
mod generators;
mod holes;
mod journal;
mod judge;
mod keys;
mod later;
mod layout_map;
mod layouts;
mod merkle;
mod pipes;
mod prove;
mod reports;
mod revocation;
mod rights;

mod roundtrip;
mod safety;
mod shares;
mod soundness;
mod support;
mod tamper;
mod timestamps;
mod token;
mod tsa_server;
mod verify;
mod watch;
