//! Perceptual fingerprints of frames and clips, signed as a C2PA soft
//! binding, and the matching that recovers provenance after re-encoding.
//!
//! A stamped asset carries `film.credits.phash.v1` hashes (see
//! `media/phash.rs`) of frames sampled [`SAMPLES_PER_SECOND`] times a second
//! (one for a still). A file under suspicion is hashed at every frame; the
//! best time offset between the two is found by voting on frame pairs that
//! are close, then every stored sample inside the overlap is compared with the
//! query frame nearest to it. That survives re-encoding, scaling and trimming
//! (a contiguous subset of frames), and pictures that merely look alike do not
//! line up across many samples.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::phash::{self, Hash};

/// Soft-binding algorithm name, written in the assertion's `alg`.
pub const ALG: &str = "film.credits.phash.v1";
/// The C2PA soft-binding assertion label.
pub const LABEL: &str = "c2pa.soft-binding";
/// How many frames a second a stamped clip's fingerprint samples.
pub const SAMPLES_PER_SECOND: u32 = 4;
/// Two hashes at most this many bits apart are the same picture.
pub const FRAME_THRESHOLD: u32 = 12;
/// Share of overlapping samples that must match for a clip to match.
pub const MATCH_SHARE: f64 = 0.75;

/// One hashed frame at a presentation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub t_ms: u64,
    pub hash: Hash,
}

/// The hashes of an asset's frames, in presentation order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub samples: Vec<Sample>,
    /// The asset's ISCC content code (`media::iscc`), when computed: signed
    /// as a second soft binding, `io.iscc.v0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iscc: Option<String>,
}

impl Fingerprint {
    /// The soft-binding assertion body: one block per sample, its value the
    /// hash in hex, its scope the sample's timespan in milliseconds (`step_ms`
    /// long) for a clip, empty for a frame.
    pub fn to_soft_binding(&self, step_ms: Option<u64>) -> serde_json::Value {
        let blocks: Vec<_> = self
            .samples
            .iter()
            .map(|s| {
                let scope = match step_ms {
                    Some(step) => json!({"timespan": {"start": s.t_ms, "end": s.t_ms + step}}),
                    None => json!({}),
                };
                json!({"scope": scope, "value": format!("{:016x}", s.hash)})
            })
            .collect();
        json!({
            "alg": ALG,
            "alg-params": format!("samples_per_second={SAMPLES_PER_SECOND}"),
            "name": "perceptual hash of sampled frames (credits)",
            "blocks": blocks,
        })
    }

