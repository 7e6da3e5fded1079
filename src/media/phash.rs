//! `film.credits.phash.v1`: a 63-bit perceptual hash of one picture's luma.
//!
//! Definition (also in docs/fingerprint.md):
//! 1. Luma plane, 8 bits per sample (video: the decoded Y plane; stills: the
//!    `image` crate's `to_luma8`).
//! 2. Box-average down to a 32×32 grid: cell (i, j) is the integer mean of
//!    columns `[i·W/32, (i+1)·W/32)` and rows `[j·H/32, (j+1)·H/32)` (at
//!    least one sample per cell).
//! 3. 2-D DCT-II of the grid in fixed point (cosines scaled by 2^14, rounded;
//!    the table is below), keeping the 8×8 lowest frequencies.
//! 4. Drop DC; the 63 AC coefficients in row-major order (v, then u) give
//!    bits 0..62: 1 when the coefficient is greater than their median (the
//!    32nd smallest). Bit 63 is 0.
//!
//! Integer arithmetic only, so the hash is the same on every machine.

/// Side of the downscaled grid.
pub const GRID: usize = 32;
/// Low-frequency block kept from the DCT.
const LOW: usize = 8;

/// `round(cos((2x + 1)·u·π / 64) · 2^14)` for u in 0..8, x in 0..32.
#[rustfmt::skip]
const COS: [[i64; GRID]; LOW] = [
    [16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384],
    [16364, 16207, 15893, 15426, 14811, 14053, 13160, 12140, 11003, 9760, 8423, 7005, 5520, 3981, 2404, 804, -804, -2404, -3981, -5520, -7005, -8423, -9760, -11003, -12140, -13160, -14053, -14811, -15426, -15893, -16207, -16364],
    [16305, 15679, 14449, 12665, 10394, 7723, 4756, 1606, -1606, -4756, -7723, -10394, -12665, -14449, -15679, -16305, -16305, -15679, -14449, -12665, -10394, -7723, -4756, -1606, 1606, 4756, 7723, 10394, 12665, 14449, 15679, 16305],
    [16207, 14811, 12140, 8423, 3981, -804, -5520, -9760, -13160, -15426, -16364, -15893, -14053, -11003, -7005, -2404, 2404, 7005, 11003, 14053, 15893, 16364, 15426, 13160, 9760, 5520, 804, -3981, -8423, -12140, -14811, -16207],
    [16069, 13623, 9102, 3196, -3196, -9102, -13623, -16069, -16069, -13623, -9102, -3196, 3196, 9102, 13623, 16069, 16069, 13623, 9102, 3196, -3196, -9102, -13623, -16069, -16069, -13623, -9102, -3196, 3196, 9102, 13623, 16069],
    [15893, 12140, 5520, -2404, -9760, -14811, -16364, -14053, -8423, -804, 7005, 13160, 16207, 15426, 11003, 3981, -3981, -11003, -15426, -16207, -13160, -7005, 804, 8423, 14053, 16364, 14811, 9760, 2404, -5520, -12140, -15893],
    [15679, 10394, 1606, -7723, -14449, -16305, -12665, -4756, 4756, 12665, 16305, 14449, 7723, -1606, -10394, -15679, -15679, -10394, -1606, 7723, 14449, 16305, 12665, 4756, -4756, -12665, -16305, -14449, -7723, 1606, 10394, 15679],
    [15426, 8423, -2404, -12140, -16364, -13160, -3981, 7005, 14811, 15893, 9760, -804, -11003, -16207, -14053, -5520, 5520, 14053, 16207, 11003, 804, -9760, -15893, -14811, -7005, 3981, 13160, 16364, 12140, 2404, -8423, -15426],
];

/// A 63-bit perceptual hash.
pub type Hash = u64;

/// Bits that differ between two hashes (0 = identical, 63 = opposite).
pub fn distance(a: Hash, b: Hash) -> u32 {
    (a ^ b).count_ones()
}

/// Whether a hash carries evidence. Thresholding at the median sets about
/// half of the 63 bits; a flat or near-flat picture (black, white, one
/// colour) has its coefficients tied at the median and sets few or
/// nearly all — and every flat picture hashes alike, so such a sample
/// must never count toward a match.
pub fn is_informative(hash: Hash) -> bool {
    (16..=47).contains(&hash.count_ones())
}

/// Hash a luma plane of `width`×`height` samples, `stride` bytes per row.
/// Returns `None` when the plane is empty or shorter than its geometry.
pub fn hash_luma(plane: &[u8], width: usize, height: usize, stride: usize) -> Option<Hash> {
    if width == 0 || height == 0 || stride < width || plane.len() < stride * (height - 1) + width {
        return None;
    }
    let grid = downscale(plane, width, height, stride);
    Some(hash_grid(&grid))
}

