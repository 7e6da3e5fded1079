//! The physical reference for benchmarks: one SHA-256 pass over a file,
//! read in 1 MiB blocks (sha2 uses SHA-NI when the CPU has it).
//! Usage: `cargo run --release --example sha256 -- FILE…`

use std::io::Read;

use sha2::{Digest, Sha256};

fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let mut file = std::fs::File::open(&path)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        println!("{}  {path}", hex::encode(hasher.finalize()));
    }
    Ok(())
}
