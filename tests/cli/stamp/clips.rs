//! Clips: probed facts in the record, the signed perceptual fingerprint,
//! recovery after re-encoding, and carrying provenance across a transcode.

use std::path::{Path, PathBuf};

use predicates::str::contains;

use crate::engines::Engine;
use crate::support::{ffmpeg, json, path_str as p, Studio};

/// A clip from an ffmpeg test source with temporal noise, so frames differ.
fn source_clip(path: &Path, source: &str, seconds: u32) {
    let filter = format!("{source},noise=alls=20:allf=t");
    crate::support::lavfi_clip(path, &filter, &seconds.to_string());
}

fn verify_json(studio: &Studio, args: &[&str], file: &Path) -> serde_json::Value {
    let output = studio
        .verify()
        .args(args)
        .arg("--json")
        .arg(file)
        .output()
        .expect("run");
    json(&output)["files"][0].clone()
}

fn clip_facts(name: &str, audio_codec: &str) -> serde_json::Value {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let clip = src.join(name);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=24",
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
        audio_codec,
        "-ac",
        "2",
        p(&clip),
    ]);
    studio.stamp_out(&clip);
    let v = verify_json(&studio, &[], &out.join(name));
    assert_eq!(v["state"], "trusted");
    v["record"]["media"].clone()
}

fn assert_clip_facts(m: &serde_json::Value, container: &str, audio_codec: &str) {
    assert_eq!(m["kind"], "clip");
    assert_eq!(m["container"], container);
    assert_eq!(m["codec"], "h264");
    assert_eq!(
        (m["width"].as_u64(), m["height"].as_u64()),
        (Some(320), Some(180))
    );
    assert_eq!(m["frame_rate"], 24.0);
    assert_eq!(m["frame_count"], 48);
    let d = m["duration_s"].as_f64().expect("duration");
    assert!((1.9..=2.1).contains(&d), "duration {d}");
    assert_eq!(m["audio"][0]["codec"], audio_codec);
    assert_eq!(m["audio"][0]["channels"], 2);
    assert_eq!(m["audio"][0]["sample_rate"], 48000);
}

#[test]
fn mp4_clip_facts_are_signed_and_shown() {
    assert_clip_facts(&clip_facts("clip.mp4", "aac"), "mp4", "aac");
}

#[test]
fn mov_clip_facts_are_signed_and_shown() {
    assert_clip_facts(&clip_facts("clip.mov", "aac"), "mov", "aac");
}

#[test]
fn mkv_sidecar_clip_facts_count_frames_without_nb_frames() {
    assert_clip_facts(&clip_facts("clip.mkv", "libvorbis"), "mkv", "vorbis");
}

#[test]
fn frame_facts_come_from_the_image() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let frame = crate::support::media(&src, "frame.png");
    studio.stamp_out(&frame);
    let v = verify_json(&studio, &[], &out.join("frame.png"));
    let m = &v["record"]["media"];
    assert_eq!(m["kind"], "frame");
    assert_eq!(m["container"], "png");
    assert_eq!(
        (m["width"].as_u64(), m["height"].as_u64()),
        (Some(320), Some(180))
    );
    assert_eq!(v["soft_binding"]["samples"], 1);
}

#[test]
fn stamped_clip_carries_a_perceptual_soft_binding() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let clip = src.join("clip.mp4");
    source_clip(&clip, "testsrc2=size=320x180:rate=24", 3);
    studio.stamp_out(&clip);
    let v = verify_json(&studio, &[], &out.join("clip.mp4"));
    assert_eq!(v["soft_binding"]["alg"], "film.credits.phash.v1");
    assert_eq!(
        v["soft_binding"]["samples"], 12,
        "4 samples a second for 3 s"
    );
}

/// Stamp `name` from `source` into the studio's index; return the signed path.
fn stamp_indexed(studio: &Studio, index: &str, name: &str, source: &str) -> PathBuf {
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let clip = src.join(name);
    source_clip(&clip, source, 6);
    studio
        .stamp()
        .arg(&clip)
        .arg("--out")
        .arg(&out)
        .arg("--index")
        .arg(index)
        .assert()
        .success();
    out.join(name)
}

