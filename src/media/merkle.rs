//! Merkle leaves over a BMFF movie's media data (C2PA 2.2, "BMFF-based
//! hash", the `merkle` field with `fixedBlockSize`): each `mdat` keeps its
//! first [`MDAT_HEAD`] bytes in the flat hash and is cut into [`LEAF`]-byte
//! leaves after them, whose SHA-256s the SDK roots into one tree per `mdat`
//! (`BmffHash::add_mdat_leaf_hashes`, only the root is stored). A verifier
//! then hashes one leaf at a time — memory that does not grow with the
//! clip — and could check a byte range without reading the rest.
//!
//! Only clips of [`MIN_MEDIA`] or more: a smaller one verifies in little
//! memory with the flat hash alone, and the `/mdat` exclusion Merkle trees
//! need is one newer readers remark on (`assertion.bmffHash.
//! additionalExclusionsPresent`, informational; `credits verify` too).

/// Leaf size in KiB, as the SDK's `core.merkle_tree_chunk_size_in_kb` says it.
pub const LEAF_KB: usize = 1024;
/// Leaf size in bytes: 1 MiB (32 bytes of tree per MiB; one root stored).
pub const LEAF: u64 = LEAF_KB as u64 * 1024;
/// Media data from which a clip's `mdat` boxes are bound by Merkle trees.
pub const MIN_MEDIA: u64 = 16 << 20;
/// The head of each `mdat` the flat hash keeps (the spec's and the SDK's
/// fixed 16 bytes, whatever the header's length).
pub const MDAT_HEAD: u64 = 16;

/// How many leaves an `mdat` of `size` bytes has.
pub fn leaf_count(size: u64) -> u64 {
    size.saturating_sub(MDAT_HEAD).div_ceil(LEAF)
}

/// Zero leaves in the given counts: a placeholder tree whose root takes
/// the room the real one will.
pub fn placeholder(counts: &[u64]) -> Vec<Vec<Vec<u8>>> {
    counts
        .iter()
        .map(|&n| vec![vec![0u8; 32]; n as usize])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_start_after_the_head_and_round_up() {
        assert_eq!(leaf_count(16), 0);
        assert_eq!(leaf_count(17), 1);
        assert_eq!(leaf_count(16 + LEAF), 1);
        assert_eq!(leaf_count(16 + LEAF + 1), 2);
    }
}
