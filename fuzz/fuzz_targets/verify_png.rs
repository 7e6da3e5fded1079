//! `credits verify` on arbitrary bytes named *.png: a verdict, never a
//! panic, hang or unbounded allocation.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::verify_bytes(data, "png");
});
