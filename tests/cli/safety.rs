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
        .code(2)
        .stderr(contains("missing.png"));
    studio.verify().arg(out.join("good.png")).assert().code(0);
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
