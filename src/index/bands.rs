//! Indexed similarity search by multi-index hashing.
//!
//! Each stored asset contributes up to [`MAX_KEYS`] key samples, spread
//! over its fingerprint. A key's 64-bit frame hash is split into three
//! bands (21, 21 and 22 bits), each stored in its own indexed column. Two
//! hashes within 2 bits share at least one band exactly (pigeonhole); at
//! the 3–6 bits a re-encode or rescale typically moves a frame, one of an
//! asset's many keys still does. A query fetches the keys that share a band
//! with any of its frames, keeps those within [`FRAME_THRESHOLD`] bits of
//! that frame, and ranks assets by how many of their keys were hit; only
//! the best few are aligned frame by frame (`fingerprint::align`).
//!
//! The cost of a lookup is one index probe per query frame and band, plus
//! the random band collisions: (stored keys) / 2^21 per probe, about 8 at
//! a million 16-key clips, not a scan of every stored fingerprint.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::media::fingerprint::{Fingerprint, FRAME_THRESHOLD};
use crate::media::phash;

/// Key samples kept per asset: all the samples of a clip up to 4 s at the
/// stamp's 4 per second (most generated shots); longer clips keep this
/// many, evenly spread (one every 3.75 s of a 60 s clip), so any excerpt
/// of a few seconds still meets one.
pub const MAX_KEYS: usize = 16;

/// How many of the best-ranked assets are aligned in full.
pub const ALIGNED: usize = 8;

/// Bit widths of the bands, low bits first.
const WIDTHS: [u32; 3] = [21, 21, 22];

/// The three band values of `hash`.
pub fn bands(hash: u64) -> [i32; 3] {
    let mut out = [0; 3];
    let mut shift = 0;
    for (band, width) in out.iter_mut().zip(WIDTHS) {
        *band = ((hash >> shift) & ((1u64 << width) - 1)) as i32;
        shift += width;
    }
    out
}

/// The frame hashes an asset is indexed under: distinct, evenly spread.
pub fn keys(fp: &Fingerprint) -> Vec<u64> {
    let n = fp.samples.len();
    let picked: Vec<u64> = if n <= MAX_KEYS {
        fp.samples.iter().map(|s| s.hash).collect()
    } else {
        (0..MAX_KEYS)
            .map(|i| fp.samples[i * n / MAX_KEYS].hash)
            .collect()
    };
    let mut seen = HashSet::new();
    picked.into_iter().filter(|h| seen.insert(*h)).collect()
}

/// How many bits of each band value a query of `frames` distinct frames
/// probes around: 2 for up to 4 frames (any key within 8 bits shares a
/// band value within 2 bits), 1 for up to 64 (within 5 bits), else 0 (a
/// long query meets many keys; within 2 bits is certain).
fn radius(frames: usize) -> u32 {
    match frames {
        0..=4 => 2,
        5..=64 => 1,
        _ => 0,
    }
}

/// `value` and every value of `width` bits within `r` (≤ 2) bits of it.
fn neighbours(value: i32, width: u32, r: u32) -> Vec<i32> {
    let mut out = vec![value];
    for i in 0..width {
        if r >= 1 {
            out.push(value ^ (1 << i));
        }
        for j in (i + 1)..width {
            if r >= 2 {
                out.push(value ^ (1 << i) ^ (1 << j));
            }
        }
    }
    out
}

/// What a query asks the catalog for: the distinct values of each band
/// over its frames, and the frames behind each value.
pub struct Probe {
    /// Per band, each value and the query frame hashes that have it.
    by_band: [HashMap<i32, Vec<u64>>; 3],
}

impl Probe {
    /// The probe for `query`. A query of few frames (a still, a short
    /// shot) has few keys to be found by, so each band value is probed
    /// with its neighbours too ([`radius`]): a still 8 bits from its
    /// original is still found, at a few hundred index probes.
    pub fn of(query: &Fingerprint) -> Probe {
        let mut by_band: [HashMap<i32, Vec<u64>>; 3] = Default::default();
        let distinct: HashSet<u64> = query.samples.iter().map(|s| s.hash).collect();
        let r = radius(distinct.len());
        for hash in distinct {
            for (band, value) in bands(hash).into_iter().enumerate() {
                for near in neighbours(value, WIDTHS[band], r) {
                    by_band[band].entry(near).or_default().push(hash);
                }
            }
        }
        Probe { by_band }
    }