/// Box-average to a 32×32 grid.
fn downscale(plane: &[u8], width: usize, height: usize, stride: usize) -> [[i64; GRID]; GRID] {
    let bounds = |i: usize, n: usize| {
        let start = i * n / GRID;
        let end = ((i + 1) * n / GRID).max(start + 1).min(n);
        (start.min(n - 1), end)
    };
    let mut grid = [[0i64; GRID]; GRID];
    for (j, row) in grid.iter_mut().enumerate() {
        let (y0, y1) = bounds(j, height);
        for (i, cell) in row.iter_mut().enumerate() {
            let (x0, x1) = bounds(i, width);
            let mut sum = 0u64;
            for y in y0..y1 {
                let line = &plane[y * stride + x0..y * stride + x1];
                sum += line.iter().map(|&p| u64::from(p)).sum::<u64>();
            }
            let count = ((y1 - y0) * (x1 - x0)) as u64;
            *cell = (sum / count) as i64;
        }
    }
    grid
}

/// DCT the grid and threshold the AC coefficients at their median.
fn hash_grid(grid: &[[i64; GRID]; GRID]) -> Hash {
    // Rows first: r[y][u] = Σx cos(u, x)·g(x, y).
    let mut rows = [[0i64; LOW]; GRID];
    for (line, row) in grid.iter().zip(rows.iter_mut()) {
        for (r, cos_u) in row.iter_mut().zip(&COS) {
            *r = line.iter().zip(cos_u).map(|(g, c)| g * c).sum();
        }
    }
    // Then columns: f[v][u] = Σy cos(v, y)·r[y][u], skipping DC (u = v = 0).
    let mut coeffs = Vec::with_capacity(LOW * LOW - 1);
    for (v, cos_v) in COS.iter().enumerate() {
        for u in 0..LOW {
            if u == 0 && v == 0 {
                continue;
            }
            let f: i64 = cos_v.iter().zip(&rows).map(|(c, row)| c * row[u]).sum();
            coeffs.push(f);
        }
    }
    let mut sorted = coeffs.clone();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    coeffs.iter().enumerate().fold(
        0,
        |h, (bit, &c)| if c > median { h | (1 << bit) } else { h },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_table_matches_its_definition() {
        for (u, row) in COS.iter().enumerate() {
            for (x, &c) in row.iter().enumerate() {
                let exact =
                    (((2 * x + 1) * u) as f64 * std::f64::consts::PI / 64.0).cos() * 16384.0;
                assert!((c as f64 - exact).abs() <= 0.5 + 1e-9, "u={u} x={x}");
            }
        }
    }

    /// A smooth ramp with a few large blocks: picture-like, no aliasing.
    fn gradient(w: usize, h: usize, phase: usize) -> Vec<u8> {
        (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let ramp = (x * 150 / w + y * 60 / h + phase) % 200;
                let blocks = (x * 5 / w + y * 3 / h) % 2 * 55;
                (ramp + blocks) as u8
            })
            .collect()
    }

    #[test]
    fn scaling_barely_changes_the_hash() {
        let big = gradient(1920, 1080, 0);
        let a = hash_luma(&big, 1920, 1080, 1920).unwrap();
        // Nearest-neighbour 2/3 downscale of the same picture.
        let (w, h) = (1280, 720);
        let small: Vec<u8> = (0..w * h)
            .map(|i| big[(i / w) * 3 / 2 * 1920 + (i % w) * 3 / 2])
            .collect();
        let b = hash_luma(&small, w, h, w).unwrap();
        assert!(distance(a, b) <= 6, "distance {}", distance(a, b));
    }

    #[test]
    fn different_pictures_differ() {
        let a = hash_luma(&gradient(640, 360, 0), 640, 360, 640).unwrap();
        let flipped: Vec<u8> = gradient(640, 360, 0).into_iter().rev().collect();
        let b = hash_luma(&flipped, 640, 360, 640).unwrap();
        assert!(distance(a, b) > 20, "distance {}", distance(a, b));
    }

    #[test]
    fn known_value_is_stable() {
        // Pinned so an accidental change of the algorithm cannot pass unnoticed.
        let h = hash_luma(&gradient(64, 48, 5), 64, 48, 64).unwrap();
        assert_eq!(format!("{h:016x}"), "22552adfaa752a70");
        assert_eq!(
            h.count_ones(),
            31,
            "31 of 63 AC coefficients lie above their median"
        );
    }

    #[test]
    fn bad_geometry_is_refused() {
        assert_eq!(hash_luma(&[0; 10], 4, 4, 4), None);
        assert_eq!(hash_luma(&[], 0, 0, 0), None);
        assert!(hash_luma(&[9; 4], 2, 2, 2).is_some());
    }
}
