//! Clips bound by Merkle trees (issue 16): a stamped MP4 or MOV with 16 MiB
//! of media data or more binds it in 1 MiB leaves, so that a verifier
//! hashes one leaf at a time; a changed byte in any leaf is a BMFF hash
//! mismatch. (c2pa-python's verdict on the same files: scripts/interop.sh.)

use std::path::{Path, PathBuf};

use crate::support::{ffmpeg, path_str as p, top_level_box, Studio};

/// A ~24 MB clip: 2 s of noise at 12 Mb/s, looped by stream copy.
fn big_clip(dir: &Path, name: &str) -> PathBuf {
    let noise = dir.join("noise.mp4");
    if !noise.exists() {
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x180:rate=24,noise=alls=40:allf=t",
            "-t",
            "2",
            "-pix_fmt",
            "yuv420p",
            "-c:v",
            "libx264",
            "-b:v",
            "12M",
            "-minrate",
            "12M",
            "-maxrate",
            "12M",
            "-bufsize",
            "4M",
            p(&noise),
        ]);
    }
    let big = dir.join(name);
    ffmpeg(&[
        "-stream_loop",
        "-1",
        "-i",
        p(&noise),
        "-c",
        "copy",
        "-fs",
        "24000000",
        p(&big),
    ]);
    big
}

/// Every validation code of a verdict, as one string to search.
fn codes(v: &serde_json::Value) -> String {
    v["codes"].to_string()
}

#[test]
fn large_clips_bind_their_media_data_by_merkle_trees() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    for name in ["big.mp4", "big.mov"] {
        let clip = big_clip(&src, name);
        let out = studio.subdir(&format!("out-{name}"));
        studio
            .stamp()
            .arg(&clip)
            .arg("--out")
            .arg(&out)
            .arg("--no-fingerprint")
            .assert()
            .success();
        let signed = out.join(name);
        let v = studio.verdict(&signed);
        assert_eq!(v["state"], "trusted", "{name}: {v}");
        // The one exclusion Merkle trees need, which newer readers remark on.
        assert!(
            codes(&v).contains("assertion.bmffHash.additionalExclusionsPresent"),
            "{name}: {v}"
        );
        let bytes = std::fs::read(&signed).unwrap();
        let (mdat, size) = top_level_box(&bytes, b"mdat").expect("mdat");
        assert!(size > 16 << 20, "{name}: {size}");
        let store = String::from_utf8_lossy(&bytes[..mdat]).into_owned();
        assert!(store.contains("fixedBlockSize"), "{name}: no Merkle map");
        // One byte in a middle leaf, then in the last one.
        for at in [mdat + 16 + size / 2, mdat + size - 1] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x55;
            let path = out.join(format!("bad-{name}"));
            std::fs::write(&path, &bad).unwrap();
            let v = studio.verdict(&path);
            assert_eq!(v["state"], "invalid", "{name} @{at}: {v}");
            assert!(
                v["codes"]["failure"]
                    .to_string()
                    .contains("assertion.bmffHash.mismatch"),
                "{name} @{at}: {v}"
            );
        }
    }
}

#[test]
fn small_clips_keep_the_flat_hash() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let clip = crate::support::media(&src, "clip.mp4");
    let signed = studio.stamp_out(&clip);
    let bytes = std::fs::read(&signed).unwrap();
    let (mdat, _) = top_level_box(&bytes, b"mdat").expect("mdat");
    assert!(!String::from_utf8_lossy(&bytes[..mdat]).contains("fixedBlockSize"));
    let v = studio.verdict(&signed);
    assert_eq!(v["state"], "trusted", "{v}");
    assert!(!codes(&v).contains("additionalExclusionsPresent"), "{v}");
}
