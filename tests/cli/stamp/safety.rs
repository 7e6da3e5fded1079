//! Nothing lost: a failed stamp leaves the original byte-identical and no
//! stray temporary or 0-byte files; outputs are never overwritten unasked.

use predicates::str::contains;

use crate::support::{listing, media, Studio};

#[test]
fn failed_forced_embed_leaves_original_and_no_stray_files() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let input = media(&src, "clip.mkv");
    let before = std::fs::read(&input).expect("read");
    let listing_before = listing(&src);
    studio
        .stamp()
        .arg(&input)
        .args(["--embed", "--in-place", "--prompt", "secret"])
        .assert()
        .code(2)
        .stderr(contains("cannot embed"))
        .stderr(contains("hint: pass --sidecar"));
    assert_eq!(std::fs::read(&input).expect("read"), before);
    assert_eq!(listing(&src), listing_before);
}

#[test]
fn unparseable_input_in_place_is_left_byte_identical() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let full = media(&src, "frame.png");
    let truncated = src.join("truncated.png");
    let bytes = std::fs::read(&full).expect("read");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).expect("write");
    let before = std::fs::read(&truncated).expect("read");
    let listing_before = listing(&src);
    studio
        .stamp()
        .arg(&truncated)
        .args(["--in-place", "--prompt", "secret"])
        .assert()
        .code(2)
        .stderr(contains("truncated.png"));
    assert_eq!(std::fs::read(&truncated).expect("read"), before);
    assert_eq!(listing(&src), listing_before);
}

#[test]
fn existing_output_is_not_overwritten_without_force() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let input = media(&src, "frame.png");
    std::fs::write(out.join("frame.png"), b"precious").expect("write");
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("already exists"))
        .stderr(contains("--force"));
    assert_eq!(
        std::fs::read(out.join("frame.png")).expect("read"),
        b"precious"
    );
    assert_eq!(listing(&out), ["frame.png"]);
    studio
        .stamp()
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .assert()
        .success();
    studio.verify().arg(out.join("frame.png")).assert().code(0);
}

#[test]
fn one_failing_input_does_not_stop_the_others() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let good = media(&src, "good.png");
    let missing = src.join("missing.png");
    studio
        .stamp()
        .arg(&missing)
        .arg(&good)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("missing.png"));
    studio.verify().arg(out.join("good.png")).assert().code(0);
    // Nothing signed at all: could not run.
    studio
        .stamp()
        .arg(&missing)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
}

#[test]
fn stamp_without_a_destination_says_what_to_pass() {
    let studio = Studio::new("Northwind Pictures");
    let input = media(&studio.subdir("src"), "frame.png");
    studio
        .stamp()
        .arg(&input)
        .assert()
        .code(2)
        .stderr(contains("--out DIR, --in-place, or --sidecar"));
}

#[test]
fn in_place_replaces_atomically_and_verifies() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let input = media(&src, "frame.jpg");
    studio
        .stamp()
        .arg(&input)
        .arg("--in-place")
        .assert()
        .success();
    assert_eq!(listing(&src), ["frame.jpg"]);
    studio.verify().arg(&input).assert().code(0);
}

#[test]
fn a_directory_is_stamped_in_one_run_keeping_relative_paths() {
    let studio = Studio::new("Northwind Pictures");
    let frames = studio.subdir("frames");
    let nested = studio.subdir("frames/take2");
    for i in 0..6 {
        media(&frames, &format!("f{i}.png"));
    }
    media(&nested, "g0.jpg");
    std::fs::write(frames.join("notes.txt"), "not media").expect("write");
    let out = studio.subdir("signed");
    studio
        .stamp()
        .arg(&frames)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("7 signed, 0 skipped, 0 failed"));
    assert_eq!(listing(&out.join("take2")), ["g0.jpg"]);
    studio
        .verify()
        .arg(out.join("f5.png"))
        .arg(out.join("take2/g0.jpg"))
        .assert()
        .code(0);
}

#[test]
fn rerun_skips_what_is_already_stamped_and_resumes_the_rest() {
    let studio = Studio::new("Northwind Pictures");
    let frames = studio.subdir("frames");
    let out = studio.subdir("signed");
    for i in 0..3 {
        media(&frames, &format!("f{i}.png"));
    }
    let run = || {
        let mut cmd = studio.stamp();
        cmd.arg(&frames)
            .arg("--out")
            .arg(&out)
            .args(["--prompt", "a lighthouse", "--seed", "7"]);
        cmd
    };
    run().assert().success();
    let before = std::fs::read(out.join("f0.png")).expect("read");
    // An interrupted batch: one output is lost, a new frame arrives.
    std::fs::remove_file(out.join("f2.png")).expect("rm");
    media(&frames, "f3.png");
    run()
        .assert()
        .success()
        .stderr(contains("2 signed, 2 skipped, 0 failed"));
    assert_eq!(
        std::fs::read(out.join("f0.png")).expect("read"),
        before,
        "skipped files are untouched"
    );
    // Another prompt is another record: existing outputs are refused, not skipped.
    studio
        .stamp()
        .arg(frames.join("f0.png"))
        .arg("--out")
        .arg(&out)
        .args(["--prompt", "a windmill", "--seed", "7"])
        .assert()
        .code(2)
        .stderr(contains("already exists"));
}

#[test]
fn one_corrupt_frame_among_500_is_reported_and_the_rest_are_signed() {
    let studio = Studio::new("Northwind Pictures");
    let frames = studio.subdir("frames");
    let out = studio.subdir("signed");
    for i in 0..500 {
        crate::support::small_frame(&frames.join(format!("f{i:03}.png")), i);
    }
    // A generator crashed mid-write: a PNG cut off after its header.
    let bad = frames.join("f250.png");
    let bytes = std::fs::read(&bad).expect("read");
    std::fs::write(&bad, &bytes[..60]).expect("truncate");
    studio
        .stamp()
        .arg(&frames)
        .arg("--out")
        .arg(&out)
        .arg("--no-fingerprint")
        .assert()
        .code(1)
        .stderr(contains("f250.png"))
        .stderr(contains("499 signed, 0 skipped, 1 failed"));
    let names = listing(&out);
    assert_eq!(names.len(), 499, "499 signed frames, nothing else");
    assert!(!names.iter().any(|n| n.starts_with("f250.png")));
    assert!(!names.iter().any(|n| n.contains("credits-tmp")));
    let signed: Vec<_> = (0..500)
        .filter(|&i| i != 250)
        .map(|i| out.join(format!("f{i:03}.png")))
        .collect();
    let v = studio
        .verify()
        .args(&signed)
        .arg("--json")
        .output()
        .expect("run");
    assert_eq!(v.status.code(), Some(0), "all 499 verify trusted");
    let report = crate::support::json(&v);
    assert_eq!(report["files"].as_array().map(Vec::len), Some(499));
}