    /// Read our fingerprint back from a soft-binding assertion body; `None`
    /// for another algorithm or a malformed body.
    pub fn from_soft_binding(value: &serde_json::Value) -> Option<Fingerprint> {
        if value.get("alg")?.as_str()? != ALG {
            return None;
        }
        let samples = value
            .get("blocks")?
            .as_array()?
            .iter()
            .map(|b| {
                // A frame's block has no timespan (older stamps: {0, 0}).
                let t_ms = match b.get("scope")?.get("timespan") {
                    Some(span) => span.get("start")?.as_u64()?,
                    None => 0,
                };
                let hash = u64::from_str_radix(b.get("value")?.as_str()?, 16).ok()?;
                Some(Sample { t_ms, hash })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Fingerprint {
            samples,
            iscc: None,
        })
    }

    /// Little-endian `(t_ms: u64, hash: u64)` pairs, for the index.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.samples.len() * 16);
        for s in &self.samples {
            out.extend_from_slice(&s.t_ms.to_le_bytes());
            out.extend_from_slice(&s.hash.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Fingerprint> {
        if !bytes.len().is_multiple_of(16) {
            return None;
        }
        let samples = bytes
            .chunks_exact(16)
            .map(|c| {
                let t = u64::from_le_bytes(c[..8].try_into().ok()?);
                let h = u64::from_le_bytes(c[8..].try_into().ok()?);
                Some(Sample { t_ms: t, hash: h })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Fingerprint {
            samples,
            iscc: None,
        })
    }
}

/// How well a query (every frame hashed) lines up with a stored fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Alignment {
    /// Stored time minus query time, in milliseconds.
    pub offset_ms: i64,
    /// Stored samples that fall inside the query's time range at that offset.
    pub overlapping: usize,
    /// Of those, how many are within [`FRAME_THRESHOLD`] bits.
    pub matching: usize,
    /// 1 − mean distance / 63 over the overlapping samples.
    pub similarity: f64,
}

impl Alignment {
    /// Whether this alignment says "the same footage".
    pub fn is_match(&self, stored_samples: usize) -> bool {
        let needed = stored_samples.clamp(1, 3);
        self.overlapping >= needed && self.matching as f64 >= MATCH_SHARE * self.overlapping as f64
    }
}

/// Find the best alignment of `query` (all frames) against `stored` (samples).
pub fn align(stored: &Fingerprint, query: &Fingerprint) -> Option<Alignment> {
    let q = &query.samples;
    if stored.samples.is_empty() || q.is_empty() {
        return None;
    }
    // Vote for offsets between pairs of close hashes, in 20 ms bins.
    // Each bin keeps (votes, sum of exact offsets) so its mean is the estimate.
    let mut votes: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    // Flat samples carry no evidence: they neither vote nor count.
    let informative = |s: &&Sample| phash::is_informative(s.hash);
    for s in stored.samples.iter().filter(informative) {
        for f in q.iter().filter(informative) {
            if phash::distance(s.hash, f.hash) <= FRAME_THRESHOLD {
                let offset = s.t_ms as i64 - f.t_ms as i64;
                let bin = votes.entry(offset.div_euclid(20)).or_default();
                bin.0 += 1;
                bin.1 += offset;
            }
        }
    }
    let mut bins: Vec<(i64, (i64, i64))> = votes.into_iter().collect();
    bins.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let mut candidates: Vec<i64> = bins
        .iter()
        .take(8)
        .map(|(_, (n, sum))| sum.div_euclid(*n))
        .collect();
    if candidates.is_empty() {
        candidates.push(0);
    }
    candidates
        .into_iter()
        .map(|offset| score(stored, q, offset))
        .max_by(|a, b| {
            a.matching
                .cmp(&b.matching)
                .then(a.similarity.total_cmp(&b.similarity))
        })
}

/// Compare each stored sample with the query frame nearest to it at `offset`.
fn score(stored: &Fingerprint, q: &[Sample], offset: i64) -> Alignment {
    let first = q[0].t_ms as i64;
    let last = q[q.len() - 1].t_ms as i64;
    let step = if q.len() > 1 {
        (last - first) / (q.len() as i64 - 1)
    } else {
        0
    };
    let slack = step / 2 + 1;
    let (mut overlapping, mut matching, mut total) = (0usize, 0usize, 0u64);
    // The query is footage taken from the original: it cannot start before
    // the original does, nor after it ends.
    let stored_end = stored.samples.last().map_or(0, |s| s.t_ms as i64);
    if offset < -slack || offset > stored_end + slack {
        return Alignment {
            offset_ms: offset,
            overlapping: 0,
            matching: 0,
            similarity: 0.0,
        };
    }
    for s in stored
        .samples
        .iter()
        .filter(|s| phash::is_informative(s.hash))
    {
        let t = s.t_ms as i64 - offset;
        if t < first - slack || t > last + slack {
            continue;
        }
        let i = q.partition_point(|f| (f.t_ms as i64) < t);
        let nearest = [i.checked_sub(1), Some(i)]
            .into_iter()
            .flatten()
            .filter(|&k| k < q.len())
            .min_by_key(|&k| (q[k].t_ms as i64 - t).abs());
        let Some(k) = nearest.filter(|&k| phash::is_informative(q[k].hash)) else {
            continue;
        };
        let d = phash::distance(s.hash, q[k].hash);
        overlapping += 1;
        total += u64::from(d);
        if d <= FRAME_THRESHOLD {
            matching += 1;
        }
    }
    let similarity = if overlapping == 0 {
        0.0
    } else {
        1.0 - total as f64 / (overlapping as f64 * 63.0)
    };
    Alignment {
        offset_ms: offset,
        overlapping,
        matching,
        similarity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(seed: u64, frames: u64, step: u64) -> Fingerprint {
        let mut x = seed;
        let samples = (0..frames)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                Sample {
                    t_ms: i * step,
                    hash: x & (u64::MAX >> 1),
                }
            })
            .collect();
        Fingerprint {
            samples,
            iscc: None,
        }
    }

    /// Every sixth frame of a 24 fps clip: the stored 4-per-second samples.
    fn sampled(all: &Fingerprint) -> Fingerprint {
        Fingerprint {
            samples: all.samples.iter().step_by(6).copied().collect(),
            iscc: None,
        }
    }

    #[test]
    fn trimmed_query_aligns_at_its_offset() {
        let all = clip(7, 240, 42);
        let stored = sampled(&all);
        let trimmed = Fingerprint {
            samples: all.samples[60..120]
                .iter()
                .map(|s| Sample {
                    t_ms: s.t_ms - 60 * 42,
                    hash: s.hash ^ 0b101,
                })
                .collect(),
            iscc: None,
        };
        let a = align(&stored, &trimmed).unwrap();
        assert!(a.is_match(stored.samples.len()), "{a:?}");
        assert_eq!(a.matching, a.overlapping);
        assert!((a.offset_ms - 2520).abs() <= 20, "{a:?}");
    }

    #[test]
    fn unrelated_clips_do_not_match() {
        let stored = sampled(&clip(1, 240, 42));
        let a = align(&stored, &clip(2, 240, 42)).unwrap();
        assert!(!a.is_match(stored.samples.len()), "{a:?}");
    }

    #[test]
    fn soft_binding_round_trips() {
        let fp = sampled(&clip(3, 48, 42));
        let back = Fingerprint::from_soft_binding(&fp.to_soft_binding(Some(250))).unwrap();
        assert_eq!(back, fp);
        assert_eq!(Fingerprint::from_bytes(&fp.to_bytes()).unwrap(), fp);
    }
}
