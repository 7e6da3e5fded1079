//! Hamming distances between ISCC Video-Codes (docs/fingerprint.md): the
//! first two files are re-encodes of one clip, the rest unrelated clips.
//! Prints each file's code, the distance between the two re-encodes, and
//! the distance from the first re-encode to every unrelated clip.
//! Usage: `cargo run --release --example iscc_distances -- A B UNRELATED…`

use std::path::Path;

use credits::media::iscc::distance;
use credits::media::{analyze, Format, Sampling};

fn code(path: &str) -> Result<String, String> {
    let p = Path::new(path);
    let format = Format::detect(p).map_err(|e| e.to_string())?;
    let (_, fp) = analyze(p, format, Sampling::Stamp)?.ok_or("not decodable media")?;
    fp.iscc.ok_or_else(|| format!("{path}: no ISCC code"))
}

fn main() -> Result<(), String> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.len() < 3 {
        return Err("usage: A B UNRELATED…".into());
    }
    let codes = files
        .iter()
        .map(|f| code(f))
        .collect::<Result<Vec<_>, _>>()?;
    for (f, c) in files.iter().zip(&codes) {
        println!("code\t{f}\t{c}");
    }
    let same = distance(&codes[0], &codes[1]).ok_or("codes of different kinds")?;
    println!("re-encodes\t{}\t{}\t{same}", files[0], files[1]);
    let mut nearest = u32::MAX;
    for (f, c) in files.iter().zip(&codes).skip(2) {
        let d = distance(&codes[0], c).ok_or("codes of different kinds")?;
        nearest = nearest.min(d);
        println!("unrelated\t{}\t{f}\t{d}", files[0]);
    }
    println!(
        "summary\tre-encodes {same} bits apart; nearest unrelated clip {nearest} bits (of 64)"
    );
    if same >= nearest {
        return Err("the re-encodes are not closer than every unrelated clip".into());
    }
    Ok(())
}
