//! Shared by the verify targets: write the input where `credits verify`
//! reads files from, and verify it with an offline, unanchored context.

use std::io::Write;
use std::sync::{Arc, OnceLock};

static CONTEXT: OnceLock<Arc<credits::c2pa_settings::Context>> = OnceLock::new();

pub fn verify_bytes(data: &[u8], ext: &str) {
    let ctx = CONTEXT.get_or_init(|| credits::c2pa_settings::shared_context(None).expect("context"));
    let mut file = tempfile::Builder::new()
        .suffix(&format!(".{ext}"))
        .tempfile_in(std::env::temp_dir())
        .expect("temp file");
    file.write_all(data).expect("write");
    let verdict = credits::verify::verify_file(ctx, file.path());
    // Arbitrary bytes are never trusted: no anchors are configured.
    assert_ne!(verdict.state, credits::verify::State::Trusted);
}
