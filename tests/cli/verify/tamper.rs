//! Tampering sweep: stamped PNG, JPEG, WebP, MP4 and MOV files with single
//! bytes flipped over every region (headers, media data, the manifest's
//! claim, signature and assertions), truncated, extended, or carrying
//! another file's manifest. None may verify `trusted` or `valid`, and none
//! may crash the verifier.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::support::{json, media, Studio};

/// Regions of the manifest, found by their JUMBF labels.
const MANIFEST_LABELS: [&[u8]; 6] = [
    b"c2pa.claim",
    b"c2pa.signature",
    b"c2pa.assertions",
    b"c2pa.actions",
    b"film.credits.generation",
    b"c2pa.hash",
];

/// Where to flip: every region of the file, including the bytes around the
/// manifest that C2PA leaves unauthenticated and `credits` checks itself
/// ([`framing`]), minus the two that carry no fixed value at all (see
/// [`unauthenticated`]).
fn positions(bytes: &[u8]) -> Vec<usize> {
    let len = bytes.len();
    let mut at: Vec<usize> = (0..64).map(|i| i * len / 64).collect();
    at.extend([1, 4, 9, 17, 30, len - 1]);
    for label in MANIFEST_LABELS {
        if let Some(p) = find(bytes, label) {
            at.extend([p, p + label.len() + 8, p + label.len() + 40]);
        }
    }
    at.extend(
        framing(bytes)
            .into_iter()
            .flat_map(|(_, r)| [r.start, r.end - 1]),
    );
    let skip = unauthenticated(bytes);
    at.retain(|&p| p < len && !skip.iter().any(|r| r.contains(&p)));
    at.sort_unstable();
    at.dedup();
    at
}

fn be32(b: &[u8], p: usize) -> usize {
    u32::from_be_bytes([b[p], b[p + 1], b[p + 2], b[p + 3]]) as usize
}

/// Bytes outside every C2PA hash and signature, which `credits` checks
/// itself, with the code a change there must produce.
fn framing(b: &[u8]) -> Vec<(&'static str, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    // COSE_Sign1's unprotected `pad` (zeros reserving room for the
    // signature): a CBOR byte string after the key "pad".
    if let Some(sig) = find(b, b"c2pa.signature") {
        if let Some(p) = find(&b[sig..], b"cpad").map(|p| sig + p + 4) {
            let (head, n) = match b[p] {
                0x40..=0x57 => (1, usize::from(b[p] - 0x40)),
                0x58 => (2, usize::from(b[p + 1])),
                0x59 => (3, usize::from(u16::from_be_bytes([b[p + 1], b[p + 2]]))),
                0x5a => (5, be32(b, p + 1)),
                _ => (0, 0),
            };
            if n > 0 {
                out.push(("credits.container.padding", p + head..p + head + n));
            }
        }
    }
    if b.starts_with(b"\x89PNG") {
        if let Some(t) = find(b, b"caBX") {
            let (data, n) = (t + 4, be32(b, t - 4));
            let store = be32(b, data);
            if store < n {
                out.push(("credits.container.padding", data + store..data + n));
            }
            out.push(("credits.container.framing", data + n..data + n + 4)); // CRC
        }
    } else if b.starts_with(&[0xff, 0xd8]) {
        // APP11 sequence numbers.
        for (i, w) in b.windows(2).enumerate() {
            if w == [0xff, 0xeb] && b.get(i + 4..i + 6) == Some(b"JP") {
                out.push(("credits.container.framing", i + 8..i + 12));
            }
        }
    } else if b.get(4..8) == Some(b"ftyp") {
        let mut at = 0;
        while at + 8 <= b.len() {
            let size = be32(b, at).max(8).min(b.len() - at);
            match &b[at + 4..at + 8] {
                b"ftyp" => out.push(("credits.container.format", at + 8..at + size)),
                b"uuid" if find(&b[at..at + size], b"manifest\0").is_some() => {
                    let purpose = at + 28;
                    let jumbf = purpose + 9 + 8;
                    out.push(("credits.container.framing", at + 24..at + 28));
                    out.push(("credits.container.framing", purpose + 9..jumbf));
                    if jumbf + be32(b, jumbf) < at + size {
                        out.push((
                            "credits.container.padding",
                            jumbf + be32(b, jumbf)..at + size,
                        ));
                    }
                }
                _ => {}
            }
            at += size;
        }
    }
    out
}

/// Byte ranges no verifier can judge, because no specification fixes them:
/// the JPEG XT box instance number (any value; it only groups segments) and
/// BMFF `free`/`skip` boxes (free space, excluded from BMFF hashes by the
/// C2PA specification). Listed in docs/attacks.md.
fn unauthenticated(b: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    if b.starts_with(&[0xff, 0xd8]) {
        for (i, w) in b.windows(2).enumerate() {
            if w == [0xff, 0xeb] && b.get(i + 4..i + 6) == Some(b"JP") {
                out.push(i + 6..i + 8);
            }
        }
    } else if b.get(4..8) == Some(b"ftyp") {
        let mut at = 0;
        while at + 8 <= b.len() {
            let size = be32(b, at).max(8).min(b.len() - at);
            if matches!(&b[at + 4..at + 8], b"free" | b"skip") {
                out.push(at..at + size);
            }
            at += size;
        }
    }
    out
}

fn in_unauthenticated(bytes: &[u8], p: usize) -> bool {
    unauthenticated(bytes).iter().any(|r| r.contains(&p))
}

fn write(dir: &Path, name: String, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// Verify `files` in one process; each file's state.
fn states(studio: &Studio, files: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let output = studio
        .verify()
        .arg("--json")
        .args(files)
        .output()
        .expect("run");
    assert!(
        matches!(output.status.code(), Some(1 | 2)),
        "verify exits 1 (or 2 for unreadable files) for a tampered set, never 0 or a crash: {:?}",
        output.status
    );
    json(&output)["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                PathBuf::from(f["path"].as_str().expect("path")),
                f["state"].as_str().expect("state").to_string(),
            )
        })
        .collect()
}

