//! Crash-safety: `credits stamp` killed at varied moments, or stopped by a
//! file-size limit as a full disk would, never damages the original, never
//! leaves a partial file at the target path, and a re-run succeeds.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::time::Duration;

use predicates::str::contains;
use sha2::{Digest, Sha256};

use crate::support::{ffmpeg, listing, media, path_str as p, Studio};

fn digest(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).expect("read")).to_vec()
}

/// A ~60 MB MP4: a short clip looped by stream copy (no encoding).
fn big_clip(dir: &Path) -> PathBuf {
    let short = media(dir, "short.mp4");
    let big = dir.join("master.mp4");
    ffmpeg(&[
        "-stream_loop",
        "400",
        "-i",
        p(&short),
        "-c",
        "copy",
        p(&big),
    ]);
    std::fs::remove_file(short).expect("rm");
    big
}

fn stamp_cmd(studio: &Studio, input: &Path, out: &Path) -> StdCommand {
    let mut cmd = studio.signing("stamp", input, out);
    cmd.arg("--no-fingerprint");
    cmd
}

/// Nothing but whole, verifying outputs (and our temporaries, which a
/// SIGKILL cannot clean up) may sit in `out`.
fn assert_no_partial_output(studio: &Studio, out: &Path, name: &str) {
    let target = out.join(name);
    if target.exists() {
        studio.verify().arg(&target).assert().code(0);
    }
    for n in listing(out) {
        assert!(
            n == name || (n.starts_with(&format!(".{name}.")) && n.ends_with(".credits-tmp")),
            "unexpected file {n}"
        );
    }
}

#[test]
fn sigkill_at_varied_moments_never_damages_or_half_writes() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let clip = big_clip(&src);
    let frame = media(&src, "frame.png");
    let before = (digest(&clip), digest(&frame));
    for (i, delay_ms) in [0u64, 5, 20, 60, 150, 400].into_iter().enumerate() {
        for input in [&clip, &frame] {
            let name = input
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let out = studio.subdir(&format!("out{i}-{name}"));
            let mut child = stamp_cmd(&studio, input, &out)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("spawn");
            std::thread::sleep(Duration::from_millis(delay_ms));
            let _ = child.kill(); // SIGKILL; may already have finished
            child.wait().expect("reaped");
            assert_no_partial_output(&studio, &out, &name);
            // A re-run finishes the job (or finds it done).
            let rerun = stamp_cmd(&studio, input, &out).output().expect("rerun");
            assert_eq!(
                rerun.status.code(),
                Some(0),
                "re-run after a kill at {delay_ms} ms"
            );
            studio.verify().arg(out.join(&name)).assert().code(0);
        }
    }
    assert_eq!(
        (digest(&clip), digest(&frame)),
        before,
        "originals untouched"
    );
}

#[test]
fn a_file_size_limit_fails_cleanly_like_a_full_disk() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let clip = big_clip(&src);
    let frame = media(&src, "frame.png");
    for (input, limit) in [(&clip, "5000000"), (&frame, "20000")] {
        let before = digest(input);
        let out = studio.subdir("out");
        let name = input
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let limited = StdCommand::new("prlimit")
            .arg(format!("--fsize={limit}"))
            .arg("--")
            .args(stamp_cmd(&studio, input, &out).get_program().to_str())
            .args(stamp_cmd(&studio, input, &out).get_args())
            .output()
            .expect("prlimit");
        assert_eq!(limited.status.code(), Some(2), "{name}: {limited:?}");
        let stderr = String::from_utf8_lossy(&limited.stderr);
        assert!(stderr.contains("File too large"), "{stderr}");
        assert!(stderr.contains("hint: the disk is full"), "{stderr}");
        assert!(listing(&out).is_empty(), "{name}: nothing left in out/");
        assert_eq!(digest(input), before);
        // With room again, the same command works.
        assert_cmd::Command::from_std(stamp_cmd(&studio, input, &out))
            .assert()
            .success()
            .stdout(contains("signed"));
        studio.verify().arg(out.join(&name)).assert().code(0);
        std::fs::remove_dir_all(&out).expect("rm out");
    }
}