fn recover_finds_the_original_after_reencode_scale_and_trim(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let index = engine.catalog(studio.dir.path());
    let original = stamp_indexed(
        &studio,
        &index,
        "shot.mp4",
        "testsrc2=size=1920x1080:rate=24",
    );
    let other = stamp_indexed(
        &studio,
        &index,
        "other.mp4",
        "mandelbrot=size=1920x1080:rate=24",
    );
    let work = studio.subdir("work");
    let lower = work.join("lower_bitrate.mp4");
    let scaled = work.join("scaled_720p.mp4");
    let trimmed = work.join("trimmed.mp4");
    ffmpeg(&[
        "-i",
        p(&original),
        "-c:v",
        "libx264",
        "-b:v",
        "400k",
        "-preset",
        "ultrafast",
        p(&lower),
    ]);
    ffmpeg(&[
        "-i",
        p(&original),
        "-vf",
        "scale=-2:720",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        p(&scaled),
    ]);
    ffmpeg(&[
        "-ss",
        "2",
        "-i",
        p(&original),
        "-t",
        "2",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        p(&trimmed),
    ]);
    let args = ["--recover", "--index", &index];
    for (file, offset) in [(&lower, 0.0), (&scaled, 0.0), (&trimmed, 2.0)] {
        let v = verify_json(&studio, &args, file);
        assert_eq!(v["state"], "recovered", "{}: {v}", file.display());
        let r = &v["recovery"];
        assert_eq!(
            r["original"].as_str().map(PathBuf::from),
            Some(original.canonicalize().expect("abs")),
            "{} matched the wrong original",
            file.display()
        );
        assert_eq!(r["record"]["tool"]["name"], "Runway");
        assert!(r["similarity"].as_f64().expect("sim") > 0.85, "{r}");
        assert!(
            (r["offset_s"].as_f64().expect("offset") - offset).abs() < 0.1,
            "{r}"
        );
        assert!(r["matched_samples"].as_u64() >= r["compared_samples"].as_u64().map(|n| n * 3 / 4));
        // The index keeps the original's ISCC code too: a re-encode or a
        // rescale is a few bits from it (unrelated clips: 25+, docs/fingerprint.md).
        if offset == 0.0 {
            let bits = r["iscc_distance"].as_u64().expect("both have ISCC codes");
            assert!(bits <= 8, "{}: {r}", file.display());
        }
    }
    // The other original is recognised as itself, not as the first.
    let moved = work.join("other_copy.mp4");
    ffmpeg(&[
        "-i",
        p(&other),
        "-c:v",
        "libx264",
        "-b:v",
        "600k",
        "-preset",
        "ultrafast",
        p(&moved),
    ]);
    let v = verify_json(&studio, &args, &moved);
    assert!(v["recovery"]["original"]
        .as_str()
        .expect("original")
        .ends_with("other.mp4"));
    // Recovered is never a pass.
    studio
        .verify()
        .args(args)
        .arg(&lower)
        .assert()
        .code(1)
        .stdout(contains("RECOVERED"));
}

fn twenty_other_clips_never_match(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let index = engine.catalog(studio.dir.path());
    stamp_indexed(&studio, &index, "shot.mp4", "testsrc2=size=640x360:rate=24");
    let mut sources: Vec<String> = (1..=8)
        .map(|s| format!("gradients=size=320x180:rate=24:seed={s}:speed=0.05"))
        .collect();
    sources.extend((1..=4).map(|s| format!("life=size=320x180:rate=24:seed={s}:mold=10")));
    sources.extend([30, 90, 110, 150].map(|r| format!("cellauto=size=320x180:rate=24:rule={r}")));
    sources.extend([
        "mandelbrot=size=320x180:rate=24".to_string(),
        "mandelbrot=size=320x180:rate=24:start_x=-0.74:start_y=0.12".to_string(),
        "testsrc=size=320x180:rate=24".to_string(),
        "sierpinski=size=320x180:rate=24".to_string(),
    ]);
    assert_eq!(sources.len(), 20);
    let work = studio.subdir("others");
    let mut cmd = studio.verify();
    cmd.args(["--recover", "--index", &index, "--json"]);
    for (i, source) in sources.iter().enumerate() {
        let clip = work.join(format!("other{i:02}.mp4"));
        source_clip(&clip, source, 4);
        cmd.arg(&clip);
    }
    let doc = json(&cmd.output().expect("run"));
    for v in doc["files"].as_array().expect("files") {
        assert_eq!(
            v["state"], "unsigned",
            "{} matched: {}",
            v["path"], v["recovery"]
        );
    }
}

