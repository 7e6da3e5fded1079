//! Score distributions for `film.credits.phash.v1` (docs/fingerprint.md):
//! every ORIGINAL is fingerprinted as a stamp would (4 samples/s), every
//! QUERY as `verify --recover` would (every frame), and each pair's best
//! alignment is printed as TSV: original, query, matched, compared,
//! match share, similarity, offset, decision.
//! Usage: `cargo run --release --example fingerprint_scores -- ORIGINAL… -- QUERY…`

use std::path::Path;

use credits::media::fingerprint::align;
use credits::media::{analyze, Format, Sampling};

fn fingerprint(
    path: &str,
    sampling: Sampling,
) -> Result<credits::media::fingerprint::Fingerprint, String> {
    let path = Path::new(path);
    let format = Format::detect(path).map_err(|e| e.to_string())?;
    let (_, fp) = analyze(path, format, sampling)?.ok_or("not decodable media")?;
    Ok(fp)
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split = args
        .iter()
        .position(|a| a == "--")
        .ok_or("usage: ORIGINAL… -- QUERY…")?;
    let (originals, queries) = (&args[..split], &args[split + 1..]);
    let stored: Vec<_> = originals
        .iter()
        .map(|o| fingerprint(o, Sampling::Stamp).map(|fp| (o, fp)))
        .collect::<Result<_, _>>()?;
    println!("original\tquery\tmatched\tcompared\tshare\tsimilarity\toffset_s\tmatch");
    for q in queries {
        let query = fingerprint(q, Sampling::Query)?;
        for (name, fp) in &stored {
            let Some(a) = align(fp, &query) else { continue };
            let share = if a.overlapping == 0 {
                0.0
            } else {
                a.matching as f64 / a.overlapping as f64
            };
            println!(
                "{name}\t{q}\t{}\t{}\t{share:.3}\t{:.3}\t{:.3}\t{}",
                a.matching,
                a.overlapping,
                a.similarity,
                a.offset_ms as f64 / 1000.0,
                a.is_match(fp.samples.len())
            );
        }
    }
    Ok(())
}
