//! The physical reference for benchmarks: one SHA-256 pass over a file, the
//! same reader `credits` uses (1 MiB blocks; sha2 uses SHA-NI when present).
//! Usage: `cargo run --release --example sha256 -- FILE…`

fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let digest = credits::media::sha256_file(std::path::Path::new(&path))?;
        println!("{digest}  {path}");
    }
    Ok(())
}
