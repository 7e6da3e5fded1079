//! MP4/MOV layouts through the large-clip splice (`media::bmff`) and the
//! SDK's own writer: every one signs, verifies `trusted`, still decodes to
//! the same pictures and sound, and detects a flipped payload byte.

use std::path::Path;
use std::process::Command as StdCommand;

use predicates::str::contains;

use crate::support::{ffmpeg, flip_media_byte, path_str as p, Studio};

/// Per-frame MD5s of every stream, as ffmpeg decodes them.
fn decoded(path: &Path) -> String {
    let out = StdCommand::new("ffmpeg")
        .args(["-loglevel", "error", "-i"])
        .arg(path)
        .args(["-map", "0", "-f", "framemd5", "-"])
        .output()
        .expect("ffmpeg");
    assert!(
        out.status.success(),
        "ffmpeg cannot decode {}",
        path.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A 2-second clip with sound, muxed with `mux` flags.
fn layout(path: &Path, mux: &[&str]) {
    let mut args = vec![
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=24,noise=alls=20:allf=t",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-t",
        "2",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-c:a",
        "aac",
    ];
    args.extend_from_slice(mux);
    args.push(p(path));
    ffmpeg(&args);
}

fn signs_verifies_and_plays(name: &str, mux: &[&str]) {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let clip = src.join(name);
    layout(&clip, mux);
    let signed = studio.stamp_out(&clip);
    studio
        .verify()
        .arg(&signed)
        .assert()
        .code(0)
        .stdout(contains("TRUSTED"));
    assert_eq!(
        decoded(&clip),
        decoded(&signed),
        "{name}: signing changed what plays"
    );
    flip_media_byte(&signed);
    studio
        .verify()
        .arg(&signed)
        .assert()
        .code(1)
        .stdout(contains("assertion.bmffHash.mismatch"));
}

#[test]
fn mp4_with_moov_at_the_end() {
    signs_verifies_and_plays("end.mp4", &[]);
}

#[test]
fn mp4_with_moov_first_faststart() {
    signs_verifies_and_plays("fast.mp4", &["-movflags", "+faststart"]);
}

#[test]
fn quicktime_mov() {
    signs_verifies_and_plays("take.mov", &[]);
}

#[test]
fn fragmented_mp4_goes_through_the_sdk_writer() {
    signs_verifies_and_plays(
        "frag.mp4",
        &["-movflags", "+frag_keyframe+empty_moov+default_base_moof"],
    );
}
