//! Fingerprint one file as `stamp` (4 samples/s) or `verify --recover`
//! (every frame) would — per-sample hashes and the ISCC code, in one
//! decode — and print the clip facts, sample count and ISCC code.
//! For the benchmark in scripts/bench-fingerprint.sh.
//! Usage: `cargo run --release --example fingerprint -- stamp|query FILE`

use std::path::Path;

use credits::media::{analyze, Format, Sampling};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, file) = match args.as_slice() {
        [m, f] => (m.as_str(), Path::new(f)),
        _ => return Err("usage: fingerprint stamp|query FILE".into()),
    };
    let sampling = match mode {
        "stamp" => Sampling::Stamp,
        "query" => Sampling::Query,
        _ => return Err(format!("unknown mode {mode:?}")),
    };
    let format = Format::detect(file).map_err(|e| e.to_string())?;
    let (facts, fp) = analyze(file, format, sampling)?.ok_or("not decodable media")?;
    println!(
        "{} samples; ISCC {}; {}",
        fp.samples.len(),
        fp.iscc.as_deref().unwrap_or("none"),
        serde_json::to_string(&facts).map_err(|e| e.to_string())?
    );
    Ok(())
}