    /// The distinct values of `band` to fetch, sorted.
    pub fn values(&self, band: usize) -> Vec<i32> {
        let mut v: Vec<i32> = self.by_band[band].keys().copied().collect();
        v.sort_unstable();
        v
    }

    /// Whether a stored key is within the frame threshold of a query frame
    /// that shares one of its bands.
    fn near(&self, key: u64) -> bool {
        bands(key).into_iter().enumerate().any(|(band, value)| {
            self.by_band[band].get(&value).is_some_and(|frames| {
                frames
                    .iter()
                    .any(|&f| phash::distance(f, key) <= FRAME_THRESHOLD)
            })
        })
    }

    /// The assets worth aligning, best first: those with the most keys
    /// near a query frame (ties by id), at most [`ALIGNED`].
    pub fn rank(&self, hits: impl IntoIterator<Item = (i64, u64)>) -> Vec<i64> {
        let mut votes: BTreeMap<i64, HashSet<u64>> = BTreeMap::new();
        for (asset, key) in hits {
            if self.near(key) {
                votes.entry(asset).or_default().insert(key);
            }
        }
        let mut ranked: Vec<(usize, i64)> = votes
            .into_iter()
            .map(|(asset, keys)| (keys.len(), asset))
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.into_iter().take(ALIGNED).map(|(_, a)| a).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::fingerprint::Sample;

    fn fp(hashes: &[u64]) -> Fingerprint {
        Fingerprint {
            samples: hashes
                .iter()
                .enumerate()
                .map(|(i, &hash)| Sample {
                    t_ms: i as u64 * 250,
                    hash,
                })
                .collect(),
            iscc: None,
        }
    }

    #[test]
    fn bands_cover_every_bit_once() {
        let h = 0xDEAD_BEEF_CAFE_F00D_u64;
        let [a, b, c] = bands(h);
        let back = a as u64 | (b as u64) << 21 | (c as u64) << 42;
        assert_eq!(back, h);
        assert_eq!(
            bands(u64::MAX),
            [(1 << 21) - 1, (1 << 21) - 1, (1 << 22) - 1]
        );
    }

    #[test]
    fn two_flipped_bits_always_share_a_band() {
        let h = 0x0123_4567_89AB_CDEF_u64;
        for i in 0..64 {
            for j in 0..64 {
                let g = h ^ (1 << i) ^ (1 << j);
                let (x, y) = (bands(h), bands(g));
                assert!((0..3).any(|b| x[b] == y[b]), "bits {i},{j}");
            }
        }
    }

    #[test]
    fn a_still_finds_a_key_eight_bits_away_and_a_long_query_probes_exactly() {
        let key = 0x0F0F_3C3C_A5A5_5A5A_u64;
        // Eight bits flipped, spread over all three bands.
        let still = key ^ 0b11 ^ 0b111 << 25 ^ 0b111 << 50;
        assert_eq!(phash::distance(key, still), 8);
        let probe = Probe::of(&fp(&[still]));
        let [b0, b1, b2] = bands(key);
        let found = [(0, b0), (1, b1), (2, b2)]
            .iter()
            .any(|&(band, v)| probe.values(band).binary_search(&v).is_ok());
        assert!(found);
        assert_eq!(probe.values(0).len(), 1 + 21 + 210);
        let long: Vec<u64> = (0..100u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        assert!(Probe::of(&fp(&long)).values(0).len() <= 100);
    }

    #[test]
    fn long_clips_keep_spread_distinct_keys() {
        let long: Vec<u64> = (0..240u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        let k = keys(&fp(&long));
        assert_eq!(k.len(), MAX_KEYS);
        assert_eq!(k[1], long[240 / MAX_KEYS]);
        assert_eq!(keys(&fp(&[7, 7, 7, 9])), vec![7, 9]);
    }

    #[test]
    fn ranking_counts_only_keys_near_a_query_frame() {
        let query = fp(&[0xFFFF_0000_FFFF_0000, 0x1234_5678_9ABC_DEF0]);
        let probe = Probe::of(&query);
        // Asset 1: both frames, 3 bits off; asset 2: shares a band but is
        // 30 bits away; asset 3: one frame.
        let hits = vec![
            (1, 0xFFFF_0000_FFFF_0007),
            (1, 0x1234_5678_9ABC_DEF1),
            (2, 0xFFFF_0000_FFFF_0000 ^ 0x3FFF_FFFF << 34),
            (3, 0x1234_5678_9ABC_DEF0),
        ];
        assert_eq!(probe.rank(hits), vec![1, 3]);
    }
}
