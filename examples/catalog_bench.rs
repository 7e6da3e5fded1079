//! The catalog benchmark behind `scripts/bench-index.sh`: fill a catalog
//! (SQLite path or PostgreSQL URL) with synthetic 60 s clips (240 samples
//! at the stamp's 4 a second, random 64-bit frame hashes), and at each size
//! time lookups of a 240-sample query — one stored clip with 0–4 bits of
//! every sample flipped, as a re-encode does — and a full scan of the
//! stored fingerprints (what a lookup cost before the band index).
//!
//! Usage: `catalog_bench CATALOG SIZE[,SIZE…] [QUERIES]`
//! Prints TSV: engine, clips, key rows, inserts/s (batches of 1,000 in one
//! transaction), inserts/s (one transaction each, as a stamp commits),
//! median and p90 lookup ms, found share, full-scan ms.

use std::path::PathBuf;
use std::time::Instant;

use credits::index::{Admission, Entry, Index, Location};
use credits::media::fingerprint::{Fingerprint, Sample};

/// A fixed pseudo-random stream (SplitMix64): the same catalog every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Clip `n`'s fingerprint: 240 samples, 250 ms apart.
fn clip(n: u64) -> Fingerprint {
    let mut rng = Rng(n.wrapping_mul(0xA24B_AED4_963E_E407));
    Fingerprint {
        samples: (0..240)
            .map(|i| Sample {
                t_ms: i * 250,
                hash: rng.next() & (u64::MAX >> 1),
            })
            .collect(),
        iscc: None,
    }
}

fn entry(n: u64) -> Entry {
    Entry {
        path: PathBuf::from(format!("/studio/renders/clip{n:07}.mp4")),
        sha256: format!("{n:064x}"),
        manifest_label: format!("urn:c2pa:bench-{n}"),
        signer: Some("Render Node".into()),
        record: None,
        fingerprint: clip(n),
        manifest_store: vec![0u8; 512],
        admission: Admission::Stamped,
    }
}

/// Clip `n` as a re-encode shows it: 0–4 bits of each sample flipped.
fn query(n: u64, rng: &mut Rng) -> Fingerprint {
    let mut fp = clip(n);
    for s in &mut fp.samples {
        for _ in 0..rng.next() % 5 {
            s.hash ^= 1 << (rng.next() % 63);
        }
    }
    fp
}

fn millis(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// Read every stored fingerprint once: the old lookup's floor.
fn scan(spec: &str) -> f64 {
    let start = Instant::now();
    let sql = "SELECT fingerprint FROM assets";
    let bytes: usize = match Location::parse(spec) {
        Location::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).expect("open");
            let mut stmt = conn.prepare(sql).expect("prepare");
            let rows = stmt
                .query_map([], |r| r.get::<_, Vec<u8>>(0).map(|b| b.len()))
                .expect("scan");
            rows.map(|r| r.expect("row")).sum()
        }
        Location::Postgres(url) => {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
            let rows = c.query(sql, &[]).expect("scan");
            rows.iter().map(|r| r.get::<_, Vec<u8>>(0).len()).sum()
        }
    };
    assert!(bytes > 0);
    millis(start)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, sizes, rest @ ..] = &args[..] else {
        eprintln!("usage: catalog_bench CATALOG SIZE[,SIZE…] [QUERIES]");
        std::process::exit(2);
    };
    let queries: usize = rest.first().map_or(25, |q| q.parse().expect("QUERIES"));
    let index = Index::open(spec).expect("open catalog");
    let engine = match index.location() {
        Location::Sqlite(_) => "sqlite",
        Location::Postgres(_) => "postgresql",
    };
    let mut have = index.stats().expect("stats").counts.assets;
    println!("engine\tclips\tkey_rows\tinserts_per_s_batched\tinserts_per_s_single\tlookup_median_ms\tlookup_p90_ms\tfound\tscan_ms");
    for size in sizes.split(',').map(|s| s.parse::<u64>().expect("SIZE")) {
        let start = Instant::now();
        let before = have;
        while have < size {
            let batch: Vec<Entry> = (have..(have + 1000).min(size)).map(entry).collect();
            index.add_all(&batch).expect("insert");
            have += batch.len() as u64;
        }
        let batched = (have - before) as f64 / start.elapsed().as_secs_f64();
        // One transaction per entry, as a stamp commits: 200 more clips.
        let start = Instant::now();
        for n in have..have + 200 {
            index.add(&entry(n)).expect("insert");
        }
        let single = 200.0 / start.elapsed().as_secs_f64();
        have += 200;
        let mut rng = Rng(size);
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..queries {
            let n = rng.next() % have;
            let q = query(n, &mut rng);
            let start = Instant::now();
            let hit = index.lookup(&q).expect("lookup");
            times.push(millis(start));
            if hit.is_some_and(|r| r.manifest_label == format!("urn:c2pa:bench-{n}")) {
                found += 1;
            }
        }
        times.sort_by(f64::total_cmp);
        let keys = index.stats().expect("stats").counts.key_samples;
        println!(
            "{engine}\t{have}\t{keys}\t{batched:.0}\t{single:.0}\t{:.1}\t{:.1}\t{found}/{queries}\t{:.0}",
            times[times.len() / 2],
            times[times.len() * 9 / 10],
            scan(spec)
        );
    }
}