fn sweep(name: &str) {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let bad = studio.subdir("bad");
    let signed = studio.stamp_out(&media(&src, name));
    studio.verify().arg(&signed).assert().code(0);
    let bytes = std::fs::read(&signed).expect("read");
    let ext = Path::new(name)
        .extension()
        .expect("ext")
        .to_string_lossy()
        .into_owned();
    let mut files = Vec::new();
    for p in positions(&bytes) {
        let mut b = bytes.clone();
        b[p] ^= 0x5a;
        files.push(write(&bad, format!("flip{p}.{ext}"), &b));
    }
    for cut in [
        bytes.len() / 4,
        bytes.len() / 2,
        bytes.len() * 3 / 4,
        bytes.len() - 1,
    ] {
        files.push(write(&bad, format!("cut{cut}.{ext}"), &bytes[..cut]));
    }
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"appended after signing");
    files.push(write(&bad, format!("append.{ext}"), &longer));
    // Another stamped file's manifest pasted over this one's: same length,
    // so the layout holds and only the binding can tell.
    let other = studio.subdir("other");
    let other_src = media(&other, &format!("x{name}"));
    let other_signed = studio.stamp_out(&other_src);
    let theirs = std::fs::read(other_signed).expect("read");
    if let (Some(a), Some(b)) = (find(&bytes, b"jumb"), find(&theirs, b"jumb")) {
        let n = (bytes.len() - a).min(theirs.len() - b).min(8 << 10);
        let mut pasted = bytes.clone();
        pasted[a..a + n].copy_from_slice(&theirs[b..b + n]);
        files.push(write(&bad, format!("pasted.{ext}"), &pasted));
    }
    assert!(files.len() > 60, "{name}: {} tampered copies", files.len());
    let passed: Vec<String> = states(&studio, &files)
        .into_iter()
        .filter(|(_, state)| matches!(state.as_str(), "trusted" | "valid"))
        .map(|(path, state)| format!("{} {state}", path.display()))
        .collect();
    assert!(
        passed.is_empty(),
        "{name}: tampered copies that pass: {passed:?}"
    );
}