#[test]
fn derive_after_a_real_transcode_verifies_with_the_chain() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let clip = src.join("shot.mp4");
    source_clip(&clip, "testsrc2=size=640x360:rate=24", 2);
    studio
        .stamp()
        .arg(&clip)
        .arg("--out")
        .arg(&out)
        .args(["--prompt", "a fox", "--selection", "1/12"])
        .assert()
        .success();
    let proxy = studio.subdir("proxies").join("shot_proxy.mp4");
    ffmpeg(&[
        "-i",
        p(&out.join("shot.mp4")),
        "-vf",
        "scale=-2:240",
        "-c:v",
        "libx264",
        "-b:v",
        "300k",
        p(&proxy),
    ]);
    crate::support::credits()
        .arg("derive")
        .arg(&proxy)
        .arg("--from")
        .arg(out.join("shot.mp4"))
        .args(["--action", "transcoded", "--tool", "ffmpeg", "--key"])
        .arg(&studio.key)
        .arg("--chain")
        .arg(&studio.chain)
        .assert()
        .success();
    let v = verify_json(&studio, &[], &proxy);
    assert_eq!(v["state"], "trusted");
    assert_eq!(v["actions"][0]["action"], "c2pa.opened");
    assert_eq!(v["actions"][1]["action"], "c2pa.transcoded");
    assert_eq!(v["record"]["operator"]["role"], "editing");
    assert_eq!(v["record"]["media"]["height"], 240);
    let source = &v["ingredients"][0];
    assert_eq!(source["relationship"], "parentOf");
    assert_eq!(source["state"], "trusted");
    assert_eq!(source["record"]["tool"]["name"], "Runway");
    assert_eq!(source["record"]["selection"]["candidates"], 12);
    assert_eq!(source["record"]["media"]["height"], 360);
}

fn index_add_refuses_an_unsigned_file(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let clip = studio.subdir("src").join("plain.mp4");
    source_clip(&clip, "testsrc2=size=320x180:rate=24", 1);
    crate::support::credits()
        .args(["index", "add", "--index"])
        .arg(engine.catalog(studio.dir.path()))
        .arg(&clip)
        .assert()
        .code(1)
        .stderr(contains("verifies as unsigned"));
}

fn index_add_takes_the_signed_fingerprint(engine: Engine) {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let clip = src.join("shot.mkv");
    source_clip(&clip, "testsrc2=size=320x180:rate=24", 2);
    studio.stamp_out(&clip);
    crate::support::credits()
        .args(["index", "add", "--index"])
        .arg(engine.catalog(studio.dir.path()))
        .arg("--trust")
        .arg(&studio.trust)
        .arg(out.join("shot.mkv"))
        .assert()
        .success()
        .stdout(contains("8 fingerprint samples"));
}

#[test]
fn no_fingerprint_still_probes_facts_without_decoding() {
    let studio = Studio::new("Northwind Pictures");
    let src = studio.subdir("src");
    let out = studio.subdir("out");
    let clip = src.join("clip.mkv");
    source_clip(&clip, "testsrc2=size=320x180:rate=24", 2);
    studio
        .stamp()
        .arg(&clip)
        .arg("--out")
        .arg(&out)
        .arg("--no-fingerprint")
        .assert()
        .success();
    let v = verify_json(&studio, &[], &out.join("clip.mkv"));
    assert_eq!(v["state"], "trusted");
    assert_eq!(v["soft_binding"], serde_json::Value::Null);
    assert_eq!(v["record"]["media"]["frame_count"], 48, "packets counted");
    assert_eq!(v["record"]["media"]["width"], 320);
}

crate::on_both_engines!(
    recover_finds_the_original_after_reencode_scale_and_trim,
    twenty_other_clips_never_match,
    index_add_refuses_an_unsigned_file,
    index_add_takes_the_signed_fingerprint
);
