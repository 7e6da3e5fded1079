//! Integration tests: they run the built `credits` binary on real files.
//!
//! Frames are generated with the `image` crate, clips with the `ffmpeg` CLI
//! (installed by `scripts/setup.sh`), keys with `credits keys` per test.
//! Files made by others come from `fixtures/corpus` (see its README).
//!
//! By capability: `stamp/`, `verify/`, `audit/`, `cut/`, `certify/`,
//! `journal/`, `catalog/`, `keys/`, and `attacks/` for the adversarial
//! cases. Shared fixtures at the top: `support` (a studio, its operators and
//! certifiers, generated media, the stamp and verify helpers), `film` (the
//! fixture film), `judge` (audits under a policy), `engines` (SQLite and a
//! throwaway PostgreSQL), `tsa_server` (a local RFC 3161 TSA).

mod attacks;
mod audit;
mod catalog;
mod certify;
mod cut;
mod engines;
mod film;
mod journal;
mod judge;
mod keys;
mod layout_map;
mod stamp;
mod support;
mod tsa_server;
mod verify;