fn find(bytes: &[u8], what: &[u8]) -> Option<usize> {
    bytes.windows(what.len()).position(|w| w == what)
}

#[test]
fn png_tampering_is_always_caught() {
    sweep("frame.png");
}

#[test]
fn jpeg_tampering_is_always_caught() {
    sweep("frame.jpg");
}

#[test]
fn webp_tampering_is_always_caught() {
    sweep("frame.webp");
}

#[test]
fn mp4_tampering_is_always_caught() {
    sweep("clip.mp4");
}

#[test]
fn mov_tampering_is_always_caught() {
    sweep("clip.mov");
}

/// A change to each byte range outside the C2PA hashes is reported with our
/// own code, in words: the SDK alone would call these files intact.
#[test]
fn changes_outside_the_c2pa_hashes_are_reported() {
    let (studio, signed) = shared();
    let dir = tempfile::tempdir().expect("dir");
    let mut cases = Vec::new();
    for path in signed {
        let bytes = std::fs::read(path).expect("read");
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for (i, (code, range)) in framing(&bytes).into_iter().enumerate() {
            let mut b = bytes.clone();
            b[range.end - 1] ^= 0x5a;
            cases.push((write(dir.path(), format!("{i}-{name}"), &b), code));
        }
    }
    let kinds: std::collections::BTreeSet<&str> = cases.iter().map(|c| c.1).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "credits.container.format",
            "credits.container.framing",
            "credits.container.padding"
        ],
        "every kind of unauthenticated range is exercised"
    );
    let files: Vec<PathBuf> = cases.iter().map(|c| c.0.clone()).collect();
    let output = studio
        .verify()
        .arg("--json")
        .args(&files)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    for (f, (path, code)) in report["files"]
        .as_array()
        .expect("files")
        .iter()
        .zip(&cases)
    {
        assert_eq!(f["state"], "invalid", "{}", path.display());
        let failures = f["codes"]["failure"].to_string();
        assert!(
            failures.contains(code),
            "{}: {code} not in {failures}",
            path.display()
        );
        assert!(
            f["findings"].as_array().is_some_and(|d| !d.is_empty()),
            "{}: the finding is explained",
            path.display()
        );
    }
    // And in words on the terminal.
    let text = studio.verify().arg(&files[0]).output().expect("run");
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("credits.container."), "{stdout}");
    assert!(stdout.contains(": "), "{stdout}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    /// Any single-byte change to signed bytes, in any of the five formats,
    /// at any position, with any value: never trusted or valid, no crash.
    #[test]
    fn any_single_byte_change_is_caught(file in 0usize..5, at in 0.0f64..1.0, xor in 1u8..=255) {
        let (studio, signed) = shared();
        let path = &signed[file];
        let bytes = std::fs::read(path).expect("read");
        let p = ((bytes.len() - 1) as f64 * at) as usize;
        prop_assume!(!in_unauthenticated(&bytes, p));
        let mut b = bytes.clone();
        b[p] ^= xor;
        let dir = tempfile::tempdir().expect("dir");
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let copy = write(dir.path(), name, &b);
        let got = states(studio, &[copy]);
        prop_assert!(
            !matches!(got[0].1.as_str(), "trusted" | "valid"),
            "{} byte {} ^ {:#x}: {}", path.display(), p, xor, got[0].1
        );
    }
}

/// One stamped file per format, shared by the property cases.
fn shared() -> &'static (Studio, Vec<PathBuf>) {
    static SHARED: std::sync::OnceLock<(Studio, Vec<PathBuf>)> = std::sync::OnceLock::new();
    SHARED.get_or_init(|| {
        let studio = Studio::new("Northwind Pictures");
        let src = studio.subdir("src");
        let signed = ["p.png", "p.jpg", "p.webp", "p.mp4", "p.mov"]
            .iter()
            .map(|n| studio.stamp_out(&media(&src, n)))
            .collect();
        (studio, signed)
    })
}
